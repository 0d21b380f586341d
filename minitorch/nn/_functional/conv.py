"""Convolutions: one N-d primitive (1, 2 or 3 spatial dims) and its transposed twin.

How the forward works (im2col): a strided *view* of the padded input holds
every kernel window; one copy turns it into a column matrix (rows: channel and
kernel offset; columns: output pixels) and a matmul with the weight
``(Cout, C * prod(kernel))`` gives the output. Two variants:

- stride 1, no groups (the common case, see ``_Blocks``): the padded input is
  flattened so that each kernel offset is one shift, the columns are built in
  cache-sized blocks a few samples at a time (never the whole batch's matrix),
  and the weight gradient reads the shifted input in place, one small matmul
  per (sample, offset);
- otherwise the classic window view ``(N, C, *out, *kernel)`` and one matmul per group.

The backward uses the transposed products: ``weight^T @ grad`` is the column
matrix of the input gradient, which "col2im" adds back into the input, one
strided slice per kernel offset (a loop over ``prod(kernel)`` offsets, never over
pixels); with stride 1 it is instead a convolution of the gradient with the
flipped kernel. ``grad @ cols^T`` is the weight gradient. Only the input and the
weight are saved for backward: the column matrix is ``prod(kernel)`` times the
input's size, so it is rebuilt in backward rather than kept alive.

Convolution is bilinear in (input, weight), so its two gradients and their
own gradients close over three functions: ``conv`` (forward), ``conv_input_grad``
(= transposed convolution) and ``conv_weight_grad``. Each is a primitive whose
rules call the others, which makes ``create_graph=True`` work too.
"""
import math
import numbers

import numpy as np

from ..._tensor import Tensor
from ...autograd._primitive import defprim

__all__ = ["conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
           "conv_transpose3d", "unfold", "fold"]


# --------------------------------------------------------------- numpy kernels
# Most convolutions have stride 1 and no groups (and so does every input gradient
# computed by the flipped-kernel shortcut), which allows a cheaper im2col:
# flatten the padded spatial dims, and each kernel offset becomes ONE shift along
# that flat axis. The columns for offset k are then the contiguous run
# ``flat[shift_k : shift_k + L]``, so building the column matrix is a series of
# memcpy's instead of a gather. Output pixel o lands at flat position
# sum(o_i * plane_i), i.e. on a grid (out_0, *padded[1:]) whose rows are as long
# as the buffer's rows; where those are longer than the output's, the extra
# columns belong to no output pixel. Such junk columns are cropped away
# (forward) or multiplied by zeros (weight gradient).
#
# The last dim is not padded in the buffer when a block holds whole rows (the
# usual case). Its padding becomes a negative shift instead, and the few reads
# that run off a row's end into its neighbour, where the zero padding would be,
# are zeroed in the column blocks ("bands"). This way x is copied into the buffer
# in long runs (a whole plane at a time, not one short row at a time) and a
# 'same' convolution has no junk columns at all.
#
# The matmuls run on blocks of the column matrix, for two reasons. A block that
# stays in cache is cheap to write and then read back. And OpenBLAS (NumPy's BLAS)
# multiplies small matrices, M*N*K <= 100^3, with a kernel that skips its packing
# copies: with few channels (Cout rows, C*prod(kernel) inner dim) such blocks run
# about 1.5x faster than one large product. So each block holds ``_SMALL_GEMM /
# (Cout * C * prod(kernel))`` output columns when that is a useful width, and one
# batched np.matmul call multiplies all the blocks of several samples at once.
_CHUNK_ELEMENTS = 1 << 17  # column-matrix elements per batch of blocks (512 KiB in float32)
_SMALL_GEMM = 100 ** 3     # OpenBLAS's bound on M*N*K for its small-matrix kernel
_MIN_BLOCK = 128           # narrower blocks cost more in per-call overhead than they save


def _is_plain(stride, groups):
    return groups == 1 and all(s == 1 for s in stride)


def _zero_outside(a, inside):
    """Zero every element of ``a`` (N, C, *spatial) outside the ``inside`` slices:
    a buffer's padding, written slab by slab (far cheaper than zeroing it all)."""
    for dim, part in enumerate(inside, start=2):
        before = [slice(None)] * a.ndim
        after = [slice(None)] * a.ndim
        before[dim], after[dim] = slice(None, part.start), slice(part.stop, None)
        a[tuple(before)] = 0
        a[tuple(after)] = 0


def _padded_row(width, itemsize):
    """Row length to allocate for rows of ``width`` elements that a matmul reads.

    When rows are a multiple of 128 bytes apart, the rows of a block map onto few
    cache sets and evict each other while OpenBLAS reads them: 32 spare bytes per
    row made the column-block products about 20% faster (measured, float32, rows
    of 128 and 256 columns)."""
    return width + 32 // itemsize if (width * itemsize) % 128 == 0 else width


def _split(total, most):
    """Block size (at most ``most``) cutting ``total`` items into as few blocks as
    possible: evenly if a few more blocks allow it (then nothing is left to crop),
    else as evenly as possible."""
    fewest = -(-total // max(most, 1))
    for blocks in range(fewest, 2 * fewest + 1):
        if total % blocks == 0:
            return total // blocks
    return -(-total // fewest)


class _Blocks:
    """The stride-1 column matrix of ``x``, cut into blocks (see the notes above).

    ``view`` is a strided view ``(N, C, *kernel, blocks, width)`` of x's flattened
    buffer: column q of offset k reads flat index q + shift_k, for q on the output
    grid (``length`` positions, then junk up to blocks * width). ``bands`` lists the
    ``(last-dim offset, first, stop)`` columns of each grid row that must read as
    zeros. ``groups()`` yields the column matrix one batch of samples at a time."""

    def __init__(self, x, kernel, padding, dilation, cout, virtual=True):
        n, c, *size = x.shape
        self.out = tuple(s + lo + hi - d * (k - 1)
                         for s, (lo, hi), k, d in zip(size, padding, kernel, dilation))
        self.inner = c * math.prod(kernel)  # rows of the column matrix
        budget = self._budget(cout)
        lo, hi = padding[-1]
        # Virtual padding pays when it lets x be copied in whole planes: the last
        # dim is padded, but the output rows are no longer than the input's.
        self.virtual = (virtual and lo + hi > 0 and self.out[-1] <= size[-1]
                        and size[-1] <= budget)
        if self.virtual:
            buffer_pads = tuple(padding[:-1]) + ((0, 0),)
            margin = lo  # room for the negative shift of the first column
        else:
            buffer_pads, margin = tuple(padding), 0
        padded = [s + a + b for s, (a, b) in zip(size, buffer_pads)]
        self.grid = (self.out[0],) + tuple(padded[1:])
        self.length = math.prod(self.grid)
        if self.virtual:
            row = self.grid[-1]
            self.width = row * _split(self.length // row, budget // row)
            self.bands = self._bands(kernel[-1], dilation[-1], lo, size[-1], self.grid[-1])
        else:
            self.width, self.bands = _split(self.length, budget), []
        self.blocks = -(-self.length // self.width)
        self.samples = max(1, min(n, _CHUNK_ELEMENTS // max(self.inner * self.blocks
                                                            * self.width, 1)))
        plane = [math.prod(padded[i + 1:]) for i in range(len(size))]
        total = math.prod(padded)
        # The junk columns of the last rows (and of the last block) read up to
        # `spill` elements past a channel's buffer: harmless inside the buffer
        # (they read the next channel), so it only needs that many spare zeros at its end.
        last_shift = sum((k - 1) * d * p for k, d, p in zip(kernel, dilation, plane))
        spill = max(last_shift + self.blocks * self.width - total - margin, 0)
        flat = np.empty(margin + n * c * total + spill, dtype=x.dtype)
        flat[:margin] = 0
        flat[margin + n * c * total:] = 0
        xp = flat[margin:margin + n * c * total].reshape(n, c, *padded)
        # zeroing the border and one slice assignment is several times faster than np.pad
        inside = tuple(slice(a, a + s) for s, (a, _) in zip(size, buffer_pads))
        _zero_outside(xp, inside)
        xp[(slice(None), slice(None)) + inside] = x
        item = flat.itemsize
        # (np.ndarray over the buffer is as_strided without its Python overhead)
        self.view = np.ndarray((n, c, *kernel, self.blocks, self.width), flat.dtype, flat, 0,
                               (c * total * item, total * item)
                               + tuple(d * p * item for d, p in zip(dilation, plane))
                               + (self.width * item, item))
        self.view.flags.writeable = False

    def _budget(self, cout):
        """The most output columns one block may hold."""
        small = _SMALL_GEMM // max(cout * self.inner, 1)
        if small >= _MIN_BLOCK:
            return small
        # too many channels for the small kernel: big products are efficient anyway,
        # so a block only has to fit the cache-sized budget
        return max(_CHUNK_ELEMENTS // max(self.inner, 1), 1)

    @staticmethod
    def _bands(k, d, lo, size, row):
        """Columns of a grid row that read outside the input row, per last-dim offset."""
        bands = []
        for j in range(k):
            shift = j * d - lo  # grid column q reads input column q + shift
            if shift < 0:
                bands.append((j, 0, min(-shift, row)))
            if size - shift < row:
                bands.append((j, max(size - shift, 0), row))
        return bands

    def groups(self):
        """Yield ``(batch slice, cols)`` with cols ``(n, blocks, inner, width)``. One
        buffer is reused for every group, so the caller must be done with a group
        before asking for the next."""
        view = self.view
        n, nd = view.shape[0], view.ndim - 4
        # (n, C, *kernel, blocks, width) -> (n, blocks, C, *kernel, width)
        order = (0, nd + 2, 1) + tuple(range(2, nd + 2)) + (nd + 3,)
        buffer = np.empty((self.samples, self.blocks) + view.shape[1:nd + 2]
                          + (_padded_row(self.width, view.itemsize),), dtype=view.dtype)
        buffer = buffer[..., :self.width]
        row = self.grid[-1]
        # the same buffer with each block's columns as (rows, row), to zero the bands
        # of every row at once
        by_row = buffer.reshape(buffer.shape[:-1] + (self.width // row, row)) \
            if self.bands else None
        for start in range(0, n, self.samples):
            cols = buffer[:min(self.samples, n - start)]
            np.copyto(cols, view[start:start + self.samples].transpose(order))
            for j, first, stop in self.bands:
                by_row[:cols.shape[0], ..., j, :, first:stop] = 0
            yield (slice(start, start + self.samples),
                   cols.reshape(cols.shape[:2] + (self.inner, self.width)))

    def on_grid(self, a):
        """View ``a`` (n, ch, >= L) as (n, ch, *out): the valid output pixels."""
        grid = a[:, :, :self.length].reshape(a.shape[:2] + self.grid)
        return grid[(slice(None), slice(None)) + tuple(slice(0, o) for o in self.out)]

    @property
    def exact(self):
        """Whether the grid is the output itself: no junk columns, no ragged block."""
        return self.grid == self.out and self.blocks * self.width == self.length


def _conv_plain_np(x, w, *, padding, dilation):
    """Stride-1, ungrouped cross-correlation, one batch of column blocks at a time."""
    cout = w.shape[0]
    blocks = _Blocks(x, w.shape[2:], padding, dilation, cout)
    wm = w.reshape(cout, blocks.inner)
    n = x.shape[0]
    y = np.empty((n, cout) + blocks.out, dtype=np.result_type(x, w))
    # (n, Cout, blocks * width) is written through a (n, blocks, Cout, width) view,
    # so each block's product lands at its place on the grid; when the grid is the
    # output itself, that place is in y and nothing is left to copy
    if blocks.exact:
        product = y.reshape(n, cout, blocks.length)
    else:
        product = np.empty((blocks.samples, cout, blocks.blocks * blocks.width), dtype=y.dtype)
    for batch, cols in blocks.groups():
        part = product[batch] if blocks.exact else product[:cols.shape[0]]
        np.matmul(wm, cols, out=part.reshape(part.shape[:2] + (blocks.blocks, blocks.width))
                  .transpose(0, 2, 1, 3))
        if not blocks.exact:
            y[batch] = blocks.on_grid(part)
    return y


def _conv_plain_weight_grad_np(x, g, *, kernel, padding, dilation):
    """Weight gradient of the stride-1 ungrouped convolution.

    For each kernel offset, ``gw[:, :, offset] = sum_n g_n @ shifted_n^T`` where
    shifted_n is x's (C, L) shifted run for that offset: a strided view BLAS reads
    in place (row stride = one channel's buffer), so no column matrix is built at
    all (measured faster than multiplying column blocks, whose copy costs more
    than the long inner dimension L saves here). One batched matmul runs every
    (sample, offset) product with the samples outermost, so a sample's input and
    gradient stay in cache for all of its offsets (about 1.5x faster than one
    whole-batch matmul per offset). The views read x truly padded (bands would
    need as many masked copies of g) and g is laid on the output grid first, with
    zeros in the junk columns.
    """
    n, cout = g.shape[:2]
    blocks = _Blocks(x, kernel, padding, dilation, cout, virtual=False)
    length = blocks.length
    if blocks.grid == blocks.out:
        gflat = g.reshape(n, cout, length)
    else:
        gflat = np.empty((n, cout, length), dtype=g.dtype)
        _zero_outside(gflat.reshape((n, cout) + blocks.grid),
                      tuple(slice(0, o) for o in blocks.out))
        blocks.on_grid(gflat)[...] = g
    nd, c = len(kernel), x.shape[1]
    # (N, C, *kernel, blocks, width) -> (N, C, *kernel, L): the blocks are
    # consecutive, one shift apart. Only the L grid columns: BLAS reads each
    # (C, L) run in place only while its rows (one channel's buffer apart) do not overlap
    shifted = blocks.view.reshape(n, c, *kernel, blocks.blocks * blocks.width)[..., :length]
    # one batched matmul for every (sample, offset): (Cout, L) @ (L, C)
    per_sample = np.matmul(gflat.reshape((n,) + (1,) * nd + (cout, length)),
                           shifted.transpose((0,) + tuple(range(2, nd + 2)) + (nd + 2, 1)))
    gw = np.add.reduce(per_sample, axis=0)  # (*kernel, Cout, C)
    return np.ascontiguousarray(gw.transpose((nd, nd + 1) + tuple(range(nd))))


def _zero_pad(x, padding):
    """Zero-pad the spatial dims of ``x`` by ``((lo, hi), ...)`` pairs (no copy if all 0)."""
    if not any(lo or hi for lo, hi in padding):
        return x
    return np.pad(x, ((0, 0), (0, 0)) + tuple(padding))


def _windows(xp, kernel, stride, dilation):
    """Strided view ``(N, C, *out, *kernel)`` of every kernel window of ``xp``."""
    nd = len(kernel)
    N, C, *size = xp.shape
    out = [(s - d * (k - 1) - 1) // st + 1 for s, k, st, d in zip(size, kernel, stride, dilation)]
    strides = xp.strides
    view_strides = (strides[:2] + tuple(strides[2 + i] * stride[i] for i in range(nd))
                    + tuple(strides[2 + i] * dilation[i] for i in range(nd)))
    return np.lib.stride_tricks.as_strided(xp, (N, C, *out, *kernel), view_strides,
                                           writeable=False)


def _out_size(size, kernel, stride, padding, dilation):
    return tuple((s + lo + hi - d * (k - 1) - 1) // st + 1
                 for s, k, st, (lo, hi), d in zip(size, kernel, stride, padding, dilation))


def _columns(x, kernel, stride, padding, dilation, groups):
    """The im2col matrix ``(G, C/G * prod(kernel), N * prod(out))``.

    Rows are (channel, kernel offset) pairs and columns are (sample, output
    pixel) pairs, so the forward is one matmul per group and the weight
    gradient's matmul sums over the batch and the pixels at once.
    """
    nd = len(kernel)
    win = _windows(_zero_pad(x, padding), kernel, stride, dilation)
    N, C = x.shape[:2]
    out = win.shape[2:2 + nd]
    offsets = tuple(range(2 + nd, 2 + 2 * nd))
    pixels = tuple(range(2, 2 + nd))
    # (N, C, *out, *kernel) -> (C, *kernel, N, *out); this copy is the im2col
    cols = np.ascontiguousarray(win.transpose((1,) + offsets + (0,) + pixels))
    return cols.reshape(groups, (C // groups) * int(np.prod(kernel)), N * int(np.prod(out)))


def _conv_np(x, w, b=None, *, stride, padding, dilation, groups):
    """Cross-correlation of ``x`` (N, C, *S) with ``w`` (Cout, C/G, *K); NumPy arrays."""
    kernel = w.shape[2:]
    if _is_plain(stride, groups):
        y = _conv_plain_np(x, w, padding=padding, dilation=dilation)
    else:
        cols = _columns(x, kernel, stride, padding, dilation, groups)
        out = _out_size(x.shape[2:], kernel, stride, padding, dilation)
        n, cout = x.shape[0], w.shape[0]
        y = np.matmul(w.reshape(groups, cout // groups, -1), cols)  # (G, Cout/G, N * P)
        pixels = int(np.prod(out))
        y = np.ascontiguousarray(y.reshape(cout, n, pixels).transpose(1, 0, 2))
        y = y.reshape(n, cout, *out)
    if b is not None:
        y += b.reshape((w.shape[0],) + (1,) * len(kernel))
    return y


def _conv_input_grad_np(g, w, *, input_size, stride, padding, dilation, groups):
    """Gradient of the convolution w.r.t. its input: col2im of ``w^T @ g``."""
    # The stride-1 shortcut builds an im2col of g (Cout rows per offset) instead of
    # scattering one of x's size (Cin rows). Ungrouped, it runs on the cheap shifted
    # im2col and wins even when Cout > Cin (LeNet's 6 -> 16); grouped, only if Cout <= Cin.
    if all(s == 1 for s in stride) and (groups == 1 or w.shape[0] <= w.shape[1] * groups):
        fast = _stride1_input_grad(g, w, input_size, padding, dilation, groups)
        if fast is not None:
            return fast
    kernel = w.shape[2:]
    N, cout = g.shape[:2]
    out = g.shape[2:]
    cin = w.shape[1] * groups
    wm = w.reshape(groups, cout // groups, -1).transpose(0, 2, 1)  # (G, Cin/G * K, Cout/G)
    # (N, Cout, *out) -> (G, Cout/G, N * P): one matmul per group covers the whole batch
    pixels = int(np.prod(out))
    gm = np.ascontiguousarray(g.reshape(N, cout, pixels).transpose(1, 0, 2))
    gcols = np.matmul(wm, gm.reshape(groups, cout // groups, N * pixels))
    gcols = gcols.reshape(cin, *kernel, N, *out)
    # col2im: add each kernel offset's slab into a (Cin, N, *padded) buffer
    padded = [s + lo + hi for s, (lo, hi) in zip(input_size, padding)]
    gx = np.zeros((cin, N, *padded), dtype=gcols.dtype)
    for offset in np.ndindex(*kernel):
        target = (slice(None), slice(None)) + tuple(
            slice(k * d, k * d + st * (o - 1) + 1, st)
            for k, d, st, o in zip(offset, dilation, stride, out))
        gx[target] += gcols[(slice(None),) + offset]
    crop = (slice(None), slice(None)) + tuple(
        slice(lo, lo + s) for s, (lo, _) in zip(input_size, padding))
    return np.ascontiguousarray(gx[crop].swapaxes(0, 1))


def _stride1_input_grad(g, w, input_size, padding, dilation, groups):
    """With stride 1 the input gradient is a plain convolution of the (re-padded) output
    gradient with the flipped, transposed kernel: one im2col + matmul, no scatter."""
    kernel = w.shape[2:]
    nd = len(kernel)
    pads = []
    for s, o, (lo, _), k, d in zip(input_size, g.shape[2:], padding, kernel, dilation):
        pad_lo = d * (k - 1) - lo
        pad_hi = s - o + lo
        if pad_lo < 0 or pad_hi < 0:
            return None  # padding wider than the kernel: use col2im
        pads.append((pad_lo, pad_hi))
    cout, cin_g = w.shape[:2]
    flipped = w.reshape(groups, cout // groups, cin_g, *kernel).swapaxes(1, 2)
    flipped = flipped[(Ellipsis,) + (slice(None, None, -1),) * nd]
    flipped = flipped.reshape(groups * cin_g, cout // groups, *kernel)
    # no need to make g contiguous: the padding copy reads any strides
    return _conv_np(g, flipped, stride=(1,) * nd, padding=tuple(pads),
                    dilation=dilation, groups=groups)


def _conv_weight_grad_np(x, g, *, kernel, stride, padding, dilation, groups):
    """Gradient of the convolution w.r.t. its weight: ``g @ cols^T`` summed over the batch.

    The column matrix is rebuilt from x here rather than kept from the forward: it
    is ``prod(kernel)`` times the input's size, too much memory to hold until backward.
    """
    if _is_plain(stride, groups):
        return _conv_plain_weight_grad_np(x, g, kernel=kernel, padding=padding,
                                          dilation=dilation)
    cols = _columns(x, kernel, stride, padding, dilation, groups)
    N, cout = g.shape[:2]
    # (N, Cout, *out) -> (G, Cout/G, N * prod(out)): one matmul sums over batch and pixels
    gm = np.ascontiguousarray(g.reshape(N, cout, int(np.prod(g.shape[2:]))).transpose(1, 0, 2))
    gm = gm.reshape(groups, cout // groups, cols.shape[2])
    # cols @ gm^T (then transposed) runs about twice as fast in OpenBLAS as gm @ cols^T
    gw = np.matmul(cols, gm.transpose(0, 2, 1)).transpose(0, 2, 1)
    return np.ascontiguousarray(gw).reshape(cout, x.shape[1] // groups, *kernel)


def _bias_grad(F, g):
    dims = (0,) + tuple(range(2, g.ndim))
    return F.sum(g, dims)


def _run(prim, *args, **params):
    """Apply ``prim`` to arrays (plain backward) or Tensors (create_graph)."""
    if isinstance(args[0], np.ndarray):
        return prim.forward(*args, **params)
    return prim(*args, **params)


# Backward rules, one per input, so that only the gradients needed are computed
# (e.g. no input gradient for a network's first layer).
def _conv_grad_input(F, g, out, x, w, *b, **geo):
    return _run(_conv_input_grad, g, w, input_size=tuple(x.shape[2:]), **geo)


def _conv_grad_weight(F, g, out, x, w, *b, **geo):
    return _run(_conv_weight_grad, x, g, kernel=tuple(w.shape[2:]), **geo)


def _grad_bias(F, g, out, *inputs, **params):
    return _bias_grad(F, g)


# conv_input_grad(g, w) = C_x^T(g, w) is bilinear: d/dg = C(gg, w), d/dw = C_w^T(gg, g)
def _input_grad_grad_g(F, gg, out, g, w, *, input_size, **geo):
    return _run(_conv, gg, w, **geo)


def _input_grad_grad_w(F, gg, out, g, w, *, input_size, **geo):
    return _run(_conv_weight_grad, gg, g, kernel=tuple(w.shape[2:]), **geo)


# conv_weight_grad(x, g) = C_w^T(x, g): d/dx = C_x^T(g, gg), d/dg = C(x, gg)
def _weight_grad_grad_x(F, gg, out, x, g, *, kernel, **geo):
    return _run(_conv_input_grad, g, gg, input_size=tuple(x.shape[2:]), **geo)


def _weight_grad_grad_g(F, gg, out, x, g, *, kernel, **geo):
    return _run(_conv, x, gg, **geo)


def _conv_transpose_np(x, w, b=None, *, input_size, stride, padding, dilation, groups):
    y = _conv_input_grad_np(x, w, input_size=input_size, stride=stride, padding=padding,
                            dilation=dilation, groups=groups)
    if b is not None:
        y += b.reshape((-1,) + (1,) * (y.ndim - 2))
    return y


# y = C_x^T(x, w): d/dx = C(g, w), d/dw = C_w^T(g, x)
def _transpose_grad_input(F, g, out, x, w, *b, input_size, **geo):
    return _run(_conv, g, w, **geo)


def _transpose_grad_weight(F, g, out, x, w, *b, input_size, **geo):
    return _run(_conv_weight_grad, g, x, kernel=tuple(w.shape[2:]), **geo)


# Inputs: (x, w) or (x, w, bias); the bias is not read by any rule, so not saved.
_conv = defprim("convolution", "ConvolutionBackward0", _conv_np,
                grads=(_conv_grad_input, _conv_grad_weight, _grad_bias), saves=(0, 1))
_conv_transpose = defprim("convolution_transpose", "ConvolutionBackward0", _conv_transpose_np,
                          grads=(_transpose_grad_input, _transpose_grad_weight, _grad_bias))
_conv_input_grad = defprim("convolution_input_grad", "ConvolutionBackwardBackward0",
                           _conv_input_grad_np, grads=(_input_grad_grad_g, _input_grad_grad_w))
_conv_weight_grad = defprim("convolution_weight_grad", "ConvolutionBackwardBackward0",
                            _conv_weight_grad_np,
                            grads=(_weight_grad_grad_x, _weight_grad_grad_g))


# ------------------------------------------------------------ argument checks
def _tuple(value, n, name):
    """An int or a sequence of ``n`` ints as an ``n``-tuple (torch's _ntuple)."""
    if isinstance(value, (numbers.Integral, np.integer)):
        return (int(value),) * n
    value = tuple(int(v) for v in value)
    if len(value) == 1:
        return value * n
    if len(value) != n:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {n} "
                           "values to match the convolution dimensions, but got "
                           f"{name}={list(value)}")
    return value


def _check_tensors(input, weight, bias, nd, name):
    if not isinstance(input, Tensor) or not isinstance(weight, Tensor):
        raise TypeError(f"{name}(): argument 'input' and 'weight' must be Tensors")
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to "
                           f"{name}, but got input of size: {list(input.shape)}")
    if weight.ndim != nd + 2:
        raise RuntimeError(f"weight should have at least three dimensions and be {nd + 2}-D, "
                           f"got {list(weight.shape)}")
    if input.dtype != weight.dtype or (bias is not None and bias.dtype != input.dtype):
        other = weight if input.dtype != weight.dtype else bias
        kind = "weight" if other is weight else "bias"
        raise RuntimeError(f"Input type ({input.type()}) and {kind} type ({other.type()}) "
                           "should be the same")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f'"conv_nd" not implemented for \'{str(input.dtype)[6:]}\'')


def _batched(input, nd):
    """Add a batch dim to unbatched input; returns (input, squeeze_back)."""
    if input.ndim == nd + 1:
        return input.unsqueeze(0), True
    return input, False


def _resolve_padding(padding, nd, kernel, stride, dilation):
    """``((lo, hi), ...)`` pairs from an int, tuple, 'same' or 'valid'."""
    if isinstance(padding, str):
        if padding == "valid":
            return ((0, 0),) * nd
        if padding != "same":
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        if any(s != 1 for s in stride):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        pairs = []
        for k, d in zip(kernel, dilation):
            total = d * (k - 1)
            # torch puts the odd extra element on the high side
            pairs.append((total // 2, total - total // 2))
        return tuple(pairs)
    return tuple((p, p) for p in _tuple(padding, nd, "padding"))


def _convnd(input, weight, bias, stride, padding, dilation, groups, nd, name):
    _check_tensors(input, weight, bias, nd, name)
    stride = _tuple(stride, nd, "stride")
    dilation = _tuple(dilation, nd, "dilation")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("dilation should be greater than zero")
    if not isinstance(groups, (numbers.Integral, np.integer)) or groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    kernel = tuple(weight.shape[2:])
    pad = _resolve_padding(padding, nd, kernel, stride, dilation)
    if any(lo < 0 for lo, _ in pad):
        raise RuntimeError("negative padding is not supported")
    x, squeeze = _batched(input, nd)
    cin = x.shape[1]
    if weight.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size {list(weight.shape)} instead")
    if cin != weight.shape[1] * groups:
        raise RuntimeError(
            f"Given groups={groups}, weight of size {list(weight.shape)}, expected "
            f"input{list(x.shape)} to have {weight.shape[1] * groups} channels, but got "
            f"{cin} channels instead")
    if bias is not None and tuple(bias.shape) != (weight.shape[0],):
        raise RuntimeError(f"Given weight of size {list(weight.shape)}, expected bias to be "
                           f"1-dimensional with {weight.shape[0]} elements, but got bias of "
                           f"size {list(bias.shape)} instead")
    padded = [s + lo + hi for s, (lo, hi) in zip(x.shape[2:], pad)]
    span = [d * (k - 1) + 1 for k, d in zip(kernel, dilation)]
    if any(p < s for p, s in zip(padded, span)):
        raise RuntimeError(
            f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
            f"Kernel size: ({' x '.join(map(str, span))}). Kernel size can't be greater than "
            "actual input size")
    geo = {"stride": stride, "padding": pad, "dilation": dilation, "groups": int(groups)}
    y = _conv(x, weight, **geo) if bias is None else _conv(x, weight, bias, **geo)
    return y.squeeze(0) if squeeze else y


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-d cross-correlation over (N, C, L) input."""
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 1, "conv1d")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-d cross-correlation over (N, C, H, W) input."""
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 2, "conv2d")


def conv3d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """3-d cross-correlation over (N, C, D, H, W) input."""
    return _convnd(input, weight, bias, stride, padding, dilation, groups, 3, "conv3d")


def _conv_transposend(input, weight, bias, stride, padding, output_padding, groups, dilation,
                      nd, name):
    _check_tensors(input, weight, bias, nd, name)
    if isinstance(padding, str):
        raise RuntimeError(f"{name}: padding must be an int or a tuple, got '{padding}'")
    stride = _tuple(stride, nd, "stride")
    padding = _tuple(padding, nd, "padding")
    dilation = _tuple(dilation, nd, "dilation")
    output_padding = _tuple(output_padding, nd, "output_padding")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(p < 0 for p in padding):
        raise RuntimeError("negative padding is not supported")
    for op, s, d in zip(output_padding, stride, dilation):
        if op >= s and op >= d:
            raise RuntimeError("output padding must be smaller than either stride or dilation, "
                               f"but got output_padding: {list(output_padding)}, stride: "
                               f"{list(stride)}, dilation: {list(dilation)}")
    x, squeeze = _batched(input, nd)
    if x.shape[1] != weight.shape[0]:
        raise RuntimeError(
            f"Given transposed=1, weight of size {list(weight.shape)}, expected input"
            f"{list(x.shape)} to have {weight.shape[0]} channels, but got {x.shape[1]} "
            "channels instead")
    if weight.shape[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} "
                           f"at dimension 0, but got weight of size {list(weight.shape)} instead")
    kernel = weight.shape[2:]
    size = tuple((i - 1) * s - 2 * p + d * (k - 1) + 1 + op for i, s, p, d, k, op in
                 zip(x.shape[2:], stride, padding, dilation, kernel, output_padding))
    if any(s <= 0 for s in size):
        raise RuntimeError(f"Given input size per channel: ({' x '.join(map(str, x.shape[2:]))}). "
                           f"Calculated output size per channel: ({' x '.join(map(str, size))}). "
                           "Output size is too small")
    # The transposed convolution is the input-gradient of a convolution with these
    # parameters; its weight is stored (Cin, Cout/G, *K) which is the conv's (Cout', Cin'/G).
    args = (x, weight) if bias is None else (x, weight, bias)
    y = _conv_transpose(*args, input_size=size, stride=stride,
                        padding=tuple((p, p) for p in padding), dilation=dilation,
                        groups=int(groups))
    return y.squeeze(0) if squeeze else y


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """1-d transposed convolution (the gradient of conv1d w.r.t. its input)."""
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, 1, "conv_transpose1d")


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """2-d transposed convolution (the gradient of conv2d w.r.t. its input)."""
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, 2, "conv_transpose2d")


def conv_transpose3d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1,
                     dilation=1):
    """3-d transposed convolution (the gradient of conv3d w.r.t. its input)."""
    return _conv_transposend(input, weight, bias, stride, padding, output_padding, groups,
                             dilation, 3, "conv_transpose3d")


# ------------------------------------------------------------- unfold / fold
# Both are convolutions with an identity weight: unfold(x) is conv_weight-free
# im2col, fold is its adjoint (col2im). Writing them through the conv
# primitives gives their gradients for free.
def _identity_weight(channels, kernel, dtype):
    k = int(np.prod(kernel))
    eye = np.eye(channels * k, dtype=dtype._np).reshape(channels * k, channels, *kernel)
    return Tensor._make(eye)


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """Extract sliding local blocks: (N, C, H, W) -> (N, C * prod(kernel), L)."""
    if input.ndim not in (3, 4):
        raise NotImplementedError("Input Error: Only 3D or 4D input Tensors are supported "
                                  f"(got {input.ndim}D)")
    kernel = _tuple(kernel_size, 2, "kernel_size")
    x, squeeze = (input.unsqueeze(0), True) if input.ndim == 3 else (input, False)
    weight = _identity_weight(x.shape[1], kernel, x.dtype)
    cols = conv2d(x, weight, None, stride, padding, dilation)
    cols = cols.reshape(cols.shape[0], cols.shape[1], int(np.prod(cols.shape[2:])))
    return cols.squeeze(0) if squeeze else cols


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Combine sliding blocks into a tensor, summing overlaps (the adjoint of unfold)."""
    if input.ndim not in (2, 3):
        raise NotImplementedError("Input Error: Only unbatched (2D) or batched (3D) input "
                                  f"Tensors are supported (got {input.ndim}D)")
    kernel = _tuple(kernel_size, 2, "kernel_size")
    size = _tuple(output_size, 2, "output_size")
    stride, padding, dilation = (_tuple(stride, 2, "stride"), _tuple(padding, 2, "padding"),
                                 _tuple(dilation, 2, "dilation"))
    x, squeeze = (input.unsqueeze(0), True) if input.ndim == 2 else (input, False)
    k = int(np.prod(kernel))
    if x.shape[1] % k:
        raise RuntimeError("Expected size of input's dimension 1 to be divisible by the product "
                           f"of kernel_size, but got input.size(1)={x.shape[1]} and "
                           f"kernel_size={kernel}")
    channels = x.shape[1] // k
    blocks = [(s + 2 * p - d * (kk - 1) - 1) // st + 1
              for s, p, d, kk, st in zip(size, padding, dilation, kernel, stride)]
    if blocks[0] * blocks[1] != x.shape[2]:
        raise RuntimeError(
            f"Given output_size={size}, kernel_size={kernel}, dilation={dilation}, "
            f"padding={padding}, stride={stride}, expected size of input's dimension 2 to "
            f"match the calculated number of sliding blocks {blocks[0]} * {blocks[1]} = "
            f"{blocks[0] * blocks[1]}, but got input.size(2)={x.shape[2]}.")
    weight = _identity_weight(channels, kernel, x.dtype)
    grid = x.reshape(x.shape[0], x.shape[1], *blocks)
    y = _conv_transpose(grid, weight, input_size=size, stride=stride,
                        padding=tuple((p, p) for p in padding), dilation=dilation, groups=1)
    return y.squeeze(0) if squeeze else y
