"""NAdam: Adam with Nesterov momentum (and momentum decay, as in Dozat's paper)."""
import minitorch

from .optimizer import (Optimizer, _check_betas, _check_lr, _check_nonnegative, _closure_loss,
                        _get_value, _lr_value, _new_step_counter, _scalar_dtype,
                        _use_grad_for_differentiable, _view_as_real)

__all__ = ["NAdam", "nadam"]


class NAdam(Optimizer):
    """torch.optim.NAdam."""

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 momentum_decay=4e-3, decoupled_weight_decay=False, *, foreach=None,
                 maximize=False, capturable=False, differentiable=False):
        _check_lr(lr)
        _check_nonnegative(eps, "epsilon")
        _check_betas(betas)
        _check_nonnegative(weight_decay, "weight_decay")
        _check_nonnegative(momentum_decay, "momentum_decay")
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        momentum_decay=momentum_decay,
                        decoupled_weight_decay=decoupled_weight_decay, maximize=maximize,
                        foreach=foreach, capturable=capturable, differentiable=differentiable)
        super().__init__(params, defaults)

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """One NAdam update of every parameter that has a gradient."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                if len(state) == 0:
                    state["step"] = _new_step_counter()
                    # the product of all momentum coefficients so far, mu_1 * ... * mu_t
                    state["mu_product"] = minitorch.tensor(1.0, dtype=_scalar_dtype())
                    state["exp_avg"] = minitorch.zeros_like(p)
                    state["exp_avg_sq"] = minitorch.zeros_like(p)
                nadam(p, p.grad, state, lr=_lr_value(group["lr"]), beta1=beta1, beta2=beta2,
                      eps=group["eps"], weight_decay=group["weight_decay"],
                      momentum_decay=group["momentum_decay"], maximize=group["maximize"],
                      decoupled_weight_decay=group["decoupled_weight_decay"],
                      differentiable=group["differentiable"])
        return loss


def nadam(param, grad, state, *, lr, beta1, beta2, eps, weight_decay, momentum_decay, maximize,
          decoupled_weight_decay, differentiable=False):
    """Update one parameter and its state in place.

    mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay)); m and v as Adam;
    p -= lr * (1 - mu_t) / (1 - prod mu) * g / d + lr * mu_{t+1} / (1 - prod mu * mu_{t+1}) * m / d
    """
    grad = -grad if maximize else grad
    exp_avg, exp_avg_sq, mu_product = state["exp_avg"], state["exp_avg_sq"], state["mu_product"]
    state["step"].add_(1)
    step = _get_value(state["step"])
    bias_correction2 = 1 - beta2 ** step
    if weight_decay != 0:
        if decoupled_weight_decay:
            param.mul_(1 - lr * weight_decay)
        else:
            grad = grad.add(param, alpha=weight_decay)
    param, grad, exp_avg, exp_avg_sq = _view_as_real(param, grad, exp_avg, exp_avg_sq)
    mu = beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))
    mu_next = beta1 * (1.0 - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
    mu_product.mul_(mu)

    exp_avg.lerp_(grad, 1 - beta1)
    exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
    denom = exp_avg_sq.div(bias_correction2).sqrt()

    if differentiable:
        # torch keeps mu_product a tensor here, so the update stays in the graph
        denom = denom.add(eps)
        mu_product_next = mu_product * mu_next
        param.addcdiv_(grad * (-lr * (1.0 - mu) / (1.0 - mu_product)), denom)
        param.addcdiv_(exp_avg * (-lr * mu_next / (1.0 - mu_product_next)), denom)
        return
    denom.add_(eps)
    mu_product_next = _get_value(mu_product) * mu_next
    param.addcdiv_(grad, denom, value=_get_value(-lr * (1.0 - mu) / (1.0 - _get_value(mu_product))))
    param.addcdiv_(exp_avg, denom, value=_get_value((-lr * mu_next) / (1.0 - mu_product_next)))
