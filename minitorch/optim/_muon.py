"""Muon: SGD-momentum whose update is orthogonalised by Newton-Schulz iterations (2-d params)."""
import math

import minitorch

from .optimizer import Optimizer, _closure_loss, _get_value, _to_scalar

__all__ = ["Muon", "muon"]


class Muon(Optimizer):
    """torch.optim.Muon.

    torch runs the Newton-Schulz iterations in bfloat16; minitorch has no bfloat16,
    so they run in the parameter's dtype (more precise, so values differ slightly).
    """

    def __init__(self, params, lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True,
                 ns_coefficients=(3.4445, -4.775, 2.0315), eps=1e-7, ns_steps=5,
                 adjust_lr_fn=None):
        if isinstance(lr, minitorch.Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 <= momentum:
            raise ValueError(f"momentum should be >= 0 but is: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight decay should be >= 0 but is: {weight_decay}")
        if adjust_lr_fn is not None and adjust_lr_fn not in ["original", "match_rms_adamw"]:
            raise ValueError(f"Adjust learning rate function {adjust_lr_fn} is not supported")
        defaults = dict(lr=lr, weight_decay=weight_decay, momentum=momentum, nesterov=nesterov,
                        ns_coefficients=ns_coefficients, eps=eps, ns_steps=ns_steps,
                        adjust_lr_fn=adjust_lr_fn)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                if p.ndim != 2:
                    raise ValueError("Muon only supports 2D parameters whereas we found a "
                                     f"parameter with size: {p.size()}")

    def step(self, closure=None):
        """One Muon update of every parameter that has a gradient."""
        with minitorch.no_grad():
            loss = _closure_loss(closure)
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    if p.is_complex():
                        raise RuntimeError("Muon does not support complex parameters")
                    state = self.state[p]
                    if "momentum_buffer" not in state:
                        state["momentum_buffer"] = minitorch.zeros_like(p.grad)
                    muon(p, p.grad, state["momentum_buffer"], lr=_to_scalar(group["lr"]),
                         weight_decay=group["weight_decay"], momentum=group["momentum"],
                         nesterov=group["nesterov"], ns_coefficients=group["ns_coefficients"],
                         ns_steps=group["ns_steps"], eps=group["eps"],
                         adjust_lr_fn=group["adjust_lr_fn"])
            return loss


def _zeropower_via_newtonschulz(grad, ns_coefficients, ns_steps, eps):
    """Approximately the orthogonal factor U V^T of grad = U S V^T (quintic Newton-Schulz)."""
    if ns_steps >= 100:
        raise ValueError("Number of steps must be less than 100 for computational efficiency")
    if len(grad.shape) != 2:
        raise ValueError("Input tensor gradient must be a 2D matrix")
    if len(ns_coefficients) != 3:
        raise ValueError("Coefficients must be a tuple of exactly 3 values")
    a, b, c = ns_coefficients
    # iterate on the wide orientation, so the Gram matrix is the small one
    tall = grad.size(0) > grad.size(1)
    ortho_grad = grad.T.clone() if tall else grad.clone()
    ortho_grad.div_(ortho_grad.norm().clamp(min=eps))  # singular values now <= 1
    for _ in range(ns_steps):
        gram_matrix = ortho_grad @ ortho_grad.T
        gram_update = minitorch.addmm(gram_matrix, gram_matrix, gram_matrix, beta=b, alpha=c)
        ortho_grad = minitorch.addmm(ortho_grad, gram_update, ortho_grad, beta=a)
    return ortho_grad.T if tall else ortho_grad


def _adjust_lr(lr, adjust_lr_fn, param_shape):
    """Scale the lr by the parameter's shape ('original': sqrt(max(1, A/B)))."""
    A, B = param_shape[:2]
    if adjust_lr_fn is None or adjust_lr_fn == "original":
        ratio = math.sqrt(max(1, A / B))
    elif adjust_lr_fn == "match_rms_adamw":
        ratio = 0.2 * math.sqrt(max(A, B))
    else:
        ratio = 1.0
    return lr * ratio


def muon(param, grad, momentum_buffer, *, lr, weight_decay, momentum, nesterov,
         ns_coefficients, ns_steps, eps, adjust_lr_fn):
    """Update one parameter and its momentum buffer in place.

    b = lerp(b, g, 1 - momentum); u = NS(lerp(g, b, momentum) if nesterov else b);
    p *= 1 - lr * weight_decay; p -= adjusted_lr * u
    """
    if grad.ndim != 2:
        raise ValueError("Param gradient must be a 2D matrix")
    momentum_buffer.lerp_(grad, 1 - momentum)
    update = grad.lerp(momentum_buffer, momentum) if nesterov else momentum_buffer
    update = _zeropower_via_newtonschulz(update, ns_coefficients, ns_steps, eps)
    adjusted_lr = _adjust_lr(lr, adjust_lr_fn, param.shape)
    param.mul_(1 - lr * weight_decay)
    param.add_(update, alpha=_get_value(-adjusted_lr))
