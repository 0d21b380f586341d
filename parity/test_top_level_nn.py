"""torch.<name> versions of nn.functional ops, with torch's top-level signatures."""
import numpy as np
import pytest

from harness import check, rand


def test_identical_exports():
    check(lambda lib, x, w: lib.conv2d(x, w, padding=1), rand(1, 2, 5, 5), rand(3, 2, 3, 3))
    check(lambda lib, x: lib.layer_norm(x, (4,)), rand(2, 4))
    check(lambda lib, x: lib.selu(x) + lib.celu(x) + lib.threshold(x, 0.1, 2.0), rand(3, 4))
    check(lambda lib, x: lib.max_pool2d(x, 2), rand(1, 1, 4, 4))
    check(lambda lib, x: lib.pdist(x), rand(4, 3))


def test_reordered_signatures():
    x, w = rand(2, 3, 4), rand(3, low=0.5, high=1.5)
    check(lambda lib, x, w, b: lib.batch_norm(x, w, b, lib.zeros(3, dtype=lib.float64),
                                              lib.ones(3, dtype=lib.float64), False, 0.1, 1e-5,
                                              False), x, w, rand(3))
    check(lambda lib, x, w, b: lib.instance_norm(x, w, b, None, None, True, 0.1, 1e-5, False),
          x, w, rand(3))
    check(lambda lib, w: lib.embedding(w, lib.tensor([[0, 2], [1, 1]])), rand(4, 3))
    check(lambda lib, x: lib.dropout(x, 0.5, False), rand(3, 4))
    check(lambda lib, x: lib.adaptive_max_pool1d(x, 2)[0], rand(2, 3, 5))


@pytest.mark.parametrize("reduction", [0, 1, 2])
def test_integer_reductions(reduction):
    a, b = rand(4, 3), rand(4, 3)
    target = np.sign(rand(4))
    check(lambda lib, x, y: lib.kl_div(x.log_softmax(1), y.softmax(1), reduction), a, b)
    check(lambda lib, x, y: lib.binary_cross_entropy_with_logits(x, y.sigmoid(), None, None,
                                                                  reduction), a, b)
    check(lambda lib, x, y, t: lib.cosine_embedding_loss(x, y, t, 0.1, reduction), a, b, target)
    check(lambda lib, x, y, z: lib.triplet_margin_loss(x, y, z, 1.0, 2, 1e-6, False, reduction),
          a, b, rand(4, 3))
    check(lambda lib, x, t: lib.hinge_embedding_loss(x, t, 1.0, reduction), rand(4), target)
    check(lambda lib, x, y, t: lib.margin_ranking_loss(x, y, t, 0.2, reduction), rand(4),
          rand(4), target)
    check(lambda lib, x, y: lib.poisson_nll_loss(x, y.abs(), True, False, 1e-8, reduction), a, b)
