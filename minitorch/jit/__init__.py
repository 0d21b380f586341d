"""torch.jit: TorchScript, which minitorch does not have.

The module imports, and its annotations (``ignore``, ``unused``, ``export``, ...) pass
through, so code that merely mentions TorchScript runs. Its real work (``script``,
``trace``, saving and loading archives) needs a compiler and raises a clear
NotImplementedError; ``minitorch.compile`` is the honest pass-through to use instead.
"""
import warnings

__all__ = ["script", "trace", "trace_module", "save", "load", "ignore", "unused", "export",
           "is_scripting", "is_tracing", "freeze", "optimize_for_inference", "fork", "wait",
           "annotate", "ScriptModule", "ScriptFunction", "Final"]


def script(obj, optimize=None, _frames_up=0, _rcb=None, example_inputs=None):
    """Raises NotImplementedError: minitorch cannot compile to TorchScript.

    (torch 2.13 itself deprecates ``jit.script`` in favour of ``torch.compile``, which
    minitorch accepts and which returns the model unchanged.)
    """
    warnings.warn("`torch.jit.script` is deprecated. Please switch to `torch.compile` or "
                  "`torch.export`.", DeprecationWarning, stacklevel=2)
    raise NotImplementedError("minitorch has no TorchScript: torch.jit.script is not supported; "
                              "use minitorch.compile(model), which returns the model unchanged")


def _no_torchscript(what):
    raise NotImplementedError(f"minitorch has no TorchScript: torch.jit.{what} is not supported")


def trace(func, example_inputs=None, *args, **kwargs):
    """Raises NotImplementedError: minitorch cannot record a TorchScript graph."""
    _no_torchscript("trace")


def trace_module(mod, inputs, *args, **kwargs):
    """Raises NotImplementedError: minitorch cannot record a TorchScript graph."""
    _no_torchscript("trace_module")


def save(m, f, _extra_files=None):
    """Raises NotImplementedError (use minitorch.save for state dicts and modules)."""
    _no_torchscript("save")


def load(f, map_location=None, _extra_files=None, _restore_shapes=False):
    """Raises NotImplementedError: TorchScript archives cannot be run here."""
    _no_torchscript("load")


def freeze(mod, preserved_attrs=None, optimize_numerics=True):
    """Raises NotImplementedError: freezing works on ScriptModules only."""
    _no_torchscript("freeze")


def optimize_for_inference(mod, other_methods=None):
    """Raises NotImplementedError: works on ScriptModules only."""
    _no_torchscript("optimize_for_inference")


def ignore(drop=False, **kwargs):
    """Decorator telling the scripter to leave a function as Python; a pass-through here."""
    if callable(drop):
        return drop
    return lambda fn: fn


def unused(fn):
    """Decorator marking a method unused by the scripter; a pass-through here."""
    return fn


def export(fn):
    """Decorator marking a method as a TorchScript entry point; a pass-through here."""
    return fn


def is_scripting():
    """False: code never runs under the TorchScript compiler."""
    return False


def is_tracing():
    """False: code never runs under the tracer."""
    return False


def annotate(the_type, the_value):
    """Returns ``the_value`` (a type hint for the scripter), as torch does in Python."""
    return the_value


class _Future:
    """The result of fork(): already computed, since minitorch runs it at once."""

    def __init__(self, value):
        self._value = value

    def wait(self):
        return self._value


def fork(func, *args, **kwargs):
    """Runs ``func`` now and wraps its result (torch's eager fallback does the same)."""
    return _Future(func(*args, **kwargs))


def wait(future):
    """The value of a fork()."""
    return future.wait()


class ScriptModule:
    """Exists for isinstance checks; nothing in minitorch is a ScriptModule."""

    def __init__(self, *args, **kwargs):
        _no_torchscript("ScriptModule")


class ScriptFunction:
    """Exists for isinstance checks; nothing in minitorch is a ScriptFunction."""

    def __init__(self, *args, **kwargs):
        _no_torchscript("ScriptFunction")


try:
    from typing import Final  # noqa: F401  (torch.jit re-exports typing's Final)
except ImportError:  # pragma: no cover
    Final = None
