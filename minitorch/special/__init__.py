"""torch.special: special functions (scipy.special underneath), with torch's gradients.

Many names are aliases of top-level ops (``expit`` is ``sigmoid``, ``gammaln`` is
``lgamma``); the rest are declared here as primitives with their backward rules.
"""
import math

import numpy as np
import scipy.special as _sp

from .. import _dtype
from .._tensor import Tensor
from .._ops import pointwise as _pw
from .._ops import reduction as _reduction
from .._ops.pointwise import (_binary_prims, _call_binary, _keep_dtype, _no_out, _to_dtype,
                              _unary, digamma, erf, erfc, erfinv, exp2, expm1, i0, igamma,
                              igammac, lgamma, log1p, logit, mvlgamma, polygamma, sigmoid, sinc,
                              xlogy)
from ..autograd._primitive import numpy_rule_op

__all__ = ["expit", "logit", "erf", "erfc", "erfcx", "erfinv", "exp2", "expm1", "log1p",
           "log_softmax", "softmax", "gammaln", "digamma", "psi", "polygamma", "multigammaln",
           "i0", "i0e", "i1", "i1e", "ndtr", "ndtri", "log_ndtr", "sinc", "round", "xlogy",
           "xlog1py", "zeta", "entr", "bessel_j0", "bessel_j1", "bessel_y0", "bessel_y1",
           "modified_bessel_i0", "modified_bessel_i1", "modified_bessel_k0",
           "modified_bessel_k1", "scaled_modified_bessel_k0", "scaled_modified_bessel_k1",
           "spherical_bessel_j0", "airy_ai", "gammainc", "gammaincc",
           "chebyshev_polynomial_t", "chebyshev_polynomial_u", "chebyshev_polynomial_v",
           "chebyshev_polynomial_w", "shifted_chebyshev_polynomial_t",
           "shifted_chebyshev_polynomial_u", "shifted_chebyshev_polynomial_v",
           "shifted_chebyshev_polynomial_w", "hermite_polynomial_h", "hermite_polynomial_he",
           "laguerre_polynomial_l", "legendre_polynomial_p"]

expit = sigmoid
gammaln = lgamma
gammainc = igamma
gammaincc = igammac
psi = digamma
multigammaln = mvlgamma

# ------------------------------------------------ the namespace rules refer to
class _NumpySpecial:
    """``F.special`` on the plain-backward path: NumPy twins of this module's functions."""

    i0 = staticmethod(_keep_dtype(_sp.i0))
    i1 = staticmethod(_keep_dtype(_sp.i1))
    i0e = staticmethod(_keep_dtype(_sp.i0e))
    i1e = staticmethod(_keep_dtype(_sp.i1e))

    @staticmethod
    def xlog1py(x, y):
        x, y = _pw._float_arrays(x, y)
        with np.errstate(all="ignore"):
            return np.where((x == 0) & ~np.isnan(y), 0,
                            x * np.log1p(y)).astype(x.dtype, copy=False)

    @staticmethod
    def zeta(x, q):
        x, q = _pw._float_arrays(x, q)
        return np.asarray(_sp.zeta(x, q)).astype(x.dtype, copy=False)


numpy_rule_op("special")(_NumpySpecial)


def _tiny_safe(F, x):
    """(x not tiny, x with tiny values replaced by eps): avoids 0/0 in the i1 slopes."""
    eps = float(np.finfo(x.dtype._np if isinstance(x, Tensor) else x.dtype).eps)
    not_tiny = F.abs(x) > eps
    return not_tiny, F.where(not_tiny, x, eps)


def _i1_grad(F, g, out, x):
    # I1'(x) = I0(x) - I1(x)/x, which tends to 1/2 at 0.
    not_tiny, safe = _tiny_safe(F, x)
    return g * F.where(not_tiny, F.special.i0(safe) - out / safe, 0.5)


def _i1e_grad(F, g, out, x):
    not_tiny, safe = _tiny_safe(F, x)
    return g * F.where(not_tiny, F.special.i0e(safe) - out * (F.sign(safe) + 1 / safe), 0.5)


def _special(name, node_name, forward, rule, **options):
    op = _unary(name, node_name, forward, rule, method=False, **options)
    op.__doc__ = f"torch.special.{name}, elementwise; integers give the default float."
    return op


i0e = _special("special_i0e", "SpecialI0EBackward0", _keep_dtype(_sp.i0e),
               lambda F, g, out, x: g * (F.special.i1e(x) - F.sign(x) * out),
               save_output=True)
i1 = _special("special_i1", "SpecialI1Backward0", _keep_dtype(_sp.i1), _i1_grad,
              save_output=True)
i1e = _special("special_i1e", "SpecialI1EBackward0", _keep_dtype(_sp.i1e), _i1e_grad,
               save_output=True)
erfcx = _special("special_erfcx", "SpecialErfcxBackward0", _keep_dtype(_sp.erfcx),
                 lambda F, g, out, x: g * (2 * x * out - 2 / math.sqrt(math.pi)),
                 save_output=True)
ndtri = _special("special_ndtri", "SpecialNdtriBackward0", _keep_dtype(_sp.ndtri),
                 lambda F, g, out, x: g * (math.sqrt(2 * math.pi) * F.exp(out * out / 2)),
                 save_output=True, saves=())
log_ndtr = _special("special_log_ndtr", "SpecialLogNdtrBackward0", _keep_dtype(_sp.log_ndtr),
                    lambda F, g, out, x: g / math.sqrt(2 * math.pi) * F.exp(-(out + x * x / 2)),
                    save_output=True)


def _entr_forward(x):
    with np.errstate(all="ignore"):
        value = np.where(x > 0, -x * np.log(np.where(x > 0, x, 1)), np.where(x == 0, 0, -np.inf))
    return np.where(np.isnan(x), x, value).astype(x.dtype, copy=False)


entr = _special("special_entr", "SpecialEntrBackward0", _entr_forward,
                lambda F, g, out, x: g * -(1 + F.log(x)))
for _fn, _name in ((i0e, "i0e"), (i1, "i1"), (i1e, "i1e"), (erfcx, "erfcx"), (ndtri, "ndtri"),
                   (log_ndtr, "log_ndtr"), (entr, "entr")):
    _fn.__name__ = _fn.__qualname__ = _name


def ndtr(input, *, out=None):
    """The standard normal CDF, (1 + erf(x / sqrt 2)) / 2 (composite, as torch)."""
    _no_out(out)
    if input._data.dtype.kind in "biu":
        input = _to_dtype(input, _dtype.get_default_dtype())
    return (1 + erf(input * math.sqrt(0.5))) * 0.5


def _bessel(name, scipy_fn):
    prim = _pw.defprim(f"special_{name}", f"Special{name}", _pw._quiet(_keep_dtype(scipy_fn)))

    def op(input, *, out=None):
        _no_out(out)
        if input._data.dtype.kind in "biu":
            input = _to_dtype(input, _dtype.get_default_dtype())
        return prim(input)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"torch.special.{name}; not differentiable (as torch). Values at infinities "
                  "follow SciPy, which may differ from torch's.")
    return op


def _spherical_j0(x):
    # sin(x) / x, with its limit 1 at 0
    with np.errstate(all="ignore"):
        return np.where(x == 0, 1.0, np.sin(x) / np.where(x == 0, 1.0, x))


bessel_j0 = _bessel("bessel_j0", _sp.j0)
bessel_j1 = _bessel("bessel_j1", _sp.j1)
bessel_y0 = _bessel("bessel_y0", _sp.y0)
bessel_y1 = _bessel("bessel_y1", _sp.y1)
modified_bessel_i0 = _bessel("modified_bessel_i0", _sp.i0)
modified_bessel_i1 = _bessel("modified_bessel_i1", _sp.i1)
modified_bessel_k0 = _bessel("modified_bessel_k0", _sp.k0)
modified_bessel_k1 = _bessel("modified_bessel_k1", _sp.k1)
scaled_modified_bessel_k0 = _bessel("scaled_modified_bessel_k0", _sp.k0e)
scaled_modified_bessel_k1 = _bessel("scaled_modified_bessel_k1", _sp.k1e)
spherical_bessel_j0 = _bessel("spherical_bessel_j0", _spherical_j0)
airy_ai = _bessel("airy_ai", lambda x: _sp.airy(x)[0])


# ------------------------------------------------------ orthogonal polynomials
def _chebyshev_v(n, x):
    # V_n = U_n - U_{n-1} (third kind), with U_{-1} = 0
    return _sp.eval_chebyu(n, x) - np.where(n > 0, _sp.eval_chebyu(np.maximum(n - 1, 0), x), 0)


def _chebyshev_w(n, x):
    # W_n = U_n + U_{n-1} (fourth kind)
    return _sp.eval_chebyu(n, x) + np.where(n > 0, _sp.eval_chebyu(np.maximum(n - 1, 0), x), 0)


def _polynomial(name, scipy_eval, shifted=False):
    """torch.special.<name>(input, n): the degree-n polynomial at input; not differentiable.

    As torch: n is truncated to an integer and negative degrees give 0.
    """
    def forward(x, n):
        x, n = _pw._float_arrays(x, n)
        degree = np.trunc(n)
        where = 2 * x - 1 if shifted else x
        with np.errstate(all="ignore"):
            value = scipy_eval(np.maximum(degree, 0).astype(np.int64), where)
        return np.where(degree < 0, 0, value).astype(x.dtype, copy=False)
    prim = _pw.defprim(f"special_{name}", f"Special{name}", forward)

    def op(input, n, *, out=None):
        _no_out(out)
        if not isinstance(input, Tensor) and not isinstance(n, Tensor):
            raise TypeError(f"{name}() expected a Tensor as input or n, got two numbers")
        a, b = _pw.binary_operands(input, n, promote_int_to_float=True)
        return prim(a, b)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"torch.special.{name}(input, n); n is truncated to an integer, negative n "
                  "gives 0. Not differentiable (as torch).")
    return op


chebyshev_polynomial_t = _polynomial("chebyshev_polynomial_t", _sp.eval_chebyt)
chebyshev_polynomial_u = _polynomial("chebyshev_polynomial_u", _sp.eval_chebyu)
chebyshev_polynomial_v = _polynomial("chebyshev_polynomial_v", _chebyshev_v)
chebyshev_polynomial_w = _polynomial("chebyshev_polynomial_w", _chebyshev_w)
shifted_chebyshev_polynomial_t = _polynomial("shifted_chebyshev_polynomial_t", _sp.eval_chebyt,
                                             shifted=True)
shifted_chebyshev_polynomial_u = _polynomial("shifted_chebyshev_polynomial_u", _sp.eval_chebyu,
                                             shifted=True)
shifted_chebyshev_polynomial_v = _polynomial("shifted_chebyshev_polynomial_v", _chebyshev_v,
                                             shifted=True)
shifted_chebyshev_polynomial_w = _polynomial("shifted_chebyshev_polynomial_w", _chebyshev_w,
                                             shifted=True)
hermite_polynomial_h = _polynomial("hermite_polynomial_h", _sp.eval_hermite)
hermite_polynomial_he = _polynomial("hermite_polynomial_he", _sp.eval_hermitenorm)
laguerre_polynomial_l = _polynomial("laguerre_polynomial_l", _sp.eval_laguerre)
legendre_polynomial_p = _polynomial("legendre_polynomial_p", _sp.eval_legendre)


# --------------------------------------------------------------- binary ones
def _xlog1py_forward(x, y):
    return _NumpySpecial.xlog1py(x, y)


_xlog1py = _binary_prims(
    "special_xlog1py", {"tt": "SpecialXlog1PyBackward0", "st": "SpecialXlog1PyBackward1",
                        "ts": "SpecialXlog1PyBackward2"}, _xlog1py_forward,
    (lambda F, g, out, x, y: g * F.special.xlog1py(x != 0, y),
     lambda F, g, out, x, y: g * x / (y + 1)))


def xlog1py(input, other, *, out=None):
    """input * log1p(other), and 0 where input is 0 (unless other is NaN)."""
    _no_out(out)
    return _call_binary(_xlog1py, input, other, promote_int_to_float=True)


def _zeta_grad_x(F, g, out, x, q):
    raise NotImplementedError("the derivative for 'zeta' is not implemented.")


_zeta = _binary_prims(
    "special_zeta", {"tt": "SpecialZetaBackward0", "st": "SpecialZetaBackward1",
                     "ts": "SpecialZetaBackward2"}, _pw._quiet(_NumpySpecial.zeta),
    (_zeta_grad_x, lambda F, g, out, x, q: g * -x * F.special.zeta(x + 1, q)))


def zeta(input, other, *, out=None):
    """The Hurwitz zeta function sum_k (k + other) ** -input; only other is differentiable."""
    _no_out(out)
    return _call_binary(_zeta, input, other, promote_int_to_float=True)


# ----------------------------------------------------------- plain aliases
def round(input, *, decimals=0, out=None):
    """torch.special.round: round half to even (float tensors only, as torch)."""
    _no_out(out)
    if not input.dtype.is_floating_point:
        raise _pw._kind_error("round_vml_cpu", input.dtype)
    # torch always dispatches to the decimals overload here (RoundBackward1)
    return _pw._round_decimals(input, decimals=int(decimals))


def softmax(input, dim, *, dtype=None):
    """Softmax along dim (see torch.softmax)."""
    return _pw.softmax(input, dim, dtype=dtype)


def log_softmax(input, dim, *, dtype=None):
    """Log-softmax along dim (see torch.log_softmax)."""
    return _pw.log_softmax(input, dim, dtype=dtype)


if hasattr(_reduction, "logsumexp"):
    logsumexp = _reduction.logsumexp
    __all__.append("logsumexp")
