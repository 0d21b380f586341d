"""Module parity for conv/pooling/normalization layers: state, repr, forward, all gradients."""
import numpy as np
import torch

import minitorch
from harness import assert_values_close

_DTYPES = {np.float64: (torch.float64, minitorch.float64),
           np.float32: (torch.float32, minitorch.float32)}


def build_pair(make, dtype=np.float64):
    """``make(lib)`` in both libraries, ours loaded with torch's state_dict."""
    t_dtype, m_dtype = _DTYPES[dtype]
    theirs = make(torch).to(t_dtype)
    ours = make(minitorch).to(m_dtype)
    assert repr(ours) == repr(theirs), f"repr {ours!r} != torch's {theirs!r}"
    t_sd, m_sd = theirs.state_dict(), ours.state_dict()
    assert list(m_sd) == list(t_sd), f"state_dict keys {list(m_sd)} != {list(t_sd)}"
    for k in t_sd:
        assert tuple(m_sd[k].shape) == tuple(t_sd[k].shape), k
        assert str(m_sd[k].dtype) == str(t_sd[k].dtype), (k, m_sd[k].dtype, t_sd[k].dtype)
    ours.load_state_dict({k: minitorch.tensor(v.detach().numpy().copy())
                          for k, v in t_sd.items()})
    return theirs, ours


def _leaf(lib, a):
    t = torch.from_numpy(a.copy()) if lib is torch else minitorch.from_numpy(a.copy())
    if a.dtype.kind == "f":
        t.requires_grad_(True)
    return t


def run_pair(theirs, ours, arrays, train=True, seed=0, rtol=None, atol=None, **kwargs):
    """Forward both modules on the same inputs; compare outputs and every gradient."""
    theirs.train(train)
    ours.train(train)
    t_in = [_leaf(torch, a) for a in arrays]
    m_in = [_leaf(minitorch, a) for a in arrays]
    t_out, m_out = theirs(*t_in, **kwargs), ours(*m_in, **kwargs)
    assert_values_close(t_out, m_out, rtol, atol, "forward")
    t_outs = list(t_out) if isinstance(t_out, (tuple, list)) else [t_out]
    m_outs = list(m_out) if isinstance(m_out, (tuple, list)) else [m_out]
    pairs = [(t, m) for t, m in zip(t_outs, m_outs) if t.requires_grad]
    t_leaves = [x for x in t_in if x.requires_grad] + list(theirs.parameters())
    m_leaves = [x for x in m_in if x.requires_grad] + list(ours.parameters())
    if not pairs or not t_leaves:
        return t_out, m_out
    rng = np.random.default_rng(seed)
    ups = [rng.standard_normal(tuple(t.shape)).astype(t.detach().numpy().dtype)
           for t, _ in pairs]
    t_g = torch.autograd.grad([t for t, _ in pairs], t_leaves,
                              [torch.from_numpy(u) for u in ups], allow_unused=True)
    m_g = minitorch.autograd.grad([m for _, m in pairs], m_leaves,
                                  [minitorch.from_numpy(u) for u in ups], allow_unused=True)
    for i, (e, a) in enumerate(zip(t_g, m_g)):
        if e is None:
            assert a is None or not np.any(a.numpy()), f"grad {i}: torch has none"
            continue
        assert a is not None, f"grad {i}: minitorch has none"
        assert_values_close(e, a, rtol, atol, f"grad {i}")
    return t_out, m_out


def compare_module(make, *arrays, dtype=np.float64, train=True, **kwargs):
    """Build the pair and run it once (float inputs cast to ``dtype``)."""
    theirs, ours = build_pair(make, dtype)
    arrays = [a.astype(dtype) if a.dtype.kind == "f" else a for a in arrays]
    run_pair(theirs, ours, arrays, train=train, **kwargs)
    return theirs, ours


def compare_buffers(theirs, ours, rtol=1e-6, atol=1e-7):
    """Same state_dict values (running statistics, counters)."""
    for k, v in theirs.state_dict().items():
        assert_values_close(v, ours.state_dict()[k], rtol, atol, k)
