"""Compare an nn.Module of torch with minitorch's: state, repr, forward, every gradient."""
import numpy as np
import torch

import minitorch
from harness import assert_values_close


def copy_state(theirs, ours):
    """Load torch's state_dict into our module (same keys, same values)."""
    result = ours.load_state_dict({k: minitorch.tensor(v.detach().numpy().copy())
                                   for k, v in theirs.state_dict().items()})
    return result


def check_structure(theirs, ours):
    """Same repr, state_dict keys and shapes, parameter names and shapes."""
    assert repr(ours) == repr(theirs), f"repr {ours!r} != torch's {theirs!r}"
    t_sd, m_sd = theirs.state_dict(), ours.state_dict()
    assert list(m_sd) == list(t_sd), f"state_dict keys {list(m_sd)} != {list(t_sd)}"
    for k in t_sd:
        assert tuple(m_sd[k].shape) == tuple(t_sd[k].shape), k
    t_params = [(n, tuple(p.shape)) for n, p in theirs.named_parameters()]
    m_params = [(n, tuple(p.shape)) for n, p in ours.named_parameters()]
    assert m_params == t_params


def _to(lib, a, grad):
    t = (torch.from_numpy(a.copy()) if lib is torch else minitorch.from_numpy(a.copy()))
    if grad and a.dtype.kind == "f":
        t.requires_grad_(True)
    return t


def compare_module(make, inputs, dtype=np.float64, train=True, grad=True, structure=True,
                   rtol=None, atol=None, seed=0):
    """``make(lib)`` builds the module in torch.nn / minitorch.nn; inputs are NumPy arrays.

    Float inputs are cast to ``dtype`` and require grad. Compares forward outputs and the
    gradients of every float input and every parameter under a random upstream gradient.
    """
    t_dtype = {np.float64: torch.float64, np.float32: torch.float32}[dtype]
    m_dtype = {np.float64: minitorch.float64, np.float32: minitorch.float32}[dtype]
    theirs = make(torch).to(t_dtype)
    ours = make(minitorch).to(m_dtype)
    if structure:
        check_structure(theirs, ours)
    copy_state(theirs, ours)
    theirs.train(train)
    ours.train(train)
    arrays = [a.astype(dtype) if a.dtype.kind == "f" else a for a in inputs]
    t_in = [_to(torch, a, grad) for a in arrays]
    m_in = [_to(minitorch, a, grad) for a in arrays]
    t_out = theirs(*t_in)
    m_out = ours(*m_in)
    assert_values_close(t_out, m_out, rtol, atol, "forward")
    if not grad:
        return theirs, ours
    rng = np.random.default_rng(seed)
    t_outs = t_out if isinstance(t_out, (tuple, list)) else [t_out]
    m_outs = m_out if isinstance(m_out, (tuple, list)) else [m_out]
    # only differentiable outputs take part (an argmax output has no gradient)
    keep = [i for i, o in enumerate(t_outs) if o.requires_grad]
    for i in keep:
        assert m_outs[i].requires_grad, f"output {i} does not require grad"
    t_outs, m_outs = [t_outs[i] for i in keep], [m_outs[i] for i in keep]
    ups = [rng.standard_normal(tuple(o.shape)).astype(dtype) for o in t_outs]
    t_leaves = [x for x in t_in if x.requires_grad] + list(theirs.parameters())
    m_leaves = [x for x in m_in if x.requires_grad] + list(ours.parameters())
    t_g = torch.autograd.grad(t_outs, t_leaves, [torch.from_numpy(u) for u in ups],
                              allow_unused=True)
    m_g = minitorch.autograd.grad(m_outs, m_leaves, [minitorch.from_numpy(u) for u in ups],
                                  allow_unused=True)
    for i, (e, a) in enumerate(zip(t_g, m_g)):
        if e is None:
            assert a is None or not np.any(a.numpy()), f"grad {i}: torch has none"
            continue
        assert a is not None, f"grad {i}: minitorch has none"
        assert_values_close(e, a, rtol, atol, f"grad {i}")
    return theirs, ours


def rand(*shape, seed=0, low=-2.0, high=2.0):
    return np.random.default_rng(seed).uniform(low, high, shape)


__all__ = ["compare_module", "copy_state", "check_structure", "rand"]
