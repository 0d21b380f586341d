"""torch.backends.mkl: minitorch computes with NumPy, never through mkl directly."""

__all__ = ["is_available"]


def is_available():
    """False: minitorch does not use mkl (torch's x86 build answers True)."""
    return False
