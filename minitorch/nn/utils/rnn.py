"""nn.utils.rnn: PackedSequence and the functions that pack, pad and unpad sequences.

A packed batch stores the sequences time-major with the padding removed: sequences
sorted by decreasing length, then for each step t the ``batch_sizes[t]`` sequences
still running. Packing and unpacking are each a single ``index_select`` with a
precomputed index, so gradients flow back to the padded (or packed) data.
"""
from collections import namedtuple

import numpy as np

from ..._ops import creation as _creation
from ..._ops import shape as _shape
from ..._tensor import Tensor

__all__ = ["PackedSequence", "invert_permutation", "pack_padded_sequence",
           "pad_packed_sequence", "pad_sequence", "unpad_sequence", "pack_sequence",
           "unpack_sequence"]


class PackedSequence(namedtuple("PackedSequence_",
                                ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])):
    """Packed variable-length sequences: (data, batch_sizes, sorted_indices, unsorted_indices).

    Build one with :func:`pack_padded_sequence` or :func:`pack_sequence`, not by hand.
    """

    __slots__ = ()

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        if batch_sizes is None:
            # PackedSequence((data, batch_sizes), sorted_indices=...) as torch allows
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise AssertionError("Expected data to be a list or tuple of length 2")
            data, batch_sizes = data
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def __repr__(self):
        return (f"PackedSequence(data={self.data!r}, batch_sizes={self.batch_sizes!r}, "
                f"sorted_indices={self.sorted_indices!r}, "
                f"unsorted_indices={self.unsorted_indices!r})")

    def _replace_data(self, data):
        return type(self)(data, self.batch_sizes, self.sorted_indices, self.unsorted_indices)

    def to(self, *args, **kwargs):
        """A PackedSequence with ``data`` converted by ``Tensor.to`` (indices stay int64)."""
        data = self.data.to(*args, **kwargs)
        return self if data is self.data else self._replace_data(data)

    def cpu(self, *args, **kwargs):
        return self

    def cuda(self, *args, **kwargs):
        return self._replace_data(self.data.cuda(*args, **kwargs))

    def pin_memory(self):
        return self

    def double(self):
        return self._replace_data(self.data.double())

    def float(self):
        return self._replace_data(self.data.float())

    def half(self):
        return self._replace_data(self.data.half())

    def long(self):
        return self._replace_data(self.data.long())

    def int(self):
        return self._replace_data(self.data.int())

    def short(self):
        return self._replace_data(self.data.short())

    def char(self):
        return self._replace_data(self.data.char())

    def byte(self):
        return self._replace_data(self.data.byte())

    @property
    def is_cuda(self):
        return False

    def is_pinned(self):
        return False


def invert_permutation(permutation):
    """The inverse of a 1-D permutation tensor (None stays None)."""
    if permutation is None:
        return None
    perm = permutation.numpy()
    inverse = np.empty_like(perm)
    inverse[perm] = np.arange(perm.size, dtype=perm.dtype)
    return Tensor._make(inverse)


def _lengths_array(lengths):
    if isinstance(lengths, Tensor):
        return lengths.numpy().astype(np.int64)
    return np.asarray(lengths, dtype=np.int64).reshape(-1)


def _int64(values):
    return Tensor._make(np.asarray(values, dtype=np.int64))


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded (T, B, *) batch (B, T, * if batch_first) given each sequence's length."""
    lengths = _lengths_array(lengths)
    sorted_indices = None
    if not enforce_sorted:
        order = np.argsort(-lengths, kind="stable")
        lengths = lengths[order]
        sorted_indices = _int64(order)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    if lengths.size and lengths[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an "
                           "element in 'lengths' that is <= 0")
    if np.any(np.diff(lengths) > 0):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when "
                           "`enforce_sorted` is True. You can pass `enforce_sorted=False` to "
                           "pack_padded_sequence and/or pack_sequence to sidestep this "
                           "requirement if you do not need ONNX exportability.")
    if batch_first:
        input = input.transpose(0, 1)
    steps, batch = input.shape[0], input.shape[1]
    if lengths.size != batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got "
                           f"{lengths.size} (batch_size={batch})")
    if lengths[0] > steps:
        raise RuntimeError(f"Expected sequence length to be at most {steps}, but got "
                           f"{lengths[0]}")
    batch_sizes = (lengths[None, :] > np.arange(lengths[0])[:, None]).sum(1)
    # rows t * batch + b of the flattened input, for the b still running at step t
    index = np.concatenate([t * batch + np.arange(bs) for t, bs in enumerate(batch_sizes)])
    flat = input.reshape((steps * batch,) + tuple(input.shape[2:]))
    data = flat.index_select(0, _int64(index))
    return PackedSequence(data, _int64(batch_sizes), sorted_indices, None)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """Undo packing: returns (padded batch, lengths), in the original batch order."""
    data = sequence.data
    batch_sizes = sequence.batch_sizes.numpy().astype(np.int64)
    max_len = batch_sizes.size
    if total_length is not None:
        if total_length < max_len:
            raise ValueError("Expected total_length to be at least the length of the longest "
                             f"sequence in input, but got total_length={total_length} and max "
                             f"sequence length being {max_len}")
        max_len = total_length
    batch = int(batch_sizes[0])
    lengths = (batch_sizes[None, :] > np.arange(batch)[:, None]).sum(1)
    order = np.arange(batch)
    if sequence.unsorted_indices is not None:
        order = sequence.unsorted_indices.numpy()
        lengths = lengths[order]
    # index into cat([data, one padding row]): position (t, j) takes sorted row order[j]
    offsets = np.concatenate([[0], np.cumsum(batch_sizes)[:-1]])
    pad_row = data.shape[0]
    index = np.full((max_len, batch), pad_row, dtype=np.int64)
    for t, (offset, bs) in enumerate(zip(offsets, batch_sizes)):
        running = order < bs
        index[t, running] = offset + order[running]
    rest = tuple(data.shape[1:])
    padding = _creation.full((1,) + rest, padding_value, dtype=data.dtype)
    source = _shape.cat([data, padding], 0)
    padded = source.index_select(0, _int64(index.reshape(-1))).reshape((max_len, batch) + rest)
    if batch_first:
        padded = padded.transpose(0, 1)
    return padded, _int64(lengths)


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack sequences of shapes (L_i, *) into (max L, B, *) (B first if batch_first),
    filling with ``padding_value`` on the ``padding_side``."""
    if isinstance(sequences, Tensor):
        sequences = sequences.unbind(0)
    try:
        sequences = tuple(sequences)
    except TypeError:
        raise RuntimeError("pad_sequence: Expected iterable for input sequences, but got arg "
                           f"of type: {type(sequences)}") from None
    if padding_side not in ("left", "right"):
        raise ValueError("Expected padding_side to be one of left or right, but got "
                         f"{padding_side}.")
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    max_len = max(s.shape[0] for s in sequences)
    padded = []
    for s in sequences:
        missing = max_len - s.shape[0]
        if missing:
            fill = _creation.full((missing,) + tuple(s.shape[1:]), padding_value,
                                  dtype=s.dtype)
            s = _shape.cat([s, fill] if padding_side == "right" else [fill, s], 0)
        padded.append(s)
    return _shape.stack(padded, 0 if batch_first else 1)


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """Split a padded batch back into a list of sequences of the given lengths.

    As torch, a time-major input is transposed *in place* (it is left batch-first).
    """
    if not batch_first:
        padded_sequences.transpose_(0, 1)
    lengths = _lengths_array(lengths)
    return [seq[:int(length)] for seq, length in zip(padded_sequences, lengths)]


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of sequences of shapes (L_i, *)."""
    lengths = [s.size(0) for s in sequences]
    return pack_padded_sequence(pad_sequence(sequences), lengths,
                                enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences):
    """Unpack a PackedSequence into the list of its sequences."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
