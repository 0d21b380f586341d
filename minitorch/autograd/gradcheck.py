"""gradcheck / gradgradcheck: compare autograd's gradients with finite differences.

The numerical Jacobian perturbs one input element at a time by ``±eps`` and
takes central differences of every output. The analytical Jacobian is built one
column per output element, by backpropagating a one-hot gradient. Both are laid
out as torch does: ``J[input element, output element]``.

Differences from torch: real inputs and outputs only (complex ones raise
NotImplementedError), and no forward-mode or batched (vmap) checks.
``fast_mode=True`` runs the full (slow) check, which gives the same verdict.
"""
import warnings

import numpy as np

__all__ = ["gradcheck", "gradgradcheck", "GradcheckError", "get_numerical_jacobian",
           "get_analytical_jacobian"]


class GradcheckError(RuntimeError):
    """Error raised by :func:`gradcheck` and :func:`gradgradcheck`."""


FAILED_NONDET_MSG = """\n
NOTE: If your op relies on non-deterministic operations i.e., it is listed here:
https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html
this failure might be expected.

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `nondet_tol=<tol>` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_nondet_tol=<tol>`.
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_nondet_tol=<tol>`
"""


def _tensor_class():
    from .._tensor import Tensor
    return Tensor


def _as_tuple(x):
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _diff_inputs(inputs):
    Tensor = _tensor_class()
    return [x for x in inputs if isinstance(x, Tensor) and x._requires_grad]


def _differentiable_outputs(out):
    return tuple(o for o in _as_tuple(out) if o.requires_grad)


def _wrap(array):
    """An ndarray as a (new, history-free) minitorch Tensor."""
    return _tensor_class()._make(np.array(array, order="C"))


# ---------------------------------------------------------------- validation
def _check_inputs(inputs):
    """Warn on low precision, refuse overlapping memory, and require something to check."""
    any_requires_grad = False
    for idx, inp in enumerate(inputs):
        if not (isinstance(inp, _tensor_class()) and inp._requires_grad):
            continue
        if inp._data.dtype not in (np.float64, np.complex128):
            warnings.warn(f"Input #{idx} requires gradient and is not a double precision floating "
                          "point or complex. This check will likely fail if all the inputs are "
                          "not of double precision floating point or complex. ", stacklevel=3)
        if not all(st > 0 or sz <= 1 for st, sz in zip(inp._data.strides, inp._data.shape)):
            raise RuntimeError(
                f"The {idx}th input has a dimension with stride 0. gradcheck only supports "
                "inputs that are non-overlapping to be able to compute the numerical gradients "
                "correctly. You should call .contiguous on the input before passing it to "
                "gradcheck.")
        if inp.is_complex():
            raise NotImplementedError("minitorch's gradcheck does not support complex inputs")
        any_requires_grad = True
    if not any_requires_grad:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but "
                         "none of them have requires_grad=True.")


def _check_unsupported(check_forward_ad, check_batched_grad, check_batched_forward_grad, masked):
    for name, value in [("check_forward_ad", check_forward_ad),
                        ("check_batched_grad", check_batched_grad),
                        ("check_batched_forward_grad", check_batched_forward_grad),
                        ("masked", masked)]:
        if value:
            raise NotImplementedError(f"minitorch's gradcheck does not support {name}=True")


# ------------------------------------------------------------------ jacobians
def _numerical_jacobians(func, inputs, eps):
    """For each input requiring grad, one Jacobian per tensor output (central differences).

    Returns ``jac[input][output]`` ndarrays of shape (input numel, output numel) in
    the output's dtype.
    """
    def evaluate():
        return [o._data.copy() for o in _as_tuple(func(*inputs))]

    outputs = evaluate()
    result = []
    for inp in _diff_inputs(inputs):
        data = inp._data
        jac = [np.zeros((data.size, o.size), dtype=o.dtype) for o in outputs]
        for k, idx in enumerate(np.ndindex(data.shape)):
            orig = data[idx].copy()
            # Write through the tensor's own array, as torch writes through .data.
            data[idx] = orig - eps
            below = evaluate()
            data[idx] = orig + eps
            above = evaluate()
            data[idx] = orig
            for j, (a, b) in enumerate(zip(below, above)):
                jac[j][k] = ((b - a) / (2 * eps)).reshape(-1)
        result.append(jac)
    return result


def _analytical_jacobian(output, diff_inputs):
    """Jacobians of one output w.r.t. each input, one column per output element."""
    from . import grad as autograd_grad
    jacs = [np.zeros((x._data.size, output._data.size), dtype=x._data.dtype)
            for x in diff_inputs]
    sizes_ok = types_ok = True
    for k in range(output._data.size):
        onehot = np.zeros(output._data.size, dtype=output._data.dtype)
        onehot[k] = 1
        grads = autograd_grad(output, diff_inputs, _wrap(onehot.reshape(output._data.shape)),
                              retain_graph=True, allow_unused=True)
        for jac, g, x in zip(jacs, grads, diff_inputs):
            if g is None:
                continue
            if g._data.shape != x._data.shape:
                sizes_ok = False
                continue
            if g._data.dtype != x._data.dtype:
                types_ok = False
            jac[:, k] = g._data.reshape(-1)
    return jacs, sizes_ok, types_ok


def _checked_analytical_jacobian(output, diff_inputs, nondet_tol, check_grad_dtypes):
    """Analytical Jacobians, computed twice to catch non-deterministic backward."""
    jacs, sizes_ok, types_ok = _analytical_jacobian(output, diff_inputs)
    again, _, _ = _analytical_jacobian(output, diff_inputs)
    reentrant = all(j1.size == 0 or np.abs(j1 - j2).max() <= nondet_tol
                    for j1, j2 in zip(jacs, again))
    if not types_ok and check_grad_dtypes:
        raise GradcheckError("Gradient has dtype mismatch")
    if not sizes_ok:
        raise GradcheckError("Analytical gradient has incorrect size")
    if not reentrant:
        raise GradcheckError(
            "Backward is not reentrant, i.e., running backward with same input and grad_output "
            "multiple times gives different values, although analytical gradient matches "
            f"numerical gradient.The tolerance for nondeterminism was {nondet_tol}."
            + FAILED_NONDET_MSG)
    return jacs


def _allclose(a, n, rtol, atol):
    dtype = np.promote_types(a.dtype, n.dtype)
    return np.allclose(a.astype(dtype), n.astype(dtype), rtol=rtol, atol=atol)


def _mismatch_message(analytical, numerical, output_idx, input_idx):
    return (f"Jacobian mismatch for output {output_idx:d} with respect to input {input_idx:d},\n"
            f"numerical:{_wrap(numerical)}\nanalytical:{_wrap(analytical)}\n")


# ------------------------------------------------------------- extra checks
def _check_backward_mul_by_grad_output(outputs, inputs):
    """With all-zero output gradients every input gradient must be zero (and well formed)."""
    from . import grad as autograd_grad
    diff_inputs = _diff_inputs(inputs)
    zeros = [_wrap(np.zeros_like(o._data)) for o in outputs]
    grads = autograd_grad(outputs, diff_inputs, zeros, allow_unused=True)
    for g, x in zip(grads, diff_inputs):
        if g is None:
            continue
        if np.any(g._data != 0):
            raise GradcheckError("backward not multiplied by grad_output")
        if g._data.dtype != x._data.dtype:
            raise GradcheckError("grad is incorrect type")
        if g._data.shape != x._data.shape:
            raise GradcheckError("grad is incorrect size")


def _check_undefined_grad(func, inputs):
    """Backward must cope with outputs that receive no gradient at all."""
    from . import grad as autograd_grad
    diff_inputs = _diff_inputs(inputs)

    def check(outputs):
        zeros = [_wrap(np.zeros_like(o._data)) for o in outputs]
        try:
            grads = autograd_grad(outputs, diff_inputs, zeros, allow_unused=True)
        except RuntimeError as e:
            raise GradcheckError("Expected backward function to handle undefined output grads. "
                                 'Please look at "Notes about undefined output gradients" in '
                                 '"tools/autograd/derivatives.yaml"') from e
        if any(g is not None and np.any(g._data != 0) for g in grads):
            raise GradcheckError(
                "Expected all input grads to be undefined or zero when all output grads are "
                'undefined or zero. Please look at "Notes about undefined output gradients" in '
                '"tools/autograd/derivatives.yaml"')

    check([_undefined_grad(o) for o in _differentiable_outputs(func(*inputs))])
    n = len(_differentiable_outputs(func(*inputs)))
    if n > 1:
        # Leave one output's gradient undefined at a time.
        for k in range(n):
            outs = _differentiable_outputs(func(*inputs))
            check([_undefined_grad(o) if i == k else o for i, o in enumerate(outs)])


def _undefined_grad(t):
    """An alias of ``t`` whose gradient reaches ``t``'s history as "undefined" (None)."""
    from ._primitive import _edge
    from .graph import Node

    class UndefinedGradBackward(Node):
        def apply(self, grads, create_graph):
            return [None]

    alias = _tensor_class()._make(t._data)
    alias._grad_fn = UndefinedGradBackward([_edge(t)])
    alias._requires_grad = True
    return alias


# ---------------------------------------------------------------- public API
def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True,
              nondet_tol=0.0, check_undefined_grad=True, check_grad_dtypes=False,
              check_batched_grad=False, check_batched_forward_grad=False,
              check_forward_ad=False, check_backward_ad=True, fast_mode=False, masked=None):
    """Check autograd's gradients of ``func`` at ``inputs`` against finite differences."""
    if not (check_forward_ad or check_backward_ad):
        raise AssertionError("Expected at least one of check_forward_ad or check_backward_ad to "
                             "be True")
    if check_batched_grad and not check_backward_ad:
        raise AssertionError("Setting check_batched_grad=True requires check_backward_ad to be "
                             "True")
    if check_batched_forward_grad and not check_forward_ad:
        raise AssertionError("Setting check_batched_forward_grad=True requires check_forward_ad "
                             "to be True")
    _check_unsupported(check_forward_ad, check_batched_grad, check_batched_forward_grad, masked)
    try:
        return _gradcheck(func, _as_tuple(inputs), eps, atol, rtol, nondet_tol,
                          check_undefined_grad, check_grad_dtypes)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def _gradcheck(func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad,
               check_grad_dtypes):
    _check_inputs(inputs)
    func_out = _as_tuple(func(*inputs))
    if any(o.is_complex() for o in func_out):
        raise NotImplementedError("minitorch's gradcheck does not support complex outputs")
    outputs = _differentiable_outputs(func_out)
    numerical = _numerical_jacobians(func, inputs, eps)
    if not outputs:
        # Nothing differentiable came out: the function must then be locally constant.
        if any(np.any(jac != 0) for per_input in numerical for jac in per_input):
            raise GradcheckError("Numerical gradient for function expected to be zero")
        return True
    diff_outputs = [i for i, o in enumerate(func_out) if o.requires_grad]
    diff_inputs = _diff_inputs(inputs)
    for i, out in enumerate(outputs):
        analytical = _checked_analytical_jacobian(out, diff_inputs, nondet_tol,
                                                  check_grad_dtypes)
        for j, a in enumerate(analytical):
            n = numerical[j][diff_outputs[i]]
            if not _allclose(a, n, rtol, atol):
                raise GradcheckError(_mismatch_message(a, n, i, j))
    _check_backward_mul_by_grad_output(outputs, inputs)
    if check_undefined_grad:
        _check_undefined_grad(func, inputs)
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False,
                  masked=False):
    """Check second derivatives: gradcheck of the map (inputs, grad_outputs) -> input grads."""
    if not (check_fwd_over_rev or check_rev_over_rev):
        raise AssertionError("Expected at least one of check_fwd_over_rev or check_rev_over_rev "
                             "to be True")
    if check_undefined_grad and not check_rev_over_rev:
        raise AssertionError("Setting check_undefined_grad=True requires check_rev_over_rev to "
                             "be True")
    if check_batched_grad and not check_rev_over_rev:
        raise AssertionError("Setting check_batched_grad=True requires check_rev_over_rev to be "
                             "True")
    if check_fwd_over_rev:
        raise NotImplementedError("minitorch's gradgradcheck does not support "
                                  "check_fwd_over_rev=True")
    from . import grad as autograd_grad
    inputs = _as_tuple(inputs)
    if grad_outputs is None:
        grad_outputs = tuple(_random_grad_output(o, gen_non_contig_grad_outputs)
                             for o in _differentiable_outputs(func(*inputs)))
    else:
        grad_outputs = _as_tuple(grad_outputs)
    num_outputs = len(grad_outputs)
    Tensor = _tensor_class()
    diff_input_indices = {i for i, x in enumerate(inputs)
                          if isinstance(x, Tensor) and x._requires_grad}
    diff_grad_output_indices = {i for i, x in enumerate(grad_outputs) if x._requires_grad}

    def first_derivatives(*args):
        input_args = tuple(x.requires_grad_() if i in diff_input_indices else x
                           for i, x in enumerate(args[:-num_outputs]))
        outputs = _differentiable_outputs(func(*input_args))
        grads_out = tuple(x.requires_grad_() if i in diff_grad_output_indices else x
                          for i, x in enumerate(args[-num_outputs:]))
        diff_args = tuple(x for i, x in enumerate(input_args) if i in diff_input_indices)
        grads_in = autograd_grad(outputs, diff_args, grads_out, create_graph=True,
                                 allow_unused=True)
        return tuple(g for g in grads_in if g is not None)

    return gradcheck(first_derivatives, inputs + grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_undefined_grad=check_undefined_grad,
                     check_grad_dtypes=check_grad_dtypes, fast_mode=fast_mode,
                     masked=masked or None)


def _random_grad_output(output, noncontiguous):
    """A random gradient in [-1, 1) shaped like ``output`` and requiring grad (torch: make_tensor)."""
    from .. import rand
    from .._dtype import float64
    dtype = output.dtype if output._data.dtype.kind in "fc" else float64
    g = rand(*output.shape, dtype=dtype) * 2 - 1
    if noncontiguous and g.dim() > 0:
        # Same values, every other element of a twice-as-long buffer.
        doubled = np.repeat(g._data.reshape(-1), 2)[::2].reshape(g._data.shape)
        g = _tensor_class()._make(doubled)
    return g.detach().requires_grad_()


def get_numerical_jacobian(fn, inputs, target=None, eps=1e-3, grad_out=1.0):
    """Deprecated torch helper: numerical Jacobians of ``fn(inputs)`` (a tuple-taking fn)."""
    warnings.warn("`get_numerical_jacobian` was part of PyTorch's private API and not meant to be "
                  "exposed. We are deprecating it and it will be removed in a future version of "
                  "PyTorch.", FutureWarning, stacklevel=2)
    if target is not None:
        raise NotImplementedError("minitorch's get_numerical_jacobian does not support target")
    if grad_out != 1.0:
        raise ValueError("Expected grad_out to be 1.0. get_numerical_jacobian no longer "
                         "supports values of grad_out != 1.0.")
    inputs = _as_tuple(inputs)
    jacs = _numerical_jacobians(lambda *a: fn(a), inputs, eps)
    return tuple(_wrap(j) for per_input in jacs for j in per_input)


def get_analytical_jacobian(inputs, output, nondet_tol=0.0, grad_out=1.0):
    """Deprecated torch helper: (jacobians, reentrant, correct_grad_sizes, correct_grad_types)."""
    warnings.warn("`get_analytical_jacobian` was part of PyTorch's private API and not meant to "
                  "be exposed. We are deprecating it and it will be removed in a future version "
                  "of PyTorch.", FutureWarning, stacklevel=2)
    if grad_out != 1.0:
        raise ValueError("Expected grad_out to be 1.0. get_analytical_jacobian no longer "
                         "supports values of grad_out != 1.0.")
    diff_inputs = _diff_inputs(_as_tuple(inputs))
    jacs, sizes_ok, types_ok = _analytical_jacobian(output, diff_inputs)
    again, _, _ = _analytical_jacobian(output, diff_inputs)
    reentrant = all(j1.size == 0 or np.abs(j1 - j2).max() <= nondet_tol
                    for j1, j2 in zip(jacs, again))
    return tuple(_wrap(j) for j in jacs), reentrant, sizes_ok, types_ok
