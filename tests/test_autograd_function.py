"""autograd.Function, once_differentiable, gradcheck/gradgradcheck, functional, anomaly mode.

Expected values come from the calculus, worked out by hand.
"""
import math
import warnings

import numpy as np
import pytest

import minitorch as torch
from minitorch.autograd import Function
from minitorch.autograd.function import FunctionCtx, once_differentiable
from minitorch.autograd.gradcheck import GradcheckError
from minitorch.autograd import functional as AF


def leaf(*values):
    return torch.tensor(list(values), dtype=torch.float64, requires_grad=True)


def assert_values(t, expected):
    np.testing.assert_allclose(np.asarray(t.detach().tolist()), np.asarray(expected),
                               rtol=1e-10, atol=1e-12)


class Exp(Function):
    @staticmethod
    def forward(ctx, x):
        result = x.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result


class Cube(Function):
    """Saves its input; its backward uses differentiable ops, so it supports double backward."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return 3 * x ** 2 * g


class ScaleBy(Function):
    """Mixed tensor / non-tensor inputs, arbitrary ctx attributes, needs_input_grad."""

    @staticmethod
    def forward(ctx, x, factor, y):
        ctx.factor = factor
        ctx.save_for_backward(x, y)
        return x * y * factor

    @staticmethod
    def backward(ctx, g):
        x, y = ctx.saved_tensors
        gx = g * y * ctx.factor if ctx.needs_input_grad[0] else None
        gy = g * x * ctx.factor if ctx.needs_input_grad[2] else None
        return gx, None, gy


# ------------------------------------------------------------ Function basics
def test_custom_function_forward_and_backward():
    x = leaf(0.0, 1.0)
    y = Exp.apply(x)
    assert_values(y, [1.0, math.e])
    y.sum().backward()
    assert_values(x.grad, [1.0, math.e])


def test_node_class_name_and_edges():
    x = leaf(1.0)
    y = Exp.apply(x)
    assert y.grad_fn.name() == "ExpBackward"
    assert type(y.grad_fn).__name__ == "ExpBackward"
    assert "function.ExpBackward object at" in repr(y.grad_fn)
    assert "grad_fn=<ExpBackward>" in repr(y)
    ((acc, nr),) = y.grad_fn.next_functions
    assert type(acc).__name__ == "AccumulateGrad" and nr == 0
    assert isinstance(y.grad_fn, FunctionCtx)


def test_forward_runs_without_recording_and_backward_plainly():
    seen = {}

    class Probe(Function):
        @staticmethod
        def forward(ctx, x):
            seen["forward"] = torch.is_grad_enabled()
            return x * 2

        @staticmethod
        def backward(ctx, g):
            seen["backward"] = torch.is_grad_enabled()
            return g * 2

    Probe.apply(leaf(1.0)).sum().backward()
    assert seen == {"forward": False, "backward": False}


def test_non_tensor_arguments_and_needs_input_grad():
    x = leaf(1.0, 2.0)
    y = torch.tensor([3.0, 4.0], dtype=torch.float64)
    out = ScaleBy.apply(x, 10.0, y)
    assert out.grad_fn.needs_input_grad == (True, False, False)
    # Only tensor inputs get graph edges.
    assert len(out.grad_fn.next_functions) == 2
    out.sum().backward()
    assert_values(x.grad, [30.0, 40.0])


def test_keyword_arguments_count_as_inputs():
    class Mul(Function):
        @staticmethod
        def forward(ctx, a, b=None):
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g * 2, g * 3

    a, b = leaf(1.0), leaf(5.0)
    Mul.apply(a, b=b).sum().backward()
    assert_values(a.grad, [2.0])
    assert_values(b.grad, [3.0])


def test_no_node_when_nothing_requires_grad_or_under_no_grad():
    assert Exp.apply(torch.tensor([1.0])).grad_fn is None
    with torch.no_grad():
        y = Exp.apply(leaf(1.0))
    assert y.grad_fn is None and not y.requires_grad


def test_setup_context_style():
    class Mul(Function):
        @staticmethod
        def forward(x, k=3.0):
            return x * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, k = inputs          # defaults are bound in
            ctx.k = k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    x = leaf(1.0, 2.0)
    Mul.apply(x).sum().backward()
    assert_values(x.grad, [3.0, 3.0])


def test_multiple_outputs_and_non_tensor_outputs():
    class Split(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, "label", x * 3

        @staticmethod
        def backward(ctx, g1, g_label, g2):
            assert g_label is None
            return g1 * 2 + g2 * 3

    x = leaf(1.0)
    a, label, b = Split.apply(x)
    assert label == "label"
    assert a.grad_fn is b.grad_fn and (a.output_nr, b.output_nr) == (0, 2)
    a.sum().backward()                       # b gets no gradient: materialized as zeros
    assert_values(x.grad, [2.0])


def test_set_materialize_grads_false_passes_none():
    seen = []

    class Two(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            seen.append(g2)
            return g1 * 2

    x = leaf(1.0)
    Two.apply(x)[0].sum().backward()
    assert seen == [None]
    assert_values(x.grad, [2.0])


def test_mark_non_differentiable():
    seen = []

    class MaxIdx(Function):
        @staticmethod
        def forward(ctx, x):
            values = x * 1
            mask = x * 0
            ctx.mark_non_differentiable(mask)
            return values, mask

        @staticmethod
        def backward(ctx, g_values, g_mask):
            seen.append(g_mask.tolist())
            return g_values

    x = leaf(1.0, 2.0)
    values, mask = MaxIdx.apply(x)
    assert values.requires_grad and not mask.requires_grad
    values.sum().backward()
    assert seen == [[0.0, 0.0]]


def test_integer_outputs_are_not_differentiable():
    class WithIndex(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2, x.argmax()

        @staticmethod
        def backward(ctx, g, g_index):
            return g * 2

    y, idx = WithIndex.apply(leaf(1.0, 3.0))
    assert y.requires_grad and not idx.requires_grad


def test_returning_an_input_gives_a_new_tensor():
    class Identity(Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 5

    x = leaf(1.0)
    y = Identity.apply(x)
    assert y is not x and not y.is_leaf
    y.sum().backward()
    assert_values(x.grad, [5.0])


def test_backward_returning_extra_nones_is_allowed():
    class F(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2, None, None

    x = leaf(1.0)
    F.apply(x).sum().backward()
    assert_values(x.grad, [2.0])


def test_backward_result_errors():
    class TooFew(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g

    x = leaf(1.0)
    with pytest.raises(RuntimeError, match=r"function TooFewBackward returned an incorrect number "
                                           r"of gradients \(expected 2, got 1\)"):
        TooFew.apply(x, x).sum().backward()

    class GradForConstant(Function):
        @staticmethod
        def forward(ctx, a, k):
            return a * k

        @staticmethod
        def backward(ctx, g):
            return g, g

    with pytest.raises(RuntimeError, match="position 2, but the corresponding forward input was "
                                           "not a Variable"):
        GradForConstant.apply(x, 2.0).sum().backward()

    class WrongShape(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return torch.ones(3, dtype=torch.float64)

    x2 = leaf(1.0, 2.0)
    with pytest.raises(RuntimeError, match="invalid gradient at index 0 - got \\[3\\] but expected "
                                           "shape compatible with \\[2\\]"):
        WrongShape.apply(x2).sum().backward()

    class NotATensor(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return 3

    with pytest.raises(RuntimeError, match=r"expected Variable or None \(got int\)"):
        NotATensor.apply(x).sum().backward()


def test_broadcastable_gradient_is_summed_and_cast():
    class Wide(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return torch.ones(3, 2, dtype=torch.float32)

    x = leaf(1.0, 2.0)
    Wide.apply(x).sum().backward()
    assert x.grad.dtype == torch.float64
    assert_values(x.grad, [3.0, 3.0])


def test_saved_tensors_freed_after_backward():
    x = leaf(1.0)
    y = Exp.apply(x)
    y.sum().backward(retain_graph=True)
    assert len(y.grad_fn.saved_tensors) == 1
    y.sum().backward()
    with pytest.raises(RuntimeError, match="after they have already been freed"):
        y.grad_fn.saved_tensors
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.sum().backward()


def test_saved_tensor_modified_in_place_is_detected():
    x = leaf(1.0, 2.0)
    h = x * 1
    y = Cube.apply(h)
    h.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_save_for_backward_rejects_non_tensors():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, 3)
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(TypeError, match="argument 1 is of type int"):
        Bad.apply(leaf(1.0))


def test_mark_dirty_inplace_forward():
    class AddOne(Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 3

    x = leaf(1.0, 2.0)
    h = x * 1
    saved_user = h * h                     # saves h before the in-place change
    out = AddOne.apply(h)
    assert out is h and h.grad_fn.name() == "AddOneBackward"
    assert_values(h, [2.0, 3.0])
    out.sum().backward(retain_graph=True)
    assert_values(x.grad, [3.0, 3.0])
    with pytest.raises(RuntimeError, match="inplace operation"):
        saved_user.sum().backward()
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        AddOne.apply(leaf(1.0))


def test_mark_dirty_through_a_view():
    class Triple(Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(3)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 3

    x = leaf(1.0, 2.0)
    base = x * 1
    Triple.apply(base[:1])
    assert_values(base, [3.0, 2.0])
    base.sum().backward()
    assert_values(x.grad, [3.0, 1.0])


def test_mark_dirty_on_view_of_leaf_raises():
    class Dirty(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(RuntimeError, match="view of a leaf Variable"):
        Dirty.apply(leaf(1.0, 2.0)[:1])


def test_dirty_tensor_must_be_returned():
    class Forgetful(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_dirty(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g

    with pytest.raises(RuntimeError, match="marked as dirty"):
        Forgetful.apply(leaf(1.0) * 1)


def test_double_backward_through_custom_function():
    x = leaf(2.0)
    (g,) = torch.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
    assert_values(g, [12.0])
    (g2,) = torch.autograd.grad(g.sum(), x)
    assert_values(g2, [12.0])               # d/dx 3x^2 = 6x


def test_double_backward_uses_saved_output_history():
    x = leaf(0.5)
    (g,) = torch.autograd.grad(Exp.apply(x).sum(), x, create_graph=True)
    (g2,) = torch.autograd.grad(g.sum(), x)
    assert_values(g2, [math.exp(0.5)])


def test_reentrant_backward_like_checkpointing():
    class Checkpoint(Function):
        """Recompute the forward inside backward and run a nested backward on it."""

        @staticmethod
        def forward(ctx, run, *args):
            ctx.run = run
            ctx.save_for_backward(*args)
            return run(*args)

        @staticmethod
        def backward(ctx, *grads):
            inputs = [t.detach().requires_grad_(t.requires_grad) for t in ctx.saved_tensors]
            with torch.enable_grad():
                out = ctx.run(*inputs)
            torch.autograd.backward(out, grads)
            return (None,) + tuple(t.grad for t in inputs)

    f = lambda a, b: (a * b).tanh() * a
    x, w = leaf(0.5, 1.5), leaf(2.0, -1.0)
    (Checkpoint.apply(f, x, w) ** 2).sum().backward()
    got = (x.grad.tolist(), w.grad.tolist())
    x.grad = w.grad = None
    (f(x, w) ** 2).sum().backward()
    np.testing.assert_allclose(got[0], x.grad.tolist(), rtol=1e-12)
    np.testing.assert_allclose(got[1], w.grad.tolist(), rtol=1e-12)


def test_once_differentiable():
    class OnceCube(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        @once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x ** 2 * g

    x = leaf(2.0)
    OnceCube.apply(x).sum().backward()
    assert_values(x.grad, [12.0])
    seed = torch.ones(1, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(OnceCube.apply(x), x, seed, create_graph=True)
    assert_values(g, [12.0])
    with pytest.raises(RuntimeError, match="marked with @once_differentiable"):
        g.sum().backward()


def test_function_cannot_be_instantiated_usefully():
    with pytest.warns(DeprecationWarning):
        fn = Exp()
    with pytest.raises(RuntimeError, match="Legacy autograd function"):
        fn(leaf(1.0))


def test_missing_backward_raises_not_implemented():
    class NoBackward(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    y = NoBackward.apply(leaf(1.0))
    with pytest.raises(NotImplementedError):
        y.sum().backward()


def test_hooks_on_function_node():
    x = leaf(1.0)
    y = Exp.apply(x)
    calls = []
    y.grad_fn.register_hook(lambda gin, gout: calls.append((gin[0].tolist(), gout[0].tolist())))
    y.sum().backward()
    np.testing.assert_allclose(calls[0][0], [math.e])
    assert calls[0][1] == [1.0]


# ------------------------------------------------------------------ gradcheck
def test_gradcheck_passes_for_correct_gradients():
    x = leaf(0.5, -1.0, 2.0)
    y = leaf(1.5, 0.2, -0.3)
    assert torch.autograd.gradcheck(lambda a, b: (a * b).tanh() + a.exp(), (x, y))
    assert torch.autograd.gradcheck(Exp.apply, (x,))
    assert torch.autograd.gradcheck(lambda a: a.sum(), x)        # a bare tensor is fine


def test_gradcheck_detects_wrong_gradients():
    class BadExp(Function):
        @staticmethod
        def forward(ctx, x):
            return x.exp()

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = leaf(0.0, 1.0)
    with pytest.raises(GradcheckError, match="Jacobian mismatch for output 0 with respect to "
                                             "input 0"):
        torch.autograd.gradcheck(BadExp.apply, (x,))
    assert issubclass(GradcheckError, RuntimeError)
    assert torch.autograd.gradcheck(BadExp.apply, (x,), raise_exception=False) is False


def test_gradcheck_input_validation():
    with pytest.raises(ValueError, match="at least one input tensor to require gradient"):
        torch.autograd.gradcheck(lambda a: a * 2, (torch.ones(2, dtype=torch.float64),))
    with pytest.warns(UserWarning, match="not a double precision"):
        torch.autograd.gradcheck(lambda a: a * 2, (torch.ones(2, requires_grad=True),),
                                 eps=1e-3, atol=1e-2, rtol=1e-2)
    with pytest.raises(NotImplementedError, match="check_forward_ad"):
        torch.autograd.gradcheck(lambda a: a * 2, (leaf(1.0),), check_forward_ad=True)


def test_gradcheck_catches_undefined_grad_mishandling():
    class NeedsBoth(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            return g1 * 2 + g2 * 3        # fails when either grad is None

    # Each output's Jacobian is taken alone, so the other output's grad is None.
    with pytest.raises(TypeError):
        torch.autograd.gradcheck(NeedsBoth.apply, (leaf(1.0),))

    class HandlesNone(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.set_materialize_grads(False)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            total = None
            for g, k in ((g1, 2), (g2, 3)):
                if g is not None:
                    total = g * k if total is None else total + g * k
            return total

    assert torch.autograd.gradcheck(HandlesNone.apply, (leaf(1.0),))


def test_gradgradcheck():
    x = leaf(0.5, -1.0)
    y = leaf(1.5, 0.2)
    assert torch.autograd.gradgradcheck(lambda a, b: (a * b).tanh() * a, (x, y))
    assert torch.autograd.gradgradcheck(Cube.apply, (x,))

    class FirstOrderOnly(Function):
        """Correct first derivative, but its backward is not differentiable through x."""

        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x.detach() ** 2 * g

    assert torch.autograd.gradcheck(FirstOrderOnly.apply, (x,))
    with pytest.raises(GradcheckError, match="Jacobian mismatch"):
        torch.autograd.gradgradcheck(FirstOrderOnly.apply, (x,))


# ----------------------------------------------------------------- functional
def test_jacobian_single_and_tuple():
    x = leaf(1.0, 2.0)
    jac = AF.jacobian(lambda a: a ** 2, x)
    assert_values(jac, [[2.0, 0.0], [0.0, 4.0]])
    y = leaf(3.0)
    ja, jb = AF.jacobian(lambda a, b: a * b, (x, y))
    assert_values(ja, [[3.0, 0.0], [0.0, 3.0]])
    assert_values(jb, [[1.0], [2.0]])
    assert not ja.requires_grad


def test_jacobian_of_several_outputs_and_unused_input():
    x, y = leaf(1.0, 2.0), leaf(3.0)
    (j00, j01), (j10, j11) = AF.jacobian(lambda a, b: (a.sum(), a * 0 + 1), (x, y))
    assert j00.shape == (2,) and j01.shape == (1,)
    assert_values(j00, [1.0, 1.0])
    assert_values(j01, [0.0])
    assert_values(j10, [[0.0, 0.0], [0.0, 0.0]])
    with pytest.raises(RuntimeError, match="independent of input 1"):
        AF.jacobian(lambda a, b: a * 2, (x, y), strict=True)


def test_jacobian_create_graph_is_differentiable():
    x = leaf(1.0, 2.0)
    jac = AF.jacobian(lambda a: a ** 3, x, create_graph=True)
    assert jac.requires_grad
    jac.sum().backward()                    # d/dx sum diag(3x^2) = 6x
    assert_values(x.grad, [6.0, 12.0])


def test_hessian():
    x = leaf(1.0, 2.0)
    h = AF.hessian(lambda a: (a[0] ** 2) * a[1] + a[1] ** 3, x)
    # f = x0^2 x1 + x1^3: [[2 x1, 2 x0], [2 x0, 6 x1]]
    assert_values(h, [[4.0, 2.0], [2.0, 12.0]])
    with pytest.raises(RuntimeError, match="single element"):
        AF.hessian(lambda a: a * 2, x)


def test_vjp_jvp_hvp_vhp():
    x = leaf(1.0, 2.0)
    v = torch.tensor([1.0, -1.0], dtype=torch.float64)
    out, vjp = AF.vjp(lambda a: a ** 2, x, v)
    assert_values(out, [1.0, 4.0])
    assert_values(vjp, [2.0, -4.0])
    out, jvp = AF.jvp(lambda a: a.sum() * a, x, v)
    # J = s I + x 1^T with s = sum x = 3; J v = 3 v + x (1.v) = 3 v
    assert_values(jvp, [3.0, -3.0])
    f = lambda a: (a ** 3).sum()           # H = diag(6 x)
    out, hvp = AF.hvp(f, x, v)
    assert_values(out, 9.0)
    assert_values(hvp, [6.0, -12.0])
    _, vhp = AF.vhp(f, x, v)
    assert_values(vhp, [6.0, -12.0])


def test_functional_argument_errors():
    x = leaf(1.0, 2.0)
    with pytest.raises(RuntimeError, match="v can only be None"):
        AF.vjp(lambda a: a * 2, x)
    with pytest.raises(RuntimeError, match="v has invalid size"):
        AF.vjp(lambda a: a * 2, x, torch.ones(3, dtype=torch.float64))
    with pytest.raises(TypeError, match="must be either a Tensor or a tuple of Tensors"):
        AF.jacobian(lambda a: a, [x])
    with pytest.raises(NotImplementedError, match="forward-mode"):
        AF.jacobian(lambda a: a, x, strategy="forward-mode")


# --------------------------------------------------------------- anomaly mode
def test_detect_anomaly_names_the_forward_op():
    class NanGrad(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g * float("nan")

    x = leaf(1.0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with torch.autograd.detect_anomaly():
            y = NanGrad.apply(x).sum()
            with pytest.raises(RuntimeError, match="Function 'NanGradBackward' returned nan "
                                                   "values in its 0th output."):
                y.backward()
    messages = [str(w.message) for w in caught]
    assert any("Error detected in NanGradBackward" in m and "NanGrad.apply(x)" in m
               for m in messages)


def test_detect_anomaly_on_builtin_op():
    x = torch.tensor([-1.0], requires_grad=True)
    with pytest.warns(UserWarning):
        with torch.autograd.detect_anomaly():
            y = x.sqrt().sum()
            with pytest.raises(RuntimeError, match="Function 'SqrtBackward0' returned nan"):
                y.backward()
    # Outside anomaly mode the NaN flows through silently.
    x.sqrt().sum().backward()
    assert math.isnan(x.grad.item())


def test_detect_anomaly_names_the_op_behind_any_backward_error():
    x = leaf(1.0, 2.0)
    with pytest.warns(UserWarning) as record:
        with torch.autograd.detect_anomaly():
            h = x * 1
            saver = h.exp() * h      # MulBackward0 saves h
            h.add_(1)
            with pytest.raises(RuntimeError, match="inplace operation"):
                saver.sum().backward()
    messages = [str(w.message) for w in record]
    assert any("Error detected in MulBackward0" in m and "saver = h.exp() * h" in m
               for m in messages)


def test_set_detect_anomaly_function_and_context():
    from minitorch.autograd.anomaly_mode import is_anomaly_enabled
    assert not is_anomaly_enabled()
    torch.autograd.set_detect_anomaly(True)
    try:
        assert is_anomaly_enabled()
    finally:
        torch.autograd.set_detect_anomaly(False)
    assert not is_anomaly_enabled()
    with torch.autograd.set_detect_anomaly(True):
        assert is_anomaly_enabled()
    assert not is_anomaly_enabled()
