"""Indexing: ``t[...]`` reads and writes, gather/scatter, index_*, masked_*, take/put, nonzero.

``t[...]`` follows torch's recipe (``applySlicing`` in torch's C++): walk the
index left to right, applying each int, slice and None as its own *view* op
(SelectBackward0, SliceBackward0, UnsqueezeBackward0), and collect the tensor
indices; if any were given, finish with one advanced-indexing *copy*
(IndexBackward0). Because ints are applied first as selects, torch (and so
minitorch) differs from NumPy in one corner: ``x[1, :, [0, 1]]`` keeps the
sliced dim in place (NumPy moves the advanced dim to the front).

``t[...] = v`` is the same walk followed by an in-place ``copy_`` (basic index)
or ``index_put_`` (tensor indices) on the resulting view, so version counters,
leaf checks and gradients through views all come from ``Tensor._inplace``.

Backward rules that must also work with ``create_graph=True`` use ``F``
(``F.gather``, ``F.scatter_add``, ...): each such name has a NumPy twin below.
Where a rule needs something with no public torch spelling (zeros of a given
shape, index_put with whole-dim entries) a small helper picks the NumPy or the
Tensor version itself.
"""
import numbers
import operator
import warnings

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _TYPE_TITLES, _check_no_partial_overlap
from ..autograd._primitive import defprim, numpy_namespace, numpy_rule_op
from ._registry import broadcasts_to, tensor_method, wrap_dim

__all__ = ["nonzero", "argwhere", "gather", "scatter", "scatter_add", "scatter_reduce",
           "index_select", "index_add", "index_copy", "index_fill", "index_put", "index_put_",
           "masked_fill", "masked_select", "masked_scatter", "take", "take_along_dim", "put"]


# ============================================================ gradient helpers
def _zeros(F, like, shape):
    """Zeros of ``shape`` in ``like``'s dtype: an array on plain backward, a Tensor otherwise."""
    if F is numpy_namespace:
        return np.zeros(shape, dtype=like.dtype)
    return like.new_zeros(tuple(shape))


def _dims_key(dim, item):
    """The NumPy key selecting ``item`` along axis ``dim`` (``(:, :, item)`` for dim 2)."""
    return (slice(None),) * dim + (item,)


def _along_dim_key(index, dim):
    """Coordinates that make ``a[key]`` read ``a`` along ``dim`` at ``index`` (gather's access)."""
    grids = np.indices(index.shape, sparse=True)
    return tuple(index if d == dim else grids[d] for d in range(index.ndim))


def _check_index_bounds(index, size, dim, error=IndexError, allow_negative=True):
    """torch's out-of-bounds message for an integer index array on a dim of ``size``."""
    if index.size == 0:
        return
    bad = index[(index >= size) | (index < (-size if allow_negative else 0))]
    if bad.size:
        raise error(f"index {int(bad.flat[0])} is out of bounds for dimension {dim} "
                    f"with size {size}")


# --------------------------------------------------------- NumPy twins for F
@numpy_rule_op("gather")
def _gather_np(input, dim, index, *, sparse_grad=False):
    return input[_along_dim_key(index, dim)]


@numpy_rule_op("scatter_add")
def _scatter_add_np(input, dim, index, src):
    out = input.copy()
    np.add.at(out, _along_dim_key(index, dim), src[tuple(slice(0, n) for n in index.shape)])
    return out


@numpy_rule_op("scatter")
def _scatter_np(input, dim, index, src=None, value=None):
    out = input.copy()
    out[_along_dim_key(index, dim)] = (
        src[tuple(slice(0, n) for n in index.shape)] if src is not None else value)
    return out


@numpy_rule_op("index_select")
def _index_select_np(input, dim, index):
    return np.take(input, index, axis=dim)


@numpy_rule_op("index_add")
def _index_add_np(input, dim, index, source, *, alpha=1):
    out = input.copy()
    np.add.at(np.moveaxis(out, dim, 0), index, np.moveaxis(source, dim, 0) * alpha)
    return out


@numpy_rule_op("index_fill")
def _index_fill_np(input, dim, index, value):
    out = input.copy()
    out[_dims_key(dim, index)] = value
    return out


def _index_put_np(input, indices, values, accumulate=False):
    out = input.copy()
    key = tuple(slice(None) if i is None else i for i in indices)
    if accumulate:
        np.add.at(out, key, values)
    else:
        out[key] = values
    return out


@numpy_rule_op("masked_scatter")
def _masked_scatter_np(input, mask, source):
    out = np.array(np.broadcast_to(input, np.broadcast_shapes(input.shape, mask.shape)))
    mask = np.broadcast_to(mask, out.shape)
    out[mask] = source.reshape(-1)[:int(mask.sum())]
    return out


@numpy_rule_op("take")
def _take_np(input, index):
    return input.reshape(-1)[index]


@numpy_rule_op("put")
def _put_np(input, index, source, accumulate=False):
    out = input.copy()
    flat = out.reshape(-1)
    if accumulate:
        np.add.at(flat, index.reshape(-1), source.reshape(-1))
    else:
        flat[index.reshape(-1)] = source.reshape(-1)
    return out


# ====================================================== the view ops of t[...]
def _embed_forward(g, shape, key):
    out = np.zeros(shape, dtype=g.dtype)
    out[key] = g
    return out


def _read_basic(g, key):
    """``g[key]`` for a basic (int/slice) key, as a fresh value."""
    return g[key] if isinstance(g, Tensor) else np.array(g[key])


# The adjoint of a basic read: zeros with the gradient written back in place.
_embed = defprim("embed_basic", "SliceBackwardBackward0", _embed_forward,
                 grads=(lambda F, g, out, src, shape, key: _read_basic(g, key),), saves=())


def _basic_read_grad(F, g, out, x, key):
    if F is numpy_namespace:
        return _embed_forward(g, x.shape, key)
    return _embed(g, shape=tuple(x.shape), key=key)


def _view_forward(x, key):
    # the trailing Ellipsis keeps an all-int key a 0-d *view* (NumPy would return a scalar)
    return x[key + (Ellipsis,)]


_select = defprim("getitem_select", "SelectBackward0", _view_forward,
                  grads=(_basic_read_grad,), saves=(), is_view=True)
_slice = defprim("getitem_slice", "SliceBackward0", _view_forward,
                 grads=(_basic_read_grad,), saves=(), is_view=True)
_alias = defprim("alias", "AliasBackward0", lambda x: x[...],
                 grads=(lambda F, g, out, x: g,), saves=(), is_view=True)


def _select_dim(t, dim, i):
    """``t.select(dim, i)`` as a view, with torch's bound check."""
    size = t._data.shape[dim]
    if not -size <= i < size:
        raise IndexError(f"index {i} is out of bounds for dimension {dim} with size {size}")
    return _select(t, key=_dims_key(dim, int(i)))


def _slice_dim(t, dim, s):
    """``t[..., s]`` along ``dim`` as a view; full slices are skipped as in torch."""
    # bounds may be 0-d tensors or NumPy ints: anything with __index__
    s = slice(*(None if b is None else operator.index(b) for b in (s.start, s.stop, s.step)))
    step = 1 if s.step is None else s.step
    if step == 0:
        raise ValueError("slice step cannot be zero")
    if step < 0:
        raise ValueError("step must be greater than zero")
    size = t._data.shape[dim]
    # torch returns the tensor itself (no node) for `:`-like slices
    if (s.start in (None, 0)) and (s.stop is None or s.stop >= size) and step == 1:
        return t
    return _slice(t, key=_dims_key(dim, slice(*s.indices(size))))


# ========================================================= parsing an index
_INDEX_TYPE_ERROR = ("only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                     "Variables are valid indices (got {})")


def _treat_as_tuple(seq):
    """torch's legacy rule: a short list holding slices/None/.../sequences is a tuple."""
    if len(seq) >= 32:
        return False
    return any(isinstance(item, (Tensor, np.ndarray, list, tuple, slice)) or item is None
               or item is Ellipsis for item in seq)


def _as_items(index):
    """The index as a tuple of items, the way torch splits it."""
    if isinstance(index, tuple):
        return index
    if isinstance(index, list) and _treat_as_tuple(index):
        warnings.warn("Using a non-tuple sequence for multidimensional indexing is deprecated; "
                      "use x[tuple(seq)] instead of x[seq].", UserWarning, stacklevel=3)
        return tuple(index)
    return (index,)


def _index_array(item):
    """An index item (Tensor, ndarray, list, NumPy scalar) as an ndarray, or the item as is."""
    if isinstance(item, Tensor):
        arr = item._data
        if arr.dtype.kind == "u" and arr.dtype.itemsize == 1:
            warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a dtype "
                          "torch.bool instead.", UserWarning, stacklevel=4)
            return arr.astype(bool)
        if arr.dtype.kind == "b" or arr.dtype in (np.int64, np.int32):
            return arr
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    if isinstance(item, (list, np.ndarray)):
        arr = np.asarray(item)
        if arr.dtype.kind in "biu":
            return arr
        if arr.dtype.kind == "f" or arr.size == 0:
            return arr.astype(np.int64)     # torch truncates floats in lists and arrays
        raise IndexError(_INDEX_TYPE_ERROR.format(type(item).__name__))
    if isinstance(item, np.bool_):
        return bool(item)
    if isinstance(item, np.integer):
        return int(item)
    return item


def _convert_items(items):
    """Each item as None, Ellipsis, bool, int, slice or an int/bool ndarray; else IndexError."""
    converted = []
    for item in items:
        item = _index_array(item)
        if isinstance(item, np.ndarray) and item.ndim == 0:
            # a 0-d integer index is a plain int (a view); a 0-d bool is a Python bool
            item = bool(item) if item.dtype.kind == "b" else int(item)
        valid = isinstance(item, (bool, int, slice, np.ndarray))
        if not (valid or item is None or item is Ellipsis):
            if isinstance(item, (str, bytes)):
                raise TypeError(f"new(): invalid data type '{type(item).__name__}'")
            raise IndexError(_INDEX_TYPE_ERROR.format(type(item).__name__))
        converted.append(item)
    return converted


def _specified_dims(items):
    """How many dims of the tensor the index consumes (None, ... and bools consume none)."""
    count = 0
    for item in items:
        if isinstance(item, np.ndarray):
            count += item.ndim if item.dtype.kind == "b" else 1
        elif isinstance(item, (int, slice)) and not isinstance(item, bool):
            count += 1
    return count


def _apply_basic(self, index):
    """Apply the int/slice/None part of ``index`` as views; collect the tensor indices.

    Returns ``(view, advanced)``: ``advanced`` maps a dim of ``view`` to the
    index array (int or bool mask) torch applies there afterwards.
    """
    items = _convert_items(_as_items(index))
    ndim = self._data.ndim
    specified = _specified_dims(items)
    if specified > ndim:
        if ndim == 0:
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    from .shape import unsqueeze
    result, dim, advanced = self, 0, {}
    for item in items:
        if item is None:
            result = unsqueeze(result, dim)
            dim += 1
        elif item is Ellipsis:
            dim += ndim - specified
        elif isinstance(item, bool):
            # torch: a bool adds a dim of size 1, kept (True) or emptied (False)
            result = unsqueeze(result, dim)
            advanced[dim] = np.array([item])
            dim += 1
        elif isinstance(item, int):
            result = _select_dim(result, dim, item)
        elif isinstance(item, slice):
            result = _slice_dim(result, dim, item)
            dim += 1
        else:
            advanced[dim] = item
            dim += item.ndim if item.dtype.kind == "b" else 1
    return result, advanced


def _advanced_key(shape, entries):
    """The NumPy key for per-dim index arrays (None = whole dim), checked as torch does.

    Bool masks become their nonzero coordinates; every key entry is then a
    slice(None) or an int64 array, and NumPy's rule for where the indexed dims
    go (adjacent: in place; separated: to the front) is torch's rule too.
    """
    key, dim = [], 0
    for entry in entries:
        if entry is None:
            key.append(slice(None))
            dim += 1
            continue
        if entry.dtype.kind == "b":
            _check_mask_shape(entry, shape, dim)
            key.extend(c.astype(np.int64) for c in np.nonzero(entry))
            dim += entry.ndim
            continue
        if dim >= len(shape):
            raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
        _check_index_bounds(entry, shape[dim], dim)
        key.append(entry.astype(np.int64, copy=False))
        dim += 1
    arrays = [k for k in key if isinstance(k, np.ndarray)]
    try:
        np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        shapes = ", ".join(str(list(a.shape)) for a in arrays)
        raise IndexError("shape mismatch: indexing tensors could not be broadcast together with "
                         f"shapes {shapes}") from None
    return tuple(key)


def _check_mask_shape(mask, shape, dim):
    if dim + mask.ndim > len(shape):
        raise IndexError(f"too many indices for tensor of dimension {len(shape)}")
    for j, n in enumerate(mask.shape):
        if n != shape[dim + j]:
            raise IndexError(f"The shape of the mask {list(mask.shape)} at index {j} does not "
                             f"match the shape of the indexed tensor {list(shape)} at index "
                             f"{dim + j}")


def _entries(advanced):
    """Per-dim entries (array or None) from the dict of advanced indices, trailing Nones cut."""
    entries, dim = [], 0
    last = max(advanced)
    while dim <= last:
        item = advanced.get(dim)
        entries.append(item)
        dim += item.ndim if item is not None and item.dtype.kind == "b" else 1
    return entries


# ============================================================ advanced reads
def _index_forward(x, *indices, dims):
    return x[_key_from(dims, indices)]


def _key_from(dims, indices):
    """Rebuild a key from the dims that carry an index and the index values themselves."""
    key = [slice(None)] * (max(dims) + 1 if dims else 0)
    for d, i in zip(dims, indices):
        key[d] = i
    return tuple(key)


def _index_vjp(F, g, out, x, *indices, dims):
    entries = list(_key_from(dims, indices))
    entries = [None if isinstance(e, slice) else e for e in entries]
    grad = _put_entries(F, _zeros(F, g, x.shape), tuple(entries), g, True)
    return (grad,) + (None,) * len(indices)


# The index tensors (every input after x) are saved; x itself is not needed.
_index = defprim("index", "IndexBackward0", _index_forward, vjp=_index_vjp,
                 saves=range(1, 1 << 16))


def _key_inputs(key, given):
    """The dims of ``key`` that hold index arrays, and those arrays as prim inputs.

    An array that is the data of one of the caller's index Tensors (``given``)
    is passed as that Tensor, so writing to the index before backward is
    caught by its version counter, as in torch.
    """
    by_array = {id(t._data): t for t in given}
    dims = tuple(d for d, k in enumerate(key) if isinstance(k, np.ndarray))
    inputs = []
    for d in dims:
        t = by_array.get(id(key[d]))
        inputs.append(t if t is not None else Tensor._make(key[d]))
    return dims, inputs


def _tensors_in(index):
    """The Tensors among the items of an index."""
    items = index if isinstance(index, (tuple, list)) else (index,)
    return [i for i in items if isinstance(i, Tensor)]


def _index_with_key(t, key, given=()):
    dims, indices = _key_inputs(key, given)
    return _index(t, *indices, dims=dims)


def _getitem(self, index):
    """``self[index]``: a view for ints/slices/None/..., a copy when tensors index it."""
    result, advanced = _apply_basic(self, index)
    if advanced:
        key = _advanced_key(result._data.shape, _entries(advanced))
        return _index_with_key(result, key, _tensors_in(index))
    if result is self:
        return _alias(self)
    return result


# ============================================================== index_put
def _index_put_forward(x, values, *indices, dims, accumulate):
    out = x.copy()
    key = _key_from(dims, indices)
    target = out[key].shape
    try:
        values = np.broadcast_to(values, target)
    except ValueError:
        raise RuntimeError(f"shape mismatch: value tensor of shape {list(values.shape)} cannot "
                           f"be broadcast to indexing result of shape {list(target)}") from None
    if accumulate:
        np.add.at(out, key, values)
    else:
        out[key] = values
    return out


def _index_put_vjp(F, g, out, x, values, *indices, dims, accumulate):
    key = _key_from(dims, indices)
    entries = tuple(None if isinstance(e, slice) else e for e in key)
    if accumulate:
        grad_x = g
    else:
        grad_x = _put_entries(F, g, entries, _zeros(F, g, ()), False)
    return (grad_x, g[key]) + (None,) * len(indices)


# Only the index tensors (every input after x and values) are saved.
_index_put = defprim("index_put", "IndexPutBackward0", _index_put_forward,
                     vjp=_index_put_vjp, saves=range(2, 1 << 16))


def _index_put_key(t, key, values, accumulate, given=()):
    dims, indices = _key_inputs(key, given)
    return _index_put(t, values, *indices, dims=dims, accumulate=bool(accumulate))


def _put_entries(F, input, entries, values, accumulate):
    """index_put inside backward rules, where an entry may be None (a whole dim)."""
    if F is numpy_namespace:
        return _index_put_np(input, entries, values, accumulate)
    return _index_put_tensors(input, entries, values, accumulate)


def _index_put_tensors(input, indices, values, accumulate):
    entries = [None if i is None else _index_array(i) for i in indices]
    while entries and entries[-1] is None:
        entries.pop()
    key = _advanced_key(input._data.shape, entries) if entries else ()
    return _index_put_key(input, key, values, accumulate, _tensors_in(indices))


def index_put(input, indices, values, accumulate=False):
    """Out-of-place ``input[indices] = values`` (or ``+=`` with accumulate) for index tensors."""
    if not isinstance(indices, (tuple, list)):
        raise TypeError("index_put(): argument 'indices' must be tuple of Tensors, not "
                        f"{type(indices).__name__}")
    for n, i in enumerate(indices):
        if not isinstance(i, Tensor):
            raise TypeError(f"expected Tensor as element {n} in argument 1, but got "
                            f"{type(i).__name__}")
    if not isinstance(values, Tensor):
        raise TypeError("index_put(): argument 'values' must be Tensor, not "
                        f"{type(values).__name__}")
    if values.dtype is not input.dtype:
        raise RuntimeError("Index put requires the source and destination dtypes match, got "
                           f"{_TYPE_TITLES[input.dtype]} for the destination and "
                           f"{_TYPE_TITLES[values.dtype]} for the source.")
    return _index_put_tensors(input, indices, values, accumulate)


def index_put_(input, indices, values, accumulate=False):
    """In-place :func:`index_put`."""
    if isinstance(values, Tensor):
        _check_no_partial_overlap(input, values)
    return input._inplace(index_put, indices, values, accumulate)


Tensor.index_put = index_put
Tensor.index_put_ = index_put_


# ================================================================ t[...] = v
def _value_tensor(value, like):
    """The assigned value as a tensor of ``like``'s dtype (differentiable cast)."""
    if isinstance(value, Tensor):
        return value if value.dtype is like.dtype else value.to(like.dtype)
    if isinstance(value, (numbers.Number, np.number, np.bool_)):
        return Tensor._make(np.array(value).astype(like._data.dtype))
    kind = type(value)
    name = kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"
    raise TypeError(f"can't assign a {name} to a {like.type()}")


def _strip_leading_ones(value, ndim):
    """torch drops leading size-1 dims of the value that the target does not have."""
    shape = value._data.shape
    lead = 0
    while len(shape) - lead > ndim and shape[lead] == 1:
        lead += 1
    return value.reshape(shape[lead:]) if lead else value


def _setitem(self, index, value):
    """``self[index] = value`` in place: copy_ into the view, or index_put_ for tensor indices."""
    if index is False:
        return              # torch writes nothing (and bumps no version) for x[False] = v
    view, advanced = _apply_basic(self, index)
    single_mask = isinstance(index, Tensor) and index.dtype is _dtype.bool
    if advanced and isinstance(value, Tensor) and value.dtype is not self.dtype \
            and not single_mask:
        # torch casts the value for copy_ and masks, but index_put_ insists on one dtype
        raise RuntimeError("Index put requires the source and destination dtypes match, got "
                           f"{_TYPE_TITLES[self.dtype]} for the destination and "
                           f"{_TYPE_TITLES[value.dtype]} for the source.")
    value = _value_tensor(value, self)
    if advanced:
        key = _advanced_key(view._data.shape, _entries(advanced))
        arrays = [k for k in key if isinstance(k, np.ndarray)]
        result_ndim = view.ndim - len(arrays) + len(np.broadcast_shapes(*(a.shape for a in arrays)))
        value = _strip_leading_ones(value, result_ndim)
        _check_no_partial_overlap(view, value)
        view._inplace(_index_put_key, key, value, False, _tensors_in(index))
        return
    value = _strip_leading_ones(value, view.ndim)
    if value.ndim <= view.ndim and not broadcasts_to(value._data.shape, view._data.shape):
        value.expand(view.shape)  # raises torch's message for `x[i] = v` ("expanded size ...")
    if view is self and value.ndim == 0:
        self.fill_(value)   # as torch: `x[...] = 5` is a fill, not a write through a view
    elif view is self:
        self.copy_(value)
    else:
        view.copy_(value)


Tensor.__getitem__ = _getitem
Tensor.__setitem__ = _setitem


# ====================================================== copy_, fill_, zero_
def _broadcast_error(a_shape, b_shape):
    """torch's message for shapes that do not broadcast."""
    for i in range(1, max(len(a_shape), len(b_shape)) + 1):
        a = a_shape[-i] if i <= len(a_shape) else 1
        b = b_shape[-i] if i <= len(b_shape) else 1
        if a != b and a != 1 and b != 1:
            dim = max(len(a_shape), len(b_shape)) - i
            return RuntimeError(f"The size of tensor a ({a}) must match the size of tensor b "
                                f"({b}) at non-singleton dimension {dim}")
    return RuntimeError(f"shapes {list(a_shape)} and {list(b_shape)} do not broadcast")


def _copy_forward(dst, src):
    return np.broadcast_to(src, dst.shape).astype(dst.dtype, copy=True)


_copy = defprim("copy", "CopyBackwards", _copy_forward, grads=(
    lambda F, g, out, dst, src: g * 0,
    lambda F, g, out, dst, src: g), saves=())


def _copy_(self, src, non_blocking=False):
    """Copy ``src`` (broadcast, cast to this dtype) into this tensor in place."""
    if not isinstance(src, Tensor):
        raise TypeError(f"copy_(): argument 'src' must be Tensor, not {type(src).__name__}")
    try:
        if np.broadcast_shapes(src._data.shape, self._data.shape) != self._data.shape:
            raise ValueError
    except ValueError:
        raise _broadcast_error(self._data.shape, src._data.shape) from None
    _check_no_partial_overlap(self, src)
    return self._inplace(_copy, src)


Tensor.copy_ = _copy_

_fill_scalar = defprim("fill", "FillBackward2",
                       lambda x, value: np.full(x.shape, value).astype(x.dtype),
                       grads=(lambda F, g, out, x, value: g * 0,), saves=())
_fill_tensor = defprim("fill_tensor", "FillBackward3",
                       lambda x, value: np.broadcast_to(value, x.shape).astype(x.dtype),
                       grads=(lambda F, g, out, x, value: g * 0,
                              lambda F, g, out, x, value: g), saves=())
_zero = defprim("zero", "ZeroBackward0", np.zeros_like,
                grads=(lambda F, g, out, x: g * 0,), saves=())


def _fill(self, value):
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError("fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value.ndim} dimensions.")
        return _fill_tensor(self, value)
    _check_scalar(value, "fill_", "value")
    return _fill_scalar(self, value=value)


def _check_scalar(value, fn, name):
    if not isinstance(value, (numbers.Number, np.number, np.bool_)):
        raise TypeError(f"{fn}(): argument '{name}' must be Number, not {type(value).__name__}")


def _fill_(self, value):
    """Fill this tensor in place with a scalar or a 0-d tensor."""
    return self._inplace(_fill, value)


def _zero_(self):
    """Fill this tensor with zeros in place."""
    return self._inplace(_zero)


Tensor.fill_ = _fill_
Tensor.zero_ = _zero_


# ====================================================== gather and scatter
def _check_index_tensor(index, fn):
    if not isinstance(index, Tensor):
        raise TypeError(f"{fn}(): argument 'index' must be Tensor, not {type(index).__name__}")
    if index._data.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{fn}(): Expected dtype int32/int64 for index")


def _check_gather_shapes(input, dim, index, fn_dim_name="self", src=None):
    """torch's shape rules for gather/scatter: same ndim, index no larger than input."""
    in_shape, idx_shape = input._data.shape, index._data.shape
    if index._data.size == 0:
        return
    if len(idx_shape) != len(in_shape) and not (len(in_shape) <= 1 and len(idx_shape) <= 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as "
                           f"{'input' if src is None else fn_dim_name} tensor")
    for d, (i, n) in enumerate(zip(idx_shape, in_shape)):
        if d != dim and i > n:
            raise RuntimeError(f"Size does not match at dimension {d} expected index "
                               f"{list(idx_shape)} to be no larger than self {list(in_shape)} "
                               f"apart from dimension {dim}")
    if src is not None:
        for d, (i, n) in enumerate(zip(idx_shape, src._data.shape)):
            if i > n:
                raise RuntimeError(f"Expected index {list(idx_shape)} to be no larger than src "
                                   f"{list(src._data.shape)} apart from dimension {dim}")


def _gather_forward(x, index, dim):
    if index.size:
        _check_index_bounds(index, _atleast_1d(x).shape[dim], dim, RuntimeError,
                            allow_negative=False)
    x0, i0 = _atleast_1d(x), _atleast_1d(index)
    return x0[_along_dim_key(i0, dim)].reshape(index.shape)


def _atleast_1d(a):
    """0-d arrays take part in gather/scatter as 1-element 1-d arrays (a view)."""
    return a.reshape(1) if a.ndim == 0 else a


_gather = defprim("gather", "GatherBackward0", _gather_forward, grads=(
    lambda F, g, out, x, index, dim: _gather_grad(F, g, x, index, dim), None), saves=(1,))


def _gather_grad(F, g, x, index, dim):
    if x.ndim == 0:
        return F.sum(g)
    return F.scatter_add(_zeros(F, g, x.shape), dim, index, g)


def gather(input, dim, index, *, sparse_grad=False, out=None):
    """Values of ``input`` along ``dim`` at ``index``: out[i][j] = input[index[i][j]][j] (dim 0)."""
    _no_out(out)
    if sparse_grad:
        raise NotImplementedError("minitorch does not support gather(sparse_grad=True)")
    _check_index_tensor(index, "gather")
    dim = wrap_dim(dim, input.ndim)
    _check_gather_shapes(input, dim, index)
    return _gather(input, index, dim=dim)


tensor_method(gather)


def _scatter_src_forward(x, index, src, dim):
    _check_index_bounds(index, _atleast_1d(x).shape[dim], dim, RuntimeError,
                        allow_negative=False)
    out = x.copy()
    o = _atleast_1d(out)
    idx, s = _atleast_1d(index), _atleast_1d(src)
    o[_along_dim_key(idx, dim)] = s[tuple(slice(0, n) for n in idx.shape)]
    return out


def _src_grad(F, g, index, src, dim):
    """The gradient of scatter's ``src``: g read at the scattered places, in src's shape."""
    if tuple(index.shape) != tuple(src.shape):
        raise RuntimeError(f"Function ScatterBackward0 returned an invalid gradient at index 1 - "
                           f"got {list(index.shape)} but expected shape compatible with "
                           f"{list(src.shape)}")
    if g.ndim == 0:
        return g
    return F.gather(g, dim, index)


def _scatter_self_grad(F, g, index, dim):
    if g.ndim == 0:
        return g * 0
    return F.scatter(g, dim, index, value=0.0)


_scatter_src = defprim("scatter_src", "ScatterBackward0", _scatter_src_forward, grads=(
    lambda F, g, out, x, index, src, dim: _scatter_self_grad(F, g, index, dim),
    None,
    lambda F, g, out, x, index, src, dim: _src_grad(F, g, index, src, dim)), saves=(1,))


def _scatter_value_forward(x, index, dim, value):
    _check_index_bounds(index, _atleast_1d(x).shape[dim], dim, RuntimeError,
                        allow_negative=False)
    out = x.copy()
    _atleast_1d(out)[_along_dim_key(_atleast_1d(index), dim)] = value
    return out


_scatter_value = defprim("scatter_value", "ScatterBackward1", _scatter_value_forward, grads=(
    lambda F, g, out, x, index, dim, value: _scatter_self_grad(F, g, index, dim), None),
    saves=(1,))


def _scatter_reduce_forward(x, index, src, dim, reduce):
    _check_index_bounds(index, _atleast_1d(x).shape[dim], dim, RuntimeError,
                        allow_negative=False)
    out = x.copy()
    idx = _atleast_1d(index)
    key = _along_dim_key(idx, dim)
    values = _atleast_1d(src)[tuple(slice(0, n) for n in idx.shape)]
    ufunc = np.add if reduce == "add" else np.multiply
    ufunc.at(_atleast_1d(out), key, values)
    return out


def _no_reduce_grad(F, g, out, *args, **kwargs):
    raise RuntimeError("the derivative for 'scatter' with reduce is not implemented")


_scatter_reduce_src = defprim("scatter_reduce_src", "ScatterBackward0", _scatter_reduce_forward,
                              grads=(_no_reduce_grad, None, _no_reduce_grad), saves=())


def scatter(input, dim, index, src=None, value=None, *, reduce=None, out=None):
    """A copy of ``input`` with ``src`` (or ``value``) written along ``dim`` at ``index``.

    ``reduce='add'``/``'multiply'`` combines instead of overwriting (forward only,
    as in torch, which has no derivative for it).
    """
    _no_out(out)
    if src is not None and value is not None:
        raise TypeError("scatter() got both 'src' and 'value'")
    if src is None and value is None:
        raise TypeError("scatter() missing required argument 'src' or 'value'")
    if not isinstance(src, Tensor) and src is not None:
        src, value = None, src
    _check_index_tensor(index, "scatter")
    dim = wrap_dim(dim, input.ndim)
    if reduce is not None and reduce not in ("add", "multiply"):
        raise RuntimeError("reduce argument must be either add or multiply.")
    if src is not None:
        if src.dtype is not input.dtype:
            raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        _check_gather_shapes(input, dim, index, src=src)
        if reduce is not None:
            return _scatter_reduce_src(input, index, src, dim=dim, reduce=reduce)
        return _scatter_src(input, index, src, dim=dim)
    if isinstance(value, Tensor):
        value = value.item()
    _check_scalar(value, "scatter", "value")
    _check_gather_shapes(input, dim, index)
    if reduce is not None:
        value_t = Tensor._make(np.full(index._data.shape, value, dtype=input._data.dtype))
        return _scatter_reduce_src(input, index, value_t, dim=dim, reduce=reduce)
    return _scatter_value(input, index, dim=dim, value=value)


tensor_method(scatter, inplace=True)


def _scatter_add_forward(x, index, src, dim):
    _check_index_bounds(index, _atleast_1d(x).shape[dim], dim, RuntimeError,
                        allow_negative=False)
    out = x.copy()
    idx = _atleast_1d(index)
    np.add.at(_atleast_1d(out), _along_dim_key(idx, dim),
              _atleast_1d(src)[tuple(slice(0, n) for n in idx.shape)])
    return out


_scatter_add = defprim("scatter_add", "ScatterAddBackward0", _scatter_add_forward, grads=(
    lambda F, g, out, x, index, src, dim: g,
    None,
    lambda F, g, out, x, index, src, dim: _src_grad(F, g, index, src, dim)), saves=(1,))


def scatter_add(input, dim, index, src, *, out=None):
    """A copy of ``input`` with ``src`` added along ``dim`` at ``index`` (duplicates add up)."""
    _no_out(out)
    _check_index_tensor(index, "scatter_add")
    dim = wrap_dim(dim, input.ndim)
    if src.dtype is not input.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    _check_gather_shapes(input, dim, index, src=src)
    return _scatter_add(input, index, src, dim=dim)


tensor_method(scatter_add, inplace=True)


# ------------------------------------------------------------ scatter_reduce
_REDUCE_INIT = {"sum": 0, "prod": 1, "mean": 0}


def _scatter_reduce_np(x, index, src, dim, reduce, include_self):
    """scatter_reduce on arrays (forward, and the masked recomputations of its backward)."""
    out = x.copy()
    o, idx = _atleast_1d(out), _atleast_1d(index)
    key = _along_dim_key(idx, dim)
    values = _atleast_1d(src)[tuple(slice(0, n) for n in idx.shape)]
    if not include_self:
        if reduce in _REDUCE_INIT:
            o[key] = _REDUCE_INIT[reduce]
        else:
            o[key] = _extreme(o.dtype, lowest=(reduce == "amax"))
    if reduce in ("sum", "mean"):
        np.add.at(o, key, values)
    elif reduce == "prod":
        np.multiply.at(o, key, values)
    elif reduce == "amax":
        np.maximum.at(o, key, values)
    else:
        np.minimum.at(o, key, values)
    if reduce == "mean":
        count = np.full(o.shape, 1 if include_self else 0, dtype=o.dtype)
        np.add.at(count, key, 1)
        count[count == 0] = 1
        if o.dtype.kind in "iu":
            o[...] = np.floor_divide(o, count)
        else:
            o[...] = o / count
    return out


def _extreme(dtype, lowest):
    """The identity of amax (lowest=True) or amin in ``dtype``."""
    if dtype.kind in "fc":
        return -np.inf if lowest else np.inf
    if dtype.kind == "b":
        return not lowest
    info = np.iinfo(dtype)
    return info.min if lowest else info.max


def _scatter_reduce_grads(F, g, out, x, index, src, dim, reduce, include_self):
    """torch's scatter_reduce_backward on arrays: (grad of input, grad of src)."""
    if F is not numpy_namespace:
        raise NotImplementedError("minitorch does not support double backward of "
                                  "scatter_reduce")
    g, x, src, out, idx = (_atleast_1d(a) for a in (g, x, src, out, index))
    if reduce in ("prod", "amax", "amin") and idx.shape != src.shape:
        # torch's formulas combine src with index-shaped values and fail the same way
        raise _broadcast_error(src.shape, idx.shape)
    src = src[tuple(slice(0, n) for n in idx.shape)]
    key = _along_dim_key(idx, dim)
    if reduce == "sum":
        grad_self, grad_src = g, g[key]
    elif reduce == "prod":
        masked_self = np.where(x == 0, 1, x).astype(x.dtype)
        masked_result = _scatter_reduce_np(masked_self, idx, src, dim, "prod", include_self)
        grad_self = g * masked_result / masked_self
        src_zero = src == 0
        zeros_count = np.zeros(x.shape)
        np.add.at(zeros_count, key, src_zero)
        single_zero = src_zero & (zeros_count[key] == 1)
        masked_src = np.where(single_zero, 1, src).astype(src.dtype)
        masked_src_result = _scatter_reduce_np(x, idx, masked_src, dim, "prod", include_self)
        grad_src = np.where(single_zero, (g * masked_src_result)[key],
                            (g * out)[key] / np.where(src_zero, 1, src))
    elif reduce == "mean":
        count = np.full(x.shape, 1 if include_self else 0, dtype=g.dtype)
        np.add.at(count, key, 1)
        count[count == 0] = 1
        grad_self, grad_src = g / count, g[key] / count[key]
    else:
        value = out[key]
        self_is_result = (x == out).astype(g.dtype)
        src_is_result = (src == value).astype(g.dtype)
        share = self_is_result.copy()
        np.add.at(share, key, src_is_result)
        distributed = g / share
        grad_self = self_is_result * distributed
        grad_src = src_is_result * distributed[key]
    if not include_self:
        grad_self = np.array(grad_self, copy=True)
        grad_self[key] = 0
    return grad_self, grad_src


def _scatter_reduce_src_grad(F, g, out, x, index, src, dim, reduce, include_self):
    if tuple(index.shape) != tuple(src.shape):
        raise RuntimeError("Function ScatterReduceBackward0 returned an invalid gradient at "
                           f"index 1 - got {list(index.shape)} but expected shape compatible "
                           f"with {list(src.shape)}")
    return _scatter_reduce_grads(F, g, out, x, index, src, dim, reduce, include_self)[1]


_scatter_reduce = defprim("scatter_reduce", "ScatterReduceBackward0",
                          lambda x, index, src, dim, reduce, include_self: _scatter_reduce_np(
                              x, index, src, dim, reduce, include_self),
                          grads=(lambda *a, **params: _scatter_reduce_grads(*a, **params)[0],
                                 None, _scatter_reduce_src_grad), save_output=True)


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True, out=None):
    """Reduce ``src`` into a copy of ``input`` along ``dim`` at ``index``.

    ``reduce`` is 'sum', 'prod', 'mean', 'amax' or 'amin'. Differs from torch:
    no double backward (create_graph=True) through it.
    """
    _no_out(out)
    if reduce in ("max", "min"):
        raise NotImplementedError(f"minitorch does not support scatter_reduce(reduce='{reduce}'); "
                                  f"use 'a{reduce}'")
    if reduce not in ("sum", "prod", "mean", "amax", "amin"):
        raise RuntimeError("reduce argument must be either sum, prod, mean, amax or amin, got "
                           f"{reduce}")
    _check_index_tensor(index, "scatter_reduce")
    dim = wrap_dim(dim, input.ndim)
    if src.dtype is not input.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    _check_gather_shapes(input, dim, index, src=src)
    return _scatter_reduce(input, index, src, dim=dim, reduce=reduce,
                           include_self=bool(include_self))


tensor_method(scatter_reduce, inplace=True)


# ================================================================ index_* ops
def _check_index_vector(index, fn, long_only=None):
    """index_* take a 1-d int index; some insist on int64, each with its own message."""
    if not isinstance(index, Tensor):
        raise TypeError(f"{fn}(): argument 'index' must be Tensor, not {type(index).__name__}")
    if index._data.dtype != np.int64 and long_only is not None:
        raise long_only
    if index._data.dtype not in (np.int64, np.int32):
        raise RuntimeError(f"{fn}(): Expected dtype int32/int64 for index")
    if index.ndim > 1:
        raise IndexError(f"{fn}(): Index is supposed to be a vector")


def _index_select_forward(x, index, dim):
    idx = index.reshape(-1)
    size = _atleast_1d(x).shape[dim]
    if idx.size and (idx.max() >= size or idx.min() < 0):
        raise IndexError("index out of range in self")
    if x.ndim == 0:
        if idx.size != 1:
            raise RuntimeError("index_select(): Index to scalar can have only 1 value, got "
                               f"{idx.size} value(s)")
        return x.copy()
    return np.take(x, idx, axis=dim)


_index_select = defprim("index_select", "IndexSelectBackward0", _index_select_forward, grads=(
    lambda F, g, out, x, index, dim: _index_select_grad(F, g, x, index, dim), None),
    saves=(1,))


def _index_select_grad(F, g, x, index, dim):
    if x.ndim == 0:
        return F.sum(g)
    return F.index_add(_zeros(F, g, x.shape), dim, F.reshape(index, (-1,)), g)


def index_select(input, dim, index, *, out=None):
    """Entries of ``input`` along ``dim`` at the positions in the 1-d ``index``."""
    _no_out(out)
    _check_index_vector(index, "index_select")
    return _index_select(input, index, dim=wrap_dim(dim, input.ndim))


tensor_method(index_select)


def _check_index_source(input, dim, index, source, fn):
    """Shape and dtype rules shared by index_add/index_copy."""
    if source.dtype is not input.dtype:
        raise RuntimeError(f"{fn}(): self ({_TYPE_TITLES[input.dtype]}) and source "
                           f"({_TYPE_TITLES[source.dtype]}) must have the same scalar type")
    n = index._data.size
    src_shape = source._data.shape if source.ndim else (1,)
    in_shape = input._data.shape if input.ndim else (1,)
    if len(src_shape) != len(in_shape) or src_shape[dim] != n or any(
            a != b for d, (a, b) in enumerate(zip(src_shape, in_shape)) if d != dim):
        raise RuntimeError(f"{fn}(): Source/destination tensor must have same slice shapes. "
                           f"Destination slice shape: {list(in_shape)} at dimension {dim} and "
                           f"source slice shape: {list(src_shape)} at dimension {dim}.")
    # unlike index_fill, these take no negative indices
    error = RuntimeError if fn == "index_add_" else IndexError
    prefix = "" if fn == "index_add_" else f"{fn}(): "
    idx = index._data.reshape(-1)
    bad = idx[(idx >= in_shape[dim]) | (idx < 0)]
    if bad.size:
        raise error(f"{prefix}index {int(bad[0])} is out of bounds for dimension {dim} with "
                    f"size {in_shape[dim]}")


def _index_add_forward(x, index, source, dim, alpha):
    out = x.copy()
    o = np.moveaxis(_atleast_1d(out), dim, 0)
    np.add.at(o, index.reshape(-1), np.moveaxis(_atleast_1d(source), dim, 0) * alpha)
    return out


def _index_add_source_grad(F, g, index, source, dim, alpha):
    if g.ndim == 0:
        return g * alpha
    grad = F.index_select(g, dim, F.reshape(index, (-1,)))
    return grad if alpha == 1 else grad * alpha


_index_add = defprim("index_add", "IndexAddBackward0", _index_add_forward, grads=(
    lambda F, g, out, x, index, source, dim, alpha: g,
    None,
    lambda F, g, out, x, index, source, dim, alpha:
        _index_add_source_grad(F, g, index, source, dim, alpha)), saves=(1,))


def index_add(input, dim, index, source, *, alpha=1, out=None):
    """A copy of ``input`` with ``alpha * source`` added at ``index`` along ``dim``."""
    _no_out(out)
    _check_index_vector(index, "index_add")
    dim = wrap_dim(dim, input.ndim)
    _check_index_source(input, dim, index, source, "index_add_")
    return _index_add(input, index, source, dim=dim, alpha=alpha)


tensor_method(index_add, inplace=True)


def _index_copy_forward(x, index, source, dim):
    out = x.copy()
    np.moveaxis(_atleast_1d(out), dim, 0)[index.reshape(-1)] = \
        np.moveaxis(_atleast_1d(source), dim, 0)
    return out


def _index_fill_grad(F, g, index, dim):
    if g.ndim == 0:
        return g * 0
    return F.index_fill(g, dim, F.reshape(index, (-1,)), 0)


_index_copy = defprim("index_copy", "IndexCopyBackward0", _index_copy_forward, grads=(
    lambda F, g, out, x, index, source, dim: _index_fill_grad(F, g, index, dim),
    None,
    lambda F, g, out, x, index, source, dim:
        _index_add_source_grad(F, g, index, source, dim, 1)), saves=(1,))


def index_copy(input, dim, index, source):
    """A copy of ``input`` with the slices of ``source`` written at ``index`` along ``dim``."""
    _check_index_vector(index, "index_copy", long_only=RuntimeError(
        "index_copy_(): Expected a long tensor for index, but got "
        f"{_TYPE_TITLES.get(getattr(index, 'dtype', None), '')}"))
    dim = wrap_dim(dim, input.ndim)
    _check_index_source(input, dim, index, source, "index_copy_")
    return _index_copy(input, index, source, dim=dim)


tensor_method(index_copy, inplace=True)


def _index_fill_forward(x, index, dim, value):
    out = x.copy()
    _atleast_1d(out)[_dims_key(dim, index.reshape(-1))] = value
    return out


def _index_fill_tensor_forward(x, index, value, dim):
    return _index_fill_forward(x, index, dim, value)


def _index_fill_value_grad(F, g, index, dim):
    if g.ndim == 0:
        return F.sum(g)
    # each filled position counts once, however often the index repeats it
    unique = np.unique(index._data if isinstance(index, Tensor) else index)
    if isinstance(index, Tensor):
        unique = Tensor._make(unique)
    return F.sum(F.index_select(g, dim, unique))


_index_fill_scalar = defprim("index_fill", "IndexFillBackward0", _index_fill_forward, grads=(
    lambda F, g, out, x, index, dim, value: _index_fill_grad(F, g, index, dim), None),
    saves=(1,))
_index_fill_tensor = defprim("index_fill_tensor", "IndexFillBackward1",
                             _index_fill_tensor_forward, grads=(
    lambda F, g, out, x, index, value, dim: _index_fill_grad(F, g, index, dim),
    None,
    lambda F, g, out, x, index, value, dim: _index_fill_value_grad(F, g, index, dim)),
    saves=(1,))


def index_fill(input, dim, index, value):
    """A copy of ``input`` with ``value`` (scalar or 0-d tensor) at ``index`` along ``dim``."""
    _check_index_vector(index, "index_fill", long_only=IndexError(
        "index_fill_(): Expected dtype int64 for index."))
    dim = wrap_dim(dim, input.ndim)
    size = input._data.shape[dim] if input.ndim else 1
    _check_index_bounds(index._data, size, dim)
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError("index_fill_ only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value.ndim} dimension(s).")
        return _index_fill_tensor(input, index, value.to(input.dtype), dim=dim)
    _check_scalar(value, "index_fill", "value")
    return _index_fill_scalar(input, index, dim=dim, value=value)


tensor_method(index_fill, inplace=True)


# ================================================================ masked ops
def _check_mask(mask, fn):
    if not isinstance(mask, Tensor):
        raise TypeError(f"{fn}(): argument 'mask' must be Tensor, not {type(mask).__name__}")
    if mask.dtype is not _dtype.bool:
        raise RuntimeError(f"{fn} only supports boolean masks, but got mask with dtype "
                           f"{str(mask.dtype).replace('torch.', '')}")


def _masked_fill_forward(x, mask, value):
    return np.where(mask, np.asarray(value).astype(x.dtype), x)


def _masked_fill_tensor_forward(x, mask, value):
    return np.where(mask, value.astype(x.dtype), x)


_masked_fill_scalar = defprim("masked_fill", "MaskedFillBackward0", _masked_fill_forward,
                              grads=(lambda F, g, out, x, mask, value: F.where(mask, 0.0, g),
                                     None), saves=(1,))
_masked_fill_tensor = defprim("masked_fill_tensor", "MaskedFillBackward1",
                              _masked_fill_tensor_forward, grads=(
    lambda F, g, out, x, mask, value: F.where(mask, 0.0, g),
    None,
    lambda F, g, out, x, mask, value: F.sum(F.where(mask, g, 0.0))), saves=(1,))


def masked_fill(input, mask, value):
    """``input`` with ``value`` (scalar or 0-d tensor) where the bool ``mask`` is True."""
    _check_mask(mask, "masked_fill_")
    _check_broadcast(input, mask)
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError("masked_fill_ only supports a 0-dimensional value tensor, but got "
                               f"tensor with {value.ndim} dimension(s).")
        return _masked_fill_tensor(input, mask, value)
    _check_scalar(value, "masked_fill", "value")
    return _masked_fill_scalar(input, mask, value=value)


def _check_broadcast(a, b):
    try:
        np.broadcast_shapes(a._data.shape, b._data.shape)
    except ValueError:
        raise _broadcast_error(a._data.shape, b._data.shape) from None


tensor_method(masked_fill, inplace=True)


def _masked_select_forward(x, mask):
    shape = np.broadcast_shapes(x.shape, mask.shape)
    return np.broadcast_to(x, shape)[np.broadcast_to(mask, shape)]


def _masked_select_grad(F, g, out, x, mask):
    shape = np.broadcast_shapes(tuple(x.shape), tuple(mask.shape))
    if F is numpy_namespace:
        mask = np.broadcast_to(mask, shape)
    else:
        mask = mask.expand(shape)
    return F.masked_scatter(_zeros(F, g, shape), mask, g)


_masked_select = defprim("masked_select", "MaskedSelectBackward0", _masked_select_forward,
                         grads=(_masked_select_grad, None), saves=(1,))


def masked_select(input, mask, *, out=None):
    """The 1-d tensor of ``input``'s elements where ``mask`` is True (both broadcast)."""
    _no_out(out)
    _check_mask(mask, "masked_select")
    _check_broadcast(input, mask)
    return _masked_select(input, mask)


tensor_method(masked_select)


def _masked_scatter_forward(x, mask, source):
    shape = np.broadcast_shapes(x.shape, mask.shape)
    count = int(np.broadcast_to(mask, shape).sum())
    if count > source.size:
        raise RuntimeError("masked_scatter: expected source to have at least "
                           f"{count} elements, but got {source.size}")
    return _masked_scatter_np(x, mask, source)


def _masked_scatter_source_grad(F, g, out, x, mask, source):
    shape = np.broadcast_shapes(tuple(x.shape), tuple(mask.shape))
    n = int(np.prod(source.shape, dtype=np.int64))
    if F is numpy_namespace:
        picked = np.broadcast_to(g, shape)[np.broadcast_to(mask, shape)]
        flat = np.zeros(n, dtype=g.dtype)
        flat[:picked.size] = picked
        return flat.reshape(source.shape)
    picked = F.masked_select(g, mask)
    flat = _embed(picked, shape=(n,), key=(slice(0, picked.shape[0]),))
    return F.reshape(flat, tuple(source.shape))


_masked_scatter = defprim("masked_scatter", "MaskedScatterBackward0", _masked_scatter_forward,
                          grads=(lambda F, g, out, x, mask, source: F.where(mask, 0.0, g),
                                 None, _masked_scatter_source_grad), saves=(1,))


def masked_scatter(input, mask, source):
    """``input`` with consecutive elements of ``source`` written where ``mask`` is True."""
    _check_mask(mask, "masked_scatter_")
    _check_broadcast(input, mask)
    if source.dtype is not input.dtype:
        raise RuntimeError("masked_scatter_: expected self and source to have same dtypes but "
                           f"got {_TYPE_TITLES[input.dtype]} and {_TYPE_TITLES[source.dtype]}")
    return _masked_scatter(input, mask, source)


tensor_method(masked_scatter, inplace=True)


# ================================================================ take / put
def _take_forward(x, index):
    n = x.size
    if index.size and (index.max() >= n or index.min() < -n):
        bad = index[(index >= n) | (index < -n)].flat[0]
        raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} "
                         "elements.")
    return x.reshape(-1)[index]


_take = defprim("take", "TakeBackward0", _take_forward, grads=(
    lambda F, g, out, x, index: F.put(_zeros(F, g, x.shape), index, g, True), None),
    saves=(1,))


def take(input, index):
    """Elements of the flattened ``input`` at ``index`` (result has index's shape)."""
    if index._data.dtype != np.int64:
        raise RuntimeError("take(): Expected a long tensor for index, but got "
                           f"{_TYPE_TITLES[index.dtype]}")
    return _take(input, index)


tensor_method(take)


def _put_forward(x, index, source, accumulate):
    if index.size != source.size:
        raise IndexError(f"put_(): Expected source and index to have the same number of "
                         f"elements, but got source.numel() = {source.size}, index.numel() = "
                         f"{index.size}")
    _take_forward(x, index)  # bounds check with take's message
    return _put_np(x, index, source, accumulate)


def _put_self_grad(F, g, index, source, accumulate):
    if accumulate:
        return g
    return F.put(g, index, _zeros(F, g, tuple(source.shape)), False)


_put = defprim("put", "PutBackward0", _put_forward, grads=(
    lambda F, g, out, x, index, source, accumulate: _put_self_grad(F, g, index, source,
                                                                   accumulate),
    None,
    lambda F, g, out, x, index, source, accumulate:
        F.reshape(F.take(g, index), tuple(source.shape))), saves=(1, 2))


def put(input, index, source, accumulate=False):
    """A copy of ``input`` with ``source`` written (or added) at flat positions ``index``."""
    if index._data.dtype != np.int64:
        raise RuntimeError("put_(): Expected a long tensor for index, but got "
                           f"{_TYPE_TITLES[index.dtype]}")
    if source.dtype is not input.dtype:
        raise RuntimeError("put_(): self and source expected to have the same dtype, but got "
                           f"self.dtype = {_TYPE_TITLES[input.dtype]} and source.dtype = "
                           f"{_TYPE_TITLES[source.dtype]}")
    return _put(input, index, source, accumulate=bool(accumulate))


tensor_method(put, inplace=True)


def take_along_dim(input, indices, dim=None, *, out=None):
    """``gather`` with ``input`` and ``indices`` broadcast; dim=None works on the flat input."""
    _no_out(out)
    if indices._data.dtype != np.int64:
        raise RuntimeError("torch.take_along_dim(): dtype of indices should be int64 but got "
                           f"{str(indices.dtype).replace('torch.', '')} instead")
    if dim is None:
        return gather(input.reshape(-1), 0, indices.reshape(-1))
    if input.ndim != indices.ndim:
        raise RuntimeError("torch.take_along_dim(): input and indices should have the same "
                           f"number of dimensions, but got {input.ndim} dimensions for input, "
                           f"and {indices.ndim} dimensions for indices")
    dim = wrap_dim(dim, input.ndim)
    from .shape import broadcast_to
    in_shape = list(input._data.shape)
    in_shape[dim] = indices._data.shape[dim]
    shape = list(np.broadcast_shapes(tuple(in_shape), indices._data.shape))
    indices = broadcast_to(indices, tuple(shape))
    shape[dim] = input._data.shape[dim]
    input = broadcast_to(input, tuple(shape))
    return gather(input, dim, indices)


tensor_method(take_along_dim)


# ======================================================== nonzero / argwhere
def nonzero(input, *, out=None, as_tuple=False):
    """Indices of the non-zero elements: an (n, ndim) int64 tensor, or a tuple of 1-d ones."""
    _no_out(out)
    data = input._data
    if as_tuple:
        coords = np.nonzero(data.reshape(1) if data.ndim == 0 else data)
        return tuple(Tensor._make(c.astype(np.int64)) for c in coords)
    if data.ndim == 0:
        return Tensor._make(np.zeros((int(bool(data)), 0), dtype=np.int64))
    return Tensor._make(np.stack(np.nonzero(data), axis=1).astype(np.int64))


tensor_method(nonzero)


def argwhere(input):
    """``nonzero(input)``: the (n, ndim) indices of the non-zero elements."""
    return nonzero(input)


tensor_method(argwhere)


def _no_out(out):
    if out is not None:
        raise NotImplementedError("minitorch does not support the 'out' argument; assign the "
                                  "result instead")
