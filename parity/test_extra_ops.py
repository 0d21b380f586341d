"""Parity tests for minitorch/_ops/extra.py: assorted torch top-level functions."""
import numpy as np
import pytest
import torch

import minitorch
from harness import check, check_error, noncontiguous, rand

F64, F32 = np.float64, np.float32


# ------------------------------------------------------------------ diff
@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("n,dim", [(1, -1), (2, 0), (3, 1), (0, -1), (7, 1)])
def test_diff(dtype, n, dim):
    check(lambda lib, x: lib.diff(x, n=n, dim=dim), rand(4, 5, dtype=dtype))


def test_diff_prepend_append_and_method():
    check(lambda lib, x, p, a: x.diff(2, 0, prepend=p, append=a),
          rand(3, 4), rand(2, 4), rand(1, 4))
    check(lambda lib, x: lib.diff(x), noncontiguous(rand(3, 4)))
    check(lambda lib, x: lib.diff(x), rand(0))


def test_diff_int_and_bool():
    check(lambda lib, x: lib.diff(x, 2), rand(6, dtype=np.int32, low=-9, high=9))
    check(lambda lib, x: lib.diff(x), rand(7, dtype=np.bool_))


def test_diff_errors():
    check_error(lambda lib, x: lib.diff(x), np.array(1.0))
    check_error(lambda lib, x: lib.diff(x, n=-1), rand(3))
    check_error(lambda lib, x, p: lib.diff(x, prepend=p), rand(3, 2), rand(2))


# ------------------------------------------------------------------ products
def test_cartesian_prod():
    check(lambda lib, a, b, c: lib.cartesian_prod(a, b, c), rand(2), rand(3), rand(2))
    check(lambda lib, a: lib.cartesian_prod(a), rand(3))
    check(lambda lib, a, b: lib.cartesian_prod(a, b), rand(0), rand(3))
    check_error(lambda lib, a, b: lib.cartesian_prod(a, b), rand(2, 2), rand(3))


@pytest.mark.parametrize("r", [0, 1, 2, 3, 5])
@pytest.mark.parametrize("with_replacement", [False, True])
def test_combinations(r, with_replacement):
    check(lambda lib, x: lib.combinations(x, r, with_replacement), rand(4))


def test_combinations_int_and_errors():
    check(lambda lib, x: lib.combinations(x, 2), rand(3, dtype=np.int64, low=0, high=9))
    check_error(lambda lib, x: lib.combinations(x), rand(2, 2))
    check_error(lambda lib, x: lib.combinations(x, -1), rand(3))


# ------------------------------------------------------------------ statistics
@pytest.mark.parametrize("dtype", [F64, F32])
@pytest.mark.parametrize("correction", [0, 1, 2])
def test_cov(dtype, correction):
    check(lambda lib, x: lib.cov(x, correction=correction), rand(3, 6, dtype=dtype))
    check(lambda lib, x: x.cov(correction=correction), rand(5, dtype=dtype))


def test_cov_weights():
    fw = np.array([1, 2, 0, 3, 1], dtype=np.int64)
    aw = np.abs(rand(5)) + 0.1
    check(lambda lib, x, f: lib.cov(x, fweights=f), rand(3, 5), fw)
    check(lambda lib, x, a: lib.cov(x, aweights=a), rand(3, 5), aw)
    check(lambda lib, x, f, a: lib.cov(x, fweights=f, aweights=a, correction=0),
          rand(2, 5), fw, aw)


def test_cov_edge_cases():
    check(lambda lib, x: lib.cov(x), rand(2, 2, dtype=np.int64, low=0, high=9))
    check(lambda lib, x: lib.cov(x), rand(2, 1))  # one observation: nan/inf like torch
    check(lambda lib, x: lib.cov(x), np.array(3.0))
    check(lambda lib, x: lib.cov(x), rand(3, 4, dtype=np.complex128))


def test_cov_errors():
    check_error(lambda lib, x: lib.cov(x), rand(2, 2, 2))
    check_error(lambda lib, x, f: lib.cov(x, fweights=f), rand(2, 3), rand(3))
    check_error(lambda lib, x, f: lib.cov(x, fweights=f), rand(2, 3),
                np.array([1, -1, 2], dtype=np.int64))
    check_error(lambda lib, x, a: lib.cov(x, aweights=a), rand(2, 3), np.abs(rand(4)))


@pytest.mark.parametrize("dtype", [F64, F32])
def test_corrcoef(dtype):
    check(lambda lib, x: lib.corrcoef(x), rand(3, 7, dtype=dtype))
    check(lambda lib, x: x.corrcoef(), rand(6, dtype=dtype))
    check(lambda lib, x: lib.corrcoef(x), rand(2, 4, dtype=np.int32, low=-5, high=5))
    check(lambda lib, x: lib.corrcoef(x), rand(3, 5, dtype=np.complex128))
    check_error(lambda lib, x: lib.corrcoef(x), rand(2, 2, 2))


def test_isin():
    a = rand(3, 4, dtype=np.int64, low=0, high=8)
    b = rand(5, dtype=np.int64, low=0, high=8)
    check(lambda lib, x, y: lib.isin(x, y), a, b)
    check(lambda lib, x, y: lib.isin(x, y, invert=True), a, b)
    check(lambda lib, x, y: lib.isin(x, y, assume_unique=True), np.arange(5), np.arange(3, 9))
    check(lambda lib, y: lib.isin(3, y), b)
    check(lambda lib, x: lib.isin(x, 2), a)
    check(lambda lib, x, y: lib.isin(x, y), rand(0), rand(3))
    check(lambda lib, x, y: lib.isin(x, y), np.array([1.0, 2.5]), np.array([2.5, 3.0]),
          grad=False)


# ------------------------------------------------------------------ indices
@pytest.mark.parametrize("fn", ["tril_indices", "triu_indices"])
@pytest.mark.parametrize("row,col,offset", [(3, 3, 0), (4, 2, 1), (2, 5, -1), (0, 3, 0),
                                            (3, 3, 10), (3, 3, -10)])
def test_triangle_indices(fn, row, col, offset):
    check(lambda lib: getattr(lib, fn)(row, col, offset))
    check(lambda lib: getattr(lib, fn)(row, col, offset, dtype=lib.int32))


def test_triangle_indices_errors():
    check_error(lambda lib: lib.tril_indices(-1, 3))
    check_error(lambda lib: lib.triu_indices(3, -2))
    check_error(lambda lib: lib.tril_indices(3, 3, dtype=lib.float32))


def test_unravel_index():
    idx = np.array([[0, 5, 11], [7, 3, 2]], dtype=np.int64)
    check(lambda lib, i: lib.unravel_index(i, (3, 4)), idx)
    check(lambda lib, i: lib.unravel_index(i, (2, 3, 2)), idx)
    check(lambda lib, i: lib.unravel_index(i, 12), idx)
    check(lambda lib, i: lib.unravel_index(i, (2, 3)), np.array(4))
    check(lambda lib, i: lib.unravel_index(i, (2, 3)), np.array([7, -1], dtype=np.int64))
    check(lambda lib, i: lib.unravel_index(i, (2, 3)), np.array([1, 4], dtype=np.int32))
    check_error(lambda lib, i: lib.unravel_index(i, (2, 3)), np.array([1.0]))
    check_error(lambda lib, i: lib.unravel_index(i, (2, -3)), np.array([1]))


# ------------------------------------------------------------------ norms
@pytest.mark.parametrize("p", [2, 1, 3.5, float("inf"), 0])
def test_dist(p):
    grad = p != 0  # torch's backward for the 0-"norm" fails with an undefined-tensor error
    check(lambda lib, x, y: lib.dist(x, y, p), rand(3, 4), rand(4), grad=grad)
    check(lambda lib, x, y: x.dist(y, p), rand(5, dtype=F32), rand(5, dtype=F32), grad=grad)


@pytest.mark.parametrize("p,dim,maxnorm", [(2, 0, 1.0), (1, 1, 0.5), (3, -1, 2.0),
                                           (2, 1, 100.0)])
def test_renorm(p, dim, maxnorm):
    check(lambda lib, x: lib.renorm(x, p, dim, maxnorm), rand(3, 4, 2))
    check(lambda lib, x: x.renorm(p, dim, maxnorm), rand(4, 3, dtype=F32))
    check(lambda lib, x: x.clone().renorm_(p, dim, maxnorm), rand(4, 3))


def test_renorm_errors():
    check_error(lambda lib, x: lib.renorm(x, 2, 0, 1.0), rand(3))
    check_error(lambda lib, x: lib.renorm(x, 0, 0, 1.0), rand(3, 3))
    check_error(lambda lib, x: lib.renorm(x, 2, 0, -1.0), rand(3, 3))


def test_frobenius_nuclear_norm():
    check(lambda lib, x: lib.frobenius_norm(x, (0, 1)), rand(3, 4))
    check(lambda lib, x: lib.frobenius_norm(x, 1, True), rand(3, 4, 2))
    check_error(lambda lib, x: lib.frobenius_norm(x, (0, 1, 2)), rand(2, 2, 2))
    check(lambda lib, x: lib.nuclear_norm(x), rand(3, 4))
    check(lambda lib, x: lib.nuclear_norm(x, True), rand(4, 3))
    check(lambda lib, x: lib.nuclear_norm(x, (0, 2), True), rand(3, 2, 4))
    check(lambda lib, x: lib.nuclear_norm(x, True), rand(2, 4, 3))
    check_error(lambda lib, x: lib.nuclear_norm(x), rand(3))
    check_error(lambda lib, x: lib.nuclear_norm(x, (0, 1, 2)), rand(3, 4, 2))


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_norm_except_dim(dim):
    check(lambda lib, v: lib.norm_except_dim(v, 2, dim), rand(3, 4, 2))
    check(lambda lib, v: lib.norm_except_dim(v, 3, dim), rand(2, 3, 4, dtype=F32))


# ------------------------------------------------------------------ integration
@pytest.mark.parametrize("dtype", [F64, F32])
def test_trapezoid(dtype):
    y = rand(3, 5, dtype=dtype)
    check(lambda lib, y: lib.trapezoid(y), y)
    check(lambda lib, y: lib.trapezoid(y, dx=0.5, dim=0), y)
    check_error(lambda lib, y: lib.trapezoid(y, 2.0), y)
    check(lambda lib, y, x: lib.trapezoid(y, x), y, np.sort(rand(5, dtype=dtype)))
    check(lambda lib, y, x: lib.trapezoid(y, x, dim=0), y, rand(3, 5, dtype=dtype))
    check(lambda lib, y, x: lib.trapz(y, x), y, rand(5, dtype=dtype))
    check(lambda lib, y: lib.trapz(y, dx=3), y)


def test_trapezoid_edge_cases():
    check(lambda lib, y: lib.trapezoid(y), rand(4, dtype=np.int64, low=0, high=9))
    check(lambda lib, y: lib.trapezoid(y, dx=2), rand(4, dtype=np.int64, low=0, high=9))
    check(lambda lib, y: lib.trapezoid(y), rand(3, 0))
    check(lambda lib, y: lib.trapezoid(y), rand(1))
    check_error(lambda lib, y, x: lib.trapezoid(y, x), rand(4), rand(3))
    check_error(lambda lib, y: lib.trapezoid(y), np.array(2.0))


@pytest.mark.parametrize("dtype", [F64, F32])
def test_cumulative_trapezoid(dtype):
    y = rand(3, 5, dtype=dtype)
    check(lambda lib, y: lib.cumulative_trapezoid(y), y)
    check(lambda lib, y: lib.cumulative_trapezoid(y, dx=0.25, dim=0), y)
    check(lambda lib, y, x: lib.cumulative_trapezoid(y, x), y, rand(5, dtype=dtype))
    check(lambda lib, y: lib.cumulative_trapezoid(y), rand(4, dtype=np.int64, low=0, high=9))
    check(lambda lib, y: lib.cumulative_trapezoid(y), rand(2, 0))


def _vander_reference(lib, x, n, increasing):
    """torch.vander's own backward fails (it modifies a saved tensor), so use powers."""
    if lib is minitorch:
        return lib.vander(x, n, increasing)
    powers = x.unsqueeze(1) ** torch.arange(n, dtype=x.dtype)
    return powers if increasing else powers.flip(1)


def test_vander():
    check(lambda lib, x: lib.vander(x), rand(4), grad=False)
    check(lambda lib, x: lib.vander(x, 3, increasing=True), rand(5, dtype=F32), grad=False)
    check(lambda lib, x: _vander_reference(lib, x, 4, False), rand(4))
    check(lambda lib, x: _vander_reference(lib, x, 3, True), rand(5, dtype=F32))
    check(lambda lib, x: lib.vander(x, N=0), rand(3))
    check(lambda lib, x: lib.vander(x, N=1), rand(3))
    check(lambda lib, x: lib.vander(x), rand(0))
    check(lambda lib, x: lib.vander(x, 4), rand(3, dtype=np.int32, low=-3, high=3))
    check(lambda lib, x: lib.vander(x), rand(3, dtype=np.bool_))
    check_error(lambda lib, x: lib.vander(x), rand(2, 2))
    check_error(lambda lib, x: lib.vander(x, -1), rand(2))


# ------------------------------------------------------------------ histogram
@pytest.mark.parametrize("dtype", [F64, F32])
def test_histogram(dtype):
    x = rand(4, 6, dtype=dtype)
    check(lambda lib, x: lib.histogram(x, 5), x, grad=False)
    check(lambda lib, x: x.histogram(4, range=(-1.0, 1.0)), x, grad=False)
    check(lambda lib, x, w: lib.histogram(x, 3, weight=w), x, np.abs(rand(4, 6, dtype=dtype)),
          grad=False)
    check(lambda lib, x: lib.histogram(x, 6, density=True), x, grad=False)
    check(lambda lib, x, b: lib.histogram(x, b), x, np.array([-2.0, -0.5, 0.0, 1.5],
                                                            dtype=dtype), grad=False)
    check(lambda lib, x, b: lib.histogram(x, b, density=True), x,
          np.array([-1.0, 0.0, 2.0], dtype=dtype), grad=False)


def test_histogram_edge_cases():
    check(lambda lib, x: lib.histogram(x, 3), np.array([1.0, 1.0]), grad=False)
    check(lambda lib, x: lib.histogram(x, 3), rand(0), grad=False)
    t, m = check(lambda lib, x: lib.histogram(x, 2), rand(5), grad=False)
    assert m.hist is m[0] and m.bin_edges is m[1]
    check_error(lambda lib, x: lib.histogram(x, 0), rand(5))
    check_error(lambda lib, x: lib.histogram(x, 3), rand(5, dtype=np.int64))
    check_error(lambda lib, x: lib.histogram(x, 3, range=(1.0, 0.0)), rand(5))


# ------------------------------------------------------------------ windows
@pytest.mark.parametrize("name", ["hann_window", "hamming_window", "blackman_window",
                                  "bartlett_window", "kaiser_window"])
@pytest.mark.parametrize("n", [0, 1, 2, 5, 8])
@pytest.mark.parametrize("periodic", [True, False])
def test_windows(name, n, periodic):
    check(lambda lib: getattr(lib, name)(n, periodic, dtype=lib.float64))
    check(lambda lib: getattr(lib, name)(n, periodic))


def test_window_options():
    check(lambda lib: lib.hamming_window(7, False, 0.5, 0.3, dtype=lib.float64))
    check(lambda lib: lib.kaiser_window(9, True, 5.0, dtype=lib.float64))
    t, m = check(lambda lib: lib.hann_window(4, requires_grad=True))
    assert m.requires_grad and m.is_leaf
    check_error(lambda lib: lib.hann_window(4, dtype=lib.int64))
    check_error(lambda lib: lib.blackman_window(-1))


# ------------------------------------------------------------------ scatters into a copy
@pytest.mark.parametrize("dtype", [F64, F32])
def test_select_scatter(dtype):
    check(lambda lib, x, s: lib.select_scatter(x, s, 0, 1), rand(3, 4, dtype=dtype),
          rand(4, dtype=dtype))
    check(lambda lib, x, s: x.select_scatter(s, -1, -2), rand(3, 4, dtype=dtype),
          rand(3, dtype=dtype))
    check(lambda lib, x, s: lib.select_scatter(x, s, 0, 0), rand(3, dtype=dtype),
          np.array(2.0, dtype=dtype))
    check_error(lambda lib, x, s: lib.select_scatter(x, s, 0, 0), rand(3, 4), rand(3))


def test_slice_scatter():
    check(lambda lib, x, s: lib.slice_scatter(x, s), rand(4, 3), rand(4, 3))
    check(lambda lib, x, s: lib.slice_scatter(x, s, 1, 1, 5, 2), rand(3, 6), rand(3, 2))
    check(lambda lib, x, s: x.slice_scatter(s, 0, -2), noncontiguous(rand(4, 3)), rand(2, 3))
    check(lambda lib, x, s: lib.slice_scatter(x, s, 0, 2, 2), rand(4, 3), rand(0, 3))
    check_error(lambda lib, x, s: lib.slice_scatter(x, s, 0, 0, 2), rand(4, 3), rand(3, 3))


def test_diagonal_scatter():
    check(lambda lib, x, s: lib.diagonal_scatter(x, s), rand(3, 3), rand(3))
    check(lambda lib, x, s: lib.diagonal_scatter(x, s, 1), rand(3, 4), rand(3))
    check(lambda lib, x, s: x.diagonal_scatter(s, -1, 0, 2), rand(3, 2, 4), rand(2, 2))
    check_error(lambda lib, x, s: lib.diagonal_scatter(x, s), rand(3, 3), rand(2))


@pytest.mark.parametrize("reduce", ["prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
def test_index_reduce(reduce, include_self):
    index = np.array([0, 2, 0, 3, 2], dtype=np.int64)
    check(lambda lib, x, s, i: lib.index_reduce(x, 0, i, s, reduce, include_self=include_self),
          rand(4, 3), rand(5, 3), index)
    check(lambda lib, x, s, i: x.index_reduce(1, i, s, reduce, include_self=include_self),
          rand(2, 4, dtype=F32), rand(2, 5, dtype=F32), index)
    check(lambda lib, x, s, i: x.clone().index_reduce_(0, i, s, reduce,
                                                       include_self=include_self),
          rand(4, 2), rand(5, 2), index)
    check(lambda lib, x, s, i: lib.index_reduce(x, 0, i, s, reduce, include_self=include_self),
          rand(4, 3, dtype=np.int64, low=-5, high=5), rand(5, 3, dtype=np.int64, low=-5, high=5),
          index)


def test_index_reduce_errors():
    i = np.array([0, 1], dtype=np.int64)
    check_error(lambda lib, x, s, i: lib.index_reduce(x, 0, i, s, "sum"), rand(3), rand(2), i)
    check_error(lambda lib, x, s, i: lib.index_reduce(x, 0, i, s, "prod"), rand(3), rand(3), i)
    check_error(lambda lib, x, s, i: lib.index_reduce(x, 0, i, s, "prod"), rand(3),
                rand(2, dtype=F32), i)


# ------------------------------------------------------------------ small predicates
def test_adjoint():
    check(lambda lib, x: lib.adjoint(x), rand(3, 4))
    check(lambda lib, x: x.adjoint(), rand(2, 3, 4, dtype=np.complex128))
    check_error(lambda lib, x: lib.adjoint(x), rand(3))


def test_predicates():
    check(lambda lib, x, y: (lib.is_same_size(x, y), x.is_same_size(x)), rand(2, 3), rand(3, 2))
    check(lambda lib, x: (lib.is_conj(x), x.is_neg(), lib.is_neg(x), x.is_conj()), rand(2),
          grad=False)
    check(lambda lib, x: (lib.is_inference(x), x.is_inference()), rand(2))


def test_binomial_shape_dtype():
    for dtype in (minitorch.float32, minitorch.float64):
        count = minitorch.tensor([[5.0, 0.0], [3.0, 10.0]], dtype=dtype)
        prob = minitorch.tensor([[0.5, 0.3], [1.0, 0.0]], dtype=dtype)
        t = torch.binomial(torch.tensor(count.tolist(), dtype=getattr(torch, str(dtype)[6:])),
                           torch.tensor(prob.tolist(), dtype=getattr(torch, str(dtype)[6:])))
        m = minitorch.binomial(count, prob)
        assert tuple(m.shape) == tuple(t.shape) and str(m.dtype) == str(t.dtype)
        # Certain outcomes: p=1 gives count, p=0 and count=0 give 0.
        assert m[1, 0].item() == 3.0 and m[1, 1].item() == 0.0 and m[0, 1].item() == 0.0
    check_error(lambda lib, c, p: lib.binomial(c, p), rand(2, dtype=F32),
                np.full(2, 0.5))
    check_error(lambda lib, c, p: lib.binomial(c, p), np.array([2, 3]), np.array([1, 1]))


# ------------------------------------------------------------------ *_copy variants
COPY_CASES = [
    ("view_copy", lambda lib, x: lib.view_copy(x, (4, 3)), (3, 4)),
    ("permute_copy", lambda lib, x: lib.permute_copy(x, (2, 0, 1)), (2, 3, 4)),
    ("transpose_copy", lambda lib, x: lib.transpose_copy(x, 0, -1), (2, 3, 4)),
    ("t_copy", lambda lib, x: lib.t_copy(x), (2, 3)),
    ("unsqueeze_copy", lambda lib, x: lib.unsqueeze_copy(x, 1), (2, 3)),
    ("squeeze_copy", lambda lib, x: lib.squeeze_copy(x), (2, 1, 3, 1)),
    ("squeeze_copy_dim", lambda lib, x: lib.squeeze_copy(x, 1), (2, 1, 3, 1)),
    ("expand_copy", lambda lib, x: lib.expand_copy(x, (2, 3, 4)), (3, 1)),
    ("diagonal_copy", lambda lib, x: lib.diagonal_copy(x, 1, 0, 2), (3, 2, 4)),
    ("select_copy", lambda lib, x: lib.select_copy(x, 1, -1), (2, 3, 4)),
    ("slice_copy", lambda lib, x: lib.slice_copy(x, 1, 1, None, 2), (2, 5)),
    ("split_copy", lambda lib, x: lib.split_copy(x, 2, 1), (2, 5)),
    ("split_with_sizes_copy", lambda lib, x: lib.split_with_sizes_copy(x, [1, 3], 1), (2, 4)),
    ("unbind_copy", lambda lib, x: lib.unbind_copy(x, 1), (2, 3)),
    ("detach_copy", lambda lib, x: lib.detach_copy(x), (2, 3)),
    ("alias_copy", lambda lib, x: lib.alias_copy(x), (2, 3)),
    ("narrow_copy", lambda lib, x: lib.narrow_copy(x, 0, 1, 2), (4, 3)),
    ("narrow_copy_method", lambda lib, x: x.narrow_copy(-1, 0, 2), (4, 3)),
    ("unfold_copy", lambda lib, x: lib.unfold_copy(x, 1, 2, 1), (2, 4)),
    ("view_as_real_copy", lambda lib, x: lib.view_as_real_copy(x.to(lib.complex128)), (3,)),
    ("view_as_complex_copy", lambda lib, x: lib.view_as_complex_copy(x), (3, 2)),
]


@pytest.mark.parametrize("name,fn,shape", COPY_CASES, ids=[c[0] for c in COPY_CASES])
def test_copy_variants(name, fn, shape):
    # torch cannot differentiate these two (see their docstrings); compare values only.
    check(fn, rand(*shape), grad=name not in ("detach_copy", "view_as_complex_copy"))


@pytest.mark.parametrize("name,fn,shape", COPY_CASES[:-2], ids=[c[0] for c in COPY_CASES[:-2]])
def test_copy_variants_do_not_alias(name, fn, shape):
    x = minitorch.from_numpy(rand(*shape))
    outputs = fn(minitorch, x)
    outputs = outputs if isinstance(outputs, tuple) else (outputs,)
    x.zero_()
    assert all(float(o.abs().sum()) > 0 for o in outputs if o.numel())


def test_copy_variant_errors():
    check_error(lambda lib, x: lib.view_copy(x, (5,)), rand(2, 3))
    check_error(lambda lib, x: lib.select_copy(x, 0, 3), rand(2, 3))
    check_error(lambda lib, x: lib.narrow_copy(x, 0, 1, 5), rand(2, 3))


# ------------------------------------------------------------------ fill, zero, detach
def test_fill():
    check(lambda lib, x: lib.fill(x, 2.5), rand(2, 3))
    check(lambda lib, x, v: lib.fill(x, v), rand(2, 3), np.array(1.5))
    check(lambda lib, x: lib.fill(x, 2.7), rand(3, dtype=np.int64, low=0, high=5))
    check(lambda lib, x: lib.fill(x, 1), rand(0, 2))
    check_error(lambda lib, x, v: lib.fill(x, v), rand(2), rand(2))


def test_fill_zero_detach_in_place():
    check(lambda lib, x: lib.fill_(x.clone(), -1.0), rand(2, 3))
    check(lambda lib, x: lib.zero_(x.clone()) + x, rand(2, 3))
    for lib in (torch, minitorch):
        x = lib.ones(3)
        assert lib.fill_(x, 4.0) is x and x.tolist() == [4.0, 4.0, 4.0]
        assert lib.zero_(x) is x and x.tolist() == [0.0, 0.0, 0.0]
        y = lib.ones(2, requires_grad=True) * 2
        d = lib.detach(y)
        assert not d.requires_grad and d.tolist() == [2.0, 2.0]
        assert lib.detach_(y) is y and not y.requires_grad and y.grad_fn is None


# ------------------------------------------------------------------ padding
@pytest.mark.parametrize("pad", [(1, 2), (0, 1, 2, 0), (-1, 1), (1, 1, 1, 1, 1, 1)])
def test_constant_pad_nd(pad):
    check(lambda lib, x: lib.constant_pad_nd(x, pad), rand(2, 3, 4))
    check(lambda lib, x: lib.constant_pad_nd(x, pad, 1.5), rand(2, 3, 4, dtype=F32))
    check(lambda lib, x: lib.constant_pad_nd(x, list(pad), 7),
          rand(2, 3, 4, dtype=np.int64, low=0, high=5))
