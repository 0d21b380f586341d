"""Direct calls into the OpenBLAS library that NumPy has already loaded, through ctypes.

NumPy reaches BLAS only through matmul/dot. Two BLAS features are worth a direct call:

- the thread count (``torch.set_num_threads`` sets it, as threadpoolctl does);
- axpy, ``y += alpha * x`` in one pass with a fused multiply-add. It is the kernel
  under ``p.add_(update, alpha=-lr)`` in every optimizer step: NumPy needs two passes
  over memory for it (``alpha * x`` into a temporary, then the add) and rounds twice,
  while torch's vectorised CPU kernel makes one pass with a fused multiply-add. axpy
  gives both torch's speed and torch's rounding.

Where no OpenBLAS can be found (another platform, a NumPy built on another BLAS) the
helpers report that, and callers fall back to plain NumPy.
"""
import ctypes
import functools

import numpy as np

__all__ = ["loaded_libraries", "set_threads", "axpy_"]

# Below this many elements the ctypes call costs more than the pass it saves.
AXPY_MIN_SIZE = 8192


@functools.lru_cache(maxsize=None)
def loaded_libraries():
    """The OpenBLAS shared libraries mapped into this process (Linux only), as ctypes handles."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f
                     if "openblas" in line.lower() and line.split()[-1].startswith("/")}
    except OSError:
        return ()
    libraries = []
    for path in sorted(paths):
        try:
            libraries.append(ctypes.CDLL(path))
        except OSError:
            continue
    return tuple(libraries)


def set_threads(n):
    """Set OpenBLAS's thread count; False when no OpenBLAS could be reached."""
    done = False
    for lib in loaded_libraries():
        for symbol in ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
                       "openblas_set_num_threads64_", "openblas_set_num_threads"):
            setter = getattr(lib, symbol, None)
            if setter is not None:
                setter(n)
                done = True
                break
    return done


@functools.lru_cache(maxsize=None)
def _axpy_function(dtype):
    """The C function ``?axpy(n, alpha, x, incx, y, incy)`` for a float32/float64 dtype, or None.

    NumPy's wheels ship OpenBLAS with 64-bit integers and prefixed names
    (``scipy_cblas_saxpy64_``); other builds export the plain CBLAS name with C ints.
    """
    if dtype == np.float32:
        letter, scalar = "s", ctypes.c_float
    elif dtype == np.float64:
        letter, scalar = "d", ctypes.c_double
    else:
        return None
    candidates = ((f"scipy_cblas_{letter}axpy64_", ctypes.c_int64),
                  (f"cblas_{letter}axpy64_", ctypes.c_int64),
                  (f"cblas_{letter}axpy", ctypes.c_int))
    for lib in loaded_libraries():
        for symbol, integer in candidates:
            function = getattr(lib, symbol, None)
            if function is not None:
                function.argtypes = [integer, scalar, ctypes.c_void_p, integer,
                                     ctypes.c_void_p, integer]
                function.restype = None
                return function
    return None


def axpy_(y, alpha, x):
    """``y += alpha * x`` in place, in one fused pass; False (nothing done) when it can't.

    Takes the BLAS path only for large C-contiguous float32/float64 arrays of one shape
    and dtype that do not partly overlap; the caller does the NumPy version otherwise.
    """
    if (y.size < AXPY_MIN_SIZE or x.shape != y.shape or x.dtype != y.dtype
            or not (y.flags.c_contiguous and x.flags.c_contiguous and y.flags.writeable)):
        return False
    function = _axpy_function(y.dtype)
    if function is None:
        return False
    x_address, y_address = x.ctypes.data, y.ctypes.data
    if x_address != y_address and np.may_share_memory(x, y):
        return False  # a shifted overlap would read elements already updated
    function(y.size, alpha, x_address, 1, y_address, 1)
    return True
