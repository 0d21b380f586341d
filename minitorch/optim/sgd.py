"""SGD: stochastic gradient descent with optional momentum, dampening and Nesterov."""
from .._tensor import Tensor
from .optimizer import (Optimizer, _add_scaled_, _check_kernel_options, _check_lr, _closure_loss,
                        _lr_value, _use_grad_for_differentiable)

__all__ = ["SGD", "sgd"]


class SGD(Optimizer):
    """torch.optim.SGD: p -= lr * (momentum-averaged) gradient."""

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
                 nesterov=False, *, maximize=False, foreach=None, differentiable=False,
                 fused=None):
        _check_lr(lr)
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        _check_kernel_options(foreach, fused, differentiable)
        defaults = dict(lr=lr, momentum=momentum, dampening=dampening,
                        weight_decay=weight_decay, nesterov=nesterov, maximize=maximize,
                        foreach=foreach, differentiable=differentiable, fused=fused)
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            for key, value in (("nesterov", False), ("maximize", False), ("foreach", None),
                               ("differentiable", False), ("fused", False)):
                group.setdefault(key, value)

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """One SGD update of every parameter that has a gradient."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            momentum = group["momentum"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p] if momentum != 0 else {}
                buf = sgd(p, p.grad, state.get("momentum_buffer"), lr=_lr_value(group["lr"]),
                          momentum=momentum, dampening=group["dampening"],
                          weight_decay=group["weight_decay"], nesterov=group["nesterov"],
                          maximize=group["maximize"])
                if momentum != 0:
                    state["momentum_buffer"] = buf
        return loss


def sgd(param, grad, momentum_buffer, *, lr, momentum, dampening, weight_decay, nesterov,
        maximize):
    """Update one parameter in place; returns the (new) momentum buffer.

    g = grad (+ weight_decay * p); b = momentum * b + (1 - dampening) * g;
    g = g + momentum * b if nesterov else b; p -= lr * g
    """
    grad = -grad if maximize else grad
    if weight_decay != 0:
        grad = grad.add(param, alpha=weight_decay) if not isinstance(weight_decay, Tensor) \
            else grad + param * weight_decay
    if momentum != 0:
        if momentum_buffer is None:
            # the first step starts the average at the gradient itself, without dampening
            momentum_buffer = grad.detach().clone()
        else:
            momentum_buffer.mul_(momentum).add_(grad, alpha=1 - dampening)
        grad = grad.add(momentum_buffer, alpha=momentum) if nesterov else momentum_buffer
    _add_scaled_(param, grad, -lr)
    return momentum_buffer
