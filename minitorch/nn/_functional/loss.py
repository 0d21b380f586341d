"""functional: loss functions.

The hot losses (mse, huber, smooth_l1, binary cross entropy with and without
logits, nll) are fused primitives with torch's grad_fn names; cross_entropy is
log_softmax followed by nll_loss, as in torch. The rarer ones are composites of
differentiable ops.
"""
import math
import warnings

import numpy as np

from ... import _ops  # noqa: F401  (Tensor methods)
from ..._ops import pointwise as _pw
from ..._ops._registry import result_np_dtype
from ..._tensor import Tensor
from ...autograd._primitive import defprim
from .activation import logsigmoid
from .distance import _broadcast_pair, pairwise_distance


__all__ = ["l1_loss", "mse_loss", "huber_loss", "smooth_l1_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "nll_loss", "cross_entropy", "kl_div",
           "poisson_nll_loss", "gaussian_nll_loss", "soft_margin_loss",
           "multilabel_soft_margin_loss", "multilabel_margin_loss", "multi_margin_loss",
           "margin_ranking_loss", "hinge_embedding_loss", "cosine_embedding_loss",
           "triplet_margin_loss", "triplet_margin_with_distance_loss", "ctc_loss",
           "linear_cross_entropy"]


# ------------------------------------------------------------------ reductions
def _legacy_get_string(size_average, reduce, emit_warning=True):
    """Map the deprecated size_average/reduce flags to a reduction string, as torch."""
    warning = "size_average and reduce args will be deprecated, please use reduction='{}' instead."
    if size_average is None:
        size_average = True
    if reduce is None:
        reduce = True
    if size_average and reduce:
        ret = "mean"
    elif reduce:
        ret = "sum"
    else:
        ret = "none"
    if emit_warning:
        warnings.warn(warning.format(ret), stacklevel=3)
    return ret


def _reduction(reduction, size_average=None, reduce=None):
    """The effective reduction, validated (ValueError as torch's _Reduction.get_enum)."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_get_string(size_average, reduce)
    if reduction == "elementwise_mean":
        warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' "
                      "instead.", stacklevel=3)
        reduction = "mean"
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss, reduction):
    """Apply a reduction to an elementwise loss tensor."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _reduce_np(elem, reduction):
    if reduction == "none":
        return elem
    with np.errstate(all="ignore"):
        total = np.sum(elem, dtype=elem.dtype)
        return np.asarray(total / elem.size if reduction == "mean" else total, dtype=elem.dtype)


def _upstream(g, reduction, n):
    """The gradient reaching each element: g itself, or g / n for a mean."""
    return g / n if reduction == "mean" else g


def _warn_size(input, target):
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(f"Using a target size ({target.size()}) that is different to the input "
                      f"size ({input.size()}). This will likely lead to incorrect results due "
                      "to broadcasting. Please ensure they have the same size.", stacklevel=3)


def _not_differentiable(tensor, function, argument):
    """torch refuses inputs it has no derivative for; so do we (same message)."""
    if tensor is not None and isinstance(tensor, Tensor) and tensor.requires_grad:
        raise RuntimeError(f"The function '{function}' is not differentiable with respect to "
                           f"argument '{argument}'. This input cannot have requires_grad True.")


def _weighted(loss_none, weight, input, reduction, mean_by_weight):
    """Apply the optional elementwise ``weight`` of l1/mse/huber, as torch 2.x does."""
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    weighted = loss_none * weight
    if reduction == "none":
        return weighted
    if reduction == "sum":
        return weighted.sum()
    return weighted.sum() / weight.sum() if mean_by_weight else weighted.mean()


# ------------------------------------------------- fused pointwise regressions
def _sum_of_squares(d):
    """sum(d * d) of a float32/float64 array in d's dtype, without a temporary: BLAS dot
    products over blocks of 2**16 elements, their sums added in float64 (about as
    accurate as NumPy's pairwise sum, which would need d * d first)."""
    flat = d.reshape(-1)
    block = 1 << 16
    total = math.fsum(float(np.dot(flat[i:i + block], flat[i:i + block]))
                      for i in range(0, flat.size, block))
    return d.dtype.type(total)


def _regression_prim(name, node, elem, slope, linear_slope=None, sum_elem=None):
    """A loss of (input - target): forward ``elem(d)``, derivative ``slope(F, d)``.

    ``linear_slope`` = c says the derivative is c * d (MSE): the forward then leaves d in
    the dict ``saved`` (a parameter) and a plain backward of a reduced loss takes it and
    scales it in place, d *= c * g / n: one pass, and no new array to fill (writing a
    fresh one costs several times more when its memory is not in cache). A second
    backward through a retained graph finds it gone and recomputes x - y.
    ``sum_elem(d)``, if given, is the sum of ``elem(d)`` for a reduced float loss."""
    def forward(x, y, reduction, saved=None, **params):
        dt = result_np_dtype(x, y)
        with np.errstate(all="ignore"):
            d = x.astype(dt, copy=False) - y.astype(dt, copy=False)
            if saved is not None:
                saved["d"] = d
            if (sum_elem is not None and reduction != "none" and d.size
                    and d.dtype in (np.float32, np.float64)):
                total = sum_elem(d)
                return np.asarray(total / d.size if reduction == "mean" else total, dtype=dt)
            return _reduce_np(np.asarray(elem(d, **params), dtype=dt), reduction)

    def grad_input(F, g, out, x, y, reduction, saved=None, sign=1, **params):
        n = max(int(np.prod(np.broadcast_shapes(x.shape, y.shape))), 1)
        if isinstance(g, np.ndarray):
            if (linear_slope is not None and g.ndim == 0
                    and x.dtype == y.dtype == g.dtype):
                d = saved.pop("d", None) if saved else None
                if d is None:
                    d = np.asarray(x - y)  # an array even for 0-d inputs: *= stays in place
                d *= sign * linear_slope * _upstream(g, reduction, n)
                return d
            d = saved["d"] if saved else x - y  # the forward's d, if it left one
        else:
            d = x - y  # create_graph: differentiate through d
        grad = _upstream(g, reduction, n) * slope(F, d, **params)
        return grad if sign == 1 else -grad

    def grad_target(F, g, out, x, y, reduction, saved=None, **params):
        return grad_input(F, g, out, x, y, reduction, saved, sign=-1, **params)

    return defprim("nn_" + name, node, forward, grads=(grad_input, grad_target))


_mse = _regression_prim("mse_loss", "MseLossBackward0", lambda d: d * d, lambda F, d: 2 * d,
                        linear_slope=2, sum_elem=_sum_of_squares)
_huber = _regression_prim(
    "huber_loss", "HuberLossBackward0",
    lambda d, delta: np.where(np.abs(d) <= delta, 0.5 * d * d, delta * (np.abs(d) - 0.5 * delta)),
    lambda F, d, delta: F.where(d < -delta, d * 0 - delta, F.where(d > delta, d * 0 + delta, d)))
_smooth_l1 = _regression_prim(
    "smooth_l1_loss", "SmoothL1LossBackward0",
    lambda d, beta: np.where(np.abs(d) < beta, 0.5 * d * d / (beta or 1), np.abs(d) - 0.5 * beta),
    lambda F, d, beta: F.where(d < -beta, d * 0 - 1, F.where(d > beta, d * 0 + 1,
                                                             d / beta if beta else F.sign(d))))


def _float_pair(input, target, name):
    for t, what in ((input, "input"), (target, "target")):
        if not isinstance(t, Tensor):
            raise TypeError(f"{name}(): argument '{what}' (position "
                            f"{1 if what == 'input' else 2}) must be Tensor, not "
                            f"{type(t).__name__}")


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """|input - target|, reduced (composite: MeanBackward0/SumBackward0 as torch)."""
    _float_pair(input, target, "l1_loss")
    _warn_size(input, target)
    reduction = _reduction(reduction, size_average, reduce)
    _broadcast_pair(input, target)
    loss = (input - target).abs()
    if weight is not None:
        return _weighted(loss, weight, input, reduction, mean_by_weight=True)
    return _reduce(loss, reduction)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """(input - target)^2, reduced; an elementwise ``weight`` divides a mean by its sum."""
    _float_pair(input, target, "mse_loss")
    _warn_size(input, target)
    reduction = _reduction(reduction, size_average, reduce)
    _broadcast_pair(input, target)
    if weight is not None:
        return _weighted(_mse(input, target, reduction="none", saved={}), weight, input,
                         reduction, True)
    return _mse(input, target, reduction=reduction, saved={})


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Quadratic for |d| <= delta, linear beyond (scaled by delta)."""
    _float_pair(input, target, "huber_loss")
    _warn_size(input, target)
    reduction = _reduction(reduction)
    _broadcast_pair(input, target)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is not None:
        return _weighted(_huber(input, target, reduction="none", delta=delta), weight, input,
                         reduction, mean_by_weight=False)
    return _huber(input, target, reduction=reduction, delta=delta)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """Quadratic (divided by beta) for |d| < beta, |d| - beta/2 beyond; beta=0 is L1."""
    _float_pair(input, target, "smooth_l1_loss")
    _warn_size(input, target)
    reduction = _reduction(reduction, size_average, reduce)
    _broadcast_pair(input, target)
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    return _smooth_l1(input, target, reduction=reduction, beta=float(beta))


# ------------------------------------------------------- binary cross entropy
def _bce_forward(x, y, w, reduction):
    dt = x.dtype
    with np.errstate(all="ignore"):
        log_x = np.maximum(np.log(x), -100)
        log_1mx = np.maximum(np.log1p(-x), -100)
        elem = -w * (y * log_x + (1 - y) * log_1mx)
    return _reduce_np(np.asarray(elem, dtype=dt), reduction)


def _bce_n(x, y, w):
    return max(int(np.prod(np.broadcast_shapes(x.shape, y.shape, w.shape))), 1)


def _bce_grad_input(F, g, out, x, y, w, reduction):
    # torch's rule: (x - y) / max(x (1 - x), 1e-12)
    denom = (1 - x) * x
    denom = F.where(denom < 1e-12, denom * 0 + 1e-12, denom)
    return _upstream(g, reduction, _bce_n(x, y, w)) * w * (x - y) / denom


def _bce_grad_target(F, g, out, x, y, w, reduction):
    log_x = F.log(x)
    log_1mx = F.log(1 - x)
    log_x = F.where(log_x < -100, log_x * 0 - 100, log_x)
    log_1mx = F.where(log_1mx < -100, log_1mx * 0 - 100, log_1mx)
    return _upstream(g, reduction, _bce_n(x, y, w)) * w * (log_1mx - log_x)


def _bce_grad_weight(F, g, out, x, y, w, reduction):
    log_x = F.log(x)
    log_1mx = F.log(1 - x)
    log_x = F.where(log_x < -100, log_x * 0 - 100, log_x)
    log_1mx = F.where(log_1mx < -100, log_1mx * 0 - 100, log_1mx)
    return -_upstream(g, reduction, _bce_n(x, y, w)) * (y * log_x + (1 - y) * log_1mx)


_bce = defprim("nn_binary_cross_entropy", "BinaryCrossEntropyBackward0", _bce_forward,
               grads=(_bce_grad_input, _bce_grad_target, _bce_grad_weight))


def _unit_weight(input):
    return Tensor._make(np.ones((), dtype=input._data.dtype))


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None,
                         reduction="mean"):
    """-w (y log x + (1 - y) log(1 - x)) with the logs clamped at -100, as torch."""
    reduction = _reduction(reduction, size_average, reduce)
    _not_differentiable(weight, "binary_cross_entropy", "weight")
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Using a target size ({target.size()}) that is different to the input "
                         f"size ({input.size()}) is deprecated. Please ensure they have the "
                         "same size.")
    data = input._data
    if data.size and (np.any(data < 0) or np.any(data > 1) or np.any(np.isnan(data))):
        raise RuntimeError("all elements of input should be between 0 and 1")
    if weight is not None:
        try:
            np.broadcast_shapes(tuple(weight.shape), tuple(target.shape))
        except ValueError:
            raise RuntimeError(f"The size of tensor a ({weight.shape[-1]}) must match the size "
                               f"of tensor b ({target.shape[-1]}) at non-singleton dimension "
                               f"{target.ndim - 1}") from None
    else:
        weight = _unit_weight(input)
    return _bce(input, target, weight, reduction=reduction)


def _softplus_neg_np(x):
    """log(1 + exp(-x)) without overflow."""
    return np.maximum(-x, 0) + np.log1p(np.exp(-np.abs(x)))


def _bcel_forward(x, y, w, pw, reduction):
    with np.errstate(all="ignore"):
        log_weight = 1 + (pw - 1) * y
        elem = ((1 - y) * x + log_weight * _softplus_neg_np(x)) * w
    return _reduce_np(np.asarray(elem, dtype=x.dtype), reduction)


def _bcel_n(x, y, w, pw):
    return max(int(np.prod(np.broadcast_shapes(x.shape, y.shape, w.shape, pw.shape))), 1)


def _softplus_neg(F, x):
    return F.where(x < 0, -x, x * 0) + F.log1p(F.exp(-F.abs(x)))


def _bcel_vjp(F, g, out, x, y, w, pw, reduction):
    up = _upstream(g, reduction, _bcel_n(x, y, w, pw))
    sig = F.sigmoid(x)
    log_weight = 1 + (pw - 1) * y
    sp = _softplus_neg(F, x)
    return (up * w * ((1 - y) - log_weight * (1 - sig)),
            up * w * ((pw - 1) * sp - x),
            up * ((1 - y) * x + log_weight * sp),
            up * w * y * sp)


_bcel = defprim("nn_binary_cross_entropy_with_logits", "BinaryCrossEntropyWithLogitsBackward0",
                _bcel_forward, vjp=_bcel_vjp)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None,
                                     reduce=None, reduction="mean", pos_weight=None):
    """sigmoid + binary cross entropy in one stable formula; pos_weight scales positives."""
    reduction = _reduction(reduction, size_average, reduce)
    _not_differentiable(weight, "binary_cross_entropy_with_logits", "weight")
    _not_differentiable(pos_weight, "binary_cross_entropy_with_logits", "pos_weight")
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({target.size()}) must be the same as input size "
                         f"({input.size()})")
    return _bcel(input, target, weight if weight is not None else _unit_weight(input),
                 pos_weight if pos_weight is not None else _unit_weight(input),
                 reduction=reduction)


# ------------------------------------------------------------------ NLL family
# The primitive gets ignore_index=None when nll_loss found no target to ignore (the
# usual case): a 2-D loss without class weights is then one gather forward and one
# scatter backward, with no per-target weights to build.
def _nll_layout(x, target, weight, ignore_index):
    """Per-target weights (0 where ignored) and the coefficient array d(loss)/d(x)."""
    xm = np.moveaxis(x, 1, -1) if x.ndim > 2 else x  # classes last (2-D: already)
    if ignore_index is None:
        valid, safe = np.ones(target.shape, dtype=bool), target
    else:
        valid = target != ignore_index
        safe = np.where(valid, target, 0)
    if weight is None:
        return xm, safe, valid.astype(x.dtype)  # 1 per counted target, 0 where ignored
    return xm, safe, (weight[safe] * valid).astype(x.dtype)


def _nll_is_plain(x, target, weight, ignore_index):
    """A batch of 2-D scores, no class weights, nothing ignored: the gather/scatter case."""
    return x.ndim == 2 and weight is None and ignore_index is None and target.size != 0


def _nll_forward(x, target, weight, ignore_index, reduction):
    if _nll_is_plain(x, target, weight, ignore_index):
        losses = -x[np.arange(target.shape[0]), target]
        if reduction == "none":
            return losses
        total = np.add.reduce(losses, dtype=x.dtype)
        return np.asarray(total / target.shape[0] if reduction == "mean" else total,
                          dtype=x.dtype)
    xm, safe, wt = _nll_layout(x, target, weight, ignore_index)
    picked = np.take_along_axis(xm, safe[..., None], axis=-1)[..., 0]
    losses = -wt * picked
    if reduction == "none":
        return losses.astype(x.dtype)
    total = losses.sum(dtype=x.dtype)
    if reduction == "sum":
        return np.asarray(total, dtype=x.dtype)
    with np.errstate(all="ignore"):
        return np.asarray(total / wt.sum(dtype=x.dtype), dtype=x.dtype)


def _nll_grad(F, g, out, x, target, weight, ignore_index, reduction):
    if isinstance(g, np.ndarray) and _nll_is_plain(x, target, weight, ignore_index):
        # torch's rule: -(g / N) (mean) or -g at each target, zero elsewhere
        n = target.shape[0]
        coef = np.zeros(x.shape, dtype=x.dtype)
        coef[np.arange(n), target] = -(g / n) if reduction == "mean" else -g
        return coef
    xm, safe, wt = _nll_layout(x if isinstance(x, np.ndarray) else x._data, target, weight,
                               ignore_index)
    total = wt.sum(dtype=xm.dtype)
    if reduction == "mean" and total != 0:  # all ignored: torch's gradient is zero
        wt = wt / total  # the few picked entries, not the whole coefficient array
    coef = np.zeros(xm.shape, dtype=xm.dtype)
    np.put_along_axis(coef, safe[..., None], -wt[..., None], axis=-1)
    if xm is not x and x.ndim >= 2:
        coef = np.moveaxis(coef, -1, 1)
    if not isinstance(g, np.ndarray):
        coef = Tensor._make(np.ascontiguousarray(coef))
    if reduction == "none" and x.ndim >= 2:
        g = F.unsqueeze(g, 1)
    if (isinstance(g, np.ndarray) and g.dtype == coef.dtype
            and np.broadcast_shapes(g.shape, coef.shape) == coef.shape):
        coef *= g  # coef is ours and already of the result's shape
        return coef
    return g * coef


_nll = defprim("nn_nll_loss", "NllLossBackward0", _nll_forward, grads=(_nll_grad,))


def _check_nll_shapes(input, target, weight):
    # shapes and dtypes straight from the arrays: this runs on every loss call
    in_shape, t_shape = input._data.shape, target._data.shape
    if not in_shape:
        raise ValueError(f"Expected 1 or more dimensions (got {len(in_shape)})")
    if len(in_shape) == 1:
        if t_shape:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    else:
        if not t_shape or in_shape[0] != t_shape[0]:
            raise ValueError(f"Expected input batch_size ({in_shape[0]}) to match target "
                             f"batch_size ({t_shape[0] if t_shape else 0}).")
        if len(in_shape) == 2 and len(t_shape) != 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if len(in_shape) > 2 and t_shape[1:] != in_shape[2:]:
            raise RuntimeError(f"Expected target size {[in_shape[0]] + list(in_shape[2:])}"
                               f", got {list(t_shape)}")
    if target._data.dtype.kind not in "biu":
        raise RuntimeError("expected target dtype to be Long or Byte, but got "
                           f"{_pw._TITLE(target.dtype)}")
    n_classes = in_shape[1] if len(in_shape) >= 2 else in_shape[0]
    if weight is not None and (weight.ndim != 1 or weight.numel() != n_classes):
        raise RuntimeError(f"weight tensor should be defined either for all {n_classes} classes "
                           f"or no classes but got weight tensor of shape: {list(weight.shape)}")
    return n_classes


def _check_targets(t, n_classes, ignore_index):
    """Raise torch's IndexError for a target that is neither a class nor ignore_index;
    return whether any target is ignore_index."""
    if t.size and t.min() >= 0 and t.max() < n_classes:  # the usual case: all are classes
        return 0 <= ignore_index < n_classes and bool((t == ignore_index).any())
    ignored = t == ignore_index
    bad = ~ignored & ((t < 0) | (t >= n_classes))
    if np.any(bad):
        raise IndexError(f"Target {int(t[bad].flat[0])} is out of bounds.")
    return bool(ignored.any())


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """-weight[t] * input[n, t] averaged over the weights of non-ignored targets.

    Gradients flow to ``input`` only (as torch; ``weight`` gets none).
    """
    reduction = _reduction(reduction, size_average, reduce)
    _not_differentiable(weight, "nll_loss_forward", "weight")
    n_classes = _check_nll_shapes(input, target, weight)
    t = target._data
    if not _check_targets(t, n_classes, ignore_index):
        ignore_index = None  # nothing to ignore (see _nll_is_plain)
    w = None if weight is None else weight._data.astype(input._data.dtype)
    # a copy of the targets: the node keeps it, and the caller may change theirs in place
    return _nll(input, target=t.astype(np.int64), weight=w, ignore_index=ignore_index,
                reduction=reduction)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100,
                  reduce=None, reduction="mean", label_smoothing=0.0):
    """log_softmax over dim 1 (0 for 1-D input) then nll_loss; float targets are class
    probabilities; label_smoothing mixes in the uniform distribution."""
    reduction = _reduction(reduction, size_average, reduce)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    class_dim = 0 if input.ndim == 1 else 1
    if input.ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    if input._data.dtype.kind == "f":
        logp = _pw._log_softmax(input, dim=class_dim)  # what log_softmax() would call
    else:
        logp = _pw.log_softmax(input, class_dim)  # its error for other dtypes
    n_classes = input.shape[class_dim]
    if target.dtype.is_floating_point:
        if tuple(target.shape) != tuple(input.shape):
            _check_nll_shapes(input, target, weight)
            raise RuntimeError("Expected floating point type for target with class probabilities")
        return _cross_entropy_probs(logp, target, weight, reduction, label_smoothing, class_dim)
    nll = nll_loss(logp, target, weight, None, ignore_index, None, reduction)
    if label_smoothing == 0.0:
        return nll
    return _label_smoothing(nll, logp, target, weight, ignore_index, reduction,
                            label_smoothing, class_dim, n_classes)


def _class_shape(ndim, class_dim, n):
    shape = [1] * ndim
    shape[class_dim] = n
    return shape


def _cross_entropy_probs(logp, target, weight, reduction, label_smoothing, class_dim):
    n_classes = logp.shape[class_dim]
    if label_smoothing > 0:
        target = target * (1 - label_smoothing) + label_smoothing / n_classes
    prod = logp * target
    if weight is not None:
        prod = prod * weight.reshape(_class_shape(logp.ndim, class_dim, n_classes))
    loss = -prod.sum(class_dim)
    if reduction == "mean":
        batch = logp.numel() // max(n_classes, 1) if logp.ndim > 1 else 1
        return loss.sum() / batch
    return _reduce(loss, reduction)


def _label_smoothing(nll, logp, target, weight, ignore_index, reduction, eps, class_dim,
                     n_classes):
    """(1 - eps) * nll + eps / C * (the loss against the uniform distribution)."""
    ignore = Tensor._make(np.asarray(target._data == ignore_index))
    prod = logp
    if weight is not None:
        prod = logp * weight.reshape(_class_shape(logp.ndim, class_dim, n_classes))
    smooth = (-prod.sum(class_dim)).masked_fill(ignore, 0.0)
    if reduction == "mean":
        if weight is not None:
            kept = target._data[target._data != ignore_index].reshape(-1)
            denom = float(weight._data[kept].sum())
        else:
            denom = float((~ignore._data).sum())
        smooth = smooth.sum() / denom
    else:
        smooth = _reduce(smooth, reduction)
    return (1 - eps) * nll + smooth * (eps / n_classes)


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """target * (log target - input) (input is log-probabilities); 'batchmean' divides the sum
    by the batch size."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_get_string(size_average, reduce)
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns with "
                      "the KL div math definition.'mean' will be changed to behave the same as "
                      "'batchmean' in the next major release.", stacklevel=2)
    if reduction != "batchmean":
        reduction = _reduction(reduction)
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = _pw.xlogy(target, target) - target * input
    if reduction == "batchmean":
        total = loss.sum()
        return total / input.shape[0] if input.ndim != 0 else total
    return _reduce(loss, reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8,
                     reduce=None, reduction="mean"):
    """exp(input) - target * input (log_input), else input - target * log(input + eps);
    ``full`` adds Stirling's approximation of log(target!)."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_get_string(size_average, reduce)
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not a valid value for reduction")
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        stirling = target * target.log() - target + 0.5 * (2 * math.pi * target).log()
        loss = loss + stirling.masked_fill(target <= 1, 0)
    return _reduce(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """0.5 (log var + (input - target)^2 / var), var clamped at eps without gradient."""
    if isinstance(var, (int, float)) and not isinstance(var, bool):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * input.new_ones(input.shape)
    elif bool((var < 0).any()):
        raise ValueError("var has negative entry/entries")
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif input.ndim == var.ndim and sum(
                y for x, y in zip(input.shape, var.shape) if x != y) == 1:
            pass  # heteroscedastic: one dim of size 1 broadcasts
        else:
            raise ValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise ValueError(reduction + " is not valid")
    # clamp without gradient: var's gradient passes through unchanged where clamped
    floor = Tensor._make(np.maximum(var._data, eps) - var._data)
    var = var + floor
    loss = 0.5 * (var.log() + (input - target) ** 2 / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _reduce(loss, reduction)


# ----------------------------------------------------------------- margins
def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log(1 + exp(-target * input))."""
    reduction = _reduction(reduction, size_average, reduce)
    _not_differentiable(target, "soft_margin_loss", "target")
    z = -target * input
    loss = _pw.logaddexp(z * 0, z)
    return _reduce(loss, reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None,
                                reduction="mean"):
    """Mean over classes of the binary logistic loss, per sample."""
    if size_average is not None or reduce is not None:
        reduction = _legacy_get_string(size_average, reduce)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.dim() - 1
    loss = loss.sum(dim=class_dim) / input.size(class_dim)
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(reduction + " is not valid")


def multilabel_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """sum over target classes j and non-target classes i of max(0, 1 - (x[j] - x[i])) / C.

    ``target`` lists class indices per sample, ended by the first -1.
    """
    reduction = _reduction(reduction, size_average, reduce)
    if input.ndim > 2 or tuple(target.shape) != tuple(input.shape):
        raise RuntimeError("inconsistent target size: " + str(list(target.shape)) +
                           " for input of size: " + str(list(input.shape)))
    x = input if input.ndim == 2 else input.reshape(1, -1)
    t = target._data.reshape(x.shape)
    n, c = x.shape
    counts = np.zeros((n, c))
    for row in range(n):
        for j in t[row]:
            if j < 0:
                break
            if j >= c:
                raise RuntimeError(f"multilabel_margin_loss: target index {j} out of range")
            counts[row, j] += 1
    is_target = counts > 0
    # pair[n, j, i] counts target j against non-target i
    pair = Tensor._make((counts[:, :, None] * ~is_target[:, None, :]).astype(x._data.dtype))
    hinge = (1 - x.unsqueeze(2) + x.unsqueeze(1)).clamp_min(0)
    loss = (hinge * pair).sum((1, 2)) / c
    if input.ndim < 2:
        loss = loss.reshape(())
    return _reduce(loss, reduction)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None,
                      reduce=None, reduction="mean"):
    """sum over i != y of w[y] max(0, margin - x[y] + x[i])^p / C."""
    reduction = _reduction(reduction, size_average, reduce)
    _not_differentiable(weight, "multi_margin_loss", "weight")
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.dim() != 1:
        raise ValueError("weight must be one-dimensional")
    x = input if input.ndim == 2 else input.reshape(1, -1)
    n, c = x.shape
    t = target._data.reshape(-1).astype(np.int64)
    if t.shape[0] != n:
        raise RuntimeError(f"inconsistent target size, expected {n} but got "
                           f"{list(target.shape)}")
    if t.size and (t.min() < 0 or t.max() >= c):
        raise RuntimeError("target out of range")
    idx = Tensor._make(t[:, None])
    x_y = x.gather(1, idx)
    hinge = (margin - x_y + x).clamp_min(0)
    if p == 2:
        hinge = hinge * hinge
    if weight is not None:
        hinge = hinge * weight[idx]
    others = Tensor._make((np.arange(c)[None, :] != t[:, None]).astype(x._data.dtype))
    loss = (hinge * others).sum(1) / c
    if input.ndim < 2:
        loss = loss.reshape(())
    return _reduce(loss, reduction)


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                        reduction="mean"):
    """max(0, -target * (input1 - input2) + margin)."""
    reduction = _reduction(reduction, size_average, reduce)
    if input1.dim() != input2.dim() or input1.dim() != target.dim():
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension "
                           f"but got sizes: input1: {input1.size()}, input2: {input2.size()}, "
                           f"target: {target.size()} ")
    loss = (-target * (input1 - input2) + margin).clamp_min(0)
    return _reduce(loss, reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None,
                         reduction="mean"):
    """input where target == 1, max(0, margin - input) where target == -1."""
    reduction = _reduction(reduction, size_average, reduce)
    margin_clamp = (margin - input).clamp_min(0)
    zeros = input * 0
    loss = _pw.where(target != 1, margin_clamp, zeros) + _pw.where(target != -1, input, zeros)
    return _reduce(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None,
                          reduction="mean"):
    """1 - cos(x1, x2) where target == 1, max(0, cos - margin) where target == -1."""
    reduction = _reduction(reduction, size_average, reduce)
    if input1.ndim not in (1, 2) or input1.shape != input2.shape:
        raise RuntimeError(f"cosine_embedding_loss: expected 1D or 2D inputs of the same shape, "
                           f"got {list(input1.shape)} and {list(input2.shape)}")
    dim = input1.ndim - 1
    eps = 1e-12
    prod = (input1 * input2).sum(dim)
    mag1 = (input1 * input1).sum(dim) + eps
    mag2 = (input2 * input2).sum(dim) + eps
    cos = prod / (mag1 * mag2).sqrt()
    zeros = cos * 0
    loss = (_pw.where(target == 1, 1 - cos, zeros)
            + _pw.where(target == -1, (cos - margin).clamp_min(0), zeros))
    return _reduce(loss, reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False,
                        size_average=None, reduce=None, reduction="mean"):
    """max(0, margin + d(a, p) - d(a, n)) with the p-norm pairwise distance."""
    reduction = _reduction(reduction, size_average, reduce)
    a_dim, p_dim, n_dim = anchor.ndim, positive.ndim, negative.ndim
    if not (a_dim == p_dim and p_dim == n_dim):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {a_dim}D, positive "
                           f"{p_dim}D, and negative {n_dim}D inputs")
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_neg = _pw.minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    loss = (margin + d_pos - d_neg).clamp_min(0)
    return _reduce(loss, reduction)


def triplet_margin_with_distance_loss(anchor, positive, negative, *, distance_function=None,
                                      margin=1.0, swap=False, reduction="mean"):
    """triplet_margin_loss with any distance function (default: pairwise_distance)."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    a_dim, p_dim, n_dim = anchor.ndim, positive.ndim, negative.ndim
    if not (a_dim == p_dim and p_dim == n_dim):
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {a_dim}D, positive "
                           f"{p_dim}D, and negative {n_dim}D inputs")
    if distance_function is None:
        distance_function = pairwise_distance
    d_pos = distance_function(anchor, positive)
    d_neg = distance_function(anchor, negative)
    if swap:
        d_neg = _pw.minimum(d_neg, distance_function(positive, negative))
    loss = (margin + d_pos - d_neg).clamp_min(0)
    return _reduce(loss, reduction)


# ------------------------------------------------------------------------ CTC
_NEG_INF = -np.inf


def _ctc_extended(labels, blank):
    """Labels with blanks between and around them: [b, l1, b, l2, ..., b]."""
    ext = np.full(2 * len(labels) + 1, blank, dtype=np.int64)
    ext[1::2] = labels
    # a transition may skip s-1 only onto a non-blank differing from the label two back
    skip = np.zeros(len(ext), dtype=bool)
    skip[2:] = (ext[2:] != blank) & (ext[2:] != ext[:-2])
    return ext, skip


def _ctc_alpha(lp, ext, skip, length):
    """Forward variables log alpha[t, s] for one sequence (lp: (T, C) log-probabilities)."""
    S = len(ext)
    alpha = np.full((max(length, 1), S), _NEG_INF)
    if length == 0:
        return alpha
    alpha[0, 0] = lp[0, ext[0]]
    if S > 1:
        alpha[0, 1] = lp[0, ext[1]]
    for t in range(1, length):
        prev = alpha[t - 1]
        one_back = np.full(S, _NEG_INF)
        one_back[1:] = prev[:-1]
        two_back = np.full(S, _NEG_INF)
        two_back[2:] = np.where(skip[2:], prev[:-2], _NEG_INF)
        alpha[t] = lp[t, ext] + np.logaddexp(np.logaddexp(prev, one_back), two_back)
    return alpha


def _ctc_beta(lp, ext, skip, length):
    """Backward variables log beta[t, s] (each includes lp[t, ext[s]])."""
    S = len(ext)
    beta = np.full((max(length, 1), S), _NEG_INF)
    if length == 0:
        return beta
    beta[length - 1, S - 1] = lp[length - 1, ext[S - 1]]
    if S > 1:
        beta[length - 1, S - 2] = lp[length - 1, ext[S - 2]]
    for t in range(length - 2, -1, -1):
        nxt = beta[t + 1]
        one_on = np.full(S, _NEG_INF)
        one_on[:-1] = nxt[1:]
        # s may jump to s + 2 when s + 2 may be reached by a skip
        two_on = np.full(S, _NEG_INF)
        two_on[:-2] = np.where(skip[2:], nxt[2:], _NEG_INF)
        beta[t] = lp[t, ext] + np.logaddexp(np.logaddexp(nxt, one_on), two_on)
    return beta


def _ctc_nll(alpha, length):
    if length == 0:
        return np.inf
    last = alpha[length - 1]
    tail = last[-2:] if len(last) > 1 else last[-1:]
    return -np.logaddexp.reduce(tail)


def _ctc_sequences(log_probs, targets, input_lengths, target_lengths):
    """Yield (n, lp (T, C), labels, input length) for every batch element."""
    offsets = np.concatenate(([0], np.cumsum(target_lengths)))
    for n in range(log_probs.shape[1]):
        if targets.ndim == 2:
            labels = targets[n, :target_lengths[n]]
        else:
            labels = targets[offsets[n]:offsets[n + 1]]
        yield n, log_probs[:, n, :], labels, int(input_lengths[n])


def _ctc_forward(log_probs, targets, input_lengths, target_lengths, blank, reduction,
                 zero_infinity):
    losses = np.empty(log_probs.shape[1])
    with np.errstate(all="ignore"):
        for n, lp, labels, length in _ctc_sequences(log_probs.astype(np.float64), targets,
                                                    input_lengths, target_lengths):
            ext, skip = _ctc_extended(labels, blank)
            losses[n] = _ctc_nll(_ctc_alpha(lp, ext, skip, length), length)
    if zero_infinity:
        losses = np.where(np.isinf(losses), 0.0, losses)
    return _ctc_reduce(losses, target_lengths, reduction).astype(log_probs.dtype)


def _ctc_reduce(losses, target_lengths, reduction):
    if reduction == "mean":
        return np.asarray(np.mean(losses / np.maximum(target_lengths, 1)))
    if reduction == "sum":
        return np.asarray(losses.sum())
    return losses


def _ctc_vjp(F, g, out, log_probs, targets, input_lengths, target_lengths, blank, reduction,
             zero_infinity):
    """torch's CTC gradient: exp(lp) - exp(log sum_{s: l'_s = c} alpha beta + nll - lp).

    Like torch it assumes log_probs come from log_softmax (the exp(lp) term cancels
    through log_softmax's backward). It is computed in NumPy, so it cannot be
    differentiated again.
    """
    lp_all = log_probs if isinstance(log_probs, np.ndarray) else log_probs._data
    g_np = g if isinstance(g, np.ndarray) else g._data
    T, N, C = lp_all.shape
    grad = np.zeros((T, N, C))
    with np.errstate(all="ignore"):
        for n, lp, labels, length in _ctc_sequences(lp_all.astype(np.float64), targets,
                                                    input_lengths, target_lengths):
            ext, skip = _ctc_extended(labels, blank)
            alpha = _ctc_alpha(lp, ext, skip, length)
            beta = _ctc_beta(lp, ext, skip, length)
            nll = _ctc_nll(alpha, length)
            if zero_infinity and np.isinf(nll):
                continue
            ab = alpha[:length] + beta[:length]
            lcab = np.full((length, C), _NEG_INF)
            for s, c in enumerate(ext):
                lcab[:, c] = np.logaddexp(lcab[:, c], ab[:, s])
            grad[:length, n, :] = np.exp(lp[:length]) - np.exp(lcab + nll - lp[:length])
    if reduction == "none":
        scale = g_np.reshape(1, N, 1)
    elif reduction == "sum":
        scale = g_np
    else:
        scale = g_np / np.maximum(target_lengths, 1).reshape(1, N, 1) / N
    grad = (grad * scale).astype(lp_all.dtype)
    return (grad if isinstance(g, np.ndarray) else Tensor._make(grad),)


_ctc = defprim("nn_ctc_loss", "CtcLossBackward0", _ctc_forward, vjp=_ctc_vjp)


def _lengths(lengths, name, n):
    values = np.asarray(lengths._data if isinstance(lengths, Tensor) else lengths,
                        dtype=np.int64).reshape(-1)
    if values.shape[0] != n:
        raise RuntimeError(f"{name} must be of size batch_size")
    return values


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction="mean",
             zero_infinity=False):
    """Connectionist temporal classification loss of (T, N, C) (or (T, C)) log-probabilities.

    'mean' divides each loss by its target length, then averages over the batch.
    """
    reduction = _reduction(reduction)
    unbatched = log_probs.ndim == 2
    if unbatched:
        log_probs = log_probs.unsqueeze(1)
        targets = targets.unsqueeze(0) if targets.ndim == 1 else targets
    if log_probs.ndim != 3:
        raise RuntimeError(f"ctc_loss: expected log_probs to be 2-D or 3-D, got {log_probs.ndim}-D")
    T, N, C = log_probs.shape
    input_lengths = _lengths(input_lengths, "input_lengths", N)
    target_lengths = _lengths(target_lengths, "target_lengths", N)
    if not 0 <= blank < C:
        raise RuntimeError("blank must be in label range")
    if np.any(input_lengths > T):
        raise RuntimeError(f"Expected input_lengths to have value at most {T}, but got value "
                           f"{int(input_lengths.max())}")
    tg = targets._data.astype(np.int64)
    if tg.ndim == 2 and np.any(target_lengths > tg.shape[1]):
        raise RuntimeError(f"Expected tensor to have size at least {int(target_lengths.max())} "
                           f"at dimension 1, but got size {tg.shape[1]} for argument #2 "
                           "'targets' (while checking arguments for ctc_loss_cpu)")
    out = _ctc(log_probs, targets=tg, input_lengths=input_lengths,
               target_lengths=target_lengths, blank=blank, reduction=reduction,
               zero_infinity=zero_infinity)
    if unbatched and reduction == "none":
        out = out.squeeze(0)
    return out


# ------------------------------------------------------------ linear + cross entropy
_NO_IGNORE = -(1 << 62)  # ignore_index=None: no class index can equal this


def linear_cross_entropy(input, linear_weight, target, *, linear_bias=None, weight=None,
                         reduction="mean", ignore_index=None, label_smoothing=0.0,
                         options=None):
    """cross_entropy(linear(input, linear_weight, linear_bias), target, ...), computed by the
    reference formula (torch's chunked ``options`` are not supported)."""
    if options is not None:
        raise NotImplementedError("linear_cross_entropy: the 'options' argument (chunked "
                                  "evaluation) is not supported")
    if linear_weight.ndim != 2:
        raise NotImplementedError("linear_cross_entropy: only 2-D linear_weight (no "
                                  "out_features) is supported")
    if input.ndim not in (1, 2):
        raise RuntimeError(f"expected input with dimensionality 1 or 2, got {input.ndim}")
    from .linear import linear
    logits = linear(input, linear_weight, linear_bias)
    return cross_entropy(logits, target, weight, ignore_index=(
        _NO_IGNORE if ignore_index is None else ignore_index), reduction=reduction,
        label_smoothing=label_smoothing)
