"""add_(other, alpha=) and sub_ on large arrays take OpenBLAS's axpy (one fused pass).

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
