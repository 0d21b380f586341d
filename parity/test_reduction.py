"""Parity of reductions and scans with torch: values, dtypes, gradients, errors."""
import math

import numpy as np
import pytest

from harness import check, check_error, noncontiguous, rand

F64, F32 = np.float64, np.float32
TIES = np.array([[1.0, 3.0, 3.0, 0.0], [2.0, 2.0, 1.0, 2.0], [-1.0, -1.0, -1.0, -1.0]])
# Distinct integers: torch breaks ties among equal values in an unspecified way.
DISTINCT_INTS = np.random.default_rng(0).permutation(15).reshape(3, 5) - 7
NANS = np.array([[1.0, np.nan, 0.0, np.nan, 5.0], [2.0, 4.0, 3.0, 1.0, 0.0]])


def _shapes_inputs(dtype):
    """A few inputs: 2-d, 3-d, 0-d and non-contiguous."""
    return [rand(3, 4, dtype=dtype), rand(2, 3, 4, dtype=dtype), rand(dtype=dtype),
            noncontiguous(rand(4, 3, dtype=dtype))]


# ------------------------------------------------------------------ sum, mean
@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("args", [(), (1,), ((0, 1), True), (-1, True)])
def test_sum_mean_prod_like(dtype, args):
    x = rand(3, 4, dtype=dtype)
    check(lambda lib, x: lib.sum(x, *args), x)
    check(lambda lib, x: lib.mean(x, *args), x)
    check(lambda lib, x: lib.nansum(x, *args), x)
    check(lambda lib, x: lib.nanmean(x, *args), x)


def test_sum_int_and_dtype():
    check(lambda lib, x: x.sum(0), rand(3, 4, dtype=np.int32))
    check(lambda lib, x: x.sum(dtype=lib.float64), rand(3, 4, dtype=F32))
    check(lambda lib, x: lib.sum(x), np.zeros((0, 3)))


def test_nansum_nanmean():
    check(lambda lib, x: lib.nansum(x), NANS)
    check(lambda lib, x: lib.nansum(x, 1, keepdim=True), NANS)
    check(lambda lib, x: lib.nanmean(x, 1), NANS)
    check(lambda lib, x: lib.nanmean(x), NANS)
    check(lambda lib, x: x.nansum(0), rand(3, 2, dtype=np.int64))
    check_error(lambda lib, x: lib.nanmean(x), rand(3, dtype=np.int64))


# ------------------------------------------------------------------------ prod
@pytest.mark.parametrize("dtype", [F64, F32])
def test_prod(dtype):
    for x in _shapes_inputs(dtype):
        check(lambda lib, x: lib.prod(x), x)
        check(lambda lib, x: x.prod(-1), x)
        check(lambda lib, x: x.prod(0, keepdim=True), x)


@pytest.mark.parametrize("zeros", [[(0, 1)], [(0, 1), (1, 2)], [(0, 1), (0, 3)]])
def test_prod_with_zeros(zeros):
    x = rand(3, 4)
    for i, j in zeros:
        x[i, j] = 0.0
    check(lambda lib, x: x.prod(), x)
    check(lambda lib, x: x.prod(1), x)
    check(lambda lib, x: x.prod(0), x)


def test_prod_dtypes_and_empty():
    check(lambda lib, x: x.prod(), rand(5, dtype=np.int32))
    check(lambda lib, x: x.prod(0), rand(2, 3) > 0)
    check(lambda lib, x: x.prod(dtype=lib.float64), rand(2, 3, dtype=F32))
    check(lambda lib, x: x.prod(), np.zeros((0,)))
    check(lambda lib, x: x.prod(1), np.zeros((2, 0)))
    check_error(lambda lib, x: x.prod((0, 1)), rand(2, 3))


def test_prod_double_backward():
    x = rand(3, 4)
    x[0, 1] = 0.0

    def second(lib, x):
        (g,) = lib.autograd.grad(x.prod(1).sum(), x, create_graph=True)
        return (g * g).sum()
    check(second, x)

    def second_all(lib, x):
        (g,) = lib.autograd.grad(x.prod(), x, create_graph=True)
        return (g * lib.arange(12.0, dtype=x.dtype).reshape(3, 4)).sum()
    check(second_all, x)


# ----------------------------------------------------------------- max / min
@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("name", ["max", "min"])
def test_max_min(dtype, name):
    for x in _shapes_inputs(dtype):
        check(lambda lib, x: getattr(lib, name)(x), x)
        check(lambda lib, x: getattr(lib, name)(x, 0), x)
        check(lambda lib, x: getattr(x, name)(dim=-1, keepdim=True), x)


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin", "median", "nanmedian"])
def test_tie_gradients(name):
    """max/min with dim route to the returned index; the full reductions split evenly."""
    check(lambda lib, x: getattr(lib, name)(x), TIES)
    if name not in ("amax", "amin"):
        check(lambda lib, x: getattr(lib, name)(x, 1), TIES)
    else:
        check(lambda lib, x: getattr(lib, name)(x, 1), TIES)
        check(lambda lib, x: getattr(lib, name)(x, (0, 1), keepdim=True), TIES)


@pytest.mark.parametrize("name", ["max", "min", "amax", "amin", "median"])
def test_nan_propagation(name):
    check(lambda lib, x: getattr(lib, name)(x), NANS)
    check(lambda lib, x: getattr(lib, name)(x, 1), NANS)


def test_max_binary_and_int():
    check(lambda lib, x: lib.max(x, 1), rand(3, 4, dtype=np.int64))
    check(lambda lib, x: x.max(), rand(3, 4) > 0)
    check(lambda lib, x, y: lib.max(x, y), rand(3, 4), rand(3, 4))
    check(lambda lib, x, y: x.min(y), rand(3, 4), rand(4))
    t, m = check(lambda lib, x: lib.max(x, 1), rand(2, 3))
    assert type(m).__name__ == "max" and m.values is m[0] and m.indices is m[1]
    assert m.values.grad_fn.name() == "MaxBackward0"
    assert type(m).__name__ == type(t).__name__


def test_max_errors():
    check_error(lambda lib, x: x.max(), np.zeros((0,)))
    check_error(lambda lib, x: x.max(0), np.zeros((0, 3)))
    check_error(lambda lib, x: x.min(2), rand(2, 3))
    check_error(lambda lib, x: x.amax(0), np.zeros((0, 3)))
    check_error(lambda lib, x: x.amax(), np.zeros((0, 3)))
    for name in ("max", "min", "amax", "argmax", "median", "aminmax", "nanmedian"):
        check_error(lambda lib, x: getattr(x, name)(), rand(2, dtype=np.complex128))
    for name in ("max", "min", "cummax", "cummin", "median", "mode"):
        check_error(lambda lib, x: getattr(x, name)(0), rand(2, dtype=np.complex128))
    check(lambda lib, x: x.max(1), np.zeros((0, 3)))
    check(lambda lib, x: x.amax(1), np.zeros((0, 3)))


@pytest.mark.parametrize("dtype", [F64, F32])
def test_amax_amin(dtype):
    for x in _shapes_inputs(dtype):
        check(lambda lib, x: lib.amax(x), x)
        check(lambda lib, x: lib.amin(x, -1), x)
        if x.ndim > 1:
            check(lambda lib, x: x.amax((0, -1), keepdim=True), x)
    check(lambda lib, x: x.amax(0), rand(3, 4, dtype=np.int32))


def test_aminmax():
    check(lambda lib, x: lib.aminmax(x), TIES)
    check(lambda lib, x: lib.aminmax(x, dim=1), TIES)
    check(lambda lib, x: x.aminmax(dim=0, keepdim=True), rand(3, 4, dtype=F32))
    check(lambda lib, x: lib.aminmax(x), rand())
    check_error(lambda lib, x: lib.aminmax(x), np.zeros((0, 2)))
    _, m = check(lambda lib, x: lib.aminmax(x, dim=1), rand(2, 3))
    assert m.min is m[0] and m.max is m[1]


@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin(name):
    for x in (TIES, NANS, rand(2, 3, 4), rand(), noncontiguous(rand(3, 4)),
              rand(3, 4, dtype=np.int32)):
        check(lambda lib, x: getattr(lib, name)(x), x)
        check(lambda lib, x: getattr(lib, name)(x, 0), x)
        check(lambda lib, x: getattr(x, name)(-1, keepdim=True), x)
        check(lambda lib, x: getattr(x, name)(keepdim=True), x)
    check_error(lambda lib, x: getattr(lib, name)(x), np.zeros((0, 2)))
    check_error(lambda lib, x: getattr(lib, name)(x, 0), np.zeros((0, 2)))


# ------------------------------------------------------------------ var, std
@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("name", ["var", "std", "var_mean", "std_mean"])
def test_var_std(dtype, name):
    x = rand(3, 4, dtype=dtype)
    fn = lambda lib: getattr(lib, name)  # noqa: E731
    check(lambda lib, x: fn(lib)(x), x)
    check(lambda lib, x: fn(lib)(x, 1), x)
    check(lambda lib, x: fn(lib)(x, (0, 1), keepdim=True), x)
    check(lambda lib, x: fn(lib)(x, 0, correction=0), x)
    check(lambda lib, x: fn(lib)(x, 0, correction=2), x)
    check(lambda lib, x: fn(lib)(x, 1, False, True), x)
    check(lambda lib, x: fn(lib)(x, False), x)
    check(lambda lib, x: fn(lib)(x, dim=-1, unbiased=True), noncontiguous(x))
    check(lambda lib, x: fn(lib)(x, dim=0), rand(2, 3, 4, dtype=dtype))


def test_var_std_edge_cases():
    check(lambda lib, x: x.var(), rand())
    check(lambda lib, x: x.std(correction=0), rand())
    check(lambda lib, x: x.std(0), rand(1, 3))  # one sample: nan with correction 1
    check(lambda lib, x: x.std(1), np.ones((2, 3)))  # std 0: gradient 0, as torch
    check(lambda lib, x: x.var(1), np.zeros((2, 0)))
    check(lambda lib, x: x.var(), rand(4, dtype=np.complex128))
    check_error(lambda lib, x: x.var(), rand(3, dtype=np.int64))
    check_error(lambda lib, x: x.std(0, unbiased=True, correction=1), rand(3))


# -------------------------------------------------------------- logsumexp
@pytest.mark.parametrize("dtype", [F64, F32])
def test_logsumexp(dtype):
    for x in _shapes_inputs(dtype):
        check(lambda lib, x: lib.logsumexp(x, 0), x)
        check(lambda lib, x: x.logsumexp(-1, keepdim=True), x)
    big = rand(3, 4, dtype=dtype) * 500
    check(lambda lib, x: lib.logsumexp(x, (0, 1)), big)
    inf = np.array([[-np.inf, -np.inf], [np.inf, 1.0], [2.0, -np.inf]], dtype=dtype)
    check(lambda lib, x: lib.logsumexp(x, 1), inf, grad=False)
    check(lambda lib, x: lib.logsumexp(x, 1), rand(3, 4, dtype=np.int64))
    check(lambda lib, x: lib.logsumexp(x, 1), np.zeros((2, 0)))
    check_error(lambda lib, x: lib.logsumexp(x, 2), rand(2, 3))


# -------------------------------------------------------------------- norm
@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("p", ["fro", 2, 1, 3, 0.5, 1.5, 0, math.inf, -math.inf, -1])
def test_norm(dtype, p):
    x = rand(3, 4, dtype=dtype)
    check(lambda lib, x: lib.norm(x, p), x)
    check(lambda lib, x: x.norm(p, dim=1), x)
    check(lambda lib, x: lib.norm(x, p, dim=(0, 1), keepdim=True), noncontiguous(x))
    check(lambda lib, x: lib.norm(x, p, dim=-1), rand(dtype=dtype))


def test_norm_special_values():
    x = rand(3, 4)
    x[1] = 0.0
    x[0, 0] = 0.0
    for p in (2, 1, 3, 0.5, math.inf):
        check(lambda lib, x: lib.norm(x, p, dim=1), x)
    check(lambda lib, x: lib.norm(x, math.inf), TIES)
    check(lambda lib, x: lib.norm(x, dtype=lib.float64), rand(3, dtype=F32))
    check(lambda lib, x: lib.norm(x), np.zeros((0, 3)))
    check_error(lambda lib, x: lib.norm(x), rand(3, dtype=np.int64))
    check_error(lambda lib, x: lib.norm(x, math.inf, dim=0), np.zeros((0, 3)))


# -------------------------------------------------------- logical reductions
@pytest.mark.parametrize("dtype", [np.bool_, np.uint8, np.int64, F32])
@pytest.mark.parametrize("name", ["all", "any"])
def test_all_any(dtype, name):
    x = rand(3, 4, dtype=dtype, low=0, high=1)
    check(lambda lib, x: getattr(lib, name)(x), x)
    check(lambda lib, x: getattr(lib, name)(x, 1), x)
    check(lambda lib, x: getattr(x, name)(0, keepdim=True), x)
    check(lambda lib, x: getattr(lib, name)(x, (0, 1)), x)
    check(lambda lib, x: getattr(lib, name)(x), np.zeros((0, 2), dtype=dtype))
    check(lambda lib, x: getattr(lib, name)(x, 0), np.zeros((), dtype=dtype))


def test_count_nonzero():
    x = rand(3, 4, dtype=np.int64, low=-1, high=1)
    check(lambda lib, x: lib.count_nonzero(x), x)
    check(lambda lib, x: lib.count_nonzero(x, 0), x)
    check(lambda lib, x: x.count_nonzero((0, 1)), x)
    check(lambda lib, x: lib.count_nonzero(x, -1), np.zeros((2, 0)))


# --------------------------------------------------------------- cumulative
@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("name", ["cumsum", "cumprod", "logcumsumexp"])
def test_scans(dtype, name):
    for x in _shapes_inputs(dtype):
        check(lambda lib, x: getattr(lib, name)(x, 0), x)
        check(lambda lib, x: getattr(x, name)(-1), x)
    check(lambda lib, x: getattr(lib, name)(x, 1), np.zeros((2, 0), dtype=dtype))


def test_cumsum_cumprod_dtypes():
    for name in ("cumsum", "cumprod"):
        check(lambda lib, x: getattr(lib, name)(x, 0), rand(5, dtype=np.int32))
        check(lambda lib, x: getattr(lib, name)(x, 0), rand(5) > 0)
        check(lambda lib, x: getattr(lib, name)(x, 1, dtype=lib.float64), rand(2, 3, dtype=F32))
        check_error(lambda lib, x: getattr(lib, name)(x, 2), rand(2, 3))


def test_cumsum_inplace():
    check(lambda lib, x: (x * 1).cumsum_(1), rand(2, 3))
    check(lambda lib, x: (x * 1).cumprod_(0), rand(2, 3))


@pytest.mark.parametrize("zeros", [[1], [1, 3], [0, 4]])
def test_cumprod_zeros(zeros):
    x = rand(2, 5)
    x[:, zeros] = 0.0
    check(lambda lib, x: x.cumprod(1), x)

    def second(lib, x):
        (g,) = lib.autograd.grad((x.cumprod(1) * lib.arange(5.0, dtype=x.dtype)).sum(), x,
                                 create_graph=True)
        return (g * g).sum()
    check(second, x)


def test_scan_double_backward():
    def second(lib, x, name):
        y = getattr(x, name)(1)
        (g,) = lib.autograd.grad((y * lib.arange(4.0, dtype=x.dtype)).sum(), x,
                                 create_graph=True)
        return (g * g).sum()
    for name in ("cumsum", "logcumsumexp"):
        check(lambda lib, x: second(lib, x, name), rand(3, 4))


def test_logcumsumexp_edge():
    x = np.array([[-np.inf, 0.0, -np.inf], [1000.0, 1.0, -1000.0]])
    check(lambda lib, x: x.logcumsumexp(1), x)
    check_error(lambda lib, x: x.logcumsumexp(0), rand(3, dtype=np.int64))


@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_cummax_cummin(name):
    for x in (TIES, NANS, rand(2, 3, 4), rand(), noncontiguous(rand(3, 4)),
              rand(3, 4, dtype=F32)):
        check(lambda lib, x: getattr(lib, name)(x, 1 if x.ndim > 1 else 0), x)
        check(lambda lib, x: getattr(x, name)(0), x)
    check(lambda lib, x: getattr(x, name)(1), rand(3, 4, dtype=np.int64))
    check(lambda lib, x: getattr(x, name)(1), np.zeros((2, 0)))
    _, m = check(lambda lib, x: getattr(x, name)(1), TIES)
    assert type(m).__name__ == name and m.values is m[0]


# --------------------------------------------------------- median and mode
@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("name", ["median", "nanmedian"])
def test_median(dtype, name):
    for x in (rand(3, 4, dtype=dtype), rand(2, 5, 3, dtype=dtype), rand(dtype=dtype),
              noncontiguous(rand(4, 5, dtype=dtype))):
        check(lambda lib, x: getattr(lib, name)(x), x)
        check(lambda lib, x: getattr(lib, name)(x, 0), x)
        check(lambda lib, x: getattr(x, name)(-1, keepdim=True), x)


def test_median_nan_and_empty():
    all_nan = np.full((2, 3), np.nan)
    for name in ("median", "nanmedian"):
        check(lambda lib, x: getattr(lib, name)(x, 1), NANS)
        check(lambda lib, x: getattr(lib, name)(x), NANS)
        check(lambda lib, x: getattr(lib, name)(x, 0), all_nan)
        check(lambda lib, x: getattr(lib, name)(x), np.zeros((0,)))
        check_error(lambda lib, x: getattr(lib, name)(x, 0), np.zeros((0, 2)))
    check(lambda lib, x: x.median(1), DISTINCT_INTS)


def test_mode():
    x = np.array([[1.0, 2.0, 3.0, 1.0, 3.0, 2.0], [5.0, 5.0, 1.0, 5.0, 0.0, 0.0],
                  [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]])
    check(lambda lib, x: lib.mode(x), x)
    check(lambda lib, x: x.mode(0), x)
    check(lambda lib, x: x.mode(1, keepdim=True), x)
    check(lambda lib, x: x.mode(), np.array(2.0))
    check(lambda lib, x: x.mode(1), (x * 2).astype(np.int64))
    check_error(lambda lib, x: x.mode(0), np.zeros((0, 2)))
    _, m = check(lambda lib, x: lib.mode(x), x)
    assert type(m).__name__ == "mode"


# ----------------------------------------------------------------- quantile
@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
def test_quantile(dtype, interpolation):
    x = rand(3, 5, dtype=dtype)
    kw = {"interpolation": interpolation}
    check(lambda lib, x: lib.quantile(x, 0.3, **kw), x)
    check(lambda lib, x: lib.quantile(x, 0.5, dim=1, **kw), x)
    check(lambda lib, x: x.quantile(0.25, dim=0, keepdim=True, **kw), x)
    q = np.array([0.0, 0.125, 0.5, 1.0], dtype=dtype)
    check(lambda lib, x, q: lib.quantile(x, q, dim=1, **kw), x, q)
    check(lambda lib, x, q: lib.quantile(x, q, dim=0, keepdim=True, **kw), x, q)
    check(lambda lib, x, q: lib.quantile(x, q, keepdim=True, **kw), x, q)
    check(lambda lib, x, q: lib.nanquantile(x, q, dim=1, **kw), NANS.astype(dtype), q)


def test_quantile_nan_and_errors():
    all_nan_row = NANS.copy()
    all_nan_row[1] = np.nan
    for name in ("quantile", "nanquantile"):
        check(lambda lib, x: getattr(lib, name)(x, 0.4, dim=1), NANS)
        check(lambda lib, x: getattr(lib, name)(x, 0.4), NANS)
        check(lambda lib, x: getattr(lib, name)(x, 0.4, dim=1), all_nan_row)
        check(lambda lib, x: getattr(lib, name)(x, 0.7, dim=0), rand())
        check_error(lambda lib, x: getattr(lib, name)(x, 1.5), rand(3))
        check_error(lambda lib, x: getattr(lib, name)(x, 0.5), rand(3, dtype=np.int64))
        check_error(lambda lib, x: getattr(lib, name)(x, 0.5, interpolation="cubic"), rand(3))
        check_error(lambda lib, x: getattr(lib, name)(x, 0.5, dim=0), np.zeros((2, 0)))
        check_error(lambda lib, x, q: getattr(lib, name)(x, q), rand(3), rand(2, 2, low=0, high=1))
        check_error(lambda lib, x, q: getattr(lib, name)(x, q), rand(3), rand(2, low=0, high=1,
                                                                           dtype=F32))


@pytest.mark.parametrize("op", [
    lambda x: x.max(1).values, lambda x: x.max(), lambda x: x.amin(0), lambda x: x.var(1),
    lambda x: x.std(), lambda x: x.logsumexp(1), lambda x: x.norm(3, dim=1),
    lambda x: x.norm(), lambda x: x.norm(1), lambda x: x.median(1).values,
    lambda x: x.cummax(1).values, lambda x: x.mode(1).values, lambda x: x.nansum(0),
    lambda x: x.mean(0) * x.var(0),
    lambda x: x.quantile(0.3, dim=1)])
def test_double_backward(op):
    """Backward rules are differentiable: gradients of gradients match torch."""
    def second(lib, x):
        y = op(x)
        w = lib.arange(1.0, y.numel() + 1.0, dtype=x.dtype).reshape(y.shape)
        (g,) = lib.autograd.grad((y * y * w).sum(), x, create_graph=True)
        return (g * g).sum() + (g * x).sum()
    check(second, rand(3, 4))


@pytest.mark.parametrize("dtype", [np.complex128, np.complex64])
@pytest.mark.parametrize("p", ["fro", 2, 1, 3, 0.5, 1.5, 0, math.inf, -math.inf])
def test_norm_complex(dtype, p):
    x = rand(3, 4, dtype=dtype)
    check(lambda lib, x: lib.norm(x, p), x)
    check(lambda lib, x: x.norm(p, dim=1, keepdim=True), x)


def test_norm_nuclear():
    check(lambda lib, x: lib.norm(x, "nuc"), rand(3, 4))
    check(lambda lib, x: x.norm("nuc", dim=(0, 2), keepdim=True), rand(3, 2, 4, dtype=F32))
    check_error(lambda lib, x: lib.norm(x, "nuc"), rand(2, 3, 4))
    check_error(lambda lib, x: lib.norm(x, "nuc"), rand(3))
    check_error(lambda lib, x: lib.norm(x, "nuc", dim=0), rand(3, 3))


def test_integer_result_dtype_with_grad():
    """An integer result cannot carry a gradient: torch refuses (outside no_grad)."""
    x = rand(3, 4)

    def with_grad(fn):
        return lambda lib, x: fn(lib, x.requires_grad_())
    for fn in (lambda lib, x: lib.sum(x, 0, dtype=lib.int32),
               lambda lib, x: lib.cumsum(x, 0, dtype=lib.int64),
               lambda lib, x: lib.cumprod(x, 1, dtype=lib.int64),
               lambda lib, x: lib.prod(x, dtype=lib.int64),
               lambda lib, x: lib.nansum(x, dtype=lib.bool)):
        check_error(with_grad(fn), x)

    def no_grad(lib, x):
        with lib.no_grad():
            return lib.cumsum(x.requires_grad_(), 0, dtype=lib.int32)
    check(no_grad, x * 3, grad=False)


def test_keepdim_without_dim():
    x = rand(3, 4)
    for name in ("all", "any", "nansum", "nanmean", "std", "var", "amax"):
        check(lambda lib, x: getattr(lib, name)(x, keepdim=True), x)
