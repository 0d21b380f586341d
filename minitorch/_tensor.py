"""Tensor: one NumPy array plus the autograd bookkeeping torch keeps beside it.

What lives here is the core of a tensor: its attributes, conversion, the
autograd entry points (``backward``, hooks, ``detach``) and the machinery that
makes in-place ops correct under autograd (version counters and view history).
The ops themselves live in ``minitorch/_ops`` and attach themselves as methods.
"""
import re
import weakref

import numpy as np

from . import _dtype
from ._device import CPU, Size, check_device, device
from . import autograd as _autograd
from .autograd import _engine, _primitive, grad_mode
from .autograd.graph import AccumulateGrad, Node, RemovableHandle, _HookDict

__all__ = ["Tensor"]

_grad_state = grad_mode._state
_new = object.__new__
_new_size = tuple.__new__


class Tensor:
    """A multi-dimensional array with reverse-mode autograd, as torch.Tensor.

    ``Tensor(data)``, ``Tensor(*sizes)`` and ``Tensor()`` are torch's legacy
    constructors (always the default dtype); prefer :func:`minitorch.tensor`.
    """

    # Hot attributes are slots; rarely used ones live in __dict__ with the
    # class-level defaults below, so making a tensor stays cheap.
    __slots__ = ("_data", "_requires_grad", "_grad_fn", "_output_nr", "_version_cell", "_base",
                 "__dict__", "__weakref__")

    _grad = None
    _hooks = None
    _retains_grad = False
    _accumulator_ref = None
    _view_chain = ()
    _view_history = 0
    _history_version = 0
    # (op name, output index) for outputs of split/chunk/unbind and views of them: torch
    # forbids in-place writes into those under autograd (one node cannot be rebased
    # onto a single output).
    _multi_view_of = None
    _post_accumulate_hooks = None

    # NumPy defers to our reflected operators (np.float64(2) * t is a Tensor).
    __array_priority__ = 1000
    __array_ufunc__ = None

    def __new__(cls, *args, **kwargs):
        return _new(cls)

    def __init__(self, *args, device=None, dtype=None):
        check_device(device)
        if dtype is not None:
            raise TypeError("new() received an invalid combination of arguments - got "
                            "(dtype=...); use minitorch.tensor(data, dtype=...) instead")
        default = _dtype.get_default_dtype()._np
        if len(args) == 1 and isinstance(args[0], Size):
            args = tuple(args[0])
        if not args:
            data = np.empty((0,), dtype=default)
        elif len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            source = args[0]
            if isinstance(source, Tensor):
                data = source._data
            else:
                data = np.array(source, dtype=default)
        elif all(isinstance(a, (int, np.integer)) for a in args):
            data = np.empty(tuple(int(a) for a in args), dtype=default)
        else:
            raise TypeError(f"new() received an invalid combination of arguments - got {args}")
        Tensor._init_fields(self, data)

    @staticmethod
    def _init_fields(t, data, requires_grad=False):
        t._data = data
        t._requires_grad = requires_grad
        t._grad_fn = None
        t._output_nr = 0
        t._version_cell = [0]
        t._base = None

    @staticmethod
    def _make(data, requires_grad=False):
        """Wrap an ndarray without copying (internal fast constructor)."""
        t = _new(Tensor)
        t._data = data
        t._requires_grad = requires_grad
        t._grad_fn = None
        t._output_nr = 0
        t._version_cell = [0]
        t._base = None
        return t

    # ------------------------------------------------------------------ metadata
    @property
    def shape(self):
        # tuple.__new__ skips Size's Python-level __new__; shapes are read on every op
        return _new_size(Size, self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return _new_size(Size, self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    @property
    def dtype(self):
        return _dtype._BY_NUMPY[self._data.dtype]

    @property
    def device(self):
        return CPU

    @property
    def is_cuda(self):
        return False

    @property
    def is_cpu(self):
        return True

    @property
    def is_sparse(self):
        return False

    @property
    def is_quantized(self):
        return False

    @property
    def is_meta(self):
        return False

    @property
    def layout(self):
        from . import strided
        return strided

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    ndimension = dim

    def numel(self):
        return self._data.size

    nelement = numel

    def element_size(self):
        return self._data.itemsize

    @property
    def itemsize(self):
        return self._data.itemsize

    @property
    def nbytes(self):
        return self._data.nbytes

    def stride(self, dim=None):
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        if dim is None:
            return strides
        return strides[_wrap_dim(dim, self._data.ndim)]

    def storage_offset(self):
        """Elements between the start of the underlying memory and this tensor's first."""
        root = self._data
        while root.base is not None:
            # as_strided hides its source behind a small wrapper object with its own .base
            base = root.base if isinstance(root.base, np.ndarray) else getattr(root.base, "base", None)
            if not isinstance(base, np.ndarray):
                break
            root = base
        offset = self._data.__array_interface__["data"][0] - root.__array_interface__["data"][0]
        return offset // self._data.itemsize

    def data_ptr(self):
        return self._data.__array_interface__["data"][0]

    def is_contiguous(self, memory_format=None):
        return bool(self._data.flags.c_contiguous)

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def is_complex(self):
        return self._data.dtype.kind == "c"

    def is_signed(self):
        return self.dtype.is_signed

    def get_device(self):
        return -1

    def _is_view(self):
        return self._base is not None

    def type(self, dtype=None, non_blocking=False, **kwargs):
        """Without arguments, torch's legacy type name ('torch.FloatTensor'); else a cast."""
        if dtype is None:
            return _LEGACY_TYPE_NAMES[self.dtype]
        if isinstance(dtype, str):
            for d, name in _LEGACY_TYPE_NAMES.items():
                if name == dtype:
                    return self.to(d)
            raise ValueError(f"invalid type: '{dtype}'")
        if not isinstance(dtype, _dtype.dtype) and isinstance(getattr(dtype, "dtype", None),
                                                               _dtype.dtype):
            dtype = dtype.dtype  # a legacy class such as minitorch.DoubleTensor
        return self.to(dtype)

    # ---------------------------------------------------------------- conversion
    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted "
                               "to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def numpy(self, *, force=False):
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        if dtype is not None:
            return self._data.astype(dtype, copy=False)
        return self._data

    def __float__(self):
        return float(self._scalar_value("float"))

    def __int__(self):
        return int(self._scalar_value("int"))

    def __complex__(self):
        return complex(self._scalar_value("complex"))

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()))

    def __index__(self):
        if self._data.dtype.kind not in "biu" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.reshape(()))

    def _scalar_value(self, kind):
        if self._data.size != 1:
            raise ValueError(f"only one element tensors can be converted to Python scalars")
        return self._data.reshape(()).item()

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __hash__(self):
        return id(self)

    def __contains__(self, element):
        if isinstance(element, (Tensor, int, float, bool, complex)):
            return bool((self == element).any().item())
        raise RuntimeError("Tensor.__contains__ only supports Tensor or scalar, but you passed "
                           f"in a {type(element)}.")

    def __format__(self, spec):
        if self._data.ndim == 0 and not self._requires_grad:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __repr__(self, *, tensor_contents=None):
        from ._tensor_str import tensor_repr
        return tensor_repr(self, tensor_contents=tensor_contents)

    def __str__(self):
        return self.__repr__()

    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor, (self._data.copy(), self._requires_grad))

    def __deepcopy__(self, memo):
        if not self.is_leaf:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support "
                               "the deepcopy protocol at the moment.  If you were attempting to "
                               "deepcopy a module, this may be because of a torch.nn.utils."
                               "weight_norm usage, see https://github.com/pytorch/pytorch/pull/"
                               "103001")
        if id(self) in memo:
            return memo[id(self)]
        new = _new(type(self))
        Tensor._init_fields(new, self._data.copy(), self._requires_grad)
        if self._grad is not None:
            import copy
            new._grad = copy.deepcopy(self._grad, memo)
        for key, value in self.__dict__.items():
            if key not in ("_grad", "_hooks", "_accumulator_ref", "_view_chain",
                           "_view_history", "_history_version"):
                import copy
                setattr(new, key, copy.deepcopy(value, memo))
        memo[id(self)] = new
        return new

    # ------------------------------------------------------------------ device
    def to(self, *args, **kwargs):
        """Cast and/or move: ``to(dtype)``, ``to(device[, dtype])``, ``to(other)``.

        The positional forms are torch's: a device, a dtype or a tensor first, then
        ``non_blocking`` and ``copy``. Only the CPU exists, so a move is a no-op.
        """
        dev, dtype, flags = _parse_to_args(args)
        dev = kwargs.pop("device", dev)
        dtype = kwargs.pop("dtype", dtype)
        copy = kwargs.pop("copy", flags[1] if len(flags) > 1 else False)
        kwargs.pop("non_blocking", None)
        kwargs.pop("memory_format", None)
        if kwargs:
            raise TypeError(f"to() got an unexpected keyword argument '{next(iter(kwargs))}'")
        check_device(dev)
        if dtype is None or dtype is self.dtype:
            return self.clone() if copy else self
        from ._ops import pointwise
        return pointwise._to_dtype(self, dtype)

    def cpu(self, memory_format=None):
        return self

    def cuda(self, device=None, non_blocking=False, memory_format=None):
        check_device("cuda")

    def pin_memory(self):
        raise RuntimeError("Cannot access accelerator device when none is available.")

    def float(self):
        return self.to(_dtype.float32)

    def double(self):
        return self.to(_dtype.float64)

    def half(self):
        return self.to(_dtype.float16)

    def int(self):
        return self.to(_dtype.int32)

    def long(self):
        return self.to(_dtype.int64)

    def short(self):
        return self.to(_dtype.int16)

    def char(self):
        return self.to(_dtype.int8)

    def byte(self):
        return self.to(_dtype.uint8)

    def bool(self):
        return self.to(_dtype.bool)

    def cfloat(self):
        return self.to(_dtype.complex64)

    def cdouble(self):
        return self.to(_dtype.complex128)

    def type_as(self, other):
        return self.to(other.dtype)

    # ---------------------------------------------------------------- autograd
    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        self.requires_grad_(value)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` on a leaf (in place); returns self."""
        requires_grad = bool(requires_grad)
        if self.grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to "
                    "use a computed variable in a subgraph that doesn't require differentiation "
                    "use var_no_grad = var.detach().")
            return self
        if requires_grad and self._data.dtype.kind not in "fc":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = requires_grad
        return self

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def grad_fn(self):
        if self._base is not None:
            self._refresh_view_history()
        return self._grad_fn

    @property
    def output_nr(self):
        return self._output_nr

    @property
    def _version_counter(self):
        return self._version_cell[0]

    @property
    def _version(self):
        """How many times this tensor's memory was written in place (torch's ``_version``).

        The count lives in a one-element list shared by a tensor, its views and its
        detached aliases, so a write through any of them is seen by all.
        """
        return self._version_cell[0]

    @property
    def grad(self):
        if self._grad_fn is not None and not self._retains_grad and self._grad is None:
            import warnings
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
                ".grad attribute won't be populated during autograd.backward(). If you indeed "
                "want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() "
                "on the non-leaf Tensor.", UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of "
                                f"type {type(value).__name__}")
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    "attempting to assign a gradient with dtype "
                    f"'{_C_TYPE_NAMES.get(value.dtype, value.dtype)}' to a tensor with grad_dtype "
                    f"'{_TYPE_TITLES.get(self.dtype, self.dtype)}'. The gradient must match the "
                    "tensor's grad_dtype (defaults to the tensor's dtype). You can set the tensor's "
                    "grad_dtype attribute with a specific dtype, or None to allow any dtype. Set "
                    "grad_dtype with caution. Diverging the dtypes of a tensor and its gradient may "
                    "break downstream systems that assume they match.")
            if value._data.shape != self._data.shape:
                raise RuntimeError("attempting to assign a gradient of size "
                                   f"'{list(value.shape)}' to a tensor of size "
                                   f"'{list(self.shape)}'. Please ensure that the gradient and the "
                                   "tensor are the same size")
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def data(self):
        """The same storage, detached from the graph (and from version tracking), as torch."""
        t = Tensor._make(self._data)
        return t

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        self._data = value._data

    def detach(self):
        """A new tensor sharing storage and version counter, with no history."""
        t = Tensor._make(self._data)
        t._version_cell = self._version_cell
        return t

    def detach_(self):
        if self._base is not None:
            raise RuntimeError("Can't detach views in-place. Use detach() instead. If you are "
                               "using DistributedDataParallel (DDP) for training, and "
                               "gradient_as_bucket_view is set as True, gradients are views of "
                               "DDP buckets, and hence detach_() cannot be called on these "
                               "gradients. To fix this error, please refer to the Optimizer."
                               "zero_grad() function in torch/optim/optimizer.py as the solution.")
        self._grad_fn = None
        self._output_nr = 0
        self._requires_grad = False
        return self

    def retain_grad(self):
        """Keep ``.grad`` for this non-leaf tensor after backward."""
        fn = self.grad_fn
        if fn is None:
            if not self._requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return
        if self._retains_grad:
            return
        if fn._retain_grad_hooks is None:
            fn._retain_grad_hooks = {}
        fn._hooked = True
        fn._retain_grad_hooks[self._output_nr] = weakref.ref(self)
        self._retains_grad = True

    @property
    def retains_grad(self):
        return self._retains_grad

    def register_hook(self, hook):
        """``hook(grad)`` runs when this tensor's gradient is computed; may return a new grad."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        fn = self.grad_fn
        if fn is not None:
            return fn._add_tensor_pre_hook(self._output_nr, hook)
        if self._hooks is None:
            self._hooks = _HookDict()
        handle = RemovableHandle(self._hooks)
        self._hooks[handle.id] = hook
        return handle

    def register_post_accumulate_grad_hook(self, hook):
        """``hook(tensor)`` runs after the gradient is accumulated into this leaf's ``.grad``."""
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf "
                               "tensors")
        hooks = self.__dict__.setdefault("_post_accumulate_hooks", _HookDict())
        handle = RemovableHandle(hooks)
        hooks[handle.id] = hook
        return handle

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate the gradient of this tensor w.r.t. graph leaves into their ``.grad``."""
        _autograd.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def _grad_accumulator(self):
        """The AccumulateGrad node of a leaf (cached weakly, as in torch)."""
        ref = self._accumulator_ref
        acc = ref() if ref is not None else None
        if acc is None:
            acc = AccumulateGrad(self)
            self._accumulator_ref = weakref.ref(acc)
        return acc

    # ----------------------------------------------------- in-place machinery
    def _check_inplace_allowed(self):
        if not _grad_state.enabled:
            return
        if self._requires_grad and self._grad_fn is None and self._base is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                               "operation.")
        base = self._base
        if base is not None and base._requires_grad and base._grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
        if self._multi_view_of is not None and self._grad_fn is not None:
            raise RuntimeError(_multi_view_message(self._multi_view_of,
                                                   "is being modified inplace"))

    def _inplace(self, fn, *args, **kwargs):
        """Run the out-of-place ``fn(self, ...)`` and write its result into ``self``.

        This one mechanism gives every ``op_`` torch's semantics: the version
        counter moves, the graph is rebased onto the new value, and in-place
        writes through a view reach the base tensor's history.
        """
        self._check_inplace_allowed()
        recording = self._inplace_records(args, kwargs)
        source = self._snapshot() if recording else self
        result = fn(source, *args, **kwargs)
        self._write_result(result, recording)
        return self

    def _inplace_records(self, args, kwargs):
        """Whether an in-place op on self with these operands must be recorded for autograd."""
        return _grad_state.enabled and (
            self._requires_grad or (self._base is not None and self._base._requires_grad)
            or any(isinstance(a, Tensor) and a._requires_grad for a in args)
            or any(isinstance(a, Tensor) and a._requires_grad for a in kwargs.values()))

    def _snapshot(self):
        """A copy of the current value carrying the current history (what backward may need)."""
        if self._base is not None:
            self._refresh_view_history()
        t = Tensor._make(self._data.copy())
        t._grad_fn = self._grad_fn
        t._output_nr = self._output_nr
        t._requires_grad = self._requires_grad
        if self._grad_fn is None and self._requires_grad:
            t._accumulator_ref = None
        return t

    def _write_result(self, result, recording):
        if not _dtype.can_cast(result.dtype, self.dtype):
            raise RuntimeError(f"result type {_TYPE_TITLES[result.dtype]} can't be cast to the "
                               f"desired output type {_TYPE_TITLES[self.dtype]}")
        if result._data.shape != self._data.shape:
            try:
                shape = np.broadcast_shapes(result._data.shape, self._data.shape)
            except ValueError:
                shape = None
            if shape != self._data.shape:
                raise RuntimeError(
                    f"output with shape {list(self._data.shape)} doesn't match the broadcast "
                    f"shape {list(shape if shape is not None else result._data.shape)}")
        if not self._data.flags.writeable or _has_internal_overlap(self._data):
            raise RuntimeError(
                "unsupported operation: more than one element of the written-to tensor refers "
                "to a single memory location. Please clone() the tensor before performing the "
                "operation.")
        np.copyto(self._data, result._data, casting="unsafe")
        self._version_cell[0] += 1
        if recording and result._requires_grad:
            self._rebase_history(result)

    def _rebase_history(self, result):
        if self._base is None:
            self._grad_fn = result._grad_fn
            self._output_nr = result._output_nr
            self._requires_grad = True
            self._history_version = self._history_version + 1
            return
        base = self._base
        node = CopySlices(self, base, result)
        base._grad_fn = node
        base._output_nr = 0
        base._requires_grad = True
        base._history_version = base._history_version + 1

    def _become_view_of(self, source, prim, params):
        """Mark this output of a view op as aliasing ``source`` (shared version counter)."""
        root = source._base if source._base is not None else source
        self._base = root
        self._version_cell = source._version_cell
        self._view_chain = source._view_chain + ((prim, params),)
        self._view_history = root._history_version
        if source._multi_view_of is not None:
            self._multi_view_of = (_op_name(prim), 0)

    def _refresh_view_history(self):
        """After an in-place op changed the base's history, re-derive this view's grad_fn."""
        base = self._base
        if self._view_history == base._history_version:
            return
        self._view_history = base._history_version
        if not base._requires_grad:
            return
        if self._multi_view_of is not None:
            raise RuntimeError(_multi_view_message(
                self._multi_view_of, "its base or another view of its base has been modified "
                                     "inplace"))
        with grad_mode.enable_grad():
            t = base
            for prim, params in self._view_chain:
                t = _primitive.apply(prim, t, **params)
        self._grad_fn = t._grad_fn
        self._output_nr = t._output_nr
        self._requires_grad = t._requires_grad


def _apply_view_chain(chain, value, create_graph):
    """Replay view ops on an array (plain backward) or a Tensor (graph-building backward)."""
    for prim, params in chain:
        value = _primitive.apply(prim, value, **params) if create_graph else prim.forward(value, **params)
    return value


class CopySlices(Node):
    """grad_fn of a base tensor after an in-place write through one of its views.

    The gradient of the old base is the incoming gradient with the written
    region zeroed; the gradient of the written value is that region.
    """

    __slots__ = ("view_chain", "base_shape", "base_dtype", "result_shape", "result_dtype")

    def __init__(self, view, base, result):
        super().__init__([_primitive._edge(base), _primitive._edge(result)])
        self.view_chain = view._view_chain
        self.base_shape, self.base_dtype = base._data.shape, base.dtype
        self.result_shape, self.result_dtype = result._data.shape, result._data.dtype

    def apply(self, grads, create_graph):
        g = grads[0]
        if create_graph:
            grad_base = g.clone()
            _apply_view_chain(self.view_chain, grad_base, True).zero_()
        else:
            grad_base = np.array(g, copy=True)
            _apply_view_chain(self.view_chain, grad_base, False)[...] = 0
        grad_result = _apply_view_chain(self.view_chain, g, create_graph)
        return [grad_base,
                _primitive._fit_to_input(grad_result, self.result_shape, self.result_dtype,
                                         create_graph)]


def _op_name(prim):
    """torch's short op name for messages: 'SplitBackward0' -> 'Split'."""
    return re.sub(r"Backward\d*$", "", prim.node_class.__name__)


def _multi_view_message(multi_view_of, what):
    op, index = multi_view_of
    return (f"Output {index} of {op} is a view and {what}. This view is the output of a "
            "function that returns multiple views. Such functions do not allow the output "
            "views to be modified inplace. You should replace the inplace operation by an "
            "out-of-place one.")


_PARTIAL_OVERLAP_MESSAGE = (
    "unsupported operation: some elements of the input tensor and the written-to tensor refer "
    "to a single memory location. Please clone() the tensor before performing the operation.")


def _is_dense(array):
    """torch's "non-overlapping and dense": the elements tile one block of memory, in some
    order of the dims (contiguous up to a permutation)."""
    expected = array.itemsize
    for stride, size in sorted((st, n) for st, n in zip(array.strides, array.shape) if n != 1):
        if stride != expected:
            return False
        expected *= size
    return True


def _check_no_partial_overlap(target, source):
    """Refuse an in-place write into ``target`` that reads ``source`` when the two partly
    share memory, as torch does (an op would read elements it has already overwritten).

    torch's rule: the same memory in the same layout is fine (``x.add_(x)``); two dense
    tensors whose memory ranges intersect otherwise are refused; when either is not dense
    (a strided or expanded view) torch cannot tell cheaply and allows the write.
    """
    a, b = target._data, source._data
    if a is b or not a.size or not b.size or not np.may_share_memory(a, b):
        return
    if not (_is_dense(a) and _is_dense(b)):
        return
    same_start = a.__array_interface__["data"][0] == b.__array_interface__["data"][0]
    if same_start and a.nbytes == b.nbytes and a.strides == b.strides:
        return
    raise RuntimeError(_PARTIAL_OVERLAP_MESSAGE)


def _has_internal_overlap(array):
    """True when several elements share memory (a stride-0 dim of size > 1)."""
    return array.size > 1 and any(st == 0 and n > 1 for st, n in zip(array.strides, array.shape))


def _parse_to_args(args):
    """Split ``Tensor.to``'s positional arguments into (device, dtype, [non_blocking, copy])."""
    dev = dtype = None
    rest = list(args)
    if rest and isinstance(rest[0], (str, device)):
        dev = rest.pop(0)
    elif rest and isinstance(rest[0], int) and not isinstance(rest[0], bool):
        raise RuntimeError("Cannot access accelerator device when none is available.")
    if rest and isinstance(rest[0], _dtype.dtype):
        dtype = rest.pop(0)
    elif rest and isinstance(rest[0], Tensor) and dev is None:
        dtype = rest.pop(0).dtype
    if len(rest) > 2 or not all(isinstance(f, bool) for f in rest):
        names = ", ".join(type(a).__name__ if not isinstance(a, _dtype.dtype) else "torch.dtype"
                          for a in args)
        raise TypeError(f"to() received an invalid combination of arguments - got ({names}), "
                        "but expected one of: (device, dtype, non_blocking, copy), (dtype, "
                        "non_blocking, copy), (Tensor, non_blocking, copy)")
    return dev, dtype, rest


def _rebuild_tensor(data, requires_grad):
    t = Tensor._make(data)
    t._requires_grad = requires_grad
    return t


def _wrap_dim(dim, ndim):
    """Normalise a possibly negative dim; IndexError as torch for out-of-range dims."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], "
                         f"but got {dim})")
    return dim % n


_LEGACY_TYPE_NAMES = {
    _dtype.float32: "torch.FloatTensor", _dtype.float64: "torch.DoubleTensor",
    _dtype.float16: "torch.HalfTensor", _dtype.int64: "torch.LongTensor",
    _dtype.int32: "torch.IntTensor", _dtype.int16: "torch.ShortTensor",
    _dtype.int8: "torch.CharTensor", _dtype.uint8: "torch.ByteTensor",
    _dtype.bool: "torch.BoolTensor", _dtype.complex64: "torch.ComplexFloatTensor",
    _dtype.complex128: "torch.ComplexDoubleTensor",
}

_TYPE_TITLES = {
    _dtype.float32: "Float", _dtype.float64: "Double", _dtype.float16: "Half",
    _dtype.int64: "Long", _dtype.int32: "Int", _dtype.int16: "Short", _dtype.int8: "Char",
    _dtype.uint8: "Byte", _dtype.bool: "Bool", _dtype.complex64: "ComplexFloat",
    _dtype.complex128: "ComplexDouble",
}

# C++ type names, which torch's grad setter prints for the gradient's dtype.
_C_TYPE_NAMES = {
    _dtype.float32: "float", _dtype.float64: "double", _dtype.float16: "c10::Half",
    _dtype.int64: "long int", _dtype.int32: "int", _dtype.int16: "short int",
    _dtype.int8: "signed char", _dtype.uint8: "unsigned char", _dtype.bool: "bool",
    _dtype.complex64: "c10::complex<float>", _dtype.complex128: "c10::complex<double>",
}

_primitive.Tensor = Tensor
_engine.Tensor = Tensor
