"""Gradient clipping: by total norm or by value, in place on ``.grad``."""
import warnings

import numpy as np

from ..._tensor import Tensor
from ...autograd import grad_mode

__all__ = ["clip_grad_norm_", "clip_grad_norm", "clip_grad_value_", "get_total_norm",
           "clip_grads_with_norm_"]


def _as_list(tensors):
    if isinstance(tensors, Tensor):
        return [tensors]
    return list(tensors)


def _vector_norm(array, norm_type):
    """The p-norm of all entries of ``array`` (inf, -inf, 0 and fractional p as torch).

    Callers silence NumPy's overflow warnings (np.errstate) around it: it runs once per
    parameter, and entering errstate each time would cost more than the sum itself."""
    if norm_type == 2.0 and array.dtype.kind == "f":
        # the common case: for real numbers |a|^2 == a*a exactly, so skipping abs()
        # saves a pass and gives the same bits
        return np.asarray(np.square(array.reshape(-1)).sum() ** 0.5, dtype=array.dtype)
    a = np.abs(array.reshape(-1))
    if norm_type == float("inf"):
        return a.max() if a.size else np.zeros((), a.dtype)
    if norm_type == float("-inf"):
        return a.min() if a.size else np.full((), np.inf, a.dtype)
    if norm_type == 0:
        return np.asarray((a != 0).sum(), dtype=a.dtype)
    return np.asarray(np.sum(a ** norm_type) ** (1.0 / norm_type), dtype=a.dtype)


def get_total_norm(tensors, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """The norm of the norms of ``tensors`` (as if all were concatenated into one vector)."""
    tensors = _as_list(tensors)
    norm_type = float(norm_type)
    if len(tensors) == 0:
        return Tensor._make(np.asarray(0.0, dtype=np.float32))
    with np.errstate(all="ignore"):
        norms = [_vector_norm(t._data, norm_type) for t in tensors]
        dtype = np.result_type(*[n.dtype for n in norms])
        total = _vector_norm(np.stack([n.astype(dtype) for n in norms]), norm_type)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(f"The total norm of order {norm_type} for gradients from `parameters` "
                           "is non-finite, so it cannot be clipped. To disable this error and "
                           "scale the gradients by the non-finite norm anyway, set "
                           "`error_if_nonfinite=False`")
    return Tensor._make(np.asarray(total, dtype=dtype))


def clip_grads_with_norm_(parameters, max_norm, total_norm, foreach=None):
    """Scale every ``.grad`` by min(1, max_norm / (total_norm + 1e-6)) in place."""
    grads = [p.grad for p in _as_list(parameters) if p.grad is not None]
    if not grads:
        return
    # computed in total_norm's dtype, as torch does
    norm = total_norm._data if isinstance(total_norm, Tensor) else np.asarray(total_norm)
    with np.errstate(all="ignore"):
        coef = np.asarray(max_norm, dtype=norm.dtype) / (norm + norm.dtype.type(1e-6))
    clamped = np.minimum(coef, norm.dtype.type(1.0))
    with grad_mode.no_grad():
        for g in grads:
            scale = clamped.astype(g._data.dtype)
            a = g._data
            if a.dtype.kind == "f" and a.flags.writeable and 0 not in a.strides:
                # what g.mul_() does for a plain gradient, without its per-call overhead
                np.multiply(a, scale, out=a)
                g._version_cell[0] += 1
            else:
                g.mul_(Tensor._make(scale))


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False,
                    foreach=None):
    """Rescale the gradients so their total norm is at most max_norm; returns that norm
    (measured before clipping). ``foreach`` is accepted and has no effect."""
    parameters = _as_list(parameters)
    grads = [p.grad for p in parameters if p.grad is not None]
    total_norm = get_total_norm(grads, norm_type, error_if_nonfinite, foreach)
    clip_grads_with_norm_(parameters, max_norm, total_norm, foreach)
    return total_norm


def clip_grad_norm(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Deprecated alias of :func:`clip_grad_norm_`."""
    warnings.warn("`torch.nn.utils.clip_grad_norm` is now deprecated in favor of "
                  "`torch.nn.utils.clip_grad_norm_`.", FutureWarning, stacklevel=2)
    return clip_grad_norm_(parameters, max_norm, norm_type, error_if_nonfinite, foreach)


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every ``.grad`` to [-clip_value, clip_value] in place."""
    clip_value = float(clip_value)
    with grad_mode.no_grad():
        for p in _as_list(parameters):
            if p.grad is not None:
                p.grad.clamp_(-clip_value, clip_value)
