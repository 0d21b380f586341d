"""nn.init: distributions checked statistically, deterministic initialisers exactly (no torch)."""
import math
import warnings

import numpy as np
import pytest

import minitorch
from minitorch import nn


def big(*shape, dtype=minitorch.float64):
    return minitorch.empty(*shape, dtype=dtype)


def test_uniform_and_normal():
    t = nn.init.uniform_(big(200, 500), -3, 5)
    a = t.numpy()
    assert a.min() >= -3 and a.max() < 5
    assert abs(a.mean() - 1) < 0.03 and abs(a.var() - 64 / 12) < 0.1
    b = nn.init.normal_(big(200, 500), 2.0, 0.5).numpy()
    assert abs(b.mean() - 2) < 0.01 and abs(b.std() - 0.5) < 0.01


def test_generator_makes_draws_reproducible():
    g = minitorch.Generator().manual_seed(7)
    first = nn.init.normal_(big(5), generator=g).numpy().copy()
    g.manual_seed(7)
    assert np.array_equal(nn.init.normal_(big(5), generator=g).numpy(), first)
    g.manual_seed(7)
    again = nn.init.kaiming_uniform_(big(4, 3), generator=g).numpy()
    g.manual_seed(7)
    assert np.array_equal(nn.init.kaiming_uniform_(big(4, 3), generator=g).numpy(), again)


def test_trunc_normal():
    a = nn.init.trunc_normal_(big(100000), mean=0.5, std=2.0, a=-1.0, b=1.5).numpy()
    assert a.min() >= -1.0 and a.max() <= 1.5
    # mean of N(0.5, 4) truncated to [-1, 1.5], from the closed form
    alpha, beta = (-1.0 - 0.5) / 2.0, (1.5 - 0.5) / 2.0
    pdf = lambda z: math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    cdf = lambda z: 0.5 * (1 + math.erf(z / math.sqrt(2)))
    expected = 0.5 + 2.0 * (pdf(alpha) - pdf(beta)) / (cdf(beta) - cdf(alpha))
    assert abs(a.mean() - expected) < 0.01
    # a narrow window far in the tail uses the other sampler
    tail = nn.init.trunc_normal_(big(20000), mean=0.0, std=1.0, a=2.0, b=2.5).numpy()
    assert tail.min() >= 2.0 and tail.max() <= 2.5 and tail.mean() < 2.25


def test_constant_ones_zeros_eye_dirac():
    assert (nn.init.constant_(big(3, 4), 2.5).numpy() == 2.5).all()
    assert (nn.init.ones_(big(3)).numpy() == 1).all()
    assert (nn.init.zeros_(big(3)).numpy() == 0).all()
    np.testing.assert_array_equal(nn.init.eye_(big(3, 5)).numpy(), np.eye(3, 5))
    with pytest.raises(ValueError):
        nn.init.eye_(big(3))
    w = nn.init.dirac_(big(4, 2, 3, 3)).numpy()
    assert w.sum() == 2 and w[0, 0, 1, 1] == 1 and w[1, 1, 1, 1] == 1
    # a dirac conv weight passes its input channels through
    wg = nn.init.dirac_(big(4, 2, 3), groups=2).numpy()
    assert wg[0, 0, 1] == 1 and wg[1, 1, 1] == 1 and wg[2, 0, 1] == 1 and wg[3, 1, 1] == 1
    with pytest.raises(ValueError):
        nn.init.dirac_(big(3, 2, 3), groups=2)
    with pytest.raises(ValueError):
        nn.init.dirac_(big(3, 2))


def test_fan_and_gain():
    fan_in, fan_out = nn.init._calculate_fan_in_and_fan_out(big(6, 4, 3, 2))
    assert (fan_in, fan_out) == (24, 36)
    with pytest.raises(ValueError):
        nn.init._calculate_fan_in_and_fan_out(big(5))
    assert nn.init.calculate_gain("relu") == math.sqrt(2)
    assert nn.init.calculate_gain("tanh") == 5 / 3
    assert nn.init.calculate_gain("conv2d") == 1 and nn.init.calculate_gain("sigmoid") == 1
    assert nn.init.calculate_gain("selu") == 0.75
    assert nn.init.calculate_gain("leaky_relu", 0.2) == math.sqrt(2 / 1.04)
    assert nn.init.calculate_gain("leaky_relu") == math.sqrt(2 / (1 + 0.01 ** 2))
    with pytest.raises(ValueError):
        nn.init.calculate_gain("leaky_relu", True)
    with pytest.raises(ValueError):
        nn.init.calculate_gain("swish")


def test_xavier_and_kaiming():
    w = nn.init.xavier_uniform_(big(300, 500), gain=2.0).numpy()
    bound = 2.0 * math.sqrt(6 / 800)
    assert np.abs(w).max() <= bound and abs(w.var() - bound ** 2 / 3) < 0.03 * bound ** 2
    w = nn.init.xavier_normal_(big(300, 500)).numpy()
    assert abs(w.std() - math.sqrt(2 / 800)) < 0.01 * math.sqrt(2 / 800)
    w = nn.init.kaiming_normal_(big(400, 250), mode="fan_out", nonlinearity="relu").numpy()
    assert abs(w.std() - math.sqrt(2 / 400)) < 0.01 * math.sqrt(2 / 400)
    w = nn.init.kaiming_uniform_(big(400, 250), a=math.sqrt(5)).numpy()
    bound = math.sqrt(6 / ((1 + 5) * 250))
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
    with pytest.raises(ValueError):
        nn.init.kaiming_uniform_(big(3, 4), mode="fan_avg")
    with pytest.warns(UserWarning, match="zero-element"):
        nn.init.kaiming_uniform_(big(0, 4))


@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (4, 2, 3), (6, 6)])
def test_orthogonal(shape):
    w = nn.init.orthogonal_(big(*shape), gain=1.5).numpy().reshape(shape[0], -1)
    rows, cols = w.shape
    gram = w @ w.T if rows <= cols else w.T @ w
    np.testing.assert_allclose(gram, 1.5 ** 2 * np.eye(min(rows, cols)), atol=1e-10)
    with pytest.raises(ValueError):
        nn.init.orthogonal_(big(4))


def test_sparse():
    w = nn.init.sparse_(big(10, 300), 0.3, std=0.05).numpy()
    assert ((w == 0).sum(0) >= 3).all()
    nonzero = w[w != 0]
    assert abs(nonzero.std() - 0.05) < 0.005
    with pytest.raises(ValueError):
        nn.init.sparse_(big(3, 2, 2), 0.5)


def test_inits_on_parameters_leave_no_history():
    lin = nn.Linear(5, 3)
    for init in [nn.init.xavier_uniform_, nn.init.orthogonal_, nn.init.eye_, nn.init.zeros_,
                 lambda t: nn.init.trunc_normal_(t, std=0.02), nn.init.kaiming_normal_]:
        out = init(lin.weight)
        assert out is lin.weight and lin.weight.is_leaf and lin.weight.requires_grad
        assert lin.weight.grad_fn is None


def test_deprecated_aliases_warn():
    with pytest.warns(FutureWarning, match="nn.init.normal_"):
        nn.init.normal(big(3))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.init.normal_(big(3))


def test_float32_stays_float32():
    t = nn.init.trunc_normal_(big(4, 4, dtype=minitorch.float32))
    assert t.dtype == minitorch.float32
    t = nn.init.orthogonal_(big(4, 4, dtype=minitorch.float32))
    assert t.dtype == minitorch.float32
