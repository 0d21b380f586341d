"""Matrix products at the torch top level: matmul/@, mm, bmm, mv, dot and friends."""
import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd._primitive import defprim, numpy_namespace, numpy_rule_op
from ._registry import (broadcasts_to, promote_arrays, result_np_dtype, tensor_method,
                        wrap_dim)
from .pointwise import _ones_vector

__all__ = ["matmul", "mm", "bmm", "mv", "dot"]


def _matmul_forward(a, b):
    a, b = promote_arrays(a, b)
    return np.matmul(a, b)


def _is_transposed(F, x):
    """True for a NumPy matrix (stack) stored transposed, e.g. ``weight.t()`` in linear."""
    return (F is numpy_namespace and x.ndim >= 2 and not x.flags.c_contiguous
            and np.swapaxes(x, -1, -2).flags.c_contiguous)


def _product_grad_a(F, g, a, b):
    """g @ b^H, the gradient of a in a @ b, in a's memory layout.

    When a is stored transposed the product is computed as (b @ g^H)^H, so the
    gradient reaching a's base is contiguous as that base is (torch's
    mm_mat1_backward does the same); a gradient in the wrong layout would make
    every optimizer update on it walk memory with a large stride.
    """
    if _is_transposed(F, a):
        return mT(F, F.matmul(b, mT(F, g)))
    return F.matmul(g, mT(F, b))


def _product_grad_b(F, g, a, b):
    """a^H @ g, the gradient of b in a @ b, in b's memory layout (see _product_grad_a)."""
    if _is_transposed(F, b):
        return mT(F, F.matmul(mT(F, g), a))
    return F.matmul(mT(F, a), g)


def _matmul_grad_a(F, g, out, a, b):
    if a.ndim == 1 and b.ndim == 1:
        return g * F.conj(b)
    if b.ndim == 1:
        return F.unsqueeze(g, -1) * F.conj(b)
    if a.ndim == 1:
        return F.sum(F.unsqueeze(g, -2) * F.conj(b), -1)
    return _product_grad_a(F, g, a, b)


def _matmul_grad_b(F, g, out, a, b):
    if a.ndim == 1 and b.ndim == 1:
        return g * F.conj(a)
    if b.ndim == 1:
        return F.unsqueeze(g, -1) * F.conj(a)
    if a.ndim == 1:
        return F.unsqueeze(F.conj(a), -1) * F.unsqueeze(g, -2)
    return _product_grad_b(F, g, a, b)


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


# ------------------------------------------------------------ helpers for rules
def const(F, array, like):
    """A constant (identity, mask, ones) for a rule, in ``like``'s dtype.

    On the plain path it is the array; under create_graph it becomes a Tensor
    that does not require grad, so the rule's arithmetic stays Tensor-only.
    """
    if F is numpy_namespace:
        return np.asarray(array, dtype=like.dtype)
    return F.from_numpy(np.array(array, dtype=like.dtype._np))


def eye_like(F, n, like):
    """The n x n identity as a rule constant."""
    return const(F, np.eye(n), like)


def mT(F, x):
    """Conjugate transpose of the last two dims (torch's ``mH``)."""
    return F.transpose(F.conj(x), -1, -2)


def _np_einsum(equation, *operands):
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = operands[0]
    return np.einsum(equation, *operands, optimize=len(operands) > 2)


numpy_rule_op("einsum")(_np_einsum)


def _require_same_dtype(tensors, message):
    first = tensors[0].dtype
    for t in tensors[1:]:
        if t.dtype is not first:
            raise RuntimeError(message.format(first, t.dtype))


def _no_out(out, name):
    if out is not None:
        raise NotImplementedError(f"minitorch does not support the 'out' argument of {name}")


def _require_tensor(x, name, arg):
    if not isinstance(x, Tensor):
        raise TypeError(f"{name}(): argument '{arg}' must be Tensor, not {type(x).__name__}")


# ------------------------------------- beta * input + alpha * (product) family
def _scaled_sum(c, prod, beta, alpha):
    """beta * c + alpha * prod; beta == 0 ignores c (nan in c does not leak, as torch)."""
    if alpha != 1:
        prod = prod * np.asarray(alpha, dtype=prod.dtype)
    if beta == 0:
        return np.broadcast_to(prod, np.broadcast_shapes(c.shape, prod.shape)).copy()
    if beta != 1:
        c = c * np.asarray(beta, dtype=prod.dtype)
    if c.dtype == prod.dtype and broadcasts_to(c.shape, prod.shape):
        prod += c  # prod is a fresh product: add in place rather than allocate a second array
        return prod
    return (c + prod).astype(prod.dtype, copy=False)


def _input_grad(F, g, out, c, a, b, beta=1, alpha=1):
    if beta == 0:
        return g * 0
    if beta == 1 and F is numpy_namespace and _is_row_bias(c, g):
        # A Linear layer's bias: the sum of g over the batch, which the engine would
        # take with add.reduce; a product with ones (one BLAS gemv) is about twice as fast.
        return _ones_vector(g.shape[0], g.dtype) @ g
    return g if beta == 1 else g * beta


def _is_row_bias(c, g):
    """c of shape (n,) added to every row of a float32/float64 (m, n) gradient."""
    return (g.ndim == 2 and c.shape == g.shape[1:]
            and (g.dtype == np.float32 or g.dtype == np.float64))


def _scale(g, alpha):
    return g if alpha == 1 else g * alpha


_addmm = defprim(
    "addmm", "AddmmBackward0",
    lambda c, a, b, beta=1, alpha=1: _scaled_sum(c, a @ b, beta, alpha),
    grads=(_input_grad,
           lambda F, g, out, c, a, b, beta=1, alpha=1: _scale(_product_grad_a(F, g, a, b), alpha),
           lambda F, g, out, c, a, b, beta=1, alpha=1: _scale(_product_grad_b(F, g, a, b), alpha)),
    saves=(1, 2))
_addmv = defprim(
    "addmv", "AddmvBackward0",
    lambda c, a, v, beta=1, alpha=1: _scaled_sum(c, a @ v, beta, alpha),
    grads=(_input_grad,
           lambda F, g, out, c, a, v, beta=1, alpha=1:
               _scale(F.unsqueeze(g, -1) * F.unsqueeze(F.conj(v), 0), alpha),
           lambda F, g, out, c, a, v, beta=1, alpha=1: _scale(F.matmul(mT(F, a), g), alpha)),
    saves=(1, 2))
_addr = defprim(
    "addr", "AddrBackward0",
    lambda c, u, v, beta=1, alpha=1: _scaled_sum(c, np.multiply.outer(u, v), beta, alpha),
    grads=(_input_grad,
           lambda F, g, out, c, u, v, beta=1, alpha=1: _scale(F.matmul(g, F.conj(v)), alpha),
           lambda F, g, out, c, u, v, beta=1, alpha=1:
               _scale(F.matmul(F.transpose(g, 0, 1), F.conj(u)), alpha)),
    saves=(1, 2))
_baddbmm = defprim(
    "baddbmm", "BaddbmmBackward0",
    lambda c, a, b, beta=1, alpha=1: _scaled_sum(c, a @ b, beta, alpha),
    grads=(_input_grad,
           lambda F, g, out, c, a, b, beta=1, alpha=1: _scale(F.matmul(g, mT(F, b)), alpha),
           lambda F, g, out, c, a, b, beta=1, alpha=1: _scale(F.matmul(mT(F, a), g), alpha)),
    saves=(1, 2))
_addbmm = defprim(
    "addbmm", "AddbmmBackward0",
    lambda c, a, b, beta=1, alpha=1: _scaled_sum(c, (a @ b).sum(0), beta, alpha),
    grads=(_input_grad,
           lambda F, g, out, c, a, b, beta=1, alpha=1:
               _scale(F.matmul(F.unsqueeze(g, 0), mT(F, b)), alpha),
           lambda F, g, out, c, a, b, beta=1, alpha=1:
               _scale(F.matmul(mT(F, a), F.unsqueeze(g, 0)), alpha)),
    saves=(1, 2))


def _check_broadcastable(input, shape, name):
    try:
        np.broadcast_shapes(tuple(input.shape), shape)
    except ValueError:
        raise RuntimeError(f"{name}: the size of input {list(input.shape)} cannot be broadcast "
                           f"to the result size {list(shape)}") from None
    if len(input.shape) > len(shape):
        raise RuntimeError(f"{name}: input of {input.ndim} dims cannot be broadcast to the "
                           f"{len(shape)}-dim result")


def _add_product(prim, name, input, a, b, beta, alpha, out_shape):
    _require_same_dtype([input, a, b], "expected scalar type {} but found {}")
    _check_broadcastable(input, out_shape, name)
    params = {}
    if beta != 1:
        params["beta"] = beta
    if alpha != 1:
        params["alpha"] = alpha
    return prim(input, a, b, **params)


def addmm(input, mat1, mat2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * (mat1 @ mat2); input broadcasts to the product's shape."""
    _no_out(out, "addmm")
    for x, arg in ((input, "input"), (mat1, "mat1"), (mat2, "mat2")):
        _require_tensor(x, "addmm", arg)
    if mat1.ndim != 2 or mat2.ndim != 2:
        raise RuntimeError(f"mat1 must be a matrix, got {mat1.ndim}-D tensor" if mat1.ndim != 2
                           else f"mat2 must be a matrix, got {mat2.ndim}-D tensor")
    if mat1.shape[1] != mat2.shape[0]:
        raise _shape_error(mat1, mat2)
    return _add_product(_addmm, "addmm", input, mat1, mat2, beta, alpha,
                        (mat1.shape[0], mat2.shape[1]))


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * (mat @ vec)."""
    _no_out(out, "addmv")
    if mat.ndim != 2 or vec.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got {input.ndim}, {mat.ndim}, "
                           f"{vec.ndim}")
    if mat.shape[1] != vec.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({mat.shape[0]}), mat "
                           f"({mat.shape[0]}x{mat.shape[1]}), vec ({vec.shape[0]})")
    return _add_product(_addmv, "addmv", input, mat, vec, beta, alpha, (mat.shape[0],))


def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * outer(vec1, vec2)."""
    _no_out(out, "addr")
    if vec1.ndim != 1 or vec2.ndim != 1:
        raise RuntimeError(f"addr: Expected 1-D argument vec1 and vec2, but got "
                           f"{vec1.ndim}-D and {vec2.ndim}-D")
    return _add_product(_addr, "addr", input, vec1, vec2, beta, alpha,
                        (vec1.shape[0], vec2.shape[0]))


def _check_batches(batch1, batch2):
    if batch1.ndim != 3 or batch2.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor" if batch1.ndim != 3
                           else "batch2 must be a 3D tensor")
    if batch1.shape[0] != batch2.shape[0] or batch1.shape[2] != batch2.shape[1]:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{batch1.shape[0]}, {batch1.shape[2]}] but got: "
                           f"[{batch2.shape[0]}, {batch2.shape[1]}].")


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * (batch1 @ batch2), batch by batch."""
    _no_out(out, "baddbmm")
    _check_batches(batch1, batch2)
    return _add_product(_baddbmm, "baddbmm", input, batch1, batch2, beta, alpha,
                        (batch1.shape[0], batch1.shape[1], batch2.shape[2]))


def addbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None):
    """beta * input + alpha * sum over the batch of batch1[i] @ batch2[i]."""
    _no_out(out, "addbmm")
    _check_batches(batch1, batch2)
    return _add_product(_addbmm, "addbmm", input, batch1, batch2, beta, alpha,
                        (batch1.shape[1], batch2.shape[2]))


for _fn in (addmm, addmv, addr, baddbmm, addbmm):
    tensor_method(_fn, inplace=True)


# ------------------------------------------------------------------- einsum
_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _parse_einsum(equation, shapes):
    """Explicit form of an equation: (list of operand subscripts, output subscripts).

    Ellipses become fresh letters (right-aligned as in broadcasting) and an
    implicit output becomes the sorted once-used letters, as torch does.
    """
    equation = equation.replace(" ", "")
    lhs, arrow, rhs = equation.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(shapes):
        raise RuntimeError("einsum(): more operands were provided than specified in the "
                           "equation" if len(shapes) > len(terms) else
                           "einsum(): fewer operands were provided than specified in the equation")
    used = set(c for c in equation if c.isalpha())
    spare = [c for c in _LETTERS if c not in used]
    ell_dims = 0
    for term, shape in zip(terms, shapes):
        if "..." in term:
            ell_dims = max(ell_dims, len(shape) - (len(term) - 3))
    ell = "".join(spare[:ell_dims])
    explicit = []
    for term, shape in zip(terms, shapes):
        if "..." in term:
            n = len(shape) - (len(term) - 3)
            term = term.replace("...", ell[ell_dims - n:] if n else "")
        if not all(c.isalpha() for c in term):
            raise RuntimeError(f"einsum(): invalid subscript given at index in the equation "
                               f"string, subscripts must be in [a-zA-Z]: {equation!r}")
        if len(term) != len(shape):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation "
                               f"({len(term)}) does not match the number of dimensions "
                               f"({len(shape)}) for operand and no ellipsis was given")
        explicit.append(term)
    if arrow:
        out = rhs.replace("...", ell)
    else:
        counts = {}
        for term in explicit:
            for c in term:
                counts[c] = counts.get(c, 0) + 1
        # torch orders the implicit output by ASCII: upper-case labels first
        out = ell + "".join(sorted(c for c in counts if counts[c] == 1 and c not in ell))
    for c in out:
        if not any(c in t for t in explicit):
            raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation "
                               "for any input operand")
    if len(set(out)) != len(out):
        raise RuntimeError("einsum(): output subscript appears more than once in the output")
    return explicit, out


def _einsum_vjp(F, g, out, *operands, terms, output):
    """Each operand's gradient: einsum of the upstream gradient with the other operands.

    Labels an operand repeats (a diagonal) or sums away alone get an identity or
    a ones vector as an extra factor, so the result lands on the full shape.
    """
    sizes = {}
    for term, op in zip(terms, operands):
        sizes.update(zip(term, op.shape))
    grads = []
    for k, term in enumerate(terms):
        factors = [F.conj(op) for j, op in enumerate(operands) if j != k]
        subs = [t for j, t in enumerate(terms) if j != k]
        factors.insert(0, g)
        subs.insert(0, output)
        available = set("".join(subs))
        target = ""
        seen = set()
        for c in term:
            if c in seen:  # repeated label: route through a fresh letter and an identity
                fresh = next(x for x in _LETTERS if x not in available and x not in target)
                factors.append(eye_like(F, sizes[c], g))
                subs.append(c + fresh)
                available.add(fresh)
                target += fresh
                continue
            seen.add(c)
            if c not in available:  # summed in this operand only: broadcast with ones
                factors.append(const(F, np.ones(sizes[c]), g))
                subs.append(c)
                available.add(c)
            target += c
        grads.append(F.einsum(",".join(subs) + "->" + target, *factors))
    return tuple(grads)


def _einsum_forward(*operands, terms, output):
    return _np_einsum(",".join(terms) + "->" + output, *operands)


_einsum = defprim("einsum", "EinsumBackward0", _einsum_forward, vjp=_einsum_vjp)


def einsum(equation, *operands):
    """Einstein summation; any equation with ellipsis, repeated and broadcast (size-1) labels.

    The grad_fn is one EinsumBackward0 node (torch's depends on the kernel it picks).
    """
    if not isinstance(equation, str):
        raise NotImplementedError("minitorch: einsum's sublist format (operand, [dims], ...) is "
                                  "not supported; pass an equation string")
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    if not operands:
        raise RuntimeError("einsum(): must provide at least one operand")
    for op in operands:
        _require_tensor(op, "einsum", "operands")
    _require_same_dtype(list(operands), "expected scalar type {} but found {}")
    terms, output = _parse_einsum(equation, [op.shape for op in operands])
    sizes = {}
    for term, op in zip(terms, operands):
        for c, n in zip(term, op.shape):
            if sizes.get(c, 1) not in (1, n) and n != 1:
                raise RuntimeError(f"einsum(): operands do not broadcast with remapped shapes "
                                   f"(original->remapped): subscript {c} has size {n} for one "
                                   f"operand and {sizes[c]} for another")
            if n != 1 or c not in sizes:
                sizes[c] = n
    # Size-1 dims broadcast against the other operands: expand them (differentiably) first.
    expanded = []
    for term, op in zip(terms, operands):
        want = tuple(sizes[c] for c in term)
        if len(set(term)) == len(term) and tuple(op.shape) != want:
            op = op.expand(*want)
        expanded.append(op)
    return _einsum(*expanded, terms=tuple(terms), output=output)


# ------------------------------------------------------- products built on top
def outer(input, vec2, *, out=None):
    """Outer product of two vectors (promotes dtypes, as torch's mul)."""
    _no_out(out, "outer")
    if input.ndim != 1 or vec2.ndim != 1:
        raise RuntimeError(f"outer: Expected 1-D argument self and vec2, but got "
                           f"{input.ndim}-D and {vec2.ndim}-D")
    return input.reshape(-1, 1) * vec2


ger = outer


def inner(input, other, *, out=None):
    """Sum of products over the last dims (a scalar times a tensor for 0-d operands)."""
    _no_out(out, "inner")
    if input.ndim == 0 or other.ndim == 0:
        return input * other
    if input.shape[-1] != other.shape[-1]:
        raise RuntimeError(f"inner() the last dimension must match on both input tensors but "
                           f"got shapes {list(input.shape)} and {list(other.shape)}")
    _require_same_dtype([input, other], "both inputs should have same dtype, got {} and {}")
    return tensordot(input, other, dims=([-1], [-1]))


def tensordot(a, b, dims=2, out=None):
    """Contract ``dims`` (an int: last of a with first of b; or two lists of dims)."""
    _no_out(out, "tensordot")
    _require_same_dtype([a, b], "both inputs should have same dtype, got {} and {}")
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, (int, np.integer)):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.ndim, b.ndim):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        dims_a = list(range(a.ndim - dims, a.ndim))
        dims_b = list(range(dims))
    else:
        dims_a, dims_b = dims
        dims_a = [dims_a] if isinstance(dims_a, int) else list(dims_a)
        dims_b = [dims_b] if isinstance(dims_b, int) else list(dims_b)
        if len(dims_a) != len(dims_b):
            raise RuntimeError("both dimension lists should have same length")
        dims_a = [wrap_dim(d, a.ndim) for d in dims_a]
        dims_b = [wrap_dim(d, b.ndim) for d in dims_b]
    for da, db in zip(dims_a, dims_b):
        if a.shape[da] != b.shape[db] and a.shape[da] != 1 and b.shape[db] != 1:
            raise RuntimeError(f"contracted dimensions need to match, but first has size "
                               f"{a.shape[da]} in dim {da} and second has size {b.shape[db]} "
                               f"in dim {db}")
    letters = iter(_LETTERS)
    sa = [next(letters) for _ in range(a.ndim)]
    sb = [next(letters) for _ in range(b.ndim)]
    for da, db in zip(dims_a, dims_b):
        sb[db] = sa[da]
    out_subs = [c for i, c in enumerate(sa) if i not in dims_a] + \
               [c for i, c in enumerate(sb) if i not in dims_b]
    return einsum("".join(sa) + "," + "".join(sb) + "->" + "".join(out_subs), a, b)


def kron(input, other, *, out=None):
    """Kronecker product (the lower-dimensional operand gets leading 1 dims)."""
    _no_out(out, "kron")
    # kron promotes like two dimensioned tensors, even for 0-d operands
    dt = _dtype.promote_types(input.dtype, other.dtype)
    a, b = input.to(dt), other.to(dt)
    nd = max(a.ndim, b.ndim)
    a = a.reshape((1,) * (nd - a.ndim) + tuple(a.shape))
    b = b.reshape((1,) * (nd - b.ndim) + tuple(b.shape))
    sa, sb = _LETTERS[:nd], _LETTERS[nd:2 * nd]
    interleaved = "".join(x + y for x, y in zip(sa, sb))
    prod = einsum(f"{sa},{sb}->{interleaved}", a, b)
    return prod.reshape(tuple(m * n for m, n in zip(a.shape, b.shape)))


def vdot(input, other, *, out=None):
    """sum(conj(input) * other) of two 1-D tensors."""
    _no_out(out, "vdot")
    if input.ndim != 1 or other.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {input.ndim}D and {other.ndim}D "
                           "tensors")
    if input.dtype is not other.dtype:
        raise RuntimeError(f"vdot : expected both vectors to have same dtype, but found "
                           f"{input.dtype} and {other.dtype}")
    if input.shape[0] != other.shape[0]:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{input.shape[0]}] and src "
                           f"[{other.shape[0]}] to have the same number of elements, but got "
                           f"{input.shape[0]} and {other.shape[0]} elements respectively")
    return _vdot(input, other)


_vdot = defprim("vdot", "VdotBackward0", lambda a, b: np.vdot(a, b).astype(a.dtype),
                grads=(lambda F, g, out, a, b: F.conj(g) * b,
                       lambda F, g, out, a, b: g * a))


def _cross_forward(a, b, dim):
    return np.cross(a, b, axis=dim)


_cross = defprim("linalg_cross", "LinalgCrossBackward0", _cross_forward,
                 grads=(lambda F, g, out, a, b, dim: F.linalg.cross(b, g, dim=dim),
                        lambda F, g, out, a, b, dim: F.linalg.cross(g, a, dim=dim)))


def cross(input, other, dim=None, *, out=None):
    """Cross product of 3-vectors along ``dim`` (default: the first dim of size 3)."""
    _no_out(out, "cross")
    if dim is None:
        shape = np.broadcast_shapes(tuple(input.shape), tuple(other.shape))
        dim = next((i for i, n in enumerate(shape) if n == 3), None)
        if dim is None:
            raise RuntimeError("no dimension of size 3 in input")
    from ..linalg import cross as linalg_cross
    return linalg_cross(input, other, dim=dim)


def _trace_grad(F, g, out, x):
    n, m = x.shape
    return g * const(F, np.eye(n, m), g)


_trace = defprim("trace", "TraceBackward0", lambda x: np.asarray(np.trace(x)),
                 grads=(_trace_grad,), saves=())


def trace(input):
    """Sum of the main diagonal of a 2-D tensor (integers sum to int64, as torch)."""
    if input.ndim != 2:
        raise RuntimeError(f"trace: expected a matrix, but got tensor with dim {input.ndim}")
    if input.dtype.is_floating_point or input.dtype.is_complex:
        return _trace(input)
    return _trace(input.to(_dtype.int64))


def chain_matmul(*matrices, out=None):
    """Product of 2-D matrices left to right (deprecated in torch for linalg.multi_dot)."""
    _no_out(out, "chain_matmul")
    if len(matrices) == 1 and isinstance(matrices[0], (list, tuple)):
        matrices = tuple(matrices[0])
    if not matrices:
        raise RuntimeError("chain_matmul(): Expected one or more matrices")
    for m in matrices:
        if m.ndim != 2:
            raise RuntimeError(f"Tensor dimension is {m.ndim}, expected 2 instead.")
    if len(matrices) == 1:
        return matrices[0].clone()
    from ..linalg import multi_dot
    return multi_dot(matrices)


def _block_diag_forward(*arrays):
    dt = result_np_dtype(*arrays) if arrays else np.dtype(np.float32)
    mats = [a.reshape(1, -1) if a.ndim < 2 else a for a in arrays]
    rows = sum(m.shape[0] for m in mats)
    cols = sum(m.shape[1] for m in mats)
    out = np.zeros((rows, cols), dtype=dt)
    r = c = 0
    for m in mats:
        out[r:r + m.shape[0], c:c + m.shape[1]] = m
        r += m.shape[0]
        c += m.shape[1]
    return out


def _block_diag_vjp(F, g, out, *arrays):
    grads = []
    r = c = 0
    for a in arrays:
        rows, cols = (1, a.shape[0] if a.ndim else 1) if a.ndim < 2 else a.shape
        grads.append(F.reshape(g[r:r + rows, c:c + cols], a.shape))
        r += rows
        c += cols
    return tuple(grads)


_block_diag = defprim("block_diag", "BlockDiagBackward0", _block_diag_forward,
                      vjp=_block_diag_vjp, saves=())


def block_diag(*tensors):
    """Block-diagonal matrix of 0-, 1- and 2-D tensors (dtypes promote, as torch)."""
    for t in tensors:
        if t.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer "
                               f"dimensions. Input {tensors.index(t)} has {t.ndim} dimensions")
    if not tensors:
        from .. import empty
        return empty(1, 0)
    return _block_diag(*tensors)


# ----------------------------------------------------------------------- cdist
def _cdist_forward(x, y, p):
    diff = np.abs(x[..., :, None, :] - y[..., None, :, :])
    if p == 0:
        return (diff != 0).sum(-1).astype(x.dtype)
    if p == np.inf:
        return diff.max(-1, initial=0).astype(x.dtype, copy=False)
    if p == 2:
        return np.sqrt(np.einsum("...k,...k->...", diff, diff))
    if p == 1:
        return diff.sum(-1)
    return (diff ** p).sum(-1) ** (1.0 / p)


def _cdist_vjp(F, g, out, x, y, p):
    """Gradient of each distance along (x_i - y_j), then summed over the other set."""
    diff = F.unsqueeze(x, -2) - F.unsqueeze(y, -3)
    d = F.unsqueeze(out, -1)
    nonzero = d != 0
    safe_d = d + (d == 0)
    sgn = F.sign(diff)
    if p == 0:
        w = diff * 0
    elif p == 1:
        w = sgn
    elif p == 2:
        w = diff / safe_d * nonzero
    elif p == np.inf:
        w = sgn * ((sgn * diff) == d) * nonzero
    else:
        w = sgn * (sgn * diff) ** (p - 1) / safe_d ** (p - 1) * nonzero
    w = w * F.unsqueeze(g, -1)
    return F.sum(w, -2), -F.sum(w, -3)


_cdist = defprim("cdist", "CdistBackward0", _cdist_forward, vjp=_cdist_vjp, save_output=True)


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """p-norm distances between the rows of x1 (..., P, M) and x2 (..., R, M).

    Always computes directly (no matrix-multiply shortcut); compute_mode is checked only.
    """
    if compute_mode not in ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
                            "donot_use_mm_for_euclid_dist"):
        raise ValueError(f"{compute_mode} is not a valid value for compute_mode")
    if x1.ndim < 2 or x2.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X{1 if x1.ndim < 2 else 2} "
                           f"got: {min(x1.ndim, x2.ndim)}D")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                           f"{x1.shape[-1]} X2: {x2.shape[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    if not x1.dtype.is_floating_point or not x2.dtype.is_floating_point:
        raise RuntimeError(f"cdist only supports floating-point dtypes, X1 got: {x1.dtype}")
    _require_same_dtype([x1, x2], "expected scalar type {} but found {}")
    return _cdist(x1, x2, p=float(p))


# ---------------------------------------------- top-level linalg aliases (lazy)
def det(input):
    """Determinant of square matrices (batched); same as linalg.det."""
    from .. import linalg
    return linalg.det(input)


def logdet(input):
    """log(det(input)); nan for a negative determinant, -inf for a singular matrix."""
    from .. import linalg
    return linalg._logdet(input)


def slogdet(input):
    """(sign, logabsdet); same as linalg.slogdet."""
    from .. import linalg
    return linalg.slogdet(input)


def inverse(input, *, out=None):
    """Inverse of square matrices; same as linalg.inv."""
    _no_out(out, "inverse")
    from .. import linalg
    return linalg.inv(input)


def pinverse(input, rcond=1e-15):
    """Pseudo-inverse with the relative cutoff ``rcond``; same as linalg.pinv(rtol=rcond)."""
    from .. import linalg
    return linalg.pinv(input, rtol=rcond)


def matrix_power(input, n):
    """input multiplied by itself n times (n < 0 uses the inverse); same as linalg.matrix_power."""
    from .. import linalg
    return linalg.matrix_power(input, n)


def svd(input, some=True, compute_uv=True, *, out=None):
    """The old SVD API: (U, S, V) with V not transposed; some=False gives full U and V."""
    _no_out(out, "svd")
    from .. import linalg
    return linalg._old_svd(input, some, compute_uv)


def qr(input, some=True, *, out=None):
    """The old QR API: some=True is mode 'reduced', some=False 'complete'."""
    _no_out(out, "qr")
    from .. import linalg
    return linalg.qr(input, mode="reduced" if some else "complete")


def cholesky_solve(input, input2, upper=False, *, out=None):
    """Solve A X = input given A's Cholesky factor input2 (lower unless upper=True)."""
    _no_out(out, "cholesky_solve")
    from .. import linalg
    return linalg._cholesky_solve(input, input2, upper)


def cholesky_inverse(input, upper=False, *, out=None):
    """Inverse of A from its Cholesky factor."""
    _no_out(out, "cholesky_inverse")
    from .. import linalg
    return linalg._cholesky_inverse(input, upper)


def cholesky(input, upper=False, *, out=None):
    """Deprecated torch.cholesky: linalg.cholesky(input, upper=upper)."""
    _no_out(out, "cholesky")
    from .. import linalg
    return linalg.cholesky(input, upper=upper)


def matrix_exp(input):
    """Matrix exponential; same as linalg.matrix_exp."""
    from .. import linalg
    return linalg.matrix_exp(input)


def orgqr(input, tau):
    """Q from geqrf's Householder form; same as linalg.householder_product."""
    from .. import linalg
    return linalg.householder_product(input, tau)


for _fn in (outer, ger, inner, kron, vdot, cross, trace, det, logdet, slogdet, inverse,
            pinverse, matrix_power, svd, qr, cholesky_solve, cholesky_inverse, cholesky,
            matrix_exp, orgqr):
    tensor_method(_fn)


__all__ += ["addmm", "addmv", "addr", "baddbmm", "addbmm", "einsum", "outer", "ger", "inner",
            "tensordot", "kron", "vdot", "cross", "trace", "chain_matmul", "block_diag", "cdist",
            "det", "logdet", "slogdet", "inverse", "pinverse", "matrix_power", "svd", "qr",
            "cholesky_solve", "cholesky_inverse", "cholesky", "matrix_exp", "orgqr"]
