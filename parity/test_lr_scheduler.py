"""Learning-rate schedulers against torch.optim.lr_scheduler: lr sequences, momenta, state."""
import math
import warnings

import numpy as np
import pytest
import torch

import minitorch

STEPS = 100


def _optimizer(lib, name="SGD", groups=2, **kwargs):
    params = [lib.zeros(2, requires_grad=True) for _ in range(groups)]
    defaults = {"SGD": dict(lr=0.1, momentum=0.9), "Adam": dict(lr=0.01)}[name]
    defaults.update(kwargs)
    param_groups = [{"params": [p], "lr": defaults["lr"] * (i + 1)} for i, p in enumerate(params)]
    return getattr(lib.optim, name)(param_groups, **defaults), params


def _run(lib, make_scheduler, steps=STEPS, optimizer="SGD", metrics=None, epochs=None):
    """lr (and momentum/beta1) of every group after construction and after each step."""
    opt, params = _optimizer(lib, optimizer)
    with warnings.catch_warnings():
        # nested schedulers step each other while being built, which torch warns about
        warnings.simplefilter("ignore")
        scheduler = make_scheduler(lib.optim.lr_scheduler, opt)
        history = [_snapshot(opt, scheduler)]
        for i in range(steps):
            opt.step()
            if metrics is not None:
                scheduler.step(metrics[i])
            elif epochs is not None:
                scheduler.step(epochs[i])
            else:
                scheduler.step()
            history.append(_snapshot(opt, scheduler))
    return history, scheduler


def _snapshot(opt, scheduler):
    groups = [(g["lr"], g.get("momentum"), g.get("betas", (None,))[0]) for g in opt.param_groups]
    return groups, list(scheduler.get_last_lr())


def _assert_same(t_hist, m_hist, rtol=1e-12):
    assert len(t_hist) == len(m_hist)
    for step, ((t_groups, t_last), (m_groups, m_last)) in enumerate(zip(t_hist, m_hist)):
        for t_vals, m_vals in zip(t_groups, m_groups):
            for t, m in zip(t_vals, m_vals):
                if t is None:
                    assert m is None
                else:
                    assert m == pytest.approx(t, rel=rtol, abs=1e-15), f"step {step}: {m} != {t}"
        np.testing.assert_allclose(m_last, t_last, rtol=rtol, atol=1e-15,
                                   err_msg=f"get_last_lr at step {step}")


SCHEDULERS = {
    "LambdaLR": lambda S, o: S.LambdaLR(o, lambda e: 0.95 ** e),
    "LambdaLR-list": lambda S, o: S.LambdaLR(o, [lambda e: 1 / (e + 1), lambda e: 0.9 ** e]),
    "MultiplicativeLR": lambda S, o: S.MultiplicativeLR(o, lambda e: 0.97),
    "StepLR": lambda S, o: S.StepLR(o, step_size=7, gamma=0.5),
    "MultiStepLR": lambda S, o: S.MultiStepLR(o, milestones=[10, 30, 30, 60], gamma=0.3),
    "ConstantLR": lambda S, o: S.ConstantLR(o, factor=0.25, total_iters=12),
    "LinearLR": lambda S, o: S.LinearLR(o, start_factor=0.1, end_factor=0.9, total_iters=40),
    "ExponentialLR": lambda S, o: S.ExponentialLR(o, gamma=0.96),
    "PolynomialLR": lambda S, o: S.PolynomialLR(o, total_iters=60, power=2.0),
    "CosineAnnealingLR": lambda S, o: S.CosineAnnealingLR(o, T_max=30, eta_min=1e-3),
    "CosineAnnealingLR-zero-min": lambda S, o: S.CosineAnnealingLR(o, T_max=13),
    "CosineAnnealingWarmRestarts": lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=10),
    "CosineAnnealingWarmRestarts-mult": lambda S, o: S.CosineAnnealingWarmRestarts(
        o, T_0=5, T_mult=2, eta_min=0.01),
    "CyclicLR-triangular": lambda S, o: S.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=8),
    "CyclicLR-triangular2": lambda S, o: S.CyclicLR(o, base_lr=[0.01, 0.02], max_lr=0.1,
                                                    step_size_up=5, step_size_down=11,
                                                    mode="triangular2"),
    "CyclicLR-exp_range": lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=6,
                                                  mode="exp_range", gamma=0.98,
                                                  base_momentum=0.7, max_momentum=0.95),
    "CyclicLR-scale_fn": lambda S, o: S.CyclicLR(o, 0.01, 0.1, step_size_up=4,
                                                 scale_fn=lambda x: 1 / (x + 1),
                                                 scale_mode="iterations",
                                                 cycle_momentum=False),
    "OneCycleLR-cos": lambda S, o: S.OneCycleLR(o, max_lr=0.5, total_steps=STEPS + 1),
    "OneCycleLR-linear": lambda S, o: S.OneCycleLR(o, max_lr=[0.5, 0.3], epochs=5,
                                                   steps_per_epoch=21, pct_start=0.25,
                                                   anneal_strategy="linear", div_factor=10.0,
                                                   final_div_factor=100.0),
    "OneCycleLR-three-phase": lambda S, o: S.OneCycleLR(o, max_lr=0.5, total_steps=STEPS + 1,
                                                        three_phase=True, base_momentum=0.8,
                                                        max_momentum=0.9),
    "SequentialLR": lambda S, o: S.SequentialLR(
        o, [S.LinearLR(o, start_factor=0.1, total_iters=10),
            S.CosineAnnealingLR(o, T_max=40), S.ExponentialLR(o, gamma=0.9)],
        milestones=[10, 50]),
    "ChainedScheduler": lambda S, o: S.ChainedScheduler(
        [S.ConstantLR(o, factor=0.5, total_iters=20), S.ExponentialLR(o, gamma=0.97),
         S.StepLR(o, step_size=15, gamma=0.5)]),
    "Sequential-of-chained": lambda S, o: S.SequentialLR(
        o, [S.ChainedScheduler([S.LinearLR(o, start_factor=0.2, total_iters=8),
                                S.ExponentialLR(o, gamma=0.99)]),
            S.MultiStepLR(o, milestones=[20, 40])], milestones=[30]),
}


@pytest.mark.parametrize("optimizer", ["SGD", "Adam"])
@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_lr_sequence_matches_torch(name, optimizer):
    t_hist, _ = _run(torch, SCHEDULERS[name], optimizer=optimizer)
    m_hist, _ = _run(minitorch, SCHEDULERS[name], optimizer=optimizer)
    _assert_same(t_hist, m_hist)


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "ConstantLR", "LinearLR",
                                  "ExponentialLR", "PolynomialLR", "CosineAnnealingLR"])
def test_step_with_epoch_uses_closed_form(name):
    epochs = [3, 4, 4, 10, 2, 17, 35, 36, 60, 1]
    t_hist, _ = _run(torch, SCHEDULERS[name], steps=len(epochs), epochs=epochs)
    m_hist, _ = _run(minitorch, SCHEDULERS[name], steps=len(epochs), epochs=epochs)
    _assert_same(t_hist, m_hist)


@pytest.mark.parametrize("T_mult", [1, 2, 3])
def test_cosine_warm_restarts_fractional_epochs(T_mult):
    epochs = [i * 0.37 for i in range(60)]
    make = lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=4, T_mult=T_mult, eta_min=0.001)
    t_hist, _ = _run(torch, make, steps=len(epochs), epochs=epochs)
    m_hist, _ = _run(minitorch, make, steps=len(epochs), epochs=epochs)
    _assert_same(t_hist, m_hist)


PLATEAU = {
    "min-rel": dict(),
    "min-abs-cooldown": dict(mode="min", threshold=0.05, threshold_mode="abs", patience=2,
                             cooldown=3, factor=0.5),
    "max-rel-min_lr": dict(mode="max", patience=1, factor=0.3, min_lr=[0.01, 0.05]),
    "max-abs-eps": dict(mode="max", threshold_mode="abs", patience=0, factor=0.9, eps=1e-3),
}


@pytest.mark.parametrize("name", list(PLATEAU))
def test_reduce_lr_on_plateau(name):
    rng = np.random.default_rng(0)
    # a metric that improves, stalls, and jumps around
    metrics = list(np.concatenate([np.linspace(1.0, 0.5, 20), np.full(30, 0.5),
                                   0.5 + rng.uniform(-0.05, 0.05, 50)]))
    make = lambda S, o: S.ReduceLROnPlateau(o, **PLATEAU[name])
    t_hist, t_sched = _run(torch, make, metrics=metrics)
    m_hist, m_sched = _run(minitorch, make, metrics=metrics)
    _assert_same(t_hist, m_hist)
    for key in ("best", "num_bad_epochs", "cooldown_counter", "last_epoch"):
        assert getattr(m_sched, key) == getattr(t_sched, key)


def _comparable(state):
    """A scheduler state_dict without the unpicklable/irrelevant bits."""
    return {k: v for k, v in state.items() if not callable(v)}


@pytest.mark.parametrize("name", ["StepLR", "MultiStepLR", "CosineAnnealingLR", "OneCycleLR-cos",
                                  "CyclicLR-triangular2", "LambdaLR", "SequentialLR",
                                  "ChainedScheduler", "CosineAnnealingWarmRestarts-mult"])
def test_state_dict_keys_and_values(name):
    _, t_sched = _run(torch, SCHEDULERS[name], steps=17)
    _, m_sched = _run(minitorch, SCHEDULERS[name], steps=17)
    t_state, m_state = _comparable(t_sched.state_dict()), _comparable(m_sched.state_dict())
    assert sorted(m_state) == sorted(t_state)
    for key in t_state:
        if key in ("_schedulers",):
            assert [sorted(s) for s in m_state[key]] == [sorted(s) for s in t_state[key]]
        elif key in ("milestones",):
            assert dict(m_state[key]) == dict(t_state[key])
        elif isinstance(t_state[key], float):
            assert m_state[key] == pytest.approx(t_state[key], rel=1e-12)
        elif key not in ("_scale_fn_ref",):
            assert m_state[key] == t_state[key], key


@pytest.mark.parametrize("name", ["StepLR", "CosineAnnealingLR", "OneCycleLR-cos",
                                  "CyclicLR-exp_range", "SequentialLR", "LinearLR"])
def test_resume_from_state_dict(name):
    """Save after 30 steps, load into a fresh scheduler, continue: equals an unbroken run."""
    t_hist, _ = _run(torch, SCHEDULERS[name], steps=60)
    opt, _ = _optimizer(minitorch)
    sched = SCHEDULERS[name](minitorch.optim.lr_scheduler, opt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(30):
            opt.step()
            sched.step()
        saved_sched, saved_opt = sched.state_dict(), opt.state_dict()
        opt2, _ = _optimizer(minitorch)
        sched2 = SCHEDULERS[name](minitorch.optim.lr_scheduler, opt2)
        opt2.load_state_dict(saved_opt)
        sched2.load_state_dict(saved_sched)
        rest = []
        for _ in range(30):
            opt2.step()
            sched2.step()
            rest.append(_snapshot(opt2, sched2))
    _assert_same(t_hist[31:], rest)


def test_initial_lr_and_base_lrs():
    t_opt, _ = _optimizer(torch)
    m_opt, _ = _optimizer(minitorch)
    t_s = torch.optim.lr_scheduler.StepLR(t_opt, 3)
    m_s = minitorch.optim.lr_scheduler.StepLR(m_opt, 3)
    assert m_s.base_lrs == t_s.base_lrs
    assert [g["initial_lr"] for g in m_opt.param_groups] == \
        [g["initial_lr"] for g in t_opt.param_groups]
    assert m_s.last_epoch == t_s.last_epoch == 0


def test_warns_when_scheduler_steps_before_optimizer():
    for lib in (torch, minitorch):
        opt, _ = _optimizer(lib)
        sched = lib.optim.lr_scheduler.StepLR(opt, 3)
        with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
            sched.step()


def test_no_warning_in_the_right_order():
    opt, _ = _optimizer(minitorch)
    sched = minitorch.optim.lr_scheduler.ExponentialLR(opt, 0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(3):
            opt.step()
            sched.step()


def test_get_lr_outside_step_warns():
    for lib in (torch, minitorch):
        opt, _ = _optimizer(lib)
        sched = lib.optim.lr_scheduler.StepLR(opt, 3)
        with pytest.warns(UserWarning, match="get_last_lr"):
            sched.get_lr()


def test_tensor_lr_is_updated_in_place():
    def run(lib):
        lr = lib.tensor(0.1)
        opt = lib.optim.SGD([lib.zeros(2, requires_grad=True)], lr=lr)
        sched = lib.optim.lr_scheduler.ExponentialLR(opt, 0.5)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for _ in range(3):
                opt.step()
                sched.step()
        return opt.param_groups[0]["lr"] is lr, lr.item(), [float(x) for x in sched.get_last_lr()]
    assert run(minitorch) == run(torch)


ERRORS = [
    lambda S, o: S.StepLR(object(), 3),
    lambda S, o: S.ConstantLR(o, factor=1.5),
    lambda S, o: S.LinearLR(o, start_factor=0),
    lambda S, o: S.LinearLR(o, end_factor=1.5),
    lambda S, o: S.LambdaLR(o, [lambda e: 1.0]),
    lambda S, o: S.MultiplicativeLR(o, 0.5),
    lambda S, o: S.StepLR(o, 3, last_epoch=5),
    lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=0),
    lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=0),
    lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=2, eta_min="0"),
    lambda S, o: S.CosineAnnealingWarmRestarts(o, T_0=2).step(-1),
    lambda S, o: S.CyclicLR(o, 0.01, 0.1, mode="bad"),
    lambda S, o: S.CyclicLR(o, [0.01], 0.1),
    lambda S, o: S.OneCycleLR(o, max_lr=0.1),
    lambda S, o: S.OneCycleLR(o, max_lr=0.1, total_steps=0),
    lambda S, o: S.OneCycleLR(o, max_lr=0.1, epochs=0, steps_per_epoch=3),
    lambda S, o: S.OneCycleLR(o, max_lr=0.1, total_steps=10, pct_start=2.0),
    lambda S, o: S.OneCycleLR(o, max_lr=0.1, total_steps=10, anneal_strategy="exp"),
    lambda S, o: (lambda s: [s.step() for _ in range(3)])(S.OneCycleLR(o, 0.1, total_steps=2)),
    lambda S, o: S.ReduceLROnPlateau(o, factor=1.0),
    lambda S, o: S.ReduceLROnPlateau(o, mode="median"),
    lambda S, o: S.ReduceLROnPlateau(o, threshold_mode="pct"),
    lambda S, o: S.ReduceLROnPlateau(o, min_lr=[0.1]),
    lambda S, o: S.SequentialLR(o, [], milestones=[]),
    lambda S, o: S.SequentialLR(o, [S.StepLR(o, 2), S.StepLR(o, 3)], milestones=[]),
    lambda S, o: S.SequentialLR(o, [S.StepLR(o, 2), S.ReduceLROnPlateau(o)], milestones=[3]),
    lambda S, o: S.ChainedScheduler([]),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors_match_torch(index):
    def attempt(lib):
        opt, _ = _optimizer(lib)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ERRORS[index](lib.optim.lr_scheduler, opt)
    from harness import check_error
    torch_error, ours = check_error(attempt)
    assert str(ours) == str(torch_error)


def test_cycle_momentum_requires_a_momentum():
    from harness import check_error

    def attempt(lib):
        opt = lib.optim.Rprop([lib.zeros(1, requires_grad=True)])
        lib.optim.lr_scheduler.CyclicLR(opt, 0.01, 0.1)
    torch_error, ours = check_error(attempt)
    assert str(ours) == str(torch_error)


def test_oneclr_sets_group_keys_like_torch():
    t_opt, _ = _optimizer(torch)
    m_opt, _ = _optimizer(minitorch)
    torch.optim.lr_scheduler.OneCycleLR(t_opt, max_lr=1.0, total_steps=10)
    minitorch.optim.lr_scheduler.OneCycleLR(m_opt, max_lr=1.0, total_steps=10)
    for t_group, m_group in zip(t_opt.param_groups, m_opt.param_groups):
        assert sorted(m_group) == sorted(t_group)
        for key in t_group:
            if key != "params":
                assert m_group[key] == t_group[key] or (
                    isinstance(t_group[key], float) and math.isclose(m_group[key], t_group[key]))
