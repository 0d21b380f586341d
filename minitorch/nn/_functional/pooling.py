"""Pooling: max, average, adaptive, power-average and max-unpooling, 1-3 spatial dims.

Max pooling finds the argmax of every window on a strided view (no pixel
loops) and then *gathers* the winners through one primitive whose backward
scatters the gradient back with a single ``np.bincount`` (ties go to the first
index, as torch). Average pooling is a depthwise convolution with a ones
kernel divided by torch's divisor, so it reuses the convolution's gradients.
Adaptive pooling uses torch's window rule ``start = floor(i*L/O)``,
``end = ceil((i+1)*L/O)``.
"""
import math
import numbers

import numpy as np

from ... import _dtype
from ..._tensor import Tensor
from ...autograd._primitive import defprim
from .conv import _conv, _tuple

__all__ = ["max_pool1d", "max_pool2d", "max_pool3d", "max_pool1d_with_indices",
           "max_pool2d_with_indices", "max_pool3d_with_indices", "avg_pool1d", "avg_pool2d",
           "avg_pool3d", "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_avg_pool3d",
           "adaptive_max_pool1d", "adaptive_max_pool2d", "adaptive_max_pool3d",
           "adaptive_max_pool1d_with_indices", "adaptive_max_pool2d_with_indices",
           "adaptive_max_pool3d_with_indices", "lp_pool1d", "lp_pool2d", "lp_pool3d",
           "max_unpool1d", "max_unpool2d", "max_unpool3d", "fractional_max_pool2d",
           "fractional_max_pool3d"]


# ----------------------------------------------------- gather by flat indices
def _gather_forward(x, idx, disjoint=False):
    """Pick ``x``'s entries at flat spatial indices ``idx`` (N, C, *out)."""
    n, c = x.shape[:2]
    flat = x.reshape(n, c, math.prod(x.shape[2:]))
    index = idx.reshape(n, c, math.prod(idx.shape[2:]))
    return np.take_along_axis(flat, index, axis=2).reshape(idx.shape)


def _scatter_np(g, idx, input_shape, disjoint=False):
    """Add ``g`` into zeros of ``input_shape`` at flat spatial indices (the gather's adjoint).

    ``disjoint`` says no index repeats within a plane (pooling windows that do not
    overlap): the values are then placed, not summed, straight into an array of g's
    dtype (the summing version needs float64 and index buffers, about twice the
    input's size at peak)."""
    n, c = input_shape[:2]
    plane = int(np.prod(input_shape[2:]))
    if disjoint:
        gx = np.zeros((n, c, plane), dtype=g.dtype)
        points = math.prod(idx.shape[2:])
        np.put_along_axis(gx, idx.reshape(n, c, points), np.asarray(g).reshape(n, c, points),
                          axis=2)
        return gx.reshape(input_shape)
    offsets = (np.arange(n * c, dtype=np.int64) * plane).reshape(n, c, *([1] * (idx.ndim - 2)))
    summed = np.bincount((idx + offsets).ravel(), weights=np.asarray(g).ravel(),
                         minlength=n * c * plane)
    return summed.astype(g.dtype, copy=False).reshape(input_shape)


def _gather_vjp(F, g, out, x, idx, disjoint=False):
    if isinstance(g, np.ndarray):
        return _scatter_np(g, idx, x.shape, disjoint), None
    # create_graph: the same scatter with differentiable minitorch ops
    n, c = x.shape[:2]
    zeros = F.zeros(n, c, int(np.prod(x.shape[2:])), dtype=g.dtype)
    points = math.prod(idx.shape[2:])
    gx = zeros.scatter_add(2, idx.reshape(n, c, points), g.reshape(n, c, points))
    return gx.reshape(x.shape), None


_GATHERS = {}


def _gather_prim(node_name):
    """One gather primitive per grad_fn name (MaxPool2DWithIndicesBackward0, ...)."""
    if node_name not in _GATHERS:
        _GATHERS[node_name] = defprim("pool_gather_" + node_name, node_name, _gather_forward,
                                      vjp=_gather_vjp, saves=(1,))
    return _GATHERS[node_name]


# ------------------------------------------------------------------ helpers
def _pool_out_size(size, kernel, pad, stride, dilation, ceil_mode):
    """torch's pooling_output_shape, including the ceil_mode last-window rule."""
    span = dilation * (kernel - 1) + 1
    numerator = size + 2 * pad - span + (stride - 1 if ceil_mode else 0)
    out = numerator // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def _check_input(input, nd, name):
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' must be Tensor, not {type(input).__name__}")
    # a zero-size batch is fine; an empty channel or spatial dim is not
    if input.ndim not in (nd + 1, nd + 2) or 0 in tuple(input.shape[-nd - 1:]):
        raise RuntimeError(f"non-empty {nd + 1}D or {nd + 2}D (batch mode) tensor expected "
                           "for input")


def _batched(input, nd):
    if input.ndim == nd + 1:
        return input.unsqueeze(0), True
    return input, False


def _pool_geometry(input, nd, kernel_size, stride, padding, dilation, ceil_mode):
    kernel = _tuple(kernel_size, nd, "kernel_size")
    stride = kernel if stride is None or (not isinstance(stride, int) and len(stride) == 0) \
        else _tuple(stride, nd, "stride")
    padding = _tuple(padding, nd, "padding")
    dilation = _tuple(dilation, nd, "dilation")
    if any(s <= 0 for s in stride):
        raise RuntimeError(f"stride should be greater than zero, but got stride: {list(stride)}")
    if any(k <= 0 for k in kernel):
        raise RuntimeError("kernel size should be greater than zero, but got kernel: "
                           f"{list(kernel)}")
    for k, p, d in zip(kernel, padding, dilation):
        if p > (d * (k - 1) + 1) // 2:
            raise RuntimeError("pad should be at most half of effective kernel size, but got "
                               f"pad={p}, kernel_size={k} and dilation={d}")
    size = input.shape[-nd:]
    out = tuple(_pool_out_size(s, k, p, st, d, ceil_mode)
                for s, k, p, st, d in zip(size, kernel, padding, stride, dilation))
    if any(o <= 0 for o in out):
        shown = lambda dims: "x".join(map(str, dims))  # noqa: E731
        raise RuntimeError(f"Given input size: ({shown(input.shape[-nd - 1:])}). Calculated "
                           f"output size: ({shown((input.shape[-nd - 1],) + out)}). Output "
                           "size is too small")
    return kernel, stride, padding, dilation, out


# --------------------------------------------------------------- max pooling
def _max_pool_indices(x, kernel, stride, padding, dilation, out):
    """Flat spatial index of every window's max: first index on ties, NaN wins (as torch).

    One strided view per kernel offset gives that offset's value in every window;
    a running max over the ``prod(kernel)`` offsets remembers which offset won.
    """
    nd = len(kernel)
    size = x.shape[2:]
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    # pad the high side far enough that every (ceil-mode) window lies inside
    hi = [max((o - 1) * st + d * (k - 1) + 1 - (s + p), 0)
          for o, st, d, k, s, p in zip(out, stride, dilation, kernel, size, padding)]
    widths = tuple(zip(padding, hi))
    xp = np.pad(x, ((0, 0), (0, 0)) + widths, constant_values=fill) if any(
        lo or h for lo, h in widths) else x
    best = which = None
    # the winning offset's number fits a small unsigned type (uint8 up to 256 offsets):
    # an eighth of the memory of an intp array, here and in each step's temporary
    offset_type = np.min_scalar_type(math.prod(kernel) - 1)
    for k, offset in enumerate(np.ndindex(*kernel)):
        view = xp[(slice(None), slice(None)) + tuple(
            slice(i * d, i * d + st * (o - 1) + 1, st)
            for i, d, st, o in zip(offset, dilation, stride, out))]
        if best is None:
            best, which = view.copy(), np.zeros(view.shape, dtype=offset_type)
            continue
        better = view > best
        if x.dtype.kind == "f":
            better |= np.isnan(view)
        # branch-free updates (masked writes are slow on random masks); k only grows,
        # so the maximum keeps the latest winning offset
        np.maximum(best, view, out=best)
        np.maximum(which, better * offset_type.type(k), out=which)
    # flat index = window origin + the winning offset, both in input coordinates
    origin = np.zeros(out, dtype=np.int64)
    shift = np.zeros(kernel, dtype=np.int64)
    for i in range(nd):
        plane = int(np.prod(size[i + 1:]))  # distance between neighbours along dim i
        along = (-1,) + (1,) * (nd - 1 - i)
        origin += ((np.arange(out[i]) * stride[i] - padding[i]) * plane).reshape(along)
        shift += (np.arange(kernel[i]) * dilation[i] * plane).reshape(along)
    return origin + shift.ravel()[which]


def _max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode, return_indices, nd):
    name = f"max_pool{nd}d"
    _check_input(input, nd, name)
    x, squeeze = _batched(input, nd)
    kernel, stride, padding, dilation, out = _pool_geometry(
        x, nd, kernel_size, stride, padding, dilation, ceil_mode)
    idx = Tensor._make(_max_pool_indices(x._data, kernel, stride, padding, dilation, out))
    node = f"MaxPool{max(nd, 2)}DWithIndicesBackward0"
    # windows that cannot overlap pick every input element at most once
    disjoint = all(st >= d * (k - 1) + 1 for st, d, k in zip(stride, dilation, kernel))
    values = _gather_prim(node)(x, idx, disjoint=disjoint)
    if squeeze:
        values, idx = values.squeeze(0), idx.squeeze(0)
    return (values, idx) if return_indices else values


def max_pool1d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    """1-d max pooling returning (values, indices)."""
    return _max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode, True, 1)


def max_pool2d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    """2-d max pooling returning (values, indices)."""
    return _max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode, True, 2)


def max_pool3d_with_indices(input, kernel_size, stride=None, padding=0, dilation=1,
                            ceil_mode=False, return_indices=False):
    """3-d max pooling returning (values, indices)."""
    return _max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode, True, 3)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """1-d max pooling over (N, C, L) or (C, L) input."""
    return _max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode,
                       return_indices, 1)


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """2-d max pooling over (N, C, H, W) or (C, H, W) input."""
    return _max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode,
                       return_indices, 2)


def max_pool3d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """3-d max pooling over (N, C, D, H, W) or (C, D, H, W) input."""
    return _max_poolnd(input, kernel_size, stride, padding, dilation, ceil_mode,
                       return_indices, 3)


# ----------------------------------------------------------- average pooling
def _avg_divisor(size, kernel, stride, padding, out, count_include_pad):
    """torch's per-window divisor: the window clipped to input+padding, or to the input."""
    counts = []
    for s, k, st, p, o in zip(size, kernel, stride, padding, out):
        start = np.arange(o) * st - p
        end = np.minimum(start + k, s + p)
        if count_include_pad:
            counts.append(end - start)
        else:
            counts.append(np.minimum(end, s) - np.maximum(start, 0))
    div = counts[0]
    for c in counts[1:]:
        div = np.multiply.outer(div, c)
    return div


def _avg_poolnd(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                divisor_override, nd):
    _check_input(input, nd, f"avg_pool{nd}d")
    x, squeeze = _batched(input, nd)
    kernel, stride, padding, _, out = _pool_geometry(x, nd, kernel_size, stride, padding, 1,
                                                     ceil_mode)
    if divisor_override is not None and divisor_override == 0:
        raise RuntimeError("divisor must be not zero")
    size = x.shape[2:]
    hi = [max((o - 1) * st + k - (s + p), 0)
          for o, st, k, s, p in zip(out, stride, kernel, size, padding)]
    if not x.dtype.is_floating_point:
        y = _int_avg_pool(x, kernel, stride, padding, hi, out, count_include_pad,
                          divisor_override)
        return y.squeeze(0) if squeeze else y
    channels = x.shape[1]
    ones = Tensor._make(np.ones((channels, 1) + kernel, dtype=x.dtype._np))
    # a depthwise convolution with a ones kernel sums each window
    sums = _conv(x, ones, stride=stride, padding=tuple(zip(padding, hi)),
                 dilation=(1,) * nd, groups=channels)
    if divisor_override is not None:
        y = sums / divisor_override
    else:
        div = _avg_divisor(size, kernel, stride, padding, out, count_include_pad)
        y = sums / Tensor._make(div.astype(x.dtype._np))
    return y.squeeze(0) if squeeze else y


def _int_avg_pool(x, kernel, stride, padding, hi, out, count_include_pad, divisor_override):
    """Integer average pooling: exact window sums, divided with truncation (as torch)."""
    nd = len(kernel)
    data = x._data.astype(np.int64)
    sums = np.zeros(x.shape[:2] + tuple(out), dtype=np.int64)
    padded = np.pad(data, ((0, 0), (0, 0)) + tuple(zip(padding, hi)))
    for offset in np.ndindex(*kernel):
        sums += padded[(slice(None), slice(None)) + tuple(
            slice(k, k + st * (o - 1) + 1, st) for k, st, o in zip(offset, stride, out))]
    if divisor_override is not None:
        div = np.int64(divisor_override)
    else:
        div = _avg_divisor(x.shape[2:], kernel, stride, padding, out, count_include_pad)
    quotient = np.abs(sums) // div * np.sign(sums)  # C++ integer division truncates
    return Tensor._make(quotient.astype(x._data.dtype).reshape(x.shape[:2] + tuple(out)))


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True):
    """1-d average pooling."""
    return _avg_poolnd(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                       None, 1)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """2-d average pooling."""
    return _avg_poolnd(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                       divisor_override, 2)


def avg_pool3d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None):
    """3-d average pooling."""
    return _avg_poolnd(input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                       divisor_override, 3)


# ---------------------------------------------------------- adaptive pooling
def _adaptive_bounds(size, out):
    """torch's adaptive windows: start = floor(i*L/O), end = ceil((i+1)*L/O)."""
    i = np.arange(out)
    return (i * size) // out, -((-(i + 1) * size) // out)


def _adaptive_out(output_size, input, nd, name):
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"{name}(): Expected {nd + 1}D or {nd + 2}D tensor, but got "
                           f"{list(input.shape)}")
    if isinstance(output_size, (numbers.Integral, type(None))):
        output_size = (output_size,) * nd
    output_size = tuple(output_size)
    if len(output_size) != nd:
        raise ValueError(f"{name}: output_size must be {nd} values, got {output_size}")
    # None keeps the input's size in that dim
    return tuple(input.shape[-nd + i] if o is None else int(o) for i, o in enumerate(output_size))


def _adaptive_avg_poolnd(input, output_size, nd):
    name = f"adaptive_avg_pool{nd}d"
    out = _adaptive_out(output_size, input, nd, name)
    x = input
    # one averaging matrix per spatial dim, applied with matmul (so grads come for free)
    for i, o in enumerate(out):
        axis = x.ndim - nd + i
        size = x.shape[axis]
        start, end = _adaptive_bounds(size, o)
        cols = np.arange(size)
        inside = (cols >= start[:, None]) & (cols < end[:, None])
        avg = Tensor._make((inside / (end - start)[:, None]).astype(x.dtype._np))
        x = (x.movedim(axis, -1) @ avg.t()).movedim(-1, axis)
    return x


def adaptive_avg_pool1d(input, output_size):
    """1-d adaptive average pooling to ``output_size``."""
    return _adaptive_avg_poolnd(input, output_size, 1)


def adaptive_avg_pool2d(input, output_size):
    """2-d adaptive average pooling to ``output_size`` (None keeps a dim)."""
    return _adaptive_avg_poolnd(input, output_size, 2)


def adaptive_avg_pool3d(input, output_size):
    """3-d adaptive average pooling to ``output_size`` (None keeps a dim)."""
    return _adaptive_avg_poolnd(input, output_size, 3)


def _adaptive_max_indices(x, out):
    """Flat index of the max of each adaptive window (windows padded to equal length)."""
    nd = len(out)
    size = x.shape[2:]
    gathered = x
    index_parts = []
    for i, (s, o) in enumerate(zip(size, out)):
        start, end = _adaptive_bounds(s, o)
        longest = int((end - start).max())
        pos = start[:, None] + np.arange(longest)
        valid = pos < end[:, None]
        index_parts.append((np.minimum(pos, s - 1), valid))
    # gather the windows: (N, C, o1, k1, o2, k2, ...)
    ix = []
    for i, (pos, _) in enumerate(index_parts):
        shape = [1] * (2 * nd)
        shape[2 * i], shape[2 * i + 1] = pos.shape
        ix.append(pos.reshape(shape))
    gathered = x[(slice(None), slice(None)) + tuple(ix)]
    valid = np.ones([1] * (2 * nd), dtype=bool)
    for i, (_, v) in enumerate(index_parts):
        shape = [1] * (2 * nd)
        shape[2 * i], shape[2 * i + 1] = v.shape
        valid = valid & v.reshape(shape)
    fill = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    gathered = np.where(valid, gathered, fill)
    # move window axes last and find the first max
    perm = (0, 1) + tuple(2 + 2 * i for i in range(nd)) + tuple(3 + 2 * i for i in range(nd))
    windows = gathered.transpose(perm)
    lens = windows.shape[2 + nd:]
    which = windows.reshape(x.shape[:2] + tuple(out) + (-1,)).argmax(axis=-1)
    offsets = np.unravel_index(which, lens)
    flat = np.zeros(which.shape, dtype=np.int64)
    for i in range(nd):
        start, _ = _adaptive_bounds(size[i], out[i])
        start = start.reshape((-1,) + (1,) * (nd - 1 - i))
        flat = flat * size[i] + start + offsets[i]
    return flat


def _adaptive_max_poolnd(input, output_size, return_indices, nd):
    name = f"adaptive_max_pool{nd}d"
    out = _adaptive_out(output_size, input, nd, name)
    x, squeeze = _batched(input, nd)
    idx = Tensor._make(_adaptive_max_indices(x._data, out))
    values = _gather_prim(f"AdaptiveMaxPool{max(nd, 2)}DBackward0")(x, idx)
    if squeeze:
        values, idx = values.squeeze(0), idx.squeeze(0)
    return (values, idx) if return_indices else values


def adaptive_max_pool1d_with_indices(input, output_size, return_indices=False):
    return _adaptive_max_poolnd(input, output_size, True, 1)


def adaptive_max_pool2d_with_indices(input, output_size, return_indices=False):
    return _adaptive_max_poolnd(input, output_size, True, 2)


def adaptive_max_pool3d_with_indices(input, output_size, return_indices=False):
    return _adaptive_max_poolnd(input, output_size, True, 3)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """1-d adaptive max pooling."""
    return _adaptive_max_poolnd(input, output_size, return_indices, 1)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """2-d adaptive max pooling."""
    return _adaptive_max_poolnd(input, output_size, return_indices, 2)


def adaptive_max_pool3d(input, output_size, return_indices=False):
    """3-d adaptive max pooling."""
    return _adaptive_max_poolnd(input, output_size, return_indices, 3)


# ------------------------------------------------------------- power average
def _lp_poolnd(input, norm_type, kernel_size, stride, ceil_mode, nd):
    kernel = _tuple(kernel_size, nd, "kernel_size")
    avg = _avg_poolnd(input.pow(norm_type), kernel, stride, 0, ceil_mode, True, None, nd)
    # as torch: sign(avg) * relu(|avg|) * prod(kernel), then the 1/p power
    scaled = avg.sign() * avg.abs().relu() * math.prod(kernel)
    return scaled.pow(1.0 / norm_type)


def lp_pool1d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """1-d power-average pooling: (sum x^p)^(1/p) over each window."""
    return _lp_poolnd(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """2-d power-average pooling."""
    return _lp_poolnd(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool3d(input, norm_type, kernel_size, stride=None, ceil_mode=False):
    """3-d power-average pooling."""
    return _lp_poolnd(input, norm_type, kernel_size, stride, ceil_mode, 3)


# ------------------------------------------------------------- max unpooling
def _max_unpoolnd(input, indices, kernel_size, stride, padding, output_size, nd):
    kernel = _tuple(kernel_size, nd, "kernel_size")
    stride = kernel if stride is None else _tuple(stride, nd, "stride")
    padding = _tuple(padding, nd, "padding")
    if indices.dtype != _dtype.int64:
        raise RuntimeError(f"elements in indices should be type int64 but got: {indices.dtype}")
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError("Expected shape of indices to be same as that of the input tensor "
                           f"({list(input.shape)}) but got indices tensor with shape: "
                           f"{list(indices.shape)}")
    default = tuple((input.shape[-nd + i] - 1) * stride[i] - 2 * padding[i] + kernel[i]
                    for i in range(nd))
    if output_size is None:
        size = default
    else:
        size = tuple(output_size)[-nd:]
        for i, s in enumerate(size):
            lo = default[i] - stride[i]
            hi = default[i] + stride[i]
            if not lo < s < hi:
                raise ValueError(f"invalid output_size {tuple(output_size)} (dim {i} must be "
                                 f"between {lo} and {hi})")
    x, squeeze = _batched(input, nd)
    idx = indices.unsqueeze(0) if squeeze else indices
    plane = math.prod(size)
    if idx.numel() and (int(idx._data.min()) < 0 or int(idx._data.max()) >= plane):
        raise RuntimeError(f"Found an invalid max index: {int(idx._data.max())} (output volumes "
                           f"are of size {'x'.join(map(str, size))}")
    n, c = x.shape[:2]
    zeros = Tensor._make(np.zeros((n, c, plane), dtype=x.dtype._np))
    points = math.prod(idx.shape[2:])
    y = zeros.scatter(2, idx.reshape(n, c, points), x.reshape(n, c, points)).reshape(n, c, *size)
    return y.squeeze(0) if squeeze else y


def max_unpool1d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Partial inverse of max_pool1d: put values back at their indices, zeros elsewhere."""
    return _max_unpoolnd(input, indices, kernel_size, stride, padding, output_size, 1)


def max_unpool2d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Partial inverse of max_pool2d."""
    return _max_unpoolnd(input, indices, kernel_size, stride, padding, output_size, 2)


def max_unpool3d(input, indices, kernel_size, stride=None, padding=0, output_size=None):
    """Partial inverse of max_pool3d."""
    return _max_unpoolnd(input, indices, kernel_size, stride, padding, output_size, 3)


def fractional_max_pool2d(*args, **kwargs):
    """Not supported by minitorch."""
    raise NotImplementedError("fractional_max_pool2d is not supported by minitorch")


def fractional_max_pool3d(*args, **kwargs):
    """Not supported by minitorch."""
    raise NotImplementedError("fractional_max_pool3d is not supported by minitorch")
