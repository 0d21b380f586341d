"""Parity of RNN / LSTM / GRU, their cells and nn.utils.rnn with torch."""
import math
import os
import sys
import warnings

import numpy as np
import pytest
import torch

import minitorch

sys.path.insert(0, os.path.dirname(__file__))
from harness import check, check_error  # noqa: E402
from _seq_harness import compare, pair, sgd_losses  # noqa: E402

from minitorch.nn.utils import rnn as m_rnn_utils  # noqa: E402

F64, F32 = np.float64, np.float32


def rand(*shape, seed=0, dtype=F64):
    return np.random.default_rng(seed).uniform(-1.5, 1.5, shape).astype(dtype)


def run(lib, module, *args):
    return module(*args)


MODES = [("RNN", {}), ("RNN", {"nonlinearity": "relu"}), ("LSTM", {}), ("GRU", {})]
CONFIGS = [{}, {"num_layers": 2}, {"bidirectional": True}, {"batch_first": True},
           {"bias": False}, {"num_layers": 2, "bidirectional": True, "batch_first": True}]


# ------------------------------------------------------------------ full layers
@pytest.mark.parametrize("mode,mode_kw", MODES, ids=["rnn_tanh", "rnn_relu", "lstm", "gru"])
@pytest.mark.parametrize("config", CONFIGS, ids=lambda c: "-".join(c) or "default")
def test_layer_float64(mode, mode_kw, config):
    theirs, ours = pair(mode, 4, 5, **mode_kw, **config)
    x = rand(3, 6, 4) if config.get("batch_first") else rand(6, 3, 4)
    compare(run, theirs, ours, x)


@pytest.mark.parametrize("mode,mode_kw", MODES, ids=["rnn_tanh", "rnn_relu", "lstm", "gru"])
def test_layer_float32_with_initial_state(mode, mode_kw):
    theirs, ours = pair(mode, 4, 5, num_layers=2, bidirectional=True, dtype=F32, **mode_kw)
    x = rand(7, 3, 4, dtype=F32)
    h0 = rand(4, 3, 5, seed=1, dtype=F32)
    if mode == "LSTM":
        compare(lambda lib, m, x, h, c: m(x, (h, c)), theirs, ours, x, h0,
                rand(4, 3, 5, seed=2, dtype=F32))
    else:
        compare(lambda lib, m, x, h: m(x, h), theirs, ours, x, h0)


@pytest.mark.parametrize("config", [{}, {"num_layers": 2, "bidirectional": True},
                                    {"batch_first": True}])
def test_lstm_proj_size(config):
    theirs, ours = pair("LSTM", 4, 6, proj_size=3, **config)
    x = rand(5, 2, 4)
    layers = config.get("num_layers", 1) * (2 if config.get("bidirectional") else 1)
    h0, c0 = rand(layers, 2 if not config.get("batch_first") else 5, 3, seed=1), \
        rand(layers, 2 if not config.get("batch_first") else 5, 6, seed=2)
    out_t, out_m = compare(lambda lib, m, x, h, c: m(x, (h, c)), theirs, ours, x, h0, c0)
    assert tuple(out_m[0].shape)[-1] == 3 * (2 if config.get("bidirectional") else 1)


@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
def test_unbatched_input(mode):
    theirs, ours = pair(mode, 4, 5, num_layers=2, bidirectional=True)
    compare(run, theirs, ours, rand(6, 4))
    if mode == "LSTM":
        compare(lambda lib, m, x, h, c: m(x, (h, c)), theirs, ours, rand(6, 4), rand(4, 5),
                rand(4, 5, seed=3))
    else:
        compare(lambda lib, m, x, h: m(x, h), theirs, ours, rand(6, 4), rand(4, 5))


@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
def test_train_mode_dropout(mode):
    # dropout=0 in training is the identity; dropout=1 zeroes every layer's input but the
    # first, so the upper layer sees zeros: both are deterministic and comparable
    for p in (0.0, 1.0):
        theirs, ours = pair(mode, 4, 5, num_layers=3, dropout=p)
        theirs.train()
        ours.train()
        compare(run, theirs, ours, rand(5, 2, 4))
    # eval mode ignores dropout
    theirs, ours = pair(mode, 4, 5, num_layers=2, dropout=0.5)
    theirs.eval()
    ours.eval()
    compare(run, theirs, ours, rand(5, 2, 4))


def test_dropout_train_is_random_and_scaled():
    minitorch.manual_seed(0)
    _, ours = pair("GRU", 3, 50, num_layers=2, dropout=0.5)
    x = minitorch.tensor(rand(4, 2, 3))
    a, b = ours(x)[0], ours(x)[0]
    assert not np.allclose(a.detach().numpy(), b.detach().numpy())
    ours.eval()
    c, d = ours(x)[0], ours(x)[0]
    np.testing.assert_array_equal(c.detach().numpy(), d.detach().numpy())


def test_default_hidden_is_zeros():
    theirs, ours = pair("LSTM", 3, 4)
    x = rand(5, 2, 3)
    compare(lambda lib, m, x, h, c: m(x, (h, c)), theirs, ours, x, np.zeros((1, 2, 4)),
            np.zeros((1, 2, 4)))
    compare(run, theirs, ours, x)


# ------------------------------------------------------------------ packed sequences
def _packed_fn(batch_first, enforce_sorted, lengths, with_state=False, lstm=False):
    def fn(lib, m, x, *state):
        packed = lib.nn.utils.rnn.pack_padded_sequence(x, lengths, batch_first=batch_first,
                                                       enforce_sorted=enforce_sorted)
        if with_state:
            out, hn = m(packed, tuple(state) if lstm else state[0])
        else:
            out, hn = m(packed)
        padded, lens = lib.nn.utils.rnn.pad_packed_sequence(out, batch_first=batch_first)
        return out.data, out.batch_sizes, padded, lens, hn
    return fn


@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
@pytest.mark.parametrize("enforce_sorted", [True, False])
def test_packed_input(mode, enforce_sorted):
    lengths = [6, 4, 4, 1] if enforce_sorted else [4, 6, 1, 4]
    theirs, ours = pair(mode, 3, 5, num_layers=2, bidirectional=True)
    compare(_packed_fn(False, enforce_sorted, lengths), theirs, ours, rand(6, 4, 3))


@pytest.mark.parametrize("mode", ["RNN", "LSTM", "GRU"])
def test_packed_with_initial_state_batch_first(mode):
    lengths = [3, 5, 2]
    theirs, ours = pair(mode, 3, 4, num_layers=2, batch_first=True, bidirectional=True)
    states = [rand(4, 3, 4, seed=1)] + ([rand(4, 3, 4, seed=2)] if mode == "LSTM" else [])
    compare(_packed_fn(True, False, lengths, True, mode == "LSTM"), theirs, ours,
            rand(3, 5, 3), *states)


def test_packed_lstm_proj_size():
    theirs, ours = pair("LSTM", 3, 6, proj_size=2, bidirectional=True)
    compare(_packed_fn(False, False, [2, 5, 3]), theirs, ours, rand(5, 3, 3))


def test_packed_output_fields():
    theirs, ours = pair("GRU", 3, 4)
    fn = _packed_fn(False, False, [2, 4, 3])
    t_out, m_out = compare(fn, theirs, ours, rand(4, 3, 3), grad=False)
    x = minitorch.tensor(rand(4, 3, 3))
    out, _ = ours(minitorch.nn.utils.rnn.pack_padded_sequence(x, [2, 4, 3],
                                                               enforce_sorted=False))
    assert isinstance(out, m_rnn_utils.PackedSequence)
    assert out.sorted_indices.tolist() == [1, 2, 0]
    assert out.unsorted_indices.tolist() == [2, 0, 1]


# ------------------------------------------------------------------ cells
CELLS = [("RNNCell", {}), ("RNNCell", {"nonlinearity": "relu"}), ("LSTMCell", {}),
         ("GRUCell", {})]


@pytest.mark.parametrize("name,kw", CELLS, ids=["rnn_tanh", "rnn_relu", "lstm", "gru"])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("dtype", [F64, F32])
def test_cells(name, kw, bias, dtype):
    theirs, ours = pair(name, 4, 5, bias=bias, dtype=dtype, **kw)
    x = rand(3, 4, dtype=dtype)
    compare(run, theirs, ours, x)
    h = rand(3, 5, seed=1, dtype=dtype)
    if name == "LSTMCell":
        compare(lambda lib, m, x, h, c: m(x, (h, c)), theirs, ours, x, h,
                rand(3, 5, seed=2, dtype=dtype))
        compare(lambda lib, m, x, h, c: m(x, (h, c)), theirs, ours, x[0], h[0], h[1])
    else:
        compare(lambda lib, m, x, h: m(x, h), theirs, ours, x, h)
        compare(lambda lib, m, x, h: m(x, h), theirs, ours, x[0], h[0])
    compare(run, theirs, ours, x[0])


def test_cell_unrolled_loop_matches():
    # an LSTMCell unrolled by hand, as people write it
    theirs, ours = pair("LSTMCell", 3, 4)

    def unroll(lib, m, x):
        h = c = None
        outs = []
        for t in range(x.shape[0]):
            h, c = m(x[t], None if h is None else (h, c))
            outs.append(h)
        return lib.stack(outs)
    compare(unroll, theirs, ours, rand(5, 2, 3))


# ------------------------------------------------------------------ structure
@pytest.mark.parametrize("name,kw", [
    ("RNN", {"nonlinearity": "relu", "num_layers": 2, "dropout": 0.25}),
    ("LSTM", {"proj_size": 2, "bidirectional": True, "batch_first": True}),
    ("GRU", {"bias": False, "num_layers": 3, "bidirectional": True}),
    ("RNNCell", {"nonlinearity": "relu"}), ("LSTMCell", {"bias": False}), ("GRUCell", {}),
])
def test_repr_and_state_dict(name, kw):
    theirs, ours = pair(name, 3, 4, **kw)
    assert repr(ours) == repr(theirs)
    t_sd, m_sd = theirs.state_dict(), ours.state_dict()
    assert list(m_sd) == list(t_sd)
    for k in t_sd:
        assert tuple(m_sd[k].shape) == tuple(t_sd[k].shape), k
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]


def test_all_weights_and_flatten_parameters():
    theirs, ours = pair("LSTM", 3, 4, num_layers=2, bidirectional=True)
    assert [[tuple(w.shape) for w in ws] for ws in ours.all_weights] == \
        [[tuple(w.shape) for w in ws] for ws in theirs.all_weights]
    assert ours._flat_weights_names == theirs._flat_weights_names
    assert ours.flatten_parameters() is None


@pytest.mark.parametrize("name", ["RNN", "LSTM", "GRU", "RNNCell", "LSTMCell", "GRUCell"])
def test_default_init_range(name):
    minitorch.manual_seed(0)
    m = getattr(minitorch.nn, name)(3, 16)
    bound = 1 / math.sqrt(16)
    for p in m.parameters():
        v = p.detach().numpy()
        assert p.dtype == minitorch.float32
        assert v.min() >= -bound and v.max() <= bound
        assert v.std() > bound / 3  # spread over the range, not a constant


# ------------------------------------------------------------------ errors
def test_forward_errors():
    def layer(lib, **kw):
        return lib.nn.LSTM(4, 5, **kw)
    check_error(lambda lib, x: layer(lib)(x), rand(6, 3, 3))          # wrong input size
    check_error(lambda lib, x: layer(lib)(x), rand(2, 6, 3, 4))       # 4-D input
    check_error(lambda lib, x: layer(lib)(x), rand(6, 3, 4, dtype=F64))  # dtype mismatch
    check_error(lambda lib, x, h: layer(lib)(x, (h, h)), rand(6, 3, 4, dtype=F32),
                rand(1, 2, 5, dtype=F32))                             # hidden batch
    check_error(lambda lib, x, h: layer(lib)(x, (h, h)), rand(6, 3, 4, dtype=F32),
                rand(3, 5, dtype=F32))                                # hidden rank
    check_error(lambda lib, x, h: lib.nn.GRU(4, 5)(x, h), rand(6, 3, 4, dtype=F32),
                rand(2, 3, 5, dtype=F32))                             # hidden layers
    check_error(lambda lib, x, h: lib.nn.RNN(4, 5)(x, h), rand(6, 4, dtype=F32),
                rand(1, 1, 5, dtype=F32))                             # unbatched hidden rank
    check_error(lambda lib, x: lib.nn.GRUCell(4, 5)(x), rand(3, 3, dtype=F32))
    check_error(lambda lib, x: lib.nn.LSTMCell(4, 5)(x), rand(2, 3, 4, dtype=F32))
    check_error(lambda lib, x, h: lib.nn.RNNCell(4, 5)(x, h), rand(3, 4, dtype=F32),
                rand(2, 5, dtype=F32))


def test_constructor_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_error(lambda lib: lib.nn.LSTM(4, 5, proj_size=5))
        check_error(lambda lib: lib.nn.LSTM(4, 5, dropout=1.5))
        check_error(lambda lib: lib.nn.GRU(4, 5, proj_size=2))
        check_error(lambda lib: lib.nn.RNN(4, 5, nonlinearity="gelu"))
        check_error(lambda lib: lib.nn.RNN(4, 0))
        check_error(lambda lib: lib.nn.RNN(4, 5, num_layers=0))
        check_error(lambda lib: lib.nn.RNN(4.0, 5))
        check_error(lambda lib: lib.nn.RNN(4, 5, bias=1))


def test_dropout_single_layer_warns():
    with pytest.warns(UserWarning, match="num_layers greater than 1"):
        minitorch.nn.LSTM(3, 4, dropout=0.2)


# ------------------------------------------------------------------ nn.utils.rnn
def test_pad_sequence():
    seqs = [rand(4, 3), rand(2, 3, seed=1), rand(5, 3, seed=2)]
    check(lambda lib, s: lib.nn.utils.rnn.pad_sequence(s), seqs)
    check(lambda lib, s: lib.nn.utils.rnn.pad_sequence(s, batch_first=True, padding_value=-1.5),
          seqs)
    check(lambda lib, s: lib.nn.utils.rnn.pad_sequence(s, True, 2.0, padding_side="left"), seqs)
    check(lambda lib, s: lib.nn.utils.rnn.pad_sequence(s), [rand(3), rand(1, seed=4)])
    check(lambda lib, s: lib.nn.utils.rnn.pad_sequence(s, True),
          [np.arange(3), np.arange(5)], grad=False)


def test_pack_and_pad_roundtrip():
    x = rand(5, 3, 2)
    lengths = [5, 3, 2]
    check(lambda lib, x: tuple(lib.nn.utils.rnn.pack_padded_sequence(x, lengths)[:2]), x)
    check(lambda lib, x: lib.nn.utils.rnn.pad_packed_sequence(
        lib.nn.utils.rnn.pack_padded_sequence(x, lengths), padding_value=-3.0,
        total_length=7), x)
    xb = rand(3, 5, 2)
    check(lambda lib, x: lib.nn.utils.rnn.pad_packed_sequence(
        lib.nn.utils.rnn.pack_padded_sequence(x, [2, 5, 3], batch_first=True,
                                              enforce_sorted=False), batch_first=True), xb)
    check(lambda lib, x, lens: tuple(lib.nn.utils.rnn.pack_padded_sequence(
        x, lens, enforce_sorted=False)), x, np.array([2, 5, 3]))


def test_pack_sequence_and_unpack():
    seqs = [rand(2, 3), rand(4, 3, seed=1), rand(3, 3, seed=2)]
    check(lambda lib, s: tuple(lib.nn.utils.rnn.pack_sequence(s, enforce_sorted=False)), seqs)
    check(lambda lib, s: lib.nn.utils.rnn.unpack_sequence(
        lib.nn.utils.rnn.pack_sequence(s, enforce_sorted=False)), seqs)
    padded = rand(4, 3, 2)
    # time-major input is transposed in place by torch, so pass a non-leaf
    check(lambda lib, p: lib.nn.utils.rnn.unpad_sequence(p * 1, lib.tensor([4, 1, 3])), padded)
    check_error(lambda lib, p: lib.nn.utils.rnn.unpad_sequence(p.requires_grad_(), [4, 1, 3]),
                padded)
    check(lambda lib, p: lib.nn.utils.rnn.unpad_sequence(p, lib.tensor([4, 1, 3]),
                                                        batch_first=True), rand(3, 4, 2))


def test_packed_sequence_object():
    x = minitorch.tensor(rand(3, 2, 1))
    packed = minitorch.nn.utils.rnn.pack_padded_sequence(x, [3, 1])
    data, batch_sizes, sorted_indices, unsorted_indices = packed
    assert batch_sizes.dtype == minitorch.int64 and batch_sizes.tolist() == [2, 1, 1]
    assert sorted_indices is None and unsorted_indices is None
    assert packed.double().data.dtype == minitorch.float64
    assert packed.to(minitorch.float32).data.dtype == minitorch.float32
    t_packed = torch.nn.utils.rnn.pack_padded_sequence(torch.tensor(rand(3, 2, 1)), [3, 1])
    assert repr(packed).split("(")[0] == repr(t_packed).split("(")[0]
    assert type(packed)._fields == type(t_packed)._fields


def test_utils_errors():
    check_error(lambda lib, x: lib.nn.utils.rnn.pack_padded_sequence(x, [2, 3]), rand(3, 2, 1))
    check_error(lambda lib, x: lib.nn.utils.rnn.pack_padded_sequence(x, [3, 0]), rand(3, 2, 1))
    check_error(lambda lib, x: lib.nn.utils.rnn.pad_packed_sequence(
        lib.nn.utils.rnn.pack_padded_sequence(x, [3, 2]), total_length=2), rand(3, 2, 1))
    check_error(lambda lib: lib.nn.utils.rnn.pad_sequence([]))


# ------------------------------------------------------------------ training
def test_lstm_sgd_training_curve():
    rng = np.random.default_rng(0)
    batches = [(rng.standard_normal((6, 4, 3)).astype(F32),
                rng.standard_normal((4, 2)).astype(F32)) for _ in range(20)]

    def make(lib):
        torch.manual_seed(1)
        return lib.nn.ModuleDict({"rnn": lib.nn.LSTM(3, 8, num_layers=2),
                                  "head": lib.nn.Linear(8, 2)})

    theirs, ours = make(torch), make(minitorch)
    ours.load_state_dict({k: minitorch.tensor(v.detach().numpy().copy())
                          for k, v in theirs.state_dict().items()})

    def loss_fn(lib, model, x, y):
        out, (h, c) = model["rnn"](x)
        return ((model["head"](out[-1]) - y) ** 2).mean()

    t_losses = sgd_losses(torch, theirs, batches, loss_fn, lr=0.5)
    m_losses = sgd_losses(minitorch, ours, batches, loss_fn, lr=0.5)
    np.testing.assert_allclose(m_losses, t_losses, rtol=1e-4, atol=1e-5)
    assert t_losses[-5:].mean() < t_losses[:5].mean()  # it did learn something


@pytest.mark.parametrize("name,kw", [("LSTM", {}), ("LSTM", {"proj_size": 2}), ("GRU", {}),
                                     ("RNN", {}), ("RNN", {"nonlinearity": "relu"}),
                                     ("LSTMCell", {}), ("GRUCell", {})])
def test_double_backward(name, kw):
    # create_graph=True runs the same backward rules on Tensors
    theirs, ours = pair(name, 2, 3, **kw)

    def grad_norm(lib, m, x):
        out = m(x)[0]
        (g,) = lib.autograd.grad((out * out).sum(), x, create_graph=True)
        return (g * g).sum()
    compare(grad_norm, theirs, ours, rand(4, 2) if "Cell" in name else rand(4, 2, 2))

