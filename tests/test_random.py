"""Random numbers: reproducibility, generator state, and the distributions' moments.

Bounds are generous (many standard errors) so the tests are stable, yet a wrong
distribution (wrong scale, shift or support) fails them.
"""
import math
import pickle

import numpy as np
import pytest

import minitorch

N = 200_000


def moments(t):
    values = t.detach().numpy().astype(np.float64).ravel()
    return values.mean(), values.var()


# ------------------------------------------------------------ reproducibility
@pytest.mark.parametrize("draw", [
    lambda: minitorch.rand(5), lambda: minitorch.randn(2, 3), lambda: minitorch.randint(0, 9, (6,)),
    lambda: minitorch.randperm(10), lambda: minitorch.normal(0.0, 1.0, (4,)),
    lambda: minitorch.zeros(5).uniform_(), lambda: minitorch.zeros(5).exponential_(),
    lambda: minitorch.multinomial(minitorch.ones(6), 3),
])
def test_same_seed_same_numbers(draw):
    minitorch.manual_seed(123)
    first = draw().tolist()
    minitorch.manual_seed(123)
    assert draw().tolist() == first
    minitorch.manual_seed(124)
    assert draw().tolist() != first


def test_generator_objects_are_independent():
    g1 = minitorch.Generator().manual_seed(7)
    g2 = minitorch.Generator().manual_seed(7)
    minitorch.manual_seed(0)
    a = minitorch.rand(4, generator=g1)
    minitorch.rand(100)  # the default generator does not disturb g2
    b = minitorch.rand(4, generator=g2)
    assert a.tolist() == b.tolist()
    assert g1.initial_seed() == 7
    assert str(g1.device) == "cpu"


def test_default_seed_and_initial_seed():
    assert minitorch.Generator().initial_seed() == 67280421310721
    minitorch.manual_seed(5)
    assert minitorch.initial_seed() == 5
    minitorch.manual_seed(-1)
    assert minitorch.initial_seed() == 2 ** 64 - 1
    with pytest.raises(ValueError):
        minitorch.manual_seed(2 ** 64)
    assert isinstance(minitorch.manual_seed(3), minitorch.Generator)
    s = minitorch.seed()
    assert isinstance(s, int) and minitorch.initial_seed() == s


def test_state_roundtrip():
    minitorch.manual_seed(1)
    minitorch.rand(3)
    state = minitorch.get_rng_state()
    assert state.dtype is minitorch.uint8 and state.ndim == 1
    a = minitorch.randn(5)
    minitorch.set_rng_state(state)
    assert minitorch.randn(5).tolist() == a.tolist()
    g = minitorch.Generator().manual_seed(9)
    g_state = g.get_state()
    x = minitorch.rand(3, generator=g)
    g.set_state(g_state)
    assert minitorch.rand(3, generator=g).tolist() == x.tolist()
    clone = pickle.loads(pickle.dumps(g))
    assert minitorch.rand(3, generator=clone).tolist() == minitorch.rand(3, generator=g).tolist()
    with pytest.raises(TypeError):
        minitorch.set_rng_state([1, 2])


def test_fork_rng_restores_state():
    minitorch.manual_seed(2)
    expected = minitorch.rand(3).tolist()
    minitorch.manual_seed(2)
    with minitorch.random.fork_rng():
        minitorch.rand(10)
    assert minitorch.rand(3).tolist() == expected
    minitorch.random.manual_seed(2)
    assert minitorch.random.initial_seed() == 2


# ------------------------------------------------------------ distributions
def test_rand_uniform_moments_and_support():
    for dtype in (minitorch.float32, minitorch.float64, minitorch.float16):
        x = minitorch.rand(N, dtype=dtype)
        values = x.numpy()
        assert values.min() >= 0 and values.max() < 1
        mean, var = moments(x)
        assert abs(mean - 0.5) < 0.01 and abs(var - 1 / 12) < 0.01


def test_randn_moments():
    mean, var = moments(minitorch.randn(N))
    assert abs(mean) < 0.02 and abs(var - 1) < 0.03
    z = minitorch.randn(N, dtype=minitorch.complex64).numpy()
    assert abs(z.real.var() - 0.5) < 0.02 and abs(z.imag.var() - 0.5) < 0.02


def test_randint_range_and_uniformity():
    x = minitorch.randint(3, 10, (N,)).numpy()
    assert x.min() == 3 and x.max() == 9
    counts = np.bincount(x - 3)
    assert np.all(np.abs(counts / N - 1 / 7) < 0.01)


def test_randperm_is_a_permutation():
    p = minitorch.randperm(100)
    assert sorted(p.tolist()) == list(range(100))
    assert p.tolist() != list(range(100))


def test_normal_variants_moments():
    mean, var = moments(minitorch.normal(3.0, 2.0, (N,)))
    assert abs(mean - 3) < 0.05 and abs(var - 4) < 0.1
    m = minitorch.normal(minitorch.full((N,), -1.0), minitorch.full((N,), 0.5))
    mean, var = moments(m)
    assert abs(mean + 1) < 0.02 and abs(var - 0.25) < 0.01
    mean, var = moments(minitorch.normal(minitorch.full((N,), 5.0), 3.0))
    assert abs(mean - 5) < 0.05 and abs(var - 9) < 0.2
    mean, var = moments(minitorch.normal(2.0, minitorch.full((N,), 1.0)))
    assert abs(mean - 2) < 0.02 and abs(var - 1) < 0.03


def test_normal_broadcasts_per_element():
    means = minitorch.tensor([[0.0], [100.0]])
    stds = minitorch.full((N // 10,), 1.0)
    x = minitorch.normal(means, stds).numpy()
    assert x.shape == (2, N // 10)
    assert abs(x[0].mean()) < 0.1 and abs(x[1].mean() - 100) < 0.1


def test_normal_is_not_reparameterised():
    # torch's derivative of normal(mean, std) is zero for both (no pathwise gradient).
    mean = minitorch.zeros(4, requires_grad=True)
    std = minitorch.ones(4, requires_grad=True)
    out = minitorch.normal(mean, std)
    assert out.requires_grad
    out.sum().backward()
    assert mean.grad.tolist() == [0.0] * 4
    assert std.grad.tolist() == [0.0] * 4


def test_bernoulli_and_poisson():
    p = minitorch.full((N,), 0.3)
    mean, var = moments(minitorch.bernoulli(p))
    assert abs(mean - 0.3) < 0.01 and abs(var - 0.21) < 0.01
    assert abs(moments(minitorch.bernoulli(minitorch.zeros(N), 0.8))[0] - 0.8) < 0.01
    mean, var = moments(minitorch.poisson(minitorch.full((N,), 4.0)))
    assert abs(mean - 4) < 0.05 and abs(var - 4) < 0.15


def test_multinomial_frequencies():
    weights = minitorch.tensor([1.0, 2.0, 7.0])
    draws = minitorch.multinomial(weights, N, replacement=True).numpy()
    np.testing.assert_allclose(np.bincount(draws, minlength=3) / N, [0.1, 0.2, 0.7], atol=0.01)
    firsts = [minitorch.multinomial(weights, 3).tolist() for _ in range(3000)]
    assert all(sorted(f) == [0, 1, 2] for f in firsts)
    first_counts = np.bincount([f[0] for f in firsts], minlength=3) / 3000
    np.testing.assert_allclose(first_counts, [0.1, 0.2, 0.7], atol=0.04)
    rows = minitorch.multinomial(minitorch.tensor([[1.0, 0.0], [0.0, 1.0]]), 4, True)
    assert rows.tolist() == [[0] * 4, [1] * 4]
    assert minitorch.multinomial(minitorch.tensor([1.0, 0.0, 0.0]), 2).tolist()[0] == 0


@pytest.mark.parametrize("method,args,mean,var", [
    ("uniform_", (-2.0, 4.0), 1.0, 3.0),
    ("normal_", (1.0, 3.0), 1.0, 9.0),
    ("exponential_", (2.0,), 0.5, 0.25),
    ("geometric_", (0.25,), 4.0, 12.0),
    ("log_normal_", (0.0, 0.5), math.exp(0.125), (math.exp(0.25) - 1) * math.exp(0.25)),
    ("bernoulli_", (0.25,), 0.25, 0.1875),
    ("random_", (0, 10), 4.5, 8.25),
    ("random_", (10,), 4.5, 8.25),
])
def test_inplace_samplers_moments(method, args, mean, var):
    x = minitorch.zeros(N, dtype=minitorch.float64)
    assert getattr(x, method)(*args) is x
    got_mean, got_var = moments(x)
    assert abs(got_mean - mean) < 0.02 * max(1, abs(mean)) + 0.01
    assert abs(got_var - var) < 0.05 * max(1, var)


def test_cauchy_median_and_quartiles():
    x = minitorch.zeros(N, dtype=minitorch.float64).cauchy_(2.0, 3.0).numpy()
    q1, median, q3 = np.percentile(x, [25, 50, 75])
    assert abs(median - 2) < 0.1 and abs(q1 + 1) < 0.15 and abs(q3 - 5) < 0.15


def test_random_without_bounds_respects_dtype():
    assert minitorch.zeros(N, dtype=minitorch.uint8).random_().numpy().max() > 200
    floats = minitorch.zeros(N).random_().numpy()
    assert floats.max() <= 2 ** 24 and floats.max() > 2 ** 23 and np.all(floats == np.floor(floats))
    assert set(minitorch.zeros(100, dtype=minitorch.bool).random_().tolist()) == {True, False}


def test_inplace_sampler_checks_and_graph():
    leaf = minitorch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable"):
        leaf.uniform_()
    with minitorch.no_grad():
        leaf.normal_()
    a = minitorch.ones(3, requires_grad=True)
    b = a * 2
    b.uniform_()
    assert type(b.grad_fn).__name__ == "UniformBackward0"
    b.sum().backward()
    assert a.grad.tolist() == [0.0, 0.0, 0.0]
    x = minitorch.zeros(3)
    version = x._version_counter
    x.exponential_()
    assert x._version_counter == version + 1


def test_generator_argument_everywhere():
    def run(g):
        return [minitorch.rand(2, generator=g).tolist(), minitorch.randn(2, generator=g).tolist(),
                minitorch.randint(5, (2,), generator=g).tolist(),
                minitorch.randperm(4, generator=g).tolist(),
                minitorch.zeros(2).normal_(generator=g).tolist(),
                minitorch.bernoulli(minitorch.full((4,), 0.5), generator=g).tolist(),
                minitorch.multinomial(minitorch.ones(4), 2, generator=g).tolist(),
                minitorch.poisson(minitorch.ones(3), g).tolist()]
    assert run(minitorch.Generator().manual_seed(4)) == run(minitorch.Generator().manual_seed(4))


def test_random_with_keyword_bound():
    values = minitorch.zeros(1000).random_(to=3).numpy()
    assert set(values.tolist()) == {0.0, 1.0, 2.0}
    values = minitorch.zeros(1000, dtype=minitorch.int8).random_(-5, 5).numpy()
    assert values.min() == -5 and values.max() == 4
