"""Assorted torch top-level functions built from the core ops.

Almost everything here is a short composition of differentiable minitorch ops,
so gradients come for free and no new primitives are declared.
"""
import builtins
import itertools
import math
import numbers
import warnings

import numpy as np

from .. import _dtype, return_types
from .._tensor import Tensor
from . import creation, indexing, pointwise, shape
from ._registry import tensor_method, wrap_dim

__all__ = ["diff", "cartesian_prod", "combinations", "cov", "corrcoef", "isin",
           "tril_indices", "triu_indices", "unravel_index", "dist", "renorm", "trapezoid",
           "trapz", "cumulative_trapezoid", "vander", "histogram", "hann_window",
           "hamming_window", "blackman_window", "bartlett_window", "kaiser_window",
           "select_scatter", "slice_scatter", "diagonal_scatter", "index_reduce", "adjoint",
           "is_same_size", "is_conj", "is_neg", "is_inference", "binomial",
           "view_copy", "permute_copy", "transpose_copy", "t_copy", "unsqueeze_copy",
           "squeeze_copy", "expand_copy", "diagonal_copy", "select_copy", "slice_copy",
           "split_copy", "split_with_sizes_copy", "unbind_copy", "detach_copy", "alias_copy",
           "narrow_copy", "unfold_copy", "view_as_real_copy", "view_as_complex_copy",
           "fill", "fill_", "zero_", "detach", "detach_", "frobenius_norm", "nuclear_norm",
           "norm_except_dim", "constant_pad_nd"]


def _no_out(out, name):
    if out is not None:
        raise NotImplementedError(f"minitorch's {name}() does not support 'out'")


def _require_tensor(x, fn, arg="input"):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{arg}' must be Tensor, not {type(x).__name__}")


# ------------------------------------------------------------------ differences, products
@tensor_method
def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The n-th forward difference along ``dim`` (logical xor for bool tensors)."""
    _require_tensor(input, "diff")
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise RuntimeError(f"order must be non-negative but got {n}")
    dim = wrap_dim(dim, input.ndim)
    parts = []
    for extra, name in ((prepend, "prepend"), (input, None), (append, "append")):
        if extra is None:
            continue
        if extra is not input and extra.ndim != input.ndim:
            raise RuntimeError(f"diff expects {name} or input to be the same dimension")
        parts.append(extra)
    x = shape.cat(parts, dim) if len(parts) > 1 else input
    for _ in builtins.range(n):
        length = x.shape[dim]
        if length == 0:
            break
        later, earlier = x.narrow(dim, 1, length - 1), x.narrow(dim, 0, length - 1)
        x = pointwise.logical_xor(later, earlier) if x.dtype == _dtype.bool else later - earlier
    return x


def cartesian_prod(*tensors):
    """Every combination of one element from each 1-D tensor, one per row."""
    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {list(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    grids = shape.meshgrid(*tensors, indexing="ij")
    return shape.stack([g.reshape(-1) for g in grids], dim=1)


def combinations(input, r=2, with_replacement=False):
    """The length-``r`` combinations of a 1-D tensor's elements, one per row."""
    if input.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return input.new_empty((0,))
    pick = itertools.combinations_with_replacement if with_replacement \
        else itertools.combinations
    rows = list(pick(builtins.range(input.shape[0]), r))
    index = np.array(rows, dtype=np.int64).reshape(len(rows), r)
    return input[Tensor._make(index)]


# ------------------------------------------------------------------ statistics
def _check_weights(w, name, num_observations, integral):
    if w.ndim > 1:
        raise RuntimeError(f"cov(): expected {name} to have one or fewer dimensions but got "
                           f"{w.ndim} dimensions")
    if w.numel() != num_observations:
        raise RuntimeError(f"cov(): expected {name} to have the same numel as there are "
                           f"observations in the input but got {w.numel()} != "
                           f"{num_observations}")
    if integral and (w.dtype.is_floating_point or w.dtype.is_complex):
        raise RuntimeError(f"cov(): expected {name} to have integral dtype but got {w.dtype}")
    if not integral and not w.dtype.is_floating_point:
        raise RuntimeError(f"cov(): expected {name} to have floating point dtype but got "
                           f"{w.dtype}")
    if bool(np.any(w._data < 0)):
        raise RuntimeError(f"cov(): {name} cannot be negative")


@tensor_method
def cov(input, *, correction=1, fweights=None, aweights=None):
    """Covariance of the variables in ``input``'s rows (columns are observations)."""
    if input.ndim > 2:
        raise RuntimeError(f"cov(): expected input to have two or fewer dimensions but got an "
                           f"input with {input.ndim} dimensions")
    x = input if input.ndim == 2 else input.reshape(1, -1)
    if not (x.dtype.is_floating_point or x.dtype.is_complex):
        x = x.to(_dtype.get_default_dtype())
    num_observations = x.shape[1]
    w = None
    if fweights is not None:
        _check_weights(fweights, "fweights", num_observations, integral=True)
        w = fweights
    if aweights is not None:
        _check_weights(aweights, "aweights", num_observations, integral=False)
        w = aweights if w is None else w * aweights
    if w is None:
        avg = x.mean(1)
        norm_factor = num_observations - correction
    else:
        w_sum = w.sum()
        avg = (x * w).sum(1) / w_sum
        if aweights is None:
            norm_factor = w_sum - correction
        else:
            norm_factor = w_sum - correction * (w * aweights).sum() / w_sum
    # As torch: too few observations give inf/nan with a warning rather than an error.
    if bool(norm_factor <= 0):
        warnings.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less "
                      "than the number of observations.", UserWarning)
    norm_factor = pointwise.clamp_min(norm_factor, 0) if isinstance(norm_factor, Tensor) \
        else builtins.max(norm_factor, 0)
    centred = x - avg.unsqueeze(1)
    weighted = centred if w is None else centred * w
    c = (centred @ weighted.transpose(0, 1).conj()) / norm_factor
    return c.squeeze()


@tensor_method
def corrcoef(input):
    """Pearson correlation coefficients of the variables in ``input``'s rows."""
    if input.ndim > 2:
        raise RuntimeError(f"corrcoef(): expected input to have two or fewer dimensions but got "
                           f"an input with {input.ndim} dimensions")
    c = cov(input)
    if c.ndim == 0:
        return c / c
    stddev = c.diagonal().sqrt()
    c = c / stddev.unsqueeze(1) / stddev.unsqueeze(0)
    # Rounding can push coefficients just outside [-1, 1]; torch clips them (complex ones
    # part by part, which is cheap though it does not bound the modulus).
    if c.dtype.is_complex:
        return creation.complex(c.real.clamp(-1, 1), c.imag.clamp(-1, 1))
    return c.clamp(-1, 1)


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """Whether each of ``elements`` is in ``test_elements`` (either may be a scalar)."""
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TypeError("isin() received an invalid combination of arguments: expected at least "
                        "one Tensor")
    a = elements._data if isinstance(elements, Tensor) else np.asarray(elements)
    b = test_elements._data if isinstance(test_elements, Tensor) else np.asarray(test_elements)
    found = np.isin(a, b, assume_unique=assume_unique, invert=invert)
    return Tensor._make(np.asarray(found, dtype=np.bool_))


def _check_counts(row, col):
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")


def _triangle_indices(fn, numpy_fn, row, col, offset, dtype, device, layout):
    creation._check_common(device, layout)
    _check_counts(row, col)
    dtype = _dtype.int64 if dtype is None else dtype
    if dtype not in (_dtype.int64, _dtype.int32):
        raise NotImplementedError(f'"{fn}" not implemented for \'{_dtype_title(dtype)}\'')
    rows, cols = numpy_fn(row, offset, col)
    return Tensor._make(np.stack([rows, cols]).astype(dtype._np).reshape(2, -1))


def _dtype_title(dtype):
    return {"float32": "Float", "float64": "Double", "float16": "Half", "bool": "Bool",
            "uint8": "Byte", "int8": "Char", "int16": "Short", "complex64": "ComplexFloat",
            "complex128": "ComplexDouble"}.get(str(dtype).replace("torch.", ""), str(dtype))


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """Row and column indices of the lower triangle of a ``row`` x ``col`` matrix (2 x N)."""
    return _triangle_indices("tril_indices", np.tril_indices, row, col, offset, dtype,
                             device, layout)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    """Row and column indices of the upper triangle of a ``row`` x ``col`` matrix (2 x N)."""
    return _triangle_indices("triu_indices", np.triu_indices, row, col, offset, dtype,
                             device, layout)


def unravel_index(indices, shape):
    """Flat indices to a tuple of coordinate tensors; like torch, out-of-range ones wrap."""
    if not isinstance(indices, Tensor):
        indices = creation.tensor(indices)
    if indices.dtype.is_floating_point or indices.dtype.is_complex or \
            indices.dtype == _dtype.bool:
        raise TypeError(f"expected 'indices' to be integer dtype, but got {indices.dtype}")
    sizes = (shape,) if isinstance(shape, numbers.Integral) else tuple(shape)
    for s in sizes:
        if not isinstance(s, numbers.Integral):
            raise TypeError(f"expected 'shape' to be int or sequence of ints, but got "
                            f"{type(s).__name__}")
        if s < 0:
            raise ValueError("'shape' cannot have negative values, but got " + str(sizes))
    flat = indices._data.astype(np.int64)
    coords = []
    # Peel dimensions from the last: Python's floor rules make negative indices wrap like torch.
    for s in reversed(sizes):
        coords.append(flat % s if s else np.zeros_like(flat))
        flat = flat // s if s else flat
    return tuple(Tensor._make(c) for c in reversed(coords))


@tensor_method
def dist(input, other, p=2):
    """The p-norm of ``input - other``."""
    from .. import linalg
    return linalg.vector_norm(input - other, p)


def _renorm(input, p, dim, maxnorm):
    from .. import linalg
    if isinstance(p, complex) or p <= 0:
        raise RuntimeError("renorm: non-positive norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    if input.ndim <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {input.ndim} "
                           f"dimensions")
    dim = wrap_dim(dim, input.ndim)
    others = [d for d in builtins.range(input.ndim) if d != dim]
    norm = linalg.vector_norm(input, p, others, keepdim=True)
    # torch's formula, including its 1e-7 guard against dividing by a zero norm.
    factor = pointwise.where(norm > maxnorm, maxnorm / (norm + 1e-7), 1.0)
    return input * factor.to(input.dtype)


def renorm(input, p, dim, maxnorm, *, out=None):
    """Rescale each slice along ``dim`` whose p-norm exceeds ``maxnorm`` to norm ``maxnorm``."""
    _no_out(out, "renorm")
    return _renorm(input, p, dim, maxnorm)


tensor_method(_renorm, name="renorm", inplace=True)


# ------------------------------------------------------------------ integration
def _as_view_along(x, y, dim):
    """``x`` shaped to broadcast against ``y`` along ``dim`` (torch's rules for trapezoid)."""
    if x.ndim == 1:
        sizes = [1] * y.ndim
        sizes[dim] = x.shape[0]
        return x.reshape(sizes)
    if x.ndim < y.ndim:
        return x.reshape((1,) * (y.ndim - x.ndim) + tuple(x.shape))
    return x


def _check_x(x, y, dim, fn):
    if x.ndim == 1 and x.shape[0] != y.shape[dim]:
        raise RuntimeError(f"{fn}: There must be one `x` value for each sample point")
    if x.ndim != 1 and x.shape[-1 if x.ndim < y.ndim else dim] != y.shape[dim] and \
            x.ndim >= y.ndim:
        raise RuntimeError(f"{fn}: There must be one `x` value for each sample point")


def _neighbours(y, dim):
    n = y.shape[dim]
    return y.narrow(dim, 0, n - 1), y.narrow(dim, 1, n - 1)


def _trapezoid_args(y, x, dx, dim, fn):
    _require_tensor(y, fn, "y")
    if x is not None and dx is not None:
        raise TypeError(f"{fn}() received an invalid combination of arguments: got both 'x' "
                        f"and 'dx'")
    if y.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    dim = wrap_dim(dim, y.ndim)
    if isinstance(x, Tensor):
        if y.dtype == _dtype.bool or x.dtype == _dtype.bool:
            raise RuntimeError(f"{fn}: received a bool input for `x` or `y`, but bool is not "
                               f"supported")
        _check_x(x, y, dim, fn)
    elif x is not None:
        raise TypeError(f"{fn}() received an invalid combination of arguments: 'x' must be a "
                        f"Tensor (pass a spacing as dx=), got {type(x).__name__}")
    return dim, x, (1 if dx is None else dx)


def trapezoid(y, x=None, *, dx=None, dim=-1):
    """Trapezoid-rule integral of ``y`` along ``dim``, at points ``x`` or with spacing ``dx``."""
    dim, x, dx = _trapezoid_args(y, x, dx, dim, "trapezoid")
    if y.shape[dim] == 0:
        return y.sum(dim) * 0.0 if x is None else (y * 0).sum(dim) * 0.0
    if x is None:
        return (y.sum(dim) - (y.select(dim, 0) + y.select(dim, -1)) * 0.5) * dx
    left, right = _neighbours(y, dim)
    x_left, x_right = _neighbours(_as_view_along(x, y, dim), dim)
    return ((x_right - x_left) * (left + right) * 0.5).sum(dim)


def trapz(y, x=None, *, dx=None, dim=-1):
    """Alias of :func:`trapezoid`."""
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1):
    """Running trapezoid-rule integral of ``y`` along ``dim`` (one element shorter)."""
    dim, x, dx = _trapezoid_args(y, x, dx, dim, "cumulative_trapezoid")
    if y.shape[dim] == 0:
        return y * 0.0
    left, right = _neighbours(y, dim)
    if x is None:
        return (dx / 2.0 * (left + right)).cumsum(dim)
    x_left, x_right = _neighbours(_as_view_along(x, y, dim), dim)
    return ((x_right - x_left) * (left + right) / 2.0).cumsum(dim)


def vander(x, N=None, increasing=False):
    """The Vandermonde matrix of a 1-D tensor: columns are powers of ``x``."""
    if x.ndim != 1:
        raise RuntimeError("x must be a one-dimensional tensor.")
    N = x.shape[0] if N is None else N
    if N < 0:
        raise RuntimeError("N must be non-negative.")
    # Like torch: integer and bool inputs give int64 powers.
    out_dtype = _dtype.promote_types(x.dtype, _dtype.int64)
    x = x.to(out_dtype)
    columns = [creation.ones(x.shape[0], 1, dtype=out_dtype)] if N > 0 else \
        [creation.ones(x.shape[0], 0, dtype=out_dtype)]
    if N > 1:
        columns.append(x.unsqueeze(1).expand(x.shape[0], N - 1).cumprod(1))
    result = shape.cat(columns, 1)
    return result if increasing else result.flip(1)


# ------------------------------------------------------------------ histogram
_histogram_result = return_types.histogram


def _histogram_edges(data, bins, range):
    if isinstance(bins, Tensor):
        if bins.ndim != 1:
            raise RuntimeError(f"torch.histogram(): bins tensor should have one dimension, but "
                               f"got {bins.ndim} dimensions")
        return bins._data.astype(data.dtype)
    if bins <= 0:
        raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for "
                           f"dimension 0")
    if range is not None:
        low, high = (data.dtype.type(v) for v in range)
    elif data.size:
        low, high = data.min(), data.max()
    else:
        low, high = data.dtype.type(0), data.dtype.type(1)
    if low > high:
        raise RuntimeError(f"torch.histogram(): min should not exceed max, but got min {low} "
                           f"max {high}")
    if not (np.isfinite(low) and np.isfinite(high)):
        raise RuntimeError(f"torch.histogram(): range of [{low}, {high}] is not finite")
    if low == high:
        low, high = low - data.dtype.type(0.5), high + data.dtype.type(0.5)
    return np.linspace(low, high, bins + 1).astype(data.dtype)


@tensor_method
def histogram(input, bins, *, range=None, weight=None, density=False, out=None):
    """Histogram of ``input``'s values: (hist, bin_edges). Not differentiable, as in torch."""
    _no_out(out, "histogram")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"histogram_cpu" not implemented for '
                                  f"'{_dtype_title(input.dtype)}'")
    data = input._data.reshape(-1)
    edges = _histogram_edges(data, bins, range)
    weights = None
    if weight is not None:
        if tuple(weight.shape) != tuple(input.shape):
            raise RuntimeError("torch.histogram(): if weight tensor is provided, it should have "
                               "the same shape as the input tensor")
        weights = weight._data.reshape(-1)
    hist, _ = np.histogram(data, bins=edges, weights=weights)
    hist = hist.astype(data.dtype)
    if density:
        hist = hist / (hist.sum() * np.diff(edges))
    return _histogram_result(Tensor._make(hist.astype(data.dtype)), Tensor._make(edges))


# ------------------------------------------------------------------ windows
def _window(name, window_length, periodic, dtype, layout, device, pin_memory, requires_grad,
            formula):
    """A window of ``window_length`` points; periodic ones drop the last point of N+1."""
    creation._check_common(device, layout, pin_memory)
    dtype = _dtype.get_default_dtype() if dtype is None else dtype
    if not dtype.is_floating_point:
        raise RuntimeError(f"{name} expects floating point dtypes, got: {dtype}")
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got "
                           f"window_length={window_length}")
    if window_length <= 1:
        values = np.ones(window_length)
    else:
        n = window_length + 1 if periodic else window_length
        values = formula(np.arange(n, dtype=np.float64), n)[:window_length]
    t = Tensor._make(values.astype(dtype._np))
    return t.requires_grad_(True) if requires_grad else t


def _cosine_sum(*coefficients):
    """a0 - a1 cos(2 pi k/(N-1)) + a2 cos(4 pi k/(N-1)) - ...: the generalised cosine window."""
    def formula(k, n):
        phase = 2 * math.pi * k / (n - 1)
        return sum((-1) ** i * a * np.cos(i * phase) for i, a in enumerate(coefficients))
    return formula


def hann_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                pin_memory=False, requires_grad=False):
    """The Hann window."""
    return _window("hann_window", window_length, periodic, dtype, layout, device, pin_memory,
                   requires_grad, _cosine_sum(0.5, 0.5))


def hamming_window(window_length, periodic=True, alpha=0.54, beta=0.46, *, dtype=None,
                   layout=None, device=None, pin_memory=False, requires_grad=False):
    """The Hamming window, ``alpha - beta cos(2 pi k/(N-1))``."""
    return _window("hamming_window", window_length, periodic, dtype, layout, device,
                   pin_memory, requires_grad, _cosine_sum(alpha, beta))


def blackman_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    pin_memory=False, requires_grad=False):
    """The Blackman window."""
    return _window("blackman_window", window_length, periodic, dtype, layout, device,
                   pin_memory, requires_grad, _cosine_sum(0.42, 0.5, 0.08))


def bartlett_window(window_length, periodic=True, *, dtype=None, layout=None, device=None,
                    pin_memory=False, requires_grad=False):
    """The Bartlett (triangular) window."""
    return _window("bartlett_window", window_length, periodic, dtype, layout, device,
                   pin_memory, requires_grad, lambda k, n: 1 - np.abs(2 * k / (n - 1) - 1))


def kaiser_window(window_length, periodic=True, beta=12.0, *, dtype=None, layout=None,
                  device=None, pin_memory=False, requires_grad=False):
    """The Kaiser window with shape parameter ``beta``."""
    def formula(k, n):
        half = (n - 1) / 2
        return np.i0(beta * np.sqrt(np.clip(1 - ((k - half) / half) ** 2, 0, None))) / np.i0(beta)
    return _window("kaiser_window", window_length, periodic, dtype, layout, device, pin_memory,
                   requires_grad, formula)


# ------------------------------------------------------------------ scatters into a copy
def _embed(input, src, region, what):
    """A copy of ``input`` with ``region(copy)`` (a view) overwritten by ``src``."""
    result = input.clone()
    target = region(result)
    if tuple(target.shape) != tuple(src.shape):
        raise RuntimeError(f"{what}: expected src to have a size equal to the slice of self. "
                           f"src size = {list(src.shape)}, slice size = {list(target.shape)}")
    if src.dtype != input.dtype:
        raise RuntimeError(f"{what}: expected src to have the same dtype as input, got "
                           f"{src.dtype} and {input.dtype}")
    target.copy_(src)
    return result


@tensor_method
def select_scatter(input, src, dim, index):
    """A copy of ``input`` with ``input.select(dim, index)`` replaced by ``src``."""
    return _embed(input, src, lambda t: t.select(dim, index), "select_scatter")


@tensor_method
def slice_scatter(input, src, dim=0, start=None, end=None, step=1):
    """A copy of ``input`` with ``input[..., start:end:step, ...]`` (at ``dim``) set to ``src``."""
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    dim = wrap_dim(dim, builtins.max(input.ndim, 1))
    key = (slice(None),) * dim + (slice(start, end, step),)
    return _embed(input, src, lambda t: t[key], "slice_scatter")


@tensor_method
def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1):
    """A copy of ``input`` with the chosen diagonal replaced by ``src``."""
    return _embed(input, src, lambda t: t.diagonal(offset, dim1, dim2), "diagonal_scatter")


_INDEX_REDUCTIONS = ("prod", "mean", "amax", "amin")


def _index_reduce(input, dim, index, source, reduce, *, include_self=True):
    if reduce not in _INDEX_REDUCTIONS:
        raise RuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, amax or "
                           f"amin but got {reduce}.")
    if index.ndim > 1:
        raise IndexError("index_reduce_(): Index is supposed to be a vector")
    if index.dtype not in (_dtype.int64, _dtype.int32):
        raise RuntimeError("index_reduce_(): Expected a long or int tensor for index, but got "
                           f"{index.dtype}")
    if source.dtype != input.dtype:
        raise RuntimeError(f"index_reduce_(): self ({input.dtype}) and source ({source.dtype}) "
                           f"must have the same scalar type")
    dim = wrap_dim(dim, builtins.max(input.ndim, 1))
    count = source.shape[dim] if source.ndim else 1
    if index.numel() != count:
        raise RuntimeError(f"index_reduce_(): Number of indices ({index.numel()}) should be "
                           f"equal to source.size(dim): ({count}), for dim: {dim}")
    # index_reduce is scatter_reduce with the index vector spread along ``dim``.
    sizes = [1] * source.ndim
    if source.ndim:
        sizes[dim] = -1
    spread = index.to(_dtype.int64).reshape(sizes).expand(*source.shape)
    return indexing.scatter_reduce(input, dim, spread, source, reduce, include_self=include_self)


def index_reduce(input, dim, index, source, reduce, *, include_self=True, out=None):
    """Reduce rows of ``source`` into ``input`` at positions ``index`` along ``dim``."""
    _no_out(out, "index_reduce")
    return _index_reduce(input, dim, index, source, reduce, include_self=include_self)


tensor_method(_index_reduce, name="index_reduce", inplace=True)


# ------------------------------------------------------------------ small predicates
@tensor_method
def adjoint(input):
    """The conjugate transpose of the last two dimensions (a copy here, a view in torch)."""
    if input.ndim < 2:
        raise RuntimeError(f"tensor.adjoint() is only supported on matrices or batches of "
                           f"matrices. Got {input.ndim}-D tensor.")
    return input.transpose(-2, -1).conj()


@tensor_method
def is_same_size(input, other):
    """Whether the two tensors have the same shape."""
    return tuple(input.shape) == tuple(other.shape)


@tensor_method
def is_conj(input):
    """Always False: minitorch conjugates eagerly, it has no lazy conjugate bit."""
    return False


@tensor_method
def is_neg(input):
    """Always False: minitorch has no lazy negation bit."""
    return False


@tensor_method
def is_inference(input):
    """Always False: minitorch's inference_mode does not create inference tensors."""
    return False


def binomial(count, prob, generator=None):
    """Binomial samples with ``count`` trials of probability ``prob``; no gradient."""
    from .._random import _rng
    for t, name in ((count, "count"), (prob, "prob")):
        _require_tensor(t, "binomial", name)
    if not count.dtype.is_floating_point:
        raise ValueError(f"binomial only supports floating-point dtypes for count, got: "
                         f"{_dtype_title(count.dtype)}")
    if prob.dtype != count.dtype:
        raise RuntimeError(f"Found dtype {_dtype_title(prob.dtype)} but expected "
                           f"{_dtype_title(count.dtype)}")
    n, p = np.broadcast_arrays(count._data, prob._data)
    values = _rng(generator).binomial(n.astype(np.int64), p.astype(np.float64))
    return Tensor._make(np.asarray(values).astype(count._data.dtype))


# ------------------------------------------------------------------ *_copy variants
# torch's functionalisation exposes a copying twin of each view op: same result, new memory.
def _copy_of(view_op, name):
    def op(input, *args, out=None, **kwargs):
        _no_out(out, name)
        result = view_op(input, *args, **kwargs)
        if isinstance(result, (tuple, list)):
            return tuple(r.clone() for r in result)
        return result.clone()
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Like ``{name[:-5]}`` but returns a new tensor instead of a view."
    return op


def _view(input, size, *more):
    if isinstance(size, _dtype.dtype):
        raise NotImplementedError("minitorch's view_copy() does not support a dtype argument")
    return input.view(size, *more)


view_copy = _copy_of(_view, "view_copy")
permute_copy = _copy_of(lambda input, dims: input.permute(*dims), "permute_copy")
transpose_copy = _copy_of(lambda input, dim0, dim1: input.transpose(dim0, dim1),
                          "transpose_copy")
t_copy = _copy_of(lambda input: input.t(), "t_copy")
unsqueeze_copy = _copy_of(lambda input, dim: input.unsqueeze(dim), "unsqueeze_copy")
squeeze_copy = _copy_of(lambda input, dim=None: input.squeeze() if dim is None
                        else input.squeeze(dim), "squeeze_copy")
diagonal_copy = _copy_of(lambda input, offset=0, dim1=0, dim2=1:
                         input.diagonal(offset, dim1, dim2), "diagonal_copy")
select_copy = _copy_of(lambda input, dim, index: input.select(dim, index), "select_copy")
split_copy = _copy_of(lambda input, split_size, dim=0: input.split(split_size, dim),
                      "split_copy")
split_with_sizes_copy = _copy_of(lambda input, split_sizes, dim=0:
                                 input.split_with_sizes(split_sizes, dim),
                                 "split_with_sizes_copy")
unbind_copy = _copy_of(lambda input, dim=0: input.unbind(dim), "unbind_copy")
detach_copy = _copy_of(lambda input: input.detach(), "detach_copy")
detach_copy.__doc__ = ("A detached copy of ``input``. torch's result oddly requires grad (with a "
                       "backward that raises); ours does not.")
alias_copy = _copy_of(lambda input: input, "alias_copy")
narrow_copy = _copy_of(lambda input, dim, start, length: input.narrow(dim, start, length),
                       "narrow_copy")
unfold_copy = _copy_of(lambda input, dimension, size, step: input.unfold(dimension, size, step),
                       "unfold_copy")
view_as_real_copy = _copy_of(lambda input: shape.view_as_real(input), "view_as_real_copy")
view_as_complex_copy = _copy_of(lambda input: shape.view_as_complex(input),
                                "view_as_complex_copy")
tensor_method(narrow_copy, name="narrow_copy")


def _expand(input, size, *, implicit=False):
    if implicit:
        raise NotImplementedError("minitorch's expand_copy() does not support 'implicit'")
    return input.expand(*size)


expand_copy = _copy_of(_expand, "expand_copy")


def _slice(input, dim=0, start=None, end=None, step=1):
    if step <= 0:
        raise RuntimeError("slice step must be positive")
    dim = wrap_dim(dim, input.ndim)
    return input[(slice(None),) * dim + (slice(start, end, step),)]


slice_copy = _copy_of(_slice, "slice_copy")


# ------------------------------------------------------------------ fill, detach
def fill(input, value):
    """A new tensor of ``input``'s shape and dtype filled with ``value`` (a number or 0-d tensor)."""
    if input.numel() == 0:
        # Nothing to write; Tensor.fill_ rejects empty tensors' zero strides.
        return input.clone()
    return input.clone().fill_(value)


def fill_(input, value):
    """Fill ``input`` with ``value`` in place."""
    return input.fill_(value)


def zero_(input):
    """Fill ``input`` with zeros in place."""
    return input.zero_()


def detach(input):
    """A tensor sharing ``input``'s data, cut from the autograd graph."""
    return input.detach()


def detach_(input):
    """Cut ``input`` from the autograd graph in place."""
    return input.detach_()


# ------------------------------------------------------------------ legacy norms
def frobenius_norm(input, dim, keepdim=False, *, out=None):
    """The 2-norm over ``dim`` (at most two dimensions); deprecated in torch."""
    from .. import linalg
    _no_out(out, "frobenius_norm")
    dims = (dim,) if isinstance(dim, numbers.Integral) else tuple(dim)
    if len(dims) > 2:
        raise RuntimeError(f"Expected at most 2 dimensions, but got {len(dims)} dimensions "
                           f"instead.")
    return linalg.vector_norm(input, 2, dims, keepdim)


def nuclear_norm(input, dim=None, keepdim=False, *, out=None):
    """Sum of singular values over the last two dimensions (or the two in ``dim``)."""
    from .. import linalg
    _no_out(out, "nuclear_norm")
    if isinstance(dim, bool):  # the nuclear_norm(input, keepdim) overload
        dim, keepdim = None, dim
    # Like torch, no dim means the last two (batched), not the first two.
    dim = (-2, -1) if dim is None else tuple(dim)
    return linalg.matrix_norm(input, "nuc", dim, keepdim)


def norm_except_dim(v, pow=2, dim=0):
    """The ``pow``-norm over every dimension but ``dim``, kept for broadcasting (weight norm)."""
    from .. import linalg
    if dim == -1:
        return linalg.vector_norm(v, pow)
    dim = wrap_dim(dim, v.ndim)
    others = [d for d in builtins.range(v.ndim) if d != dim]
    return linalg.vector_norm(v, pow, others, keepdim=True)


def constant_pad_nd(input, pad, value=0):
    """Pad the last ``len(pad) // 2`` dimensions with ``value`` (negative pads crop)."""
    from ..nn import functional
    return functional.pad(input, tuple(pad), mode="constant", value=value)
