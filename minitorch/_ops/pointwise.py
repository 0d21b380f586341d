"""Pointwise ops: arithmetic, comparisons, math functions, each with its backward rule.

Binary forwards first cast both arrays to torch's result dtype
(``promote_arrays``), because NumPy's own promotion differs from torch's.
"""
import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd._primitive import defprim, numpy_rule_op
from ._registry import (add_inplace_variant, as_tensor_operand, binary_operands,
                        promote_arrays, result_np_dtype, scalar_tensor, tensor_method)

__all__ = ["add", "sub", "subtract", "rsub", "mul", "multiply", "div", "divide", "true_divide",
           "neg", "negative", "pow", "exp", "log", "sqrt", "abs", "absolute", "sigmoid",
           "tanh", "relu", "conj", "clone", "where", "eq", "ne", "lt", "le", "gt", "ge",
           "greater", "greater_equal", "less", "less_equal", "not_equal", "equal", "sign",
           "square", "reciprocal", "positive"]


def _quiet(fn):
    """Run a NumPy forward without floating-point warnings (torch returns inf/nan silently)."""
    def quiet_forward(*args, **kwargs):
        with np.errstate(all="ignore"):
            return fn(*args, **kwargs)
    quiet_forward.__name__ = getattr(fn, "__name__", "forward")
    return quiet_forward


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
numpy_rule_op("sign")(np.sign)
numpy_rule_op("reshape")(np.reshape)
numpy_rule_op("broadcast_to")(np.broadcast_to)
numpy_rule_op("matmul")(np.matmul)
numpy_rule_op("zeros_like")(np.zeros_like)
numpy_rule_op("ones_like")(np.ones_like)


@numpy_rule_op()
def sum(x, dim=None, keepdim=False):
    return np.sum(x, axis=None if dim is None else dim, keepdims=keepdim)


@numpy_rule_op()
def unsqueeze(x, dim):
    return np.expand_dims(x, dim)


@numpy_rule_op()
def transpose(x, dim0, dim1):
    return np.swapaxes(x, dim0, dim1)


@numpy_rule_op()
def sum_to_size(x, *size):
    from ..autograd._primitive import sum_to_shape
    shape = tuple(size[0]) if len(size) == 1 and not isinstance(size[0], int) else size
    return sum_to_shape(x, shape)


# ------------------------------------------------------------------ arithmetic
def _add_forward(a, b, alpha=1):
    a, b = promote_arrays(a, b)
    return a + b if alpha == 1 else a + alpha * b


def _sub_forward(a, b, alpha=1):
    a, b = promote_arrays(a, b)
    return a - b if alpha == 1 else a - alpha * b


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
_mul = defprim("mul", "MulBackward0", lambda a, b: np.multiply(*promote_arrays(a, b)), grads=(
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
    _no_out(out)
    a, b = binary_operands(input, other)
    return _add(a, b, alpha=alpha) if alpha != 1 else _add(a, b)


def sub(input, other, *, alpha=1, out=None):
    """input - alpha * other."""
    _no_out(out)
    if isinstance(input, Tensor) and input.dtype is _dtype.bool and (
            not isinstance(other, Tensor) or other.dtype is _dtype.bool):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                           "supported. Use the `^` or `logical_xor()` operator instead.")
    a, b = binary_operands(input, other)
    return _sub(a, b, alpha=alpha) if alpha != 1 else _sub(a, b)


subtract = sub


def rsub(input, other, *, alpha=1):
    """other - alpha * input."""
    a, b = binary_operands(input, other)
    return _rsub(a, b, alpha=alpha) if alpha != 1 else _rsub(a, b)


def mul(input, other, *, out=None):
    """Elementwise product."""
    _no_out(out)
    return _mul(*binary_operands(input, other))


multiply = mul


def div(input, other, *, rounding_mode=None, out=None):
    """True division (integers promote to the default float dtype), or 'trunc'/'floor'."""
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


def _true_div_forward(a, b):
    dt = result_np_dtype(a, b)
    if dt.kind in "biu":
        dt = _dtype.get_default_dtype()._np
    with np.errstate(all="ignore"):
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


def _pow_forward(a, b):
    a, b = promote_arrays(a, b)
    if a.dtype.kind in "iu" and np.any(b < 0):
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    with np.errstate(all="ignore"):
        return np.power(a, b)


_pow_tt = defprim("pow", "PowBackward1", _pow_forward,
                  grads=(_pow_tensor_grad_base, _pow_tensor_grad_exp), save_output=True)


def _pow_scalar_forward(x, exponent):
    if x.dtype.kind in "biu" and isinstance(exponent, float):
        x = x.astype(_dtype.get_default_dtype()._np)
    if x.dtype.kind in "iu" and isinstance(exponent, int) and exponent < 0:
        raise RuntimeError("Integers to negative integer powers are not allowed.")
    with np.errstate(all="ignore"):
        result = np.power(x, exponent)
    return result.astype(x.dtype, copy=False) if x.dtype.kind != "b" else result


def _pow_scalar_grad(F, g, out, x, exponent):
    if exponent == 0:
        return g * 0
    return g * (exponent * F.conj(x ** (exponent - 1)))


_pow_ts = defprim("pow_scalar", "PowBackward0", _pow_scalar_forward,
                  grads=(_pow_scalar_grad,))


def _rpow_forward(x, base):
    dt = result_np_dtype(x, np.asarray(base))
    if isinstance(base, float) and x.dtype.kind in "biu":
        dt = _dtype.get_default_dtype()._np
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
           inplace=True, float_only=True):
    """Declare a unary primitive and its public function (and Tensor methods)."""
    prim = defprim(name, node_name, _quiet(forward) if float_only else forward,
                   grads=(rule,), save_output=save_output, saves=saves)

    def op(input, *, out=None):
        _no_out(out)
        if float_only and input._data.dtype.kind in "biu":
            input = _to_dtype(input, _dtype.get_default_dtype())
        return prim(input)
    op.__name__ = name
    op.__qualname__ = name
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
abs = _unary("abs", "AbsBackward0", np.abs, lambda F, g, out, x: g * F.sign(x), float_only=False)
absolute = abs
relu = _unary("relu", "ReluBackward0", lambda x: np.maximum(x, 0).astype(x.dtype, copy=False),
              lambda F, g, out, x: g * (out > 0), save_output=True, saves=(), float_only=False)
sign = _unary("sign", "SignBackward0", np.sign, lambda F, g, out, x: g * 0, saves=(),
              float_only=False)


def _sigmoid_np(x):
    # Stable for large |x|: exp of a non-positive number only.
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(x.dtype, copy=False)


def square(input):
    """input * input (bool and ints stay integral; int64 for bool, as torch)."""
    if input.dtype is _dtype.bool:
        input = _to_dtype(input, _dtype.int64)
    return pow(input, 2)


tensor_method(square, inplace=True)


def reciprocal(input):
    """1 / input (integers promote to the default float dtype)."""
    return div(1.0, input) if input._data.dtype.kind in "biu" else div(1, input)


tensor_method(reciprocal, inplace=True)


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


Tensor.__add__ = add
Tensor.__radd__ = add
Tensor.__iadd__ = Tensor.add_
Tensor.__sub__ = sub
Tensor.__rsub__ = lambda self, other: rsub(self, other)
Tensor.__isub__ = Tensor.sub_
Tensor.__mul__ = mul
Tensor.__rmul__ = mul
Tensor.__imul__ = Tensor.mul_
Tensor.__truediv__ = div
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
