"""Shape ops. Views (view, transpose, permute, expand, squeeze, ...) share storage
with their input, as in torch: their forwards return NumPy views and they are
declared ``is_view=True`` so in-place writes through them reach the base.
"""
import numpy as np

from .._tensor import Tensor
from ..autograd._primitive import defprim, numpy_rule_op
from ._registry import normalize_dims, tensor_method, wrap_dim

__all__ = ["reshape", "transpose", "swapaxes", "swapdims", "t", "permute", "unsqueeze",
           "squeeze", "flatten", "broadcast_to", "contiguous"]


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


def squeeze(input, dim=None):
    """Remove size-1 dims (all, or those listed in ``dim``); a view."""
    shape = input._data.shape
    if dim is None:
        return _squeeze_all(input, dims=tuple(i for i, s in enumerate(shape) if s == 1))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    dims = tuple(sorted({wrap_dim(d, input.ndim) for d in dims})) if input.ndim else ()
    return _squeeze_dims(input, dims=tuple(d for d in dims if shape[d] == 1))


tensor_method(squeeze)


# ------------------------------------------------------------------- expanding
def _expand_forward(x, shape):
    return np.broadcast_to(x, shape)


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
