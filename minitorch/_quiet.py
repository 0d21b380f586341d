"""Run NumPy code without floating-point warnings, as torch computes inf/nan silently.

``np.errstate(all="ignore")`` used as a decorator does the right thing (the error
state lives in a context variable, so it is per thread and re-entrant) but builds
its error-state object again on every call, which costs more than a ufunc on a
small array. :func:`quiet` sets the same context variable to an object built once.
That variable is NumPy's (private) ``_extobj_contextvar``; should a NumPy release
move it, ``quiet`` falls back to the ``np.errstate`` decorator.

A global ``np.seterr`` would be cheaper still, but it would change the user's own
NumPy code too; and a warnings filter is reset by ``warnings.catch_warnings``.
"""
import functools

import numpy as np

__all__ = ["quiet"]

try:
    from numpy._core._ufunc_config import _extobj_contextvar
    with np.errstate(all="ignore"):
        _IGNORE_ALL = _extobj_contextvar.get()
except (ImportError, AttributeError):  # pragma: no cover - other NumPy layouts
    _extobj_contextvar = None


def quiet(fn):
    """``fn`` with every NumPy floating-point error ignored while it runs."""
    if _extobj_contextvar is None:  # pragma: no cover
        return np.errstate(all="ignore")(fn)
    enter, leave = _extobj_contextvar.set, _extobj_contextvar.reset

    @functools.wraps(fn)
    def quiet_fn(*args, **kwargs):
        token = enter(_IGNORE_ALL)
        try:
            return fn(*args, **kwargs)
        finally:
            leave(token)
    return quiet_fn
