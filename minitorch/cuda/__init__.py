"""torch.cuda as a CPU-only torch build has it: nothing is available, and saying so is the API.

Queries answer "no GPU" (False, 0), seeding functions are silent no-ops (so seeding
code written for GPUs runs unchanged), and anything that needs a device raises
torch's AssertionError("Torch not compiled with CUDA enabled").
"""
from .._device import _NO_CUDA

__all__ = ["is_available", "device_count", "is_initialized", "init", "current_device",
           "set_device", "synchronize", "get_device_name", "get_device_capability",
           "get_device_properties", "empty_cache", "memory_allocated", "max_memory_allocated",
           "memory_reserved", "max_memory_reserved", "reset_peak_memory_stats",
           "is_bf16_supported", "manual_seed", "manual_seed_all", "seed", "seed_all",
           "initial_seed", "get_rng_state", "get_rng_state_all", "set_rng_state",
           "set_rng_state_all", "device"]


def _no_cuda(*args, **kwargs):
    raise AssertionError(_NO_CUDA)


def is_available():
    """False: minitorch never has a GPU."""
    return False


def device_count():
    """0 GPUs."""
    return 0


def is_initialized():
    """False: CUDA is never initialised."""
    return False


def is_bf16_supported(including_emulation=True):
    """False: there is no GPU to support bfloat16."""
    return False


def empty_cache():
    """Nothing to free (a no-op, as on torch's CPU-only build)."""


def memory_allocated(device=None):
    """0 bytes of GPU memory."""
    return 0


def max_memory_allocated(device=None):
    """0 bytes of GPU memory."""
    return 0


def memory_reserved(device=None):
    """0 bytes of GPU memory."""
    return 0


def max_memory_reserved(device=None):
    """0 bytes of GPU memory."""
    return 0


def reset_peak_memory_stats(device=None):
    """Nothing to reset (a no-op)."""


# Seeding a GPU that does not exist is silently skipped, as torch does lazily.
def manual_seed(seed):
    """No-op without CUDA (torch defers it until CUDA initialises, which never happens)."""
    int(seed)


def manual_seed_all(seed):
    """No-op without CUDA."""
    int(seed)


def seed():
    """No-op without CUDA."""


def seed_all():
    """No-op without CUDA."""


def init():
    """Raises: there is no CUDA to initialise."""
    _no_cuda()


def current_device():
    """Raises: there is no current CUDA device."""
    _no_cuda()


def set_device(device):
    """Raises AssertionError (torch's CPU build raises AttributeError from its C module)."""
    _no_cuda()


def synchronize(device=None):
    """Raises: there is no CUDA device to wait for."""
    _no_cuda()


def get_device_name(device=None):
    """Raises: there is no CUDA device."""
    _no_cuda()


def get_device_capability(device=None):
    """Raises: there is no CUDA device."""
    _no_cuda()


def get_device_properties(device=None):
    """Raises: there is no CUDA device."""
    _no_cuda()


def initial_seed():
    """Raises: there is no CUDA generator."""
    _no_cuda()


def get_rng_state(device="cuda"):
    """Raises: there is no CUDA generator."""
    _no_cuda()


def get_rng_state_all():
    """An empty list: one state per GPU, and there are none."""
    return []


def set_rng_state(new_state, device="cuda"):
    """No-op without CUDA (deferred until CUDA initialises, as torch)."""


def set_rng_state_all(new_states):
    """No-op without CUDA."""


class device:
    """Context manager selecting a CUDA device; index -1 or None does nothing, as in torch."""

    def __init__(self, device):
        self.idx = device if isinstance(device, int) or device is None else \
            getattr(device, "index", -1)
        self.prev_idx = -1

    def __enter__(self):
        if self.idx not in (None, -1):
            raise RuntimeError("PyTorch was compiled without CUDA support")
        return self

    def __exit__(self, *exc):
        return False


from . import amp  # noqa: E402,F401  (torch.cuda.amp: deprecated autocast/GradScaler)
