"""torch.testing: assert_close and make_tensor, plus helpers to compare with real torch.

``assert_close`` follows torch's defaults: per-dtype tolerances, shape/dtype
checks, NaN handling, and the same "Tensor-likes are not close!" report.
``compare_with_torch`` is minitorch's own addition for instructors and testers:
it imports torch only when called.
"""
import math

import numpy as np

from .. import _dtype
from .._tensor import Tensor

__all__ = ["assert_close", "make_tensor", "compare_with_torch"]

# torch's default (rtol, atol) per dtype.
_DEFAULT_TOLERANCES = {
    "float16": (1e-3, 1e-5),
    "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7),
    "complex64": (1.3e-6, 1e-5),
    "complex128": (1e-7, 1e-7),
}


def _tolerances(dtype_name, rtol, atol):
    if (rtol is None) != (atol is None):
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but got "
                         f"no {'rtol' if rtol is None else 'atol'}.")
    if rtol is not None:
        return rtol, atol
    return _DEFAULT_TOLERANCES.get(dtype_name, (0.0, 0.0))


def _as_array(x):
    if isinstance(x, Tensor):
        return x.detach()._data
    if hasattr(x, "detach") and hasattr(x, "numpy"):  # a real torch tensor
        return x.detach().cpu().numpy()
    return np.asarray(x)


def _dtype_label(x):
    return repr(x.dtype) if isinstance(x, Tensor) else str(getattr(x, "dtype", type(x)))


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None,
                 equal_nan=False, check_device=True, check_dtype=True, check_layout=True,
                 check_stride=False, msg=None):
    """Raise AssertionError unless ``actual`` and ``expected`` are close, as torch.testing."""
    if isinstance(actual, (list, tuple)) and isinstance(expected, (list, tuple)):
        if len(actual) != len(expected):
            raise AssertionError(f"The length of the sequences mismatch: {len(actual)} != "
                                 f"{len(expected)}")
        for a, e in zip(actual, expected):
            assert_close(a, e, rtol=rtol, atol=atol, equal_nan=equal_nan,
                         check_dtype=check_dtype, msg=msg)
        return
    if isinstance(actual, dict) and isinstance(expected, dict):
        if set(actual) != set(expected):
            raise AssertionError(f"The keys of the mappings do not match: {sorted(actual)} != "
                                 f"{sorted(expected)}")
        for k in expected:
            assert_close(actual[k], expected[k], rtol=rtol, atol=atol, equal_nan=equal_nan,
                         check_dtype=check_dtype, msg=msg)
        return
    if isinstance(actual, (int, float, complex)) and isinstance(expected, (int, float, complex)):
        _assert_scalars_close(actual, expected, rtol, atol, equal_nan, msg)
        return
    a, e = _as_array(actual), _as_array(expected)
    if a.shape != e.shape:
        raise AssertionError(msg or f"The values for attribute 'shape' do not match: "
                             f"torch.Size({list(a.shape)}) != torch.Size({list(e.shape)}).")
    if check_dtype and a.dtype != e.dtype:
        raise AssertionError(msg or f"The values for attribute 'dtype' do not match: "
                             f"{_dtype_label(actual)} != {_dtype_label(expected)}.")
    name = _dtype.from_numpy_dtype(e.dtype)._name if e.dtype.kind in "fc" else "other"
    rtol, atol = _tolerances(name, rtol, atol)
    _assert_arrays_close(a, e, rtol, atol, equal_nan, msg)


def _assert_scalars_close(actual, expected, rtol, atol, equal_nan, msg):
    rtol, atol = _tolerances("float64" if isinstance(expected, float) else "other", rtol, atol)
    if equal_nan and isinstance(actual, float) and math.isnan(actual) and math.isnan(expected):
        return
    diff = abs(actual - expected)
    if diff <= atol + rtol * abs(expected):
        return
    rel = diff / abs(expected) if expected else math.inf
    raise AssertionError(msg or (
        f"Scalars are not close!\n\nExpected {expected} but got {actual}.\nAbsolute difference: "
        f"{diff} (up to {atol} allowed)\nRelative difference: {rel} (up to {rtol} allowed)"))


def _assert_arrays_close(a, e, rtol, atol, equal_nan, msg):
    if a.dtype.kind in "biu" and e.dtype.kind in "biu":
        close = a == e
    else:
        a64, e64 = a.astype(np.complex128 if a.dtype.kind == "c" else np.float64), \
            e.astype(np.complex128 if e.dtype.kind == "c" else np.float64)
        with np.errstate(all="ignore"):
            close = np.isclose(a64, e64, rtol=rtol, atol=atol, equal_nan=equal_nan)
    if close.all():
        return
    if msg is not None:
        raise AssertionError(msg)
    mismatched = int((~close).sum())
    with np.errstate(all="ignore"):
        abs_diff = np.abs(a.astype(np.float64) - e.astype(np.float64)) \
            if a.dtype.kind != "c" else np.abs(a - e)
        rel_diff = abs_diff / np.abs(e)
    abs_diff = np.where(np.isnan(abs_diff), np.inf, abs_diff)
    rel_diff = np.where(np.isnan(rel_diff), np.inf, rel_diff)
    i_abs = np.unravel_index(np.argmax(abs_diff), abs_diff.shape) if abs_diff.size else ()
    i_rel = np.unravel_index(np.argmax(rel_diff), rel_diff.shape) if rel_diff.size else ()
    kind = "Tensor-likes" if a.ndim else "Scalars"
    verdict = "equal" if rtol == 0 and atol == 0 else "close"
    raise AssertionError(
        f"{kind} are not {verdict}!\n\nMismatched elements: {mismatched} / {close.size} "
        f"({100.0 * mismatched / close.size:.1f}%)\n"
        f"Greatest absolute difference: {abs_diff[i_abs]} at index {tuple(int(i) for i in i_abs)} "
        f"(up to {atol} allowed)\n"
        f"Greatest relative difference: {rel_diff[i_rel]} at index {tuple(int(i) for i in i_rel)} "
        f"(up to {rtol} allowed)")


def make_tensor(*shape, dtype, device=None, low=None, high=None, requires_grad=False,
                noncontiguous=False, exclude_zero=False, memory_format=None):
    """A random tensor for tests: uniform in [low, high) (defaults as torch: -9..9)."""
    from .. import _random
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    rng = _random.default_generator._rng
    if dtype is _dtype.bool:
        data = rng.random(shape) > 0.5
    elif dtype.is_floating_point or dtype.is_complex:
        lo = -9.0 if low is None else low
        hi = 9.0 if high is None else high
        data = rng.uniform(lo, hi, size=shape)
        if dtype.is_complex:
            data = data + 1j * rng.uniform(lo, hi, size=shape)
    else:
        info = np.iinfo(dtype._np)
        lo = max(-9 if low is None else math.ceil(low), info.min)
        hi = min(10 if high is None else math.ceil(high), info.max)
        data = rng.integers(lo, hi, size=shape)
    data = np.asarray(data).astype(dtype._np)
    if exclude_zero:
        data[data == 0] = 1 if dtype.is_floating_point is False else np.finfo(
            dtype.to_real()._np).eps
    t = Tensor._make(data)
    if noncontiguous and t.numel() > 1:
        doubled = np.repeat(data.reshape(-1), 2)
        t = Tensor._make(doubled[::2].reshape(shape))
    if requires_grad:
        t.requires_grad_(True)
    return t


def compare_with_torch(fn, *arrays, rtol=None, atol=None, grad=True):
    """Run ``fn(lib, *tensors)`` under minitorch and real torch and assert they agree.

    ``arrays`` are NumPy arrays turned into tensors in each library (floating ones
    requiring grad); the outputs and, with ``grad=True``, the gradients of a summed
    output are compared. Needs torch installed; it is imported only here.
    """
    import torch
    import minitorch

    def run(lib):
        tensors = [lib.tensor(np.array(a)) for a in arrays]
        for t in tensors:
            if grad and t.is_floating_point():
                t.requires_grad_(True)
        out = fn(lib, *tensors)
        grads = []
        if grad and out.requires_grad:
            out.sum().backward()
            grads = [t.grad for t in tensors if t.requires_grad]
        return out, grads

    ours, our_grads = run(minitorch)
    theirs, their_grads = run(torch)
    assert_close(ours, theirs.detach().numpy(), rtol=rtol, atol=atol, check_dtype=False)
    for g_ours, g_theirs in zip(our_grads, their_grads):
        assert_close(g_ours, g_theirs.numpy(), rtol=rtol, atol=atol, check_dtype=False)
    return ours, theirs
