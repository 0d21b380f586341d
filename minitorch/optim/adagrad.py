"""Adagrad: per-coordinate step sizes shrinking with the sum of squared gradients."""
import minitorch

from .optimizer import (Optimizer, _check_kernel_options, _check_lr, _check_nonnegative,
                        _closure_loss, _get_value, _lr_value, _new_step_counter,
                        _use_grad_for_differentiable, _view_as_real)

__all__ = ["Adagrad", "adagrad"]


class Adagrad(Optimizer):
    """torch.optim.Adagrad (its state exists from construction, as in torch)."""

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
                 eps=1e-10, foreach=None, *, maximize=False, differentiable=False, fused=None):
        _check_lr(lr)
        _check_nonnegative(lr_decay, "lr_decay")
        _check_nonnegative(weight_decay, "weight_decay")
        _check_nonnegative(initial_accumulator_value, "initial_accumulator_value")
        _check_nonnegative(eps, "epsilon")
        _check_kernel_options(foreach, fused, differentiable)
        defaults = dict(lr=lr, lr_decay=lr_decay, eps=eps, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, fused=fused)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = _new_step_counter(group["fused"])
                init = group["initial_accumulator_value"]
                # a complex entry accumulates its real and imaginary parts separately
                state["sum"] = minitorch.full_like(p, complex(init, init) if p.is_complex()
                                                   else init)

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """One Adagrad update of every parameter that has a gradient."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                adagrad(p, p.grad, self.state[p], lr=_lr_value(group["lr"]),
                        lr_decay=group["lr_decay"], weight_decay=group["weight_decay"],
                        eps=group["eps"], maximize=group["maximize"])
        return loss


def adagrad(param, grad, state, *, lr, lr_decay, weight_decay, eps, maximize):
    """Update one parameter and its state in place.

    clr = lr / (1 + (t - 1) * lr_decay); s += g^2; p -= clr * g / (sqrt(s) + eps)
    """
    state["step"].add_(1)
    step = _get_value(state["step"])
    grad = -grad if maximize else grad
    if weight_decay != 0:
        grad = grad.add(param, alpha=weight_decay)
    clr = lr / (1 + (step - 1) * lr_decay)
    param, grad, state_sum = _view_as_real(param, grad, state["sum"])
    state_sum.addcmul_(grad, grad, value=1)
    std = state_sum.sqrt().add_(eps)
    param.addcdiv_(grad, std, value=_get_value(-clr))
