"""Parity of scaled_dot_product_attention, multi_head_attention_forward and
MultiheadAttention with torch: values, gradients, every kind of mask, errors."""
import os
import sys

import numpy as np
import pytest
import torch

import minitorch

sys.path.insert(0, os.path.dirname(__file__))
from harness import assert_values_close, check, check_error  # noqa: E402
from _seq_harness import compare, pair  # noqa: E402

F64, F32 = np.float64, np.float32


def rand(*shape, seed=0, dtype=F64):
    return np.random.default_rng(seed).uniform(-1.5, 1.5, shape).astype(dtype)


def bool_mask(*shape, seed=0, keep_first=True):
    m = np.random.default_rng(seed).random(shape) > 0.5
    if keep_first:
        m[..., 0] = True  # every row can attend somewhere
    return m


def sdpa(lib, q, k, v, **kw):
    return lib.nn.functional.scaled_dot_product_attention(q, k, v, **kw)


# ================================================================= SDPA
@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("shape", [(5, 4), (2, 5, 4), (2, 3, 5, 4)], ids=["2d", "3d", "4d"])
def test_sdpa_plain(dtype, shape):
    q = rand(*shape, dtype=dtype)
    k = rand(*shape[:-2], 6, shape[-1], seed=1, dtype=dtype)
    v = rand(*shape[:-2], 6, 3, seed=2, dtype=dtype)
    check(sdpa, q, k, v)
    check(lambda lib, q, k, v: sdpa(lib, q, k, v, scale=0.37), q, k, v)


def test_sdpa_causal():
    q, k, v = rand(2, 3, 5, 4), rand(2, 3, 5, 4, seed=1), rand(2, 3, 5, 4, seed=2)
    check(lambda lib, q, k, v: sdpa(lib, q, k, v, is_causal=True), q, k, v)
    # L != S: the mask is tril of an (L, S) matrix, aligned top-left
    check(lambda lib, q, k, v: sdpa(lib, q, k, v, is_causal=True), q[..., :3, :], k, v)


def test_sdpa_bool_and_float_masks():
    q, k, v = rand(2, 3, 4, 5), rand(2, 3, 6, 5, seed=1), rand(2, 3, 6, 2, seed=2)
    # bool: True = may attend; broadcast from (L, S) and (N, 1, L, S)
    check(lambda lib, q, k, v, m: sdpa(lib, q, k, v, attn_mask=m), q, k, v, bool_mask(4, 6))
    check(lambda lib, q, k, v, m: sdpa(lib, q, k, v, attn_mask=m), q, k, v,
          bool_mask(2, 1, 4, 6, seed=3))
    # float: added to the scores, and it gets a gradient too
    check(lambda lib, q, k, v, m: sdpa(lib, q, k, v, attn_mask=m), q, k, v, rand(4, 6, seed=4))
    check(lambda lib, q, k, v, m: sdpa(lib, q, k, v, attn_mask=m), q, k, v,
          rand(2, 3, 4, 6, seed=5, dtype=F64))


def test_sdpa_fully_masked_row_gives_zeros():
    q, k, v = rand(3, 4), rand(5, 4, seed=1), rand(5, 2, seed=2)
    m = bool_mask(3, 5)
    m[1] = False
    t, ours = check(lambda lib, q, k, v, m: sdpa(lib, q, k, v, attn_mask=m), q, k, v, m)
    assert np.all(ours.detach().numpy()[1] == 0)
    f = np.where(m, 0.0, -np.inf)
    check(lambda lib, q, k, v, m: sdpa(lib, q, k, v, attn_mask=m), q, k, v, f, grad=False)


def test_sdpa_gqa():
    q, k, v = rand(2, 4, 3, 5), rand(2, 2, 6, 5, seed=1), rand(2, 2, 6, 5, seed=2)
    check(lambda lib, q, k, v: sdpa(lib, q, k, v, enable_gqa=True), q, k, v)


def test_sdpa_dropout():
    minitorch.manual_seed(0)
    q = minitorch.tensor(rand(2, 64, 8))
    v = minitorch.tensor(np.ones((2, 64, 1)))
    out = sdpa(minitorch, q, q, v, dropout_p=0.5)
    # rows of the weights sum to one; dropout keeps each with p=1/2 and doubles it
    values = out.numpy().ravel()
    assert 0.6 < values.mean() < 1.4
    assert values.std() > 0.05
    again = sdpa(minitorch, q, q, v, dropout_p=0.5)
    assert not np.allclose(again.numpy(), out.numpy())
    np.testing.assert_allclose(sdpa(minitorch, q, q, v, dropout_p=0.0).numpy(), 1.0)


def test_sdpa_errors():
    q, k, v = rand(2, 3, 4), rand(2, 5, 4, seed=1), rand(2, 5, 6, seed=2)
    check_error(lambda lib, q, k, v, m: sdpa(lib, q, k, v, attn_mask=m, is_causal=True), q, k,
                v, bool_mask(3, 5))
    check_error(sdpa, q, k[..., :3], v)
    check_error(sdpa, q, k.astype(F32), v)


# ================================================================= MultiheadAttention
def mha(lib, m, q, k, v, **kw):
    return m(q, k, v, **kw)


CONFIGS = [{}, {"bias": False}, {"add_bias_kv": True}, {"add_zero_attn": True},
           {"add_bias_kv": True, "add_zero_attn": True}, {"kdim": 5, "vdim": 3},
           {"batch_first": True}]


def _qkv(config, L=4, S=6, N=3, E=8, dtype=F64):
    q = rand(L, N, E, dtype=dtype)
    k = rand(S, N, config.get("kdim", E), seed=1, dtype=dtype)
    v = rand(S, N, config.get("vdim", E), seed=2, dtype=dtype)
    if config.get("batch_first"):
        q, k, v = (np.ascontiguousarray(a.transpose(1, 0, 2)) for a in (q, k, v))
    return q, k, v


@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: "-".join(c) or "default")
@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_configs(config, need_weights):
    theirs, ours = pair("MultiheadAttention", 8, 2, **config)
    q, k, v = _qkv(config)
    compare(lambda lib, m, q, k, v: mha(lib, m, q, k, v, need_weights=need_weights), theirs,
            ours, q, k, v)


@pytest.mark.parametrize("config", [{}, {"add_bias_kv": True, "add_zero_attn": True},
                                    {"batch_first": True}])
@pytest.mark.parametrize("kind", ["bool", "float"])
@pytest.mark.parametrize("need_weights", [True, False])
def test_mha_masks(config, kind, need_weights):
    theirs, ours = pair("MultiheadAttention", 8, 2, **config)
    q, k, v = _qkv(config)
    if kind == "bool":
        # MultiheadAttention's bool masks: True = masked out
        kpm = ~bool_mask(3, 6, seed=3)
        am2 = ~bool_mask(4, 6, seed=4)
        am3 = ~bool_mask(6, 4, 6, seed=5)
    else:
        kpm = np.where(bool_mask(3, 6, seed=3), 0.0, -np.inf) + rand(3, 6, seed=6) * 0.1
        am2 = rand(4, 6, seed=4)
        am3 = rand(6, 4, 6, seed=5)
    for kw_arrays in ({"key_padding_mask": kpm}, {"attn_mask": am2}, {"attn_mask": am3},
                      {"key_padding_mask": kpm, "attn_mask": am2}):
        names = list(kw_arrays)

        def fn(lib, m, q, k, v, *masks):
            kw = {n: (t.detach() if hasattr(t, "detach") else t) for n, t in zip(names, masks)}
            return mha(lib, m, q, k, v, need_weights=need_weights, **kw)
        compare(fn, theirs, ours, q, k, v, *kw_arrays.values())


def test_mha_weights_per_head_and_average():
    theirs, ours = pair("MultiheadAttention", 8, 4)
    q, k, v = _qkv({})
    t_out, m_out = compare(lambda lib, m, q, k, v: mha(lib, m, q, k, v,
                                                       average_attn_weights=False),
                           theirs, ours, q, k, v)
    assert tuple(m_out[1].shape) == (3, 4, 4, 6)


def test_mha_self_attention_and_cross_attention_share_inputs():
    theirs, ours = pair("MultiheadAttention", 8, 2)
    x, mem = rand(5, 2, 8), rand(7, 2, 8, seed=1)
    compare(lambda lib, m, x: m(x, x, x), theirs, ours, x)
    compare(lambda lib, m, x, mem: m(x, mem, mem), theirs, ours, x, mem)
    theirs, ours = pair("MultiheadAttention", 8, 2, batch_first=True)
    compare(lambda lib, m, x: m(x, x, x, need_weights=False), theirs, ours, x)


def test_mha_causal_hint():
    theirs, ours = pair("MultiheadAttention", 8, 2)
    x = rand(5, 2, 8)
    causal = np.triu(np.full((5, 5), -np.inf), 1)
    for need_weights in (True, False):
        compare(lambda lib, m, x, c: m(x, x, x, attn_mask=c.detach(), is_causal=True,
                                       need_weights=need_weights), theirs, ours, x, causal)
    bool_causal = np.triu(np.ones((5, 5), bool), 1)
    compare(lambda lib, m, x, c: m(x, x, x, attn_mask=c, is_causal=True, need_weights=False,
                                   key_padding_mask=c[:2] & False), theirs, ours, x, bool_causal)


def test_mha_unbatched():
    theirs, ours = pair("MultiheadAttention", 8, 2, batch_first=True)
    q, k, v = rand(4, 8), rand(6, 8, seed=1), rand(6, 8, seed=2)
    compare(lambda lib, m, q, k, v, kpm: mha(lib, m, q, k, v, key_padding_mask=kpm),
            theirs, ours, q, k, v, ~bool_mask(6, seed=3))
    compare(lambda lib, m, q, k, v, am: mha(lib, m, q, k, v, attn_mask=am.detach()),
            theirs, ours, q, k, v, rand(2, 4, 6, seed=4))


def test_mha_float32_train_mode_without_dropout():
    theirs, ours = pair("MultiheadAttention", 16, 4, dtype=F32)
    theirs.train()
    ours.train()
    q, k, v = _qkv({}, E=16, dtype=F32)
    compare(mha, theirs, ours, q, k, v)


def test_mha_dropout_is_applied_in_training_only():
    minitorch.manual_seed(0)
    m = minitorch.nn.MultiheadAttention(8, 2, dropout=0.5)
    x = minitorch.tensor(rand(6, 2, 8, dtype=F32))
    _, w = m(x, x, x, average_attn_weights=False)
    assert (w.detach().numpy() == 0).mean() > 0.2       # weights after dropout
    m.eval()
    _, w = m(x, x, x)
    np.testing.assert_allclose(w.detach().numpy().sum(-1), 1.0, rtol=1e-5)


def test_functional_multi_head_attention_forward_static_kv():
    E, H, N = 8, 2, 3
    q = rand(4, N, E)
    w_in, b_in = rand(3 * E, E, seed=1) * 0.3, rand(3 * E, seed=2)
    w_out, b_out = rand(E, E, seed=3) * 0.3, rand(E, seed=4)
    static_k, static_v = rand(N * H, 5, E // H, seed=5), rand(N * H, 5, E // H, seed=6)

    def fn(lib, q, w_in, b_in, w_out, b_out, sk, sv):
        return lib.nn.functional.multi_head_attention_forward(
            q, q, q, E, H, w_in, b_in, None, None, False, 0.0, w_out, b_out,
            training=False, static_k=sk, static_v=sv)
    check(fn, q, w_in, b_in, w_out, b_out, static_k, static_v)

    def separate(lib, q, wq, wk, wv, b_in, w_out, b_out):
        return lib.nn.functional.multi_head_attention_forward(
            q, q, q, E, H, None, b_in, None, None, False, 0.0, w_out, b_out,
            training=False, use_separate_proj_weight=True, q_proj_weight=wq,
            k_proj_weight=wk, v_proj_weight=wv, need_weights=False)
    check(separate, q, w_in[:E], w_in[E:2 * E], w_in[2 * E:], b_in, w_out, b_out)


def test_mha_repr_state_dict_and_parameters():
    for kw in ({}, {"kdim": 5, "vdim": 3, "add_bias_kv": True}, {"bias": False}):
        theirs, ours = pair("MultiheadAttention", 8, 2, **kw)
        assert repr(ours) == repr(theirs)
        assert list(ours.state_dict()) == list(theirs.state_dict())
        assert [(n, tuple(p.shape)) for n, p in ours.named_parameters()] == \
            [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
        assert type(ours.out_proj).__name__ == "NonDynamicallyQuantizableLinear"
        assert isinstance(ours.out_proj, minitorch.nn.Linear)
        assert ours._qkv_same_embed_dim == theirs._qkv_same_embed_dim
        assert ours.head_dim == theirs.head_dim


def test_mha_default_init():
    minitorch.manual_seed(0)
    m = minitorch.nn.MultiheadAttention(16, 4, add_bias_kv=True)
    assert np.all(m.in_proj_bias.detach().numpy() == 0)
    assert np.all(m.out_proj.bias.detach().numpy() == 0)
    bound = np.sqrt(6 / (16 + 48))  # xavier_uniform on (3E, E)
    w = m.in_proj_weight.detach().numpy()
    assert w.max() <= bound and w.min() >= -bound and w.std() > bound / 3
    assert m.bias_k.detach().numpy().std() > 0


def test_mha_errors():
    check_error(lambda lib: lib.nn.MultiheadAttention(8, 3))
    check_error(lambda lib: lib.nn.MultiheadAttention(0, 2))
    q, k, v = _qkv({}, dtype=F32)
    check_error(lambda lib, q, k, v, am: lib.nn.MultiheadAttention(8, 2)(q, k, v, attn_mask=am),
                q, k, v, rand(5, 6, dtype=F32))
    check_error(lambda lib, q, k, v, am: lib.nn.MultiheadAttention(8, 2)(q, k, v, attn_mask=am),
                q, k, v, rand(2, 4, 6, dtype=F32))
    check_error(lambda lib, q, k, v: lib.nn.MultiheadAttention(8, 2)(q, k, v, is_causal=True),
                q, k, v)
    check_error(lambda lib, q, k, v: lib.nn.MultiheadAttention(8, 2)(q, k[:, :2], v), q, k, v)
    check_error(lambda lib, q, k, v: lib.nn.MultiheadAttention(8, 2)(q, k[0], v[0]), q, k, v)
    check_error(lambda lib, q, k, v, m: lib.nn.MultiheadAttention(8, 2)(
        q, k, v, key_padding_mask=m), q, k, v, np.arange(18).reshape(3, 6))


def test_mha_inference_without_grad_matches_fast_path():
    # torch takes a fused kernel in eval mode without grad; the values must not change
    theirs, ours = pair("MultiheadAttention", 8, 2, batch_first=True)
    theirs.eval()
    ours.eval()
    x, kpm = rand(3, 5, 8), ~bool_mask(3, 5, seed=1)
    for need_weights in (True, False):
        with torch.no_grad(), minitorch.no_grad():
            t = theirs(*[torch.tensor(x)] * 3, key_padding_mask=torch.tensor(kpm),
                       need_weights=need_weights)
            m = ours(*[minitorch.tensor(x)] * 3, key_padding_mask=minitorch.tensor(kpm),
                     need_weights=need_weights)
        assert_values_close(t[0], m[0])
        if need_weights:
            assert_values_close(t[1], m[1])


@pytest.mark.parametrize("masked", [False, True])
def test_sdpa_double_backward(masked):
    # create_graph=True runs the fused attention's backward rule on Tensors
    def grad_norm(lib, q, k, v, m):
        out = sdpa(lib, q, k, v, attn_mask=m if masked else None)
        gq, gk, gv = lib.autograd.grad((out * out).sum(), (q, k, v), create_graph=True)
        return (gq * gq).sum() + (gk * gv).sum()
    check(grad_norm, rand(2, 3, 4), rand(2, 5, 4, seed=1), rand(2, 5, 4, seed=2),
          rand(3, 5, seed=3))
