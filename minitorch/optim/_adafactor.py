"""Adafactor: Adam-like steps with a factored (row x column) second-moment estimate."""
import minitorch

from .optimizer import Optimizer, _closure_loss, _get_value, _scalar_dtype, _to_scalar

__all__ = ["Adafactor", "adafactor"]


class Adafactor(Optimizer):
    """torch.optim.Adafactor (torch's variant: no first moment, relative step sizes)."""

    def __init__(self, params, lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0,
                 weight_decay=0.0, *, foreach=None, maximize=False):
        if isinstance(lr, minitorch.Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Learning rate should be >= 0 but is: {lr}")
        if not 0.0 >= beta2_decay:
            raise ValueError(f"beta2_decay should be <= 0 but is: {beta2_decay}")
        if eps[0] is not None and not 0.0 <= eps[0]:
            raise ValueError(f"epsilon1 should be >= 0 but is: {eps[0]}")
        if not 0.0 <= eps[1]:
            raise ValueError(f"epsilon2 should be >= 0 but is: {eps[1]}")
        if not 1.0 <= d:
            raise ValueError(f"Clipping threshold d should be >= 1 but is: {d}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"weight_decay should be >= 0 but is: {weight_decay}")
        defaults = dict(lr=lr, beta2_decay=beta2_decay, eps=eps, d=d,
                        weight_decay=weight_decay, foreach=foreach, maximize=maximize)
        super().__init__(params, defaults)

    def _state_for(self, p):
        """The parameter's state: row and column variances for matrices, a full one otherwise."""
        state = self.state[p]
        if len(state) == 0:
            state["step"] = minitorch.tensor(0.0, dtype=_scalar_dtype())
            if p.grad.dim() > 1:
                row_shape = list(p.grad.shape)
                row_shape[-1] = 1
                state["row_var"] = p.grad.new_zeros(row_shape)
                col_shape = list(p.grad.shape)
                col_shape[-2] = 1
                state["col_var"] = p.grad.new_zeros(col_shape)
            else:
                state["variance"] = minitorch.zeros_like(p.grad)
        return state

    def step(self, closure=None):
        """One Adafactor update of every parameter that has a gradient."""
        with minitorch.no_grad():
            loss = _closure_loss(closure)
            for group in self.param_groups:
                eps1, eps2 = group["eps"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    if p.is_complex():
                        raise RuntimeError("Adafactor does not support complex parameters")
                    adafactor(p, p.grad, self._state_for(p), d=group["d"],
                              lr=_to_scalar(group["lr"]), beta2_decay=group["beta2_decay"],
                              weight_decay=group["weight_decay"], eps1=eps1, eps2=eps2,
                              maximize=group["maximize"])
            return loss


def adafactor(param, grad, state, *, d, lr, beta2_decay, weight_decay, eps1, eps2, maximize):
    """Update one parameter and its state in place.

    beta2_t = 1 - t^beta2_decay; alpha = max(eps2, RMS(p)) * min(lr, 1/sqrt(t));
    v ~ row_var @ col_var / mean(row_var) (matrices); u = g / sqrt(v), clipped to RMS d;
    p -= alpha * u
    """
    grad = -grad if maximize else grad
    if eps1 is None:
        eps1 = minitorch.finfo(param.dtype).eps
    state["step"].add_(1)
    step_float = state["step"].item()
    one_minus_beta2_t = step_float ** beta2_decay
    rho_t = min(lr, 1 / (step_float ** 0.5))
    alpha = max(eps2, param.norm(2).item() / (param.numel() ** 0.5)) * rho_t
    if weight_decay != 0:
        param.mul_(1 - lr * weight_decay)

    if grad.dim() > 1:
        row_var, col_var = state["row_var"], state["col_var"]
        row_mean = minitorch.norm(grad, dim=-1, keepdim=True).square_().div_(grad.size(-1))
        row_var.lerp_(row_mean, one_minus_beta2_t)
        col_mean = minitorch.norm(grad, dim=-2, keepdim=True).square_().div_(grad.size(-2))
        col_var.lerp_(col_mean, one_minus_beta2_t)
        # the outer product of the factors, normalised by the mean row variance
        var_estimate = row_var @ col_var
        var_estimate.div_(row_var.mean(dim=-2, keepdim=True).clamp_(min=eps1))
    else:
        variance = state["variance"]
        variance.lerp_(grad * grad, one_minus_beta2_t)
        var_estimate = variance.clone()

    update = var_estimate.clamp_(min=eps1 * eps1).rsqrt_()
    update.mul_(grad)
    denom = max(1.0, update.norm(2).item() / ((update.numel() ** 0.5) * d))
    param.add_(update, alpha=_get_value(-alpha / denom))
