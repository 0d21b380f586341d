"""Helpers for the recurrent / attention / transformer parity tests.

``pair(name, *args, **kwargs)`` builds ``torch.nn.<name>`` and ``minitorch.nn.<name>``
with torch's weights copied into ours. ``compare(fn, theirs, ours, *arrays)`` runs
``fn(lib, module, *tensors)`` in both libraries and compares every output (nested
tuples and PackedSequences included) and the gradients of every float input and
every parameter under one random upstream gradient.
"""
import numpy as np
import torch

import minitorch
from harness import assert_values_close

T_DTYPES = {np.float64: torch.float64, np.float32: torch.float32}
M_DTYPES = {np.float64: minitorch.float64, np.float32: minitorch.float32}


def pair(name, *args, dtype=np.float64, seed=0, **kwargs):
    """(torch module, minitorch module) with identical weights, both in ``dtype``."""
    torch.manual_seed(seed)
    theirs = getattr(torch.nn, name)(*args, dtype=T_DTYPES[dtype], **kwargs)
    ours = getattr(minitorch.nn, name)(*args, dtype=M_DTYPES[dtype], **kwargs)
    load(theirs, ours)
    return theirs, ours


def load(theirs, ours):
    ours.load_state_dict({k: minitorch.tensor(v.detach().numpy().copy())
                          for k, v in theirs.state_dict().items()})


def flatten(out):
    """Every tensor in a nested output, in order (a PackedSequence gives its fields)."""
    if out is None:
        return []
    if isinstance(out, (tuple, list)):
        result = []
        for o in out:
            result.extend(flatten(o))
        return result
    return [out]


def to_lib(lib, value, grad=True):
    if isinstance(value, np.ndarray):
        t = torch.from_numpy(value.copy()) if lib is torch else minitorch.from_numpy(value.copy())
        if grad and value.dtype.kind == "f":
            t.requires_grad_(True)
        return t
    if isinstance(value, (list, tuple)):
        return type(value)(to_lib(lib, v, grad) for v in value)
    return value


def _leaves(args):
    return [t for t in flatten(list(args))
            if isinstance(t, (torch.Tensor, minitorch.Tensor)) and t.requires_grad]


def compare(fn, theirs, ours, *arrays, rtol=None, atol=None, grad=True, seed=0):
    """Same outputs and same gradients (inputs and parameters) in both libraries."""
    t_args = [to_lib(torch, a, grad) for a in arrays]
    m_args = [to_lib(minitorch, a, grad) for a in arrays]
    t_out = flatten(fn(torch, theirs, *t_args))
    m_out = flatten(fn(minitorch, ours, *m_args))
    assert len(t_out) == len(m_out), f"{len(m_out)} outputs, torch has {len(t_out)}"
    for i, (e, a) in enumerate(zip(t_out, m_out)):
        assert_values_close(e, a, rtol, atol, f"output {i}")
    if not grad:
        return t_out, m_out
    rng = np.random.default_rng(seed)
    pairs = [(e, a) for e, a in zip(t_out, m_out) if e.requires_grad]
    ups = [rng.standard_normal(tuple(e.shape)).astype(e.detach().numpy().dtype)
           for e, _ in pairs]
    t_leaves = _leaves(t_args) + [p for p in theirs.parameters() if p.requires_grad]
    m_leaves = _leaves(m_args) + [p for p in ours.parameters() if p.requires_grad]
    t_g = torch.autograd.grad([e for e, _ in pairs], t_leaves,
                              [torch.from_numpy(u.copy()) for u in ups], allow_unused=True)
    m_g = minitorch.autograd.grad([a for _, a in pairs], m_leaves,
                                  [minitorch.from_numpy(u.copy()) for u in ups],
                                  allow_unused=True)
    names = ([f"input {i}" for i in range(len(_leaves(t_args)))]
             + [n for n, p in theirs.named_parameters() if p.requires_grad])
    for name, e, a in zip(names, t_g, m_g):
        if e is None:
            assert a is None or not np.any(a.numpy()), f"grad of {name}: torch has none"
            continue
        assert a is not None, f"grad of {name}: minitorch has none"
        assert_values_close(e, a, rtol, atol, f"grad of {name}")
    return t_out, m_out


def sgd_losses(lib, model, batches, loss_fn, lr=0.1):
    """Loss after each of the plain-SGD steps (p -= lr * grad), written by hand."""
    losses = []
    for batch in batches:
        for p in model.parameters():
            p.grad = None
        loss = loss_fn(lib, model, *[to_lib(lib, b, grad=False) for b in batch])
        loss.backward()
        with lib.no_grad():
            for p in model.parameters():
                p -= lr * p.grad
        losses.append(float(loss.item()))
    return np.array(losses)
