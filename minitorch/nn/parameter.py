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


_NO_SHAPE = ("Can't access the shape of an uninitialized parameter or buffer. This error "
             "usually happens in `load_state_dict` when trying to load an uninitialized "
             "parameter into an initialized one. Call `forward` to initialize the parameters "
             "before accessing their attributes.")


class UninitializedTensorMixin:
    """A placeholder whose shape is not known yet (lazy modules).

    ``materialize(shape)`` gives it storage of that shape and turns it into
    ``cls_to_become``. Until then it has no shape: asking for one raises, as in torch.
    """

    __slots__ = ()
    cls_to_become = None

    def materialize(self, shape, device=None, dtype=None):
        """Give the tensor its shape (uninitialised values) and its final class."""
        dtype_np = dtype._np if dtype is not None else self._data.dtype
        self._data = np.empty(tuple(shape), dtype=dtype_np)
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        raise RuntimeError(_NO_SHAPE)

    def share_memory_(self):
        raise RuntimeError("Can't share memory on an uninitialized parameter or buffer. Call "
                           "`forward` to initialize the parameters before calling "
                           "`module.share_memory()`.")

    def to(self, *args, **kwargs):
        """A cast (``module.double()``, ...) changes only the dtype it will materialize in."""
        converted = Tensor.to(self, *args, **kwargs)
        if converted is self:
            return self
        return type(self)(self._requires_grad, dtype=converted.dtype)

    def __repr__(self):
        return f"<{type(self).__name__}>"

    def __deepcopy__(self, memo):
        if id(self) not in memo:
            memo[id(self)] = type(self)(self._requires_grad, dtype=self.dtype)
        return memo[id(self)]

    def __reduce_ex__(self, protocol):
        # as torch: only the class and requires_grad are pickled
        return (type(self), (self._requires_grad,))


def _empty_placeholder(device, dtype):
    """The zero-element storage a placeholder holds, in ``dtype`` or the default dtype."""
    from .._ops import creation
    return creation.empty(0, device=device, dtype=dtype)


class UninitializedParameter(UninitializedTensorMixin, Parameter):
    """A parameter whose shape is not known yet (lazy modules)."""

    cls_to_become = Parameter

    def __new__(cls, requires_grad=True, device=None, dtype=None):
        return Parameter.__new__(cls, _empty_placeholder(device, dtype), requires_grad)

    def __init__(self, requires_grad=True, device=None, dtype=None):
        pass


class UninitializedBuffer(UninitializedTensorMixin, Tensor):
    """A buffer whose shape is not known yet (lazy modules)."""

    cls_to_become = Tensor

    def __new__(cls, requires_grad=False, device=None, dtype=None):
        t = _new(cls)
        Tensor._init_fields(t, _empty_placeholder(device, dtype)._data, requires_grad)
        return t

    def __init__(self, requires_grad=False, device=None, dtype=None):
        pass


def is_lazy(param):
    """True for an uninitialised (lazy) parameter or buffer."""
    return isinstance(param, (UninitializedParameter, UninitializedBuffer))
