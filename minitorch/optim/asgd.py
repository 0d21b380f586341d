"""ASGD: averaged stochastic gradient descent (keeps a running average of the iterates)."""
import minitorch

from .optimizer import (Optimizer, _check_lr, _check_nonnegative, _closure_loss, _get_value,
                        _lr_value, _scalar_dtype, _to_scalar, _use_grad_for_differentiable,
                        _view_as_real)

__all__ = ["ASGD", "asgd"]


class ASGD(Optimizer):
    """torch.optim.ASGD."""

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0,
                 foreach=None, maximize=False, differentiable=False, capturable=False):
        _check_lr(lr)
        _check_nonnegative(weight_decay, "weight_decay")
        defaults = dict(lr=lr, lambd=lambd, alpha=alpha, t0=t0, weight_decay=weight_decay,
                        foreach=foreach, maximize=maximize, differentiable=differentiable,
                        capturable=capturable)
        super().__init__(params, defaults)

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """One ASGD update of every parameter that has a gradient."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if getattr(p.grad, "is_sparse", False):
                    raise RuntimeError("ASGD does not support sparse gradients")
                state = self.state[p]
                if len(state) == 0:
                    dtype = _scalar_dtype()
                    state["step"] = minitorch.zeros((), dtype=dtype)
                    state["eta"] = minitorch.tensor(float(_to_scalar(group["lr"])), dtype=dtype)
                    state["mu"] = minitorch.ones((), dtype=dtype)
                    state["ax"] = minitorch.zeros_like(p)
                asgd(p, p.grad, state, lr=_lr_value(group["lr"]), lambd=group["lambd"],
                     alpha=group["alpha"], t0=group["t0"], weight_decay=group["weight_decay"],
                     maximize=group["maximize"])
        return loss


def asgd(param, grad, state, *, lr, lambd, alpha, t0, weight_decay, maximize):
    """Update one parameter and its state in place.

    p = p (1 - lambd eta) - eta g; ax += mu (p - ax);
    eta = lr / (1 + lambd lr t)^alpha; mu = 1 / max(1, t - t0)
    """
    grad = -grad if maximize else grad
    mu, ax, eta = state["mu"], state["ax"], state["eta"]
    state["step"].add_(1)
    if weight_decay != 0:
        grad = grad.add(param, alpha=weight_decay)
    param, grad, ax = _view_as_real(param, grad, ax)
    # eta is kept as a tensor in the state, so its rounding is the state dtype's
    eta_value = _get_value(eta)
    param.mul_(1 - lambd * eta_value)
    param.add_(grad, alpha=-eta_value)
    if mu.item() != 1:
        ax.add_(param.sub(ax).mul_(mu))
    else:
        ax.copy_(param)
    step = _get_value(state["step"])
    eta.copy_(minitorch.as_tensor(lr / ((1 + lambd * lr * step) ** alpha)))
    mu.copy_(minitorch.as_tensor(1 / max(1, step - t0)))
