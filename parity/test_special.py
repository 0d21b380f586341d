"""Parity of torch.special: values, dtypes, gradients (first and second order), errors."""
import numpy as np
import pytest
import torch

import minitorch
from harness import assert_values_close, check, check_error, noncontiguous, rand

FLOATS = [np.float64, np.float32]

# name -> (low, high): a domain where value and derivative are well behaved
UNARY = {
    "expit": (-4, 4), "logit": (0.05, 0.95), "erf": (-2, 2), "erfc": (-2, 2),
    "erfcx": (-2, 3), "erfinv": (-0.95, 0.95), "exp2": (-3, 3), "expm1": (-2, 2),
    "log1p": (-0.5, 3), "gammaln": (0.2, 5), "digamma": (0.2, 5), "psi": (0.2, 5),
    "i0": (-3, 3), "i0e": (-3, 3), "i1": (-3, 3), "i1e": (-3, 3), "ndtr": (-3, 3),
    "ndtri": (0.05, 0.95), "log_ndtr": (-4, 3), "sinc": (-3, 3), "round": (-3, 3),
    "entr": (0.05, 3), "bessel_j0": (-5, 5), "bessel_j1": (-5, 5), "bessel_y0": (0.1, 5),
    "bessel_y1": (0.1, 5), "modified_bessel_i0": (-3, 3), "modified_bessel_i1": (-3, 3),
    "modified_bessel_k0": (0.1, 5), "modified_bessel_k1": (0.1, 5),
    "scaled_modified_bessel_k0": (0.1, 5), "scaled_modified_bessel_k1": (0.1, 5),
    "spherical_bessel_j0": (-5, 5), "airy_ai": (-5, 5),
}
NOT_DIFFERENTIABLE = {"bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1", "modified_bessel_i0",
                      "modified_bessel_i1", "modified_bessel_k0", "modified_bessel_k1",
                      "scaled_modified_bessel_k0", "scaled_modified_bessel_k1",
                      "spherical_bessel_j0", "airy_ai"}


# torch's own airy_ai is off by up to ~1e-6 for negative arguments (SciPy's to ~1e-15)
TOL = {"airy_ai": dict(rtol=1e-4, atol=1e-5)}


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary(name, dtype):
    low, high = UNARY[name]
    tol = TOL.get(name, {})
    check(lambda lib, t: getattr(lib.special, name)(t), rand(3, 4, dtype=dtype, low=low, high=high),
          **tol)
    check(lambda lib, t: getattr(lib.special, name)(t), rand(dtype=dtype, low=low, high=high),
          **tol)
    check(lambda lib, t: getattr(lib.special, name)(t), rand(0, 2, dtype=dtype))


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_noncontiguous_and_integers(name):
    low, high = UNARY[name]
    check(lambda lib, t: getattr(lib.special, name)(t),
          noncontiguous(rand(3, 4, low=low, high=high)), **TOL.get(name, {}))
    ints = rand(5, dtype=np.int64, low=max(low, -3), high=3)
    if name == "round":
        check_error(lambda lib, t: lib.special.round(t), ints)
    else:
        check(lambda lib, t: getattr(lib.special, name)(t), ints, grad=False)


def test_special_values():
    x = np.array([0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 1e-300, 30.0, -30.0])
    for name in ("expit", "erfcx", "i0e", "i1", "i1e", "ndtr", "log_ndtr", "entr",
                 "bessel_j0", "bessel_j1", "sinc"):
        check(lambda lib, t: getattr(lib.special, name)(t), x, grad=False)
    check(lambda lib, t: lib.special.ndtri(t), np.array([0.0, 1.0, 0.5, -0.1, 1.1, np.nan]),
          grad=False)


def test_gradient_at_zero_for_bessel_i1():
    # i1 and i1e have a removable 0/0 in their derivative at x = 0
    check(lambda lib, t: lib.special.i1(t) + lib.special.i1e(t), np.array([0.0, 1e-20, 0.5]))


@pytest.mark.parametrize("name", sorted(NOT_DIFFERENTIABLE))
def test_not_differentiable(name):
    for lib in (torch, minitorch):
        x = lib.tensor([0.5, 1.0], requires_grad=True)
        assert not getattr(lib.special, name)(x).requires_grad


def test_spherical_bessel_j0_at_zero():
    check(lambda lib, t: lib.special.spherical_bessel_j0(t), np.array([0.0, -0.0, 1e-30, 3.0]))


@pytest.mark.parametrize("dtype", FLOATS)
def test_incomplete_gamma(dtype):
    a, x = rand(3, 4, dtype=dtype, low=0.5, high=3), rand(4, dtype=dtype, low=0.1, high=4)
    for name in ("gammainc", "gammaincc"):
        # torch differentiates in the second argument only
        check(lambda lib, p, q: getattr(lib.special, name)(p.detach(), q), a, x)
    check(lambda lib, p, q: lib.igamma(p.detach(), q) + p.detach().igammac(q), a, x)
    check(lambda lib, p, q: (p.detach() * 1).igamma_(q), a, x)
    check(lambda lib, p, q: lib.igamma(p.detach(), q), rand(dtype=dtype, low=0.5, high=2), x)


def test_incomplete_gamma_errors():
    check_error(lambda lib, p, q: lib.special.gammainc(p.requires_grad_(), q).sum().backward(),
                rand(3, low=0.5, high=2), rand(3, low=0.5, high=2))
    check_error(lambda lib, p, q: lib.igammac(p.requires_grad_(), q).sum().backward(),
                rand(3, low=0.5, high=2), rand(3, low=0.5, high=2))
    check_error(lambda lib, p: lib.igamma(p, p), rand(3, dtype=np.int64))
    check_error(lambda lib, p: lib.igamma(p, 2.0), rand(3))


@pytest.mark.parametrize("dtype", FLOATS)
def test_aliases_and_parameterised(dtype):
    x = rand(3, 4, dtype=dtype, low=0.5, high=4)
    for n in (0, 1, 2):
        check(lambda lib, t: lib.special.polygamma(n, t), x,
              rtol=1e-4 if dtype == np.float32 else None)
    check(lambda lib, t: lib.special.multigammaln(t + 1, 3), x)
    for eps in (None, 0.2):
        check(lambda lib, t: lib.special.logit(t, eps), rand(5, dtype=dtype, low=-0.1, high=1.1))
    for d in (0, 1, -1):
        check(lambda lib, t: lib.special.round(t, decimals=d), rand(5, dtype=dtype, low=-50,
                                                                    high=50))
    for dim in (0, 1, -1):
        check(lambda lib, t: lib.special.softmax(t, dim), x)
        check(lambda lib, t: lib.special.log_softmax(t, dim), x)
    check(lambda lib, t: lib.special.softmax(t, 0, dtype=lib.float64), x)


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 3), (4, 1)),
                                    ((), (3,)), ((0, 3), (3,))])
def test_binary(shapes, dtype):
    a = rand(*shapes[0], dtype=dtype, low=-2, high=2)
    b = rand(*shapes[1], dtype=dtype, low=0.2, high=3)
    check(lambda lib, x, y: lib.special.xlogy(x, y), a, b)
    check(lambda lib, x, y: lib.special.xlog1py(x, y), a, b)
    # zeta: only the second argument is differentiable in torch
    check(lambda lib, x, y: lib.special.zeta(x.detach().abs() + 1.5, y), a, b)


def test_binary_scalars_and_special_values():
    x = np.array([0.0, 0.0, 1.0, 2.0, 0.0])
    y = np.array([-1.0, np.nan, 0.0, -1.0, 5.0])
    check(lambda lib, a, b: lib.special.xlog1py(a, b), x, y, grad=False)
    check(lambda lib, a, b: lib.special.xlogy(a, b), x, y, grad=False)
    b = rand(4, low=0.5, high=3)
    check(lambda lib, t: lib.special.xlog1py(2.0, t), b)
    check(lambda lib, t: lib.special.xlog1py(t, 2), b)
    check(lambda lib, t: lib.special.zeta(3.0, t), b)
    check(lambda lib, t: lib.special.zeta(t.detach() + 1, 2.0), b)
    check(lambda lib, a, b: lib.special.zeta(a, b), np.array([2, 3, 4]), np.array([1, 2, 3]))
    check(lambda lib, a, b: lib.special.xlog1py(a, b), np.array([0, 1, 2]), np.array([1, 2, 3]))


def test_grad_fn_names():
    names = {
        "SpecialI0EBackward0": lambda lib, t, u: lib.special.i0e(t),
        "SpecialI1Backward0": lambda lib, t, u: lib.special.i1(t),
        "SpecialI1EBackward0": lambda lib, t, u: lib.special.i1e(t),
        "SpecialErfcxBackward0": lambda lib, t, u: lib.special.erfcx(t),
        "SpecialNdtriBackward0": lambda lib, t, u: lib.special.ndtri(t),
        "SpecialLogNdtrBackward0": lambda lib, t, u: lib.special.log_ndtr(t),
        "SpecialEntrBackward0": lambda lib, t, u: lib.special.entr(t),
        "SpecialXlog1PyBackward0": lambda lib, t, u: lib.special.xlog1py(t, u),
        "SpecialXlog1PyBackward1": lambda lib, t, u: lib.special.xlog1py(2.0, u),
        "SpecialXlog1PyBackward2": lambda lib, t, u: lib.special.xlog1py(t, 2.0),
        "SpecialZetaBackward0": lambda lib, t, u: lib.special.zeta(t + 1, u),
        "SpecialZetaBackward1": lambda lib, t, u: lib.special.zeta(2.0, u),
        "SpecialZetaBackward2": lambda lib, t, u: lib.special.zeta(t + 1, 2.0),
        "SigmoidBackward0": lambda lib, t, u: lib.special.expit(t),
        "LgammaBackward0": lambda lib, t, u: lib.special.gammaln(t),
        "DigammaBackward0": lambda lib, t, u: lib.special.psi(t),
        "MvlgammaBackward0": lambda lib, t, u: lib.special.multigammaln(t + 2, 2),
        "SoftmaxBackward0": lambda lib, t, u: lib.special.softmax(t, 0),
        "RoundBackward1": lambda lib, t, u: lib.special.round(t),
        "SincBackward0": lambda lib, t, u: lib.special.sinc(t),
        "IgammaBackward0": lambda lib, t, u: lib.special.gammainc(t, u),
        "IgammacBackward0": lambda lib, t, u: lib.special.gammaincc(t, u),
    }
    for name, fn in names.items():
        theirs = fn(torch, torch.rand(3, dtype=torch.float64, requires_grad=True),
                    torch.rand(3, dtype=torch.float64, requires_grad=True))
        ours = fn(minitorch, minitorch.rand(3, dtype=minitorch.float64, requires_grad=True),
                  minitorch.rand(3, dtype=minitorch.float64, requires_grad=True))
        assert theirs.grad_fn.name() == name, "the test table is wrong"
        assert ours.grad_fn.name() == name


def test_errors():
    check_error(lambda lib, t: lib.special.zeta(t.requires_grad_(), t.detach() + 1).sum()
                .backward(), rand(3, low=1.5, high=3))
    check_error(lambda lib, t: lib.special.polygamma(-1, t), rand(3))
    check_error(lambda lib, t: lib.special.multigammaln(t, 0), rand(3))
    check_error(lambda lib, t: lib.special.softmax(t, 2), rand(3))
    check_error(lambda lib, t: lib.special.softmax(t, 0), rand(3, dtype=np.int64))
    check_error(lambda lib, t: lib.special.round(t), rand(3, dtype=np.int64))


SECOND_ORDER = {"i0e": (-2, 2), "i1": (0.2, 2), "i1e": (-2, -0.2), "erfcx": (-1, 2),
                "ndtri": (0.1, 0.9), "log_ndtr": (-3, 2), "entr": (0.2, 2), "ndtr": (-2, 2),
                "expit": (-3, 3), "i0": (-2, 2)}


@pytest.mark.parametrize("name", sorted(SECOND_ORDER))
def test_second_derivatives(name):
    low, high = SECOND_ORDER[name]
    x = rand(5, low=low, high=high)
    results = []
    for lib in (torch, minitorch):
        t = lib.tensor(x, requires_grad=True)
        (g,) = lib.autograd.grad(getattr(lib.special, name)(t).sum(), t, create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), t)
        results.append((g, gg))
    assert_values_close(results[0], results[1], what=name)


def test_second_derivatives_binary():
    x, y = rand(4, low=0.5, high=2), rand(4, low=0.5, high=2)
    for fn in (lambda lib, a, b: lib.special.xlog1py(a, b),
               lambda lib, a, b: lib.special.zeta(a.detach() + 1, b)):
        results = []
        for lib in (torch, minitorch):
            a, b = lib.tensor(x, requires_grad=True), lib.tensor(y, requires_grad=True)
            grads = lib.autograd.grad((fn(lib, a, b) ** 2).sum(), (a, b), create_graph=True,
                                      allow_unused=True)
            total = sum((g * g).sum() for g in grads if g is not None)
            results.append(lib.autograd.grad(total, (b,)))
        assert_values_close(results[0], results[1], what="second derivative")


def test_logsumexp():
    check(lambda lib, t: lib.special.logsumexp(t, 1), rand(3, 4))
    check(lambda lib, t: lib.special.logsumexp(t, (0, 1), keepdim=True), rand(3, 4))


POLYNOMIALS = ["chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v",
               "chebyshev_polynomial_w", "shifted_chebyshev_polynomial_t",
               "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
               "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he",
               "laguerre_polynomial_l", "legendre_polynomial_p"]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", POLYNOMIALS)
def test_orthogonal_polynomials(name, dtype):
    x = np.array([-1.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.0], dtype)
    for n in (0, 1, 2, 3, 5, -1, 2.7):
        check(lambda lib, t: getattr(lib.special, name)(t, n), x, grad=False)
    degrees = np.array([0.0, 1.0, 2.0, 3.0, 4.0, -2.0, 6.0], dtype)
    check(lambda lib, t, d: getattr(lib.special, name)(t, d), x, degrees, grad=False)
    check(lambda lib, d: getattr(lib.special, name)(0.3, d), degrees, grad=False)
    check(lambda lib, t: getattr(lib.special, name)(t, 3), np.array([0, 1, 2]), grad=False)
    for lib in (torch, minitorch):
        t = lib.tensor(x, requires_grad=True)
        assert not getattr(lib.special, name)(t, 2).requires_grad
