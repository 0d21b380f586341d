"""autocast: torch's mixed-precision context, which minitorch accepts but cannot honour.

On a CPU-only torch build, ``autocast('cuda')`` warns and disables itself, and
``autocast('cpu')`` runs matmuls and convolutions in bfloat16 (or float16). minitorch
has no bfloat16 and no per-op casting, so an enabled CPU autocast keeps every op in
its usual dtype and says so with a one-time warning instead of pretending.
"""
import functools
import warnings

from .. import _dtype
from .._device import device as _device

__all__ = ["autocast", "is_autocast_available", "is_autocast_enabled", "get_autocast_dtype",
           "set_autocast_enabled", "set_autocast_dtype", "custom_fwd", "custom_bwd"]

# Per device type: is autocast on, and which dtype it would lower to (None: bfloat16).
_enabled = {"cpu": False, "cuda": False}
_fast_dtype = {"cpu": None, "cuda": _dtype.float16}
_warned_no_lowering = [False]
_CPU_SUPPORTED = "torch.bfloat16, torch.float16"


def is_autocast_available(device_type):
    """True for 'cpu' and 'cuda', the device types torch's autocast knows about."""
    return device_type in _enabled


def is_autocast_enabled(device_type=None):
    """Whether an autocast region is active for ``device_type`` (default 'cuda', as torch)."""
    return _enabled[_check_type(device_type or "cuda")]


def set_autocast_enabled(device_type, enabled):
    """Turn autocast on or off for a device type (what entering autocast does)."""
    _enabled[_check_type(device_type)] = bool(enabled)


def get_autocast_dtype(device_type):
    """The dtype autocast lowers to; CPU's default, bfloat16, does not exist in minitorch."""
    dt = _fast_dtype[_check_type(device_type)]
    if dt is None:
        raise NotImplementedError("minitorch has no bfloat16, torch's default CPU autocast dtype "
                                  "(get_autocast_dtype('cpu'))")
    return dt


def set_autocast_dtype(device_type, dtype):
    """Set the dtype autocast would lower to for a device type."""
    _fast_dtype[_check_type(device_type)] = dtype


def _check_type(device_type):
    if device_type not in _enabled:
        _device(device_type)  # torch's RuntimeError for a misspelt device type
        raise NotImplementedError(f"minitorch autocast supports device_type 'cpu' and 'cuda', "
                                  f"got '{device_type}'")
    return device_type


class autocast:
    """Context manager and decorator for mixed precision, as torch.autocast.

    Differs from torch: an enabled CPU autocast does not lower precision (minitorch
    has no bfloat16 and no per-op casting); ops keep their dtypes and a warning says so.
    """

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None):
        if not isinstance(device_type, str):
            raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
        self.device = _check_type(device_type)
        self.fast_dtype = _fast_dtype[device_type] if dtype is None else dtype
        self._cache_enabled = True if cache_enabled is None else bool(cache_enabled)
        if enabled and device_type == "cuda":
            warnings.warn("CUDA is not available or torch_xla is imported. Disabling autocast.",
                          stacklevel=2)
            enabled = False
        elif enabled and self.fast_dtype not in (None, _dtype.float16):
            warnings.warn("In CPU autocast, but the target dtype is not supported. Disabling "
                          "autocast.\nCPU Autocast only supports dtypes of "
                          f"{_CPU_SUPPORTED} currently.", stacklevel=2)
            enabled = False
        self._enabled = bool(enabled)

    def __enter__(self):
        self.prev = _enabled[self.device]
        self.prev_fastdtype = _fast_dtype[self.device]
        if self._enabled and not _warned_no_lowering[0]:
            _warned_no_lowering[0] = True
            wanted = "torch.bfloat16" if self.fast_dtype is None else repr(self.fast_dtype)
            warnings.warn(f"minitorch's autocast does not lower precision: ops run in their "
                          f"usual dtypes, not {wanted} (this warning is shown once)",
                          UserWarning, stacklevel=2)
        _enabled[self.device] = self._enabled
        _fast_dtype[self.device] = self.fast_dtype
        return self

    def __exit__(self, *exc):
        _enabled[self.device] = self.prev
        _fast_dtype[self.device] = self.prev_fastdtype
        return False

    def __call__(self, func):
        if not callable(func):
            raise TypeError(
                f"autocast()(func) requires a callable, but got {type(func).__name__}. "
                f"Did you mean to use autocast as a context manager? For example:\n"
                f"    with torch.autocast(device_type=...):\n"
                f"        output = model(input)")

        @functools.wraps(func)
        def decorated(*args, **kwargs):
            with self:
                return func(*args, **kwargs)
        return decorated


def _cast(value, device_type, dtype):
    """Cast floating tensors (not float64) inside nested containers, as torch's custom_fwd."""
    from .._tensor import Tensor
    if isinstance(value, Tensor):
        eligible = value.is_floating_point() and value.dtype is not _dtype.float64
        return value.to(dtype) if eligible else value
    if isinstance(value, (str, bytes)):
        return value
    if isinstance(value, dict):
        return {_cast(k, device_type, dtype): _cast(v, device_type, dtype)
                for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast(v, device_type, dtype) for v in value)
    return value


def custom_fwd(fwd=None, *, device_type, cast_inputs=None):
    """Decorator for a custom Function's forward: records (and optionally casts for) autocast."""
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
    if fwd is None:
        return functools.partial(custom_fwd, device_type=device_type, cast_inputs=cast_inputs)

    @functools.wraps(fwd)
    def decorate_fwd(*args, **kwargs):
        ctx = args[0]
        ctx._dtype = _fast_dtype[_check_type(device_type)]
        running = is_autocast_enabled(device_type)
        if cast_inputs is None:
            ctx._fwd_used_autocast = running
            return fwd(*args, **kwargs)
        ctx._fwd_used_autocast = False
        if not running:
            return fwd(*args, **kwargs)
        with autocast(device_type=device_type, enabled=False):
            return fwd(*_cast(args, device_type, cast_inputs),
                       **_cast(kwargs, device_type, cast_inputs))
    return decorate_fwd


def custom_bwd(bwd=None, *, device_type):
    """Decorator for a custom Function's backward: runs it under forward's autocast state."""
    if not isinstance(device_type, str):
        raise ValueError(f"Expected `device_type` of type `str`, got: `{type(device_type)}`")
    if bwd is None:
        return functools.partial(custom_bwd, device_type=device_type)

    @functools.wraps(bwd)
    def decorate_bwd(*args, **kwargs):
        ctx = args[0]
        with autocast(device_type=device_type, enabled=ctx._fwd_used_autocast,
                      dtype=ctx._dtype):
            return bwd(*args, **kwargs)
    return decorate_bwd
