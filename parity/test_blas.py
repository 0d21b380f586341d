"""Parity: matrix products beyond matmul (addmm family, einsum, tensordot, kron, cdist, ...)."""
import numpy as np
import pytest

from harness import check, check_error, noncontiguous, rand

F64, F32 = np.float64, np.float32


@pytest.mark.parametrize("dt", [F64, F32])
def test_addmm(dt):
    c, a, b = rand(3, 5, dtype=dt), rand(3, 4, dtype=dt), rand(4, 5, dtype=dt)
    t, m = check(lambda L, c, a, b: L.addmm(c, a, b), c, a, b)
    assert type(m.grad_fn).__name__ == "AddmmBackward0"
    check(lambda L, c, a, b: L.addmm(c, a, b, beta=0.5, alpha=-2.0), rand(5, dtype=dt), a,
          noncontiguous(b))
    check(lambda L, c, a, b: L.addmm(c, a, b, beta=0), c, a, b)
    check(lambda L, c, a, b: c.addmm(a, b, alpha=3), rand(1, 5, dtype=dt), a, b)


@pytest.mark.parametrize("dt", [F64, F32])
def test_addmm_row_bias(dt):
    """A 1-D bias (Linear's): its gradient is the batch sum, taken as one product."""
    a, b = rand(6, 4, dtype=dt), rand(4, 5, dtype=dt)
    for rows in (6, 1, 0):
        check(lambda L, c, a, b: L.addmm(c, a, b), rand(5, dtype=dt), a[:rows], b)
    check(lambda L, c, a, b: L.addmm(c, a, b, alpha=0.5), rand(5, dtype=dt), a, b)
    check(lambda L, c, a, b: L.addmm(c, a, b, beta=2), rand(5, dtype=dt), a, b)
    check(lambda L, c, a, b: L.addmm(c, a, b), rand(1, dtype=dt), a, b)  # broadcast column

    def second_order(L, c, a, b):
        (gc,) = L.autograd.grad((L.addmm(c, a, b) ** 2).sum(), c, create_graph=True)
        return gc
    check(second_order, rand(5, dtype=dt), a, b)


def test_addmm_beta_zero_ignores_nan():
    c = np.full((2, 2), np.nan)
    check(lambda L, c, a, b: L.addmm(c, a, b, beta=0), c, rand(2, 3), rand(3, 2))


def test_addmm_integer():
    ints = [rand(2, 2, dtype=np.int64) for _ in range(3)]
    check(lambda L, c, a, b: L.addmm(c, a, b, alpha=2, beta=3), *ints)


def test_addmm_inplace():
    def fn(L, c, a, b):
        x = c * 1
        x.addmm_(a, b, beta=2)
        return x
    check(fn, rand(3, 5), rand(3, 4), rand(4, 5))


def test_addmv_addr_baddbmm_addbmm():
    check(lambda L, c, a, v: L.addmv(c, a, v, beta=2, alpha=0.5), rand(3), rand(3, 4), rand(4))
    check(lambda L, c, u, v: L.addr(c, u, v, alpha=2), rand(3, 4), rand(3), rand(4))
    check(lambda L, c, a, b: L.baddbmm(c, a, b, beta=0.3), rand(2, 3, 5), rand(2, 3, 4),
          rand(2, 4, 5))
    check(lambda L, c, a, b: L.baddbmm(c, a, b), rand(3, 5), rand(2, 3, 4), rand(2, 4, 5))
    _, m = check(lambda L, c, a, b: L.addbmm(c, a, b, alpha=2), rand(3, 5), rand(2, 3, 4),
                 rand(2, 4, 5))
    assert type(m.grad_fn).__name__ == "AddbmmBackward0"
    check(lambda L, c, a, b: L.addmv(c, a, b), rand(3, dtype=F32), rand(3, 4, dtype=F32),
          rand(4, dtype=F32))


def test_addmm_errors():
    check_error(lambda L, c, a, b: L.addmm(c, a, b), rand(3, 5), rand(3, 4), rand(3, 5))
    check_error(lambda L, c, a, b: L.addmm(c, a, b), rand(3, 5), rand(3, 4, dtype=F32),
                rand(4, 5))
    check_error(lambda L, c, a, b: L.addmm(c, a, b), rand(4, 5), rand(3, 4), rand(4, 5))
    check_error(lambda L, c, a, b: L.baddbmm(c, a, b), rand(2, 3, 5), rand(2, 3, 4),
                rand(3, 4, 5))


@pytest.mark.parametrize("eq,shapes", [
    ("ij,jk->ik", [(3, 4), (4, 5)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("ii->i", [(4, 4)]),
    ("ii", [(4, 4)]),
    ("ij->", [(3, 4)]),
    ("ij->j", [(3, 4)]),
    ("i,j->ij", [(3,), (4,)]),
    ("...ij,...jk", [(2, 3, 4), (4, 5)]),
    ("i...->...", [(3, 2, 4)]),
    ("iij,jk->ik", [(3, 3, 4), (4, 2)]),
    ("ij,ij,ij->i", [(3, 4), (3, 4), (3, 4)]),
    ("ij,jk", [(3, 1), (4, 2)]),
    ("ba,ca->bc", [(2, 3), (4, 3)]),
    ("ij,kl->", [(2, 3), (4, 5)]),
    ("aB", [(2, 3)]),
    ("Ab,bc", [(2, 3), (3, 4)]),
])
@pytest.mark.parametrize("dt", [F64, F32])
def test_einsum(eq, shapes, dt):
    arrays = [rand(*s, dtype=dt) for s in shapes]
    check(lambda L, *xs: L.einsum(eq, *xs), *arrays)


def test_einsum_list_and_complex():
    check(lambda L, a, b: L.einsum("ij,jk->ik", [a, b]), rand(2, 3), rand(3, 2))
    check(lambda L, a, b: L.einsum("ij,jk->ik", a, b), rand(2, 3, dtype=np.complex128),
          rand(3, 2, dtype=np.complex128))


def test_einsum_create_graph():
    def fn(L, a, b):
        y = L.einsum("ij,jk->", a, b)
        (ga,) = L.autograd.grad(y * y, a, create_graph=True)
        return ga
    check(fn, rand(2, 3), rand(3, 2))


def test_einsum_errors():
    check_error(lambda L, a, b: L.einsum("ij,jk->ik", a, b), rand(2, 3), rand(4, 2))
    check_error(lambda L, a: L.einsum("ij,jk->ik", a), rand(2, 3))
    check_error(lambda L, a: L.einsum("ijk->i", a), rand(2, 3))
    check_error(lambda L, a, b: L.einsum("ij,jk->ik", a, b), rand(2, 3), rand(3, 2, dtype=F32))
    check_error(lambda L, a: L.einsum("ii->ii", a), rand(2, 2))


@pytest.mark.parametrize("dims,shape_b", [(0, (2, 2)), (1, (2, 3)), (2, (4, 2, 3)),
                                          (([1, 0], [0, 1]), (4, 3, 2)), (([2], [0]), (2, 5)),
                                          (([-1], [0]), (2, 5)), (([0, 2], [2, 0]), (2, 5, 3))])
def test_tensordot(dims, shape_b):
    check(lambda L, a, b: L.tensordot(a, b, dims=dims), rand(3, 4, 2), rand(*shape_b))


def test_tensordot_simple():
    check(lambda L, a, b: L.tensordot(a, b, dims=1), rand(3, 4, dtype=F32), rand(4, 5, dtype=F32))
    check_error(lambda L, a, b: L.tensordot(a, b, dims=1), rand(3, 4), rand(5, 2))


def test_outer_inner_vdot():
    _, m = check(lambda L, a, b: L.outer(a, b), rand(3), rand(4))
    assert type(m.grad_fn).__name__ == "MulBackward0"
    check(lambda L, a, b: L.ger(a, b), rand(3, dtype=F32), rand(4, dtype=F64))
    check(lambda L, a, b: a.outer(b), rand(3), rand(4))
    check(lambda L, a, b: L.inner(a, b), rand(4), rand(4))
    check(lambda L, a, b: L.inner(a, b), rand(2, 3, 4), rand(5, 4))
    check(lambda L, a, b: L.inner(a, b), rand(2, 4), rand())
    check(lambda L, a, b: L.vdot(a, b), rand(4), rand(4))
    # reshaped: the harness cannot build a 0-d complex upstream gradient
    check(lambda L, a, b: L.vdot(a, b).reshape(1), rand(4, dtype=np.complex128),
          rand(4, dtype=np.complex128))
    _, m = check(lambda L, a, b: L.vdot(a, b), rand(4), rand(4))
    assert type(m.grad_fn).__name__ == "VdotBackward0"
    check_error(lambda L, a, b: L.inner(a, b), rand(2, 3), rand(2, 4))
    check_error(lambda L, a, b: L.vdot(a, b), rand(3), rand(4))
    check_error(lambda L, a, b: L.outer(a, b), rand(3, 1), rand(4))


def test_kron():
    check(lambda L, a, b: L.kron(a, b), rand(2, 3), rand(4, 2))
    check(lambda L, a, b: L.kron(a, b), rand(3), rand(2, 2))
    check(lambda L, a, b: L.kron(a, b), rand(2, 1, 2, dtype=F32), rand(3, 2, dtype=F32))
    check(lambda L, a, b: L.kron(a, b), rand(2, 2, dtype=F32), rand())
    check(lambda L, a, b, c: L.block_diag(a, b, c), rand(2, 2, dtype=F32), rand(), rand(1, 2))


def test_cross():
    _, m = check(lambda L, a, b: L.cross(a, b, dim=1), rand(4, 3), rand(4, 3))
    assert type(m.grad_fn).__name__ == "LinalgCrossBackward0"
    check(lambda L, a, b: L.linalg.cross(a, b), rand(2, 4, 3, dtype=F32), rand(1, 4, 3,
                                                                              dtype=F32))
    check(lambda L, a, b: L.linalg.cross(a, b, dim=0), rand(3, 2), rand(3, 2))
    check(lambda L, a, b: a.cross(b, dim=-1), rand(3), rand(3))
    check_error(lambda L, a, b: L.linalg.cross(a, b), rand(4, 2), rand(4, 2))
    check_error(lambda L, a, b: L.linalg.cross(a, b), rand(4, 3), rand(4, 3, dtype=F32))


def test_trace_chain_block_diag():
    _, m = check(lambda L, a: L.trace(a), rand(3, 4))
    assert type(m.grad_fn).__name__ == "TraceBackward0"
    check(lambda L, a: a.trace(), rand(3, 3, dtype=F32))
    check(lambda L, a: L.trace(a), rand(3, 3, dtype=np.int32))
    check_error(lambda L, a: L.trace(a), rand(2, 2, 2))
    check(lambda L, a, b, c: L.chain_matmul(a, b, c), rand(2, 3), rand(3, 4), rand(4, 2))
    check_error(lambda L, a, b: L.chain_matmul(a, b), rand(2, 3), rand(3))
    _, m = check(lambda L, a, b, c, d: L.block_diag(a, b, c, d), rand(2, 3), rand(4),
                 rand(), rand(1, 2))
    assert type(m.grad_fn).__name__ == "BlockDiagBackward0"
    check(lambda L, a, b: L.block_diag(a, b), rand(2, 2, dtype=F32), rand(1, 3))
    check_error(lambda L, a: L.block_diag(a), rand(2, 2, 2))
    check(lambda L: L.block_diag())


@pytest.mark.parametrize("p", [2.0, 1.0, 3.0, 0.5, float("inf"), 0.0])
def test_cdist(p):
    _, m = check(lambda L, a, b: L.cdist(a, b, p=p), rand(4, 3), rand(5, 3))
    assert type(m.grad_fn).__name__ == "CdistBackward0"
    check(lambda L, a, b: L.cdist(a, b, p=p), rand(2, 4, 3), rand(2, 6, 3))


def test_cdist_float32_and_zero_distance():
    check(lambda L, a, b: L.cdist(a, b), rand(4, 3, dtype=F32), rand(5, 3, dtype=F32))
    x = rand(3, 2)
    check(lambda L, a, b: L.cdist(a, b), x, x.copy())
    check_error(lambda L, a, b: L.cdist(a, b), rand(4, 3), rand(5, 2))
    check_error(lambda L, a, b: L.cdist(a, b), rand(3), rand(5, 3))


def test_rmatmul_and_methods():
    from minitorch import Tensor
    assert hasattr(Tensor, "__rmatmul__")
    for name in ("addmm", "addmm_", "addmv_", "addr_", "baddbmm_", "addbmm_", "outer", "kron",
                 "inner", "det", "inverse", "slogdet", "logdet", "pinverse", "matrix_power"):
        assert hasattr(Tensor, name), name


@pytest.mark.parametrize("case", ["linear", "mm_transposed_b", "mm_transposed_a", "addmm_t"])
def test_gradient_layout_follows_the_variable(case):
    """Gradients reaching a leaf through a transposed view come back in the leaf's layout
    (torch's mm_mat1/mat2_backward and AccumulateGrad): same values and strides as torch."""
    import torch
    import minitorch
    rng = np.random.default_rng(0)
    a0, w0 = rng.standard_normal((5, 7)), rng.standard_normal((3, 7))
    c0 = rng.standard_normal(3)
    g0 = rng.standard_normal((5, 7) if case == "mm_transposed_a" else (5, 3))
    results = []
    for lib in (torch, minitorch):
        a = lib.tensor(a0, requires_grad=True)
        w = lib.tensor(w0, requires_grad=True)
        c = lib.tensor(c0, requires_grad=True)
        if case == "linear":
            out = lib.nn.functional.linear(a, w, c)
        elif case == "mm_transposed_b":
            out = a @ w.t()
        elif case == "mm_transposed_a":
            out = (w @ a.t()).t() @ w
        else:
            out = lib.addmm(c, a, w.t(), beta=0.5, alpha=2.0)
        out.backward(lib.tensor(g0))
        results.append([(t.grad.numpy(), t.grad.stride()) for t in (a, w)])
    for (tv, ts), (mv, ms) in zip(*results):
        np.testing.assert_allclose(mv, tv, rtol=1e-12, atol=1e-12)
        assert ms == ts
