"""Parity of torch's top-level pointwise ops: values, dtypes, gradients, in-place forms, errors."""
import numpy as np
import pytest
import torch

import minitorch
from harness import assert_values_close, check, check_error, noncontiguous, rand

FLOATS = [np.float64, np.float32]
BROADCAST_SHAPES = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((), (3,)),
                    ((0, 3), (3,))]

# name -> (low, high) of a domain where the function and its derivative are smooth
UNARY = {
    "exp2": (-3, 3), "expm1": (-3, 3), "log2": (0.1, 3), "log10": (0.1, 3),
    "log1p": (-0.9, 3), "rsqrt": (0.1, 3), "reciprocal": (0.3, 2), "sin": (-3, 3),
    "cos": (-3, 3), "tan": (-1.2, 1.2), "asin": (-0.95, 0.95), "arcsin": (-0.95, 0.95),
    "acos": (-0.95, 0.95), "arccos": (-0.95, 0.95), "atan": (-3, 3), "arctan": (-3, 3),
    "sinh": (-3, 3), "cosh": (-3, 3), "asinh": (-3, 3), "arcsinh": (-3, 3),
    "acosh": (1.1, 3), "arccosh": (1.1, 3), "atanh": (-0.9, 0.9), "arctanh": (-0.9, 0.9),
    "deg2rad": (-90, 90), "rad2deg": (-3, 3), "sinc": (-3, 3), "erf": (-2, 2),
    "erfc": (-2, 2), "erfinv": (-0.95, 0.95), "lgamma": (0.1, 4), "digamma": (0.1, 4),
    "i0": (-3, 3), "sigmoid": (-4, 4), "logit": (0.05, 0.95), "square": (-3, 3),
    "frac": (-3, 3), "floor": (-3, 3), "ceil": (-3, 3), "round": (-3, 3), "trunc": (-3, 3),
    "fix": (-3, 3), "sign": (-3, 3), "sgn": (-3, 3), "nan_to_num": (-3, 3),
    "angle": (-3, 3), "positive": (-3, 3),
}
# torch has no Tensor.<name>_ for these
NO_INPLACE = {"angle", "positive"}
# these keep integer dtypes instead of computing in floating point
INTEGRAL_OK = {"square", "floor", "ceil", "round", "trunc", "fix", "sign", "sgn", "nan_to_num",
               "positive"}


# torch's gradient of sgn is a ZeroTensor, which the harness cannot read: checked apart
ZERO_TENSOR_GRAD = {"sgn"}
# torch refuses these in place while recording (no derivative for the in-place form)
NO_INPLACE_GRAD = {"asinh", "arcsinh", "acosh", "arccosh", "atanh", "arctanh"}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_function_and_method(name, dtype):
    low, high = UNARY[name]
    grad = name not in ZERO_TENSOR_GRAD
    x = rand(3, 4, dtype=dtype, low=low, high=high)
    check(lambda lib, t: getattr(lib, name)(t), x, grad=grad)
    check(lambda lib, t: getattr(t, name)(), rand(dtype=dtype, low=low, high=high), grad=grad)
    check(lambda lib, t: getattr(lib, name)(t), rand(0, 3, dtype=dtype, low=low, high=high),
          grad=grad)


def test_sgn_gradient_is_zero():
    x = minitorch.tensor([-1.5, 0.0, 2.0], requires_grad=True)
    y = x.sgn()
    assert y.grad_fn.name() == "SgnBackward0"
    y.backward(minitorch.ones(3))
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_noncontiguous_and_integer_inputs(name):
    low, high = UNARY[name]
    check(lambda lib, t: getattr(lib, name)(t), noncontiguous(rand(3, 4, low=low, high=high)),
          grad=name not in ZERO_TENSOR_GRAD)
    ints = rand(2, 3, dtype=np.int32, low=max(low, -3), high=min(high, 3))
    if name in ("logit",):
        ints = rand(2, 3, dtype=np.int64, low=0, high=1)
    if name == "frac":
        check_error(lambda lib, t: lib.frac(t), ints)
        return
    check(lambda lib, t: getattr(lib, name)(t), ints, grad=False)


@pytest.mark.parametrize("name", sorted(set(UNARY) - NO_INPLACE))
def test_unary_inplace(name):
    low, high = UNARY[name]
    x = rand(3, 4, low=low, high=high)
    # in place on a non-leaf: the gradient flows back through the rebased history
    if name in NO_INPLACE_GRAD:
        check_error(lambda lib, t: getattr(t.requires_grad_() * 1, name + "_")().sum()
                    .backward(), x)
    else:
        check(lambda lib, t: getattr(t * 1, name + "_")(), x, grad=name not in ZERO_TENSOR_GRAD)
    t_out, m_out = check(lambda lib, t: getattr(t.clone(), name + "_")(), x, grad=False)
    if name not in INTEGRAL_OK:
        # float results cannot be written into an integer tensor
        check_error(lambda lib, t: getattr(t, name + "_")(), rand(3, dtype=np.int64, low=1,
                                                                   high=1))


def test_inplace_on_leaf_requiring_grad_raises():
    check_error(lambda lib, t: t.requires_grad_().sin_(), rand(3))


def test_inplace_returns_self():
    x = minitorch.tensor([0.5, 1.0])
    assert x.exp2_() is x and x.tolist() == pytest.approx([2 ** 0.5, 2.0])


def test_unary_special_values():
    x = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 1e-300, 1e300])
    for name in ("exp2", "expm1", "log2", "log10", "log1p", "rsqrt", "reciprocal", "sin",
                 "tanh", "asinh", "atan", "erf", "erfc", "erfinv", "sinc", "sign", "sgn",
                 "floor", "round", "frac", "trunc", "sigmoid", "logit", "square", "angle",
                 "deg2rad", "i0"):
        check(lambda lib, t: getattr(lib, name)(t), x, grad=False)
    check(lambda lib, t: lib.lgamma(t), np.array([0.5, 1.0, 2.0, -2.5, 10.0]))
    check(lambda lib, t: lib.digamma(t), np.array([0.0, 0.5, 1.0, -2.5, 10.0]), grad=False)


def test_bool_inputs():
    b = rand(5, dtype=np.bool_)
    for name in ("exp2", "sin", "erf", "rsqrt", "reciprocal", "sigmoid", "sign", "square",
                 "logical_not", "bitwise_not", "isnan", "signbit", "nan_to_num"):
        check(lambda lib, t: getattr(lib, name)(t), b, grad=False)
    for name in ("floor", "frac", "positive"):
        check_error(lambda lib, t: getattr(lib, name)(t), b)


def test_float_power():
    x = rand(3, 4, dtype=np.float32, low=0.5, high=2)
    y = rand(4, low=-2, high=2)
    check(lambda lib, a, b: lib.float_power(a, b), x, y)
    check(lambda lib, a: lib.float_power(a, 2), x)
    check(lambda lib, a: lib.float_power(a, 2.5), rand(3, low=0.5, high=2))
    check(lambda lib, a: lib.float_power(2, a), x)
    check(lambda lib, a: a.float_power(3), rand(3, dtype=np.int32, low=-3, high=3), grad=False)
    check(lambda lib, a: (a * 1).float_power_(2), rand(3, low=0.5, high=2))
    check_error(lambda lib, a: a.float_power_(2), x)


def test_round_decimals():
    x = rand(3, 5, low=-300, high=300)
    for d in (0, 1, 2, -1, -2):
        check(lambda lib, t: lib.round(t, decimals=d), x)
        check(lambda lib, t: t.round(decimals=d), x.astype(np.float32))
    check(lambda lib, t: (t * 1).round_(decimals=1), x)
    check_error(lambda lib, t: lib.round(t, decimals=1), rand(3, dtype=np.int64))
    check_error(lambda lib, t: lib.round(t, 2), x)


def test_grad_fn_names():
    cases = {
        "ClampBackward1": lambda lib, t, u: lib.clamp(t, 0, 1),
        "ClampBackward0": lambda lib, t, u: lib.clamp(t, u),
        "ClampMinBackward0": lambda lib, t, u: lib.clamp_min(t, 0.5),
        "ClampMinBackward1": lambda lib, t, u: lib.clamp_min(t, u),
        "ClampMaxBackward0": lambda lib, t, u: lib.clamp_max(t, 0.5),
        "ClampMaxBackward1": lambda lib, t, u: lib.clamp_max(t, u),
        "RoundBackward0": lambda lib, t, u: t.round(),
        "RoundBackward1": lambda lib, t, u: t.round(decimals=2),
        "LerpBackward0": lambda lib, t, u: lib.lerp(t, u, 0.3),
        "LerpBackward1": lambda lib, t, u: lib.lerp(t, u, u),
        "XlogyBackward0": lambda lib, t, u: lib.xlogy(t, u),
        "XlogyBackward1": lambda lib, t, u: lib.xlogy(2.0, u),
        "XlogyBackward2": lambda lib, t, u: lib.xlogy(t, 2.0),
        "RemainderBackward0": lambda lib, t, u: lib.remainder(t, 0.3),
        "RemainderBackward1": lambda lib, t, u: lib.remainder(t, u),
        "FmodBackward0": lambda lib, t, u: lib.fmod(t, 0.3),
        "FmodBackward1": lambda lib, t, u: lib.fmod(t, u),
        "CopysignBackward0": lambda lib, t, u: lib.copysign(t, u),
        "CopysignBackward1": lambda lib, t, u: lib.copysign(t, -1.0),
        "ReciprocalBackward0": lambda lib, t, u: t.reciprocal(),
        "PowBackward0": lambda lib, t, u: t.square(),
        "PowBackward1": lambda lib, t, u: lib.float_power(t, u),
        "SoftmaxBackward0": lambda lib, t, u: lib.softmax(t, 0),
        "LogSoftmaxBackward0": lambda lib, t, u: lib.log_softmax(t, 0),
        "TruncBackward0": lambda lib, t, u: t.fix(),
        "SgnBackward0": lambda lib, t, u: t.sgn(),
        "NanToNumBackward0": lambda lib, t, u: t.nan_to_num(),
        "FrexpBackward0": lambda lib, t, u: t.frexp()[0],
        "LdexpBackward0": lambda lib, t, u: lib.ldexp(t, u),
        "NextafterBackward0": lambda lib, t, u: lib.nextafter(t, u),
        "AngleBackward0": lambda lib, t, u: t.angle(),
        "MvlgammaBackward0": lambda lib, t, u: (t + 3).mvlgamma(2),
        "PolygammaBackward0": lambda lib, t, u: t.polygamma(2),
    }
    for name, fn in cases.items():
        ours = fn(minitorch, minitorch.rand(3, dtype=minitorch.float64, requires_grad=True),
                  minitorch.rand(3, dtype=minitorch.float64, requires_grad=True))
        theirs = fn(torch, torch.rand(3, dtype=torch.float64, requires_grad=True),
                    torch.rand(3, dtype=torch.float64, requires_grad=True))
        assert theirs.grad_fn.name() == name, "the test table is wrong"
        assert ours.grad_fn.name() == name


# ------------------------------------------------------------------ binary
def _signed(array, low=0.5, high=2.0):
    """Values away from zero with random signs (divisors, second operands)."""
    magnitudes = rand(*array.shape, dtype=array.dtype, low=low, high=high)
    signs = np.where(rand(*array.shape, dtype=np.bool_), 1, -1).astype(array.dtype)
    return magnitudes * signs


BINARY = {
    "logaddexp": lambda lib, a, b: lib.logaddexp(a, b),
    "logaddexp2": lambda lib, a, b: lib.logaddexp2(a, b),
    "atan2": lambda lib, a, b: lib.atan2(a, b),
    "arctan2": lambda lib, a, b: a.arctan2(b),
    "hypot": lambda lib, a, b: lib.hypot(a, b),
    "maximum": lambda lib, a, b: lib.maximum(a, b),
    "minimum": lambda lib, a, b: a.minimum(b),
    "fmax": lambda lib, a, b: lib.fmax(a, b),
    "fmin": lambda lib, a, b: lib.fmin(a, b),
    "xlogy": lambda lib, a, b: lib.xlogy(a, b.abs()),
    "copysign": lambda lib, a, b: lib.copysign(a, b),
    "remainder": lambda lib, a, b: lib.remainder(a, b),
    "fmod": lambda lib, a, b: lib.fmod(a, b),
    "ldexp": lambda lib, a, b: lib.ldexp(a, b),
    "nextafter": lambda lib, a, b: lib.nextafter(a, b),
    "float_power": lambda lib, a, b: lib.float_power(a.abs(), b),
    "mod_operator": lambda lib, a, b: a % b,
    "clamp_min": lambda lib, a, b: lib.clamp_min(a, b),
    "clamp_max": lambda lib, a, b: a.clamp_max(b),
}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shapes", BROADCAST_SHAPES)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_broadcast(name, shapes, dtype):
    a = rand(*shapes[0], dtype=dtype, low=-3, high=3)
    b = _signed(rand(*shapes[1], dtype=dtype))
    check(BINARY[name], a, b)


@pytest.mark.parametrize("name", ["logaddexp", "atan2", "hypot", "maximum", "fmax", "xlogy",
                                  "copysign", "remainder", "fmod", "ldexp", "clamp_min"])
def test_binary_noncontiguous(name):
    a = noncontiguous(rand(3, 4, low=-3, high=3))
    b = noncontiguous(_signed(rand(3, 4)))
    check(BINARY[name], a, b)


INPLACE_BINARY = ["atan2", "arctan2", "hypot", "xlogy", "copysign", "remainder", "fmod",
                  "ldexp", "nextafter", "clamp_min", "clamp_max", "floor_divide", "heaviside"]


@pytest.mark.parametrize("name", INPLACE_BINARY)
def test_binary_inplace(name):
    a = rand(3, 4, low=0.2, high=3)
    b = _signed(rand(4))
    if name in ("floor_divide", "heaviside"):
        check(lambda lib, x, y: getattr(x.clone(), name + "_")(y), a, b, grad=False)
        return
    check(lambda lib, x, y: getattr(x * 1, name + "_")(y), a, b)


def test_extremes_ties_and_nan():
    a = np.array([1.0, 2.0, np.nan, 3.0, np.nan])
    b = np.array([1.0, 3.0, 1.0, np.nan, np.nan])
    for name in ("maximum", "minimum", "fmax", "fmin"):
        check(lambda lib, x, y: getattr(lib, name)(x, y), a, b)
    check(lambda lib, x, y: lib.maximum(x, y), rand(4, dtype=np.int32), rand(4, dtype=np.bool_),
          grad=False)
    check(lambda lib, x, y: lib.fmin(x, y), rand(4, dtype=np.int64), rand(4, dtype=np.float32))
    check_error(lambda lib, x: lib.maximum(x, 1.0), rand(3))


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64, np.int32])
def test_binary_dtypes_with_python_scalars(dtype):
    a = rand(4, dtype=dtype, low=-5, high=5)
    grad = np.dtype(dtype).kind == "f"
    check(lambda lib, x: lib.remainder(x, 3), a, grad=grad)
    check(lambda lib, x: lib.remainder(x, -2.5), a, grad=grad)
    check(lambda lib, x: lib.fmod(x, 3), a, grad=grad)
    check(lambda lib, x: lib.fmod(x, -2.5), a, grad=grad)
    check(lambda lib, x: lib.copysign(x, -1), a, grad=grad)
    check(lambda lib, x: lib.xlogy(x, 2), a, grad=grad)
    check(lambda lib, x: lib.xlogy(3, x.abs() + 1), a, grad=grad)
    check(lambda lib, x: lib.atan2(x, x * 2 + 1), a, grad=grad)
    check(lambda lib, x: lib.floor_divide(x, 3), a, grad=False)
    check(lambda lib, x: lib.floor_divide(x, -2.5), a, grad=False)
    check(lambda lib, x: x // 2, a, grad=False)
    check(lambda lib, x: 7 // (x.abs() + 1), a, grad=False)
    check(lambda lib, x: x % 3, a, grad=grad)
    check(lambda lib, x: 7 % (x.abs() + 1), a, grad=False)
    check(lambda lib, x: lib.ldexp(x, lib.tensor([1, 2, -1, 0])), a, grad=grad)


def test_integer_division_by_zero():
    a = rand(4, dtype=np.int64, low=-5, high=5)
    zero = np.array([1, 0, 2, 3])
    for fn in (lambda lib, x, y: lib.remainder(x, y), lambda lib, x, y: lib.fmod(x, y),
               lambda lib, x, y: lib.floor_divide(x, y), lambda lib, x, y: x // y,
               lambda lib, x, y: x % y):
        check_error(fn, a, zero)
    check_error(lambda lib, x: x % 0, a)
    # floats divide by zero without raising
    f = np.array([1.0, -1.0, 0.0, 2.5])
    check(lambda lib, x: lib.remainder(x, 0.0), f, grad=False)
    check(lambda lib, x: lib.fmod(x, 0), f, grad=False)
    check(lambda lib, x: x // 0, f, grad=False)


def test_mixed_sign_modulus():
    a = np.array([5, -5, 5, -5, 0, 7])
    b = np.array([3, 3, -3, -3, 2, -7])
    check(lambda lib, x, y: lib.remainder(x, y), a, b)
    check(lambda lib, x, y: lib.fmod(x, y), a, b)
    check(lambda lib, x, y: lib.floor_divide(x, y), a, b)
    check(lambda lib, x, y: lib.remainder(x, y), a.astype(float) + 0.5, b.astype(float))
    check(lambda lib, x, y: lib.fmod(x, y), a.astype(float) + 0.5, b.astype(float))
    check(lambda lib, x, y: x // y, a.astype(float) + 0.5, b.astype(float), grad=False)
    check(lambda lib, y: lib.remainder(-3, y), b, grad=False)
    check(lambda lib, y: -3.5 % y, b.astype(np.float32), grad=False)


def test_not_differentiable_ops_raise_at_backward():
    for fn in (lambda lib, x, y: lib.floor_divide(x, y), lambda lib, x, y: lib.heaviside(x, y),
               lambda lib, x, y: lib.remainder(2.0, y)):
        check_error(lambda lib, x, y: fn(lib, x.requires_grad_(), y.requires_grad_()).sum()
                    .backward(), rand(3), _signed(rand(3)))


def test_heaviside_copysign_nextafter_ldexp_frexp():
    x = np.array([-1.5, 0.0, 2.0, -0.0, np.nan])
    v = np.array([0.5, 0.25, 3.0, 0.75, 0.5])
    check(lambda lib, a, b: lib.heaviside(a, b), x, v, grad=False)
    check(lambda lib, a, b: lib.heaviside(a, b), np.array([-2, 0, 3]), np.array([7, 8, 9]))
    check_error(lambda lib, a, b: lib.heaviside(a, b), x, v.astype(np.float32))
    check(lambda lib, a, b: lib.copysign(a, b), x, np.array([1.0, -1.0, -0.0, 0.0, -2.0]))
    check(lambda lib, a, b: lib.copysign(a, b), np.array([0.0, 2.0]), np.array([-1.0, -1.0]))
    check(lambda lib, a, b: lib.copysign(a, b), np.array([1, -2]), np.array([-1, 1]))
    check(lambda lib, a, b: lib.nextafter(a, b), x[:4], v[:4])
    check(lambda lib, a, b: lib.nextafter(a, b), x[:4].astype(np.float32),
          v[:4].astype(np.float32))
    check_error(lambda lib, a, b: lib.nextafter(a, b), np.array([1, 2]), np.array([1, 2]))
    check(lambda lib, a, b: lib.ldexp(a, b), rand(3, 4), rand(4, dtype=np.int64, low=-3, high=3))
    check(lambda lib, a, b: lib.ldexp(a, b), rand(3, dtype=np.int32), rand(3, dtype=np.int32),
          grad=False)
    for dtype in FLOATS:
        check(lambda lib, a: lib.frexp(a), np.array([0.0, 1.0, -3.5, 1e-3, 1024.0], dtype))
        check(lambda lib, a: a.frexp(), rand(2, 3, dtype=dtype, low=-100, high=100))
    check_error(lambda lib, a: lib.frexp(a), np.array([1, 2]))


# ------------------------------------------------------------------ clamp
@pytest.mark.parametrize("dtype", FLOATS)
def test_clamp_scalar_bounds(dtype):
    x = rand(3, 4, dtype=dtype, low=-2, high=2)
    for lo, hi in ((-0.5, 0.5), (None, 0.3), (-0.3, None), (1.0, -1.0), (0, 1)):
        check(lambda lib, t: lib.clamp(t, lo, hi), x)
        check(lambda lib, t: t.clip(min=lo, max=hi), x)
        check(lambda lib, t: (t * 1).clamp_(lo, hi), x)
    check(lambda lib, t: lib.clamp(t, -0.5), rand(dtype=dtype))
    check(lambda lib, t: lib.clamp(t, -0.5, 0.5), rand(0, 2, dtype=dtype))
    check(lambda lib, t: lib.clamp_min(t, 0.2) + lib.clamp_max(t, 0.1), x)
    check(lambda lib, t: (t * 1).clamp_min_(0.2), x)


@pytest.mark.parametrize("which", ["min", "max", "both", "mixed_min", "mixed_max", "crossed"])
def test_clamp_tensor_bounds(which):
    x = rand(3, 4)
    lo = rand(4, low=-1.5, high=0)
    hi = rand(3, 1, low=0, high=1.5)
    fns = {
        "min": (lambda lib, t, a, b: lib.clamp(t, min=a)),
        "max": (lambda lib, t, a, b: lib.clamp(t, max=b)),
        "both": (lambda lib, t, a, b: t.clamp(a, b)),
        "mixed_min": (lambda lib, t, a, b: lib.clamp(t, a[0].detach(), 0.5)),
        "mixed_max": (lambda lib, t, a, b: lib.clamp(t, -0.5, b.sum().detach())),
        "crossed": (lambda lib, t, a, b: lib.clamp(t, b, a)),
    }
    check(fns[which], x, lo, hi)
    check(lambda lib, t, a, b: fns[which](lib, t * 1, a, b) * 1, x, lo, hi)


def test_clamp_mixing_tensor_and_number_bounds_needs_0d():
    check_error(lambda lib, t, a: lib.clamp(t, a, 0.5), rand(3, 4), rand(4))
    check_error(lambda lib, t, b: lib.clamp(t, -0.5, b), rand(3, 4), rand(4))
    check_error(lambda lib, t, b: lib.clamp(t, -0.5, b.requires_grad_()), rand(3, 4), rand())


def test_clamp_dtypes_and_errors():
    i = rand(5, dtype=np.int64, low=-5, high=5)
    check(lambda lib, t: lib.clamp(t, -2, 2), i)
    check(lambda lib, t: lib.clamp(t, 0.5), i)
    check(lambda lib, t: lib.clamp(t, max=2.5), i.astype(np.int32))
    check(lambda lib, t, m: lib.clamp(t, m), i, rand(5, dtype=np.float32))
    check(lambda lib, t: lib.clamp(t, 0, 1), np.array([np.nan, 2.0, -1.0]))
    check_error(lambda lib, t: lib.clamp(t), i)
    check_error(lambda lib, t: lib.clamp(t, False, True), rand(3, dtype=np.bool_))
    check_error(lambda lib, t: t.clamp_(0.5), i)


# ------------------------------------------------------ lerp and addc*
@pytest.mark.parametrize("dtype", FLOATS)
def test_lerp(dtype):
    s, e = rand(3, 4, dtype=dtype), rand(4, dtype=dtype)
    for w in (0.0, 0.3, 0.7, 1.0, -0.5, 1.5):
        check(lambda lib, a, b: lib.lerp(a, b, w), s, e)
    check(lambda lib, a, b, w: lib.lerp(a, b, w), s, e, rand(3, 1, dtype=dtype, low=-1, high=2))
    check(lambda lib, a, b, w: a.lerp(b, w), rand(dtype=dtype), e, rand(dtype=dtype))
    check(lambda lib, a, b, w: (a * 1).lerp_(b, w), s, e, rand(3, 4, dtype=dtype))
    check(lambda lib, a, b: lib.lerp(a, b, 0.5), rand(0, 4, dtype=dtype), e)


def test_lerp_errors():
    check_error(lambda lib, a, b: lib.lerp(a, b, 0.5), rand(3), rand(3, dtype=np.float32))
    check_error(lambda lib, a, b, w: lib.lerp(a, b, w), rand(3), rand(3),
                rand(3, dtype=np.float32))
    check_error(lambda lib, a, b: lib.lerp(a, b, 0.5), rand(3, dtype=np.int64),
                rand(3, dtype=np.int64))
    check_error(lambda lib, a: lib.lerp(a, 1.0, 0.5), rand(3))


@pytest.mark.parametrize("dtype", FLOATS)
def test_addcmul_addcdiv(dtype):
    x, a, b = rand(3, 4, dtype=dtype), rand(4, dtype=dtype), _signed(rand(3, 1, dtype=dtype))
    for value in (1, 0.5, -2):
        check(lambda lib, p, q, r: lib.addcmul(p, q, r, value=value), x, a, b)
        check(lambda lib, p, q, r: lib.addcdiv(p, q, r, value=value), x, a, b)
    check(lambda lib, p, q, r: (p * 1).addcmul_(q, r, value=2), x, a, b)
    check(lambda lib, p, q, r: (p * 1).addcdiv_(q, r), x, a, b)
    check(lambda lib, p, q, r: p.addcdiv(q, r), rand(dtype=dtype), a, b)


def test_addc_integers():
    i = rand(4, dtype=np.int64, low=1, high=5)
    check(lambda lib, p: lib.addcmul(p, p, p, value=2), i)
    check(lambda lib, p: lib.addcmul(p, p, p, value=0.5), i)
    check(lambda lib, p, q: lib.addcdiv(q, p, q), i, rand(4))
    check_error(lambda lib, p: lib.addcdiv(p, p, p), i)
    check_error(lambda lib, p: lib.addcmul(p, p, p, 2), rand(3))


# ------------------------------------------------------- special-ish ops
@pytest.mark.parametrize("dtype", FLOATS)
def test_polygamma_mvlgamma_xlogy_logit(dtype):
    x = rand(3, 4, dtype=dtype, low=0.3, high=4)
    for n in (0, 1, 2, 3):
        check(lambda lib, t: lib.polygamma(n, t), x, rtol=1e-4 if dtype == np.float32 else None)
    check(lambda lib, t: (t * 1).polygamma_(1), x)
    for p in (1, 2, 3):
        check(lambda lib, t: lib.mvlgamma(t + 1, p), x)
    check(lambda lib, t: (t + 2).mvlgamma_(2), x)
    check(lambda lib, t, u: lib.xlogy(t, u), np.array([0.0, 1.0, 0.0, 2.0], dtype),
          np.array([0.0, 2.0, np.nan, 0.5], dtype))
    for eps in (None, 0.1, 0.3):
        check(lambda lib, t: lib.logit(t, eps), rand(3, 4, dtype=dtype, low=-0.2, high=1.2))
        check(lambda lib, t: (t * 1).logit_(eps=eps), rand(5, dtype=dtype, low=0.05, high=0.95))


def test_special_errors():
    check_error(lambda lib, t: lib.polygamma(-1, t), rand(3))
    check_error(lambda lib, t: lib.mvlgamma(t, 0), rand(3))
    check_error(lambda lib, t: lib.xlogy(2.0, 3.0), rand(3))
    check_error(lambda lib, t: lib.logaddexp(t, 2.0), rand(3))
    check_error(lambda lib, t: lib.logaddexp(t, t), rand(3, dtype=np.int64))
    check_error(lambda lib, t: lib.hypot(t, t), rand(3, dtype=np.int64))
    check_error(lambda lib, t: lib.atan2(t, 2.0), rand(3))
    check_error(lambda lib, t: lib.sign(t), rand(3, dtype=np.complex128))
    check_error(lambda lib, t: lib.imag(t), rand(3))


# ------------------------------------------------------ softmax family
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("dim", [0, 1, -1, 2])
def test_softmax_log_softmax(dim, dtype):
    x = rand(2, 3, 4, dtype=dtype, low=-5, high=5)
    check(lambda lib, t: lib.softmax(t, dim), x)
    check(lambda lib, t: lib.log_softmax(t, dim), x)
    check(lambda lib, t: t.softmax(dim) * t.log_softmax(dim), noncontiguous(x))


def test_softmax_edge_cases():
    big = np.array([[1000.0, 1000.0, -1000.0], [1e4, 0.0, -1e4]])
    check(lambda lib, t: lib.softmax(t, 1), big)
    check(lambda lib, t: lib.log_softmax(t, 1), big)
    check(lambda lib, t: lib.softmax(t, 0), rand())
    check(lambda lib, t: lib.log_softmax(t, -1), rand())
    check(lambda lib, t: lib.softmax(t, 1), rand(0, 3))
    check(lambda lib, t: lib.log_softmax(t, 0), rand(0, 3))
    check(lambda lib, t: lib.softmax(t, 0, dtype=lib.float64), rand(4, dtype=np.float32))
    check(lambda lib, t: t.log_softmax(0, lib.float64), rand(4, dtype=np.float32))
    check(lambda lib, t: lib.softmax(t, 0, dtype=lib.float32), rand(4, dtype=np.int64),
          grad=False)
    check_error(lambda lib, t: lib.softmax(t, 0), rand(4, dtype=np.int64))
    check_error(lambda lib, t: lib.softmax(t, 3), rand(4))
    check_error(lambda lib, t: lib.softmax(t), rand(4))


# ------------------------------------------------------- predicates
SPECIAL_VALUES = np.array([0.0, -0.0, 1.5, -2.0, np.inf, -np.inf, np.nan])


@pytest.mark.parametrize("name", ["isnan", "isinf", "isposinf", "isneginf", "isfinite",
                                  "isreal", "signbit"])
def test_predicates(name):
    check(lambda lib, t: getattr(lib, name)(t), SPECIAL_VALUES)
    check(lambda lib, t: getattr(t, name)(), SPECIAL_VALUES.astype(np.float32))
    check(lambda lib, t: getattr(lib, name)(t), rand(4, dtype=np.int64))
    check(lambda lib, t: getattr(lib, name)(t), rand(0, 2))


def test_predicates_complex_and_nan_to_num():
    c = np.array([1 + 0j, 1 + 1j, np.nan + 0j, 0 - 2j])
    check(lambda lib, t: lib.isreal(t), c)
    check(lambda lib, t: lib.isnan(t), c)
    check(lambda lib, t: lib.nan_to_num(t), SPECIAL_VALUES)
    check(lambda lib, t: lib.nan_to_num(t), SPECIAL_VALUES.astype(np.float32))
    check(lambda lib, t: lib.nan_to_num(t, nan=1.0, posinf=2.0, neginf=-3.0), SPECIAL_VALUES)
    check(lambda lib, t: (t * 1).nan_to_num_(posinf=7.0), SPECIAL_VALUES)
    check(lambda lib, t: lib.nan_to_num(t), rand(3, dtype=np.int32), grad=False)


def test_isclose_allclose():
    a = np.array([1.0, 1.0 + 1e-6, 1.1, np.nan, np.inf, -np.inf, 0.0])
    b = np.array([1.0, 1.0, 1.0, np.nan, np.inf, np.inf, 1e-9])
    check(lambda lib, x, y: lib.isclose(x, y), a, b)
    check(lambda lib, x, y: x.isclose(y, rtol=0.2, atol=0, equal_nan=True), a, b)
    check(lambda lib, x, y: lib.isclose(x, y, atol=0.2), a.astype(np.float32),
          b.astype(np.float32))
    check(lambda lib, x, y: lib.isclose(x, y), np.array([1, 2, 3]), np.array([1, 3, 3]))
    check(lambda lib, x, y: lib.isclose(x, y), rand(4, dtype=np.bool_), rand(4, dtype=np.bool_))
    check(lambda lib, x, y: lib.isclose(x, y, rtol=1), np.array([1, 2, 3]), np.array([2, 4, 9]))
    assert minitorch.allclose(minitorch.tensor([1.0, 2.0]), minitorch.tensor([1.0, 2.0 + 1e-9]))
    check(lambda lib, x, y: lib.allclose(x, y), a, b)
    check(lambda lib, x, y: x.allclose(y, equal_nan=True, rtol=0.2), a[:4], b[:4])
    check_error(lambda lib, x, y: lib.isclose(x, y), np.array([1, 2]), np.array([1.0, 2.0]))
    check_error(lambda lib, x: lib.isclose(x, x, rtol=-1), rand(3))
    check_error(lambda lib, x: lib.isclose(x, 1.0), rand(3))


def test_real_imag_angle():
    x = rand(3, 4)
    check(lambda lib, t: lib.real(t) * 2, x)
    check(lambda lib, t: t.real * 2, x)
    check(lambda lib, t: lib.angle(t), np.array([-2.0, 0.0, 3.0, np.nan, -0.0]))
    check(lambda lib, t: lib.angle(t), np.array([-2, 0, 3]))
    c = rand(4, dtype=np.complex128)
    check(lambda lib, t: lib.real(t), c, grad=False)
    check(lambda lib, t: lib.imag(t), c, grad=False)
    check(lambda lib, t: lib.angle(t), c, grad=False)
    check(lambda lib, t: t.real.sum() + t.imag.sum(), c)
    check(lambda lib, t: lib.angle(t), c)
    check(lambda lib, t: t.sgn(), c)


# ------------------------------------------------------ logical and bitwise
INT_DTYPES = [np.int64, np.int32, np.uint8, np.bool_]


@pytest.mark.parametrize("dtype", INT_DTYPES)
def test_logical_and_bitwise(dtype):
    a = rand(3, 4, dtype=dtype, low=0, high=7)
    b = rand(4, dtype=dtype, low=0, high=7)
    for name in ("logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or",
                 "bitwise_xor"):
        check(lambda lib, x, y: getattr(lib, name)(x, y), a, b)
        check(lambda lib, x, y: getattr(x.clone(), name + "_")(y), a, b)
    check(lambda lib, x, y: (x & y, x | y, x ^ y, ~x), a, b)
    check(lambda lib, x: lib.logical_not(x), a)
    check(lambda lib, x: lib.bitwise_not(x), a)
    check(lambda lib, x: x.clone().bitwise_not_(), a)
    check(lambda lib, x: x.clone().logical_not_(), a)


def test_logical_on_floats_and_inplace_keeps_dtype():
    a, b = np.array([0.0, 1.5, np.nan, -2.0]), np.array([0.0, 0.0, 3.0, 1.0])
    for name in ("logical_and", "logical_or", "logical_xor"):
        check(lambda lib, x, y: getattr(lib, name)(x, y), a, b, grad=False)
        check(lambda lib, x, y: getattr(x.clone(), name + "_")(y), a, b, grad=False)
    check(lambda lib, x: lib.logical_not(x), a)
    check_error(lambda lib, x: lib.logical_and(x, 1), a)


def test_bitwise_with_scalars_and_reflected_operators():
    i = rand(5, dtype=np.int64, low=-8, high=8)
    b = rand(5, dtype=np.bool_)
    check(lambda lib, x: (x & 6, 6 & x, x | 1, 1 | x, x ^ 3, 3 ^ x), i)
    check(lambda lib, x: (x & True, x | False, True ^ x, ~x), b)
    check(lambda lib, x: (x & 3, x | 2), b)
    check(lambda lib, x: lib.bitwise_and(2, x), i)
    check(lambda lib, x, y: x & y, i.astype(np.int32), b)
    check(lambda lib, x, y: x ^ y, i.astype(np.uint8), i.astype(np.int8))


def test_inplace_operators():
    i = rand(5, dtype=np.int64, low=-8, high=8)
    j = rand(5, dtype=np.int64, low=1, high=4)

    def ops(lib, x, y):
        x = x.clone()
        x &= y
        x |= 3
        x ^= y
        x <<= 1
        x >>= y
        x //= 2
        x %= 5
        return x
    check(ops, i, j)

    def float_ops(lib, x, y):
        x = x * 1
        x //= y
        x %= 3.0
        return x
    check(float_ops, rand(5, low=1, high=9), rand(5, low=0.5, high=2), grad=False)

    def float_mod(lib, x, y):
        x = x * 1
        x %= y
        return x
    check(float_mod, rand(5, low=1, high=9), rand(5, low=0.5, high=2))


def test_shifts():
    i = np.array([1, 2, -3, 7, -128, 5])
    s = np.array([0, 1, 3, 70, -1, 63])
    for dtype in (np.int64, np.int32, np.int8, np.uint8):
        a = i.astype(dtype)
        check(lambda lib, x, y: (x << y, x >> y), a, s.astype(dtype))
        check(lambda lib, x: (x << 2, x >> 1, lib.bitwise_left_shift(x, 3),
                              lib.bitwise_right_shift(x, 9)), a)
    check(lambda lib, x: (2 << x, 64 >> x), np.array([0, 1, 5, 65, -1]))
    check(lambda lib, x: (x << 1, x >> 1), rand(4, dtype=np.bool_))
    check(lambda lib, x, y: x.clone().bitwise_left_shift_(y), i, s)


def test_bitwise_errors():
    f = rand(3)
    for fn in (lambda lib, x: lib.bitwise_and(x, x), lambda lib, x: lib.bitwise_not(x),
               lambda lib, x: x << 1, lambda lib, x: x | 1, lambda lib, x: ~x,
               lambda lib, x: x.bitwise_xor_(1)):
        check_error(fn, f)
    check_error(lambda lib, x: x & "a", rand(3, dtype=np.int64))


# ----------------------------------------------------- double backward
SECOND_ORDER = {
    "exp2": (-2, 2), "expm1": (-2, 2), "log2": (0.5, 3), "log1p": (0, 3), "rsqrt": (0.5, 3),
    "reciprocal": (0.5, 3), "sin": (-3, 3), "tan": (-1, 1), "asin": (-0.9, 0.9),
    "acosh": (1.2, 3), "atanh": (-0.9, 0.9), "sinc": (0.2, 3), "erf": (-2, 2),
    "erfinv": (-0.9, 0.9), "lgamma": (0.5, 3), "digamma": (0.5, 3), "i0": (-2, 2),
    "logit": (0.1, 0.9),
}


@pytest.mark.parametrize("name", sorted(SECOND_ORDER))
def test_second_derivatives(name):
    low, high = SECOND_ORDER[name]
    x = rand(5, low=low, high=high)
    results = []
    for lib in (torch, minitorch):
        t = lib.tensor(x, requires_grad=True)
        (g,) = lib.autograd.grad(getattr(lib, name)(t).sum(), t, create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), t)
        results.append((g, gg))
    assert_values_close(results[0], results[1], what=name)


def test_second_derivatives_binary_and_softmax():
    x, y = rand(3, 4), _signed(rand(3, 4))
    fns = [lambda lib, a, b: lib.atan2(a, b), lambda lib, a, b: lib.hypot(a, b),
           lambda lib, a, b: lib.logaddexp(a, b), lambda lib, a, b: lib.softmax(a * b, 1),
           lambda lib, a, b: lib.log_softmax(a * b, 0), lambda lib, a, b: lib.xlogy(a, b.abs()),
           lambda lib, a, b: lib.clamp(a * b, -1, 1), lambda lib, a, b: lib.maximum(a, b),
           lambda lib, a, b: lib.addcdiv(a, a, b, value=0.5), lambda lib, a, b: lib.lerp(a, b, b)]
    for fn in fns:
        results = []
        for lib in (torch, minitorch):
            a, b = lib.tensor(x, requires_grad=True), lib.tensor(y, requires_grad=True)
            ga, gb = lib.autograd.grad((fn(lib, a, b) ** 2).sum(), (a, b), create_graph=True)
            results.append(lib.autograd.grad((ga * gb).sum(), (a, b)))
        assert_values_close(results[0], results[1], what="second derivative")


COMPLEX_UNARY = ["exp2", "expm1", "log2", "log10", "log1p", "rsqrt", "reciprocal", "sin", "cos",
                 "tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh",
                 "sigmoid", "square", "angle", "sgn"]


@pytest.mark.parametrize("name", COMPLEX_UNARY)
def test_complex_unary(name):
    z = rand(2, 3, dtype=np.complex128, low=0.2, high=0.9)
    check(lambda lib, t: getattr(lib, name)(t), z)


def test_round_half_to_even():
    halves = np.array([0.5, 1.5, 2.5, -0.5, -1.5, 0.25, 0.35, 1e16 + 1])
    check(lambda lib, t: lib.round(t), halves)
    check(lambda lib, t: lib.round(t, decimals=1), halves)
    check(lambda lib, t: lib.round(t), halves.astype(np.float32))


def test_inplace_through_views_reaches_the_base():
    x = rand(3, 4, low=-2, high=2)
    y = rand(4, low=0.5, high=2)

    def through_view(lib, t, u):
        base = t * 1
        base[1:].clamp_(-0.5, 0.5)
        base[:, 0].sin_()
        base.t()[2].atan2_(u[:3])
        return base
    check(through_view, x, y)


@pytest.mark.parametrize("name", ["exp2", "sin", "erf", "lgamma", "sigmoid", "rsqrt", "floor"])
def test_float16_keeps_dtype(name):
    check(lambda lib, t: getattr(lib, name)(t), rand(4, dtype=np.float16, low=0.2, high=2),
          grad=False)


def test_float16_softmax_and_clamp():
    x = rand(2, 3, dtype=np.float16)
    check(lambda lib, t: (lib.softmax(t, 1), lib.clamp(t, -0.5, 0.5), lib.maximum(t, t * 0)), x,
          grad=False)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8])
def test_gcd_lcm(dtype):
    a = rand(3, 4, dtype=dtype, low=0, high=12)
    b = rand(4, dtype=dtype, low=0, high=12)
    check(lambda lib, x, y: (lib.gcd(x, y), lib.lcm(x, y), x.gcd(y), y.lcm(x)), a, b)
    check(lambda lib, x, y: (x.clone().gcd_(y), x.clone().lcm_(y)), a, b)


def test_gcd_lcm_signs_and_errors():
    check(lambda lib, x, y: (lib.gcd(x, y), lib.lcm(x, y)), np.array([4, -6, 0, -4, 0]),
          np.array([6, 4, 0, 6, 5]))
    check_error(lambda lib, x: lib.gcd(x, x), rand(3))
    check_error(lambda lib, x: lib.lcm(x, 2), rand(3, dtype=np.int64))


def test_conj_physical_and_resolve():
    c = rand(2, 3, dtype=np.complex128)
    check(lambda lib, t: lib.conj_physical(t), c)
    check(lambda lib, t: (t * 1).conj_physical_(), c)
    check(lambda lib, t: lib.conj_physical(t) * 2, rand(3))
    for lib in (torch, minitorch):
        x = lib.ones(2, requires_grad=True)
        assert lib.conj_physical(x) is x and lib.resolve_conj(x) is x and lib.resolve_neg(x) is x
    assert minitorch.conj_physical(
        minitorch.ones(2, dtype=minitorch.complex64, requires_grad=True)
    ).grad_fn.name() == "ConjPhysicalBackward0"


@pytest.mark.parametrize("name", ["sin", "exp", "sigmoid", "clamp", "xlogy", "round", "relu",
                                  "nan_to_num", "square", "ldexp"])
def test_top_level_inplace_functions(name):
    args = {"clamp": (-0.5, 0.5), "xlogy": (2.0,), "ldexp": (None,)}.get(name, ())

    def fn(lib, x, e):
        extra = [e if a is None else a for a in args]
        y = x * 1
        out = getattr(lib, name + "_")(y, *extra)
        assert out is y
        return y
    check(fn, rand(3, 4, low=0.1, high=2), np.array([1, 2, 0, -1]))
