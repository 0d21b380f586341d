"""DistributedDataParallel: needs a process group, which minitorch can never create."""
from ..modules.module import Module

__all__ = ["DistributedDataParallel"]


class DistributedDataParallel(Module):
    """Construction raises torch's ValueError: no default process group exists."""

    def __init__(self, module, device_ids=None, output_device=None, dim=0,
                 broadcast_buffers=True, process_group=None, bucket_cap_mb=None,
                 find_unused_parameters=False, check_reduction=False,
                 gradient_as_bucket_view=False, static_graph=False, **kwargs):
        # torch looks up the default group first; without init_process_group it fails so.
        raise ValueError("Default process group has not been initialized, please make sure to "
                         "call init_process_group.")
