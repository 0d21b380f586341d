"""torch.backends.mkldnn: minitorch computes with NumPy, never through mkldnn directly."""

__all__ = ["is_available"]


def is_available():
    """False: minitorch does not use mkldnn (torch's x86 build answers True)."""
    return False
