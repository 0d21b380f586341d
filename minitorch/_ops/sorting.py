"""Sorting and searching: sort, argsort, topk, kthvalue, unique, searchsorted, histograms.

Differentiable ones (sort, topk, kthvalue, msort) send each output's gradient back
to the input position it came from, through the scatter of ``reduction``.
"""
import builtins

import numpy as np

from .._tensor import Tensor
from ..autograd._primitive import defprim
from ._registry import tensor_method, wrap_dim
from .reduction import (_check_nonempty_dims, _int_dim, _no_complex, _no_out, _title,
                        return_types,
                        selecting_prim, values_and_indices)

__all__ = ["sort", "argsort", "msort", "topk", "kthvalue", "unique", "unique_consecutive",
           "searchsorted", "bucketize", "histc", "bincount"]


# ---------------------------------------------------------------------- sort
def _stable_order(x, dim, descending):
    """Indices of a stable sort along ``dim``; NaN counts as the largest value (as torch).

    Descending keeps equal elements in their original order: sort the reversed
    array ascending, then reverse the result (and map positions back).
    """
    if not descending:
        return np.argsort(x, axis=dim, kind="stable")
    n = x.shape[dim]
    reversed_order = np.argsort(np.flip(x, dim), axis=dim, kind="stable")
    return np.flip(n - 1 - reversed_order, dim)


_sort = selecting_prim("sort", "SortBackward0")


def sort(input, dim=-1, descending=False, *, stable=False, out=None):
    """Sorted values and their original indices along ``dim``.

    Always stable (torch only promises that with ``stable=True``); NaN sorts as largest.
    """
    _no_out(out, "sort")
    if input.dtype.is_complex:
        raise RuntimeError("Sort does not support complex dtypes on CPU")
    dim = wrap_dim(_int_dim(dim, "sort"), input.ndim)
    return values_and_indices(_sort, input, _stable_order, dim, True, return_types.sort,
                              descending=bool(descending))


def argsort(input, dim=-1, descending=False, *, stable=False):
    """Indices that sort ``input`` along ``dim`` (always stable)."""
    return sort(input, dim, descending, stable=stable).indices


def msort(input, *, out=None):
    """Values sorted along the first dim."""
    _no_out(out, "msort")
    return sort(input, dim=0).values


tensor_method(sort)
tensor_method(argsort)
tensor_method(msort)


# ----------------------------------------------------------- topk, kthvalue
def _topk_index(x, dim, k, largest):
    return np.take(_stable_order(x, dim, largest), np.arange(k), axis=dim)


_topk = selecting_prim("topk", "TopkBackward0")


def topk(input, k, dim=-1, largest=True, sorted=True, *, out=None):
    """The ``k`` largest (or smallest) values along ``dim`` and their indices.

    Results are always in sorted order (torch leaves the order unspecified for
    ``sorted=False``); among equal values the earliest index comes first.
    """
    _no_out(out, "topk")
    if input.dtype.is_complex:
        raise RuntimeError("topk does not support complex dtypes on CPU")
    dim = wrap_dim(_int_dim(dim, "topk"), input.ndim)
    size = input.shape[dim] if input.ndim else 1
    if not isinstance(k, (int, np.integer)) or not 0 <= k <= size:
        raise RuntimeError("selected index k out of range")
    return values_and_indices(_topk, input, _topk_index, dim, True, return_types.topk,
                              k=int(k), largest=bool(largest))


def _kthvalue_index(x, dim, k):
    return np.take(np.argsort(x, axis=dim, kind="stable"), [k - 1], axis=dim)


_kthvalue = selecting_prim("kthvalue", "KthvalueBackward0")


def kthvalue(input, k, dim=-1, keepdim=False, *, out=None):
    """The ``k``-th smallest value along ``dim`` (1-based) and its index.

    Among equal values the index of a stable sort is reported; torch's selection
    algorithm may name another of the equal elements.
    """
    _no_out(out, "kthvalue")
    _no_complex("kthvalue", input, "kthvalue_cpu")
    dim = wrap_dim(_int_dim(dim, "kthvalue"), input.ndim)
    _check_nonempty_dims("kthvalue", input, (dim,))
    size = input.shape[dim] if input.ndim else 1
    if not isinstance(k, (int, np.integer)) or not 1 <= k <= size:
        raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {dim}")
    return values_and_indices(_kthvalue, input, _kthvalue_index, dim, bool(keepdim),
                              return_types.kthvalue, k=int(k))


tensor_method(topk)
tensor_method(kthvalue)


# -------------------------------------------------------------------- unique
def _no_derivative(name, exc=NotImplementedError, message=None):
    """A backward rule that refuses, as torch's for ops without a derivative formula."""
    def rule(F, g, out, *inputs, **params):
        raise exc(message or f"the derivative for '{name}' is not implemented.")
    return rule


def _unique_forward(x, dim):
    if dim is None:
        output, inverse, counts = np.unique(x.reshape(-1), return_inverse=True,
                                            return_counts=True, equal_nan=False)
        return output, inverse.reshape(x.shape).astype(np.int64), counts.astype(np.int64)
    if x.shape[dim] == 0:
        if builtins.any(n == 0 for i, n in enumerate(x.shape) if i != dim):
            raise RuntimeError("Number of zero sized dimensions is more than one, so unique "
                               "cannot be applied")
        empty = np.zeros(0, dtype=np.int64)
        return x.copy(), empty, empty
    output, inverse, counts = np.unique(x, return_inverse=True, return_counts=True, axis=dim)
    return output, inverse.reshape(-1).astype(np.int64), counts.astype(np.int64)


def _unique_consecutive_forward(x, dim):
    if dim is None:
        flat = x.reshape(-1)
        starts = np.r_[True, flat[1:] != flat[:-1]] if flat.size else np.zeros(0, bool)
        output = flat[starts]
        inverse_shape = x.shape
    else:
        rows = np.moveaxis(x, dim, 0)
        n = rows.shape[0]
        flat_rows = rows.reshape(n, -1)
        changed = np.any(flat_rows[1:] != flat_rows[:-1], axis=1) if n else np.zeros(0, bool)
        starts = np.r_[True, changed] if n else np.zeros(0, bool)
        output = np.moveaxis(rows[starts], 0, dim)
        inverse_shape = (n,)
    inverse = (np.cumsum(starts) - 1).reshape(inverse_shape).astype(np.int64)
    counts = np.diff(np.r_[np.flatnonzero(starts), starts.size]).astype(np.int64)
    return np.ascontiguousarray(output), inverse, counts


# The values of unique ops carry a grad_fn whose backward raises, exactly as torch's.
_unique = defprim("unique", "Unique2Backward0", _unique_forward,
                  grads=(_no_derivative("_unique2"),), num_outputs=3, saves=())
_unique_dim = defprim("unique_dim", "UniqueDimBackward0", _unique_forward,
                      grads=(_no_derivative("unique_dim"),), num_outputs=3, saves=())
_unique_consecutive = defprim("unique_consecutive", "UniqueConsecutiveBackward0",
                              _unique_consecutive_forward,
                              grads=(_no_derivative("unique_consecutive"),), num_outputs=3,
                              saves=())


def _pick(results, return_inverse, return_counts):
    output, inverse, counts = results
    picked = [output] + ([inverse] if return_inverse else []) + ([counts] if return_counts else [])
    return picked[0] if len(picked) == 1 else tuple(picked)


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct elements (or slices along ``dim``); always sorted, even if sorted=False."""
    if dim is None:
        return _pick(_unique(input, dim=None), return_inverse, return_counts)
    dim = wrap_dim(_int_dim(dim, "unique"), input.ndim)
    return _pick(_unique_dim(input, dim=dim), return_inverse, return_counts)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    """Collapse runs of equal consecutive elements (or slices along ``dim``)."""
    if dim is not None:
        dim = wrap_dim(_int_dim(dim, "unique_consecutive"), input.ndim)
    return _pick(_unique_consecutive(input, dim=dim), return_inverse, return_counts)


def _unique_method(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
    return unique(self, sorted, return_inverse, return_counts, dim)


Tensor.unique = _unique_method
tensor_method(unique_consecutive)


# ------------------------------------------------------------------ searching
def _searchsorted_np(sequence, values, side):
    """np.searchsorted over the last dim, row by row when ``sequence`` is N-d."""
    if sequence.ndim == 1:
        return np.searchsorted(sequence, values, side=side)
    lead = sequence.shape[:-1]
    seq_rows = sequence.reshape(-1, sequence.shape[-1])
    value_rows = values.reshape(seq_rows.shape[0], -1)
    result = np.stack([np.searchsorted(s, v, side=side) for s, v in zip(seq_rows, value_rows)])
    return result.reshape(lead + values.shape[-1:])


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None, out=None):
    """Insertion indices of ``input`` into ``sorted_sequence`` along its last dim."""
    _no_out(out, "searchsorted")
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but "
                               f"got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, "
                               "got side of left while right was True")
        right = side == "right"
    sequence = sorted_sequence._data
    if sorter is not None:
        if sorter.shape != sorted_sequence.shape:
            raise RuntimeError("torch.searchsorted(): boundary and sorter must have the same "
                               "size")
        sequence = np.take_along_axis(sequence, sorter._data, -1)
    scalar = not isinstance(input, Tensor)
    values = np.asarray(input) if scalar else input._data
    if sequence.ndim == 0:
        raise RuntimeError("torch.searchsorted(): boundaries tensor should have positive "
                           "dimension")
    if sequence.ndim > 1 and (scalar or values.shape[:-1] != sequence.shape[:-1]):
        raise RuntimeError("torch.searchsorted(): boundaries tensor should be 1 dimension or "
                           "the first N-1 dimensions of boundaries tensor and input value "
                           "tensor must match, but we got boundaries tensor "
                           f"{list(sequence.shape)} and input value tensor "
                           f"{list(values.shape)}")
    result = _searchsorted_np(sequence, values, "right" if right else "left")
    return Tensor._make(np.asarray(result, dtype=np.int32 if out_int32 else np.int64))


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None):
    """Bucket index of each element: ``boundaries[i-1] < x <= boundaries[i]`` (right=False)."""
    _no_out(out, "bucketize")
    if boundaries.ndim != 1:
        raise RuntimeError("boundaries tensor must be 1 dimension, but got dim("
                           f"{boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


# ----------------------------------------------------------------- histograms
def histc(input, bins=100, min=0, max=0, *, out=None):
    """Histogram with ``bins`` equal bins over [min, max] (the data range if min == max).

    Not differentiable (torch records a node whose backward raises).
    """
    _no_out(out, "histc")
    if not input.dtype.is_floating_point:
        raise NotImplementedError(f'"histogram_cpu" not implemented for '
                                  f"'{_title(input.dtype)}'")
    if bins <= 0:
        raise RuntimeError("torch.histc(): bins must be > 0, but got "
                           f"{bins} for dimension 0")
    x = input._data.reshape(-1)
    low, high = x.dtype.type(min), x.dtype.type(max)
    if low == high and x.size:
        low, high = x.min(), x.max()
    if low == high:
        low, high = low - 1, high + 1
    if low > high:
        raise RuntimeError("torch.histc: max must be larger than min")
    if not (np.isfinite(low) and np.isfinite(high)):
        raise RuntimeError(f"torch.histc: range of [{low}, {high}] is not finite")
    inside = x[(x >= low) & (x <= high)]
    # torch's formula, evaluated in the input's dtype; the max lands in the last bin.
    position = ((inside - low) * x.dtype.type(bins) / (high - low)).astype(np.int64)
    position = np.minimum(position, bins - 1)
    counts = np.bincount(position, minlength=bins)
    return Tensor._make(counts.astype(x.dtype))


def bincount(input, weights=None, minlength=0):
    """Occurrences of each non-negative integer (or summed ``weights``); not differentiable."""
    x = input._data
    if x.dtype.kind not in "iu":
        raise NotImplementedError(f'"bincount_cpu" not implemented for \'{_title(input.dtype)}\'')
    if x.ndim != 1 or (x.size and x.min() < 0):
        raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if minlength < 0:
        raise RuntimeError("minlength should be >= 0")
    if weights is None:
        return Tensor._make(np.bincount(x, minlength=minlength).astype(np.int64))
    if weights.ndim != 1 or weights.shape[0] != x.shape[0]:
        raise RuntimeError("weights should be 1-d and have the same length as input")
    return _weighted_bincount(input, weights, minlength=minlength)


def _weighted_bincount_forward(x, w, minlength):
    # Floating weights keep their dtype; any other weights count in float64.
    out_dtype = w.dtype if w.dtype.kind == "f" else np.float64
    return np.bincount(x, weights=w, minlength=minlength).astype(out_dtype)


_weighted_bincount = defprim(
    "bincount", "NotImplemented", _weighted_bincount_forward,
    grads=(None, _no_derivative("bincount", RuntimeError,
                                "derivative for aten::bincount is not implemented")), saves=())


tensor_method(histc)
tensor_method(bincount)
