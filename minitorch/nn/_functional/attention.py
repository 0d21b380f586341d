"""functional: scaled dot-product attention and multi-head attention.

The core ``softmax(q k^T * scale + bias) @ v`` is one fused primitive with a
closed-form backward, so a whole attention costs one graph node. Its second
output is the softmax itself (MultiheadAttention returns it as the weights).
"""
import functools
import math
import warnings

import numpy as np

from ... import _random
from ..._ops import blas as _blas
from ..._ops import creation as _creation
from ..._ops import pointwise as _pw
from ..._ops import shape as _shape
from ..._tensor import Tensor
from ...autograd._primitive import defprim, numpy_namespace
from .linear import linear

__all__ = ["scaled_dot_product_attention", "multi_head_attention_forward"]


# ====================================================================== fused core
def _softmax_rows(s, safe):
    """Softmax over the last axis, in place on ``s``; with ``safe`` a row of all -inf gives
    zeros (torch's SDPA), without it NaN (torch's plain softmax)."""
    m = _pw._row_max(s)
    if safe:
        m[np.isneginf(m)] = 0
    with np.errstate(invalid="ignore", over="ignore"):
        s -= m
        np.exp(s, out=s)
        denom = _pw._row_sum(s)
        if safe:
            denom[denom == 0] = 1
        s /= denom
    return s


def _attention_forward(q, k, v, bias=None, *, scale, keep, safe):
    s = np.matmul(q, np.swapaxes(k, -1, -2))
    s *= scale
    if bias is not None:
        if bias.dtype == s.dtype and np.broadcast_shapes(bias.shape, s.shape) == s.shape:
            s += bias
        else:
            s = s + bias  # the bias may broadcast to a larger shape or promote the dtype
    p = _softmax_rows(s.astype(q.dtype, copy=False), safe)
    out = np.matmul(p if keep is None else p * keep, v)
    return out, p


def _const(F, array):
    return array if F is numpy_namespace else Tensor._make(array)


def _attention_vjp(F, grads, out, q, k, v, bias=None, *, scale, keep, safe):
    g, gp = grads
    p = out[1]
    if F is numpy_namespace:
        return _attention_vjp_np(g, gp, p, q, k, v, bias, scale, keep)
    dropped = p if keep is None else p * _const(F, keep)
    dv = F.matmul(F.transpose(dropped, -1, -2), g)
    dp = F.matmul(g, F.transpose(v, -1, -2))
    if keep is not None:
        dp = dp * _const(F, keep)
    dp = dp + gp  # gp is zero unless the weights output was used
    ds = p * (dp - F.sum(dp * p, -1, True))
    dq = F.matmul(ds, k) * scale
    dk = F.matmul(F.transpose(ds, -1, -2), q) * scale
    return (dq, dk, dv) if bias is None else (dq, dk, dv, ds)


def _attention_vjp_np(g, gp, p, q, k, v, bias, scale, keep):
    """_attention_vjp on arrays, reusing buffers: the same products, fewer temporaries."""
    dropped = p if keep is None else p * keep
    dv = np.matmul(np.swapaxes(dropped, -1, -2), g)
    dp = np.matmul(g, np.swapaxes(v, -1, -2))
    if keep is not None:
        dp *= keep
    dp += gp  # gp is zero unless the weights output was used
    # ds = p * (dp - sum(dp * p, -1)), built in dp's buffer
    dp -= _pw._row_sum(dp, p)
    dp *= p
    ds = dp
    dq = np.matmul(ds, k)
    dq *= scale
    dk = np.matmul(np.swapaxes(ds, -1, -2), q)
    dk *= scale
    return (dq, dk, dv) if bias is None else (dq, dk, dv, ds)


_attention = defprim("nn_attention", "ScaledDotProductAttentionBackward0",
                     lambda q, k, v, *, scale, keep, safe:
                     _attention_forward(q, k, v, scale=scale, keep=keep, safe=safe),
                     vjp=lambda F, grads, out, q, k, v, *, scale, keep, safe:
                     _attention_vjp(F, grads, out, q, k, v, scale=scale, keep=keep, safe=safe),
                     num_outputs=2, save_output=True)
_attention_bias = defprim("nn_attention_bias", "ScaledDotProductAttentionBackward0",
                          _attention_forward, vjp=_attention_vjp, num_outputs=2,
                          saves=(0, 1, 2), save_output=True)


def _dropout_keep(shape, p, dtype):
    """Dropout multipliers: 0 with probability p, else 1 / (1 - p); None when p == 0."""
    if p <= 0:
        return None
    if p >= 1:
        return np.zeros(shape, dtype=dtype)
    keep = _random._rng(None).random(shape) >= p
    return (keep / (1 - p)).astype(dtype)


def _attend(q, k, v, bias, scale, dropout_p, safe):
    """(softmax(q k^T scale + bias) with dropout) @ v, and the softmax before dropout."""
    shape = np.broadcast_shapes(tuple(q.shape[:-1]) + (k.shape[-2],),
                                tuple(bias.shape) if bias is not None else ())
    keep = _dropout_keep(shape, dropout_p, q._data.dtype)
    params = {"scale": float(scale), "keep": keep, "safe": safe}
    if bias is None:
        return _attention(q, k, v, **params)
    return _attention_bias(q, k, v, bias, **params)


def _bool_to_bias(mask, dtype, allowed):
    """A float bias from a bool mask: -inf where attention is not allowed.

    ``allowed`` says what True means: SDPA's masks mark allowed positions,
    MultiheadAttention's mark masked-out ones.
    """
    blocked = ~mask._data if allowed else mask._data
    return Tensor._make(np.where(blocked, -np.inf, 0).astype(dtype._np))


# ====================================================================== SDPA
@functools.lru_cache(maxsize=32)
def _causal_bias(L, S, np_dtype):
    """The (L, S) causal mask as an additive bias: 0 on and below the diagonal, -inf above.
    Cached (read-only), since a model asks for the same one in every layer and step."""
    causal = np.tril(np.ones((L, S), dtype=bool))
    bias = np.where(causal, 0, -np.inf).astype(np_dtype)
    bias.setflags(write=False)
    return bias


def _dtype_name(dtype):
    return {"float32": "float", "float64": "double", "float16": "c10::Half",
            "bfloat16": "c10::BFloat16"}.get(str(dtype).split(".")[-1], str(dtype))


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False):
    """softmax(q k^T * scale + mask) @ v over the last two dims (dropout on the weights).

    A bool ``attn_mask`` marks allowed positions (True = attend); a float one is added.
    Rows with nothing to attend to give zeros, as torch's kernels do.
    """
    for name, t in (("query", query), ("key", key), ("value", value)):
        if not isinstance(t, Tensor):
            raise TypeError(f"scaled_dot_product_attention(): argument '{name}' must be "
                            f"Tensor, not {type(t).__name__}")
    if not (query.dtype == key.dtype == value.dtype):
        raise RuntimeError("Expected query, key, and value to have the same dtype, but got "
                           f"query.dtype: {_dtype_name(query.dtype)} key.dtype: "
                           f"{_dtype_name(key.dtype)} and value.dtype: "
                           f"{_dtype_name(value.dtype)} instead.")
    if query.shape[-1] != key.shape[-1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"{list(key.shape[:-2]) + [query.shape[-1]]} but got: "
                           f"{list(key.shape[:-2]) + [key.shape[-1]]}.")
    if is_causal and attn_mask is not None:
        raise RuntimeError("_scaled_dot_product_attention: Explicit attn_mask should not be "
                           "set when is_causal=True")
    if enable_gqa and query.ndim >= 3 and key.shape[-3] != query.shape[-3]:
        groups = query.shape[-3] // key.shape[-3]
        key = key.repeat_interleave(groups, -3)
        value = value.repeat_interleave(groups, -3)
    L, S = query.shape[-2], key.shape[-2]
    scale_factor = 1 / math.sqrt(query.shape[-1]) if scale is None else scale
    bias = None
    if is_causal:
        bias = Tensor._make(_causal_bias(L, S, query.dtype._np))
    elif attn_mask is not None:
        if attn_mask.dtype.is_floating_point:
            bias = attn_mask
        else:
            bias = _bool_to_bias(attn_mask, query.dtype, allowed=True)
    out, _ = _attend(query, key, value, bias, scale_factor, dropout_p, safe=True)
    return out


# ====================================================================== multi-head attention
def _linear_rows(x, weight, bias):
    """linear() on a (..., in) input as one 2-D product (faster than a batched one)."""
    if x.ndim == 2:
        return linear(x, weight, bias)
    rows = linear(x.reshape(-1, x.shape[-1]), weight, bias)
    return rows.reshape(tuple(x.shape[:-1]) + (rows.shape[-1],))


def _in_projection_packed(q, k, v, w, b):
    """q, k, v projections from one packed (3E, E) weight; self-attention is one matmul."""
    E = q.shape[-1]
    if k is v and q is k:
        return tuple(_linear_rows(q, w, b).chunk(3, -1))
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    if k is v:
        kv = _linear_rows(k, _shape.cat([w_k, w_v]), None if b is None else
                          _shape.cat([b_k, b_v]))
        return (_linear_rows(q, w_q, b_q),) + tuple(kv.split(E, -1))
    return _linear_rows(q, w_q, b_q), _linear_rows(k, w_k, b_k), _linear_rows(v, w_v, b_v)


def _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads):
    """torch's rank checks; returns whether the input is batched."""
    if query.dim() == 3:
        if key.dim() != 3 or value.dim() != 3:
            raise AssertionError("For batched (3-D) `query`, expected `key` and `value` to be "
                                 f"3-D but found {key.dim()}-D and {value.dim()}-D tensors "
                                 "respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 2:
            raise AssertionError("For batched (3-D) `query`, expected `key_padding_mask` to be "
                                 f"`None` or 2-D but found {key_padding_mask.dim()}-D tensor "
                                 "instead")
        if attn_mask is not None and attn_mask.dim() not in (2, 3):
            raise AssertionError("For batched (3-D) `query`, expected `attn_mask` to be `None`,"
                                 f" 2-D or 3-D but found {attn_mask.dim()}-D tensor instead")
        return True
    if query.dim() == 2:
        if key.dim() != 2 or value.dim() != 2:
            raise AssertionError("For unbatched (2-D) `query`, expected `key` and `value` to be "
                                 f"2-D but found {key.dim()}-D and {value.dim()}-D tensors "
                                 "respectively")
        if key_padding_mask is not None and key_padding_mask.dim() != 1:
            raise AssertionError("For unbatched (2-D) `query`, expected `key_padding_mask` to "
                                 f"be `None` or 1-D but found {key_padding_mask.dim()}-D "
                                 "tensor instead")
        if attn_mask is not None:
            if attn_mask.dim() not in (2, 3):
                raise AssertionError("For unbatched (2-D) `query`, expected `attn_mask` to be "
                                     f"`None`, 2-D or 3-D but found {attn_mask.dim()}-D tensor "
                                     "instead")
            if attn_mask.dim() == 3:
                expected = (num_heads, query.shape[0], key.shape[0])
                if tuple(attn_mask.shape) != expected:
                    raise AssertionError(f"Expected `attn_mask` shape to be {expected} but got "
                                         f"{attn_mask.shape}")
        return False
    raise AssertionError("query should be unbatched 2D or batched 3D tensor but received "
                         f"{query.dim()}-D query tensor")


def _canonical_mask(mask, mask_name, other_type, other_name, target_type, check_other=True):
    """Bool masks become float ones (-inf where True); float masks pass through."""
    if mask is None:
        return None
    if np.dtype(mask.dtype._np).kind != "b" and not mask.dtype.is_floating_point:
        raise AssertionError(f"only bool and floating types of {mask_name} are supported")
    if check_other and other_type is not None and mask.dtype != other_type:
        warnings.warn(f"Support for mismatched {mask_name} and {other_name} is deprecated. "
                      "Use same type for both instead.", stacklevel=3)
    if not mask.dtype.is_floating_point:
        mask = _bool_to_bias(mask, target_type, allowed=False)
    return mask


def _pad_last(mask):
    """Append one zero (= attend) column to a float mask."""
    zeros = _creation.zeros(tuple(mask.shape[:-1]) + (1,), dtype=mask.dtype)
    return _shape.cat([mask, zeros], -1)


def multi_head_attention_forward(query, key, value, embed_dim_to_check, num_heads,
                                 in_proj_weight, in_proj_bias, bias_k, bias_v, add_zero_attn,
                                 dropout_p, out_proj_weight, out_proj_bias, training=True,
                                 key_padding_mask=None, need_weights=True, attn_mask=None,
                                 use_separate_proj_weight=False, q_proj_weight=None,
                                 k_proj_weight=None, v_proj_weight=None, static_k=None,
                                 static_v=None, average_attn_weights=True, is_causal=False):
    """Multi-head attention on (L, N, E) inputs (or unbatched (L, E)); torch's semantics.

    Returns (output, weights): weights are (N, L, S) averaged over heads, (N, H, L, S) if
    ``average_attn_weights=False``, or None when ``need_weights=False``.
    """
    is_batched = _mha_shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not is_batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask",
                                       None if attn_mask is None else attn_mask.dtype,
                                       "attn_mask", query.dtype)
    if is_causal and attn_mask is None:
        raise RuntimeError("Need attn_mask if specifying the is_causal hint. You may use the "
                           "Transformer module method `generate_square_subsequent_mask` to "
                           "create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        # the hint replaces the mask: SDPA builds the causal mask itself
        attn_mask = None
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype,
                                    check_other=False)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise AssertionError(f"was expecting embedding dimension of {embed_dim_to_check}, but "
                             f"got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise AssertionError(f"embed_dim {embed_dim} not divisible by num_heads {num_heads}")
    if use_separate_proj_weight:
        if tuple(key.shape[:2]) != tuple(value.shape[:2]):
            raise AssertionError(f"key's sequence and batch dims {key.shape[:2]} do not match "
                                 f"value's {value.shape[:2]}")
        if q_proj_weight is None or k_proj_weight is None or v_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is True but a q/k/v_proj_weight is "
                                 "None")
        b_q, b_k, b_v = (None, None, None) if in_proj_bias is None else in_proj_bias.chunk(3)
        q = _linear_rows(query, q_proj_weight, b_q)
        k = _linear_rows(key, k_proj_weight, b_k)
        v = _linear_rows(value, v_proj_weight, b_v)
    else:
        if tuple(key.shape) != tuple(value.shape):
            raise AssertionError(f"key shape {key.shape} does not match value shape "
                                 f"{value.shape}")
        if in_proj_weight is None:
            raise AssertionError("use_separate_proj_weight is False but in_proj_weight is None")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)
    src_len = key.shape[0]
    if attn_mask is not None:
        if attn_mask.dim() == 2:
            if tuple(attn_mask.shape) != (tgt_len, src_len):
                raise RuntimeError(f"The shape of the 2D attn_mask is {attn_mask.shape}, but "
                                   f"should be {(tgt_len, src_len)}.")
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.dim() == 3:
            if tuple(attn_mask.shape) != (bsz * num_heads, tgt_len, src_len):
                raise RuntimeError(f"The shape of the 3D attn_mask is {attn_mask.shape}, but "
                                   f"should be {(bsz * num_heads, tgt_len, src_len)}.")
        else:
            raise RuntimeError(f"attn_mask's dimension {attn_mask.dim()} is not supported")
    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise AssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise AssertionError("bias cannot be added to static value.")
        k = _shape.cat([k, bias_k.repeat(1, bsz, 1)])
        v = _shape.cat([v, bias_v.repeat(1, bsz, 1)])
        attn_mask = None if attn_mask is None else _pad_last(attn_mask)
        key_padding_mask = None if key_padding_mask is None else _pad_last(key_padding_mask)
    elif bias_k is not None or bias_v is not None:
        raise AssertionError("bias_k is set but bias_v is None" if bias_k is not None else
                             "bias_v is set but bias_k is None")
    # heads: (L, N, E) -> (N * heads, L, head_dim)
    q = q.reshape(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    k = _heads(k, static_k, bsz, num_heads, head_dim, "static_k")
    v = _heads(v, static_v, bsz, num_heads, head_dim, "static_v")
    if add_zero_attn:
        zeros = _creation.zeros((bsz * num_heads, 1, head_dim), dtype=k.dtype)
        k = _shape.cat([k, zeros], 1)
        v = _shape.cat([v, zeros], 1)
        attn_mask = None if attn_mask is None else _pad_last(attn_mask)
        key_padding_mask = None if key_padding_mask is None else _pad_last(key_padding_mask)
    src_len = k.shape[1]
    if key_padding_mask is not None:
        if tuple(key_padding_mask.shape) != (bsz, src_len):
            raise RuntimeError(f"expected shape of key_padding_mask to be {(bsz, src_len)}, "
                               f"but got {tuple(key_padding_mask.shape)}")
        key_padding_mask = (key_padding_mask.reshape(bsz, 1, 1, src_len)
                            .expand(-1, num_heads, -1, -1).reshape(bsz * num_heads, 1, src_len))
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask
    if not training:
        dropout_p = 0.0
    scale = 1.0 / math.sqrt(head_dim)
    if need_weights:
        if is_causal and attn_mask is None:
            raise AssertionError("FIXME: is_causal not implemented for need_weights")
        if dropout_p > 0:
            out, weights = _attend_dropped(q, k, v, attn_mask, scale, dropout_p)
        else:
            out, weights = _attend(q, k, v, attn_mask, scale, 0.0, safe=False)
        weights = weights.reshape(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(dim=1)
        if not is_batched:
            weights = weights.squeeze(0)
    else:
        bias = attn_mask
        if is_causal and bias is None:
            bias = Tensor._make(_causal_bias(tgt_len, src_len, q.dtype._np))
        out, _ = _attend(q, k, v, bias, scale, dropout_p, safe=True)
        weights = None
    out = out.transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
    out = linear(out, out_proj_weight, out_proj_bias).reshape(tgt_len, bsz, -1)
    if not is_batched:
        out = out.squeeze(1)
    return out, weights


def _attend_dropped(q, k, v, bias, scale, dropout_p):
    """The need_weights path with dropout: torch returns the weights *after* dropout."""
    shape = tuple(q.shape[:-1]) + (k.shape[-2],)
    keep = Tensor._make(_dropout_keep(shape, dropout_p, q._data.dtype))
    _, weights = _attend(q, k, v, bias, scale, 0.0, safe=False)
    weights = weights * keep
    return _blas.bmm(weights, v), weights


def _heads(x, static, bsz, num_heads, head_dim, name):
    """(S, N, E) -> (N * heads, S, head_dim), or the given static (N * heads, S, head_dim)."""
    if static is None:
        return x.reshape(x.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    if static.size(0) != bsz * num_heads:
        raise AssertionError(f"expecting {name}.size(0) of {bsz * num_heads}, but got "
                             f"{static.size(0)}")
    if static.size(2) != head_dim:
        raise AssertionError(f"expecting {name}.size(2) of {head_dim}, but got "
                             f"{static.size(2)}")
    return static
