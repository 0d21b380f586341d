"""F.pad: constant, reflect, replicate and circular padding; negative pads crop.

Constant padding is a primitive whose backward is constant padding by the
negated amounts (i.e. cropping). The other modes build, for each padded dim,
an index array into the input (reflected, clamped or wrapped) and gather
with ``index_select``, whose backward adds the gradient back.
"""
import numbers

import numpy as np

from ..._tensor import Tensor
from ...autograd._primitive import defprim

__all__ = ["pad"]


def _constant_pad_np(x, *, pad, value):
    """``pad`` is ((lo, hi), ...) for the last len(pad) dims; negative amounts crop."""
    lead = x.ndim - len(pad)
    crop = (slice(None),) * lead + tuple(
        slice(max(-lo, 0), x.shape[lead + i] - max(-hi, 0)) for i, (lo, hi) in enumerate(pad))
    x = x[crop]
    widths = ((0, 0),) * lead + tuple((max(lo, 0), max(hi, 0)) for lo, hi in pad)
    if not any(lo or hi for lo, hi in widths):
        return x.copy()
    return np.pad(x, widths, constant_values=value)


def _constant_pad_vjp(F, g, out, x, *, pad, value):
    undo = tuple((-lo, -hi) for lo, hi in pad)
    if isinstance(g, np.ndarray):
        return (_constant_pad_np(g, pad=undo, value=0),)
    return (_constant_pad(g, pad=undo, value=0),)


_constant_pad = defprim("constant_pad_nd", "ConstantPadNdBackward0", _constant_pad_np,
                        vjp=_constant_pad_vjp, saves=())


def _source_index(size, lo, hi, mode):
    """For a dim of ``size`` padded by (lo, hi): which input element each output takes."""
    i = np.arange(-lo, size + hi)
    if mode == "reflect":
        i = np.abs(i)
        return (size - 1) - np.abs((size - 1) - i)
    if mode == "replicate":
        return np.clip(i, 0, size - 1)
    # circular wraps within what is left after negative pads crop
    first = max(-lo, 0)
    kept = size - first - max(-hi, 0)
    return first + (i - first) % kept


_NONCONSTANT_DIMS = {2: (2, 3), 4: (3, 4), 6: (4, 5)}


def _check_nonconstant(input, pad, mode):
    if len(pad) not in _NONCONSTANT_DIMS or input.ndim not in _NONCONSTANT_DIMS[len(pad)]:
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor. "
            "Supported combinations for non-constant padding: 2D or 3D input with padding "
            "size 2, 3D or 4D input with padding size 4, 4D or 5D input with padding size 6")
    nd = len(pad) // 2
    for i in range(nd):
        lo, hi = pad[2 * i], pad[2 * i + 1]
        dim = input.ndim - 1 - i
        size = input.shape[dim]
        if mode == "reflect" and (lo >= size or hi >= size):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding "
                               f"input dimension, but got: padding ({lo}, {hi}) at dimension "
                               f"{dim} of input {list(input.shape)}")
        if mode == "circular" and (lo > size or hi > size):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if mode == "replicate" and size == 0 and (lo > 0 or hi > 0):
            raise RuntimeError(f"Expected input to have non-zero size in dim {dim}")


def pad(input, pad, mode="constant", value=None):
    """Pad the last ``len(pad) // 2`` dims: pad = (last_lo, last_hi, prev_lo, prev_hi, ...)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"pad(): argument 'input' must be Tensor, not {type(input).__name__}")
    pad = tuple(int(p) for p in pad)
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(pad)} and input of dimension "
                           f"{input.ndim}")
    if mode == "constant":
        pairs = tuple((pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2))[::-1]
        for i, (lo, hi) in enumerate(pairs):
            size = input.shape[input.ndim - len(pairs) + i]
            if size + lo + hi < 0:
                raise RuntimeError(
                    f"The input size {size}, plus negative padding {lo} and {hi} resulted in a "
                    f"negative output size, which is invalid. Check dimension "
                    f"{input.ndim - len(pairs) + i} of your input.")
        fill = 0 if value is None else value
        if not isinstance(fill, numbers.Number):
            raise TypeError(f"pad(): argument 'value' must be a number, not {type(fill).__name__}")
        return _constant_pad(input, pad=pairs, value=fill)
    if mode not in ("reflect", "replicate", "circular"):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    _check_nonconstant(input, pad, mode)
    out = input
    for i in range(len(pad) // 2):
        dim = input.ndim - 1 - i
        index = _source_index(input.shape[dim], pad[2 * i], pad[2 * i + 1], mode)
        out = out.index_select(dim, Tensor._make(index.astype(np.int64)))
    return out
