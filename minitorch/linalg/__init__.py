"""torch.linalg: linear algebra with gradients where torch has them.

Forwards call NumPy's LAPACK wrappers (SciPy for LU and matrix_exp); backward
rules are the standard matrix-calculus ones torch uses, for real and complex
inputs. Decompositions whose factors are unique only up to sign or phase
(svd, eigh, eig) have gradients only for losses that do not depend on that
choice, as in torch.
"""
import collections

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from .._ops._registry import normalize_dims, wrap_dim
from .._ops.blas import _cross, const, eye_like, matmul, mT
from ..autograd._primitive import defprim, numpy_namespace, numpy_rule_op

__all__ = ["LinAlgError", "norm", "vector_norm", "matrix_norm", "det", "slogdet", "inv",
           "inv_ex", "solve", "solve_ex", "solve_triangular", "cholesky", "cholesky_ex", "qr",
           "svd", "svdvals", "eig", "eigvals", "eigh", "eigvalsh", "pinv", "lstsq",
           "matrix_power", "matrix_rank", "cond", "cross", "multi_dot", "vecdot", "matmul",
           "diagonal", "lu_factor", "lu_factor_ex", "lu", "lu_solve", "householder_product",
           "matrix_exp"]


class LinAlgError(RuntimeError):
    """Raised when a matrix is singular or not positive-definite (torch.linalg.LinAlgError)."""


slogdet_result = collections.namedtuple("linalg_slogdet", ["sign", "logabsdet"])
inv_ex_result = collections.namedtuple("linalg_inv_ex", ["inverse", "info"])
solve_ex_result = collections.namedtuple("linalg_solve_ex", ["result", "info"])
cholesky_ex_result = collections.namedtuple("linalg_cholesky_ex", ["L", "info"])
qr_result = collections.namedtuple("linalg_qr", ["Q", "R"])
svd_result = collections.namedtuple("linalg_svd", ["U", "S", "Vh"])
old_svd_result = collections.namedtuple("svd", ["U", "S", "V"])
eig_result = collections.namedtuple("linalg_eig", ["eigenvalues", "eigenvectors"])
eigh_result = collections.namedtuple("linalg_eigh", ["eigenvalues", "eigenvectors"])
lu_factor_result = collections.namedtuple("linalg_lu_factor", ["LU", "pivots"])
lu_factor_ex_result = collections.namedtuple("linalg_lu_factor_ex", ["LU", "pivots", "info"])
lu_result = collections.namedtuple("linalg_lu", ["P", "L", "U"])
lstsq_result = collections.namedtuple("linalg_lstsq",
                                      ["solution", "residuals", "rank", "singular_values"])


# ---------------------------------------------------------------- input checks
def _check_float(A, name):
    if not (A.dtype.is_floating_point or A.dtype.is_complex) or A.dtype is _dtype.float16:
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. "
                           f"Got {_dtype_title(A.dtype)}")


def _dtype_title(dt):
    return {"float64": "Double", "float32": "Float", "float16": "Half", "int64": "Long",
            "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
            "bool": "Bool"}.get(str(dt).replace("minitorch.", "").replace("torch.", ""), str(dt))


def _check_matrix(A, name, square=False, arg="A"):
    if not isinstance(A, Tensor):
        raise TypeError(f"{name}(): argument '{arg}' must be Tensor, not {type(A).__name__}")
    if A.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor {arg} must have at least 2 dimensions.")
    _check_float(A, name)
    if square and A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"{name}: {arg} must be batches of square matrices, but they are "
                           f"{A.shape[-2]} by {A.shape[-1]} matrices")


def _is_complex(x):
    return x.dtype.is_complex if isinstance(x, Tensor) else x.dtype.kind == "c"


def _mask(F, n, like, lower, strict=False):
    """Triangular 0/1 mask as a rule constant."""
    m = np.tril(np.ones((n, n)), -1 if strict else 0) if lower else \
        np.triu(np.ones((n, n)), 1 if strict else 0)
    return const(F, m, like)


def _diag_embed(F, v):
    """Vectors (..., n) as diagonal matrices (..., n, n), inside a rule."""
    return F.unsqueeze(v, -1) * eye_like(F, v.shape[-1], v)


# ------------------------------------------------- NumPy twins for the rules
class _NumpyLinalg:
    """``F.linalg`` on the plain backward path: NumPy with minitorch.linalg's signatures."""

    @staticmethod
    def inv(A):
        return np.linalg.inv(A)

    @staticmethod
    def solve(A, B, *, left=True):
        if left:
            return np.linalg.solve(A, B)
        return np.swapaxes(np.linalg.solve(np.swapaxes(A, -1, -2), np.swapaxes(B, -1, -2)),
                           -1, -2)

    @staticmethod
    def solve_triangular(A, B, *, upper, left=True, unitriangular=False):
        return _solve_triangular_forward(A, B, upper=upper, left=left,
                                         unitriangular=unitriangular)

    @staticmethod
    def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
        return np.diagonal(A, offset, dim1, dim2)

    @staticmethod
    def cross(a, b, *, dim=-1):
        return np.cross(a, b, axis=dim)

    @staticmethod
    def svd(A, full_matrices=True):
        return np.linalg.svd(A, full_matrices=full_matrices)

    @staticmethod
    def eigh(A, UPLO="L"):
        return np.linalg.eigh(A, UPLO=UPLO)

    @staticmethod
    def eig(A):
        return np.linalg.eig(A)


numpy_rule_op("linalg")(_NumpyLinalg)


# ------------------------------------------------------------ det and friends
def _adjugate(F, A, det):
    """adj(A), with det(A) * adj(A)^-1 = I; the SVD form also covers singular matrices.

    Under create_graph the differentiable det * inv(A) form is used (nonsingular only).
    """
    if F is not numpy_namespace:
        return F.unsqueeze(F.unsqueeze(det, -1), -1) * F.linalg.inv(A)
    n = A.shape[-1]
    if n == 0:
        return np.zeros_like(A)
    U, s, Vh = np.linalg.svd(A)
    # prod_{j != i} s_j without dividing by s_i (which may be 0)
    others = np.where(np.eye(n, dtype=bool), 1, s[..., None, :])
    cofactor_s = np.prod(others, axis=-1)
    phase = np.linalg.det(U) * np.linalg.det(Vh)
    adj = np.matmul(np.conj(np.swapaxes(Vh, -1, -2)) * cofactor_s[..., None, :],
                    np.conj(np.swapaxes(U, -1, -2)))
    return phase[..., None, None] * adj


_det = defprim("linalg_det", "LinalgDetBackward0", lambda A: np.asarray(np.linalg.det(A)),
               grads=(lambda F, g, out, A: F.unsqueeze(F.unsqueeze(g, -1), -1) *
                      mT(F, _adjugate(F, A, out)),), save_output=True)


def det(A, *, out=None):
    """Determinant of square matrices (batched); gradients also at singular matrices."""
    _no_out(out, "linalg.det")
    _check_matrix(A, "linalg.det", square=True)
    return _det(A)


def _slogdet_forward(A):
    sign, logabs = np.linalg.slogdet(A)
    return np.asarray(sign, dtype=A.dtype), np.asarray(logabs, dtype=A.real.dtype)


def _slogdet_vjp(F, g, out, A):
    """d logabsdet = Re t and d sign = sign * i Im t, with t = tr(A^-1 dA)."""
    g_sign, g_logabs = g
    coeff = g_logabs
    if _is_complex(A):
        sign = out[0]
        # Re(conj(g_sign) * sign * i) scales Im t; fold it into one complex coefficient
        c = _re(F, F.conj(g_sign) * sign * 1j)
        coeff = g_logabs + c * 1j
    return (F.unsqueeze(F.unsqueeze(coeff, -1), -1) * mT(F, F.linalg.inv(A)),)


_slogdet = defprim("linalg_slogdet", "LinalgSlogdetBackward0", _slogdet_forward,
                   vjp=_slogdet_vjp, num_outputs=2, save_output=True)


def slogdet(A, *, out=None):
    """(sign, log|det|) of square matrices; sign carries no gradient."""
    _no_out(out, "linalg.slogdet")
    _check_matrix(A, "linalg.slogdet", square=True)
    return slogdet_result(*_slogdet(A))


def _logdet_forward(A):
    sign, logabs = np.linalg.slogdet(A)
    if A.dtype.kind == "c":  # the complex log: log|det| + i arg(det)
        return np.asarray(logabs + np.log(sign), dtype=A.dtype)
    return np.asarray(np.where(sign < 0, np.nan, logabs), dtype=A.dtype)


def _logdet_grad(F, g, out, A):
    # torch masks a negative determinant's nan with where(): no gradient flows there
    g = g * (out == out)
    return F.unsqueeze(F.unsqueeze(g, -1), -1) * mT(F, F.linalg.inv(A))


_logdet_prim = defprim("logdet", "LogdetBackward0", _logdet_forward, grads=(_logdet_grad,),
                       save_output=True)


def _logdet(A):
    _check_matrix(A, "logdet", square=True)
    return _logdet_prim(A)


# ---------------------------------------------------------------- inverse
def _lu_info(A):
    """LAPACK getrf's info per matrix: 1-based index of the first zero pivot, or 0."""
    import scipy.linalg
    batch = A.shape[:-2]
    try:  # one batched factorisation answers the common, nonsingular case
        np.linalg.inv(A) if A.size else None
        return np.zeros(batch, dtype=np.int32)
    except np.linalg.LinAlgError:
        pass
    flat = A.reshape((-1,) + A.shape[-2:])
    info = np.zeros(len(flat), dtype=np.int32)
    for i, M in enumerate(flat):
        if M.size == 0:
            continue
        with np.errstate(all="ignore"):
            import warnings
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                lu, _ = scipy.linalg.lu_factor(M, check_finite=False)
        zero = np.flatnonzero(np.diagonal(lu) == 0)
        info[i] = zero[0] + 1 if zero.size else 0
    return info.reshape(batch)


def _singular_error(name, info):
    bad = int(info[info > 0].flat[0])
    where = f"(Batch element {int(np.flatnonzero(info.reshape(-1) > 0)[0])}): " \
        if info.ndim else ""
    return LinAlgError(f"{name}: {where}The diagonal element {bad} is zero, the inversion could "
                       "not be completed because the input matrix is singular.")


def _inv_forward(A):
    try:
        return np.linalg.inv(A)
    except np.linalg.LinAlgError:
        # torch returns LAPACK's partial result; we return inf/nan where it is singular.
        with np.errstate(all="ignore"):
            return np.linalg.pinv(A) * np.inf


_inv = defprim("linalg_inv", "LinalgInvExBackward0", _inv_forward,
               grads=(lambda F, g, out, A: -F.matmul(mT(F, out), F.matmul(g, mT(F, out))),),
               saves=(), save_output=True)


def inv(A, *, out=None):
    """Inverse of square matrices; LinAlgError for singular ones."""
    _no_out(out, "linalg.inv")
    _check_matrix(A, "linalg.inv", square=True)
    info = _lu_info(A._data)
    if np.any(info):
        raise _singular_error("linalg.inv", info)
    return _inv(A)


def inv_ex(A, *, check_errors=False, out=None):
    """(inverse, info) where info > 0 marks singular matrices (their inverse is not finite)."""
    _no_out(out, "linalg.inv_ex")
    _check_matrix(A, "linalg.inv_ex", square=True)
    info = _lu_info(A._data)
    if check_errors and np.any(info):
        raise _singular_error("linalg.inv_ex", info)
    return inv_ex_result(_inv(A), Tensor._make(info))


# ------------------------------------------------------------------ solves
def _solve_forward(A, B, left=True, vector=False):
    if vector:
        B = B[..., None]
    X = _NumpyLinalg.solve(A, B, left=left)
    return X[..., 0] if vector else X


def _solve_vjp(F, g, out, A, B, left=True, vector=False):
    if vector:
        g = F.unsqueeze(g, -1)
        out = F.unsqueeze(out, -1)
    gB = F.linalg.solve(mT(F, A), g, left=left)
    gA = -F.matmul(gB, mT(F, out)) if left else -F.matmul(mT(F, out), gB)
    if vector:
        gB = F.sum(gB, -1)
    return gA, gB


_solve = defprim("linalg_solve", "LinalgSolveExBackward0", _solve_forward, vjp=_solve_vjp,
                 save_output=True)


def _is_vector_rhs(A, B):
    return B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


def solve(A, B, *, left=True, out=None):
    """Solve A X = B (or X A = B with left=False); B may be a (batch of) vector(s)."""
    _no_out(out, "linalg.solve")
    _check_matrix(A, "linalg.solve", square=True)
    _check_float(B, "linalg.solve")
    if A.dtype is not B.dtype:
        raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found "
                           f"A of type {_dtype_title(A.dtype)} and B of type "
                           f"{_dtype_title(B.dtype)} instead")
    vector = left and _is_vector_rhs(A, B)
    n = A.shape[-1]
    rows = B.shape[-1] if vector else (B.shape[-2] if left else B.shape[-1])
    if B.ndim < 1 or rows != n:
        raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({n}x{n} and "
                           f"{'x'.join(str(s) for s in B.shape[-2:])})")
    try:
        np.broadcast_shapes(tuple(A.shape[:-2]), tuple(B.shape[:-1] if vector else B.shape[:-2]))
    except ValueError:
        raise RuntimeError("linalg.solve: the batch dimensions of A and B are not "
                           "broadcastable") from None
    info = _lu_info(A._data)
    if np.any(info):
        raise LinAlgError("linalg.solve: The solver failed because the input matrix is "
                          "singular.")
    return _solve(A, B, left=left, vector=vector)


def solve_ex(A, B, *, left=True, check_errors=False, out=None):
    """(result, info) version of solve."""
    _no_out(out, "linalg.solve_ex")
    _check_matrix(A, "linalg.solve_ex", square=True)
    info = _lu_info(A._data)
    if np.any(info):
        if check_errors:
            raise LinAlgError("linalg.solve_ex: The solver failed because the input matrix is "
                              "singular.")
        raise NotImplementedError("minitorch: linalg.solve_ex of a singular matrix with "
                                  "check_errors=False (torch returns LAPACK's partial result)")
    return solve_ex_result(solve(A, B, left=left), Tensor._make(info))


def _triangle(A, upper, unitriangular):
    T = np.triu(A) if upper else np.tril(A)
    if unitriangular:
        n = A.shape[-1]
        T = T * (1 - np.eye(n, dtype=A.dtype)) + np.eye(n, dtype=A.dtype)
    return T


def _solve_triangular_forward(A, B, upper, left=True, unitriangular=False):
    T = _triangle(A, upper, unitriangular)
    if np.any(np.diagonal(T, axis1=-2, axis2=-1) == 0):
        # LU with pivoting would not see the exact zero pivot: substitute as trsm does
        return _substitute(T, B, upper, left)
    return _NumpyLinalg.solve(T, B, left=left)


def _substitute(T, B, upper, left):
    """Plain back/forward substitution: a zero pivot gives inf/nan, as torch's trsm does."""
    if not left:  # X T = B  <=>  T^T X^T = B^T, and T^T has the other triangle
        return np.swapaxes(_substitute(np.swapaxes(T, -1, -2), np.swapaxes(B, -1, -2),
                                       not upper, True), -1, -2)
    n = T.shape[-1]
    batch = np.broadcast_shapes(T.shape[:-2], B.shape[:-2])
    X = np.zeros(batch + B.shape[-2:], dtype=np.result_type(T, B))
    with np.errstate(all="ignore"):
        for i in (range(n - 1, -1, -1) if upper else range(n)):
            done = slice(i + 1, n) if upper else slice(0, i)
            acc = B[..., i, :] - np.einsum("...j,...jk->...k", T[..., i, done], X[..., done, :])
            X[..., i, :] = acc / T[..., i, i, None]
    return X


def _solve_triangular_vjp(F, g, out, A, B, upper, left=True, unitriangular=False):
    gB = F.linalg.solve_triangular(mT(F, A), g, upper=not upper, left=left,
                                   unitriangular=unitriangular)
    gA = -F.matmul(gB, mT(F, out)) if left else -F.matmul(mT(F, out), gB)
    gA = gA * _mask(F, A.shape[-1], gA, lower=not upper, strict=unitriangular)
    return gA, gB


_solve_triangular = defprim("linalg_solve_triangular", "LinalgSolveTriangularBackward0",
                            _solve_triangular_forward, vjp=_solve_triangular_vjp,
                            save_output=True)


def solve_triangular(A, B, *, upper, left=True, unitriangular=False, out=None):
    """Solve with a triangular A (only its upper/lower triangle is read)."""
    _no_out(out, "linalg.solve_triangular")
    _check_matrix(A, "linalg.solve_triangular", square=True)
    if B.ndim < 2:
        raise RuntimeError("linalg.solve_triangular: The input tensor B must have at least 2 "
                           "dimensions.")
    if A.dtype is not B.dtype:
        raise RuntimeError(f"linalg.solve_triangular: Expected A and B to have the same dtype, "
                           f"but found A of type {_dtype_title(A.dtype)} and B of type "
                           f"{_dtype_title(B.dtype)} instead")
    n = A.shape[-1]
    if (B.shape[-2] if left else B.shape[-1]) != n:
        raise RuntimeError(f"linalg.solve_triangular: Incompatible shapes of A and B for the "
                           f"equation {'AX = B' if left else 'XA = B'} ({n}x{n} and "
                           f"{B.shape[-2]}x{B.shape[-1]})")
    return _solve_triangular(A, B, upper=bool(upper), left=bool(left),
                             unitriangular=bool(unitriangular))


# --------------------------------------------------------------- cholesky
def _cholesky_forward(A, upper=False):
    try:
        L = np.linalg.cholesky(A)
    except np.linalg.LinAlgError:
        L = np.full_like(A, np.nan)
    return np.conj(np.swapaxes(L, -1, -2)) if upper else L


def _cholesky_grad(F, g, out, A, upper=False):
    """gA = L^-H M L^-1, M Hermitian from X = tril(L^H gL): (X + tril(X, -1)^H) / 2."""
    L = mT(F, out) if upper else out
    gL = mT(F, g) if upper else g
    n = L.shape[-1]
    X = F.matmul(mT(F, L), gL) * _mask(F, n, gL, lower=True)
    M = (X + mT(F, X * _mask(F, n, gL, lower=True, strict=True))) * 0.5
    S = F.linalg.solve_triangular(mT(F, L), M, upper=True)
    return F.linalg.solve_triangular(L, S, upper=False, left=False)


_cholesky = defprim("linalg_cholesky", "LinalgCholeskyExBackward0", _cholesky_forward,
                    grads=(_cholesky_grad,), saves=(), save_output=True)


def _cholesky_info(A):
    """Order of the first leading minor that is not positive-definite, per matrix, or 0."""
    batch = A.shape[:-2]
    try:  # one batched factorisation answers the common, positive-definite case
        np.linalg.cholesky(A) if A.size else None
        return np.zeros(batch, dtype=np.int32)
    except np.linalg.LinAlgError:
        pass
    flat = A.reshape((-1,) + A.shape[-2:])
    info = np.zeros(len(flat), dtype=np.int32)
    for i, M in enumerate(flat):
        try:
            np.linalg.cholesky(M)
        except np.linalg.LinAlgError:
            k = 1
            while k <= M.shape[-1]:
                try:
                    np.linalg.cholesky(M[:k, :k])
                except np.linalg.LinAlgError:
                    break
                k += 1
            info[i] = k
    return info.reshape(batch)


def cholesky(A, *, upper=False, out=None):
    """Cholesky factor L (A = L L^H), or U = L^H with upper=True; LinAlgError if not PD."""
    _no_out(out, "linalg.cholesky")
    _check_matrix(A, "linalg.cholesky", square=True)
    info = _cholesky_info(A._data)
    if np.any(info):
        k = int(info[info > 0].flat[0])
        raise LinAlgError(f"linalg.cholesky: The factorization could not be completed because "
                          f"the input is not positive-definite (the leading minor of order {k} "
                          "is not positive-definite).")
    return _cholesky(A, upper=bool(upper))


def cholesky_ex(A, *, upper=False, check_errors=False, out=None):
    """(L, info); info > 0 gives the order of the failing minor (L is then nan-filled)."""
    _no_out(out, "linalg.cholesky_ex")
    _check_matrix(A, "linalg.cholesky_ex", square=True)
    info = _cholesky_info(A._data)
    if check_errors and np.any(info):
        return cholesky(A, upper=upper)
    return cholesky_ex_result(_cholesky(A, upper=bool(upper)), Tensor._make(info))


def _cholesky_solve_forward(B, L, upper=False):
    A_factor = np.conj(np.swapaxes(L, -1, -2)) if upper else L   # lower factor
    Y = _solve_triangular_forward(A_factor, B, upper=False)
    return _solve_triangular_forward(np.conj(np.swapaxes(A_factor, -1, -2)), Y, upper=True)


def _cholesky_solve_vjp(F, g, out, B, L, upper=False):
    gB = F.cholesky_solve(g, L, upper)
    common = F.matmul(gB, mT(F, out))
    common = common + mT(F, common)
    gL = -F.matmul(L, common) if upper else -F.matmul(common, L)
    return gB, gL


_cholesky_solve_prim = defprim("cholesky_solve", "CholeskySolveBackward0",
                               _cholesky_solve_forward, vjp=_cholesky_solve_vjp,
                               save_output=True)
numpy_rule_op("cholesky_solve")(_cholesky_solve_forward)


def _cholesky_solve(B, L, upper=False):
    _check_matrix(L, "cholesky_solve", square=True)
    if B.ndim < 2:
        raise RuntimeError(f"b should have at least 2 dimensions, but has {B.ndim} dimensions "
                           "instead")
    if B.dtype is not L.dtype:
        raise RuntimeError(f"Expected b and A to have the same dtype, but found b of type "
                           f"{_dtype_title(B.dtype)} and A of type {_dtype_title(L.dtype)} "
                           "instead.")
    if B.shape[-2] != L.shape[-1]:
        raise RuntimeError(f"Incompatible matrix sizes for cholesky_solve: each A matrix is "
                           f"{L.shape[-1]} by {L.shape[-1]} but each b matrix is "
                           f"{B.shape[-2]} by {B.shape[-1]}")
    return _cholesky_solve_prim(B, L, upper=bool(upper))


def _cholesky_inverse(L, upper=False):
    _check_matrix(L, "cholesky_inverse", square=True)
    from .. import from_numpy
    eye = from_numpy(np.broadcast_to(np.eye(L.shape[-1], dtype=L._data.dtype),
                                     L.shape).copy())
    return _cholesky_solve_prim(eye, L, upper=bool(upper))


# --------------------------------------------------------------------- QR
def _qr_forward(A, mode="reduced"):
    if mode == "r":
        R = np.linalg.qr(A, mode="r")
        return np.zeros((0,), dtype=A.dtype), R
    Q, R = np.linalg.qr(A, mode=mode)
    return Q, R


def _copyltu(F, M):
    """The Hermitian matrix whose lower triangle is M's."""
    n = M.shape[-1]
    low = M * _mask(F, n, M, lower=True, strict=True)
    diag = _re(F, M) if _is_complex(M) else M  # R's diagonal is real, so only Re counts
    return low + mT(F, low) + diag * eye_like(F, n, M)


def _qr_square_grad(F, gQ, gR, Q, R):
    """gA for m >= n (reduced): (gQ + Q copyltu(M)) R^-H with M = R gR^H - gQ^H Q."""
    M = F.matmul(R, mT(F, gR)) - F.matmul(mT(F, gQ), Q)
    rhs = gQ + F.matmul(Q, _copyltu(F, M))
    return F.linalg.solve_triangular(mT(F, R), rhs, upper=False, left=False)


def _qr_vjp(F, g, out, A, mode="reduced"):
    m, n = A.shape[-2], A.shape[-1]
    if mode == "r":
        raise RuntimeError("The derivative of linalg.qr depends on Q, which is not computed when "
                           "mode='r'. Please use linalg.qr(A, mode='reduced') if you are going "
                           "to differentiate through linalg.qr.")
    if mode == "complete" and m > n:
        raise RuntimeError("The QR decomposition is not differentiable when mode='complete' and "
                           "nrows > ncols.")
    gQ, gR = g
    Q, R = out
    if m >= n:
        return (_qr_square_grad(F, gQ, gR, Q, R),)
    # wide: A = [X | Y] with X = Q U square; Y's gradient folds into gQ
    U, V = R[..., :, :m], R[..., :, m:]
    gU, gV = gR[..., :, :m], gR[..., :, m:]
    Y = A[..., :, m:]
    gX = _qr_square_grad(F, gQ + F.matmul(Y, mT(F, gV)), gU, Q, U)
    gY = F.matmul(Q, gV)
    return (_concat_last(F, gX, gY),)


def _concat_last(F, a, b):
    """[a | b] along the last dim, inside a rule."""
    if F is numpy_namespace:
        return np.concatenate([a, b], axis=-1)
    return F.cat([a, b], -1)


_qr = defprim("linalg_qr", "LinalgQrBackward0", _qr_forward, vjp=_qr_vjp, num_outputs=2,
              save_output=True)


def qr(A, mode="reduced", *, out=None):
    """QR decomposition; mode 'reduced', 'complete' or 'r' (Q is then empty)."""
    _no_out(out, "linalg.qr")
    _check_matrix(A, "linalg.qr")
    if mode not in ("reduced", "complete", "r"):
        raise RuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                           "'reduced' (default), 'r', or 'complete'")
    return qr_result(*_qr(A, mode=mode))


# -------------------------------------------------------------------- SVD
def _svd_forward(A, full_matrices=True):
    U, S, Vh = np.linalg.svd(A, full_matrices=full_matrices)
    return U, S.astype(A.real.dtype, copy=False), Vh


def _svd_vjp(F, g, out, A, full_matrices=True):
    """torch's svd_backward (gauge-invariant losses only)."""
    gU, gS, gVh = g
    U, S, Vh = out
    m, n = A.shape[-2], A.shape[-1]
    k = min(m, n)
    if full_matrices and m != n:  # only the first k singular vectors matter
        U, gU = U[..., :, :k], gU[..., :, :k]
        Vh, gVh = Vh[..., :k, :], gVh[..., :k, :]
    V, gV = mT(F, Vh), mT(F, gVh)
    eye = eye_like(F, k, S)
    S2 = S * S
    E = F.unsqueeze(S2, -2) - F.unsqueeze(S2, -1) + eye
    UhgU_full = F.matmul(mT(F, U), gU)
    VhgV = F.matmul(mT(F, V), gV)
    UhgU = UhgU_full - mT(F, UhgU_full)
    VhgV = VhgV - mT(F, VhgV)
    gA = (UhgU * F.unsqueeze(S, -2) + F.unsqueeze(S, -1) * VhgV) / E * (1 - eye)
    gA = gA + _diag_embed(F, gS)
    if _is_complex(U):
        # the phase of each singular pair: i Im(diag(U^H gU)) / S on the diagonal
        d = F.linalg.diagonal(UhgU_full)
        gA = gA + _diag_embed(F, (d - F.conj(d)) * 0.5 / S)
    if m > n:
        gA = F.matmul(U, gA)
        gUSinv = gU / F.unsqueeze(S, -2)
        gA = gA + gUSinv - F.matmul(U, F.matmul(mT(F, U), gUSinv))
        gA = F.matmul(gA, Vh)
    elif m < n:
        gA = F.matmul(gA, Vh)
        gVSinv = gV / F.unsqueeze(S, -2)
        gA = gA + mT(F, gVSinv) - F.matmul(F.matmul(mT(F, gVSinv), V), Vh)
        gA = F.matmul(U, gA)
    else:
        gA = F.matmul(U, F.matmul(gA, Vh))
    return (gA,)


_svd = defprim("linalg_svd", "LinalgSvdBackward0", _svd_forward, vjp=_svd_vjp, num_outputs=3,
               saves=(), save_output=True)


def svd(A, full_matrices=True, *, driver=None, out=None):
    """A = U diag(S) Vh; singular vectors are unique only up to sign (gauge)."""
    _no_out(out, "linalg.svd")
    if driver is not None:
        raise NotImplementedError("minitorch: linalg.svd's 'driver' argument is CUDA-only")
    _check_matrix(A, "linalg.svd")
    return svd_result(*_svd(A, full_matrices=bool(full_matrices)))


def _svdvals_grad(F, g, out, A):
    U, _, Vh = F.linalg.svd(A, False)
    return F.matmul(U * F.unsqueeze(g, -2), Vh)


_svdvals = defprim("linalg_svdvals", "LinalgSvdBackward0",
                   lambda A: np.linalg.svd(A, compute_uv=False).astype(A.real.dtype, copy=False),
                   grads=(_svdvals_grad,))


def svdvals(A, *, driver=None, out=None):
    """Singular values, descending."""
    _no_out(out, "linalg.svdvals")
    if driver is not None:
        raise NotImplementedError("minitorch: linalg.svdvals's 'driver' argument is CUDA-only")
    _check_matrix(A, "linalg.svdvals")
    return _svdvals(A)


def _old_svd(A, some=True, compute_uv=True):
    _check_matrix(A, "svd")
    if not compute_uv:
        from .. import zeros
        m, n = A.shape[-2], A.shape[-1]
        S = svdvals(A)
        return old_svd_result(zeros(A.shape[:-2] + (m, m), dtype=A.dtype), S,
                              zeros(A.shape[:-2] + (n, n), dtype=A.dtype))
    U, S, Vh = svd(A, full_matrices=not some)
    return old_svd_result(U, S, Vh.mH)


# ------------------------------------------------------------ eigen-solvers
def _eigh_forward(A, UPLO="L"):
    L, V = np.linalg.eigh(A, UPLO=UPLO)
    return L.astype(A.real.dtype, copy=False), V


def _eigh_vjp(F, g, out, A, UPLO="L"):
    """V (skew(V^H gV)/2 / E + diag(gL)) V^H with E_ij = L_j - L_i (real inputs)."""
    gL, gV = g
    L, V = out
    n = L.shape[-1]
    eye = eye_like(F, n, L)
    E = F.unsqueeze(L, -2) - F.unsqueeze(L, -1) + eye
    VhgV = F.matmul(mT(F, V), gV)
    inner = (VhgV - mT(F, VhgV)) * 0.5 / E * (1 - eye) + _diag_embed(F, gL)
    return (F.matmul(V, F.matmul(inner, mT(F, V))),)


_eigh = defprim("linalg_eigh", "LinalgEighBackward0", _eigh_forward, vjp=_eigh_vjp,
                num_outputs=2, saves=(), save_output=True)


def _check_uplo(UPLO, name):
    if UPLO not in ("L", "U"):
        raise RuntimeError(f"{name}: Expected UPLO argument to be 'L' or 'U', but got {UPLO}")


def eigh(A, UPLO="L", *, out=None):
    """Eigenvalues (ascending) and eigenvectors of symmetric/Hermitian matrices."""
    _no_out(out, "linalg.eigh")
    _check_matrix(A, "linalg.eigh", square=True)
    _check_uplo(UPLO, "linalg.eigh")
    return eigh_result(*_eigh(A, UPLO=UPLO))


def _eigvalsh_grad(F, g, out, A, UPLO="L"):
    _, V = F.linalg.eigh(A, UPLO)
    return F.matmul(V * F.unsqueeze(g, -2), mT(F, V))


_eigvalsh = defprim("linalg_eigvalsh", "LinalgEighBackward0",
                    lambda A, UPLO="L": np.linalg.eigvalsh(A, UPLO=UPLO).astype(A.real.dtype),
                    grads=(_eigvalsh_grad,))


def eigvalsh(A, UPLO="L", *, out=None):
    """Eigenvalues (ascending) of symmetric/Hermitian matrices."""
    _no_out(out, "linalg.eigvalsh")
    _check_matrix(A, "linalg.eigvalsh", square=True)
    _check_uplo(UPLO, "linalg.eigvalsh")
    return _eigvalsh(A, UPLO=UPLO)


def _complex_dtype(np_dtype):
    return np.result_type(np_dtype, np.complex64)


def _eig_forward(A):
    L, V = np.linalg.eig(A)
    ct = _complex_dtype(A.dtype)
    return L.astype(ct), V.astype(ct)


def _re(F, x):
    """Real part kept in the complex dtype, from operators only."""
    return (x + F.conj(x)) * 0.5


def _eig_vjp(F, g, out, A):
    """torch's linalg_eig_backward: solve(V^H, (VhgV / E + diag(gL)) V^H)."""
    gL, gV = g
    L, V = out
    n = L.shape[-1]
    eye = eye_like(F, n, V)
    Lc = F.conj(L)
    E = F.unsqueeze(Lc, -2) - F.unsqueeze(Lc, -1) + eye
    VhgV = F.matmul(mT(F, V), gV)
    diag = _re(F, F.linalg.diagonal(VhgV))
    VhgV = VhgV - F.matmul(mT(F, V), V * F.unsqueeze(diag, -2))
    inner = VhgV / E * (1 - eye) + _diag_embed(F, gL)
    return (F.linalg.solve(mT(F, V), F.matmul(inner, mT(F, V))),)


_eig = defprim("linalg_eig", "LinalgEigBackward0", _eig_forward, vjp=_eig_vjp, num_outputs=2,
               saves=(), save_output=True)


def eig(A, *, out=None):
    """Eigenvalues and unit-norm eigenvectors of general square matrices (complex results)."""
    _no_out(out, "linalg.eig")
    _check_matrix(A, "linalg.eig", square=True)
    return eig_result(*_eig(A))


def _eigvals_grad(F, g, out, A):
    _, V = F.linalg.eig(A)
    return F.linalg.solve(mT(F, V), F.matmul(_diag_embed(F, g), mT(F, V)))


_eigvals = defprim("linalg_eigvals", "LinalgEigBackward0",
                   lambda A: np.linalg.eigvals(A).astype(_complex_dtype(A.dtype)),
                   grads=(_eigvals_grad,))


def eigvals(A, *, out=None):
    """Eigenvalues of general square matrices (complex)."""
    _no_out(out, "linalg.eigvals")
    _check_matrix(A, "linalg.eigvals", square=True)
    return _eigvals(A)


# ------------------------------------------------------------ pseudo-inverse
def _tolerances(A, atol, rtol, smax):
    """torch's cutoff: max(atol, rtol * sigma_max); rtol defaults to eps * max(m, n)."""
    eps = np.finfo(A.dtype).eps
    if atol is None and rtol is None:
        rtol = eps * max(A.shape[-2], A.shape[-1])
    elif rtol is None:
        rtol = 0.0 if np.any(np.asarray(atol) > 0) else eps * max(A.shape[-2], A.shape[-1])
    if atol is None:
        atol = 0.0
    return np.maximum(np.asarray(atol, dtype=smax.dtype), np.asarray(rtol) * smax)


def _pinv_forward(A, atol=None, rtol=None, hermitian=False):
    if A.size == 0:
        return np.zeros(A.shape[:-2] + (A.shape[-1], A.shape[-2]), dtype=A.dtype)
    if hermitian:
        w, V = np.linalg.eigh(A)
        smax = np.abs(w).max(-1)
        tol = _tolerances(A, atol, rtol, smax)
        keep = np.abs(w) > tol[..., None]
        winv = np.where(keep, 1 / np.where(keep, w, 1), 0)
        return np.matmul(V * winv[..., None, :], np.conj(np.swapaxes(V, -1, -2))).astype(A.dtype)
    U, s, Vh = np.linalg.svd(A, full_matrices=False)
    tol = _tolerances(A, atol, rtol, s[..., 0])
    keep = s > tol[..., None]
    sinv = np.where(keep, 1 / np.where(keep, s, 1), 0)
    return np.matmul(np.conj(np.swapaxes(Vh, -1, -2)) * sinv[..., None, :],
                     np.conj(np.swapaxes(U, -1, -2))).astype(A.dtype)


def _pinv_grad(F, g, out, A, atol=None, rtol=None, hermitian=False):
    """Differential of A+ (constant rank): -P dA P + P P^H dA^H (I - A P) + (I - P A) dA^H P^H P."""
    P = out
    m, n = A.shape[-2], A.shape[-1]
    PH = mT(F, P)
    gA = -F.matmul(PH, F.matmul(g, PH))
    I_AP = eye_like(F, m, g) - F.matmul(A, P)
    I_PA = eye_like(F, n, g) - F.matmul(P, A)
    gA = gA + F.matmul(I_AP, F.matmul(mT(F, g), F.matmul(P, PH)))
    gA = gA + F.matmul(F.matmul(PH, P), F.matmul(mT(F, g), I_PA))
    return gA


_pinv = defprim("linalg_pinv", "LinalgPinvBackward0", _pinv_forward, grads=(_pinv_grad,),
                save_output=True)


def _tol_value(x):
    if isinstance(x, Tensor):
        return x._data
    return x


def pinv(A, *, atol=None, rtol=None, hermitian=False, out=None):
    """Moore-Penrose pseudo-inverse; singular values <= max(atol, rtol * s_max) are dropped."""
    _no_out(out, "linalg.pinv")
    _check_matrix(A, "linalg.pinv")
    return _pinv(A, atol=_tol_value(atol), rtol=_tol_value(rtol), hermitian=bool(hermitian))


def matrix_rank(A, tol=None, hermitian=False, *, atol=None, rtol=None, out=None):
    """Number of singular values above max(atol, rtol * s_max) (int64)."""
    _no_out(out, "linalg.matrix_rank")
    _check_matrix(A, "linalg.matrix_rank")
    if tol is not None:
        atol, rtol = tol, 0.0
    a = A._data
    if a.size == 0:
        return Tensor._make(np.zeros(a.shape[:-2], dtype=np.int64))
    s = np.abs(np.linalg.eigvalsh(a)) if hermitian else np.linalg.svd(a, compute_uv=False)
    smax = s.max(-1)
    tol_arr = _tolerances(a, _tol_value(atol), _tol_value(rtol), smax)
    return Tensor._make(np.asarray((s > tol_arr[..., None]).sum(-1), dtype=np.int64))


_LSTSQ_DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


def lstsq(A, B, rcond=None, *, driver=None):
    """Least-squares solution of A X = B, with torch's per-driver extra outputs.

    The solution is pinv(A) @ B (the minimum-norm solution LAPACK also returns);
    its grad_fn is the product's, not LinalgLstsqBackward0.
    """
    _check_matrix(A, "torch.linalg.lstsq")
    if B.ndim < 1:
        raise RuntimeError("torch.linalg.lstsq: input.dim() must be greater or equal to "
                           "other.dim() and (input.dim() - other.dim()) <= 1")
    if A.dtype is not B.dtype:
        raise RuntimeError(f"torch.linalg.lstsq: Expected input and other to have the same "
                           f"dtype, but got input's dtype {A.dtype} and other's dtype "
                           f"{B.dtype}")
    driver = "gelsy" if driver is None else driver
    if driver not in _LSTSQ_DRIVERS:
        raise RuntimeError("torch.linalg.lstsq: parameter `driver` should be one of (gels, "
                           "gelsy, gelsd, gelss)")
    vector = B.ndim == A.ndim - 1
    Bm = B.unsqueeze(-1) if vector else B
    if Bm.shape[-2] != A.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    m, n = A.shape[-2], A.shape[-1]
    eps = np.finfo(A._data.dtype).eps
    rtol = eps * max(m, n) if rcond is None or rcond < 0 else rcond
    solution = matmul(pinv(A, rtol=rtol), Bm)
    s = np.linalg.svd(A._data, compute_uv=False) if A._data.size else \
        np.zeros(A.shape[:-2] + (0,), A._data.real.dtype)
    smax = s.max(-1) if s.shape[-1] else np.zeros(s.shape[:-1], s.dtype)
    rank = (s > (rtol * smax)[..., None]).sum(-1).astype(np.int64)
    real_np = A._data.real.dtype
    if m > n and driver != "gelsy" and np.all(rank == n):
        r = matmul(A, solution) - Bm
        residuals = (r * r.conj()).sum(-2)
        if A.dtype.is_complex:
            residuals = residuals.real
    else:
        # empty, but attached to the graph as torch's is
        residuals = (A.real if A.dtype.is_complex else A).reshape(-1)[:0]
    if vector:
        solution = solution.squeeze(-1)
    rank_t = Tensor._make(np.zeros((0,), np.int64) if driver == "gels" else rank)
    sv = Tensor._make(s.astype(real_np) if driver in ("gelsd", "gelss")
                      else np.zeros((0,), real_np))
    return lstsq_result(solution, residuals, rank_t, sv)


# ------------------------------------------------------------------ norms
def _abs_sgn(F, x):
    a = F.abs(x)
    return a, x / (a + (a == 0))


def _vector_norm_forward(x, ord=2.0, dims=None, keepdim=False):
    a = np.abs(x)
    axis = dims
    with np.errstate(all="ignore"):
        if ord == np.inf:
            out = np.max(a, axis=axis, keepdims=keepdim) if a.size else \
                np.zeros(_reduced_shape(a.shape, dims, keepdim), a.dtype)
        elif ord == -np.inf:
            out = np.min(a, axis=axis, keepdims=keepdim)
        elif ord == 0:
            out = np.sum(a != 0, axis=axis, keepdims=keepdim).astype(a.dtype)
        elif ord == 1:
            out = np.sum(a, axis=axis, keepdims=keepdim)
        elif ord == 2:
            out = np.sqrt(np.sum(a * a, axis=axis, keepdims=keepdim))
        else:
            out = np.sum(a ** ord, axis=axis, keepdims=keepdim) ** (1.0 / ord)
    return np.asarray(out, dtype=a.dtype)


def _reduced_shape(shape, dims, keepdim):
    dims = range(len(shape)) if dims is None else dims
    if keepdim:
        return tuple(1 if i in dims else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in dims)


def _vector_norm_grad(F, g, out, x, ord=2.0, dims=None, keepdim=False):
    if not keepdim:
        shape = _reduced_shape(x.shape, dims, True)
        g = F.reshape(g, shape)
        out = F.reshape(out, shape)
    a, sgn = _abs_sgn(F, x)
    if ord == 0:
        return x * 0
    if ord == 1:
        return g * sgn
    nonzero = out != 0
    safe = out + (out == 0)
    if ord == 2:
        return g * x / safe * nonzero
    if ord in (np.inf, -np.inf):
        hit = a == out
        count = F.sum(hit * 1.0, dims, True) if dims is not None else F.sum(hit * 1.0)
        return g * sgn * hit / count
    return g * sgn * a ** (ord - 1) / safe ** (ord - 1) * nonzero


_vector_norm = defprim("linalg_vector_norm", "LinalgVectorNormBackward0", _vector_norm_forward,
                       grads=(_vector_norm_grad,), save_output=True)


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None, out=None):
    """Vector p-norm over ``dim`` (all dims when None); ord may be inf, -inf, 0 or any float."""
    _no_out(out, "linalg.vector_norm")
    if not isinstance(x, Tensor):
        raise TypeError(f"linalg_vector_norm(): argument 'input' must be Tensor, not "
                        f"{type(x).__name__}")
    _check_float(x, "linalg.vector_norm")
    if isinstance(ord, str):
        raise TypeError("linalg_vector_norm(): argument 'ord' must be Number, not str")
    if dtype is not None:
        if x.dtype.is_complex and not dtype.is_complex:
            raise RuntimeError(f"linalg.vector_norm: dtype should be complex for complex input "
                               f"(got {dtype})")
        x = x.to(dtype)
    dims = None if dim is None else normalize_dims(dim, x.ndim)
    if dims is not None and x.ndim == 0:
        dims = None
    if x.numel() == 0 and ord < 0 or (x.numel() == 0 and ord == np.inf and (
            dims is None or any(x.shape[d] == 0 for d in dims))):
        raise RuntimeError(f"linalg.vector_norm cannot compute the {ord} norm on an empty "
                           "tensor because the operation does not have an identity")
    return _vector_norm(x, ord=float(ord), dims=dims, keepdim=bool(keepdim))


def _amax_forward(x, dim, keepdim, largest):
    return (np.max if largest else np.min)(x, axis=dim, keepdims=keepdim)


def _amax_grad(F, g, out, x, dim, keepdim, largest):
    if not keepdim:
        g, out = F.unsqueeze(g, dim), F.unsqueeze(out, dim)
    hit = (x == out) * 1.0
    return g * hit / F.sum(hit, dim, True)


_amax = defprim("linalg_amax", "AmaxBackward0", _amax_forward, grads=(_amax_grad,),
                save_output=True)


def _move_to_end(A, d0, d1):
    """Permute so that dims d0, d1 are the last two (in that order)."""
    rest = [i for i in range(A.ndim) if i not in (d0, d1)]
    perm = rest + [d0, d1]
    return A if perm == list(range(A.ndim)) else A.permute(*perm)


def _restore_keepdim(result, d0, d1, keepdim):
    if not keepdim:
        return result
    for d in sorted((d0, d1)):
        result = result.unsqueeze(d)
    return result


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """Matrix norm: 'fro', 'nuc', 1, -1, 2, -2, inf, -inf over the two dims in ``dim``."""
    _no_out(out, "linalg.matrix_norm")
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                           "dimensions.")
    _check_float(A, "linalg.matrix_norm")
    if len(dim) != 2:
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {dim}")
    d0, d1 = wrap_dim(dim[0], A.ndim), wrap_dim(dim[1], A.ndim)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({d0}, {d1})")
    if dtype is not None:
        A = A.to(dtype)
    if ord == "fro":
        return vector_norm(A, 2, (d0, d1), keepdim)
    if ord == "nuc":
        s = svdvals(_move_to_end(A, d0, d1))
        return _restore_keepdim(s.sum(-1), d0, d1, keepdim)
    if ord in (2, -2):
        s = svdvals(_move_to_end(A, d0, d1))
        return _restore_keepdim(s[..., 0] if ord == 2 else s[..., -1], d0, d1, keepdim)
    if ord in (1, -1, np.inf, -np.inf):
        # 1: max column sum (sum over rows d0); inf: max row sum (sum over columns d1)
        sum_dim, max_dim = (d0, d1) if ord in (1, -1) else (d1, d0)
        sums = vector_norm(A, 1, sum_dim, keepdim=True)
        result = _amax(sums, dim=max_dim, keepdim=True, largest=ord > 0)
        return result if keepdim else result.squeeze(max(d0, d1)).squeeze(min(d0, d1))
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None):
    """Vector or matrix norm, chosen from ``dim`` (int / 2-tuple) and ``ord`` as torch."""
    _no_out(out, "linalg.norm")
    if dim is not None:
        dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
        if len(dims) == 1:
            if isinstance(ord, str):
                raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 "
                                   f"or 2 and ord must be a number for vector norms. Got "
                                   f"ord={ord}")
            return vector_norm(A, 2 if ord is None else ord, dims, keepdim, dtype=dtype)
        if len(dims) == 2:
            return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim, dtype=dtype)
        raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. "
                           f"Got {list(dims)}")
    if ord is None:
        return vector_norm(A, 2, None, keepdim, dtype=dtype)
    if A.ndim == 1 and not isinstance(ord, str):
        return vector_norm(A, ord, None, keepdim, dtype=dtype)
    if A.ndim == 2:
        return matrix_norm(A, ord, (-2, -1), keepdim, dtype=dtype)
    raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D "
                       f"or 2D. Got {A.ndim}D.")


def cond(A, p=None, *, out=None):
    """Condition number: s_max / s_min for p None/2, else norm(A, p) * norm(inv(A), p)."""
    _no_out(out, "linalg.cond")
    _check_matrix(A, "linalg.cond")
    if p is None or p in (2, -2):
        s = svdvals(A)
        return s[..., 0] / s[..., -1] if p != -2 else s[..., -1] / s[..., 0]
    if A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.cond(ord={p}): A must be batches of square matrices, but "
                           f"they are {A.shape[-2]} by {A.shape[-1]} matrices")
    return matrix_norm(A, p) * matrix_norm(inv(A), p)


# ------------------------------------------------------------- products etc.
def matrix_power(A, n, *, out=None):
    """A multiplied by itself n times by repeated squaring; n < 0 inverts first."""
    _no_out(out, "linalg.matrix_power")
    if A.ndim < 2 or A.shape[-1] != A.shape[-2]:
        raise RuntimeError(f"linalg.matrix_power: A must be batches of square matrices, but "
                           f"they are {A.shape[-2] if A.ndim >= 2 else 1} by "
                           f"{A.shape[-1] if A.ndim else 1} matrices")
    if not isinstance(n, (int, np.integer)):
        raise TypeError(f"matrix_power(): argument 'n' must be int, not {type(n).__name__}")
    if n == 0:
        return _identity_like(A)
    if n < 0:
        A = inv(A)
        n = -n
    result = None
    base = A
    while n:
        if n & 1:
            result = base if result is None else matmul(result, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    return result if result is not A else A.clone()


_identity_like = defprim("linalg_identity_like", "CopyBackwards",
                        lambda A: np.broadcast_to(np.eye(A.shape[-1], dtype=A.dtype),
                                                  A.shape).copy(),
                        grads=(lambda F, g, out, A: g * 0,), saves=())


def multi_dot(tensors, *, out=None):
    """Product of a chain of matrices; the first/last may be 1-D (row/column vector)."""
    _no_out(out, "linalg.multi_dot")
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    first_vec = tensors[0].ndim == 1
    last_vec = tensors[-1].ndim == 1
    last = len(tensors) - 1
    for i, t in enumerate(tensors):
        end = i in (0, last)
        if not (t.ndim == 2 or (t.ndim == 1 and end)):
            which = "the first" if i == 0 else "the last" if i == last else f"tensor {i}"
            raise RuntimeError(f"multi_dot(): {which} tensor must be "
                               f"{'1D or 2D' if end else '2D'} but got {t.ndim}D")
    for t in tensors[1:]:
        if t.dtype is not tensors[0].dtype:
            raise RuntimeError(f"multi_dot(): all tensors must have be the same dtype but tensor "
                               f"0 is {tensors[0].dtype} and tensor {tensors.index(t)} "
                               f"{t.dtype}")
    if first_vec:
        tensors[0] = tensors[0].unsqueeze(0)
    if last_vec:
        tensors[-1] = tensors[-1].unsqueeze(-1)
    for a, b in zip(tensors, tensors[1:]):
        if a.shape[-1] != b.shape[0]:
            raise RuntimeError(f"multi_dot(): tensors {tensors.index(a)} and "
                               f"{tensors.index(a) + 1} with shapes {tuple(a.shape)} and "
                               f"{tuple(b.shape)} cannot be multiplied")
    result = tensors[0]
    for t in tensors[1:]:
        result = matmul(result, t)
    if first_vec:
        result = result.squeeze(0)
    if last_vec:
        result = result.squeeze(-1)
    return result


def vecdot(x, y, *, dim=-1, out=None):
    """sum(conj(x) * y) over ``dim`` (broadcasting)."""
    _no_out(out, "linalg.vecdot")
    if x.dtype is not y.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found "
                           f"x of type {x.dtype} and y of type {y.dtype} instead")
    return (x.conj() * y).sum(dim)


def cross(input, other, *, dim=-1, out=None):
    """Cross product of 3-vectors along ``dim`` (inputs broadcast)."""
    _no_out(out, "linalg.cross")
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"expected scalar type {input.dtype} but found {other.dtype}")
    d = wrap_dim(dim, input.ndim)
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{input.shape[d]} and {other.shape[d]}")
    try:
        np.broadcast_shapes(tuple(input.shape), tuple(other.shape))
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({input.shape}) must match the size of tensor "
                           f"b ({other.shape})") from None
    return _cross(input, other, dim=d)


def _diagonal_forward(A, offset=0, dim1=-2, dim2=-1):
    return np.diagonal(A, offset, dim1, dim2).copy()


def _diagonal_grad(F, g, out, A, offset=0, dim1=-2, dim2=-1):
    """Scatter g back onto the diagonal with a 0/1 selection tensor E[i, j, k]."""
    n1, n2 = A.shape[dim1], A.shape[dim2]
    k = g.shape[-1]
    sel = np.zeros((n1, n2, k))
    idx = np.arange(k)
    rows, cols = (idx, idx + offset) if offset >= 0 else (idx - offset, idx)
    sel[rows, cols, idx] = 1
    full = F.einsum("...k,ijk->...ij", g, const(F, sel, g))
    rest = [i for i in range(A.ndim) if i not in (dim1, dim2)]
    perm = rest + [dim1, dim2]
    inverse = [perm.index(i) for i in range(A.ndim)]
    return F.permute(full, inverse)


_diagonal = defprim("linalg_diagonal", "DiagonalBackward0", _diagonal_forward,
                    grads=(_diagonal_grad,), saves=())


def diagonal(A, *, offset=0, dim1=-2, dim2=-1):
    """Diagonals over (dim1, dim2), appended as the last dim. Returns a copy, not a view."""
    if A.ndim < 2:
        raise RuntimeError(f"diagonal dimensions requires ndim larger than 2, got {A.ndim}")
    d1, d2 = wrap_dim(dim1, A.ndim), wrap_dim(dim2, A.ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return _diagonal(A, offset=int(offset), dim1=d1, dim2=d2)


def _no_out(out, name):
    if out is not None:
        raise NotImplementedError(f"minitorch does not support the 'out' argument of {name}")



# ---------------------------------------------------------------------- LU
def _each_matrix(A, fn):
    """Apply ``fn`` to every matrix of a batch; returns a list of per-matrix results."""
    flat = A.reshape((-1,) + A.shape[-2:])
    return [fn(M) for M in flat]


def _lu_factor_np(A):
    """(LU, 1-based int32 pivots) as LAPACK getrf packs them, for a batch."""
    import warnings
    import scipy.linalg
    m, n = A.shape[-2:]
    k = min(m, n)
    batch = A.shape[:-2]

    def one(M):
        if M.size == 0:
            return np.zeros_like(M), np.arange(k, dtype=np.int32)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            lu, piv = scipy.linalg.lu_factor(M, check_finite=False)
        return lu, piv.astype(np.int32)

    if A.size == 0 and 0 in batch:
        return A.copy(), np.zeros(batch + (k,), dtype=np.int32)
    parts = _each_matrix(A, one)
    LU = np.stack([p[0] for p in parts]).reshape(A.shape).astype(A.dtype, copy=False)
    piv = (np.stack([p[1] for p in parts]).reshape(batch + (k,)) + 1).astype(np.int32)
    return LU, piv


def _perm_from_pivots(piv, m):
    """The permutation matrices P (A = P L U) that LAPACK's 1-based row swaps describe."""
    piv = np.asarray(piv)
    flat = piv.reshape(-1, piv.shape[-1]) if piv.ndim else piv.reshape(1, -1)
    mats = []
    for swaps in flat:
        order = np.arange(m)
        for i, p in enumerate(swaps - 1):
            order[[i, p]] = order[[p, i]]
        P = np.zeros((m, m))
        P[order, np.arange(m)] = 1
        mats.append(P)
    if not mats:
        return np.zeros(piv.shape[:-1] + (m, m))
    return np.stack(mats).reshape(piv.shape[:-1] + (m, m))


def _tri(F, X, lower, strict):
    """tril/triu of (possibly rectangular) matrices inside a rule, by a constant mask."""
    m, n = X.shape[-2], X.shape[-1]
    mask = np.tril(np.ones((m, n)), -1 if strict else 0) if lower else \
        np.triu(np.ones((m, n)), 1 if strict else 0)
    return X * const(F, mask, X)


def _concat(F, parts, axis):
    if F is numpy_namespace:
        return np.concatenate(parts, axis=axis)
    return F.cat(parts, axis)


def _lu_square_grad(F, L, U, gL, gU):
    """L^-H (tril(L^H gL, -1) + triu(gU U^H)) U^-H, for A = L U square (no P)."""
    M = _tri(F, F.matmul(mT(F, L), gL), True, True) + _tri(F, F.matmul(gU, mT(F, U)), False, False)
    X = F.linalg.solve_triangular(mT(F, L), M, upper=True, unitriangular=True)
    return F.linalg.solve_triangular(mT(F, U), X, upper=False, left=False)


def _lu_grad(F, P, L, U, gL, gU):
    """Gradient of A = P L U (square, wide and tall) from the gradients of L and U."""
    m, n = L.shape[-2], U.shape[-1]
    k = min(m, n)
    if m == n:
        core = _lu_square_grad(F, L, U, gL, gU)
    elif m < n:
        U1, U2 = U[..., :, :k], U[..., :, k:]
        gU1, gU2 = gU[..., :, :k], gU[..., :, k:]
        gU2L = F.linalg.solve_triangular(mT(F, L), gU2, upper=True, unitriangular=True)
        gL = gL - F.matmul(gU2L, mT(F, U2))
        core = _concat(F, [_lu_square_grad(F, L, U1, gL, gU1), gU2L], -1)
    else:
        L1, L2 = L[..., :k, :], L[..., k:, :]
        gL1, gL2 = gL[..., :k, :], gL[..., k:, :]
        gL2U = F.linalg.solve_triangular(mT(F, U), gL2, upper=False, left=False)
        gU = gU - F.matmul(mT(F, L2), gL2U)
        core = _concat(F, [_lu_square_grad(F, L1, U, gL1, gU), gL2U], -2)
    return F.matmul(const(F, P, core), core)


def _unpack_lu(F, LU):
    """Unit-lower L (m x k) and upper U (k x n) from LAPACK's packed LU, inside a rule."""
    m, n = LU.shape[-2], LU.shape[-1]
    k = min(m, n)
    L = _tri(F, LU[..., :, :k], True, True) + const(F, np.eye(m, k), LU)
    U = _tri(F, LU[..., :k, :], False, False)
    return L, U


def _as_numpy(x):
    return x if isinstance(x, np.ndarray) else x.detach().numpy()


def _lu_factor_vjp(F, g, out, A):
    gLU = g[0]
    LU, piv = out
    L, U = _unpack_lu(F, LU)
    P = _perm_from_pivots(_as_numpy(piv), A.shape[-2])
    gL, gU = _unpack_lu(F, gLU)
    gL = gL - const(F, np.eye(*gL.shape[-2:]), gL)
    return (_lu_grad(F, P, L, U, gL, gU),)


_lu_factor = defprim("linalg_lu_factor", "LinalgLuFactorExBackward0", _lu_factor_np,
                     vjp=_lu_factor_vjp, num_outputs=2, save_output=True)


def _check_pivot(pivot, name):
    if not pivot:
        raise NotImplementedError(f"minitorch: {name}(pivot=False) is CUDA-only in torch and not "
                                  "supported")


def lu_factor_ex(A, *, pivot=True, check_errors=False, out=None):
    """(LU, pivots, info): packed LU factors, 1-based int32 row swaps, first zero pivot."""
    _no_out(out, "linalg.lu_factor_ex")
    _check_matrix(A, "linalg.lu_factor_ex")
    _check_pivot(pivot, "linalg.lu_factor_ex")
    LU, piv = _lu_factor(A)
    diag = np.diagonal(LU._data, axis1=-2, axis2=-1)
    zero = diag == 0
    info = np.where(zero.any(-1), zero.argmax(-1) + 1, 0).astype(np.int32)
    if check_errors and np.any(info):
        raise LinAlgError(f"linalg.lu_factor_ex: U[{int(info.flat[np.flatnonzero(info)[0]])},"
                          f"{int(info.flat[np.flatnonzero(info)[0]])}] is zero")
    return lu_factor_ex_result(LU, piv, Tensor._make(info))


def lu_factor(A, *, pivot=True, out=None):
    """(LU, pivots) as LAPACK's getrf; RuntimeError when U has a zero on its diagonal."""
    _no_out(out, "linalg.lu_factor")
    LU, piv, info = lu_factor_ex(A, pivot=pivot)
    if np.any(info._data):
        i = int(info._data.flat[np.flatnonzero(info._data)[0]])
        raise RuntimeError(f"torch.linalg.lu_factor: U[{i},{i}] is zero and using it on lu_solve "
                           "would result in a division by zero. If you still want to perform "
                           "the factorization, consider calling linalg.lu(A, pivot) or "
                           "linalg.lu_factor_ex(A, pivot)")
    return lu_factor_result(LU, piv)


def _lu_forward(A):
    LU, piv = _lu_factor_np(A)
    m, n = A.shape[-2:]
    k = min(m, n)
    L = np.tril(LU[..., :, :k], -1) + np.eye(m, k, dtype=A.dtype)
    U = np.triu(LU[..., :k, :])
    return L, U


def _lu_vjp(F, g, out, A):
    gL, gU = g
    L, U = out
    P = _perm_from_pivots(_lu_factor_np(_as_numpy(A))[1], A.shape[-2])
    return (_lu_grad(F, P, L, U, _tri(F, gL, True, True), _tri(F, gU, False, False)),)


_lu = defprim("linalg_lu", "LinalgLuBackward0", _lu_forward, vjp=_lu_vjp, num_outputs=2,
              save_output=True)


def lu(A, *, pivot=True, out=None):
    """(P, L, U) with A = P L U; P is a permutation matrix (no gradient)."""
    _no_out(out, "linalg.lu")
    _check_matrix(A, "linalg.lu")
    _check_pivot(pivot, "linalg.lu")
    L, U = _lu(A)
    _, piv = _lu_factor_np(A._data)
    P = _perm_from_pivots(piv, A.shape[-2]).astype(A._data.dtype)
    return lu_result(Tensor._make(P), L, U)


def lu_solve(LU, pivots, B, *, left=True, adjoint=False, out=None):
    """Solve A X = B (or X A = B, or with A^H) from lu_factor's output.

    Built from triangular solves, so the grad_fn is theirs (torch: LinalgLuSolveBackward0).
    """
    _no_out(out, "linalg.lu_solve")
    _check_matrix(LU, "linalg.lu_solve", square=True, arg="LU")
    if B.ndim < 2:
        raise RuntimeError("linalg.lu_solve: The input tensor B must have at least 2 dimensions.")
    n = LU.shape[-1]
    if (B.shape[-2] if left else B.shape[-1]) != n:
        raise RuntimeError(f"linalg.lu_solve: Incompatible shapes of A and B for the equation "
                           f"{'AX = B' if left else 'XA = B'} ({n}x{n} and "
                           f"{B.shape[-2]}x{B.shape[-1]})")
    from .. import from_numpy
    P = from_numpy(_perm_from_pivots(pivots.numpy(), n).astype(LU._data.dtype))
    eye = from_numpy(np.eye(n, dtype=LU._data.dtype))
    mask_lower = from_numpy(np.tril(np.ones((n, n), dtype=LU._data.dtype), -1))
    L = LU * mask_lower + eye
    U = LU - LU * mask_lower
    tri = solve_triangular
    if left and not adjoint:      # X = U^-1 L^-1 P^T B
        Y = tri(L, matmul(P.mT, B), upper=False, unitriangular=True)
        return tri(U, Y, upper=True)
    if left:                      # X = P L^-H U^-H B
        Y = tri(U.mH, B, upper=False)
        return matmul(P, tri(L.mH, Y, upper=True, unitriangular=True))
    if not adjoint:               # X = B U^-1 L^-1 P^T
        Y = tri(U, B, upper=True, left=False)
        return matmul(tri(L, Y, upper=False, left=False, unitriangular=True), P.mT)
    Y = matmul(B, P)              # X = B P L^-H U^-H
    Y = tri(L.mH, Y, upper=True, left=False, unitriangular=True)
    return tri(U.mH, Y, upper=False, left=False)


# ------------------------------------------------- householder, matrix_exp
def householder_product(A, tau, *, out=None):
    """First n columns of H_1 ... H_k, H_i = I - tau_i v_i v_i^H (v_i from A's columns).

    Composite of differentiable ops (torch: LinalgHouseholderProductBackward0).
    """
    _no_out(out, "linalg.householder_product")
    _check_matrix(A, "torch.linalg.householder_product")
    m, n = A.shape[-2], A.shape[-1]
    k = tau.shape[-1]
    if m < n:
        raise RuntimeError("torch.linalg.householder_product: input.shape[-2] must be greater "
                           "than or equal to input.shape[-1]")
    if k > n:
        raise RuntimeError("torch.linalg.householder_product: input.shape[-1] must be greater "
                           "than or equal to tau.shape[-1]")
    if A.dtype is not tau.dtype:
        raise RuntimeError(f"torch.linalg.householder_product: tau dtype {tau.dtype} does not "
                           f"match input dtype {A.dtype}")
    from .. import from_numpy
    dt = A._data.dtype
    V = A * from_numpy(np.tril(np.ones((m, n), dtype=dt), -1)) + from_numpy(np.eye(m, n, dtype=dt))
    Q = from_numpy(np.broadcast_to(np.eye(m, dtype=dt), A.shape[:-2] + (m, m)).copy())
    # Q = H_1 H_2 ... H_k, multiplied on the right one reflector at a time
    for i in range(k):
        v = V[..., :, i:i + 1]
        Qv = matmul(Q, v)
        Q = Q - matmul(Qv * tau[..., i:i + 1].unsqueeze(-1), v.mH)
    return Q[..., :, :n]


def _expm_np(A):
    import scipy.linalg
    if A.shape[-1] == 0:
        return A.copy()
    return scipy.linalg.expm(A).astype(A.dtype, copy=False)


def _matrix_exp_grad(F, g, out, A):
    """The upper-right block of exp([[A^H, g], [0, A^H]]) (Frechet derivative adjoint)."""
    n = A.shape[-1]
    AH = mT(F, A)
    zero = AH * 0
    top = _concat(F, [AH, g], -1)
    bottom = _concat(F, [zero, AH], -1)
    big = F.linalg.matrix_exp(_concat(F, [top, bottom], -2))
    return big[..., :n, n:]


_NumpyLinalg.matrix_exp = staticmethod(_expm_np)
_matrix_exp = defprim("linalg_matrix_exp", "LinalgMatrixExpBackward0", _expm_np,
                      grads=(_matrix_exp_grad,))


def matrix_exp(A):
    """Matrix exponential of square matrices."""
    _check_matrix(A, "linalg.matrix_exp", square=True)
    return _matrix_exp(A)
