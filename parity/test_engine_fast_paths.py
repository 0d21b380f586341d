"""Parity of the autograd engine's fast paths with torch.

The engine, the recording in ``apply`` and a few NumPy twins used by backward
rules have quick paths for the common case (plain backward, no hooks, contiguous
arrays) and general paths for the rest. These tests drive both kinds through the
same programs in torch and minitorch.
"""
import numpy as np
import pytest

from harness import check, check_error, rand


def _f64(*shape, seed=None):
    return rand(*shape, dtype=np.float64, seed=seed)


def _f32(*shape, seed=None):
    return rand(*shape, dtype=np.float32, seed=seed)


# ------------------------------------------------------------------ roots
def test_backward_through_the_same_root_twice():
    def fn(lib, x):
        x.requires_grad_()
        y = (x * 2).sum()
        lib.autograd.backward([y, y])
        return x.grad

    check(fn, _f64(3), grad=False)


def test_autograd_grad_of_the_same_root_twice():
    def fn(lib, x):
        x.requires_grad_()
        y = (x * x).sum()
        return lib.autograd.grad([y, y], x)

    check(fn, _f64(3), grad=False)


def test_roots_where_one_feeds_the_other():
    def fn(lib, x):
        x.requires_grad_()
        y = x * 3
        z = (y * y).sum()
        lib.autograd.backward([z, y], [None, lib.ones_like(y)])
        return x.grad

    check(fn, _f64(4), grad=False)


# ------------------------------------------------- reduction gradients
REDUCTIONS = {
    "sum": lambda x: x.sum(),
    "mean": lambda x: x.mean(),
    "sum_dim": lambda x: x.sum(1),
    "sum_keepdim": lambda x: x.sum(0, keepdim=True),
    "mean_dims": lambda x: x.mean((0, 2)),
    "mean_keepdim": lambda x: x.mean(-1, keepdim=True),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("layout", ["contiguous", "noncontiguous"])
def test_reduction_gradient_layout_seen_by_a_hook(name, layout):
    """Reduction gradients broadcast back as stride-0 views (torch's expand)."""
    def fn(lib, x):
        x.requires_grad_()
        if layout == "noncontiguous":
            x = x.transpose(0, 2)
        seen = []
        y = x * 2
        y.register_hook(lambda g: seen.append((tuple(g.shape), g.stride(),
                                               g.is_contiguous(), g.clone())))
        out = REDUCTIONS[name](y)
        out.backward(lib.ones_like(out) * 1.5)
        return seen

    check(fn, _f64(2, 3, 4), grad=False)


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reduction_gradients_through_a_scalar_buffer(name):
    """Two uses of a reduced value sum their gradients before the reduction's backward."""
    def fn(lib, x):
        r = REDUCTIONS[name](x)
        return (r * 2 + r.exp()).sum()

    check(fn, _f64(2, 3, 4))


@pytest.mark.parametrize("shape", [(), (1,), (0,), (1, 1), (3, 0), (2, 1, 3)])
def test_full_reductions_of_odd_shapes(shape):
    check(lambda lib, x: x.sum() * 3 + x.mean() if x.numel() else x.sum() * 3, _f64(*shape))


def test_in_place_write_into_a_reduction_gradient_raises_like_torch():
    def fn(lib, x):
        y = x.requires_grad_() * 1
        y.register_hook(lambda g: g.add_(1))
        y.sum().backward()

    check_error(fn, _f64(2, 3))


def test_reduction_gradient_of_size_one_dims():
    check(lambda lib, x: (x.sum((0, 2)) * x.mean(1).sum()).sum(), _f32(1, 4, 1))
