"""Parity of the autograd engine's fast paths with torch.

The engine, the recording in ``apply`` and a few NumPy twins used by backward
rules have quick paths for the common case (plain backward, no hooks, contiguous
arrays) and general paths for the rest. These tests drive both kinds through the
same programs in torch and minitorch.
"""
import numpy as np
import pytest

from harness import check, check_error, rand


def _f64(*shape, seed=None):
    return rand(*shape, dtype=np.float64, seed=seed)


def _f32(*shape, seed=None):
    return rand(*shape, dtype=np.float32, seed=seed)


# ------------------------------------------------------------------ roots
def test_backward_through_the_same_root_twice():
    def fn(lib, x):
        x.requires_grad_()
        y = (x * 2).sum()
        lib.autograd.backward([y, y])
        return x.grad

    check(fn, _f64(3), grad=False)


def test_autograd_grad_of_the_same_root_twice():
    def fn(lib, x):
        x.requires_grad_()
        y = (x * x).sum()
        return lib.autograd.grad([y, y], x)

    check(fn, _f64(3), grad=False)


def test_roots_where_one_feeds_the_other():
    def fn(lib, x):
        x.requires_grad_()
        y = x * 3
        z = (y * y).sum()
        lib.autograd.backward([z, y], [None, lib.ones_like(y)])
        return x.grad

    check(fn, _f64(4), grad=False)


# ------------------------------------------------- reduction gradients
REDUCTIONS = {
    "sum": lambda x: x.sum(),
    "mean": lambda x: x.mean(),
    "sum_dim": lambda x: x.sum(1),
    "sum_keepdim": lambda x: x.sum(0, keepdim=True),
    "mean_dims": lambda x: x.mean((0, 2)),
    "mean_keepdim": lambda x: x.mean(-1, keepdim=True),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("layout", ["contiguous", "noncontiguous"])
def test_reduction_gradient_layout_seen_by_a_hook(name, layout):
    """Reduction gradients broadcast back as stride-0 views (torch's expand)."""
    def fn(lib, x):
        x.requires_grad_()
        if layout == "noncontiguous":
            x = x.transpose(0, 2)
        seen = []
        y = x * 2
        y.register_hook(lambda g: seen.append((tuple(g.shape), g.stride(),
                                               g.is_contiguous(), g.clone())))
        out = REDUCTIONS[name](y)
        out.backward(lib.ones_like(out) * 1.5)
        return seen

    check(fn, _f64(2, 3, 4), grad=False)


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reduction_gradients_through_a_scalar_buffer(name):
    """Two uses of a reduced value sum their gradients before the reduction's backward."""
    def fn(lib, x):
        r = REDUCTIONS[name](x)
        return (r * 2 + r.exp()).sum()

    check(fn, _f64(2, 3, 4))


@pytest.mark.parametrize("shape", [(), (1,), (0,), (1, 1), (3, 0), (2, 1, 3)])
def test_full_reductions_of_odd_shapes(shape):
    check(lambda lib, x: x.sum() * 3 + x.mean() if x.numel() else x.sum() * 3, _f64(*shape))


def test_in_place_write_into_a_reduction_gradient_raises_like_torch():
    def fn(lib, x):
        y = x.requires_grad_() * 1
        y.register_hook(lambda g: g.add_(1))
        y.sum().backward()

    check_error(fn, _f64(2, 3))


def test_reduction_gradient_of_size_one_dims():
    check(lambda lib, x: (x.sum((0, 2)) * x.mean(1).sum()).sum(), _f32(1, 4, 1))


# ---------------------------------------------------------- saved outputs
# A node keeps its saved outputs as arrays plus version counters (no reference
# cycle through the output Tensor); unpacking rebuilds them as outputs of the node.
def test_modified_saved_output_error_names_the_op_that_made_it():
    def in_place(lib, x):
        y = x.requires_grad_().exp()
        y.add_(1)
        y.sum().backward()

    def through_a_view(lib, x):
        y = x.requires_grad_().exp()
        y[1:].mul_(2)
        y.sum().backward()

    for fn, op in ((in_place, "Exp"), (through_a_view, "Exp")):
        check_error(fn, _f64(3), match=f"which is output 0 of {op}, is at version 1; "
                                       "expected version 0 instead")


def test_modified_saved_output_of_a_multi_output_op():
    def fn(lib, x):
        q, r = lib.linalg.qr(x.requires_grad_())
        r.mul_(2)
        (q.sum() + r.sum()).backward()

    check_error(fn, _f64(4, 3), match="which is output 1 of LinalgQr, is at version 1; "
                                      "expected version 0 instead")


def test_double_backward_through_a_saved_output_whose_tensor_was_detached():
    def fn(lib, x):
        y = x.exp()
        z = y * y.detach()
        y.detach_()
        (g,) = lib.autograd.grad(z.sum(), x, create_graph=True)
        return g

    check(fn, _f64(3))


@pytest.mark.parametrize("op", ["exp", "tanh", "sigmoid", "sqrt", "relu"])
def test_second_derivative_through_saved_outputs(op):
    def fn(lib, x):
        (g,) = lib.autograd.grad(getattr(x.abs(), op)().sum(), x, create_graph=True)
        return g

    check(fn, _f64(5))


def test_saved_output_replaced_through_data_keeps_the_recorded_value():
    def fn(lib, x):
        y = x.requires_grad_().exp()
        y.data = lib.zeros_like(y)
        y.sum().backward()
        return x.grad

    check(fn, _f64(3), grad=False)


# ------------------------------------------------------- operand dispatch
SCALARS = [2, 2.5, True, -3, np.float32(1.5), np.float64(0.25), np.int64(3), 1 + 2j]


@pytest.mark.parametrize("scalar", SCALARS, ids=repr)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.bool_])
def test_tensor_scalar_arithmetic(scalar, dtype):
    def fn(lib, x):
        out = [x * scalar, scalar * x, x + scalar, scalar + x, x / scalar]
        if x.dtype != lib.bool and not isinstance(scalar, bool):  # torch refuses bools
            out += [x - scalar, scalar - x]
        return out

    x = rand(2, 3, dtype=dtype)
    check(fn, x, grad=np.dtype(dtype).kind == "f")


@pytest.mark.parametrize("bad", ["text", None, [1.0, 2.0], object()],
                         ids=["str", "None", "list", "object"])
@pytest.mark.parametrize("op", ["add", "sub", "mul", "div"])
def test_unsupported_operands_raise_type_error(bad, op):
    check_error(lambda lib, x: getattr(lib, op)(x, bad), _f64(3))
    check_error(lambda lib, x: getattr(lib, op)(bad, x), _f64(3))


@pytest.mark.parametrize("fn", [
    lambda lib, x: (x > 0) - (x < 0), lambda lib, x: (x > 0) - True, lambda lib, x: x - True,
    lambda lib, x: True - x, lambda lib, x: (x > 0).sub(np.bool_(True)), lambda lib, x: (x > 0) - 1,
    lambda lib, x: 1.5 - (x > 0), lambda lib, x: lib.rsub(x > 0, x),
    lambda lib, x: lib.sub(x, x > 0, alpha=2)])
def test_bool_subtraction_raises(fn):
    torch_error, ours = check_error(fn, _f64(3))
    assert str(ours) == str(torch_error)


# -------------------------------------------------- in-place fast paths
INPLACE = {
    "add_tensor": lambda p, o: p.add_(o),
    "add_alpha": lambda p, o: p.add_(o, alpha=-0.5),
    "add_scalar": lambda p, o: p.add_(1.5),
    "sub_tensor": lambda p, o: p.sub_(o),
    "sub_alpha": lambda p, o: p.sub_(o, alpha=2),
    "sub_scalar": lambda p, o: p.sub_(0.25),
    "isub": lambda p, o: p.__isub__(o * 0.1),
    "mul_tensor": lambda p, o: p.mul_(o),
    "div_tensor": lambda p, o: p.div_(o),
}


@pytest.mark.parametrize("name", sorted(INPLACE))
@pytest.mark.parametrize("case", ["same", "broadcast", "other_dtype", "noncontiguous", "view"])
def test_in_place_update_outside_autograd(name, case):
    """Writes straight into self (no_grad fast path) or through the general path."""
    def fn(lib, p, o):
        with lib.no_grad():
            target = p
            if case == "noncontiguous":
                target = p.t()
                o = o.t()
            elif case == "view":
                target = p[1:]
                o = o[1:]
            elif case == "broadcast":
                o = o[0]
            elif case == "other_dtype":
                o = o.double()
            before = target._version
            INPLACE[name](target, o)
            return p, target._version - before

    p, o = _f32(3, 3), rand(3, 3, dtype=np.float32, low=0.5, high=2.0)
    check(fn, p, o, grad=False)


def test_retain_graph_reuses_saved_outputs():
    def fn(lib, x):
        x.requires_grad_()
        y = x.exp().tanh()
        y.sum().backward(retain_graph=True)
        (y * y).sum().backward()
        return x.grad

    check(fn, _f64(4), grad=False)


def test_multi_output_saved_outputs_plain_and_double_backward():
    def plain(lib, x):
        q, r = lib.linalg.qr(x)
        return q.sum() + (r * r).sum()

    def double(lib, x):
        q, r = lib.linalg.qr(x)
        (g,) = lib.autograd.grad((q * q.detach()).sum() + r.sum(), x, create_graph=True)
        return g

    check(plain, _f64(4, 3))
    check(double, _f64(4, 3))


def test_saved_tensors_are_freed_after_backward():
    def fn(lib, x):
        y = x.requires_grad_() * x
        y.sum().backward()
        if lib.__name__ == "minitorch":
            return y.grad_fn._saved_tensors
        return y.grad_fn._saved_self  # torch's accessor for the same saved input

    check_error(fn, _f64(3), match="directly access saved tensors after they have already "
                                   "been freed")


# ------------------------------------------------------------- leaf nodes
@pytest.mark.parametrize("anomaly", [False, True])
def test_hooks_on_a_leaf_accumulator(anomaly):
    """Leaves take a short path through the engine unless hooks or anomaly mode need more."""
    def fn(lib, x):
        x.requires_grad_()
        seen = []
        y = x * 3
        acc = y.grad_fn.next_functions[0][0]
        acc.register_prehook(lambda grads: (grads[0] * 2,))
        acc.register_hook(lambda grad_inputs, grad_outputs: seen.append(
            [None if g is None else g.clone() for g in grad_inputs + grad_outputs]))
        x.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.clone()))
        with lib.autograd.set_detect_anomaly(anomaly):
            y.sum().backward()
        return x.grad, seen, type(acc).__name__

    check(fn, _f64(3), grad=False)


def test_leaf_reached_twice_and_through_a_tensor_hook():
    def fn(lib, x):
        x.requires_grad_()
        x.register_hook(lambda g: g * 10)
        (x * 2 + x.exp()).sum().backward()
        (x * x).sum().backward()
        return x.grad

    check(fn, _f64(3), grad=False)
