"""DataLoader: iterate over a dataset in (shuffled, collated) batches.

With ``num_workers > 0`` the samples are loaded by worker processes, each
handling every num_workers-th batch as torch's workers do; batches come back
in order.
"""
import itertools
import math
import multiprocessing
import queue
import random
import traceback
import warnings

import numpy as np

import minitorch

from ._utils.collate import default_collate, default_convert
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, _draw_seed

__all__ = ["DataLoader", "get_worker_info", "WorkerInfo"]


class WorkerInfo:
    """What a worker process knows about itself: id, num_workers, seed, dataset."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)

    def __repr__(self):
        fields = ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items())
        return f"WorkerInfo({fields})"


_worker_info = None


def get_worker_info():
    """In a DataLoader worker process its WorkerInfo; None in the main process."""
    return _worker_info


class _InfiniteConstantSampler(Sampler):
    """Yields None forever: for an IterableDataset the sampler only paces the loop."""

    def __iter__(self):
        while True:
            yield None


class DataLoader:
    """Combine a dataset and a sampler; iterate over batches of samples.

    Differences from torch: batches always arrive in order (which ``in_order=False``
    allows), workers are started afresh each epoch even with ``persistent_workers``, and
    ``pin_memory`` only warns, as torch does on a machine without an accelerator.
    """

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None,
                 num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0,
                 worker_init_fn=None, multiprocessing_context=None, generator=None, *,
                 prefetch_factor=None, persistent_workers=False, pin_memory_device="",
                 in_order=True):
        self._check_worker_options(num_workers, timeout, prefetch_factor, persistent_workers)
        if num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order

        if isinstance(dataset, IterableDataset):
            self._dataset_kind = "iterable"
            if shuffle not in {False, None}:
                raise ValueError("DataLoader with IterableDataset: expected unspecified shuffle "
                                 f"option, but got shuffle={shuffle}")
            if sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified sampler "
                                 f"option, but got sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError("DataLoader with IterableDataset: expected unspecified "
                                 f"batch_sampler option, but got batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
            self._dataset_kind = "map"

        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, "
                                 "shuffle, sampler, and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually "
                             "exclusive with drop_last")

        if sampler is None:
            if self._dataset_kind == "iterable":
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers

    @staticmethod
    def _check_worker_options(num_workers, timeout, prefetch_factor, persistent_workers):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to "
                             "disable multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in "
                             "multiprocessing.let num_workers > 0 to enable multiprocessing, "
                             "otherwise set prefetch_factor to None.")
        if prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

    @property
    def _auto_collation(self):
        """True when the loader forms batches itself (a batch_sampler exists)."""
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        """What the loop iterates: lists of indices when batching, single indices otherwise."""
        return self.batch_sampler if self._auto_collation else self.sampler

    def __iter__(self):
        if self.pin_memory:
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, then "
                          "device pinned memory won't be used.", stacklevel=2)
        if self.num_workers == 0:
            return _single_process_batches(self)
        return _multi_process_batches(self)

    def __len__(self):
        if self._dataset_kind == "iterable":
            length = len(self.dataset)
            if self.batch_size is not None:
                if self.drop_last:
                    return length // self.batch_size
                return math.ceil(length / self.batch_size)
            return length
        return len(self._index_sampler)


# ------------------------------------------------------------------ fetching
def _fetch_map(dataset, index, auto_collation, collate_fn):
    """One batch (or one sample) of a map-style dataset, collated."""
    if auto_collation:
        getitems = getattr(dataset, "__getitems__", None)
        data = getitems(index) if callable(getitems) else [dataset[i] for i in index]
    else:
        data = dataset[index]
    return collate_fn(data)


def _iterable_batches(dataset_iter, loader):
    """Batches (or single converted samples) read from an IterableDataset's iterator."""
    if not loader._auto_collation:
        for sample in dataset_iter:
            yield loader.collate_fn(sample)
        return
    while True:
        batch = list(itertools.islice(dataset_iter, loader.batch_size))
        if not batch or (loader.drop_last and len(batch) < loader.batch_size):
            return
        yield loader.collate_fn(batch)


def _single_process_batches(loader):
    """Load every batch in this process."""
    if loader._dataset_kind == "iterable":
        yield from _iterable_batches(iter(loader.dataset), loader)
        return
    for index in loader._index_sampler:
        yield _fetch_map(loader.dataset, index, loader._auto_collation, loader.collate_fn)


# --------------------------------------------------------------- worker pool
def _multi_process_batches(loader):
    """Load batches in worker processes; worker w makes batches w, w + n, w + 2n, ...

    The indices are drawn in the main process (so shuffling follows the main
    generator, and the sampler must be finite); each worker is seeded with
    base_seed + worker_id as in torch.
    """
    n = loader.num_workers
    base_seed = _draw_seed(loader.generator)
    context = loader.multiprocessing_context
    if context is None:
        context = multiprocessing.get_context("fork" if "fork" in
                                              multiprocessing.get_all_start_methods() else None)
    elif isinstance(context, str):
        context = multiprocessing.get_context(context)
    if loader._dataset_kind == "map":
        indices = list(loader._index_sampler)
        jobs = [indices[w::n] for w in range(n)]
    else:
        jobs = [None] * n
    queues = [context.Queue(maxsize=max(1, loader.prefetch_factor)) for _ in range(n)]
    workers = [context.Process(target=_worker_loop, daemon=True,
                               args=(loader, w, base_seed, jobs[w], queues[w]))
               for w in range(n)]
    for worker in workers:
        worker.start()
    try:
        yield from _gather_in_order(queues, workers, loader.timeout)
    finally:
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
            worker.join()


def _gather_in_order(queues, workers, timeout):
    """Take one result from each live worker in turn (torch's order); re-raise their errors.

    Worker w holds batches w, w + n, ...: asking the workers round-robin, and dropping
    each once it reports "done", yields the batches in sampler order.
    """
    active = list(range(len(queues)))
    while active:
        for w in list(active):
            kind, payload = _next_result(queues[w], workers[w], timeout)
            if kind == "done":
                active.remove(w)
            elif kind == "error":
                raise RuntimeError(f"Caught {payload[0]} in DataLoader worker process {w}.\n"
                                   f"Original {payload[1]}")
            else:
                yield payload


def _next_result(results, worker, timeout, poll_s=1.0):
    """The worker's next message; fails if it times out or the worker died without one."""
    waited = 0.0
    while True:
        try:
            return results.get(timeout=poll_s)
        except queue.Empty:
            waited += poll_s
        if timeout and waited >= timeout:
            raise RuntimeError(f"DataLoader timed out after {timeout} seconds")
        if not worker.is_alive():
            try:  # it may have sent its last message just before exiting
                return results.get(timeout=poll_s)
            except queue.Empty:
                raise RuntimeError(f"DataLoader worker (pid {worker.pid}) exited "
                                   f"unexpectedly with exit code {worker.exitcode}") from None


def _worker_loop(loader, worker_id, base_seed, indices, results):
    """Body of one worker process: seed, run worker_init_fn, produce its batches."""
    global _worker_info
    seed = base_seed + worker_id
    minitorch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed % 2 ** 32)
    _worker_info = WorkerInfo(id=worker_id, num_workers=loader.num_workers, seed=seed,
                              dataset=loader.dataset)
    try:
        if loader.worker_init_fn is not None:
            loader.worker_init_fn(worker_id)
        if indices is None:
            for batch in _iterable_batches(iter(loader.dataset), loader):
                results.put(("batch", batch))
        else:
            for index in indices:
                batch = _fetch_map(loader.dataset, index, loader._auto_collation,
                                   loader.collate_fn)
                results.put(("batch", batch))
        results.put(("done", None))
    except Exception as e:  # noqa: BLE001 - every error is reported to the main process
        results.put(("error", (type(e).__name__, traceback.format_exc())))
