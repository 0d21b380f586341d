"""Autograd parity with torch: higher order, functional API, custom Functions, hooks, errors."""
import importlib

import numpy as np
import pytest
import torch

import minitorch
from harness import check, check_error, rand


def _f64(*shape, seed=None):
    return rand(*shape, dtype=np.float64, seed=seed)


# ------------------------------------------------------------ higher order
COMPOSITES = {
    "tanh_mul": lambda lib, x, y: (x * y).tanh().sum(),
    "exp_div": lambda lib, x, y: (x.exp() / (1 + y * y)).sum(),
    "matmul_sigmoid": lambda lib, x, y: (x @ y.t()).sigmoid().pow(2).mean(),
    "log_softmaxish": lambda lib, x, y: (x - (x.exp() + y.exp()).log()).sum(),
    "broadcast": lambda lib, x, y: (x * y[:1] + x.sin() * y.cos()).sum(),
}


@pytest.mark.parametrize("name", sorted(COMPOSITES))
def test_grad_of_grad(name):
    fn = COMPOSITES[name]

    def first_grads(lib, x, y):
        return lib.autograd.grad(fn(lib, x, y), (x, y), create_graph=True)

    # check() backpropagates a random upstream through the first gradients:
    # that compares Hessian-vector products of both libraries.
    check(first_grads, _f64(3, 4), _f64(3, 4))


@pytest.mark.parametrize("name", sorted(COMPOSITES))
def test_third_order(name):
    fn = COMPOSITES[name]

    def second_grads(lib, x, y):
        gx, gy = lib.autograd.grad(fn(lib, x, y), (x, y), create_graph=True)
        return lib.autograd.grad((gx * gx).sum() + gy.sum(), (x, y), create_graph=True)

    check(second_grads, _f64(2, 3), _f64(2, 3))


def test_hessian_vector_product_by_double_backward():
    v = _f64(4)

    def hvp(lib, x):
        x.requires_grad_()
        y = (x.exp() * x.sin()).sum() + (x ** 3).prod()
        (g,) = lib.autograd.grad(y, x, create_graph=True)
        vv = lib.from_numpy(v.copy())
        (h,) = lib.autograd.grad((g * vv).sum(), x)
        return h

    check(hvp, _f64(4), grad=False)


def test_backward_create_graph_then_backward_again():
    def fn(lib, x):
        x.requires_grad_()
        (x ** 3).sum().backward(create_graph=True)
        g = x.grad
        x.grad = None
        (g * g).sum().backward()
        return x.grad

    check(fn, _f64(3), grad=False)


def test_float32_second_order():
    def fn(lib, x, y):
        return lib.autograd.grad((x * y.exp()).sum(), (x, y), create_graph=True)

    check(fn, rand(3, dtype=np.float32), rand(3, dtype=np.float32))


# --------------------------------------------------------------- functional
def test_jacobian_single():
    check(lambda lib, x: lib.autograd.functional.jacobian(lambda a: (a.exp() * a).sum(1), x),
          _f64(2, 3), grad=False)


def test_jacobian_tuple_inputs_and_outputs():
    f = lambda a, b: ((a * b).tanh(), (a ** 2).sum())
    check(lambda lib, x, y: lib.autograd.functional.jacobian(f, (x, y)),
          _f64(2, 3), _f64(3), grad=False)


def test_jacobian_create_graph_gradients():
    f = lambda a, b: (a * b).sin()
    check(lambda lib, x, y: lib.autograd.functional.jacobian(f, (x, y), create_graph=True),
          _f64(3), _f64(3))


def test_jacobian_unused_input_is_zero():
    check(lambda lib, x, y: lib.autograd.functional.jacobian(lambda a, b: a * 2, (x, y)),
          _f64(2), _f64(3), grad=False)


def test_hessian():
    f = lambda a, b: ((a * b) ** 2).sum() + (a.sigmoid() * b).sum()
    check(lambda lib, x, y: lib.autograd.functional.hessian(f, (x, y)),
          _f64(2, 2), _f64(2, 2), grad=False)
    check(lambda lib, x: lib.autograd.functional.hessian(lambda a: (a ** 3).prod(), x),
          _f64(3), grad=False)


def test_vjp_jvp():
    v_out, v_in = _f64(2), _f64(2, 3)
    f = lambda a: (a.exp() * a).sum(1)
    check(lambda lib, x: lib.autograd.functional.vjp(f, x, lib.from_numpy(v_out.copy())),
          _f64(2, 3), grad=False)
    check(lambda lib, x: lib.autograd.functional.jvp(f, x, lib.from_numpy(v_in.copy())),
          _f64(2, 3), grad=False)


def test_vjp_jvp_tuples_and_create_graph():
    f = lambda a, b: (a * b).tanh()
    v = _f64(3)
    check(lambda lib, x, y: lib.autograd.functional.vjp(f, (x, y), lib.from_numpy(v.copy()),
                                                       create_graph=True),
          _f64(3), _f64(3))
    check(lambda lib, x, y: lib.autograd.functional.jvp(f, (x, y), (x * 1, y * 2),
                                                       create_graph=True),
          _f64(3), _f64(3))


def test_hvp_vhp():
    f = lambda a, b: ((a * b) ** 2).sum() + (a.exp() * b).sum()
    for name in ("hvp", "vhp"):
        check(lambda lib, x, y, vx, vy: getattr(lib.autograd.functional, name)(
            f, (x, y), (vx.detach(), vy.detach())),
            _f64(3), _f64(3), _f64(3), _f64(3), grad=False)
        check(lambda lib, x, y, vx, vy: getattr(lib.autograd.functional, name)(
            f, (x, y), (vx, vy), create_graph=True),
            _f64(3), _f64(3), _f64(3), _f64(3))


def test_functional_errors():
    f = lambda a: a * 2
    check_error(lambda lib, x: lib.autograd.functional.vjp(f, x), _f64(3))
    check_error(lambda lib, x: lib.autograd.functional.vjp(f, x, lib.ones(4, dtype=lib.float64)),
                _f64(3))
    check_error(lambda lib, x: lib.autograd.functional.jacobian(f, [x]), _f64(3))
    check_error(lambda lib, x: lib.autograd.functional.hessian(f, x), _f64(3))
    check_error(lambda lib, x, y: lib.autograd.functional.jacobian(
        lambda a, b: a * 2, (x.requires_grad_(), y.requires_grad_()), strict=True),
        _f64(3), _f64(3))


# ------------------------------------------------------------ custom Function
def _exp_function(lib):
    class Exp(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            result = x.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            (result,) = ctx.saved_tensors
            return grad_output * result

    return Exp


def _scaled_product(lib):
    class ScaledProduct(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, k, y):
            ctx.k = k
            ctx.save_for_backward(x, y)
            return x * y * k, (x + y).sum()

        @staticmethod
        def backward(ctx, g, g_sum):
            x, y = ctx.saved_tensors
            return g * y * ctx.k + g_sum, None, g * x * ctx.k + g_sum

    return ScaledProduct


def _setup_context_fn(lib):
    class Cube(lib.autograd.Function):
        @staticmethod
        def forward(x, scale=2.0):
            return x ** 3 * scale

        @staticmethod
        def setup_context(ctx, inputs, output):
            x, scale = inputs
            ctx.save_for_backward(x)
            ctx.scale = scale

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 3 * x ** 2 * g * ctx.scale, None

    return Cube


def test_custom_function_values_and_grads():
    check(lambda lib, x: _exp_function(lib).apply(x), _f64(2, 3))
    check(lambda lib, x: _exp_function(lib).apply(x), rand(4, dtype=np.float32))


def test_custom_function_mixed_inputs_and_outputs():
    check(lambda lib, x, y: _scaled_product(lib).apply(x, 3.0, y), _f64(2, 2), _f64(2, 2))


def test_custom_function_setup_context_and_double_backward():
    check(lambda lib, x: _setup_context_fn(lib).apply(x), _f64(3))

    def double(lib, x):
        y = _setup_context_fn(lib).apply(x, 0.5)
        return lib.autograd.grad(y.sum(), x, create_graph=True)

    check(double, _f64(3))
    check(lambda lib, x: lib.autograd.grad(_exp_function(lib).apply(x).sum(), x,
                                           create_graph=True), _f64(3))


def test_custom_function_node_name_and_structure():
    def fn(lib, x):
        x.requires_grad_()
        y = _scaled_product(lib).apply(x, 2.0, x * 1)[0]
        node = y.grad_fn
        return (node.name(), len(node.next_functions), node.needs_input_grad,
                [type(n).__name__ for n, _ in node.next_functions])

    check(fn, _f64(2), grad=False)


def test_custom_function_materialize_and_non_differentiable():
    def make(lib, materialize):
        class Two(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.set_materialize_grads(materialize)
                idx = x.argmax()
                doubled = x * 2
                mask = x > 0
                ctx.mark_non_differentiable(mask)
                return doubled, idx, mask.double()

            @staticmethod
            def backward(ctx, g, g_idx, g_mask):
                seen.append(tuple(None if t is None else t.tolist() for t in (g, g_idx, g_mask)))
                return g * 2

        return Two

    for materialize in (True, False):
        results = {}
        for lib in (torch, minitorch):
            seen = []
            x = lib.tensor([1.0, -2.0], dtype=lib.float64, requires_grad=True)
            out, idx, mask = make(lib, materialize).apply(x)
            out.sum().backward()
            results[lib.__name__] = (seen, idx.requires_grad, mask.requires_grad, x.grad.tolist())
        assert results["minitorch"] == results["torch"]


def test_custom_function_mark_dirty():
    def fn(lib, x):
        class AddOne(lib.autograd.Function):
            @staticmethod
            def forward(ctx, t):
                t.add_(1)
                ctx.mark_dirty(t)
                return t

            @staticmethod
            def backward(ctx, g):
                return g * 4

        h = x * 2
        return AddOne.apply(h) * h

    check(fn, _f64(3))


def test_custom_function_errors():
    def wrong_count(lib, x):
        class F(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a, b):
                return a * b

            @staticmethod
            def backward(ctx, g):
                return g

        F.apply(x.requires_grad_(), x).sum().backward()

    check_error(wrong_count, _f64(2), match="returned an incorrect number of gradients "
                                             "(expected 2, got 1)")

    def wrong_shape(lib, x):
        class F(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a * 2

            @staticmethod
            def backward(ctx, g):
                return lib.ones(5, dtype=lib.float64)

        F.apply(x.requires_grad_()).sum().backward()

    check_error(wrong_shape, _f64(2), match="invalid gradient at index 0")

    def save_int(lib, x):
        class F(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.save_for_backward(a, 1)
                return a * 2

            @staticmethod
            def backward(ctx, g):
                return g

        F.apply(x.requires_grad_())

    check_error(save_int, _f64(2))

    def freed(lib, x):
        y = _exp_function(lib).apply(x.requires_grad_())
        y.sum().backward()
        return y.grad_fn.saved_tensors

    check_error(freed, _f64(2), match="already been freed")

    def dirty_leaf(lib, x):
        class F(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                ctx.mark_dirty(a)
                return a

            @staticmethod
            def backward(ctx, g):
                return g

        F.apply(x.requires_grad_())

    check_error(dirty_leaf, _f64(2))


def test_gradcheck_agrees():
    for lib in (torch, minitorch):
        x = lib.tensor([0.3, -0.7], dtype=lib.float64, requires_grad=True)
        assert lib.autograd.gradcheck(_exp_function(lib).apply, (x,))
        assert lib.autograd.gradgradcheck(_setup_context_fn(lib).apply, (x,))

    def bad(lib, x):
        class F(lib.autograd.Function):
            @staticmethod
            def forward(ctx, a):
                return a.exp()

            @staticmethod
            def backward(ctx, g):
                return g

        lib.autograd.gradcheck(F.apply, (x.requires_grad_(),))

    errors = []
    for lib in (torch, minitorch):
        # autograd.gradcheck is the function; the module is reached through the import system.
        module = importlib.import_module(lib.__name__ + ".autograd.gradcheck")
        with pytest.raises(module.GradcheckError) as info:
            bad(lib, lib.from_numpy(np.array([0.3, -0.7])))
        errors.append(str(info.value))
    assert errors[0] == errors[1]


# ------------------------------------------------------------------- hooks
def _record_hooks(lib):
    """Run a small graph with every kind of hook; return the log and the final grads."""
    log = []
    x = lib.tensor([1.0, -2.0, 3.0], dtype=lib.float64, requires_grad=True)
    w = lib.tensor([0.5, 0.25, 2.0], dtype=lib.float64, requires_grad=True)
    x.register_hook(lambda g: log.append(("x", g.tolist())))
    w.register_hook(lambda g: g * 3)
    w.register_post_accumulate_grad_hook(lambda t: log.append(("w post", t.grad.tolist())))
    h = x * w
    h.register_hook(lambda g: log.append(("h1", g.tolist())) or g + 1)
    h.register_hook(lambda g: log.append(("h2", g.tolist())))
    h.retain_grad()
    y = h.tanh()
    y.grad_fn.register_prehook(lambda go: log.append(("tanh pre", go[0].tolist())))
    y.grad_fn.register_hook(lambda gi, go: log.append(("tanh post", gi[0].tolist())))
    removed = y.register_hook(lambda g: log.append(("removed",)))
    removed.remove()
    (y * lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64)).sum().backward()
    return log, x.grad.tolist(), w.grad.tolist(), h.grad.tolist()


def test_hook_order_and_modified_gradients():
    expected = _record_hooks(torch)
    actual = _record_hooks(minitorch)
    assert len(actual[0]) == len(expected[0])
    for e, a in zip(expected[0], actual[0]):
        assert e[0] == a[0]
        np.testing.assert_allclose(a[1:], e[1:], rtol=1e-12)
    for e, a in zip(expected[1:], actual[1:]):
        np.testing.assert_allclose(a, e, rtol=1e-12)


def test_retain_grad_values():
    def fn(lib, x, y):
        x.requires_grad_()
        y.requires_grad_()
        a = x * y
        a.retain_grad()
        b = a.exp()
        b.retain_grad()
        (b.sum() + a.sum()).backward()
        return a.grad, b.grad, x.grad, y.grad

    check(fn, _f64(3), _f64(3), grad=False)


def test_backward_inputs():
    def fn(lib, x, y):
        x.requires_grad_()
        y.requires_grad_()
        h = x * y
        z = (h.sin() * y).sum()
        z.backward(inputs=[y, h], retain_graph=True)
        first = (x.grad, y.grad, h.grad)
        z.backward(inputs=x)
        return first[1], first[2], x.grad, first[0] is None

    check(fn, _f64(3), _f64(3), grad=False)


def test_grad_accumulation_across_calls():
    def fn(lib, x):
        x.requires_grad_()
        (x * x).sum().backward()
        (x.exp()).sum().backward()
        return x.grad

    check(fn, _f64(4), grad=False)


def test_inplace_view_gradients():
    def fn(lib, x, y):
        base = x * 1
        base[1:].mul_(y)
        base[:, 1] += x[:, 0] * y[0, 1]
        return base

    check(fn, _f64(3, 2), _f64(2, 2))


def test_deep_chain_matches():
    def fn(lib, x):
        y = x
        for i in range(2000):
            y = y * 0.999 + 0.001 * y.sin()
        return y

    check(fn, _f64(3))


# -------------------------------------------------------------- error types
ERROR_CASES = {
    "backward twice": lambda lib, x: [y := (x.requires_grad_() * x).sum(), y.backward(),
                                      y.backward()],
    "non-scalar backward": lambda lib, x: (x.requires_grad_() * 2).backward(),
    "backward without grad": lambda lib, x: x.sum().backward(),
    "grad shape mismatch": lambda lib, x: (x.requires_grad_() * 2).backward(lib.ones(7)),
    "unused input": lambda lib, x: lib.autograd.grad((x.requires_grad_() * 2).sum(),
                                                     [x, lib.ones(2, requires_grad=True)]),
    "input without grad": lambda lib, x: lib.autograd.grad((x.requires_grad_() * 2).sum(),
                                                           [lib.ones(2)]),
    "leaf inplace": lambda lib, x: x.requires_grad_().add_(1),
    "leaf view inplace": lambda lib, x: x.requires_grad_()[:1].add_(1),
    "saved modified": lambda lib, x: [h := x.requires_grad_() * 1, z := h * h, h.add_(1),
                                      z.sum().backward()],
    "int requires grad": lambda lib, x: lib.ones(2, dtype=lib.int64).requires_grad_(),
    "non-leaf requires_grad false": lambda lib, x: (x.requires_grad_() * 2).requires_grad_(False),
    "grad wrong type": lambda lib, x: setattr(x.requires_grad_(), "grad", 1.0),
    "grad wrong dtype": lambda lib, x: setattr(x.requires_grad_(), "grad",
                                               lib.ones(3, dtype=lib.float32)),
    "grad wrong shape": lambda lib, x: setattr(x.requires_grad_(), "grad",
                                               lib.ones(2, dtype=lib.float64)),
    "hook without grad": lambda lib, x: x.register_hook(lambda g: g),
    "retain_grad without grad": lambda lib, x: x.retain_grad(),
    "post hook non-leaf": lambda lib, x: (x.requires_grad_() * 2)
    .register_post_accumulate_grad_hook(lambda t: None),
    "detach_ view": lambda lib, x: (x.requires_grad_() * 2)[:1].detach_(),
    "empty inputs": lambda lib, x: (x.requires_grad_() * 2).sum().backward(inputs=[]),
    "too few grad_outputs": lambda lib, x: lib.autograd.grad(
        [(x.requires_grad_() * 2).sum(), x.sum()], x, [lib.ones((), dtype=lib.float64)]),
    "grad_outputs not tensor": lambda lib, x: lib.autograd.grad(
        (x.requires_grad_() * 2).sum(), x, [1.0]),
    "hook returns wrong count": lambda lib, x: [
        y := x.requires_grad_() * 3, y.grad_fn.register_prehook(lambda g: (g[0], g[0])),
        y.sum().backward()],
}


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_error_types(name):
    check_error(ERROR_CASES[name], _f64(3))


def test_error_messages_match_torch():
    for name in ("backward twice", "unused input", "leaf inplace", "saved modified",
                 "int requires grad", "grad wrong dtype", "empty inputs", "too few grad_outputs",
                 "hook returns wrong count"):
        t_err, m_err = check_error(ERROR_CASES[name], _f64(3))
        assert str(m_err) == str(t_err), name


def test_no_grad_and_grad_mode_parity():
    def fn(lib, x):
        with lib.no_grad():
            a = x * 2
        with lib.enable_grad():
            b = x * 3
        with lib.set_grad_enabled(False):
            c = x * 4
        with lib.inference_mode():
            d = x * 5
        return [t.requires_grad for t in (a, b, c, d)] + [b]

    check(fn, _f64(3))


def test_anomaly_message_matches():
    for lib in (torch, minitorch):
        x = lib.tensor([-1.0], requires_grad=True)
        with pytest.warns(UserWarning, match="Error detected in SqrtBackward0"):
            with lib.autograd.detect_anomaly():
                with pytest.raises(RuntimeError) as info:
                    x.sqrt().sum().backward()
        assert str(info.value) == "Function 'SqrtBackward0' returned nan values in its 0th output."
