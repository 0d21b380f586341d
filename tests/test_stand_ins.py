"""The CPU-only stand-ins (amp, backends, compile, jit, distributed, ...) without torch."""
import warnings

import pytest

import minitorch
from minitorch import nn


@pytest.fixture(autouse=True)
def _restore_switches():
    yield
    minitorch.backends.cudnn.benchmark = False
    minitorch.backends.cudnn.deterministic = False
    minitorch.set_float32_matmul_precision("highest")
    minitorch.use_deterministic_algorithms(False)
    minitorch.set_default_device(None)


# ---------------------------------------------------------------- queries
def test_nothing_is_available():
    assert minitorch.cuda.is_available() is False
    assert minitorch.backends.mps.is_available() is False
    assert minitorch.backends.cudnn.is_available() is False
    assert minitorch.backends.cudnn.version() is None
    assert minitorch.distributed.is_available() is False
    assert minitorch.distributed.is_initialized() is False
    assert minitorch.accelerator.is_available() is False
    assert minitorch.accelerator.current_accelerator() is None
    assert minitorch.accelerator.device_count() == 0


def test_cudnn_flags_are_settable_and_typed():
    cudnn = minitorch.backends.cudnn
    assert (cudnn.enabled, cudnn.benchmark, cudnn.deterministic, cudnn.allow_tf32) == \
        (True, False, False, True)
    cudnn.benchmark = True
    cudnn.deterministic = True
    assert cudnn.benchmark is True and cudnn.deterministic is True
    with pytest.raises(RuntimeError, match="set_benchmark_cudnn expects a bool, but got int"):
        cudnn.benchmark = 1
    with cudnn.flags(enabled=False, benchmark=False):
        assert cudnn.enabled is False and cudnn.benchmark is False
    assert cudnn.enabled is True and cudnn.benchmark is True


def test_tf32_switch_is_the_matmul_precision():
    matmul = minitorch.backends.cuda.matmul
    assert matmul.allow_tf32 is False
    matmul.allow_tf32 = True
    assert minitorch.get_float32_matmul_precision() == "high"
    minitorch.set_float32_matmul_precision("highest")
    assert matmul.allow_tf32 is False
    with pytest.raises(AttributeError, match="Unknown attribute foo"):
        matmul.foo = True


def test_matmul_precision_rejects_unknown_values_with_a_warning():
    with pytest.warns(UserWarning, match="no effect"):
        minitorch.set_float32_matmul_precision("fast")
    assert minitorch.get_float32_matmul_precision() == "highest"


def test_deterministic_switches():
    assert minitorch.are_deterministic_algorithms_enabled() is False
    minitorch.use_deterministic_algorithms(True, warn_only=True)
    assert minitorch.are_deterministic_algorithms_enabled() is True
    assert minitorch.is_deterministic_algorithms_warn_only_enabled() is True
    with pytest.raises(TypeError):
        minitorch.use_deterministic_algorithms(1)


def test_threads():
    before = minitorch.get_num_threads()
    minitorch.set_num_threads(3)
    assert minitorch.get_num_threads() == 3
    minitorch.set_num_threads(before)
    with pytest.raises(RuntimeError, match="positive integer"):
        minitorch.set_num_threads(0)
    with pytest.raises(RuntimeError, match="expects an int"):
        minitorch.set_num_threads(2.5)


def test_default_device():
    minitorch.set_default_device("cpu")
    assert minitorch.get_default_device() == minitorch.device("cpu")
    with pytest.raises(AssertionError, match="not compiled with CUDA"):
        minitorch.set_default_device("cuda")
    with pytest.raises(RuntimeError, match="Expected one of"):
        minitorch.set_default_device("foo")


# ---------------------------------------------------------------- compile / jit
def test_compile_returns_the_same_callable():
    model = nn.Linear(2, 2)
    assert minitorch.compile(model) is model

    @minitorch.compile(mode="reduce-overhead")
    def double(x):
        return x * 2

    @minitorch.compile
    def triple(x):
        return x * 3

    assert double(minitorch.tensor(2.0)).item() == 4.0
    assert triple(minitorch.tensor(2.0)).item() == 6.0
    with pytest.raises(AssertionError, match="callable"):
        minitorch.compile(1)


def test_jit_script_and_trace_refuse_but_annotations_pass():
    def f(x):
        return x + 1

    with pytest.warns(DeprecationWarning), pytest.raises(NotImplementedError, match="compile"):
        minitorch.jit.script(f)
    assert minitorch.jit.is_scripting() is False
    assert minitorch.jit.ignore(f) is f
    with pytest.raises(NotImplementedError, match="jit.trace"):
        minitorch.jit.trace(f, (minitorch.ones(1),))
    with pytest.raises(NotImplementedError, match="ONNX"):
        minitorch.onnx.export(nn.Linear(1, 1), (minitorch.ones(1),), "m.onnx")


# ---------------------------------------------------------------- parallel
def test_data_parallel_runs_the_module_with_module_prefix():
    inner = nn.Linear(3, 2)
    dp = nn.DataParallel(inner)
    assert dp.module is inner
    assert list(dp.state_dict()) == ["module.weight", "module.bias"]
    x = minitorch.randn(4, 3)
    assert dp(x).tolist() == inner(x).tolist()
    assert nn.parallel.DataParallel is nn.DataParallel


def test_ddp_needs_a_process_group():
    with pytest.raises(ValueError, match="Default process group has not been initialized"):
        nn.parallel.DistributedDataParallel(nn.Linear(2, 2))
    with pytest.raises(ValueError, match="Default process group"):
        minitorch.distributed.get_rank()


# ---------------------------------------------------------------- autocast
def test_cuda_autocast_disables_itself_with_a_warning():
    with pytest.warns(UserWarning, match="CUDA is not available"):
        ctx = minitorch.autocast("cuda")
    with ctx:
        assert minitorch.is_autocast_enabled("cuda") is False


def test_cpu_autocast_is_enabled_but_says_it_does_not_lower_precision():
    from minitorch.amp import autocast_mode
    autocast_mode._warned_no_lowering[0] = False
    with pytest.warns(UserWarning, match="does not lower precision"):
        with minitorch.autocast("cpu"):
            assert minitorch.is_autocast_enabled("cpu") is True
            out = minitorch.ones(2, 2) @ minitorch.ones(2, 2)
    assert out.dtype is minitorch.float32
    assert minitorch.is_autocast_enabled("cpu") is False
    # Only once per process.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with minitorch.amp.autocast("cpu"):
            pass


def test_cpu_autocast_with_unsupported_dtype_disables():
    with pytest.warns(UserWarning, match="target dtype is not supported"):
        ctx = minitorch.autocast("cpu", dtype=minitorch.float64)
    with ctx:
        assert minitorch.is_autocast_enabled("cpu") is False


def test_autocast_as_decorator_and_disabled():
    @minitorch.autocast("cpu", enabled=False)
    def probe():
        return minitorch.is_autocast_enabled("cpu")

    assert probe() is False
    with pytest.raises(RuntimeError, match="Expected one of"):
        minitorch.autocast("gpu")
    with pytest.raises(TypeError):
        minitorch.autocast()


# ---------------------------------------------------------------- GradScaler
def test_cuda_grad_scaler_disables_and_passes_through():
    with pytest.warns(UserWarning, match="CUDA is not available.  Disabling."):
        scaler = minitorch.amp.GradScaler()
    assert scaler.is_enabled() is False
    with pytest.warns(FutureWarning):
        assert minitorch.cuda.amp.GradScaler(enabled=False).is_enabled() is False
    p = nn.Parameter(minitorch.tensor([1.0, 1.0]))
    opt = minitorch.optim.SGD([p], lr=0.5)
    loss = (p * p).sum()
    assert scaler.scale(loss) is loss
    loss.backward()
    scaler.unscale_(opt)
    scaler.step(opt)
    scaler.update()
    assert p.tolist() == [0.0, 0.0]  # 1 - 0.5 * 2
    assert scaler.get_scale() == 1.0 and scaler.state_dict() == {}


def test_cpu_grad_scaler_skips_inf_steps_and_adjusts_scale():
    p = nn.Parameter(minitorch.tensor([1.0, 1.0]))
    opt = minitorch.optim.SGD([p], lr=0.1)
    scaler = minitorch.amp.GradScaler("cpu", init_scale=4.0, growth_interval=2)
    history = []
    for i in range(4):
        opt.zero_grad()
        loss = (p * p).sum() * (float("inf") if i == 1 else 1.0)
        scaled = scaler.scale(loss)
        scaled.backward()
        scaler.step(opt)
        scaler.update()
        history.append((scaler.get_scale(), round(p[0].item(), 4)))
    # Clean step: p = 1 - 0.1*2 = 0.8; the inf step is skipped and halves the scale;
    # two clean steps later the scale doubles back.
    assert history == [(4.0, 0.8), (2.0, 0.8), (2.0, 0.64), (4.0, 0.512)]
    assert scaler.state_dict() == {"scale": 4.0, "growth_factor": 2.0, "backoff_factor": 0.5,
                                   "growth_interval": 2, "_growth_tracker": 0}


def test_grad_scaler_scales_and_guards_the_cycle():
    p = nn.Parameter(minitorch.tensor([1.0]))
    opt = minitorch.optim.SGD([p], lr=0.1)
    scaler = minitorch.amp.GradScaler("cpu")
    assert scaler.scale(minitorch.tensor(2.0)).item() == 2.0 * 65536
    scaler.scale((p * 3).sum()).backward()
    scaler.unscale_(opt)
    assert p.grad.tolist() == [3.0]
    with pytest.raises(RuntimeError, match="already been called"):
        scaler.unscale_(opt)
    scaler.step(opt)
    with pytest.raises(RuntimeError, match="step\\(\\) has already been called"):
        scaler.step(opt)
    scaler.update()
    with pytest.raises(ValueError, match="Tensor or an iterable"):
        scaler.scale(3.0)


def test_grad_scaler_state_dict_round_trip():
    a = minitorch.amp.GradScaler("cpu", init_scale=8.0, growth_interval=5)
    b = minitorch.amp.GradScaler("cpu")
    b.load_state_dict(a.state_dict())
    assert b.get_scale() == 8.0 and b.get_growth_interval() == 5
    with pytest.raises(RuntimeError, match="source state dict is empty"):
        b.load_state_dict({})
