"""Parity: torch.linalg (norms, det, solves, decompositions) and its top-level aliases."""
import numpy as np
import pytest

from harness import check, check_error, noncontiguous, rand

F64, F32 = np.float64, np.float32
INF = float("inf")


def wellcond(*shape, dtype=F64):
    """Random square matrices shifted away from singular."""
    a = rand(*shape, dtype=dtype)
    return (a + 3 * np.eye(shape[-1])).astype(dtype)


def spd(*shape, dtype=F64):
    a = rand(*shape)
    return (a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)


def sym(*shape, dtype=F64):
    a = rand(*shape)
    return (a + np.swapaxes(a, -1, -2)).astype(dtype)


LOOSE = dict(rtol=1e-3, atol=1e-4)


def check_linalg_error(fn, *arrays):
    """torch raises torch.linalg.LinAlgError; we raise minitorch.linalg.LinAlgError."""
    import minitorch
    import torch
    with pytest.raises(torch.linalg.LinAlgError):
        fn(torch, *[torch.from_numpy(a) for a in arrays])
    with pytest.raises(minitorch.linalg.LinAlgError) as info:
        fn(minitorch, *[minitorch.from_numpy(a) for a in arrays])
    assert isinstance(info.value, RuntimeError)


# ------------------------------------------------------------------- norms
@pytest.mark.parametrize("ord", [2, 1, 3, 0.5, INF, -INF, 0, -1.5])
def test_vector_norm(ord):
    _, m = check(lambda L, x: L.linalg.vector_norm(x, ord), rand(3, 4))
    assert type(m.grad_fn).__name__ == "LinalgVectorNormBackward0"
    check(lambda L, x: L.linalg.vector_norm(x, ord, dim=1, keepdim=True), rand(3, 4))
    check(lambda L, x: L.linalg.vector_norm(x, ord, dim=(0, 2)), rand(2, 3, 4, dtype=F32))


def test_vector_norm_dtype_ties_and_errors():
    check(lambda L, x: L.linalg.vector_norm(x, dtype=L.float64), rand(5, dtype=F32))
    check(lambda L, x: L.linalg.vector_norm(x, INF), np.array([1.0, -3.0, 3.0, 2.0]))
    check(lambda L, x: L.linalg.vector_norm(x), np.zeros(3))
    check(lambda L, x: L.linalg.vector_norm(x, dim=-1), rand(2, 3, dtype=np.complex128))
    check(lambda L, x: L.linalg.vector_norm(x, 3), rand(4, dtype=np.complex128))
    check_error(lambda L, x: L.linalg.vector_norm(x), np.arange(3))
    check_error(lambda L, x: L.linalg.vector_norm(x, dim=2), rand(3, 4))


@pytest.mark.parametrize("ord", ["fro", "nuc", 1, -1, 2, -2, INF, -INF])
def test_matrix_norm(ord):
    check(lambda L, x: L.linalg.matrix_norm(x, ord), rand(3, 4))
    check(lambda L, x: L.linalg.matrix_norm(x, ord, keepdim=True), rand(2, 4, 3))
    check(lambda L, x: L.linalg.matrix_norm(x, ord, dim=(0, 2)), rand(4, 2, 3, dtype=F32),
          **LOOSE)


def test_matrix_norm_errors():
    check_error(lambda L, x: L.linalg.matrix_norm(x), rand(3))
    check_error(lambda L, x: L.linalg.matrix_norm(x, 3), rand(3, 3))


@pytest.mark.parametrize("args", [dict(), dict(ord=1), dict(ord="fro"), dict(ord="nuc"),
                                  dict(dim=1), dict(ord=INF, dim=0), dict(ord=2, dim=(0, 1)),
                                  dict(keepdim=True)])
def test_norm(args):
    check(lambda L, x: L.linalg.norm(x, **args), rand(3, 4))


def test_norm_errors():
    check_error(lambda L, x: L.linalg.norm(x, ord=2), rand(2, 3, 4))
    check_error(lambda L, x: L.linalg.norm(x, ord="fro", dim=0), rand(2, 3))


def test_cond():
    check(lambda L, x: L.linalg.cond(x), wellcond(3, 3))
    check(lambda L, x: L.linalg.cond(x), rand(2, 4, 3))
    # torch's own backward fails for these orders (in-place on inv's output): values only
    check(lambda L, x: L.linalg.cond(x, "fro"), wellcond(2, 3, 3), grad=False)
    check(lambda L, x: L.linalg.cond(x, 1), wellcond(3, 3), grad=False)


# --------------------------------------------------------------- det & co
@pytest.mark.parametrize("dt", [F64, F32])
def test_det(dt):
    _, m = check(lambda L, a: L.linalg.det(a), rand(3, 3, dtype=dt), **({} if dt == F64 else LOOSE))
    assert type(m.grad_fn).__name__ == "LinalgDetBackward0"
    check(lambda L, a: L.det(a), rand(2, 4, 4, dtype=dt), **({} if dt == F64 else LOOSE))
    check(lambda L, a: a.det(), noncontiguous(rand(3, 3, dtype=dt)),
          **({} if dt == F64 else LOOSE))


def test_det_singular_gradient():
    a = rand(3, 3)
    a[2] = a[0] + a[1]
    check(lambda L, a: L.linalg.det(a), a, atol=1e-8)
    b = np.zeros((3, 3))
    b[0, 0] = 2.0
    check(lambda L, a: L.linalg.det(a), b)


def test_slogdet_logdet():
    a = rand(2, 3, 3)
    check(lambda L, a: L.linalg.slogdet(a), a)
    check(lambda L, a: L.slogdet(a)[1], a)
    check(lambda L, a: L.logdet(a), spd(2, 3, 3))
    check(lambda L, a: a.logdet(), np.array([[-1.0, 0], [0, 2.0]]))
    check_error(lambda L, a: L.linalg.slogdet(a), rand(2, 3))


def test_inv():
    _, m = check(lambda L, a: L.linalg.inv(a), wellcond(3, 3))
    assert type(m.grad_fn).__name__ == "LinalgInvExBackward0"
    check(lambda L, a: L.inverse(a), wellcond(2, 4, 4, dtype=F32), **LOOSE)
    check(lambda L, a: L.linalg.inv_ex(a), wellcond(3, 3))
    check_linalg_error(lambda L, a: L.linalg.inv(a), np.ones((3, 3)))
    check_linalg_error(lambda L, a: L.linalg.inv(a), np.zeros((2, 2, 2)))
    check_error(lambda L, a: L.linalg.inv(a), rand(2, 3))
    check_error(lambda L, a: L.linalg.inv(a), rand(3))
    check_error(lambda L, a: L.linalg.inv(a), np.eye(2, dtype=np.int64))
    check_linalg_error(lambda L, a: L.linalg.inv_ex(a, check_errors=True), np.zeros((2, 2)))
    check(lambda L, a: L.linalg.inv_ex(a).info, np.zeros((2, 2)), grad=False)


# ------------------------------------------------------------------ solves
@pytest.mark.parametrize("shapes", [((3, 3), (3, 2)), ((3, 3), (3,)), ((2, 3, 3), (2, 3)),
                                    ((2, 3, 3), (3, 4)), ((3, 3), (2, 3, 1)),
                                    ((1, 3, 3), (4, 3, 2))])
def test_solve(shapes):
    sa, sb = shapes
    _, m = check(lambda L, a, b: L.linalg.solve(a, b), wellcond(*sa), rand(*sb))
    assert type(m.grad_fn).__name__ == "LinalgSolveExBackward0"


def test_solve_left_false_f32_errors():
    check(lambda L, a, b: L.linalg.solve(a, b, left=False), wellcond(3, 3), rand(2, 3))
    check(lambda L, a, b: L.linalg.solve(a, b), wellcond(3, 3, dtype=F32), rand(3, 2, dtype=F32),
          **LOOSE)
    check_linalg_error(lambda L, a, b: L.linalg.solve(a, b), np.ones((3, 3)), rand(3, 2))
    check_error(lambda L, a, b: L.linalg.solve(a, b), wellcond(3, 3), rand(4, 2))
    check_error(lambda L, a, b: L.linalg.solve(a, b), wellcond(3, 3), rand(3, 2, dtype=F32))
    check_error(lambda L, a, b: L.linalg.solve(a, b), rand(3, 4), rand(3, 2))


@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("unit", [True, False])
def test_solve_triangular(upper, left, unit):
    b = rand(3, 2) if left else rand(2, 3)
    check(lambda L, a, b: L.linalg.solve_triangular(a, b, upper=upper, left=left,
                                                    unitriangular=unit), wellcond(2, 3, 3), b)


def test_solve_triangular_errors():
    check_error(lambda L, a, b: L.linalg.solve_triangular(a, b, upper=True), wellcond(3, 3),
                rand(3))
    check_error(lambda L, a, b: L.linalg.solve_triangular(a, b, upper=True), wellcond(3, 3),
                rand(4, 1))


def test_cholesky():
    _, m = check(lambda L, a: L.linalg.cholesky(a), spd(3, 3))
    assert type(m.grad_fn).__name__ == "LinalgCholeskyExBackward0"
    check(lambda L, a: L.linalg.cholesky(a, upper=True), spd(2, 4, 4))
    check(lambda L, a: L.linalg.cholesky(a), spd(3, 3, dtype=F32), **LOOSE)
    check(lambda L, a: L.linalg.cholesky_ex(a), spd(3, 3))
    check(lambda L, a: L.linalg.cholesky_ex(a).info, -np.eye(3), grad=False)
    check_linalg_error(lambda L, a: L.linalg.cholesky(a), -np.eye(3))
    check_linalg_error(lambda L, a: L.linalg.cholesky(a), np.diag([1.0, -1.0]))
    check_error(lambda L, a: L.linalg.cholesky(a), rand(3, 2))


@pytest.mark.parametrize("upper", [False, True])
def test_cholesky_solve_inverse(upper):
    f = spd(3, 3)
    fac = np.linalg.cholesky(f)
    fac = fac.T.copy() if upper else fac
    check(lambda L, b, c: L.cholesky_solve(b, c, upper), rand(3, 2), fac)
    check(lambda L, c: L.cholesky_inverse(c, upper), fac)
    check_error(lambda L, b, c: L.cholesky_solve(b, c), rand(4, 2), fac)


# ---------------------------------------------------------- decompositions
@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (3, 5), (2, 4, 3)])
def test_qr(shape):
    _, m = check(lambda L, a: L.linalg.qr(a), rand(*shape))
    assert type(m[0].grad_fn).__name__ == "LinalgQrBackward0"
    check(lambda L, a: L.qr(a), rand(*shape))


def test_qr_modes():
    check(lambda L, a: L.linalg.qr(a, mode="complete"), rand(3, 5))
    check(lambda L, a: L.linalg.qr(a, mode="complete"), rand(4, 3), grad=False)
    check(lambda L, a: L.linalg.qr(a, mode="r")[1], rand(4, 3), grad=False)
    check(lambda L, a: L.linalg.qr(a, mode="r").Q, rand(4, 3), grad=False)
    check(lambda L, a: L.linalg.qr(a)[0], rand(4, 3, dtype=F32), **LOOSE)
    check_error(lambda L, a: L.linalg.qr(a, mode="x"), rand(3, 3))


def _svd_invariants(L, a, full=False):
    """Gauge-invariant functions of the SVD: S, |U|, |Vh| and the reconstruction."""
    U, S, Vh = L.linalg.svd(a, full_matrices=full)
    k = S.shape[-1]
    recon = (U[..., :, :k] * S.unsqueeze(-2)) @ Vh[..., :k, :]
    # with full_matrices the extra (null-space) vectors are not unique: leave them out
    return S, U[..., :, :k].abs(), Vh[..., :k, :].abs(), recon


@pytest.mark.parametrize("shape", [(4, 3), (3, 3), (3, 5), (2, 4, 3)])
def test_svd(shape):
    _, m = check(_svd_invariants, rand(*shape))
    assert type(m[0].grad_fn).__name__ == "LinalgSvdBackward0"
    check(lambda L, a: _svd_invariants(L, a, True), rand(*shape))
    check(_svd_invariants, rand(*shape, dtype=F32), **LOOSE)


def test_svdvals_and_old_svd():
    check(lambda L, a: L.linalg.svdvals(a), rand(2, 4, 3))
    check(lambda L, a: L.linalg.svdvals(a), rand(3, 5, dtype=F32), **LOOSE)

    def old(L, a):
        U, S, V = L.svd(a)
        return S, (U * S) @ V.T, U.abs(), V.abs()
    check(old, rand(4, 3))
    check(lambda L, a: L.svd(a, some=False)[0].abs(), rand(4, 3), grad=False)
    check(lambda L, a: L.svd(a, compute_uv=False), rand(4, 3), grad=False)


@pytest.mark.parametrize("uplo", ["L", "U"])
def test_eigh(uplo):
    def fn(L, a):
        w, V = L.linalg.eigh(a, UPLO=uplo)
        return w, V.abs(), (V * w.unsqueeze(-2)) @ V.mT
    _, m = check(fn, sym(2, 4, 4))
    assert type(m[0].grad_fn).__name__ == "LinalgEighBackward0"
    check(lambda L, a: L.linalg.eigvalsh(a, uplo), sym(4, 4))
    check(lambda L, a: L.linalg.eigvalsh(a), sym(3, 3, dtype=F32), **LOOSE)
    check(fn, sym(3, 3, dtype=F32), **LOOSE)
    check_error(lambda L, a: L.linalg.eigh(a, UPLO="X"), sym(3, 3))


def test_eig_eigvals():
    a = np.diag([1.0, 2.0, -3.0]) + 0.3 * rand(3, 3)
    check(lambda L, a: L.linalg.eigvals(a).abs(), a)
    check(lambda L, a: L.linalg.eigvals(a).real.sum(), a)
    check(lambda L, a: L.linalg.eig(a)[0].abs(), a)
    check(lambda L, a: L.linalg.eig(a)[1].abs(), a)


def test_pinv_lstsq():
    _, m = check(lambda L, a: L.linalg.pinv(a), rand(4, 3))
    assert type(m.grad_fn).__name__ == "LinalgPinvBackward0"
    check(lambda L, a: L.linalg.pinv(a), rand(2, 3, 5))
    check(lambda L, a: L.linalg.pinv(a, hermitian=True), spd(3, 3))
    check(lambda L, a: L.pinverse(a), rand(3, 4, dtype=F32), **LOOSE)
    low_rank = rand(4, 2) @ rand(2, 3)
    check(lambda L, a: L.linalg.pinv(a), low_rank, grad=False)
    check(lambda L, a: L.linalg.pinv(a, atol=0.5, rtol=0.1), rand(4, 3), grad=False)
    for driver in (None, "gelsd", "gelss", "gels"):
        check(lambda L, a, b: L.linalg.lstsq(a, b, driver=driver), rand(5, 3), rand(5, 2))
    check(lambda L, a, b: L.linalg.lstsq(a, b).solution, rand(2, 5, 3), rand(2, 5, 2))
    check_error(lambda L, a, b: L.linalg.lstsq(a, b, driver="x"), rand(5, 3), rand(5, 2))


def test_matrix_power_rank():
    for n in (0, 1, 2, 3, 5, -1, -2):
        check(lambda L, a: L.linalg.matrix_power(a, n), wellcond(2, 3, 3))
    check(lambda L, a: L.matrix_power(a, 3), wellcond(3, 3, dtype=F32), **LOOSE)
    check_error(lambda L, a: L.linalg.matrix_power(a, 2), rand(3, 4))
    check(lambda L, a: L.linalg.matrix_rank(a), rand(4, 2) @ rand(2, 3), grad=False)
    check(lambda L, a: L.linalg.matrix_rank(a, hermitian=True), spd(2, 3, 3), grad=False)
    check(lambda L, a: L.linalg.matrix_rank(a, atol=1.0, rtol=0.0), rand(4, 3), grad=False)


def test_multi_dot_vecdot_diagonal_matmul():
    check(lambda L, a, b, c: L.linalg.multi_dot([a, b, c]), rand(3), rand(3, 4), rand(4))
    check(lambda L, a, b, c: L.linalg.multi_dot([a, b, c]), rand(2, 3), rand(3, 4), rand(4, 5))
    check_error(lambda L, a: L.linalg.multi_dot([a]), rand(2, 3))
    check_error(lambda L, a, b: L.linalg.multi_dot([a, b]), rand(2, 3), rand(4, 5))
    check(lambda L, a, b: L.linalg.vecdot(a, b), rand(2, 3), rand(3))
    check(lambda L, a, b: L.linalg.vecdot(a, b, dim=0), rand(3, 2), rand(3, 2))
    for kw in (dict(), dict(offset=1), dict(offset=-1), dict(dim1=0, dim2=2)):
        check(lambda L, a: L.linalg.diagonal(a, **kw), rand(3, 4, 3))
    check(lambda L, a, b: L.linalg.matmul(a, b), rand(2, 3), rand(3, 2))


def _double_backward(op):
    """d/dA of sum(grad_A(sum(w * op(A)))^2): exercises each rule's create_graph path."""
    def fn(L, a):
        out = op(L, a)
        w = L.from_numpy(np.linspace(0.5, 1.5, out.numel()).reshape(tuple(out.shape)))
        (g,) = L.autograd.grad((out * w).sum(), a, create_graph=True)
        return g
    return fn


@pytest.mark.parametrize("name,op,make", [
    ("det", lambda L, a: L.linalg.det(a), lambda: wellcond(2, 3, 3)),
    ("inv", lambda L, a: L.linalg.inv(a), lambda: wellcond(3, 3)),
    ("solve", lambda L, a: L.linalg.solve(a, a.sum(-1)), lambda: wellcond(3, 3)),
    ("slogdet", lambda L, a: L.linalg.slogdet(a)[1], lambda: wellcond(3, 3)),
    ("cholesky", lambda L, a: L.linalg.cholesky(a @ a.mT), lambda: wellcond(3, 3)),
    ("solve_triangular", lambda L, a: L.linalg.solve_triangular(a, a, upper=True),
     lambda: wellcond(3, 3)),
    ("qr", lambda L, a: L.linalg.qr(a)[1], lambda: rand(4, 3)),
    ("svdvals", lambda L, a: L.linalg.svdvals(a), lambda: rand(4, 3)),
    ("svd", lambda L, a: L.linalg.svd(a, full_matrices=False)[0].abs(), lambda: rand(4, 3)),
    ("eigh", lambda L, a: L.linalg.eigh(a + a.mT)[1].abs(), lambda: rand(3, 3)),
    ("eigvalsh", lambda L, a: L.linalg.eigvalsh(a + a.mT), lambda: rand(3, 3)),
    ("pinv", lambda L, a: L.linalg.pinv(a), lambda: rand(4, 3)),
    ("vector_norm", lambda L, a: L.linalg.vector_norm(a, 3, dim=1), lambda: rand(3, 4)),
    # squared: torch's second derivative of a bare max is a ZeroTensor the harness cannot read
    ("vector_norm_inf", lambda L, a: L.linalg.vector_norm(a, float("inf")) ** 2,
     lambda: rand(3, 4)),
    ("matrix_norm_1", lambda L, a: L.linalg.matrix_norm(a, 1) ** 2, lambda: rand(3, 4)),
    ("diagonal", lambda L, a: L.linalg.diagonal(a, offset=1) ** 2, lambda: rand(3, 4)),
    ("cross", lambda L, a: L.linalg.cross(a, a * a), lambda: rand(2, 3)),
    ("cholesky_solve", lambda L, a: L.cholesky_solve(a, L.linalg.cholesky(a @ a.mT)),
     lambda: wellcond(3, 3)),
    ("eigvals", lambda L, a: (L.linalg.eigvals(a) ** 2).real, lambda: np.diag([1.0, 2.0, 4.0]) +
     0.2 * rand(3, 3)),
])
def test_create_graph(name, op, make):
    check(_double_backward(op), make())


@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (3, 5), (5, 3)])
def test_lu_factor_and_lu(shape):
    _, m = check(lambda L, a: L.linalg.lu_factor(a), rand(*shape))
    assert type(m[0].grad_fn).__name__ == "LinalgLuFactorExBackward0"
    _, m = check(lambda L, a: L.linalg.lu(a), rand(*shape))
    assert type(m[1].grad_fn).__name__ == "LinalgLuBackward0"
    assert not m[0].requires_grad
    check(lambda L, a: L.linalg.lu_factor_ex(a), rand(*shape))


def test_lu_singular_and_float32():
    check(lambda L, a: L.linalg.lu_factor_ex(a), np.zeros((3, 3)), grad=False)
    check_error(lambda L, a: L.linalg.lu_factor(a), np.zeros((3, 3)))
    check(lambda L, a: L.linalg.lu(a), rand(4, 4, dtype=F32), **LOOSE)


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("adjoint", [True, False])
def test_lu_solve(left, adjoint):
    def fn(L, a, b):
        LU, piv = L.linalg.lu_factor(a)
        return L.linalg.lu_solve(LU, piv, b, left=left, adjoint=adjoint)
    check(fn, wellcond(2, 3, 3), rand(3, 2) if left else rand(2, 3))


@pytest.mark.parametrize("shape,k", [((4, 3), 2), ((3, 3), 3), ((2, 5, 2), 2)])
def test_householder_product(shape, k):
    check(lambda L, a, t: L.linalg.householder_product(a, t), rand(*shape),
          rand(*shape[:-2], k))
    check(lambda L, a, t: L.orgqr(a, t), rand(*shape), rand(*shape[:-2], k))
    check_error(lambda L, a, t: L.linalg.householder_product(a, t), rand(3, 4), rand(2))


def test_matrix_exp_and_old_cholesky():
    _, m = check(lambda L, a: L.linalg.matrix_exp(a), rand(2, 3, 3))
    assert type(m.grad_fn).__name__ == "LinalgMatrixExpBackward0"
    check(lambda L, a: L.matrix_exp(a), rand(3, 3, dtype=F32), **LOOSE)
    check(_double_backward(lambda L, a: L.linalg.matrix_exp(a)), rand(3, 3))
    check(_double_backward(lambda L, a: L.linalg.lu_factor(a)[0]), rand(3, 4))
    check(_double_backward(lambda L, a: L.linalg.qr(a)[1]), rand(3, 5))
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda L, a: L.cholesky(a), spd(3, 3))
        check(lambda L, a: L.cholesky(a, upper=True), spd(3, 3))


def _hermitian(n):
    h = rand(n, n, dtype=np.complex128)
    return h + h.conj().T


def _hpd(*shape):
    p = rand(*shape, dtype=np.complex128)
    return p @ np.swapaxes(p, -1, -2).conj() + shape[-1] * np.eye(shape[-1])


def _svd_reconstruction(L, a):
    U, S, Vh = L.linalg.svd(a, full_matrices=False)
    return (U * S.to(U.dtype).unsqueeze(-2)) @ Vh


C = np.complex128


@pytest.mark.parametrize("name,fn,make", [
    ("det", lambda L, a: L.linalg.det(a), lambda: rand(2, 3, 3, dtype=C)),
    ("inv", lambda L, a: L.linalg.inv(a), lambda: rand(3, 3, dtype=C) + 3 * np.eye(3)),
    ("logdet", lambda L, a: L.logdet(a), lambda: rand(2, 3, 3, dtype=C)),
    ("slogdet", lambda L, a: L.linalg.slogdet(a), lambda: rand(2, 3, 3, dtype=C)),
    ("matrix_norm", lambda L, a: L.linalg.matrix_norm(a), lambda: rand(3, 3, dtype=C)),
    ("matrix_norm_inf", lambda L, a: L.linalg.matrix_norm(a, float("inf")),
     lambda: rand(3, 3, dtype=C)),
    ("vector_norm", lambda L, a: L.linalg.vector_norm(a, 3, dim=1), lambda: rand(3, 3, dtype=C)),
    ("eigvalsh", lambda L, a: L.linalg.eigvalsh(a), lambda: _hermitian(3)),
    ("eigh", lambda L, a: (lambda w, V: (V.abs(), (V * w.unsqueeze(-2)) @ V.mH))(
        *L.linalg.eigh(a, UPLO="U")), lambda: _hermitian(3)),
    ("cholesky", lambda L, a: L.linalg.cholesky(a), lambda: _hpd(2, 3, 3)),
    ("cholesky_upper", lambda L, a: L.linalg.cholesky(a, upper=True), lambda: _hpd(3, 3)),
    ("qr_tall", lambda L, a: L.linalg.qr(a), lambda: rand(4, 3, dtype=C)),
    ("qr_wide", lambda L, a: L.linalg.qr(a), lambda: rand(3, 4, dtype=C)),
    ("svdvals", lambda L, a: L.linalg.svdvals(a), lambda: rand(4, 3, dtype=C)),
    ("svd_abs", lambda L, a: L.linalg.svd(a, full_matrices=False)[0].abs(),
     lambda: rand(4, 3, dtype=C)),
    ("svd_recon_wide", _svd_reconstruction, lambda: rand(3, 4, dtype=C)),
    ("svd_recon_tall", _svd_reconstruction, lambda: rand(2, 4, 3, dtype=C)),
    ("lu", lambda L, a: L.linalg.lu(a)[1:], lambda: rand(3, 3, dtype=C)),
    ("eigvals", lambda L, a: L.linalg.eigvals(a), lambda: rand(3, 3, dtype=C)),
    ("pinv", lambda L, a: L.linalg.pinv(a), lambda: rand(4, 3, dtype=C)),
    ("matrix_exp", lambda L, a: L.linalg.matrix_exp(a), lambda: rand(3, 3, dtype=C)),
    ("solve", lambda L, a, b: L.linalg.solve(a, b), lambda: rand(3, 3, dtype=C) + 3 * np.eye(3)),
    ("solve_triangular", lambda L, a, b: L.linalg.solve_triangular(a, b, upper=True),
     lambda: _hpd(3, 3)),
    ("cholesky_solve", lambda L, a, b: L.cholesky_solve(b, L.linalg.cholesky(a)),
     lambda: _hpd(3, 3)),
    ("householder", lambda L, a: L.linalg.householder_product(a, a[:, 0]),
     lambda: rand(3, 3, dtype=C)),
])
def test_complex_inputs(name, fn, make):
    arrays = [make()]
    if fn.__code__.co_argcount == 3:
        arrays.append(rand(3, 2, dtype=C))
    check(fn, *arrays)


@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("left", [True, False])
def test_singular_triangular_gives_inf(upper, left):
    def fn(L, a, b):
        return L.linalg.solve_triangular(a, b, upper=upper, left=left).isinf().any()
    check(fn, np.diag([1.0, 0.0, 2.0]) + np.triu(rand(3, 3), 1), rand(3, 1) if left
          else rand(1, 3), grad=False)


@pytest.mark.parametrize("name,fn,arrays", [
    ("det", lambda L, a: L.linalg.det(a), [np.zeros((0, 3, 3))]),
    ("inv", lambda L, a: L.linalg.inv(a), [np.zeros((0, 0))]),
    ("solve", lambda L, a, b: L.linalg.solve(a, b), [np.zeros((0, 0)), np.zeros((0, 2))]),
    ("svd", lambda L, a: L.linalg.svd(a)[1], [np.zeros((0, 3, 2))]),
    ("qr", lambda L, a: L.linalg.qr(a), [np.zeros((3, 0))]),
    ("eigh", lambda L, a: L.linalg.eigh(a), [np.zeros((0, 0))]),
    ("cholesky", lambda L, a: L.linalg.cholesky(a), [np.zeros((0, 3, 3))]),
    ("pinv", lambda L, a: L.linalg.pinv(a), [np.zeros((3, 0))]),
    ("matrix_norm", lambda L, a: L.linalg.matrix_norm(a, "nuc"), [np.zeros((2, 0, 3))]),
    ("lu_factor", lambda L, a: L.linalg.lu_factor(a), [np.zeros((0, 3, 3))]),
    ("slogdet", lambda L, a: L.linalg.slogdet(a), [np.zeros((2, 0, 0))]),
    ("vector_norm", lambda L, a: L.linalg.norm(a), [rand()]),
])
def test_empty_and_scalar_inputs(name, fn, arrays):
    check(fn, *arrays)


def _squared_grad(op):
    """|grad|^2 of sum |op(A)|^2 under create_graph, for complex inputs."""
    def fn(L, a):
        out = op(L, a)
        (g,) = L.autograd.grad((out * out.conj()).real.sum(), a, create_graph=True)
        return (g * g.conj()).real
    return fn


@pytest.mark.parametrize("name,op,make", [
    ("slogdet_sign", lambda L, a: L.linalg.slogdet(a)[0], lambda: rand(2, 3, 3, dtype=C)),
    ("svdvals", lambda L, a: L.linalg.svdvals(a), lambda: rand(4, 3, dtype=C)),
    ("cholesky", lambda L, a: L.linalg.cholesky(a), lambda: _hpd(3, 3)),
    ("qr", lambda L, a: L.linalg.qr(a)[1], lambda: rand(4, 3, dtype=C)),
    ("det", lambda L, a: L.linalg.det(a), lambda: rand(3, 3, dtype=C)),
    ("eigvalsh", lambda L, a: L.linalg.eigvalsh(a), lambda: _hermitian(3)),
])
def test_complex_create_graph(name, op, make):
    check(_squared_grad(op), make())
