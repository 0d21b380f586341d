"""Parity of interpolate/Upsample, pixel/channel shuffle, grid_sample and affine_grid."""
import os
import sys
import warnings

import numpy as np
import pytest

import minitorch

sys.path.insert(0, os.path.dirname(__file__))
from harness import check, check_error, rand  # noqa: E402
from _conv_harness import compare_module  # noqa: E402

F32 = np.float32
LINEAR = {1: "linear", 2: "bilinear", 3: "trilinear"}
SIZES = {1: (5,), 2: (5, 4), 3: (4, 3, 3)}


def fn(lib):
    return lib.nn.functional


RESIZES = [{"size": 7}, {"scale_factor": 2}, {"scale_factor": 1.7}, {"size": 2},
           {"scale_factor": 0.6, "recompute_scale_factor": True}]


@pytest.mark.parametrize("nd", [1, 2, 3])
@pytest.mark.parametrize("mode", ["nearest", "nearest-exact", "linear", "area", "bicubic"])
@pytest.mark.parametrize("kw", RESIZES)
def test_interpolate(nd, mode, kw):
    if mode == "linear":
        mode = LINEAR[nd]
    if mode == "bicubic" and nd != 2:
        return
    x = rand(2, 3, *SIZES[nd])
    corners = [None] if mode in ("nearest", "nearest-exact", "area") else [False, True]
    for align_corners in corners:
        check(lambda lib, x: fn(lib).interpolate(x, mode=mode, align_corners=align_corners,
                                                 **kw), x)


def test_interpolate_per_dim_sizes_and_float32():
    check(lambda lib, x: fn(lib).interpolate(x, size=(3, 7), mode="bilinear"),
          rand(2, 3, 5, 4, dtype=F32))
    check(lambda lib, x: fn(lib).interpolate(x, scale_factor=(2, 0.5)), rand(1, 2, 3, 4))


def test_interpolate_errors():
    x = rand(1, 2, 4, 4)
    check_error(lambda lib, x: fn(lib).interpolate(x, size=3, scale_factor=2), x)
    check_error(lambda lib, x: fn(lib).interpolate(x), x)
    check_error(lambda lib, x: fn(lib).interpolate(x, size=3, align_corners=True), x)
    check_error(lambda lib, x: fn(lib).interpolate(x, size=3, mode="linear"), x)
    check_error(lambda lib, x: fn(lib).interpolate(x, size=(3, 3, 3)), x)
    with pytest.raises(NotImplementedError, match="antialias"):
        minitorch.nn.functional.interpolate(minitorch.tensor(x), size=3, mode="bilinear",
                                            antialias=True)


def test_pixel_and_channel_shuffle():
    check(lambda lib, x: fn(lib).pixel_shuffle(x, 2), rand(2, 8, 3, 4))
    check(lambda lib, x: fn(lib).pixel_shuffle(x, 3), rand(9, 2, 2))
    check(lambda lib, x: fn(lib).pixel_unshuffle(x, 2), rand(2, 3, 4, 6))
    check(lambda lib, x: fn(lib).channel_shuffle(x, 4), rand(2, 8, 3))
    check_error(lambda lib, x: fn(lib).pixel_shuffle(x, 2), rand(2, 6, 3, 4))
    check_error(lambda lib, x: fn(lib).pixel_unshuffle(x, 2), rand(2, 3, 5, 4))
    check_error(lambda lib, x: fn(lib).channel_shuffle(x, 3), rand(2, 8, 3))


@pytest.mark.parametrize("align_corners", [False, True])
def test_affine_grid(align_corners):
    check(lambda lib, t: fn(lib).affine_grid(t, (2, 3, 5, 4), align_corners=align_corners),
          rand(2, 2, 3))
    check(lambda lib, t: fn(lib).affine_grid(t, (2, 3, 5, 4, 3), align_corners=align_corners),
          rand(2, 3, 4))
    check_error(lambda lib, t: fn(lib).affine_grid(t, (2, 3, 5, 4, 3), align_corners=False),
                rand(2, 2, 3))


@pytest.mark.parametrize("mode", ["bilinear", "nearest"])
@pytest.mark.parametrize("padding_mode", ["zeros", "border", "reflection"])
@pytest.mark.parametrize("align_corners", [False, True])
def test_grid_sample(mode, padding_mode, align_corners):
    x, grid = rand(2, 3, 5, 6), rand(2, 4, 7, 2, low=-1.6, high=1.6)
    check(lambda lib, x, g: fn(lib).grid_sample(x, g, mode=mode, padding_mode=padding_mode,
                                                align_corners=align_corners), x, grid)


def test_grid_sample_float32_and_errors():
    check(lambda lib, x, g: fn(lib).grid_sample(x, g, align_corners=False),
          rand(1, 2, 4, 4, dtype=F32), rand(1, 3, 3, 2, dtype=F32, low=-1, high=1))
    check_error(lambda lib, x, g: fn(lib).grid_sample(x, g, mode="linear", align_corners=False),
                rand(1, 2, 4, 4), rand(1, 3, 3, 2))
    check_error(lambda lib, x, g: fn(lib).grid_sample(x, g, align_corners=False),
                rand(2, 2, 4, 4), rand(1, 3, 3, 2))


@pytest.mark.parametrize("make,shape", [
    (lambda lib: lib.nn.Upsample(scale_factor=2), (2, 3, 4, 5)),
    (lambda lib: lib.nn.Upsample(size=(5, 7), mode="bilinear", align_corners=True), (2, 3, 4, 5)),
    (lambda lib: lib.nn.Upsample(scale_factor=(1.5, 2.0), mode="bicubic"), (1, 2, 4, 5)),
    (lambda lib: lib.nn.Upsample(size=6, mode="linear"), (2, 3, 4)),
    (lambda lib: lib.nn.UpsamplingNearest2d(scale_factor=3), (1, 2, 3, 3)),
    (lambda lib: lib.nn.UpsamplingBilinear2d(size=(5, 6)), (1, 2, 3, 3)),
    (lambda lib: lib.nn.PixelShuffle(2), (2, 8, 3, 3)),
    (lambda lib: lib.nn.PixelUnshuffle(2), (2, 2, 4, 6)),
    (lambda lib: lib.nn.ChannelShuffle(2), (2, 4, 3, 3)),
])
def test_vision_modules(make, shape):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare_module(make, rand(*shape))
