"""Vision ops: interpolate/upsample, pixel and channel shuffle, grid_sample, affine_grid.

``interpolate`` is separable: for each spatial dim it builds an (out, in)
interpolation matrix with torch's source-index rule and applies it with a
matmul, so the gradient is the transposed matrix for free. ``grid_sample``
gathers the neighbours of each point (4 or 8 corners, or 16 taps for bicubic) with
differentiable ops, which gives gradients for both the input and the grid.
"""
import itertools
import math
import warnings

import numpy as np

from ..._ops.creation import _fma_in, _linspace_array
from ..._tensor import Tensor, _TYPE_TITLES
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
_ALIGN_CORNERS_WARNING = ("Default grid_sample and affine_grid behavior has changed to "
                          "align_corners=False since 1.3.0. Please specify align_corners=True "
                          "if the old behavior is desired. See the documentation of grid_sample "
                          "for details.")


def _default_align_corners(align_corners):
    """align_corners=None means False, with torch's warning that the default changed."""
    if align_corners is None:
        warnings.warn(_ALIGN_CORNERS_WARNING, stacklevel=3)
        return False
    return bool(align_corners)


def _base_coords(size, align_corners, dtype):
    """Normalised pixel-centre coordinates in [-1, 1] along one dim.

    Bit for bit torch's: its linspace, then the rescale in ``dtype``. Points that land
    exactly on pixel centres depend on the last bit (see ``_unnormalize_fused``).
    """
    if size <= 1:
        return np.zeros(size, dtype=dtype._np)
    coords = _linspace_array(-1, 1, size, dtype)
    if not align_corners:
        as_dtype = dtype._np.type
        coords = coords * as_dtype(size - 1) / as_dtype(size)
    return coords


def _base_grid(spatial, align_corners, dtype):
    """Homogeneous pixel coordinates (*spatial, k + 1): x, y(, z) and a column of ones."""
    shape = tuple(spatial)
    # the grid lists x (the last dim) first
    axes = [_base_coords(s, align_corners, dtype) for s in reversed(shape)]
    columns = [np.broadcast_to(a.reshape((-1,) + (1,) * i), shape) for i, a in enumerate(axes)]
    columns.append(np.ones(shape, dtype=dtype._np))
    return np.stack(columns, axis=-1)


def affine_grid(theta, size, align_corners=None):
    """Sampling grid (N, H, W, 2) or (N, D, H, W, 3) from affine matrices ``theta``."""
    align_corners = _default_align_corners(align_corners)
    if not theta.dtype.is_floating_point:
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    if len(size) == 4:
        if theta.ndim != 3 or tuple(theta.shape[-2:]) != (2, 3):
            raise ValueError("Expected a batch of 2D affine matrices of shape Nx2x3 for size "
                             f"{size}. Got {theta.shape}.")
    elif len(size) == 5:
        if theta.ndim != 3 or tuple(theta.shape[-2:]) != (3, 4):
            raise ValueError("Expected a batch of 3D affine matrices of shape Nx3x4 for size "
                             f"{size}. Got {theta.shape}.")
    else:
        raise NotImplementedError(f"affine_grid only supports 4D and 5D sizes, for 2D and 3D "
                                  f"affine transforms, respectively. Got size {size}.")
    n, spatial = size[0], list(size[2:])
    if align_corners and min(spatial) == 1:
        warnings.warn("Since version 1.3.0, affine_grid behavior has changed for unit-size "
                      "grids when align_corners=True. This is not an intended use case of "
                      "affine_grid. See the documentation of affine_grid for details.",
                      stacklevel=2)
    elif min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    columns = len(spatial) + 1
    if theta.shape[0] != n:
        # torch multiplies an (N, points, k + 1) base grid by theta's transpose with bmm
        raise RuntimeError("Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{n}, {columns}] but got: [{theta.shape[0]}, {columns}].")
    base = _base_grid(spatial, align_corners, theta.dtype)
    flat = Tensor._make(np.ascontiguousarray(base.reshape(1, -1, columns)))
    grid = flat @ theta.transpose(1, 2)
    return grid.reshape(n, *spatial, len(spatial))


# ---------------------------------------------------------------- grid_sample
def _check_grid_sampler(input, grid, mode):
    """torch's grid_sampler checks, in its order: shapes first, then dtypes."""
    if input.ndim == 0 or grid.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    sizes = f"input with sizes {list(input.shape)} and grid with sizes {list(grid.shape)}"
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError("grid_sampler(): expected grid and input to have same batch size, "
                           f"but got {sizes}")
    if grid.shape[-1] != input.ndim - 2:
        raise RuntimeError(f"grid_sampler(): expected grid to have size {input.ndim - 2} in "
                           f"last dimension, but got grid with sizes {list(grid.shape)}")
    for i in range(2, input.ndim):
        if input.shape[i] == 0:
            raise RuntimeError("grid_sampler(): expected input to have non-empty spatial "
                               f"dimensions, but input has sizes {list(input.shape)} with "
                               f"dimension {i} being empty")
    if input.ndim == 4 and grid.ndim != 4:
        raise RuntimeError("grid_sampler(): expected 4D input and grid with same number of "
                           f"dimensions, but got {sizes}")
    if input.ndim != 4:
        if input.ndim != 5 or grid.ndim != 5:
            raise RuntimeError("grid_sampler(): expected 5D input and grid with same number of "
                               f"dimensions, but got {sizes}")
        if mode == "bicubic":
            raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")
    if not input.dtype.is_floating_point:
        kernel = "grid_sampler_2d_cpu_kernel_impl" if input.ndim == 4 else "grid_sampler3d_cpu"
        raise NotImplementedError(f'"{kernel}" not implemented for '
                                  f"'{_TYPE_TITLES[input.dtype]}'")
    if grid.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {_TYPE_TITLES[input.dtype]} but found "
                           f"{_TYPE_TITLES[grid.dtype]}")


def _unnormalize(coord, size, align_corners):
    """[-1, 1] grid coordinates to pixel coordinates, as torch's 5-D (scalar) kernel."""
    if align_corners:
        return (coord + 1) / 2 * (size - 1)
    return ((coord + 1) * size - 1) / 2


def _unnormalize_fused(coord, size, align_corners):
    """The same map as torch's vectorised 4-D kernel computes it.

    Without align_corners that kernel rounds (coord + 1) * size/2 - 1/2 once (a fused
    multiply-add). The last bit decides floor() for points on a pixel centre, which an
    identity affine_grid produces, and so which neighbours the grid gradient comes from.
    """
    if align_corners:
        return (coord + 1) * ((size - 1) / 2)
    shifted = coord + 1
    fused = _fma_in(coord.dtype, shifted._data, size / 2, -0.5).astype(coord._data.dtype)
    scaled = shifted * (size / 2)
    # the fused value, carrying the gradient of the scaling
    return Tensor._make(fused) + (scaled - scaled.detach())


def _reflect(coord, twice_low, twice_high):
    """torch's reflect_coordinates, as its 5-D (scalar) kernel computes it, with
    differentiable ops: fold |coord - low| into [0, span) and mirror odd periods."""
    if twice_low == twice_high:
        return coord * 0
    low = twice_low / 2
    span = (twice_high - twice_low) / 2
    dist = (coord - low).abs()
    extra = dist.fmod(span)
    flips = (dist.detach() / span).floor()
    # torch casts flips to int; past the int range that gives INT_MIN, an even number
    even = (flips.remainder(2) == 0) | (flips >= 2 ** 31)
    return extra.where(even, span - extra) + low


def _reflect_vectorised(coord, twice_low, twice_high):
    """The same reflection as torch's vectorised 4-D kernel computes it: fold
    |coord - low| into one period of length 2 * span, then mirror its second half.
    (The two kernels differ only for coordinates too large to hold a fraction.)"""
    if twice_low == twice_high:
        return coord * 0
    low = twice_low / 2
    period = twice_high - twice_low
    dist = (coord - low).abs()
    extra = dist - (dist.detach() / period).trunc() * period
    mirrored = period - extra
    return extra.where(extra <= mirrored, mirrored) + low


def _clip(coord, size):
    """Clamp to [0, size - 1]. torch counts the borders themselves as outside, so the
    gradient is zero on them too (clamp's would be one)."""
    inside = (coord > 0) & (coord < size - 1)
    return coord.where(inside, coord.detach().clamp(0, size - 1))


def _pad_coords(coord, size, padding_mode, align_corners, reflect):
    """torch's compute_coordinates: where padding_mode moves a pixel coordinate."""
    if padding_mode == "border":
        return _clip(coord, size)
    if padding_mode == "reflection":
        if align_corners:
            coord = reflect(coord, 0, 2 * (size - 1))
        else:
            coord = reflect(coord, -1, 2 * size - 1)
        return _clip(coord, size)
    return coord


def _pixel_index(coord):
    """Integer pixel indices; like torch, nan and coordinates beyond the int range become
    -100, which is outside the input."""
    with np.errstate(invalid="ignore"):
        usable = np.abs(coord) < 2.0 ** 31
    return np.where(usable, coord, -100).astype(np.int64)


def _gatherer(input):
    """A function from integer pixel indices [x, y(, z)], each (N, *out), to input's values
    there, (N, C, *out), zero outside the input."""
    n, c, *spatial = input.shape
    flat = input.reshape(n, c, math.prod(spatial))
    sizes = spatial[::-1]  # indices list x (the last dim) first

    def gather(indices):
        inside = np.ones(indices[0].shape, dtype=bool)
        flat_index = np.zeros(indices[0].shape, dtype=np.int64)
        stride = 1
        for index, size in zip(indices, sizes):
            inside &= (index >= 0) & (index < size)
            flat_index += np.clip(index, 0, size - 1) * stride
            stride *= size
        out_shape = indices[0].shape[1:]
        flat_index = flat_index.reshape(n, 1, math.prod(out_shape))
        gather_index = Tensor._make(np.ascontiguousarray(
            np.broadcast_to(flat_index, (n, c, flat_index.shape[2]))))
        values = flat.gather(2, gather_index).reshape(n, c, *out_shape)
        return values * Tensor._make(inside[:, None].astype(input._data.dtype))
    return gather


def _sample_nearest(input, coords, grid):
    # round half to even, as torch's nearbyint
    out = _gatherer(input)([_pixel_index(np.rint(c._data)) for c in coords])
    if not grid.requires_grad:
        return out
    # torch gives the grid a zero (not a missing) gradient: add a zero that depends on it,
    # a sum over an empty slice, which stays zero even for infinite grid values
    return out + grid[..., :0].sum(-1).unsqueeze(1)


def _sample_linear(input, coords):
    """Bilinear (trilinear for 5-D): weighted sum over the corners of each point's cell."""
    gather = _gatherer(input)
    lows = [np.floor(c._data) for c in coords]
    # how far past its low corner each point is: the weight of the high corner
    highs = [(c - Tensor._make(low)).unsqueeze(1) for c, low in zip(coords, lows)]
    lows = [_pixel_index(low) for low in lows]
    out = None
    # product() counts in torch's corner order (x fastest); reversed, it lists x first
    for corner in itertools.product((0, 1), repeat=len(coords)):
        bits = corner[::-1]
        weight = None
        for bit, high in zip(bits, highs):
            factor = high if bit else 1 - high
            weight = factor if weight is None else weight * factor
        term = gather([low + bit for low, bit in zip(lows, bits)]) * weight
        out = term if out is None else out + term
    return out


def _tap_index(coord, size, padding_mode, align_corners):
    """Integer index of one bicubic tap, moved by padding_mode (taps sit on whole pixels,
    so they carry no gradient)."""
    padded = _pad_coords(Tensor._make(coord), size, padding_mode, align_corners,
                         _reflect_vectorised)
    return _pixel_index(padded._data)


def _sample_bicubic(input, coords, padding_mode, align_corners):
    """Bicubic: Keys' cubic convolution (A = -0.75) over the 4x4 pixels around each point.

    As in torch, padding_mode moves each of the 16 taps rather than the point itself.
    """
    gather = _gatherer(input)
    (x, y), (h, w) = coords, input.shape[2:]
    x0, y0 = np.floor(x._data), np.floor(y._data)
    weights_x = _cubic_weights((x - Tensor._make(x0)).unsqueeze(1))
    weights_y = _cubic_weights((y - Tensor._make(y0)).unsqueeze(1))
    cols = [_tap_index(x0 + k - 1, w, padding_mode, align_corners) for k in range(4)]
    rows = [_tap_index(y0 + k - 1, h, padding_mode, align_corners) for k in range(4)]
    out = None
    for row, weight_y in zip(rows, weights_y):
        # along x first, then y, in torch's order
        along_x = None
        for col, weight_x in zip(cols, weights_x):
            term = weight_x * gather([col, row])
            along_x = term if along_x is None else along_x + term
        out = weight_y * along_x if out is None else out + weight_y * along_x
    return out


def grid_sample(input, grid, mode="bilinear", padding_mode="zeros", align_corners=None):
    """Sample ``input`` at ``grid`` locations in [-1, 1].

    4-D input (N, C, H, W) takes a grid (N, Ho, Wo, 2); 5-D input (N, C, D, H, W) a grid
    (N, Do, Ho, Wo, 3). The grid's last dim lists x (width) first.
    """
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise ValueError(f"nn.functional.grid_sample(): expected mode to be 'bilinear', "
                         f"'nearest' or 'bicubic', but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise ValueError("nn.functional.grid_sample(): expected padding_mode to be 'zeros', "
                         f"'border', or 'reflection', but got: '{padding_mode}'")
    align_corners = _default_align_corners(align_corners)
    _check_grid_sampler(input, grid, mode)
    sizes = input.shape[2:][::-1]  # in the grid's x, y(, z) order
    # torch's 4-D kernel is vectorised, its 5-D one scalar: their arithmetic differs in
    # the last bit, which can decide which pixels a point falls between
    if input.ndim == 4:
        unnormalize, reflect = _unnormalize_fused, _reflect_vectorised
    else:
        unnormalize, reflect = _unnormalize, _reflect
    coords = [unnormalize(grid[..., k], size, align_corners) for k, size in enumerate(sizes)]
    if mode == "bicubic":
        return _sample_bicubic(input, coords, padding_mode, align_corners)
    coords = [_pad_coords(c, size, padding_mode, align_corners, reflect)
              for c, size in zip(coords, sizes)]
    if mode == "nearest":
        return _sample_nearest(input, coords, grid)
    return _sample_linear(input, coords)
