"""Graph nodes: the ``grad_fn`` objects autograd records (torch.autograd.graph).

A node is one backward function. ``next_functions`` holds one edge per
differentiable input: ``(node, output_nr)`` of the node that produced that input,
an ``AccumulateGrad`` for a leaf that requires grad, or ``(None, 0)``.
"""
import itertools
import weakref

__all__ = ["Node", "AccumulateGrad", "RemovableHandle"]

# Later nodes run first when several are ready, as in torch's engine.
_sequence = itertools.count()

FREED_GRAPH_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward.")


class RemovableHandle:
    """Returned by hook registrations; ``remove()`` unregisters the hook."""

    _ids = itertools.count()

    def __init__(self, hooks_dict, *extra_dicts):
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.extra_dict_refs = [weakref.ref(d) for d in extra_dicts]
        self.id = next(RemovableHandle._ids)

    def remove(self):
        for ref in [self.hooks_dict_ref, *self.extra_dict_refs]:
            hooks = ref()
            if hooks is not None:
                hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class _HookDict(dict):
    """A dict that can be weakly referenced (handles point at it)."""


class Node:
    """Base class of every backward function in the graph."""

    # Only the fields every node needs are slots; hooks and metadata are rare, so
    # they default to None at class level and land in a per-node __dict__ when set.
    __slots__ = ("next_functions", "_seq", "__dict__", "__weakref__")

    _pre_hooks = None
    _post_hooks = None
    _tensor_pre_hooks = None     # output_nr -> _HookDict of tensor hooks
    _retain_grad_hooks = None    # output_nr -> weakref to the tensor
    _anomaly_trace = None
    # True once any pre-hook, tensor hook or retain_grad was registered here: the
    # engine tests this one flag per node instead of each kind of hook.
    _hooked = False

    def __init__(self, next_functions=()):
        self.next_functions = tuple(next_functions)
        self._seq = next(_sequence)

    @property
    def metadata(self):
        """A dict for the user's own annotations (created on first use)."""
        meta = self.__dict__.get("_metadata")
        if meta is None:
            meta = self.__dict__["_metadata"] = {}
        return meta

    def name(self):
        return type(self).__name__

    def __repr__(self):
        return f"<{self.name()} object at {hex(id(self))}>"

    def apply(self, grads, create_graph):
        """Map the gradients of this node's outputs to those of its inputs."""
        raise NotImplementedError

    def __call__(self, *grads):
        return self.apply(grads, False)

    def release(self):
        """Drop saved values once backward has used them (unless retain_graph)."""

    def register_hook(self, fn):
        """``fn(grad_inputs, grad_outputs)`` runs after this node computes its gradients."""
        if self._post_hooks is None:
            self._post_hooks = _HookDict()
        handle = RemovableHandle(self._post_hooks)
        self._post_hooks[handle.id] = fn
        return handle

    def register_prehook(self, fn):
        """``fn(grad_outputs)`` runs before this node; it may return replacement gradients."""
        if self._pre_hooks is None:
            self._pre_hooks = _HookDict()
        self._hooked = True
        handle = RemovableHandle(self._pre_hooks)
        self._pre_hooks[handle.id] = fn
        return handle

    def _add_tensor_pre_hook(self, output_nr, fn):
        if self._tensor_pre_hooks is None:
            self._tensor_pre_hooks = {}
        self._hooked = True
        hooks = self._tensor_pre_hooks.setdefault(output_nr, _HookDict())
        handle = RemovableHandle(hooks)
        hooks[handle.id] = fn
        return handle


_LEAF_PRIORITY = float("inf")


class AccumulateGrad(Node):
    """The sink for a leaf tensor: adds the arriving gradient into ``variable.grad``."""

    __slots__ = ("variable",)

    def __init__(self, variable):
        # A leaf's accumulator lives as long as some graph uses it, so every training
        # step makes new ones: the fields are set directly rather than via Node.__init__.
        self.next_functions = ()
        self.variable = variable
        # Leaves are accumulated as soon as they are ready, like torch (max priority).
        self._seq = _LEAF_PRIORITY

    def apply(self, grads, create_graph):
        _engine.accumulate_into_grad(self.variable, grads[0], create_graph)
        return ()


from . import _engine  # noqa: E402  (the engine imports this module first)
