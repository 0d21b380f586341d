"""minitorch.optim on its own (no torch needed): updates checked against hand-derived values."""
import copy
import math
import pickle
import warnings

import numpy as np
import pytest

import minitorch
from minitorch import optim


def _quadratic_param(values=(1.0, -2.0, 3.0)):
    return minitorch.tensor(list(values), dtype=minitorch.float64, requires_grad=True)


def _set_grad(p, values):
    p.grad = minitorch.tensor(list(values), dtype=p.dtype)


def test_sgd_step_is_p_minus_lr_grad():
    p = _quadratic_param()
    opt = optim.SGD([p], lr=0.5)
    _set_grad(p, [1.0, 2.0, -4.0])
    opt.step()
    assert p.tolist() == [0.5, -3.0, 5.0]


def test_sgd_momentum_by_hand():
    p = _quadratic_param([0.0])
    opt = optim.SGD([p], lr=1.0, momentum=0.5, dampening=0.5)
    for g in (1.0, 1.0, 1.0):
        _set_grad(p, [g])
        opt.step()
    # buffers: 1 (first step copies g), 0.5*1 + 0.5*1 = 1, 1 -> p = -3
    assert p.tolist() == [-3.0]
    assert opt.state[p]["momentum_buffer"].tolist() == [1.0]


def test_adam_first_step_moves_by_lr_against_the_gradient_sign():
    p = _quadratic_param()
    opt = optim.Adam([p], lr=0.1, eps=0.0)
    _set_grad(p, [3.0, -0.5, 2.0])
    opt.step()
    # after one step m_hat = g and v_hat = g^2, so the update is lr * sign(g)
    np.testing.assert_allclose(p.tolist(), [0.9, -1.9, 2.9], rtol=1e-12)
    assert opt.state[p]["step"].dtype == minitorch.float32
    assert opt.state[p]["step"].item() == 1.0


def test_adamw_decays_the_parameter_not_the_gradient():
    p = _quadratic_param([2.0])
    opt = optim.AdamW([p], lr=0.1, weight_decay=0.5, eps=0.0)
    _set_grad(p, [1.0])
    opt.step()
    assert p.item() == pytest.approx(2.0 * (1 - 0.1 * 0.5) - 0.1, rel=1e-12)


def test_adagrad_first_step():
    p = _quadratic_param([1.0])
    opt = optim.Adagrad([p], lr=0.1, initial_accumulator_value=3.0, eps=0.0)
    _set_grad(p, [1.0])
    opt.step()
    assert p.item() == pytest.approx(1.0 - 0.1 * 1.0 / math.sqrt(4.0), rel=1e-12)


@pytest.mark.parametrize("name,kwargs", [
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)), ("Adam", dict(lr=0.1)),
    ("AdamW", dict(lr=0.1, amsgrad=True)), ("Adamax", dict(lr=0.1)), ("NAdam", dict(lr=0.1)),
    ("RAdam", dict(lr=0.1)), ("Adagrad", dict(lr=0.5)), ("Adadelta", dict(lr=5.0)),
    ("RMSprop", dict(lr=0.01, centered=True)), ("Rprop", dict(lr=0.01)),
    ("ASGD", dict(lr=0.05)), ("Adafactor", dict(lr=0.1))])
def test_every_optimizer_decreases_a_quadratic(name, kwargs):
    target = minitorch.tensor([[1.0, -1.0], [0.5, 2.0]])
    # not zeros: Adafactor's step size is relative to the parameter's size
    w = minitorch.full((2, 2), 0.3, requires_grad=True)
    opt = getattr(optim, name)([w], **kwargs)
    losses = []
    for _ in range(60):
        opt.zero_grad()
        loss = ((w - target) ** 2).sum()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


def test_lbfgs_minimises_rosenbrock():
    xy = minitorch.tensor([-1.5, 2.0], dtype=minitorch.float64, requires_grad=True)
    opt = optim.LBFGS([xy], lr=1, max_iter=100, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        x, y = xy[0], xy[1]
        loss = (1 - x) ** 2 + 100 * (y - x * x) ** 2
        loss.backward()
        return loss
    for _ in range(5):
        opt.step(closure)
    np.testing.assert_allclose(xy.tolist(), [1.0, 1.0], atol=1e-5)


def test_muon_update_is_orthogonal():
    w = minitorch.zeros(4, 4, dtype=minitorch.float64, requires_grad=True)
    opt = optim.Muon([w], lr=1.0, weight_decay=0.0, momentum=0.0, nesterov=False,
                     ns_steps=30, ns_coefficients=(1.5, -0.5, 0.0))
    g = np.diag([4.0, 1.0, 0.5, 0.25])
    w.grad = minitorch.tensor(g)
    opt.step()
    # cubic Newton-Schulz converges to U V^T = identity for this diagonal gradient
    np.testing.assert_allclose(w.detach().numpy(), -np.eye(4), atol=1e-6)


def test_state_dict_round_trip_and_pickle():
    p = _quadratic_param()
    opt = optim.Adam([p], lr=0.1)
    _set_grad(p, [1.0, 1.0, 1.0])
    opt.step()
    sd = opt.state_dict()
    assert sd["param_groups"][0]["params"] == [0]
    assert set(sd["state"][0]) == {"step", "exp_avg", "exp_avg_sq"}
    restored = pickle.loads(pickle.dumps(sd))
    q = _quadratic_param()
    opt2 = optim.Adam([q], lr=0.5)
    opt2.load_state_dict(restored)
    assert opt2.param_groups[0]["lr"] == 0.1
    assert opt2.param_groups[0]["params"][0] is q
    assert opt2.state[q]["exp_avg"].tolist() == opt.state[p]["exp_avg"].tolist()


def test_load_state_dict_group_size_mismatch():
    a, b = _quadratic_param(), _quadratic_param()
    sd = optim.SGD([a, b]).state_dict()
    with pytest.raises(ValueError, match="doesn't match the size"):
        optim.SGD([a]).load_state_dict(sd)


def test_state_dict_hooks():
    p = _quadratic_param()
    opt = optim.SGD([p], lr=0.1)
    opt.register_state_dict_post_hook(lambda o, sd: {**sd, "extra": 1})
    assert opt.state_dict()["extra"] == 1
    called = []
    opt.register_load_state_dict_post_hook(lambda o: called.append(True))
    opt.load_state_dict({"state": {}, "param_groups": [{"params": [0], "lr": 0.2}]})
    assert called == [True] and opt.param_groups[0]["lr"] == 0.2


def test_pre_hook_can_replace_arguments():
    p = _quadratic_param()
    opt = optim.SGD([p], lr=0.1)
    opt.register_step_pre_hook(lambda o, args, kwargs: (args, {"closure": lambda: 42.0}))
    assert opt.step() == 42.0


def test_deepcopy_of_optimizer_keeps_state_structure():
    p = _quadratic_param()
    opt = optim.RMSprop([p], lr=0.1, momentum=0.5)
    _set_grad(p, [1.0, 1.0, 1.0])
    opt.step()
    clone = copy.deepcopy(opt)
    assert len(clone.state) == 1
    assert sorted(next(iter(clone.state.values()))) == ["momentum_buffer", "square_avg", "step"]


def test_scheduler_drives_the_optimizer():
    p = _quadratic_param()
    opt = optim.SGD([p], lr=1.0)
    sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.1)
    lrs = []
    for _ in range(5):
        _set_grad(p, [0.0, 0.0, 0.0])
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    assert lrs == pytest.approx([1.0, 0.1, 0.1, 0.01, 0.01])


def test_reduce_lr_on_plateau_by_hand():
    opt = optim.SGD([_quadratic_param()], lr=1.0)
    sched = optim.lr_scheduler.ReduceLROnPlateau(opt, patience=1, factor=0.5)
    for metric in [1.0, 1.0, 1.0, 0.5, 0.5, 0.5]:
        sched.step(metric)
    # bad epochs: 1, 2 (reduce), 0 (improved), 1, 2 (reduce)
    assert opt.param_groups[0]["lr"] == 0.25


def test_scheduler_warns_if_stepped_first():
    opt = optim.SGD([_quadratic_param()], lr=1.0)
    sched = optim.lr_scheduler.ExponentialLR(opt, 0.5)
    with pytest.warns(UserWarning, match="before `optimizer.step"):
        sched.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.step()
        sched.step()


def test_minitorch_optim_does_not_import_torch():
    import subprocess
    import sys
    code = ("import sys, minitorch.optim, minitorch.utils.data; "
            "assert 'torch' not in sys.modules, 'torch was imported'")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_user_defined_optimizer_like_the_tutorials():
    class PlainSGD(optim.Optimizer):
        def __init__(self, params, lr=0.1):
            super().__init__(params, dict(lr=lr))

        @minitorch.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        p.add_(p.grad, alpha=-group["lr"])

    p = _quadratic_param([1.0, 2.0])
    opt = PlainSGD([p], lr=0.5)
    calls = []
    opt.register_step_post_hook(lambda o, args, kwargs: calls.append(1))
    _set_grad(p, [2.0, 2.0])
    opt.step()
    assert p.tolist() == [0.0, 1.0] and calls == [1]
    assert repr(opt) == "PlainSGD (\nParameter Group 0\n    lr: 0.5\n)"


def test_required_hyperparameter_must_be_given_per_group():
    class NeedsLr(optim.Optimizer):
        def __init__(self, params):
            super().__init__(params, dict(lr=optim.optimizer.required))

        def step(self, closure=None):
            return None
    with pytest.raises(ValueError, match="didn't specify a value of required optimization "
                                         "parameter lr"):
        NeedsLr([_quadratic_param()])
    assert NeedsLr([{"params": [_quadratic_param()], "lr": 1.0}]).param_groups[0]["lr"] == 1.0
