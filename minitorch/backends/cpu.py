"""torch.backends.cpu."""

__all__ = ["get_cpu_capability"]


def get_cpu_capability():
    """'DEFAULT': minitorch runs NumPy's kernels and picks no SIMD code path itself."""
    return "DEFAULT"
