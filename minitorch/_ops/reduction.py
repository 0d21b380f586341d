"""Reductions and scans: sum, mean, prod, max/min family, var/std, norms, logical reductions,
cumulative ops, medians and quantiles, each with its backward rule.

Ops that *select* elements (max with dim, median, sort, ...) send the gradient
back to the selected positions with :func:`select_backward`; ops that reduce to
a value shared by ties (amax, max without dim) split it evenly, as torch does.
"""
import builtins
import math
import warnings

import numpy as np

from .. import _dtype, return_types
from .._quiet import quiet
from .._tensor import Tensor
from ..autograd._primitive import defprim, numpy_namespace, numpy_rule_op
from ..autograd.grad_mode import is_grad_enabled
from ._registry import normalize_dims, tensor_method, wrap_dim

__all__ = ["sum", "mean", "prod", "max", "min", "amax", "amin", "aminmax", "argmax", "argmin",
           "var", "std", "var_mean", "std_mean", "logsumexp", "norm", "all", "any",
           "count_nonzero", "cumsum", "cumprod", "cummax", "cummin", "logcumsumexp", "median",
           "nanmedian", "mode", "nansum", "nanmean", "quantile", "nanquantile"]


# ------------------------------------------------------------------ helpers
def keepdim_shape(shape, dims):
    """``shape`` with each reduced dim set to 1 (where a keepdim=False grad re-expands)."""
    return tuple(1 if i in dims else n for i, n in enumerate(shape))


def expand_reduced_grad(F, g, input_shape, dims, keepdim):
    """Broadcast the gradient of a reduction back over the reduced dims."""
    if not keepdim:
        g = F.reshape(g, keepdim_shape(input_shape, dims))
    return F.broadcast_to(g, input_shape)


def restore_reduced_dims(F, t, input_shape, dims, keepdim):
    """A reduced result reshaped so that it broadcasts against the input again."""
    return t if keepdim else F.reshape(t, keepdim_shape(input_shape, dims))


def _numpy_mode(F):
    return F is numpy_namespace


def _array(t):
    """The ndarray behind a Tensor (indices reach rules as Tensors under create_graph)."""
    return t._data if isinstance(t, Tensor) else np.asarray(t)


def _title(d):
    from .._tensor import _TYPE_TITLES
    return _TYPE_TITLES[d]


def _no_out(out, name):
    if out is not None:
        raise NotImplementedError(f"minitorch does not support the 'out' argument of {name}")


def _dim_size(shape, dims):
    return int(np.prod([shape[d] for d in dims], dtype=np.int64))


def _check_nonempty_dims(name, input, dims):
    """torch refuses to reduce over an empty dim when the result has no identity."""
    if input.ndim == 0:
        return
    if dims is None:
        if input.numel() == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for "
                               "input.numel() == 0. Specify the reduction dim with the 'dim' "
                               "argument.")
        return
    for d in dims:
        if input.shape[d] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")


def _no_complex(name, input, kernel=None):
    """Refuse complex input: torch raises NotImplementedError from a kernel, else RuntimeError."""
    if not input.dtype.is_complex:
        return
    if kernel is not None:
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_title(input.dtype)}\'')
    raise RuntimeError(f"{name}(): does not support complex input")


def _float_dtype_of(input):
    """The floating dtype an op computes in: integers and bool go to the default dtype."""
    return input.dtype if (input.dtype.is_floating_point or input.dtype.is_complex) \
        else _dtype.get_default_dtype()


def _cast(input, dtype):
    from .pointwise import _to_dtype
    return input if input.dtype is dtype else _to_dtype(input, dtype)


def _int_dim(dim, name):
    if not isinstance(dim, (int, np.integer)) or isinstance(dim, bool):
        raise TypeError(f"{name}(): argument 'dim' must be int, not {type(dim).__name__}")
    return dim


def _on_1d(fn):
    """Run a forward on a 0-d array as if it were 1-d (torch allows dim 0/-1 on scalars)."""
    def forward(x, *args, **kwargs):
        if x.ndim:
            return fn(x, *args, **kwargs)
        result = fn(x.reshape(1), *args, **kwargs)
        if isinstance(result, tuple):
            return tuple(r.reshape(()) for r in result)
        return result.reshape(())
    forward.__name__ = fn.__name__
    return forward


# ------------------------------------------------------- gather and scatter
# Private, differentiable gather/scatter along one dim: backward rules of
# selecting ops use them, so their gradients can themselves be differentiated.
def _np_scatter_add(src, index, dim, shape):
    out = np.zeros(shape, dtype=src.dtype)
    where = list(np.indices(index.shape, sparse=True))
    where[dim] = index
    np.add.at(out, tuple(where), np.broadcast_to(src, index.shape))
    return out


_gather_prim = defprim(
    "reduction_gather", "GatherBackward0",
    lambda x, index, dim: np.take_along_axis(x, index, dim),
    grads=(lambda F, g, out, x, index, dim: scatter_add_along(F, g, index, dim, x.shape),),
    saves=())
_scatter_prim = defprim(
    "reduction_scatter_add", "ScatterAddBackward0", _np_scatter_add,
    grads=(lambda F, g, out, src, index, dim, shape: gather_along(F, g, index, dim),),
    saves=())


def gather_along(F, x, index, dim):
    """``x`` picked at ``index`` along ``dim`` (take_along_dim) in either rule namespace."""
    index = _array(index)
    if _numpy_mode(F):
        return np.take_along_axis(x, index, dim)
    return _gather_prim(x, index=index, dim=dim)


def scatter_add_along(F, src, index, dim, shape):
    """Zeros of ``shape`` with ``src`` added at ``index`` along ``dim``."""
    index = _array(index)
    if _numpy_mode(F):
        return _np_scatter_add(np.asarray(src), index, dim, shape)
    return _scatter_prim(src, index=index, dim=dim, shape=tuple(shape))


def select_backward(F, g, index, shape, dim, keepdim):
    """Gradient of an op that picked input elements at ``index`` (keepdim layout) along ``dim``."""
    if len(shape) == 0:
        return F.reshape(g, ())
    if not keepdim:
        g = F.unsqueeze(g, dim)
    return scatter_add_along(F, g, index, dim, shape)


def _select_forward(x, index, dim, keepdim):
    if x.ndim == 0:
        return x.copy()
    values = np.take_along_axis(x, index, dim)
    return values if keepdim else values.squeeze(dim)


def _select_rule(F, g, out, x, index, dim, keepdim):
    return select_backward(F, g, index, x.shape, dim, keepdim)


def selecting_prim(name, node_name):
    """The primitive for the values of an op that picks input elements (max with dim, sort...).

    The caller finds the indices (keepdim layout) and passes them as a parameter; the
    forward gathers, the backward scatters the gradient back. Only the indices are
    kept for backward, as in torch, so the results may be modified in place.
    """
    return defprim(name, node_name, _select_forward, grads=(_select_rule,), saves=())


def values_and_indices(prim, input, find_index, dim, keepdim, result_type, **options):
    """Run ``find_index`` (NumPy, keepdim layout) and ``prim``; return the named pair."""
    x = input._data
    index = find_index(x if x.ndim else x.reshape(1), dim, **options).astype(np.int64)
    values = prim(input, index=index, dim=dim, keepdim=keepdim)
    if x.ndim == 0:
        index = index.reshape(())
    elif not keepdim:
        index = index.squeeze(dim)
    return result_type(values, Tensor._make(np.array(index, order="C")))


def flip_along(F, x, dim):
    """``x`` reversed along ``dim`` (through the differentiable gather)."""
    n = x.shape[dim]
    index = np.arange(n - 1, -1, -1).reshape([-1 if i == dim else 1 for i in range(x.ndim)])
    return gather_along(F, x, np.ascontiguousarray(np.broadcast_to(index, x.shape)), dim)


def _evenly_distribute(F, g, out, x):
    """Gradient of a full reduction to one element (max, min, median): split among ties."""
    if bool(out != out):
        mask = x != x
    else:
        mask = x == out
    return mask * (g / F.sum(mask))


def _scale_grad_by_count(F, g, out, x, dims, keepdim):
    """Gradient of amax/amin: split evenly among the elements equal to the result."""
    g = restore_reduced_dims(F, g, x.shape, dims, keepdim)
    mask = x == restore_reduced_dims(F, out, x.shape, dims, keepdim)
    return (g / F.sum(mask, dims, True)) * mask


# ------------------------------------------------------------------ sum, mean
# inf + -inf is nan in torch, without NumPy's RuntimeWarning (sums run on every forward:
# see minitorch._quiet for why not np.errstate).
_quiet_add_reduce = quiet(np.add.reduce)


def _sum_forward(x, dims=None, keepdim=False, dtype=None):
    if x.dtype.kind in "fc":
        # positional (array, axis, dtype, out, keepdims): no keyword dict per call
        return _quiet_add_reduce(x, dims, dtype, None, keepdim)
    return np.add.reduce(x, axis=dims, keepdims=keepdim, dtype=dtype)


def _sum_grad(F, g, out, x, dims=None, keepdim=False, dtype=None):
    if dims is None:
        return F.broadcast_to(g, x.shape)  # g is 0-d: it broadcasts as it is
    return expand_reduced_grad(F, g, x.shape, dims, keepdim)


_sum_all = defprim("sum", "SumBackward0", _sum_forward, grads=(_sum_grad,), saves=())
_sum_dim = defprim("sum_dim", "SumBackward1", _sum_forward, grads=(_sum_grad,), saves=())


def _accumulate_dtype(input, dtype):
    """torch sums bool/integer tensors in int64 unless a dtype is given."""
    if dtype is not None:
        if (not (dtype.is_floating_point or dtype.is_complex) and input.requires_grad
                and is_grad_enabled()):
            # An integer result cannot carry a gradient; torch refuses rather than detach.
            raise RuntimeError(f"Autograd not support dtype: {_title(dtype)}")
        return dtype._np
    if input._data.dtype.kind in "biu":
        return np.dtype(np.int64)
    return None


def sum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Sum over all elements, or over ``dim`` (int or tuple) with optional keepdim."""
    if out is not None:
        _no_out(out, "sum")
    if dtype is None and input._data.dtype.kind in "fc":
        np_dtype = None  # a float sum keeps its dtype (the usual case, checked first)
    else:
        np_dtype = _accumulate_dtype(input, dtype)
    if dim is None:
        return _sum_all(input, dtype=np_dtype) if np_dtype is not None else _sum_all(input)
    dims = normalize_dims(dim, input.ndim)
    if input.ndim == 0:
        dims = ()
    return _sum_dim(input, dims=dims, keepdim=bool(keepdim), dtype=np_dtype)


tensor_method(sum)


@quiet
def _mean_forward(x, dims=None, keepdim=False, dtype=None):
    if dtype is not None or x.dtype == np.float16:
        # np.mean accumulates float16 in float32, as torch does for half
        return np.mean(x, axis=dims, keepdims=keepdim, dtype=dtype).astype(
            dtype or x.dtype, copy=False)
    # The same pairwise sum and division np.mean does, without its Python wrapper.
    count = x.size if dims is None else math.prod(x.shape[d] for d in dims)
    return np.add.reduce(x, axis=dims, keepdims=keepdim) / count


def _mean_grad(F, g, out, x, dims=None, keepdim=False, dtype=None):
    if dims is None:
        # g is 0-d: it broadcasts as it is
        return F.broadcast_to(g, x.shape) / math.prod(x.shape)
    count = math.prod(x.shape[d] for d in dims)
    return expand_reduced_grad(F, g, x.shape, dims, keepdim) / count


_mean_all = defprim("mean", "MeanBackward0", _mean_forward, grads=(_mean_grad,), saves=())
_mean_dim = defprim("mean_dim", "MeanBackward1", _mean_forward, grads=(_mean_grad,), saves=())


def mean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Arithmetic mean; floating or complex inputs only (or give ``dtype``), as torch."""
    if out is not None:
        _no_out(out, "mean")
    # A floating input without a dtype argument (the common case) needs no check.
    if dtype is not None or input._data.dtype.kind not in "fc":
        _check_mean_dtype(dtype or input.dtype)
    np_dtype = dtype._np if dtype is not None else None
    if dim is None:
        return _mean_all(input, dtype=np_dtype) if np_dtype is not None else _mean_all(input)
    dims = normalize_dims(dim, input.ndim) if input.ndim else ()
    return _mean_dim(input, dims=dims, keepdim=bool(keepdim), dtype=np_dtype)


def _check_mean_dtype(result_dtype):
    if not (result_dtype.is_floating_point or result_dtype.is_complex):
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {_title(result_dtype)}")


tensor_method(mean)


def _nansum_forward(x, dims=None, keepdim=False, dtype=None):
    return np.nansum(x, axis=dims, keepdims=keepdim, dtype=dtype)


def _nansum_grad(F, g, out, x, dims=None, keepdim=False, dtype=None):
    axes = dims if dims is not None else tuple(range(x.ndim))
    return F.where(x != x, 0.0, expand_reduced_grad(F, g, x.shape, axes, keepdim))


_nansum = defprim("nansum", "NansumBackward0", _nansum_forward, grads=(_nansum_grad,))


def nansum(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Sum treating NaN as zero."""
    _no_out(out, "nansum")
    if input.dtype.is_complex:
        raise RuntimeError("nansum does not support complex inputs")
    np_dtype = _accumulate_dtype(input, dtype)
    dims = None if dim is None else (normalize_dims(dim, input.ndim) if input.ndim else ())
    return _nansum(input, dims=dims, keepdim=bool(keepdim), dtype=np_dtype)


tensor_method(nansum)


def nanmean(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Mean over the non-NaN elements (nansum / count, as torch composes it)."""
    _no_out(out, "nanmean")
    result_dtype = dtype or input.dtype
    if not result_dtype.is_floating_point:
        raise RuntimeError("nanmean(): expected input to have floating point dtype but got "
                           f"{_title(result_dtype)}")
    if dtype is not None:
        input = _cast(input, dtype)
    dims = None if dim is None else (normalize_dims(dim, input.ndim) if input.ndim else ())
    count = np.sum(~np.isnan(input._data), axis=dims, keepdims=bool(keepdim))
    from .pointwise import div
    return div(nansum(input, dim, keepdim), Tensor._make(np.asarray(count)))


tensor_method(nanmean)


# ----------------------------------------------------------------------- prod
def _prod_forward(x, dims=None, keepdim=False, dtype=None):
    return np.prod(x, axis=dims, keepdims=keepdim, dtype=dtype)


def _exclusive_cumprod_np(x, dim):
    """prod of the elements strictly before each position along ``dim`` (NumPy)."""
    shifted = np.ones_like(x)
    body = [slice(None)] * x.ndim
    head = list(body)
    body[dim] = slice(1, None)
    head[dim] = slice(None, -1)
    shifted[tuple(body)] = x[tuple(head)]
    return np.cumprod(shifted, axis=dim)


def _product_of_others(F, x, dim):
    """For each position, the product of all other elements along ``dim`` (zeros exact)."""
    if _numpy_mode(F):
        left = _exclusive_cumprod_np(x, dim)
        right = np.flip(_exclusive_cumprod_np(np.flip(x, dim), dim), dim)
        return left * right
    # Tensor mode: an n x n table with the diagonal replaced by 1, multiplied along
    # its last dim. Quadratic, but only used when differentiating twice.
    xt = F.unsqueeze(F.transpose(x, dim, -1), -2)  # (..., 1, n)
    n = x.shape[dim]
    eye = Tensor._make(np.eye(n, dtype=bool))
    others = F.prod(F.where(eye, 1.0, xt), -1)  # (..., n)
    return F.transpose(others, dim, -1)


def _prod_grad(F, g, out, x, dims=None, keepdim=False, dtype=None):
    if x.ndim == 0:
        return g
    if dims is None:
        flat = F.reshape(x, (-1,))
        return F.reshape(_product_of_others(F, flat, 0), x.shape) * g
    g = restore_reduced_dims(F, g, x.shape, dims, keepdim)
    return _product_of_others(F, x, dims[0]) * g


_prod_all = defprim("prod", "ProdBackward0", _prod_forward, grads=(_prod_grad,))
_prod_dim = defprim("prod_dim", "ProdBackward1", _prod_forward, grads=(_prod_grad,))


def prod(input, dim=None, keepdim=False, *, dtype=None, out=None):
    """Product of all elements, or along one ``dim``."""
    _no_out(out, "prod")
    np_dtype = _accumulate_dtype(input, dtype)
    if dtype is not None:
        input = _cast(input, dtype)
    if dim is None:
        if keepdim:
            raise TypeError("prod(): keepdim needs an int 'dim'")
        return _prod_all(input, dtype=np_dtype) if np_dtype is not None else _prod_all(input)
    dim = _int_dim(dim, "prod")
    dims = (wrap_dim(dim, input.ndim),) if input.ndim else ()
    return _prod_dim(input, dims=dims, keepdim=bool(keepdim), dtype=np_dtype)


tensor_method(prod)
numpy_rule_op("prod")(lambda x, dim=None, keepdim=False: np.prod(x, axis=dim, keepdims=keepdim))


# ------------------------------------------------------------ max, min family
def _extreme_index(x, dim, largest):
    # np.argmax/argmin return the first NaN if any, else the first extreme: torch's choice.
    return (np.argmax if largest else np.argmin)(x, axis=dim, keepdims=True)


_max_dim = selecting_prim("max_dim", "MaxBackward0")
_min_dim = selecting_prim("min_dim", "MinBackward0")


def _evenly_grad(F, g, out, x, **params):
    return _evenly_distribute(F, g, out, x)


_max_all = defprim("max", "MaxBackward1", np.max, grads=(_evenly_grad,), save_output=True)
_min_all = defprim("min", "MinBackward1", np.min, grads=(_evenly_grad,), save_output=True)


def _max_or_min(name, input, dim, keepdim, other, largest):
    if isinstance(dim, Tensor) and other is None:
        dim, other = None, dim  # max(a, b): the binary form
    if other is not None:
        import minitorch
        return (minitorch.maximum if largest else minitorch.minimum)(input, other)
    if dim is None:
        _no_complex(name, input, f"{name}_all")
        if keepdim:
            raise TypeError(f"{name}(): keepdim needs an int 'dim'")
        _check_nonempty_dims(name, input, None)
        return (_max_all if largest else _min_all)(input)
    _no_complex(name, input)
    dim = wrap_dim(_int_dim(dim, name), input.ndim)
    _check_nonempty_dims(name, input, (dim,))
    return values_and_indices(_max_dim if largest else _min_dim, input, _extreme_index, dim,
                              bool(keepdim), getattr(return_types, name), largest=largest)


def max(input, dim=None, keepdim=False, *, other=None, out=None):
    """Largest element; with ``dim`` a (values, indices) tuple; ``max(a, b)`` is maximum."""
    _no_out(out, "max")
    return _max_or_min("max", input, dim, keepdim, other, True)


def min(input, dim=None, keepdim=False, *, other=None, out=None):
    """Smallest element; with ``dim`` a (values, indices) tuple; ``min(a, b)`` is minimum."""
    _no_out(out, "min")
    return _max_or_min("min", input, dim, keepdim, other, False)


tensor_method(max)
tensor_method(min)


def _amax_forward(x, dims, keepdim, largest):
    return (np.amax if largest else np.amin)(x, axis=dims, keepdims=keepdim)


def _amax_grad(F, g, out, x, dims, keepdim, largest):
    return _scale_grad_by_count(F, g, out, x, dims, keepdim)


_amax = defprim("amax", "AmaxBackward0", _amax_forward, grads=(_amax_grad,), save_output=True)
_amin = defprim("amin", "AminBackward0", _amax_forward, grads=(_amax_grad,), save_output=True)


def _reduction_dims(name, input, dim):
    """dims for amax-like ops: () or None means every dim, as torch."""
    dims = normalize_dims(dim if dim != () else None, input.ndim) if input.ndim else ()
    _check_nonempty_dims(name, input, dims if dim not in (None, (), []) else None)
    return dims


def amax(input, dim=(), keepdim=False, *, out=None):
    """Maximum over ``dim`` (all dims by default); ties share the gradient evenly."""
    _no_out(out, "amax")
    _no_complex("amax", input, "max_values_cpu")
    dims = _reduction_dims("amax", input, dim)
    return _amax(input, dims=dims, keepdim=bool(keepdim), largest=True)


def amin(input, dim=(), keepdim=False, *, out=None):
    """Minimum over ``dim`` (all dims by default); ties share the gradient evenly."""
    _no_out(out, "amin")
    _no_complex("amin", input, "min_values_cpu")
    dims = _reduction_dims("amin", input, dim)
    return _amin(input, dims=dims, keepdim=bool(keepdim), largest=False)


tensor_method(amax)
tensor_method(amin)


def _aminmax_forward(x, dims, keepdim):
    return (np.amin(x, axis=dims, keepdims=keepdim), np.amax(x, axis=dims, keepdims=keepdim))


def _aminmax_grad(F, g, out, x, dims, keepdim):
    return (_scale_grad_by_count(F, g[0], out[0], x, dims, keepdim)
            + _scale_grad_by_count(F, g[1], out[1], x, dims, keepdim))


_aminmax = defprim("aminmax", "AminmaxBackward0", _aminmax_forward, grads=(_aminmax_grad,),
                   num_outputs=2, save_output=True)


def aminmax(input, *, dim=None, keepdim=False, out=None):
    """(min, max) over all elements or one ``dim``."""
    _no_out(out, "aminmax")
    _no_complex("aminmax", input, "aminmax_cpu")
    if dim is None:
        dims = tuple(range(input.ndim))
        _check_nonempty_dims("aminmax", input, None)
    else:
        dims = (wrap_dim(_int_dim(dim, "aminmax"), input.ndim),) if input.ndim else ()
        _check_nonempty_dims("aminmax", input, dims)
    low, high = _aminmax(input, dims=dims, keepdim=bool(keepdim))
    return return_types.aminmax(low, high)


tensor_method(aminmax)


def _argmax_forward(x, dim, keepdim, largest):
    fn = np.argmax if largest else np.argmin
    if dim is None:
        index = np.asarray(fn(x))
        return index.reshape((1,) * x.ndim if keepdim else ()).astype(np.int64)
    return fn(x, axis=dim, keepdims=keepdim).astype(np.int64)


_argmax = defprim("argmax", "ArgmaxBackward0", _on_1d(_argmax_forward))
_argmin = defprim("argmin", "ArgminBackward0", _on_1d(_argmax_forward))


def _arg_extreme(name, input, dim, keepdim, largest):
    _no_complex(name, input)
    if dim is not None:
        dim = wrap_dim(_int_dim(dim, name), input.ndim)
        if input.ndim:
            _check_nonempty_dims(name, input, (dim,))
    elif input.numel() == 0:
        raise IndexError(f"{name}(): Expected reduction dim to be specified for "
                         "input.numel() == 0.")
    prim = _argmax if largest else _argmin
    return prim(input, dim=dim, keepdim=bool(keepdim), largest=largest)


def argmax(input, dim=None, keepdim=False, *, out=None):
    """Index of the largest element (flattened when ``dim`` is None); first one on ties."""
    _no_out(out, "argmax")
    return _arg_extreme("argmax", input, dim, keepdim, True)


def argmin(input, dim=None, keepdim=False, *, out=None):
    """Index of the smallest element (flattened when ``dim`` is None); first one on ties."""
    _no_out(out, "argmin")
    return _arg_extreme("argmin", input, dim, keepdim, False)


tensor_method(argmax)
tensor_method(argmin)


# ------------------------------------------------------------------ var, std
def _var_forward(x, dims, correction, keepdim):
    n = _dim_size(x.shape, dims)
    with np.errstate(all="ignore"):
        centered = x - np.sum(x, axis=dims, keepdims=True) / x.dtype.type(n)
        squares = (centered * centered.conj()).real if x.dtype.kind == "c" else centered ** 2
        total = np.sum(squares, axis=dims, keepdims=keepdim)
        return (total / builtins.max(0, n - correction)).astype(squares.dtype, copy=False)


def _divide_by_dof(value, dof):
    # torch divides by N - correction here even when it is 0 (inf, then nan): no Python error.
    return value / dof if dof != 0 else value * math.inf


def _var_grad_from(F, g, x, dims, correction, keepdim):
    n = _dim_size(x.shape, dims)
    g = restore_reduced_dims(F, g, x.shape, dims, keepdim)
    centered = x - F.sum(x, dims, True) / n
    return _divide_by_dof(2.0 * g, n - correction) * centered


def _std_scale(F, g, out):
    """d std = d var / (2 std); torch sends 0 where std is 0."""
    return F.where(out == 0, 0.0, g / (2.0 * out))


_var = defprim("var", "VarBackward0", _var_forward, grads=(
    lambda F, g, out, x, dims, correction, keepdim:
        _var_grad_from(F, g, x, dims, correction, keepdim),))
_std = defprim("std", "StdBackward0",
               lambda x, dims, correction, keepdim: np.sqrt(
                   _var_forward(x, dims, correction, keepdim)),
               grads=(lambda F, g, out, x, dims, correction, keepdim: _var_grad_from(
                   F, _std_scale(F, g, out), x, dims, correction, keepdim),),
               save_output=True)


def _var_mean_forward(x, dims, correction, keepdim, take_sqrt):
    spread = _var_forward(x, dims, correction, keepdim)
    if take_sqrt:
        spread = np.sqrt(spread)
    return spread, np.mean(x, axis=dims, keepdims=keepdim)


def _var_mean_grad(F, g, out, x, dims, correction, keepdim, take_sqrt):
    g_spread = _std_scale(F, g[0], out[0]) if take_sqrt else g[0]
    n = _dim_size(x.shape, dims)
    return (_var_grad_from(F, g_spread, x, dims, correction, keepdim)
            + expand_reduced_grad(F, g[1], x.shape, dims, keepdim) / n)


_var_mean = defprim("var_mean", "VarMeanBackward0", _var_mean_forward, grads=(_var_mean_grad,),
                    num_outputs=2, save_output=True)
_std_mean = defprim("std_mean", "StdMeanBackward0", _var_mean_forward, grads=(_var_mean_grad,),
                    num_outputs=2, save_output=True)


def _var_args(name, input, dim, unbiased, keepdim, correction):
    """Resolve torch's overloads: var(x, unbiased), var(x, dim, unbiased, keepdim), correction=."""
    if isinstance(dim, bool):
        dim, unbiased = None, dim  # var(x, True): the legacy unbiased-only overload
    if unbiased is not None and correction is not None:
        raise TypeError(f"{name}(): can't specify both unbiased and correction")
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError("std and var only support floating point and complex dtypes")
    dims = () if input.ndim == 0 else normalize_dims(dim, input.ndim)
    reduced = _dim_size(input.shape, dims)
    if reduced - correction <= 0:
        warnings.warn(f"{name}(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the reduction factor (input numel divided by output numel).",
                      UserWarning, stacklevel=3)
    return dims, correction, bool(keepdim)


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """Variance with Bessel's ``correction`` (default 1); ``unbiased`` is the legacy spelling."""
    _no_out(out, "var")
    dims, correction, keepdim = _var_args("var", input, dim, unbiased, keepdim, correction)
    return _var(input, dims=dims, correction=correction, keepdim=keepdim)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """Standard deviation, sqrt of :func:`var`."""
    _no_out(out, "std")
    dims, correction, keepdim = _var_args("std", input, dim, unbiased, keepdim, correction)
    return _std(input, dims=dims, correction=correction, keepdim=keepdim)


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """(var, mean) in one pass."""
    _no_out(out, "var_mean")
    dims, correction, keepdim = _var_args("var_mean", input, dim, unbiased, keepdim,
                                          correction)
    return _var_mean(input, dims=dims, correction=correction, keepdim=keepdim, take_sqrt=False)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None, out=None):
    """(std, mean) in one pass."""
    _no_out(out, "std_mean")
    dims, correction, keepdim = _var_args("std_mean", input, dim, unbiased, keepdim,
                                          correction)
    return _std_mean(input, dims=dims, correction=correction, keepdim=keepdim, take_sqrt=True)


tensor_method(var)
tensor_method(std)


# ----------------------------------------------------------------- logsumexp
def _logsumexp_forward(x, dims, keepdim):
    if x.size == 0:
        with np.errstate(divide="ignore"):
            return np.log(np.sum(np.exp(x), axis=dims, keepdims=keepdim))
    # Shift by the max for stability; an infinite max would give inf - inf = nan.
    shift = np.amax(x, axis=dims, keepdims=True)
    shift = np.where(np.isinf(shift), 0, shift)
    with np.errstate(all="ignore"):
        total = np.sum(np.exp(x - shift), axis=dims, keepdims=True)
        result = np.log(total) + shift
    return result if keepdim else result.squeeze(dims)


def _logsumexp_grad(F, g, out, x, dims, keepdim):
    g = restore_reduced_dims(F, g, x.shape, dims, keepdim)
    return g * F.exp(x - restore_reduced_dims(F, out, x.shape, dims, keepdim))


_logsumexp = defprim("logsumexp", "LogsumexpBackward0", _logsumexp_forward,
                     grads=(_logsumexp_grad,), save_output=True)


def logsumexp(input, dim, keepdim=False, *, out=None):
    """log(sum(exp(input))) over ``dim``, computed stably; integers become floats."""
    _no_out(out, "logsumexp")
    input = _cast(input, _float_dtype_of(input))
    dims = () if input.ndim == 0 else normalize_dims(dim, input.ndim)
    return _logsumexp(input, dims=dims, keepdim=bool(keepdim))


tensor_method(logsumexp)


# ---------------------------------------------------------------------- norm
def _vector_norm_forward(x, ord, dims, keepdim):
    a = np.abs(x)
    with np.errstate(all="ignore"):
        if ord == math.inf:
            return np.amax(a, axis=dims, keepdims=keepdim)
        if ord == -math.inf:
            return np.amin(a, axis=dims, keepdims=keepdim)
        if ord == 0:
            return np.sum(a != 0, axis=dims, keepdims=keepdim).astype(a.dtype)
        if ord == 1:
            return np.sum(a, axis=dims, keepdims=keepdim)
        if ord == 2:
            return np.sqrt(np.sum(a * a, axis=dims, keepdims=keepdim))
        return np.sum(a ** ord, axis=dims, keepdims=keepdim) ** (1.0 / ord)


def _vector_norm_grad(F, g, out, x, ord, dims, keepdim):
    g = restore_reduced_dims(F, g, x.shape, dims, keepdim)
    norm = restore_reduced_dims(F, out, x.shape, dims, keepdim)
    # sgn(x) = x / |x| generalises sign to complex inputs.
    complex_input = x.dtype.is_complex if isinstance(x, Tensor) else x.dtype.kind == "c"
    sign = F.sgn(x) if complex_input else F.sign(x)
    magnitude = F.abs(x) if complex_input else x * sign
    if ord == 0:
        return g * 0 * x
    if ord == 1:
        return sign * g
    if ord == 2:
        return x * F.where(norm == 0, 0.0, g / norm)
    if ord in (math.inf, -math.inf):
        mask = magnitude == norm
        return sign * mask * (g / F.sum(mask, dims, True))
    if ord < 1:
        scaled = F.where(x == 0, 0.0, sign * magnitude ** (ord - 1))
        return scaled * (g * norm ** (1 - ord))
    if ord < 2:
        scaled = sign * magnitude ** (ord - 1)
    else:
        scaled = x * magnitude ** (ord - 2)
    return scaled * F.where(norm == 0, 0.0, g / norm ** (ord - 1))


_vector_norm = defprim("vector_norm", "LinalgVectorNormBackward0", _vector_norm_forward,
                       grads=(_vector_norm_grad,), save_output=True)


def vector_norm(input, ord=2, dim=None, keepdim=False, *, dtype=None):
    """The ``ord``-norm of ``input`` seen as a vector over ``dim`` (all dims by default)."""
    if dtype is not None:
        input = _cast(input, dtype)
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise RuntimeError("linalg.vector_norm: Expected a floating point or complex tensor as "
                           f"input. Got {_title(input.dtype)}")
    ord = float(ord)
    dims = () if input.ndim == 0 else normalize_dims(dim, input.ndim)
    if ord < 0 and input.numel() == 0 or ord == math.inf and builtins.any(
            input.shape[d] == 0 for d in dims):
        raise RuntimeError(f"linalg.vector_norm cannot compute the {ord:g} norm on an empty "
                           "tensor because the operation does not have an identity")
    return _vector_norm(input, ord=ord, dims=dims, keepdim=bool(keepdim))


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """torch.norm: vector p-norms, the Frobenius norm and the nuclear norm ('nuc')."""
    _no_out(out, "norm")
    if isinstance(p, str):
        if p == "nuc":  # the sum of singular values, from linalg (as torch composes it)
            from .. import linalg
            dims = tuple(range(input.ndim)) if dim is None else (
                (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim))
            return linalg.matrix_norm(input, "nuc", dims, keepdim, dtype=dtype)
        if p != "fro":
            raise RuntimeError(f"norm(): unknown p={p!r}; expected a number, 'fro' or 'nuc'")
        if dim is not None and not isinstance(dim, (int, np.integer)) and len(dim) > 2:
            raise RuntimeError(f"Expected at most 2 dims for the Frobenius norm, got {len(dim)}")
        p = 2
    if p is None:
        p = 2
    return vector_norm(input, p, dim, keepdim, dtype=dtype)


tensor_method(norm)


# ----------------------------------------------------------- logical reductions
def _logical_forward(x, dims, keepdim, every):
    result = (np.all if every else np.any)(x, axis=dims, keepdims=keepdim)
    # uint8 inputs give uint8 results in torch (a legacy rule); everything else bool.
    return np.asarray(result).astype(np.uint8 if x.dtype == np.uint8 else np.bool_)


_all = defprim("all", "AllBackward0", _logical_forward)
_any = defprim("any", "AnyBackward0", _logical_forward)


def all(input, dim=None, keepdim=False, *, out=None):
    """True where every element (over ``dim``) is nonzero; uint8 stays uint8."""
    _no_out(out, "all")
    dims = None if dim is None or input.ndim == 0 else normalize_dims(dim, input.ndim)
    return _all(input, dims=dims, keepdim=bool(keepdim), every=True)


def any(input, dim=None, keepdim=False, *, out=None):
    """True where some element (over ``dim``) is nonzero; uint8 stays uint8."""
    _no_out(out, "any")
    dims = None if dim is None or input.ndim == 0 else normalize_dims(dim, input.ndim)
    return _any(input, dims=dims, keepdim=bool(keepdim), every=False)


tensor_method(all)
tensor_method(any)

_count_nonzero = defprim("count_nonzero", "CountNonzeroBackward0",
                         lambda x, dims: np.asarray(np.count_nonzero(x, axis=dims),
                                                    dtype=np.int64))


def count_nonzero(input, dim=None):
    """Number of nonzero elements, over all or over ``dim`` (int64)."""
    dims = None if dim is None or input.ndim == 0 else normalize_dims(dim, input.ndim)
    return _count_nonzero(input, dims=dims)


tensor_method(count_nonzero)


# ---------------------------------------------------------------- cumulative
def _scan_dim(input, dim, name):
    if dim is None:
        raise TypeError(f"{name}() missing required argument 'dim'")
    return wrap_dim(_int_dim(dim, name), input.ndim)


def _reverse_cumsum(F, g, dim):
    """sum of g over positions at or after each position along ``dim``."""
    if _numpy_mode(F):
        return np.flip(np.cumsum(np.flip(g, dim), axis=dim), dim)
    return flip_along(F, F.cumsum(flip_along(F, g, dim), dim), dim)


_cumsum = defprim("cumsum", "CumsumBackward0",
                  _on_1d(lambda x, dim, dtype: np.cumsum(x, axis=dim, dtype=dtype)),
                  grads=(lambda F, g, out, x, dim, dtype:
                         g if x.ndim == 0 else _reverse_cumsum(F, g, dim),), saves=())


def cumsum(input, dim, *, dtype=None, out=None):
    """Running sum along ``dim``; bool and integers accumulate in int64."""
    _no_out(out, "cumsum")
    dim = _scan_dim(input, dim, "cumsum")
    np_dtype = _accumulate_dtype(input, dtype)
    if dtype is not None:
        input = _cast(input, dtype)
    return _cumsum(input, dim=dim, dtype=np_dtype)


def _cumprod_grad(F, g, out, x, dim, dtype):
    """d out_i / d x_k = prod_{j<=i, j!=k} x_j for i >= k; exact when x has zeros."""
    if x.ndim == 0:
        return g
    if _numpy_mode(F):
        # grad_k = (prod_{j<k} x_j) * S_k, with S_k = g_k + x_{k+1} S_{k+1}
        # (a reverse linear scan): no division, so zeros are handled exactly.
        xs, gs = np.moveaxis(x, dim, 0), np.moveaxis(g, dim, 0)
        scan = np.empty_like(gs)
        running = np.zeros_like(gs[0]) if len(gs) else None
        for k in range(len(gs) - 1, -1, -1):
            running = gs[k] + (xs[k + 1] * running if k + 1 < len(gs) else 0)
            scan[k] = running
        left = np.moveaxis(_exclusive_cumprod_np(x, dim), dim, 0)
        return np.moveaxis(left * scan, 0, dim)
    # Tensor mode (double backward): an n x n table, row k holding x with x_k := 1,
    # multiplied cumulatively; row k, column i is then prod_{j<=i, j!=k} x_j.
    n = x.shape[dim]
    xt = F.unsqueeze(F.transpose(x, dim, -1), -2)  # (..., 1, n)
    gt = F.unsqueeze(F.transpose(g, dim, -1), -2)
    eye = Tensor._make(np.eye(n, dtype=bool))
    later = Tensor._make(np.triu(np.ones((n, n), dtype=bool)))  # i >= k
    table = F.cumprod(F.where(eye, 1.0, xt), -1)
    return F.transpose(F.sum(F.where(later, table * gt, 0.0), -1), dim, -1)


_cumprod = defprim("cumprod", "CumprodBackward0",
                   _on_1d(lambda x, dim, dtype: np.cumprod(x, axis=dim, dtype=dtype)),
                   grads=(_cumprod_grad,))


def cumprod(input, dim, *, dtype=None, out=None):
    """Running product along ``dim``; bool and integers accumulate in int64."""
    _no_out(out, "cumprod")
    dim = _scan_dim(input, dim, "cumprod")
    np_dtype = _accumulate_dtype(input, dtype)
    if dtype is not None:
        input = _cast(input, dtype)
    return _cumprod(input, dim=dim, dtype=np_dtype)


tensor_method(cumsum, inplace=True)
tensor_method(cumprod, inplace=True)
numpy_rule_op("cumsum")(lambda x, dim, dtype=None: np.cumsum(x, axis=dim, dtype=dtype))
numpy_rule_op("cumprod")(lambda x, dim, dtype=None: np.cumprod(x, axis=dim, dtype=dtype))


def _running_extreme_index(x, dim, largest):
    """Where the running max (min) along ``dim`` was found, torch's way."""
    xs = np.moveaxis(x, dim, 0)
    indices = np.zeros(xs.shape, dtype=np.int64)
    if len(xs):
        best, where = xs[0].copy(), np.zeros(xs.shape[1:], dtype=np.int64)
        for i in range(len(xs)):
            current = xs[i]
            # A NaN always takes over (and stays), and ties move the index forward.
            better = (current >= best) if largest else (current <= best)
            if x.dtype.kind in "fc":
                better = np.isnan(current) | (~np.isnan(best) & better)
            best = np.where(better, current, best)
            where = np.where(better, i, where)
            indices[i] = where
    return np.moveaxis(indices, 0, dim)


_cummax = selecting_prim("cummax", "CummaxBackward0")
_cummin = selecting_prim("cummin", "CumminBackward0")


def cummax(input, dim):
    """Running maximum along ``dim`` and where it was found (values, indices)."""
    _no_complex("cummax", input, "cummax_cpu")
    dim = _scan_dim(input, dim, "cummax")
    return values_and_indices(_cummax, input, _running_extreme_index, dim, True,
                              return_types.cummax, largest=True)


def cummin(input, dim):
    """Running minimum along ``dim`` and where it was found (values, indices)."""
    _no_complex("cummin", input, "cummin_cpu")
    dim = _scan_dim(input, dim, "cummin")
    return values_and_indices(_cummin, input, _running_extreme_index, dim, True,
                              return_types.cummin, largest=False)


tensor_method(cummax)
tensor_method(cummin)


def _logcumsumexp_grad(F, g, out, x, dim):
    """Stable form (as torch): positive and negative parts of g in log space."""
    if x.ndim == 0:
        return g
    # The lowest finite value, not -inf: -inf - (-inf) would give NaN when differentiating
    # this rule again.
    lowest = float(np.finfo(_array(g).dtype).min)
    magnitude = F.log(g * F.sign(g))
    positive = F.where(g > 0, magnitude, lowest)
    negative = F.where(g < 0, magnitude, lowest)

    def reverse_logcumsumexp(t):
        return flip_along(F, F.logcumsumexp(flip_along(F, t, dim), dim), dim)
    return (F.exp(reverse_logcumsumexp(positive - out) + x)
            - F.exp(reverse_logcumsumexp(negative - out) + x))


def _logcumsumexp_forward(x, dim):
    with np.errstate(all="ignore"):
        return np.logaddexp.accumulate(x, axis=dim) if x.size else x.copy()


_logcumsumexp = defprim("logcumsumexp", "LogcumsumexpBackward0", _on_1d(_logcumsumexp_forward),
                        grads=(_logcumsumexp_grad,), save_output=True)
numpy_rule_op("logcumsumexp")(_logcumsumexp_forward)


def logcumsumexp(input, dim, *, out=None):
    """log(cumsum(exp(input))) along ``dim``, computed stably (floating inputs only)."""
    _no_out(out, "logcumsumexp")
    dim = _scan_dim(input, dim, "logcumsumexp")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"logcumsumexp_out_cpu" not implemented for '
                                  f"'{_title(input.dtype)}'")
    return _logcumsumexp(input, dim=dim)


tensor_method(logcumsumexp)


# ---------------------------------------------------------- median and mode
def _median_forward(x, ignore_nan):
    """Lower median of all elements; NaN if any (or, ignoring NaN, if all) are NaN."""
    flat = x.reshape(-1)
    if ignore_nan:
        flat = flat[~np.isnan(flat)]
    if flat.size == 0 or np.isnan(flat).any():
        return np.asarray(np.nan, dtype=x.dtype)
    return np.asarray(np.partition(flat, (flat.size - 1) // 2)[(flat.size - 1) // 2])


def _median_index(x, dim, ignore_nan):
    # A stable sort puts NaNs last in their original order, so the first NaN of a
    # slice sits right after its numbers: torch reports that NaN for median.
    order = np.argsort(x, axis=dim, kind="stable")
    nan_count = np.sum(np.isnan(x), axis=dim, keepdims=True) if x.dtype.kind == "f" else \
        np.zeros(keepdim_shape(x.shape, (dim,)), dtype=np.int64)
    n = x.shape[dim]
    if ignore_nan:
        position = np.maximum((n - nan_count - 1) // 2, 0)
    else:
        position = np.where(nan_count > 0, n - nan_count, (n - 1) // 2)
    return np.take_along_axis(order, position, dim)


_median = defprim("median", "MedianBackward0", lambda x: _median_forward(x, False),
                  grads=(_evenly_grad,), save_output=True)
_nanmedian = defprim("nanmedian", "NanmedianBackward0", lambda x: _median_forward(x, True),
                     grads=(_evenly_grad,), save_output=True)
_median_dim = selecting_prim("median_dim", "MedianBackward1")
_nanmedian_dim = selecting_prim("nanmedian_dim", "NanmedianBackward1")


def _median_impl(name, input, dim, keepdim, ignore_nan):
    _no_complex(name, input, "median_cpu" if dim is None else "median_out")
    if dim is None:
        return (_nanmedian if ignore_nan else _median)(input)
    dim = wrap_dim(_int_dim(dim, name), input.ndim)
    _check_nonempty_dims(name, input, (dim,))
    return values_and_indices(_nanmedian_dim if ignore_nan else _median_dim, input,
                              _median_index, dim, bool(keepdim), getattr(return_types, name),
                              ignore_nan=ignore_nan)


def median(input, dim=None, keepdim=False, *, out=None):
    """Lower median (NaN-propagating); with ``dim`` a (values, indices) tuple.

    With ties, the index given is that of a stable sort; torch's quickselect may
    report another of the equal elements (and so route the gradient there).
    """
    _no_out(out, "median")
    return _median_impl("median", input, dim, keepdim, False)


def nanmedian(input, dim=None, keepdim=False, *, out=None):
    """Lower median ignoring NaNs; with ``dim`` a (values, indices) tuple."""
    _no_out(out, "nanmedian")
    return _median_impl("nanmedian", input, dim, keepdim, True)


tensor_method(median)
tensor_method(nanmedian)


def _mode_index(x, dim):
    """Where the most frequent value per slice (the smallest on ties) last occurs."""
    xs = np.moveaxis(x, dim, -1)
    lead, n = xs.shape[:-1], xs.shape[-1]
    rows = xs.reshape(-1, n)
    indices = np.empty(rows.shape[0], dtype=np.int64)
    for r, row in enumerate(rows):
        ordered = np.sort(row, kind="stable")
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
        counts = np.diff(np.r_[starts, n])
        best = ordered[starts[np.argmax(counts)]]  # argmax: first (smallest) on ties
        same = (row == best) if best == best else np.isnan(row)
        indices[r] = np.flatnonzero(same)[-1]
    return np.expand_dims(indices.reshape(lead), dim)


_mode = selecting_prim("mode", "ModeBackward0")


def mode(input, dim=-1, keepdim=False, *, out=None):
    """Most frequent value along ``dim`` (smallest on ties) and the index of its last copy."""
    _no_out(out, "mode")
    _no_complex("mode", input, "mode_cpu")
    dim = wrap_dim(_int_dim(dim, "mode"), input.ndim)
    _check_nonempty_dims("mode", input, (dim,))
    return values_and_indices(_mode, input, _mode_index, dim, bool(keepdim), return_types.mode)


tensor_method(mode)


# ----------------------------------------------------------------- quantile
_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _check_quantile_args(name, input, q, interpolation):
    """torch's argument checks; returns the q values as a 1-d array in the input's dtype."""
    if not input.dtype.is_floating_point or input.dtype is _dtype.float16:
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if interpolation not in _INTERPOLATIONS:
        raise RuntimeError(f"{name}() interpolation must be one of linear, lower, higher, "
                           f"midpoint or nearest, but got {interpolation}")
    if isinstance(q, Tensor):
        if q.ndim > 1:
            raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
        if q.dtype is not input.dtype:
            raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
    qs = np.atleast_1d(np.asarray(q._data if isinstance(q, Tensor) else q,
                                  dtype=input._data.dtype))
    outside = (qs < 0) | (qs > 1)
    if np.any(outside):
        raise RuntimeError(f"{name}() q values must be in the range [0, 1], but got "
                           f"{qs[outside][0]:g}")
    if input.numel() == 0:
        raise RuntimeError(f"{name}() input tensor must be non-empty")
    return qs


def _quantile_ranks(data, qs, axis, interpolation, ignore_nan):
    """Sorted positions to interpolate between, per (q, slice), following torch.

    Returns ``low``, ``high`` and ``weight`` of shape (len(q), ...data with axis=1),
    plus ``last`` (the last valid position, which q scales) and ``nan_slice``.
    """
    n = data.shape[axis]
    nan_count = np.sum(np.isnan(data), axis=axis, keepdims=True)
    last = np.maximum((n - nan_count if ignore_nan else np.full_like(nan_count, n)) - 1, 0)
    ranks = qs.reshape((-1,) + (1,) * data.ndim) * last
    if interpolation == "lower":
        ranks = np.floor(ranks)
    elif interpolation == "higher":
        ranks = np.ceil(ranks)
    elif interpolation == "nearest":
        ranks = np.round(ranks)  # half to even, as torch
    low = np.floor(ranks).astype(np.int64)
    high = np.ceil(ranks).astype(np.int64)
    weight = ranks - low
    if interpolation == "midpoint":
        weight = np.full_like(ranks, 0.5)
    # quantile: a slice holding a NaN points at its last element, a NaN. nanquantile: a
    # slice of only NaNs already points at element 0, a NaN too (torch's choices).
    nan_slice = (nan_count > 0) if not ignore_nan else (nan_count == n)
    if not ignore_nan:
        low = np.where(nan_slice, n - 1, low)
        high = np.where(nan_slice, n - 1, high)
    weight = np.where(nan_slice, 0, weight).astype(data.dtype)
    return low, high, weight, np.where(nan_slice, 0, last), nan_slice


def _quantile_impl(name, input, q, dim, keepdim, interpolation, ignore_nan):
    """Quantiles from a sorted copy: differentiable through sort, gather and a lerp."""
    from .pointwise import add, mul, sub
    from .sorting import sort
    qs = _check_quantile_args(name, input, q, interpolation)
    if dim is None:
        source, axis = input.reshape(-1), 0
    else:
        axis = wrap_dim(_int_dim(dim, name), input.ndim)
        source = input if input.ndim else input.reshape(1)
    ordered = sort(source, dim=axis).values  # NaNs sort last
    data = source._data
    low, high, weight, last, nan_slice = _quantile_ranks(data, qs, axis, interpolation,
                                                         ignore_nan)

    # Put the q dim where the reduced axis was, so one gather picks every quantile.
    stacked_shape = list(data.shape)
    stacked_shape[axis] = len(qs)

    def along_axis(a):
        a = np.moveaxis(np.broadcast_to(a, low.shape), 0, axis + 1).squeeze(axis)
        return np.ascontiguousarray(np.broadcast_to(a, stacked_shape))

    low_values = _gather_prim(ordered, index=along_axis(low), dim=axis)
    high_values = _gather_prim(ordered, index=along_axis(high), dim=axis)
    if isinstance(q, Tensor) and q.requires_grad and interpolation == "linear":
        # weight = q * last - floor(rank) depends on q: let the gradient reach it, as torch.
        q_shape = [1] * data.ndim
        q_shape[axis] = len(qs)
        floor_rank = np.where(nan_slice, 0, low).astype(data.dtype)
        w = sub(mul(q.reshape(q_shape), Tensor._make(along_axis(last.astype(data.dtype)))),
                Tensor._make(along_axis(floor_rank)))
    else:
        w = Tensor._make(along_axis(weight))
    result = add(low_values, mul(w, sub(high_values, low_values)))
    return _quantile_layout(result, axis, not isinstance(q, Tensor) or q.ndim == 0, keepdim,
                            dim, input)


def _quantile_layout(result, axis, scalar_q, keepdim, dim, input):
    """Put the q dim first (or drop it for a scalar q) and apply keepdim, as torch."""
    if axis:  # (len(q), ...) with the reduced axis gone
        result = result.permute([axis] + [d for d in range(result.ndim) if d != axis])
    if dim is None:
        shape = [result.shape[0]] + ([1] * input.ndim if keepdim else [])
    else:
        shape = [result.shape[0]] + list(input.shape)
        if input.ndim:
            if keepdim:
                shape[1 + axis] = 1
            else:
                del shape[1 + axis]
    result = result.reshape(shape)
    return result.squeeze(0) if scalar_q else result


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """q-th quantiles along ``dim`` (or of all elements); NaN if a slice holds a NaN."""
    _no_out(out, "quantile")
    return _quantile_impl("quantile", input, q, dim, keepdim, interpolation, False)


def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None):
    """q-th quantiles ignoring NaNs; NaN where a slice is all NaN."""
    _no_out(out, "nanquantile")
    return _quantile_impl("nanquantile", input, q, dim, keepdim, interpolation, True)


tensor_method(quantile)
tensor_method(nanquantile)
