"""Parity of sorting and searching with torch: sort, topk, kthvalue, unique, searchsorted..."""
import numpy as np
import pytest
import torch

from harness import check, check_error, noncontiguous, rand

F64, F32 = np.float64, np.float32
TIES = np.array([[1.0, 3.0, 3.0, 0.0, 3.0], [2.0, 2.0, 1.0, 2.0, 1.0]])
# Distinct integers: torch breaks ties among equal values in an unspecified way.
DISTINCT_INTS = np.random.default_rng(0).permutation(15).reshape(3, 5) - 7
NANS = np.array([[1.0, np.nan, 0.0, np.nan, 5.0], [np.inf, 4.0, -np.inf, 1.0, 0.0]])


def _inputs(dtype):
    return [rand(3, 5, dtype=dtype), rand(2, 3, 4, dtype=dtype), rand(dtype=dtype),
            noncontiguous(rand(4, 3, dtype=dtype)), np.zeros((0, 3), dtype=dtype)]


# ---------------------------------------------------------------------- sort
@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("descending", [False, True])
def test_sort(dtype, descending):
    for x in _inputs(dtype):
        check(lambda lib, x: lib.sort(x, descending=descending), x)
        check(lambda lib, x: x.sort(0, descending), x)
        check(lambda lib, x: lib.argsort(x, -1, descending=descending), x)
    check(lambda lib, x: lib.sort(x, stable=True, descending=descending), TIES)
    check(lambda lib, x: lib.sort(x, dim=0, stable=True, descending=descending), TIES.T)
    check(lambda lib, x: lib.argsort(x, descending=descending, stable=True), TIES)
    check(lambda lib, x: lib.sort(x, descending=descending), NANS)
    check(lambda lib, x: lib.sort(x, descending=descending, stable=True),
          rand(3, 6, dtype=np.int64, low=0, high=3))
    check(lambda lib, x: lib.sort(x, descending=descending, stable=True), rand(7) > 0)


def test_sort_result_type_and_errors():
    t, m = check(lambda lib, x: lib.sort(x), rand(3, 4))
    assert type(m).__name__ == "sort" and m.values is m[0] and m.indices is m[1]
    assert m.values.grad_fn.name() == t.values.grad_fn.name()
    check_error(lambda lib, x: x.sort(2), rand(3, 4))
    check_error(lambda lib, x: x.sort(), rand(3, dtype=np.complex128))


def test_msort():
    check(lambda lib, x: lib.msort(x), rand(4, 3))
    check(lambda lib, x: x.msort(), noncontiguous(rand(4, 3, dtype=F32)))


# -------------------------------------------------------------------- topk
@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("largest", [True, False])
def test_topk(dtype, largest):
    x = rand(3, 5, dtype=dtype)
    check(lambda lib, x: lib.topk(x, 2, largest=largest), x)
    check(lambda lib, x: x.topk(3, 0, largest), x)
    check(lambda lib, x: x.topk(0, largest=largest), x)
    check(lambda lib, x: x.topk(5, largest=largest), x)
    check(lambda lib, x: x.topk(1, dim=-1, largest=largest), rand(dtype=dtype))
    check(lambda lib, x: x.topk(2, dim=1, largest=largest), noncontiguous(rand(3, 4, 2)))
    check(lambda lib, x: x.topk(2, largest=largest), DISTINCT_INTS)


def test_topk_unsorted_values():
    """torch leaves the order of sorted=False unspecified: compare as sets."""
    x = rand(3, 6)
    t = torch.topk(torch.from_numpy(x), 3, sorted=False)
    import minitorch
    m = minitorch.topk(minitorch.from_numpy(x), 3, sorted=False)
    np.testing.assert_allclose(np.sort(m.values.numpy(), -1), np.sort(t.values.numpy(), -1))
    np.testing.assert_array_equal(np.sort(m.indices.numpy(), -1), np.sort(t.indices.numpy(), -1))


def test_topk_errors():
    check_error(lambda lib, x: x.topk(6), rand(3, 5))
    check_error(lambda lib, x: x.topk(-1), rand(3, 5))
    check_error(lambda lib, x: x.topk(1, dim=3), rand(3, 5))
    check_error(lambda lib, x: x.topk(1), rand(3, dtype=np.complex128))


# ---------------------------------------------------------------- kthvalue
@pytest.mark.parametrize("dtype", [F64, F32])
def test_kthvalue(dtype):
    x = rand(3, 5, dtype=dtype)
    for k in (1, 3, 5):
        check(lambda lib, x: lib.kthvalue(x, k), x)
        check(lambda lib, x: x.kthvalue(k, 1, keepdim=True), x)
    check(lambda lib, x: x.kthvalue(2, 0), noncontiguous(rand(4, 3, dtype=dtype)))
    check(lambda lib, x: x.kthvalue(1), rand(dtype=dtype))
    check(lambda lib, x: x.kthvalue(2, 1), np.zeros((0, 3), dtype=dtype))
    check(lambda lib, x: x.kthvalue(3), DISTINCT_INTS)
    _, m = check(lambda lib, x: lib.kthvalue(x, 2), x)
    assert type(m).__name__ == "kthvalue"


def test_kthvalue_errors():
    check_error(lambda lib, x: x.kthvalue(0), rand(3, 5))
    check_error(lambda lib, x: x.kthvalue(6), rand(3, 5))
    check_error(lambda lib, x: x.kthvalue(1, 0), np.zeros((0, 3)))
    check_error(lambda lib, x: x.kthvalue(1), rand(3, dtype=np.complex128))


def test_sort_topk_double_backward():
    def second(lib, x, name):
        y = x.sort(1).values if name == "sort" else x.topk(2).values
        y = y * y
        (g,) = lib.autograd.grad((y * lib.arange(y.shape[1] * 1.0, dtype=x.dtype)).sum(), x,
                                 create_graph=True)
        return (g * g).sum()
    for name in ("sort", "topk"):
        check(lambda lib, x: second(lib, x, name), rand(3, 4))


# ------------------------------------------------------------------ unique
@pytest.mark.parametrize("dtype", [np.int64, F64, F32, np.bool_])
def test_unique(dtype):
    x = rand(3, 4, dtype=dtype, low=0, high=3)
    for inv in (False, True):
        for counts in (False, True):
            kw = dict(return_inverse=inv, return_counts=counts)
            check(lambda lib, x: lib.unique(x, **kw), x, grad=False)
            check(lambda lib, x: x.unique(sorted=True, **kw), noncontiguous(x), grad=False)
            check(lambda lib, x: lib.unique(x, **kw, dim=0), np.concatenate([x, x[:1]]),
                  grad=False)
            check(lambda lib, x: lib.unique(x, **kw, dim=1),
                  np.concatenate([x, x[:, :1]], axis=1), grad=False)
    check(lambda lib, x: lib.unique(x, return_counts=True), np.zeros((0,), dtype=dtype),
          grad=False)
    check(lambda lib, x: lib.unique(x, return_inverse=True), np.array(1, dtype=dtype),
          grad=False)


def test_unique_sorted_false():
    x = np.array([3, 1, 2, 1, 3])
    check(lambda lib, x: lib.unique(x, sorted=False, return_inverse=True), x)


@pytest.mark.parametrize("dtype", [np.int64, F64])
def test_unique_consecutive(dtype):
    x = np.array([[1, 1, 2, 2, 3, 1, 1, 2], [1, 1, 2, 2, 3, 1, 2, 2]], dtype=dtype)
    for inv in (False, True):
        for counts in (False, True):
            kw = dict(return_inverse=inv, return_counts=counts)
            check(lambda lib, x: lib.unique_consecutive(x, **kw), x, grad=False)
            check(lambda lib, x: x.unique_consecutive(**kw, dim=1), x, grad=False)
            check(lambda lib, x: lib.unique_consecutive(x, **kw, dim=0), np.repeat(x, 2, 0),
                  grad=False)
    check(lambda lib, x: lib.unique_consecutive(x, return_counts=True),
          np.zeros((0,), dtype=dtype), grad=False)


@pytest.mark.parametrize("call", [
    lambda lib, x: lib.unique(x), lambda lib, x: lib.unique(x, return_counts=True)[0],
    lambda lib, x: lib.unique(x, dim=0), lambda lib, x: lib.unique_consecutive(x),
    lambda lib, x: lib.bincount(lib.tensor([0, 2, 2, 1]), x)])
def test_no_derivative(call):
    """Like torch, the result requires grad but its backward raises."""
    import minitorch
    x = rand(4)
    outs = []
    for lib in (torch, minitorch):
        t = lib.from_numpy(x.copy()).requires_grad_()
        out = call(lib, t)
        assert out.requires_grad
        outs.append(type(out.grad_fn).__name__)
    assert outs[0] == outs[1]
    check_error(lambda lib, x: call(lib, x.requires_grad_()).sum().backward(), x)


# --------------------------------------------------------------- searching
@pytest.mark.parametrize("right", [False, True])
def test_searchsorted(right):
    seq = np.array([1.0, 2.0, 2.0, 4.0, 7.0])
    values = np.array([[0.0, 2.0, 3.0], [7.0, 8.0, 4.0]])
    check(lambda lib, s, v: lib.searchsorted(s, v, right=right), seq, values, grad=False)
    check(lambda lib, s, v: lib.searchsorted(s, v, side="right" if right else "left"),
          seq, values, grad=False)
    check(lambda lib, s: lib.searchsorted(s, 2.0, right=right), seq, grad=False)
    check(lambda lib, s, v: lib.searchsorted(s, v, right=right, out_int32=True), seq, values,
          grad=False)
    nd = np.sort(rand(2, 5), axis=-1)
    check(lambda lib, s, v: lib.searchsorted(s, v, right=right), nd, values, grad=False)
    shuffled = np.array([4.0, 1.0, 7.0, 2.0])
    sorter = np.argsort(shuffled)
    check(lambda lib, s, v, o: lib.searchsorted(s, v, sorter=o, right=right), shuffled,
          values, sorter, grad=False)
    ints = np.array([1, 3, 5, 7])
    check(lambda lib, s, v: lib.searchsorted(s, v, right=right), ints, np.array([3, 4, 8]))
    check(lambda lib, s, v: lib.searchsorted(s, v, right=right), ints, np.array([2.5, 3.0]),
          grad=False)
    check(lambda lib, s: lib.searchsorted(s, 2.5, right=right), ints)
    check(lambda lib, s, v: lib.searchsorted(s, v, right=right), seq, np.array([np.nan, 2.0]),
          grad=False)


def test_searchsorted_errors():
    seq = np.sort(rand(2, 5), axis=-1)
    check_error(lambda lib, s, v: lib.searchsorted(s, v), seq, rand(3, 2))
    check_error(lambda lib, s, v: lib.searchsorted(s, v, side="middle"), seq[0], rand(3))
    check_error(lambda lib, s, v: lib.searchsorted(s, v, side="left", right=True), seq[0],
                rand(3))


@pytest.mark.parametrize("right", [False, True])
def test_bucketize(right):
    boundaries = np.array([1.0, 3.0, 5.0, 7.0, 9.0])
    x = np.array([[3.0, 6.0, 9.0], [0.0, 1.0, 10.0]])
    check(lambda lib, x, b: lib.bucketize(x, b, right=right), x, boundaries, grad=False)
    check(lambda lib, x, b: lib.bucketize(x, b, right=right, out_int32=True), x, boundaries,
          grad=False)
    check(lambda lib, b: lib.bucketize(5.0, b, right=right), boundaries, grad=False)
    check_error(lambda lib, x, b: lib.bucketize(x, b), x, np.ones((2, 2)))


# -------------------------------------------------------------- histograms
@pytest.mark.parametrize("dtype", [F64, F32])
def test_histc(dtype):
    x = rand(50, dtype=dtype)
    check(lambda lib, x: lib.histc(x), x, grad=False)
    check(lambda lib, x: lib.histc(x, bins=7, min=-1, max=1), x, grad=False)
    check(lambda lib, x: x.histc(4, 0, 3), np.array([0.0, 0.5, 1.0, 2.999, 3.0, 3.5, -0.1,
                                                    1.5, 2.25, np.nan], dtype=dtype),
          grad=False)
    check(lambda lib, x: lib.histc(x, bins=3), np.full(4, 2.0, dtype=dtype), grad=False)
    check(lambda lib, x: lib.histc(x, bins=3), np.zeros((0,), dtype=dtype), grad=False)
    check(lambda lib, x: lib.histc(x, bins=5), noncontiguous(rand(3, 4, dtype=dtype)),
          grad=False)
    check_error(lambda lib, x: lib.histc(x, bins=3, min=2, max=1), x)
    check_error(lambda lib, x: lib.histc(x, bins=0), x)
    check_error(lambda lib, x: lib.histc(x), rand(3, dtype=np.int64))


def test_bincount():
    x = np.array([0, 3, 1, 3, 3, 5])
    check(lambda lib, x: lib.bincount(x), x)
    check(lambda lib, x: x.bincount(minlength=10), x)
    check(lambda lib, x, w: lib.bincount(x, w), x, rand(6), grad=False)
    check(lambda lib, x, w: lib.bincount(x, w), x, rand(6, dtype=F32), grad=False)
    check(lambda lib, x, w: lib.bincount(x, weights=w, minlength=8), x,
          rand(6, dtype=np.int64), grad=False)
    check(lambda lib, x: lib.bincount(x), np.zeros((0,), dtype=np.int64))
    check(lambda lib, x: lib.bincount(x), x.astype(np.uint8))
    check_error(lambda lib, x: lib.bincount(x), np.array([1, -1]))
    check_error(lambda lib, x: lib.bincount(x), np.array([[1, 2]]))
    check_error(lambda lib, x: lib.bincount(x), np.array([1.0, 2.0]))
    check_error(lambda lib, x: lib.bincount(x), np.array([True]))
    check_error(lambda lib, x, w: lib.bincount(x, w), x, rand(5))
    check_error(lambda lib, x: lib.bincount(x, minlength=-1), x)


@pytest.mark.parametrize("op", [lambda x: x.sort(1).values, lambda x: x.topk(2).values,
                                lambda x: x.kthvalue(2).values, lambda x: x.max(1).values,
                                lambda x: x.cummin(1).values, lambda x: x.median(0).values])
def test_results_modified_in_place(op):
    """Only indices are kept for backward (as torch): values may be changed in place."""
    check(lambda lib, x: op(x).mul_(2), rand(3, 4))
