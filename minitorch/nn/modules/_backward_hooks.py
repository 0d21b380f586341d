"""Module full backward hooks: ``hook(module, grad_input, grad_output)``.

As in torch, the module's tensor inputs and outputs pass through identity
autograd Functions. The one on the outputs sees ``grad_output`` first (and runs
the backward *pre*-hooks, which may replace it); the one on the inputs then sees
``grad_input`` and runs the full backward hooks, which may replace it.
"""
from ..._tensor import Tensor
from ...autograd.function import Function

__all__ = ["BackwardHook"]


class _Identity(Function):
    """Passes tensors through unchanged; its backward hands the gradients to a callback."""

    @staticmethod
    def forward(ctx, on_backward, *tensors):
        ctx.on_backward = on_backward
        outputs = tuple(t.view_as(t) for t in tensors)
        # Tensors that did not require grad stay that way (their grad arrives as zeros).
        ctx.mark_non_differentiable(*[o for o, t in zip(outputs, tensors)
                                      if not t.requires_grad])
        return outputs

    @staticmethod
    def backward(ctx, *grads):
        return (None,) + tuple(ctx.on_backward(grads))


def _tensor_positions(values):
    return [i for i, v in enumerate(values) if isinstance(v, Tensor)]


class BackwardHook:
    """Wires one forward call of ``module`` so that its backward hooks fire."""

    def __init__(self, module):
        self.module = module
        self.grad_output = None
        self.n_inputs = 0
        self.inputs_wrapped = False

    def setup_input_hook(self, args):
        positions = _tensor_positions(args)
        self.n_inputs = len(positions)
        self.input_requires_grad = [args[i].requires_grad for i in positions]
        if not any(args[i].requires_grad for i in positions):
            return args
        wrap = positions
        self.inputs_wrapped = True
        self.wrapped_input_slots = [positions.index(i) for i in wrap]
        outputs = _Identity.apply(self._on_input_grads, *[args[i] for i in wrap])
        args = list(args)
        for i, t in zip(wrap, outputs):
            args[i] = t
        return tuple(args)

    def setup_output_hook(self, output):
        single = isinstance(output, Tensor)
        values = (output,) if single else output
        if not isinstance(values, (tuple, list)):
            return output
        wrap = [i for i in _tensor_positions(values) if values[i].requires_grad]
        if not wrap:
            return output
        self.n_outputs = len(_tensor_positions(values))
        self.output_slots = [_tensor_positions(values).index(i) for i in wrap]
        wrapped = _Identity.apply(self._on_output_grads, *[values[i] for i in wrap])
        values = list(values)
        for i, t in zip(wrap, wrapped):
            values[i] = t
        if single:
            return values[0]
        return type(output)(values) if isinstance(output, tuple) else values

    def _on_output_grads(self, grads):
        full = [None] * self.n_outputs
        for slot, g in zip(self.output_slots, grads):
            full[slot] = g
        grad_output = tuple(full)
        for hook in list(self.module._backward_pre_hooks.values()):
            result = hook(self.module, grad_output)
            if result is not None:
                grad_output = tuple(result)
        self.grad_output = grad_output
        if not self.inputs_wrapped:
            # No input needs a gradient: the hooks fire now, with grad_input all None.
            self._run_hooks(tuple([None] * self.n_inputs))
        return [grad_output[slot] for slot in self.output_slots]

    def _on_input_grads(self, grads):
        full = [None] * self.n_inputs
        for slot, g in zip(self.wrapped_input_slots, grads):
            full[slot] = g
        grad_input = self._run_hooks(tuple(full))
        return [grad_input[slot] for slot in self.wrapped_input_slots]

    def _run_hooks(self, grad_input):
        for hook in list(self.module._backward_hooks.values()):
            result = hook(self.module, grad_input, self.grad_output)
            if result is not None:
                result = tuple(result)
                if len(result) != len(grad_input):
                    raise RuntimeError(f"Backward hook returned an invalid number of grad_input, "
                                       f"got {len(result)}, but expected {len(grad_input)}")
                grad_input = result
        return grad_input
