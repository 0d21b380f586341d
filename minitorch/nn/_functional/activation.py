"""functional: activations, each common one a fused primitive with torch's grad_fn name.

Every primitive's backward rule uses only operators and ``F.where``/``F.exp``/...
so it also works under ``create_graph=True`` (double backward).
"""
import math
import warnings

import numpy as np
import scipy.special as _sp

from ... import _random
from ..._ops import pointwise as _pw
from ..._ops._registry import wrap_dim
from ..._tensor import Tensor
from ...autograd._primitive import defprim, numpy_namespace, numpy_rule_op

__all__ = ["threshold", "threshold_", "relu", "relu_", "relu6", "hardtanh", "hardtanh_",
           "leaky_relu", "leaky_relu_", "prelu", "rrelu", "rrelu_", "elu", "elu_", "selu",
           "selu_", "celu", "celu_", "gelu", "silu", "mish", "sigmoid", "tanh", "logsigmoid",
           "hardsigmoid", "hardswish", "hardshrink", "softshrink", "tanhshrink", "softplus",
           "softsign", "glu", "softmax", "log_softmax", "softmin", "gumbel_softmax"]

# NumPy twins of minitorch functions that the rules below call through ``F``.
for _name, _fn in (("tanh", np.tanh), ("sigmoid", _sp.expit), ("erf", _sp.erf),
                   ("expm1", np.expm1), ("log1p", np.log1p), ("abs", np.abs)):
    if not hasattr(numpy_namespace, _name):
        numpy_rule_op(_name)(_fn)


def _quiet(fn):
    """Forward without NumPy floating-point warnings (torch returns inf/nan silently)."""
    def forward(*args, **kwargs):
        with np.errstate(all="ignore"):
            out = fn(*args, **kwargs)
        return np.asarray(out).astype(args[0].dtype, copy=False)
    return forward


def _prim(name, node, forward, rule, **options):
    return defprim("nn_" + name, node, _quiet(forward), grads=(rule,), **options)


def _require_float(input, kernel):
    if not isinstance(input, Tensor):
        raise TypeError(f"{kernel}(): argument 'input' must be Tensor, not "
                        f"{type(input).__name__}")
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise _pw._kind_error(kernel, input.dtype)


def _run(prim, input, inplace, kernel, **params):
    """Apply ``prim`` out of place, or in place through Tensor._inplace (version counters)."""
    _require_float(input, kernel)
    if inplace:
        return input._inplace(lambda t: prim(t, **params))
    return prim(input, **params)


# ------------------------------------------------------------------ thresholds
# torch tests x <= threshold, so NaN inputs stay NaN and pass their gradient
_threshold = _prim("threshold", "ThresholdBackward0",
                   lambda x, threshold, value: np.where(x <= threshold, value, x),
                   lambda F, g, out, x, threshold, value: g * ~(x <= threshold))


def threshold(input, threshold, value, inplace=False):
    """``value`` where input <= threshold, else input (integer inputs are allowed, as torch)."""
    if inplace:
        return input._inplace(lambda t: _threshold(t, threshold=threshold, value=value))
    return _threshold(input, threshold=threshold, value=value)


def threshold_(input, threshold, value):
    """In-place :func:`threshold`."""
    return globals()["threshold"](input, threshold, value, inplace=True)


def relu(input, inplace=False):
    """max(input, 0)."""
    return input.relu_() if inplace else _pw.relu(input)


def relu_(input):
    """In-place :func:`relu`."""
    return input.relu_()


_hardtanh = _prim("hardtanh", "HardtanhBackward0",
                  lambda x, min_val, max_val: np.clip(x, min_val, max_val),
                  lambda F, g, out, x, min_val, max_val: g * ((x > min_val) & (x < max_val)))


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """Clamp to [min_val, max_val]; the gradient is 1 strictly inside the interval."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if input.dtype.is_floating_point:
        return _run(_hardtanh, input, inplace, "hardtanh", min_val=min_val, max_val=max_val)
    # torch clamps integer tensors too (no gradient is possible there)
    out = input.clamp(min_val, max_val)
    return input.copy_(out) if inplace else out


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    """In-place :func:`hardtanh`."""
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input, inplace=False):
    """min(max(input, 0), 6), recorded as HardtanhBackward0 as in torch."""
    return hardtanh(input, 0.0, 6.0, inplace)


_leaky = _prim("leaky_relu", "LeakyReluBackward0",
               lambda x, negative_slope: np.where(x > 0, x, x * negative_slope),
               lambda F, g, out, x, negative_slope: F.where(x > 0, g, g * negative_slope))


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """input where positive, negative_slope * input elsewhere."""
    return _run(_leaky, input, inplace, "leaky_relu_cpu", negative_slope=negative_slope)


def leaky_relu_(input, negative_slope=0.01):
    """In-place :func:`leaky_relu`."""
    return leaky_relu(input, negative_slope, inplace=True)


def _prelu_forward(x, w):
    return np.where(x > 0, x, w * x)


_prelu = defprim("nn_prelu", "PreluKernelBackward0", _quiet(_prelu_forward), grads=(
    lambda F, g, out, x, w: F.where(x > 0, g, g * w),
    lambda F, g, out, x, w: F.where(x > 0, g * 0, g * x)))


def prelu(input, weight):
    """leaky_relu with a learnable slope per channel (dim 1, or dim 0 for 1-D input)."""
    _require_float(input, "prelu_cpu")
    n = weight.numel()
    if n != 1:
        if input.ndim == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channel_dim = 1 if input.ndim >= 2 else 0
        channels = input.shape[channel_dim]
        if n != channels:
            raise RuntimeError("Mismatch of parameter numbers and input channel size. Found "
                               f"parameter numbers = {n} and channel size = {channels}.")
        if weight.ndim != 1:
            raise RuntimeError("prelu: Expected `weight` to be a scalar or 1D tensor, but got: "
                               f"ndim = {weight.ndim}")
        shape = [1] * input.ndim
        shape[channel_dim] = n
        weight = weight.reshape(shape)
    elif weight.ndim > 0:
        weight = weight.reshape([])  # one slope: broadcast it without adding a dim
    return _prelu(input, weight)


def _rrelu_forward(x, noise):
    return np.where(x >= 0, x, x * noise)


_rrelu = _prim("rrelu_with_noise", "RreluWithNoiseBackward0", _rrelu_forward,
               lambda F, g, out, x, noise: F.where(x >= 0, g, g * noise))


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Leaky ReLU whose negative slope is drawn from U(lower, upper) per element in training,
    and fixed at (lower + upper) / 2 otherwise; draws use minitorch's default generator."""
    _require_float(input, "rrelu_with_noise_cpu")
    if training:
        rng = _random._rng(None)
        noise = (lower + (upper - lower) * rng.random(input.shape)).astype(input._data.dtype)
    else:
        noise = np.asarray((lower + upper) / 2, dtype=input._data.dtype)
    return _run(_rrelu, input, inplace, "rrelu_with_noise_cpu", noise=noise)


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    """In-place :func:`rrelu`."""
    return rrelu(input, lower, upper, training, inplace=True)


# ----------------------------------------------------------- exponential family
def _elu_forward(x, alpha, scale, input_scale):
    return np.where(x > 0, x * scale, np.expm1(x * input_scale) * (alpha * scale))


def _elu_grad(F, g, out, x, alpha, scale, input_scale):
    return F.where(x > 0, g * scale, g * F.exp(x * input_scale) * (alpha * scale * input_scale))


_elu = _prim("elu", "EluBackward0", _elu_forward, _elu_grad)
_celu = _prim("celu", "CeluBackward0", _elu_forward, _elu_grad)

_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def elu(input, alpha=1.0, inplace=False):
    """input where positive, alpha * (exp(input) - 1) elsewhere."""
    return _run(_elu, input, inplace, "elu_cpu", alpha=alpha, scale=1.0, input_scale=1.0)


def elu_(input, alpha=1.0):
    """In-place :func:`elu`."""
    return elu(input, alpha, inplace=True)


def selu(input, inplace=False):
    """scale * elu(input, alpha) with the self-normalising constants (EluBackward0 as torch)."""
    return _run(_elu, input, inplace, "elu_cpu", alpha=_SELU_ALPHA, scale=_SELU_SCALE,
                input_scale=1.0)


def selu_(input):
    """In-place :func:`selu`."""
    return selu(input, inplace=True)


def celu(input, alpha=1.0, inplace=False):
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _run(_celu, input, inplace, "elu_cpu", alpha=alpha, scale=1.0, input_scale=1.0 / alpha)


def celu_(input, alpha=1.0):
    """In-place :func:`celu`."""
    return celu(input, alpha, inplace=True)


# ------------------------------------------------------------ smooth gates
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2 = 1.0 / math.sqrt(2.0)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


def _gelu_forward(x, approximate, cdf=None):
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)))
    return x * cdf


def _normal_cdf(x):
    """Phi(x) = 0.5 * (1 + erf(x / sqrt(2))), the costly part of exact GELU.

    scipy's erf takes ~10 ns per element (NumPy's exp ~0.5), so gelu() computes it once
    and hands it to the primitive as a parameter: the forward multiplies by it and the
    backward reuses it instead of calling erf again. (x * Phi(x) rounds exactly like
    0.5 * x * (1 + erf): the factor 0.5 only shifts the exponent.)"""
    with np.errstate(all="ignore"):
        cdf = _sp.erf(x * _INV_SQRT_2)
        cdf += 1
        cdf *= 0.5
    return cdf


def _gelu_grad(F, g, out, x, approximate, cdf=None):
    if approximate == "tanh":
        t = F.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x * x * x))
        slope = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_OVER_PI * (
            1 + 3 * 0.044715 * x * x)
        return g * slope
    if F is not numpy_namespace:
        # create_graph: the saved cdf is a constant, so rebuild it from x to differentiate it
        cdf = 0.5 * (1 + F.erf(x * _INV_SQRT_2))
    elif x.dtype == cdf.dtype == g.dtype:
        # the formula below, evaluated in one buffer (same operations, same rounding):
        # GELU sits on the widest activations, where each temporary array costs
        slope = np.multiply(x, x, out=np.empty_like(x))  # an array even when 0-d
        slope *= -0.5
        np.exp(slope, out=slope)
        slope *= _INV_SQRT_2PI
        slope *= x
        slope += cdf
        slope *= g
        return slope
    pdf = F.exp(-0.5 * x * x) * _INV_SQRT_2PI
    return g * (cdf + x * pdf)


_gelu = _prim("gelu", "GeluBackward0", _gelu_forward, _gelu_grad)


def gelu(input, approximate="none"):
    """x * Phi(x); ``approximate='tanh'`` uses torch's tanh approximation."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    if approximate == "tanh":
        return _run(_gelu, input, False, "GeluKernelImpl", approximate=approximate)
    _require_float(input, "GeluKernelImpl")
    return _gelu(input, approximate=approximate, cdf=_normal_cdf(input._data))


def _silu_grad(F, g, out, x):
    s = F.sigmoid(x)
    return g * s * (1 + x * (1 - s))


_silu = _prim("silu", "SiluBackward0", lambda x: x * _sp.expit(x), _silu_grad)


def silu(input, inplace=False):
    """x * sigmoid(x)."""
    return _run(_silu, input, inplace, "silu_cpu")


def _softplus_np(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


def _mish_grad(F, g, out, x):
    sp = F.where(x > 20, x, F.log1p(F.exp(F.where(x > 20, x * 0, x))))
    t = F.tanh(sp)
    return g * (t + x * F.sigmoid(x) * (1 - t * t))


_mish = _prim("mish", "MishBackward0", lambda x: x * np.tanh(_softplus_np(x)), _mish_grad)


def mish(input, inplace=False):
    """x * tanh(softplus(x))."""
    return _run(_mish, input, inplace, "mish_cpu")


_logsigmoid = _prim("log_sigmoid", "LogSigmoidBackward0",
                    lambda x: np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))),
                    lambda F, g, out, x: g * F.sigmoid(-x))


def logsigmoid(input):
    """log(sigmoid(x)), computed without overflow."""
    return _run(_logsigmoid, input, False, "log_sigmoid_cpu")


def _softplus_forward(x, beta, threshold):
    bx = x * beta
    # above the threshold softplus is the identity to working precision
    return np.where(bx > threshold, x, (np.maximum(bx, 0) + np.log1p(np.exp(-np.abs(bx)))) / beta)


_softplus = _prim("softplus", "SoftplusBackward0", _softplus_forward,
                  lambda F, g, out, x, beta, threshold:
                      F.where(x * beta > threshold, g, g * F.sigmoid(x * beta)))


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, reverting to x where beta x > threshold."""
    return _run(_softplus, input, False, "softplus_cpu", beta=beta, threshold=threshold)


def sigmoid(input):
    """1 / (1 + exp(-x))."""
    return _pw.sigmoid(input)


def tanh(input):
    """Hyperbolic tangent."""
    return _pw.tanh(input)


# ------------------------------------------------------------ piecewise-linear
_hardsigmoid = _prim("hardsigmoid", "HardsigmoidBackward0",
                     lambda x: np.clip(x / 6 + 0.5, 0, 1),
                     lambda F, g, out, x: g * ((x > -3) & (x < 3)) / 6)


def hardsigmoid(input, inplace=False):
    """clamp(x / 6 + 1/2, 0, 1)."""
    return _run(_hardsigmoid, input, inplace, "hardsigmoid_cpu")


_hardswish = _prim("hardswish", "HardswishBackward0",
                   lambda x: x * np.clip(x + 3, 0, 6) / 6,
                   lambda F, g, out, x: F.where(x < -3, g * 0,
                                                F.where(x <= 3, g * (x / 3 + 0.5), g)))


def hardswish(input, inplace=False):
    """x * clamp(x + 3, 0, 6) / 6."""
    return _run(_hardswish, input, inplace, "hardswish_cpu")


_hardshrink = _prim("hardshrink", "HardshrinkBackward0",
                    lambda x, lambd: np.where((x >= -lambd) & (x <= lambd), 0, x),
                    lambda F, g, out, x, lambd: F.where((x >= -lambd) & (x <= lambd), g * 0, g))


def hardshrink(input, lambd=0.5):
    """0 on [-lambd, lambd], x elsewhere."""
    return _run(_hardshrink, input, False, "hardshrink_cpu", lambd=lambd)


_softshrink = _prim("softshrink", "SoftshrinkBackward0",
                    # x * 0 in the middle, as torch: NaN stays NaN and -0.5 gives -0.0
                    lambda x, lambd: np.where(x > lambd, x - lambd,
                                              np.where(x < -lambd, x + lambd, x * 0)),
                    lambda F, g, out, x, lambd: F.where((x >= -lambd) & (x <= lambd), g * 0, g))


def softshrink(input, lambd=0.5):
    """Shrink towards 0 by lambd; 0 on [-lambd, lambd]."""
    if lambd < 0:
        raise RuntimeError("lambda must be in range [0, 3.40282e+38] for input dtype "
                           f"{str(input.dtype).replace('torch.', '').capitalize()}, but found "
                           f"{lambd}")
    return _run(_softshrink, input, False, "softshrink_cpu", lambd=lambd)


def tanhshrink(input):
    """x - tanh(x) (composite, SubBackward0 as torch)."""
    return input - input.tanh()


def softsign(input):
    """x / (1 + |x|) (composite, DivBackward0 as torch)."""
    return input / (input.abs() + 1)


# ------------------------------------------------------------------------ GLU
def _glu_forward(x, dim):
    a, b = np.split(x, 2, axis=dim)
    return a * _sp.expit(b)


def _glu_vjp(F, g, out, x, dim):
    half = x.shape[dim] // 2
    a = F.narrow(x, dim, 0, half)
    b = F.narrow(x, dim, half, half)
    s = F.sigmoid(b)
    return (F.cat([g * s, g * a * s * (1 - s)], dim),)


_glu = defprim("nn_glu", "GluBackward0", _quiet(_glu_forward), vjp=_glu_vjp)


def glu(input, dim=-1):
    """a * sigmoid(b) where a, b are the two halves of input along ``dim``."""
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    axis = wrap_dim(dim, input.ndim)
    if input.shape[axis] % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {axis} is size "
                           f"{input.shape[axis]}")
    _require_float(input, "glu_cpu")
    return _glu(input, dim=axis)


# ------------------------------------------------------------------- softmax
def _get_softmax_dim(name, ndim, stacklevel):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call "
                  "to include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(x) / sum(exp(x)) along dim; dim=None picks torch's legacy implicit dim and warns."""
    if dim is None:
        dim = _get_softmax_dim("softmax", input.ndim, _stacklevel)
    return _pw.softmax(input, dim, dtype=dtype)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """log(softmax(x)) along dim, computed stably; dim=None as :func:`softmax`."""
    if dim is None:
        dim = _get_softmax_dim("log_softmax", input.ndim, _stacklevel)
    return _pw.log_softmax(input, dim, dtype=dtype)


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-x) along dim."""
    if dim is None:
        dim = _get_softmax_dim("softmin", input.ndim, _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return _pw.softmax(-input, dim)


def gumbel_softmax(logits, tau=1.0, hard=False, eps=1e-10, dim=-1):
    """Softmax of (logits + Gumbel noise) / tau; ``hard`` gives one-hot values with the
    soft gradient (straight-through). Noise comes from minitorch's default generator."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    gumbels = -logits.new_empty(logits.shape).exponential_().log()
    y_soft = _pw.softmax((logits + gumbels) / tau, dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = logits.new_zeros(logits.shape).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft
