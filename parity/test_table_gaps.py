"""Primitives whose gradients the group files leave out: rounding division, batched
matmul, and the random samplers (their draws differ from torch's, their graphs do not)."""
import numpy as np
import pytest
import torch

import minitorch
from harness import check, check_error, rand


@pytest.mark.parametrize("mode", ["floor", "trunc"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_div_rounding_values_and_zero_gradients(mode, dtype):
    check(lambda lib, a, b: lib.div(a, b, rounding_mode=mode), rand(3, 4, dtype=dtype),
          rand(4, dtype=dtype, low=0.5, high=2))
    check(lambda lib, a, b: a.div(b, rounding_mode=mode), rand(5, dtype=np.int64, low=-9, high=9),
          rand(5, dtype=np.int64, low=1, high=4), grad=False)


def test_div_rounding_errors():
    check_error(lambda lib, a, b: lib.div(a, b, rounding_mode="round"), rand(2), rand(2))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_bmm_gradients(dtype):
    check(lambda lib, a, b: lib.bmm(a, b), rand(3, 2, 4, dtype=dtype), rand(3, 4, 5, dtype=dtype))
    check_error(lambda lib, a, b: lib.bmm(a, b), rand(3, 2, 4), rand(2, 4, 5))


FILLS = [
    ("uniform_", lambda t: t.uniform_(-1, 1)),
    ("normal_", lambda t: t.normal_(0, 2)),
    ("bernoulli_ scalar", lambda t: t.bernoulli_(0.3)),
    ("exponential_", lambda t: t.exponential_()),
    ("geometric_", lambda t: t.geometric_(0.5)),
    ("log_normal_", lambda t: t.log_normal_()),
    ("cauchy_", lambda t: t.cauchy_()),
    ("random_", lambda t: t.random_()),
    ("random_ to", lambda t: t.random_(10)),
    ("random_ from to", lambda t: t.random_(2, 10)),
]


def _fill_graph(lib, fill):
    x = lib.tensor(rand(3, 4), requires_grad=True)
    y = x * 2
    fill(y)
    upstream = lib.tensor(rand(3, 4, seed=7))
    (y * upstream).sum().backward()
    return y.requires_grad, x.grad


@pytest.mark.parametrize("name,fill", FILLS, ids=[f[0] for f in FILLS])
def test_inplace_samplers_cut_the_gradient(name, fill):
    t_requires, t_grad = _fill_graph(torch, fill)
    m_requires, m_grad = _fill_graph(minitorch, fill)
    assert m_requires == t_requires
    np.testing.assert_array_equal(m_grad.numpy(), t_grad.numpy())


def test_bernoulli_tensor_fill_cuts_the_gradient():
    fill = lambda t: t.bernoulli_(t.detach().sigmoid())  # noqa: E731
    t_requires, t_grad = _fill_graph(torch, fill)
    m_requires, m_grad = _fill_graph(minitorch, fill)
    assert m_requires == t_requires
    np.testing.assert_array_equal(m_grad.numpy(), t_grad.numpy())


@pytest.mark.parametrize("sampler", [
    lambda lib, p: lib.bernoulli(p),
    lambda lib, p: lib.poisson(p * 3),
], ids=["bernoulli", "poisson"])
def test_sampling_functions_have_zero_gradient(sampler):
    grads = []
    for lib in (torch, minitorch):
        p = lib.tensor(rand(4, low=0.1, high=0.9), requires_grad=True)
        out = sampler(lib, p)
        assert out.requires_grad
        out.sum().backward()
        grads.append(p.grad.numpy())
    np.testing.assert_array_equal(grads[1], grads[0])


@pytest.mark.parametrize("form", ["tensor_tensor", "tensor_float", "float_tensor"])
def test_normal_gradients_match_torch(form):
    """torch.normal is not reparameterised: mean and std get zero gradients."""
    grads = []
    for lib in (torch, minitorch):
        mean = lib.tensor(rand(5, seed=1), requires_grad=True)
        std = lib.tensor(rand(5, low=0.5, high=2, seed=2), requires_grad=True)
        if form == "tensor_tensor":
            out = lib.normal(mean, std)
        elif form == "tensor_float":
            out = lib.normal(mean, 1.5)
        else:
            out = lib.normal(0.5, std)
        assert out.requires_grad
        (out * lib.tensor(rand(5, seed=3))).sum().backward()
        grads.append([None if p.grad is None else p.grad.numpy() for p in (mean, std)])
    for theirs, ours in zip(*grads):
        assert (theirs is None) == (ours is None)
        if theirs is not None:
            np.testing.assert_array_equal(ours, theirs)


def test_scatter_with_reduce_has_no_derivative():
    def run(lib):
        x = lib.tensor(rand(3, 4), requires_grad=True)
        src = lib.tensor(rand(3, 4))
        index = lib.tensor([[0, 1, 2, 0]] * 3)
        return x.scatter(1, index, src, reduce="add").sum().backward()
    with pytest.raises(RuntimeError):
        run(torch)
    with pytest.raises(RuntimeError):
        run(minitorch)


def test_zeta_has_no_derivative_in_its_first_argument():
    def run(lib):
        x = lib.tensor(rand(3, low=2, high=4), requires_grad=True)
        q = lib.tensor(rand(3, low=1, high=2))
        return lib.special.zeta(x, q).sum().backward()
    with pytest.raises(NotImplementedError):
        run(torch)
    with pytest.raises(NotImplementedError):
        run(minitorch)


def test_zeta_with_a_scalar_q_has_no_derivative_in_x():
    def run(lib):
        x = lib.tensor(rand(3, low=2, high=4), requires_grad=True)
        return lib.special.zeta(x, 1.5).sum().backward()
    with pytest.raises(NotImplementedError):
        run(torch)
    with pytest.raises(NotImplementedError):
        run(minitorch)
