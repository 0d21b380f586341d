"""Parity of normalization layers (functional and modules) with torch."""
import os
import sys

import numpy as np
import pytest
import torch

import minitorch

sys.path.insert(0, os.path.dirname(__file__))
from harness import check, check_error, rand  # noqa: E402
from _conv_harness import build_pair, compare_buffers, compare_module, run_pair  # noqa: E402

F32 = np.float32
BN_SHAPES = {1: (6, 3, 5), 2: (4, 3, 5, 6), 3: (2, 3, 4, 3, 5)}


def fn(lib):
    return lib.nn.functional


def test_batch_norm_functional():
    x, w, b = rand(4, 3, 5, 6), rand(3), rand(3)
    _, out = check(lambda lib, x, w, b: fn(lib).batch_norm(x, None, None, w, b, training=True),
                   x, w, b)
    assert type(out.grad_fn).__name__ == "NativeBatchNormBackward0"
    check(lambda lib, x: fn(lib).batch_norm(x, None, None, training=True), x)
    check(lambda lib, x, w: fn(lib).batch_norm(x, None, None, w, None, training=True), x, w)
    check(lambda lib, x: fn(lib).batch_norm(x, None, None, training=True), rand(5, 4))
    mean, var = rand(3), rand(3, low=0.5)
    check(lambda lib, x, w, b: fn(lib).batch_norm(x, lib.tensor(mean), lib.tensor(var), w, b),
          x, w, b)
    check_error(lambda lib, x, m: fn(lib).batch_norm(x, m.requires_grad_(), None), x, mean)
    check_error(lambda lib, x: fn(lib).batch_norm(x, None, None, training=True, eps=0.0), x)


def test_batch_norm_float32_large_mean_is_stable():
    x = rand(8, 4, 5, 5, dtype=F32) + 100
    check(lambda lib, x: fn(lib).batch_norm(x, None, None, training=True), x, rtol=1e-3,
          atol=1e-3)


def test_batch_norm_double_backward():
    def f(lib, x, w, b):
        y = fn(lib).batch_norm(x, None, None, w, b, training=True)
        gx, gw = lib.autograd.grad((y ** 3).sum(), (x, w), create_graph=True)
        return (gx ** 2).sum() + (gw ** 2).sum()
    check(f, rand(4, 3, 5), rand(3), rand(3))


@pytest.mark.parametrize("dtype", [np.float64, F32])
def test_running_stats_functional(dtype):
    x = rand(4, 3, 5, 6, dtype=dtype)
    dt = torch.from_numpy(x).dtype
    t_m, t_v = torch.zeros(3, dtype=dt), torch.ones(3, dtype=dt)
    m_m, m_v = minitorch.tensor(t_m.numpy()), minitorch.tensor(t_v.numpy())
    for lib, m, v in ((torch, t_m, t_v), (minitorch, m_m, m_v)):
        fn(lib).batch_norm(lib.tensor(x), m, v, training=True, momentum=0.3)
        fn(lib).instance_norm(lib.tensor(x), m, v, momentum=0.2)
    np.testing.assert_allclose(m_m.numpy(), t_m.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(m_v.numpy(), t_v.numpy(), rtol=1e-5, atol=1e-6)


def test_layer_group_instance_rms_lrn_functional():
    x = rand(4, 6, 5, 3)
    _, out = check(lambda lib, x, w, b: fn(lib).layer_norm(x, (5, 3), w, b), x, rand(5, 3),
                   rand(5, 3))
    assert type(out.grad_fn).__name__ == "NativeLayerNormBackward0"
    check(lambda lib, x: fn(lib).layer_norm(x, (3,)), x)
    check_error(lambda lib, x: fn(lib).layer_norm(x, 3), x)
    check(lambda lib, x: fn(lib).layer_norm(x, [3], eps=0.1), x.astype(F32))
    check(lambda lib, x, w: fn(lib).rms_norm(x, (3,), w), x, rand(3))
    check(lambda lib, x: fn(lib).rms_norm(x, (5, 3)), x.astype(F32))
    check(lambda lib, x, w, b: fn(lib).group_norm(x, 3, w, b), x, rand(6), rand(6))
    check(lambda lib, x: fn(lib).group_norm(x, 2), rand(3, 4, 5))
    check(lambda lib, x, w, b: fn(lib).instance_norm(x, weight=w, bias=b), x, rand(6), rand(6))
    mean, var = rand(6), rand(6, low=0.5)
    check(lambda lib, x: fn(lib).instance_norm(x, lib.tensor(mean), lib.tensor(var),
                                               use_input_stats=False), x)
    check(lambda lib, x: fn(lib).local_response_norm(x, 3), x)
    check(lambda lib, x: fn(lib).local_response_norm(x, 2, alpha=0.1, beta=0.5, k=2.0),
          rand(2, 5, 7))
    check(lambda lib, x: fn(lib).local_response_norm(x, 4), rand(2, 5, 3, 3, 2))


def test_layer_norm_double_backward():
    def f(lib, x, w, b):
        y = fn(lib).layer_norm(x, (4,), w, b)
        gx, gw = lib.autograd.grad((y ** 3).sum(), (x, w), create_graph=True)
        return (gx ** 2).sum() + (gw ** 2).sum()
    check(f, rand(3, 4), rand(4), rand(4))


def test_normalization_errors():
    check_error(lambda lib, x: fn(lib).batch_norm(x, None, None, training=True), rand(1, 3))
    check_error(lambda lib, x, w: fn(lib).batch_norm(x, None, None, w, training=True),
                rand(4, 3), rand(3, dtype=F32))
    check_error(lambda lib, x: fn(lib).layer_norm(x, (4,)), rand(3, 5))
    check_error(lambda lib, x: fn(lib).group_norm(x, 4), rand(2, 6, 3))
    check_error(lambda lib, x: fn(lib).batch_norm(x, None, None, rand_t(lib, 4),
                                                  training=True), rand(4, 3))


@pytest.mark.parametrize("dtype", [np.float64, F32])
def test_norms_over_long_contiguous_runs(dtype):
    """Stats covering runs of 192..8191 contiguous elements take the short-buffer ufunc
    path (see normalization._short_buffers); runs of 196, 256, 784 and 300 here."""
    x = rand(4, 3, 14, 14, dtype=dtype, seed=1) * 3 + 1
    w, b = rand(3, dtype=dtype, seed=2), rand(3, dtype=dtype, seed=3)
    check(lambda lib, x, w, b: fn(lib).batch_norm(x, None, None, w, b, training=True), x, w, b)
    check(lambda lib, x: fn(lib).batch_norm(x, None, None, training=True),
          rand(2, 4, 16, 16, dtype=dtype, seed=4))
    check(lambda lib, x: fn(lib).instance_norm(x), rand(2, 3, 28, 28, dtype=dtype, seed=5))
    check(lambda lib, x, w, b: fn(lib).layer_norm(x, (300,), w, b),
          rand(3, 300, dtype=dtype, seed=6), rand(300, dtype=dtype, seed=7),
          rand(300, dtype=dtype, seed=8))
    check(lambda lib, x, w, b: fn(lib).group_norm(x, 2, w, b),
          rand(2, 4, 10, 10, dtype=dtype, seed=9), rand(4, dtype=dtype, seed=10),
          rand(4, dtype=dtype, seed=11))


def test_batch_norm_long_runs_double_backward():
    def f(lib, x, w, b):
        y = fn(lib).batch_norm(x, None, None, w, b, training=True)
        gx, gw = lib.autograd.grad((y ** 3).sum(), (x, w), create_graph=True)
        return (gx ** 2).sum() + (gw ** 2).sum()
    check(f, rand(2, 3, 16, 16, seed=12), rand(3, seed=13), rand(3, seed=14))


def rand_t(lib, n):
    return lib.ones(n, dtype=lib.float64)


# ------------------------------------------------------------------ modules
@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("kw", [{}, {"affine": False}, {"momentum": None},
                                {"track_running_stats": False}, {"bias": False, "eps": 1e-3}])
def test_batch_norm_modules_train_then_eval(nd, kw):
    theirs, ours = build_pair(lambda lib: getattr(lib.nn, f"BatchNorm{nd}d")(3, **kw))
    for step in range(3):
        run_pair(theirs, ours, [rand(*BN_SHAPES[nd], seed=step) * (step + 1)], seed=step)
    compare_buffers(theirs, ours)
    run_pair(theirs, ours, [rand(*BN_SHAPES[nd], seed=9)], train=False)
    if kw.get("track_running_stats", True):
        assert ours.num_batches_tracked.dtype == minitorch.int64
        assert int(ours.num_batches_tracked.item()) == 3


def test_batch_norm_float32_and_2d_input():
    compare_module(lambda lib: lib.nn.BatchNorm2d(3), rand(4, 3, 5, 5), dtype=F32)
    theirs, ours = compare_module(lambda lib: lib.nn.BatchNorm1d(4), rand(6, 4))
    compare_buffers(theirs, ours)


def test_batch_norm_module_errors():
    for lib in (torch, minitorch):
        with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
            lib.nn.BatchNorm1d(3)(lib.ones(1, 3))
        with pytest.raises(ValueError, match="expected 4D input"):
            lib.nn.BatchNorm2d(3)(lib.ones(2, 3, 4))
        with pytest.raises(ValueError):
            lib.nn.GroupNorm(4, 6)


def test_sync_batch_norm_acts_as_batch_norm_without_distributed():
    theirs, ours = build_pair(lambda lib: lib.nn.SyncBatchNorm(3))
    run_pair(theirs, ours, [rand(4, 3, 5)])
    compare_buffers(theirs, ours)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_lazy_batch_norm(nd):
    theirs = getattr(torch.nn, f"LazyBatchNorm{nd}d")()
    ours = getattr(minitorch.nn, f"LazyBatchNorm{nd}d")()
    assert repr(ours) == repr(theirs)
    x = rand(*BN_SHAPES[nd], dtype=F32)
    t_out, m_out = theirs(torch.from_numpy(x)), ours(minitorch.from_numpy(x))
    np.testing.assert_allclose(m_out.detach().numpy(), t_out.detach().numpy(), rtol=1e-4,
                               atol=1e-5)
    assert type(ours).__name__ == f"BatchNorm{nd}d" and repr(ours) == repr(theirs)
    compare_buffers(theirs, ours)


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("kw", [{}, {"affine": True}, {"track_running_stats": True},
                                {"affine": True, "track_running_stats": True}])
def test_instance_norm_modules(nd, kw):
    theirs, ours = build_pair(lambda lib: getattr(lib.nn, f"InstanceNorm{nd}d")(3, **kw))
    for step in range(2):
        run_pair(theirs, ours, [rand(*BN_SHAPES[nd], seed=step)], seed=step)
    compare_buffers(theirs, ours)
    run_pair(theirs, ours, [rand(*BN_SHAPES[nd], seed=5)], train=False)
    run_pair(theirs, ours, [rand(*BN_SHAPES[nd][1:], seed=6)])  # unbatched


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.LayerNorm(5),
    lambda lib: lib.nn.LayerNorm((4, 5), eps=1e-3, bias=False),
    lambda lib: lib.nn.LayerNorm([5], elementwise_affine=False),
    lambda lib: lib.nn.GroupNorm(2, 4),
    lambda lib: lib.nn.GroupNorm(4, 4, affine=False),
    lambda lib: lib.nn.GroupNorm(1, 4, bias=False),
    lambda lib: lib.nn.RMSNorm(5),
    lambda lib: lib.nn.RMSNorm((4, 5), eps=1e-4, elementwise_affine=False),
    lambda lib: lib.nn.LocalResponseNorm(3),
    lambda lib: lib.nn.LocalResponseNorm(2, alpha=0.01, beta=0.5, k=2.0),
])
@pytest.mark.parametrize("dtype", [np.float64, F32])
def test_other_norm_modules(make, dtype):
    compare_module(make, rand(3, 4, 4, 5), dtype=dtype)
