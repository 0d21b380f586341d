"""dtypes and torch's type-promotion rules.

NumPy and torch disagree on promotion: NumPy turns ``int64 + float16`` into
float64 and treats every 0-d array like any other array, while torch keeps the
floating dtype, lets dimensioned tensors win over 0-d tensors and Python
scalars, and maps a Python float to the default dtype. Every op that combines
inputs asks :func:`result_type` here, never NumPy.
"""
import builtins

import numpy as np

__all__ = [
    "dtype", "bool", "uint8", "int8", "int16", "int32", "int64", "float16",
    "float32", "float64", "complex64", "complex128", "half", "float", "double",
    "short", "int", "long", "cfloat", "cdouble", "get_default_dtype",
    "set_default_dtype", "promote_types", "result_type", "can_cast", "finfo", "iinfo",
]

# Category order used by torch's promotion lattice.
_BOOL, _INT, _FLOAT, _COMPLEX = 0, 1, 2, 3


class dtype:
    """A minitorch dtype; wraps the NumPy dtype that stores its values."""

    __slots__ = ("_name", "_np", "_category", "is_floating_point", "is_complex",
                 "is_signed", "itemsize")

    def __init__(self, name, np_dtype, category):
        self._name = name
        self._np = np.dtype(np_dtype)
        self._category = category
        self.is_floating_point = category == _FLOAT
        self.is_complex = category == _COMPLEX
        self.is_signed = name != "uint8" and name != "bool"
        self.itemsize = self._np.itemsize

    def __repr__(self):
        return "torch." + self._name

    def __reduce__(self):
        return (_dtype_by_name, (self._name,))

    def to_real(self):
        """The real dtype of a complex dtype; other dtypes map to themselves."""
        return {complex64: float32, complex128: float64}.get(self, self)

    def to_complex(self):
        """The complex dtype with this dtype's precision (float16 -> complex32 is missing)."""
        if self.is_complex:
            return self
        if self is float16:
            raise NotImplementedError("minitorch has no complex32 dtype (torch.float16.to_complex)")
        if not self.is_floating_point:
            from ._tensor import _TYPE_TITLES
            raise RuntimeError(f"Unknown Complex ScalarType for {_TYPE_TITLES[self]}")
        return {float32: complex64, float64: complex128}[self]


bool = dtype("bool", np.bool_, _BOOL)
uint8 = dtype("uint8", np.uint8, _INT)
int8 = dtype("int8", np.int8, _INT)
int16 = dtype("int16", np.int16, _INT)
int32 = dtype("int32", np.int32, _INT)
int64 = dtype("int64", np.int64, _INT)
float16 = dtype("float16", np.float16, _FLOAT)
float32 = dtype("float32", np.float32, _FLOAT)
float64 = dtype("float64", np.float64, _FLOAT)
complex64 = dtype("complex64", np.complex64, _COMPLEX)
complex128 = dtype("complex128", np.complex128, _COMPLEX)

half, float, double = float16, float32, float64
short, int, long = int16, int32, int64
cfloat, cdouble = complex64, complex128

ALL_DTYPES = (bool, uint8, int8, int16, int32, int64, float16, float32, float64,
              complex64, complex128)
_BY_NAME = {d._name: d for d in ALL_DTYPES}
_BY_NUMPY = {d._np: d for d in ALL_DTYPES}


def _dtype_by_name(name):
    return _BY_NAME[name]


def from_numpy_dtype(np_dtype):
    """The minitorch dtype storing values of ``np_dtype``; TypeError for unsupported ones."""
    try:
        return _BY_NUMPY[np_dtype]
    except KeyError:
        pass
    np_dtype = np.dtype(np_dtype)
    if np_dtype in _BY_NUMPY:
        return _BY_NUMPY[np_dtype]
    raise TypeError(
        f"can't convert np.ndarray of type numpy.{np_dtype}. The only supported types are: "
        "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint8, and bool.")


def to_numpy_dtype(d):
    return d._np


_default_dtype = float32


def get_default_dtype():
    """The dtype a Python float or a floating factory call produces (float32 unless set)."""
    return _default_dtype


def set_default_dtype(d):
    """Set the default floating dtype; only float32 and float64 are accepted (as torch on CPU)."""
    global _default_dtype
    if not isinstance(d, dtype):
        raise TypeError("invalid dtype object: only floating-point types are supported as the "
                        "default type")
    if d not in (float16, float32, float64):
        raise TypeError("only floating-point types are supported as the default type")
    _default_dtype = d


def default_complex_dtype():
    """The complex dtype of Python complex numbers (complex64 also under a float16 default,
    where torch would use complex32, which minitorch lacks)."""
    return complex128 if _default_dtype is float64 else complex64


def promote_types(type1, type2):
    """The smallest dtype both can be cast to, following torch's lattice."""
    if type1 is type2:
        return type1
    c1, c2 = type1._category, type2._category
    if c1 == c2 or {c1, c2} == {_FLOAT, _COMPLEX}:
        return _BY_NUMPY[np.promote_types(type1._np, type2._np)]
    return type1 if c1 > c2 else type2


def _promote_skip_none(a, b):
    if a is None:
        return b
    if b is None:
        return a
    return promote_types(a, b)


def _combine_categories(higher, lower):
    """torch's rule for letting a lower-priority group (0-d, scalars) lift the category."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.is_complex:
        return higher
    if lower.is_complex:
        return higher.to_complex() if higher.is_floating_point else lower
    if higher.is_floating_point:
        return higher
    if higher is bool or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def scalar_dtype(value):
    """The dtype a Python scalar takes when it stands alone (torch.tensor(value))."""
    if isinstance(value, builtins.bool) or isinstance(value, np.bool_):
        return bool
    if isinstance(value, (builtins.int, np.integer)):
        return int64
    if isinstance(value, (builtins.float, np.floating)):
        return _default_dtype
    if isinstance(value, (builtins.complex, np.complexfloating)):
        return default_complex_dtype()
    raise TypeError(f"expected a Python number, but got {type(value).__name__}")


def result_type(*operands):
    """torch.result_type over tensors and Python scalars.

    Dimensioned tensors decide first; 0-d tensors and then Python scalars can only
    lift the *category* (bool < int < float < complex), never the width.
    """
    from ._tensor import Tensor
    dim_result = zero_result = wrapped_result = None
    for x in operands:
        if isinstance(x, Tensor):
            if x._data.ndim:
                dim_result = _promote_skip_none(dim_result, x.dtype)
            else:
                zero_result = _promote_skip_none(zero_result, x.dtype)
        else:
            wrapped_result = _promote_skip_none(wrapped_result, scalar_dtype(x))
    return _combine_categories(dim_result, _combine_categories(zero_result, wrapped_result))


def can_cast(from_, to):
    """Whether torch allows an in-place/out= cast from ``from_`` to ``to`` (no category drop)."""
    if from_._category > to._category:
        return False
    if from_ is not bool and to is bool:
        return False
    return True


class finfo:
    """Machine limits for floating dtypes, as torch.finfo (complex dtypes give their real part's)."""

    def __init__(self, type=None):
        type = type or _default_dtype
        if not isinstance(type, dtype) or not (type.is_floating_point or type.is_complex):
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo "
                            "to handle 'torch.finfo'")
        info = np.finfo(type.to_real()._np)
        self.bits = builtins.int(info.bits)
        self.eps = builtins.float(info.eps)
        self.max = builtins.float(info.max)
        self.min = builtins.float(info.min)
        self.tiny = self.smallest_normal = builtins.float(info.smallest_normal)
        self.resolution = 10.0 ** -builtins.int(info.precision)
        self.dtype = type.to_real()._name

    def __repr__(self):
        return (f"finfo(resolution={self.resolution}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.tiny:g}, tiny={self.tiny:g}, "
                f"dtype={self.dtype})")


class iinfo:
    """Machine limits for integer dtypes, as torch.iinfo (bool is refused, as in torch)."""

    def __init__(self, type):
        if not isinstance(type, dtype) or type.is_floating_point or type.is_complex:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to "
                            "handle 'torch.iinfo'")
        if type is bool:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        info = np.iinfo(type._np)
        self.bits = builtins.int(info.bits)
        self.max = builtins.int(info.max)
        self.min = builtins.int(info.min)
        self.dtype = type._name

    def __repr__(self):
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"
