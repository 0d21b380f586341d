"""detect_anomaly / set_detect_anomaly: find the forward op behind a NaN gradient.

While enabled, every recorded node keeps the stack of the forward call that
created it; when a node's backward returns NaN, the engine raises naming the
node and warns with that forward stack.
"""
import functools
import threading
import warnings

import numpy as np

__all__ = ["detect_anomaly", "set_detect_anomaly", "is_anomaly_enabled",
           "is_anomaly_check_nan_enabled", "set_anomaly_enabled"]


class _AnomalyState(threading.local):
    def __init__(self):
        self.enabled = False
        self.check_nan = True


_anomaly_state = _AnomalyState()


def is_anomaly_enabled():
    return _anomaly_state.enabled


def is_anomaly_check_nan_enabled():
    return _anomaly_state.check_nan


def set_anomaly_enabled(enabled, check_nan=True):
    """Switch anomaly detection on or off in this thread (torch.set_anomaly_enabled)."""
    _anomaly_state.enabled = bool(enabled)
    _anomaly_state.check_nan = bool(check_nan)


class detect_anomaly:
    """Context manager / decorator enabling anomaly detection for the autograd engine."""

    def __init__(self, check_nan=True):
        self.check_nan = check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime "
                      "and should only be enabled for debugging.", stacklevel=2)

    def __enter__(self):
        self.prev = (_anomaly_state.enabled, _anomaly_state.check_nan)
        _anomaly_state.enabled = True
        _anomaly_state.check_nan = self.check_nan

    def __exit__(self, *exc):
        _anomaly_state.enabled, _anomaly_state.check_nan = self.prev

    def __call__(self, func):
        """Also usable as a decorator (an extension: torch's detect_anomaly is not callable)."""
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.__class__(self.check_nan):
                return func(*args, **kwargs)
        return wrapper


class set_detect_anomaly:
    """Turn anomaly detection on or off; as a context manager, restores it on exit."""

    def __init__(self, mode, check_nan=True):
        self.prev = (_anomaly_state.enabled, _anomaly_state.check_nan)
        _anomaly_state.enabled = bool(mode)
        _anomaly_state.check_nan = check_nan

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _anomaly_state.enabled, _anomaly_state.check_nan = self.prev


def _warn_forward_trace(node):
    if node._anomaly_trace:
        warnings.warn(f"Error detected in {node.name()}. Traceback of forward call that "
                      f"caused the error:\n{node._anomaly_trace}", stacklevel=3)


def apply_node(node, grads, create_graph):
    """Run ``node``; if its backward fails, first warn with the stack of its forward call."""
    try:
        return node.apply(grads, create_graph)
    except Exception:
        _warn_forward_trace(node)
        raise


def check_gradients(node, input_grads):
    """Raise if ``node`` produced NaN, after warning with the forward call's stack."""
    if not _anomaly_state.check_nan:
        return
    for i, g in enumerate(input_grads):
        if g is None:
            continue
        data = getattr(g, "_data", g)
        if np.isnan(np.asarray(data)).any():
            _warn_forward_trace(node)
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")
