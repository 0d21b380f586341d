"""The nn.functional operations torch also exposes as ``torch.<name>``.

Most are the same function; some of torch's top-level versions take their
arguments in another order or a reduction as an integer (0 none, 1 mean,
2 sum), and those get a thin adapter here.
"""
from .nn import functional as F

__all__ = [
    # identical to nn.functional
    "adaptive_avg_pool1d", "avg_pool1d", "bilinear", "celu", "celu_", "channel_shuffle",
    "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
    "cosine_similarity", "group_norm", "hardshrink", "layer_norm", "max_pool1d",
    "max_pool1d_with_indices", "max_pool2d", "max_pool3d", "native_channel_shuffle",
    "pairwise_distance", "pdist", "pixel_shuffle", "pixel_unshuffle", "prelu", "rms_norm",
    "rrelu", "rrelu_", "selu", "selu_", "threshold", "threshold_",
    # adapted
    "dropout", "alpha_dropout", "feature_alpha_dropout", "embedding", "batch_norm",
    "instance_norm", "adaptive_max_pool1d", "kl_div", "binary_cross_entropy_with_logits",
    "margin_ranking_loss", "hinge_embedding_loss", "cosine_embedding_loss",
    "triplet_margin_loss", "poisson_nll_loss", "ctc_loss",
]

adaptive_avg_pool1d = F.adaptive_avg_pool1d
avg_pool1d = F.avg_pool1d
bilinear = F.bilinear
celu, celu_ = F.celu, F.celu_
channel_shuffle = F.channel_shuffle
native_channel_shuffle = F.native_channel_shuffle
conv1d, conv2d, conv3d = F.conv1d, F.conv2d, F.conv3d
conv_transpose1d, conv_transpose2d, conv_transpose3d = (F.conv_transpose1d, F.conv_transpose2d,
                                                        F.conv_transpose3d)
cosine_similarity = F.cosine_similarity
group_norm = F.group_norm
hardshrink = F.hardshrink
layer_norm = F.layer_norm
max_pool1d, max_pool2d, max_pool3d = F.max_pool1d, F.max_pool2d, F.max_pool3d
max_pool1d_with_indices = F.max_pool1d_with_indices
pairwise_distance = F.pairwise_distance
pdist = F.pdist
pixel_shuffle, pixel_unshuffle = F.pixel_shuffle, F.pixel_unshuffle
prelu = F.prelu
rms_norm = F.rms_norm
rrelu, rrelu_ = F.rrelu, F.rrelu_
selu, selu_ = F.selu, F.selu_
threshold, threshold_ = F.threshold, F.threshold_

_REDUCTIONS = {0: "none", 1: "mean", 2: "sum"}


def _reduction(value):
    if value not in _REDUCTIONS:
        raise ValueError(f"{value} is not a valid value for reduction")
    return _REDUCTIONS[value]


def dropout(input, p, train):
    """torch.dropout: ``train`` is positional and required."""
    return F.dropout(input, p, training=train)


def alpha_dropout(input, p, train):
    return F.alpha_dropout(input, p, training=train)


def feature_alpha_dropout(input, p, train):
    return F.feature_alpha_dropout(input, p, training=train)


def embedding(weight, indices, padding_idx=-1, scale_grad_by_freq=False, sparse=False):
    """torch.embedding: weight first, and padding_idx -1 meaning none."""
    return F.embedding(indices, weight, padding_idx=None if padding_idx == -1 else padding_idx,
                       scale_grad_by_freq=scale_grad_by_freq, sparse=sparse)


def batch_norm(input, weight, bias, running_mean, running_var, training, momentum, eps,
               cudnn_enabled):
    """torch.batch_norm: weight and bias come before the running statistics."""
    return F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)


def instance_norm(input, weight, bias, running_mean, running_var, use_input_stats, momentum,
                  eps, cudnn_enabled):
    return F.instance_norm(input, running_mean, running_var, weight, bias, use_input_stats,
                           momentum, eps)


def adaptive_max_pool1d(input, output_size):
    """torch.adaptive_max_pool1d always returns (values, indices)."""
    return F.adaptive_max_pool1d(input, output_size, return_indices=True)


def kl_div(input, target, reduction=1, *, log_target=False):
    return F.kl_div(input, target, reduction=_reduction(reduction), log_target=log_target)


def binary_cross_entropy_with_logits(input, target, weight=None, pos_weight=None, reduction=1):
    return F.binary_cross_entropy_with_logits(input, target, weight, reduction=_reduction(reduction),
                                              pos_weight=pos_weight)


def margin_ranking_loss(input1, input2, target, margin=0.0, reduction=1):
    return F.margin_ranking_loss(input1, input2, target, margin=margin,
                                 reduction=_reduction(reduction))


def hinge_embedding_loss(input, target, margin=1.0, reduction=1):
    return F.hinge_embedding_loss(input, target, margin=margin, reduction=_reduction(reduction))


def cosine_embedding_loss(input1, input2, target, margin=0.0, reduction=1):
    return F.cosine_embedding_loss(input1, input2, target, margin=margin,
                                   reduction=_reduction(reduction))


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-06, swap=False,
                        reduction=1):
    return F.triplet_margin_loss(anchor, positive, negative, margin=margin, p=p, eps=eps,
                                 swap=swap, reduction=_reduction(reduction))


def poisson_nll_loss(input, target, log_input, full, eps, reduction):
    return F.poisson_nll_loss(input, target, log_input=log_input, full=full, eps=eps,
                              reduction=_reduction(reduction))


def ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=0, reduction=1,
             zero_infinity=False):
    return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, blank=blank,
                      reduction=_reduction(reduction), zero_infinity=zero_infinity)
