"""Parity of the shape and joining ops: values, dtypes, gradients, views and errors."""
import warnings

import numpy as np
import pytest
import torch

import minitorch
from harness import check, check_error, noncontiguous, rand

FLOATS = [np.float64, np.float32]


def both(fn):
    """Run ``fn(lib)`` for torch and minitorch and return both results."""
    return fn(torch), fn(minitorch)


def version(t):
    """A tensor's version counter as an int (minitorch keeps it in a one-element list)."""
    v = t._version
    return v[0] if isinstance(v, list) else v


def grad_fn_names(out):
    outs = out if isinstance(out, (tuple, list)) else (out,)
    return [type(o.grad_fn).__name__ if o.grad_fn is not None else None for o in outs]


def check_names(fn, *arrays):
    """The grad_fn class names of every output match torch's."""
    t_out, m_out = check(fn, *arrays)
    assert grad_fn_names(m_out) == grad_fn_names(t_out)
    return t_out, m_out


# ------------------------------------------------------------------ cat / stack
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_cat(dtype, dim):
    a, b = rand(2, 3, dtype=dtype), rand(2, 3, dtype=dtype)
    check_names(lambda lib, x, y: lib.cat([x, y, x], dim), a, b)
    check(lambda lib, x, y: lib.concat((x, y), dim=dim), noncontiguous(a), b)
    check(lambda lib, x, y: lib.concatenate([x, y], dim), a, noncontiguous(b))


def test_cat_sizes_and_empty():
    check(lambda lib, x, y: lib.cat([x, y], 1), rand(2, 3), rand(2, 5))
    check(lambda lib, x, y: lib.cat([x, y], 0), rand(2, 3), rand(0, 3))
    # 1-D empty tensors are skipped whatever the other shapes (torch's legacy rule)
    check(lambda lib, x, y: lib.cat([x, y, x], 1), rand(0), rand(2, 3))
    check(lambda lib, x, y: lib.cat([x, y]), rand(0), rand(0))


def test_cat_promotes_dtypes():
    cases = [(np.int32, np.bool_), (np.int64, np.float16), (np.float32, np.float64),
             (np.uint8, np.int8), (np.float32, np.complex64)]
    for da, db in cases:
        check(lambda lib, x, y: lib.cat([x, y]), rand(2, dtype=da), rand(3, dtype=db))
    # an empty skipped tensor still takes part in the promotion
    check(lambda lib, x, y: lib.cat([x, y]), rand(0, dtype=np.float64),
          rand(2, 3, dtype=np.float32))
    check(lambda lib, x, y: lib.stack([x, y]), rand(2, dtype=np.int32), rand(2, dtype=np.float32))


def test_cat_errors():
    check_error(lambda lib, x, y: lib.cat([x, y]), rand(2, 3), rand(2, 4))
    check_error(lambda lib, x, y: lib.cat([x, y]), rand(2, 3), rand(3))
    check_error(lambda lib, x, y: lib.cat([x, y], 2), rand(2, 3), rand(2, 3))
    check_error(lambda lib, x, y: lib.cat([x, y]), rand(), rand())
    check_error(lambda lib: lib.cat([]))
    check_error(lambda lib, x: lib.cat(x), rand(2, 3))
    check_error(lambda lib, x: lib.cat([x, 1.0]), rand(2, 3))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_stack(dtype, dim):
    a, b = rand(2, 3, dtype=dtype), noncontiguous(rand(2, 3, dtype=dtype))
    check_names(lambda lib, x, y: lib.stack([x, y, x], dim), a, b)


def test_stack_0d_empty_and_errors():
    check(lambda lib, x, y: lib.stack([x, y]), rand(), rand())
    check(lambda lib, x, y: lib.stack([x, y], 1), rand(0, 2), rand(0, 2))
    check_error(lambda lib, x, y: lib.stack([x, y]), rand(2, 3), rand(2, 4))
    check_error(lambda lib, x: lib.stack([x], 3), rand(2, 3))
    check_error(lambda lib: lib.stack([]))


@pytest.mark.parametrize("fn", ["hstack", "vstack", "row_stack", "dstack", "column_stack"])
@pytest.mark.parametrize("shapes", [((), ()), ((3,), (3,)), ((2, 3), (2, 3)), ((2, 3, 2), (2, 3, 2))])
def test_numpy_style_stacks(fn, shapes):
    a, b = rand(*shapes[0]), rand(*shapes[1])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch deprecates row_stack
        check_names(lambda lib, x, y: getattr(lib, fn)([x, y]), a, b)
        check_error(lambda lib: getattr(lib, fn)([]))


def test_hstack_column_stack_mixed():
    check(lambda lib, x, y: lib.hstack((x, y)), rand(2, 3), rand(2, 1))
    check(lambda lib, x, y, z: lib.column_stack([x, y, z]), rand(3), rand(3, 2), rand(3))


@pytest.mark.parametrize("fn", ["atleast_1d", "atleast_2d", "atleast_3d"])
@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 3, 2), (1, 2, 1, 2)])
def test_atleast(fn, shape):
    check_names(lambda lib, x: getattr(lib, fn)(x), rand(*shape))
    check(lambda lib, x, y: getattr(lib, fn)(x, y), rand(*shape), rand(2))
    check(lambda lib, x, y: getattr(lib, fn)([x, y]), rand(*shape), rand())


# ------------------------------------------------------------------ splitting
@pytest.mark.parametrize("dtype", FLOATS)
def test_split_int_and_sizes(dtype):
    x = rand(5, 4, dtype=dtype)
    check_names(lambda lib, t: t.split(2), x)
    check_names(lambda lib, t: lib.split(t, 3, dim=1), noncontiguous(x))
    check_names(lambda lib, t: t.split([1, 3, 1]), x)
    check_names(lambda lib, t: lib.split(t, (0, 4), -1), x)
    check_names(lambda lib, t: t.split_with_sizes([2, 3]), x)
    check(lambda lib, t: t.split(10), x)
    check(lambda lib, t: t.split(2), rand(0, 3))


def test_split_unused_outputs_get_zero_grad():
    # gradients flow from only some outputs, including a missing last one
    check(lambda lib, t: t.split(2)[0] * 1, rand(5, 3))
    check(lambda lib, t: t.split([1, 2, 2])[1] * 1, rand(5, 3))
    check(lambda lib, t: t.chunk(3, 1)[0] + t.chunk(3, 1)[2], rand(2, 6))
    check(lambda lib, t: t.unbind(1)[1] * 2, rand(3, 4))
    check(lambda lib, t: t.unbind()[0] * 2, rand(3, 4))


def test_split_errors():
    for fn in (lambda lib, t: t.split(0), lambda lib, t: t.split(-1),
               lambda lib, t: t.split([1, 2]), lambda lib, t: t.split([5, -1]),
               lambda lib, t: t.split(2, 2), lambda lib, t: t.chunk(0)):
        check_error(fn, rand(4, 3))
    check_error(lambda lib, t: t.split(1), rand())
    check_error(lambda lib, t: t.chunk(1), rand())
    check_error(lambda lib, t: t.unbind(), rand())
    check_error(lambda lib, t: t.unbind(2), rand(2, 3))


@pytest.mark.parametrize("size,chunks", [(5, 4), (6, 4), (4, 10), (0, 3), (7, 3), (1, 1)])
def test_chunk(size, chunks):
    check_names(lambda lib, t: t.chunk(chunks), rand(size, 2))
    check(lambda lib, t: lib.chunk(t, chunks, dim=1), rand(2, size))


@pytest.mark.parametrize("dtype", FLOATS)
def test_unbind_and_iteration(dtype):
    x = rand(3, 4, dtype=dtype)
    check_names(lambda lib, t: t.unbind(), x)
    check_names(lambda lib, t: lib.unbind(t, -1), noncontiguous(x))
    check(lambda lib, t: list(t), x)
    check(lambda lib, t: [r * i for i, r in enumerate(t)], rand(4))
    t_rows, m_rows = both(lambda lib: list(lib.zeros(2, 3)))
    assert [r._is_view() for r in m_rows] == [r._is_view() for r in t_rows] == [True, True]


@pytest.mark.parametrize("spec", [3, 1, 7, [1, 3], [3, 1], [1, 9], [-1], (2,), []])
def test_tensor_split(spec):
    check_names(lambda lib, t: t.tensor_split(spec), rand(5, 3))
    check(lambda lib, t: lib.tensor_split(t, spec, dim=1), rand(3, 5))


def test_tensor_split_tensor_spec_and_errors():
    check(lambda lib, t: t.tensor_split(lib.tensor([1, 3])), rand(5, 2))
    check(lambda lib, t: t.tensor_split(lib.tensor(3)), rand(5, 2))
    check_error(lambda lib, t: t.tensor_split(lib.tensor(3.0)), rand(5, 2))
    check_error(lambda lib, t: t.tensor_split(lib.tensor([[1]])), rand(5, 2))
    check_error(lambda lib, t: t.tensor_split(0), rand(5, 2))
    check_error(lambda lib, t: t.tensor_split(2), rand())


@pytest.mark.parametrize("fn,shape,spec", [("hsplit", (6,), 3), ("hsplit", (4, 6), 2),
                                           ("hsplit", (4, 6), [1, 4]), ("vsplit", (4, 6), 2),
                                           ("vsplit", (4, 6), [3]), ("dsplit", (2, 3, 4), 2),
                                           ("dsplit", (6, 3, 4), [1, 3])])
def test_numpy_style_splits(fn, shape, spec):
    check_names(lambda lib, t: getattr(t, fn)(spec), rand(*shape))
    check(lambda lib, t: getattr(lib, fn)(t, spec), rand(*shape))


def test_numpy_style_split_errors():
    check_error(lambda lib, t: t.hsplit(3), rand(6, 5))
    check_error(lambda lib, t: t.hsplit(1), rand())
    check_error(lambda lib, t: t.vsplit(3), rand(6))
    check_error(lambda lib, t: t.dsplit(3), rand(6, 3))
    check_error(lambda lib, t: t.vsplit(0), rand(6, 3))


def test_split_outputs_are_views_sharing_memory():
    def write(lib):
        base = lib.arange(12.0).reshape(4, 3)
        with lib.no_grad():
            a, b = base.split(2)
            b[0].mul_(-1)
            c = base.chunk(3, 1)[1]
            c.mul_(10)
            row = base.unbind(0)[3]
            row.add_(100)
            for r in base.tensor_split(2, 1):
                r.add_(0.5)
        return base, version(a), version(base)
    t, m = both(write)
    np.testing.assert_array_equal(m[0].numpy(), t[0].numpy())
    assert m[1:] == t[1:]


def test_multi_output_views_refuse_inplace_under_autograd():
    for fn in (lambda lib, y: y.split(2)[0].mul_(2), lambda lib, y: y.chunk(2)[1].add_(1),
               lambda lib, y: y.unbind()[0].mul_(2), lambda lib, y: [r.mul_(2) for r in y],
               lambda lib, y: y.split([1, 3])[0].mul_(0)):
        t_err, m_err = check_error(lambda lib, x: fn(lib, x.requires_grad_() * 1), rand(4, 3))
        assert "modified inplace" in str(m_err)

    def base_modified(lib, x):
        y = x.requires_grad_() * 1
        a, b = y.split(2)
        y.mul_(2)
        return a * 1
    check_error(base_modified, rand(4, 3))


def test_multi_output_views_allow_inplace_without_grad():
    def fn(lib):
        w = lib.ones(4, 3, requires_grad=True)
        y = w * 1
        with lib.no_grad():
            for r in w:
                r.mul_(2)
            y.split(2)[0].add_(1)
        return w.detach(), y.detach()
    t, m = both(fn)
    for e, a in zip(t, m):
        np.testing.assert_array_equal(a.numpy(), e.numpy())


def test_tensor_split_views_allow_inplace_under_autograd():
    def fn(lib, x):
        y = x * 1
        y.tensor_split(2)[1].mul_(3)
        return y
    check(fn, rand(4, 3))


# ------------------------------------------------------------------ narrow / select
@pytest.mark.parametrize("dtype", FLOATS)
def test_narrow_select(dtype):
    x = rand(4, 5, dtype=dtype)
    check_names(lambda lib, t: t.narrow(1, 1, 3), x)
    check_names(lambda lib, t: lib.narrow(t, 0, -2, 2), noncontiguous(x))
    check(lambda lib, t: t.narrow(0, lib.tensor(1), 0), x)
    check_names(lambda lib, t: t.select(1, -1), x)
    check_names(lambda lib, t: lib.select(t, 0, 2), noncontiguous(x))
    check(lambda lib, t: t.select(0, 1), rand(3))


def test_narrow_select_errors():
    x = rand(4, 3)
    check_error(lambda lib, t: t.narrow(0, 5, 0), x)
    check_error(lambda lib, t: t.narrow(0, 2, 3), x)
    check_error(lambda lib, t: t.narrow(0, 1, -1), x)
    check_error(lambda lib, t: t.narrow(2, 0, 1), x)
    check_error(lambda lib, t: t.narrow(0, 0, 1), rand())
    check_error(lambda lib, t: t.narrow(0, lib.tensor(1.0), 1), x)
    check_error(lambda lib, t: t.narrow(0, lib.tensor([1]), 1), x)
    check_error(lambda lib, t: t.select(0, 4), x)
    check_error(lambda lib, t: t.select(0, -5), x)
    check_error(lambda lib, t: t.select(0, 0), rand())


def test_views_write_through_to_base():
    def fn(lib):
        base = lib.arange(24.0).reshape(2, 3, 4)
        with lib.no_grad():
            base.narrow(2, 1, 2).mul_(-1)
            base.select(1, 0).add_(1000)
            base.diagonal(0, 1, 2).mul_(3)
            base.movedim(0, -1).select(0, 2).add_(0.5)
            base.unflatten(2, (2, 2)).select(-1, 0).add_(0.25)
            base.unfold(2, 2, 2).select(-1, 1).add_(7)
            base.ravel().narrow(0, 0, 3).mul_(2)
        return base
    t, m = both(fn)
    np.testing.assert_array_equal(m.numpy(), t.numpy())


def test_inplace_through_views_under_autograd():
    def fn(lib, x, v):
        y = x * 2
        y.narrow(1, 1, 2).mul_(v.narrow(1, 0, 2))
        y.select(0, 0).add_(v[0])
        y.diagonal().mul_(3)
        y.unfold(1, 2, 2).select(-1, 0).add_(1)
        return y * y
    check(fn, rand(3, 4), rand(3, 4))


def test_create_graph_through_slicing_views():
    # second derivatives go through the helper primitives of the backward rules
    def fn(lib, x):
        y = (x.narrow(0, 1, 2) ** 2).sum() + (x.select(1, 0) ** 3).sum() \
            + (x.diagonal() ** 2).sum() + (x.unfold(1, 2, 1) ** 2).sum() \
            + (x.split(1)[0] ** 3).sum() + (x.unbind(1)[1] ** 3).sum() \
            + (x.repeat_interleave(lib.tensor([1, 0, 2]), dim=0) ** 3).sum()
        g, = lib.autograd.grad(y, x, create_graph=True)
        return g * g
    check(fn, rand(3, 3))


# ------------------------------------------------------------------ repeat / tile
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape,reps", [((2, 3), (2, 1)), ((2, 3), (1, 2, 3)), ((3,), (2, 0)),
                                        ((), (3,)), ((0, 2), (2, 2))])
def test_repeat(dtype, shape, reps):
    check_names(lambda lib, t: t.repeat(*reps), rand(*shape, dtype=dtype))
    check(lambda lib, t: t.repeat(reps), noncontiguous(rand(*shape, dtype=dtype)))


@pytest.mark.parametrize("shape,reps", [((2, 3), (2,)), ((2, 3), (2, 1, 2)), ((3,), ()),
                                        ((), (2, 2))])
def test_tile(shape, reps):
    check_names(lambda lib, t: lib.tile(t, reps), rand(*shape))
    check(lambda lib, t: t.tile(reps), rand(*shape))


def test_repeat_errors():
    check_error(lambda lib, t: t.repeat(2), rand(2, 3))
    check_error(lambda lib, t: t.repeat(2, -1), rand(2, 3))
    check_error(lambda lib, t: t.repeat(), rand(2))
    check_error(lambda lib, t: lib.tile(t, 2), rand(2))
    check_error(lambda lib, t: lib.tile(t, [2.0]), rand(2))


@pytest.mark.parametrize("dtype", FLOATS)
def test_repeat_interleave(dtype):
    x = rand(3, 4, dtype=dtype)
    check_names(lambda lib, t: t.repeat_interleave(2), x)
    check_names(lambda lib, t: lib.repeat_interleave(t, 3, dim=1), noncontiguous(x))
    check_names(lambda lib, t: t.repeat_interleave(lib.tensor([1, 0, 2]), dim=0), x)
    check(lambda lib, t: t.repeat_interleave(lib.tensor([2]), dim=-1), x)
    check(lambda lib, t: t.repeat_interleave(lib.tensor([1, 2, 3], dtype=lib.int32), 0,
                                             output_size=6), x)
    check(lambda lib, t: t.repeat_interleave(2), rand(dtype=dtype))
    check(lambda lib, t: t.repeat_interleave(0, 1), x)
    check(lambda lib, t: t.repeat_interleave(2, 0), rand(0, 2, dtype=dtype))
    check(lambda lib: lib.repeat_interleave(lib.tensor([1, 0, 3])))


def test_repeat_interleave_errors():
    x = rand(3)
    check_error(lambda lib, t: t.repeat_interleave(lib.tensor([1, -2, 3])), x)
    check_error(lambda lib, t: t.repeat_interleave(lib.tensor([1, 2])), x)
    check_error(lambda lib, t: t.repeat_interleave(lib.tensor([[2]])), x)
    check_error(lambda lib, t: t.repeat_interleave(lib.tensor([1.0, 2, 3])), x)
    check_error(lambda lib, t: t.repeat_interleave(-1), x)
    check_error(lambda lib, t: t.repeat_interleave(lib.tensor([1, 2, 3]), output_size=5), x)
    check_error(lambda lib, t: t.repeat_interleave(2, dim=1), x)
    check_error(lambda lib, t: t.repeat_interleave(2, dim=0), rand())


# ------------------------------------------------------------------ reordering
@pytest.mark.parametrize("dtype", FLOATS)
def test_flip(dtype):
    x = rand(2, 3, 4, dtype=dtype)
    check_names(lambda lib, t: t.flip(0), x)
    check_names(lambda lib, t: lib.flip(t, (0, -1)), noncontiguous(x))
    check(lambda lib, t: t.flip([1, 2]), x)
    check(lambda lib, t: t.fliplr(), x)
    check(lambda lib, t: lib.flipud(t), x)
    check(lambda lib, t: t.flip(0), rand())
    check(lambda lib, t: t.flip(0), rand(0, 3))


def test_flip_is_a_copy_and_errors():
    t, m = both(lambda lib: lib.arange(3.0))
    for lib, base in ((torch, t), (minitorch, m)):
        f = base.flip(0)
        f.add_(1)
        assert base.tolist() == [0.0, 1.0, 2.0]
    check_error(lambda lib, t: t.flip(0, 0), rand(2, 3))
    check_error(lambda lib, t: t.flip(2), rand(2, 3))
    check_error(lambda lib, t: t.fliplr(), rand(2))
    check_error(lambda lib, t: t.flipud(), rand())
    check_error(lambda lib, t: lib.flip(t, 0), rand(2, 3))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shifts,dims", [(1, None), (-7, None), (2, 0), (-1, -1), ((1, 2), (0, 1)),
                                         ((1, 1), (1, 1)), (5, 1)])
def test_roll(dtype, shifts, dims):
    check_names(lambda lib, t: t.roll(shifts, dims), rand(3, 4, dtype=dtype))
    check(lambda lib, t: lib.roll(t, shifts, dims), noncontiguous(rand(3, 4, dtype=dtype)))


def test_roll_edge_cases():
    check(lambda lib, t: t.roll(1), rand())
    check(lambda lib, t: t.roll(1, 0), rand(0, 3))
    check_error(lambda lib, t: t.roll((1, 2)), rand(3))
    check_error(lambda lib, t: t.roll((1, 2), 0), rand(3, 2))
    check_error(lambda lib, t: t.roll(1, 0), rand())
    check_error(lambda lib, t: t.roll(1, 2), rand(3, 2))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("k", [0, 1, 2, 3, -1, 5])
@pytest.mark.parametrize("dims", [(0, 1), (1, 0), (2, 0), (-1, -2)])
def test_rot90(dtype, k, dims):
    check_names(lambda lib, t: t.rot90(k, dims), rand(2, 3, 4, dtype=dtype))


def test_rot90_default_and_errors():
    check(lambda lib, t: lib.rot90(t), noncontiguous(rand(3, 4)))
    check_error(lambda lib, t: t.rot90(), rand(3))
    check_error(lambda lib, t: t.rot90(1, [0, 1, 2]), rand(3, 3, 3))
    check_error(lambda lib, t: t.rot90(1, [0, 0]), rand(3, 3))
    check_error(lambda lib, t: t.rot90(1, [0, -2]), rand(3, 3))


@pytest.mark.parametrize("src,dst", [(0, 1), (0, -1), ((0, 1), (2, 0)), ([2, 0], [0, 1]),
                                     (1, 1), ((), ())])
def test_movedim(src, dst):
    check_names(lambda lib, t: t.movedim(src, dst), rand(2, 3, 4))
    check(lambda lib, t: lib.moveaxis(t, src, dst), rand(2, 3, 4))


def test_movedim_errors():
    check_error(lambda lib, t: t.movedim((0, 1), (0,)), rand(2, 3))
    check_error(lambda lib, t: t.movedim((0, 0), (0, 1)), rand(2, 3))
    check_error(lambda lib, t: t.movedim((0, 1), (1, 1)), rand(2, 3))
    check_error(lambda lib, t: t.movedim(2, 0), rand(2, 3))


@pytest.mark.parametrize("dim,sizes", [(1, (2, 3)), (-1, (3, -1)), (0, (1, 2, 1)), (1, [6])])
def test_unflatten(dim, sizes):
    check_names(lambda lib, t: t.unflatten(dim, sizes), rand(2, 6))
    check(lambda lib, t: lib.unflatten(t, dim, sizes), rand(2, 6))


def test_unflatten_errors():
    check_error(lambda lib, t: t.unflatten(1, (2, 2)), rand(2, 6))
    check_error(lambda lib, t: t.unflatten(1, ()), rand(2, 6))
    check_error(lambda lib, t: t.unflatten(1, (-1, -1)), rand(2, 6))
    check_error(lambda lib, t: t.unflatten(2, (1, 2)), rand(2, 6))


@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (0, 2)])
def test_ravel(shape):
    check_names(lambda lib, t: t.ravel(), rand(*shape))
    check_names(lambda lib, t: lib.ravel(t), noncontiguous(rand(*shape)))


def test_squeeze_variants():
    x = rand(1, 3, 1)
    check_names(lambda lib, t: t.squeeze(), x)
    check_names(lambda lib, t: t.squeeze(0), x)
    check_names(lambda lib, t: t.squeeze((0, 2)), x)
    check_names(lambda lib, t: t.squeeze([-1]), x)
    check_names(lambda lib, t: t.squeeze(1), x)
    check_names(lambda lib, t: t.unsqueeze(-1).unsqueeze(0), x)
    check(lambda lib, t: t.squeeze(), rand())
    check(lambda lib, t: t.squeeze(0), rand())
    check_error(lambda lib, t: t.squeeze(3), x)
    check_error(lambda lib, t: t.unsqueeze(4), x)


# ------------------------------------------------------------------ triangles
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("diagonal", [0, 1, -1, 5, -5])
def test_tril_triu(dtype, diagonal):
    x = rand(2, 3, 4, dtype=dtype)
    check_names(lambda lib, t: t.tril(diagonal), x)
    check_names(lambda lib, t: lib.triu(t, diagonal=diagonal), noncontiguous(x))
    check(lambda lib, t: lib.tril(t, diagonal), rand(3, 3, dtype=dtype))
    check(lambda lib, t: lib.triu(t, diagonal), rand(0, 3, dtype=dtype))


def test_tril_triu_integer_inplace_and_errors():
    check(lambda lib, t: t.tril(), rand(3, 3, dtype=np.int64), grad=False)
    check(lambda lib, t: t.triu(1), rand(3, 3, dtype=np.bool_), grad=False)

    def inplace(lib, x):
        y = x * 1
        y.tril_(-1)
        y.triu_(-1)
        return y
    check_names(inplace, rand(4, 4))
    check_error(lambda lib, t: t.tril(), rand(3))
    check_error(lambda lib, t: t.triu(), rand())


# ------------------------------------------------------------------ diagonals
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("offset,dim1,dim2", [(0, 0, 1), (1, 0, 1), (-1, 0, 1), (2, 1, 2),
                                              (-1, 2, 0), (0, -1, -2), (9, 0, 1)])
def test_diagonal(dtype, offset, dim1, dim2):
    x = rand(3, 4, 5, dtype=dtype)
    check_names(lambda lib, t: t.diagonal(offset, dim1, dim2), x)
    check(lambda lib, t: lib.diagonal(t, offset=offset, dim1=dim1, dim2=dim2), noncontiguous(x))


def test_diagonal_errors():
    check_error(lambda lib, t: t.diagonal(0, 1, 1), rand(2, 2))
    check_error(lambda lib, t: t.diagonal(), rand(2))
    check_error(lambda lib, t: t.diagonal(0, 0, 2), rand(2, 2))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("offset,dim1,dim2", [(0, -2, -1), (1, 0, 2), (-2, 2, 0), (0, 1, 0)])
def test_diag_embed(dtype, offset, dim1, dim2):
    check_names(lambda lib, t: t.diag_embed(offset, dim1, dim2), rand(2, 3, dtype=dtype))
    check(lambda lib, t: lib.diag_embed(t, offset), rand(3, dtype=dtype))
    check(lambda lib, t: lib.diag_embed(t), rand(2, 0, dtype=dtype))


def test_diag_embed_errors():
    check_error(lambda lib, t: t.diag_embed(0, 1, 1), rand(2, 2))
    check_error(lambda lib, t: t.diag_embed(0, 0, 3), rand(2, 2))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("k", [0, 1, -2, 7])
def test_diag_and_diagflat(dtype, k):
    check_names(lambda lib, t: t.diag(k), rand(4, dtype=dtype))
    check_names(lambda lib, t: lib.diag(t, k), rand(3, 4, dtype=dtype))
    check_names(lambda lib, t: lib.diagflat(t, k), rand(2, 2, dtype=dtype))
    check(lambda lib, t: t.diagflat(k), noncontiguous(rand(2, 3, dtype=dtype)))
    check(lambda lib, t: t.diagflat(), rand(dtype=dtype))


def test_diag_copies_and_errors():
    t, m = both(lambda lib: lib.zeros(3, 3))
    for base in (t, m):
        base.diag().add_(1)
        assert base.sum().item() == 0
        base.diagonal().add_(1)
        assert base.sum().item() == 3
    check_error(lambda lib, t: t.diag(), rand(2, 2, 2))
    check_error(lambda lib, t: t.diag(), rand())


# ------------------------------------------------------------------ broadcasting
def test_broadcast_tensors_and_shapes():
    check_names(lambda lib, x, y, z: lib.broadcast_tensors(x, y, z), rand(2, 1), rand(3), rand())
    check(lambda lib, x, y: lib.broadcast_tensors(x, y), rand(2, 3), rand(2, 3))
    check(lambda lib, x, y: lib.broadcast_tensors(x, y), rand(0, 1), rand(3))
    check_error(lambda lib, x, y: lib.broadcast_tensors(x, y), rand(2, 1), rand(3, 2))
    for shapes in [((2, 1), (3,), 3), ((),), ((0, 1), (5,)), (3, [1, 3]), ((2, 1, 1), (4, 1))]:
        t, m = both(lambda lib: lib.broadcast_shapes(*shapes))
        assert tuple(m) == tuple(t) and type(m).__name__ == "Size"
    check_error(lambda lib: lib.broadcast_shapes((2, 1), (3, 2)))


@pytest.mark.parametrize("indexing", ["ij", "xy"])
@pytest.mark.parametrize("shapes", [((3,), (4,)), ((2,), (), (3,)), ((5,),), ((0,), (2,))])
def test_meshgrid(indexing, shapes):
    arrays = [rand(*s) for s in shapes]
    check_names(lambda lib, *ts: lib.meshgrid(*ts, indexing=indexing), *arrays)
    check(lambda lib, *ts: lib.meshgrid(list(ts), indexing=indexing), *arrays)


def test_meshgrid_warning_and_errors():
    for lib in (torch, minitorch):
        with pytest.warns(UserWarning, match="indexing argument"):
            lib.meshgrid(lib.ones(2), lib.ones(3))
    check_error(lambda lib, x: lib.meshgrid(x, indexing="foo"), rand(2))
    check_error(lambda lib: lib.meshgrid([], indexing="ij"))
    check_error(lambda lib, x: lib.meshgrid(x, indexing="ij"), rand(2, 2))
    check_error(lambda lib, x, y: lib.meshgrid(x, y, indexing="ij"), rand(2),
                rand(2, dtype=np.float32))


def test_meshgrid_outputs_are_views():
    t, m = both(lambda lib: lib.meshgrid(lib.arange(3.0), lib.arange(2.0), indexing="ij"))
    assert [g._is_view() for g in m] == [g._is_view() for g in t]
    assert [g.stride() for g in m] == [g.stride() for g in t]


# ------------------------------------------------------------------ complex views
@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
def test_view_as_real(dtype):
    check_names(lambda lib, z: lib.view_as_real(z) * 1, rand(3, 2, dtype=dtype))
    check(lambda lib, z: lib.view_as_real(z), noncontiguous(rand(3, 2, dtype=dtype)))
    check(lambda lib, z: lib.view_as_real(z), np.asarray(rand(dtype=dtype)))


@pytest.mark.parametrize("dtype", FLOATS)
def test_view_as_complex(dtype):
    check_names(lambda lib, x: lib.view_as_complex(x) * 1, rand(3, 2, dtype=dtype))
    check(lambda lib, x: lib.view_as_complex(x).reshape(1), rand(2))
    check(lambda lib, x: lib.view_as_complex(x[:, :2]), rand(3, 4, dtype=dtype))
    check(lambda lib, x: lib.view_as_real(lib.view_as_complex(x)) * 2, rand(4, 2, dtype=dtype))


def test_complex_views_share_memory_and_errors():
    def fn(lib):
        x = lib.arange(8.0).reshape(4, 2)
        z = lib.view_as_complex(x)
        with lib.no_grad():
            z.mul_(2)
            lib.view_as_real(z).select(-1, 1).add_(100)
        return x
    t, m = both(fn)
    np.testing.assert_array_equal(m.numpy(), t.numpy())
    check_error(lambda lib, x: lib.view_as_complex(x), rand(2, 2, dtype=np.int64))
    check_error(lambda lib, x: lib.view_as_complex(x), rand(2, 3))
    check_error(lambda lib, x: lib.view_as_complex(x.t()), rand(2, 2))
    check_error(lambda lib, x: lib.view_as_complex(x[:, 1:]), rand(3, 3))
    check_error(lambda lib, x: lib.view_as_complex(x), rand())
    check_error(lambda lib, x: lib.view_as_real(x), rand(2))


# ------------------------------------------------------------------ unfold
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("dim,size,step", [(1, 2, 1), (1, 3, 2), (0, 1, 1), (-1, 6, 1),
                                           (1, 2, 4), (1, 0, 1)])
def test_unfold(dtype, dim, size, step):
    check_names(lambda lib, t: t.unfold(dim, size, step), rand(3, 6, dtype=dtype))
    check(lambda lib, t: t.unfold(dim, size, step), noncontiguous(rand(3, 6, dtype=dtype)))


def test_unfold_edge_cases_and_errors():
    check(lambda lib, t: t.unfold(0, 1, 1), rand())
    check(lambda lib, t: t.unfold(0, 2, 1), rand(2, 0))
    check_error(lambda lib, t: t.unfold(1, 7, 1), rand(2, 6))
    check_error(lambda lib, t: t.unfold(1, 2, 0), rand(2, 6))
    check_error(lambda lib, t: t.unfold(2, 2, 1), rand(2, 6))
    # overlapping windows alias memory; torch's result is undefined there, ours refuses
    with pytest.raises(RuntimeError, match="single memory location"):
        minitorch.zeros(2, 6).unfold(1, 3, 1).add_(1)


def test_as_strided_not_supported():
    with pytest.raises(NotImplementedError, match="as_strided"):
        minitorch.ones(4).as_strided((2,), (1,))


# ------------------------------------------------------------------ in-place layout changes
@pytest.mark.parametrize("op", [lambda y: y.unsqueeze_(0), lambda y: y.unsqueeze_(-1),
                                lambda y: y.squeeze_(), lambda y: y.squeeze_(0),
                                lambda y: y.squeeze_((0, 2)), lambda y: y.squeeze_(1),
                                lambda y: y.squeeze_(2).t_(), lambda y: y.transpose_(0, 2),
                                lambda y: y.swapaxes_(1, 2), lambda y: y.swapdims_(0, 1)])
def test_inplace_layout_changes(op):
    def fn(lib, x):
        y = x * 1
        out = op(y)
        assert out is y
        return y * lib.arange(float(y.shape[-1])).to(y.dtype)
    check_names(fn, rand(1, 3, 1))
    check(fn, rand(1, 3, 1, dtype=np.float32))


def test_inplace_layout_changes_on_views_and_leaves():
    def on_view(lib, x):
        y = x * 1
        v = y.narrow(0, 0, 2)
        v.t_()
        v.mul_(lib.arange(2.0).to(x.dtype))  # write through the re-laid-out view
        return y, v
    # (torch names the regenerated view node AsStridedBackward0; we replay the views)
    check(on_view, rand(3, 4))

    def version_and_shape(lib):
        z = lib.zeros(3, 4)
        z.t_()
        z.unsqueeze_(1)
        return tuple(z.shape), z.stride(), version(z)
    t, m = both(version_and_shape)
    assert m == t
    check_error(lambda lib, x: x.requires_grad_().unsqueeze_(0), rand(2))
    check_error(lambda lib, x: x.t_(), rand(2, 2, 2))
    check_error(lambda lib, x: x.unsqueeze_(3), rand(2))


def test_resize():
    def fn(lib):
        z = lib.arange(6.0)
        a = z.resize_(2, 2)
        shrunk = (a is z, z.tolist(), version(z))
        z = lib.arange(6.0)
        z.resize_(2, 4)
        grown = (tuple(z.shape), z[0].tolist())
        same = lib.arange(6.0).reshape(2, 3).t().resize_(3, 2)
        y = lib.ones(2).resize_as_(lib.ones(1, 2))
        return shrunk, grown, same.tolist(), same.stride(), tuple(y.shape)
    t, m = both(fn)
    assert m == t
    check_error(lambda lib, x: x.requires_grad_().resize_(3), rand(2))
    check_error(lambda lib, x: x.resize_(-1, 2), rand(2))
    with pytest.raises(NotImplementedError, match="contiguous"):
        minitorch.zeros(2, 3).t().resize_(6)


def test_create_graph_through_joining_and_reordering():
    def fn(lib, x, y):
        z = lib.cat([x, y], 1) ** 2
        z = lib.stack([z, z.flip(0)], 2).roll(1, 0).rot90(1, (0, 1)).tril(1)
        z = z.repeat(2, 1, 1) * lib.diag_embed(x.diagonal()).sum()
        w = lib.view_as_real(lib.view_as_complex(lib.stack([x, y], -1)) ** 2)
        s = (z ** 2).sum() + (w ** 2).sum() + (x.repeat_interleave(2) ** 3).sum()
        gx, gy = lib.autograd.grad(s, (x, y), create_graph=True)
        return gx * gy
    check(fn, rand(3, 3), rand(3, 3))


# ------------------------------------------------------------------ other dtypes
def test_float16_inputs():
    x = rand(3, 4, dtype=np.float16)
    check(lambda lib, t: lib.cat([t, t], 1), x)
    check(lambda lib, t: t.split(2, 1), x)
    check(lambda lib, t: t.flip(0).roll(1, 1).rot90().tril(), x)
    check(lambda lib, t: t.repeat(2, 1).repeat_interleave(2, 0), x)
    check(lambda lib, t: lib.diag_embed(t).diagonal(0, -2, -1).unfold(1, 2, 1), x)
    check(lambda lib, t: lib.stack([t, t]).unbind(2), x)


@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8, np.bool_, np.complex128])
def test_integer_bool_and_complex_inputs(dtype):
    x = rand(3, 4, dtype=dtype)
    grad = dtype == np.complex128
    check(lambda lib, t: (lib.cat([t, t]), lib.stack([t, t], 1), t.split(3, 1), t.chunk(2),
                          t.unbind(1), t.tensor_split(2)), x, grad=grad)
    check(lambda lib, t: (t.flip(1), t.roll(2), t.rot90(), t.tril(), t.triu(1), t.diag(),
                          t.diagonal(1), lib.diag_embed(t), t.repeat(1, 2),
                          t.repeat_interleave(2), t.unfold(1, 2, 1), t.movedim(0, 1),
                          t.ravel(), t.narrow(1, 1, 2), t.select(0, 1)), x, grad=grad)
