"""Reverse-mode automatic differentiation (torch.autograd)."""
import numpy as np

from . import _engine, grad_mode, graph
from ._engine import run_backward
from .anomaly_mode import detect_anomaly, set_detect_anomaly, is_anomaly_enabled
from .grad_mode import (enable_grad, inference_mode, is_grad_enabled,
                        is_inference_mode_enabled, no_grad, set_grad_enabled)

__all__ = ["backward", "grad", "no_grad", "enable_grad", "set_grad_enabled", "inference_mode",
           "is_grad_enabled", "detect_anomaly", "set_detect_anomaly", "Function", "gradcheck",
           "gradgradcheck", "functional", "graph", "Variable"]


def _as_tuple(x):
    if x is None:
        return None
    if isinstance(x, _engine.Tensor):
        return (x,)
    return tuple(x)


def _make_grads(outputs, grad_outputs, create_graph):
    """Default each missing grad_output to ones for scalar outputs, and validate shapes."""
    Tensor = _engine.Tensor
    if len(grad_outputs) < len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grad_outputs)} gradients")
    grads = []
    # Extra grad_outputs are ignored, as torch's zip does.
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if g is None:
            # An output that doesn't require grad fails later, in the engine, as in torch.
            if out._requires_grad and out._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if out._requires_grad and out._data.dtype.kind != "f":
                raise RuntimeError("grad can be implicitly created only for real scalar "
                                   f"outputs but got {out.dtype}")
            # (np.array, not np.ones: its Python wrapper costs more than the value)
            g = Tensor._make(np.array(1, out._data.dtype).reshape(out._data.shape))
        elif not isinstance(g, Tensor):
            raise TypeError(f"gradients can be either Tensors or None, but got "
                            f"{type(g).__name__}")
        elif g._data.shape != out._data.shape:
            raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of "
                               f"{g.shape} and output[{i}] has a shape of {out.shape}.")
        elif g.is_complex() != out.is_complex():
            raise RuntimeError(f"For complex Tensors, both grad_output and output are required "
                               f"to have the same dtype. Mismatch in dtype: grad_output[{i}] has "
                               f"a dtype of {g.dtype} and output[{i}] has a dtype of "
                               f"{out.dtype}.")
        grads.append(g)
    return grads


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False,
             grad_variables=None, inputs=None):
    """Accumulate gradients of ``tensors`` into the ``.grad`` of graph leaves (or ``inputs``)."""
    tensors = _as_tuple(tensors)
    if grad_tensors is None:
        grad_tensors = [None] * len(tensors)
    else:
        grad_tensors = list(_as_tuple(grad_tensors))
    if retain_graph is None:
        retain_graph = create_graph
    inputs = _as_tuple(inputs)
    if inputs is not None and len(inputs) == 0:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    grads = _make_grads(tensors, grad_tensors, create_graph)
    run_backward(tensors, grads, retain_graph, create_graph, inputs=inputs, accumulate=True)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """Return the gradients of ``outputs`` w.r.t. ``inputs`` without touching ``.grad``."""
    if is_grads_batched:
        raise NotImplementedError("minitorch does not support the 'is_grads_batched' argument")
    from .._tensor import Tensor
    single_input = isinstance(inputs, Tensor)
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    else:
        grad_outputs = list(_as_tuple(grad_outputs))
    if allow_unused is None:
        allow_unused = materialize_grads
    if retain_graph is None:
        retain_graph = create_graph
    grads = _make_grads(outputs, grad_outputs, create_graph)
    result = run_backward(outputs, grads, retain_graph, create_graph, inputs=inputs,
                          accumulate=False, allow_unused=allow_unused)
    if materialize_grads:
        from .. import zeros_like
        result = tuple(g if g is not None else zeros_like(x) for g, x in zip(result, inputs))
    return result


def Variable(data, requires_grad=False, volatile=False):
    """The pre-0.4 Variable wrapper: returns the tensor itself (optionally requiring grad)."""
    if requires_grad:
        data.requires_grad_(True)
    return data


from .function import Function  # noqa: E402
from .gradcheck import gradcheck, gradgradcheck  # noqa: E402
from . import functional  # noqa: E402
