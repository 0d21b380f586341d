"""torch.backends.cudnn: cuDNN's switches; settable, though there is no cuDNN to steer.

A module whose attributes ``enabled``, ``benchmark``, ``deterministic`` and
``allow_tf32`` are read and assigned like torch's (assigning a non-bool raises
RuntimeError, as in torch).
"""
import contextlib
import sys
import types

__all__ = ["is_available", "version", "flags", "is_acceptable", "enabled", "benchmark",
           "deterministic", "allow_tf32", "benchmark_limit"]

# torch's defaults on every build.
_FLAGS = {"enabled": True, "benchmark": False, "deterministic": False, "allow_tf32": True}
_SETTER_NAMES = {"enabled": "set_enabled_cudnn", "benchmark": "set_benchmark_cudnn",
                 "deterministic": "set_deterministic_cudnn", "allow_tf32": "set_allow_tf32_cudnn"}


def is_available():
    """False: there is no cuDNN."""
    return False


def version():
    """None: cuDNN is not present (torch's CPU-only answer)."""
    return None


def is_acceptable(tensor):
    """False: no tensor can use cuDNN."""
    return False


def _set_flag(name, value):
    if not isinstance(value, bool):
        raise RuntimeError(f"{_SETTER_NAMES[name]} expects a bool, but got "
                           f"{type(value).__name__}")
    _FLAGS[name] = value


def set_flags(_enabled=None, _benchmark=None, _benchmark_limit=None, _deterministic=None,
              _allow_tf32=None):
    """Set the given flags; returns the previous values (torch's tuple order)."""
    old = (_FLAGS["enabled"], _FLAGS["benchmark"], _module.benchmark_limit,
           _FLAGS["deterministic"], _FLAGS["allow_tf32"])
    for name, value in (("enabled", _enabled), ("benchmark", _benchmark),
                        ("deterministic", _deterministic), ("allow_tf32", _allow_tf32)):
        if value is not None:
            _set_flag(name, value)
    if _benchmark_limit is not None:
        _module.benchmark_limit = _benchmark_limit
    return old


@contextlib.contextmanager
def flags(enabled=False, benchmark=False, benchmark_limit=10, deterministic=False,
          allow_tf32=True):
    """Set the flags inside a ``with`` block and restore them afterwards."""
    old = set_flags(enabled, benchmark, benchmark_limit, deterministic, allow_tf32)
    try:
        yield
    finally:
        set_flags(*old)


class _CudnnModule(types.ModuleType):
    """This module, with the four flags as validated properties."""

    def _prop(name):
        return property(lambda self: _FLAGS[name], lambda self, value: _set_flag(name, value))

    enabled = _prop("enabled")
    benchmark = _prop("benchmark")
    deterministic = _prop("deterministic")
    allow_tf32 = _prop("allow_tf32")
    del _prop


benchmark_limit = 10
_module = sys.modules[__name__]
_module.__class__ = _CudnnModule
