"""The parity harness: run one function under torch and minitorch and compare everything.

``check(fn, *args)`` calls ``fn(lib, *tensors)`` with ``lib`` = torch and then
``lib`` = minitorch. NumPy arrays among ``args`` become tensors in each library
(floating ones requiring grad); anything else is passed through unchanged.
It compares every output's shape, dtype and values, then backpropagates the
*same random* upstream gradient through both and compares the gradient of
every input. float64 is held to tight tolerances, float32 to loose ones.

``check_error(fn, *args)`` asserts both libraries raise the same exception type.
"""
import numpy as np
import torch

import minitorch

TOLERANCES = {
    "float64": (1e-7, 1e-9),
    "complex128": (1e-7, 1e-9),
    "float32": (1e-4, 1e-5),
    "complex64": (1e-4, 1e-5),
    "float16": (1e-2, 1e-3),
}


def rand(*shape, dtype=np.float64, low=-2.0, high=2.0, seed=None):
    """A reproducible random array; integers and bools too."""
    rng = np.random.default_rng(seed if seed is not None else _next_seed())
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) > 0.5
    if dtype.kind in "iu":
        return rng.integers(int(low), int(high) + 1, size=shape).astype(dtype)
    if dtype.kind == "c":
        real = rng.uniform(low, high, size=shape) + 1j * rng.uniform(low, high, size=shape)
        return np.asarray(real).astype(dtype)
    return np.asarray(rng.uniform(low, high, size=shape)).astype(dtype)


_seed_counter = [0]


def _next_seed():
    _seed_counter[0] += 1
    return _seed_counter[0]


def noncontiguous(array):
    """The same values laid out non-contiguously (a transposed copy, transposed back)."""
    if array.ndim < 2:
        doubled = np.repeat(array, 2)
        return doubled[::2] if array.ndim == 1 else array
    return np.ascontiguousarray(np.swapaxes(array, -1, -2)).swapaxes(-1, -2)


def _to_lib(lib, value, requires_grad):
    if isinstance(value, np.ndarray):
        t = lib.from_numpy(value.copy()) if lib is minitorch else torch.from_numpy(value.copy())
        if not value.flags.c_contiguous:
            # keep the non-contiguous layout in both libraries
            t = _relayout(lib, t, value)
        if requires_grad and value.dtype.kind in "fc":
            t.requires_grad_(True)
        return t
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, np.ndarray) for v in value):
        return type(value)(_to_lib(lib, v, requires_grad) for v in value)
    return value


def _relayout(lib, t, value):
    if value.ndim >= 2:
        swapped = np.ascontiguousarray(np.swapaxes(value, -1, -2))
        base = lib.from_numpy(swapped) if lib is minitorch else torch.from_numpy(swapped)
        return base.transpose(-1, -2)
    if value.ndim == 1:
        doubled = np.repeat(value, 2)
        base = lib.from_numpy(doubled) if lib is minitorch else torch.from_numpy(doubled)
        return base[::2]
    return t


def _flatten_outputs(out):
    if isinstance(out, (tuple, list)):
        result = []
        for o in out:
            result.extend(_flatten_outputs(o))
        return result
    return [out]


def _inputs_of(converted):
    flat = []
    for v in converted:
        if isinstance(v, (list, tuple)):
            flat.extend(x for x in v if _is_tensor(x))
        elif _is_tensor(v):
            flat.append(v)
    return flat


def _is_tensor(x):
    return isinstance(x, (torch.Tensor, minitorch.Tensor))


def _as_numpy(x):
    if isinstance(x, torch.Tensor):
        # resolve_conj/force: torch's lazy conjugate and zero tensors have no plain view.
        return x.detach().resolve_conj().resolve_neg().numpy(force=True)
    if isinstance(x, minitorch.Tensor):
        return x.detach().numpy()
    return x


def _dtype_name(x):
    return str(x.dtype).replace("torch.", "")


def assert_values_close(expected, actual, rtol=None, atol=None, what="output",
                        check_dtype=True):
    """Compare one torch value with one minitorch value: type, shape, dtype and numbers."""
    if _is_tensor(expected):
        assert isinstance(actual, minitorch.Tensor), \
            f"{what}: expected a Tensor, minitorch returned {type(actual).__name__}"
        assert tuple(expected.shape) == tuple(actual.shape), \
            f"{what}: shape {tuple(actual.shape)} != torch's {tuple(expected.shape)}"
        if check_dtype:
            assert _dtype_name(expected) == _dtype_name(actual), \
                f"{what}: dtype {actual.dtype} != torch's {expected.dtype}"
        e, a = _as_numpy(expected), _as_numpy(actual)
        default_rtol, default_atol = TOLERANCES.get(_dtype_name(expected), (0, 0))
        rtol = default_rtol if rtol is None else rtol
        atol = default_atol if atol is None else atol
        if e.dtype.kind in "biu":
            np.testing.assert_array_equal(a, e, err_msg=what)
        else:
            np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, equal_nan=True, err_msg=what)
        return
    if isinstance(expected, (tuple, list)):
        assert len(expected) == len(actual), f"{what}: {len(actual)} results, torch has {len(expected)}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            assert_values_close(e, a, rtol, atol, f"{what}[{i}]", check_dtype)
        return
    if isinstance(expected, float) and np.isnan(expected):
        assert isinstance(actual, float) and np.isnan(actual), f"{what}: {actual} != nan"
        return
    if isinstance(expected, float):
        np.testing.assert_allclose(actual, expected, rtol=rtol or 1e-6, atol=atol or 1e-9,
                                   err_msg=what)
        return
    assert expected == actual, f"{what}: {actual!r} != torch's {expected!r}"


def check(fn, *args, grad=True, rtol=None, atol=None, grad_rtol=None, grad_atol=None,
          check_dtype=True, seed=1234):
    """Assert ``fn(lib, *args)`` matches between torch and minitorch, values and gradients.

    Returns (torch_output, minitorch_output) for any further checks.
    """
    t_args = [_to_lib(torch, a, grad) for a in args]
    m_args = [_to_lib(minitorch, a, grad) for a in args]
    t_out = fn(torch, *t_args)
    m_out = fn(minitorch, *m_args)
    assert_values_close(t_out, m_out, rtol, atol, "forward", check_dtype)
    if grad:
        _check_gradients(t_out, m_out, t_args, m_args, seed,
                         grad_rtol if grad_rtol is not None else rtol,
                         grad_atol if grad_atol is not None else atol)
    return t_out, m_out


def _check_gradients(t_out, m_out, t_args, m_args, seed, rtol, atol):
    t_inputs = [x for x in _inputs_of(t_args) if x.requires_grad]
    m_inputs = [x for x in _inputs_of(m_args) if x.requires_grad]
    pairs = [(t, m) for t, m in zip(_flatten_outputs(t_out), _flatten_outputs(m_out))
             if isinstance(t, torch.Tensor) and t.requires_grad]
    if not pairs or not t_inputs:
        return
    rng = np.random.default_rng(seed)
    t_outs, m_outs, t_grads, m_grads = [], [], [], []
    for t, m in pairs:
        assert isinstance(m, minitorch.Tensor) and m.requires_grad, \
            "minitorch output does not require grad where torch's does"
        upstream = rng.standard_normal(tuple(t.shape))
        if t.is_complex():
            upstream = upstream + 1j * rng.standard_normal(tuple(t.shape))
        upstream = np.asarray(upstream).astype(_as_numpy(t).dtype)
        t_outs.append(t)
        m_outs.append(m)
        t_grads.append(torch.from_numpy(upstream.copy()))
        m_grads.append(minitorch.from_numpy(upstream.copy()))
    t_g = torch.autograd.grad(t_outs, t_inputs, t_grads, allow_unused=True)
    m_g = minitorch.autograd.grad(m_outs, m_inputs, m_grads, allow_unused=True)
    for i, (e, a) in enumerate(zip(t_g, m_g)):
        if e is None:
            assert a is None or np.all(a.numpy() == 0), f"grad[{i}]: torch has none"
            continue
        assert a is not None, f"grad[{i}]: minitorch produced no gradient"
        assert_values_close(e, a, rtol, atol, f"grad of input {i}")


def check_error(fn, *args, match=None):
    """Both libraries raise, with the same exception type (and ``match`` in our message)."""
    t_args = [_to_lib(torch, a, False) for a in args]
    m_args = [_to_lib(minitorch, a, False) for a in args]
    try:
        fn(torch, *t_args)
    except Exception as e:  # noqa: BLE001 - we want the type torch raises
        torch_error = e
    else:
        raise AssertionError("torch did not raise; the test case is wrong")
    try:
        fn(minitorch, *m_args)
    except Exception as e:  # noqa: BLE001
        ours = e
    else:
        raise AssertionError(f"minitorch did not raise; torch raised {type(torch_error).__name__}: "
                             f"{torch_error}")
    assert isinstance(ours, type(torch_error)), (
        f"minitorch raised {type(ours).__name__}: {ours}; torch raised "
        f"{type(torch_error).__name__}: {torch_error}")
    if match is not None:
        assert match in str(ours), f"{match!r} not in {str(ours)!r}"
    return torch_error, ours
