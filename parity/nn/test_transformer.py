"""Parity of the Transformer family with torch: layers, stacks, masks, repr, training."""
import os
import sys
import warnings

import numpy as np
import pytest
import torch

import minitorch

sys.path.insert(0, os.path.dirname(__file__))
from harness import assert_values_close, check_error  # noqa: E402
from _seq_harness import compare, load, pair, sgd_losses, to_lib  # noqa: E402

F64, F32 = np.float64, np.float32


@pytest.fixture(autouse=True)
def _quiet_nested_tensor_warning():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="enable_nested_tensor is True")
        warnings.filterwarnings("ignore", message="Support for mismatched")
        warnings.filterwarnings("ignore", message="The PyTorch API of nested tensors")
        yield


def rand(*shape, seed=0, dtype=F64):
    return np.random.default_rng(seed).uniform(-1.5, 1.5, shape).astype(dtype)


def causal(n):
    return np.triu(np.full((n, n), -np.inf), 1)


def padding(N, S, seed=0):
    """A bool key padding mask (True = padding), every sequence keeping position 0."""
    m = np.zeros((N, S), bool)
    lengths = np.random.default_rng(seed).integers(1, S + 1, N)
    for i, n in enumerate(lengths):
        m[i, n:] = True
    return m


def both_eval(theirs, ours, train=False):
    theirs.train(train)
    ours.train(train)
    return theirs, ours


def run(lib, m, *args):
    return m(*args)


LAYER_CONFIGS = [{}, {"norm_first": True}, {"activation": "gelu"}, {"batch_first": True},
                 {"bias": False}, {"layer_norm_eps": 1e-3, "norm_first": True}]


# ================================================================= layers
@pytest.mark.parametrize("config", LAYER_CONFIGS, ids=lambda c: "-".join(c) or "default")
def test_encoder_layer(config):
    theirs, ours = both_eval(*pair("TransformerEncoderLayer", 8, 2, 16, **config))
    x = rand(5, 3, 8)
    compare(run, theirs, ours, x)
    N, S = (5, 3) if config.get("batch_first") else (3, 5)
    compare(lambda lib, m, x, c, k: m(x, src_mask=c.detach(), src_key_padding_mask=k),
            theirs, ours, x, causal(S), padding(N, S))
    compare(lambda lib, m, x, c: m(x, src_mask=c, is_causal=True), theirs, ours, x,
            np.triu(np.ones((S, S), bool), 1))


@pytest.mark.parametrize("config", LAYER_CONFIGS, ids=lambda c: "-".join(c) or "default")
def test_decoder_layer(config):
    theirs, ours = both_eval(*pair("TransformerDecoderLayer", 8, 2, 16, **config))
    bf = config.get("batch_first")
    tgt = rand(3, 5, 8) if bf else rand(5, 3, 8)
    mem = rand(3, 4, 8, seed=1) if bf else rand(4, 3, 8, seed=1)
    compare(run, theirs, ours, tgt, mem)

    def masked(lib, m, tgt, mem, tm, mm, tk, mk):
        return m(tgt, mem, tgt_mask=tm.detach(), memory_mask=mm.detach(),
                 tgt_key_padding_mask=tk, memory_key_padding_mask=mk, tgt_is_causal=True)
    compare(masked, theirs, ours, tgt, mem, causal(5), rand(5, 4, seed=2),
            padding(3, 5, seed=3), padding(3, 4, seed=4))


def _callable_pair(name, make_activation):
    torch.manual_seed(0)
    theirs = getattr(torch.nn, name)(8, 2, 16, activation=make_activation(torch),
                                     dtype=torch.float64)
    ours = getattr(minitorch.nn, name)(8, 2, 16, activation=make_activation(minitorch),
                                       dtype=minitorch.float64)
    load(theirs, ours)
    return both_eval(theirs, ours)


@pytest.mark.parametrize("make_activation", [lambda lib: lib.nn.GELU(),
                                             lambda lib: lib.nn.functional.silu,
                                             lambda lib: lib.nn.functional.gelu],
                         ids=["GELU-module", "silu-function", "gelu-function"])
def test_callable_activation(make_activation):
    theirs, ours = _callable_pair("TransformerEncoderLayer", make_activation)
    assert ours.activation_relu_or_gelu == theirs.activation_relu_or_gelu
    assert repr(ours) == repr(theirs)
    compare(run, theirs, ours, rand(4, 2, 8))
    theirs, ours = _callable_pair("TransformerDecoderLayer", make_activation)
    compare(run, theirs, ours, rand(4, 2, 8), rand(3, 2, 8, seed=1))


def test_layers_float32_train_mode_no_dropout():
    theirs, ours = both_eval(*pair("TransformerEncoderLayer", 16, 4, 32, dropout=0.0,
                                   dtype=F32), train=True)
    compare(run, theirs, ours, rand(6, 2, 16, dtype=F32))
    theirs, ours = both_eval(*pair("TransformerDecoderLayer", 16, 4, 32, dropout=0.0,
                                   norm_first=True, dtype=F32), train=True)
    compare(run, theirs, ours, rand(6, 2, 16, dtype=F32), rand(5, 2, 16, seed=1, dtype=F32))


def test_unbatched_layers():
    theirs, ours = both_eval(*pair("TransformerEncoderLayer", 8, 2, 16))
    compare(lambda lib, m, x, k: m(x, src_key_padding_mask=k), theirs, ours, rand(5, 8),
            padding(1, 5)[0])
    theirs, ours = both_eval(*pair("TransformerDecoderLayer", 8, 2, 16))
    compare(run, theirs, ours, rand(5, 8), rand(3, 8, seed=1))


def test_dropout_active_in_training():
    minitorch.manual_seed(0)
    layer = minitorch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.5)
    x = minitorch.tensor(rand(5, 3, 8, dtype=F32))
    assert not np.allclose(layer(x).detach().numpy(), layer(x).detach().numpy())
    layer.eval()
    np.testing.assert_array_equal(layer(x).detach().numpy(), layer(x).detach().numpy())


# ================================================================= stacks
def _stack_pair(kind, num_layers=2, norm=True, dtype=F64, **layer_kw):
    torch.manual_seed(0)
    pieces = []
    for lib in (torch, minitorch):
        dt = torch.float64 if lib is torch else minitorch.float64
        if dtype == F32:
            dt = torch.float32 if lib is torch else minitorch.float32
        layer = getattr(lib.nn, f"Transformer{kind}Layer")(8, 2, 16, dtype=dt, **layer_kw)
        final = lib.nn.LayerNorm(8, dtype=dt) if norm else None
        pieces.append(getattr(lib.nn, f"Transformer{kind}")(layer, num_layers, final))
    load(*pieces)
    return both_eval(*pieces)


@pytest.mark.parametrize("layer_kw", [{}, {"norm_first": True, "batch_first": True}])
def test_encoder_stack(layer_kw):
    theirs, ours = _stack_pair("Encoder", **layer_kw)
    x = rand(5, 3, 8)
    compare(run, theirs, ours, x)
    compare(lambda lib, m, x, c: m(x, mask=c.detach()), theirs, ours, x, causal(5 if not
            layer_kw else 3))
    compare(lambda lib, m, x, c: m(x, mask=c.detach(), is_causal=True), theirs, ours, x,
            causal(5 if not layer_kw else 3))
    kpm = padding(*((5, 3) if layer_kw else (3, 5)))
    compare(lambda lib, m, x, k: m(x, src_key_padding_mask=k), theirs, ours, x, kpm)
    compare(lambda lib, m, x, k: m(x, src_key_padding_mask=k), theirs, ours, x,
            np.where(kpm, -np.inf, 0.0))


def test_encoder_nested_tensor_inference_zeroes_padding():
    # torch's eval/no-grad fast path packs into nested tensors and pads the result with 0
    theirs, ours = _stack_pair("Encoder", batch_first=True, norm=False)
    assert ours.use_nested_tensor and theirs.use_nested_tensor
    x, kpm = rand(3, 5, 8), padding(3, 5, seed=2)
    kpm[0] = False
    with torch.no_grad(), minitorch.no_grad():
        t = theirs(torch.tensor(x), src_key_padding_mask=torch.tensor(kpm))
        m = ours(minitorch.tensor(x), src_key_padding_mask=minitorch.tensor(kpm))
    assert_values_close(t, m)
    assert np.all(m.numpy()[kpm] == 0)


def test_encoder_nested_tensor_flag_warning():
    layer = minitorch.nn.TransformerEncoderLayer(8, 2, 16)  # not batch_first
    with pytest.warns(UserWarning, match="enable_nested_tensor is True"):
        enc = minitorch.nn.TransformerEncoder(layer, 1)
    assert enc.use_nested_tensor is False and enc.enable_nested_tensor is True
    enc = minitorch.nn.TransformerEncoder(layer, 1, enable_nested_tensor=False)
    assert enc.use_nested_tensor is False


def test_decoder_stack():
    theirs, ours = _stack_pair("Decoder", num_layers=3)
    tgt, mem = rand(5, 2, 8), rand(4, 2, 8, seed=1)
    compare(run, theirs, ours, tgt, mem)
    compare(lambda lib, m, t, s, c, k: m(t, s, tgt_mask=c.detach(),
                                          memory_key_padding_mask=k),
            theirs, ours, tgt, mem, causal(5), padding(2, 4, seed=5))


# ================================================================= Transformer
def _transformer_pair(**kw):
    args = dict(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=2,
                dim_feedforward=16)
    args.update(kw)
    return both_eval(*pair("Transformer", **args))


@pytest.mark.parametrize("config", [{}, {"batch_first": True, "norm_first": True},
                                    {"activation": "gelu", "bias": False}])
def test_transformer_all_masks(config):
    theirs, ours = _transformer_pair(**config)
    bf = config.get("batch_first")
    src = rand(2, 6, 8) if bf else rand(6, 2, 8)
    tgt = rand(2, 5, 8, seed=1) if bf else rand(5, 2, 8, seed=1)
    compare(run, theirs, ours, src, tgt)

    def masked(lib, m, src, tgt, sm, tm, mm, sk, tk, mk):
        return m(src, tgt, src_mask=sm.detach(), tgt_mask=tm.detach(),
                 memory_mask=mm.detach(), src_key_padding_mask=sk, tgt_key_padding_mask=tk,
                 memory_key_padding_mask=mk)
    compare(masked, theirs, ours, src, tgt, rand(6, 6, seed=2), causal(5), rand(5, 6, seed=3),
            padding(2, 6, seed=4), padding(2, 5, seed=5), padding(2, 6, seed=4))


def test_transformer_unbatched_and_causal_hints():
    theirs, ours = _transformer_pair()
    src, tgt = rand(6, 8), rand(5, 8, seed=1)
    compare(lambda lib, m, s, t, c: m(s, t, tgt_mask=c.detach(), tgt_is_causal=True),
            theirs, ours, src, tgt, causal(5))


def test_generate_square_subsequent_mask():
    for args in ((4,), (1,), (3, None, "float64")):
        t_kw = {"dtype": getattr(torch, args[2])} if len(args) > 2 else {}
        m_kw = {"dtype": getattr(minitorch, args[2])} if len(args) > 2 else {}
        assert_values_close(torch.nn.Transformer.generate_square_subsequent_mask(args[0], **t_kw),
                            minitorch.nn.Transformer.generate_square_subsequent_mask(args[0],
                                                                                     **m_kw))


def test_reprs_and_state_dicts():
    builders = [
        lambda lib: lib.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True),
        lambda lib: lib.nn.TransformerDecoderLayer(8, 2, 16, activation="gelu", bias=False),
        lambda lib: lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(8, 2, 16), 2,
                                              lib.nn.LayerNorm(8), enable_nested_tensor=False),
        lambda lib: lib.nn.TransformerDecoder(lib.nn.TransformerDecoderLayer(8, 2, 16), 2),
        lambda lib: lib.nn.Transformer(8, 2, 1, 2, 16, dropout=0.2),
    ]
    for build in builders:
        theirs, ours = build(torch), build(minitorch)
        assert repr(ours) == repr(theirs)
        t_sd, m_sd = theirs.state_dict(), ours.state_dict()
        assert list(m_sd) == list(t_sd)
        for k in t_sd:
            assert tuple(m_sd[k].shape) == tuple(t_sd[k].shape), k


def test_transformer_default_init_and_layers_are_copies():
    minitorch.manual_seed(0)
    model = minitorch.nn.Transformer(16, 2, 2, 1, 32)
    w0 = model.encoder.layers[0].linear1.weight
    w1 = model.encoder.layers[1].linear1.weight
    assert w0 is not w1 and not np.allclose(w0.detach().numpy(), w1.detach().numpy())
    bound = np.sqrt(6 / (16 + 32))
    assert np.abs(w0.detach().numpy()).max() <= bound
    assert model.d_model == 16 and model.nhead == 2 and model.batch_first is False


def test_transformer_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_error(lambda lib, s, t: lib.nn.Transformer(8, 2, 1, 1, 16)(s, t),
                    rand(5, 2, 8, dtype=F32), rand(5, 3, 8, dtype=F32))
        check_error(lambda lib, s, t: lib.nn.Transformer(8, 2, 1, 1, 16)(s, t),
                    rand(5, 2, 8, dtype=F32), rand(5, 2, 6, dtype=F32))
        check_error(lambda lib: lib.nn.TransformerEncoderLayer(8, 2, 16, activation="tanh"))
        check_error(lambda lib: lib.nn.TransformerEncoderLayer(8, 3, 16))


# ================================================================= training
def test_encoder_sgd_training_curve():
    rng = np.random.default_rng(0)
    batches = [(rng.standard_normal((4, 6, 8)).astype(F32),
                rng.standard_normal((4, 6, 8)).astype(F32)) for _ in range(20)]

    def make(lib):
        layer = lib.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True,
                                               norm_first=True)
        return lib.nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)

    torch.manual_seed(0)
    theirs, ours = make(torch), make(minitorch)
    load(theirs, ours)
    mask = causal(6).astype(F32)

    def loss_fn(lib, model, x, y):
        out = model(x, mask=to_lib(lib, mask, grad=False), is_causal=True)
        return ((out - y) ** 2).mean()

    t_losses = sgd_losses(torch, theirs, batches, loss_fn, lr=0.1)
    m_losses = sgd_losses(minitorch, ours, batches, loss_fn, lr=0.1)
    np.testing.assert_allclose(m_losses, t_losses, rtol=1e-4, atol=1e-5)
    assert t_losses[-5:].mean() < t_losses[:5].mean()


def test_encoder_layer_inference_without_grad():
    theirs, ours = both_eval(*pair("TransformerEncoderLayer", 8, 2, 16, batch_first=True))
    x, kpm = rand(3, 5, 8), padding(3, 5, seed=7)
    with torch.no_grad(), minitorch.no_grad():
        t = theirs(torch.tensor(x), src_key_padding_mask=torch.tensor(kpm))
        m = ours(minitorch.tensor(x), src_key_padding_mask=minitorch.tensor(kpm))
    assert_values_close(t, m)


def test_transformer_custom_encoder_and_decoder():
    def make(lib):
        torch.manual_seed(0)
        dt = torch.float64 if lib is torch else minitorch.float64
        enc = lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(8, 2, 16, dtype=dt), 1,
                                        enable_nested_tensor=False)
        dec = lib.nn.TransformerDecoder(lib.nn.TransformerDecoderLayer(8, 2, 16, dtype=dt), 1)
        return lib.nn.Transformer(8, 2, custom_encoder=enc, custom_decoder=dec, dtype=dt)
    theirs, ours = make(torch), make(minitorch)
    assert repr(ours) == repr(theirs)
    load(theirs, ours)
    both_eval(theirs, ours)
    compare(run, theirs, ours, rand(4, 2, 8), rand(3, 2, 8, seed=1))
