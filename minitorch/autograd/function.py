"""autograd.Function: user-defined forward/backward pairs (torch.autograd.function).

A subclass declares ``forward`` and ``backward`` staticmethods and is called as
``MyFn.apply(*args)``. Each call makes one graph node, an instance of the class
``<Name>Backward`` generated for the subclass; that node *is* the ``ctx`` the
user's methods receive, so what ``forward`` stores on ``ctx`` is there in
``backward``.

The node speaks the engine's protocol (see ``PrimNode.apply``): it receives the
gradients of its outputs as ndarrays (plain backward) or Tensors
(``create_graph=True``) and returns one gradient per *tensor* input in the same
form. The user's ``backward`` always sees Tensors; with ``create_graph=True``
grad mode is on, so the ops it runs are recorded and double backward works.
"""
import functools
import inspect
import traceback
import warnings

import numpy as np

from . import grad_mode
from .anomaly_mode import _anomaly_state
from .graph import FREED_GRAPH_MESSAGE, Node

__all__ = ["Function", "FunctionCtx", "BackwardCFunction", "InplaceFunction",
           "once_differentiable"]


def _tensor_class():
    from .._tensor import Tensor
    return Tensor


class FunctionCtx:
    """The methods ``forward``/``setup_context`` call on ``ctx`` to prepare backward."""

    def save_for_backward(self, *tensors):
        """Keep tensors for ``backward``; read them back through ``ctx.saved_tensors``."""
        self.to_save = tensors

    def save_for_forward(self, *tensors):
        """Keep tensors for ``jvp`` (minitorch has no forward-mode AD, so they are only stored)."""
        Tensor = _tensor_class()
        for t in tensors:
            if not (isinstance(t, Tensor) or t is None):
                raise AssertionError("save_for_forward expects all arguments to be tensors; you "
                                     "should save non-tensors as attributes on ctx.")
        self.saved_for_forward = tensors

    def mark_dirty(self, *args):
        """Declare inputs that ``forward`` modified in place (they must also be returned)."""
        self.dirty_tensors = args

    def mark_shared_storage(self, *pairs):
        """Deprecated no-op kept for old code, as in torch."""
        warnings.warn("`mark_shared_storage` is deprecated. Tensors with shared storages are "
                      "automatically tracked. Note that calls to `set_()` are not tracked",
                      FutureWarning, stacklevel=2)

    def mark_non_differentiable(self, *args):
        """Declare outputs that do not require grad (backward still gets a zero grad for them)."""
        self.non_differentiable = args

    def set_materialize_grads(self, value):
        """Whether missing output grads reach ``backward`` as zeros (True) or as None."""
        self.materialize_grads = value


# Old name, kept so that code importing it keeps working (as torch does).
_ContextMethodMixin = FunctionCtx


class BackwardCFunction(Node, FunctionCtx):
    """Base of the generated ``<Name>Backward`` node classes; also the ``ctx`` object."""

    # No __slots__: ctx takes arbitrary user attributes.
    _forward_cls = None
    materialize_grads = True
    to_save = ()

    def __repr__(self):
        cls = type(self)
        return f"<{cls.__module__}.{cls.__qualname__} object at {hex(id(self))}>"

    # ------------------------------------------------------------ saved tensors
    @property
    def saved_tensors(self):
        """The tensors given to ``save_for_backward``, checked against in-place changes."""
        if self.__dict__.get("_released", False):
            raise RuntimeError(FREED_GRAPH_MESSAGE)
        saved = self.__dict__.get("_saved")
        if saved is None:
            # Not recorded (no grad needed): hand back what forward asked to save.
            return tuple(self.to_save)
        from ._primitive import _check_version
        for t, version in zip(saved, self._saved_versions):
            if t is not None:
                _check_version(t, version, self)
        return tuple(saved)

    saved_variables = saved_tensors

    def release(self):
        """Free the saved tensors once backward has used them (unless retain_graph)."""
        self._saved = ()
        self._saved_versions = ()
        self._released = True

    # ------------------------------------------------------- engine protocol
    def apply(self, grads, create_graph):
        """Run the user's backward on the gradients of this node's outputs."""
        Tensor = _tensor_class()
        grads = list(grads) + [None] * (len(self._output_meta) - len(grads))
        grad_outputs = []
        for g, meta in zip(grads, self._output_meta):
            if g is None and meta is not None and self.materialize_grads:
                g = np.zeros(*meta)
            if g is not None and not isinstance(g, Tensor):
                g = Tensor._make(np.asarray(g))
            grad_outputs.append(g)
        result = self._user_backward()(self, *grad_outputs)
        result = self._check_backward_result(result)
        return [self._fit_gradient(result[pos], k, create_graph)
                for k, pos in enumerate(self._tensor_positions)]

    def _user_backward(self):
        cls = self._forward_cls
        if cls.backward is not Function.backward and cls.vjp is not Function.vjp:
            raise RuntimeError("Implementing both 'backward' and 'vjp' for a custom Function is "
                               "not allowed. You should only implement one of them.")
        return cls.vjp if cls.vjp is not Function.vjp else cls.backward

    def _check_backward_result(self, result):
        """Validate what backward returned, with torch's messages; one entry per forward input."""
        Tensor = _tensor_class()
        if not isinstance(result, tuple):
            result = (result,)
        n_inputs = len(self._is_tensor_input)
        # Extra trailing Nones are allowed and dropped.
        if len(result) > n_inputs and all(r is None for r in result[n_inputs:]):
            result = result[:n_inputs]
        if len(result) != n_inputs:
            raise RuntimeError(f"function {self.name()} returned an incorrect number of gradients "
                               f"(expected {n_inputs}, got {len(result)})")
        for i, r in enumerate(result):
            if r is None:
                continue
            if not self._is_tensor_input[i]:
                raise RuntimeError(
                    f"function {self.name()} returned a gradient different than None at position "
                    f"{i + 1}, but the corresponding forward input was not a Variable")
            if not isinstance(r, Tensor):
                raise RuntimeError(f"expected Variable or None (got {type(r).__name__})")
        return result

    def _fit_gradient(self, g, k, create_graph):
        """Check one input gradient's shape, then sum it to the input's shape and dtype."""
        from ._primitive import _fit_to_input
        if g is None or self.next_functions[k][0] is None:
            return None
        shape, dtype = self._input_meta[k]
        got = tuple(g.shape)
        if got != shape:
            try:
                expandable = np.broadcast_shapes(shape, got) == got
            except ValueError:
                expandable = False
            if not expandable:
                raise RuntimeError(f"Function {self.name()} returned an invalid gradient at index "
                                   f"{k} - got {list(got)} but expected shape compatible with "
                                   f"{list(shape)}")
        return _fit_to_input(g if create_graph else g._data, shape, dtype, create_graph)


class FunctionMeta(type):
    """Gives every Function subclass its own node class, named ``<Name>Backward``."""

    def __init__(cls, name, bases, attrs):
        cls._backward_cls = type(name + "Backward", (BackwardCFunction,),
                                 {"_forward_cls": cls, "__module__": __name__})
        super().__init__(name, bases, attrs)


class Function(FunctionCtx, metaclass=FunctionMeta):
    """Base class for custom autograd operations: subclass, then call ``MyFn.apply(...)``."""

    generate_vmap_rule = False

    def __init__(self, *args, **kwargs):
        warnings.warn(f"{self.__class__} should not be instantiated. Methods on autograd "
                      "functions are all static, so you should invoke them on the class itself. "
                      "Instantiating an autograd function will raise an error in a future "
                      "version of PyTorch.", DeprecationWarning, stacklevel=2)

    def __call__(self, *args, **kwargs):
        raise RuntimeError("Legacy autograd function with non-static forward method is "
                           "deprecated. Please use new-style autograd function with static "
                           "forward method. (Example: https://pytorch.org/docs/stable/"
                           "autograd.html#torch.autograd.Function)")

    @staticmethod
    def forward(*args, **kwargs):
        """``forward(ctx, *args)``, or ``forward(*args)`` together with ``setup_context``."""
        raise NotImplementedError("You must implement the forward function for custom "
                                  "autograd.Function.")

    @staticmethod
    def setup_context(ctx, inputs, output):
        """Fill ``ctx`` from the inputs and output of a ctx-less ``forward``."""
        raise NotImplementedError("setup_context is not implemented.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        """Map the gradients of the outputs to one gradient (or None) per forward input."""
        raise NotImplementedError("You must implement either the backward or vjp method for your "
                                  "custom autograd.Function to use it with backward mode AD.")

    vjp = backward

    @staticmethod
    def jvp(ctx, *grad_inputs):
        """Forward-mode rule; minitorch has no forward-mode AD."""
        raise NotImplementedError("You must implement the jvp function for custom autograd."
                                  "Function to use it with forward mode AD.")

    @staticmethod
    def vmap(info, in_dims, *args):
        """minitorch has no vmap."""
        raise NotImplementedError("minitorch does not support torch.vmap for autograd.Function")

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward`` without recording, then record one node for the whole call."""
        Tensor = _tensor_class()
        with_setup = cls.setup_context is not Function.setup_context
        if with_setup:
            bound = inspect.signature(cls.forward).bind(*args, **kwargs)
            bound.apply_defaults()
            args, kwargs = bound.args, bound.kwargs
        # Keyword arguments count as inputs too, after the positional ones (as torch).
        inputs = tuple(args) + tuple(kwargs.values())
        ctx = cls._backward_cls(_input_edges(inputs, Tensor))
        ctx._is_tensor_input = [isinstance(a, Tensor) for a in inputs]
        ctx._tensor_positions = [i for i, a in enumerate(inputs) if isinstance(a, Tensor)]
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad for a in inputs)
        executable = grad_mode._state.enabled and any(ctx.needs_input_grad)

        with grad_mode.no_grad():
            if with_setup:
                output = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, tuple(args), output)
            else:
                output = cls.forward(ctx, *args, **kwargs)

        is_tuple = isinstance(output, tuple)
        outputs = _wrap_outputs(ctx, inputs, output if is_tuple else (output,), executable)
        if executable:
            _save_tensors(ctx, Tensor)
            ctx._input_meta = [(a._data.shape, a._data.dtype) for a in inputs
                              if isinstance(a, Tensor)]
            if _anomaly_state.enabled:
                ctx._anomaly_trace = "".join(traceback.format_stack()[:-1])
        return outputs if is_tuple else outputs[0]


def _input_edges(inputs, Tensor):
    """One graph edge per tensor input, taken before forward can modify any of them."""
    from ._primitive import _edge
    return [_edge(a) for a in inputs if isinstance(a, Tensor)]


def _contains(tensors, t):
    return any(x is t for x in tensors)


def _wrap_outputs(ctx, inputs, outputs, executable):
    """Attach the node to the tensor outputs, following torch's rules for each kind."""
    Tensor = _tensor_class()
    dirty = ctx.__dict__.get("dirty_tensors", ())
    non_diff = ctx.__dict__.get("non_differentiable", ())
    for t in dirty:
        t._version_cell[0] += 1
    if not all(_contains(outputs, t) for t in dirty):
        raise RuntimeError("Some elements marked as dirty during the forward method were not "
                           "returned as output. The inputs that are modified inplace must all be "
                           "outputs of the Function.")
    wrapped, meta = [], []
    for i, out in enumerate(outputs):
        if not isinstance(out, Tensor):
            wrapped.append(out)
            meta.append(None)
            continue
        meta.append((out._data.shape, out._data.dtype))
        is_input = _contains(inputs, out)
        differentiable = (executable and not _contains(non_diff, out)
                          and out._data.dtype.kind in "fc")
        if _contains(dirty, out) and differentiable:
            _rebase_dirty(ctx, out, i)
        elif not differentiable:
            if is_input and not _contains(dirty, out):
                # A returned input comes back as a fresh alias, never the input itself.
                out = out.detach() if out._requires_grad else _alias(out)
            elif out._requires_grad and out._base is None:
                # forward made it require grad by hand; no graph means no grad.
                out.detach_()
        else:
            if is_input:
                out = _alias(out)
            out._grad_fn = ctx
            out._output_nr = i
            out._requires_grad = True
        wrapped.append(out)
    ctx._output_meta = meta
    return tuple(wrapped)


def _alias(t):
    """A view of ``t`` covering all of it (torch's ``view_as(self)``), without history."""
    Tensor = _tensor_class()
    alias = Tensor._make(t._data)
    alias._version_cell = t._version_cell
    root = t._base if t._base is not None else t
    alias._base = root
    alias._view_chain = t._view_chain
    alias._view_history = root._history_version
    return alias


def _rebase_dirty(ctx, t, output_nr):
    """Make the node the new history of an input that forward modified in place."""
    Tensor = _tensor_class()
    if t._requires_grad and t.grad_fn is None and t._base is None:
        raise RuntimeError("a leaf Variable that requires grad has been used in an in-place "
                           "operation.")
    base = t._base
    if base is not None and base._requires_grad and base._grad_fn is None:
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                           "in-place operation.")
    result = Tensor._make(t._data)
    result._grad_fn = ctx
    result._output_nr = output_nr
    result._requires_grad = True
    t._rebase_history(result)


def _save_tensors(ctx, Tensor):
    """Keep what ``save_for_backward`` got, with versions to catch later in-place changes."""
    saved = list(ctx.to_save)
    for i, t in enumerate(saved):
        if t is not None and not isinstance(t, Tensor):
            raise TypeError(f"save_for_backward can only save variables, but argument {i} is of "
                            f"type {type(t).__name__}")
    ctx._saved = saved
    ctx._saved_versions = [t._version_cell[0] if t is not None else 0 for t in saved]
    ctx.to_save = ()


class InplaceFunction(Function):
    """Kept only for backward compatibility, as in torch; use :class:`Function`."""

    def __init__(self, inplace=False):
        super().__init__()
        self.inplace = inplace


class DelayedError(Node):
    """A node that raises when backward reaches it (used by ``once_differentiable``)."""

    __slots__ = ("message",)

    def __init__(self, message, next_functions):
        super().__init__(next_functions)
        self.message = message

    def name(self):
        return "Error"

    def apply(self, grads, create_graph):
        raise RuntimeError(self.message)


def once_differentiable(fn):
    """Decorate ``backward`` to run without recording; differentiating it again raises."""
    @functools.wraps(fn)
    def wrapper(ctx, *args, **kwargs):
        Tensor = _tensor_class()
        with grad_mode.no_grad():
            outputs = fn(ctx, *args, **kwargs)
        if not grad_mode.is_grad_enabled():
            return outputs
        # Only an approximation of "the result depends on something requiring grad", as torch.
        if not any(isinstance(a, Tensor) and a._requires_grad for a in args):
            return outputs
        is_tuple = isinstance(outputs, tuple)
        outs = outputs if is_tuple else (outputs,)
        leaves = [o.detach().requires_grad_() if o is not None else None for o in outs]
        from ._primitive import _edge
        node = DelayedError("trying to differentiate twice a function that was marked with "
                            "@once_differentiable",
                            [_edge(v) if v is not None else (None, 0) for v in leaves])
        wrapped = []
        for i, leaf in enumerate(leaves):
            if leaf is None:
                wrapped.append(None)
                continue
            out = Tensor._make(leaf._data)
            out._grad_fn = node
            out._output_nr = i
            out._requires_grad = True
            wrapped.append(out)
        return tuple(wrapped) if is_tuple else wrapped[0]
    return wrapper
