"""torch.accelerator: the device-agnostic accelerator API; a CPU-only build has none."""
from ._device import _NO_ACCELERATOR

__all__ = ["is_available", "current_accelerator", "device_count", "current_device_index",
           "set_device_index", "synchronize"]


def is_available():
    """False: there is no accelerator."""
    return False


def current_accelerator(check_available=False):
    """None: there is no accelerator."""
    return None


def device_count():
    """0 accelerators."""
    return 0


def current_device_index():
    """Raises: there is no accelerator device."""
    raise RuntimeError(_NO_ACCELERATOR)


def set_device_index(device):
    """Raises: there is no accelerator device."""
    raise RuntimeError(_NO_ACCELERATOR)


def synchronize(device=None):
    """Raises: there is no accelerator device."""
    raise RuntimeError(_NO_ACCELERATOR)
