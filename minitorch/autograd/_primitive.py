"""Primitives: the table of differentiable operations and the code that records them.

A primitive pairs a NumPy forward with its backward rules, declared together::

    defprim("mul", "MulBackward0", forward=np.multiply,
            grads=(lambda F, g, out, a, b: g * F.conj(b),
                   lambda F, g, out, a, b: g * F.conj(a)))

Every primitive lands in ``PRIMITIVES``: that registry *is* the derivatives
table, and the parity suite walks it so that no primitive goes untested.

A rule receives ``F`` (a namespace of functions), the gradient of the output
``g``, the output ``out`` (if saved), the inputs and the primitive's keyword
parameters. On a plain ``backward()`` ``F`` is NumPy and the values are arrays;
with ``create_graph=True`` ``F`` is minitorch itself and the values are
Tensors, so the same rule records a differentiable graph of the gradient.
Rules return the gradient in the *broadcast* shape; the engine sums it back to
the input's shape and dtype (one place, not every rule).
"""
import re
import traceback

import numpy as np

from . import grad_mode
from .anomaly_mode import _anomaly_state
from .graph import FREED_GRAPH_MESSAGE, Node, _sequence

__all__ = ["Primitive", "defprim", "apply", "PRIMITIVES"]

PRIMITIVES = {}

Tensor = None  # set by minitorch._tensor once the class exists (avoids an import cycle)

# Test-suite hook: when set, called as observer(kind, prim) with kind "call" or
# "backward" (the parity suite uses it to check that every primitive is tested).
observer = None

_state = grad_mode._state
_new = object.__new__


class Primitive:
    """One differentiable operation: NumPy forward plus one backward rule per input."""

    def __init__(self, name, node_name, forward, grads=None, vjp=None, saves=None,
                 save_output=False, num_outputs=1, is_view=False):
        if (grads is None) == (vjp is None) and not (grads is None and vjp is None):
            raise ValueError("give per-input grads or one vjp, not both")
        self.name = name
        self.forward = forward
        self.grads = grads
        self.vjp = vjp
        # Which inputs the backward needs (indices); None means all of them.
        self.saves = saves
        self.save_output = save_output
        self.num_outputs = num_outputs
        self.is_view = is_view
        # one output that is not a view: apply's fast path
        self.plain = num_outputs == 1 and not is_view
        self.node_class = type(node_name, (PrimNode,), {"__slots__": ()})
        self.differentiable = grads is not None or vjp is not None

    def __repr__(self):
        return f"Primitive({self.name!r}, {self.node_class.__name__})"


def defprim(name, node_name, forward, grads=None, vjp=None, **options):
    """Declare a primitive and put it in the table."""
    if name in PRIMITIVES:
        raise ValueError(f"primitive {name!r} is already defined")
    prim = Primitive(name, node_name, forward, grads=grads, vjp=vjp, **options)
    PRIMITIVES[name] = prim
    return prim


class _Meta:
    """Stands in for an input the rule did not ask to save: shape only."""

    __slots__ = ("shape", "ndim")

    def __init__(self, shape):
        self.shape = shape
        self.ndim = len(shape)

    def __array__(self, *args, **kwargs):
        # Without this, NumPy would silently wrap the stand-in in an object array.
        raise TypeError("a backward rule used the value of an input it did not save; "
                        "list that input in the primitive's saves=(...)")


_METAS = {}


def _meta(shape):
    """The (immutable, so shareable) stand-in for an unsaved input of ``shape``: one per
    shape, as a backward would otherwise build one per unsaved input of every node."""
    meta = _METAS.get(shape)
    if meta is None:
        if len(_METAS) > 4096:
            _METAS.clear()  # programs with ever-changing shapes: don't grow without bound
        meta = _METAS[shape] = _Meta(shape)
    return meta


class PrimNode(Node):
    """The grad_fn of a primitive call; subclassed per primitive for torch's class names.

    ``inputs`` holds one ``(tensor, version, shape, dtype)`` per input: the Tensor
    and its version counter at record time if a rule reads it (else None and 0),
    and the shape and dtype its gradient must have.
    """

    __slots__ = ("prim", "params", "inputs", "holds_tensors", "out", "out_cells",
                 "out_versions", "released", "output_meta")

    @property
    def needs_input_grad(self):
        return tuple(fn is not None for fn, _nr in self.next_functions)

    def apply(self, grads, create_graph):
        prim = self.prim
        if observer is not None:
            observer("backward", prim)
        if self.released:
            raise RuntimeError(FREED_GRAPH_MESSAGE)
        if create_graph:
            return self._apply_building_graph(grads)
        # A plain backward: everything is an ndarray and F is NumPy. This runs once
        # per node of every backward, hence the inlined loops.
        inputs = self.inputs
        args = []
        for t, version, shape, _dtype in inputs:
            if t is None:
                args.append(_meta(shape))
            else:
                if t._version_cell[0] != version:
                    _check_version(t, version, self)
                args.append(t._data)
        out = self.out
        if out is not None:
            if prim.num_outputs != 1 or self.out_cells[0] != self.out_versions:
                out = self._unpack_output(False)  # several outputs, or a version error
        g = grads[0] if prim.num_outputs == 1 else tuple(self._zeros_for_missing(grads, False))
        params = self.params
        edges = self.next_functions
        result = []
        if prim.vjp is None:
            # One rule per input, each gradient fitted as soon as it is computed.
            for rule, (fn, _nr), (_t, _version, shape, dtype) in zip(prim.grads, edges, inputs):
                gi = None if fn is None else rule(numpy_namespace, g, out, *args, **params)
                if gi is not None and (type(gi) is not np.ndarray or gi.shape != shape
                                       or gi.dtype != dtype):
                    gi = _fit_to_input(gi, shape, dtype, False)
                result.append(gi)
            return result
        raw = prim.vjp(numpy_namespace, g, out, *args, **params)
        for gi, (fn, _nr), (_t, _version, shape, dtype) in zip(raw, edges, inputs):
            if gi is None or fn is None:
                gi = None
            elif type(gi) is not np.ndarray or gi.shape != shape or gi.dtype != dtype:
                gi = _fit_to_input(gi, shape, dtype, False)
            result.append(gi)
        return result

    def _apply_building_graph(self, grads):
        """create_graph=True: the rules run on Tensors with F = minitorch, recording a graph."""
        prim = self.prim
        args = []
        for t, version, shape, _dtype in self.inputs:
            if t is None:
                args.append(_meta(shape))
            else:
                if t._version_cell[0] != version:
                    _check_version(t, version, self)
                args.append(t)
        out = self._unpack_output(True)
        g = grads[0] if prim.num_outputs == 1 else tuple(self._zeros_for_missing(grads, True))
        F = _tensor_namespace()
        params = self.params
        needs = self.needs_input_grad
        if prim.vjp is not None:
            raw = prim.vjp(F, g, out, *args, **params)
        else:
            raw = [rule(F, g, out, *args, **params) if need else None
                   for rule, need in zip(prim.grads, needs)]
        return [None if gi is None or not need else _fit_to_input(gi, shape, dtype, True)
                for gi, need, (_t, _v, shape, dtype) in zip(raw, needs, self.inputs)]

    def _unpack_output(self, create_graph):
        """The saved output(s): arrays, or Tensors that are outputs of this node again."""
        out = self.out
        if out is None:
            return None
        if self.prim.num_outputs == 1:
            if self.out_cells[0] != self.out_versions:
                _check_version(self._output_tensor(out, self.out_cells, 0), self.out_versions,
                               self)
            return self._output_tensor(out, self.out_cells, 0) if create_graph else out
        for i, (cell, version) in enumerate(zip(self.out_cells, self.out_versions)):
            if cell[0] != version:
                _check_version(self._output_tensor(out[i], cell, i), version, self)
        if create_graph:
            return tuple(self._output_tensor(a, cell, i)
                         for i, (a, cell) in enumerate(zip(out, self.out_cells)))
        return out

    def _output_tensor(self, data, version_cell, output_nr):
        """A Tensor for a saved output: its data and version counter, this node its grad_fn
        (as torch unpacks a saved output, so double backward goes through this node)."""
        t = Tensor._make(data)
        t._version_cell = version_cell
        if data.dtype.kind in _DIFFERENTIABLE_KINDS:
            t._grad_fn = self
            t._output_nr = output_nr
            t._requires_grad = True
        return t

    def _zeros_for_missing(self, grads, create_graph):
        """Outputs nobody used get zero gradients; ops whose output count varies per
        call (split) know it from the recorded output metadata."""
        grads = list(grads) + [None] * (len(self.output_meta) - len(grads))
        for i, g in enumerate(grads):
            if g is None:
                shape, dt = self.output_meta[i]
                if create_graph:
                    g = Tensor._make(np.zeros(shape, dt))
                else:
                    g = np.zeros(shape, dt)
            yield g

    def release(self):
        if self.out is None and not self.holds_tensors:
            return  # nothing saved: a second backward through this node is fine
        self.released = True
        # Parameters can hold arrays a rule reuses (GELU's cdf); once backward has
        # run and the node refuses a second pass, nothing reads them again.
        self.params = {}
        self.inputs = ()
        self.out = None

    @property
    def _saved_tensors(self):
        if self.released:
            raise RuntimeError(FREED_GRAPH_MESSAGE)
        return tuple(t for t, _v, _s, _d in self.inputs if t is not None)


def _check_version(t, expected, node):
    if t._version_cell[0] != expected:
        where = ""
        if t._grad_fn is not None:
            # torch names the op without its "Backward<N>" suffix here.
            op = re.sub(r"Backward\d*$", "", t._grad_fn.name())
            where = f", which is output {t._output_nr} of {op},"
        raise RuntimeError(
            "one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: [{t.type()} {list(t.shape)}]{where} is at version "
            f"{t._version_cell[0]}; expected version {expected} instead. Hint: enable anomaly "
            "detection to find the operation that failed to compute its gradient, with "
            "torch.autograd.set_detect_anomaly(True, check_nan=False).")


def _fit_to_input(g, shape, np_dtype, create_graph):
    """Sum a broadcast gradient back to the input's shape and cast to its dtype."""
    if create_graph:
        if not isinstance(g, Tensor):
            g = Tensor._make(np.asarray(g))
        if tuple(g.shape) != shape:
            g = _sum_to_shape_tensor(g, shape)
        if g._data.dtype != np_dtype:
            from .._dtype import _BY_NUMPY
            g = (g.real if g.is_complex() and np_dtype.kind != "c" else g).to(_BY_NUMPY[np_dtype])
        return g
    if type(g) is not np.ndarray:
        g = np.asarray(g)
    if g.shape != shape:
        g = sum_to_shape(g, shape)
    if g.dtype != np_dtype:
        if g.dtype.kind == "c" and np_dtype.kind != "c":
            g = g.real
        g = g.astype(np_dtype)
    return g


def _sum_to_shape_tensor(g, shape):
    """Like :func:`sum_to_shape` but with differentiable minitorch ops (create_graph)."""
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1)
    if axes:
        g = _tensor_namespace().sum(g, axes, True)
    if lead:
        g = g.reshape(shape)
    return g


def sum_to_shape(g, shape):
    """Reduce a gradient of broadcast shape to ``shape`` (NumPy arrays)."""
    lead = g.ndim - len(shape)
    axes = list(range(lead))
    g_shape = g.shape
    for i, n in enumerate(shape):
        if n == 1 and g_shape[lead + i] != 1:
            axes.append(lead + i)
    if axes:
        # what ndarray.sum calls, without its Python wrapper
        g = np.add.reduce(g, axis=tuple(axes), keepdims=True)
    if lead:
        g = g.reshape(shape)
    return g


class _NumpyNamespace:
    """``F`` for plain backward: NumPy implementations under torch's function names.

    Op modules register what their rules use with :func:`numpy_rule_op`; the
    Tensor-mode twin of each name is the public minitorch function of that name.
    """

    def __repr__(self):
        return "<gradient namespace: numpy>"


numpy_namespace = _NumpyNamespace()


def numpy_rule_op(name=None):
    """Register a NumPy implementation of a minitorch function for use inside rules."""
    def register(fn):
        setattr(numpy_namespace, name or fn.__name__, staticmethod(fn).__func__)
        return fn
    return register


_TENSOR_NS = None


def _tensor_namespace():
    global _TENSOR_NS
    if _TENSOR_NS is None:
        import minitorch
        _TENSOR_NS = minitorch
    return _TENSOR_NS


def _edge(t):
    """The graph edge a tensor feeds into: its grad_fn, or its leaf accumulator."""
    if t._base is not None:
        t._refresh_view_history()
    fn = t._grad_fn
    if fn is not None:
        return (fn, t._output_nr)
    if t._requires_grad:
        return (t._grad_accumulator(), 0)
    return _NO_EDGE


_NO_EDGE = (None, 0)


_DIFFERENTIABLE_KINDS = frozenset("fc")


def apply(prim, *inputs, **params):
    """Run ``prim`` on Tensors, recording a node when any input requires grad."""
    if observer is not None:
        observer("call", prim)
    # Every op call passes here: one and two inputs skip building a list.
    n = len(inputs)
    if n == 1:
        arrays = (inputs[0]._data,)
    elif n == 2:
        arrays = (inputs[0]._data, inputs[1]._data)
    else:
        arrays = tuple([t._data for t in inputs])
    try:
        out = prim.forward(*arrays, **params)
    except ValueError as error:
        raise _broadcast_error(error, inputs) from None
    record = False
    if prim.differentiable and _state.enabled:
        for t in inputs:
            if t._requires_grad:
                record = True
                break
    if prim.plain:
        # One output that is not a view: the common case, with Tensor._make inlined.
        if type(out) is not np.ndarray:
            out = np.asarray(out)
        result = _new(Tensor)
        result._data = out
        result._output_nr = 0
        result._version_cell = [0]
        result._base = None
        if record and out.dtype.kind in _DIFFERENTIABLE_KINDS:
            result._grad_fn = _record(prim, inputs, arrays, params, (result,))
            result._requires_grad = True
        else:
            result._grad_fn = None
            result._requires_grad = False
        return result
    if prim.num_outputs == 1:
        if type(out) is not np.ndarray:
            out = np.asarray(out)
        result = Tensor._make(out)
        result._become_view_of(inputs[0], prim, params)
        if record and out.dtype.kind in _DIFFERENTIABLE_KINDS:
            result._grad_fn = _record(prim, inputs, arrays, params, (result,))
            result._requires_grad = True
        return result
    results = tuple(Tensor._make(o if type(o) is np.ndarray else np.asarray(o)) for o in out)
    if prim.is_view:
        for r in results:
            r._become_view_of(inputs[0], prim, params)
    if record and any(r._data.dtype.kind in _DIFFERENTIABLE_KINDS for r in results):
        node = _record(prim, inputs, arrays, params, results)
        for i, r in enumerate(results):
            if r._data.dtype.kind in _DIFFERENTIABLE_KINDS:
                r._grad_fn = node
                r._output_nr = i
                r._requires_grad = True
    return results


def _broadcast_error(error, inputs):
    """NumPy's broadcasting ValueError as torch's RuntimeError (other errors unchanged)."""
    if "broadcast" not in str(error):
        return error
    shapes = [t._data.shape for t in inputs]
    n = max(len(s) for s in shapes)
    shapes = [(1,) * (n - len(s)) + s for s in shapes]
    for i, a in enumerate(shapes):
        for b in shapes[i + 1:]:
            for dim in reversed(range(n)):
                if a[dim] != b[dim] and a[dim] != 1 and b[dim] != 1:
                    return RuntimeError(
                        f"The size of tensor a ({a[dim]}) must match the size of tensor b "
                        f"({b[dim]}) at non-singleton dimension {dim}")
    return error


# Calling a primitive records it: ``prim(x, y, **params)`` is ``apply(prim, x, y, **params)``.
Primitive.__call__ = apply


def _record(prim, inputs, arrays, params, outputs):
    """Create the graph node for one primitive call, saving only what its rules read."""
    node = _new(prim.node_class)
    saves = prim.saves
    # One pass over the inputs collects what backward needs about them.
    edges, info = [], []
    holds_tensors = False
    i = 0
    for t in inputs:
        fn = t._grad_fn
        if t._base is not None:
            edges.append(_edge(t))
        elif fn is not None:
            edges.append((fn, t._output_nr))
        elif t._requires_grad:
            # t._grad_accumulator(), inlined: the accumulator is usually alive already
            ref = t._accumulator_ref
            accumulator = ref() if ref is not None else None
            edges.append((accumulator or t._grad_accumulator(), 0))
        else:
            edges.append(_NO_EDGE)
        data = arrays[i]
        if saves is None or i in saves:
            info.append((t, t._version_cell[0], data.shape, data.dtype))
            holds_tensors = True
        else:
            info.append((None, 0, data.shape, data.dtype))
        i += 1
    node.next_functions = tuple(edges)
    node._seq = next(_sequence)
    node.prim = prim
    node.params = params
    node.inputs = info
    node.holds_tensors = holds_tensors
    node.released = False
    if prim.save_output:
        # The node keeps the outputs' arrays and version counters, not the output
        # Tensors: those point back at the node, and the cycle would keep every
        # graph alive until Python's cycle collector runs (torch avoids it too).
        if len(outputs) == 1:
            node.out = outputs[0]._data
            node.out_cells = outputs[0]._version_cell
            node.out_versions = outputs[0]._version_cell[0]
        else:
            node.out = tuple(o._data for o in outputs)
            node.out_cells = tuple(o._version_cell for o in outputs)
            node.out_versions = tuple(o._version_cell[0] for o in outputs)
    else:
        node.out = None
    node.output_meta = ([(o._data.shape, o._data.dtype) for o in outputs]
                        if prim.num_outputs != 1 else None)
    if _anomaly_state.enabled:
        node._anomaly_trace = "".join(traceback.format_stack()[:-3])
    return node
