"""torch.backends.mps: Apple's GPU backend, never available in minitorch."""

__all__ = ["is_available", "is_built", "is_macos13_or_newer", "is_macos_or_newer"]


def is_available():
    """False: minitorch has no MPS backend."""
    return False


def is_built():
    """False: minitorch is not built with MPS."""
    return False


def is_macos_or_newer(major, minor):
    """False, as torch answers on a build without MPS."""
    return False


def is_macos13_or_newer(minor=0):
    """False, as torch answers on a build without MPS."""
    return False
