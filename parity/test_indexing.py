"""Parity: t[...] reads and writes, gather/scatter, index_*, masked_*, take/put, nonzero."""
import numpy as np
import pytest
import torch

import minitorch
from harness import check, check_error, noncontiguous, rand

F64, F32 = np.float64, np.float32


def _grad_fn_chain(t, stop):
    """Names of grad_fn nodes from t back to (not including) the node named ``stop``."""
    names, fn = [], t.grad_fn
    while fn is not None and type(fn).__name__ != stop:
        names.append(type(fn).__name__)
        fn = fn.next_functions[0][0]
    return names


def _version(t):
    """The version counter as an int (minitorch keeps it in a shared one-element list)."""
    return t._version if isinstance(t, torch.Tensor) else t._version_counter


# ------------------------------------------------------------------ getitem
BASIC_INDICES = [
    0, -1, (slice(1, None),), (slice(None), 0), (slice(None), slice(None), -2), None, Ellipsis,
    (Ellipsis, 0), (0, None, 1), (slice(None, None, 2),), (slice(-10, 10),), (slice(0, 3),),
    (None, slice(None), None, 0), (0, 0, 0), (slice(3, None),), (slice(2, 1),),
    (slice(None), slice(1, -1), slice(None, None, 3)), (Ellipsis, None), (0, Ellipsis, 0),
]


@pytest.mark.parametrize("index", BASIC_INDICES, ids=repr)
@pytest.mark.parametrize("dtype", [F64, F32])
def test_basic_getitem(index, dtype):
    t_out, m_out = check(lambda lib, x: (x * 1)[index], rand(3, 4, 5, dtype=dtype))
    assert _grad_fn_chain(m_out, "MulBackward0") == _grad_fn_chain(t_out, "MulBackward0")


ADVANCED_INDICES = [
    [0, 2, 0], [[0, 1], [2, 2]], [-1, -3], [], [True, False, True], (1, slice(None), [0, 1]),
    ([0, 1], slice(None), [0, 1]), ([[0], [1]], slice(None), [0, 1]),
    (slice(None), [0, 1], [1, 2]), (slice(None), [0, 1], None, [1, 2]),
    (slice(None), [0, 1], Ellipsis, [1, 2]), ([0, 1], None), (None, [0, 1]), True, False,
    (0, [True, False, True, False]), ([0, 2], [True, False, True, False]),
    (Ellipsis, [0, 0, 4]), (True, [0, 1]), (False, slice(None), None, True),
    (slice(1, None), [3, 3, 0]), (slice(None, None, 2), 1, [4, 4]),
]


@pytest.mark.parametrize("index", ADVANCED_INDICES, ids=repr)
@pytest.mark.parametrize("dtype", [F64, F32])
def test_advanced_getitem(index, dtype):
    t_out, m_out = check(lambda lib, x: x[index], rand(3, 4, 5, dtype=dtype))
    assert type(m_out.grad_fn).__name__ == type(t_out.grad_fn).__name__


@pytest.mark.parametrize("make", [
    lambda lib: lib.tensor([2, 0, 2, 2]),
    lambda lib: lib.tensor([[1, 1], [0, 2]], dtype=lib.int32),
    lambda lib: lib.tensor(1),
    lambda lib: lib.tensor(True),
    lambda lib: lib.tensor(False),
    lambda lib: lib.tensor([True, False, True]),
], ids=["int64", "int32", "0d-int", "0d-true", "0d-false", "mask"])
def test_tensor_index(make):
    check(lambda lib, x: x[make(lib)], rand(3, 4))
    check(lambda lib, x: x[:, make(lib)], rand(4, 3))


def test_mask_getitem_and_numpy_index():
    x = rand(3, 4, 5)
    mask = rand(3, 4, dtype=bool)
    check(lambda lib, x, m: x[m], x, mask)
    check(lambda lib, x, m: x[x > 0], x, mask)
    check(lambda lib, x: x[np.array([2, 0, 2])], x)
    check(lambda lib, x: x[:, np.array([True, False, True, True])], x)
    check(lambda lib, x: x[np.int64(1), np.array(2)], x)
    check(lambda lib, x: x[lib.tensor(1):, :np.int64(2)], x)
    check_error(lambda lib, x: x[0.5:], x)


def test_getitem_duplicate_indices_accumulate():
    t_out, m_out = check(lambda lib, x: x[[1, 1, 1, -2]] * 3, rand(3, 2))
    check(lambda lib, x: x[[[0, 0], [0, 0]], [[1, 1], [1, 0]]], rand(2, 2))


def test_getitem_noncontiguous_zero_dim_and_empty():
    check(lambda lib, x: x[1:, [0, 0]], noncontiguous(rand(4, 3)))
    check(lambda lib, x: x[None], rand())
    check(lambda lib, x: x[...], rand())
    check(lambda lib, x: x[True], rand())
    check(lambda lib, x: x[[0, 0]], rand(1))
    check(lambda lib, x: x[1:], rand(0, 3))
    check(lambda lib, x: x[:, [0, 1]], rand(0, 3))
    check(lambda lib, x: x[x > 10], rand(2, 3))


def test_getitem_complex_and_odd_lists():
    check(lambda lib, x: x[1:, [0, 0, 2]], rand(3, 4, dtype=np.complex128))
    check(lambda lib, x: x[[1.7, 0.2]], rand(3, 4))      # torch truncates float lists
    check(lambda lib, x: x[[0, True]], rand(3, 4))       # a bool among ints is an int
    check(lambda lib, x: x[np.array([2.9, 0.0])], rand(3, 4))
    check(lambda lib, x: x[np.array([1, 0], np.uint16)], rand(3, 4))
    check(lambda lib, x: x[list(range(3)) * 11], rand(3, 4))  # 33 items: an index, no tuple


def test_getitem_int_dtypes():
    check(lambda lib, x: x[1:, [0, 2]], rand(3, 4, dtype=np.int32))
    check(lambda lib, x: x[x], rand(5, dtype=bool))
    check(lambda lib, x: x[0, 1], rand(3, 4, dtype=np.int64))


def test_basic_getitem_is_a_view():
    for lib in (torch, minitorch):
        x = lib.zeros(3, 4)
        v = x[1:, ::2]
        v[0, 1] = 5.0
        assert x[1, 2].item() == 5.0
        assert x._version == v._version
        assert v._base is x
        w = x[[0, 1]]
        w[0, 0] = 7.0
        assert x[0, 0].item() == 0.0


@pytest.mark.parametrize("index", [
    5, (0, 4), (0, 0, 5), (0, 0, 0, 0), -4, 1.0, (slice(None), 1.5), [5], (slice(None), [0, 9]),
    (slice(None, None, -1),), (slice(None, None, 0),), ([0, 1], [0, 1, 2]),
    (slice(None), slice(None), slice(None), [0]), (None, 3),
], ids=repr)
def test_getitem_errors(index):
    check_error(lambda lib, x: x[index], rand(3, 4, 5))


def test_getitem_tensor_index_errors():
    check_error(lambda lib, x: x[lib.tensor([1.0])], rand(3, 4))
    check_error(lambda lib, x: x[lib.tensor([0, 5])], rand(3, 4))
    check_error(lambda lib, x: x[lib.tensor([0], dtype=lib.int16)], rand(3, 4))
    check_error(lambda lib, x: x[lib.ones(1, 2, dtype=lib.bool)], rand(3, 4))
    check_error(lambda lib, x: x[:, lib.ones(4, 6, dtype=lib.bool)], rand(3, 4, 5),
                match="at index 1")
    check_error(lambda lib, x: x[0], rand())
    check_error(lambda lib, x: x["a"], rand(3))


# ------------------------------------------------------------------ setitem
SET_INDICES = [0, (slice(1, None),), (slice(None), 1), ([0, 2],), ([0, 0],), (1, [1, 3]),
               (slice(None), [3, 0]), Ellipsis, (None, 0), (slice(None, None, 2), 1)]


@pytest.mark.parametrize("index", SET_INDICES, ids=repr)
@pytest.mark.parametrize("dtype", [F64, F32])
def test_setitem_tensor_value_grads(index, dtype):
    def fn(lib, x, v):
        y = x * 1
        target_shape = y[index].shape
        y[index] = v.expand(target_shape) if v.ndim == 0 else v
        return y
    check(fn, rand(3, 4, dtype=dtype), rand(dtype=dtype))

    def fn2(lib, x, v):
        y = x * 2
        y[index] = v * 3
        return y
    shape = torch.zeros(3, 4)[index].shape
    check(fn2, rand(3, 4, dtype=dtype), rand(*shape, dtype=dtype))


def test_setitem_broadcast_and_scalars():
    def fn(lib, x, v):
        y = x.clone()
        y[:, 1:] = v          # broadcast a row
        y[0] = 2.5            # scalar
        y[[2, 1], 0] = -1     # int scalar with advanced index
        return y
    check(fn, rand(3, 4), rand(3))

    def leading_ones(lib, x, v):
        y = x.clone()
        y[0] = v              # v has an extra leading 1-dim, dropped as torch does
        return y
    check(leading_ones, rand(3, 4), rand(1, 4))

    def mask(lib, x, v):
        y = x.clone()
        y[y > 0] = v
        return y
    check(mask, rand(3, 4), rand())

    def mask_values(lib, x, v):
        y = x.clone()
        y[lib.tensor([True, False, True])] = v
        return y
    check(mask_values, rand(3, 4), rand(2, 4))


def test_setitem_dtype_cast():
    def fn(lib, x, v):
        y = x.clone()
        y[1] = v            # float64 value into float32 tensor: grad comes back as float64
        y[0, 0] = 7         # python int
        y[[2], 0] = True
        return y
    check(fn, rand(3, 4, dtype=F32), rand(4, dtype=F64))

    def ints(lib, x):
        y = x.clone()
        y[0] = 2.7
        y[[1, 1]] = lib.tensor([1, 9]).unsqueeze(1)
        y[y > 0] = lib.tensor(2.5)   # a single mask casts the value, as copy_ does
        return y
    check(ints, rand(3, 2, dtype=np.int64))

    def mismatch(lib, x):
        x[[0]] = lib.tensor([1.5], dtype=lib.float64)
    check_error(mismatch, rand(3, dtype=F32))


def test_setitem_through_views_and_inplace_views():
    def write_row(lib, x, v):
        y = x * 1
        y[0] = v
        return y.sum() * y
    check(write_row, rand(3, 4), rand(4))

    def mul_view(lib, x):
        y = x * 1
        y[:, 1].mul_(2)
        return y
    check(mul_view, rand(3, 4))

    def view_of_view(lib, x, v):
        y = x * 1
        z = y[1:]
        z[:, [0, 2]] = v
        return y, z
    check(view_of_view, rand(3, 4), rand(2, 2))

    def nested(lib, x, v):
        y = x * 2
        row = y[1]
        row[2:] = v
        return y * row.sum()
    check(nested, rand(3, 4), rand(2))

    def existing_view_sees_write(lib, x, w):
        y = x * 1
        row = y[0]
        y[0, 1:] = w            # row's grad_fn is re-derived from y's new history
        return row * 2
    check(existing_view_sees_write, rand(3, 4), rand(3))

    def through_transpose(lib, x, v):
        b = x * 1
        bt = b.t()
        bt[1] = v
        bt[:, [0]] *= 2
        return b
    check(through_transpose, rand(3, 4), rand(3))

    def into_expanded(lib, x):
        x.expand(3, 4)[:, 0] = 1.0   # three elements share one memory location
    check_error(into_expanded, rand(1, 4))

    def saved_output_overwritten(lib, x):
        x = x.requires_grad_()
        y = x.exp()        # exp saves its output, which the write below invalidates
        y[0] = 1.0
        y.sum().backward()
    check_error(saved_output_overwritten, rand(3))


def test_setitem_augmented_and_grad_fn():
    def augmented(lib, x, v):
        y = x * 1
        y[0] += v
        y[[1, 1]] += 1.0
        y[:, -1] *= v
        return y
    check(augmented, rand(3, 4), rand())

    def into_plain_tensor(lib, v):
        y = lib.zeros(2, 3, dtype=lib.float64)
        y[1] = v
        y[[0, 0], [2, 1]] = v[:2] * 2
        return y
    check(into_plain_tensor, rand(3))
    for index in (0, Ellipsis, [0], (0, [1]), (slice(None), 1), slice(None), None, True, False):
        for value in (5.0, np.array(2.0), np.ones(3)):
            seen = []
            for lib in (torch, minitorch):
                y = lib.ones(2, 3, requires_grad=True) * 1
                try:
                    y[index] = value if isinstance(value, float) else lib.tensor(value).float()
                except RuntimeError:
                    seen.append("RuntimeError")
                    continue
                seen.append((type(y.grad_fn).__name__, _version(y)))
            assert seen[0] == seen[1], (index, value, seen)


def test_setitem_leaf_errors_and_no_grad():
    for lib in (torch, minitorch):
        x = lib.zeros(3, requires_grad=True)
        with pytest.raises(RuntimeError, match="leaf Variable"):
            x[0] = 1.0
        with pytest.raises(RuntimeError, match="leaf Variable"):
            x[[0]] = 1.0
        with lib.no_grad():
            x[0] = 1.0
            x[[1, 2]] = lib.tensor([2.0, 3.0])
        assert x.tolist() == [1.0, 2.0, 3.0] and x.requires_grad and x.grad_fn is None


def test_setitem_errors():
    for value in ([1.0, 2.0, 3.0, 4.0], np.ones(4), "a", None):
        def assign(lib, x):
            x[0] = value
        check_error(assign, rand(3, 4))

    def shape_mismatch(lib, x):
        x[0] = lib.ones(3)
    check_error(shape_mismatch, rand(3, 4))

    def adv_shape_mismatch(lib, x):
        x[[0, 1]] = lib.ones(3, 4)
    check_error(adv_shape_mismatch, rand(3, 4))

    def shift_in_place(lib, x):
        x[1:] = x[:-1]
    check_error(shift_in_place, rand(5))

    def gather_from_self(lib, x):
        x[[1, 2]] = x[:2]
    check_error(gather_from_self, rand(5))

    def self_assign(lib, x, v):      # an exact alias is allowed
        y = x * 1
        y[0] = y[0]
        y.copy_(y)
        y[1:] = v
        return y
    check(self_assign, rand(3, 2), rand(2))

    def out_of_bounds(lib, x):
        x[[3]] = 1.0
    check_error(out_of_bounds, rand(3, 4))


# --------------------------------------------------------- copy_ / fill_ / zero_
@pytest.mark.parametrize("dtype", [F64, F32])
def test_copy_fill_zero(dtype):
    def copy(lib, x, s):
        y = x * 1
        y.copy_(s)
        return y * x
    t_out, m_out = check(copy, rand(3, 4, dtype=dtype), rand(4, dtype=dtype))
    check(copy, rand(3, 4, dtype=dtype), rand(3, 4, dtype=np.float64 if dtype == F32 else F32))

    def fill(lib, x, v):
        y = x * 2
        y[1:].fill_(v)
        y[0].fill_(3)
        return y
    check(fill, rand(3, 4, dtype=dtype), rand(dtype=dtype))

    def zero(lib, x):
        y = x * 2
        y[:, 1].zero_()
        return y
    check(zero, noncontiguous(rand(3, 4, dtype=dtype)))


def test_copy_grad_fn_and_errors():
    for lib in (torch, minitorch):
        y = lib.ones(2, requires_grad=True) * 1
        assert type(y.clone().copy_(lib.zeros(2)).grad_fn).__name__ == "CopyBackwards"
        assert type(y.clone().fill_(2).grad_fn).__name__ == "FillBackward2"
        assert type(y.clone().zero_().grad_fn).__name__ == "ZeroBackward0"
    check_error(lambda lib, x, s: x.copy_(s), rand(3, 4), rand(3))
    check_error(lambda lib, x, s: x.fill_(s), rand(3, 4), rand(3))
    check(lambda lib, x: x.clone().copy_(lib.tensor([1.7, -2.2])), rand(2, dtype=np.int32))


# ----------------------------------------------------------- gather / scatter
def _index(shape, high, seed=None):
    return rand(*shape, dtype=np.int64, low=0, high=high - 1, seed=seed)


@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_gather(dtype, dim):
    x = rand(3, 4, dtype=dtype)
    size = x.shape[dim]
    idx = _index((2, 3), size)
    check(lambda lib, x, i: lib.gather(x, dim, i), x, idx)
    check(lambda lib, x, i: x.gather(dim, i), noncontiguous(x), idx)
    check_error(lambda lib, x, i: lib.gather(x, dim, -i - 1), x, idx)


def test_gather_edge_cases():
    check(lambda lib, x, i: lib.gather(x, 0, i), rand(), np.array(0))
    check(lambda lib, x, i: lib.gather(x, 0, i), rand(4), np.array([3, 3, 0]))
    check(lambda lib, x, i: lib.gather(x, 1, i), rand(3, 4), np.zeros((3, 0), np.int64))
    check_error(lambda lib, x, i: lib.gather(x, 0, i), rand(3, 4), np.array([[5]]))
    check_error(lambda lib, x, i: lib.gather(x, 0, i), rand(3, 4), np.array([[[0]]]))
    check_error(lambda lib, x, i: lib.gather(x, 0, i), rand(3, 4), np.zeros((1, 6), np.int64))
    check(lambda lib, x, i: lib.gather(x, 0, i), rand(3, 4), np.zeros((1, 1), np.int32))
    check_error(lambda lib, x, i: lib.gather(x, 0, i), rand(3, 4), np.zeros((1, 1), np.int16))
    check_error(lambda lib, x, i: lib.gather(x, 2, i), rand(3, 4), np.zeros((1, 1), np.int64))


@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("dim", [0, 1])
def test_scatter_family(dtype, dim):
    x, src = rand(3, 4, dtype=dtype), rand(3, 4, dtype=dtype)
    idx = _index((3, 4), x.shape[dim])
    # a permutation along dim: scatter without collisions, so gradients are well defined
    perm = np.argsort(rand(3, 4), axis=dim)[:2] if dim == 0 else np.argsort(rand(3, 4), axis=1)
    src_p = rand(*perm.shape, dtype=dtype)
    check(lambda lib, x, i, s: lib.scatter(x, dim, i, s), x, perm, src_p)
    check(lambda lib, x, i: lib.scatter(x, dim, i, 1.5), x, idx)
    check(lambda lib, x, i: x.scatter(dim, i, value=-2), x, idx)
    check(lambda lib, x, i, s: lib.scatter_add(x, dim, i, s), x, idx, src)
    check(lambda lib, x, i, s: x.scatter_add(dim, i, s), noncontiguous(x), idx, src)
    check(lambda lib, x, i, s: lib.scatter(x, dim, i, s, reduce="add"), x, idx, src, grad=False)
    check(lambda lib, x, i, s: lib.scatter(x, dim, i, s, reduce="multiply"), x, idx, src,
          grad=False)


def test_scatter_zero_d_and_empty():
    zero_d = np.array(0)
    check(lambda lib, x, i, s: lib.scatter(x, 0, i, s), rand(), zero_d, rand())
    check(lambda lib, x, i, s: lib.scatter_add(x, -1, i, s), rand(), zero_d, rand())
    check(lambda lib, x, i: lib.scatter(x, 0, i, 2.0), rand(), zero_d)
    check(lambda lib, x, i, s: lib.scatter_reduce(x, 0, i, s, "amax"), rand(), zero_d, rand())
    empty = np.zeros((0, 4), np.int64)
    check(lambda lib, x, i, s: lib.scatter_add(x, 0, i, s), rand(3, 4), empty, rand(0, 4))
    check(lambda lib, x, i, s: lib.index_add(x, 0, i, s), rand(), np.array([0]), rand())
    check(lambda lib, x, i, s: lib.index_copy(x, 0, i, s), rand(), np.array([0]), rand())
    check(lambda lib, x, i: lib.index_fill(x, 0, i, 1.0), rand(), np.array([0]))


def test_scatter_src_larger_than_index():
    check(lambda lib, x, i, s: lib.scatter_add(x, 0, i, s), rand(3, 4), _index((2, 3), 3),
          rand(3, 4), grad=False)
    check(lambda lib, x, i, s: lib.scatter(x, 0, i, s), rand(3, 4), np.array([[0, 1, 2]]),
          rand(2, 4), grad=False)


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("dtype", [F64, F32])
def test_scatter_reduce(reduce, include_self, dtype):
    x = rand(3, 4, dtype=dtype)
    src = rand(5, 4, dtype=dtype)
    idx = np.array([[0, 1, 2, 0], [2, 2, 0, 0], [0, 1, 1, 0], [1, 1, 2, 0], [0, 0, 0, 0]])
    check(lambda lib, x, i, s: lib.scatter_reduce(x, 0, i, s, reduce, include_self=include_self),
          x, idx, src)
    check(lambda lib, x, i, s: x.scatter_reduce(1, i, s, reduce, include_self=include_self),
          x, idx[:3] % 4, src[:3])


def test_scatter_reduce_index_smaller_than_src():
    idx = np.array([[0, 1]])
    for reduce in ("sum", "mean"):
        check(lambda lib, x, i, s: lib.scatter_reduce(x, 0, i, s.detach(), reduce), rand(3, 4),
              idx, rand(2, 4))
    for reduce in ("sum", "amax"):
        def self_grad(lib, x, i, s):
            x.requires_grad_()
            lib.scatter_reduce(x, 0, i, s, reduce).sum().backward()
        if reduce == "amax":
            check_error(self_grad, rand(3, 4), idx, rand(2, 4))

        def src_grad(lib, x, i, s):
            s.requires_grad_()
            lib.scatter_reduce(x, 0, i, s, reduce).sum().backward()
        check_error(src_grad, rand(3, 4), idx, rand(2, 4))


def test_scatter_reduce_ties_zeros_and_ints():
    x = np.array([[1.0, 0.0, 2.0], [3.0, 3.0, 0.0]])
    src = np.array([[3.0, 0.0, 2.0], [3.0, 5.0, 0.0]])
    idx = np.array([[1, 0, 0], [1, 1, 0]])
    for reduce in ("prod", "amax", "amin", "mean"):
        check(lambda lib, x, i, s: lib.scatter_reduce(x, 0, i, s, reduce), x, idx, src)
    check(lambda lib, x, i, s: lib.scatter_reduce(x, 0, i, s, "mean", include_self=False),
          rand(3, 2, dtype=np.int64, low=-9, high=9), np.array([[0, 1], [0, 1]]),
          rand(2, 2, dtype=np.int64, low=-9, high=9))
    check(lambda lib, x, i, s: lib.scatter_reduce(x, 0, i, s, "amax", include_self=False),
          rand(3, 2, dtype=np.int32), np.array([[0, 1], [0, 1]]), rand(2, 2, dtype=np.int32))


def test_scatter_inplace_and_errors():
    def inplace(lib, x, s):
        y = x * 1
        y.scatter_(1, lib.tensor([[0], [2]]), s[:, :1])
        y.scatter_add_(0, lib.tensor([[1, 1, 1, 1]]), s[:1])
        y.scatter_reduce_(0, lib.tensor([[0, 0, 0, 0]]), s[1:], "amax")
        return y
    check(inplace, rand(2, 4), rand(2, 4))
    check_error(lambda lib, x, i: lib.scatter(x, 0, i, 1.0), rand(3), np.array([3]))
    check_error(lambda lib, x, i, s: lib.scatter(x, 0, i, s), rand(3), np.array([0]),
                rand(1, dtype=F32))
    check_error(lambda lib, x, i, s: lib.scatter_add(x, 0, i, s), rand(3), np.array([0.0]),
                rand(1))
    check_error(lambda lib, x, i, s: lib.scatter_reduce(x, 0, i, s, "foo"), rand(3),
                np.array([0]), rand(1))
    check_error(lambda lib, x, i, s: lib.scatter(x, 0, i, s).sum().backward(),
                rand(3, 4), np.array([[0, 1]]), rand(3, 4))


# ---------------------------------------------------------------- index_* ops
@pytest.mark.parametrize("dtype", [F64, F32])
def test_index_select_add_copy_fill(dtype):
    x = rand(3, 4, dtype=dtype)
    idx = np.array([2, 0, 2])
    check(lambda lib, x, i: lib.index_select(x, 0, i), x, idx)
    check(lambda lib, x, i: x.index_select(-1, i.int()), noncontiguous(x), idx)
    check(lambda lib, x, i: lib.index_select(x, 0, i), rand(dtype=dtype), np.array([0]))
    check_error(lambda lib, x, i: lib.index_select(x, 0, i), rand(dtype=dtype), np.array([0, 0]))
    check(lambda lib, x, i, s: lib.index_add(x, 1, i, s, alpha=2), x, idx, rand(3, 3, dtype=dtype))
    check(lambda lib, x, i, s: x.index_add(0, i, s), x, idx, rand(3, 4, dtype=dtype))
    check(lambda lib, x, i, s: lib.index_copy(x, 1, i, s), x, np.array([3, 0]),
          rand(3, 2, dtype=dtype))
    check(lambda lib, x, i: lib.index_fill(x, 1, i, -1.5), x, idx)
    check(lambda lib, x, i, v: lib.index_fill(x, 0, i, v), x, idx, rand(dtype=dtype))
    check(lambda lib, x, i: x.index_fill(0, i, 2), rand(3, dtype=np.int64), np.array([-1]))


def test_index_inplace_variants():
    def fn(lib, x, s, v):
        y = x * 1
        y.index_add_(0, lib.tensor([1, 1]), s, alpha=-1)
        y.index_copy_(1, lib.tensor([2]), s[:, :3].t()[:, :1])
        y.index_fill_(1, lib.tensor([0]), v)
        return y
    check(fn, rand(3, 4), rand(2, 4), rand())


def test_index_negative_and_dtype_rules():
    check_error(lambda lib, x, i: lib.index_select(x, 0, i), rand(3, 4), np.array([-1]))
    check_error(lambda lib, x, i, s: lib.index_add(x, 0, i, s), rand(3, 4), np.array([-1]),
                rand(1, 4))
    check_error(lambda lib, x, i, s: lib.index_copy(x, 0, i, s), rand(3, 4), np.array([-1]),
                rand(1, 4))
    check(lambda lib, x, i: lib.index_fill(x, 0, i, 2.0), rand(3, 4), np.array([-1]))
    check(lambda lib, x, i, s: lib.index_add(x, 0, i, s), rand(3, 4), np.array([0], np.int32),
          rand(1, 4))
    check_error(lambda lib, x, i: lib.index_fill(x, 0, i, 2.0), rand(3, 4),
                np.array([0], np.int32))
    check_error(lambda lib, x, i, s: lib.index_copy(x, 0, i, s), rand(3, 4),
                np.array([0], np.int32), rand(1, 4))
    check_error(lambda lib, x, i, s: lib.put(x, i, s), rand(3, 4), np.array([0], np.int32),
                rand(1))


def test_index_errors():
    check_error(lambda lib, x, i: lib.index_select(x, 0, i), rand(3, 4), np.array([5]))
    check_error(lambda lib, x, i: lib.index_select(x, 0, i), rand(3, 4), np.array([[0]]))
    check_error(lambda lib, x, i: lib.index_select(x, 0, i), rand(3, 4), np.array([0.0]))
    check_error(lambda lib, x, i, s: lib.index_add(x, 0, i, s), rand(3, 4), np.array([0]),
                rand(1, 4, dtype=F32))
    check_error(lambda lib, x, i, s: lib.index_add(x, 0, i, s), rand(3, 4), np.array([0]),
                rand(2, 4))
    check_error(lambda lib, x, i, s: lib.index_copy(x, 0, i, s), rand(3, 4), np.array([7]),
                rand(1, 4))
    check_error(lambda lib, x, i, v: lib.index_fill(x, 0, i, v), rand(3, 4), np.array([0]),
                rand(2))


# ----------------------------------------------------------------- index_put
@pytest.mark.parametrize("accumulate", [False, True])
@pytest.mark.parametrize("dtype", [F64, F32])
def test_index_put(accumulate, dtype):
    x = rand(3, 4, dtype=dtype)
    check(lambda lib, x, v, i: lib.index_put(x, (i,), v, accumulate=accumulate),
          x, rand(4, dtype=dtype), np.array([0, 2, 0]))
    check(lambda lib, x, v, i, j: x.index_put((i, j), v, accumulate),
          x, rand(2, dtype=dtype), np.array([1, 1]), np.array([-1, -1]))
    check(lambda lib, x, v, m: lib.index_put(x, (m,), v, accumulate=accumulate),
          x, rand(dtype=dtype), rand(3, 4, dtype=bool))
    check(lambda lib, x, v, i: lib.index_put(x, (i[:, None], i), v, accumulate=accumulate),
          noncontiguous(x), rand(2, 1, dtype=dtype), np.array([2, 0]))

    def inplace(lib, x, v):
        y = x * 1
        y.index_put_((lib.tensor([0, 0]), lib.tensor([1, 1])), v, accumulate=accumulate)
        return y
    check(inplace, x, rand(2, dtype=dtype))


def test_index_put_errors():
    check_error(lambda lib, x, v, i: lib.index_put(x, (None, i), v), rand(3, 2), rand(1),
                np.array([0, 1]))
    check_error(lambda lib, x, v, i: lib.index_put(x, (i,), v), rand(3), rand(2, dtype=F32),
                np.array([0, 1]))
    check_error(lambda lib, x, v, i: lib.index_put(x, (i,), v), rand(3), rand(3),
                np.array([0, 1]))
    check_error(lambda lib, x, v, i: lib.index_put(x, (i,), v), rand(3), rand(2),
                np.array([0, 3]))


# ---------------------------------------------------------------- masked ops
@pytest.mark.parametrize("dtype", [F64, F32])
def test_masked_ops(dtype):
    x = rand(3, 4, dtype=dtype)
    m = rand(3, 4, dtype=bool)
    check(lambda lib, x, m: lib.masked_fill(x, m, 2.5), x, m)
    check(lambda lib, x, m, v: x.masked_fill(m, v), noncontiguous(x), m, rand(dtype=dtype))
    # a float64 value into a float32 tensor: its gradient is a float32 sum, so loose tolerance
    check(lambda lib, x, m, v: x.masked_fill(m, v), x, m[0], rand(dtype=F64), grad_rtol=1e-5,
          grad_atol=1e-6)
    check(lambda lib, x, m: lib.masked_fill(x, m, 1), x[0], m)
    check(lambda lib, x, m: lib.masked_select(x, m), x, m)
    check(lambda lib, x, m: lib.masked_select(x, m), x[0], m)
    check(lambda lib, x, m: x.masked_select(m), x, m[:, :1])
    check(lambda lib, x, m, s: lib.masked_scatter(x, m, s), x, m, rand(4, 4, dtype=dtype))
    check(lambda lib, x, m, s: x.masked_scatter(m, s), x, m[1], rand(13, dtype=dtype))
    check(lambda lib, x, m: lib.masked_fill(x, m, 3), rand(3, 4, dtype=np.int32), m)
    check(lambda lib, x, m: lib.masked_select(x, m), rand(dtype=dtype), np.array(True))
    check(lambda lib, x, m: lib.masked_select(x, m), rand(0, 4, dtype=dtype), m[:0])


def test_masked_inplace_and_errors():
    def fn(lib, x, m, v, s):
        y = x * 1
        y.masked_fill_(m, v)
        y[1:].masked_fill_(m[1:], -3.0)
        y.masked_scatter_(~m, s)
        return y
    check(fn, rand(3, 4), rand(3, 4, dtype=bool), rand(), rand(12))
    check_error(lambda lib, x, m: lib.masked_fill(x, m, 1.0), rand(3), rand(3, dtype=np.int64))
    check_error(lambda lib, x, m: lib.masked_fill(x, m, 1.0), rand(3), rand(2, dtype=bool))
    check_error(lambda lib, x, m, v: lib.masked_fill(x, m, v), rand(3), rand(3, dtype=bool),
                rand(2))
    check_error(lambda lib, x, m, s: lib.masked_scatter(x, m, s), rand(3), np.ones(3, bool),
                rand(2))
    check_error(lambda lib, x, m: x.masked_fill_(m, 1.0), rand(3), rand(2, 3, dtype=bool))


# ------------------------------------------------------------------ take / put
@pytest.mark.parametrize("dtype", [F64, F32])
def test_take_put(dtype):
    x = rand(3, 4, dtype=dtype)
    check(lambda lib, x, i: lib.take(x, i), x, np.array([[0, 11], [-1, 0]]))
    check(lambda lib, x, i: x.take(i), noncontiguous(x), np.array([5, 5, 5]))
    check(lambda lib, x, i: lib.take(x, i), rand(dtype=dtype), np.array(0))
    check(lambda lib, x, i, s: lib.put(x, i, s), x, np.array([1, 7, -1]), rand(3, dtype=dtype))
    check(lambda lib, x, i, s: x.put(i, s, accumulate=True), x, np.array([[1, 1]]),
          rand(2, dtype=dtype))

    def inplace(lib, x, s):
        y = x * 1
        y.put_(lib.tensor([0, 3]), s)
        return y
    check(inplace, x, rand(1, 2, dtype=dtype))
    check_error(lambda lib, x, i: lib.take(x, i), x, np.array([12]))
    check_error(lambda lib, x, i: lib.take(x, i), x, np.array([1], np.int32))
    check_error(lambda lib, x, i, s: lib.put(x, i, s), x, np.array([1]), rand(2, dtype=dtype))


@pytest.mark.parametrize("dtype", [F64, F32])
def test_take_along_dim(dtype):
    x = rand(3, 4, dtype=dtype)
    check(lambda lib, x, i: lib.take_along_dim(x, i, 1), x, _index((3, 2), 4))
    check(lambda lib, x, i: lib.take_along_dim(x, i, 0), x, _index((2, 1), 3))
    check(lambda lib, x, i: x.take_along_dim(i, dim=-1), x[:1], _index((3, 5), 4))
    check(lambda lib, x, i: lib.take_along_dim(x, i), x, np.array([11, 0, 0]))
    check(lambda lib, x: lib.take_along_dim(x, lib.tensor([[0], [1], [2]]), 1), x)
    check_error(lambda lib, x, i: lib.take_along_dim(x, i, 0), x, np.array([0]))
    check_error(lambda lib, x, i: lib.take_along_dim(x, i, 0), x, np.array([[0.0]]))


# -------------------------------------------------------------- nonzero / where
@pytest.mark.parametrize("dtype", [F64, np.int32, bool])
def test_nonzero(dtype):
    x = rand(3, 4, dtype=dtype, low=-1, high=1)
    check(lambda lib, x: lib.nonzero(x), x, grad=False)
    check(lambda lib, x: x.nonzero(as_tuple=True), x, grad=False)
    check(lambda lib, x: lib.argwhere(x), x, grad=False)
    check(lambda lib, x: lib.where(x), x, grad=False)
    check(lambda lib, x: lib.nonzero(x), rand(0, 3, dtype=dtype), grad=False)
    for value in (0, 1):
        arr = np.array(value, dtype=dtype)
        check(lambda lib, x: lib.nonzero(x), arr, grad=False)
        check(lambda lib, x: lib.nonzero(x, as_tuple=True), arr, grad=False)


# --------------------------------------------------------------- double backward
def test_create_graph_through_indexing():
    def fn(lib, x):
        y = (x ** 2)[[0, 0, 1]].sum() + (x ** 3)[1:, 0].sum()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        return g
    check(fn, rand(3, 2))

    def fn2(lib, x, i):
        y = (lib.gather(x ** 2, 1, i) * 3).sum() + lib.index_select(x ** 2, 0, i[0]).sum()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        return g
    check(fn2, rand(2, 3), np.array([[0, 0], [1, 2]]))

    def fn3(lib, x, m):
        y = (lib.masked_select(x ** 2, m).sum() + lib.take(x ** 3, lib.tensor([0, 0])).sum()
             + lib.masked_fill(x ** 2, m, 0.0).sum())
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        return g
    check(fn3, rand(2, 3), rand(2, 3, dtype=bool))


@pytest.mark.parametrize("op", [
    lambda lib, a, i: lib.scatter(a, 0, i[:1], a[:1] * 3),
    lambda lib, a, i: lib.scatter_add(a, 0, i, a * 2)[0],
    lambda lib, a, i: lib.index_add(a, 1, i[0], a[:, :3], alpha=2),
    lambda lib, a, i: lib.index_copy(a, 1, i[0, :1], a[:, :1] * 3),
    lambda lib, a, i: lib.index_fill(a, 1, i[0], a[0, 0]),
    lambda lib, a, i: lib.put(a, i[:1], a[1, :3] * 3, accumulate=True),
    lambda lib, a, i: lib.index_put(a, (i[0],), a[1] * 3, accumulate=True),
    lambda lib, a, i: lib.masked_scatter(a, a > 0, a.flip(0) * 2),
    lambda lib, a, i: lib.take_along_dim(a, i, 0),
    lambda lib, a, i: a.clone().copy_(a[1] * 2),
    lambda lib, a, i: a.clone().fill_(a[1, 1]),
], ids=["scatter", "scatter_add", "index_add", "index_copy", "index_fill", "put",
        "index_put", "masked_scatter", "take_along_dim", "copy_", "fill_"])
def test_create_graph_second_order(op):
    def fn(lib, x, i):
        y = (op(lib, x ** 2, i) ** 2).sum()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        return g
    check(fn, rand(2, 3), np.array([[0, 1, 1], [1, 0, 1]]))


def test_create_graph_through_setitem():
    def fn(lib, x, v):
        y = x ** 2
        y[0] = v ** 2
        y[[1, 1], 1:] = v[1:] ** 3
        y[:, 0] *= v[0]
        return lib.autograd.grad((y ** 2).sum(), (x, v), create_graph=True)
    check(fn, rand(3, 3), rand(3))
