"""Parity of lazy modules (LazyModuleMixin): state_dict before the first forward,
load_state_dict into uninitialised modules, the switch to ``cls_to_become``, errors."""
import copy
import io
import os
import sys

import numpy as np
import pytest
import torch

import minitorch

sys.path.insert(0, os.path.dirname(__file__))
from harness import rand  # noqa: E402
from _conv_harness import compare_buffers, run_pair  # noqa: E402


def _outcome(fn, lib):
    """``fn(lib)``'s result, or the type and message of what it raised."""
    try:
        return "returned", fn(lib)
    except Exception as error:  # noqa: BLE001 - the exception is what we compare
        return type(error).__name__, str(error)


def _same(fn):
    """``fn(lib)`` gives the same plain value (or the same error) in both libraries."""
    theirs, ours = _outcome(fn, torch), _outcome(fn, minitorch)
    assert ours == theirs
    return ours


def _describe(module):
    """What a lazy module looks like from outside: class, repr, state_dict entries."""
    entries = []
    for key, value in module.state_dict().items():
        uninitialised = type(value).__name__.startswith("Uninitialized")
        entries.append((key, type(value).__name__,
                        None if uninitialised else tuple(value.shape), str(value.dtype)))
    return type(module).__name__, repr(module), entries


def _to_minitorch(state_dict):
    return {k: minitorch.from_numpy(v.detach().numpy().copy()) for k, v in state_dict.items()}


# (lazy module, the module whose state it loads, input shape); made in each library
CASES = {
    "Linear": (lambda lib: lib.nn.LazyLinear(3), lambda lib: lib.nn.Linear(5, 3), (2, 5)),
    "Linear-no-bias": (lambda lib: lib.nn.LazyLinear(3, bias=False),
                       lambda lib: lib.nn.Linear(5, 3, bias=False), (4, 2, 5)),
    "Conv1d": (lambda lib: lib.nn.LazyConv1d(6, 3), lambda lib: lib.nn.Conv1d(4, 6, 3),
               (2, 4, 7)),
    "Conv2d-groups": (lambda lib: lib.nn.LazyConv2d(6, 3, padding=1, groups=2),
                      lambda lib: lib.nn.Conv2d(4, 6, 3, padding=1, groups=2), (2, 4, 5, 5)),
    "Conv3d-unbatched": (lambda lib: lib.nn.LazyConv3d(2, 2, bias=False),
                         lambda lib: lib.nn.Conv3d(3, 2, 2, bias=False), (3, 4, 4, 4)),
    "ConvTranspose1d": (lambda lib: lib.nn.LazyConvTranspose1d(6, 3, stride=2),
                        lambda lib: lib.nn.ConvTranspose1d(4, 6, 3, stride=2), (2, 4, 5)),
    "ConvTranspose2d": (lambda lib: lib.nn.LazyConvTranspose2d(2, 3),
                        lambda lib: lib.nn.ConvTranspose2d(4, 2, 3), (2, 4, 3, 3)),
    "ConvTranspose3d": (lambda lib: lib.nn.LazyConvTranspose3d(2, 2, groups=2),
                        lambda lib: lib.nn.ConvTranspose3d(4, 2, 2, groups=2), (1, 4, 3, 3, 3)),
    "BatchNorm1d": (lambda lib: lib.nn.LazyBatchNorm1d(), lambda lib: lib.nn.BatchNorm1d(3),
                    (4, 3)),
    "BatchNorm2d-no-affine": (lambda lib: lib.nn.LazyBatchNorm2d(affine=False),
                              lambda lib: lib.nn.BatchNorm2d(3, affine=False), (4, 3, 2, 2)),
    "BatchNorm3d-no-stats": (lambda lib: lib.nn.LazyBatchNorm3d(track_running_stats=False),
                             lambda lib: lib.nn.BatchNorm3d(3, track_running_stats=False),
                             (2, 3, 2, 2, 2)),
    "BatchNorm1d-no-bias": (lambda lib: lib.nn.LazyBatchNorm1d(bias=False),
                            lambda lib: lib.nn.BatchNorm1d(3, bias=False), (4, 3, 5)),
    "InstanceNorm1d-stats": (
        lambda lib: lib.nn.LazyInstanceNorm1d(affine=False),
        lambda lib: lib.nn.InstanceNorm1d(3, affine=False, track_running_stats=True),
        (2, 3, 6)),
    "InstanceNorm2d-plain": (
        lambda lib: lib.nn.LazyInstanceNorm2d(affine=False, track_running_stats=False),
        lambda lib: lib.nn.InstanceNorm2d(3), (2, 3, 4, 4)),
}


def _random_state(source):
    """Move a torch module's state off its defaults (weights 1, running var 1, ...)."""
    generator = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for t in list(source.parameters()) + list(source.buffers()):
            if t.is_floating_point():
                t.add_(torch.rand(t.shape, generator=generator))
    return source


@pytest.mark.parametrize("name", list(CASES))
def test_state_dict_before_the_first_forward(name):
    make_lazy, _, _ = CASES[name]
    _same(lambda lib: _describe(make_lazy(lib)))
    _same(lambda lib: repr(make_lazy(lib).state_dict()))
    _same(lambda lib: [type(v).__name__ for v in make_lazy(lib).state_dict(keep_vars=True)
                       .values()])


@pytest.mark.parametrize("name", list(CASES))
@pytest.mark.parametrize("train", [True, False])
def test_load_state_dict_then_forward(name, train):
    make_lazy, make_source, shape = CASES[name]
    t_state = _random_state(make_source(torch)).state_dict()
    theirs, ours = make_lazy(torch), make_lazy(minitorch)
    assert repr(ours.load_state_dict(_to_minitorch(t_state))) == \
        repr(theirs.load_state_dict(t_state))
    # materialized with the checkpoint's shapes and values, still lazy until the forward
    assert _describe(ours) == _describe(theirs)
    assert ours.has_uninitialized_params() == theirs.has_uninitialized_params()
    compare_buffers(theirs, ours, rtol=0, atol=0)
    run_pair(theirs, ours, [rand(*shape, dtype=np.float32)], train=train)
    assert _describe(ours) == _describe(theirs)
    compare_buffers(theirs, ours)


@pytest.mark.parametrize("affine", [True, False])
def test_loaded_lazy_instance_norm_keeps_num_features_zero(affine):
    """torch leaves num_features at 0 after a load, so an affine instance norm's first
    forward raises (after the class has switched), and a plain one warns."""
    state = _random_state(torch.nn.InstanceNorm2d(3, affine=affine,
                                                  track_running_stats=True)).state_dict()

    def load_then_forward(lib):
        module = lib.nn.LazyInstanceNorm2d(affine=affine)
        module.load_state_dict(state if lib is torch else _to_minitorch(state))
        outcome = _outcome(lambda lib: tuple(module(lib.ones(2, 3, 4, 4)).shape), lib)
        return outcome, _describe(module)
    _same(load_then_forward)


@pytest.mark.parametrize("name", list(CASES))
def test_load_uninitialised_state_into_uninitialised_module(name):
    make_lazy, _, shape = CASES[name]

    def load_uninitialised(lib):
        module = make_lazy(lib)
        result = module.load_state_dict(make_lazy(lib).state_dict())
        before = _describe(module), module.has_uninitialized_params()
        out = module(lib.ones(*shape))
        return repr(result), before, _describe(module), tuple(out.shape)
    _same(load_uninitialised)


@pytest.mark.parametrize("name", [n for n in CASES if n != "InstanceNorm2d-plain"])
def test_load_uninitialised_state_into_initialised_module(name):
    make_lazy, make_source, _ = CASES[name]
    assert make_lazy(torch).state_dict()  # a placeholder to trip over
    _same(lambda lib: make_source(lib).load_state_dict(make_lazy(lib).state_dict()))


def test_partial_and_mismatched_loads():
    source = torch.nn.Linear(5, 3)
    weight_only = {"weight": source.weight.detach()}

    def strict_false(lib):
        module = lib.nn.LazyLinear(3)
        state = weight_only if lib is torch else _to_minitorch(weight_only)
        result = repr(module.load_state_dict(state, strict=False))
        forward = _outcome(lambda lib: module(lib.ones(2, 5)), lib)
        return result, _describe(module), forward
    _same(strict_false)

    def strict(lib):
        module = lib.nn.LazyLinear(3)
        state = weight_only if lib is torch else _to_minitorch(weight_only)
        return _outcome(lambda lib: module.load_state_dict(state), lib), _describe(module)
    _same(strict)

    def wrong_input(lib):
        module = lib.nn.LazyLinear(3)
        state = source.state_dict()
        module.load_state_dict(state if lib is torch else _to_minitorch(state))
        return _outcome(lambda lib: module(lib.ones(2, 4)), lib), _describe(module)
    _same(wrong_input)

    def mixed(lib):
        # one real tensor and one placeholder: only the first is materialized
        module = lib.nn.LazyLinear(3)
        state = {"weight": source.weight.detach() if lib is torch else
                 minitorch.from_numpy(source.weight.detach().numpy().copy()),
                 "bias": lib.nn.LazyLinear(3).state_dict()["bias"]}
        return repr(module.load_state_dict(state)), _describe(module)
    _same(mixed)

    def reload(lib):
        module = lib.nn.LazyLinear(3)
        state = source.state_dict()
        module.load_state_dict(state if lib is torch else _to_minitorch(state))
        other = lib.nn.Linear(4, 3).state_dict()
        return _outcome(lambda lib: module.load_state_dict(other), lib)
    _same(reload)


def test_assign_and_dtype():
    source = _random_state(torch.nn.BatchNorm2d(3)).state_dict()

    def assign(lib):
        module = lib.nn.LazyBatchNorm2d()
        result = module.load_state_dict(source if lib is torch else _to_minitorch(source),
                                        assign=True)
        return repr(result), _describe(module)
    _same(assign)

    def double_first(lib):
        module = lib.nn.LazyLinear(3).double()
        before = [(type(p).__name__, str(p.dtype)) for p in module.parameters()]
        state = torch.nn.Linear(5, 3).state_dict()  # float32 values, cast on load
        module.load_state_dict(state if lib is torch else _to_minitorch(state))
        return before, _describe(module)
    _same(double_first)


def test_whole_model_load_then_forward():
    """A small CNN made of lazy layers takes a trained model's state_dict."""
    def model(lib, lazy):
        nn = lib.nn
        if lazy:
            return nn.Sequential(nn.LazyConv2d(4, 3), nn.LazyBatchNorm2d(), nn.ReLU(),
                                 nn.Flatten(), nn.LazyLinear(5))
        return nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(),
                             nn.Linear(36, 5))
    trained = _random_state(model(torch, lazy=False)).state_dict()
    theirs, ours = model(torch, lazy=True), model(minitorch, lazy=True)
    theirs.load_state_dict(trained)
    ours.load_state_dict(_to_minitorch(trained))
    assert [type(m).__name__ for m in ours] == [type(m).__name__ for m in theirs]
    for train in (False, True):
        run_pair(theirs, ours, [rand(2, 3, 5, 5, dtype=np.float32)], train=train)
    assert repr(ours) == repr(theirs)
    compare_buffers(theirs, ours)


def test_hooks_copies_and_pickles():
    def user_hook_sees_initialised(lib):
        module, seen = lib.nn.LazyLinear(3), []
        module.register_forward_pre_hook(
            lambda m, args: seen.append((type(m).__name__, type(m.weight).__name__)))
        module(lib.ones(2, 5))
        return seen, len(module._forward_pre_hooks), len(module._load_state_dict_pre_hooks)
    _same(user_hook_sees_initialised)

    def copies_are_independent(lib):
        module = lib.nn.LazyLinear(3)
        copied = copy.deepcopy(module)
        copied(lib.ones(1, 5))
        return _describe(copied), _describe(module), tuple(module(lib.ones(1, 7)).shape)
    _same(copies_are_independent)

    def pickled(lib):
        buffer = io.BytesIO()
        lib.save(lib.nn.LazyConv1d(2, 3), buffer)
        buffer.seek(0)
        module = lib.load(buffer, weights_only=False)
        before = _describe(module)
        module(lib.ones(1, 4, 6))
        return before, _describe(module)
    _same(pickled)

    def state_dict_saved(lib):
        buffer = io.BytesIO()
        lib.save(lib.nn.LazyLinear(3).state_dict(), buffer)
        buffer.seek(0)
        return {k: type(v).__name__ for k, v in lib.load(buffer, weights_only=False).items()}
    _same(state_dict_saved)


def test_input_errors():
    _same(lambda lib: _outcome(lambda lib: lib.nn.LazyConv2d(4, 3)(lib.ones(2, 3)), lib))
    _same(lambda lib: lib.nn.LazyConv2d(4, 3, groups=2)(lib.ones(1, 3, 5, 5)))

    def still_lazy_after_error(lib):
        module = lib.nn.LazyConv2d(4, 3)
        _outcome(lambda lib: module(lib.ones(2, 3)), lib)
        return _describe(module), module.has_uninitialized_params()
    _same(still_lazy_after_error)


def _custom_lazy_classes(lib):
    mixin = lib.nn.modules.lazy.LazyModuleMixin

    class Scale(mixin, lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = lib.nn.UninitializedParameter()
            self.register_buffer("shift", lib.nn.UninitializedBuffer())

        def initialize_parameters(self, x):
            self.weight.materialize((x.shape[-1],))
            self.shift.materialize((x.shape[-1],))
            with lib.no_grad():
                self.weight.fill_(2.0)
                self.shift.fill_(1.0)

        def forward(self, x):
            return x * self.weight + self.shift

    class Forgetful(mixin, lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = lib.nn.UninitializedParameter()

        def initialize_parameters(self, x):
            pass

        def forward(self, x):
            return x

    class Unfinished(mixin, lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = lib.nn.UninitializedParameter()

        def forward(self, x):
            return x
    return Scale, Forgetful, Unfinished


def test_custom_lazy_module():
    def scale(lib):
        Scale, _, _ = _custom_lazy_classes(lib)
        module = Scale()
        before = _describe(module)[2]
        out = module(lib.ones(2, 3)).tolist()
        mixin = lib.nn.modules.lazy.LazyModuleMixin
        return before, out, _describe(module)[2], isinstance(module, mixin)
    _same(scale)

    def loaded(lib):
        Scale, _, _ = _custom_lazy_classes(lib)
        module = Scale()
        module.load_state_dict({"weight": lib.ones(4), "shift": lib.zeros(4)})
        return _describe(module)[2], _outcome(lambda lib: module(lib.ones(1, 4)), lib)
    _same(loaded)

    def errors(lib):
        _, Forgetful, Unfinished = _custom_lazy_classes(lib)
        return (_outcome(lambda lib: Forgetful()(lib.ones(1)), lib),
                _outcome(lambda lib: Unfinished()(lib.ones(1)), lib))
    _same(errors)


def test_uninitialized_parameter_and_buffer():
    def placeholders(lib):
        p, b = lib.nn.UninitializedParameter(), lib.nn.UninitializedBuffer(dtype=lib.float64)
        shape = _outcome(lambda lib: p.shape, lib)
        p.materialize((2, 3))
        b.materialize((4,))
        return (shape, type(p).__name__, tuple(p.shape), p.requires_grad, type(b).__name__,
                tuple(b.shape), str(b.dtype), b.requires_grad,
                lib.nn.parameter.is_lazy(p), repr(lib.nn.UninitializedBuffer()))
    _same(placeholders)
    _same(lambda lib: (lambda p: (type(p).__name__, str(p.dtype)))(
        copy.deepcopy(lib.nn.UninitializedParameter(dtype=lib.float64))))
    _same(lambda lib: lib.nn.UninitializedParameter().share_memory_())
