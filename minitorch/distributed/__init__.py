"""torch.distributed: minitorch is a single-process library with no communication backend.

``is_available()`` is False, so code guarded by it (the usual pattern) takes its
single-process path. Functions that need a process group raise as torch does when
none has been initialised; ``init_process_group`` cannot create one.
"""

__all__ = ["is_available", "is_initialized", "init_process_group", "get_rank",
           "get_world_size", "barrier", "destroy_process_group", "is_torchelastic_launched"]

_NO_GROUP = ("Default process group has not been initialized, please make sure to call "
             "init_process_group.")


def is_available():
    """False: minitorch has no distributed backend (torch's Linux CPU build has gloo)."""
    return False


def is_initialized():
    """False: no process group exists."""
    return False


def is_torchelastic_launched():
    """False: not started by torchrun."""
    return False


def init_process_group(backend=None, *args, **kwargs):
    """Raises NotImplementedError: there is no backend to start a process group with."""
    raise NotImplementedError("minitorch has no distributed backend (init_process_group)")


def get_rank(group=None):
    """Raises ValueError as torch does without a process group."""
    raise ValueError(_NO_GROUP)


def get_world_size(group=None):
    """Raises ValueError as torch does without a process group."""
    raise ValueError(_NO_GROUP)


def barrier(group=None, async_op=False, device_ids=None):
    """Raises ValueError as torch does without a process group."""
    raise ValueError(_NO_GROUP)


def destroy_process_group(group=None):
    """Raises AssertionError as torch does without a process group."""
    raise AssertionError("Process group cannot be None")
