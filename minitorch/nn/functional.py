"""torch.nn.functional: the stateless form of every layer.

The implementations live in ``nn/_functional/`` grouped by kind; this module
gathers them under torch's names.
"""
from ._functional.activation import *  # noqa: F401,F403
from ._functional.linear import *  # noqa: F401,F403
from ._functional.loss import *  # noqa: F401,F403
from ._functional.dropout import *  # noqa: F401,F403
from ._functional.embedding import *  # noqa: F401,F403
from ._functional.distance import *  # noqa: F401,F403
from ._functional.conv import *  # noqa: F401,F403
from ._functional.pooling import *  # noqa: F401,F403
from ._functional.padding import *  # noqa: F401,F403
from ._functional.vision import *  # noqa: F401,F403
from ._functional.normalization import *  # noqa: F401,F403
from ._functional.attention import *  # noqa: F401,F403
