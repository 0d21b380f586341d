"""Tensor factories: tensor/as_tensor/asarray/from_numpy, zeros/ones/full/empty and their
_like and new_ forms, arange/range/linspace/logspace/eye, complex/polar, and torch's legacy
typed constructors (``FloatTensor(2, 3)``, ``LongTensor([1, 2])``)."""
import builtins
import collections.abc
import math
import numbers
import warnings

import numpy as np

from .. import _dtype
from .._device import Size as _Size, check_device
from .._tensor import Tensor, _TYPE_TITLES
from ..autograd._primitive import defprim

__all__ = ["tensor", "as_tensor", "asarray", "from_numpy", "frombuffer", "zeros", "ones", "full",
           "empty", "empty_strided", "zeros_like", "ones_like", "full_like", "empty_like",
           "arange", "range", "linspace", "logspace", "eye", "scalar_tensor", "complex", "polar",
           "is_tensor", "is_floating_point", "is_complex", "is_nonzero", "numel", "typename",
           "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor", "IntTensor",
           "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor"]


# --------------------------------------------------------------- shared checks
def _check_common(device=None, layout=None, pin_memory=False, out=None, memory_format=None):
    """Reject what a CPU-only NumPy backend cannot honour, as torch's CPU build does."""
    check_device(device)
    if layout is not None and getattr(layout, "name", None) != "strided":
        raise NotImplementedError(f"minitorch supports only layout=torch.strided, got {layout}")
    if pin_memory:
        raise RuntimeError("pin_memory=True requires a CUDA or other accelerator backend; no "
                           "pinned memory allocator is available on this system.")
    if out is not None:
        raise NotImplementedError("minitorch factories do not support the 'out' argument")
    # minitorch's factories always return C-contiguous tensors, which is what the
    # contiguous and preserve formats give here; other layouts are not supported.
    if memory_format is not None and str(memory_format) not in (
            "torch.contiguous_format", "torch.preserve_format"):
        raise NotImplementedError(f"minitorch supports only contiguous tensors, got "
                                  f"memory_format={memory_format}")


def _check_dtype(dtype, name):
    """dtype must be a minitorch dtype (or None); NumPy dtypes and strings are refused."""
    if dtype is not None and not isinstance(dtype, _dtype.dtype):
        raise TypeError(f"{name}(): argument 'dtype' must be torch.dtype, not "
                        f"{type(dtype).__name__}")


def _finish(array, requires_grad):
    """Wrap a fresh array as a leaf, checking requires_grad against the dtype like torch."""
    result = Tensor._make(array)
    if requires_grad:
        result.requires_grad_(True)
    return result


def _check_fits(values, source_kind, dtype):
    """torch refuses Python numbers that overflow an integer dtype (RuntimeError)."""
    if not dtype.is_floating_point and not dtype.is_complex and dtype is not _dtype.bool:
        if source_kind == "c":
            raise TypeError("'complex' object cannot be interpreted as an integer")
        info = np.iinfo(dtype._np)
        # Unsigned types also accept negatives down to -max (they wrap), as torch.
        low = -builtins.int(info.max) if info.min == 0 else builtins.int(info.min)
        with np.errstate(invalid="ignore"):
            bad = np.isnan(values) | (values < low) | (values > info.max) \
                if values.dtype.kind == "f" else (values < low) | (values > info.max)
        if np.any(bad):
            raise RuntimeError(f"value cannot be converted to type {dtype._name} without overflow")
    elif source_kind == "c" and not dtype.is_complex and dtype is not _dtype.bool:
        raise TypeError("must be real number, not complex")


# ------------------------------------------------------------ torch.tensor()
def _is_sequence(x):
    return isinstance(x, collections.abc.Sequence) and not isinstance(x, (str, bytes))


def _leaf_dtype(x):
    """The dtype one scalar contributes to torch.tensor's inference."""
    if isinstance(x, Tensor):
        return x.dtype
    if isinstance(x, (np.generic, np.ndarray)):
        return _dtype.from_numpy_dtype(x.dtype)
    if isinstance(x, numbers.Number):
        return _dtype.scalar_dtype(x)
    if isinstance(x, str):
        raise TypeError(f"new(): invalid data type '{type(x).__name__}'")
    raise RuntimeError(f"Could not infer dtype of {type(x).__name__}")


def _sizes(data):
    """The shape, read along the first element of each level (as torch does)."""
    sizes = []
    while True:
        if isinstance(data, (Tensor, np.ndarray)):
            sizes.extend(data.shape)
            return sizes
        if not _is_sequence(data):
            return sizes
        sizes.append(len(data))
        if not len(data):
            return sizes
        data = data[0]


def _collect(data, dim, sizes, flat):
    """Check ``data`` has shape ``sizes[dim:]``, append its values to ``flat``; return its dtype."""
    if dim == len(sizes):
        if isinstance(data, Tensor) and data.ndim:
            # torch converts an element to a Python number, which needs one element.
            if data.dtype.is_floating_point or data.dtype.is_complex:
                raise ValueError("only one element tensors can be converted to Python scalars")
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        if _is_sequence(data):
            raise TypeError(f"expected a number at dim {dim}, got a sequence of length "
                            f"{len(data)}")
        dtype = _leaf_dtype(data)
        flat.append(data.item() if isinstance(data, (Tensor, np.ndarray, np.generic)) else data)
        return dtype
    if isinstance(data, (Tensor, np.ndarray)):
        if tuple(data.shape) != tuple(sizes[dim:]):
            raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} "
                             f"(got {data.shape[0] if data.ndim else 0})")
        if isinstance(data, Tensor) and data.ndim:
            return _collect(data, len(sizes), sizes, flat)  # raises as torch
        flat.extend(np.asarray(data).ravel().tolist())
        return _leaf_dtype(data)
    if not _is_sequence(data):
        raise TypeError(f"expected a sequence at dim {dim}, got {type(data).__name__}")
    if len(data) != sizes[dim]:
        raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} "
                         f"(got {len(data)})")
    if dim == len(sizes) - 1:
        # Fast path for the innermost level: plain Python numbers only.
        kinds = set(map(type, data))
        if kinds and kinds <= _PY_SCALARS.keys():
            flat.extend(data)
            result = None
            for kind in kinds:
                d = _PY_SCALARS[kind]()
                result = d if result is None else _dtype.promote_types(result, d)
            return result
    result = None
    for item in data:
        item_dtype = _collect(item, dim + 1, sizes, flat)
        result = item_dtype if result is None else _dtype.promote_types(result, item_dtype)
    return result


# The dtype each plain Python number type takes (float and complex follow the default).
_PY_SCALARS = {builtins.bool: lambda: _dtype.bool, builtins.int: lambda: _dtype.int64,
               builtins.float: _dtype.get_default_dtype,
               builtins.complex: _dtype.default_complex_dtype}


def _array_from_data(data, dtype):
    """A fresh ndarray holding ``data`` in ``dtype`` (inferred when None), checked as torch."""
    if isinstance(data, (Tensor, np.ndarray)):
        dtype = dtype or _dtype.from_numpy_dtype(data.dtype._np if isinstance(data, Tensor)
                                                 else data.dtype)
        # Arrays convert unchecked (wrapping, inf), as torch does.
        with np.errstate(invalid="ignore", over="ignore"):
            return np.array(np.asarray(data), dtype=dtype._np, copy=True)
    sizes = _sizes(data)
    flat = []
    inferred = _collect(data, 0, sizes, flat) or _dtype.get_default_dtype()
    # Hold the Python values exactly first (as Python does: int64, double, complex double),
    # so that a requested dtype rounds each value once.
    exact = _EXACT[inferred._category]
    try:
        values = np.array(flat, dtype=exact).reshape(sizes)
    except OverflowError:
        raise ValueError("Overflow when unpacking long long") from None
    dtype = dtype or inferred
    if dtype is not inferred:
        _check_fits(values, values.dtype.kind, dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        return values.astype(dtype._np)


_EXACT = {_dtype._BOOL: np.bool_, _dtype._INT: np.int64, _dtype._FLOAT: np.float64,
          _dtype._COMPLEX: np.complex128}


def tensor(data, *, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new leaf tensor copying ``data``: nested sequences, scalars, arrays or tensors.

    As torch: Python floats take the default dtype, ints int64, bools bool, and NumPy
    values and 0-d tensors inside a list keep theirs (the list promotes them together).
    """
    _check_common(device, pin_memory=pin_memory)
    _check_dtype(dtype, "tensor")
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                      "requires_grad_(True), rather than torch.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
    return _finish(_array_from_data(data, dtype), requires_grad)


def as_tensor(data, dtype=None, device=None):
    """Like tensor() but sharing memory with a NumPy array or tensor when no cast is needed."""
    check_device(device)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype is data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or dtype._np == data.dtype):
        return from_numpy(data)
    return Tensor._make(_array_from_data(data, dtype))


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False):
    """torch.asarray: share memory when possible; ``copy=True`` always copies,
    ``copy=False`` raises ValueError where sharing is impossible."""
    check_device(device)
    shareable = isinstance(obj, (Tensor, np.ndarray)) and (dtype is None or dtype._np ==
                                                          np.asarray(obj).dtype)
    if copy is False and not shareable:
        if isinstance(obj, (Tensor, np.ndarray)):
            source = _dtype.from_numpy_dtype(np.asarray(obj).dtype)
            raise ValueError(f"can't alias tensor with dtype '{_TYPE_TITLES[source]}' into dtype "
                             f"'{_TYPE_TITLES[dtype]}'.")
        raise ValueError("can't alias arbitrary sequence into a tensor.")
    if isinstance(obj, Tensor) and shareable and not copy:
        result = obj
    elif isinstance(obj, np.ndarray) and shareable and not copy:
        result = from_numpy(obj)
    elif isinstance(obj, Tensor):
        result = Tensor._make(np.array(obj._data, dtype=(dtype or obj.dtype)._np, copy=True))
    elif isinstance(obj, np.generic):
        result = Tensor._make(np.array(obj, dtype=(dtype or _leaf_dtype(obj))._np))
    else:
        result = Tensor._make(_array_from_data(obj, dtype))
    if requires_grad:
        result.requires_grad_(True)
    return result


def from_numpy(ndarray):
    """A tensor sharing memory with ``ndarray`` (writes show through both ways).

    minitorch has no uint16/uint32/uint64 dtypes, so those raise TypeError (torch accepts them).
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _dtype.from_numpy_dtype(ndarray.dtype)
    if any(s < 0 for s in ndarray.strides):
        raise ValueError("At least one stride in the given numpy array is negative, and tensors "
                         "with negative strides are not currently supported. (You can probably "
                         "work around this by making a copy of your array  with array.copy().) ")
    if not ndarray.dtype.isnative:
        raise TypeError("given numpy array has byte order different from the native byte "
                        "order. Conversion between byte orders is currently not supported.")
    return Tensor._make(ndarray)


def frombuffer(buffer, *, dtype, count=-1, offset=0, requires_grad=False):
    """A 1-D tensor viewing the bytes of a Python buffer object (shares its memory)."""
    array = np.frombuffer(buffer, dtype=dtype._np, count=count, offset=offset)
    return _finish(array, requires_grad)


# ------------------------------------------------------ zeros/ones/full/empty
def _size_arg(size, name):
    """Normalise ``*size`` (ints, or one tuple/list/Size) to a tuple of ints."""
    if not size:
        raise TypeError(f'{name}() missing 1 required positional arguments: "size"')
    if len(size) == 1 and _is_sequence(size[0]):
        size = tuple(size[0])
    result = []
    for i, s in enumerate(size):
        if isinstance(s, (builtins.bool, np.bool_)) or not isinstance(
                s, (builtins.int, np.integer, Tensor)):
            raise TypeError(f"{name}(): argument 'size' must be tuple of ints, but found element "
                            f"of type {type(s).__name__} at pos {i}")
        s = s.__index__()
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(size)}")
        result.append(s)
    return tuple(result)


def _filled(name, np_fill, size, dtype, device, requires_grad, layout, out, pin_memory,
            memory_format=None):
    _check_common(device, layout, pin_memory, out, memory_format)
    _check_dtype(dtype, name)
    dtype = dtype or _dtype.get_default_dtype()
    return _finish(np_fill(_size_arg(size, name), dtype._np), requires_grad)


def zeros(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False):
    """A tensor of zeros of the given size (default dtype unless ``dtype``)."""
    return _filled("zeros", np.zeros, size, dtype, device, requires_grad, layout, out, pin_memory)


def ones(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    """A tensor of ones of the given size."""
    return _filled("ones", np.ones, size, dtype, device, requires_grad, layout, out, pin_memory)


def empty(*size, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False, memory_format=None):
    """An 'uninitialised' tensor: minitorch fills it with zeros (any value is allowed)."""
    return _filled("empty", np.zeros, size, dtype, device, requires_grad, layout, out,
                   pin_memory, memory_format)


def empty_strided(size, stride, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    """Like empty(); minitorch chooses C-contiguous strides, ignoring ``stride`` for layout."""
    if len(tuple(stride)) != len(tuple(size)):
        raise RuntimeError(f"mismatch in length of strides and shape")
    return empty(tuple(size), dtype=dtype, layout=layout, device=device,
                 requires_grad=requires_grad, pin_memory=pin_memory)


def _fill_number(fill_value, name):
    """torch takes a Number (or a one-element tensor, via its value) as a fill value."""
    if isinstance(fill_value, Tensor):
        if fill_value.ndim:
            raise TypeError(f"{name}(): argument 'fill_value' must be Number, not Tensor")
        return fill_value.item()
    if isinstance(fill_value, np.generic):
        return fill_value.item()
    if not isinstance(fill_value, numbers.Number):
        raise TypeError(f"{name}(): argument 'fill_value' must be Number, not "
                        f"{type(fill_value).__name__}")
    return fill_value


def _full_array(shape, value, dtype):
    _check_fits(np.array([value]), np.array(value).dtype.kind, dtype)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.full(shape, np.array(value).astype(dtype._np), dtype=dtype._np)


def full(size, fill_value, *, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """A tensor filled with ``fill_value``; its dtype comes from the value (bool, int64,
    default float or default complex) unless ``dtype`` is given."""
    if not _is_sequence(size):
        raise TypeError(f"full(): argument 'size' (position 1) must be tuple of ints, not "
                        f"{type(size).__name__}")
    value = _fill_number(fill_value, "full")
    _check_dtype(dtype, "full")
    dtype = dtype or _dtype.scalar_dtype(value)
    return _filled("full", lambda shape, _: _full_array(shape, value, dtype), (size,), dtype,
                   device, requires_grad, layout, out, pin_memory)


def _like(input, dtype, layout, device, requires_grad, memory_format, np_fill):
    _check_common(device, layout, memory_format=memory_format)
    _check_dtype(dtype, "like")
    dtype = dtype or input.dtype
    return _finish(np_fill(input._data.shape, dtype._np), requires_grad)


def zeros_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """Zeros with the shape (and, by default, dtype) of ``input``."""
    return _like(input, dtype, layout, device, requires_grad, memory_format, np.zeros)


def ones_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """Ones with the shape (and, by default, dtype) of ``input``."""
    return _like(input, dtype, layout, device, requires_grad, memory_format, np.ones)


def empty_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    """An 'uninitialised' tensor shaped like ``input``; minitorch fills it with zeros."""
    return _like(input, dtype, layout, device, requires_grad, memory_format, np.zeros)


def full_like(input, fill_value, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    """``fill_value`` everywhere, shaped like ``input`` and in its dtype unless ``dtype``."""
    value = _fill_number(fill_value, "full_like")

    def fill(shape, np_dtype):
        with np.errstate(invalid="ignore", over="ignore"):
            return np.full(shape, value).astype(np_dtype) if shape else \
                np.array(value).astype(np_dtype)
    return _like(input, dtype, layout, device, requires_grad, memory_format, fill)


def scalar_tensor(s, *, dtype=None, layout=None, device=None, requires_grad=False,
                  pin_memory=False):
    """A 0-d tensor holding ``s``, in the default float dtype unless ``dtype``."""
    _check_common(device, layout, pin_memory)
    value = _fill_number(s, "scalar_tensor")
    dtype = dtype or _dtype.get_default_dtype()
    if isinstance(value, builtins.complex) and not dtype.is_complex:
        raise RuntimeError(f"value cannot be converted to type {dtype._name} without overflow")
    _check_fits(np.array([value]), np.array(value).dtype.kind, dtype)
    return _finish(np.array(value, dtype=dtype._np), requires_grad)


# ------------------------------------------------------------------- ranges
def _number(x, name):
    if isinstance(x, Tensor):
        return x.item()
    if isinstance(x, np.generic):
        return x.item()
    if not isinstance(x, numbers.Number):
        raise TypeError(f"{name}(): argument must be Number, not {type(x).__name__}")
    return x


def _all_ints(*values):
    return all(isinstance(v, builtins.int) for v in values)


# ---------------------------------------------- torch's exact range arithmetic
# torch's CPU kernels are compiled with fused multiply-adds and, for arange, with
# 32-byte SIMD vectors; reproducing both gives bit-identical values.
_SIMD_BYTES = 32


def _split(x):
    """Veltkamp split: x == hi + lo with each half holding at most 26 significant bits."""
    t = 134217729.0 * x  # 2**27 + 1
    hi = t - (t - x)
    return hi, x - hi


def _fma(a, b, c):
    """round(a * b + c) in double, rounded once (a fused multiply-add) for arrays."""
    a, b, c = (np.asarray(v, dtype=np.float64) for v in (a, b, c))
    with np.errstate(invalid="ignore", over="ignore"):
        product = a * b
        a_hi, a_lo = _split(a)
        b_hi, b_lo = _split(b)
        product_err = ((a_hi * b_hi - product) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
        total = product + c
        back = total - product
        sum_err = (product - (total - back)) + (c - back)
        return total + (sum_err + product_err)


def _fma_in(dtype, a, b, c):
    """A fused multiply-add in ``dtype``'s precision (float32/float16 go through double)."""
    if dtype is _dtype.float64:
        return _fma(a, b, c)
    exact = np.asarray(a, np.float64) * np.asarray(b, np.float64) + np.asarray(c, np.float64)
    return exact.astype(np.float32)


def _arange_floats(start, step, n, dtype):
    """torch's arange kernel: accumulate in double (float for half) and, inside each SIMD
    vector, step from the vector's first element."""
    acc = _dtype.float32 if dtype is _dtype.float16 else _dtype.float64
    start, step = (builtins.float(acc._np.type(v)) for v in (start, step))
    idx = np.arange(n, dtype=np.float64)
    width = _SIMD_BYTES // dtype.itemsize
    scalar = _fma_in(acc, step, idx, start).astype(dtype._np)
    block = idx - idx % width
    base = _fma_in(acc, step, block, start).astype(dtype._np).astype(np.float64)
    vector = _fma_in(acc, idx - block, step, base).astype(dtype._np)
    # Whole pairs of vectors go through the SIMD path, the rest element by element.
    n_vector = n - n % (2 * width)
    scalar[:n_vector] = vector[:n_vector]
    return scalar


def arange(start, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False):
    """Values from ``start`` (default 0) up to, not including, ``end``, ``step`` apart.

    As torch: the length is ceil((end - start) / step) in double precision, and an
    integer dtype casts start and step to integers before stepping.
    """
    _check_common(device, layout, pin_memory, out)
    if end is None:
        start, end = 0, start
    start, end, step = _number(start, "arange"), _number(end, "arange"), _number(step, "arange")
    _check_dtype(dtype, "arange")
    if dtype is None:
        dtype = _dtype.int64 if _all_ints(start, end, step) else _dtype.get_default_dtype()
    if dtype is _dtype.bool or dtype.is_complex:
        raise NotImplementedError(f'"arange_cpu" not implemented for \'{_TYPE_TITLES[dtype]}\'')
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not all(np.isfinite([start, end])):
        raise RuntimeError(f"unsupported range: {start} -> {end}")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if _all_ints(start, end, step):
        n = -((start - end) // step)  # exact ceiling division for Python ints
    else:
        n = builtins.int(np.ceil((builtins.float(end) - builtins.float(start)) /
                                 builtins.float(step)))
    if dtype.is_floating_point:
        return _finish(_arange_floats(builtins.float(start), builtins.float(step), n, dtype),
                       requires_grad)
    int_start, int_step = builtins.int(start), builtins.int(step)
    if dtype is _dtype.int64:
        # torch converts all three to int64 first, so the length follows the truncated values.
        if int_step == 0:
            raise ValueError("step must be nonzero")
        n = max(0, -((int_start - builtins.int(end)) // int_step))
    values = int_start + np.arange(n, dtype=np.int64) * int_step
    return _finish(values.astype(dtype._np), requires_grad)


def range(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    """Deprecated torch.range: like arange but *including* ``end``; default float dtype."""
    _check_common(device, layout, pin_memory, out)
    warnings.warn("torch.range is deprecated and will be removed in a future release because "
                  "its behavior is inconsistent with Python's range builtin. Instead, use "
                  "torch.arange, which produces values in [start, end).", UserWarning,
                  stacklevel=2)
    if end is None:
        raise TypeError("range() missing required argument 'end' (pos 2)")
    start, end, step = _number(start, "range"), _number(end, "range"), _number(step, "range")
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (step > 0 and end < start) or (step < 0 and end > start):
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    dtype = dtype or _dtype.get_default_dtype()
    n = builtins.int((builtins.float(end) - builtins.float(start)) / builtins.float(step)) + 1
    values = builtins.float(start) + np.arange(n, dtype=np.float64) * builtins.float(step)
    return _finish(values.astype(dtype._np), requires_grad)


def _linspace_array(start, end, steps, dtype):
    """torch's linspace kernel, bit for bit: the first half counts up from start, the second
    half down from end (so both ends are exact), with fused multiply-adds. Integer dtypes
    truncate start and end first and step in double."""
    if steps == 0:
        return np.zeros(0, dtype=dtype._np)
    if steps == 1:
        return np.array([start]).astype(dtype._np)
    idx = np.arange(steps)
    from_end = steps - 1 - idx
    first_half = idx < steps // 2
    with np.errstate(invalid="ignore", over="ignore"):
        if dtype.is_complex:
            low_value, high_value = np.array(start, dtype._np), np.array(end, dtype._np)
            step = (high_value - low_value) / np.array(steps - 1, dtype._np)
            values = np.where(first_half, low_value + step * idx, high_value - step * from_end)
        elif dtype is _dtype.float16:
            values = _linspace_half(start, end, steps, idx, from_end, first_half)
        elif dtype.is_floating_point:
            t = dtype._np.type
            low_value, high_value = t(start), t(end)
            step = (high_value - low_value) / t(steps - 1)
            values = np.where(first_half, _fma_in(dtype, step, idx.astype(t), low_value),
                              _fma_in(dtype, -step, from_end.astype(t), high_value))
        else:
            low_value, high_value = builtins.float(builtins.int(start)), \
                builtins.float(builtins.int(end))
            step = (high_value - low_value) / (steps - 1)
            values = np.trunc(np.where(first_half, _fma(step, idx, low_value),
                                       _fma(-step, from_end, high_value)))
        return values.astype(dtype._np)


def _linspace_half(start, end, steps, idx, from_end, first_half):
    """float16 arithmetic rounds to half after every operation (c10::Half semantics)."""
    h, f = np.float16, np.float32
    low_value, high_value = h(start), h(end)
    step = h(f(high_value - low_value) / f(h(steps - 1)))
    low = f(low_value) + (f(step) * idx.astype(h).astype(f)).astype(h).astype(f)
    high = f(high_value) - (f(step) * from_end.astype(h).astype(f)).astype(h).astype(f)
    return np.where(first_half, low.astype(h), high.astype(h))


def _check_steps(steps, name):
    if isinstance(steps, Tensor):
        steps = steps.item()
    if isinstance(steps, builtins.bool) or not isinstance(steps, (builtins.int, np.integer)):
        raise TypeError(f"{name}(): argument 'steps' must be int, not {type(steps).__name__}")
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return builtins.int(steps)


def _range_dtype(dtype, start, end):
    """linspace/logspace: the default dtype, or its complex twin for complex endpoints."""
    if dtype is not None:
        return dtype
    if isinstance(start, builtins.complex) or isinstance(end, builtins.complex):
        return _dtype.default_complex_dtype()
    return _dtype.get_default_dtype()


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    _check_common(device, layout, pin_memory, out)
    start, end = _number(start, "linspace"), _number(end, "linspace")
    steps = _check_steps(steps, "linspace")
    _check_dtype(dtype, "linspace")
    dtype = _range_dtype(dtype, start, end)
    _check_fits(np.array([start, end]), np.array([start, end]).dtype.kind, dtype)
    return _finish(_linspace_array(start, end, steps, dtype), requires_grad)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """``base ** linspace(start, end, steps)``; integer dtypes are computed in double."""
    _check_common(device, layout, pin_memory, out)
    start, end = _number(start, "logspace"), _number(end, "logspace")
    base = _number(base, "logspace")
    steps = _check_steps(steps, "logspace")
    _check_dtype(dtype, "logspace")
    dtype = _range_dtype(dtype, start, end)
    if dtype.is_complex:
        exponents = _linspace_array(start, end, steps, dtype)
        values = np.power(np.array(base, dtype=dtype._np), exponents)
    else:
        values = _logspace_real(start, end, steps, base, dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        values = values.astype(dtype._np)  # overflow gives inf (or wraps), as in torch
    return _finish(values, requires_grad)


def _logspace_real(start, end, steps, base, dtype):
    """torch's logspace: exponents in double from the dtype-rounded ends (integers truncate
    them and use a float base), then the C library's pow per element."""
    if steps == 0:
        return np.zeros(0)
    if steps == 1:
        return np.array([_pow(builtins.float(base), builtins.float(start))])
    if dtype.is_floating_point:
        low_value, high_value = dtype._np.type(start), dtype._np.type(end)
        span = builtins.float(dtype._np.type(high_value - low_value))
        base = builtins.float(base)
    else:
        low_value, high_value = builtins.int(start), builtins.int(end)
        span = builtins.float(high_value - low_value)
        base = builtins.float(np.float32(base))
    low_value, high_value = builtins.float(low_value), builtins.float(high_value)
    step = span / (steps - 1) if steps > 1 else 0.0
    half = steps // 2
    exponents = [low_value + step * i if i < half else high_value - step * (steps - i - 1)
                 for i in builtins.range(steps)]
    values = np.array([_pow(base, e) for e in exponents])
    return values if dtype.is_floating_point else np.trunc(values)


def _pow(base, exponent):
    try:
        return math.pow(base, exponent)
    except OverflowError:
        return math.inf
    except ValueError:
        return math.nan


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False,
        pin_memory=False):
    """The ``n x m`` identity matrix (``m`` defaults to ``n``)."""
    _check_common(device, layout, pin_memory, out)
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    _check_dtype(dtype, "eye")
    dtype = dtype or _dtype.get_default_dtype()
    return _finish(np.eye(n, n if m is None else m, dtype=dtype._np), requires_grad)


# --------------------------------------------------------------- complex/polar
_FLOATS_FOR_COMPLEX = (_dtype.float32, _dtype.float64)


def _check_complex_parts(a, b, first, second):
    if a.dtype is not b.dtype:
        raise RuntimeError(f"Expected object of scalar type {_TYPE_TITLES[a.dtype]} but got "
                           f"scalar type {_TYPE_TITLES[b.dtype]} for second argument")
    if a.dtype is _dtype.float16:
        raise NotImplementedError("minitorch has no complex32 dtype for half-precision parts")
    if a.dtype not in _FLOATS_FOR_COMPLEX:
        raise RuntimeError(f"Expected both inputs to be Half, Float or Double tensors but got "
                           f"{_TYPE_TITLES[a.dtype]} and {_TYPE_TITLES[b.dtype]}")


def _complex_forward(real, imag):
    dtype = np.result_type(real.dtype, np.complex64)
    out = np.empty(np.broadcast_shapes(real.shape, imag.shape), dtype=dtype)
    out.real, out.imag = real, imag
    return out


# d(re + i im): the real part of the incoming gradient goes to re, the imaginary to im
# (the engine keeps the real part when it casts back to a real input).
_complex = defprim("complex", "ComplexBackward0", _complex_forward,
                   grads=(lambda F, g, out, re, im: g,
                          lambda F, g, out, re, im: g * -1j), saves=())


def complex(real, imag, *, out=None):
    """The complex tensor ``real + i*imag`` (both float32 or both float64; broadcasts)."""
    _check_common(out=out)
    _check_complex_parts(real, imag, "real", "imag")
    return _complex(real, imag)


def _polar_forward(abs, angle):
    return _complex_forward(abs * np.cos(angle), abs * np.sin(angle))


_polar = defprim("polar", "PolarBackward0", _polar_forward,
                 grads=(lambda F, g, out, abs, angle: g * F.conj(F.exp(angle * 1j)),
                        lambda F, g, out, abs, angle: g * F.conj(out * 1j)),
                 save_output=True)


def polar(abs, angle, *, out=None):
    """The complex tensor ``abs * (cos(angle) + i*sin(angle))``."""
    _check_common(out=out)
    _check_complex_parts(abs, angle, "abs", "angle")
    return _polar(abs, angle)


# ------------------------------------------------------------ Tensor.new_*
def _new_sized(fill):
    def method(self, *size, dtype=None, layout=None, device=None, requires_grad=False,
               pin_memory=False):
        return fill(*size, dtype=dtype or self.dtype, layout=layout, device=device,
                    requires_grad=requires_grad, pin_memory=pin_memory)
    method.__name__ = "new_" + fill.__name__
    method.__doc__ = f"{fill.__name__}(size) in this tensor's dtype unless ``dtype`` is given."
    return method


Tensor.new_zeros = _new_sized(zeros)
Tensor.new_ones = _new_sized(ones)
Tensor.new_empty = _new_sized(empty)


def _new_full(self, size, fill_value, *, dtype=None, layout=None, device=None,
              requires_grad=False, pin_memory=False):
    """full(size, fill_value) in this tensor's dtype unless ``dtype`` is given."""
    return full(size, fill_value, dtype=dtype or self.dtype, layout=layout, device=device,
                requires_grad=requires_grad, pin_memory=pin_memory)


def _new_tensor(self, data, *, dtype=None, layout=None, device=None, requires_grad=False,
                pin_memory=False):
    """tensor(data) in this tensor's dtype unless ``dtype`` is given (always a copy)."""
    if isinstance(data, Tensor):
        warnings.warn("To copy construct from a tensor, it is recommended to use "
                      "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                      "requires_grad_(True), rather than tensor.new_tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
    _check_common(device, layout, pin_memory)
    return _finish(_array_from_data(data, dtype or self.dtype), requires_grad)


def _new_empty_strided(self, size, stride, *, dtype=None, layout=None, device=None,
                       requires_grad=False, pin_memory=False):
    """empty_strided in this tensor's dtype (minitorch fills with zeros)."""
    return empty_strided(size, stride, dtype=dtype or self.dtype, layout=layout, device=device,
                         requires_grad=requires_grad, pin_memory=pin_memory)


Tensor.new_full = _new_full
Tensor.new_tensor = _new_tensor
Tensor.new_empty_strided = _new_empty_strided


# -------------------------------------------------------------- predicates
def is_tensor(obj):
    """True for minitorch tensors (and subclasses such as Parameter)."""
    return isinstance(obj, Tensor)


def is_floating_point(input):
    """Whether ``input`` has a floating dtype (float16/32/64)."""
    return input.is_floating_point()


def is_complex(input):
    """Whether ``input`` has a complex dtype."""
    return input.is_complex()


def is_nonzero(input):
    """The truth value of a one-element tensor; RuntimeError otherwise."""
    n = input.numel()
    if n == 0:
        raise RuntimeError("Boolean value of Tensor with no values is ambiguous")
    if n > 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return builtins.bool(input._data.reshape(()))


def numel(input):
    """The number of elements of ``input``."""
    return input.numel()


def typename(obj):
    """torch.typename: 'torch.FloatTensor' for tensors, the qualified class name otherwise."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        name = obj.__qualname__
    elif hasattr(obj, "__name__"):
        name = obj.__name__
    else:
        module, name = type(obj).__module__ or "", type(obj).__qualname__
    if module in ("", "builtins"):
        return name
    return f"{module}.{name}"


# ------------------------------------------------- legacy typed constructors
class _LegacyTensorType(type):
    """The metaclass of FloatTensor & co: isinstance checks the dtype, calls build tensors."""

    def __instancecheck__(cls, obj):
        return isinstance(obj, Tensor) and obj.dtype is cls._dtype

    def __call__(cls, *args, device=None):
        """``T()``, ``T(*sizes)``, ``T(torch.Size)``, ``T(data)`` or ``T(tensor)``."""
        check_device(device)
        dtype = cls._dtype
        if len(args) == 1 and isinstance(args[0], Tensor):
            if args[0].dtype is not dtype:
                raise TypeError(f"expected {cls.__name__} dtype {dtype} (got "
                                f"{args[0].dtype})")
            return args[0]
        if len(args) == 1 and not isinstance(args[0], (builtins.int, np.integer)) \
                and not isinstance(args[0], _Size):
            return Tensor._make(_array_from_data(args[0], dtype))
        shape = _size_arg(args, "new") if args else (0,)
        return Tensor._make(np.zeros(shape, dtype=dtype._np))

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"



def _legacy_type(name, dtype):
    return _LegacyTensorType(name, (), {
        "_dtype": dtype, "dtype": dtype, "is_cuda": False, "is_sparse": False,
        "__doc__": f"Legacy constructor for {dtype} CPU tensors; prefer torch.tensor/zeros."})


FloatTensor = _legacy_type("FloatTensor", _dtype.float32)
DoubleTensor = _legacy_type("DoubleTensor", _dtype.float64)
HalfTensor = _legacy_type("HalfTensor", _dtype.float16)
LongTensor = _legacy_type("LongTensor", _dtype.int64)
IntTensor = _legacy_type("IntTensor", _dtype.int32)
ShortTensor = _legacy_type("ShortTensor", _dtype.int16)
CharTensor = _legacy_type("CharTensor", _dtype.int8)
ByteTensor = _legacy_type("ByteTensor", _dtype.uint8)
BoolTensor = _legacy_type("BoolTensor", _dtype.bool)
