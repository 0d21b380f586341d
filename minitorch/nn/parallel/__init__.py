"""torch.nn.parallel: DataParallel and DistributedDataParallel on a machine with no GPUs."""
from .data_parallel import DataParallel  # noqa: F401
from .distributed import DistributedDataParallel  # noqa: F401

__all__ = ["DataParallel", "DistributedDataParallel"]
