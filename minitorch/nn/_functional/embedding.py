"""functional: embedding lookups, embedding bags and one_hot."""
import numpy as np

from ... import _ops  # noqa: F401  (Tensor methods)
from ..._ops import creation as _creation
from ..._tensor import Tensor
from ...autograd import grad_mode
from ...autograd._primitive import defprim

__all__ = ["embedding", "embedding_bag", "one_hot"]


def _scatter_add_rows(num_rows, idx, rows):
    """grad[idx[i]] += rows[i] for every i, repeated indices accumulating in order.

    np.add.at on the 2-D gradient is slow (~8 ns per element); on flat 1-D arrays NumPy
    has a fast path, so each row index becomes dim element indices. The additions
    happen in the same order, so the sums are bitwise those of add.at (and torch)."""
    dim = rows.shape[1]
    grad = np.zeros((num_rows, dim), dtype=rows.dtype)
    flat_idx = (idx.astype(np.intp)[:, None] * dim + np.arange(dim)).reshape(-1)
    np.add.at(grad.reshape(-1), flat_idx, rows.reshape(-1))
    return grad


def _embedding_vjp(F, g, out, weight, indices, padding_idx, scale_grad_by_freq):
    """Scatter-add each output row's gradient into the row of the weight it came from."""
    num_weights, dim = weight.shape
    numpy_mode = isinstance(g, np.ndarray)
    idx_np = (indices if numpy_mode else indices._data).reshape(-1)
    g_rows = F.reshape(g, (-1, dim))
    if numpy_mode and not scale_grad_by_freq and padding_idx is None:
        return (_scatter_add_rows(num_weights, idx_np, g_rows), None)
    factor = np.ones(idx_np.shape)
    if scale_grad_by_freq:
        # divide by how often each index occurs in this batch
        factor = factor / np.bincount(idx_np, minlength=num_weights)[idx_np]
    if padding_idx is not None:
        factor = factor * (idx_np != padding_idx)
    factor = factor.astype(g_rows.dtype if numpy_mode else g._data.dtype)[:, None]
    if numpy_mode:
        return (_scatter_add_rows(num_weights, idx_np, g_rows * factor), None)
    rows = g_rows * Tensor._make(factor)
    base = F.zeros(num_weights, dim, dtype=g.dtype)
    return (F.index_add(base, 0, Tensor._make(idx_np), rows), None)


_embedding = defprim("nn_embedding", "EmbeddingBackward0",
                     lambda weight, indices, padding_idx, scale_grad_by_freq: weight[indices],
                     vjp=_embedding_vjp, saves=(1,))


def _renorm_rows_(weight, input, max_norm, norm_type):
    """Scale the rows ``input`` refers to so their norm is at most max_norm (in place)."""
    rows = np.unique(input._data.reshape(-1))
    values = weight._data[rows]
    norms = np.linalg.norm(values, ord=norm_type, axis=1) if values.size else np.zeros(0)
    scale = np.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0)
    with grad_mode.no_grad():
        weight.index_copy_(0, Tensor._make(rows.astype(np.int64)),
                           Tensor._make((values * scale[:, None]).astype(values.dtype)))


def _check_indices(input, weight):
    if input.dtype.is_floating_point or input.dtype.is_complex or input.dtype.itemsize == 1 and \
            str(input.dtype) == "torch.bool":
        raise RuntimeError("Expected tensor for argument #1 'indices' to have one of the "
                           "following scalar types: Long, Int; but got "
                           f"{input.type()} instead (while checking arguments for embedding)")
    data = input._data
    if data.size and (data.min() < 0 or data.max() >= weight.shape[0]):
        raise IndexError("index out of range in self")


def _padding_idx(padding_idx, num_embeddings):
    if padding_idx is None:
        return None
    if padding_idx > 0:
        assert padding_idx < num_embeddings, "Padding_idx must be within num_embeddings"
    elif padding_idx < 0:
        assert padding_idx >= -num_embeddings, "Padding_idx must be within num_embeddings"
        padding_idx = num_embeddings + padding_idx
    return padding_idx


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False):
    """Rows of ``weight`` picked by the integer ``input``; the padding row gets no gradient.

    ``sparse=True`` (sparse gradients) is not supported.
    """
    if sparse:
        raise NotImplementedError("embedding: 'sparse=True' (sparse gradients) is not supported")
    if weight.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    padding_idx = _padding_idx(padding_idx, weight.shape[0])
    _check_indices(input, weight)
    if max_norm is not None:
        _renorm_rows_(weight, input, max_norm, norm_type)
    return _embedding(weight, input, padding_idx=padding_idx,
                      scale_grad_by_freq=bool(scale_grad_by_freq))


def _bag_bounds(n_items, offsets, include_last_offset):
    """(start, end) of every bag from the offsets (the last bag runs to the end)."""
    offs = [int(o) for o in offsets._data.reshape(-1)]
    if include_last_offset:
        starts, ends = offs[:-1], offs[1:]
    else:
        starts, ends = offs, offs[1:] + [n_items]
    return list(zip(starts, ends))


def embedding_bag(input, weight, offsets=None, max_norm=None, norm_type=2,
                  scale_grad_by_freq=False, mode="mean", sparse=False, per_sample_weights=None,
                  include_last_offset=False, padding_idx=None):
    """Sums, means or maxes of bags of embeddings, without materialising the per-item rows
    in the output; composite of embedding + a bag-matrix product (max: per-bag amax).

    The grad_fn differs from torch's EmbeddingBagBackward0; the gradients are the same.
    """
    if per_sample_weights is not None and tuple(input.shape) != tuple(per_sample_weights.shape):
        raise ValueError(f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is "
                         f"not None, then it must have the same shape as the input "
                         f"({input.shape})")
    if weight.dim() != 2:
        raise ValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension "
                         f"{weight.dim()}")
    if input.dim() == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated "
                             "is a mini-batch of fixed length sequences. However, found offsets "
                             f"of type {type(offsets)}")
        offsets = _creation.arange(0, input.numel(), max(input.shape[1], 1))
        include_last_offset = False
        input = input.reshape(-1)
        if per_sample_weights is not None:
            per_sample_weights = per_sample_weights.reshape(-1)
    elif input.dim() == 1:
        if offsets is None:
            raise ValueError("offsets has to be a 1D Tensor but got None")
        if offsets.dim() != 1:
            raise ValueError("offsets has to be a 1D Tensor")
    else:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                         f"{input.dim()}")
    if mode not in ("sum", "mean", "max"):
        raise ValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise ValueError("max mode does not support scaling the gradient by the frequency")
    if sparse:
        raise NotImplementedError("embedding_bag: 'sparse=True' (sparse gradients) is not "
                                  "supported")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError("embedding_bag: per_sample_weights was not None. "
                                  "per_sample_weights is only supported for mode='sum' "
                                  f"(got mode='{mode}'). Please open a feature request on "
                                  "GitHub.")
    padding_idx = _padding_idx(padding_idx, weight.shape[0])
    if max_norm is not None:
        _renorm_rows_(weight, input, max_norm, norm_type)
    rows = embedding(input, weight, padding_idx=padding_idx,
                     scale_grad_by_freq=scale_grad_by_freq)
    bounds = _bag_bounds(input.shape[0], offsets, include_last_offset)
    keep = np.ones(input.shape[0], dtype=bool)
    if padding_idx is not None:
        keep = input._data.reshape(-1) != padding_idx
    if mode == "max":
        return _bag_max(rows, bounds, keep, weight)
    # Bag matrix: bags x items, 1 (sum) or 1/count (mean) where an item belongs to a bag.
    bag = np.zeros((len(bounds), input.shape[0]), dtype=weight._data.dtype)
    for b, (start, end) in enumerate(bounds):
        members = keep[start:end]
        count = int(members.sum())
        if count:
            bag[b, start:end] = members / (count if mode == "mean" else 1)
    bag = Tensor._make(bag)
    if per_sample_weights is not None:
        bag = bag * per_sample_weights.unsqueeze(0)
    return bag.matmul(rows)


def _bag_max(rows, bounds, keep, weight):
    from ... import stack
    outs = []
    for start, end in bounds:
        members = np.flatnonzero(keep[start:end]) + start
        if len(members):
            outs.append(rows[Tensor._make(members)].amax(0))
        else:
            outs.append(rows.new_zeros((weight.shape[1],)))
    if not outs:
        return rows.new_zeros((0, weight.shape[1]))
    return stack(outs)


def one_hot(tensor, num_classes=-1):
    """int64 one-hot encoding along a new last dim; num_classes=-1 uses max + 1."""
    if not isinstance(tensor, Tensor):
        raise TypeError("one_hot(): argument 'input' must be Tensor")
    if tensor.dtype.is_floating_point or tensor.dtype.is_complex or \
            str(tensor.dtype) == "torch.bool":
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    data = tensor._data.astype(np.int64)
    if num_classes == -1:
        if data.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(data.max()) + 1
    if data.size and data.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if data.size and data.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = np.zeros(data.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, data[..., None], 1, axis=-1)
    return Tensor._make(out)
