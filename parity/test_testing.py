"""minitorch.testing.assert_close behaves as torch.testing.assert_close."""
import numpy as np
import pytest
import torch

import minitorch


def _error(lib, actual, expected, **kw):
    try:
        lib.testing.assert_close(actual, expected, **kw)
    except AssertionError as e:
        return str(e)
    return None


CASES = [
    ([1.0, 2.0], [1.0, 2.1], "float32", "float32", {}),
    ([1.0, 2.0], [1.0, 2.0000001], "float32", "float32", {}),
    ([1.0, 2.0], [1.0, 2.0], "float32", "float64", {}),
    ([1.0, 2.0], [1.0, 2.0, 3.0], "float32", "float32", {}),
    ([1.0, float("nan")], [1.0, float("nan")], "float64", "float64", {}),
    ([1.0, float("nan")], [1.0, float("nan")], "float64", "float64", {"equal_nan": True}),
    ([1, 2], [1, 3], "int64", "int64", {}),
    ([1.0, 2.0], [1.0, 2.5], "float64", "float64", {"rtol": 0.3, "atol": 0.0}),
]


@pytest.mark.parametrize("a,e,da,de,kw", CASES)
def test_assert_close_matches_torch(a, e, da, de, kw):
    theirs = _error(torch, torch.tensor(a, dtype=getattr(torch, da)),
                    torch.tensor(e, dtype=getattr(torch, de)), **kw)
    ours = _error(minitorch, minitorch.tensor(a, dtype=getattr(minitorch, da)),
                  minitorch.tensor(e, dtype=getattr(minitorch, de)), **kw)
    assert (theirs is None) == (ours is None), (theirs, ours)
    if theirs is not None:
        assert ours.splitlines()[0] == theirs.splitlines()[0]
        if "Mismatched elements" in theirs:
            assert ours.splitlines()[2] == theirs.splitlines()[2]


def test_compare_with_torch_helper():
    x = np.linspace(-1, 1, 6).reshape(2, 3)
    minitorch.testing.compare_with_torch(lambda lib, t: (t * t).exp(), x)
    with pytest.raises(AssertionError):
        minitorch.testing.compare_with_torch(
            lambda lib, t: t * 2 if lib is minitorch else t * 3, x)
