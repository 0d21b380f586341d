"""torch.utils.data against minitorch.utils.data: collation, deterministic loaders, splits."""
import collections
import math

import numpy as np
import pytest
import torch

import minitorch

Point = collections.namedtuple("Point", ["x", "y"])


def assert_same_structure(t, m, where="batch"):
    """Same container types, keys and lengths; tensors equal in shape, dtype and values."""
    if isinstance(t, torch.Tensor):
        assert isinstance(m, minitorch.Tensor), f"{where}: {type(m).__name__} is not a Tensor"
        assert tuple(m.shape) == tuple(t.shape), f"{where}: shape {tuple(m.shape)}"
        assert str(m.dtype) == str(t.dtype), f"{where}: dtype {m.dtype} != {t.dtype}"
        np.testing.assert_array_equal(m.numpy(), t.numpy(), err_msg=where)
        return
    assert type(m) is type(t), f"{where}: {type(m).__name__} != {type(t).__name__}"
    if isinstance(t, dict):
        assert list(m) == list(t), where
        for key in t:
            assert_same_structure(t[key], m[key], f"{where}[{key!r}]")
    elif isinstance(t, (list, tuple)):
        assert len(m) == len(t), where
        for i, (a, b) in enumerate(zip(t, m)):
            assert_same_structure(a, b, f"{where}[{i}]")
    else:
        assert m == t, f"{where}: {m!r} != {t!r}"


def _sample_batches(lib):
    """Lists of samples of every kind default_collate handles."""
    return {
        "tensors": [lib.tensor([1.0, 2.0]), lib.tensor([3.0, 4.0])],
        "int-tensors": [lib.tensor([1, 2], dtype=lib.int32), lib.tensor([3, 4], dtype=lib.int32)],
        "0d-tensors": [lib.tensor(1.5), lib.tensor(2.5)],
        "floats": [1.5, 2.0, -3.25],
        "ints": [1, 2, 3],
        "bools": [True, False],
        "strings": ["a", "bc"],
        "bytes": [b"a", b"b"],
        "numpy-float32": [np.ones((2, 2), np.float32), np.zeros((2, 2), np.float32)],
        "numpy-int32": [np.arange(3, dtype=np.int32), np.arange(3, 6, dtype=np.int32)],
        "numpy-uint8": [np.arange(3, dtype=np.uint8), np.arange(3, dtype=np.uint8)],
        "numpy-bool": [np.array([True, False]), np.array([False, False])],
        "numpy-scalars": [np.float32(1.5), np.float32(2.5)],
        "numpy-int-scalars": [np.int64(4), np.int64(5)],
        "numpy-float64-scalars": [np.float64(4.25), np.float64(5.5)],
        "tuples": [(1, 2.0, "a"), (3, 4.0, "b")],
        "lists": [[1, 2], [3, 4]],
        "dicts": [{"a": 1, "b": [1.0, 2.0]}, {"a": 2, "b": [3.0, 4.0]}],
        "ordered-dicts": [collections.OrderedDict(z=1, a=2.0), collections.OrderedDict(z=3, a=4.0)],
        "namedtuples": [Point(1, 2.0), Point(3, 4.0)],
        "nested": [{"img": np.ones(3, np.float32), "meta": (1, {"k": 0.5})},
                   {"img": np.zeros(3, np.float32), "meta": (2, {"k": 1.5})}],
        "mixed-tensor-tuple": [(lib.tensor([1.0]), 3), (lib.tensor([2.0]), 4)],
    }


@pytest.mark.parametrize("kind", list(_sample_batches(torch)))
def test_default_collate(kind):
    t_out = torch.utils.data.default_collate(_sample_batches(torch)[kind])
    m_out = minitorch.utils.data.default_collate(_sample_batches(minitorch)[kind])
    assert_same_structure(t_out, m_out)


@pytest.mark.parametrize("kind", list(_sample_batches(torch)))
def test_default_convert(kind):
    t_out = torch.utils.data.default_convert(_sample_batches(torch)[kind])
    m_out = minitorch.utils.data.default_convert(_sample_batches(minitorch)[kind])
    assert_same_structure(t_out, m_out)


@pytest.mark.parametrize("batch", [
    [[1, 2], [3]],
    [np.array(["a", "b"]), np.array(["c", "d"])],
    [object(), object()],
    [{1, 2}, {3, 4}],
])
def test_default_collate_errors(batch):
    from harness import check_error
    torch_error, ours = check_error(lambda lib: lib.utils.data.default_collate(batch))
    assert str(ours).split(";")[0] == str(torch_error).split(";")[0]


# ----------------------------------------------------------------- datasets
class SquaresDataset:
    """A map-style dataset of (x, x**2, {'idx': i}) without subclassing Dataset."""

    def __init__(self, lib, n=11):
        self.lib, self.n = lib, n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        x = self.lib.tensor([float(i), -float(i)])
        return x, i * i, {"idx": np.int64(i), "half": i / 2}


def _tensor_dataset(lib, n=10):
    x = lib.arange(n * 3, dtype=lib.float32).reshape(n, 3)
    y = lib.arange(n)
    return lib.utils.data.TensorDataset(x, y)


LOADERS = {
    "batch3": lambda lib, ds: lib.utils.data.DataLoader(ds, batch_size=3),
    "batch3-drop_last": lambda lib, ds: lib.utils.data.DataLoader(ds, batch_size=3,
                                                                  drop_last=True),
    "batch1-default": lambda lib, ds: lib.utils.data.DataLoader(ds),
    "no-batching": lambda lib, ds: lib.utils.data.DataLoader(ds, batch_size=None),
    "list-sampler": lambda lib, ds: lib.utils.data.DataLoader(ds, batch_size=2,
                                                              sampler=[5, 1, 4, 4, 0]),
    "batch-sampler": lambda lib, ds: lib.utils.data.DataLoader(
        ds, batch_sampler=[[0, 1], [7, 2, 3], [9]]),
    "BatchSampler": lambda lib, ds: lib.utils.data.DataLoader(
        ds, batch_sampler=lib.utils.data.BatchSampler(
            lib.utils.data.SequentialSampler(ds), batch_size=4, drop_last=False)),
    "collate_fn": lambda lib, ds: lib.utils.data.DataLoader(
        ds, batch_size=4, collate_fn=lambda batch: [len(batch), batch[0]]),
    "workers": lambda lib, ds: lib.utils.data.DataLoader(ds, batch_size=3, num_workers=2),
    "workers-no-batching": lambda lib, ds: lib.utils.data.DataLoader(ds, batch_size=None,
                                                                     num_workers=3),
}


@pytest.mark.parametrize("dataset", ["tensor", "squares", "subset", "concat", "stack"])
@pytest.mark.parametrize("loader", list(LOADERS))
def test_deterministic_loader_batches(loader, dataset):
    def make(lib):
        data = lib.utils.data
        if dataset == "tensor":
            return _tensor_dataset(lib)
        if dataset == "squares":
            return SquaresDataset(lib)
        if dataset == "subset":
            return data.Subset(_tensor_dataset(lib, 14), [13, 2, 5, 7, 0, 1, 3, 8, 9, 10])
        if dataset == "stack":
            return data.StackDataset(a=_tensor_dataset(lib), b=SquaresDataset(lib, 10))
        return data.ConcatDataset([_tensor_dataset(lib, 4), _tensor_dataset(lib, 6)])
    t_loader, m_loader = LOADERS[loader](torch, make(torch)), LOADERS[loader](minitorch,
                                                                             make(minitorch))
    assert len(m_loader) == len(t_loader)
    t_batches, m_batches = list(t_loader), list(m_loader)
    assert_same_structure(t_batches, m_batches)
    assert_same_structure(t_batches, list(m_loader))  # a second epoch is the same


class CountingIterable:
    """An iterable dataset of dict samples, sharded across workers as torch's docs show."""

    def __init__(self, lib, n=11, with_len=True):
        self.lib, self.n = lib, n
        if with_len:
            self.__len__ = lambda: n

    def iterate(self):
        info = self.lib.utils.data.get_worker_info()
        start, step = (0, 1) if info is None else (info.id, info.num_workers)
        for i in range(start, self.n, step):
            yield {"x": self.lib.tensor([i, i + 1]), "y": float(i)}


def _iterable(lib, n=11):
    class Stream(lib.utils.data.IterableDataset):
        def __init__(self):
            self.source = CountingIterable(lib, n)

        def __iter__(self):
            return self.source.iterate()

        def __len__(self):
            return n
    return Stream()


@pytest.mark.parametrize("kwargs", [dict(batch_size=4), dict(batch_size=4, drop_last=True),
                                    dict(batch_size=None), dict(batch_size=1),
                                    dict(batch_size=3, num_workers=2),
                                    dict(batch_size=None, num_workers=2)], ids=str)
def test_iterable_dataset_loader(kwargs):
    t_loader = torch.utils.data.DataLoader(_iterable(torch), **kwargs)
    m_loader = minitorch.utils.data.DataLoader(_iterable(minitorch), **kwargs)
    assert_same_structure(list(t_loader), list(m_loader))
    assert len(m_loader) == len(t_loader)


def test_worker_init_fn_and_worker_info():
    def make(lib):
        class WhoLoads(lib.utils.data.Dataset):
            def __len__(self):
                return 6

            def __getitem__(self, i):
                info = lib.utils.data.get_worker_info()
                return (i, info.id, info.num_workers)
        return lib.utils.data.DataLoader(WhoLoads(), batch_size=2, num_workers=2,
                                         worker_init_fn=lambda wid: None)
    assert_same_structure(list(make(torch)), list(make(minitorch)))
    assert minitorch.utils.data.get_worker_info() is None


def test_worker_errors_are_reported():
    class Broken(minitorch.utils.data.Dataset):
        def __len__(self):
            return 4

        def __getitem__(self, i):
            raise KeyError(i)
    loader = minitorch.utils.data.DataLoader(Broken(), num_workers=2)
    with pytest.raises(RuntimeError, match="KeyError"):
        list(loader)


# --------------------------------------------------------- datasets and splits
def test_tensor_concat_subset_indexing():
    for lib in (torch, minitorch):
        data = lib.utils.data
        cat = data.ConcatDataset([_tensor_dataset(lib, 3), _tensor_dataset(lib, 5)])
        assert len(cat) == 8 and cat.cumulative_sizes == [3, 8]
    t_cat = torch.utils.data.ConcatDataset([_tensor_dataset(torch, 3), _tensor_dataset(torch, 5)])
    m_cat = minitorch.utils.data.ConcatDataset([_tensor_dataset(minitorch, 3),
                                                _tensor_dataset(minitorch, 5)])
    for i in [0, 2, 3, 7, -1, -8]:
        assert_same_structure(t_cat[i], m_cat[i])
    t_sum = _tensor_dataset(torch, 2) + _tensor_dataset(torch, 3)
    m_sum = _tensor_dataset(minitorch, 2) + _tensor_dataset(minitorch, 3)
    assert type(m_sum).__name__ == type(t_sum).__name__ and len(m_sum) == len(t_sum)


@pytest.mark.parametrize("lengths,n", [([3, 7], 10), ([0.3, 0.7], 10), ([0.5, 0.5], 7),
                                       ([0.2, 0.2, 0.2, 0.2, 0.2], 12), ([1, 0.0], 3),
                                       ([1.0], 4)])
def test_random_split_lengths(lengths, n):
    t_parts = torch.utils.data.random_split(range(n), lengths)
    m_parts = minitorch.utils.data.random_split(range(n), lengths)
    assert [len(p) for p in m_parts] == [len(p) for p in t_parts]
    everything = sorted(i for part in m_parts for i in part)
    assert everything == list(range(n))  # disjoint and complete


def test_random_split_reproducible_with_generator():
    splits = [minitorch.utils.data.random_split(range(20), [5, 15],
                                                generator=minitorch.Generator().manual_seed(3))
              for _ in range(2)]
    assert list(splits[0][0]) == list(splits[1][0])


SPLIT_ERRORS = [
    lambda lib: lib.utils.data.random_split(range(10), [3, 3]),
    lambda lib: lib.utils.data.random_split(range(10), [1.5, -0.5]),
    lambda lib: lib.utils.data.TensorDataset(lib.zeros(3), lib.zeros(4)),
    lambda lib: lib.utils.data.ConcatDataset([]),
    lambda lib: lib.utils.data.ConcatDataset([_tensor_dataset(lib, 3)])[-4],
    lambda lib: lib.utils.data.StackDataset(_tensor_dataset(lib, 3), _tensor_dataset(lib, 4)),
    lambda lib: lib.utils.data.StackDataset(_tensor_dataset(lib, 3), b=_tensor_dataset(lib, 3)),
    lambda lib: lib.utils.data.StackDataset(),
]


@pytest.mark.parametrize("index", range(len(SPLIT_ERRORS)))
def test_dataset_errors(index):
    from harness import check_error
    torch_error, ours = check_error(SPLIT_ERRORS[index])
    assert str(ours) == str(torch_error)


# ------------------------------------------------------------------ samplers
def test_sequential_and_batch_samplers():
    for drop_last in (False, True):
        t = list(torch.utils.data.BatchSampler(range(10), 3, drop_last))
        m = list(minitorch.utils.data.BatchSampler(range(10), 3, drop_last))
        assert m == t
        assert len(minitorch.utils.data.BatchSampler(range(10), 3, drop_last)) == len(t)
    assert list(minitorch.utils.data.SequentialSampler(range(4))) == [0, 1, 2, 3]


@pytest.mark.parametrize("kwargs", [dict(), dict(replacement=True), dict(num_samples=25),
                                    dict(replacement=True, num_samples=7)], ids=str)
def test_random_sampler_shape_of_output(kwargs):
    t_sampler = torch.utils.data.RandomSampler(range(10), **kwargs)
    m_sampler = minitorch.utils.data.RandomSampler(range(10), **kwargs)
    t_out, m_out = list(t_sampler), list(m_sampler)
    assert len(m_sampler) == len(t_sampler) == len(m_out) == len(t_out)
    assert all(isinstance(i, int) and 0 <= i < 10 for i in m_out)
    if not kwargs.get("replacement"):
        counts = collections.Counter(m_out)
        assert max(counts.values()) - min(counts.values()) <= 1  # whole permutations


def test_shuffled_loader_visits_every_sample_once_per_epoch():
    loader = minitorch.utils.data.DataLoader(_tensor_dataset(minitorch, 10), batch_size=3,
                                             shuffle=True)
    first = [int(v) for _, y in loader for v in y]
    second = [int(v) for _, y in loader for v in y]
    assert sorted(first) == sorted(second) == list(range(10))
    assert first != second or first != sorted(first)  # shuffled (10! orders: no tie expected)
    g1, g2 = (minitorch.Generator().manual_seed(5) for _ in range(2))
    orders = [[int(v) for _, y in minitorch.utils.data.DataLoader(
        _tensor_dataset(minitorch, 10), batch_size=4, shuffle=True, generator=g) for v in y]
        for g in (g1, g2)]
    assert orders[0] == orders[1]


def test_weighted_and_subset_random_samplers():
    sampler = minitorch.utils.data.WeightedRandomSampler([0.0, 1.0, 0.0, 3.0], 50)
    out = list(sampler)
    assert len(out) == len(sampler) == 50 and set(out) <= {1, 3}
    no_repl = list(minitorch.utils.data.WeightedRandomSampler([1, 2, 3, 4], 4, replacement=False))
    assert sorted(no_repl) == [0, 1, 2, 3]
    subset = minitorch.utils.data.SubsetRandomSampler([10, 20, 30])
    assert sorted(subset) == [10, 20, 30] and len(subset) == 3
    t_len = len(torch.utils.data.WeightedRandomSampler([1.0, 2.0], 5))
    assert len(minitorch.utils.data.WeightedRandomSampler([1.0, 2.0], 5)) == t_len


SAMPLER_ERRORS = [
    lambda lib: lib.utils.data.BatchSampler(range(3), 0, False),
    lambda lib: lib.utils.data.BatchSampler(range(3), 2, None),
    lambda lib: lib.utils.data.BatchSampler(range(3), True, False),
    lambda lib: lib.utils.data.RandomSampler(range(3), replacement=1),
    lambda lib: lib.utils.data.RandomSampler(range(3), num_samples=0),
    lambda lib: lib.utils.data.WeightedRandomSampler([1.0, 2.0], 0),
    lambda lib: lib.utils.data.WeightedRandomSampler([1.0, 2.0], 2, replacement=0),
    lambda lib: lib.utils.data.WeightedRandomSampler([[1.0, 2.0]], 2),
    lambda lib: list(lib.utils.data.WeightedRandomSampler([1.0, 2.0], 3, replacement=False)),
    lambda lib: lib.utils.data.DataLoader(range(3), num_workers=-1),
    lambda lib: lib.utils.data.DataLoader(range(3), timeout=-1),
    lambda lib: lib.utils.data.DataLoader(range(3), prefetch_factor=2),
    lambda lib: lib.utils.data.DataLoader(range(3), persistent_workers=True),
    lambda lib: lib.utils.data.DataLoader(range(3), shuffle=True, sampler=[0, 1]),
    lambda lib: lib.utils.data.DataLoader(range(3), batch_size=2, batch_sampler=[[0]]),
    lambda lib: lib.utils.data.DataLoader(range(3), batch_size=None, drop_last=True),
    lambda lib: lib.utils.data.DataLoader(_iterable(lib), shuffle=True),
    lambda lib: lib.utils.data.DataLoader(_iterable(lib), sampler=[0]),
    lambda lib: lib.utils.data.Dataset()[0],
]


@pytest.mark.parametrize("index", range(len(SAMPLER_ERRORS)))
def test_sampler_and_loader_errors(index):
    from harness import check_error
    torch_error, ours = check_error(SAMPLER_ERRORS[index])
    if index != 17:  # the message quotes the sampler's repr
        assert str(ours) == str(torch_error)


def test_len_of_loaders():
    for kwargs in (dict(batch_size=3), dict(batch_size=3, drop_last=True), dict(batch_size=None)):
        t = torch.utils.data.DataLoader(range(10), **kwargs)
        m = minitorch.utils.data.DataLoader(range(10), **kwargs)
        assert len(m) == len(t)
    assert math.ceil(11 / 4) == len(minitorch.utils.data.DataLoader(_iterable(minitorch),
                                                                    batch_size=4))


def test_custom_collate_fn_map_through_collate():
    """torch's extension point: collate() with a map from types to collate functions."""
    from torch.utils.data._utils.collate import collate as t_collate
    from torch.utils.data._utils.collate import default_collate_fn_map as t_map

    from minitorch.utils.data._utils.collate import collate as m_collate
    from minitorch.utils.data._utils.collate import default_collate_fn_map as m_map

    def strings_upper(batch, *, collate_fn_map=None):
        return [s.upper() for s in batch]
    t_out = t_collate([("a", 1.0), ("b", 2.0)], collate_fn_map={**t_map, str: strings_upper})
    m_out = m_collate([("a", 1.0), ("b", 2.0)], collate_fn_map={**m_map, str: strings_upper})
    assert_same_structure(t_out, m_out)
