"""minitorch: the PyTorch API on NumPy, for CPUs and for learning.

``import minitorch as torch`` and ordinary PyTorch code runs unchanged.
"""
from . import _dtype
from ._dtype import (bool, uint8, int8, int16, int32, int64, float16, float32, float64,
                     complex64, complex128, half, float, double, short, int, long, cfloat,
                     cdouble, dtype, get_default_dtype, set_default_dtype, promote_types,
                     result_type, can_cast, finfo, iinfo)
from ._device import device, Size
from ._tensor import Tensor
from . import autograd
from .autograd import (no_grad, enable_grad, set_grad_enabled, inference_mode,
                       is_grad_enabled, is_inference_mode_enabled)
from . import _ops
from ._ops.pointwise import *  # noqa: F401,F403
from ._ops.reduction import *  # noqa: F401,F403
from ._ops.sorting import *  # noqa: F401,F403
from ._ops.shape import *  # noqa: F401,F403
from ._ops.indexing import *  # noqa: F401,F403
from ._ops.blas import *  # noqa: F401,F403
from ._ops.creation import *  # noqa: F401,F403
from ._ops.extra import *  # noqa: F401,F403
from ._random import *  # noqa: F401,F403
from ._random import Generator, default_generator
from ._tensor_str import *  # noqa: F401,F403
from . import linalg, fft, special, cuda  # noqa: E402
from . import random  # noqa: E402
from . import nn, testing, return_types  # noqa: E402
from . import optim, utils  # noqa: E402

__version__ = "0.1.0"


class _Layout:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "torch." + self.name


strided = _Layout("strided")

from . import serialization  # noqa: E402
from .serialization import save, load  # noqa: E402
from . import amp, backends, jit, onnx, distributed, accelerator  # noqa: E402
from .amp import autocast  # noqa: E402
from .amp.autocast_mode import (is_autocast_enabled, get_autocast_dtype,  # noqa: E402
                                set_autocast_enabled, set_autocast_dtype)
from ._stand_ins import *  # noqa: F401,F403,E402

# Functions torch also exposes at its top level (some with other signatures there).
from ._top_level_nn import *  # noqa: E402,F401,F403
from .autograd.anomaly_mode import (is_anomaly_enabled, is_anomaly_check_nan_enabled,  # noqa: E402,F401
                                    set_anomaly_enabled)
