"""Parity of the core arithmetic, reductions, views and matmul."""
import numpy as np
import pytest

from harness import check, check_error, noncontiguous, rand

FLOATS = [np.float64, np.float32]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)),
                                    ((), (3,)), ((0, 3), (3,))])
@pytest.mark.parametrize("op", ["add", "sub", "mul", "div"])
def test_binary_broadcast(op, shapes, dtype):
    a, b = rand(*shapes[0], dtype=dtype), rand(*shapes[1], dtype=dtype, low=0.5, high=2)
    check(lambda lib, x, y: getattr(lib, op)(x, y), a, b)


@pytest.mark.parametrize("dtype", FLOATS)
def test_operators_with_scalars(dtype):
    a = rand(3, 4, dtype=dtype, low=0.5, high=2)
    check(lambda lib, x: 2 - x * 3 + x / 2 - 1.5 / x + x ** 2 + 2 ** x - (-x), a)


def test_add_alpha_and_noncontiguous():
    a, b = noncontiguous(rand(3, 4)), noncontiguous(rand(3, 4))
    check(lambda lib, x, y: lib.add(x, y, alpha=2.5), a, b)
    check(lambda lib, x, y: lib.sub(x, y, alpha=-1), a, b)


def test_pow_tensor_tensor():
    check(lambda lib, x, y: x ** y, rand(3, 4, low=0.5, high=2), rand(3, 4))
    check(lambda lib, x, y: x ** y, rand(5, low=0, high=0), rand(5, low=0, high=2))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("fn", ["exp", "log", "sqrt", "sigmoid", "tanh", "abs", "relu"])
def test_unary_core(fn, dtype):
    low = 0.1 if fn in ("log", "sqrt") else -3
    check(lambda lib, x: getattr(lib, fn)(x), rand(4, 5, dtype=dtype, low=low, high=3))
    check(lambda lib, x: getattr(x, fn)(), rand(dtype=dtype, low=low, high=3))


@pytest.mark.parametrize("dim,keepdim", [(None, False), (0, False), (1, True), ((0, 2), False),
                                         (-1, True)])
def test_sum_mean(dim, keepdim):
    x = rand(2, 3, 4)
    if dim is None:
        check(lambda lib, t: t.sum() + t.mean(), x)
    else:
        check(lambda lib, t: t.sum(dim, keepdim=keepdim) * t.mean(dim, keepdim=keepdim), x)


def test_integer_sums_promote_to_int64():
    check(lambda lib, t: t.sum(), rand(3, dtype=np.int32, low=0, high=5), grad=False)
    check(lambda lib, t: t.sum(0), rand(3, 2, dtype=np.bool_), grad=False)


def test_mean_of_integers_raises():
    check_error(lambda lib, t: t.mean(), rand(3, dtype=np.int64))


@pytest.mark.parametrize("shapes", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
                                    ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)),
                                    ((5, 1, 2, 3), (4, 3, 2)), ((3,), (5, 3, 4))])
def test_matmul_shapes(shapes):
    check(lambda lib, a, b: a @ b, rand(*shapes[0]), rand(*shapes[1]))


def test_matmul_errors():
    check_error(lambda lib, a, b: a @ b, rand(2, 3), rand(4, 2))
    check_error(lambda lib, a, b: lib.mm(a, b), rand(2, 3), rand(3, 2).astype(np.float32))


def test_views_and_reshape():
    x = rand(2, 3, 4)
    check(lambda lib, t: t.view(6, 4).t().reshape(-1, 2).permute(1, 0).unsqueeze(0).squeeze(), x)
    check(lambda lib, t: t.transpose(0, 2).reshape(4, 6), x)
    check(lambda lib, t: t.unsqueeze(1).expand(2, 5, 3, 4) * 1.0, x)
    check(lambda lib, t: t.flatten(1) + 0, x)


def test_view_errors():
    check_error(lambda lib, t: t.transpose(0, 1).view(-1), rand(2, 3))
    check_error(lambda lib, t: t.view(5, -1), rand(2, 3))
    check_error(lambda lib, t: t.expand(3, 4), rand(2, 4))
    check_error(lambda lib, t: t.sum(3), rand(2, 4))


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "maximum", "atan2", "where"])
@pytest.mark.parametrize("shapes", [((3,), (4,)), ((2, 3), (5, 4)), ((2, 3), (4, 3))])
def test_broadcast_mismatch_is_a_runtime_error(op, shapes):
    if op == "where":
        fn = lambda lib, a, b: lib.where(a > 0, a, b)  # noqa: E731
    else:
        fn = lambda lib, a, b: getattr(lib, op)(a, b)  # noqa: E731
    check_error(fn, rand(*shapes[0]), rand(*shapes[1]), match="must match the size")
