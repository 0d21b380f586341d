"""The NumPy twins that backward rules call must behave exactly as the NumPy functions they
stand in for (values, strides, writeability, errors), on their quick paths and off them."""
import numpy as np
import pytest

import minitorch  # noqa: F401  (registers the twins)
from minitorch.autograd._primitive import numpy_namespace as F

SOURCE_SHAPES = [(), (1,), (3,), (1, 3), (2, 1), (1, 1), (0,), (1, 0), (2, 0, 1), (3, 1, 4)]
TARGET_SHAPES = [(), (1,), (3,), (2, 3), (1, 3), (2, 1), (5, 1), (0,), (1, 0), (2, 0, 1),
                 (2, 0, 7), (3, 1, 4), (3, 6, 4), (0, 3), (4, 3, 1, 4), (-1,), (1, -1)]


def _outcome(fn, x, shape):
    try:
        return fn(x, shape)
    except ValueError as e:
        return e


@pytest.mark.parametrize("dtype", [np.float32, np.complex128, np.bool_, np.int64])
@pytest.mark.parametrize("layout", ["contiguous", "transposed", "scalar"])
def test_broadcast_to_matches_numpy(dtype, layout):
    for source in SOURCE_SHAPES:
        x = np.arange(int(np.prod(source))).astype(dtype).reshape(source)
        if layout == "transposed":
            x = x.T  # non-contiguous when ndim >= 2: NumPy's own path
        elif layout == "scalar":
            x = np.ones((), dtype)[()]  # a NumPy scalar, not an array
        for target in TARGET_SHAPES:
            expected = _outcome(np.broadcast_to, x, target)
            actual = _outcome(F.broadcast_to, x, target)
            if isinstance(expected, Exception):
                assert type(actual) is type(expected) and str(actual) == str(expected)
                continue
            assert actual.shape == expected.shape and actual.dtype == expected.dtype
            assert actual.strides == expected.strides, (source, target)
            assert not actual.flags.writeable
            np.testing.assert_array_equal(actual, expected)


def test_broadcast_to_is_a_view_that_keeps_its_source_alive():
    x = np.arange(3.0).reshape(1, 3)
    view = F.broadcast_to(x, (4, 3))
    del x
    np.testing.assert_array_equal(view, np.tile(np.arange(3.0), (4, 1)))
    assert view.base is not None


@pytest.mark.parametrize("value", [np.arange(6.0), np.float32(2.5), 3.0])
def test_reshape_matches_numpy(value):
    np.testing.assert_array_equal(F.reshape(value, (1, -1)), np.reshape(value, (1, -1)))


ARRAYS = [np.arange(24.0).reshape(2, 3, 4), np.arange(24.0).reshape(2, 3, 4).transpose(2, 0, 1),
          np.arange(3, dtype=np.int32) > 0, np.array(2.5, np.float32), np.float32(1.5),
          np.zeros((0, 3), np.complex64)]


@pytest.mark.parametrize("x", ARRAYS, ids=lambda x: f"{type(x).__name__}{np.shape(x)}")
def test_sum_matches_numpy(x):
    for dim in [None] + [d for d in [0, -1, (0, -1)] if np.ndim(x) >= (2 if d == (0, -1) else 1)]:
        for keepdim in (False, True):
            expected, actual = np.sum(x, axis=dim, keepdims=keepdim), F.sum(x, dim, keepdim)
            assert type(actual) is type(expected) and np.shape(actual) == np.shape(expected)
            assert np.asarray(actual).dtype == np.asarray(expected).dtype
            np.testing.assert_array_equal(actual, expected)


@pytest.mark.parametrize("x", ARRAYS, ids=lambda x: f"{type(x).__name__}{np.shape(x)}")
def test_unsqueeze_matches_expand_dims(x):
    n = np.ndim(x)
    for dim in list(range(-n - 2, n + 2)) + [np.int64(0)]:
        try:
            expected = np.expand_dims(x, dim)
        except Exception as e:  # noqa: BLE001 - out of range: the twin must raise the same
            with pytest.raises(type(e)):
                F.unsqueeze(x, dim)
            continue
        actual = F.unsqueeze(x, dim)
        assert actual.shape == expected.shape and actual.strides == expected.strides
        np.testing.assert_array_equal(actual, expected)


@pytest.mark.parametrize("x", ARRAYS, ids=lambda x: f"{type(x).__name__}{np.shape(x)}")
def test_transpose_matches_swapaxes(x):
    n = np.ndim(x)
    for d0, d1 in [(0, -1), (-1, -2), (1, 0), (0, n)]:
        try:
            expected = np.swapaxes(x, d0, d1)
        except Exception as e:  # noqa: BLE001
            with pytest.raises(type(e)):
                F.transpose(x, d0, d1)
            continue
        actual = F.transpose(x, d0, d1)
        assert actual.shape == expected.shape and actual.strides == expected.strides
        np.testing.assert_array_equal(actual, expected)
