"""Parity of every loss (functional and module) with torch: values, gradients, errors."""
import os
import sys
import warnings

import numpy as np
import pytest
import torch

import minitorch

sys.path.insert(0, os.path.dirname(__file__))
from harness import check, check_error, noncontiguous, rand  # noqa: E402
from _module_harness import check_structure  # noqa: E402

REDUCTIONS = ["none", "mean", "sum"]
DTYPES = [np.float64, np.float32]


def F(lib):
    return lib.nn.functional


def probs(*shape, seed=0):
    return np.random.default_rng(seed).uniform(0.02, 0.98, shape)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_regression_losses(reduction, dtype):
    x, y = rand(3, 4, dtype=dtype, seed=1), rand(3, 4, dtype=dtype, seed=2)
    for name, kw in [("l1_loss", {}), ("mse_loss", {}), ("huber_loss", {"delta": 0.7}),
                     ("smooth_l1_loss", {"beta": 0.5}), ("smooth_l1_loss", {"beta": 0.0}),
                     ("poisson_nll_loss", {}),
                     ("poisson_nll_loss", {"log_input": False, "full": True}),
                     ("kl_div", {"log_target": True})]:
        a = x if name != "poisson_nll_loss" or kw.get("log_input", True) else np.abs(x) + 0.1
        b = y if name not in ("poisson_nll_loss",) else np.abs(y) * 2
        check(lambda lib, a, b: getattr(F(lib), name)(a, b, reduction=reduction, **kw), a, b)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_weighted_regression_losses(reduction):
    x, y, w = rand(3, 4, seed=1), rand(3, 4, seed=2), probs(3, 4, seed=3)
    for name in ["l1_loss", "mse_loss", "huber_loss"]:
        check(lambda lib, a, b, w: getattr(F(lib), name)(a, b, reduction=reduction, weight=w),
              x, y, w)


def test_regression_grad_fn_names_and_broadcast_warning():
    x = minitorch.randn(3, 4, requires_grad=True)
    y = minitorch.randn(3, 4)
    for name, node in [("mse_loss", "MseLossBackward0"), ("huber_loss", "HuberLossBackward0"),
                       ("smooth_l1_loss", "SmoothL1LossBackward0"),
                       ("l1_loss", "MeanBackward0")]:
        assert type(getattr(F(minitorch), name)(x, y).grad_fn).__name__ == node
    with pytest.warns(UserWarning, match="target size"):
        F(minitorch).mse_loss(x, minitorch.randn(4))
    check(lambda lib, a, b: F(lib).mse_loss(a, b), rand(3, 4), rand(4))
    check_error(lambda lib, a, b: F(lib).mse_loss(a, b, reduction="avg"), rand(3), rand(3))
    check_error(lambda lib, a, b: F(lib).smooth_l1_loss(a, b, beta=-1.0), rand(3), rand(3))


def test_legacy_size_average_reduce():
    x, y = rand(3, 4, seed=1), rand(3, 4, seed=2)
    for sa, red in [(False, None), (None, False), (True, True), (False, False)]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            check(lambda lib, a, b: F(lib).mse_loss(a, b, size_average=sa, reduce=red), x, y)
            check(lambda lib, a, b: F(lib).l1_loss(a, b, size_average=sa, reduce=red), x, y)
            t_mod = torch.nn.MSELoss(size_average=sa, reduce=red)
            m_mod = minitorch.nn.MSELoss(size_average=sa, reduce=red)
        assert m_mod.reduction == t_mod.reduction


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy(reduction, dtype):
    p, y, w = probs(3, 4, seed=1).astype(dtype), probs(3, 4, seed=2).astype(dtype), probs(4)
    check(lambda lib, p, y: F(lib).binary_cross_entropy(p, y, reduction=reduction), p, y)
    check(lambda lib, p, y: F(lib).binary_cross_entropy(
        p, y, weight=lib.tensor(w.astype(dtype)), reduction=reduction), p, y)
    # saturated probabilities: torch clamps the logs at -100
    edge = np.array([0.0, 1.0, 0.5, 1.0], dtype=dtype)
    check(lambda lib, p, y: F(lib).binary_cross_entropy(p, y, reduction=reduction), edge,
          np.array([1.0, 0.0, 0.3, 1.0], dtype=dtype), grad=False)
    x = rand(3, 4, dtype=dtype, seed=3) * 20
    check(lambda lib, x, y: F(lib).binary_cross_entropy_with_logits(x, y, reduction=reduction),
          x, y)
    w = probs(3, 1, seed=6).astype(dtype)
    pw = probs(4, seed=5).astype(dtype) * 3
    check(lambda lib, x, y: F(lib).binary_cross_entropy_with_logits(
        x, y, lib.tensor(w), reduction=reduction, pos_weight=lib.tensor(pw)), x, y)
    check_error(lambda lib, x, y: F(lib).binary_cross_entropy_with_logits(
        x, y, lib.tensor(w).requires_grad_()), x, y)


def test_bce_errors_and_names():
    check_error(lambda lib, p, y: F(lib).binary_cross_entropy(p, y), np.array([0.5, 1.5]),
                np.array([0.0, 1.0]))
    check_error(lambda lib, p, y: F(lib).binary_cross_entropy(p, y), probs(3), probs(3, 1))
    check_error(lambda lib, x, y: F(lib).binary_cross_entropy_with_logits(x, y), rand(3),
                rand(3, 1))
    x = minitorch.rand(3, requires_grad=True)
    assert type(F(minitorch).binary_cross_entropy(x, minitorch.rand(3)).grad_fn).__name__ == \
        "BinaryCrossEntropyBackward0"
    assert type(F(minitorch).binary_cross_entropy_with_logits(x, minitorch.rand(3)).grad_fn
                ).__name__ == "BinaryCrossEntropyWithLogitsBackward0"


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_and_cross_entropy(reduction, dtype):
    x = rand(5, 4, dtype=dtype, seed=1) * 3
    t = np.array([0, 3, 1, 3, 2])
    w = probs(4, seed=2).astype(dtype)
    for fn in ["nll_loss", "cross_entropy"]:
        check(lambda lib, x: getattr(F(lib), fn)(x, lib.tensor(t), reduction=reduction), x)
        check(lambda lib, x: getattr(F(lib), fn)(x, lib.tensor(t), lib.tensor(w),
                                                 ignore_index=3, reduction=reduction), x)
        # K-dimensional: (N, C, d1, d2)
        xk = rand(2, 4, 3, 2, dtype=dtype, seed=3)
        tk = np.random.default_rng(4).integers(0, 4, (2, 3, 2))
        check(lambda lib, x: getattr(F(lib), fn)(x, lib.tensor(tk), lib.tensor(w),
                                                 reduction=reduction, ignore_index=1), xk)
        # unbatched
        check(lambda lib, x: getattr(F(lib), fn)(x, lib.tensor(2), reduction=reduction), x[0])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_nll_and_cross_entropy_class_targets(reduction, dtype):
    """The gather/scatter path (2-D, no weights, nothing ignored) and its neighbours."""
    x = rand(6, 5, dtype=dtype, seed=7) * 3
    t = np.array([4, 0, 2, 2, 1, 3])
    for fn in ["nll_loss", "cross_entropy"]:
        def loss(lib, x, target=t, **kw):
            return getattr(F(lib), fn)(x, lib.tensor(target), reduction=reduction, **kw)
        check(loss, x)
        check(loss, noncontiguous(x))
        check(lambda lib, x: loss(lib, x, t.astype(np.uint8)), x)  # Byte targets
        # an ignore_index that is a class: ignored where present, nothing ignored where not
        check(lambda lib, x: loss(lib, x, ignore_index=2), x)
        check(lambda lib, x: loss(lib, x, t[t != 3], ignore_index=3), x[t != 3])
        check(lambda lib, x: loss(lib, x, np.array([0, -100, 4, -100, 1, 1])), x)
        check(lambda lib, x: loss(lib, x, np.zeros(0, np.int64)), x[:0])  # mean: nan
        check(lambda lib, x: loss(lib, x, t[:1]), x[:1])


def test_cross_entropy_double_backward():
    x = rand(4, 3, seed=8)
    t = np.array([2, 0, 1, 1])

    def second_order(lib, x):
        loss = F(lib).cross_entropy(x, lib.tensor(t))
        (g,) = lib.autograd.grad(loss, x, create_graph=True)
        return (g * g).sum()
    check(second_order, x)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_label_smoothing_and_probabilities(reduction):
    x = rand(5, 4, seed=1) * 3
    t = np.array([0, 3, 1, 3, 2])
    w = probs(4, seed=2)
    for weight in [None, w]:
        def ce(lib, x, target, **kw):
            return F(lib).cross_entropy(x, target, None if weight is None else lib.tensor(weight),
                                        reduction=reduction, **kw)
        check(lambda lib, x: ce(lib, x, lib.tensor(t), label_smoothing=0.2), x)
        check(lambda lib, x: ce(lib, x, lib.tensor(t), label_smoothing=0.3, ignore_index=3), x)
        target = probs(5, 4, seed=3)
        target = target / target.sum(1, keepdims=True)
        check(lambda lib, x, p: ce(lib, x, p), x, target)
        check(lambda lib, x, p: ce(lib, x, p, label_smoothing=0.1), x, target)
        xk, pk = rand(2, 4, 3, seed=5), probs(2, 4, 3, seed=6)
        check(lambda lib, x, p: ce(lib, x, p), xk, pk)


def test_nll_errors_and_names():
    x = rand(3, 4)
    check_error(lambda lib, x: F(lib).cross_entropy(x, lib.tensor([0, 1])), x,
                match="Expected input batch_size (3) to match target batch_size (2)")
    check_error(lambda lib, x: F(lib).nll_loss(x, lib.tensor([0, 1, 7])), x)
    check_error(lambda lib, x: F(lib).cross_entropy(x, lib.tensor([0, -5, 1])), x)
    check_error(lambda lib, x: F(lib).cross_entropy(x, lib.tensor([0, 1, 1]),
                                                    reduction="bad"), x)
    m = minitorch.randn(3, 4, requires_grad=True)
    loss = F(minitorch).cross_entropy(m, minitorch.tensor([0, 1, 2]))
    assert type(loss.grad_fn).__name__ == "NllLossBackward0"
    assert type(loss.grad_fn.next_functions[0][0]).__name__ == "LogSoftmaxBackward0"
    # all targets ignored: mean is nan, as torch
    check(lambda lib, x: F(lib).nll_loss(x, lib.tensor([1, 1, 1]), ignore_index=1), x)


@pytest.mark.parametrize("reduction", REDUCTIONS + ["batchmean"])
def test_kl_div(reduction):
    x = np.log(probs(3, 4, seed=1))
    y = probs(3, 4, seed=2)
    y[0, 0] = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(lambda lib, x, y: F(lib).kl_div(x, y, reduction=reduction), x, y)
        check(lambda lib, x, y: F(lib).kl_div(x, y, reduction=reduction, log_target=True), x,
              np.log(y + 0.1))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_gaussian_nll(reduction):
    x, y = rand(3, 4, seed=1), rand(3, 4, seed=2)
    var = probs(3, 4, seed=3)
    var[0, 0] = 1e-9
    check(lambda lib, x, y, v: F(lib).gaussian_nll_loss(x, y, v, reduction=reduction), x, y, var)
    check(lambda lib, x, y, v: F(lib).gaussian_nll_loss(x, y, v, full=True, reduction=reduction),
          x, y, probs(3, seed=4))
    check(lambda lib, x, y, v: F(lib).gaussian_nll_loss(x, y, v, reduction=reduction), x, y,
          probs(3, 1, seed=5))
    check(lambda lib, x, y: F(lib).gaussian_nll_loss(x, y, 0.5, reduction=reduction), x, y)
    check_error(lambda lib, x, y, v: F(lib).gaussian_nll_loss(x, y, v), x, y, probs(2, 4))
    check_error(lambda lib, x, y, v: F(lib).gaussian_nll_loss(x, y, v), x, y, -var)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_margin_losses(reduction):
    x1, x2 = rand(5, 4, seed=1), rand(5, 4, seed=2)
    sign = np.array([1.0, -1.0, 1.0, -1.0, -1.0])
    check(lambda lib, a, b: F(lib).margin_ranking_loss(a, b, lib.tensor(sign), 0.3,
                                                       reduction=reduction), x1[:, 0], x2[:, 0])
    check(lambda lib, a: F(lib).hinge_embedding_loss(a, lib.tensor(np.sign(x2)), 0.5,
                                                     reduction=reduction), x1)
    check(lambda lib, a, b: F(lib).cosine_embedding_loss(a, b, lib.tensor(sign), 0.1,
                                                         reduction=reduction), x1, x2)
    check(lambda lib, a, b: F(lib).cosine_embedding_loss(a, b, lib.tensor(-1.0), -0.5,
                                                         reduction=reduction), x1[0], x2[0])
    signs = np.sign(x2)
    check(lambda lib, a: F(lib).soft_margin_loss(a, lib.tensor(signs), reduction=reduction), x1)
    t = probs(5, 4, seed=3).round()
    check(lambda lib, a: F(lib).multilabel_soft_margin_loss(a, lib.tensor(t),
                                                            reduction=reduction), x1)
    check(lambda lib, a, w: F(lib).multilabel_soft_margin_loss(a, lib.tensor(t), weight=w,
                                                               reduction=reduction), x1, probs(4))
    labels = np.array([[3, 0, -1, 1], [1, 2, 3, 0], [0, -1, 2, 2], [2, 2, -1, 0],
                       [-1, 0, 1, 2]])
    check(lambda lib, a: F(lib).multilabel_margin_loss(a, lib.tensor(labels),
                                                       reduction=reduction), x1)
    check(lambda lib, a: F(lib).multilabel_margin_loss(a, lib.tensor(labels[0]),
                                                       reduction=reduction), x1[0])
    cls = np.array([0, 3, 1, 2, 3])
    for p in (1, 2):
        check(lambda lib, a: F(lib).multi_margin_loss(a, lib.tensor(cls), p, 0.8,
                                                      reduction=reduction), x1)
        check(lambda lib, a: F(lib).multi_margin_loss(a, lib.tensor(cls), p, 1.0,
                                                      lib.tensor(probs(4)), reduction=reduction),
              x1)
    check_error(lambda lib, a: F(lib).multi_margin_loss(a, lib.tensor(cls), 3), x1)
    check_error(lambda lib, a, b: F(lib).soft_margin_loss(a, b.requires_grad_()), x1, x2)
    check_error(lambda lib, a: F(lib).nll_loss(a, lib.tensor(cls),
                                               lib.ones(4).requires_grad_()), x1)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_triplet_losses(reduction):
    a, p, n = rand(4, 5, seed=1), rand(4, 5, seed=2), rand(4, 5, seed=3)
    for swap in (False, True):
        check(lambda lib, a, p, n: F(lib).triplet_margin_loss(a, p, n, 2.0, 1.5, swap=swap,
                                                              reduction=reduction), a, p, n)
        check(lambda lib, a, p, n: F(lib).triplet_margin_with_distance_loss(
            a, p, n, distance_function=lambda x, y: 1 - F(lib).cosine_similarity(x, y),
            margin=0.5, swap=swap, reduction=reduction), a, p, n)
    check(lambda lib, a, p, n: F(lib).triplet_margin_with_distance_loss(a, p, n,
                                                                        reduction=reduction),
          a, p, n)
    check_error(lambda lib, a, p, n: F(lib).triplet_margin_loss(a, p, n), a, p, n[0])
    check_error(lambda lib, a, p, n: F(lib).triplet_margin_with_distance_loss(a, p, n, margin=0),
                a, p, n)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("zero_infinity", [False, True])
def test_ctc_loss(reduction, zero_infinity):
    T, N, C = 7, 4, 5
    x = rand(T, N, C, seed=1)
    rng = np.random.default_rng(2)
    targets = rng.integers(1, C, (N, 4))
    targets[0, 1] = targets[0, 0]          # repeated label needs a blank between
    input_lengths, target_lengths = [7, 6, 7, 2], [4, 2, 0, 3]  # last one is infeasible

    def fn(lib, x, leaf):
        lp = x if leaf else x.log_softmax(2)
        return F(lib).ctc_loss(lp, lib.tensor(targets), lib.tensor(input_lengths),
                               lib.tensor(target_lengths), reduction=reduction,
                               zero_infinity=zero_infinity)
    check(lambda lib, x: fn(lib, x, False), x)
    check(lambda lib, x: fn(lib, x, True), x)
    # concatenated 1-D targets, blank at another index, unbatched input
    flat = np.concatenate([targets[i, :n] for i, n in enumerate(target_lengths)]) - 1
    check(lambda lib, x: F(lib).ctc_loss(x.log_softmax(2), lib.tensor(flat), input_lengths,
                                         target_lengths, blank=C - 1, reduction=reduction,
                                         zero_infinity=zero_infinity), x)
    check(lambda lib, x: F(lib).ctc_loss(x.log_softmax(1), lib.tensor(targets[1, :2]), (6,),
                                         (2,), reduction=reduction), x[:, 1])


LOSS_MODULES = [
    (lambda nn: nn.L1Loss(), 2), (lambda nn: nn.MSELoss(reduction="sum"), 2),
    (lambda nn: nn.HuberLoss(delta=0.5), 2), (lambda nn: nn.SmoothL1Loss(beta=0.3), 2),
    (lambda nn: nn.PoissonNLLLoss(), 2),
    (lambda nn: nn.KLDivLoss(reduction="batchmean"), 2), (lambda nn: nn.GaussianNLLLoss(), 3),
    (lambda nn: nn.MarginRankingLoss(0.2), 3), (lambda nn: nn.CosineEmbeddingLoss(0.1), 3),
    (lambda nn: nn.TripletMarginLoss(), 3), (lambda nn: nn.TripletMarginWithDistanceLoss(), 3),
    (lambda nn: nn.HingeEmbeddingLoss(), 2), (lambda nn: nn.CTCLoss(), 0),
    (lambda nn: nn.MultiLabelMarginLoss(), 0), (lambda nn: nn.MultiMarginLoss(), 0),
]


@pytest.mark.parametrize("index", range(len(LOSS_MODULES)))
def test_loss_module_forward(index):
    make, n_float = LOSS_MODULES[index]
    t_mod, m_mod = make(torch.nn), make(minitorch.nn)
    check_structure(t_mod, m_mod)
    if n_float == 0:
        return
    arrays = [rand(4, 3, seed=i) for i in range(n_float)]
    if n_float == 3 and "Gaussian" in repr(t_mod):
        arrays[2] = np.abs(arrays[2]) + 0.1
    if n_float == 3 and ("Ranking" in repr(t_mod) or "Cosine" in repr(t_mod)):
        arrays = arrays[:2]

        def fn(lib, mod, a, b):
            return mod(a, b, lib.tensor([1.0, -1.0, -1.0, 1.0]) if "Cosine" in repr(mod)
                       else lib.tensor(np.ones((4, 3))))
    else:
        def fn(lib, mod, *xs):
            if "Poisson" in repr(mod) or "KLDiv" in repr(mod):
                xs = (xs[0], xs[1].abs())
            return mod(*xs)
    check(lambda lib, *xs: fn(lib, m_mod if lib is minitorch else t_mod, *xs), *arrays)


def test_weighted_loss_modules_register_weight_buffers():
    w = probs(4)
    for name, kwargs in [("CrossEntropyLoss", {"label_smoothing": 0.1, "ignore_index": 2}),
                         ("NLLLoss", {}), ("BCELoss", {}), ("MultiLabelSoftMarginLoss", {}),
                         ("MultiMarginLoss", {"p": 2}), ("BCEWithLogitsLoss", {})]:
        t_mod = getattr(torch.nn, name)(weight=torch.tensor(w), **kwargs)
        m_mod = getattr(minitorch.nn, name)(weight=minitorch.tensor(w), **kwargs)
        check_structure(t_mod, m_mod)
    t_mod = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(w))
    m_mod = minitorch.nn.BCEWithLogitsLoss(pos_weight=minitorch.tensor(w))
    check_structure(t_mod, m_mod)
    x = rand(3, 4)
    t = np.array([0, 3, 1])
    check(lambda lib, x: lib.nn.CrossEntropyLoss(weight=lib.tensor(w), label_smoothing=0.1,
                                                 ignore_index=1)(x, lib.tensor(t)), x)
    check(lambda lib, x: lib.nn.BCEWithLogitsLoss(pos_weight=lib.tensor(w))(
        x, lib.tensor(probs(3, 4))), x)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_linear_cross_entropy(reduction):
    x, w, b = rand(5, 3, seed=1), rand(4, 3, seed=2), rand(4, seed=3)
    t = np.array([0, 3, 1, 3, 2])
    check(lambda lib, x, w, b: F(lib).linear_cross_entropy(
        x, w, lib.tensor(t), linear_bias=b, reduction=reduction, ignore_index=3,
        label_smoothing=0.1), x, w, b)
    check(lambda lib, x, w: F(lib).linear_cross_entropy(x, w, lib.tensor(t),
                                                        reduction=reduction), x, w)
    check_error(lambda lib, x, w: F(lib).linear_cross_entropy(x, w, lib.tensor(t)),
                rand(2, 5, 3), w)


def test_loss_double_backward():
    def second(loss_fn):
        def fn(lib, x, t):
            (g,) = lib.autograd.grad(loss_fn(lib, x, t), x, create_graph=True)
            return g * g
        return fn
    x, t = rand(3, 4, seed=1), probs(3, 4, seed=2)
    check(second(lambda lib, x, t: F(lib).mse_loss(x, t)), x, t)
    check(second(lambda lib, x, t: F(lib).huber_loss(x, t, delta=0.5)), x, t)
    check(second(lambda lib, x, t: F(lib).binary_cross_entropy_with_logits(x, t)), x, t)
    check(second(lambda lib, x, t: F(lib).binary_cross_entropy(x.sigmoid(), t)), x, t)
    check(second(lambda lib, x, t: F(lib).cross_entropy(x, lib.tensor([0, 2, 1]),
                                                        label_smoothing=0.1)), x, t)


def test_linear_cross_entropy_module():
    from _module_harness import compare_module
    t = np.array([0, 3, 1, 3, 2])

    def make(lib):
        class WithTarget(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.loss = lib.nn.LinearCrossEntropyLoss(3, 4, bias=True, ignore_index=3,
                                                          label_smoothing=0.2)

            def forward(self, x):
                return self.loss(x, lib.tensor(t))
        return WithTarget()
    compare_module(make, [rand(5, 3, seed=1)])
    with pytest.raises(NotImplementedError, match="out_features"):
        minitorch.nn.LinearCrossEntropyLoss(3, 4, out_features=(2,))


def test_nll_target_dtype_error():
    check_error(lambda lib, x: F(lib).nll_loss(x, lib.tensor([0.0, 1.0, 2.0])), rand(3, 4),
                match="expected target dtype to be Long")
    check_error(lambda lib, x: F(lib).cross_entropy(x, lib.tensor([0.0, 1.0, 2.0])), rand(3, 4))


@pytest.mark.parametrize("head_bias", [False, True])
def test_adaptive_log_softmax(head_bias):
    from _module_harness import compare_module
    target = np.array([0, 7, 3, 12, 9, 1, 14, 2])

    def make(lib):
        class Wrapped(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.asm = lib.nn.AdaptiveLogSoftmaxWithLoss(8, 15, [3, 8], div_value=2.0,
                                                             head_bias=head_bias)

            def forward(self, x):
                out = self.asm(x, lib.tensor(target))
                assert out._fields == ("output", "loss")
                return out.output, out.loss, self.asm.log_prob(x), self.asm.predict(x)
        return Wrapped()
    compare_module(make, [rand(8, 8, seed=5)])
    compare_module(lambda lib: _Unbatched(lib), [rand(8, seed=6)])
    check_error(lambda lib: lib.nn.AdaptiveLogSoftmaxWithLoss(8, 15, [3, 3]))
    check_error(lambda lib, x: lib.nn.AdaptiveLogSoftmaxWithLoss(8, 15, [3])(
        x, lib.tensor([0, 15])), rand(2, 8))


def _Unbatched(lib):
    class Unbatched(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.asm = lib.nn.AdaptiveLogSoftmaxWithLoss(8, 10, [4])

        def forward(self, x):
            return tuple(self.asm(x, lib.tensor(6)))
    return Unbatched()


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_fast_backward_shapes(reduction, dtype):
    """MSE's one-pass backward from the forward's saved difference (reduced losses) and
    its fallbacks: 0-d, broadcast, mixed dtypes and a target that needs a gradient."""
    check(lambda lib, a, b: F(lib).mse_loss(a, b, reduction=reduction),
          rand(dtype=dtype, seed=4), rand(dtype=dtype, seed=5))
    check(lambda lib, a, b: F(lib).mse_loss(a, b.expand(3, 4), reduction=reduction),
          rand(3, 4, dtype=dtype, seed=6), rand(1, 4, dtype=dtype, seed=7))
    check(lambda lib, a, b: F(lib).mse_loss(a, b, reduction=reduction),
          rand(2, 5, dtype=dtype, seed=8), rand(2, 5, dtype=np.float64, seed=9))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_mse_sum_of_squares_over_several_blocks(reduction, dtype):
    """The reduced loss sums d * d by dot products over 2**16-element blocks."""
    check(lambda lib, a, b: F(lib).mse_loss(a, b, reduction=reduction),
          rand(300, 250, dtype=dtype, seed=10), rand(300, 250, dtype=dtype, seed=11))
    check(lambda lib, a, b: F(lib).mse_loss(a, b, reduction=reduction),
          rand(70000, dtype=dtype, seed=12) + 50, rand(70000, dtype=dtype, seed=13))
