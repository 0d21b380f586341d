"""Optimizers against torch.optim: trajectories, state_dict layout, resuming, errors.

Both libraries start from the same parameters and minimise the same smooth loss
(computed in each library), so their gradients depend only on the parameters
and the trajectories must agree step by step.
"""
import copy
import warnings

import numpy as np
import pytest
import torch

import minitorch

STEPS = 12

# (optimizer name, kwargs) in the spirit of torch's optim_db sample inputs
CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.5, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.5, maximize=True)),
    ("SGD", dict(lr=0.1, foreach=False, fused=False)),
    ("Adam", dict(lr=0.05)),
    ("Adam", dict(lr=0.05, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1)),
    ("Adam", dict(lr=0.05, amsgrad=True)),
    ("Adam", dict(lr=0.05, amsgrad=True, maximize=True, weight_decay=0.1)),
    ("Adam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True)),
    ("Adam", dict(lr=0.05, foreach=True, capturable=False)),
    ("AdamW", dict(lr=0.05)),
    ("AdamW", dict(lr=0.05, amsgrad=True, weight_decay=0.2)),
    ("AdamW", dict(lr=0.05, maximize=True)),
    ("Adamax", dict(lr=0.05)),
    ("Adamax", dict(lr=0.05, weight_decay=0.1, maximize=True, betas=(0.8, 0.95))),
    ("NAdam", dict(lr=0.05)),
    ("NAdam", dict(lr=0.05, weight_decay=0.1, momentum_decay=0.01)),
    ("NAdam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("RAdam", dict(lr=0.05)),
    ("RAdam", dict(lr=0.05, betas=(0.9, 0.7), weight_decay=0.1)),
    ("RAdam", dict(lr=0.05, weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.3)),
    ("Adagrad", dict(lr=0.1, eps=1e-6, maximize=True)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.1, maximize=True)),
    ("RMSprop", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01, alpha=0.9, weight_decay=0.1, centered=True)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True, maximize=True)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, eps=1e-4)),
    ("Rprop", dict(lr=0.01)),
    ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.1), maximize=True)),
    ("ASGD", dict(lr=0.05)),
    ("ASGD", dict(lr=0.05, lambd=0.01, alpha=0.5, t0=4, weight_decay=0.1)),
    ("ASGD", dict(lr=0.05, t0=0, maximize=True)),
    ("Adafactor", dict(lr=0.05)),
    ("Adafactor", dict(lr=0.05, beta2_decay=-0.5, eps=(1e-6, 1e-2), d=2.0, weight_decay=0.1)),
    ("Adafactor", dict(lr=0.05, maximize=True)),
]


def _initial_arrays(dtype=np.float64):
    rng = np.random.default_rng(7)
    return [rng.uniform(-1, 1, (3, 4)).astype(dtype), rng.uniform(-1, 1, 4).astype(dtype),
            np.array(0.5, dtype=dtype)]


_A = np.random.default_rng(8).uniform(-1, 1, (4, 4))
_A = (_A @ _A.T / 4 + np.eye(4))


def _loss(lib, params):
    """A smooth, non-quadratic loss; maximize=True cases just climb it for a few steps."""
    w, b, c = params
    a = lib.tensor(_A, dtype=w.dtype)
    return (0.5 * ((w @ a) * w).sum() + 0.25 * (b ** 4).sum() - (b * 0.3).sum()
            + (w.sum(0) * b).sum() * 0.1 + (c - 1.0) ** 2 * (1 + b.sum() ** 2) * 0.5)


def _make(lib, dtype=np.float64):
    return [lib.from_numpy(a.copy()).requires_grad_(True) for a in _initial_arrays(dtype)]


def _step(lib, opt, params):
    opt.zero_grad()
    _loss(lib, params).backward()
    opt.step()


def _trajectory(lib, name, kwargs, steps=STEPS, dtype=np.float64, params=None):
    params = params if params is not None else _make(lib, dtype)
    opt = getattr(lib.optim, name)(params, **kwargs)
    history = []
    for _ in range(steps):
        _step(lib, opt, params)
        history.append([p.detach().numpy().copy() for p in params])
    return history, opt, params


def _assert_trajectories_equal(t_hist, m_hist, rtol=1e-9, atol=1e-12):
    for i, (t_params, m_params) in enumerate(zip(t_hist, m_hist)):
        for j, (t, m) in enumerate(zip(t_params, m_params)):
            assert m.dtype == t.dtype, f"step {i}, param {j}: dtype {m.dtype} != {t.dtype}"
            np.testing.assert_allclose(m, t, rtol=rtol, atol=atol,
                                       err_msg=f"step {i + 1}, param {j}")


def assert_state_dicts_equal(t_sd, m_sd, rtol=1e-9, atol=1e-12, where="state_dict"):
    """Same nesting, keys, types, tensor shapes/dtypes and values."""
    if isinstance(t_sd, torch.Tensor):
        assert isinstance(m_sd, minitorch.Tensor), f"{where}: {type(m_sd).__name__} not Tensor"
        assert tuple(t_sd.shape) == tuple(m_sd.shape), f"{where}: shape"
        assert str(t_sd.dtype) == str(m_sd.dtype), f"{where}: {m_sd.dtype} != {t_sd.dtype}"
        np.testing.assert_allclose(m_sd.detach().numpy(), t_sd.detach().numpy(), rtol=rtol,
                                   atol=atol, err_msg=where)
    elif isinstance(t_sd, dict):
        assert isinstance(m_sd, dict), where
        assert list(t_sd.keys()) == list(m_sd.keys()), f"{where}: {list(m_sd)} != {list(t_sd)}"
        for key in t_sd:
            assert_state_dicts_equal(t_sd[key], m_sd[key], rtol, atol, f"{where}[{key!r}]")
    elif isinstance(t_sd, (list, tuple)):
        assert type(t_sd) is type(m_sd), f"{where}: {type(m_sd)} != {type(t_sd)}"
        assert len(t_sd) == len(m_sd), where
        for i, (t, m) in enumerate(zip(t_sd, m_sd)):
            assert_state_dicts_equal(t, m, rtol, atol, f"{where}[{i}]")
    elif isinstance(t_sd, float):
        assert isinstance(m_sd, float), f"{where}: {m_sd!r} is not a float"
        np.testing.assert_allclose(m_sd, t_sd, rtol=rtol, atol=atol, err_msg=where)
    else:
        assert type(m_sd) is type(t_sd) and m_sd == t_sd, f"{where}: {m_sd!r} != {t_sd!r}"


def _case_id(case):
    name, kwargs = case
    return name + "-" + ",".join(f"{k}={v}" for k, v in kwargs.items())


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_trajectory_float64(case):
    name, kwargs = case
    t_hist, t_opt, _ = _trajectory(torch, name, kwargs)
    m_hist, m_opt, _ = _trajectory(minitorch, name, kwargs)
    _assert_trajectories_equal(t_hist, m_hist)
    assert_state_dicts_equal(t_opt.state_dict(), m_opt.state_dict())


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_trajectory_float32(case):
    name, kwargs = case
    t_hist, t_opt, _ = _trajectory(torch, name, kwargs, dtype=np.float32)
    m_hist, m_opt, _ = _trajectory(minitorch, name, kwargs, dtype=np.float32)
    # float32 kernels may round differently in the last bit, and 12 steps compound that
    _assert_trajectories_equal(t_hist, m_hist, rtol=1e-5, atol=1e-6)
    assert_state_dicts_equal(t_opt.state_dict(), m_opt.state_dict(), rtol=1e-4, atol=1e-6)


def test_trajectory_with_default_dtype_float64_keeps_float64_steps():
    torch.set_default_dtype(torch.float64)
    minitorch.set_default_dtype(minitorch.float64)
    for name, kwargs in [("Adam", dict(lr=0.05)), ("NAdam", dict(lr=0.05)),
                         ("ASGD", dict(lr=0.05)), ("Adam", dict(lr=0.05, fused=True)),
                         ("Adagrad", dict(fused=True))]:
        _, t_opt, _ = _trajectory(torch, name, kwargs, steps=3)
        _, m_opt, _ = _trajectory(minitorch, name, kwargs, steps=3)
        assert_state_dicts_equal(t_opt.state_dict(), m_opt.state_dict())


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_resume_from_state_dict_mid_run(case):
    """Stop after 5 steps, rebuild the optimizer from state_dict(), finish: same as torch."""
    name, kwargs = case
    t_hist, _, _ = _trajectory(torch, name, kwargs)
    first, m_opt, m_params = _trajectory(minitorch, name, kwargs, steps=5)
    saved = copy.deepcopy(m_opt.state_dict())
    params = [p.detach().clone().requires_grad_(True) for p in m_params]
    opt = getattr(minitorch.optim, name)(params, **kwargs)
    opt.load_state_dict(saved)
    rest = []
    for _ in range(STEPS - 5):
        _step(minitorch, opt, params)
        rest.append([p.detach().numpy().copy() for p in params])
    # loading casts 0-d state such as NAdam's float32 mu_product to the parameter dtype
    # (in torch too), which moves the last digits
    _assert_trajectories_equal(t_hist, first + rest, atol=1e-10)


def _torch_state_to_minitorch(value):
    if isinstance(value, torch.Tensor):
        return minitorch.from_numpy(value.detach().numpy().copy())
    if isinstance(value, dict):
        return {k: _torch_state_to_minitorch(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_torch_state_to_minitorch(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_torch_state_to_minitorch(v) for v in value)
    return value


@pytest.mark.parametrize("case", CASES[::3], ids=_case_id)
def test_load_torch_state_dict_continues_torch_trajectory(case):
    """torch's own state_dict (converted tensor by tensor) loads and continues in minitorch."""
    name, kwargs = case
    t_hist, _, _ = _trajectory(torch, name, kwargs)
    _, t_opt, t_params = _trajectory(torch, name, kwargs, steps=4)
    params = [minitorch.from_numpy(p.detach().numpy().copy()).requires_grad_(True)
              for p in t_params]
    opt = getattr(minitorch.optim, name)(params, **kwargs)
    opt.load_state_dict(_torch_state_to_minitorch(t_opt.state_dict()))
    rest = []
    for _ in range(STEPS - 4):
        _step(minitorch, opt, params)
        rest.append([p.detach().numpy().copy() for p in params])
    _assert_trajectories_equal(t_hist[4:], rest, atol=1e-10)  # see the test above


def test_load_state_dict_casts_state_to_param_dtype_but_not_step():
    def run(lib):
        params = _make(lib, np.float64)
        opt = lib.optim.Adam(params, lr=0.1)
        _step(lib, opt, params)
        sd = opt.state_dict()
        params32 = [p.detach().float().requires_grad_(True) for p in params]
        opt32 = lib.optim.Adam(params32, lr=0.1)
        opt32.load_state_dict(sd)
        return opt32.state_dict()
    assert_state_dicts_equal(run(torch), run(minitorch), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("name", ["SGD", "Adam", "RMSprop", "Adagrad"])
def test_param_groups_with_own_options(name):
    def run(lib):
        w, b, c = _make(lib)
        opt = getattr(lib.optim, name)(
            [{"params": [w], "lr": 0.02, "weight_decay": 0.1},
             {"params": [b, c]}], lr=0.05, **({"momentum": 0.9} if name == "SGD" else {}))
        hist = []
        for _ in range(STEPS):
            _step(lib, opt, [w, b, c])
            hist.append([p.detach().numpy().copy() for p in (w, b, c)])
        return hist, opt
    t_hist, t_opt = run(torch)
    m_hist, m_opt = run(minitorch)
    _assert_trajectories_equal(t_hist, m_hist)
    assert_state_dicts_equal(t_opt.state_dict(), m_opt.state_dict())


def test_add_param_group_mid_run_and_params_without_grad():
    def run(lib):
        w, b, c = _make(lib)
        opt = lib.optim.Adam([w], lr=0.05)
        for i in range(STEPS):
            if i == 4:
                opt.add_param_group({"params": [b], "lr": 0.01, "amsgrad": True})
            _step(lib, opt, [w, b, c])  # c never joins: it has a grad but is not optimised
        return [p.detach().numpy() for p in (w, b, c)], opt.state_dict()
    (t_params, t_sd), (m_params, m_sd) = run(torch), run(minitorch)
    _assert_trajectories_equal([t_params], [m_params])
    assert_state_dicts_equal(t_sd, m_sd)


def test_skips_params_whose_grad_is_none():
    def run(lib):
        w, b, c = _make(lib)
        opt = lib.optim.SGD([w, b, c], lr=0.1, momentum=0.9)
        for _ in range(3):
            opt.zero_grad()
            (w ** 2).sum().backward()
            opt.step()
        return [p.detach().numpy() for p in (w, b, c)], opt.state_dict()
    (t_params, t_sd), (m_params, m_sd) = run(torch), run(minitorch)
    _assert_trajectories_equal([t_params], [m_params])
    assert_state_dicts_equal(t_sd, m_sd)


def test_tensor_lr():
    def run(lib):
        params = _make(lib)
        opt = lib.optim.Adam(params, lr=lib.tensor(0.05))
        hist = []
        for _ in range(5):
            _step(lib, opt, params)
            hist.append([p.detach().numpy().copy() for p in params])
        return hist, opt.state_dict()
    (t_hist, t_sd), (m_hist, m_sd) = run(torch), run(minitorch)
    _assert_trajectories_equal(t_hist, m_hist)
    assert_state_dicts_equal(t_sd, m_sd)


@pytest.mark.parametrize("name,kwargs", [("SGD", dict(lr=0.1, momentum=0.9)),
                                         ("Adam", dict(lr=0.1)),
                                         ("Adam", dict(lr=0.1, amsgrad=True)),
                                         ("NAdam", dict(lr=0.1, weight_decay=0.1)),
                                         ("Adadelta", dict()),
                                         ("RMSprop", dict(lr=0.1, centered=True))])
def test_differentiable_step_records_the_update(name, kwargs):
    """With differentiable=True the update is part of the graph: d(p_new)/d(p_old) flows."""
    def run(lib):
        leaf = lib.from_numpy(_initial_arrays()[0].copy()).requires_grad_(True)
        p = leaf * 1.0  # a non-leaf parameter, as differentiable optimisation uses
        opt = getattr(lib.optim, name)([p], differentiable=True, **kwargs)
        p.grad = (leaf * 2.0).detach().requires_grad_(False) + leaf * 0.5
        opt.step()
        (p * p).sum().backward()
        return p.detach().numpy(), leaf.grad.numpy()
    (t_p, t_g), (m_p, m_g) = run(torch), run(minitorch)
    np.testing.assert_allclose(m_p, t_p, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(m_g, t_g, rtol=1e-9, atol=1e-12)


COMPLEX_CASES = [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(lr=0.05, amsgrad=True)),
                 ("AdamW", dict(lr=0.05)), ("Adamax", dict(lr=0.05)), ("NAdam", dict(lr=0.05)),
                 ("RAdam", dict(lr=0.05)), ("Adagrad", dict(lr=0.1, initial_accumulator_value=0.1)),
                 ("Adadelta", dict()), ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
                 ("Rprop", dict(lr=0.01)), ("ASGD", dict(lr=0.05, t0=2))]


@pytest.mark.parametrize("case", COMPLEX_CASES, ids=_case_id)
def test_complex_parameters_update_real_and_imaginary_parts_separately(case):
    """Gradients are set by a fixed formula of p, so only the optimizer is compared."""
    name, kwargs = case

    def run(lib):
        rng = np.random.default_rng(11)
        z = rng.uniform(-1, 1, (2, 3)) + 1j * rng.uniform(-1, 1, (2, 3))
        p = lib.from_numpy(z).requires_grad_(True)
        opt = getattr(lib.optim, name)([p], **kwargs)
        hist = []
        for _ in range(8):
            with lib.no_grad():
                p.grad = p * (0.5 + 0.2j) - (1 - 1j) + p * p * 0.05
            opt.step()
            hist.append([p.detach().numpy().copy()])
        return hist, opt.state_dict()
    (t_hist, t_sd), (m_hist, m_sd) = run(torch), run(minitorch)
    _assert_trajectories_equal(t_hist, m_hist)
    assert_state_dicts_equal(t_sd, m_sd)


# --------------------------------------------------------------------- LBFGS
LBFGS_CASES = [dict(), dict(lr=0.5, max_iter=5, history_size=2),
               dict(line_search_fn="strong_wolfe"),
               dict(line_search_fn="strong_wolfe", history_size=3, max_iter=7),
               dict(tolerance_grad=1e-3, tolerance_change=1e-5, max_eval=10)]


@pytest.mark.parametrize("kwargs", LBFGS_CASES, ids=str)
def test_lbfgs(kwargs):
    def run(lib):
        params = _make(lib)
        opt = lib.optim.LBFGS(params, **kwargs)

        def closure():
            opt.zero_grad()
            loss = _loss(lib, params)
            loss.backward()
            return loss
        losses = [opt.step(closure).item() for _ in range(3)]
        return [p.detach().numpy() for p in params], losses, opt.state_dict()
    (t_params, t_losses, t_sd), (m_params, m_losses, m_sd) = run(torch), run(minitorch)
    _assert_trajectories_equal([t_params], [m_params], rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(m_losses, t_losses, rtol=1e-9)
    assert_state_dicts_equal(t_sd, m_sd, rtol=1e-7, atol=1e-9)


def test_lbfgs_rejects_groups_and_unknown_line_search():
    from harness import check_error
    check_error(lambda lib: lib.optim.LBFGS([{"params": [lib.zeros(2, requires_grad=True)]},
                                             {"params": [lib.zeros(2, requires_grad=True)]}]))
    def bad_line_search(lib):
        p = lib.ones(2, requires_grad=True)
        opt = lib.optim.LBFGS([p], line_search_fn="armijo")

        def closure():
            opt.zero_grad()
            loss = (p ** 2).sum()
            loss.backward()
            return loss
        opt.step(closure)
    check_error(bad_line_search, match="only 'strong_wolfe' is supported")


# ---------------------------------------------------------------------- Muon
@pytest.mark.parametrize("kwargs", [dict(lr=0.02), dict(lr=0.02, nesterov=False, weight_decay=0),
                                    dict(lr=0.02, adjust_lr_fn="match_rms_adamw", ns_steps=3)],
                         ids=str)
def test_muon_close_to_torch(kwargs):
    """torch orthogonalises in bfloat16, minitorch in float64: equal to bfloat16 precision.

    bfloat16 keeps 8 significant bits, so each update may differ by ~1% of its size.
    """
    def run(lib):
        rng = np.random.default_rng(3)
        params = [lib.tensor(rng.uniform(-1, 1, shape), requires_grad=True)
                  for shape in ((3, 5), (6, 2))]
        opt = lib.optim.Muon(params, **kwargs)
        for _ in range(8):
            opt.zero_grad()
            sum(((p - 0.3) ** 2 * (1 + p ** 2)).sum() for p in params).backward()
            opt.step()
        return [p.detach().numpy() for p in params], opt.state_dict()
    (t_params, t_sd), (m_params, m_sd) = run(torch), run(minitorch)
    _assert_trajectories_equal([t_params], [m_params], rtol=0, atol=2e-2)
    assert_state_dicts_equal(t_sd, m_sd, rtol=0, atol=5e-2)


def test_muon_rejects_non_matrix_params():
    from harness import check_error
    check_error(lambda lib: lib.optim.Muon([lib.zeros(3, requires_grad=True)]),
                match="Muon only supports 2D parameters")


# ---------------------------------------------------------- base class API
def _p(lib):
    return lib.zeros(2, 3, requires_grad=True)


ERROR_CASES = [
    lambda lib: lib.optim.SGD([], lr=0.1),
    lambda lib: lib.optim.SGD(_p(lib), lr=0.1),
    lambda lib: lib.optim.SGD([{"params": {_p(lib)}}], lr=0.1),
    lambda lib: lib.optim.SGD([_p(lib) * 2], lr=0.1),
    lambda lib: lib.optim.SGD([1.0], lr=0.1),
    lambda lib: (lambda p: lib.optim.SGD([{"params": [p]}, {"params": [p]}]))(_p(lib)),
    lambda lib: lib.optim.SGD([_p(lib)], lr=-0.1),
    lambda lib: lib.optim.SGD([_p(lib)], momentum=-0.5),
    lambda lib: lib.optim.SGD([_p(lib)], weight_decay=-1),
    lambda lib: lib.optim.SGD([_p(lib)], nesterov=True),
    lambda lib: lib.optim.SGD([_p(lib)], momentum=0.9, dampening=0.1, nesterov=True),
    lambda lib: lib.optim.SGD([_p(lib)], lr=lib.tensor([0.1, 0.2])),
    lambda lib: lib.optim.Adam([_p(lib)], lr=-1e-3),
    lambda lib: lib.optim.Adam([_p(lib)], eps=-1.0),
    lambda lib: lib.optim.Adam([_p(lib)], betas=(1.0, 0.9)),
    lambda lib: lib.optim.Adam([_p(lib)], betas=(0.9, -0.1)),
    lambda lib: lib.optim.Adam([_p(lib)], weight_decay=-0.1),
    lambda lib: lib.optim.Adam([_p(lib)], betas=(0.9, lib.tensor(0.99))),
    lambda lib: lib.optim.AdamW([_p(lib)], lr=-1.0),
    lambda lib: lib.optim.Adamax([_p(lib)], betas=(0.9, 1.5)),
    lambda lib: lib.optim.NAdam([_p(lib)], momentum_decay=-1),
    lambda lib: lib.optim.RAdam([_p(lib)], eps=-1),
    lambda lib: lib.optim.Adagrad([_p(lib)], lr_decay=-1),
    lambda lib: lib.optim.Adagrad([_p(lib)], initial_accumulator_value=-1),
    lambda lib: lib.optim.Adadelta([_p(lib)], rho=1.5),
    lambda lib: lib.optim.RMSprop([_p(lib)], alpha=-1),
    lambda lib: lib.optim.RMSprop([_p(lib)], momentum=-1),
    lambda lib: lib.optim.Rprop([_p(lib)], etas=(1.5, 1.2)),
    lambda lib: lib.optim.ASGD([_p(lib)], weight_decay=-1),
    lambda lib: lib.optim.Adafactor([_p(lib)], beta2_decay=0.5),
    lambda lib: lib.optim.Adafactor([_p(lib)], d=0.5),
    lambda lib: lib.optim.Adafactor([_p(lib)], eps=(-1.0, 1e-3)),
    lambda lib: lib.optim.Muon([lib.zeros(2, 2, requires_grad=True)], adjust_lr_fn="bad"),
    lambda lib: lib.optim.SGD([_p(lib)]).add_param_group([_p(lib)]),
    lambda lib: (lambda o: o.add_param_group({"params": o.param_groups[0]["params"]}))(
        lib.optim.SGD([_p(lib)])),
    lambda lib: lib.optim.SGD([_p(lib)]).load_state_dict(
        {"state": {}, "param_groups": []}),
    lambda lib: lib.optim.SGD([_p(lib)]).load_state_dict(
        {"state": {}, "param_groups": [{"params": [0, 1], "lr": 0.1}]}),
    lambda lib: lib.optim.SGD([("a", _p(lib)), _p(lib)]),
]


@pytest.mark.parametrize("index", range(len(ERROR_CASES)))
def test_errors_match_torch(index):
    from harness import check_error
    torch_error, ours = check_error(ERROR_CASES[index])
    assert str(ours) == str(torch_error)


def test_duplicate_params_in_a_group_warn():
    p_t, p_m = _p(torch), _p(minitorch)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        torch.optim.SGD([p_t, p_t])
    with pytest.warns(UserWarning, match="duplicate parameters"):
        minitorch.optim.SGD([p_m, p_m])


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adamax", "NAdam", "RAdam", "Adagrad",
                                  "Adadelta", "RMSprop", "Rprop", "ASGD", "LBFGS", "Adafactor"])
def test_repr_and_defaults_match_torch(name):
    t_opt = getattr(torch.optim, name)([_p(torch)])
    m_opt = getattr(minitorch.optim, name)([_p(minitorch)])
    assert repr(m_opt) == repr(t_opt)
    assert m_opt.defaults == t_opt.defaults
    assert_state_dicts_equal(t_opt.state_dict(), m_opt.state_dict())


def test_named_parameters_keep_param_names():
    def run(lib):
        w, b = _p(lib), lib.zeros(3, requires_grad=True)
        opt = lib.optim.SGD([("w", w), ("b", b)], lr=0.1)
        return opt.state_dict()
    assert_state_dicts_equal(run(torch), run(minitorch))


def test_zero_grad_and_step_with_closure():
    def run(lib):
        params = _make(lib)
        opt = lib.optim.SGD(params, lr=0.1)

        def closure():
            opt.zero_grad()
            loss = _loss(lib, params)
            loss.backward()
            return loss
        loss = opt.step(closure)
        grad_before = params[0].grad.numpy().copy()
        opt.zero_grad(set_to_none=False)
        zeroed = params[0].grad.numpy().copy()
        opt.zero_grad()
        return loss.item(), grad_before, zeroed, params[0].grad, opt.step()
    t, m = run(torch), run(minitorch)
    assert m[0] == pytest.approx(t[0], rel=1e-12)
    np.testing.assert_allclose(m[1], t[1], rtol=1e-12)
    np.testing.assert_array_equal(m[2], t[2])
    assert t[3] is None and m[3] is None
    assert t[4] is None and m[4] is None


def test_step_hooks_order_and_arguments():
    def run(lib):
        params = _make(lib)
        opt = lib.optim.SGD(params, lr=0.1)
        calls = []
        h1 = opt.register_step_pre_hook(lambda o, args, kwargs: calls.append(("pre", o is opt)))
        opt.register_step_post_hook(lambda o, args, kwargs: calls.append(("post", len(args))))
        _step(lib, opt, params)
        h1.remove()
        _step(lib, opt, params)
        return calls
    assert run(minitorch) == run(torch)


def test_global_step_hooks():
    from minitorch.optim.optimizer import register_optimizer_step_post_hook
    seen = []
    handle = register_optimizer_step_post_hook(lambda o, a, k: seen.append(type(o).__name__))
    try:
        params = _make(minitorch)
        opt = minitorch.optim.Adam(params)
        _step(minitorch, opt, params)
    finally:
        handle.remove()
    _step(minitorch, opt, params)
    assert seen == ["Adam"]


def test_state_is_keyed_by_parameter():
    params = _make(minitorch)
    opt = minitorch.optim.Adam(params)
    _step(minitorch, opt, params)
    assert set(map(id, opt.state)) == set(map(id, params))
    assert opt.state[params[0]]["exp_avg"].shape == params[0].shape
    assert opt.state[minitorch.zeros(1)] == {}  # a defaultdict, as torch's


def test_adagrad_state_exists_before_first_step():
    t_opt = torch.optim.Adagrad([_p(torch)], initial_accumulator_value=0.5)
    m_opt = minitorch.optim.Adagrad([_p(minitorch)], initial_accumulator_value=0.5)
    assert_state_dicts_equal(t_opt.state_dict(), m_opt.state_dict())


def test_warnings_quiet_for_plain_training():
    params = _make(minitorch)
    opt = minitorch.optim.Adam(params)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(3):
            _step(minitorch, opt, params)


@pytest.mark.parametrize("name,kwargs", [("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
                                         ("AdamW", dict(lr=0.01))])
def test_training_loop_with_loader_and_scheduler(name, kwargs):
    """A whole ordinary loop: DataLoader batches, optimizer, OneCycleLR, zero_grad."""
    rng = np.random.default_rng(5)
    x = rng.standard_normal((40, 3))
    y = x @ np.array([1.5, -2.0, 0.5]) + 0.3

    def run(lib):
        data = lib.utils.data
        loader = data.DataLoader(data.TensorDataset(lib.from_numpy(x.copy()),
                                                    lib.from_numpy(y.copy())), batch_size=8)
        w = lib.zeros(3, dtype=lib.float64, requires_grad=True)
        b = lib.zeros((), dtype=lib.float64, requires_grad=True)
        opt = getattr(lib.optim, name)([w, b], **kwargs)
        sched = lib.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, epochs=4,
                                                  steps_per_epoch=len(loader))
        for _ in range(4):
            for xb, yb in loader:
                opt.zero_grad()
                loss = ((xb @ w + b - yb) ** 2).mean()
                loss.backward()
                opt.step()
                sched.step()
        return w.detach().numpy(), b.detach().numpy(), sched.get_last_lr()
    (t_w, t_b, t_lr), (m_w, m_b, m_lr) = run(torch), run(minitorch)
    np.testing.assert_allclose(m_w, t_w, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(m_b, t_b, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(m_lr, t_lr, rtol=1e-12)
