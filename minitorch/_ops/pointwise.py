"""Pointwise ops: arithmetic, comparisons, math functions, each with its backward rule.

Binary forwards first cast both arrays to torch's result dtype
(``promote_arrays``), because NumPy's own promotion differs from torch's.
"""
import builtins  # this module shadows sum, abs, pow and round
import collections
import functools
import math

import numpy as np
import scipy.special as _sp

from .. import _dtype, _openblas
from .._quiet import quiet
from .._tensor import Tensor, _check_no_partial_overlap
from ..autograd._primitive import defprim, numpy_namespace, numpy_rule_op
from ._registry import (add_inplace_variant, as_tensor_operand, binary_operands,
                        fast_inplace_operand, promote_arrays, result_np_dtype, scalar_tensor, tensor_method)

__all__ = ["add", "sub", "subtract", "rsub", "mul", "multiply", "div", "divide", "true_divide",
           "neg", "negative", "pow", "exp", "log", "sqrt", "abs", "absolute", "sigmoid",
           "tanh", "relu", "conj", "clone", "where", "eq", "ne", "lt", "le", "gt", "ge",
           "greater", "greater_equal", "less", "less_equal", "not_equal", "equal", "sign",
           "square", "reciprocal", "positive"]


def _quiet(fn):
    """Run a NumPy forward without floating-point warnings (torch returns inf/nan silently).

    A per-call error state (see ``minitorch._quiet``) rather than a global warnings
    filter: filters are reset by ``warnings.catch_warnings`` (pytest wraps every test
    in one), the error state is not.
    """
    return quiet(fn)


# ----------------------------------------------------------------- numpy twins
# Names used by backward rules; on create_graph the minitorch function of the
# same name is used instead.
@numpy_rule_op()
def conj(x):
    return x.conj() if x.dtype.kind == "c" else x


numpy_rule_op("where")(np.where)
numpy_rule_op("log")(_quiet(np.log))
numpy_rule_op("exp")(np.exp)
numpy_rule_op("sqrt")(_quiet(np.sqrt))


@numpy_rule_op("reshape")
def _reshape_np(x, shape):
    # The ndarray method skips np.reshape's Python wrapper; other values (NumPy
    # scalars from summed gradients, Python numbers) take the wrapper.
    return x.reshape(shape) if type(x) is np.ndarray else np.reshape(x, shape)


@numpy_rule_op("broadcast_to")
def _broadcast_to_np(x, shape):
    """np.broadcast_to: the same read-only view, built directly when that is easy.

    NumPy's version constructs an nditer, which costs microseconds; reduction
    gradients broadcast on every backward. For a C-contiguous array the view is an
    ndarray over the same memory with stride 0 along each new leading dim and each
    size-1 dim (exactly the strides NumPy's version gives). Anything else, including
    shapes that do not broadcast (NumPy raises), goes to NumPy.
    """
    shape = tuple(shape)
    lead = len(shape) - x.ndim if type(x) is np.ndarray else -1
    if lead >= 0 and x.flags.c_contiguous:
        strides = []
        for n, m, stride in zip((1,) * lead + x.shape, shape, (0,) * lead + x.strides):
            if n == 1 and m >= 0:
                strides.append(0)
            elif n == m:
                strides.append(stride)
            else:
                return np.broadcast_to(x, shape)
        view = np.ndarray(shape, x.dtype, x, 0, tuple(strides))
        view.flags.writeable = False
        return view
    return np.broadcast_to(x, shape)


numpy_rule_op("matmul")(np.matmul)
numpy_rule_op("zeros_like")(np.zeros_like)
numpy_rule_op("ones_like")(np.ones_like)


# Backward rules run these on every backward, on small arrays as often as not, so
# ndarrays skip NumPy's Python-level wrappers (np.sum, np.swapaxes, np.expand_dims)
# for the ufunc method or ndarray method those wrappers end up calling.
@numpy_rule_op()
def sum(x, dim=None, keepdim=False):
    if type(x) is np.ndarray:
        return np.add.reduce(x, axis=dim, keepdims=keepdim)
    return np.sum(x, axis=dim, keepdims=keepdim)


@numpy_rule_op()
def unsqueeze(x, dim):
    if type(x) is np.ndarray and type(dim) is int and -x.ndim - 1 <= dim <= x.ndim:
        if dim < 0:
            dim += x.ndim + 1
        return x.reshape(x.shape[:dim] + (1,) + x.shape[dim:])
    return np.expand_dims(x, dim)


@numpy_rule_op()
def transpose(x, dim0, dim1):
    if type(x) is np.ndarray:
        return x.swapaxes(dim0, dim1)
    return np.swapaxes(x, dim0, dim1)


@numpy_rule_op()
def sum_to_size(x, *size):
    from ..autograd._primitive import sum_to_shape
    shape = tuple(size[0]) if len(size) == 1 and not isinstance(size[0], int) else size
    return sum_to_shape(x, shape)


# ------------------------------------------------------------------ arithmetic
# (Binary forwards test for equal dtypes before calling promote_arrays: the usual
# case, and these run on every arithmetic operator.)
def _add_forward(a, b, alpha=1):
    if a.dtype is not b.dtype:
        a, b = promote_arrays(a, b)
    return a + b if alpha == 1 else a + alpha * b


def _sub_forward(a, b, alpha=1):
    if a.dtype is not b.dtype:
        a, b = promote_arrays(a, b)
    return a - b if alpha == 1 else a - alpha * b


def _mul_forward(a, b):
    if a.dtype is not b.dtype:
        a, b = promote_arrays(a, b)
    return np.multiply(a, b)


_add = defprim("add", "AddBackward0", _add_forward, grads=(
    lambda F, g, out, a, b, alpha=1: g,
    lambda F, g, out, a, b, alpha=1: g if alpha == 1 else g * alpha), saves=())
_sub = defprim("sub", "SubBackward0", _sub_forward, grads=(
    lambda F, g, out, a, b, alpha=1: g,
    lambda F, g, out, a, b, alpha=1: -g if alpha == 1 else -g * alpha), saves=())
_rsub = defprim("rsub", "RsubBackward1",
                lambda a, b, alpha=1: _sub_forward(b, a, alpha), grads=(
                    lambda F, g, out, a, b, alpha=1: -g if alpha == 1 else -g * alpha,
                    lambda F, g, out, a, b, alpha=1: g), saves=())
_mul = defprim("mul", "MulBackward0", _mul_forward, grads=(
    lambda F, g, out, a, b: g * F.conj(b),
    lambda F, g, out, a, b: g * F.conj(a)))
_div = defprim("div", "DivBackward0", lambda a, b: _true_div_forward(a, b),
               grads=(lambda F, g, out, a, b: g / F.conj(b),
                      lambda F, g, out, a, b: -g * F.conj(a / (b * b))))


def _div_rounding(a, b, rounding_mode):
    a, b = promote_arrays(a, b)
    if a.dtype.kind in "biu":
        if np.any(b == 0):
            raise RuntimeError("ZeroDivisionError")
        if rounding_mode == "floor":
            return np.floor_divide(a, b)
        q = np.abs(a) // np.abs(b)
        return np.where((a < 0) != (b < 0), -q, q).astype(a.dtype)
    q = np.true_divide(a, b)
    return np.floor(q) if rounding_mode == "floor" else np.trunc(q)


_div_mode = defprim("div_rounding", "DivBackward2", _quiet(_div_rounding), grads=(
    lambda F, g, out, a, b, rounding_mode: g * 0,
    lambda F, g, out, a, b, rounding_mode: g * 0), saves=())


def add(input, other, *, alpha=1, out=None):
    """input + alpha * other, with torch's type promotion."""
    if out is not None:
        _no_out(out)
    a, b = binary_operands(input, other)
    return _add(a, b, alpha=alpha) if alpha != 1 else _add(a, b)


def sub(input, other, *, alpha=1, out=None):
    """input - alpha * other."""
    if out is not None:
        _no_out(out)
    _check_bool_subtraction(input, other)
    a, b = binary_operands(input, other)
    return _sub(a, b, alpha=alpha) if alpha != 1 else _sub(a, b)


def _is_bool(x):
    """A bool tensor, or a Python bool (which torch wraps as a bool tensor; not np.bool_)."""
    return x._data.dtype.kind == "b" if isinstance(x, Tensor) else isinstance(x, bool)


def _check_bool_subtraction(input, other):
    """torch refuses bool operands in subtraction, with a hint for each case."""
    if _is_bool(input) or _is_bool(other):
        if _is_bool(input) and _is_bool(other):
            raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                               "supported. Use the `^` or `logical_xor()` operator instead.")
        raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. "
                           "If you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")


subtract = sub


def rsub(input, other, *, alpha=1):
    """other - alpha * input."""
    _check_bool_subtraction(input, other)
    a, b = binary_operands(input, other)
    return _rsub(a, b, alpha=alpha) if alpha != 1 else _rsub(a, b)


def mul(input, other, *, out=None):
    """Elementwise product."""
    if out is not None:
        _no_out(out)
    return _mul(*binary_operands(input, other))


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    """True division (integers promote to the default float dtype), or 'trunc'/'floor'."""
    if out is not None:
        _no_out(out)
    if rounding_mode is None:
        return _div(*binary_operands(input, other, promote_int_to_float=True))
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError("div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                           f"but found '{rounding_mode}'")
    return _div_mode(*binary_operands(input, other), rounding_mode=rounding_mode)


divide = div


def true_divide(input, other):
    return div(input, other)


def _no_out(out):
    if out is not None:
        raise NotImplementedError("minitorch does not support the 'out' argument; assign the "
                                  "result instead")


@_quiet
def _true_div_forward(a, b):
    if a.dtype is b.dtype and a.dtype.kind in "fc":
        return np.true_divide(a, b)  # nothing to promote
    dt = result_np_dtype(a, b)
    if dt.kind in "biu":
        dt = _dtype.get_default_dtype()._np
    return np.true_divide(a.astype(dt, copy=False), b.astype(dt, copy=False))


_neg = defprim("neg", "NegBackward0", np.negative,
               grads=(lambda F, g, out, x: -g,), saves=())


def neg(input):
    """-input (not defined for bool tensors, as torch)."""
    if input.dtype is _dtype.bool:
        raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If "
                           "you are trying to invert a mask, use the `~` or `logical_not()` "
                           "operator instead.")
    return _neg(input)


negative = neg


def positive(input):
    if input.dtype is _dtype.bool:
        raise RuntimeError("The `+` operator, on a bool tensor is not supported.")
    return input


# ------------------------------------------------------------------------ pow
def _pow_tensor_grad_base(F, g, out, a, b):
    return g * F.where(b == 0, 0.0, b * F.conj(a ** (b - 1)))


def _pow_tensor_grad_exp(F, g, out, a, b):
    return g * F.conj(F.where((a == 0) & (b >= 0), 0.0, out * F.log(a)))


@_quiet
def _pow_forward(a, b):
    a, b = promote_arrays(a, b)
    if a.dtype.kind in "iu" and np.any(b < 0):
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    return np.power(a, b)


_pow_tt = defprim("pow", "PowBackward1", _pow_forward,
                  grads=(_pow_tensor_grad_base, _pow_tensor_grad_exp), save_output=True)


_quiet_power = _quiet(np.power)


def _pow_scalar_forward(x, exponent):
    if x.dtype.kind in "biu" and isinstance(exponent, float):
        x = x.astype(_dtype.get_default_dtype()._np)
    if x.dtype.kind in "iu" and isinstance(exponent, int) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    result = _quiet_power(x, exponent)
    return result.astype(x.dtype, copy=False) if x.dtype.kind != "b" else result


def _pow_scalar_grad(F, g, out, x, exponent):
    if exponent == 0:
        return g * 0
    return g * (exponent * F.conj(x ** (exponent - 1)))


_pow_ts = defprim("pow_scalar", "PowBackward0", _pow_scalar_forward,
                  grads=(_pow_scalar_grad,))


def _rpow_forward(x, base):
    # The Python-number base is a weak scalar, even next to a 0-d exponent tensor.
    dt = _dtype.result_type(Tensor._make(x), base)._np
    with np.errstate(all="ignore"):
        return np.power(np.asarray(base, dtype=dt), x.astype(dt, copy=False))


_pow_st = defprim("pow_scalar_base", "PowBackward2", _rpow_forward, grads=(
    lambda F, g, out, x, base: g * F.conj(out * np.log(base) if base != 0 else out * 0),),
    save_output=True, saves=())


def pow(input, exponent, *, out=None):
    """input ** exponent for tensor/scalar combinations, torch's promotion and grad rules."""
    _no_out(out)
    if isinstance(input, Tensor) and isinstance(exponent, Tensor):
        return _pow_tt(input, exponent)
    if isinstance(input, Tensor):
        if isinstance(exponent, (bool, np.bool_)):
            exponent = int(exponent)
        if isinstance(exponent, (np.integer, np.floating)):
            exponent = exponent.item()
        if isinstance(exponent, complex):
            return _pow_tt(*binary_operands(input, exponent))
        return _pow_ts(input, exponent=exponent)
    if isinstance(input, (np.integer, np.floating)):
        input = input.item()
    return _pow_st(exponent, base=input)


# ------------------------------------------------------------- unary math core
def _unary(name, node_name, forward, rule, save_output=False, saves=None, method=True,
           inplace=True, float_only=True, doc=None):
    """Declare a unary primitive and its public function (and Tensor methods)."""
    prim = defprim(name, node_name, _quiet(forward) if float_only else forward,
                   grads=(rule,), save_output=save_output, saves=saves)

    def op(input, *, out=None):
        if out is not None:
            _no_out(out)
        if float_only and input._data.dtype.kind in "biu":
            input = _to_dtype(input, _dtype.get_default_dtype())
        return prim(input)
    op.__name__ = name
    op.__qualname__ = name
    op.__doc__ = doc or (f"torch.{name}, elementwise" + (
        "; integer and bool inputs give the default float dtype." if float_only else "."))
    if method:
        tensor_method(op, name=name, inplace=inplace)
    return op


exp = _unary("exp", "ExpBackward0", np.exp, lambda F, g, out, x: g * F.conj(out),
             save_output=True, saves=())
log = _unary("log", "LogBackward0", np.log, lambda F, g, out, x: g / F.conj(x))
sqrt = _unary("sqrt", "SqrtBackward0", np.sqrt, lambda F, g, out, x: g / (2 * F.conj(out)),
              save_output=True, saves=())
sigmoid = _unary("sigmoid", "SigmoidBackward0", lambda x: _sigmoid_np(x),
                 lambda F, g, out, x: g * F.conj(out * (1 - out)), save_output=True, saves=())
tanh = _unary("tanh", "TanhBackward0", np.tanh,
              lambda F, g, out, x: g * F.conj(1 - out * out), save_output=True, saves=())
abs = _unary("abs", "AbsBackward0", np.abs, lambda F, g, out, x: g * F.sgn(x), float_only=False)
absolute = abs


def _relu_grad(F, g, out, x):
    # torch's threshold_backward zeroes g where out <= 0 and passes it elsewhere,
    # NaN outputs included (so not simply where out > 0)
    passes = ~(out <= 0)
    if type(g) is np.ndarray and g.dtype.kind == "f" and g.dtype == out.dtype:
        # The mask made float first and then multiplied in place: two cheap passes,
        # where g * mask casts the bool mask through NumPy's buffers (twice as slow).
        grad = passes.astype(g.dtype)
        grad *= g
        return grad
    return g * passes


relu = _unary("relu", "ReluBackward0", lambda x: np.maximum(x, 0).astype(x.dtype, copy=False),
              _relu_grad, save_output=True, saves=(), float_only=False)


def _sigmoid_np(x):
    if x.dtype.kind == "c":
        return 1 / (1 + np.exp(-x))
    # Stable for large |x|: exp of a non-positive number only.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


# ---------------------------------------------------------------- conversions
def _to_dtype_forward(x, dtype):
    return x.astype(dtype._np)


_to_copy = defprim("to_dtype", "ToCopyBackward0", _to_dtype_forward,
                   grads=(lambda F, g, out, x, dtype: g,), saves=())


def _to_dtype(input, dtype):
    return _to_copy(input, dtype=dtype)


_clone = defprim("clone", "CloneBackward0", lambda x: x.copy(),
                 grads=(lambda F, g, out, x: g,), saves=())


def clone(input, *, memory_format=None):
    """A copy with its own storage that stays in the graph."""
    return _clone(input)


tensor_method(clone)


def _conj_forward(x):
    return x.conj()


_conj = defprim("conj", "ConjBackward0", _conj_forward,
                grads=(lambda F, g, out, x: F.conj(g),), saves=())


def conj(input):
    """Complex conjugate; real tensors are returned unchanged (as torch)."""
    if input._data.dtype.kind != "c":
        return input
    return _conj(input)


tensor_method(conj)


# ----------------------------------------------------------------- selection
def _where_forward(cond, a, b):
    a, b = promote_arrays(a, b)
    return np.where(cond, a, b)


_where = defprim("where", "WhereBackward0", _where_forward, grads=(
    None,
    lambda F, g, out, cond, a, b: F.where(cond, g, 0.0),
    lambda F, g, out, cond, a, b: F.where(cond, 0.0, g)), saves=(0,))


def where(condition, input=None, other=None, *, out=None):
    """Elements of input where condition holds, else other; ``where(cond)`` is nonzero()."""
    _no_out(out)
    if input is None and other is None:
        from .indexing import nonzero
        return nonzero(condition, as_tuple=True)
    if condition.dtype is not _dtype.bool:
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor "
                           f"with dtype {_TITLE(condition.dtype)}")
    a, b = binary_operands(input, other)
    return _where(condition, a, b)


def _where_method(self, condition, other):
    return where(condition, self, other)


Tensor.where = _where_method


def _TITLE(d):
    from .._tensor import _TYPE_TITLES
    return _TYPE_TITLES[d]


# ----------------------------------------------------------------- comparison
def _comparison(name, np_fn):
    prim = defprim(name, name.capitalize() + "Backward0",
                   lambda a, b: np_fn(*promote_arrays(a, b)))

    def compare(input, other, *, out=None):
        _no_out(out)
        return prim(*binary_operands(input, other))
    compare.__name__ = name
    tensor_method(compare, name=name, inplace=False)
    return compare


eq = _comparison("eq", np.equal)
ne = _comparison("ne", np.not_equal)
lt = _comparison("lt", np.less)
le = _comparison("le", np.less_equal)
gt = _comparison("gt", np.greater)
ge = _comparison("ge", np.greater_equal)
greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne
for _alias, _fn in (("greater", gt), ("greater_equal", ge), ("less", lt),
                    ("less_equal", le), ("not_equal", ne)):
    setattr(Tensor, _alias, _fn)


def _comparison_inplace(name, fn):
    def method_(self, other):
        if isinstance(other, Tensor):
            _check_no_partial_overlap(self, other)
        result = fn(self, other)
        return self._inplace(lambda s, r: r.to(s.dtype), result)
    setattr(Tensor, name + "_", method_)


for _name, _fn in (("eq", eq), ("ne", ne), ("lt", lt), ("le", le), ("gt", gt), ("ge", ge)):
    _comparison_inplace(_name, _fn)


def equal(input, other):
    """True when both tensors have the same shape and elements."""
    return input.shape == other.shape and bool(np.array_equal(input._data, other._data))


tensor_method(equal)


# ------------------------------------------------------- methods and operators
for _name, _fn in (("add", add), ("sub", sub), ("subtract", sub), ("mul", mul),
                   ("multiply", mul), ("div", div), ("divide", div),
                   ("true_divide", true_divide), ("neg", neg), ("negative", neg),
                   ("pow", pow), ("absolute", abs)):
    tensor_method(_fn, name=_name, inplace=True)
Tensor.positive = positive


def _reflected(fn):
    def method(self, other):
        return fn(other, self)
    return method


def _float_operator(prim, general):
    """``Tensor.__op__`` for an arithmetic operator: two tensors of one floating dtype go
    straight to the primitive (nothing to promote, check or convert: the usual case in
    model code); anything else takes the public function's full path."""
    def operator(self, other):
        if isinstance(other, Tensor):
            a, b = self._data.dtype, other._data.dtype
            if a is b and a.kind == "f":
                return prim(self, other)
        return general(self, other)
    operator.__name__ = general.__name__
    return operator


Tensor.__add__ = _float_operator(_add, add)
Tensor.__radd__ = add
Tensor.__iadd__ = Tensor.add_
Tensor.__sub__ = _float_operator(_sub, sub)
Tensor.__rsub__ = lambda self, other: rsub(self, other)
Tensor.__isub__ = Tensor.sub_
Tensor.__mul__ = _float_operator(_mul, mul)
Tensor.__rmul__ = mul
Tensor.__imul__ = Tensor.mul_
Tensor.__truediv__ = _float_operator(_div, div)
Tensor.__rtruediv__ = lambda self, other: mul(reciprocal(self), other)
Tensor.__itruediv__ = Tensor.div_
Tensor.__pow__ = pow
Tensor.__rpow__ = _reflected(pow)
Tensor.__ipow__ = Tensor.pow_
Tensor.__neg__ = neg
Tensor.__pos__ = positive
Tensor.__abs__ = abs
Tensor.__eq__ = eq
Tensor.__ne__ = ne
Tensor.__lt__ = lt
Tensor.__le__ = le
Tensor.__gt__ = gt
Tensor.__ge__ = ge
Tensor.__hash__ = lambda self: id(self)
Tensor.rsub = rsub


# =============================================================================
# The rest of torch's pointwise ops. Each section declares its primitives (NumPy
# forward + backward rules), then the public functions with torch's signatures.
# =============================================================================
_LN2 = math.log(2.0)
_LN10 = math.log(10.0)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _keep_dtype(fn):
    """A SciPy forward that returns the input's dtype (some SciPy loops answer in float64)."""
    def forward(x, *args, **kwargs):
        return np.asarray(fn(x, *args, **kwargs)).astype(x.dtype, copy=False)
    forward.__name__ = getattr(fn, "__name__", "forward")
    return forward


def _kind_error(op_name, dtype):
    """torch's error for an op with no kernel for this dtype."""
    return NotImplementedError(f'"{op_name}" not implemented for \'{_TITLE(dtype)}\'')


def _require_tensor(x, fn_name, arg_name, position):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn_name}(): argument '{arg_name}' (position {position}) must be "
                        f"Tensor, not {type(x).__name__}")


def _default_float_np():
    return _dtype.get_default_dtype()._np


def _float_arrays(*arrays):
    """Promote arrays to torch's result dtype, integers and bools to the default float."""
    dt = result_np_dtype(*arrays)
    if dt.kind in "biu":
        dt = _default_float_np()
    return [a.astype(dt, copy=False) for a in arrays]


def _float_binary(np_fn):
    """A binary forward on torch's promoted float dtype (ints -> default float)."""
    def forward(a, b):
        a, b = _float_arrays(a, b)
        return np.asarray(np_fn(a, b)).astype(a.dtype, copy=False)
    forward.__name__ = getattr(np_fn, "__name__", "forward")
    return _quiet(forward)


def _binary_prims(name, node_names, forward, grads=None, **options):
    """One primitive per torch overload, sharing maths but with torch's node names.

    ``node_names`` maps ``"tt"`` (tensor, tensor), ``"ts"`` (tensor, scalar) and
    ``"st"`` (scalar, tensor) to grad_fn names; a Python scalar travels as a 0-d
    tensor that never requires grad, so the same rules serve every overload.
    """
    return {kind: defprim(name if kind == "tt" else f"{name}_{kind}", node, forward,
                          grads=grads, **options)
            for kind, node in node_names.items()}


def _call_binary(prims, input, other, promote_int_to_float=False):
    kind = "tt"
    if not isinstance(other, Tensor):
        kind = "ts"
    elif not isinstance(input, Tensor):
        kind = "st"
    a, b = binary_operands(input, other, promote_int_to_float)
    return prims.get(kind, prims["tt"])(a, b)


def _not_implemented_rule(op_name):
    """A backward rule for ops torch does not differentiate (it raises at backward time)."""
    def rule(F, g, out, *inputs, **params):
        raise RuntimeError(f"derivative for aten::{op_name} is not implemented")
    return rule


# ------------------------------------------------------------ more numpy twins
numpy_rule_op("sin")(np.sin)
numpy_rule_op("cos")(np.cos)
numpy_rule_op("sinh")(np.sinh)
numpy_rule_op("cosh")(np.cosh)
numpy_rule_op("exp2")(np.exp2)
numpy_rule_op("trunc")(np.trunc)
numpy_rule_op("floor")(np.floor)
numpy_rule_op("isfinite")(np.isfinite)
numpy_rule_op("isnan")(np.isnan)
numpy_rule_op("abs")(np.abs)


@numpy_rule_op("sign")
def _sign_np(x):
    if x.dtype.kind == "b":
        return x.copy()
    result = np.sign(x)
    # torch: sign(NaN) is 0
    return np.where(np.isnan(result), 0, result).astype(x.dtype) if x.dtype.kind == "f" else result


@numpy_rule_op("sgn")
def _sgn_np(x):
    if x.dtype.kind != "c":
        return _sign_np(x)
    with np.errstate(all="ignore"):
        mag = np.abs(x)
        return np.where(mag == 0, 0, x / np.where(mag == 0, 1, mag)).astype(x.dtype)


@numpy_rule_op("digamma")
def _digamma_np(x):
    return _keep_dtype(_sp.psi)(x)


@numpy_rule_op("polygamma")
def _polygamma_np(n, x):
    if n == 0:
        return _digamma_np(x)
    return _keep_dtype(lambda v: _sp.polygamma(n, v))(x)


@numpy_rule_op("xlogy")
def _xlogy_np(x, y):
    x, y = _float_arrays(x, y)
    with np.errstate(all="ignore"):
        return np.where((x == 0) & ~np.isnan(y), 0, x * np.log(y)).astype(x.dtype, copy=False)


# ---------------------------------------------------------- exp / log family
exp2 = _unary("exp2", "Exp2Backward0", np.exp2,
              lambda F, g, out, x: g * F.conj(out * _LN2), save_output=True, saves=())
expm1 = _unary("expm1", "Expm1Backward0", np.expm1,
               lambda F, g, out, x: g * F.conj(out + 1), save_output=True, saves=())
log2 = _unary("log2", "Log2Backward0", np.log2, lambda F, g, out, x: g / F.conj(x * _LN2))
log10 = _unary("log10", "Log10Backward0", np.log10, lambda F, g, out, x: g / F.conj(x * _LN10))
log1p = _unary("log1p", "Log1PBackward0", np.log1p, lambda F, g, out, x: g / F.conj(x + 1))
rsqrt = _unary("rsqrt", "RsqrtBackward0", lambda x: 1 / np.sqrt(x),
               lambda F, g, out, x: g * F.conj(-0.5 * out * out * out), save_output=True,
               saves=())
reciprocal = _unary("reciprocal", "ReciprocalBackward0", lambda x: 1 / x,
                    lambda F, g, out, x: -g * F.conj(out * out), save_output=True, saves=())


def _logaddexp_forward(a, b):
    # max + log1p(exp(-|a - b|)) never overflows; equal infinities give themselves.
    m = np.maximum(a, b)
    result = m + np.log1p(np.exp(-np.abs(a - b)))
    return np.where(np.isinf(a) & (a == b), a, result)


def _logaddexp2_forward(a, b):
    m = np.maximum(a, b)
    result = m + np.log1p(np.exp2(-np.abs(a - b))) / _LN2
    return np.where(np.isinf(a) & (a == b), a, result)


_logaddexp = defprim("logaddexp", "LogaddexpBackward0", _float_binary(_logaddexp_forward), grads=(
    lambda F, g, out, a, b: g / (1 + F.exp(b - a)),
    lambda F, g, out, a, b: g / (1 + F.exp(a - b))))
_logaddexp2 = defprim("logaddexp2", "Logaddexp2Backward0", _float_binary(_logaddexp2_forward),
                      grads=(lambda F, g, out, a, b: g / (1 + F.exp2(b - a)),
                             lambda F, g, out, a, b: g / (1 + F.exp2(a - b))))


def _float_only_binary(prim, fn_name, kernel_name):
    """Public function for a binary op on two float tensors (torch has no int kernel)."""
    def op(input, other, *, out=None):
        _no_out(out)
        _require_tensor(other, fn_name, "other", 2)
        dt = _dtype.result_type(input, other)
        if not (dt.is_floating_point or dt.is_complex):
            raise _kind_error(kernel_name, dt)
        return prim(input, other)
    op.__name__ = op.__qualname__ = fn_name
    op.__doc__ = f"torch.{fn_name}: elementwise on float tensors."
    return op


logaddexp = _float_only_binary(_logaddexp, "logaddexp", "logaddexp_cpu")
logaddexp.__doc__ = "log(exp(input) + exp(other)), computed without overflow."
logaddexp2 = _float_only_binary(_logaddexp2, "logaddexp2", "logaddexp2_cpu")
logaddexp2.__doc__ = "log2(2**input + 2**other), computed without overflow."


def square(input):
    """input * input (ints stay integral; bool gives int64, as torch)."""
    if input.dtype is _dtype.bool:
        input = _to_dtype(input, _dtype.int64)
    return pow(input, 2)


def float_power(input, exponent, *, out=None):
    """input ** exponent computed in double precision (float64, or complex128)."""
    _no_out(out)
    wide = _float_power_dtype(input, exponent)

    def widen(x):
        if isinstance(x, Tensor):
            return x if x.dtype is wide else _to_dtype(x, wide)
        return x
    return pow(widen(input), widen(exponent))


def _float_power_dtype(*operands):
    """complex128 if any operand is complex, else float64."""
    is_complex = builtins.any(x.dtype.is_complex if isinstance(x, Tensor) else isinstance(x, complex)
                              for x in operands)
    return _dtype.complex128 if is_complex else _dtype.float64


def _float_power_(self, exponent):
    wide = _float_power_dtype(self, exponent)
    if self.dtype is not wide:
        raise RuntimeError(f"the base given to float_power_ has dtype {_TITLE(self.dtype)} but "
                           f"the operation's result requires dtype {_TITLE(wide)}")
    return self._inplace(float_power, exponent)


for _name, _fn in (("logaddexp", logaddexp), ("logaddexp2", logaddexp2)):
    tensor_method(_fn, name=_name)
tensor_method(square, inplace=True)
tensor_method(float_power)
Tensor.float_power_ = _float_power_


# ----------------------------------------------------- trigonometric functions
sin = _unary("sin", "SinBackward0", np.sin, lambda F, g, out, x: g * F.conj(F.cos(x)))
cos = _unary("cos", "CosBackward0", np.cos, lambda F, g, out, x: -g * F.conj(F.sin(x)))
tan = _unary("tan", "TanBackward0", np.tan, lambda F, g, out, x: g * F.conj(1 + out * out),
             save_output=True, saves=())
asin = _unary("asin", "AsinBackward0", np.arcsin,
              lambda F, g, out, x: g / F.conj(F.sqrt(1 - x * x)))
acos = _unary("acos", "AcosBackward0", np.arccos,
              lambda F, g, out, x: -g / F.conj(F.sqrt(1 - x * x)))
atan = _unary("atan", "AtanBackward0", np.arctan, lambda F, g, out, x: g / F.conj(1 + x * x))
sinh = _unary("sinh", "SinhBackward0", np.sinh, lambda F, g, out, x: g * F.conj(F.cosh(x)))
cosh = _unary("cosh", "CoshBackward0", np.cosh, lambda F, g, out, x: g * F.conj(F.sinh(x)))
asinh = _unary("asinh", "AsinhBackward0", np.arcsinh,
               lambda F, g, out, x: g / F.conj(F.sqrt(x * x + 1)))
acosh = _unary("acosh", "AcoshBackward0", np.arccosh,
               lambda F, g, out, x: g / F.conj(F.sqrt(x * x - 1)))
atanh = _unary("atanh", "AtanhBackward0", np.arctanh, lambda F, g, out, x: g / F.conj(1 - x * x))
deg2rad = _unary("deg2rad", "Deg2RadBackward0", lambda x: x * (math.pi / 180),
                 lambda F, g, out, x: g * (math.pi / 180), saves=())
rad2deg = _unary("rad2deg", "Rad2DegBackward0", lambda x: x * (180 / math.pi),
                 lambda F, g, out, x: g * (180 / math.pi), saves=())


def _sinc_grad(F, g, out, x):
    # d/dx sin(pi x)/(pi x) = (pi x cos(pi x) - sin(pi x)) / (pi x^2); 0 at x = 0.
    px = x * math.pi
    slope = (px * F.cos(px) - F.sin(px)) / (px * x)
    return g * F.conj(F.where(x == 0, 0.0, slope))


sinc = _unary("sinc", "SincBackward0", np.sinc, _sinc_grad)
arcsin, arccos, arctan = asin, acos, atan
arcsinh, arccosh, arctanh = asinh, acosh, atanh
for _alias, _fn in (("arcsin", asin), ("arccos", acos), ("arctan", atan), ("arcsinh", asinh),
                    ("arccosh", acosh), ("arctanh", atanh)):
    tensor_method(_fn, name=_alias, inplace=True)


def _no_inplace_derivative(name, np_forward):
    """torch records asinh_/acosh_/atanh_ with a node whose backward raises: so do we."""
    def refuse(F, g, out, x):
        raise NotImplementedError(f"the derivative for 'inplace version of {name}' is not "
                                  "implemented.")
    node_name = name.capitalize() + "Backward1"
    prim = defprim(name + "_inplace", node_name, _quiet(np_forward), grads=(refuse,), saves=())

    def forward(input):
        if input._data.dtype.kind in "biu":
            input = _to_dtype(input, _dtype.get_default_dtype())
        return prim(input)

    def method_(self):
        return self._inplace(forward)
    method_.__name__ = name + "_"
    method_.__doc__ = f"In-place version of :meth:`Tensor.{name}` (no derivative, as torch)."
    return method_


for _name, _alias, _np_fn in (("asinh", "arcsinh", np.arcsinh), ("acosh", "arccosh", np.arccosh),
                              ("atanh", "arctanh", np.arctanh)):
    # these replace the generic in-place twins attached by _unary above
    setattr(Tensor, _name + "_", _no_inplace_derivative(_name, _np_fn))
    setattr(Tensor, _alias + "_", getattr(Tensor, _name + "_"))


def _atan2_grads():
    def denom(a, b):
        return a * a + b * b
    return (lambda F, g, out, a, b: g * b / denom(a, b),
            lambda F, g, out, a, b: -g * a / denom(a, b))


_atan2 = defprim("atan2", "Atan2Backward0", _float_binary(np.arctan2), grads=_atan2_grads())
_hypot = defprim("hypot", "HypotBackward0", _float_binary(np.hypot), grads=(
    lambda F, g, out, a, b: g * a / out,
    lambda F, g, out, a, b: g * b / out), save_output=True)


def atan2(input, other, *, out=None):
    """Angle of the point (other, input) in radians; integers give the default float."""
    _no_out(out)
    _require_tensor(other, "atan2", "other", 2)
    return _atan2(input, other)


arctan2 = atan2
hypot = _float_only_binary(_hypot, "hypot", "hypot_cpu")
hypot.__doc__ = "sqrt(input**2 + other**2) without intermediate overflow."
for _name, _fn in (("atan2", atan2), ("arctan2", atan2), ("hypot", hypot)):
    tensor_method(_fn, name=_name, inplace=True)


# --------------------------------------------------------- sign and rounding
_sign = defprim("sign", "SignBackward0", _sign_np,
                grads=(lambda F, g, out, x: g * 0,), saves=())
_sgn = defprim("sgn", "SgnBackward0", _sgn_np, grads=(lambda F, g, out, x: g * 0,), saves=())


def sign(input, *, out=None):
    """-1, 0 or 1 by the sign of each element (bool stays bool); use sgn for complex."""
    _no_out(out)
    if input.dtype.is_complex:
        raise NotImplementedError("Unlike NumPy, torch.sign is not intended to support complex "
                                  "numbers. Please use torch.sgn instead.")
    return _sign(input)


def sgn(input, *, out=None):
    """sign for real tensors; x / |x| (0 at 0) for complex ones.

    For complex input the result is built from abs, div and where, so its grad_fn
    is WhereBackward0 rather than torch's SgnBackward0 (the gradient is the same).
    """
    _no_out(out)
    if input.dtype.is_complex:
        # Composite so that the complex gradient comes from abs and div's rules.
        magnitude = abs(input)
        safe = where(magnitude == 0, 1.0, magnitude)
        return where(magnitude == 0, 0.0, div(input, safe))
    return _sgn(input)


def _integral_copy_or(np_fn):
    """Rounding leaves integers unchanged (NumPy would turn them into float64)."""
    def forward(x):
        return x.copy() if x.dtype.kind in "iu" else np_fn(x)
    return forward


def _rounding(name, node_name, np_fn, kernel_name):
    prim = defprim(name, node_name, _quiet(_integral_copy_or(np_fn)),
                   grads=(lambda F, g, out, x: g * 0,), saves=())

    def op(input, *, out=None):
        _no_out(out)
        if input.dtype is _dtype.bool:
            raise _kind_error(kernel_name, input.dtype)
        return prim(input)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"torch.{name}: elementwise; integer tensors are returned unchanged."
    tensor_method(op, name=name, inplace=True)
    return op


floor = _rounding("floor", "FloorBackward0", np.floor, "floor_vml_cpu")
ceil = _rounding("ceil", "CeilBackward0", np.ceil, "ceil_vml_cpu")
trunc = _rounding("trunc", "TruncBackward0", np.trunc, "trunc_vml_cpu")
fix = trunc
tensor_method(trunc, name="fix", inplace=True)
_round = _rounding("round", "RoundBackward0", np.round, "round_vml_cpu")


def _round_decimals_forward(x, decimals):
    # As torch: scale, round half to even, unscale (dividing for negative decimals).
    scale = 10.0 ** builtins.abs(decimals)
    if decimals > 0:
        return (np.round(x * scale) / scale).astype(x.dtype, copy=False)
    return (np.round(x / scale) * scale).astype(x.dtype, copy=False)


_round_decimals = defprim("round_decimals", "RoundBackward1", _quiet(_round_decimals_forward),
                          grads=(lambda F, g, out, x, decimals: g * 0,), saves=())


def round(input, *, decimals=0, out=None):
    """Round half to even; ``decimals`` rounds to that many decimal places."""
    _no_out(out)
    if decimals == 0:
        return _round(input)
    if not input.dtype.is_floating_point:
        raise _kind_error("round_cpu", input.dtype)
    return _round_decimals(input, decimals=int(decimals))


_frac = defprim("frac", "FracBackward0", _quiet(lambda x: x - np.trunc(x)),
                grads=(lambda F, g, out, x: g,), saves=())


def frac(input, *, out=None):
    """input - trunc(input), float tensors only."""
    _no_out(out)
    if not input.dtype.is_floating_point:
        raise _kind_error("frac_cpu", input.dtype)
    return _frac(input)


for _name, _fn in (("sign", sign), ("sgn", sgn), ("round", round), ("frac", frac)):
    tensor_method(_fn, name=_name, inplace=True)


# ------------------------------------------------------------- clamping
def _clip_array(x, lo, hi):
    # max then min, as torch: with lo > hi every element becomes hi; NaN propagates.
    if lo is not None:
        x = np.maximum(x, lo)
    if hi is not None:
        x = np.minimum(x, hi)
    return x


def _clamp_scalar_forward(x, min=None, max=None, dtype=None):
    x = x.astype(dtype, copy=False)
    return _clip_array(x, None if min is None else np.array(min, dtype),
                       None if max is None else np.array(max, dtype)).astype(dtype, copy=False)


def _clamp_scalar_grad(F, g, out, x, min=None, max=None, dtype=None):
    inside = None
    if min is not None:
        inside = x >= min
    if max is not None:
        inside = (x <= max) if inside is None else inside & (x <= max)
    return F.where(inside, g, 0.0)


_clamp_scalar = defprim("clamp", "ClampBackward1", _quiet(_clamp_scalar_forward),
                        grads=(_clamp_scalar_grad,))


def _clamp_tensor_forward(x, *bounds, has_min, has_max):
    arrays = promote_arrays(x, *bounds)
    x, rest = arrays[0], list(arrays[1:])
    lo = rest.pop(0) if has_min else None
    hi = rest.pop(0) if has_max else None
    return _clip_array(x, lo, hi)


def _clamp_tensor_vjp(F, g, out, x, *bounds, has_min, has_max):
    rest = list(bounds)
    lo = rest.pop(0) if has_min else None
    hi = rest.pop(0) if has_max else None
    inside = None
    if lo is not None:
        inside = x >= lo
    if hi is not None:
        inside = (x <= hi) if inside is None else inside & (x <= hi)
    grads = [F.where(inside, g, 0.0)]
    if lo is not None:
        # min wins where x is below it, unless max overrides (max < min).
        below = x < lo if hi is None else (x < lo) & (lo < hi)
        grads.append(F.where(below, g, 0.0))
    if hi is not None:
        above = x > hi if lo is None else (x > hi) | (hi < lo)
        grads.append(F.where(above, g, 0.0))
    return tuple(grads)


_clamp_tensor = defprim("clamp_tensor", "ClampBackward0", _quiet(_clamp_tensor_forward),
                        vjp=_clamp_tensor_vjp)


def _as_bound(value, name):
    if value is None or isinstance(value, Tensor):
        return value
    if isinstance(value, (bool, int, float, np.number, np.bool_)):
        return value.item() if isinstance(value, np.generic) else value
    raise TypeError(f"clamp(): argument '{name}' must be a Number or Tensor, not "
                    f"{type(value).__name__}")


def clamp(input, min=None, max=None, *, out=None):
    """Limit input to [min, max]; bounds are numbers or tensors (either may be None)."""
    _no_out(out)
    min, max = _as_bound(min, "min"), _as_bound(max, "max")
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if input.dtype is _dtype.bool:
        raise _kind_error("clamp_scalar_cpu", input.dtype)
    if isinstance(min, Tensor) != isinstance(max, Tensor) and min is not None and max is not None:
        # torch has a Tensor-bounds and a Number-bounds overload: mixing the two only
        # works when the tensor is 0-d and needs no grad, which then counts as a number.
        min, max = (b.item() if isinstance(b, Tensor) and b.ndim == 0 and not b.requires_grad
                    else b for b in (min, max))
        if isinstance(min, Tensor) or isinstance(max, Tensor):
            raise TypeError("clamp() received an invalid combination of arguments - got (Tensor, "
                            f"{type(min).__name__}, {type(max).__name__}), but expected (Tensor "
                            "input, Tensor min, Tensor max) or (Tensor input, Number min, Number "
                            "max)")
    given = [b for b in (min, max) if b is not None]
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        return _clamp_tensor(input, *given, has_min=min is not None, has_max=max is not None)
    return _clamp_scalar(input, min=min, max=max, dtype=_dtype.result_type(input, *given)._np)


clip = clamp


def _one_sided(name, node_scalar, node_tensor, keep_above):
    """clamp_min / clamp_max: a scalar or tensor bound on one side."""
    def scalar_forward(x, bound, dtype):
        x = x.astype(dtype, copy=False)
        b = np.array(bound, dtype)
        return (np.maximum(x, b) if keep_above else np.minimum(x, b)).astype(dtype, copy=False)

    def scalar_grad(F, g, out, x, bound, dtype):
        return F.where(x >= bound if keep_above else x <= bound, g, 0.0)

    def tensor_forward(x, b):
        x, b = promote_arrays(x, b)
        return np.maximum(x, b) if keep_above else np.minimum(x, b)

    grads = (lambda F, g, out, x, b: F.where(x >= b if keep_above else x <= b, g, 0.0),
             lambda F, g, out, x, b: F.where(x < b if keep_above else x > b, g, 0.0))
    scalar_prim = defprim(name, node_scalar, _quiet(scalar_forward), grads=(scalar_grad,))
    tensor_prim = defprim(name + "_tensor", node_tensor, _quiet(tensor_forward), grads=grads)

    def op(input, bound, *, out=None):
        _no_out(out)
        if input.dtype is _dtype.bool:
            raise _kind_error(name + "_scalar_cpu", input.dtype)
        if isinstance(bound, Tensor):
            return tensor_prim(input, bound)
        bound = _as_bound(bound, name[6:])
        return scalar_prim(input, bound=bound, dtype=_dtype.result_type(input, bound)._np)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = (f"torch.{name}: clamp on one side only "
                  f"({'lower' if keep_above else 'upper'} bound).")
    tensor_method(op, name=name, inplace=True)
    return op


clamp_min = _one_sided("clamp_min", "ClampMinBackward0", "ClampMinBackward1", True)
clamp_max = _one_sided("clamp_max", "ClampMaxBackward0", "ClampMaxBackward1", False)
tensor_method(clamp, inplace=True)
tensor_method(clamp, name="clip", inplace=True)


# ------------------------------------------------------ elementwise extremes
def _extreme_grads(self_loses):
    """maximum/minimum: ties split the gradient in half; NaN sends it to both (as torch)."""
    def grad_self(F, g, out, a, b):
        return F.where(self_loses(a, b), 0.0, F.where(a == b, g / 2, g))

    def grad_other(F, g, out, a, b):
        return F.where(self_loses(b, a), 0.0, F.where(a == b, g / 2, g))
    return grad_self, grad_other


def _fextreme_grads(self_wins):
    """fmax/fmin: the tie goes to input; NaN in other also lets input through."""
    def grad_self(F, g, out, a, b):
        return F.where(self_wins(a, b) | F.isnan(b), g, 0.0)

    def grad_other(F, g, out, a, b):
        return F.where(self_wins(a, b) | F.isnan(b), 0.0, g)
    return grad_self, grad_other


_maximum = defprim("maximum", "MaximumBackward0", lambda a, b: np.maximum(*promote_arrays(a, b)),
                   grads=_extreme_grads(lambda a, b: a < b))
_minimum = defprim("minimum", "MinimumBackward0", lambda a, b: np.minimum(*promote_arrays(a, b)),
                   grads=_extreme_grads(lambda a, b: a > b))
_fmax = defprim("fmax", "FmaxBackward0", lambda a, b: np.fmax(*promote_arrays(a, b)),
                grads=_fextreme_grads(lambda a, b: a >= b))
_fmin = defprim("fmin", "FminBackward0", lambda a, b: np.fmin(*promote_arrays(a, b)),
                grads=_fextreme_grads(lambda a, b: a <= b))


def _extreme(prim, name, doc):
    def op(input, other, *, out=None):
        _no_out(out)
        _require_tensor(other, name, "other", 2)
        if input.dtype.is_complex or other.dtype.is_complex:
            raise RuntimeError(f"{name} not implemented for complex tensors.")
        return prim(input, other)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    tensor_method(op, name=name)
    return op


maximum = _extreme(_maximum, "maximum", "Elementwise maximum; NaN propagates.")
minimum = _extreme(_minimum, "minimum", "Elementwise minimum; NaN propagates.")
fmax = _extreme(_fmax, "fmax", "Elementwise maximum ignoring NaN (NaN only if both are NaN).")
fmin = _extreme(_fmin, "fmin", "Elementwise minimum ignoring NaN (NaN only if both are NaN).")


# ------------------------------------------------- lerp, addcmul, addcdiv
def _lerp_forward(start, end, weight):
    # torch's two-sided formula: exact at weight 0 and at weight 1.
    start, end, weight = promote_arrays(start, end, weight)
    diff = end - start
    return np.where(np.abs(weight) < 0.5, start + weight * diff, end - diff * (1 - weight))


_lerp_grads = (lambda F, g, out, s, e, w: g * (1 - w),
               lambda F, g, out, s, e, w: g * w,
               lambda F, g, out, s, e, w: g * (e - s))
# The scalar weight travels as a 0-d tensor that never requires grad.
_lerp_scalar = defprim("lerp", "LerpBackward0", _quiet(_lerp_forward),
                       grads=_lerp_grads[:2] + (None,))
_lerp_tensor = defprim("lerp_tensor", "LerpBackward1", _quiet(_lerp_forward), grads=_lerp_grads)


def lerp(input, end, weight, *, out=None):
    """input + weight * (end - input); weight a number or a tensor (float tensors only)."""
    _no_out(out)
    if not isinstance(end, Tensor):
        raise TypeError(f"lerp(): argument 'end' (position 2) must be Tensor, not "
                        f"{type(end).__name__}")
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise _kind_error("lerp_kernel_scalar", input.dtype)
    if end.dtype is not input.dtype:
        raise RuntimeError(f"expected dtype {_TITLE(input.dtype).lower()} for `end` but got "
                           f"dtype {_TITLE(end.dtype).lower()}")
    if isinstance(weight, Tensor):
        if weight.dtype is not input.dtype:
            raise RuntimeError(f"expected dtype {_TITLE(input.dtype).lower()} for `weight` but "
                               f"got dtype {_TITLE(weight.dtype).lower()}")
        return _lerp_tensor(input, end, weight)
    return _lerp_scalar(input, end, scalar_tensor(weight, input.dtype))


def _addc_forward(op):
    def forward(x, t1, t2, value=1):
        x, t1, t2 = promote_arrays(x, t1, t2)
        if x.dtype.kind in "biu":
            value = int(value)  # torch casts value to the integer dtype
        return (x + value * op(t1, t2)).astype(x.dtype, copy=False)
    return _quiet(forward)


_addcmul = defprim("addcmul", "AddcmulBackward0", _addc_forward(np.multiply), grads=(
    lambda F, g, out, x, t1, t2, value=1: g,
    lambda F, g, out, x, t1, t2, value=1: g * F.conj(t2 * value),
    lambda F, g, out, x, t1, t2, value=1: g * F.conj(t1 * value)), saves=(1, 2))
_addcdiv = defprim("addcdiv", "AddcdivBackward0", _addc_forward(np.true_divide), grads=(
    lambda F, g, out, x, t1, t2, value=1: g,
    lambda F, g, out, x, t1, t2, value=1: g * F.conj(value / t2),
    lambda F, g, out, x, t1, t2, value=1: -g * F.conj(value * t1 / (t2 * t2))), saves=(1, 2))


def addcmul(input, tensor1, tensor2, *, value=1, out=None):
    """input + value * tensor1 * tensor2."""
    _no_out(out)
    return _addcmul(input, tensor1, tensor2, value=value)


def addcdiv(input, tensor1, tensor2, *, value=1, out=None):
    """input + value * tensor1 / tensor2 (integer tensor1 and tensor2 are refused, as torch)."""
    _no_out(out)
    if not (tensor1.dtype.is_floating_point or tensor1.dtype.is_complex
            or tensor2.dtype.is_floating_point or tensor2.dtype.is_complex):
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a future "
                           "release addcdiv will perform a true division of tensor1 and tensor2. "
                           "The historic addcdiv behavior can be implemented as (input + value * "
                           "torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs "
                           "and as (input + value * tensor1 / tensor2) for float inputs. The "
                           "future addcdiv behavior is just the latter implementation: (input + "
                           "value * tensor1 / tensor2), for all dtypes.")
    return _addcdiv(input, tensor1, tensor2, value=value)


for _name, _fn in (("lerp", lerp), ("addcmul", addcmul), ("addcdiv", addcdiv)):
    tensor_method(_fn, name=_name, inplace=True)


# ---------------------------------------------------------- special functions
def _scipy_unary(name, node_name, scipy_fn, rule, **options):
    return _unary(name, node_name, _keep_dtype(scipy_fn), rule, **options)


erf = _scipy_unary("erf", "ErfBackward0", _sp.erf,
                   lambda F, g, out, x: g * (_TWO_OVER_SQRT_PI * F.exp(-(x * x))))
erfc = _scipy_unary("erfc", "ErfcBackward0", _sp.erfc,
                    lambda F, g, out, x: g * (-_TWO_OVER_SQRT_PI * F.exp(-(x * x))))
erfinv = _scipy_unary("erfinv", "ErfinvBackward0", _sp.erfinv,
                      lambda F, g, out, x: g * (math.sqrt(math.pi) / 2 * F.exp(out * out)),
                      save_output=True, saves=())
lgamma = _scipy_unary("lgamma", "LgammaBackward0", _sp.gammaln,
                      lambda F, g, out, x: g * F.digamma(x))
digamma = _scipy_unary("digamma", "DigammaBackward0", _sp.psi,
                       lambda F, g, out, x: g * F.polygamma(1, x))
i0 = _scipy_unary("i0", "I0Backward0", _sp.i0, lambda F, g, out, x: g * F.special.i1(x))


def _polygamma_forward(x, n):
    return _polygamma_np(n, x)


_polygamma = defprim("polygamma", "PolygammaBackward0", _quiet(_polygamma_forward),
                     grads=(lambda F, g, out, x, n: g * F.polygamma(n + 1, x),))


def polygamma(n, input, *, out=None):
    """The n-th derivative of digamma (n = 0 is digamma itself)."""
    _no_out(out)
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    if input._data.dtype.kind in "biu":
        input = _to_dtype(input, _dtype.get_default_dtype())
    return _polygamma(input, n=int(n))


def _polygamma_method(self, n):
    return polygamma(n, self)


def _polygamma_method_(self, n):
    return self._inplace(lambda s: polygamma(n, s))


Tensor.polygamma = _polygamma_method
Tensor.polygamma_ = _polygamma_method_


def _mvlgamma_forward(x, p):
    total = np.full_like(x, p * (p - 1) / 4 * math.log(math.pi))
    for j in range(p):
        total = total + _sp.gammaln(x - j / 2)
    return total.astype(x.dtype, copy=False)


def _mvlgamma_grad(F, g, out, x, p):
    slope = F.digamma(x)
    for j in range(1, p):
        slope = slope + F.digamma(x - j / 2)
    return g * slope


_mvlgamma = defprim("mvlgamma", "MvlgammaBackward0", _quiet(_mvlgamma_forward),
                    grads=(_mvlgamma_grad,))


def mvlgamma(input, p, *, out=None):
    """Multivariate log-gamma of dimension p (torch no longer checks the domain either)."""
    _no_out(out)
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    if input._data.dtype.kind in "biu":
        input = _to_dtype(input, _dtype.get_default_dtype())
    return _mvlgamma(input, p=int(p))


tensor_method(mvlgamma, inplace=True)

_xlogy_grads = (lambda F, g, out, x, y: g * F.xlogy(x != 0, y),
                lambda F, g, out, x, y: g * x / y)
_xlogy = _binary_prims("xlogy", {"tt": "XlogyBackward0", "st": "XlogyBackward1",
                                 "ts": "XlogyBackward2"}, _xlogy_np, _xlogy_grads)


def xlogy(input, other, *, out=None):
    """input * log(other), and 0 where input is 0 (unless other is NaN)."""
    _no_out(out)
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError("xlogy() received an invalid combination of arguments - got "
                        f"({type(input).__name__}, {type(other).__name__}), but expected at "
                        "least one Tensor")
    return _call_binary(_xlogy, input, other, promote_int_to_float=True)


tensor_method(xlogy, inplace=True)


def _logit_forward(x, eps=None):
    if eps is not None:
        x = np.clip(x, eps, 1 - eps)
    return np.log(x / (1 - x))


def _logit_grad(F, g, out, x, eps=None):
    slope = g / (x * (1 - x))
    if eps is None:
        return F.where((x < 0) | (x > 1), math.nan, slope)
    return F.where((x < eps) | (x > 1 - eps), 0.0, slope)


_logit = defprim("logit", "LogitBackward0", _quiet(_logit_forward), grads=(_logit_grad,))


def logit(input, eps=None, *, out=None):
    """log(p / (1 - p)), with p clamped to [eps, 1 - eps] when eps is given."""
    _no_out(out)
    if input._data.dtype.kind in "biu":
        input = _to_dtype(input, _dtype.get_default_dtype())
    return _logit(input) if eps is None else _logit(input, eps=float(eps))


tensor_method(logit, inplace=True)


def _igamma_grad_input(F, g, out, a, x):
    raise NotImplementedError("the derivative for 'igamma: input' is not implemented.")


def _igammac_grad_input(F, g, out, a, x):
    raise NotImplementedError("the derivative for 'igammac: input' is not implemented.")


def _igamma_slope(F, a, x):
    # d/dx P(a, x) = x^(a-1) e^(-x) / Gamma(a), in logs to stay finite.
    return F.exp((a - 1) * F.log(x) - x - F.lgamma(a))


_igamma = defprim("igamma", "IgammaBackward0",
                  _quiet(lambda a, x: np.asarray(_sp.gammainc(*promote_arrays(a, x)))
                         .astype(result_np_dtype(a, x), copy=False)),
                  grads=(_igamma_grad_input, lambda F, g, out, a, x: g * _igamma_slope(F, a, x)))
_igammac = defprim("igammac", "IgammacBackward0",
                   _quiet(lambda a, x: np.asarray(_sp.gammaincc(*promote_arrays(a, x)))
                          .astype(result_np_dtype(a, x), copy=False)),
                   grads=(_igammac_grad_input,
                          lambda F, g, out, a, x: -g * _igamma_slope(F, a, x)))


def _incomplete_gamma(prim, name):
    def op(input, other, *, out=None):
        _no_out(out)
        _require_tensor(other, name, "other", 2)
        dt = _dtype.result_type(input, other)
        if not dt.is_floating_point:
            raise _kind_error(f"{name}_cpu", dt)
        return prim(input, other)
    op.__name__ = op.__qualname__ = name
    tensor_method(op, name=name, inplace=True)
    return op


igamma = _incomplete_gamma(_igamma, "igamma")
igamma.__doc__ = "Regularized lower incomplete gamma P(input, other); differentiable in other only."
igammac = _incomplete_gamma(_igammac, "igammac")
igammac.__doc__ = "Regularized upper incomplete gamma Q(input, other); differentiable in other only."
numpy_rule_op("lgamma")(_keep_dtype(_sp.gammaln))


# ------------------------------------------------------- softmax, log_softmax
# NumPy reduces a short last axis row by row, paying a setup cost per row (a max over
# rows of 32 runs ~3x slower than over the same data laid out the other way). Softmax
# rows are usually short (classes, attention keys), so these two helpers take faster
# routes for them; longer rows keep NumPy's pairwise summation.
_SHORT_ROW = 128


def _row_max(x):
    """x.max(-1, keepdims=True) via a transposed copy, whose leading-axis reduction is a
    few whole-array maximum calls (max is exact, so the result is the same)."""
    n = x.shape[-1]
    if n == 0 or n > _SHORT_ROW or not x.flags.c_contiguous:
        return np.max(x, axis=-1, keepdims=True)
    return np.ascontiguousarray(x.reshape(-1, n).T).max(axis=0).reshape(x.shape[:-1] + (1,))


@functools.lru_cache(maxsize=64)
def _ones_vector(n, dtype):
    """A read-only vector of n ones (a constant: building it costs more than the sum)."""
    ones = np.ones(n, dtype)
    ones.flags.writeable = False
    return ones


def _row_sum(x, other=None):
    """sum(x, -1) or sum(x * other, -1), keepdims; einsum, or for float32/float64 a
    product with a vector of ones (one BLAS gemv call), runs short rows several times
    faster than ndarray.sum (the rounding may differ in the last bit)."""
    n = x.shape[-1]
    if n > _SHORT_ROW:
        return np.sum(x if other is None else x * other, axis=-1, keepdims=True)
    if other is not None:
        return np.einsum("...k,...k->...", x, other)[..., None]
    if x.dtype == np.float32 or x.dtype == np.float64:
        return (x @ _ones_vector(n, x.dtype))[..., None]
    return np.einsum("...k->...", x)[..., None]


def _shifted(x, dim):
    """x minus its max along dim (a new array): exp of it cannot overflow."""
    if dim is not None and x.dtype.kind == "f" and dim in (-1, x.ndim - 1):
        return x - _row_max(x)
    return np.asarray(x - np.max(x, axis=dim, keepdims=True))  # 0-d: an array, not a scalar


def _sum_along(x, dim, other=None):
    """sum(x) or sum(x * other) along dim, keepdims."""
    if dim is not None and x.dtype.kind == "f" and dim in (-1, x.ndim - 1):
        return _row_sum(x, other)
    return np.sum(x if other is None else x * other, axis=dim, keepdims=True)


def _softmax_forward(x, dim):
    # Subtracting the max keeps exp from overflowing; the result is unchanged.
    if x.size == 0:
        return x.copy()
    e = _shifted(x, dim)
    np.exp(e, out=e)
    e /= _sum_along(e, dim)
    return e


def _log_softmax_forward(x, dim):
    if x.size == 0:
        return x.copy()
    shifted = _shifted(x, dim)
    shifted -= np.log(_sum_along(np.exp(shifted), dim))
    return shifted


def _softmax_grad(F, g, out, x, dim):
    if F is numpy_namespace and dim is not None:
        # the same formula with the row helpers, reusing one buffer
        grad = g - _sum_along(g, dim, out)
        grad *= out
        return grad
    return out * (g - F.sum(g * out, dim, True))


def _log_softmax_grad(F, g, out, x, dim):
    if F is numpy_namespace and dim is not None:
        grad = np.exp(out)
        grad *= _sum_along(g, dim)
        np.subtract(g, grad, out=grad)
        return grad
    return g - F.exp(out) * F.sum(g, dim, True)


_softmax = defprim("softmax", "SoftmaxBackward0", _quiet(_softmax_forward),
                   grads=(_softmax_grad,), save_output=True, saves=())
_log_softmax = defprim("log_softmax", "LogSoftmaxBackward0", _quiet(_log_softmax_forward),
                       grads=(_log_softmax_grad,), save_output=True, saves=())


def _softmax_like(prim, input, dim, dtype, kernel_name):
    from ._registry import wrap_dim
    if dim is None:
        raise TypeError("softmax(): argument 'dim' must be int, not NoneType")
    axis = wrap_dim(dim, input.ndim)
    if dtype is not None and dtype is not input.dtype:
        input = _to_dtype(input, dtype)
    if not (input.dtype.is_floating_point or input.dtype.is_complex):
        raise _kind_error(kernel_name, input.dtype)
    if input.ndim == 0:
        axis = None  # a 0-d tensor is its own (single-element) dim
    return prim(input, dim=axis)


def softmax(input, dim, dtype=None):
    """exp(x) / sum(exp(x)) along dim, computed stably; ``dtype`` casts the input first."""
    return _softmax_like(_softmax, input, dim, dtype, "softmax_lastdim_kernel_impl")


def log_softmax(input, dim, dtype=None):
    """x - logsumexp(x) along dim, computed stably; ``dtype`` casts the input first."""
    return _softmax_like(_log_softmax, input, dim, dtype, "log_softmax_lastdim_kernel_impl")


tensor_method(softmax)
tensor_method(log_softmax)


# ------------------------------------------------------------ NaN and friends
def _nan_to_num_forward(x, nan=0.0, posinf=None, neginf=None):
    if x.dtype.kind not in "fc":
        return x.copy()
    return np.nan_to_num(x, nan=nan, posinf=posinf, neginf=neginf)


_nan_to_num = defprim("nan_to_num", "NanToNumBackward0", _nan_to_num_forward, grads=(
    lambda F, g, out, x, **params: g * F.isfinite(x),))


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None):
    """Replace NaN, +inf and -inf (by default with 0 and the dtype's largest/smallest value)."""
    _no_out(out)
    return _nan_to_num(input, nan=nan, posinf=posinf, neginf=neginf)


tensor_method(nan_to_num, inplace=True)


def _predicate(name, np_fn, doc):
    prim = defprim(name, name, lambda x: np.asarray(np_fn(x), dtype=bool))

    def op(input):
        return prim(input)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = doc
    tensor_method(op, name=name)
    return op


def _isreal_np(x):
    return np.imag(x) == 0 if x.dtype.kind == "c" else np.ones(x.shape, bool)


def _signbit_np(x):
    return np.signbit(x) if x.dtype.kind != "b" else np.zeros(x.shape, bool)


isnan = _predicate("isnan", np.isnan, "True where input is NaN.")
isinf = _predicate("isinf", np.isinf, "True where input is +inf or -inf.")
isposinf = _predicate("isposinf", np.isposinf, "True where input is +inf.")
isneginf = _predicate("isneginf", np.isneginf, "True where input is -inf.")
isfinite = _predicate("isfinite", np.isfinite, "True where input is neither infinite nor NaN.")
isreal = _predicate("isreal", _isreal_np, "True where input has no imaginary part.")
signbit = _predicate("signbit", _signbit_np, "True where the sign bit is set (also for -0.0).")


def _isclose_forward(a, b, rtol, atol, equal_nan):
    if a.dtype.kind == "b":
        return a == b
    with np.errstate(all="ignore"):
        close = a == b
        finite = np.isfinite(a) & np.isfinite(b)
        diff = np.abs(a.astype(np.float64) - b) if a.dtype.kind in "iu" else np.abs(a - b)
        close = close | (finite & (diff <= atol + rtol * np.abs(b)))
    if equal_nan:
        close = close | (np.isnan(a) & np.isnan(b))
    return close


_isclose = defprim("isclose", "isclose", _isclose_forward)


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """|input - other| <= atol + rtol * |other|, elementwise (dtypes must match)."""
    _require_tensor(other, "isclose", "other", 2)
    if input.dtype is not other.dtype:
        raise RuntimeError(f"{_TITLE(input.dtype)} did not match {_TITLE(other.dtype)}")
    if rtol < 0:
        raise RuntimeError(f"rtol must be greater than or equal to zero, but got {rtol}")
    if atol < 0:
        raise RuntimeError(f"atol must be greater than or equal to zero, but got {atol}")
    return _isclose(input, other, rtol=rtol, atol=atol, equal_nan=equal_nan)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True when isclose holds everywhere (a Python bool)."""
    return bool(np.all(isclose(input, other, rtol, atol, equal_nan)._data))


tensor_method(isclose)
tensor_method(allclose)


# ------------------------------------------------------- real, imag, angle
_real_view = defprim("real", "RealBackward0", lambda x: x.real,
                     grads=(lambda F, g, out, x: g,), saves=(), is_view=True)
_imag_view = defprim("imag", "ImagBackward0", lambda x: x.imag,
                     grads=(lambda F, g, out, x: g * 1j,), saves=(), is_view=True)


def real(input):
    """The real part: a view for complex tensors, the tensor itself for real ones."""
    return _real_view(input) if input.dtype.is_complex else input


def imag(input):
    """The imaginary part as a view (complex tensors only, as torch)."""
    if not input.dtype.is_complex:
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    return _imag_view(input)


def _angle_forward(x):
    if x.dtype.kind == "c":
        return np.angle(x)
    # Real numbers: pi for negatives, 0 otherwise, NaN stays NaN.
    return np.where(np.isnan(x), x, np.where(x < 0, math.pi, 0.0)).astype(x.dtype, copy=False)


def _angle_grad(F, g, out, x):
    if not _is_complex(x):
        return g * 0
    # d angle = Im(dx / x); as a conjugate (Wirtinger) gradient: g * i * x / |x|^2.
    mag2 = F.abs(x) * F.abs(x)
    return F.where(x == 0, 0.0, g * x * 1j / F.where(mag2 == 0, 1.0, mag2))


def _is_complex(x):
    return x.dtype.is_complex if isinstance(x, Tensor) else x.dtype.kind == "c"


_angle = defprim("angle", "AngleBackward0", _quiet(_angle_forward), grads=(_angle_grad,))


def angle(input, *, out=None):
    """The argument of each element (pi for negative reals); ints give the default float."""
    _no_out(out)
    if input._data.dtype.kind in "biu":
        input = _to_dtype(input, _dtype.get_default_dtype())
    return _angle(input)


tensor_method(angle)
Tensor.real = property(real, doc="The real part (a view for complex tensors).")
Tensor.imag = property(imag, doc="The imaginary part as a view (complex tensors only).")


# ------------------------------------------------------------------ logical
def _logical(name, np_fn):
    prim = defprim(name, name, lambda a, b: np_fn(a, b))

    def op(input, other, *, out=None):
        _no_out(out)
        _require_tensor(other, name, "other", 2)
        return prim(input, other)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"Elementwise {name[8:].upper()} of truth values (nonzero is True); a bool tensor."
    tensor_method(op, name=name, inplace=True)
    return op


logical_and = _logical("logical_and", np.logical_and)
logical_or = _logical("logical_or", np.logical_or)
logical_xor = _logical("logical_xor", np.logical_xor)
_logical_not = defprim("logical_not", "logical_not", np.logical_not)


def logical_not(input, *, out=None):
    """Elementwise NOT of truth values (zero is True); a bool tensor."""
    _no_out(out)
    return _logical_not(input)


tensor_method(logical_not, inplace=True)


# ------------------------------------------------------------------ bitwise
def _check_integral(name, *tensors):
    for t in tensors:
        if t.dtype.is_floating_point or t.dtype.is_complex:
            raise _kind_error(f"{name}_cpu", t.dtype)


def _shift_forward(left):
    def forward(a, b):
        a, b = promote_arrays(a, b)
        if a.dtype.kind == "b":
            a, b = a.astype(np.int64), b.astype(np.int64)
        bits = a.dtype.itemsize * 8
        # torch: shifting by a negative amount or by the width or more gives 0
        # (left) or the sign fill (right), where C would be undefined.
        in_range = (b >= 0) & (b < bits)
        amount = np.where(in_range, b, 0).astype(a.dtype)
        if left:
            return np.where(in_range, np.left_shift(a, amount), 0).astype(a.dtype)
        fill = np.where(a < 0, -1, 0) if a.dtype.kind == "i" else 0
        return np.where(in_range, np.right_shift(a, amount), fill).astype(a.dtype)
    return forward


_BITWISE_PRIMS = {
    "bitwise_and": defprim("bitwise_and", "bitwise_and",
                           lambda a, b: np.bitwise_and(*promote_arrays(a, b))),
    "bitwise_or": defprim("bitwise_or", "bitwise_or",
                          lambda a, b: np.bitwise_or(*promote_arrays(a, b))),
    "bitwise_xor": defprim("bitwise_xor", "bitwise_xor",
                           lambda a, b: np.bitwise_xor(*promote_arrays(a, b))),
    "bitwise_left_shift": defprim("bitwise_left_shift", "bitwise_left_shift",
                                  _shift_forward(True)),
    "bitwise_right_shift": defprim("bitwise_right_shift", "bitwise_right_shift",
                                   _shift_forward(False)),
}
_KERNEL_NAMES = {"bitwise_left_shift": "lshift", "bitwise_right_shift": "rshift"}


def _bitwise(name):
    prim = _BITWISE_PRIMS[name]

    def op(input, other, *, out=None):
        _no_out(out)
        a, b = binary_operands(input, other)
        _check_integral(_KERNEL_NAMES.get(name, name), a, b)
        return prim(a, b)
    op.__name__ = op.__qualname__ = name
    op.__doc__ = f"torch.{name} on integer and bool tensors (Python ints are weak scalars)."
    tensor_method(op, name=name, inplace=True)
    return op


bitwise_and = _bitwise("bitwise_and")
bitwise_or = _bitwise("bitwise_or")
bitwise_xor = _bitwise("bitwise_xor")
bitwise_left_shift = _bitwise("bitwise_left_shift")
bitwise_right_shift = _bitwise("bitwise_right_shift")
_bitwise_not = defprim("bitwise_not", "bitwise_not",
                       lambda x: np.logical_not(x) if x.dtype.kind == "b" else np.invert(x))


def bitwise_not(input, *, out=None):
    """~input for integer tensors; logical NOT for bool ones."""
    _no_out(out)
    _check_integral("bitwise_not", input)
    return _bitwise_not(input)


tensor_method(bitwise_not, inplace=True)


def _invert(self):
    if self.dtype.is_floating_point or self.dtype.is_complex:
        raise TypeError("~ (operator.invert) is only implemented on integer and Boolean-type "
                        "tensors")
    return _bitwise_not(self)


# --------------------------------------------- remainder, fmod, floor_divide
def _integer_division_guard(a, b):
    if a.dtype.kind in "biu" and np.any(b == 0):
        raise RuntimeError("ZeroDivisionError")


def _mod_forward(np_fn):
    def forward(a, b):
        a, b = promote_arrays(a, b)
        _integer_division_guard(a, b)
        return np_fn(a, b).astype(a.dtype, copy=False)
    return _quiet(forward)


# d(a mod b)/db = -(a div b) with the matching rounding (floor for remainder,
# trunc for fmod); d/da = 1.
_remainder = _binary_prims(
    "remainder", {"tt": "RemainderBackward1", "ts": "RemainderBackward0"},
    _mod_forward(np.remainder),
    (lambda F, g, out, a, b: g, lambda F, g, out, a, b: -g * F.floor(a / b)))
# torch.remainder(number, tensor) has no derivative (it raises at backward time).
_remainder["st"] = defprim("remainder_st", "NotImplemented", _mod_forward(np.remainder),
                           grads=(None, _not_implemented_rule("remainder")), saves=())
_fmod = _binary_prims(
    "fmod", {"tt": "FmodBackward1", "ts": "FmodBackward0"}, _mod_forward(np.fmod),
    (lambda F, g, out, a, b: g, lambda F, g, out, a, b: -g * F.trunc(a / b)))
_floor_divide = defprim("floor_divide", "NotImplemented", _mod_forward(np.floor_divide),
                        grads=(_not_implemented_rule("floor_divide"),) * 2, saves=())


def remainder(input, other, *, out=None):
    """Python-style modulus: the result has the sign of other (integer x % 0 raises)."""
    _no_out(out)
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TypeError("remainder() received an invalid combination of arguments - got "
                        f"({type(input).__name__}, {type(other).__name__}), but expected at "
                        "least one Tensor")
    return _call_binary(_remainder, input, other)


def fmod(input, other, *, out=None):
    """C-style modulus: the result has the sign of input (integer x fmod 0 raises)."""
    _no_out(out)
    if not isinstance(input, Tensor):
        raise TypeError("fmod() received an invalid combination of arguments - got "
                        f"({type(input).__name__}, {type(other).__name__}), but expected "
                        "(Tensor input, Tensor other) or (Tensor input, Number other)")
    return _call_binary(_fmod, input, other)


def floor_divide(input, other, *, out=None):
    """floor(input / other) in the promoted dtype, as Python's //; not differentiable."""
    _no_out(out)
    return _floor_divide(*binary_operands(input, other))


for _name, _fn in (("remainder", remainder), ("fmod", fmod), ("floor_divide", floor_divide)):
    tensor_method(_fn, name=_name, inplace=True)


# ------------------------------------ copysign, heaviside, nextafter, ldexp, frexp
def _copysign_grad(F, g, out, a, b):
    # out / a is +-1; at a == 0 torch defines the slope as 0.
    ratio = out / F.where(a == 0, 1.0, a)
    return g * F.where(a == 0, 0.0, ratio)


_copysign = _binary_prims("copysign", {"tt": "CopysignBackward0", "ts": "CopysignBackward1"},
                          _float_binary(np.copysign),
                          (_copysign_grad, lambda F, g, out, a, b: g * 0), save_output=True)


def copysign(input, other, *, out=None):
    """|input| with the sign of other; integers give the default float."""
    _no_out(out)
    if not isinstance(input, Tensor):
        raise TypeError("copysign() received an invalid combination of arguments - got "
                        f"({type(input).__name__}, {type(other).__name__}), but expected "
                        "(Tensor input, Tensor other) or (Tensor input, Number other)")
    return _call_binary(_copysign, input, other, promote_int_to_float=True)


def _heaviside_forward(x, values):
    x, values = promote_arrays(x, values)
    return np.where(x == 0, values, x > 0).astype(x.dtype, copy=False)


_heaviside = defprim("heaviside", "NotImplemented", _heaviside_forward,
                     grads=(_not_implemented_rule("heaviside"),) * 2, saves=())


def heaviside(input, values, *, out=None):
    """0 where input < 0, 1 where input > 0, values where input == 0 (same dtypes only)."""
    _no_out(out)
    _require_tensor(values, "heaviside", "values", 2)
    if input.dtype is not values.dtype:
        raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
    if input.dtype.is_complex:
        raise RuntimeError("heaviside is not yet implemented for complex tensors.")
    return _heaviside(input, values)


_nextafter = defprim("nextafter", "NextafterBackward0",
                     lambda a, b: np.nextafter(*promote_arrays(a, b)),
                     grads=(lambda F, g, out, a, b: g, lambda F, g, out, a, b: g * 0), saves=())


def nextafter(input, other, *, out=None):
    """The next representable float after input towards other."""
    _no_out(out)
    _require_tensor(other, "nextafter", "other", 2)
    if not input.dtype.is_floating_point:
        raise _kind_error("nextafter_cpu", input.dtype)
    if input.dtype is not other.dtype:
        raise RuntimeError(f"expected scalar type {_TITLE(input.dtype)} but found "
                           f"{_TITLE(other.dtype)}")
    return _nextafter(input, other)


def _ldexp_grad_input(F, g, out, a, b):
    # torch computes 2 ** other in other's dtype: for integer exponents below 0
    # that power truncates to 0, and so does torch's gradient. We match it.
    if _is_integral(b):
        return g * F.where(b < 0, 0.0, F.exp2(b))
    return g * F.exp2(b)


def _is_integral(x):
    return (not x.dtype.is_floating_point and not x.dtype.is_complex) if isinstance(x, Tensor) \
        else x.dtype.kind in "biu"


_ldexp = defprim("ldexp", "LdexpBackward0", _float_binary(lambda a, b: a * np.exp2(b)), grads=(
    _ldexp_grad_input,
    lambda F, g, out, a, b: g * out * _LN2), save_output=True)


def ldexp(input, other, *, out=None):
    """input * 2 ** other; integers give the default float."""
    _no_out(out)
    _require_tensor(other, "ldexp", "other", 2)
    return _ldexp(input, other)


frexp_result = collections.namedtuple("frexp", ["mantissa", "exponent"])


def _frexp_forward(x):
    mantissa, exponent = np.frexp(x)
    return mantissa, exponent.astype(np.int32)


_frexp = defprim("frexp", "FrexpBackward0", _frexp_forward, num_outputs=2, save_output=True,
                 saves=(), vjp=lambda F, g, out, x: (g[0] / F.exp2(out[1]),))


def frexp(input, *, out=None):
    """(mantissa, exponent) with input = mantissa * 2 ** exponent; exponent is int32."""
    _no_out(out)
    if not input.dtype.is_floating_point:
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    return frexp_result(*_frexp(input))


for _name, _fn in (("copysign", copysign), ("heaviside", heaviside), ("nextafter", nextafter),
                   ("ldexp", ldexp)):
    tensor_method(_fn, name=_name, inplace=True)
tensor_method(frexp)


# ------------------------------------------------------------- gcd and lcm
_gcd = defprim("gcd", "gcd", lambda a, b: np.gcd(*promote_arrays(a, b)))
_lcm = defprim("lcm", "lcm", lambda a, b: np.lcm(*promote_arrays(a, b)))


def _integer_binary(prim, name):
    def op(input, other, *, out=None):
        _no_out(out)
        _require_tensor(other, name, "other", 2)
        dt = _dtype.result_type(input, other)
        if dt.is_floating_point or dt.is_complex:
            raise _kind_error(f"{name}_cpu", dt)
        return prim(input, other)
    op.__name__ = op.__qualname__ = name
    tensor_method(op, name=name, inplace=True)
    return op


gcd = _integer_binary(_gcd, "gcd")
gcd.__doc__ = "Greatest common divisor (non-negative) of integer tensors."
lcm = _integer_binary(_lcm, "lcm")
lcm.__doc__ = "Least common multiple (non-negative) of integer tensors."


# ------------------------------------------------------------ conjugation
_conj_physical = defprim("conj_physical", "ConjPhysicalBackward0", lambda x: np.conj(x),
                         grads=(lambda F, g, out, x: F.conj(g),), saves=())


def conj_physical(input, *, out=None):
    """The conjugate as a new tensor; real tensors are returned as they are (as torch)."""
    _no_out(out)
    return _conj_physical(input) if input.dtype.is_complex else input


def resolve_conj(input):
    """input itself: minitorch never conjugates lazily, so there is nothing to resolve."""
    return input


def resolve_neg(input):
    """input itself: minitorch never negates lazily, so there is nothing to resolve."""
    return input


tensor_method(conj_physical, inplace=True)
tensor_method(resolve_conj)
tensor_method(resolve_neg)


# ------------------------------------------- torch.<op>_ top-level in-place forms
def _top_level_inplace(name):
    method = getattr(Tensor, name + "_")

    def op_(input, *args, **kwargs):
        return method(input, *args, **kwargs)
    op_.__name__ = op_.__qualname__ = name + "_"
    op_.__doc__ = f"torch.{name}_(input, ...): the same as input.{name}_(...)."
    return op_


_TOP_LEVEL_INPLACE = [
    "abs", "acos", "acosh", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctanh",
    "asin", "asinh", "atan", "atanh", "ceil", "clamp", "clamp_max", "clamp_min", "clip", "cos",
    "cosh", "deg2rad", "erf", "erfc", "exp2", "exp", "expm1", "fix", "floor", "frac", "i0",
    "ldexp", "log10", "log1p", "log2", "log", "logit", "nan_to_num", "neg", "negative",
    "rad2deg", "reciprocal", "relu", "round", "rsqrt", "sigmoid", "sin", "sinc", "sinh", "sqrt",
    "square", "tan", "tanh", "trunc", "xlogy"]
for _name in _TOP_LEVEL_INPLACE:
    globals()[_name + "_"] = _top_level_inplace(_name)


# ---------------------------------------------------------- more operators
def _operand_check(other):
    return isinstance(other, (Tensor, int, float, bool, complex, np.number, np.bool_))


def _binary_operator(fn):
    """An operator method: unsupported operand types give NotImplemented (Python's protocol)."""
    def method(self, other):
        if not _operand_check(other):
            return NotImplemented
        return fn(self, other)
    return method


for _op, _fn in (("and", bitwise_and), ("or", bitwise_or), ("xor", bitwise_xor),
                 ("lshift", bitwise_left_shift), ("rshift", bitwise_right_shift),
                 ("floordiv", floor_divide), ("mod", remainder)):
    setattr(Tensor, f"__{_op}__", _binary_operator(_fn))
    setattr(Tensor, f"__i{_op}__", getattr(Tensor, _fn.__name__ + "_"))
Tensor.__rand__ = _binary_operator(lambda self, other: bitwise_and(other, self))
Tensor.__ror__ = _binary_operator(lambda self, other: bitwise_or(other, self))
Tensor.__rxor__ = _binary_operator(lambda self, other: bitwise_xor(other, self))
Tensor.__rlshift__ = _binary_operator(lambda self, other: bitwise_left_shift(other, self))
Tensor.__rrshift__ = _binary_operator(lambda self, other: bitwise_right_shift(other, self))
Tensor.__rfloordiv__ = _binary_operator(lambda self, other: floor_divide(other, self))
Tensor.__rmod__ = _binary_operator(lambda self, other: remainder(other, self))
Tensor.__invert__ = _invert
tensor_method(positive)

__all__ += [
    "exp2", "expm1", "log2", "log10", "log1p", "logaddexp", "logaddexp2", "rsqrt",
    "float_power", "sin", "cos", "tan", "asin", "arcsin", "acos", "arccos", "atan", "arctan",
    "sinh", "cosh", "asinh", "arcsinh", "acosh", "arccosh", "atanh", "arctanh", "atan2",
    "arctan2", "hypot", "deg2rad", "rad2deg", "sinc", "sgn", "signbit", "floor", "ceil",
    "round", "trunc", "fix", "frac", "clamp", "clip", "clamp_min", "clamp_max", "maximum",
    "minimum", "fmax", "fmin", "lerp", "addcmul", "addcdiv", "erf", "erfc", "erfinv", "lgamma",
    "digamma", "polygamma", "mvlgamma", "i0", "xlogy", "logit", "softmax", "log_softmax",
    "nan_to_num", "isnan", "isinf", "isposinf", "isneginf", "isfinite", "isreal", "isclose",
    "allclose", "real", "imag", "angle", "logical_and", "logical_or", "logical_xor",
    "logical_not", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not",
    "bitwise_left_shift", "bitwise_right_shift", "remainder", "fmod", "floor_divide",
    "copysign", "heaviside", "nextafter", "ldexp", "frexp", "igamma", "igammac", "gcd", "lcm",
    "conj_physical", "resolve_conj", "resolve_neg"] + [n + "_" for n in _TOP_LEVEL_INPLACE]


# ------------------------------------------------------- fast in-place paths
# Optimizer steps are chains of in-place updates on large parameters; outside
# autograd these write straight into the parameter's memory instead of building
# a result and copying it back (see _registry.add_inplace_variant).
def _fast_add(self, other, *, alpha=1):
    b = fast_inplace_operand(self, other)
    if b is None or type(alpha) not in (int, float):
        return False
    if alpha == 1:
        np.add(self._data, b, out=self._data)
    elif not isinstance(b, np.ndarray) or not _openblas.axpy_(self._data, alpha, b):
        np.add(self._data, np.multiply(b, alpha), out=self._data)
    return True


def _fast_sub(self, other, *, alpha=1):
    if type(alpha) not in (int, float):
        return False
    if alpha != 1:
        return _fast_add(self, other, alpha=-alpha)
    # self - other directly (the same IEEE result as self + (-1 * other), one pass fewer)
    b = fast_inplace_operand(self, other)
    if b is None:
        return False
    np.subtract(self._data, b, out=self._data)
    return True


def _fast_binary(ufunc):
    quiet_ufunc = _quiet(ufunc)

    def fast(self, other):
        b = fast_inplace_operand(self, other)
        if b is None:
            return False
        quiet_ufunc(self._data, b, out=self._data)
        return True
    return fast


def _fast_div(self, other, *, rounding_mode=None):
    return rounding_mode is None and _fast_binary(np.true_divide)(self, other)


def _fast_addc(ufunc):
    def fast(self, tensor1, tensor2, *, value=1):
        t1 = fast_inplace_operand(self, tensor1)
        t2 = fast_inplace_operand(self, tensor2)
        if t1 is None or t2 is None or type(value) not in (int, float):
            return False
        with np.errstate(all="ignore"):
            term = ufunc(t1, t2)
            if value != 1:
                term *= value
        np.add(self._data, term, out=self._data)
        return True
    return fast


def _fast_lerp(self, end, weight):
    e = fast_inplace_operand(self, end)
    w = fast_inplace_operand(self, weight)
    if e is None or w is None:
        return False
    a = self._data
    diff = np.subtract(e, a)
    # torch's two-sided formula keeps lerp exact at both ends.
    if type(w) in (int, float):
        result = a + w * diff if -0.5 < w < 0.5 else e - diff * (1 - w)
    else:
        result = np.where(np.abs(w) < 0.5, a + w * diff, e - diff * (1 - w))
    np.copyto(a, result)
    return True


def _fast_unary(ufunc):
    quiet_ufunc = _quiet(ufunc)

    def fast(self):
        if fast_inplace_operand(self, 0) is None:
            return False
        quiet_ufunc(self._data, out=self._data)
        return True
    return fast


for _name, _fn, _fast in (("add", add, _fast_add), ("sub", sub, _fast_sub),
                          ("mul", mul, _fast_binary(np.multiply)), ("div", div, _fast_div),
                          ("addcmul", addcmul, _fast_addc(np.multiply)),
                          ("addcdiv", addcdiv, _fast_addc(np.true_divide)),
                          ("lerp", lerp, _fast_lerp),
                          ("sqrt", sqrt, _fast_unary(np.sqrt)), ("neg", neg, _fast_unary(np.negative))):
    add_inplace_variant(_name, _fn, fast=_fast)
Tensor.__iadd__ = Tensor.add_
Tensor.__isub__ = Tensor.sub_
Tensor.__imul__ = Tensor.mul_
Tensor.__itruediv__ = Tensor.div_
