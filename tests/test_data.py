"""minitorch.utils.data on its own (no torch needed): datasets, samplers, collation, loaders."""
import collections

import numpy as np
import pytest

import minitorch
from minitorch.utils.data import (BatchSampler, ConcatDataset, DataLoader, Dataset,
                                  IterableDataset, RandomSampler, SequentialSampler, Subset,
                                  TensorDataset, WeightedRandomSampler, default_collate,
                                  get_worker_info, random_split)


def _dataset(n=7):
    return TensorDataset(minitorch.arange(2 * n).reshape(n, 2).float(), minitorch.arange(n))


def test_tensor_dataset_items_and_length():
    ds = _dataset()
    assert len(ds) == 7
    x, y = ds[3]
    assert x.tolist() == [6.0, 7.0] and y.item() == 3
    with pytest.raises(AssertionError, match="Size mismatch"):
        TensorDataset(minitorch.zeros(2), minitorch.zeros(3))


def test_loader_batches_in_order():
    batches = list(DataLoader(_dataset(), batch_size=3))
    assert [y.tolist() for _, y in batches] == [[0, 1, 2], [3, 4, 5], [6]]
    assert batches[0][0].shape == (3, 2) and batches[0][0].dtype == minitorch.float32
    assert len(DataLoader(_dataset(), batch_size=3)) == 3
    dropped = list(DataLoader(_dataset(), batch_size=3, drop_last=True))
    assert [y.tolist() for _, y in dropped] == [[0, 1, 2], [3, 4, 5]]


def test_collate_dtypes():
    out = default_collate([(1, 2.5, True, np.float32(1.0), "a"), (2, 3.5, False, np.float32(2.0),
                                                                   "b")])
    assert isinstance(out, list)
    ints, floats, bools, np_floats, strings = out
    assert ints.dtype == minitorch.int64 and ints.tolist() == [1, 2]
    assert floats.dtype == minitorch.float64 and floats.tolist() == [2.5, 3.5]
    assert bools.dtype == minitorch.bool
    assert np_floats.dtype == minitorch.float32
    assert strings == ("a", "b")  # strings stay as they come out of zip(*batch), as in torch


def test_collate_containers():
    Pair = collections.namedtuple("Pair", "a b")
    out = default_collate([{"p": Pair(1, [1.0]), "s": "x"}, {"p": Pair(2, [2.0]), "s": "y"}])
    assert isinstance(out["p"], Pair)
    assert out["p"].a.tolist() == [1, 2]
    assert isinstance(out["p"].b, list) and out["p"].b[0].tolist() == [1.0, 2.0]
    with pytest.raises(RuntimeError, match="equal size"):
        default_collate([[1, 2], [1]])
    with pytest.raises(TypeError, match="default_collate: batch must contain"):
        default_collate([object()])


def test_numpy_arrays_are_stacked_with_their_dtype():
    out = default_collate([np.arange(3, dtype=np.int16), np.arange(3, dtype=np.int16)])
    assert out.dtype == minitorch.int16 and out.shape == (2, 3)


def test_no_batching_converts_numpy():
    class Arrays(Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return np.full(2, i, dtype=np.float64)
    items = list(DataLoader(Arrays(), batch_size=None))
    assert all(isinstance(t, minitorch.Tensor) for t in items)
    assert items[1].tolist() == [1.0, 1.0]


def test_concat_and_subset():
    cat = ConcatDataset([_dataset(2), _dataset(3)])
    assert len(cat) == 5 and cat[2][1].item() == 0 and cat[-1][1].item() == 2
    sub = Subset(_dataset(), [6, 0])
    assert len(sub) == 2 and sub[0][1].item() == 6


def test_random_split():
    parts = random_split(range(10), [0.5, 0.3, 0.2], generator=minitorch.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [5, 3, 2]
    assert sorted(i for p in parts for i in p) == list(range(10))
    with pytest.raises(ValueError, match="Sum of input lengths"):
        random_split(range(10), [4, 4])


def test_samplers():
    assert list(SequentialSampler(range(3))) == [0, 1, 2]
    assert list(BatchSampler(range(5), 2, drop_last=False)) == [[0, 1], [2, 3], [4]]
    perm = list(RandomSampler(range(6)))
    assert sorted(perm) == list(range(6))
    assert len(list(RandomSampler(range(3), replacement=True, num_samples=10))) == 10
    assert set(WeightedRandomSampler([0.0, 1.0], 20)) == {1}


def test_shuffle_depends_on_manual_seed():
    def order():
        minitorch.manual_seed(123)
        return [y.item() for _, y in DataLoader(_dataset(), shuffle=True)]
    assert order() == order()
    assert sorted(order()) == list(range(7))


class Stream(IterableDataset):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        info = get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        return iter(range(start, self.n, step))


def test_iterable_dataset():
    assert [b.tolist() for b in DataLoader(Stream(5), batch_size=2)] == [[0, 1], [2, 3], [4]]
    assert [b.tolist() for b in DataLoader(Stream(5), batch_size=2, drop_last=True)] == \
        [[0, 1], [2, 3]]
    with pytest.raises(ValueError, match="expected unspecified shuffle"):
        DataLoader(Stream(3), shuffle=True)


def test_worker_processes_return_batches_in_order():
    loader = DataLoader(_dataset(10), batch_size=3, num_workers=2)
    assert [y.tolist() for _, y in loader] == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
    sharded = DataLoader(Stream(7), batch_size=2, num_workers=2)
    # worker 0 reads 0,2,4,6 and worker 1 reads 1,3,5; batches alternate between them
    assert [b.tolist() for b in sharded] == [[0, 2], [1, 3], [4, 6], [5]]


def test_worker_init_fn_runs_in_each_worker():
    class WhichWorker(Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            return get_worker_info().seed - get_worker_info().id
    seeds = [int(s) for s in DataLoader(WhichWorker(), batch_size=None, num_workers=2,
                                        worker_init_fn=lambda wid: None)]
    assert len(set(seeds)) == 1  # every worker's seed is base_seed + its id


def test_invalid_options():
    with pytest.raises(ValueError, match="num_workers option should be non-negative"):
        DataLoader(_dataset(), num_workers=-1)
    with pytest.raises(ValueError, match="mutually exclusive"):
        DataLoader(_dataset(), batch_sampler=[[0]], batch_size=2)
    with pytest.warns(UserWarning, match="no accelerator is found"):
        list(DataLoader(_dataset(), pin_memory=True))


def test_a_worker_that_dies_is_reported():
    import os

    class Dies(Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            os._exit(3)
    with pytest.raises(RuntimeError, match="exited unexpectedly"):
        list(DataLoader(Dies(), num_workers=2))


def test_timeout():
    import time

    class Slow(Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            time.sleep(5)
            return i
    with pytest.raises(RuntimeError, match="timed out after 1 seconds"):
        list(DataLoader(Slow(), num_workers=1, timeout=1))
