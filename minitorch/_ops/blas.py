"""Matrix products at the torch top level: matmul/@, mm, bmm, mv, dot and friends."""
import numpy as np

from .._tensor import Tensor
from ..autograd._primitive import defprim
from ._registry import promote_arrays, tensor_method

__all__ = ["matmul", "mm", "bmm", "mv", "dot"]


def _matmul_forward(a, b):
    a, b = promote_arrays(a, b)
    return np.matmul(a, b)


def _matmul_grad_a(F, g, out, a, b):
    if a.ndim == 1 and b.ndim == 1:
        return g * F.conj(b)
    if b.ndim == 1:
        return F.unsqueeze(g, -1) * F.conj(b)
    if a.ndim == 1:
        return F.sum(F.unsqueeze(g, -2) * F.conj(b), -1)
    return F.matmul(g, F.transpose(F.conj(b), -1, -2))


def _matmul_grad_b(F, g, out, a, b):
    if a.ndim == 1 and b.ndim == 1:
        return g * F.conj(a)
    if b.ndim == 1:
        return F.unsqueeze(g, -1) * F.conj(a)
    if a.ndim == 1:
        return F.unsqueeze(F.conj(a), -1) * F.unsqueeze(g, -2)
    return F.matmul(F.transpose(F.conj(a), -1, -2), g)


# torch names the node after the kernel matmul dispatches to.
_dot = defprim("dot", "DotBackward0", _matmul_forward, grads=(_matmul_grad_a, _matmul_grad_b))
_mv = defprim("mv", "MvBackward0", _matmul_forward, grads=(_matmul_grad_a, _matmul_grad_b))
_mm = defprim("mm", "MmBackward0", _matmul_forward, grads=(_matmul_grad_a, _matmul_grad_b))
_bmm = defprim("bmm", "BmmBackward0", _matmul_forward, grads=(_matmul_grad_a, _matmul_grad_b))
_matmul = defprim("matmul", "UnsafeViewBackward0", _matmul_forward,
                  grads=(_matmul_grad_a, _matmul_grad_b))


def _check_matmul_dtypes(a, b, name):
    if not isinstance(a, Tensor) or not isinstance(b, Tensor):
        raise TypeError(f"{name}(): argument 'other' (position 2) must be Tensor, not "
                        f"{type(b if isinstance(a, Tensor) else a).__name__}")
    if a.dtype is not b.dtype:
        raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: {a.dtype} != "
                           f"{b.dtype}")


def _shape_error(a, b):
    sa = "x".join(str(s) for s in a.shape)
    sb = "x".join(str(s) for s in b.shape)
    return RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({sa} and {sb})")


def matmul(input, other, *, out=None):
    """Matrix product with torch's dispatch on 1-D, 2-D and batched operands."""
    if out is not None:
        raise NotImplementedError("minitorch does not support the 'out' argument of matmul")
    _check_matmul_dtypes(input, other, "matmul")
    da, db = input.ndim, other.ndim
    if da == 0 or db == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are "
                           f"{da}D and {db}D")
    ka = input.shape[-1]
    kb = other.shape[-2] if db >= 2 else other.shape[0]
    if ka != kb:
        if da == 1 and db == 1:
            raise RuntimeError(f"inconsistent tensor size, expected tensor [{ka}] and src [{kb}] "
                               "to have the same number of elements, but got "
                               f"{ka} and {kb} elements respectively")
        if da == 2 and db == 2:
            raise _shape_error(input, other)
        if db == 1:
            raise RuntimeError(f"size mismatch, got input ({input.shape[-2]}), mat "
                               f"({input.shape[-2]}x{ka}), vec ({kb})")
        raise _shape_error(input, other)
    if da == 1 and db == 1:
        return _dot(input, other)
    if da == 2 and db == 1:
        return _mv(input, other)
    if da == 2 and db == 2:
        return _mm(input, other)
    return _matmul(input, other)


tensor_method(matmul)
Tensor.__matmul__ = matmul
Tensor.__rmatmul__ = lambda self, other: matmul(other, self)


def mm(input, mat2, *, out=None):
    """Product of two matrices (2-D only)."""
    _check_matmul_dtypes(input, mat2, "mm")
    if input.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    if input.shape[1] != mat2.shape[0]:
        raise _shape_error(input, mat2)
    return _mm(input, mat2)


tensor_method(mm)


def bmm(input, mat2, *, out=None):
    """Batched product of (b, n, m) and (b, m, p) tensors."""
    _check_matmul_dtypes(input, mat2, "bmm")
    if input.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    if input.shape[0] != mat2.shape[0] or input.shape[2] != mat2.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{input.shape[0]}, {input.shape[2]}] but got: "
                           f"[{mat2.shape[0]}, {mat2.shape[1]}].")
    return _bmm(input, mat2)


tensor_method(bmm)


def mv(input, vec, *, out=None):
    """Matrix-vector product."""
    _check_matmul_dtypes(input, vec, "mv")
    if input.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {vec.ndim}, {input.ndim}, "
                           f"{vec.ndim}")
    if input.shape[1] != vec.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({input.shape[0]}), mat "
                           f"({input.shape[0]}x{input.shape[1]}), vec ({vec.shape[0]})")
    return _mv(input, vec)


tensor_method(mv)


def dot(input, tensor, *, out=None):
    """Inner product of two 1-D tensors."""
    _check_matmul_dtypes(input, tensor, "dot")
    if input.ndim != 1 or tensor.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {tensor.ndim}D "
                           "tensors")
    if input.shape[0] != tensor.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{input.shape[0]}] and src "
                           f"[{tensor.shape[0]}] to have the same number of elements, but got "
                           f"{input.shape[0]} and {tensor.shape[0]} elements respectively")
    return _dot(input, tensor)


tensor_method(dot)
