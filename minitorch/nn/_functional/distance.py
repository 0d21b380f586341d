"""functional: distances and similarities between vectors."""
import numpy as np

from ... import _ops  # noqa: F401  (Tensor methods)
from ..._tensor import Tensor

__all__ = ["pairwise_distance", "pdist", "cosine_similarity", "normalize"]


def _broadcast_pair(a, b):
    """The broadcast shape of two tensors; torch's RuntimeError when there is none."""
    shape_a, shape_b = tuple(a.shape), tuple(b.shape)
    try:
        return np.broadcast_shapes(shape_a, shape_b)
    except ValueError:
        pass
    # name the first (rightmost) mismatching dim, as torch does
    for i in range(1, min(len(shape_a), len(shape_b)) + 1):
        x, y = shape_a[-i], shape_b[-i]
        if x != y and x != 1 and y != 1:
            break
    raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                       f"non-singleton dimension {max(len(shape_a), len(shape_b)) - i}")


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """p-norm of (x1 - x2 + eps) over the last dim (eps keeps the norm differentiable at 0)."""
    out_dim = max(x1.ndim, x2.ndim)
    if out_dim == 0:
        # torch: 0-d inputs have no dim to reduce; the distance is |x1 - x2 + eps|
        return (x1 - x2 + eps).abs()
    return (x1 - x2 + eps).norm(p, out_dim - 1, keepdim)


def pdist(input, p=2):
    """p-norm distances between all pairs of rows i < j of a 2-D input, as a flat vector.

    A composite (index then norm): its grad_fn is not torch's PdistBackward0.
    """
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    n = input.shape[0]
    i, j = np.triu_indices(n, 1)
    if len(i) == 0:
        return input.new_zeros((0,))
    diff = input[Tensor._make(i)] - input[Tensor._make(j)]
    return diff.norm(p, 1)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """sum(x1 * x2) / (max(|x1|, eps) * max(|x2|, eps)) along ``dim`` (inputs broadcast)."""
    # torch broadcasts first, so a broadcast input's norm counts every repeat
    shape = _broadcast_pair(x1, x2)
    x1, x2 = x1.expand(shape), x2.expand(shape)
    n1 = x1.norm(2, dim, True).clamp_min(eps)
    n2 = x2.norm(2, dim, True).clamp_min(eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """input / max(||input||_p, eps) along ``dim``."""
    if out is not None:
        raise NotImplementedError("normalize: the 'out' argument is not supported")
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps)
    return input / denom
