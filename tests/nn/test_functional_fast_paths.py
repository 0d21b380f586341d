"""NumPy fast paths of batch norm, relu and MSE backward: same values, no lasting side
effects (no torch needed)."""
import numpy as np

import minitorch as torch
from minitorch.nn import functional as F


def _rand(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape)


def test_batch_norm_restores_numpy_buffer_size():
    before = np.getbufsize()
    x = torch.tensor(_rand(2, 3, 16, 16), requires_grad=True)
    w = torch.ones(3, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    y = F.batch_norm(x, None, None, w, b, training=True)
    assert np.getbufsize() == before
    y.backward(torch.tensor(_rand(2, 3, 16, 16, seed=1)))
    assert np.getbufsize() == before


def test_batch_norm_matches_float64_formula_over_long_runs():
    x, g = _rand(2, 3, 16, 16), _rand(2, 3, 16, 16, seed=1)
    w, b = _rand(3, seed=2), _rand(3, seed=3)
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    F.batch_norm(xt, None, None, wt, bt, training=True).backward(torch.tensor(g))
    axes, shape = (0, 2, 3), (1, 3, 1, 1)
    mean = x.mean(axes, keepdims=True)
    invstd = 1 / np.sqrt(x.var(axes, keepdims=True) + 1e-5)
    xhat = (x - mean) * invstd
    gxhat = g * w.reshape(shape)
    gx = invstd * (gxhat - gxhat.mean(axes, keepdims=True)
                   - xhat * (gxhat * xhat).mean(axes, keepdims=True))
    np.testing.assert_allclose(xt.grad.numpy(), gx, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(wt.grad.numpy(), (g * xhat).sum(axes), rtol=1e-9)
    np.testing.assert_allclose(bt.grad.numpy(), g.sum(axes), rtol=1e-9)


def test_mse_backward_twice_with_retained_graph():
    """The backward reads the forward's saved difference and must leave it intact."""
    x, y = _rand(4, 5), _rand(4, 5, seed=1)
    xt, yt = torch.tensor(x, requires_grad=True), torch.tensor(y, requires_grad=True)
    loss = F.mse_loss(xt, yt)
    np.testing.assert_allclose(loss.item(), ((x - y) ** 2).mean(), rtol=1e-12)
    loss.backward(retain_graph=True)
    first = xt.grad.numpy().copy()
    np.testing.assert_allclose(first, 2 * (x - y) / x.size, rtol=1e-12)
    np.testing.assert_allclose(yt.grad.numpy(), -first, rtol=1e-12)
    xt.grad = yt.grad = None
    loss.backward()
    np.testing.assert_array_equal(xt.grad.numpy(), first)
    np.testing.assert_array_equal(yt.grad.numpy(), -first)


def test_relu_backward_passes_gradient_where_output_positive():
    x = np.array([-1.0, 0.0, -0.0, 2.0, np.inf, -np.inf], dtype=np.float32)
    g = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], dtype=np.float32)
    xt = torch.tensor(x, requires_grad=True)
    torch.relu(xt).backward(torch.tensor(g))
    assert xt.grad.dtype == torch.float32
    np.testing.assert_array_equal(xt.grad.numpy(), [0, 0, 0, 4, 5, 0])
