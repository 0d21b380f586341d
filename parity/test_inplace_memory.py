"""In-place ops and memory: the axpy fast path of add_/sub_ and torch's overlap rules.

add_(other, alpha=) and sub_ on large arrays take OpenBLAS's axpy (one fused pass).

torch's CPU kernel fuses the multiply-add too, so the results must be bitwise equal to
torch's, and every case the fast path refuses (overlap, strides, broadcasting, small
sizes, other dtypes) must still give torch's values.
"""
import numpy as np
import pytest
import torch

import minitorch
from minitorch import _openblas

LARGE = _openblas.AXPY_MIN_SIZE * 4 + 3  # odd length: the kernel's tail loop runs too


def _pair(rng, shape, dtype):
    a, b = rng.standard_normal(shape).astype(dtype), rng.standard_normal(shape).astype(dtype)
    return a, b


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("method", ["add_", "sub_"])
def test_large_add_with_alpha_is_bitwise_torch(dtype, method):
    a, b = _pair(np.random.default_rng(0), (LARGE,), dtype)
    ours, theirs = minitorch.tensor(a), torch.tensor(a)
    getattr(ours, method)(minitorch.tensor(b), alpha=-0.0123)
    getattr(theirs, method)(torch.tensor(b), alpha=-0.0123)
    assert np.array_equal(ours.numpy(), theirs.numpy())


def test_axpy_is_available_here():
    # The suite runs on NumPy wheels that bundle OpenBLAS; if this fails the fast path
    # silently stopped being taken and the bitwise test above proves nothing.
    y = np.zeros(LARGE, np.float32)
    assert _openblas.axpy_(y, 2.0, np.ones(LARGE, np.float32))
    assert np.all(y == 2.0)


def _both(fn, a, b):
    out = []
    for lib in (torch, minitorch):
        x, y = lib.tensor(a), lib.tensor(b)
        fn(x, y)
        out.append(x.numpy())
    return out


@pytest.mark.parametrize("case", ["same_tensor", "transposed_other",
                                  "broadcast_other", "small", "float16", "view_target"])
def test_cases_the_fast_path_refuses_match_torch(case):
    rng = np.random.default_rng(1)
    a, b = _pair(rng, (LARGE,), np.float32)
    m, n = _pair(rng, (256, 160), np.float32)
    fns = {
        "same_tensor": (lambda x, y: x.add_(x, alpha=-0.25), a, b),
        "transposed_other": (lambda x, y: x.add_(y.reshape(160, 256).t(), alpha=0.3), m, n),
        "broadcast_other": (lambda x, y: x.add_(y[0], alpha=0.3), m, n),
        "small": (lambda x, y: x[:100].add_(y[:100], alpha=0.3), a, b),
        "float16": (lambda x, y: x.add_(y, alpha=0.3), a.astype(np.float16), b.astype(np.float16)),
        "view_target": (lambda x, y: x[::2].add_(y[::2], alpha=0.3), a, b),
    }
    fn, x0, y0 = fns[case]
    theirs, ours = _both(fn, x0, y0)
    tolerance = 1e-3 if case == "float16" else 1e-6
    np.testing.assert_allclose(ours, theirs, rtol=tolerance, atol=tolerance)
    assert ours.dtype == theirs.dtype


def test_sgd_momentum_updates_are_bitwise_torch():
    rng = np.random.default_rng(2)
    w0 = rng.standard_normal((300, 200)).astype(np.float32)
    grads = [rng.standard_normal((300, 200)).astype(np.float32) for _ in range(3)]
    results = []
    for lib in (torch, minitorch):
        w = lib.nn.Parameter(lib.tensor(w0))
        opt = lib.optim.SGD([w], lr=0.1, momentum=0.9)
        for g in grads:
            w.grad = lib.tensor(g)
            opt.step()
        results.append(w.detach().numpy())
    assert np.array_equal(results[0], results[1])


OVERLAP_CASES = {
    "add_ shifted": lambda L, x: x[1:].add_(x[:-1]),
    "add_ alpha shifted (axpy size)": lambda L, x: x[1:].add_(x[:-1], alpha=0.5),
    "sub_ alpha shifted": lambda L, x: x[1:].sub_(x[:-1], alpha=2),
    "copy_ strided": lambda L, x: x[:8:2].copy_(x[2::2]),
    "setitem strided": lambda L, x: x.__setitem__(slice(0, 8, 2), x[2:10:2]),
    "setitem wrong size": lambda L, x: x.__setitem__(slice(0, 3), x[5:7].clone()),
    "setitem shifted": lambda L, x: x.__setitem__(slice(1, None), x[:-1]),
    "add_ transposed": lambda L, x: x[:9].view(3, 3).add_(x[:9].view(3, 3).t()),
    "copy_ wrong size": lambda L, x: x[:3].copy_(x[5:7].clone()),
    "mul_ 0-d inside": lambda L, x: x[1:].mul_(x[1]),
    "fill_ 0-d inside": lambda L, x: x[1:].fill_(x[1]),
    "masked_scatter_": lambda L, x: x[1:].masked_scatter_(L.ones(x.numel() - 1, dtype=L.bool),
                                                         x[:-1]),
    "lt_": lambda L, x: x[1:].lt_(x[:-1]),
    "add_ self": lambda L, x: x.add_(x),
    "add_ same memory other view": lambda L, x: x.view(2, 5).add_(x.view(2, 5)),
    "add_ expanded": lambda L, x: x.add_(x[:1].expand(10)),
    "index_add_": lambda L, x: x[1:].index_add_(0, L.tensor([0, 1]), x[:2]),
    "index_copy_": lambda L, x: x[1:].index_copy_(0, L.tensor([0, 1]), x[:2]),
    "index_put_": lambda L, x: x[1:].index_put_((L.tensor([0, 1]),), x[:2]),
    "scatter_": lambda L, x: x[1:].scatter_(0, L.tensor([0, 1]), x[:2]),
    "put_": lambda L, x: x[1:].put_(L.tensor([0, 1]), x[:2]),
    "clamp_ max": lambda L, x: x[1:].clamp_(max=x[:-1]),
    "addcmul_": lambda L, x: x[1:].addcmul_(x[:-1], x[1:]),
    "lerp_": lambda L, x: x[1:].lerp_(x[:-1], 0.5),
    "pow_": lambda L, x: x[1:].pow_(x[:-1]),
    "disjoint halves": lambda L, x: x[:5].add_(x[5:]),
}


@pytest.mark.parametrize("case", sorted(OVERLAP_CASES))
@pytest.mark.parametrize("size", [10, LARGE])
def test_inplace_writes_from_overlapping_memory_as_torch(case, size):
    """torch refuses an in-place op reading memory that partly overlaps its target (the
    same memory in the same layout, and strided views it cannot judge, are allowed)."""
    outcomes = []
    for lib in (torch, minitorch):
        x = lib.arange(float(size))
        try:
            OVERLAP_CASES[case](lib, x)
            outcomes.append(("ok", x.numpy().copy()))
        except RuntimeError as e:
            outcomes.append((str(e), None))
    (t_outcome, t_values), (m_outcome, m_values) = outcomes
    assert m_outcome == t_outcome
    # torch's masked_scatter_ reads its source while writing, so an overlapping source
    # cascades (the values depend on its loop order); minitorch reads the source first
    if t_values is not None and case != "masked_scatter_":
        np.testing.assert_allclose(m_values, t_values)
