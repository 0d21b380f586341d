"""Tensor factories: tensor/as_tensor/from_numpy, zeros/ones/full/empty and _like forms,
arange/linspace/logspace/eye."""
import numbers

import numpy as np

from .. import _dtype
from .._device import check_device
from .._tensor import Tensor

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "zeros", "ones", "full", "empty",
           "zeros_like", "ones_like", "full_like", "empty_like", "arange", "range",
           "linspace", "logspace", "eye", "scalar_tensor", "empty_strided", "complex",
           "polar", "frombuffer"]

_builtin_range = range


def _infer_dtype(array, data):
    """torch.tensor's dtype inference: NumPy arrays keep theirs, Python values map to torch's."""
    if isinstance(data, np.ndarray) or isinstance(data, np.generic):
        return _dtype.from_numpy_dtype(array.dtype)
    kind = array.dtype.kind
    if kind == "b":
        return _dtype.bool
    if kind in "iu":
        return _dtype.int64
    if kind == "f":
        if _contains_tensor_of(data, np.float64):
            return _dtype.float64
        return _dtype.get_default_dtype()
    if kind == "c":
        return _dtype.default_complex_dtype()
    raise TypeError(f"Could not infer dtype of {type(data).__name__}")


def _contains_tensor_of(data, np_type):
    if isinstance(data, Tensor):
        return data._data.dtype == np_type
    if isinstance(data, (list, tuple)) and data:
        return _contains_tensor_of(data[0], np_type)
    return False


def _to_array(data):
    if isinstance(data, Tensor):
        return data._data
    if isinstance(data, (list, tuple)):
        _check_rectangular(data)
        if any(isinstance(x, Tensor) for x in data):
            return np.array([_to_array(x) for x in data])
    elif not isinstance(data, (numbers.Number, np.ndarray, np.generic)):
        if hasattr(data, "__array__"):
            return np.asarray(data)
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    return np.array(data)


def _check_rectangular(data, dim=0):
    """torch's error for ragged nested sequences."""
    if not data or not isinstance(data[0], (list, tuple)):
        for x in data:
            if isinstance(x, (list, tuple)):
                raise ValueError(f"expected sequence of length 0 at dim {dim + 1} (got {len(x)})")
            if not isinstance(x, (numbers.Number, np.generic, Tensor, np.ndarray)):
                raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
        return
    n = len(data[0])
    for x in data:
        if not isinstance(x, (list, tuple)):
            raise TypeError(f"expected a sequence at dim {dim + 1}, got {type(x).__name__}")
        if len(x) != n:
            raise ValueError(f"expected sequence of length {n} at dim {dim + 1} (got {len(x)})")
        _check_rectangular(x, dim + 1)


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """Copy ``data`` (nested lists, scalars, arrays, tensors) into a new leaf tensor."""
    check_device(device)
    if isinstance(data, Tensor):
        import warnings
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                      "requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
    array = _to_array(data)
    if dtype is None:
        dtype = _dtype.from_numpy_dtype(array.dtype) if isinstance(data, Tensor) else \
            _infer_dtype(array, data)
    result = Tensor._make(np.array(array, dtype=dtype._np, copy=True))
    if requires_grad:
        result.requires_grad_(True)
    return result


def as_tensor(data, dtype=None, device=None):
    """Like tensor() but shares memory with a NumPy array or tensor when no cast is needed."""
    check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype is data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray):
        dt = dtype or _dtype.from_numpy_dtype(data.dtype)
        return Tensor._make(np.asarray(data, dtype=dt._np))
    return tensor(data, dtype=dtype)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    result = as_tensor(obj, dtype=dtype, device=device)
    if copy:
        result = Tensor._make(result._data.copy())
    if requires_grad:
        result.requires_grad_(True)
    return result


def from_numpy(ndarray):
    """A tensor sharing memory with ``ndarray`` (writes show through both ways)."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy_dtype(ndarray.dtype)
    return Tensor._make(ndarray)


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    array = np.frombuffer(buffer, dtype=dtype._np, count=count, offset=offset)
    return Tensor._make(array, requires_grad)


def _size_args(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if isinstance(s, Tensor):
            continue
        if not isinstance(s, (int, np.integer)) or isinstance(s, bool):
            raise TypeError(f"zeros(): argument 'size' must be tuple of ints, but found element "
                            f"of type {type(s).__name__}")
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(size)}")
    return tuple(int(s) for s in size)


def _factory(array_fn, size, dtype, device, requires_grad, layout=None, out=None,
             pin_memory=False, memory_format=None):
    check_device(device)
    if out is not None:
        raise NotImplementedError("minitorch does not support the 'out' argument of factories")
    dtype = dtype or _dtype.get_default_dtype()
    result = Tensor._make(array_fn(_size_args(size), dtype._np))
    if requires_grad:
        result.requires_grad_(True)
    return result


def zeros(*size, dtype=None, device=None, requires_grad=False, layout=None, out=None,
          pin_memory=False):
    """A tensor of zeros of the given size (default dtype unless ``dtype``)."""
    return _factory(np.zeros, size, dtype, device, requires_grad, layout, out)


def ones(*size, dtype=None, device=None, requires_grad=False, layout=None, out=None,
         pin_memory=False):
    """A tensor of ones."""
    return _factory(np.ones, size, dtype, device, requires_grad, layout, out)


def empty(*size, dtype=None, device=None, requires_grad=False, layout=None, out=None,
          pin_memory=False, memory_format=None):
    """An uninitialised tensor (minitorch fills it with zeros, which is a valid 'anything')."""
    return _factory(np.zeros, size, dtype, device, requires_grad, layout, out)


def empty_strided(size, stride, *, dtype=None, device=None, requires_grad=False, layout=None,
                  pin_memory=False):
    return empty(tuple(size), dtype=dtype, device=device, requires_grad=requires_grad)


def full(size, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None,
         out=None, pin_memory=False):
    """A tensor filled with ``fill_value``; dtype inferred from it as torch does."""
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    dtype = dtype or _dtype.scalar_dtype(fill_value)
    return _factory(lambda s, dt: np.full(s, fill_value, dtype=dt), (tuple(size),), dtype,
                    device, requires_grad, layout, out)


def _like(input, dtype, fill):
    dtype = dtype or input.dtype
    return fill(input._data.shape, dtype._np)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    check_device(device)
    return Tensor._make(_like(input, dtype, np.zeros))._maybe_requires_grad(requires_grad)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    check_device(device)
    return Tensor._make(_like(input, dtype, np.ones))._maybe_requires_grad(requires_grad)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    return zeros_like(input, dtype=dtype, device=device, requires_grad=requires_grad)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    check_device(device)
    array = _like(input, dtype, lambda s, dt: np.full(s, fill_value, dtype=dt))
    return Tensor._make(array)._maybe_requires_grad(requires_grad)


def _maybe_requires_grad(self, requires_grad):
    if requires_grad:
        self.requires_grad_(True)
    return self


Tensor._maybe_requires_grad = _maybe_requires_grad


def scalar_tensor(s, *, dtype=None, device=None, requires_grad=False, layout=None,
                  pin_memory=False):
    check_device(device)
    dtype = dtype or _dtype.get_default_dtype()
    return Tensor._make(np.array(s, dtype=dtype._np))._maybe_requires_grad(requires_grad)


def _scalar(x):
    return x.item() if isinstance(x, Tensor) else x


def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False,
           layout=None, out=None, pin_memory=False):
    """Values from start (default 0) up to but excluding end, spaced by step."""
    check_device(device)
    if end is None:
        start, end = 0, start
    start, end, step = _scalar(start), _scalar(end), _scalar(step)
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) / step < 0:
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    if dtype is None:
        all_int = all(isinstance(v, (int, np.integer)) and not isinstance(v, bool)
                      for v in (start, end, step))
        dtype = _dtype.int64 if all_int else _dtype.get_default_dtype()
    n = int(np.ceil((end - start) / step))
    # torch computes start + i*step in double, then casts.
    values = start + np.arange(n, dtype=np.float64) * step
    if dtype.is_floating_point or dtype.is_complex:
        array = values.astype(dtype._np)
    else:
        array = (np.arange(n, dtype=np.int64) * step + start).astype(dtype._np) \
            if isinstance(step, int) and isinstance(start, int) else values.astype(dtype._np)
    return Tensor._make(array)._maybe_requires_grad(requires_grad)


def range(start=0, end=None, step=1, *, dtype=None, device=None, requires_grad=False):
    """Deprecated torch.range: like arange but *including* end; default float dtype."""
    import warnings
    warnings.warn("torch.range is deprecated and will be removed in a future release because "
                  "its behavior is inconsistent with Python's range builtin. Instead, use "
                  "torch.arange, which produces values in [start, end).", UserWarning,
                  stacklevel=2)
    dtype = dtype or _dtype.get_default_dtype()
    n = int(np.floor((end - start) / step)) + 1
    return Tensor._make((start + np.arange(n) * step).astype(dtype._np))._maybe_requires_grad(
        requires_grad)


def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False, layout=None,
             out=None):
    """``steps`` evenly spaced values from start to end inclusive (torch's symmetric formula)."""
    check_device(device)
    start, end = _scalar(start), _scalar(end)
    if not isinstance(steps, (int, np.integer)) or steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    dtype = dtype or _dtype.get_default_dtype()
    compute = np.float64 if not dtype.is_complex else np.complex128
    if steps == 1:
        values = np.array([start], dtype=compute)
    else:
        step = (end - start) / (steps - 1)
        idx = np.arange(steps, dtype=np.float64)
        halfway = steps // 2
        # torch fills the first half from start and the second half from end.
        values = np.where(idx < halfway, start + step * idx, end - step * (steps - 1 - idx))
    if not (dtype.is_floating_point or dtype.is_complex):
        values = np.trunc(values) if False else values
    return Tensor._make(values.astype(dtype._np))._maybe_requires_grad(requires_grad)


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False,
             layout=None, out=None):
    """``base ** linspace(start, end, steps)``."""
    exponents = linspace(start, end, steps, dtype=_dtype.float64)._data
    dtype = dtype or _dtype.get_default_dtype()
    return Tensor._make(np.power(base, exponents).astype(dtype._np))._maybe_requires_grad(
        requires_grad)


def eye(n, m=None, *, dtype=None, device=None, requires_grad=False, layout=None, out=None):
    """Identity matrix (n x m)."""
    check_device(device)
    dtype = dtype or _dtype.get_default_dtype()
    return Tensor._make(np.eye(n, m if m is not None else n, dtype=dtype._np))._maybe_requires_grad(
        requires_grad)


def complex(real, imag, *, out=None):
    """Complex tensor from real and imaginary parts (same float dtype)."""
    if real.dtype is not imag.dtype:
        raise RuntimeError(f"Expected object of scalar type {real.dtype} but got scalar type "
                           f"{imag.dtype} for second argument")
    return real + imag * 1j


def polar(abs, angle, *, out=None):
    from .pointwise import mul
    import minitorch
    return complex(mul(abs, minitorch.cos(angle)), mul(abs, minitorch.sin(angle)))


def _new_factory(fn):
    def method(self, *size, dtype=None, device=None, requires_grad=False, layout=None,
               pin_memory=False):
        return fn(*size, dtype=dtype or self.dtype, device=device, requires_grad=requires_grad)
    return method


Tensor.new_zeros = _new_factory(zeros)
Tensor.new_ones = _new_factory(ones)
Tensor.new_empty = _new_factory(empty)


def _new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False,
              layout=None, pin_memory=False):
    return full(size, fill_value, dtype=dtype or self.dtype, device=device,
                requires_grad=requires_grad)


def _new_tensor(self, data, *, dtype=None, device=None, requires_grad=False, layout=None,
                pin_memory=False):
    if isinstance(data, Tensor):
        data = data.detach()._data
    return tensor(np.array(data), dtype=dtype or self.dtype, device=device,
                  requires_grad=requires_grad)


Tensor.new_full = _new_full
Tensor.new_tensor = _new_tensor
