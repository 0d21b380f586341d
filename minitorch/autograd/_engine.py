"""The backward engine: walks the graph by dependency counts, never by recursion.

1. Discover every node reachable from the roots and count, for each node, how
   many edges point at it (its dependencies).
2. If the caller asked for gradients of particular ``inputs``, keep only the
   nodes from which one of those inputs can be reached.
3. Start from the roots; a node runs once all its dependencies have delivered
   their gradient (summed in its input buffer). Among ready nodes, the one
   created last runs first, as in torch.

Gradients travel as NumPy arrays on a plain backward and as Tensors (building a
new graph) when ``create_graph=True``.
"""
import heapq
import itertools
import sys

import numpy as np

from .._quiet import quiet
from . import _primitive, anomaly_mode, grad_mode
from .graph import AccumulateGrad

__all__ = ["run_backward", "accumulate_into_grad"]

Tensor = None  # set by minitorch._tensor once the class exists (avoids an import cycle)


def run_backward(outputs, grad_outputs, retain_graph, create_graph, inputs=None,
                 accumulate=True, allow_unused=False):
    """Backpropagate ``grad_outputs`` from ``outputs``.

    With ``accumulate=True`` (``Tensor.backward``) gradients land in ``.grad``
    (only of ``inputs`` when given); otherwise (``autograd.grad``) the gradients
    of ``inputs`` are returned and no ``.grad`` is touched.
    """
    roots = [(_root_edge(out), _as_grad_value(g, create_graph))
             for out, g in zip(outputs, grad_outputs)]
    dependencies = _count_reachable_dependencies([node for (node, _nr), _g in roots])

    captures = _capture_points(inputs) if inputs is not None else None
    runnable = None
    if captures is not None:
        targets = {node for node, _nr in captures.values()}
        graph_nodes = set(dependencies).union(node for (node, _nr), _g in roots)
        wanted = _nodes_leading_to(graph_nodes, targets)
        dependencies = _count_dependencies(wanted)
        runnable = {n for n in wanted
                    if any(m in wanted for m, _ in n.next_functions if m is not None)}
        if accumulate:
            runnable |= {n for n in targets if isinstance(n, AccumulateGrad)}

    buffers = {}
    ready = []
    # Ties (every leaf accumulator has the same priority) go first-in first-out, so
    # hooks fire in a reproducible order rather than one depending on id().
    pushes = itertools.count()
    for (node, nr), g in roots:
        _add_to_buffer(buffers, node, nr, g)
    for node in {node: None for (node, _nr), _g in roots}:
        if dependencies.get(node, 0) == 0:
            heapq.heappush(ready, (-node._seq, next(pushes), node))

    captured = {}
    grad_state = grad_mode._state
    previous_mode = grad_state.enabled
    grad_state.enabled = create_graph
    try:
        _walk(ready, buffers, dependencies, pushes, retain_graph, create_graph,
              captures, runnable, inputs, captured, accumulate)
    finally:
        grad_state.enabled = previous_mode

    if accumulate:
        return None
    return _captured_results(inputs, captured, allow_unused)


# Backward math on inf/nan follows IEEE silently, as torch does.
@quiet
def _walk(ready, buffers, dependencies, pushes, retain_graph, create_graph,
          captures, runnable, inputs, captured, accumulate):
    """Run ready nodes (latest created first) until none is left.

    This loop runs once per node of every backward, so it reads each node's
    fields once and leaves rare work (hooks, captures, anomaly mode) to helpers.
    """
    heappush, heappop = heapq.heappush, heapq.heappop
    anomaly = anomaly_mode._anomaly_state
    no_grads = ()
    while ready:
        node = heappop(ready)[2]
        grads = buffers.pop(node, no_grads)
        if node._hooked or (type(node) is AccumulateGrad and node.variable._hooks):
            grads = _run_tensor_pre_hooks(node, grads, create_graph)
        if captures is not None:
            _capture(node, grads, captures, inputs, captured, accumulate, create_graph)
            if node not in runnable:
                continue
        if type(node) is AccumulateGrad and grads and not node._post_hooks \
                and not anomaly.enabled:
            # A leaf: nothing flows on, so only the accumulation itself is left to do.
            if grads[0] is not None:
                accumulate_into_grad(node.variable, grads[0], create_graph)
            continue
        next_functions = node.next_functions
        if (grads[0] is not None if len(grads) == 1 else
                any(g is not None for g in grads)):
            if anomaly.enabled:
                input_grads = anomaly_mode.apply_node(node, grads, create_graph)
            else:
                input_grads = node.apply(grads, create_graph)
            if node._post_hooks or anomaly.enabled:
                input_grads = _after_node(node, grads, input_grads, create_graph)
        else:
            input_grads = [None] * len(next_functions)
        if not retain_graph:
            node.release()
        for (next_node, nr), g in zip(next_functions, input_grads):
            if next_node is None:
                continue
            remaining = dependencies.get(next_node)
            if remaining is None:
                continue
            if g is not None:
                if nr == 0 and next_node not in buffers:
                    buffers[next_node] = [g]
                else:
                    _add_to_buffer(buffers, next_node, nr, g)
            if remaining == 1:
                heappush(ready, (-next_node._seq, next(pushes), next_node))
            else:
                dependencies[next_node] = remaining - 1
        # Drop the loop's own references to the gradients it handed on, so that a
        # leaf's accumulator can tell from the reference count that it alone holds one.
        input_grads = g = None


def _captured_results(inputs, captured, allow_unused):
    results = []
    for i in range(len(inputs)):
        g = captured.get(i)
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior.")
            results.append(None)
        else:
            results.append(g if isinstance(g, Tensor) else Tensor._make(np.asarray(g)))
    return tuple(results)


def _root_edge(out):
    if not out._requires_grad:
        raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
    return _primitive._edge(out)


def _as_grad_value(g, create_graph):
    if create_graph:
        return g
    return g._data


def _count_reachable_dependencies(start_nodes):
    """For every node reachable from the roots, how many edges point at it.

    A node is in the result once some edge reaches it, which also marks it as
    seen (the roots are marked up front, so each node's edges are counted once).
    """
    roots = dict.fromkeys(start_nodes)
    dependencies = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        for next_node, _nr in node.next_functions:
            if next_node is None:
                continue
            count = dependencies.get(next_node)
            if count is None:
                dependencies[next_node] = 1
                if next_node not in roots:
                    stack.append(next_node)
            else:
                dependencies[next_node] = count + 1
    return dependencies


def _nodes_leading_to(nodes, targets):
    """The subset of ``nodes`` from which some target can be reached (targets included)."""
    leads = {}
    # Iterative post-order so that deep graphs don't hit the recursion limit.
    for start in nodes:
        if start in leads:
            continue
        stack = [(start, False)]
        while stack:
            node, expanded = stack.pop()
            if node in leads:
                continue
            if expanded:
                leads[node] = node in targets or any(
                    leads.get(n, False) for n, _ in node.next_functions if n is not None)
                continue
            stack.append((node, True))
            for n, _ in node.next_functions:
                if n is not None and n not in leads:
                    stack.append((n, False))
    return {node for node, ok in leads.items() if ok}


def _count_dependencies(nodes):
    deps = {}
    for node in nodes:
        for next_node, _nr in node.next_functions:
            if next_node is not None and next_node in nodes:
                deps[next_node] = deps.get(next_node, 0) + 1
    return deps


def _add_to_buffer(buffers, node, nr, g):
    buf = buffers.get(node)
    if buf is None:
        size = max(nr + 1, 1)
        buf = buffers[node] = [None] * size
    elif len(buf) <= nr:
        buf.extend([None] * (nr + 1 - len(buf)))
    buf[nr] = g if buf[nr] is None else buf[nr] + g


def _capture_points(inputs):
    """Map input index -> (node, output_nr) where its gradient arrives."""
    _edge = _primitive._edge
    points = {}
    for i, t in enumerate(inputs):
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
        points[i] = _edge(t)
    return points


def _capture(node, grads, captures, inputs, captured, accumulate, create_graph):
    """Record gradients arriving where requested inputs feed the graph.

    ``autograd.grad`` returns them; ``backward(inputs=...)`` puts them into the
    ``.grad`` of non-leaf inputs (leaves accumulate when their node runs).
    """
    for i, (cnode, nr) in captures.items():
        if cnode is not node or nr >= len(grads) or grads[nr] is None:
            continue
        if not accumulate:
            captured[i] = grads[nr] if i not in captured else captured[i] + grads[nr]
        elif not isinstance(node, AccumulateGrad):
            accumulate_into_grad(inputs[i], grads[nr], create_graph)


def _run_tensor_pre_hooks(node, grads, create_graph):
    """Tensor hooks and retain_grad fire with the full gradient of that tensor."""
    grads = list(grads)
    tensor_hooks = node._tensor_pre_hooks or {}
    if isinstance(node, AccumulateGrad) and node.variable._hooks:
        tensor_hooks = {0: node.variable._hooks}
    for nr, hooks in tensor_hooks.items():
        for hook in list(hooks.values()):
            if nr >= len(grads) or grads[nr] is None:
                break
            g = grads[nr]
            result = hook(g if isinstance(g, Tensor) else Tensor._make(g))
            if result is not None:
                _check_tensor_hook_result(hook, result, g)
                grads[nr] = result if create_graph else result._data
    if node._retain_grad_hooks:
        for nr, ref in node._retain_grad_hooks.items():
            tensor = ref()
            if tensor is not None and nr < len(grads) and grads[nr] is not None:
                accumulate_into_grad(tensor, grads[nr], create_graph)
    if node._pre_hooks:
        wrapped = tuple(g if g is None or isinstance(g, Tensor) else Tensor._make(g)
                        for g in grads)
        for hook in list(node._pre_hooks.values()):
            result = hook(wrapped)
            if result is not None:
                wrapped = _check_node_hook_result(hook, result, len(wrapped))
        grads = [g if g is None or create_graph else g._data for g in wrapped]
    return grads


def _hook_name(hook):
    return getattr(hook, "__name__", repr(hook))


def _check_tensor_hook_result(hook, result, grad):
    """A tensor hook must return a Tensor of the gradient's shape (torch's checks)."""
    if not isinstance(result, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(result).__name__}'")
    if tuple(result.shape) != tuple(grad.shape):
        raise RuntimeError(f"hook '{_hook_name(hook)}' has changed the size of value")


def _check_node_hook_result(hook, result, expected):
    """A node hook must return a tuple with one entry per gradient it was given."""
    if not isinstance(result, (tuple, list)):
        raise TypeError(f"expected tuple, but hook returned '{type(result).__name__}'")
    if len(result) != expected:
        raise RuntimeError(f"hook '{_hook_name(hook)}' has returned an incorrect number of "
                           f"values (got {len(result)}, but expected {expected})")
    return tuple(result)


def _after_node(node, grads, input_grads, create_graph):
    """Anomaly checks and the node's post-hooks (which may replace its input grads)."""
    if anomaly_mode._anomaly_state.enabled:
        anomaly_mode.check_gradients(node, input_grads)
    if node._post_hooks:
        wrap = lambda seq: tuple(g if g is None or isinstance(g, Tensor) else Tensor._make(g)
                                 for g in seq)
        gin, gout = wrap(input_grads), wrap(grads)
        for hook in list(node._post_hooks.values()):
            result = hook(gin, gout)
            if result is not None:
                gin = _check_node_hook_result(hook, result, len(gin))
        input_grads = [g if g is None or create_graph else np.asarray(g._data) for g in gin]
    return input_grads


# References to a gradient array while _unshared looks at it during a plain backward:
# the engine's list of the node's gradients, accumulate_into_grad's and _unshared's
# parameters, and getrefcount's own argument. Any more, and someone else (another
# node's gradient buffer, a hook that kept it, a saved tensor) can see the array.
_OWN_REFERENCES = 4
# That count is CPython's up to 3.13; later versions may skip references held by the
# interpreter's stack, so there (and elsewhere) every first gradient is copied.
_COUNTS_ARE_KNOWN = sys.implementation.name == "cpython" and sys.version_info < (3, 14)


def _unshared(g, variable):
    """Whether the gradient array ``g`` can become ``variable``'s ``.grad`` without a copy.

    torch's AccumulateGrad steals the incoming gradient when nothing else refers to it
    and it already has the variable's layout; the reference count tells the same here.
    A view (the transpose a weight's gradient arrives as) qualifies when it covers the
    whole of a base that nothing else refers to.
    """
    if (not _COUNTS_ARE_KNOWN or g.dtype != variable.dtype or g.shape != variable.shape
            or not g.flags.writeable
            or (variable.flags.c_contiguous and not g.flags.c_contiguous)
            or sys.getrefcount(g) > _OWN_REFERENCES):
        return False
    base = g.base
    # base's references: g's own link to it, the local name and getrefcount's argument
    return base is None or (type(base) is np.ndarray and base.base is None
                            and base.nbytes == g.nbytes and sys.getrefcount(base) <= 3)


def accumulate_into_grad(tensor, g, create_graph):
    """Add ``g`` into ``tensor.grad`` as torch's AccumulateGrad does.

    The first gradient is adopted when nothing else refers to it, else copied (the
    same array may flow to several inputs); later ones are added in place, unless a graph is being built, in which case
    ``grad`` becomes a new differentiable tensor.
    """
    if create_graph:
        if not isinstance(g, Tensor):
            g = Tensor._make(g)
        tensor._grad = g if tensor._grad is None else tensor._grad + g
    elif tensor._grad is None:
        g = g._data if isinstance(g, Tensor) else g
        if _unshared(g, tensor._data):
            tensor._grad = Tensor._make(g)  # nobody else can see it: no copy needed
        else:
            # The copy takes the variable's layout (torch's AccumulateGrad does too), so
            # optimizer updates combine .grad and the parameter element by element.
            order = "C" if tensor._data.flags.c_contiguous else "K"
            tensor._grad = Tensor._make(np.array(g, dtype=tensor._data.dtype, copy=True,
                                                 order=order))
    else:
        g = g._data if isinstance(g, Tensor) else g
        current = tensor._grad
        if current._requires_grad:
            tensor._grad = Tensor._make(current._data + g)
        else:
            current._data += g
            current._version_cell[0] += 1
    hooks = tensor._post_accumulate_hooks
    if hooks:
        for hook in list(hooks.values()):
            hook(tensor)
