"""RMSprop: divide the gradient by a running root-mean-square of recent gradients."""
import minitorch

from .optimizer import (Optimizer, _add_scaled_, _check_lr, _check_nonnegative, _closure_loss,
                        _get_value, _lr_value, _new_step_counter, _use_grad_for_differentiable,
                        _view_as_real)

__all__ = ["RMSprop", "rmsprop"]


class RMSprop(Optimizer):
    """torch.optim.RMSprop (with centered and momentum variants)."""

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
                 centered=False, capturable=False, foreach=None, maximize=False,
                 differentiable=False):
        _check_lr(lr)
        _check_nonnegative(eps, "epsilon")
        _check_nonnegative(momentum, "momentum")
        _check_nonnegative(weight_decay, "weight_decay")
        _check_nonnegative(alpha, "alpha")
        defaults = dict(lr=lr, momentum=momentum, alpha=alpha, eps=eps, centered=centered,
                        weight_decay=weight_decay, capturable=capturable, foreach=foreach,
                        maximize=maximize, differentiable=differentiable)
        super().__init__(params, defaults)

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """One RMSprop update of every parameter that has a gradient."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step_counter()
                    state["square_avg"] = minitorch.zeros_like(p)
                    if group["momentum"] > 0:
                        state["momentum_buffer"] = minitorch.zeros_like(p)
                    if group["centered"]:
                        state["grad_avg"] = minitorch.zeros_like(p)
                rmsprop(p, p.grad, state, lr=_lr_value(group["lr"]), alpha=group["alpha"],
                        eps=group["eps"], weight_decay=group["weight_decay"],
                        momentum=group["momentum"], centered=group["centered"],
                        maximize=group["maximize"])
        return loss


def rmsprop(param, grad, state, *, lr, alpha, eps, weight_decay, momentum, centered, maximize):
    """Update one parameter and its state in place.

    v = alpha v + (1 - alpha) g^2; avg = sqrt(v - gbar^2 if centered else v) + eps;
    b = momentum b + g / avg, p -= lr b  (or p -= lr g / avg without momentum)
    """
    grad = -grad if maximize else grad
    square_avg = state["square_avg"]
    state["step"].add_(1)
    if weight_decay != 0:
        grad = grad.add(param, alpha=weight_decay)
    param, grad, square_avg, grad_avg, buf = _view_as_real(
        param, grad, square_avg, state.get("grad_avg"), state.get("momentum_buffer"))
    square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
    if centered:
        grad_avg.lerp_(grad, 1 - alpha)
        avg = (square_avg - grad_avg * grad_avg).sqrt_()
    else:
        avg = square_avg.sqrt()
    avg = avg.add_(eps)
    if momentum > 0:
        buf.mul_(momentum).addcdiv_(grad, avg)
        _add_scaled_(param, buf, -lr)
    else:
        param.addcdiv_(grad, avg, value=_get_value(-lr))
