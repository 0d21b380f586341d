"""torch.backends.openmp: minitorch computes with NumPy, never through openmp directly."""

__all__ = ["is_available"]


def is_available():
    """False: minitorch does not use openmp (torch's x86 build answers True)."""
    return False
