"""Parity of linear layers, activations, dropout, embeddings and distances with torch."""
import os
import sys
import warnings

import numpy as np
import pytest
import torch

import minitorch

sys.path.insert(0, os.path.dirname(__file__))
from harness import check, check_error, rand
from _module_harness import compare_module  # noqa: E402

DTYPES = [np.float64, np.float32]

ACTIVATIONS = {
    "relu": lambda F, x: F.relu(x),
    "relu6": lambda F, x: F.relu6(x * 4),
    "hardtanh": lambda F, x: F.hardtanh(x, -0.5, 1.5),
    "leaky_relu": lambda F, x: F.leaky_relu(x, 0.2),
    "elu": lambda F, x: F.elu(x, 1.3),
    "selu": lambda F, x: F.selu(x),
    "celu": lambda F, x: F.celu(x, 0.7),
    "gelu": lambda F, x: F.gelu(x),
    "gelu_tanh": lambda F, x: F.gelu(x, approximate="tanh"),
    "silu": lambda F, x: F.silu(x),
    "mish": lambda F, x: F.mish(x * 8),
    "sigmoid": lambda F, x: F.sigmoid(x),
    "tanh": lambda F, x: F.tanh(x),
    "logsigmoid": lambda F, x: F.logsigmoid(x * 30),
    "hardsigmoid": lambda F, x: F.hardsigmoid(x * 3),
    "hardswish": lambda F, x: F.hardswish(x * 3),
    "hardshrink": lambda F, x: F.hardshrink(x, 0.7),
    "softshrink": lambda F, x: F.softshrink(x, 0.7),
    "tanhshrink": lambda F, x: F.tanhshrink(x),
    "softplus": lambda F, x: F.softplus(x * 15, beta=2, threshold=10),
    "softsign": lambda F, x: F.softsign(x),
    "threshold": lambda F, x: F.threshold(x, 0.3, -2.0),
    "glu": lambda F, x: F.glu(x, 0),
    "softmax": lambda F, x: F.softmax(x, 1),
    "log_softmax": lambda F, x: F.log_softmax(x, 0),
    "softmin": lambda F, x: F.softmin(x, 1),
    "rrelu_eval": lambda F, x: F.rrelu(x, 0.1, 0.3),
    "normalize": lambda F, x: F.normalize(x, p=3, dim=0),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_values_and_grads(name, dtype):
    fn = ACTIVATIONS[name]
    check(lambda lib, x: fn(lib.nn.functional, x), rand(4, 6, dtype=dtype, seed=3))


@pytest.mark.parametrize("name", ["relu", "gelu", "silu", "elu", "softplus", "leaky_relu"])
def test_activation_double_backward(name):
    fn = ACTIVATIONS[name]

    def second(lib, x):
        y = fn(lib.nn.functional, x)
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=True)
        return g * x
    check(second, rand(3, 5, seed=4))


def test_grad_fn_names():
    x = minitorch.randn(4, 4, requires_grad=True)
    tx = torch.randn(4, 4, requires_grad=True)
    for name in ["relu6", "leaky_relu", "elu", "celu", "selu", "gelu", "silu", "mish",
                 "logsigmoid", "hardtanh", "hardsigmoid", "hardswish", "hardshrink",
                 "softshrink", "softplus", "threshold", "glu", "softmax", "rrelu_eval"]:
        fn = ACTIVATIONS[name]
        ours = type(fn(minitorch.nn.functional, x).grad_fn).__name__
        theirs = type(fn(torch.nn.functional, tx).grad_fn).__name__
        assert ours == theirs, name


def test_prelu_and_rrelu_functional():
    check(lambda lib, x, w: lib.nn.functional.prelu(x, w), rand(2, 3, 4), rand(3))
    check(lambda lib, x, w: lib.nn.functional.prelu(x, w), rand(5), rand(1))
    check_error(lambda lib, x, w: lib.nn.functional.prelu(x, w), rand(2, 3), rand(2))
    # training rrelu: random slopes in [lower, upper] on the negative side
    x = minitorch.tensor(-np.ones(10000))
    y = minitorch.nn.functional.rrelu(x, 0.1, 0.3, training=True).numpy()
    assert -0.3 <= y.min() and y.max() <= -0.1 and abs(y.mean() + 0.2) < 0.01
    assert np.unique(y).size > 100


@pytest.mark.parametrize("name", ["relu", "relu6", "leaky_relu", "elu", "selu", "celu", "silu",
                                  "hardtanh", "threshold", "hardsigmoid", "hardswish", "mish"])
def test_inplace_variants(name):
    args = {"leaky_relu": (0.2,), "elu": (1.3,), "celu": (0.7,), "hardtanh": (-0.5, 1.5),
            "threshold": (0.3, -2.0)}.get(name, ())

    def fn(lib, x):
        y = x * 2
        out = getattr(lib.nn.functional, name)(y, *args, inplace=True)
        assert out is y
        return y
    check(fn, rand(3, 4, seed=5))


def test_underscore_functions():
    for name, args in [("relu_", ()), ("elu_", (1.5,)), ("leaky_relu_", (0.3,)),
                       ("hardtanh_", (-1.0, 0.5)), ("threshold_", (0.1, 5.0)), ("selu_", ()),
                       ("celu_", (0.5,)), ("rrelu_", (0.2, 0.2))]:
        a = rand(3, 4, seed=6)
        t = torch.from_numpy(a.copy())
        m = minitorch.from_numpy(a.copy())
        getattr(torch.nn.functional, name)(t, *args)
        getattr(minitorch.nn.functional, name)(m, *args)
        np.testing.assert_allclose(m.numpy(), t.numpy(), rtol=1e-7, err_msg=name)


def test_activation_errors():
    ints = np.array([1, 2, 3])
    for fn in [lambda F, x: F.elu(x), lambda F, x: F.gelu(x), lambda F, x: F.silu(x),
               lambda F, x: F.softplus(x), lambda F, x: F.leaky_relu(x)]:
        check_error(lambda lib, x: fn(lib.nn.functional, x), ints)
    check_error(lambda lib, x: lib.nn.functional.hardtanh(x, 2, 1), rand(3))
    check_error(lambda lib, x: lib.nn.functional.glu(x), rand(3))
    check_error(lambda lib, x: lib.nn.functional.gelu(x, approximate="x"), rand(3))
    check_error(lambda lib, x: lib.nn.functional.softshrink(x, -1.0), rand(3))


def test_softmax_implicit_dim_warns_and_matches():
    for shape in [(5,), (2, 3), (2, 3, 4), (2, 3, 4, 5)]:
        a = rand(*shape, seed=7)
        with pytest.warns(UserWarning, match="Implicit dimension"):
            ours = minitorch.nn.functional.softmax(minitorch.tensor(a))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = torch.nn.functional.softmax(torch.tensor(a))
        np.testing.assert_allclose(ours.numpy(), theirs.numpy(), rtol=1e-10)


ACT_MODULES = [
    lambda nn: nn.ReLU(), lambda nn: nn.ReLU6(), lambda nn: nn.LeakyReLU(0.2),
    lambda nn: nn.PReLU(), lambda nn: nn.PReLU(2, 0.1), lambda nn: nn.ELU(0.5),
    lambda nn: nn.CELU(),
    lambda nn: nn.SELU(), lambda nn: nn.GELU(), lambda nn: nn.GELU("tanh"), lambda nn: nn.SiLU(),
    lambda nn: nn.Mish(), lambda nn: nn.Sigmoid(), lambda nn: nn.LogSigmoid(), lambda nn: nn.Tanh(),
    lambda nn: nn.Hardtanh(-2, 3), lambda nn: nn.Hardsigmoid(), lambda nn: nn.Hardswish(),
    lambda nn: nn.Hardshrink(0.3), lambda nn: nn.Softshrink(), lambda nn: nn.Tanhshrink(),
    lambda nn: nn.Softplus(2, 10), lambda nn: nn.Softsign(), lambda nn: nn.Threshold(0.1, 2.0),
    lambda nn: nn.GLU(1), lambda nn: nn.Softmax(1), lambda nn: nn.LogSoftmax(-1),
    lambda nn: nn.Softmin(0), lambda nn: nn.Softmax2d(), lambda nn: nn.RReLU(0.1, 0.2),
    lambda nn: nn.Identity(3, a=4), lambda nn: nn.Flatten(), lambda nn: nn.Flatten(0, 2),
    lambda nn: nn.Unflatten(1, (2, 1)),
]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("index", range(len(ACT_MODULES)))
def test_activation_modules(index, dtype):
    make = ACT_MODULES[index]
    compare_module(lambda lib: make(lib.nn), [rand(2, 2, 3, 4, seed=index)], dtype, train=False)


def test_inplace_module_reprs():
    for make in [lambda nn: nn.ReLU(True), lambda nn: nn.ReLU6(True),
                 lambda nn: nn.Hardtanh(-2, 3, True), lambda nn: nn.LeakyReLU(0.2, True),
                 lambda nn: nn.ELU(2.0, True), lambda nn: nn.CELU(2.0, True),
                 lambda nn: nn.SELU(True), lambda nn: nn.RReLU(0.1, 0.3, True),
                 lambda nn: nn.SiLU(True), lambda nn: nn.Mish(True), lambda nn: nn.Hardswish(True),
                 lambda nn: nn.Hardsigmoid(True), lambda nn: nn.Threshold(1, 2, True),
                 lambda nn: nn.Softmax()]:
        assert repr(make(minitorch.nn)) == repr(make(torch.nn))


# ---------------------------------------------------------------- linear layers
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(5, 3), (2, 4, 3), (3,)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(shape, bias, dtype):
    compare_module(lambda lib: lib.nn.Linear(3, 4, bias=bias), [rand(*shape, seed=1)], dtype)


def test_linear_grad_fn_and_errors():
    for shape in [(3,), (2, 3), (2, 2, 3)]:
        # (1-D input, no bias) is plain matmul, whose grad_fn belongs to _ops/blas.py
        for bias in [True, False] if len(shape) > 1 else [True]:
            names = [type(lib.nn.Linear(3, 4, bias=bias)(lib.randn(*shape)).grad_fn).__name__
                     for lib in (torch, minitorch)]
            assert names[0] == names[1], (shape, bias, names)
    check_error(lambda lib, x, w: lib.nn.functional.linear(x, w), rand(2, 3), rand(4, 5))
    check(lambda lib, x, w, b: lib.nn.functional.linear(x, w, b), rand(2, 3), rand(4, 3), rand(4))
    check(lambda lib, x, w: lib.nn.functional.linear(x, w), rand(2, 2, 3), rand(4, 3))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("bias", [True, False])
def test_bilinear(bias, dtype):
    compare_module(lambda lib: lib.nn.Bilinear(3, 2, 4, bias=bias),
                   [rand(5, 3, seed=1), rand(5, 2, seed=2)], dtype)
    check(lambda lib, a, b, w: lib.nn.functional.bilinear(a, b, w), rand(2, 5, 3), rand(2, 5, 2),
          rand(4, 3, 2))


def test_lazy_linear():
    lazy = minitorch.nn.LazyLinear(4)
    assert repr(lazy) == repr(torch.nn.LazyLinear(4))
    out = lazy(minitorch.randn(2, 7))
    assert type(lazy) is minitorch.nn.Linear and tuple(lazy.weight.shape) == (4, 7)
    assert tuple(out.shape) == (2, 4)
    assert repr(lazy) == repr(torch.nn.Linear(7, 4))
    out.sum().backward()
    assert lazy.weight.grad is not None and lazy.bias.grad is not None


def test_linear_default_init_statistics():
    lin = minitorch.nn.Linear(400, 300)
    bound = 1 / np.sqrt(400)
    w = lin.weight.detach().numpy()
    assert w.dtype == np.float32 and np.abs(w).max() <= bound
    # U(-b, b) has variance b^2 / 3
    assert abs(w.var() - bound ** 2 / 3) < 0.05 * bound ** 2
    b = lin.bias.detach().numpy()
    assert np.abs(b).max() <= bound and b.std() > 0.4 * bound
    bil = minitorch.nn.Bilinear(50, 20, 30)
    assert np.abs(bil.weight.detach().numpy()).max() <= 1 / np.sqrt(50)
    emb = minitorch.nn.Embedding(1000, 50, padding_idx=3)
    e = emb.weight.detach().numpy()
    assert abs(e.std() - 1) < 0.03 and not e[3].any()
    assert (minitorch.nn.PReLU(5).weight.detach().numpy() == 0.25).all()


# ------------------------------------------------------------------- dropout
@pytest.mark.parametrize("name", ["Dropout", "Dropout1d", "Dropout2d", "Dropout3d",
                                  "AlphaDropout", "FeatureAlphaDropout"])
def test_dropout_eval_identity_and_repr(name):
    shape = {"Dropout1d": (2, 3, 4), "Dropout3d": (2, 3, 2, 2, 2)}.get(name, (2, 3, 4, 4))
    compare_module(lambda lib: getattr(lib.nn, name)(0.3), [rand(*shape)], train=False)
    compare_module(lambda lib: getattr(lib.nn, name)(0.0), [rand(*shape)], train=True)
    assert repr(getattr(minitorch.nn, name)(0.2, True)) == repr(getattr(torch.nn, name)(0.2, True))
    check_error(lambda lib: getattr(lib.nn, name)(1.5))


def test_dropout_p1_and_errors():
    for fn in ["dropout", "alpha_dropout", "feature_alpha_dropout", "dropout2d"]:
        check(lambda lib, x: getattr(lib.nn.functional, fn)(x, 1.0, True), rand(2, 3, 4, 4))
    check_error(lambda lib, x: lib.nn.functional.dropout(x, -0.1), rand(3))
    check_error(lambda lib, x: lib.nn.functional.dropout1d(x, 0.5), rand(3))


def test_dropout_statistics():
    x = minitorch.ones(200, 500, requires_grad=True)
    y = minitorch.nn.functional.dropout(x, 0.3)
    data = y.detach().numpy()
    kept = data != 0
    assert abs(kept.mean() - 0.7) < 0.01
    np.testing.assert_allclose(data[kept], 1 / 0.7, rtol=1e-6)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy() != 0, kept)
    assert type(y.grad_fn).__name__ == "MulBackward0"
    # channel-wise: every (n, c) plane is all kept or all dropped
    z = minitorch.nn.functional.dropout2d(minitorch.ones(50, 40, 3, 3), 0.5).numpy()
    planes = z.reshape(50, 40, 9)
    assert ((planes == 0).all(-1) | (planes == 2).all(-1)).all()
    assert abs((planes[..., 0] == 0).mean() - 0.5) < 0.05
    # alpha dropout keeps zero mean and unit variance of standard normal input
    a = minitorch.nn.functional.alpha_dropout(minitorch.randn(400000, dtype=minitorch.float64),
                                              0.2, True).numpy()
    assert abs(a.mean()) < 0.01 and abs(a.std() - 1) < 0.01
    # in place
    t = minitorch.ones(1000)
    assert minitorch.nn.functional.dropout(t, 0.5, True, inplace=True) is t
    assert set(np.unique(t.numpy())) <= {0.0, 2.0}


# ----------------------------------------------------------------- embeddings
@pytest.mark.parametrize("dtype", DTYPES)
def test_embedding(dtype):
    idx = np.array([[1, 2, 4], [4, 3, 1]])
    compare_module(lambda lib: lib.nn.Embedding(5, 3), [idx], dtype)
    compare_module(lambda lib: lib.nn.Embedding(5, 3, padding_idx=1), [idx], dtype)
    compare_module(lambda lib: lib.nn.Embedding(5, 3, padding_idx=-1, scale_grad_by_freq=True),
                   [idx], dtype)


def test_embedding_max_norm_and_from_pretrained():
    w = rand(6, 4, seed=2) * 3
    t_emb = torch.nn.Embedding.from_pretrained(torch.tensor(w), freeze=False, max_norm=1.5,
                                               norm_type=3.0)
    m_emb = minitorch.nn.Embedding.from_pretrained(minitorch.tensor(w), freeze=False,
                                                   max_norm=1.5, norm_type=3.0)
    assert repr(m_emb) == repr(t_emb)
    idx = [[0, 2], [2, 5]]
    t_out, m_out = t_emb(torch.tensor(idx)), m_emb(minitorch.tensor(idx))
    np.testing.assert_allclose(m_out.detach().numpy(), t_out.detach().numpy(), rtol=1e-7)
    np.testing.assert_allclose(m_emb.weight.detach().numpy(), t_emb.weight.detach().numpy(),
                               rtol=1e-7)
    frozen = minitorch.nn.Embedding.from_pretrained(minitorch.tensor(w))
    assert not frozen.weight.requires_grad
    check_error(lambda lib, w: lib.nn.functional.embedding(lib.tensor([7]), w), rand(5, 2))
    with pytest.raises(NotImplementedError, match="sparse"):
        minitorch.nn.Embedding(3, 2, sparse=True)(minitorch.tensor([1]))
    check(lambda lib, w: lib.nn.functional.embedding(lib.tensor([[0, 3], [3, 3]]), w,
                                                     padding_idx=0), rand(4, 3))


@pytest.mark.parametrize("mode", ["sum", "mean", "max"])
@pytest.mark.parametrize("padding_idx", [None, 2])
def test_embedding_bag(mode, padding_idx):
    idx1 = np.array([1, 2, 4, 5, 4, 3, 2, 9])
    offsets = np.array([0, 2, 2, 5])
    compare_module(lambda lib: lib.nn.EmbeddingBag(10, 3, mode=mode, padding_idx=padding_idx),
                   [idx1, offsets])
    compare_module(lambda lib: lib.nn.EmbeddingBag(10, 3, mode=mode, padding_idx=padding_idx),
                   [idx1.reshape(2, 4)])
    compare_module(lambda lib: lib.nn.EmbeddingBag(10, 3, mode=mode, include_last_offset=True),
                   [idx1, np.array([0, 2, 2, 5, 8])])


def test_embedding_bag_per_sample_weights():
    idx = np.array([1, 2, 4, 5, 4, 3])

    def fn(lib, w, psw):
        return lib.nn.functional.embedding_bag(lib.tensor(idx), w, lib.tensor([0, 3]),
                                               mode="sum", per_sample_weights=psw)
    check(fn, rand(6, 3), rand(6))
    check_error(lambda lib, w, psw: lib.nn.functional.embedding_bag(
        lib.tensor(idx), w, lib.tensor([0, 3]), mode="mean", per_sample_weights=psw),
        rand(6, 3), rand(6))
    check_error(lambda lib, w: lib.nn.functional.embedding_bag(lib.tensor(idx), w), rand(6, 3))


def test_one_hot():
    for a, n in [(np.array([0, 3, 1]), -1), (np.array([[0, 2], [1, 1]]), 5), (np.array(2), 3)]:
        t = torch.nn.functional.one_hot(torch.tensor(a), n)
        m = minitorch.nn.functional.one_hot(minitorch.tensor(a), n)
        assert m.dtype == minitorch.int64 and tuple(m.shape) == tuple(t.shape)
        np.testing.assert_array_equal(m.numpy(), t.numpy())
    check_error(lambda lib: lib.nn.functional.one_hot(lib.tensor([0, 5]), 3))
    check_error(lambda lib: lib.nn.functional.one_hot(lib.tensor([0.0, 1.0])))


# ------------------------------------------------------------------ distances
@pytest.mark.parametrize("dtype", DTYPES)
def test_distances(dtype):
    a, b = rand(4, 5, dtype=dtype, seed=1), rand(4, 5, dtype=dtype, seed=2)
    check(lambda lib, x, y: lib.nn.functional.pairwise_distance(x, y), a, b)
    check(lambda lib, x, y: lib.nn.functional.pairwise_distance(x, y, 1.0, 1e-3, True), a, b)
    check(lambda lib, x, y: lib.nn.functional.pairwise_distance(x, y, float("inf")), a, b)
    check(lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y), a, b)
    check(lambda lib, x, y: lib.nn.functional.cosine_similarity(x, y, dim=0), a, b[:1])
    check(lambda lib, x: lib.nn.functional.pdist(x), a)
    check(lambda lib, x: lib.nn.functional.pdist(x, 1.5), a)
    compare_module(lambda lib: lib.nn.PairwiseDistance(3.0), [a, b], dtype)
    compare_module(lambda lib: lib.nn.CosineSimilarity(0), [a, b], dtype)


def test_embedding_and_glu_double_backward():
    def emb(lib, w):
        y = lib.nn.functional.embedding(lib.tensor([[0, 2], [2, 1]]), w, padding_idx=1)
        (g,) = lib.autograd.grad((y * y).sum(), w, create_graph=True)
        return g
    check(emb, rand(3, 4))

    def glu(lib, x):
        y = lib.nn.functional.glu(x, 1)
        (g,) = lib.autograd.grad((y * y).sum(), x, create_graph=True)
        return g
    check(glu, rand(3, 4))


def test_gumbel_softmax():
    logits = np.log(np.array([0.1, 0.2, 0.7]))
    x = minitorch.tensor(np.tile(logits, (20000, 1)), requires_grad=True)
    soft = minitorch.nn.functional.gumbel_softmax(x, tau=0.5)
    np.testing.assert_allclose(soft.detach().numpy().sum(1), 1, rtol=1e-12)
    hard = minitorch.nn.functional.gumbel_softmax(x, tau=0.5, hard=True)
    h = hard.detach().numpy()
    assert set(np.unique(h)) == {0.0, 1.0} and (h.sum(1) == 1).all()
    # the Gumbel-max trick samples the categorical distribution of the logits
    np.testing.assert_allclose(h.mean(0), [0.1, 0.2, 0.7], atol=0.015)
    # straight-through: the hard sample's gradient is the soft sample's
    (hard * minitorch.tensor([1.0, 2.0, 3.0])).sum().backward()
    assert x.grad is not None and np.abs(x.grad.numpy()).sum() > 0
    np.testing.assert_allclose(x.grad.numpy().sum(1), 0, atol=1e-10)


# Piecewise activations at infinities and their break points, and relu at NaN (torch's
# threshold_backward passes g wherever out <= 0 is false, NaN included). Other piecewise
# activations are left out at NaN: torch's own result there differs between its float32
# and float64 kernels (hardshrink's gradient at NaN is 1 in float32, 0 in float64; so
# are relu6's, hardtanh's and softshrink's); threshold's is not, tested below.
_SPECIAL_VALUES = np.array([np.inf, -np.inf, 0.0, -0.0, 0.3, -0.5, 1.5, 6.0, 0.7, -0.7,
                            2.0, -2.0])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", ["relu", "relu6", "hardtanh", "leaky_relu", "threshold",
                                  "hardshrink", "softshrink"])
def test_piecewise_activations_at_special_values(name, dtype):
    check(lambda lib, x: ACTIVATIONS[name](lib.nn.functional, x), _SPECIAL_VALUES.astype(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
def test_relu_passes_the_gradient_at_nan(dtype):
    x = np.array([np.nan, 1.0, -1.0, 0.0, np.nan], dtype=dtype)
    check(lambda lib, x: lib.relu(x), x)
    check(lambda lib, x: lib.nn.functional.relu(x), x)


@pytest.mark.parametrize("dtype", DTYPES)
def test_threshold_and_softshrink_keep_nan(dtype):
    # torch keeps NaN in both dtypes; threshold passes g at NaN in both, while softshrink's
    # gradient at NaN depends on torch's kernel (1 in float32, 0 in float64): values only
    x = np.array([np.nan, 1.0, -1.0, 0.0, -0.0, 0.3, -0.5, 2.0], dtype=dtype)
    check(lambda lib, x: ACTIVATIONS["threshold"](lib.nn.functional, x), x)
    check(lambda lib, x: ACTIVATIONS["softshrink"](lib.nn.functional, x), x, grad=False)
