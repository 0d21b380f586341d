"""The CPU-only stand-ins behave as torch's CPU build does (where torch defines them)."""
import re
import warnings

import numpy as np
import pytest
import torch

import minitorch

LIBS = (torch, minitorch)


@pytest.fixture(autouse=True)
def _restore_switches():
    yield
    for lib in LIBS:
        lib.backends.cudnn.benchmark = False
        lib.backends.cudnn.deterministic = False
        lib.set_float32_matmul_precision("highest")
        lib.use_deterministic_algorithms(False)
        lib.set_default_device(None)
        lib.set_num_threads(1)


def _outcome(fn):
    """(result or exception type and message, warning categories and messages)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ("ok", fn())
        except Exception as e:  # noqa: BLE001 - comparing whatever each library raises
            result = (type(e).__name__, str(e))
    # torch's C++ warnings end with where they were raised; that part cannot match.
    return result, [(w.category.__name__, re.sub(r" \(Triggered internally at .*\)$", "",
                                                 str(w.message)))
                    for w in caught if "minitorch" not in str(w.message)
                    and "torch.jit.script_method" not in str(w.message)]  # torch's import noise


def _same(fn):
    """fn(lib) gives the same result/exception and the same warnings in both libraries."""
    theirs, ours = _outcome(lambda: fn(torch)), _outcome(lambda: fn(minitorch))
    assert ours == theirs


@pytest.mark.parametrize("query", [
    lambda L: L.cuda.is_available(),
    lambda L: L.backends.mps.is_available(),
    lambda L: L.backends.mps.is_built(),
    lambda L: L.backends.cudnn.is_available(),
    lambda L: L.backends.cudnn.version(),
    lambda L: L.backends.cuda.is_built(),
    lambda L: (L.backends.cudnn.enabled, L.backends.cudnn.benchmark,
               L.backends.cudnn.deterministic, L.backends.cudnn.allow_tf32),
    lambda L: (L.backends.cuda.matmul.allow_tf32,
               L.backends.cuda.matmul.allow_fp16_reduced_precision_reduction),
    lambda L: L.distributed.is_initialized(),
    lambda L: (L.accelerator.is_available(), L.accelerator.current_accelerator(),
               L.accelerator.device_count()),
    lambda L: L.accelerator.current_device_index(),
    lambda L: str(L.get_default_device()),
    lambda L: L.are_deterministic_algorithms_enabled(),
    lambda L: L.get_float32_matmul_precision(),
    lambda L: L.is_autocast_enabled(),
    lambda L: L.jit.is_scripting(),
])
def test_queries(query):
    _same(query)


@pytest.mark.parametrize("action", [
    lambda L: (setattr(L.backends.cudnn, "benchmark", True), L.backends.cudnn.benchmark),
    lambda L: setattr(L.backends.cudnn, "benchmark", 1),
    lambda L: setattr(L.backends.cudnn, "deterministic", "yes"),
    lambda L: setattr(L.backends.cuda.matmul, "allow_tf32", 1),
    lambda L: setattr(L.backends.cuda.matmul, "nonsense", True),
    lambda L: (setattr(L.backends.cuda.matmul, "allow_tf32", True),
               L.get_float32_matmul_precision()),
    lambda L: (L.set_float32_matmul_precision("medium"), L.backends.cuda.matmul.allow_tf32),
    lambda L: (L.set_float32_matmul_precision("bogus"), L.get_float32_matmul_precision()),
    lambda L: (L.use_deterministic_algorithms(True, warn_only=True),
               L.are_deterministic_algorithms_enabled(),
               L.is_deterministic_algorithms_warn_only_enabled()),
    lambda L: L.use_deterministic_algorithms(1),
    lambda L: (L.set_num_threads(3), L.get_num_threads()),
    lambda L: L.set_num_threads(0),
    lambda L: L.set_num_threads(1.5),
    lambda L: (L.set_default_device("cpu"), str(L.get_default_device())),
    lambda L: L.set_default_device("nowhere"),
    lambda L: L.compile(5),
    lambda L: L.nn.parallel.DistributedDataParallel(L.nn.Linear(2, 2)),
    lambda L: L.distributed.get_rank(),
])
def test_settings_and_errors(action):
    _same(action)


def test_cudnn_flags_context():
    def use(lib):
        with lib.backends.cudnn.flags(enabled=False, benchmark=True):
            inside = (lib.backends.cudnn.enabled, lib.backends.cudnn.benchmark)
        return inside, (lib.backends.cudnn.enabled, lib.backends.cudnn.benchmark)
    _same(use)


def test_compile_keeps_the_function_working():
    def run(lib):
        fn = lib.compile(lambda x: x * 2 + 1)
        return fn(lib.tensor([1.0, 2.0])).tolist()
    _same(run)


def test_data_parallel_without_gpus():
    def run(lib):
        lib.manual_seed(0)
        inner = lib.nn.Linear(3, 2)
        dp = lib.nn.DataParallel(inner, device_ids=[0, 1])
        sd = dp.state_dict()
        return dp.device_ids, list(sd), dp.module is inner, repr(dp)
    _same(run)


# ----------------------------------------------------------------- autocast
@pytest.mark.parametrize("make", [
    lambda L: L.autocast("cuda"),
    lambda L: L.amp.autocast("cuda", enabled=False),
    lambda L: L.autocast("cpu", dtype=L.float64),
    lambda L: L.autocast("cpu", dtype=L.float32),
    lambda L: L.autocast("cpu", enabled=False),
    lambda L: L.cuda.amp.autocast(),
    lambda L: L.autocast("tpu"),
])
def test_autocast_states(make):
    def run(lib):
        ctx = make(lib)
        with ctx:
            return ctx._enabled, lib.is_autocast_enabled("cpu"), lib.is_autocast_enabled("cuda")
    _same(run)


def test_cpu_autocast_is_on_inside_the_block():
    def run(lib):
        with lib.autocast("cpu"):
            inside = lib.is_autocast_enabled("cpu")
        return inside, lib.is_autocast_enabled("cpu")
    _same(run)


# ----------------------------------------------------------------- GradScaler
@pytest.mark.parametrize("make", [
    lambda L: L.amp.GradScaler(),
    lambda L: L.amp.GradScaler(enabled=False),
    lambda L: L.cuda.amp.GradScaler(),
    lambda L: L.cuda.amp.GradScaler(enabled=False),
    lambda L: L.amp.GradScaler("cpu"),
    lambda L: L.amp.GradScaler("cpu", growth_factor=0.5),
])
def test_grad_scaler_construction(make):
    def run(lib):
        s = make(lib)
        return s.is_enabled(), s.get_scale(), s.state_dict()
    _same(run)


@pytest.mark.parametrize("device", ["cuda", "cpu"])
def test_grad_scaler_training_loop(device):
    def run(lib):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scaler = lib.amp.GradScaler(device, init_scale=8.0, growth_interval=2)
        p = lib.nn.Parameter(lib.tensor([1.0, -2.0]))
        opt = lib.optim.SGD([p], lr=0.1, momentum=0.5)
        history = []
        for i in range(5):
            opt.zero_grad()
            loss = (p * p).sum() * (float("nan") if i == 2 else 1.0)
            scaler.scale(loss).backward()
            ret = scaler.step(opt)
            scaler.update()
            history.append((ret, scaler.get_scale(), np.round(p.detach().numpy(), 6).tolist()))
        return repr(history), scaler.state_dict()  # repr: NaN never equals NaN
    _same(run)


def test_grad_scaler_misuse_errors():
    def run(lib):
        p = lib.nn.Parameter(lib.tensor([1.0]))
        opt = lib.optim.SGD([p], lr=0.1)
        scaler = lib.amp.GradScaler("cpu")
        scaler.scale(p.sum()).backward()
        scaler.step(opt)
        return scaler.unscale_(opt)
    _same(run)
    _same(lambda lib: lib.amp.GradScaler("cpu").step(None))
    _same(lambda lib: lib.amp.GradScaler("cpu").scale(3.0))
    _same(lambda lib: [t.item() for t in lib.amp.GradScaler("cpu").scale(
        (lib.tensor(1.0), lib.tensor(2.0)))])
    _same(lambda lib: lib.amp.GradScaler("cpu").load_state_dict({}))


@pytest.mark.parametrize("under_autocast", [False, True])
@pytest.mark.parametrize("cast_inputs", [None, "float16"])
def test_custom_fwd_bwd_in_a_function(cast_inputs, under_autocast):
    def run(lib):
        dtype = getattr(lib, cast_inputs) if cast_inputs else None

        class Square(lib.autograd.Function):
            @staticmethod
            @lib.amp.custom_fwd(device_type="cpu", cast_inputs=dtype)
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            @lib.amp.custom_bwd(device_type="cpu")
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return 2 * x * g

        x = lib.tensor([1.0, 3.0], requires_grad=True)
        with lib.autocast("cpu", enabled=under_autocast):
            y = Square.apply(x)
        y.sum().backward()
        return str(y.dtype), y.tolist(), x.grad.tolist()
    _same(run)
