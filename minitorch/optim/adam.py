"""Adam and AdamW: adaptive moment estimation (AdamW decouples the weight decay)."""
import numpy as np

import minitorch

from .._tensor import Tensor
from .optimizer import (Optimizer, _check_betas, _check_kernel_options, _check_lr,
                        _check_nonnegative, _closure_loss, _get_value, _lr_value,
                        _new_step_counter, _to_scalar, _use_grad_for_differentiable,
                        _view_as_real)

__all__ = ["Adam", "AdamW", "adam"]


class Adam(Optimizer):
    """torch.optim.Adam (with amsgrad, maximize and decoupled_weight_decay)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 amsgrad=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False, fused=None, decoupled_weight_decay=False):
        _check_lr(lr)
        _check_nonnegative(eps, "epsilon")
        _check_betas(betas)
        _check_nonnegative(weight_decay, "weight_decay")
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):
            raise ValueError("betas must be either both floats or both Tensors")
        for i, beta in enumerate(betas):
            if isinstance(beta, Tensor) and beta.numel() != 1:
                raise ValueError(f"Tensor betas[{i}] must be 1-element")
        _check_kernel_options(foreach, fused, differentiable)
        betas = tuple(map(_to_scalar, betas))
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                        amsgrad=amsgrad, maximize=maximize, foreach=foreach,
                        capturable=capturable, differentiable=differentiable, fused=fused,
                        decoupled_weight_decay=decoupled_weight_decay)
        super().__init__(params, defaults)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            for key, value in (("amsgrad", False), ("maximize", False), ("foreach", None),
                               ("capturable", False), ("differentiable", False),
                               ("decoupled_weight_decay", False), ("fused", None)):
                group.setdefault(key, value)

    def _state_for(self, p, group):
        """The parameter's state, created on its first step."""
        state = self.state[p]
        if len(state) == 0:
            state["step"] = _new_step_counter(group["fused"])
            state["exp_avg"] = minitorch.zeros_like(p)
            state["exp_avg_sq"] = minitorch.zeros_like(p)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = minitorch.zeros_like(p)
        if group["differentiable"] and state["step"].requires_grad:
            raise RuntimeError("`requires_grad` is not supported for `step` in differentiable "
                               "mode")
        return state

    @_use_grad_for_differentiable
    def step(self, closure=None):
        """One Adam update of every parameter that has a gradient."""
        loss = _closure_loss(closure)
        for group in self.param_groups:
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                if getattr(p.grad, "is_sparse", False):
                    raise RuntimeError("Adam does not support sparse gradients, please consider "
                                       "SparseAdam instead")
                state = self._state_for(p, group)
                adam(p, p.grad, state, lr=_lr_value(group["lr"]), beta1=_get_value(beta1),
                     beta2=_get_value(beta2), eps=group["eps"],
                     weight_decay=group["weight_decay"], amsgrad=group["amsgrad"],
                     maximize=group["maximize"],
                     decoupled_weight_decay=group["decoupled_weight_decay"],
                     differentiable=group["differentiable"])
        return loss


class AdamW(Adam):
    """torch.optim.AdamW: Adam with weight decay applied to the parameter, not the gradient."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable,
                         differentiable=differentiable, fused=fused,
                         decoupled_weight_decay=True)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True


def adam(param, grad, state, *, lr, beta1, beta2, eps, weight_decay, amsgrad, maximize,
         decoupled_weight_decay, differentiable=False):
    """Update one parameter and its state in place.

    m = lerp(m, g, 1 - beta1); v = beta2 * v + (1 - beta2) * g^2;
    p -= lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
    """
    if not differentiable and _adam_numpy(param, grad, state, lr=lr, beta1=beta1, beta2=beta2,
                                          eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                                          maximize=maximize,
                                          decoupled_weight_decay=decoupled_weight_decay):
        return
    grad = -grad if maximize else grad
    exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
    state["step"].add_(1)
    if weight_decay != 0:
        if decoupled_weight_decay:
            param.mul_(1 - lr * weight_decay)
        else:
            grad = grad.add(param, alpha=weight_decay)
    max_exp_avg_sq = state.get("max_exp_avg_sq")
    param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq = _view_as_real(
        param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq)

    exp_avg.lerp_(grad, 1 - beta1)
    exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)

    if differentiable:
        _adam_tensor_step(param, exp_avg, exp_avg_sq, max_exp_avg_sq, state["step"], lr=lr,
                          beta1=beta1, beta2=beta2, eps=eps, amsgrad=amsgrad)
        return
    step = _get_value(state["step"])
    bias_correction1 = 1 - beta1 ** step
    bias_correction2 = 1 - beta2 ** step
    step_size = lr / bias_correction1
    bias_correction2_sqrt = bias_correction2 ** 0.5
    if amsgrad:
        # keep the running maximum of v, so the effective step size never grows
        max_exp_avg_sq.copy_(minitorch.maximum(max_exp_avg_sq, exp_avg_sq))
        denom = (max_exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
    else:
        denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps)
    param.addcdiv_(exp_avg, denom, value=_get_value(-step_size))


def _adam_tensor_step(param, exp_avg, exp_avg_sq, max_exp_avg_sq, step, *, lr, beta1, beta2, eps,
                      amsgrad):
    """The last part of Adam's step as torch computes it when differentiable=True.

    The bias corrections are tensors (in the 'step' dtype), so that the update stays in
    the graph; torch folds the step size into the denominator.
    """
    bias_correction1 = 1 - beta1 ** step
    bias_correction2 = 1 - beta2 ** step
    step_size_neg = (lr / bias_correction1).neg()
    bias_correction2_sqrt = bias_correction2.sqrt()
    if amsgrad:
        max_exp_avg_sq.copy_(minitorch.maximum(max_exp_avg_sq.clone(), exp_avg_sq))
        denom = (max_exp_avg_sq.sqrt() / (bias_correction2_sqrt * step_size_neg)).add_(
            eps / step_size_neg)
    else:
        denom = (exp_avg_sq.sqrt() / (bias_correction2_sqrt * step_size_neg)).add_(
            eps / step_size_neg)
    param.addcdiv_(exp_avg.clone(), denom)


def _adam_numpy(param, grad, state, *, lr, beta1, beta2, eps, weight_decay, amsgrad,
                maximize, decoupled_weight_decay):
    """adam()'s update done on the NumPy arrays directly; returns False when not applicable.

    Each parameter costs a dozen in-place tensor ops, and in a small model their Python
    overhead outweighs the arithmetic. This is the same sequence of operations as the
    general path below (same order, same float32/float64 rounding as each op's in-place
    fast path in _ops/pointwise.py), written once on the arrays. It covers the common case:
    real floating tensors of one dtype and shape, plain-number hyper-parameters, and no
    coupled (L2) weight decay; anything else takes the general path.
    """
    if minitorch.is_grad_enabled():
        return False  # only the no_grad step of a non-differentiable optimizer
    if not all(type(x) in (int, float) for x in (lr, beta1, beta2, eps, weight_decay)):
        return False
    if weight_decay != 0 and not decoupled_weight_decay:
        return False
    tensors = [param, grad, state["exp_avg"], state["exp_avg_sq"]]
    if amsgrad:
        tensors.append(state["max_exp_avg_sq"])
    p = param._data
    for t in tensors:
        a = t._data
        if (a.dtype != p.dtype or a.shape != p.shape or a.dtype.kind != "f"
                or 0 in a.strides):
            return False
    if not all(t._data.flags.writeable for t in tensors if t is not grad):
        return False
    step_t = state["step"]
    if not isinstance(step_t, Tensor) or step_t._data.dtype.kind != "f":
        return False
    g = grad._data
    m, v = state["exp_avg"]._data, state["exp_avg_sq"]._data
    if maximize:
        g = -g
    np.add(step_t._data, 1, out=step_t._data)
    with np.errstate(all="ignore"):
        if weight_decay != 0:
            np.multiply(p, 1 - lr * weight_decay, out=p)
        # exp_avg.lerp_(grad, 1 - beta1), with torch's two-sided lerp formula
        w = 1 - beta1
        term = np.subtract(g, m, out=np.empty_like(m))  # (an array even when 0-d)
        if -0.5 < w < 0.5:
            term *= w
            m += term
        else:
            term *= 1 - w
            np.subtract(g, term, out=m)
        # exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        np.multiply(v, beta2, out=v)
        np.multiply(g, g, out=term)
        if 1 - beta2 != 1:
            term *= 1 - beta2
        v += term
        step = step_t.item()
        bias_correction1 = 1 - beta1 ** step
        bias_correction2 = 1 - beta2 ** step
        step_size = lr / bias_correction1
        if amsgrad:
            mx = state["max_exp_avg_sq"]._data
            np.maximum(mx, v, out=mx)
            v = mx
        # denom = (exp_avg_sq.sqrt() / bias_correction2_sqrt).add_(eps), in term's buffer
        np.sqrt(v, out=term)
        term /= bias_correction2 ** 0.5
        term += eps
        # param.addcdiv_(exp_avg, denom, value=-step_size)
        np.divide(m, term, out=term)
        if -step_size != 1:
            term *= -step_size
        p += term
    for t in tensors:
        if t is not grad:
            t._version_cell[0] += 1
    step_t._version_cell[0] += 1
    return True
