"""Parity of pooling and padding (functional and modules) with torch."""
import os
import sys

import numpy as np
import pytest
import torch

import minitorch

sys.path.insert(0, os.path.dirname(__file__))
from harness import check, check_error, rand  # noqa: E402
from _conv_harness import compare_module  # noqa: E402

F32 = np.float32
SIZES = {1: (9,), 2: (9, 8), 3: (7, 6, 5)}


def fn(lib):
    return lib.nn.functional


MAX_CASES = [
    {"kernel_size": 2},
    {"kernel_size": 3, "stride": 2, "padding": 1},
    {"kernel_size": 3, "stride": 2, "ceil_mode": True},
    {"kernel_size": 2, "stride": 2, "ceil_mode": True, "padding": 1},  # last window dropped
    {"kernel_size": 2, "dilation": 2, "padding": 1, "ceil_mode": True},
    {"kernel_size": 2, "stride": 3},  # gaps between windows: disjoint, like stride == kernel
]


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("kw", MAX_CASES)
def test_max_pool(nd, kw):
    x = rand(2, 3, *SIZES[nd])
    check(lambda lib, x: getattr(fn(lib), f"max_pool{nd}d")(x, return_indices=True, **kw), x)
    check(lambda lib, x: getattr(fn(lib), f"max_pool{nd}d")(x[0], **kw), x)


def test_max_pool_with_more_than_256_kernel_offsets():
    # the winning offset's number no longer fits one byte (7 * 7 * 7 = 343 offsets)
    x = rand(1, 2, 9, 9, 9)
    check(lambda lib, x: fn(lib).max_pool3d(x, 7, stride=2, return_indices=True), x)
    check(lambda lib, x: fn(lib).max_pool3d(x, 7, stride=1, return_indices=True), x)


def test_max_pool_ties_go_to_first_index_and_nan_wins():
    ties = np.zeros((1, 2, 4, 4))
    ties[0, 1] = [[1, 1, 0, 2], [1, 1, 2, 2], [0, 0, 3, 3], [0, 0, 3, 3]]
    check(lambda lib, x: fn(lib).max_pool2d(x, 3, 1, return_indices=True), ties)
    check(lambda lib, x: fn(lib).max_pool2d(x, 2, return_indices=True), ties)
    nans = rand(1, 1, 4, 4)
    nans[0, 0, 1, 2] = np.nan
    check(lambda lib, x: fn(lib).max_pool2d(x, 2, return_indices=True), nans, grad=False)


def test_max_pool_float32_and_grad_fn():
    _, out = check(lambda lib, x: fn(lib).max_pool2d(x, 2), rand(2, 3, 6, 6, dtype=F32))
    assert type(out.grad_fn).__name__ == "MaxPool2DWithIndicesBackward0"
    # overlapping windows: an input element's gradient sums several windows' (float32)
    check(lambda lib, x: fn(lib).max_pool2d(x, 3, 1), rand(2, 3, 7, 7, dtype=F32))
    check(lambda lib, x: fn(lib).max_pool2d(x, 2, 1, dilation=2), rand(2, 3, 7, 7, dtype=F32))


def test_max_pool_double_backward():
    def f(lib, x):
        y = fn(lib).max_pool2d(x, 2)
        g, = lib.autograd.grad((y ** 3).sum(), x, create_graph=True)
        return (g ** 2).sum()
    check(f, rand(1, 2, 4, 4))


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("kw", [{"kernel_size": 2}, {"kernel_size": 3, "stride": 2,
                                                     "padding": 1},
                                {"kernel_size": 3, "stride": 2, "padding": 1,
                                 "ceil_mode": True}])
@pytest.mark.parametrize("count_include_pad", [True, False])
def test_avg_pool(nd, kw, count_include_pad):
    x = rand(2, 3, *SIZES[nd])
    check(lambda lib, x: getattr(fn(lib), f"avg_pool{nd}d")(
        x, count_include_pad=count_include_pad, **kw), x)


@pytest.mark.parametrize("nd", [2, 3])
def test_avg_pool_divisor_override(nd):
    check(lambda lib, x: getattr(fn(lib), f"avg_pool{nd}d")(x, 3, 2, 1, divisor_override=5),
          rand(2, 3, *SIZES[nd]))


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("out", [1, 3, 4, None])
def test_adaptive_pools(nd, out):
    x = rand(2, 3, *SIZES[nd])
    size = out if out is not None else tuple([None] + [3] * (nd - 1)) if nd > 1 else 4
    check(lambda lib, x: getattr(fn(lib), f"adaptive_avg_pool{nd}d")(x, size), x)
    check(lambda lib, x: getattr(fn(lib), f"adaptive_max_pool{nd}d")(x, size,
                                                                     return_indices=True), x)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_lp_pool(nd):
    x = np.abs(rand(2, 3, *SIZES[nd])) + 0.1
    check(lambda lib, x: getattr(fn(lib), f"lp_pool{nd}d")(x, 2, 2), x)
    check(lambda lib, x: getattr(fn(lib), f"lp_pool{nd}d")(x, 3.0, 3, stride=2, ceil_mode=True),
          x)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_max_unpool(nd):
    def f(lib, x):
        v, i = getattr(fn(lib), f"max_pool{nd}d")(x, 2, return_indices=True)
        return getattr(fn(lib), f"max_unpool{nd}d")(v, i, 2, output_size=x.shape)
    check(f, rand(2, 3, *SIZES[nd]))


def test_pooling_errors():
    check_error(lambda lib, x: fn(lib).max_pool2d(x, 2, padding=2), rand(1, 1, 5, 5))
    check_error(lambda lib, x: fn(lib).avg_pool2d(x, 2, padding=2), rand(1, 1, 5, 5))
    check_error(lambda lib, x: fn(lib).max_pool2d(x, 7), rand(1, 1, 5, 5))
    check_error(lambda lib, x: fn(lib).max_pool2d(x, 2), rand(5))
    check_error(lambda lib, x: fn(lib).adaptive_avg_pool2d(x, 2), rand(5))
    with pytest.raises(NotImplementedError, match="fractional_max_pool2d"):
        minitorch.nn.functional.fractional_max_pool2d(minitorch.zeros(1, 1, 4, 4), 2,
                                                      output_size=2)


PAD_MODES = ["constant", "reflect", "replicate", "circular"]


@pytest.mark.parametrize("mode", PAD_MODES)
@pytest.mark.parametrize("shape,pad", [((2, 3, 5), (1, 2)), ((2, 3, 5), (2, -1)),
                                       ((2, 3, 5, 6), (1, 2, 2, 1)),
                                       ((3, 5, 6), (0, 1, -1, 2)),
                                       ((2, 3, 4, 5, 6), (1, 2, 0, 1, 2, 0))])
def test_pad(mode, shape, pad):
    check(lambda lib, x: fn(lib).pad(x, pad, mode=mode), rand(*shape))


def test_pad_constant_any_rank_and_value():
    check(lambda lib, x: fn(lib).pad(x, (1, 2, 0, 1, 2, 0, 1, 1), value=2.5), rand(2, 3, 4, 5))
    check(lambda lib, x: fn(lib).pad(x, (1, 1)), rand(4, dtype=F32))
    _, out = check(lambda lib, x: fn(lib).pad(x, (1, -1)), rand(3, 4))
    assert type(out.grad_fn).__name__ == "ConstantPadNdBackward0"


def test_pad_errors():
    x = rand(2, 3, 5)
    check_error(lambda lib, x: fn(lib).pad(x, (1,)), x)
    check_error(lambda lib, x: fn(lib).pad(x, (1,) * 8), x)
    check_error(lambda lib, x: fn(lib).pad(x, (5, 5), mode="reflect"), x)
    check_error(lambda lib, x: fn(lib).pad(x, (1, 1), mode="reflect"), rand(5))
    check_error(lambda lib, x: fn(lib).pad(x, (1, 1), mode="foo"), x)
    check_error(lambda lib, x: fn(lib).pad(x, (1, 1), mode="circular", value=3), x)


# ------------------------------------------------------------------ modules
POOL_MODULES = [
    ("MaxPool{}d", (3,), {"stride": 2, "padding": 1, "ceil_mode": True}),
    ("MaxPool{}d", (2,), {"return_indices": True}),
    ("AvgPool{}d", (3,), {"stride": 2, "padding": 1, "count_include_pad": False}),
    ("AvgPool{}d", (2,), {"ceil_mode": True}),
    ("AdaptiveAvgPool{}d", (3,), {}),
    ("AdaptiveMaxPool{}d", (3,), {"return_indices": True}),
    ("LPPool{}d", (2, 2), {}),
]


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("name,args,kw", POOL_MODULES)
def test_pool_modules(nd, name, args, kw):
    x = rand(2, 3, *SIZES[nd])
    if name.startswith("LP"):
        x = np.abs(x) + 0.1
    compare_module(lambda lib: getattr(lib.nn, name.format(nd))(*args, **kw), x)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_max_unpool_module(nd):
    x = rand(2, 3, *(8, 6, 4)[:nd])  # even sizes: the default output size covers every index
    v, i = getattr(torch.nn.functional, f"max_pool{nd}d")(torch.from_numpy(x), 2,
                                                         return_indices=True)
    compare_module(lambda lib: getattr(lib.nn, f"MaxUnpool{nd}d")(2), v.numpy(), i.numpy())
    assert repr(minitorch.nn.MaxUnpool2d(2, padding=1)) == repr(torch.nn.MaxUnpool2d(2, padding=1))


def test_avg_pool2d_module_divisor_and_fractional():
    compare_module(lambda lib: lib.nn.AvgPool2d(3, 2, 1, divisor_override=4), rand(2, 3, 7, 7))
    with pytest.raises(NotImplementedError, match="FractionalMaxPool2d"):
        minitorch.nn.FractionalMaxPool2d(2, output_size=3)


PAD_MODULES = ["ZeroPad{}d", "ReflectionPad{}d", "ReplicationPad{}d", "CircularPad{}d"]


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("name", PAD_MODULES)
def test_pad_modules(nd, name):
    x = rand(2, 3, *SIZES[nd])
    compare_module(lambda lib: getattr(lib.nn, name.format(nd))(2), x)
    pads = tuple(range(1, 2 * nd + 1))
    compare_module(lambda lib: getattr(lib.nn, name.format(nd))(pads), x, dtype=F32)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_constant_pad_modules(nd):
    compare_module(lambda lib: getattr(lib.nn, f"ConstantPad{nd}d")(1, 3.5),
                   rand(2, 3, *SIZES[nd]))


def test_pooling_empty_batch_and_integer_avg_pool():
    check(lambda lib, x: fn(lib).max_pool2d(x, 2), np.zeros((0, 3, 4, 4)))
    ints = rand(1, 2, 7, 7, dtype=np.int64, low=-50, high=50)
    check(lambda lib, x: fn(lib).avg_pool2d(x, 3, 2, 1, count_include_pad=False), ints)
    check(lambda lib, x: fn(lib).avg_pool2d(x, 3, 2, 1, ceil_mode=True, divisor_override=4),
          ints)
