"""Adadelta: step sizes from running averages of squared gradients and squared updates."""
import minitorch

from .optimizer import (Optimizer, _add_scaled_, _check_lr, _closure_loss, _lr_value,
                        _new_step_counter, _use_grad_for_differentiable, _view_as_real)

__all__ = ["Adadelta", "adadelta"]


class Adadelta(Optimizer):
    """torch.optim.Adadelta."""

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *,
                 capturable=False, maximize=False, differentiable=False):
        _check_lr(lr)
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = dict(lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, maximize=maximize,
                        capturable=capturable, foreach=foreach, differentiable=differentiable)
        super().__init__(params, defaults)

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """One Adadelta update of every parameter that has a gradient."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step_counter()
                    state["square_avg"] = minitorch.zeros_like(p)
                    state["acc_delta"] = minitorch.zeros_like(p)
                adadelta(p, p.grad, state, lr=_lr_value(group["lr"]), rho=group["rho"],
                         eps=group["eps"], weight_decay=group["weight_decay"],
                         maximize=group["maximize"])
        return loss


def adadelta(param, grad, state, *, lr, rho, eps, weight_decay, maximize):
    """Update one parameter and its state in place.

    v = rho v + (1 - rho) g^2; delta = sqrt(u + eps) / sqrt(v + eps) * g;
    u = rho u + (1 - rho) delta^2; p -= lr * delta
    """
    square_avg, acc_delta = state["square_avg"], state["acc_delta"]
    state["step"].add_(1)
    grad = -grad if maximize else grad
    if weight_decay != 0:
        grad = grad.add(param, alpha=weight_decay)
    param, grad, square_avg, acc_delta = _view_as_real(param, grad, square_avg, acc_delta)
    square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
    std = square_avg.add(eps).sqrt_()
    delta = acc_delta.add(eps).sqrt_().div_(std).mul_(grad)
    acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
    _add_scaled_(param, delta, -lr)
