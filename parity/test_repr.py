"""repr/str of tensors must equal torch's character for character."""
import math

import numpy as np
import pytest
import torch

import minitorch


def _both(array):
    """The same values as a torch tensor and a minitorch tensor."""
    return torch.from_numpy(array.copy()), minitorch.from_numpy(array.copy())


def assert_same_repr(array, transform=lambda lib, t: t):
    t, m = _both(np.asarray(array))
    expected = repr(transform(torch, t))
    actual = repr(transform(minitorch, m))
    assert actual == expected, f"\nminitorch:\n{actual}\ntorch:\n{expected}"
    assert str(transform(minitorch, m)) == str(transform(torch, t))


@pytest.fixture(autouse=True)
def _default_printoptions():
    yield
    torch.set_printoptions(profile="default")
    minitorch.set_printoptions(profile="default")


rng = np.random.default_rng(0)

FLOAT_CASES = [
    [1.0, 2.0, 3.0],
    [1.5, -2.25, 3.0],
    [0.1, 0.2, 0.3],
    [1e-5, 1.0],
    [1e9, 1.0],
    [1e8, 2e8],
    [123456.0, 0.5],
    [1000.0, 1.0],
    [1001.0, 1.0],
    [0.0, 0.0],
    [-0.0, 1.0],
    [-0.0],
    [math.nan, 1.0],
    [math.inf, -math.inf, 2.0],
    [math.nan, math.inf, 1.5],
    [math.nan],
    [1e-8, 1e-9],
    [-1.23456789, 100.0],
    [3.14159],
    [1e20, -1e20],
    [5e-5, 0.5],
    [12345678.0],
    [123456789.0],
]


@pytest.mark.parametrize("values", FLOAT_CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_float_vectors(values, dtype):
    with np.errstate(over="ignore"):
        array = np.array(values, dtype=dtype)
    assert_same_repr(array)


@pytest.mark.parametrize("value", [0.0, -0.0, 1.0, 2.5, -3.25, 1e-7, 1e10, math.nan, -math.inf,
                                   123.456])
def test_scalars(value):
    assert_same_repr(np.array(value, dtype=np.float32))
    assert_same_repr(np.array(value, dtype=np.float64))


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.int16, np.int8, np.uint8, np.bool_])
def test_integer_and_bool(dtype):
    array = rng.integers(-100, 100, size=(3, 4)) if dtype is not np.bool_ else \
        rng.random((3, 4)) > 0.5
    if dtype is np.uint8:
        array = np.abs(array)
    assert_same_repr(array.astype(dtype))
    assert_same_repr(np.array(7, dtype=dtype))


@pytest.mark.parametrize("shape", [(2, 3), (3, 1), (1, 3), (2, 2, 2), (2, 1, 3, 2), (4, 5)])
def test_matrices_and_higher(shape):
    assert_same_repr(rng.standard_normal(shape).astype(np.float32))
    assert_same_repr(rng.integers(-1000, 1000, size=shape))


def test_mixed_widths():
    assert_same_repr(np.array([[1.0, -200.5], [3.25, 4.0]], dtype=np.float32))
    assert_same_repr(np.array([[1, -200], [30000, 4]], dtype=np.int64))


@pytest.mark.parametrize("n", [20, 30, 100])
def test_line_wrapping(n):
    assert_same_repr(rng.standard_normal(n).astype(np.float32))
    assert_same_repr(np.arange(n, dtype=np.int64) * 997)
    assert_same_repr(rng.standard_normal((2, n)).astype(np.float64))


@pytest.mark.parametrize("shape", [(1001,), (2000,), (40, 40), (11, 11, 11), (3, 1000), (1000, 3)])
def test_summarization(shape):
    assert_same_repr(rng.standard_normal(shape).astype(np.float32))
    assert_same_repr(rng.integers(0, 10 ** 6, size=shape))


def test_summary_uses_only_shown_values_for_format():
    array = np.ones(2000, dtype=np.float32)
    array[1000] = 0.5  # hidden by summarization, so integer mode stays
    assert_same_repr(array)


@pytest.mark.parametrize("shape", [(0,), (0, 3), (2, 0), (0, 0, 1)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.int32, np.bool_])
def test_empty(shape, dtype):
    assert_same_repr(np.zeros(shape, dtype=dtype))


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
def test_complex(dtype):
    assert_same_repr(np.array([1 + 2j, -3.5 - 0.25j, 0j], dtype=dtype))
    assert_same_repr(np.array([1 + 1j, 2 - 2j], dtype=dtype))
    assert_same_repr(np.array([1e-6 + 1e6j], dtype=dtype))
    assert_same_repr(np.array(complex(1, -0.0), dtype=dtype))
    assert_same_repr((rng.standard_normal((3, 3)) + 1j * rng.standard_normal((3, 3))).astype(dtype))
    assert_same_repr(np.array([complex(math.nan, 1), complex(1, math.inf)], dtype=dtype))


def test_requires_grad_and_grad_fn():
    array = np.array([1.0, 2.0], dtype=np.float32)
    assert_same_repr(array, lambda lib, t: t.requires_grad_())
    assert_same_repr(array, lambda lib, t: t.requires_grad_() * 2)
    assert_same_repr(array, lambda lib, t: t.double().requires_grad_() + 1)
    assert_same_repr(np.array(3.0), lambda lib, t: t.requires_grad_())


def test_long_suffix_moves_to_new_line():
    array = rng.standard_normal(7).astype(np.float64)
    assert_same_repr(array, lambda lib, t: t.requires_grad_())
    assert_same_repr(rng.standard_normal((3, 6)), lambda lib, t: t.requires_grad_() * 2)


def test_default_dtype_changes_suffix():
    array = np.array([1.5, 2.0], dtype=np.float64)
    torch.set_default_dtype(torch.float64)
    minitorch.set_default_dtype(minitorch.float64)
    assert_same_repr(array)
    assert_same_repr(array.astype(np.float32))
    assert_same_repr(np.array([1j], dtype=np.complex128))
    assert_same_repr(np.array([1j], dtype=np.complex64))
    assert_same_repr(np.zeros(0, dtype=np.float32))


@pytest.mark.parametrize("options", [
    dict(precision=2), dict(precision=8), dict(threshold=5), dict(edgeitems=1, threshold=5),
    dict(linewidth=40), dict(sci_mode=True), dict(sci_mode=False), dict(profile="short"),
    dict(profile="full"), dict(edgeitems=0, threshold=3),
])
def test_set_printoptions(options):
    torch.set_printoptions(**options)
    minitorch.set_printoptions(**options)
    assert minitorch.get_printoptions() == torch._tensor_str.get_printoptions()
    assert_same_repr(rng.standard_normal(12).astype(np.float32))
    assert_same_repr(rng.standard_normal((5, 6)).astype(np.float64))
    assert_same_repr(np.array([1e-6, 1.0, 12345.0]))
    assert_same_repr(np.arange(2000))


def test_printoptions_context_manager():
    array = np.array([1.23456789])
    with minitorch.printoptions(precision=2), torch._tensor_str.printoptions(precision=2):
        assert_same_repr(array)
    assert_same_repr(array)


def test_format_of_0d_tensor():
    assert f"{minitorch.tensor(2.5):.3f}" == f"{torch.tensor(2.5):.3f}"
