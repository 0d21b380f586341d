"""Shape ops. Views (view, transpose, permute, expand, squeeze, ...) share storage
with their input, as in torch: their forwards return NumPy views and they are
declared ``is_view=True`` so in-place writes through them reach the base.
"""

import numpy as np

from .._tensor import Tensor
from ..autograd._primitive import defprim, numpy_namespace, numpy_rule_op
from ._registry import normalize_dims, result_np_dtype, tensor_method, wrap_dim

__all__ = ["reshape", "transpose", "swapaxes", "swapdims", "t", "permute", "unsqueeze",
           "squeeze", "flatten", "broadcast_to", "contiguous", "narrow", "select", "split",
           "split_with_sizes", "chunk", "unbind", "tensor_split", "hsplit", "vsplit", "dsplit",
           "cat", "concat", "concatenate", "stack", "hstack", "vstack", "row_stack", "dstack",
           "column_stack", "atleast_1d", "atleast_2d", "atleast_3d", "tile",
           "repeat_interleave", "flip", "fliplr", "flipud", "roll", "rot90", "movedim",
           "moveaxis", "unflatten", "ravel", "tril", "triu", "diagonal", "diag_embed", "diag",
           "diagflat", "broadcast_shapes", "broadcast_tensors", "meshgrid", "view_as_real",
           "view_as_complex", "as_strided"]


def _sizes(args):
    """Accept ``f(2, 3)``, ``f((2, 3))`` and ``f([2, 3])`` like torch."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = tuple(args[0])
    elif len(args) == 1 and isinstance(args[0], Tensor):
        args = tuple(args[0].tolist())
    for a in args:
        if not isinstance(a, (int, np.integer)) or isinstance(a, bool):
            raise TypeError(f"expected a sequence of integers for the size, but got "
                            f"{type(a).__name__}")
    return tuple(int(a) for a in args)


def infer_size(shape, numel):
    """Resolve one -1 in ``shape`` against ``numel``; RuntimeError like torch when impossible."""
    shape = list(shape)
    unknown = [i for i, s in enumerate(shape) if s == -1]
    if len(unknown) > 1:
        raise RuntimeError("only one dimension can be inferred")
    for s in shape:
        if s < -1:
            raise RuntimeError(f"invalid shape dimension {s}")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if unknown:
        if known == 0 or numel % known:
            raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
        shape[unknown[0]] = numel // known
    elif known != numel:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {numel}")
    return tuple(shape)


# ------------------------------------------------------------------- view/reshape
def _view_forward(x, shape):
    try:
        return x.reshape(shape, copy=False)
    except ValueError:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead.")


_view = defprim("view", "ViewBackward0", _view_forward,
                grads=(lambda F, g, out, x, shape: F.reshape(g, x.shape),), saves=(),
                is_view=True)
_unsafe_view = defprim("unsafe_view", "UnsafeViewBackward0", lambda x, shape: x.reshape(shape),
                       grads=(lambda F, g, out, x, shape: F.reshape(g, x.shape),), saves=())


def _view_method(self, *shape, dtype=None):
    if dtype is not None or (len(shape) == 1 and not isinstance(shape[0], (int, tuple, list))):
        raise NotImplementedError("minitorch does not support view(dtype); use .to(dtype)")
    return _view(self, shape=infer_size(_sizes(shape), self._data.size))


Tensor.view = _view_method


def _can_view(array, shape):
    try:
        array.reshape(shape, copy=False)
        return True
    except ValueError:
        return False


def reshape(input, *shape):
    """A view when the memory layout allows it, otherwise a copy (as torch)."""
    shape = infer_size(_sizes(shape), input._data.size)
    if _can_view(input._data, shape):
        return _view(input, shape=shape)
    from .pointwise import clone
    return _unsafe_view(clone(input), shape=shape)


tensor_method(reshape)


def _view_as(self, other):
    return self.view(other.shape)


def _reshape_as(self, other):
    return reshape(self, other.shape)


Tensor.view_as = _view_as
Tensor.reshape_as = _reshape_as


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dims start_dim..end_dim into one."""
    if input.ndim == 0:
        return reshape(input, 1)
    start = wrap_dim(start_dim, input.ndim)
    end = wrap_dim(end_dim, input.ndim)
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if start == end:
        return input
    shape = input.shape
    merged = 1
    for s in shape[start:end + 1]:
        merged *= s
    return reshape(input, tuple(shape[:start]) + (merged,) + tuple(shape[end + 1:]))


tensor_method(flatten)


def contiguous(input, memory_format=None):
    """Self when already C-contiguous, else a contiguous copy in the graph."""
    if input._data.flags.c_contiguous:
        return input
    from .pointwise import clone
    return clone(input)


tensor_method(contiguous)


# -------------------------------------------------------------- transposition
_transpose = defprim("transpose", "TransposeBackward0",
                     lambda x, dim0, dim1: np.swapaxes(x, dim0, dim1),
                     grads=(lambda F, g, out, x, dim0, dim1: F.transpose(g, dim0, dim1),),
                     saves=(), is_view=True)
_t = defprim("t", "TBackward0", lambda x: x.T,
             grads=(lambda F, g, out, x: F.t(g),), saves=(), is_view=True)
numpy_rule_op("t")(lambda x: x.T)


def transpose(input, dim0, dim1):
    """Swap two dims (a view)."""
    n = input.ndim
    return _transpose(input, dim0=wrap_dim(dim0, n), dim1=wrap_dim(dim1, n))


swapaxes = swapdims = transpose
tensor_method(transpose)
Tensor.swapaxes = Tensor.swapdims = transpose


def t(input):
    """Transpose a tensor of at most 2 dims (a view)."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                           f"{input.ndim}D")
    return _t(input)


tensor_method(t)


def _permute_forward(x, dims):
    return np.transpose(x, dims)


def _inverse_permutation(dims):
    return tuple(np.argsort(dims).tolist())


_permute = defprim("permute", "PermuteBackward0", _permute_forward,
                   grads=(lambda F, g, out, x, dims: F.permute(g, _inverse_permutation(dims)),),
                   saves=(), is_view=True)
numpy_rule_op("permute")(_permute_forward)


def permute(input, *dims):
    """Reorder dims (a view)."""
    dims = _sizes(dims)
    if len(dims) != input.ndim:
        raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does "
                           f"not match the length of the desired ordering of dimensions i.e. "
                           f"input.dim() = {input.ndim} is not equal to len(dims) = {len(dims)}")
    return _permute(input, dims=tuple(wrap_dim(d, input.ndim) for d in dims))


tensor_method(permute)


def _T(self):
    return permute(self, tuple(reversed(range(self.ndim))))


def _mT(self):
    if self.ndim < 2:
        raise RuntimeError("tensor.mT is only supported on matrices or batches of matrices. Got "
                           f"{self.ndim}-D tensor.")
    return transpose(self, -2, -1)


Tensor.T = property(_T)
Tensor.mT = property(_mT)
Tensor.H = property(lambda self: _T(self).conj())
Tensor.mH = property(lambda self: _mT(self).conj())


# --------------------------------------------------------- adding/removing dims
_unsqueeze = defprim("unsqueeze", "UnsqueezeBackward0", lambda x, dim: np.expand_dims(x, dim),
                     grads=(lambda F, g, out, x, dim: F.reshape(g, x.shape),), saves=(),
                     is_view=True)


def unsqueeze(input, dim):
    """Insert a dim of size 1 at ``dim`` (a view)."""
    return _unsqueeze(input, dim=wrap_dim(dim, input.ndim + 1))


tensor_method(unsqueeze)


def _squeeze_forward(x, dims):
    return np.squeeze(x, axis=dims)


_squeeze_all = defprim("squeeze", "SqueezeBackward0", _squeeze_forward,
                       grads=(lambda F, g, out, x, dims: F.reshape(g, x.shape),), saves=(),
                       is_view=True)
_squeeze_dims = defprim("squeeze_dims", "SqueezeBackward1", _squeeze_forward,
                        grads=(lambda F, g, out, x, dims: F.reshape(g, x.shape),), saves=(),
                        is_view=True)


_squeeze_multi = defprim("squeeze_multi", "SqueezeBackward2", _squeeze_forward,
                         grads=(lambda F, g, out, x, dims: F.reshape(g, x.shape),), saves=(),
                         is_view=True)


def squeeze(input, dim=None):
    """Remove size-1 dims (all, or those listed in ``dim``); a view."""
    shape = input._data.shape
    if dim is None:
        return _squeeze_all(input, dims=tuple(i for i, s in enumerate(shape) if s == 1))
    # torch records a single dim and a tuple of dims as different nodes.
    prim = _squeeze_dims if isinstance(dim, (int, np.integer)) else _squeeze_multi
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    dims = tuple(sorted({wrap_dim(d, input.ndim) for d in dims})) if input.ndim else ()
    return prim(input, dims=tuple(d for d in dims if shape[d] == 1))


tensor_method(squeeze)


# ------------------------------------------------------------------- expanding
def _expand_forward(x, shape):
    # A writeable stride-0 view (np.broadcast_to is read-only): torch lets you write to
    # a slice of an expanded tensor that has no repeated elements; writes into
    # repeated elements are refused by Tensor._write_result.
    lead = len(shape) - x.ndim
    strides = (0,) * lead + tuple(0 if n == 1 and s != 1 else st
                                  for n, s, st in zip(x.shape, shape[lead:], x.strides))
    return np.lib.stride_tricks.as_strided(x, shape, strides, writeable=x.flags.writeable)


# The engine sums the gradient back to the input's shape, so the rule is the identity.
_expand = defprim("expand", "ExpandBackward0", _expand_forward,
                  grads=(lambda F, g, out, x, shape: g,), saves=(), is_view=True)


def _expand_method(self, *sizes):
    sizes = _sizes(sizes)
    if len(sizes) < self.ndim:
        raise RuntimeError(f"expand(torch.{self.type().split('.')[-1]}{{{list(self.shape)}}}, "
                           f"size={list(sizes)}): the number of sizes provided "
                           f"({len(sizes)}) must be greater or equal to the number of "
                           f"dimensions in the tensor ({self.ndim})")
    lead = len(sizes) - self.ndim
    shape = []
    for i, s in enumerate(sizes):
        if i < lead:
            if s < 0:
                raise RuntimeError(f"The expanded size of the tensor ({s}) isn't allowed in a "
                                   "leading, non-existing dimension 0")
            shape.append(s)
            continue
        current = self._data.shape[i - lead]
        if s == -1:
            s = current
        elif current != 1 and s != current:
            raise RuntimeError(f"The expanded size of the tensor ({s}) must match the existing "
                               f"size ({current}) at non-singleton dimension {i}.  Target "
                               f"sizes: {list(sizes)}.  Tensor sizes: {list(self.shape)}")
        shape.append(s)
    shape = tuple(shape)
    if shape == self._data.shape:
        return _expand(self, shape=shape)
    return _expand(self, shape=shape)


Tensor.expand = _expand_method


def _expand_as(self, other):
    return self.expand(other.shape)


Tensor.expand_as = _expand_as


def broadcast_to(input, size):
    """``input.expand(size)``."""
    return input.expand(tuple(size))


tensor_method(broadcast_to)


# ============================================================== helpers for rules
def _run(F, prim, *inputs, **params):
    """Call a helper primitive from inside a backward rule.

    On a plain backward the values are arrays and only its NumPy forward runs;
    under ``create_graph=True`` they are Tensors and the call is recorded, so the
    gradient is itself differentiable.
    """
    if F is numpy_namespace:
        return prim.forward(*inputs, **params)
    return prim(*inputs, **params)


def _at(dim, index):
    """NumPy index applying ``index`` on axis ``dim``; the Ellipsis keeps 0-d results views."""
    return (slice(None),) * dim + (index, Ellipsis)


def _embed(g, shape, index):
    """Zeros of ``shape`` with ``g`` written at ``index``: the gradient of any slicing view."""
    grad = np.zeros(shape, g.dtype)
    grad[index] = g
    return grad


def _check_tensor(x, fn, name="input"):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}(): argument '{name}' must be Tensor, not {type(x).__name__}")


def _int_arg(x, fn, name):
    """A Python int from an int or a one-element integer tensor."""
    if isinstance(x, Tensor):
        x = x.item()
    if isinstance(x, bool) or not isinstance(x, (int, np.integer)):
        raise TypeError(f"{fn}(): argument '{name}' must be int, not {type(x).__name__}")
    return int(x)


def _title(dtype):
    from .._tensor import _TYPE_TITLES
    return _TYPE_TITLES[dtype]


# ================================================================ slicing views
def _slice_forward(x, dim, start, stop):
    return x[_at(dim, slice(start, stop))]


def _slice_backward_forward(g, shape, dim, start, stop):
    return _embed(g, shape, _at(dim, slice(start, stop)))


_slice_backward = defprim(
    "slice_backward", "SliceBackwardBackward0", _slice_backward_forward,
    grads=(lambda F, g, out, gy, shape, dim, start, stop:
           _run(F, _slice, g, dim=dim, start=start, stop=stop),), saves=())
_slice = defprim(
    "slice_dim", "SliceBackward0", _slice_forward,
    grads=(lambda F, g, out, x, dim, start, stop:
           _run(F, _slice_backward, g, shape=x.shape, dim=dim, start=start, stop=stop),),
    saves=(), is_view=True)


def narrow(input, dim, start, length):
    """``length`` elements of ``dim`` from ``start`` (a view)."""
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim(dim, input.ndim)
    if isinstance(start, Tensor) and (start.ndim or start._data.dtype.kind not in "iu"):
        raise RuntimeError("start must be an 0-dim integral Tensor.")
    start = _int_arg(start, "narrow", "start")
    length = _int_arg(length, "narrow", "length")
    size = input._data.shape[dim]
    if not -size <= start <= size:
        raise IndexError(f"start out of range (expected to be in range of [{-size}, {size}], "
                         f"but got {start})")
    if start < 0:
        start += size
    if length < 0:
        raise RuntimeError("narrow(): length must be non-negative.")
    if start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                           f"({size}).")
    return _slice(input, dim=dim, start=start, stop=start + length)


tensor_method(narrow)


def _select_forward(x, dim, index):
    return x[_at(dim, index)]


def _select_backward_forward(g, shape, dim, index):
    return _embed(g, shape, _at(dim, index))


_select_backward = defprim(
    "select_backward", "SelectBackwardBackward0", _select_backward_forward,
    grads=(lambda F, g, out, gy, shape, dim, index: _run(F, _select, g, dim=dim, index=index),),
    saves=())
_select = defprim(
    "select", "SelectBackward0", _select_forward,
    grads=(lambda F, g, out, x, dim, index:
           _run(F, _select_backward, g, shape=x.shape, dim=dim, index=index),),
    saves=(), is_view=True)


def select(input, dim, index):
    """The slice at ``index`` along ``dim``, with that dim removed (a view)."""
    if input.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = wrap_dim(dim, input.ndim)
    index = _int_arg(index, "select", "index")
    size = input._data.shape[dim]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(input.shape)} at dimension {dim}")
    return _select(input, dim=dim, index=index % size)


tensor_method(select)


# ================================================================ splitting
def _as_multi_view_outputs(results, op):
    """Mark outputs of a multi-output view op: torch refuses in-place writes into them
    under autograd (Tensor._check_inplace_allowed raises), and so do we."""
    for i, r in enumerate(results):
        r._multi_view_of = (op, i)
    return results


# These ops have as many outputs as the input gives pieces. ``num_outputs=-1`` makes the
# engine hand the rule only the gradients it received (no padding to a fixed count);
# gradients of outputs past the last used one are zero, filled in by _pad_pieces.
_VARIABLE_OUTPUTS = -1


def _pad_pieces(F, grad, shape, dim):
    """Extend a gradient covering the first pieces along ``dim`` with zeros up to ``shape``."""
    if grad.shape[dim] == shape[dim]:
        return grad
    return _run(F, _slice_backward, grad, shape=tuple(shape), dim=dim, start=0,
                stop=grad.shape[dim])


def _split_forward(x, dim, bounds):
    return tuple(x[_at(dim, slice(a, b))] for a, b in bounds)


def _split_vjp(F, g, out, x, dim, bounds):
    return (_pad_pieces(F, F.cat(list(g), dim), x.shape, dim),)


_split = defprim("split", "SplitBackward0", _split_forward, vjp=_split_vjp, saves=(),
                 is_view=True, num_outputs=_VARIABLE_OUTPUTS)
_split_with_sizes = defprim("split_with_sizes", "SplitWithSizesBackward0", _split_forward,
                            vjp=_split_vjp, saves=(), is_view=True,
                            num_outputs=_VARIABLE_OUTPUTS)


def _bounds(sizes):
    bounds, start = [], 0
    for s in sizes:
        bounds.append((start, start + s))
        start += s
    return tuple(bounds)


def _check_split_input(input, dim, fn):
    _check_tensor(input, fn)
    if input.ndim == 0:
        raise RuntimeError(f"{fn} expects at least a 1-dimensional tensor")
    return wrap_dim(dim, input.ndim)


def _split_by_size(input, split_size, dim, op="Split"):
    size = input._data.shape[dim]
    if split_size < 0:
        raise RuntimeError(f"split expects split_size be non-negative, but got "
                           f"split_size={split_size}")
    if split_size == 0 and size != 0:
        raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension "
                           f"size of {size}")
    count = max(1, -(-size // split_size)) if split_size else 1
    sizes = [split_size] * (count - 1) + [size - split_size * (count - 1)]
    results = _split(input, dim=dim, bounds=_bounds(sizes))
    return _as_multi_view_outputs(results, op)


def split_with_sizes(input, split_sizes, dim=0):
    """Split into pieces of the given sizes along ``dim`` (views)."""
    dim = _check_split_input(input, dim, "split_with_sizes")
    sizes = [_int_arg(s, "split_with_sizes", "split_sizes") for s in split_sizes]
    size = input._data.shape[dim]
    if any(s < 0 for s in sizes):
        raise RuntimeError(f"split_with_sizes expects split_sizes have only non-negative entries, "
                           f"but got split_sizes={sizes}")
    if sum(sizes) != size:
        raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {size} "
                           f"(input tensor's size at dimension {dim}), but got "
                           f"split_sizes={sizes}")
    results = _split_with_sizes(input, dim=dim, bounds=_bounds(sizes))
    return _as_multi_view_outputs(results, "SplitWithSizes")


def split(tensor, split_size_or_sections, dim=0):
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of listed sizes."""
    if isinstance(split_size_or_sections, (list, tuple)):
        return split_with_sizes(tensor, split_size_or_sections, dim)
    dim = _check_split_input(tensor, dim, "split")
    return _split_by_size(tensor, _int_arg(split_size_or_sections, "split", "split_size"), dim)


tensor_method(split)
tensor_method(split_with_sizes)


def chunk(input, chunks, dim=0):
    """At most ``chunks`` equal pieces along ``dim`` (the last may be smaller); views."""
    chunks = _int_arg(chunks, "chunk", "chunks")
    dim = _check_split_input(input, dim, "chunk")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    size = input._data.shape[dim]
    split_size = -(-size // chunks)
    if split_size == 0 and size == 0:
        # torch gives ``chunks`` empty pieces of an empty dim.
        results = _split_with_sizes(input, dim=dim, bounds=((0, 0),) * chunks)
        return _as_multi_view_outputs(results, "SplitWithSizes")
    return _split_by_size(input, split_size, dim)


tensor_method(chunk)


def _unbind_forward(x, dim):
    return tuple(x[_at(dim, i)] for i in range(x.shape[dim]))


def _unbind_vjp(F, g, out, x, dim):
    return (_pad_pieces(F, F.stack(list(g), dim), x.shape, dim),)


_unbind = defprim("unbind", "UnbindBackward0", _unbind_forward, vjp=_unbind_vjp, saves=(),
                  is_view=True, num_outputs=_VARIABLE_OUTPUTS)


def unbind(input, dim=0):
    """The slices along ``dim``, that dim removed (views); iterating a tensor uses this."""
    _check_tensor(input, "unbind")
    if input.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    dim = wrap_dim(dim, input.ndim)
    return _as_multi_view_outputs(_unbind(input, dim=dim), "Unbind")


tensor_method(unbind)


def _slices_at(input, dim, bounds):
    """Separate narrow() views (SliceBackward0 each, as torch's tensor_split)."""
    return tuple(_slice(input, dim=dim, start=a, stop=b) for a, b in bounds)


def tensor_split(input, indices_or_sections, dim=0):
    """Split into ``n`` near-equal sections, or at the given indices, along ``dim`` (views)."""
    _check_tensor(input, "tensor_split")
    if input.ndim == 0:
        raise RuntimeError("tensor_split expected at least a 1-dimensional tensor, but got a "
                           "tensor with 0 dims")
    dim = wrap_dim(dim, input.ndim)
    size = input._data.shape[dim]
    spec = indices_or_sections
    if isinstance(spec, Tensor):
        if spec.dtype.is_floating_point or spec.dtype.is_complex or spec._data.dtype.kind == "b":
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to have dtype "
                               f"of long, but got {_title(spec.dtype)}")
        if spec.ndim > 1:
            raise RuntimeError("tensor_split expected tensor_indices_or_sections to be a "
                               "zero-dimensional or one-dimensional tensor, but got a tensor "
                               f"with {spec.ndim} dims")
        spec = spec.item() if spec.ndim == 0 else spec.tolist()
    if isinstance(spec, (list, tuple)):
        indices = [_int_arg(i, "tensor_split", "indices") for i in spec]
        cuts = [0] + [min(max(i + size if i < 0 else i, 0), size) for i in indices] + [size]
        bounds = tuple((a, max(a, b)) for a, b in zip(cuts[:-1], cuts[1:]))
        return _slices_at(input, dim, bounds)
    sections = _int_arg(spec, "tensor_split", "sections")
    if sections <= 0:
        raise RuntimeError(f"number of sections must be larger than 0, got {sections}")
    # The first size % sections pieces get one extra element.
    small, extra = divmod(size, sections)
    sizes = [small + 1] * extra + [small] * (sections - extra)
    return _slices_at(input, dim, _bounds(sizes))


tensor_method(tensor_split)


def _split_like_numpy(input, spec, dim, name, min_dims):
    if input.ndim < min_dims:
        raise RuntimeError(f"torch.{name} requires a tensor with at least {min_dims} dimension, "
                           f"but got a tensor with {input.ndim} dimensions!")
    if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
        size = input._data.shape[dim]
        if spec == 0 or size % spec:
            raise RuntimeError(f"torch.{name} attempted to split along dimension {dim}, but the "
                               f"size of the dimension {size} is not divisible by the "
                               f"split_size {spec}!")
    return tensor_split(input, spec, dim)


def hsplit(input, indices_or_sections):
    """tensor_split along dim 1 (dim 0 for 1-D), sections must divide evenly."""
    _check_tensor(input, "hsplit")
    if input.ndim == 0:
        raise RuntimeError("torch.hsplit requires a tensor with at least 1 dimension, but got a "
                           "tensor with 0 dimensions!")
    return _split_like_numpy(input, indices_or_sections, 1 if input.ndim > 1 else 0, "hsplit", 1)


def vsplit(input, indices_or_sections):
    """tensor_split along dim 0 of a tensor of at least 2 dims, sections dividing evenly."""
    _check_tensor(input, "vsplit")
    return _split_like_numpy(input, indices_or_sections, 0, "vsplit", 2)


def dsplit(input, indices_or_sections):
    """tensor_split along dim 2 of a tensor of at least 3 dims, sections dividing evenly."""
    _check_tensor(input, "dsplit")
    return _split_like_numpy(input, indices_or_sections, 2, "dsplit", 3)


tensor_method(hsplit)
tensor_method(vsplit)
tensor_method(dsplit)


# ================================================================ joining
numpy_rule_op("narrow")(lambda x, dim, start, length: x[_at(dim, slice(start, start + length))])
numpy_rule_op("select")(lambda x, dim, index: x[_at(dim, index)])
numpy_rule_op("cat")(lambda tensors, dim=0: np.concatenate(tensors, axis=dim))
numpy_rule_op("stack")(lambda tensors, dim=0: np.stack(tensors, axis=dim))


def _is_skipped_in_cat(shape):
    # torch's legacy rule: 1-D empty tensors are ignored by cat whatever their size.
    return shape == (0,)


def _cat_forward(*arrays, dim):
    dt = result_np_dtype(*arrays)
    kept = [a.astype(dt, copy=False) for a in arrays if not _is_skipped_in_cat(a.shape)]
    if not kept:
        return np.empty((0,), dt)
    return np.concatenate(kept, axis=dim)


def _cat_vjp(F, g, out, *inputs, dim):
    grads, start = [], 0
    for x in inputs:
        if _is_skipped_in_cat(x.shape):
            grads.append(F.reshape(F.narrow(g, 0, 0, 0), (0,)))
            continue
        grads.append(F.narrow(g, dim, start, x.shape[dim]))
        start += x.shape[dim]
    return tuple(grads)


_cat = defprim("cat", "CatBackward0", _cat_forward, vjp=_cat_vjp, saves=())


def _tensor_list(tensors, fn):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{fn}(): argument 'tensors' (position 1) must be tuple of Tensors, not "
                        f"{type(tensors).__name__}")
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"expected Tensor as element of argument 'tensors' of {fn}(), but "
                            f"got {type(t).__name__}")
    return list(tensors)


def cat(tensors, dim=0, *, out=None):
    """Join tensors along an existing dim, promoting dtypes; 1-D empty tensors are skipped."""
    _no_out(out, "cat")
    tensors = _tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be "
                               "concatenated")
    kept = [(i, t) for i, t in enumerate(tensors) if not _is_skipped_in_cat(t._data.shape)]
    if not kept:
        wrap_dim(dim, 1)  # still an IndexError for a bad dim, as torch
        return _cat(*tensors, dim=0)
    first = kept[0][1]
    dim = wrap_dim(dim, first.ndim)
    for i, t in kept[1:]:
        if t.ndim != first.ndim:
            raise RuntimeError(f"Tensors must have same number of dimensions: got {first.ndim} "
                               f"and {t.ndim}")
        for d in range(first.ndim):
            if d != dim and t._data.shape[d] != first._data.shape[d]:
                raise RuntimeError(f"Sizes of tensors must match except in dimension {dim}. "
                                   f"Expected size {first._data.shape[d]} but got size "
                                   f"{t._data.shape[d]} for tensor number {i} in the list.")
    return _cat(*tensors, dim=dim)


concat = concatenate = cat


def _no_out(out, fn):
    if out is not None:
        raise NotImplementedError(f"minitorch does not support the 'out' argument of {fn}; "
                                  "assign the result instead")


def _stack_forward(*arrays, dim):
    dt = result_np_dtype(*arrays)
    return np.stack([a.astype(dt, copy=False) for a in arrays], axis=dim)


_stack = defprim("stack", "StackBackward0", _stack_forward,
                 vjp=lambda F, g, out, *inputs, dim: tuple(
                     F.select(g, dim, i) for i in range(len(inputs))), saves=())


def stack(tensors, dim=0, *, out=None):
    """Join equal-shaped tensors along a new dim ``dim``, promoting dtypes."""
    _no_out(out, "stack")
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    dim = wrap_dim(dim, tensors[0].ndim + 1)
    for i, t in enumerate(tensors[1:], 1):
        if t._data.shape != tensors[0]._data.shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"{list(tensors[0].shape)} at entry 0 and {list(t.shape)} at "
                               f"entry {i}")
    return _stack(*tensors, dim=dim)


def _non_empty(tensors, fn):
    tensors = _tensor_list(tensors, fn)
    if not tensors:
        raise RuntimeError(f"{fn} expects a non-empty TensorList")
    return tensors


def hstack(tensors, *, out=None):
    """cat along dim 1 (dim 0 for 1-D inputs) after atleast_1d."""
    _no_out(out, "hstack")
    tensors = atleast_1d(_non_empty(tensors, "hstack"))
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors, *, out=None):
    """cat along dim 0 after atleast_2d."""
    _no_out(out, "vstack")
    return cat(atleast_2d(_non_empty(tensors, "vstack")), 0)


row_stack = vstack


def dstack(tensors, *, out=None):
    """cat along dim 2 after atleast_3d."""
    _no_out(out, "dstack")
    return cat(atleast_3d(_non_empty(tensors, "dstack")), 2)


def column_stack(tensors, *, out=None):
    """hstack, with 0-d and 1-D inputs first made into columns."""
    _no_out(out, "column_stack")
    tensors = _non_empty(tensors, "column_stack")
    columns = [reshape(t, (t.numel(), 1)) if t.ndim <= 1 else t for t in tensors]
    return cat(columns, 1)


def _atleast(tensors, fn):
    """torch's calling convention: one tensor in, one out; several or a list in, a tuple out."""
    if len(tensors) == 1 and isinstance(tensors[0], Tensor):
        return fn(tensors[0])
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tensors[0]
    return tuple(fn(t) for t in tensors)


def _atleast_1d(t):
    return reshape(t, (1,)) if t.ndim == 0 else t


def _atleast_2d(t):
    if t.ndim == 0:
        return reshape(t, (1, 1))
    return unsqueeze(t, 0) if t.ndim == 1 else t


def _atleast_3d(t):
    if t.ndim == 0:
        return reshape(t, (1, 1, 1))
    if t.ndim == 1:
        return unsqueeze(unsqueeze(t, 0), -1)
    return unsqueeze(t, -1) if t.ndim == 2 else t


def atleast_1d(*tensors):
    """Each input viewed with at least 1 dim."""
    return _atleast(tensors, _atleast_1d)


def atleast_2d(*tensors):
    """Each input viewed with at least 2 dims (1-D becomes a row)."""
    return _atleast(tensors, _atleast_2d)


def atleast_3d(*tensors):
    """Each input viewed with at least 3 dims (as NumPy: 1-D (n,) becomes (1, n, 1))."""
    return _atleast(tensors, _atleast_3d)


# ================================================================ repeating
def _repeat_forward(x, repeats):
    lead = len(repeats) - x.ndim
    return np.tile(x.reshape((1,) * lead + x.shape), repeats)


def _repeat_grad(F, g, out, x, repeats):
    # Output dim d holds repeats[d] copies of the (padded) input dim: split each dim
    # into (copies, size) and sum over the copies.
    shape = (1,) * (len(repeats) - x.ndim) + tuple(x.shape)
    split_shape = []
    for r, s in zip(repeats, shape):
        split_shape += [r, s]
    copies = tuple(range(0, 2 * len(shape), 2))
    return F.reshape(F.sum(F.reshape(g, tuple(split_shape)), copies, False), tuple(x.shape))


_repeat = defprim("repeat", "RepeatBackward0", _repeat_forward, grads=(_repeat_grad,),
                  saves=())


def _repeat_method(self, *sizes):
    """Tile the tensor ``sizes[d]`` times along each dim (extra leading dims allowed)."""
    if not sizes:
        raise TypeError('repeat() missing 1 required positional arguments: "repeats"')
    sizes = _sizes(sizes)
    if len(sizes) < self.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number "
                           "of dimensions of tensor")
    if any(s < 0 for s in sizes):
        lead = len(sizes) - self.ndim
        shape = [r * (self._data.shape[i - lead] if i >= lead else 1)
                 for i, r in enumerate(sizes)]
        negative = next(n for n in shape if n < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {negative}: "
                           f"{shape}")
    return _repeat(self, repeats=sizes)


Tensor.repeat = _repeat_method


def tile(input, dims):
    """Repeat along each dim; missing leading entries of ``dims`` count as 1 (unlike repeat)."""
    dims = _int_tuple(dims, "tile", "dims", 2)
    dims = (1,) * (input.ndim - len(dims)) + dims
    return _repeat_method(input, dims)


Tensor.tile = lambda self, *dims: tile(self, _sizes(dims))


def _take_forward(x, index, dim):
    return np.take(x, index, axis=dim)


def _take_backward_forward(g, index, dim, size):
    shape = g.shape[:dim] + (size,) + g.shape[dim + 1:]
    grad = np.zeros(shape, g.dtype)
    np.add.at(grad, _at(dim, index), g)
    return grad


_take_backward = defprim(
    "repeat_interleave_scatter", "IndexSelectBackwardBackward0", _take_backward_forward,
    grads=(lambda F, g, out, gy, index, dim, size: _run(F, _take, g, index=index, dim=dim),),
    saves=())
_take = defprim(
    "repeat_interleave_gather", "IndexSelectBackward0", _take_forward,
    grads=(lambda F, g, out, x, index, dim:
           _run(F, _take_backward, g, index=index, dim=dim, size=x.shape[dim]),),
    saves=())


def _repeat_counts(repeats, size):
    """Repeats as a 1-D int64 array of length ``size``, validated as torch does."""
    if isinstance(repeats, Tensor):
        if repeats._data.dtype not in (np.int64, np.int32):
            raise NotImplementedError(f'"repeat_interleave_cpu" not implemented for '
                                      f"'{_title(repeats.dtype)}'")
        if repeats.ndim > 1:
            raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
        counts = repeats._data.reshape(-1).astype(np.int64)
    else:
        counts = np.array([_int_arg(repeats, "repeat_interleave", "repeats")], np.int64)
        if counts[0] < 0:
            raise RuntimeError("Repeats must be non-negative")
    if counts.size == 1:
        counts = np.repeat(counts, size)
    if counts.size != size:
        raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                           f"repeats.size(0) = {counts.size} and input.size(0) = {size}")
    if np.any(counts < 0):
        raise RuntimeError("repeats can not be negative")
    return counts


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Repeat each element (or slice along ``dim``) ``repeats`` times; flattens when dim is None.

    ``repeat_interleave(repeats)`` with one integer tensor gives the index array
    ``[0]*r0 + [1]*r1 + ...`` as torch does.
    """
    if repeats is None:
        counts = _repeat_counts(input, input.numel())
        return Tensor._make(np.repeat(np.arange(counts.size, dtype=np.int64), counts))
    if dim is None:
        input = flatten(input)
        dim = 0
    elif input.ndim == 0:
        # torch works on input.unsqueeze(dim + 1), so a 0-d input has no valid dim.
        raise IndexError(f"Dimension out of range (expected to be in range of [-1, 0], but got "
                         f"{dim + 1})")
    dim = wrap_dim(dim, input.ndim)
    size = input._data.shape[dim] if input.ndim else 1
    counts = _repeat_counts(repeats, size)
    if output_size is not None and output_size != int(counts.sum()):
        raise RuntimeError("allocated size does not match required size")
    if not isinstance(repeats, Tensor) and input.ndim:
        # An int repeat is a broadcast copy: unsqueeze, expand, copy, view (ViewBackward0).
        r = int(counts[0]) if size else _int_arg(repeats, "repeat_interleave", "repeats")
        shape = list(input._data.shape)
        expanded = unsqueeze(input, dim + 1).expand(shape[:dim + 1] + [r] + shape[dim + 1:])
        shape[dim] *= r
        return contiguous(expanded).view(tuple(shape))
    index = np.repeat(np.arange(size, dtype=np.int64), counts)
    return _take(input, index=index, dim=dim)


tensor_method(repeat_interleave)


# ================================================================ reordering
numpy_rule_op("flip")(lambda x, dims: np.flip(x, dims))
numpy_rule_op("roll")(lambda x, shifts, dims=None: np.roll(x, shifts, dims))
numpy_rule_op("rot90")(lambda x, k=1, dims=(0, 1): np.rot90(x, k, dims))

# flip, roll and rot90 return copies in torch, so their forwards copy NumPy's views.
_flip = defprim("flip", "FlipBackward0", lambda x, dims: np.flip(x, dims).copy(),
                grads=(lambda F, g, out, x, dims: F.flip(g, dims),), saves=())


def _int_tuple(value, fn, name, position):
    """A tuple of ints from a list/tuple argument; TypeError like torch for anything else."""
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{fn}(): argument '{name}' (position {position}) must be tuple of ints, "
                        f"not {type(value).__name__}")
    return _sizes((value,))


def flip(input, dims):
    """Reverse the order of elements along ``dims`` (a copy, as torch)."""
    dims = tuple(wrap_dim(d, input.ndim) for d in _int_tuple(dims, "flip", "dims", 2))
    if len(set(dims)) != len(dims):
        dup = next(d for d in dims if dims.count(d) > 1)
        raise RuntimeError(f"dim {dup} appears multiple times in the list of dims")
    if input.ndim == 0:
        dims = ()
    return _flip(input, dims=dims)


Tensor.flip = lambda self, *dims: flip(self, _sizes(dims))


def fliplr(input):
    """Flip dim 1 of a tensor with at least 2 dims."""
    if input.ndim < 2:
        raise RuntimeError("Input must be >= 2-d.")
    return flip(input, (1,))


def flipud(input):
    """Flip dim 0 of a tensor with at least 1 dim."""
    if input.ndim < 1:
        raise RuntimeError("Input must be >= 1-d.")
    return flip(input, (0,))


tensor_method(fliplr)
tensor_method(flipud)


def _roll_forward(x, shifts, dims):
    return np.roll(x, shifts, dims).copy() if dims is not None else np.roll(x, shifts)


def _roll_grad(F, g, out, x, shifts, dims):
    back = tuple(-s for s in shifts) if isinstance(shifts, tuple) else -shifts
    return F.roll(g, back, dims)


_roll = defprim("roll", "RollBackward0", _roll_forward, grads=(_roll_grad,), saves=())


def roll(input, shifts, dims=None):
    """Shift elements cyclically along ``dims`` (of the flattened tensor when dims is None)."""
    shifts = (shifts,) if isinstance(shifts, (int, np.integer)) else tuple(shifts)
    shifts = tuple(_int_arg(s, "roll", "shifts") for s in shifts)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        return _roll(input, shifts=shifts[0], dims=None)
    dims = (dims,) if isinstance(dims, (int, np.integer)) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                           f"dims:{len(dims)}")
    if input.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    dims = tuple(wrap_dim(d, input.ndim) for d in dims)
    return _roll(input, shifts=shifts, dims=dims)


tensor_method(roll)


def _rot90_grad(F, g, out, x, k, dims):
    return F.rot90(g, -k, dims)


_rot90 = defprim("rot90", "Rot90Backward0", lambda x, k, dims: np.rot90(x, k, dims).copy(),
                 grads=(_rot90_grad,), saves=())


def rot90(input, k=1, dims=(0, 1)):
    """Rotate by 90 degrees ``k`` times in the plane ``dims``, from dims[0] towards dims[1]."""
    dims = tuple(dims)
    if len(dims) != 2:
        raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    if input.ndim < 2:
        raise RuntimeError(f"expected total dims >= 2, but got total dims = {input.ndim}")
    d0, d1 = wrap_dim(dims[0], input.ndim), wrap_dim(dims[1], input.ndim)
    if d0 == d1:
        raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {dims[0]} "
                           f"and dim1 = {dims[1]}")
    return _rot90(input, k=_int_arg(k, "rot90", "k") % 4, dims=(d0, d1))


tensor_method(rot90)


def movedim(input, source, destination):
    """Move dims from ``source`` to ``destination`` positions, others keep their order (a view)."""
    src = (source,) if isinstance(source, (int, np.integer)) else tuple(source)
    dst = (destination,) if isinstance(destination, (int, np.integer)) else tuple(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} "
                           f"dims) should contain the same number of dims as destination "
                           f"({list(dst)} dims)")
    n = input.ndim
    src_w = [wrap_dim(d, n) for d in src]
    dst_w = [wrap_dim(d, n) for d in dst]
    for name, given, wrapped in (("source", src, src_w), ("destination", dst, dst_w)):
        if len(set(wrapped)) != len(wrapped):
            raise RuntimeError(f"movedim: repeated dim in `{name}` ({list(given)})")
    order = [d for d in range(n) if d not in src_w]
    for d, s in sorted(zip(dst_w, src_w)):
        order.insert(d, s)
    return permute(input, tuple(order))


moveaxis = movedim
tensor_method(movedim)
Tensor.moveaxis = movedim


def unflatten(input, dim, sizes):
    """Split dim ``dim`` into ``sizes`` (one may be -1); a view."""
    dim = wrap_dim(dim, input.ndim)
    sizes = _sizes((sizes,))
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    size = input._data.shape[dim]
    if -1 not in sizes:
        product = 1
        for s in sizes:
            product *= s
        if product != size:
            raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to "
                               f"the size of dim {dim} ({size}) in the input tensor")
    sizes = infer_size(sizes, size)
    shape = input._data.shape
    return input.view(shape[:dim] + sizes + shape[dim + 1:])


tensor_method(unflatten)


def ravel(input):
    """The elements as a 1-D tensor: a view when contiguous, else of a contiguous copy."""
    return contiguous(input).view(-1)


tensor_method(ravel)


# ================================================================ triangles and diagonals
numpy_rule_op("tril")(lambda x, diagonal=0: np.tril(x, diagonal))
numpy_rule_op("triu")(lambda x, diagonal=0: np.triu(x, diagonal))

_tril = defprim("tril", "TrilBackward0", lambda x, diagonal: np.tril(x, diagonal),
                grads=(lambda F, g, out, x, diagonal: F.tril(g, diagonal),), saves=())
_triu = defprim("triu", "TriuBackward0", lambda x, diagonal: np.triu(x, diagonal),
                grads=(lambda F, g, out, x, diagonal: F.triu(g, diagonal),), saves=())


def _triangle(prim, name, input, diagonal):
    if input.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return prim(input, diagonal=_int_arg(diagonal, name, "diagonal"))


def tril(input, diagonal=0, *, out=None):
    """Lower triangle of the last two dims (elements with j - i <= diagonal); rest zeroed."""
    _no_out(out, "tril")
    return _triangle(_tril, "tril", input, diagonal)


def triu(input, diagonal=0, *, out=None):
    """Upper triangle of the last two dims (elements with j - i >= diagonal); rest zeroed."""
    _no_out(out, "triu")
    return _triangle(_triu, "triu", input, diagonal)


tensor_method(tril, inplace=True)
tensor_method(triu, inplace=True)


def _diagonal_view(x, offset, dim1, dim2):
    """np.diagonal, but writeable when ``x`` is, so writes reach the base as in torch."""
    d = np.diagonal(x, offset, dim1, dim2)
    if x.flags.writeable:
        d.flags.writeable = True
    return d


def _diagonal_backward_forward(g, shape, offset, dim1, dim2):
    grad = np.zeros(shape, g.dtype)
    _diagonal_view(grad, offset, dim1, dim2)[...] = g
    return grad


numpy_rule_op("diagonal")(lambda x, offset=0, dim1=0, dim2=1: np.diagonal(x, offset, dim1, dim2))
_diagonal_backward = defprim(
    "diagonal_backward", "DiagonalBackwardBackward0", _diagonal_backward_forward,
    grads=(lambda F, g, out, gy, shape, offset, dim1, dim2: F.diagonal(g, offset, dim1, dim2),),
    saves=())


def _diagonal_grad(F, g, out, x, offset, dim1, dim2):
    return _run(F, _diagonal_backward, g, shape=tuple(x.shape), offset=offset, dim1=dim1,
                dim2=dim2)


_diagonal = defprim("diagonal", "DiagonalBackward0", _diagonal_view, grads=(_diagonal_grad,),
                    saves=(), is_view=True)
_diag_copy = defprim("diag_copy", "DiagonalBackward0_copy",
                     lambda x, offset, dim1, dim2: np.diagonal(x, offset, dim1, dim2).copy(),
                     grads=(_diagonal_grad,), saves=())


def _diagonal_dims(ndim, dim1, dim2):
    d1, d2 = wrap_dim(dim1, ndim), wrap_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return d1, d2


def diagonal(input, offset=0, dim1=0, dim2=1):
    """The diagonal of the (dim1, dim2) planes, moved to the last dim (a view)."""
    d1, d2 = _diagonal_dims(input.ndim, dim1, dim2)
    return _diagonal(input, offset=_int_arg(offset, "diagonal", "offset"), dim1=d1, dim2=d2)


tensor_method(diagonal)


def _diag_embed_forward(x, offset, dim1, dim2):
    n = x.shape[-1] + abs(offset)
    rest = iter(x.shape[:-1])
    shape = tuple(n if i in (dim1, dim2) else next(rest) for i in range(x.ndim + 1))
    out = np.zeros(shape, x.dtype)
    _diagonal_view(out, offset, dim1, dim2)[...] = x
    return out


_diag_embed = defprim("diag_embed", "DiagEmbedBackward0", _diag_embed_forward,
                      grads=(lambda F, g, out, x, offset, dim1, dim2:
                             F.diagonal(g, offset, dim1, dim2),), saves=())


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    """Matrices (in dims dim1, dim2) whose ``offset`` diagonal is the last dim of input."""
    if input.ndim == 0:
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but got "
                         f"{dim1})")
    d1, d2 = _diagonal_dims(input.ndim + 1, dim1, dim2)
    return _diag_embed(input, offset=_int_arg(offset, "diag_embed", "offset"), dim1=d1, dim2=d2)


tensor_method(diag_embed)


def diag(input, diagonal=0, *, out=None):
    """1-D: a matrix with input on the ``diagonal``-th diagonal; 2-D: that diagonal (a copy)."""
    _no_out(out, "diag")
    diagonal = _int_arg(diagonal, "diag", "diagonal")
    if input.ndim == 1:
        return _diag_embed(input, offset=diagonal, dim1=0, dim2=1)
    if input.ndim == 2:
        return _diag_copy(input, offset=diagonal, dim1=0, dim2=1)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {input.ndim}D")


tensor_method(diag)


def diagflat(input, offset=0):
    """A matrix with the flattened input on its ``offset`` diagonal."""
    return _diag_embed(reshape(input, -1), offset=_int_arg(offset, "diagflat", "offset"),
                       dim1=0, dim2=1)


tensor_method(diagflat)


# ================================================================ broadcasting
def broadcast_shapes(*shapes):
    """The shape all ``shapes`` broadcast to (ints count as 1-D shapes)."""
    from .._device import Size
    normalized = []
    for s in shapes:
        s = (s,) if isinstance(s, (int, np.integer)) else tuple(s)
        normalized.append(tuple(int(n) for n in s))
    result = []
    for i, s in enumerate(normalized):
        for k in range(1, len(s) + 1):
            n = s[-k]
            if k > len(result):
                result.insert(0, n)
            elif result[-k] == 1:
                result[-k] = n
            elif n != 1 and n != result[-k]:
                raise RuntimeError(
                    f"Attempting to broadcast a dimension of length {n} at {-k}! Mismatching "
                    f"argument at index {i} had {s}; but expected shape should be broadcastable "
                    f"to {result}")
    return Size(result)


def broadcast_tensors(*tensors):
    """Views of the inputs expanded to their common broadcast shape."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    shape = ()
    for t in tensors:
        try:
            shape = np.broadcast_shapes(shape, t._data.shape)
        except ValueError:
            a, b = shape, t._data.shape
            for k in range(1, min(len(a), len(b)) + 1):
                if a[-k] != b[-k] and 1 not in (a[-k], b[-k]):
                    raise RuntimeError(
                        f"The size of tensor a ({a[-k]}) must match the size of tensor b "
                        f"({b[-k]}) at non-singleton dimension {max(len(a), len(b)) - k}")
            raise
    return tuple(t if t._data.shape == shape else t.expand(shape) for t in tensors)


def meshgrid(*tensors, indexing=None):
    """Coordinate grids from 1-D tensors (expanded views); ``indexing`` 'ij' or 'xy'."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing is None:
        import warnings
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                      "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but '
                           f"received: {indexing}")
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for t in tensors:
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list "
                               f"but got: {t}")
    # 'xy' puts the first two inputs on axes 1 and 0 (Cartesian, as NumPy's default).
    axes = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) >= 2:
        axes[0], axes[1] = 1, 0
    shape = [0] * len(tensors)
    for t, ax in zip(tensors, axes):
        shape[ax] = t.numel()
    grids = []
    for t, ax in zip(tensors, axes):
        view_shape = [1] * len(tensors)
        view_shape[ax] = t.numel()
        grids.append(reshape(t, tuple(view_shape)).expand(tuple(shape)))
    return tuple(grids)


# ================================================================ complex views
def _view_as_real_forward(x):
    # A trailing axis of length 1 can be reinterpreted as two floats whatever the layout.
    return x[..., None].view(x.real.dtype)


def _view_as_complex_forward(x):
    return x.view(np.result_type(x.dtype, np.complex64))[..., 0]


numpy_rule_op("view_as_real")(_view_as_real_forward)
numpy_rule_op("view_as_complex")(lambda x: _view_as_complex_forward(np.ascontiguousarray(x)))
numpy_rule_op("contiguous")(np.ascontiguousarray)

_view_as_real = defprim("view_as_real", "ViewAsRealBackward0", _view_as_real_forward,
                        grads=(lambda F, g, out, x: F.view_as_complex(F.contiguous(g)),),
                        saves=(), is_view=True)
_view_as_complex = defprim("view_as_complex", "ViewAsComplexBackward0", _view_as_complex_forward,
                           grads=(lambda F, g, out, x: F.view_as_real(g),), saves=(),
                           is_view=True)


def view_as_real(input):
    """A complex tensor viewed as floats with a trailing dim of 2 (real, imag)."""
    if not input.is_complex():
        raise RuntimeError("view_as_real is only supported for complex tensors")
    return _view_as_real(input)


def view_as_complex(input):
    """A float tensor with a trailing dim of 2 viewed as complex (a view)."""
    if input._data.dtype not in (np.float32, np.float64):
        raise RuntimeError("view_as_complex is only supported for half, float and double "
                           f"tensors, but got a tensor of scalar type: {_title(input.dtype)}")
    if input.ndim == 0:
        raise RuntimeError("Input tensor must have one or more dimensions")
    if input._data.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    strides = input.stride()
    if strides[-1] != 1:
        raise RuntimeError("Tensor must have a last dimension with stride 1")
    if any(s % 2 for s in strides[:-1]):
        raise RuntimeError("Tensor must have a stride divisible by 2 for all but last dimension")
    if input.storage_offset() % 2:
        raise RuntimeError("Tensor must have a storage_offset divisible by 2")
    return _view_as_complex(input)


# ================================================================ sliding windows
def _unfold_forward(x, dim, size, step):
    if x.ndim == 0:
        return x.reshape(1)[:size]
    n = (x.shape[dim] - size) // step + 1
    shape = x.shape[:dim] + (n,) + x.shape[dim + 1:] + (size,)
    strides = x.strides[:dim] + (x.strides[dim] * step,) + x.strides[dim + 1:] + (x.strides[dim],)
    # Overlapping windows alias memory: read-only, so in-place writes fail as in torch.
    writeable = x.flags.writeable and step >= size
    return np.lib.stride_tricks.as_strided(x, shape, strides, writeable=writeable)


def _unfold_backward_forward(g, shape, dim, size, step):
    grad = np.zeros(shape, g.dtype)
    if len(shape) == 0:
        return g.sum().astype(g.dtype).reshape(())
    n = g.shape[dim]
    for k in range(size):
        # Element k of every window: positions k, k + step, ... of the input dim.
        grad[_at(dim, slice(k, k + step * (n - 1) + 1, step))] += g[..., k]
    return grad


_unfold_backward = defprim(
    "unfold_backward", "UnfoldBackwardBackward0", _unfold_backward_forward,
    grads=(lambda F, g, out, gy, shape, dim, size, step:
           _run(F, _unfold, g, dim=dim, size=size, step=step),), saves=())
_unfold = defprim(
    "unfold", "UnfoldBackward0", _unfold_forward,
    grads=(lambda F, g, out, x, dim, size, step:
           _run(F, _unfold_backward, g, shape=tuple(x.shape), dim=dim, size=size, step=step),),
    saves=(), is_view=True)


def _unfold_method(self, dimension, size, step):
    """All windows of ``size`` along ``dimension``, ``step`` apart, in a new last dim (a view).

    Differs from torch: overlapping windows (step < size) are read-only, so an in-place
    write into them raises; torch's result for such a write is undefined.
    """
    dim = wrap_dim(dimension, self.ndim)
    length = self._data.shape[dim] if self.ndim else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {dim} is {length} but size "
                           f"is {size}")
    if size < 0:
        raise RuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    return _unfold(self, dim=dim, size=int(size), step=int(step))


Tensor.unfold = _unfold_method


def as_strided(input, size, stride, storage_offset=None):
    """Not supported: NumPy arrays do not expose torch's storage model cleanly."""
    raise NotImplementedError("minitorch does not support as_strided; use view, unfold, "
                              "diagonal or expand instead")


Tensor.as_strided = as_strided


# ================================================================ in-place layout changes
# x.unsqueeze_(0) and friends change the tensor's shape, not its values. The tensor
# takes the layout (and, under autograd, the node) of the matching view of itself.
def _metadata_prim(name, node_name, like):
    return defprim(name, node_name, like.forward, grads=like.grads, saves=(), is_view=True)


_unsqueeze_inplace = _metadata_prim("unsqueeze_", "UnsqueezeBackward1", _unsqueeze)
_squeeze_all_inplace = _metadata_prim("squeeze_", "SqueezeBackward3", _squeeze_all)
_squeeze_dim_inplace = _metadata_prim("squeeze_dim_", "SqueezeBackward4", _squeeze_dims)
_squeeze_dims_inplace = _metadata_prim("squeeze_dims_", "SqueezeBackward5", _squeeze_multi)
_t_inplace = _metadata_prim("t_", "TBackward1", _t)
_transpose_inplace = _metadata_prim("transpose_", "TransposeBackward1", _transpose)


def _change_layout(self, prim, **params):
    """Make ``self`` the view ``prim`` gives of it, in place; returns self.

    Differs from torch in one corner: other views taken of ``self`` before the
    change must not be used after a later in-place write into ``self``.
    """
    self._check_inplace_allowed()
    out = prim(self, **params)
    self._data = out._data
    self._version_cell[0] += 1
    if out._grad_fn is not None:
        self._grad_fn = out._grad_fn
        self._output_nr = 0
    if self._base is not None:
        # Replaying the view chain from the base must reproduce the new layout.
        self._view_chain = self._view_chain + ((prim, params),)
    return self


def _unsqueeze_(self, dim):
    return _change_layout(self, _unsqueeze_inplace, dim=wrap_dim(dim, self.ndim + 1))


def _squeeze_(self, dim=None):
    shape = self._data.shape
    if dim is None:
        return _change_layout(self, _squeeze_all_inplace,
                              dims=tuple(i for i, s in enumerate(shape) if s == 1))
    single = isinstance(dim, (int, np.integer))
    dims = (dim,) if single else tuple(dim)
    dims = tuple(sorted({wrap_dim(d, self.ndim) for d in dims})) if self.ndim else ()
    prim = _squeeze_dim_inplace if single else _squeeze_dims_inplace
    return _change_layout(self, prim, dims=tuple(d for d in dims if shape[d] == 1))


def _t_(self):
    if self.ndim > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is "
                           f"{self.ndim}D")
    return _change_layout(self, _t_inplace)


def _transpose_(self, dim0, dim1):
    n = self.ndim
    return _change_layout(self, _transpose_inplace, dim0=wrap_dim(dim0, n),
                          dim1=wrap_dim(dim1, n))


Tensor.unsqueeze_ = _unsqueeze_
Tensor.squeeze_ = _squeeze_
Tensor.t_ = _t_
Tensor.transpose_ = Tensor.swapaxes_ = Tensor.swapdims_ = _transpose_


def _resize_(self, *sizes, memory_format=None):
    """Give the tensor a new shape over its memory, in place; new elements are uninitialised.

    Differs from torch: only contiguous tensors that are not views can change shape,
    and growing moves the tensor to new memory (other aliases keep the old one).
    """
    if memory_format is not None:
        raise NotImplementedError("minitorch does not support the 'memory_format' argument of "
                                  "resize_")
    if self._requires_grad:
        raise RuntimeError("cannot resize variables that require grad")
    shape = _sizes(sizes)
    if any(s < 0 for s in shape):
        raise RuntimeError(f"Trying to create tensor with negative dimension "
                           f"{min(shape)}: {list(shape)}")
    if shape == self._data.shape:
        return self
    if self._base is not None or not self._data.flags.c_contiguous:
        raise NotImplementedError("minitorch's resize_ supports only contiguous tensors that "
                                  "are not views")
    count = int(np.prod(shape))
    flat = self._data.reshape(-1)
    if count <= flat.size:
        self._data = flat[:count].reshape(shape)
    else:
        grown = np.zeros(count, self._data.dtype)
        grown[:flat.size] = flat
        self._data = grown.reshape(shape)
    self._version_cell[0] += 1
    return self


def _resize_as_(self, other, memory_format=None):
    return _resize_(self, other.shape, memory_format=memory_format)


Tensor.resize_ = _resize_
Tensor.resize_as_ = _resize_as_
