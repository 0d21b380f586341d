"""Parity of convolutions (functional and modules), unfold/fold, with torch."""
import os
import sys

import numpy as np
import pytest
import torch

import minitorch
sys.path.insert(0, os.path.dirname(__file__))
from harness import check, check_error, noncontiguous, rand
from _conv_harness import build_pair, compare_module, run_pair  # noqa: E402

F64, F32 = np.float64, np.float32

CONV_CASES = [
    {},
    {"stride": 2, "padding": 1},
    {"dilation": 2, "padding": 2, "groups": 2},
    {"padding": "same", "dilation": 2},
    {"padding": "valid", "stride": 3},
]


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("kw", CONV_CASES)
def test_conv_functional(nd, kw):
    size = [8, 7, 5][:nd]
    x, w, b = rand(2, 4, *size), rand(6, 4 // kw.get("groups", 1), *([3] * nd)), rand(6)
    check(lambda lib, x, w, b: getattr(lib.nn.functional, f"conv{nd}d")(x, w, b, **kw), x, w, b)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_conv_float32_no_bias_unbatched(nd):
    x, w = rand(3, *([6] * nd), dtype=F32), rand(5, 3, *([2] * nd), dtype=F32)
    check(lambda lib, x, w: getattr(lib.nn.functional, f"conv{nd}d")(x, w, stride=2), x, w)


@pytest.mark.filterwarnings("ignore:Using padding='same'")
def test_conv_even_kernel_same_padding_is_asymmetric():
    check(lambda lib, x, w: lib.nn.functional.conv2d(x, w, padding="same"),
          rand(2, 3, 6, 5), rand(4, 3, 4, 2))


def test_conv_noncontiguous_and_grad_fn():
    _, out = check(lambda lib, x, w: lib.nn.functional.conv2d(x, w, padding=1),
                   noncontiguous(rand(2, 3, 5, 6)), noncontiguous(rand(4, 3, 3, 3)))
    assert type(out.grad_fn).__name__ == "ConvolutionBackward0"


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("kw", [{}, {"stride": 2, "padding": 1, "output_padding": 1},
                                {"stride": 2, "groups": 2, "dilation": 2, "output_padding": 1}])
def test_conv_transpose_functional(nd, kw):
    x, w, b = rand(2, 4, *([4] * nd)), rand(4, 6 // kw.get("groups", 1), *([3] * nd)), rand(6)
    check(lambda lib, x, w, b: getattr(lib.nn.functional, f"conv_transpose{nd}d")(x, w, b, **kw),
          x, w, b)


def _check_conv2d_double_backward(x, w, **conv_args):
    """Gradients of a function of conv2d's own input and weight gradients (create_graph)."""
    def fn(lib, x, w):
        y = lib.nn.functional.conv2d(x, w, **conv_args)
        gx, gw = lib.autograd.grad((y ** 2).sum(), (x, w), create_graph=True)
        return (gx ** 2).sum() + (gw ** 3).sum()
    check(fn, x, w)


def test_conv_double_backward():
    _check_conv2d_double_backward(rand(2, 4, 6, 6), rand(4, 2, 3, 3), stride=2, padding=1,
                                  groups=2)


def test_conv_transpose_double_backward():
    def fn(lib, x, w):
        y = lib.nn.functional.conv_transpose2d(x, w, stride=2)
        gx, gw = lib.autograd.grad((y ** 2).sum(), (x, w), create_graph=True)
        return (gx ** 2).sum() + (gw ** 2).sum()
    check(fn, rand(1, 2, 3, 3), rand(2, 3, 2, 2))


def test_conv_errors():
    f = lambda lib: lib.nn.functional  # noqa: E731
    check_error(lambda lib, x, w: f(lib).conv1d(x, w), rand(2, 3, 5), rand(4, 2, 3))
    check_error(lambda lib, x, w: f(lib).conv1d(x, w), rand(2, 3, 5, dtype=F32), rand(4, 3, 3))
    check_error(lambda lib, x, w: f(lib).conv1d(x, w), rand(5), rand(4, 3, 3))
    check_error(lambda lib, x, w: f(lib).conv1d(x, w), rand(2, 3, 5), rand(4, 3, 9))
    check_error(lambda lib, x, w: f(lib).conv1d(x, w, stride=2, padding="same"),
                rand(2, 3, 5), rand(4, 3, 3))
    check_error(lambda lib, x, w: f(lib).conv2d(x, w, padding="full"),
                rand(2, 3, 5, 5), rand(4, 3, 3, 3))
    check_error(lambda lib, x, w: f(lib).conv_transpose1d(x, w, stride=2, output_padding=2),
                rand(2, 3, 5), rand(3, 4, 3))


def test_unfold_fold():
    check(lambda lib, x: lib.nn.functional.unfold(x, (2, 3), padding=1, stride=2, dilation=1),
          rand(2, 3, 8, 9))
    check(lambda lib, x: lib.nn.functional.unfold(x, 2, dilation=2), rand(3, 5, 6))
    check(lambda lib, x: lib.nn.functional.fold(x, (8, 9), (2, 3), padding=1, stride=2),
          rand(2, 18, 25))
    check(lambda lib, x: lib.nn.functional.fold(x, 4, 2), rand(8, 9))
    check_error(lambda lib, x: lib.nn.functional.fold(x, (8, 9), (2, 3)), rand(2, 18, 20))
    check_error(lambda lib, x: lib.nn.functional.unfold(x, 2), rand(2, 3, 4, 4, 4))


def test_fold_unfold_modules():
    compare_module(lambda lib: lib.nn.Unfold(kernel_size=(2, 3), padding=1, stride=2),
                   rand(2, 3, 8, 9))
    compare_module(lambda lib: lib.nn.Fold(output_size=(4, 5), kernel_size=2),
                   rand(2, 12, 12))


MODULE_CASES = [
    {},
    {"stride": 2, "padding": 1, "bias": False},
    {"padding": "same", "dilation": 2, "groups": 2},
    {"padding": 1, "padding_mode": "reflect"},
    {"padding": 2, "padding_mode": "circular"},
    {"padding": 1, "padding_mode": "replicate", "stride": 2},
]


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("kw", MODULE_CASES)
def test_conv_modules(nd, kw):
    size = [9, 7, 5][:nd]
    compare_module(lambda lib: getattr(lib.nn, f"Conv{nd}d")(4, 6, 3, **kw), rand(2, 4, *size))


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_conv_module_float32(nd):
    compare_module(lambda lib: getattr(lib.nn, f"Conv{nd}d")(3, 4, 2, stride=2),
                   rand(2, 3, *([6] * nd)), dtype=F32)


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_conv_transpose_modules(nd):
    def make(lib):
        return getattr(lib.nn, f"ConvTranspose{nd}d")(4, 6, 3, stride=2, padding=1,
                                                       output_padding=1, groups=2)
    theirs, ours = build_pair(make)
    x = rand(2, 4, *([4] * nd))
    run_pair(theirs, ours, [x])
    run_pair(theirs, ours, [x], output_size=[7] * nd)
    run_pair(theirs, ours, [x[0]])
    with pytest.raises(ValueError):
        ours(minitorch.tensor(x), output_size=[20] * nd)


def test_conv_module_errors():
    for lib in (torch, minitorch):
        with pytest.raises(ValueError):
            lib.nn.Conv2d(4, 6, 3, groups=3)
        with pytest.raises(ValueError):
            lib.nn.Conv2d(4, 6, 3, padding_mode="mirror")
        with pytest.raises(ValueError):
            lib.nn.Conv2d(4, 6, 3, stride=2, padding="same")
        with pytest.raises(ValueError):
            lib.nn.ConvTranspose2d(4, 6, 3, padding_mode="reflect")


def test_conv_default_init_distribution():
    minitorch.manual_seed(0)
    conv = minitorch.nn.Conv2d(16, 8, 3)
    bound = 1 / np.sqrt(16 * 9)
    w, b = conv.weight.detach().numpy(), conv.bias.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.8 * bound
    assert np.abs(b).max() <= bound and w.std() > 0.4 * bound


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_lazy_conv(nd):
    for name in (f"LazyConv{nd}d", f"LazyConvTranspose{nd}d"):
        theirs, ours = getattr(torch.nn, name)(6, 3), getattr(minitorch.nn, name)(6, 3)
        assert repr(ours) == repr(theirs)
        theirs(torch.zeros(2, 4, *([5] * nd)))
        ours(minitorch.zeros(2, 4, *([5] * nd)))
        assert type(ours).__name__ == type(theirs).__name__
        assert repr(ours) == repr(theirs)
        assert tuple(ours.weight.shape) == tuple(theirs.weight.shape)
        ours.load_state_dict({k: minitorch.tensor(v.numpy()) for k, v in
                              theirs.state_dict().items()})
        run_pair(theirs, ours, [rand(2, 4, *([5] * nd), dtype=F32)])


def test_conv_empty_batch():
    check(lambda lib, x, w: lib.nn.functional.conv2d(x, w, padding=1), np.zeros((0, 3, 5, 5)),
          rand(4, 3, 3, 3))


# ------------------------------------------------ the blocked stride-1 fast path
# Stride-1 ungrouped convolutions (and every stride-1 input gradient) multiply the
# column matrix in blocks: several blocks per sample, several samples per batched
# matmul. Real layers need big inputs to cut more than one block, so these tests
# shrink the budgets instead, to take each branch with small inputs.
from minitorch.nn._functional import conv as conv_impl  # noqa: E402


@pytest.fixture(params=["small-kernel blocks", "cache-sized blocks"])
def tiny_blocks(request, monkeypatch):
    if request.param == "small-kernel blocks":
        # ~20 columns per block (the last block of a sample ragged), 2-3 samples a group
        monkeypatch.setattr(conv_impl, "_SMALL_GEMM", 20 * 6 * 2 * 27)
        monkeypatch.setattr(conv_impl, "_MIN_BLOCK", 8)
        monkeypatch.setattr(conv_impl, "_CHUNK_ELEMENTS", 6000)
    else:
        # the small kernel ruled out: blocks sized by the cache budget, one sample a group
        monkeypatch.setattr(conv_impl, "_MIN_BLOCK", 10 ** 9)
        monkeypatch.setattr(conv_impl, "_CHUNK_ELEMENTS", 700)
    return request.param


BLOCKED_CASES = [
    {"padding": 1},
    {"padding": 0},
    {"padding": "same", "dilation": 2},
    {"padding": 2, "dilation": (1, 2, 1)},
]


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("kw", BLOCKED_CASES)
@pytest.mark.parametrize("dtype", [F64, F32])
def test_conv_blocked_path(tiny_blocks, nd, kw, dtype):
    kw = {k: (v[:nd] if isinstance(v, tuple) else v) for k, v in kw.items()}
    size = [[41], [9, 8], [5, 4, 6]][nd - 1]
    x = rand(5, 2, *size, dtype=dtype)
    w, b = rand(6, 2, *([3] * nd), dtype=dtype), rand(6, dtype=dtype)
    check(lambda lib, x, w, b: getattr(lib.nn.functional, f"conv{nd}d")(x, w, b, **kw), x, w, b)


def test_conv_blocked_path_even_kernel_and_noncontiguous(tiny_blocks):
    check(lambda lib, x, w: lib.nn.functional.conv2d(x, w, padding=(2, 1)),
          noncontiguous(rand(3, 2, 7, 9)), noncontiguous(rand(6, 2, 4, 2)))


@pytest.mark.filterwarnings("ignore:Using padding='same'")
@pytest.mark.parametrize("nd", [1, 2])
def test_conv_blocked_path_asymmetric_same_padding(tiny_blocks, nd):
    """Even kernels pad one more on the high side: the last dim's bands differ per side."""
    kernel = [(4,), (2, 4)][nd - 1]
    check(lambda lib, x, w: getattr(lib.nn.functional, f"conv{nd}d")(x, w, padding="same",
                                                                      dilation=2),
          rand(3, 2, *[(23,), (5, 11)][nd - 1]), rand(4, 2, *kernel))


def test_conv_blocked_path_double_backward(tiny_blocks):
    _check_conv2d_double_backward(rand(3, 2, 6, 7), rand(6, 2, 3, 3), padding=1)


# Padded buffers are np.empty with only their borders zeroed: consecutive calls
# with other geometries and dtypes must not see each other's data there.
def test_conv_consecutive_geometries_and_dtypes():
    f = lambda lib: lib.nn.functional  # noqa: E731
    for padding, dtype, seed in [(1, F64, 1), (2, F64, 2), (1, F64, 3), (1, F32, 4), (1, F64, 5),
                                 ("same", F64, 6), (0, F64, 7), (1, F64, 8)]:
        x, w = rand(4, 3, 8, 9, dtype=dtype, seed=seed), rand(5, 3, 3, 3, dtype=dtype, seed=seed)
        check(lambda lib, x, w: f(lib).conv2d(x, w, padding=padding), x, w)


class _NanEmpty:
    """NumPy, except that ``empty`` hands out NaN-filled arrays."""

    def __getattr__(self, name):
        return getattr(np, name)

    @staticmethod
    def empty(shape, dtype=float, **kwargs):
        return np.full(shape, np.nan, dtype=dtype)


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("padding", [1, 0, (2, 1, 0)])
def test_conv_never_reads_uninitialised_scratch(monkeypatch, nd, padding):
    """Scratch buffers are np.empty: any part a result reads (a border, the spare
    zeros past the end, the junk columns a weight gradient multiplies by zero)
    must have been written, or a NaN left there by chance would spread."""
    monkeypatch.setattr(conv_impl, "np", _NanEmpty())
    padding = padding[:nd] if isinstance(padding, tuple) else padding
    size = [[13], [6, 7], [4, 5, 3]][nd - 1]
    check(lambda lib, x, w: getattr(lib.nn.functional, f"conv{nd}d")(x, w, padding=padding),
          rand(3, 2, *size), rand(4, 2, *([3] * nd)))


@pytest.mark.parametrize("nd", [1, 2, 3])
def test_conv_blocked_path_never_reads_uninitialised_scratch(monkeypatch, tiny_blocks, nd):
    """The same with ragged blocks and several samples a group (more spare zeros read)."""
    monkeypatch.setattr(conv_impl, "np", _NanEmpty())
    size = [[41], [9, 8], [5, 4, 6]][nd - 1]
    check(lambda lib, x, w: getattr(lib.nn.functional, f"conv{nd}d")(x, w, padding=1),
          rand(5, 2, *size), rand(6, 2, *([3] * nd)))
