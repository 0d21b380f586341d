"""Rprop: resilient backpropagation, per-coordinate steps driven by gradient signs only."""
import minitorch

from .optimizer import (Optimizer, _check_lr, _closure_loss, _new_step_counter, _to_scalar,
                        _use_grad_for_differentiable, _view_as_real)

__all__ = ["Rprop", "rprop"]


class Rprop(Optimizer):
    """torch.optim.Rprop."""

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        _check_lr(lr)
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        defaults = dict(lr=lr, etas=etas, step_sizes=step_sizes, foreach=foreach,
                        maximize=maximize, differentiable=differentiable, capturable=capturable)
        super().__init__(params, defaults)

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """One Rprop update of every parameter that has a gradient."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            etaminus, etaplus = group["etas"]
            step_size_min, step_size_max = group["step_sizes"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                if getattr(p.grad, "is_sparse", False):
                    raise RuntimeError("Rprop does not support sparse gradients")
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step_counter()
                    state["prev"] = minitorch.zeros_like(p)
                    lr = _to_scalar(group["lr"])
                    # complex entries: real and imaginary parts get their own step sizes
                    state["step_size"] = minitorch.full_like(
                        p.grad, complex(lr, lr) if p.is_complex() else lr)
                rprop(p, p.grad, state, step_size_min=step_size_min,
                      step_size_max=step_size_max, etaminus=etaminus, etaplus=etaplus,
                      maximize=group["maximize"])
        return loss


def rprop(param, grad, state, *, step_size_min, step_size_max, etaminus, etaplus, maximize):
    """Update one parameter and its state in place.

    Where the gradient kept its sign the step grows by etaplus, where it flipped it shrinks
    by etaminus (and that coordinate skips this step); p -= sign(g) * step_size.
    """
    grad = -grad if maximize else grad
    prev, step_size = state["prev"], state["step_size"]
    state["step"].add_(1)
    param, grad, prev, step_size = _view_as_real(param, grad, prev, step_size)
    sign = grad.mul(prev).sign()
    sign[sign.gt(0)] = etaplus
    sign[sign.lt(0)] = etaminus
    sign[sign.eq(0)] = 1
    step_size.mul_(sign).clamp_(step_size_min, step_size_max)
    # a flipped sign means the last step overshot: forget this gradient
    grad = grad.clone()
    grad[sign.eq(etaminus)] = 0
    param.addcmul_(grad.sign(), step_size, value=-1)
    prev.copy_(grad)
