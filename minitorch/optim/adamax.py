"""Adamax: Adam with the infinity norm in place of the second moment."""
import minitorch

from .optimizer import (Optimizer, _check_betas, _check_lr, _check_nonnegative, _closure_loss,
                        _get_value, _lr_value, _new_step_counter,
                        _use_grad_for_differentiable, _view_as_real)

__all__ = ["Adamax", "adamax"]


class Adamax(Optimizer):
    """torch.optim.Adamax."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 foreach=None, *, maximize=False, differentiable=False, capturable=False):
        _check_lr(lr)
        _check_nonnegative(eps, "epsilon")
        _check_betas(betas)
        _check_nonnegative(weight_decay, "weight_decay")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize, differentiable=differentiable,
                        capturable=capturable)
        super().__init__(params, defaults)

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """One Adamax update of every parameter that has a gradient."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step_counter()
                    state["exp_avg"] = minitorch.zeros_like(p)
                    state["exp_inf"] = minitorch.zeros_like(p)
                adamax(p, p.grad, state, lr=_lr_value(group["lr"]), beta1=beta1, beta2=beta2,
                       eps=group["eps"], weight_decay=group["weight_decay"],
                       maximize=group["maximize"])
        return loss


def adamax(param, grad, state, *, lr, beta1, beta2, eps, weight_decay, maximize):
    """Update one parameter and its state in place.

    m = lerp(m, g, 1 - beta1); u = max(beta2 * u, |g| + eps); p -= lr / (1 - beta1^t) * m / u
    """
    grad = -grad if maximize else grad
    exp_avg, exp_inf = state["exp_avg"], state["exp_inf"]
    state["step"].add_(1)
    if weight_decay != 0:
        grad = grad.add(param, alpha=weight_decay)
    param, grad, exp_avg, exp_inf = _view_as_real(param, grad, exp_avg, exp_inf)
    exp_avg.lerp_(grad, 1 - beta1)
    exp_inf.copy_(minitorch.maximum(exp_inf.mul_(beta2), grad.abs().add_(eps)))
    clr = lr / (1 - beta1 ** _get_value(state["step"]))
    param.addcdiv_(exp_avg, exp_inf, value=_get_value(-clr))
