"""nn.modules.rnn: RNN, LSTM, GRU and their single-step cells.

How a layer runs: the input projection ``x W_ih^T + b`` of *all* timesteps is one
matmul. Then:

* a padded LSTM layer without projection (the common training case) is ONE primitive
  whose forward and backward (backpropagation through time) loop in NumPy;
* everything else (GRU, RNN, proj_size, packed input, the cells) runs one fused
  primitive per timestep (``h W_hh^T`` plus the gate nonlinearities, closed-form
  backward), so a step costs one graph node instead of a dozen.

Padded and packed inputs share the per-step loop: a padded batch is a packed one whose
batch size never shrinks. Packed sequences are sorted by decreasing length, so at step
t only the first ``batch_sizes[t]`` rows are active.

Every backward rule is written with ``F.<name>`` and operators, so it also runs on
Tensors under create_graph=True (double backward).
"""
import math
import numbers
import warnings

import numpy as np

from ... import _ops
from ..._tensor import Tensor
from ...autograd._primitive import defprim, numpy_namespace
from .. import functional as F
from .. import init
from ..parameter import Parameter
from ..utils.rnn import PackedSequence
from .module import Module

__all__ = ["RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell"]


# =================================================================== fused step primitives
# Each takes the precomputed input projection ``xw`` (B, G) of one timestep and the
# previous state, and computes the recurrent matmul and the gates in one go. The
# activated gates are an extra (internal) output that the backward reads; its own
# gradient is zero except when differentiating a gradient, and the rules add it.

def _sigmoid_np(x):
    """sigmoid(x) = (tanh(x / 2) + 1) / 2, in place on a fresh array: several times faster
    than scipy's expit on small arrays and free of overflow warnings."""
    out = np.multiply(x, 0.5)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def _lstm_step_forward(xw, h, c, w_hh):
    """Returns (h', c', activated gates); the gates are an extra output so that the
    backward reads them instead of recomputing them."""
    H = c.shape[-1]
    pre = xw + h @ w_hh.T
    acts = _sigmoid_np(pre)
    acts[:, 2 * H:3 * H] = np.tanh(pre[:, 2 * H:3 * H])
    c_new = acts[:, H:2 * H] * c
    c_new += acts[:, :H] * acts[:, 2 * H:3 * H]
    return acts[:, 3 * H:] * np.tanh(c_new), c_new, acts


def _lstm_step_vjp(F, grads, out, xw, h, c, w_hh):
    gh, gc, gacts = grads
    _, c_new, acts = out
    H = c.shape[-1]
    i, f, g, o = acts[:, :H], acts[:, H:2 * H], acts[:, 2 * H:3 * H], acts[:, 3 * H:]
    tc = F.tanh(c_new)
    dc = gc + gh * o * (1 - tc * tc)
    # gacts is zero unless the gates output itself was used (double backward)
    dacts = F.cat([dc * g, dc * c, dc * i, gh * tc], -1) + gacts
    dgates = dacts * F.cat([i * (1 - i), f * (1 - f), 1 - g * g, o * (1 - o)], -1)
    return (dgates, F.matmul(dgates, w_hh), dc * f, F.matmul(F.t(dgates), h))


_lstm_step_prim = defprim("nn_lstm_step", "ThnnFusedLstmCellBackward0", _lstm_step_forward,
                          vjp=_lstm_step_vjp, num_outputs=3, saves=(1, 2, 3),
                          save_output=True)


def _lstm_step(xw, h, c, w_hh):
    """One LSTM step from the input projection xw: returns (h', c')."""
    h_new, c_new, _ = _lstm_step_prim(xw, h, c, w_hh)
    return h_new, c_new


# ------------------------------------------------------------ whole LSTM layer
# The training hot path: a padded LSTM layer (no projection) is ONE primitive whose
# forward and backward loop over time in NumPy, with no graph node per step.
# sigmoid(x) = (tanh(x / 2) + 1) / 2, so scaling the i, f, o pre-activations by 1/2
# (exact in floating point) lets one tanh call activate all four gates.
def _gate_affine(H, dtype):
    """(scale, mul, add) per gate column: act = tanh(scale * pre) * mul + add."""
    half = np.full(4 * H, 0.5, dtype=dtype)
    half[2 * H:3 * H] = 1.0
    add = np.full(4 * H, 0.5, dtype=dtype)
    add[2 * H:3 * H] = 0.0
    return half, half, add


def _lstm_layer_forward(xw, h0, c0, w_hh, reverse):
    """Returns (hs, cs, acts) for all T steps: (T, B, H), (T, B, H), (T, B, 4H)."""
    T, B, G = xw.shape
    H = G // 4
    scale, mul, add = _gate_affine(H, xw.dtype)
    w_t = np.ascontiguousarray((w_hh * scale[:, None]).T)
    hs = np.empty((T, B, H), dtype=xw.dtype)
    cs = np.empty((T, B, H), dtype=xw.dtype)
    acts = np.empty((T, B, G), dtype=xw.dtype)
    scaled_x = np.empty((B, G), dtype=xw.dtype)  # one step at a time: no sequence-sized copy
    h, c = h0, c0
    for t in (range(T - 1, -1, -1) if reverse else range(T)):
        a = np.matmul(h, w_t, out=acts[t])
        a += np.multiply(xw[t], scale, out=scaled_x)
        np.tanh(a, out=a)
        a *= mul
        a += add
        c = np.multiply(a[:, H:2 * H], c, out=cs[t])
        c += a[:, :H] * a[:, 2 * H:3 * H]
        h = np.tanh(c, out=hs[t])
        h *= a[:, 3 * H:]
    return hs, cs, acts


def _lstm_layer_vjp(F, grads, out, xw, h0, c0, w_hh, reverse):
    """Backpropagation through time; whole-sequence pieces are computed outside the loop.

    Written with ``F`` so that it also runs on Tensors (create_graph=True); a plain
    backward takes the equivalent in-place NumPy version below, unless the gates output
    has a gradient (which only happens when differentiating a gradient).
    """
    gH, gC, gA = grads
    hs, cs, acts = out
    if F is numpy_namespace and not gA.any():
        return _lstm_layer_vjp_numpy(gH, gC, hs, cs, acts, h0, c0, w_hh, reverse)
    T = xw.shape[0]
    H = h0.shape[-1]
    i, f, g, o = acts[..., :H], acts[..., H:2 * H], acts[..., 2 * H:3 * H], acts[..., 3 * H:]
    tc = F.tanh(cs)
    # previous states in processing order: shifted by one step, h0/c0 first
    if reverse:
        h_prev = F.cat([hs[1:], F.unsqueeze(h0, 0)], 0)
        c_prev = F.cat([cs[1:], F.unsqueeze(c0, 0)], 0)
    else:
        h_prev = F.cat([F.unsqueeze(h0, 0), hs[:-1]], 0)
        c_prev = F.cat([F.unsqueeze(c0, 0), cs[:-1]], 0)
    # every gate is act = tanh(u) * mul + add with u = scale * pre, so
    # d act / d pre = scale * mul * (1 - tanh(u)^2), tanh(u) = (act - add) / mul
    scale, mul, add = _gate_affine(H, acts.dtype if F is numpy_namespace else acts._data.dtype)
    u = acts * _const(F, 1 / mul) - _const(F, add / mul)
    deriv = (1 - u * u) * _const(F, scale * mul)
    # d(acts)/d(dc, dc, dc, dh) and the gates' own upstream gradient (double backward only)
    coeff = F.cat([g, c_prev, i, tc], -1) * deriv
    direct = gA * deriv
    k = o * (1 - tc * tc)
    dh = h0 * 0
    dc = c0 * 0
    dgates = [None] * T
    for t in (range(T) if reverse else range(T - 1, -1, -1)):
        gh = gH[t] + dh
        dc = gC[t] + dc + gh * k[t]
        dgates[t] = F.cat([dc, dc, dc, gh], -1) * coeff[t] + direct[t]
        dh = F.matmul(dgates[t], w_hh)
        dc = dc * f[t]
    dxw = F.stack(dgates, 0)
    flat = dxw.reshape(-1, dxw.shape[-1])
    dw = F.matmul(F.t(flat), h_prev.reshape(-1, H))
    return dxw, dh, dc, dw


def _lstm_layer_vjp_numpy(gH, gC, hs, cs, acts, h0, c0, w_hh, reverse):
    """The same backward as :func:`_lstm_layer_vjp`, in NumPy, in as few sequence-sized
    buffers as possible (this is the peak of an LSTM's training step): the gates'
    derivative is built in place in one (T, B, 4H) buffer that then becomes their
    gradient, tanh(c) becomes k in place, and the previous states are read as shifted
    slices instead of concatenated copies."""
    T, B, G = acts.shape
    H = G // 4
    i, f, g, o = acts[..., :H], acts[..., H:2 * H], acts[..., 2 * H:3 * H], acts[..., 3 * H:]
    # previous states in processing order, as (first step's, all later steps') slices
    steps = slice(0, T - 1) if reverse else slice(1, T)
    earlier = slice(1, T) if reverse else slice(0, T - 1)
    first = T - 1 if reverse else 0
    scale, mul, add = _gate_affine(H, acts.dtype)
    # d act / d pre = scale * mul * (1 - tanh(u)^2) with tanh(u) = (act - add) / mul
    coeff = acts * (1 / mul)
    coeff -= add / mul
    coeff *= coeff
    np.subtract(1, coeff, out=coeff)
    coeff *= scale * mul
    # times what each gate multiplies: g, c_prev, i, tanh(c)
    coeff[..., :H] *= g
    coeff[steps, :, H:2 * H] *= cs[earlier]
    coeff[first, :, H:2 * H] *= c0
    coeff[..., 2 * H:3 * H] *= i
    k = np.tanh(cs)
    coeff[..., 3 * H:] *= k
    # k = o * (1 - tanh(c)^2): how h's gradient reaches c
    k *= k
    np.subtract(1, k, out=k)
    k *= o
    # the gates' gradients overwrite their coefficients step by step (same buffer)
    dgates = coeff
    # (T, B, 4, H) view: the i, f, g gates share dc's factor, o takes gh's
    dgates4 = dgates.reshape(T, B, 4, H)
    has_gC = gC.any(axis=(1, 2))  # usually only the last step's c_n gets a gradient
    dh = np.zeros_like(h0)
    dc = np.zeros_like(c0)
    gh = np.empty_like(h0)
    tmp = np.empty_like(h0)
    for t in (range(T) if reverse else range(T - 1, -1, -1)):
        np.add(gH[t], dh, out=gh)
        if has_gC[t]:
            dc += gC[t]
        dc += np.multiply(gh, k[t], out=tmp)
        dgates4[t, :, :3] *= dc[:, None, :]
        dgates4[t, :, 3] *= gh
        np.matmul(dgates[t], w_hh, out=dh)
        dc *= f[t]
    # dW = sum_t dgates[t]^T h_prev[t], split as the steps with an earlier h and the first
    dw = dgates[steps].reshape(-1, G).T @ hs[earlier].reshape(-1, H)
    dw += dgates[first].T @ h0
    return dgates, dh, dc, dw


def _const(F, array):
    """A constant for a rule: the array itself, or a Tensor under create_graph."""
    return array if F is numpy_namespace else Tensor._make(array)


_lstm_layer = defprim("nn_lstm_layer", "MkldnnRnnLayerBackward0", _lstm_layer_forward,
                      vjp=_lstm_layer_vjp, num_outputs=3, saves=(1, 2, 3), save_output=True)


def _gru_step_forward(gi, h, w_hh, b_hh):
    """Returns (h', saved) with saved = [r, z, n, (h W_hh^T + b_hh)_n] for the backward."""
    H = h.shape[-1]
    gh = h @ w_hh.T + b_hh
    saved = np.empty((h.shape[0], 4 * H), dtype=h.dtype)
    saved[:, :2 * H] = _sigmoid_np(gi[:, :2 * H] + gh[:, :2 * H])
    r, z = saved[:, :H], saved[:, H:2 * H]
    saved[:, 3 * H:] = gh[:, 2 * H:]
    saved[:, 2 * H:3 * H] = np.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
    n = saved[:, 2 * H:3 * H]
    return n + z * (h - n), saved


def _gru_step_vjp(F, grads, out, gi, h, w_hh, b_hh):
    g, gsaved = grads
    saved = out[1]
    H = h.shape[-1]
    r, z, n, gh_n = (saved[:, k * H:(k + 1) * H] for k in range(4))
    # gsaved is zero unless the saved activations were used (double backward)
    ds = F.cat([g * 0, g * (h - n), g * (1 - z), g * 0], -1) + gsaved
    dn = ds[:, 2 * H:3 * H] * (1 - n * n)
    dr = (dn * gh_n + ds[:, :H]) * r * (1 - r)
    dz = ds[:, H:2 * H] * z * (1 - z)
    dgi = F.cat([dr, dz, dn], -1)
    dgh = F.cat([dr, dz, dn * r + ds[:, 3 * H:]], -1)
    return (dgi, g * z + F.matmul(dgh, w_hh), F.matmul(F.t(dgh), h), dgh)


_gru_step_prim = defprim("nn_gru_step", "ThnnFusedGruCellBackward0", _gru_step_forward,
                         vjp=_gru_step_vjp, num_outputs=2, saves=(1, 2),
                         save_output=True)


def _gru_step(gi, h, w_hh, b_hh):
    """One GRU step from the input projection gi = x W_ih^T + b_ih: returns h'."""
    return _gru_step_prim(gi, h, w_hh, b_hh)[0]


def _rnn_step_vjp(derivative):
    def vjp(F, g, out, xw, h, w_hh):
        dpre = g * derivative(out)
        return (dpre, F.matmul(dpre, w_hh), F.matmul(F.t(dpre), h))
    return vjp


_rnn_tanh_step = defprim("nn_rnn_tanh_step", "TanhBackward0",
                         lambda xw, h, w_hh: np.tanh(xw + h @ w_hh.T),
                         vjp=_rnn_step_vjp(lambda out: 1 - out * out), saves=(1, 2),
                         save_output=True)
_rnn_relu_step = defprim("nn_rnn_relu_step", "ReluBackward0",
                         lambda xw, h, w_hh: np.maximum(xw + h @ w_hh.T, 0),
                         vjp=_rnn_step_vjp(lambda out: out > 0), saves=(1, 2),
                         save_output=True)


# =================================================================== one layer, one direction
def _input_projection(x, w_ih, b_ih, b_hh, fold_b_hh):
    """x W_ih^T + b_ih (+ b_hh when it can be added up front) for all timesteps at once."""
    bias = b_ih
    if fold_b_hh and b_ih is not None:
        bias = b_ih + b_hh
    if x.ndim == 3:
        # one 2-D matrix product (addmm) is much faster than a batched one
        rows = F.linear(x.reshape(-1, x.shape[-1]), w_ih, bias)
        return rows.reshape(x.shape[0], x.shape[1], rows.shape[-1])
    return F.linear(x, w_ih, bias)


def _run_direction(step, xs, batch_sizes, state0, reverse):
    """Run ``step`` over the per-timestep inputs ``xs``; returns (outputs, final state).

    ``batch_sizes[t]`` rows are active at step t (non-increasing in t). Rows that
    finish early keep their last state; in reverse, rows join with their initial state.
    """
    steps = range(len(xs) - 1, -1, -1) if reverse else range(len(xs))
    outputs = [None] * len(xs)
    if reverse:
        active = batch_sizes[-1]
        state = tuple(s[:active] if active < s.shape[0] else s for s in state0)
    else:
        active = batch_sizes[0]
        state = state0
    finished = []
    for t in steps:
        bs = batch_sizes[t]
        if bs < active:
            finished.append(tuple(s[bs:] for s in state))
            state = tuple(s[:bs] for s in state)
        elif bs > active:
            state = tuple(_ops.shape.cat([s, s0[active:bs]]) for s, s0 in zip(state, state0))
        active = bs
        outputs[t], state = step(xs[t], state)
    if finished:
        # later finishers have lower batch indices, so append in reverse order
        state = tuple(_ops.shape.cat([s] + [f[k] for f in reversed(finished)])
                      for k, s in enumerate(state))
    return outputs, state


def _make_step(mode, w_hh, b_hh, w_hr):
    """The per-timestep function (x_t, state) -> (output, new state) for ``mode``."""
    if mode == "LSTM":
        def lstm(xw, state):
            h, c = _lstm_step(xw, state[0], state[1], w_hh)
            if w_hr is not None:
                h = _ops.blas.matmul(h, w_hr.t())
            return h, (h, c)
        return lstm
    if mode == "GRU":
        bias = b_hh if b_hh is not None else _zeros_like_bias(w_hh)

        def gru(gi, state):
            hh = _gru_step(gi, state[0], w_hh, bias)
            return hh, (hh,)
        return gru
    prim = _rnn_tanh_step if mode == "RNN_TANH" else _rnn_relu_step

    def rnn(xw, state):
        hh = prim(xw, state[0], w_hh)
        return hh, (hh,)
    return rnn


def _zeros_like_bias(w_hh):
    return Tensor._make(np.zeros(w_hh.shape[0], dtype=w_hh._data.dtype))


# =================================================================== modules
class RNNBase(Module):
    """Shared machinery of RNN, LSTM and GRU: parameters, checks, the layer loop."""

    def __init__(self, mode, input_size, hidden_size, num_layers=1, bias=True,
                 batch_first=False, dropout=0.0, bidirectional=False, proj_size=0,
                 device=None, dtype=None):
        super().__init__()
        _check_constructor_args(input_size, hidden_size, num_layers, bias, batch_first,
                                dropout, proj_size)
        self.mode = mode
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = float(dropout)
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        gate_size = {"LSTM": 4, "GRU": 3, "RNN_TANH": 1, "RNN_RELU": 1}.get(mode)
        if gate_size is None:
            raise ValueError("Unrecognized RNN mode: " + mode)
        gate_size *= hidden_size
        num_directions = 2 if bidirectional else 1
        real_hidden_size = proj_size if proj_size > 0 else hidden_size
        self._flat_weights_names = []
        self._all_weights = []
        for layer in range(num_layers):
            for direction in range(num_directions):
                layer_input = input_size if layer == 0 else real_hidden_size * num_directions
                suffix = "_reverse" if direction == 1 else ""
                shapes = [("weight_ih", (gate_size, layer_input)),
                          ("weight_hh", (gate_size, real_hidden_size))]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                if proj_size > 0:
                    shapes += [("weight_hr", (proj_size, hidden_size))]
                names = []
                for stem, shape in shapes:
                    name = f"{stem}_l{layer}{suffix}"
                    setattr(self, name, Parameter(_ops.creation.empty(shape, device=device,
                                                                       dtype=dtype)))
                    names.append(name)
                self._flat_weights_names.extend(names)
                self._all_weights.append(names)
        self.reset_parameters()

    @property
    def _flat_weights(self):
        return [getattr(self, name, None) for name in self._flat_weights_names]

    @property
    def all_weights(self):
        """The parameters, one list per layer and direction."""
        return [[getattr(self, name) for name in names] for names in self._all_weights]

    def flatten_parameters(self):
        """A no-op: there is no cuDNN weight buffer to compact on a NumPy backend."""

    def reset_parameters(self):
        """Every weight and bias ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as torch."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    # ----------------------------------------------------------- checks
    def check_input(self, input, batch_sizes):
        """Raise torch's errors for a wrong dtype, rank or feature size."""
        weight_dtype = self._flat_weights[0].dtype
        if input.dtype != weight_dtype:
            raise ValueError(f"RNN input dtype ({input.dtype}) does not match weight dtype "
                             f"({weight_dtype}). Convert input: input.to({weight_dtype}), or "
                             f"convert model: model.to({input.dtype})")
        expected_input_dim = 2 if batch_sizes is not None else 3
        if input.dim() != expected_input_dim:
            raise RuntimeError(f"input must have {expected_input_dim} dimensions, got "
                               f"{input.dim()}")
        if self.input_size != input.size(-1):
            raise RuntimeError("input.size(-1) must be equal to input_size. Expected "
                               f"{self.input_size}, got {input.size(-1)}")

    def get_expected_hidden_size(self, input, batch_sizes):
        """(num_layers * num_directions, batch, hidden or proj size)."""
        if batch_sizes is not None:
            mini_batch = int(batch_sizes[0])
        else:
            mini_batch = input.size(0) if self.batch_first else input.size(1)
        num_directions = 2 if self.bidirectional else 1
        size = self.proj_size if self.proj_size > 0 else self.hidden_size
        return (self.num_layers * num_directions, mini_batch, size)

    def check_hidden_size(self, hx, expected_hidden_size, msg="Expected hidden size {}, got {}"):
        if tuple(hx.size()) != expected_hidden_size:
            raise RuntimeError(msg.format(expected_hidden_size, list(hx.size())))

    def check_forward_args(self, input, hidden, batch_sizes):
        self.check_input(input, batch_sizes)
        self.check_hidden_size(hidden, self.get_expected_hidden_size(input, batch_sizes))

    def permute_hidden(self, hx, permutation):
        if permutation is None:
            return hx
        return hx.index_select(1, permutation)

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if self.proj_size != 0:
            s += ", proj_size={proj_size}"
        if self.num_layers != 1:
            s += ", num_layers={num_layers}"
        if self.bias is not True:
            s += ", bias={bias}"
        if self.batch_first is not False:
            s += ", batch_first={batch_first}"
        if self.dropout != 0:
            s += ", dropout={dropout}"
        if self.bidirectional is not False:
            s += ", bidirectional={bidirectional}"
        return s.format(**self.__dict__)

    # ----------------------------------------------------------- the computation
    def _run_layers(self, input, batch_sizes, states):
        """All layers over a time-major (T, B, I) input or packed data (N, I).

        ``states`` is a tuple of (layers * directions, B, *) tensors; returns the
        last layer's output and the tuple of final states in the same layout.
        """
        num_directions = 2 if self.bidirectional else 1
        if batch_sizes is None:
            sizes = [input.shape[1]] * input.shape[0]
        else:
            sizes = [int(b) for b in batch_sizes.tolist()]
        finals = [[] for _ in states]
        layer_input = input
        for layer in range(self.num_layers):
            outs = []
            for direction in range(num_directions):
                index = layer * num_directions + direction
                out, final = self._run_one(layer_input, batch_sizes, sizes,
                                           tuple(s[index] for s in states),
                                           self.all_weights[index], direction == 1)
                outs.append(out)
                for k, f in enumerate(final):
                    finals[k].append(f)
            layer_input = outs[0] if len(outs) == 1 else _ops.shape.cat(outs, -1)
            if self.dropout > 0 and self.training and layer < self.num_layers - 1:
                layer_input = F.dropout(layer_input, self.dropout, True)
        return layer_input, tuple(_ops.shape.stack(f, 0) for f in finals)

    def _run_one(self, x, batch_sizes, sizes, state0, weights, reverse):
        """One layer in one direction: returns (output, final state tuple)."""
        w_ih, w_hh = weights[0], weights[1]
        b_ih = b_hh = w_hr = None
        if self.bias:
            b_ih, b_hh = weights[2], weights[3]
        if self.proj_size > 0:
            w_hr = weights[-1]
        xw = _input_projection(x, w_ih, b_ih, b_hh, fold_b_hh=self.mode != "GRU")
        if self.mode == "LSTM" and batch_sizes is None and w_hr is None:
            hs, cs, _ = _lstm_layer(xw, state0[0], state0[1], w_hh, reverse=reverse)
            last = 0 if reverse else -1
            return hs, (hs[last], cs[last])
        if batch_sizes is None:
            xs = xw.unbind(0)
        else:
            xs = xw.split(sizes, 0)
        step = _make_step(self.mode, w_hh, b_hh, w_hr)
        outputs, final = _run_direction(step, xs, sizes, state0, reverse)
        if batch_sizes is None:
            return _ops.shape.stack(outputs, 0), final
        return _ops.shape.cat(outputs, 0), final

    def _forward(self, input, hx, name):
        """Common driver: unpack/reshape the input, run, and repack like torch."""
        is_lstm = self.mode == "LSTM"
        num_directions = 2 if self.bidirectional else 1
        real_hidden = self.proj_size if self.proj_size > 0 else self.hidden_size
        if isinstance(input, PackedSequence):
            data, batch_sizes, sorted_indices, unsorted_indices = input
            batch = int(batch_sizes[0])
            is_batched = True
        else:
            batch_sizes = sorted_indices = unsorted_indices = None
            data = input
            if input.dim() not in (2, 3):
                dims = f"{input.dim()}D tensor" if name == "RNN" else f"{input.dim()}D"
                raise ValueError(f"{name}: Expected input to be 2D or 3D, got {dims} instead")
            is_batched = input.dim() == 3
            if not is_batched:
                data = input.unsqueeze(0 if self.batch_first else 1)
            batch = data.shape[0 if self.batch_first else 1]
        layers = self.num_layers * num_directions
        if hx is None:
            h0 = _ops.creation.zeros(layers, batch, real_hidden, dtype=data.dtype)
            hx = (h0, _ops.creation.zeros(layers, batch, self.hidden_size, dtype=data.dtype)) \
                if is_lstm else h0
        elif batch_sizes is None:
            hx = self._unbatch_hx(hx, is_batched, is_lstm)
        self._check_all(data, hx, batch_sizes, is_lstm)
        if self.batch_first and batch_sizes is None:
            data = data.transpose(0, 1)
        states = tuple(self.permute_hidden(h, sorted_indices) for h in hx) if is_lstm \
            else (self.permute_hidden(hx, sorted_indices),)
        output, finals = self._run_layers(data, batch_sizes, states)
        finals = tuple(self.permute_hidden(f, unsorted_indices) for f in finals)
        if batch_sizes is not None:
            output = PackedSequence(output, batch_sizes, sorted_indices, unsorted_indices)
        else:
            if self.batch_first:
                output = output.transpose(0, 1)
            if not is_batched:
                output = output.squeeze(0 if self.batch_first else 1)
                finals = tuple(f.squeeze(1) for f in finals)
        return output, (finals if is_lstm else finals[0])

    def _unbatch_hx(self, hx, is_batched, is_lstm):
        """Check the hidden state's rank against the input's; unsqueeze unbatched ones."""
        if is_lstm:
            dims = (hx[0].dim(), hx[1].dim())
            want = 3 if is_batched else 2
            if dims != (want, want):
                kind = "batched 3-D" if is_batched else "unbatched 2-D"
                raise RuntimeError(f"For {kind} input, hx and cx should also be {want}-D but "
                                   f"got ({dims[0]}-D, {dims[1]}-D) tensors")
            return hx if is_batched else (hx[0].unsqueeze(1), hx[1].unsqueeze(1))
        want = 3 if is_batched else 2
        if hx.dim() != want:
            kind = "batched 3-D" if is_batched else "unbatched 2-D"
            raise RuntimeError(f"For {kind} input, hx should also be {want}-D but got "
                               f"{hx.dim()}-D tensor")
        return hx if is_batched else hx.unsqueeze(1)

    def _check_all(self, data, hx, batch_sizes, is_lstm):
        if not is_lstm:
            self.check_forward_args(data, hx, batch_sizes)
            return
        self.check_input(data, batch_sizes)
        expected = self.get_expected_hidden_size(data, batch_sizes)
        self.check_hidden_size(hx[0], expected, "Expected hidden[0] size {}, got {}")
        cell = (expected[0], expected[1], self.hidden_size)
        self.check_hidden_size(hx[1], cell, "Expected hidden[1] size {}, got {}")


def _check_constructor_args(input_size, hidden_size, num_layers, bias, batch_first, dropout,
                            proj_size):
    """torch's constructor validation, same exception types and messages."""
    if (not isinstance(dropout, numbers.Number) or isinstance(dropout, bool)
            or not 0 <= dropout <= 1):
        raise ValueError("dropout should be a number in range [0, 1] representing the "
                         "probability of an element being zeroed")
    if dropout > 0 and num_layers == 1:
        warnings.warn("dropout option adds dropout after all but last recurrent layer, so "
                      "non-zero dropout expects num_layers greater than 1, but got "
                      f"dropout={dropout} and num_layers={num_layers}", stacklevel=4)
    for name, value in (("bias", bias), ("batch_first", batch_first)):
        if not isinstance(value, bool):
            raise TypeError(f"{name} should be of type bool, got: {type(value).__name__}")
    for name, value in (("input_size", input_size), ("hidden_size", hidden_size)):
        if not isinstance(value, int):
            raise TypeError(f"{name} should be of type int, got: {type(value).__name__}")
        if value <= 0:
            raise ValueError(f"{name} must be greater than zero")
    if num_layers <= 0:
        raise ValueError("num_layers must be greater than zero")
    if proj_size < 0:
        raise ValueError("proj_size should be a positive integer or zero to disable projections")
    if proj_size >= hidden_size:
        raise ValueError("proj_size has to be smaller than hidden_size")


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh) (or relu)."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        if len(args) > 3:
            self.nonlinearity = args[3]
            args = args[:3] + args[4:]
        else:
            self.nonlinearity = kwargs.pop("nonlinearity", "tanh")
        if self.nonlinearity == "tanh":
            mode = "RNN_TANH"
        elif self.nonlinearity == "relu":
            mode = "RNN_RELU"
        else:
            raise ValueError(f"Unknown nonlinearity '{self.nonlinearity}'. Select from 'tanh' "
                             "or 'relu'.")
        super().__init__(mode, *args, **kwargs)

    def forward(self, input, hx=None):
        """Returns (output, h_n); output is a PackedSequence if the input is one."""
        return self._forward(input, hx, "RNN")


class LSTM(RNNBase):
    """Long short-term memory, gates ordered (input, forget, cell, output) as torch;
    ``proj_size`` > 0 projects h_t with weight_hr."""

    def __init__(self, *args, **kwargs):
        super().__init__("LSTM", *args, **kwargs)

    def forward(self, input, hx=None):
        """Returns (output, (h_n, c_n)); output is a PackedSequence if the input is one."""
        return self._forward(input, hx, "LSTM")


class GRU(RNNBase):
    """Gated recurrent unit, gates ordered (reset, update, new) as torch."""

    def __init__(self, *args, **kwargs):
        if "proj_size" in kwargs:
            raise ValueError("proj_size argument is only supported for LSTM, not RNN or GRU")
        super().__init__("GRU", *args, **kwargs)

    def forward(self, input, hx=None):
        """Returns (output, h_n); output is a PackedSequence if the input is one."""
        return self._forward(input, hx, "GRU")


# =================================================================== cells
class RNNCellBase(Module):
    """Parameters and repr shared by the single-step cells."""

    def __init__(self, input_size, hidden_size, bias, num_chunks, device=None, dtype=None):
        super().__init__()
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.bias = bias
        factory = {"device": device, "dtype": dtype}
        self.weight_ih = Parameter(_ops.creation.empty((num_chunks * hidden_size, input_size),
                                                       **factory))
        self.weight_hh = Parameter(_ops.creation.empty((num_chunks * hidden_size, hidden_size),
                                                       **factory))
        if bias:
            self.bias_ih = Parameter(_ops.creation.empty(num_chunks * hidden_size, **factory))
            self.bias_hh = Parameter(_ops.creation.empty(num_chunks * hidden_size, **factory))
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)
        self.reset_parameters()

    def extra_repr(self):
        s = "{input_size}, {hidden_size}"
        if "bias" in self.__dict__ and self.bias is not True:
            s += ", bias={bias}"
        if "nonlinearity" in self.__dict__ and self.nonlinearity != "tanh":
            s += ", nonlinearity={nonlinearity}"
        return s.format(**self.__dict__)

    def reset_parameters(self):
        """Every weight and bias ~ U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)), as torch."""
        stdv = 1.0 / math.sqrt(self.hidden_size) if self.hidden_size > 0 else 0
        for weight in self.parameters():
            init.uniform_(weight, -stdv, stdv)

    def _prepare(self, input, states, name):
        """Check ranks, add a batch dim to unbatched inputs, default states to zeros."""
        if input.dim() not in (1, 2):
            raise ValueError(f"{name}: Expected input to be 1D or 2D, got {input.dim()}D "
                             "instead")
        is_batched = input.dim() == 2
        if not is_batched:
            input = input.unsqueeze(0)
        if input.shape[1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[1]} "
                               f"expected {self.input_size}")
        if input.dtype != self.weight_ih.dtype:
            raise RuntimeError(f"expected scalar type {_scalar_name(self.weight_ih.dtype)} but "
                               f"found {_scalar_name(input.dtype)}")
        batch = input.shape[0]
        result = []
        for k, h in enumerate(states):
            if h is None:
                h = _ops.creation.zeros(batch, self.hidden_size, dtype=input.dtype)
            elif not is_batched:
                h = h.unsqueeze(0)
            if h.shape[0] != batch:
                raise RuntimeError(f"Input batch size {batch} doesn't match hidden{k} batch "
                                   f"size {h.shape[0]}")
            if h.shape[1] != self.hidden_size:
                raise RuntimeError(f"hidden{k} has inconsistent hidden_size: got {h.shape[1]}, "
                                   f"expected {self.hidden_size}")
            result.append(h)
        return input, result, is_batched

    def _projection(self, input, fold_b_hh=True):
        return _input_projection(input, self.weight_ih, self.bias_ih, self.bias_hh, fold_b_hh)


def _scalar_name(dtype):
    return {"float32": "Float", "float64": "Double", "float16": "Half",
            "bfloat16": "BFloat16"}.get(str(dtype).replace("torch.", "").replace(
                "minitorch.", ""), str(dtype))


def _check_hidden_rank(hx, name, label="hidden"):
    if hx is not None and hx.dim() not in (1, 2):
        raise ValueError(f"{name}: Expected {label} to be 1D or 2D, got {hx.dim()}D instead")


class RNNCell(RNNCellBase):
    """One Elman RNN step: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu)."""

    def __init__(self, input_size, hidden_size, bias=True, nonlinearity="tanh", device=None,
                 dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=1, device=device,
                         dtype=dtype)
        self.nonlinearity = nonlinearity

    def forward(self, input, hx=None):
        _check_hidden_rank(hx, "RNNCell")
        input, (h,), is_batched = self._prepare(input, [hx], "RNNCell")
        if self.nonlinearity == "tanh":
            prim = _rnn_tanh_step
        elif self.nonlinearity == "relu":
            prim = _rnn_relu_step
        else:
            raise RuntimeError(f"Unknown nonlinearity: {self.nonlinearity}")
        out = prim(self._projection(input), h, self.weight_hh)
        return out if is_batched else out.squeeze(0)


class LSTMCell(RNNCellBase):
    """One LSTM step; returns (h', c')."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=4, device=device,
                         dtype=dtype)

    def forward(self, input, hx=None):
        if hx is not None:
            for idx, value in enumerate(hx):
                if value.dim() not in (1, 2):
                    raise ValueError(f"LSTMCell: Expected hx[{idx}] to be 1D or 2D, got "
                                     f"{value.dim()}D instead")
        states = [None, None] if hx is None else list(hx)
        input, (h, c), is_batched = self._prepare(input, states, "LSTMCell")
        h, c = _lstm_step(self._projection(input), h, c, self.weight_hh)
        if not is_batched:
            return h.squeeze(0), c.squeeze(0)
        return h, c


class GRUCell(RNNCellBase):
    """One GRU step: returns h'."""

    def __init__(self, input_size, hidden_size, bias=True, device=None, dtype=None):
        super().__init__(input_size, hidden_size, bias, num_chunks=3, device=device,
                         dtype=dtype)

    def forward(self, input, hx=None):
        _check_hidden_rank(hx, "GRUCell")
        input, (h,), is_batched = self._prepare(input, [hx], "GRUCell")
        b_hh = self.bias_hh if self.bias_hh is not None else _zeros_like_bias(self.weight_hh)
        out = _gru_step(self._projection(input, fold_b_hh=False), h, self.weight_hh, b_hh)
        return out if is_batched else out.squeeze(0)
