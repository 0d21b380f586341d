"""Parameter and Buffer: tensors that a Module registers by their type."""
import numpy as np

from .._tensor import Tensor

__all__ = ["Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer"]

_new = object.__new__


class Parameter(Tensor):
    """A Tensor that, assigned to a Module attribute, becomes one of its parameters.

    It shares storage with ``data`` and requires grad by default.
    """

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = Tensor._make(np.empty((0,), dtype=np.float32))
        if not isinstance(data, Tensor):
            raise TypeError(f"Parameter data must be a Tensor, got {type(data).__name__}")
        param = _new(cls)
        Tensor._init_fields(param, data._data)
        param._version_cell = data._version_cell
        if requires_grad:
            param.requires_grad_(True)
        return param

    def __init__(self, data=None, requires_grad=True):
        pass

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    def __deepcopy__(self, memo):
        if id(self) in memo:
            return memo[id(self)]
        result = type(self)(Tensor._make(self._data.copy()), self._requires_grad)
        if self._grad is not None:
            result._grad = Tensor._make(self._grad._data.copy())
        memo[id(self)] = result
        return result

    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (self._data.copy(), self._requires_grad))


def _rebuild_parameter(data, requires_grad):
    return Parameter(Tensor._make(data), requires_grad)


class _BufferMeta(type):
    # ``isinstance(t, Buffer)`` is true only for tensors made by Buffer(...).
    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor) and getattr(instance, "_is_buffer", False)


class Buffer(metaclass=_BufferMeta):
    """Marks a tensor to be registered as a buffer when assigned to a Module attribute.

    As torch's ``nn.Buffer``: ``Buffer(t)`` returns a Tensor sharing ``t``'s storage.
    """

    def __new__(cls, data=None, *, persistent=True):
        if data is None:
            data = Tensor._make(np.empty((0,), dtype=np.float32))
        t = data.detach()
        t._is_buffer = True
        t._persistent = persistent
        return t


class UninitializedParameter(Parameter):
    """A parameter whose shape is not known yet (lazy modules)."""

    def __new__(cls, requires_grad=True, device=None, dtype=None):
        param = super().__new__(cls, None, requires_grad)
        if dtype is not None:
            param._data = param._data.astype(dtype._np)
        return param

    def __init__(self, requires_grad=True, device=None, dtype=None):
        pass

    def materialize(self, shape, device=None, dtype=None):
        """Give the parameter its shape; it becomes an ordinary Parameter."""
        dtype_np = dtype._np if dtype is not None else self._data.dtype
        self._data = np.empty(tuple(shape), dtype=dtype_np)
        self.__class__ = Parameter

    def __repr__(self):
        return "<UninitializedParameter>"


class UninitializedBuffer(Tensor):
    """A buffer whose shape is not known yet (lazy modules)."""

    def __new__(cls, requires_grad=False, device=None, dtype=None):
        t = _new(cls)
        Tensor._init_fields(t, np.empty((0,), dtype=(dtype._np if dtype else np.float32)))
        return t

    def __init__(self, *args, **kwargs):
        pass

    def materialize(self, shape, device=None, dtype=None):
        dtype_np = dtype._np if dtype is not None else self._data.dtype
        self._data = np.empty(tuple(shape), dtype=dtype_np)
        self.__class__ = Tensor


def is_lazy(param):
    return isinstance(param, (UninitializedParameter, UninitializedBuffer))
