"""Top-level switches a CPU program touches: compile, default device, determinism, threads.

Each behaves as torch's CPU-only build does where minitorch can honestly do the
same, and says how it differs where it cannot (see each docstring).
"""
import functools
import os

from . import _openblas
from ._device import device as _device

__all__ = ["compile", "set_default_device", "get_default_device",
           "use_deterministic_algorithms", "are_deterministic_algorithms_enabled",
           "is_deterministic_algorithms_warn_only_enabled", "set_float32_matmul_precision",
           "get_float32_matmul_precision", "set_num_threads", "get_num_threads",
           "set_num_interop_threads", "get_num_interop_threads"]


def compile(model=None, *, fullgraph=False, dynamic=None, backend="inductor", mode=None,
            options=None, disable=False):
    """Returns ``model`` unchanged (or a decorator doing so): minitorch has no compiler.

    Differs from torch: torch wraps a Module in an OptimizedModule (whose state_dict
    keys start with ``_orig_mod.``); here the module itself comes back.
    """
    if mode is not None and options is not None:
        raise RuntimeError("Either mode or options can be specified, but both can't be "
                           "specified at the same time.")
    if model is None:
        return functools.partial(compile, fullgraph=fullgraph, dynamic=dynamic,
                                 backend=backend, mode=mode, options=options, disable=disable)
    if not callable(model):
        raise AssertionError(f"A callable function is expected, but {type(model)} is provided.")
    return model


# The device that factory functions would use; only the CPU can hold tensors.
_default_device = [None]


def set_default_device(device):
    """Set the default device; 'cpu' or None are accepted, others raise when first used.

    Differs from torch: torch accepts 'cuda' here and fails later, at the first
    tensor creation; minitorch raises that same AssertionError at once.
    """
    if device is None:
        _default_device[0] = None
        return
    dev = device if isinstance(device, _device) else _device(device)
    from ._device import check_device
    check_device(dev)
    _default_device[0] = dev


def get_default_device():
    """The default device: always the CPU."""
    return _default_device[0] or _device("cpu")


_deterministic = {"mode": False, "warn_only": False}


def use_deterministic_algorithms(mode, *, warn_only=False):
    """Record the determinism request; every minitorch (NumPy) kernel is deterministic already."""
    if not isinstance(mode, bool):
        raise TypeError("_set_deterministic_algorithms(): argument 'mode' (position 1) must be "
                        f"bool, not {type(mode).__name__}")
    if not isinstance(warn_only, bool):
        raise TypeError("_set_deterministic_algorithms(): argument 'warn_only' must be bool, not "
                        f"{type(warn_only).__name__}")
    _deterministic["mode"] = mode
    _deterministic["warn_only"] = warn_only


def are_deterministic_algorithms_enabled():
    """Whether use_deterministic_algorithms(True) is in force."""
    return _deterministic["mode"]


def is_deterministic_algorithms_warn_only_enabled():
    """Whether determinism was requested with warn_only=True."""
    return _deterministic["warn_only"]


_matmul_precision = ["highest"]


def set_float32_matmul_precision(precision):
    """'highest', 'high' or 'medium'; NumPy always multiplies float32 at full precision.

    Anything else warns and is ignored, as in torch.
    """
    if precision not in ("highest", "high", "medium"):
        import warnings
        warnings.warn(f"{precision} is not one of 'highest', 'high', or 'medium'; the current"
                      "setFloat32MatmulPrecision call has no effect.", stacklevel=2)
        return
    _matmul_precision[0] = precision


def get_float32_matmul_precision():
    """The precision last set ('highest' by default)."""
    return _matmul_precision[0]


# Intra-op parallelism lives in NumPy's BLAS; set_num_threads sets its thread count
# (as threadpoolctl does: through the OpenBLAS library NumPy loaded).
_threads = {"intra": os.cpu_count() or 1, "interop": os.cpu_count() or 1}


def _check_threads(name, n):
    if not isinstance(n, int) or isinstance(n, bool):
        raise RuntimeError(f"{name} expects an int, but got {type(n).__name__}")
    if n <= 0:
        raise RuntimeError(f"{name} expects a positive integer")


def set_num_threads(int):
    """Set the intra-op thread count: the threads NumPy's OpenBLAS uses for matmuls."""
    _check_threads("set_num_threads", int)
    _threads["intra"] = int
    _openblas.set_threads(int)


def get_num_threads():
    """The intra-op thread count last set (the CPU count by default)."""
    return _threads["intra"]


def set_num_interop_threads(int):
    """Record the inter-op thread count (minitorch runs ops one at a time)."""
    _check_threads("set_num_interop_threads", int)
    _threads["interop"] = int


def get_num_interop_threads():
    """The inter-op thread count last set (the CPU count by default)."""
    return _threads["interop"]
