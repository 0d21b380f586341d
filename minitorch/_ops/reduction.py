"""Reductions: sum and mean (the core pair); more reductions and scans join them here."""
import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd._primitive import defprim
from ._registry import normalize_dims, tensor_method

__all__ = ["sum", "mean"]


def keepdim_shape(shape, dims):
    """``shape`` with each reduced dim set to 1 (where a keepdim=False grad re-expands)."""
    return tuple(1 if i in dims else n for i, n in enumerate(shape))


def expand_reduced_grad(F, g, input_shape, dims, keepdim):
    """Broadcast the gradient of a reduction back over the reduced dims."""
    if not keepdim:
        g = F.reshape(g, keepdim_shape(input_shape, dims))
    return F.broadcast_to(g, input_shape)


def _sum_forward(x, dims=None, keepdim=False, dtype=None):
    return np.sum(x, axis=dims, keepdims=keepdim, dtype=dtype)


def _sum_grad(F, g, out, x, dims=None, keepdim=False, dtype=None):
    return expand_reduced_grad(F, g, x.shape, dims if dims is not None else
                               tuple(range(x.ndim)), keepdim)


_sum_all = defprim("sum", "SumBackward0", _sum_forward, grads=(_sum_grad,), saves=())
_sum_dim = defprim("sum_dim", "SumBackward1", _sum_forward, grads=(_sum_grad,), saves=())


def _accumulate_dtype(input, dtype):
    """torch sums bool/integer tensors in int64 unless a dtype is given."""
    if dtype is not None:
        return dtype._np
    if input._data.dtype.kind in "biu":
        return np.dtype(np.int64)
    return None


def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Sum over all elements, or over ``dim`` (int or tuple) with optional keepdim."""
    if out is not None:
        raise NotImplementedError("minitorch does not support the 'out' argument of sum")
    np_dtype = _accumulate_dtype(input, dtype)
    if dim is None:
        return _sum_all(input, dtype=np_dtype) if np_dtype is not None else _sum_all(input)
    dims = normalize_dims(dim, input.ndim)
    if input.ndim == 0:
        dims = ()
    return _sum_dim(input, dims=dims, keepdim=bool(keepdim), dtype=np_dtype)


tensor_method(sum)


def _mean_forward(x, dims=None, keepdim=False, dtype=None):
    with np.errstate(all="ignore"):
        return np.mean(x, axis=dims, keepdims=keepdim, dtype=dtype).astype(
            dtype or x.dtype, copy=False)


def _mean_grad(F, g, out, x, dims=None, keepdim=False, dtype=None):
    axes = dims if dims is not None else tuple(range(x.ndim))
    count = 1
    for d in axes:
        count *= x.shape[d]
    return expand_reduced_grad(F, g, x.shape, axes, keepdim) / count


_mean_all = defprim("mean", "MeanBackward0", _mean_forward, grads=(_mean_grad,), saves=())
_mean_dim = defprim("mean_dim", "MeanBackward1", _mean_forward, grads=(_mean_grad,), saves=())


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Arithmetic mean; floating or complex inputs only (or give ``dtype``), as torch."""
    if out is not None:
        raise NotImplementedError("minitorch does not support the 'out' argument of mean")
    result_dtype = dtype or input.dtype
    if not (result_dtype.is_floating_point or result_dtype.is_complex):
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_title(result_dtype)}")
    np_dtype = dtype._np if dtype is not None else None
    if dim is None:
        return _mean_all(input, dtype=np_dtype) if np_dtype is not None else _mean_all(input)
    dims = normalize_dims(dim, input.ndim) if input.ndim else ()
    return _mean_dim(input, dims=dims, keepdim=bool(keepdim), dtype=np_dtype)


tensor_method(mean)


def _title(d):
    from .._tensor import _TYPE_TITLES
    return _TYPE_TITLES[d]
