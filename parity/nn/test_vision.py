"""Parity of interpolate/Upsample, pixel/channel shuffle, grid_sample and affine_grid."""
import os
import sys
import warnings

import numpy as np
import pytest
import torch

import minitorch

sys.path.insert(0, os.path.dirname(__file__))
from harness import check, check_error, noncontiguous, rand  # noqa: E402
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


GRID_MODES = ["bilinear", "nearest", "bicubic"]
# torch has no 5-D bicubic (test_grid_sample_errors checks its error)
RANK_AND_MODE = [(2, mode) for mode in GRID_MODES] + [(3, "bilinear"), (3, "nearest")]
PADDING_MODES = ["zeros", "border", "reflection"]
# per spatial rank: (input spatial sizes, grid output sizes); tiny sizes included
GRID_SHAPES = {2: [((5, 6), (4, 7)), ((1, 1), (2, 3)), ((1, 4), (3, 2)), ((2, 1), (2, 2))],
               3: [((4, 3, 5), (3, 2, 4)), ((1, 1, 1), (2, 2, 1)), ((1, 3, 1), (2, 1, 3))]}


def _grid_sample(mode, padding_mode, align_corners):
    return lambda lib, x, g: fn(lib).grid_sample(x, g, mode=mode, padding_mode=padding_mode,
                                                 align_corners=align_corners)


@pytest.mark.parametrize("nd,mode", RANK_AND_MODE)
@pytest.mark.parametrize("padding_mode", PADDING_MODES)
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, F32])
def test_grid_sample(nd, mode, padding_mode, align_corners, dtype):
    tolerance = {}
    if dtype == F32 and mode == "bicubic" and padding_mode == "border":
        # Far outside, border moves all four taps of a row onto one pixel: the grid
        # gradient is then a float32 sum of terms that cancel to zero (noise ~1e-5).
        tolerance = {"grad_atol": 1e-4}
    for spatial, out in GRID_SHAPES[nd]:
        # points reach past the borders so that every padding rule is exercised
        x = rand(2, 3, *spatial, dtype=dtype)
        grid = rand(2, *out, nd, dtype=dtype, low=-1.7, high=1.7)
        check(_grid_sample(mode, padding_mode, align_corners), x, grid, **tolerance)


@pytest.mark.parametrize("nd,mode", RANK_AND_MODE)
@pytest.mark.parametrize("padding_mode", PADDING_MODES)
@pytest.mark.parametrize("align_corners", [False, True])
def test_grid_sample_points_on_pixels_and_borders(nd, mode, padding_mode, align_corners):
    """Grid values on pixel centres, corners and far outside: floor() and the clip gradient
    (zero on the borders themselves) must decide as torch's do."""
    values = np.array([1.0, -1.0, 0.0, 0.5, -0.5, 0.75, -0.75, 1.25, -2.5, 3.0, 1e30, -1e30])
    grid = np.stack(np.broadcast_arrays(*np.meshgrid(*[values] * nd, indexing="ij")), -1)
    grid = grid[:, :, :2] if nd == 3 else grid
    x = rand(1, 2, *GRID_SHAPES[nd][0][0])
    check(_grid_sample(mode, padding_mode, align_corners), x, grid[None].copy())


@pytest.mark.parametrize("nd,mode", RANK_AND_MODE)
@pytest.mark.parametrize("padding_mode", PADDING_MODES)
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, F32])
def test_affine_grid_then_grid_sample(nd, mode, padding_mode, align_corners, dtype):
    """Round trip: an identity affine_grid puts every point on a pixel centre, so the
    theta gradient depends on torch's exact rounding; a random theta is the general case."""
    size = (2, 3, 5, 4) if nd == 2 else (2, 3, 3, 5, 4)
    identity = np.broadcast_to(np.eye(nd, nd + 1), (2, nd, nd + 1)).astype(dtype)
    random_theta = (identity + rand(2, nd, nd + 1, dtype=dtype, low=-0.3, high=0.3))

    def round_trip(lib, x, theta):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the unit-size grid warning
            grid = fn(lib).affine_grid(theta, size, align_corners=align_corners)
            return fn(lib).grid_sample(x, grid, mode=mode, padding_mode=padding_mode,
                                       align_corners=align_corners)
    for theta in (identity, random_theta):
        check(round_trip, rand(*size, dtype=dtype), theta)
    # the identity samples the input back exactly
    x = rand(*size)
    _, m_out = check(round_trip, x, identity.astype(np.float64), grad=False)
    np.testing.assert_allclose(m_out.detach().numpy(), x, rtol=1e-12, atol=1e-12)


def test_grid_sample_empty_and_noncontiguous():
    for nd, mode in RANK_AND_MODE:
        spatial, out = GRID_SHAPES[nd][0]
        f = _grid_sample(mode, "reflection", False)
        check(f, rand(0, 3, *spatial), rand(0, *out, nd))
        check(f, rand(2, 0, *spatial), rand(2, *out, nd))
        check(f, rand(2, 3, *spatial), rand(2, 0, *out[1:], nd))
        check(f, noncontiguous(rand(2, 3, *spatial)), noncontiguous(rand(2, *out, nd)))


def test_grid_sample_align_corners_default_warns():
    for lib in (torch, minitorch):
        x, grid = lib.ones(1, 1, 2, 2), lib.zeros(1, 1, 1, 2)
        with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
            lib.nn.functional.grid_sample(x, grid)
        with pytest.warns(UserWarning, match="align_corners=False since 1.3.0"):
            lib.nn.functional.affine_grid(lib.ones(1, 2, 3), (1, 1, 2, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda lib, x, g: fn(lib).grid_sample(x, g), rand(1, 2, 4, 4), rand(1, 3, 3, 2))


def _same_error(f, *args):
    torch_error, ours = check_error(f, *args)
    assert str(ours) == str(torch_error)


def test_grid_sample_errors():
    f = _grid_sample("bilinear", "zeros", False)
    _same_error(lambda lib, x, g: fn(lib).grid_sample(x, g, mode="linear", align_corners=False),
                rand(1, 2, 4, 4), rand(1, 3, 3, 2))
    _same_error(lambda lib, x, g: fn(lib).grid_sample(x, g, padding_mode="wrap",
                                                      align_corners=False),
                rand(1, 2, 4, 4), rand(1, 3, 3, 2))
    _same_error(_grid_sample("bicubic", "zeros", False), rand(1, 2, 3, 4, 5),
                rand(1, 2, 2, 2, 3))
    _same_error(f, rand(2, 2, 4, 4), rand(1, 3, 3, 2))  # batch sizes
    _same_error(f, rand(1, 2, 3, 4, 5), rand(1, 2, 2, 2, 2))  # 5-D needs (x, y, z)
    _same_error(f, rand(1, 2, 3, 4), rand(1, 2, 2, 3))  # 4-D needs (x, y)
    _same_error(f, rand(1, 2, 3, 4), rand(1, 2, 2))  # grid rank
    _same_error(f, rand(1, 2, 3, 4, 5), rand(1, 2, 2, 3))
    _same_error(f, rand(2, 3, 4), rand(2, 5, 1))  # 3-D input
    _same_error(f, rand(1, 2, 0, 4), rand(1, 2, 2, 2))  # empty spatial dim
    _same_error(f, rand(1, 2, 3, 0, 5), rand(1, 2, 2, 2, 3))
    _same_error(f, rand(1, 2, 4, 4), rand(1, 3, 3, 2, dtype=F32))  # dtypes differ
    _same_error(f, rand(1, 2, 4, 4, dtype=np.int32), rand(1, 3, 3, 2, dtype=np.int32))
    _same_error(f, rand(1, 2, 3, 4, 4, dtype=np.int64), rand(1, 3, 3, 2, 3))
    _same_error(f, rand(1, 2, 4, 4), rand(1, 3, 3, 2, dtype=np.int64))
    _same_error(f, np.array(1.0), np.array(1.0))


def test_affine_grid_errors_and_unit_sizes():
    _same_error(lambda lib, t: fn(lib).affine_grid(t, (3, 1, 4, 5), align_corners=False),
                rand(2, 2, 3))  # batch sizes
    _same_error(lambda lib, t: fn(lib).affine_grid(t, (2, 1, 3, 1), align_corners=True),
                rand(2, 2, 4))
    _same_error(lambda lib, t: fn(lib).affine_grid(t, (2, 1, 0, 3), align_corners=False),
                rand(2, 2, 3))
    _same_error(lambda lib, t: fn(lib).affine_grid(t, (2, 1, 3), align_corners=False),
                rand(2, 2, 3))
    _same_error(lambda lib, t: fn(lib).affine_grid(t, (2, 1, 3, 3), align_corners=False),
                rand(2, 2, 3, dtype=np.int64))
    for lib in (torch, minitorch):
        with pytest.warns(UserWarning, match="unit-size grids"):
            lib.nn.functional.affine_grid(lib.ones(1, 2, 3), (1, 1, 1, 3), align_corners=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda lib, t: fn(lib).affine_grid(t, (0, 1, 1, 5), align_corners=True),
              rand(0, 2, 3))
        check(lambda lib, t: fn(lib).affine_grid(t, (2, 1, 1, 3, 1), align_corners=True),
              rand(2, 3, 4))


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
