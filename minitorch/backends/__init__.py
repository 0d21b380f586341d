"""torch.backends: switches for GPU and vendor libraries, as a CPU-only torch build has them.

The flags can be read and set (programs commonly set cudnn.benchmark), and the
availability queries answer honestly: minitorch uses none of these libraries.
"""
from . import cpu, cuda, cudnn, mkl, mkldnn, mps, openmp  # noqa: F401

__all__ = ["cpu", "cuda", "cudnn", "mkl", "mkldnn", "mps", "openmp"]

