"""functional: dropout and its feature-wise and alpha variants.

Masks are drawn from minitorch's default generator, so the random streams
differ from torch's; the distributions and scalings are torch's.
"""
import warnings

import numpy as np

from ... import _random
from ..._tensor import Tensor

__all__ = ["dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout",
           "feature_alpha_dropout"]

# SELU's negative saturation value, -scale * alpha; alpha dropout drops to it.
_ALPHA = 1.7580993408473766


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _keep_mask(input, p, feature):
    """Bernoulli(1 - p) keep mask as an array of input's dtype; one draw per channel if
    ``feature`` (shape (N, C, 1, ...))."""
    shape = tuple(input.shape)
    if feature:
        shape = shape[:2] + (1,) * (len(shape) - 2)
    keep = _random._rng(None).random(shape) >= p
    return keep.astype(input._data.dtype)


def _dropout_impl(input, p, training, inplace, feature=False, alpha=False):
    if not isinstance(input, Tensor):
        raise TypeError(f"dropout(): argument 'input' must be Tensor, not {type(input).__name__}")
    _check_p(p)
    if not training or p == 0:
        return input
    if p == 1:
        # torch multiplies by zeros so the result stays in the graph
        return input.mul_(0) if inplace else input * 0
    keep = _keep_mask(input, p, feature)
    if alpha:
        a = 1.0 / np.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
        scale = Tensor._make((keep * a).astype(keep.dtype))
        shift = Tensor._make(((keep - 1) * (_ALPHA * a) + _ALPHA * a * p).astype(keep.dtype))
        if inplace:
            return input.mul_(scale).add_(shift)
        return input * scale + shift
    scale = Tensor._make(keep / keep.dtype.type(1 - p))
    return input.mul_(scale) if inplace else input * scale


def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability p and scale the rest by 1 / (1 - p) (training)."""
    return _dropout_impl(input, p, training, inplace)


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Dropout for SELU networks: keeps zero mean and unit variance."""
    return _dropout_impl(input, p, training, inplace, alpha=True)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout of whole channels."""
    return _dropout_impl(input, p, training, inplace, feature=True, alpha=True)


def _feature_dropout(input, p, training, inplace, batched):
    """Channel-wise dropout; an unbatched input gets a batch dim of 1 for the mask."""
    _check_p(p)
    if not batched:
        out = _dropout_impl(input.unsqueeze(0), p, training, False, feature=True)
        out = out.squeeze(0)
        return input.copy_(out) if inplace and out is not input else out
    return _dropout_impl(input, p, training, inplace, feature=True)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) or (C, L) inputs."""
    _check_p(p)
    if input.dim() not in (2, 3):
        raise RuntimeError(f"dropout1d: Expected 2D or 3D input, but received a {input.dim()}D "
                           "input. Note that dropout1d exists to provide channel-wise dropout on "
                           "inputs with 1 spatial dimension, a channel dimension, and an "
                           "optional batch dimension (i.e. 2D or 3D inputs).")
    return _feature_dropout(input, p, training, inplace, batched=input.dim() == 3)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, H, W) inputs (3-D inputs are treated as (N, C, L))."""
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (3, 4):
        warnings.warn(f"dropout2d: Received a {inp_dim}-D input to dropout2d, which is "
                      "deprecated and will result in an error in a future release. To retain "
                      "the behavior and silence this warning, please use dropout instead. Note "
                      "that dropout2d exists to provide channel-wise dropout on inputs with 2 "
                      "spatial dimensions, a channel dimension, and an optional batch dimension "
                      "(i.e. 3D or 4D inputs).", stacklevel=2)
    if inp_dim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that "
                      "channel-wise 1D dropout behavior is desired - input is interpreted as "
                      "shape (N, C, L), where C is the channel dim. This behavior will change "
                      "in a future release to interpret the input as one without a batch "
                      "dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout "
                      "behavior, please switch to using dropout1d instead.", stacklevel=2)
    return _feature_dropout(input, p, training, inplace, batched=True)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) inputs."""
    _check_p(p)
    inp_dim = input.dim()
    if inp_dim not in (4, 5):
        warnings.warn(f"dropout3d: Received a {inp_dim}-D input to dropout3d, which is "
                      "deprecated and will result in an error in a future release. To retain "
                      "the behavior and silence this warning, please use dropout instead. Note "
                      "that dropout3d exists to provide channel-wise dropout on inputs with 3 "
                      "spatial dimensions, a channel dimension, and an optional batch dimension "
                      "(i.e. 4D or 5D inputs).", stacklevel=2)
    return _feature_dropout(input, p, training, inplace, batched=inp_dim != 4)
