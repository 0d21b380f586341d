"""Vision ops: interpolate/upsample, pixel and channel shuffle, grid_sample, affine_grid.

``interpolate`` is separable: for each spatial dim it builds an (out, in)
interpolation matrix with torch's source-index rule and applies it with a
matmul, so the gradient is the transposed matrix for free. ``grid_sample``
gathers the four neighbours with differentiable ops, which gives gradients for
both the input and the grid.
"""
import math

import numpy as np

from ..._tensor import Tensor
from .pooling import adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d

__all__ = ["interpolate", "upsample", "upsample_nearest", "upsample_bilinear", "pixel_shuffle",
           "pixel_unshuffle", "channel_shuffle", "native_channel_shuffle", "grid_sample",
           "affine_grid"]

_LINEAR_MODES = {"linear": 1, "bilinear": 2, "bicubic": 2, "trilinear": 3}
_MODES = ("nearest", "nearest-exact", "linear", "bilinear", "bicubic", "trilinear", "area")


# ------------------------------------------------------------- interpolation
def _source_scale(in_size, out_size, align_corners, scale_factor):
    """torch's area_pixel_compute_scale: the step in input pixels per output pixel."""
    if align_corners:
        return (in_size - 1) / (out_size - 1) if out_size > 1 else 0.0
    if scale_factor is not None and scale_factor > 0:
        return 1.0 / scale_factor
    return in_size / out_size


def _nearest_matrix(in_size, out_size, scale, exact):
    dst = np.arange(out_size, dtype=np.float64)
    # torch computes in float32 here; mirror it so boundary cases pick the same pixel
    src = np.floor(((dst + 0.5) if exact else dst).astype(np.float32) * np.float32(scale))
    src = np.minimum(src.astype(np.int64), in_size - 1)
    m = np.zeros((out_size, in_size))
    m[np.arange(out_size), src] = 1.0
    return m


def _linear_matrix(in_size, out_size, scale, align_corners):
    dst = np.arange(out_size, dtype=np.float64)
    src = scale * dst if align_corners else np.maximum(scale * (dst + 0.5) - 0.5, 0.0)
    i0 = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    i1 = np.minimum(i0 + 1, in_size - 1)
    lam = src - i0
    m = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    np.add.at(m, (rows, i0), 1.0 - lam)
    np.add.at(m, (rows, i1), lam)
    return m


def _cubic_weights(t, a=-0.75):
    """Keys' cubic convolution weights for the 4 taps at offsets -1, 0, 1, 2."""
    def near(x):  # |x| <= 1
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):  # 1 < |x| < 2
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def _cubic_matrix(in_size, out_size, scale, align_corners):
    dst = np.arange(out_size, dtype=np.float64)
    src = scale * dst if align_corners else scale * (dst + 0.5) - 0.5
    i = np.floor(src).astype(np.int64)
    t = src - i
    m = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    for k, w in enumerate(_cubic_weights(t)):
        np.add.at(m, (rows, np.clip(i - 1 + k, 0, in_size - 1)), w)
    return m


def _apply_along(x, axis, matrix):
    """Multiply dim ``axis`` of ``x`` by ``matrix`` (out, in)."""
    m = Tensor._make(matrix.astype(x._data.dtype))
    return (x.movedim(axis, -1) @ m.t()).movedim(-1, axis)


def _output_size(input, size, scale_factor, recompute_scale_factor, dim):
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, (list, tuple)):
            if len(size) != dim:
                raise ValueError("Input and output must have the same number of spatial "
                                 f"dimensions, but got input with spatial dimensions of "
                                 f"{list(input.shape[2:])} and output size of {size}. Please "
                                 "provide input tensor in (N, C, d1, d2, ...,dK) format and "
                                 "output size in (o1, o2, ...,oK) format.")
            sizes = [int(s) for s in size]
        else:
            sizes = [int(size)] * dim
        return sizes, [None] * dim
    if scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if isinstance(scale_factor, (list, tuple)):
        if len(scale_factor) != dim:
            raise ValueError("Input and scale_factor must have the same number of spatial "
                             f"dimensions, but got input with spatial dimensions of "
                             f"{list(input.shape[2:])} and scale_factor of shape "
                             f"{scale_factor}. Please provide input tensor in (N, C, d1, d2, "
                             "...,dK) format and scale_factor in (s1, s2, ...,sK) format.")
        scales = [float(s) for s in scale_factor]
    else:
        scales = [float(scale_factor)] * dim
    sizes = [math.floor(float(input.shape[i + 2]) * scales[i]) for i in range(dim)]
    if recompute_scale_factor:
        scales = [None] * dim
    return sizes, scales


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resize the spatial dims of (N, C, *spatial) input; antialias=True is not supported."""
    if mode not in _MODES:
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported "
                                  f"(got {input.ndim}D) for the modes: nearest | linear | "
                                  f"bilinear | bicubic | trilinear | area | nearest-exact "
                                  f"(got {mode})")
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise ValueError("align_corners option can only be set with the interpolating "
                             "modes: linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not supported by minitorch")
    dim = input.ndim - 2
    if dim < 1 or dim > 3:
        raise NotImplementedError(f"Input Error: Only 3D, 4D and 5D input Tensors supported "
                                  f"(got {input.ndim}D) for the modes: nearest | linear | "
                                  f"bilinear | bicubic | trilinear | area | nearest-exact "
                                  f"(got {mode})")
    if mode in _LINEAR_MODES and _LINEAR_MODES[mode] != dim:
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs "
                                  f"{_LINEAR_MODES[mode] + 2}D input")
    sizes, scales = _output_size(input, size, scale_factor, recompute_scale_factor, dim)
    if any(s <= 0 for s in sizes):
        raise RuntimeError(f"Input and output sizes should be greater than 0, but got input "
                           f"({', '.join(map(str, input.shape[2:]))}) and output "
                           f"({', '.join(map(str, sizes))})")
    if mode == "area":
        pool = (adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d)[dim - 1]
        return pool(input, sizes)
    x = input
    for i in range(dim):
        in_size, out_size = input.shape[2 + i], sizes[i]
        if mode in ("nearest", "nearest-exact"):
            scale = (1.0 / scales[i]) if scales[i] else in_size / out_size
            matrix = _nearest_matrix(in_size, out_size, scale, mode == "nearest-exact")
        else:
            scale = _source_scale(in_size, out_size, align_corners, scales[i])
            build = _cubic_matrix if mode == "bicubic" else _linear_matrix
            matrix = build(in_size, out_size, scale, align_corners)
        x = _apply_along(x, 2 + i, matrix)
    return x


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated alias of interpolate."""
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """Deprecated: interpolate(mode='nearest')."""
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Deprecated: interpolate(mode='bilinear', align_corners=True)."""
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


# ------------------------------------------------------------------ shuffles
def pixel_shuffle(input, upscale_factor):
    """(*, C*r^2, H, W) -> (*, C, H*r, W*r)."""
    r = int(upscale_factor)
    if input.ndim < 3:
        raise RuntimeError(f"pixel_shuffle expects input to have at least 3 dimensions, but got "
                           f"input with {input.ndim} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    *lead, c, h, w = input.shape
    if c % (r * r):
        raise RuntimeError("pixel_shuffle expects its input's 'channel' dimension to be "
                           f"divisible by the square of upscale_factor, but input.size(-3)={c} "
                           f"is not divisible by {r * r}")
    n = len(lead)
    x = input.reshape(*lead, c // (r * r), r, r, h, w)
    perm = list(range(n)) + [n, n + 3, n + 1, n + 4, n + 2]
    return x.permute(*perm).reshape(*lead, c // (r * r), h * r, w * r)


def pixel_unshuffle(input, downscale_factor):
    """(*, C, H*r, W*r) -> (*, C*r^2, H, W)."""
    r = int(downscale_factor)
    if input.ndim < 3:
        raise RuntimeError(f"pixel_unshuffle expects input to have at least 3 dimensions, but "
                           f"got input with {input.ndim} dimension(s)")
    if r <= 0:
        raise RuntimeError(f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    *lead, c, h, w = input.shape
    if h % r or w % r:
        which, size = ("height", h) if h % r else ("width", w)
        raise RuntimeError(f"pixel_unshuffle expects {which} to be divisible by "
                           f"downscale_factor, but input.size({-2 if h % r else -1})={size} is "
                           f"not divisible by {r}")
    n = len(lead)
    x = input.reshape(*lead, c, h // r, r, w // r, r)
    perm = list(range(n)) + [n, n + 2, n + 4, n + 1, n + 3]
    return x.permute(*perm).reshape(*lead, c * r * r, h // r, w // r)


def channel_shuffle(input, groups):
    """Interleave channels: (N, g*k, ...) viewed as (N, g, k, ...) -> (N, k, g, ...)."""
    if input.ndim < 3:
        raise RuntimeError(f"channel_shuffle expects input to have at least 3 dimensions, but "
                           f"got input with sizes {list(input.shape)}")
    if groups <= 0:
        raise RuntimeError(f"Number of groups to divide channels in must be positive. Value of "
                           f"groups:{groups}")
    n, c = input.shape[:2]
    if c % groups:
        raise RuntimeError(f"Number of channels must be divisible by groups. Got {c} channels "
                           f"and {groups} groups.")
    rest = input.shape[2:]
    x = input.reshape(n, groups, c // groups, *rest).transpose(1, 2)
    return x.reshape(n, c, *rest)


native_channel_shuffle = channel_shuffle


# ---------------------------------------------------------------- affine_grid
def _base_coords(size, align_corners, dtype):
    """Normalised pixel-centre coordinates in [-1, 1] along one dim."""
    if size <= 1:
        return np.zeros(size, dtype=dtype)
    c = np.linspace(-1.0, 1.0, size)
    return (c if align_corners else c * (size - 1) / size).astype(dtype)


def affine_grid(theta, size, align_corners=None):
    """Sampling grid (N, H, W, 2) or (N, D, H, W, 3) from affine matrices ``theta``."""
    if align_corners is None:
        align_corners = False
    if not theta.dtype.is_floating_point:
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    size = list(size)
    if len(size) == 4:
        if theta.ndim != 3 or tuple(theta.shape[-2:]) != (2, 3):
            raise ValueError("Expected a batch of 2D affine matrices of shape Nx2x3 for size "
                             f"{size}. Got {list(theta.shape)}.")
        n, _, h, w = size
        dt = theta._data.dtype
        xs, ys = _base_coords(w, align_corners, dt), _base_coords(h, align_corners, dt)
        base = np.stack([np.broadcast_to(xs, (h, w)), np.broadcast_to(ys[:, None], (h, w)),
                         np.ones((h, w), dtype=dt)], axis=-1)
        spatial = (h, w)
    elif len(size) == 5:
        if theta.ndim != 3 or tuple(theta.shape[-2:]) != (3, 4):
            raise ValueError("Expected a batch of 3D affine matrices of shape Nx3x4 for size "
                             f"{size}. Got {list(theta.shape)}.")
        n, _, d, h, w = size
        dt = theta._data.dtype
        xs, ys, zs = (_base_coords(w, align_corners, dt), _base_coords(h, align_corners, dt),
                      _base_coords(d, align_corners, dt))
        shape = (d, h, w)
        base = np.stack([np.broadcast_to(xs, shape), np.broadcast_to(ys[:, None], shape),
                         np.broadcast_to(zs[:, None, None], shape), np.ones(shape, dtype=dt)],
                        axis=-1)
        spatial = shape
    else:
        raise NotImplementedError(f"affine_grid only supports 4D and 5D sizes, for 2D and 3D "
                                  f"affine transforms, respectively. Got size {size}.")
    if min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    if theta.shape[0] != n:
        raise ValueError(f"Expected theta batch size {theta.shape[0]} to match size {n}")
    flat = Tensor._make(np.ascontiguousarray(base.reshape(1, -1, base.shape[-1])))
    grid = flat @ theta.transpose(1, 2)
    return grid.reshape(n, *spatial, len(spatial))


# ---------------------------------------------------------------- grid_sample
def _unnormalize(coord, size, align_corners):
    """[-1, 1] grid coordinates to pixel coordinates."""
    if align_corners:
        return (coord + 1) / 2 * (size - 1)
    return ((coord + 1) * size - 1) / 2


def _reflect(coord, twice_low, twice_high):
    """torch's reflect_coordinates with differentiable ops."""
    if twice_low == twice_high:
        return coord * 0
    low = twice_low / 2
    span = (twice_high - twice_low) / 2
    dist = (coord - low).abs()
    flips = (dist.detach() / span).floor()
    extra = dist - flips * span
    even = (flips.remainder(2) == 0)
    return extra.where(even, span - extra) + low


def _source_coords(coord, size, padding_mode, align_corners):
    x = _unnormalize(coord, size, align_corners)
    if padding_mode == "border":
        x = x.clamp(0, size - 1)
    elif padding_mode == "reflection":
        x = (_reflect(x, 0, 2 * (size - 1)) if align_corners
             else _reflect(x, -1, 2 * size - 1))
        x = x.clamp(0, size - 1)
    return x


def _gather_2d(input, ix, iy):
    """input[n, :, iy, ix] for integer index arrays (N, Ho, Wo); zero where out of bounds."""
    n, c, h, w = input.shape
    inside = (ix >= 0) & (ix < w) & (iy >= 0) & (iy < h)
    flat_index = (np.clip(iy, 0, h - 1) * w + np.clip(ix, 0, w - 1)).reshape(n, 1, -1)
    index = Tensor._make(np.ascontiguousarray(np.broadcast_to(flat_index,
                                                              (n, c, flat_index.shape[2]))))
    values = input.reshape(n, c, h * w).gather(2, index).reshape(n, c, *ix.shape[1:])
    mask = Tensor._make(inside[:, None].astype(input._data.dtype))
    return values * mask


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """Sample 4-D ``input`` at ``grid`` (N, Ho, Wo, 2) locations in [-1, 1].

    minitorch supports 4-D input with modes 'bilinear' and 'nearest'.
    """
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', "
                         f"'nearest' or 'bicubic', but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         f"'border', or 'reflection', but got: '{padding_mode}'")
    if mode == "bicubic":
        raise NotImplementedError("grid_sample: mode='bicubic' is not supported by minitorch")
    if input.ndim == 5:
        raise NotImplementedError("grid_sample: 5-D (volumetric) input is not supported by "
                                  "minitorch")
    if input.ndim != 4 or grid.ndim != 4 or grid.shape[-1] != 2:
        raise RuntimeError(f"grid_sampler(): expected 4D input and grid with same number of "
                           f"dimensions, but got input with sizes {list(input.shape)} and grid "
                           f"with sizes {list(grid.shape)}")
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError(f"grid_sampler(): expected grid and input to have same batch size, "
                           f"but got input with sizes {list(input.shape)} and grid with sizes "
                           f"{list(grid.shape)}")
    if input.dtype != grid.dtype:
        raise RuntimeError(f"grid_sampler(): expected input and grid to have same dtype, but "
                           f"input has {input.dtype} and grid has {grid.dtype}")
    align_corners = bool(align_corners)
    h, w = input.shape[2:]
    x = _source_coords(grid[..., 0], w, padding_mode, align_corners)
    y = _source_coords(grid[..., 1], h, padding_mode, align_corners)
    if mode == "nearest":
        # round half to even, as torch's nearbyint
        ix = np.rint(x._data).astype(np.int64)
        iy = np.rint(y._data).astype(np.int64)
        out = _gather_2d(input, ix, iy)
        # torch gives the grid a zero (not a missing) gradient in nearest mode
        return out + (x + y).unsqueeze(1) * 0 if grid.requires_grad else out
    x0 = np.floor(x._data).astype(np.int64)
    y0 = np.floor(y._data).astype(np.int64)
    wx1 = (x - Tensor._make(x0.astype(x._data.dtype))).unsqueeze(1)
    wy1 = (y - Tensor._make(y0.astype(y._data.dtype))).unsqueeze(1)
    wx0, wy0 = 1 - wx1, 1 - wy1
    return (_gather_2d(input, x0, y0) * (wx0 * wy0) + _gather_2d(input, x0 + 1, y0) * (wx1 * wy0)
            + _gather_2d(input, x0, y0 + 1) * (wx0 * wy1)
            + _gather_2d(input, x0 + 1, y0 + 1) * (wx1 * wy1))
