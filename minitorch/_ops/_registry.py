"""Helpers shared by the op modules: attaching methods to Tensor, operand conversion."""
import numbers

import numpy as np

from .. import _dtype
from .._tensor import Tensor, _check_no_partial_overlap

__all__ = ["tensor_method", "add_inplace_variant", "as_tensor_operand", "binary_operands",
           "broadcasts_to",
           "wrap_dim", "normalize_dims", "result_np_dtype"]


def tensor_method(fn=None, *, name=None, inplace=False):
    """Expose ``fn(input, ...)`` as ``Tensor.<name>``; with ``inplace=True`` also ``<name>_``.

    The in-place twin goes through ``Tensor._inplace``, which handles version
    counters, graph rebasing and writes through views for every op alike.
    """
    def attach(f):
        method_name = name or f.__name__
        setattr(Tensor, method_name, f)
        if inplace:
            add_inplace_variant(method_name, f)
        return f
    return attach(fn) if fn is not None else attach


def add_inplace_variant(name, fn, fast=None):
    """Attach ``Tensor.<name>_``: ``fn`` applied out of place, then written into self.

    ``fast(self, *args, **kwargs)``, when given, may do the work directly in self's
    memory with NumPy's ``out=`` and return True; it is tried only when nothing is
    being recorded for autograd (optimizer steps, ``no_grad`` code), and returning
    False falls back to the general path.
    """
    check_overlap = name not in _READS_OVERLAP_FREELY

    def method_(self, *args, **kwargs):
        if check_overlap:
            _check_operands_overlap(self, args, kwargs)
        if fast is not None and not self._inplace_records(args, kwargs) and \
                fast(self, *args, **kwargs):
            self._version_cell[0] += 1
            return self
        return self._inplace(fn, *args, **kwargs)
    method_.__name__ = name + "_"
    method_.__qualname__ = "Tensor." + name + "_"
    method_.__doc__ = f"In-place version of :meth:`Tensor.{name}`."
    setattr(Tensor, name + "_", method_)
    return method_


# In-place ops that torch lets read memory overlapping the target (it refuses the rest).
_READS_OVERLAP_FREELY = {"masked_scatter"}


def _check_operands_overlap(self, args, kwargs):
    for operand in args:
        if isinstance(operand, Tensor):
            _check_no_partial_overlap(self, operand)
    for operand in kwargs.values():
        if isinstance(operand, Tensor):
            _check_no_partial_overlap(self, operand)


def broadcasts_to(shape, target):
    """Whether an array of ``shape`` broadcasts to ``target`` without changing it (the
    test for writing or adding into an array of shape ``target``)."""
    return len(shape) <= len(target) and all(
        n in (1, m) for n, m in zip(shape[::-1], target[::-1]))


def fast_inplace_operand(self, other):
    """``other`` as something NumPy can combine into ``self._data`` in place, else None.

    The fast path covers the common optimizer case only: a writeable floating
    tensor without repeated elements, and an operand of the same dtype that
    broadcasts to its shape (or a real Python number).
    """
    a = self._data
    if a.dtype.kind != "f" or not a.flags.writeable or 0 in a.strides:
        return None
    if isinstance(other, Tensor):
        b = other._data
        if b.dtype != a.dtype or not broadcasts_to(b.shape, a.shape):
            return None
        return b
    if type(other) in (int, float):
        return other
    return None


def scalar_tensor(value, dtype):
    """A 0-d tensor holding a Python scalar in ``dtype`` (no grad)."""
    return Tensor._make(np.array(value, dtype=dtype._np))


def as_tensor_operand(x, name="other"):
    """Accept Tensors unchanged and Python/NumPy scalars as 0-d tensors of their own dtype."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (numbers.Number, np.number, np.bool_)):
        return scalar_tensor(x, _dtype.scalar_dtype(x))
    raise TypeError(f"expected Tensor as argument '{name}', but got {type(x).__name__}")


_SCALAR_TYPES = (numbers.Number, np.number, np.bool_)
_PLAIN_SCALARS = (float, int)
_OPERAND_TYPES = (Tensor,) + _SCALAR_TYPES
_WEAK_SCALAR_CACHE = {}


def binary_operands(a, b, promote_int_to_float=False):
    """Tensor operands for a binary op, Python scalars given the promoted dtype.

    torch treats Python scalars as *weak*: ``int32_tensor + 2`` stays int32 and
    ``float16_tensor * 2.5`` stays float16. Casting the scalar to the result
    dtype here lets the forward promote on arrays alone.
    """
    a_is_tensor = isinstance(a, Tensor)
    b_is_tensor = isinstance(b, Tensor)
    if a_is_tensor and b_is_tensor:
        return a, b
    for x, nm in ((a, "input"), (b, "other")):
        # Python floats and ints first: isinstance against numbers.Number is slower
        if type(x) not in _PLAIN_SCALARS and not isinstance(x, _OPERAND_TYPES):
            raise TypeError(f"unsupported operand type for {nm}: expected a Tensor or a number, "
                            f"got {type(x).__name__}")
    if a_is_tensor or b_is_tensor:
        tensor, scalar = (a, b) if a_is_tensor else (b, a)
        key = (tensor._data.dtype, tensor._data.ndim == 0, type(scalar),
               _dtype._default_dtype, promote_int_to_float)
        dt = _WEAK_SCALAR_CACHE.get(key)
        if dt is None:
            dt = _WEAK_SCALAR_CACHE[key] = _promoted_dtype(a, b, promote_int_to_float)
    else:
        dt = _promoted_dtype(a, b, promote_int_to_float)
    if not a_is_tensor:
        a = scalar_tensor(a, dt)
    if not b_is_tensor:
        b = scalar_tensor(b, dt)
    return a, b


def _promoted_dtype(a, b, promote_int_to_float):
    dt = _dtype.result_type(a, b)
    if promote_int_to_float and not (dt.is_floating_point or dt.is_complex):
        dt = _dtype.get_default_dtype()
    return dt


_PROMOTION_CACHE = {}


def result_np_dtype(*arrays):
    """torch's result dtype (as a NumPy dtype) for arrays; 0-d arrays act as 0-d tensors."""
    key = tuple((a.dtype, a.ndim == 0) for a in arrays)
    dt = _PROMOTION_CACHE.get(key)
    if dt is None:
        dim_result = zero_result = None
        for a in arrays:
            d = _dtype._BY_NUMPY[a.dtype]
            if a.ndim:
                dim_result = _dtype._promote_skip_none(dim_result, d)
            else:
                zero_result = _dtype._promote_skip_none(zero_result, d)
        dt = _PROMOTION_CACHE[key] = _dtype._combine_categories(dim_result, zero_result)._np
    return dt


def promote_arrays(*arrays):
    """Cast arrays to their torch result dtype (no copy when already there)."""
    if len(arrays) == 2 and arrays[0].dtype == arrays[1].dtype:
        return arrays
    dt = result_np_dtype(*arrays)
    return [a if a.dtype == dt else a.astype(dt) for a in arrays]


def wrap_dim(dim, ndim):
    """Normalise a possibly negative dim; IndexError as torch when out of range."""
    n = max(ndim, 1)
    if not isinstance(dim, (int, np.integer)):
        raise TypeError(f"dim must be an int, got {type(dim).__name__}")
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return int(dim) % n


def normalize_dims(dim, ndim):
    """``dim`` (None, int or sequence) as a sorted tuple of non-negative axes; None -> all."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, (int, np.integer)):
        return (wrap_dim(dim, ndim),)
    dims = tuple(wrap_dim(d, ndim) for d in dim)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"dim {dims[0]} appears multiple times in the list of dims")
    if len(dims) == 0:
        return tuple(range(ndim))
    return tuple(sorted(dims))
