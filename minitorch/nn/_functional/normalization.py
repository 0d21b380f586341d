"""Normalization: batch, layer, group, instance, RMS and local response norm.

Batch, layer and group norm share one fused primitive: normalise over some
axes, then scale and shift. Its backward is the closed form
``dx = invstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat))`` with
``dxhat = g * weight``, which is both faster and more stable than
differentiating the mean and variance step by step.
"""
import math
import numbers

import numpy as np

from ..._tensor import Tensor
from ...autograd import grad_mode
from ...autograd._primitive import defprim
from .padding import pad as _pad
from .pooling import avg_pool2d, avg_pool3d

__all__ = ["batch_norm", "layer_norm", "rms_norm", "group_norm", "instance_norm",
           "local_response_norm"]


# --------------------------------------------------------- the fused primitive
def _sum_over(axes, a, b=None):
    """sum(a) or sum(a * b) over ``axes``, keepdims; einsum does it in one fused pass,
    several times faster than ``np.sum`` over non-contiguous axes."""
    letters = "abcdefghijklmnop"[:a.ndim]
    kept = "".join(ch for i, ch in enumerate(letters) if i not in axes)
    operands = (a,) if b is None else (a, b)
    total = np.einsum(",".join([letters] * len(operands)) + "->" + kept, *operands)
    return total.reshape([1 if i in axes else n for i, n in enumerate(a.shape)])


def _short_buffers(x, axes):
    """A context in which NumPy's ufuncs broadcast a per-channel operand over ``x`` fast.

    With its default 8192-element buffer, a ufunc whose operand (such as a (1, C, 1, 1)
    scale) changes every few hundred elements copies that operand into a buffer first,
    which makes ``x * scale`` two to three times slower than ``x * 2.0``. A buffer no
    longer than the contiguous run each stats value covers (the trailing reduced dims
    of a C-contiguous ``x``) passes the operand with stride 0 instead. Short runs (below
    192) are left alone: there the per-run calls cost more than the copy."""
    run = 1
    for d in range(x.ndim - 1, -1, -1):
        if d not in axes:
            break
        run *= x.shape[d]
    if 192 <= run < 8192 and x.flags.c_contiguous:
        return _ShortBuffers(run - run % 16)
    return np.errstate()


class _ShortBuffers:
    """np.errstate() with the ufunc buffer size set inside it (restored on exit)."""

    __slots__ = ("size", "state")

    def __init__(self, size):
        self.size = size
        self.state = np.errstate()

    def __enter__(self):
        self.state.__enter__()
        np.setbufsize(self.size)

    def __exit__(self, *exc):
        return self.state.__exit__(*exc)


def _stats_np(x, axes, eps):
    """Mean, biased variance and 1/sqrt(var + eps) over ``axes``, keepdims (two-pass),
    and the centered ``x - mean`` (a fresh array the forward normalises in place)."""
    count = max(math.prod(x.shape[a] for a in axes), 1)
    mean = _sum_over(axes, x) / count
    centered = x - mean
    var = _sum_over(axes, centered, centered) / count
    return mean, var, 1.0 / np.sqrt(var + eps), centered


def _norm_forward(x, w=None, b=None, *, axes, wshape, eps, stats):
    """y = (x - mean) * invstd * w + b, computing the statistics, which it leaves in the
    dict ``stats`` (mean, var, invstd in x's dtype) for the caller and the backward."""
    with _short_buffers(x, axes):
        mean, var, invstd, y = _stats_np(x, axes, eps)
        invstd = invstd.astype(x.dtype, copy=False)
        stats["mean"], stats["var"], stats["invstd"] = mean, var, invstd
        if y.dtype != x.dtype or (w is not None and not w.dtype == b.dtype == x.dtype):
            # mixed dtypes: compute in the promoted dtype, as the ops would
            y = y * invstd
            if w is not None:
                y = y * w.reshape(wshape) + b.reshape(wshape)
            return y.astype(x.dtype, copy=False)
        # y is the fresh centered array: finish it in place
        if w is not None and all(wshape[a] == 1 for a in axes):
            # batch norm: one per-channel scale, then the shift
            y *= invstd * w.reshape(wshape)
            y += b.reshape(wshape)
            return y
        y *= invstd
        if w is not None:
            y *= w.reshape(wshape)
            y += b.reshape(wshape)
        return y


# The block of samples the batch-norm backward finishes at a time: small enough that
# its arrays stay in a core's L2 cache between passes.
_BLOCK_BYTES = 1 << 18


def _batch_norm_vjp_np(g, x, w, axes, wshape, mean, invstd):
    """The closed form when statistics and weight share axes (batch norm), in few passes.

    With gb = sum(g) and gw = sum(g * xhat), dx = a*g + k*x + c per channel, where
    a = w*invstd, k = -a*invstd*gw/M and c = -a*gb/M - k*mean. dx is computed a few
    samples at a time, all four passes over one block while it is in cache, with a
    block-sized scratch array for k*x.
    """
    count = math.prod(x.shape[a] for a in axes)
    w = w.reshape(wshape)
    with _short_buffers(x, axes):
        gb = _sum_over(axes, g)
        gw = invstd * (_sum_over(axes, g, x) - mean * gb)
        a = w * invstd
        k = -a * invstd * gw / count
        c = -a * gb / count - k * mean
        gx = np.empty(np.broadcast_shapes(g.shape, a.shape), np.result_type(g, a))
        block = max(1, _BLOCK_BYTES // max(gx[:1].nbytes, 1))
        scratch = np.empty_like(gx[:block])
        for start in range(0, len(gx), block):
            rows = slice(start, start + block)
            out, kx = gx[rows], scratch[:len(gx[rows])]
            np.multiply(g[rows], a, out=out)
            np.multiply(x[rows], k, out=kx)
            out += kx
            out += c
    return gx, gw, gb


def _norm_vjp(F, g, out, x, *wb, axes, wshape, eps, stats):
    mean, invstd = stats["mean"], stats["invstd"]
    numpy_mode = isinstance(g, np.ndarray)
    if numpy_mode and wb and all(wshape[a] == 1 for a in axes):
        w = wb[0]
        gx, gw, gb = _batch_norm_vjp_np(g, x, w, axes, wshape, mean, invstd)
        return gx, gw.reshape(w.shape), gb.reshape(w.shape)
    if not numpy_mode:
        # create_graph: recompute the statistics from x so they are differentiated too
        mean = x.mean(axes, keepdim=True)
        centered = x - mean
        invstd = ((centered * centered).mean(axes, keepdim=True) + eps).rsqrt()
        xhat = centered * invstd
    else:
        xhat = (x - mean) * invstd
    if wb:
        w, b = wb
        gxhat = g * w.reshape(wshape)
    else:
        gxhat = g
    count = math.prod(x.shape[a] for a in axes)
    sum_g = F.sum(gxhat, axes, True)
    sum_gx = F.sum(gxhat * xhat, axes, True)
    gx = invstd * (gxhat - sum_g / count - xhat * (sum_gx / count))
    if not wb:
        return (gx,)
    other = tuple(a for a in range(g.ndim) if wshape[a] == 1)
    gw = F.sum(g * xhat, other, True).reshape(w.shape)
    gb = F.sum(g, other, True).reshape(w.shape)
    return gx, gw, gb


_batch_norm = defprim("native_batch_norm", "NativeBatchNormBackward0", _norm_forward,
                      vjp=_norm_vjp)
_layer_norm = defprim("native_layer_norm", "NativeLayerNormBackward0", _norm_forward,
                      vjp=_norm_vjp)
_group_norm = defprim("native_group_norm", "NativeGroupNormBackward0", _norm_forward,
                      vjp=_norm_vjp)


def _normalize(prim, x, weight, bias, axes, wshape, eps):
    """Run the fused primitive; a missing weight or bias becomes a constant 1 or 0.

    Returns the output and the statistics the forward computed (mean, var, invstd)."""
    args = (x,)
    if weight is not None or bias is not None:
        shape = (weight if weight is not None else bias).shape
        if weight is None:
            weight = Tensor._make(np.ones(shape, dtype=x._data.dtype))
        if bias is None:
            bias = Tensor._make(np.zeros(shape, dtype=x._data.dtype))
        args = (x, weight, bias)
    stats = {}
    y = prim(*args, axes=axes, wshape=wshape, eps=eps, stats=stats)
    return y, stats


# ----------------------------------------------------------------- batch norm
def _check_floating(input, name):
    if not input.dtype.is_floating_point:
        raise RuntimeError(f'"{name}" not implemented for \'{str(input.dtype)[6:]}\'')


def _update_running(running, value, momentum):
    """running = (1 - momentum) * running + momentum * value, in place and untracked."""
    with grad_mode.no_grad():
        running.mul_(1 - momentum).add_(Tensor._make(value.astype(running._data.dtype)),
                                        alpha=momentum)


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Normalise each channel (dim 1) over the batch and spatial dims."""
    _check_floating(input, "batch_norm")
    if input.ndim < 2:
        raise ValueError(f"expected 2D or more input (got {input.ndim}D input)")
    channels = input.shape[1]
    for name, t in (("weight", weight), ("bias", bias), ("running_mean", running_mean),
                    ("running_var", running_var)):
        if t is not None and t.numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {t.numel()}")
        if t is not None and t.dtype != input.dtype:
            raise RuntimeError("mixed dtype (CPU): all inputs must share same datatype.")
    for name, t in (("running_mean", running_mean), ("running_var", running_var)):
        if t is not None and t.requires_grad:
            raise RuntimeError("The function 'native_batch_norm' is not differentiable with "
                               f"respect to argument '{name}'. This input cannot have "
                               "requires_grad True.")
    if training and eps <= 0.0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    if eps < 0.0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    axes = (0,) + tuple(range(2, input.ndim))
    wshape = (1, channels) + (1,) * (input.ndim - 2)
    if training:
        count = math.prod(input.shape[a] for a in axes)
        if count == 1:
            raise ValueError("Expected more than 1 value per channel when training, got input "
                             f"size {list(input.shape)}")
        y, stats = _normalize(_batch_norm, input, weight, bias, axes, wshape, eps)
        mean, var = stats["mean"], stats["var"]
        if count == 0:
            return y  # an empty batch leaves the running statistics alone, as in torch
        if running_mean is not None:
            _update_running(running_mean, mean.reshape(channels), momentum)
        if running_var is not None:
            # the running variance is the unbiased estimate
            _update_running(running_var, var.reshape(channels) * (count / (count - 1)),
                            momentum)
        return y
    if running_mean is None or running_var is None:
        raise RuntimeError("running_mean and running_var must be defined in evaluation mode")
    # eval: a fixed per-channel affine map, differentiated by the ordinary ops
    y = (input - running_mean.reshape(wshape)) * (running_var.reshape(wshape) + eps).rsqrt()
    if weight is not None:
        y = y * weight.reshape(wshape)
    if bias is not None:
        y = y + bias.reshape(wshape)
    return y


# ----------------------------------------------------------------- layer norm
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalise over the last ``len(normalized_shape)`` dims."""
    _check_floating(input, "layer_norm")
    if isinstance(normalized_shape, numbers.Integral):
        raise TypeError("layer_norm(): argument 'normalized_shape' (position 2) must be tuple of "
                        "ints, not int")
    shape = tuple(normalized_shape)
    k = len(shape)
    if k == 0 or tuple(input.shape[input.ndim - k:]) != shape or input.ndim < k:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [*, "
            f"{', '.join(map(str, shape))}], but got input of size{list(input.shape)}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but "
                               f"got {name} of shape {list(t.shape)} and normalized_shape = "
                               f"{list(shape)}")
    axes = tuple(range(input.ndim - k, input.ndim))
    wshape = (1,) * (input.ndim - k) + shape
    return _normalize(_layer_norm, input, weight, bias, axes, wshape, eps)[0]


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """x / sqrt(mean(x^2) + eps) over the last dims; eps defaults to finfo(dtype).eps."""
    _check_floating(input, "rms_norm")
    if isinstance(normalized_shape, numbers.Integral):
        raise TypeError("rms_norm(): argument 'normalized_shape' (position 2) must be tuple of "
                        "ints, not int")
    shape = tuple(normalized_shape)
    k = len(shape)
    if tuple(input.shape[input.ndim - k:]) != shape:
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [*, "
            f"{', '.join(map(str, shape))}], but got input of size{list(input.shape)}")
    if eps is None:
        eps = float(np.finfo(input._data.dtype).eps)
    dims = tuple(range(input.ndim - k, input.ndim))
    y = input * ((input * input).mean(dims, keepdim=True) + eps).rsqrt()
    return y * weight if weight is not None else y


# ----------------------------------------------------------------- group norm
def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Normalise each group of ``C / num_groups`` channels per sample."""
    _check_floating(input, "group_norm")
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received "
                           f"{input.ndim}")
    n, c = input.shape[:2]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by "
                           f"num_groups, but got input of shape {list(input.shape)} and "
                           f"num_groups={num_groups}")
    grouped = input.reshape(n, num_groups, -1)
    y = _normalize(_group_norm, grouped, None, None, (2,), (1, 1, 1), eps)[0].reshape(input.shape)
    wshape = (1, c) + (1,) * (input.ndim - 2)
    if weight is not None:
        y = y * weight.reshape(wshape)
    if bias is not None:
        y = y + bias.reshape(wshape)
    return y


# -------------------------------------------------------------- instance norm
def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-5):
    """Normalise each (sample, channel) over its spatial dims."""
    _check_floating(input, "instance_norm")
    n, c = input.shape[:2]
    wshape = (1, c) + (1,) * (input.ndim - 2)
    if not use_input_stats:
        return batch_norm(input, running_mean, running_var, weight, bias, False, momentum, eps)
    spatial = math.prod(input.shape[2:])
    if spatial <= 1:
        raise ValueError("Expected more than 1 spatial element when training, got input size "
                         f"{list(input.shape)}")
    flat = input.reshape(n, c, -1)
    y = _normalize(_group_norm, flat, None, None, (2,), (1, 1, 1), eps)[0].reshape(input.shape)
    if running_mean is not None or running_var is not None:
        x = flat._data
        if running_mean is not None:
            _update_running(running_mean, x.mean(axis=2).mean(axis=0), momentum)
        if running_var is not None:
            var = x.var(axis=2) * (spatial / (spatial - 1))
            _update_running(running_var, var.mean(axis=0), momentum)
    if weight is not None:
        y = y * weight.reshape(wshape)
    if bias is not None:
        y = y + bias.reshape(wshape)
    return y


# ---------------------------------------------------- local response norm
def local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0):
    """Normalise each element by the energy of its ``size`` neighbouring channels."""
    if input.ndim < 3:
        raise ValueError(f"Expected 3D or higher dimensionality input (got {input.ndim} "
                         "dimensions)")
    if input.numel() == 0:
        return input
    div = input * input
    if input.ndim == 3:
        div = _pad(div.unsqueeze(1), (0, 0, size // 2, (size - 1) // 2))
        div = avg_pool2d(div, (size, 1), stride=1).squeeze(1)
    else:
        shape = input.shape
        div = div.reshape(shape[0], 1, shape[1], shape[2], -1)
        div = _pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = avg_pool3d(div, (size, 1, 1), stride=1).squeeze(1).reshape(shape)
    div = (div * alpha + k).pow(beta)
    return input / div

