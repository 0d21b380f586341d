"""The short-row helpers behind softmax/log_softmax/attention agree with NumPy's reductions
(up to summation order) in shape, dtype and value, for every dtype and layout they take."""
import numpy as np
import pytest

from minitorch._ops import pointwise as pw


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(4, 10), (2, 3, 7), (5,), (3, 0), (2, 128), (2, 129)])
@pytest.mark.parametrize("layout", ["contiguous", "transposed"])
def test_row_sum_matches_numpy(dtype, shape, layout):
    x = np.random.default_rng(0).standard_normal(shape).astype(dtype)
    if layout == "transposed":
        x = np.ascontiguousarray(x.swapaxes(0, -1)).swapaxes(0, -1)  # same values, strided
    for other in (None, x[::-1]):
        expected = np.sum(x if other is None else x * other, axis=-1, keepdims=True)
        actual = pw._row_sum(x, other)
        assert type(actual) is np.ndarray
        assert actual.shape == expected.shape and actual.dtype == expected.dtype
        tol = 1e-2 if dtype == np.float16 else 1e-5
        np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol)


def test_ones_vector_is_a_read_only_constant():
    ones = pw._ones_vector(5, np.dtype(np.float32))
    assert ones.dtype == np.float32 and ones.tolist() == [1.0] * 5
    assert not ones.flags.writeable
    assert pw._ones_vector(5, np.dtype(np.float32)) is ones
