"""dtype objects, finfo/iinfo, the default dtype, devices, Tensor.to and torch.cuda vs torch."""
import pickle

import numpy as np
import pytest
import torch

import minitorch
from harness import check, check_error

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64",
          "complex64", "complex128"]
ALIASES = ["half", "float", "double", "short", "int", "long", "cfloat", "cdouble"]


def both(name):
    return getattr(torch, name), getattr(minitorch, name)


@pytest.mark.parametrize("name", DTYPES + ALIASES)
def test_dtype_attributes(name):
    t, m = both(name)
    assert repr(m) == repr(t) and str(m) == str(t)
    for attr in ("is_floating_point", "is_complex", "is_signed", "itemsize"):
        assert getattr(m, attr) == getattr(t, attr), attr
    assert repr(m.to_real()) == repr(t.to_real())
    if t.is_floating_point and t is not torch.float16 or t.is_complex:
        assert repr(m.to_complex()) == repr(t.to_complex())
    assert pickle.loads(pickle.dumps(m)) is m


def test_to_complex_of_integer_raises():
    check_error(lambda lib: lib.int64.to_complex())
    check_error(lambda lib: lib.bool.to_complex())


def test_dtype_identity_and_hash():
    for lib in (torch, minitorch):
        assert lib.float32 is lib.float and lib.int64 is lib.long
        assert hash(lib.float32) == hash(lib.float)
        assert lib.float32 != "float32"
        assert lib.float32 != lib.float64


@pytest.mark.parametrize("name", ["float16", "float32", "float64", "complex64", "complex128"])
def test_finfo(name):
    t, m = both(name)
    ti, mi = torch.finfo(t), minitorch.finfo(m)
    for attr in ("bits", "eps", "max", "min", "tiny", "smallest_normal", "resolution", "dtype"):
        assert getattr(mi, attr) == getattr(ti, attr), attr
    assert repr(mi) == repr(ti)


def test_finfo_default_and_errors():
    assert minitorch.finfo().dtype == torch.finfo().dtype
    torch.set_default_dtype(torch.float64)
    minitorch.set_default_dtype(minitorch.float64)
    assert minitorch.finfo().dtype == torch.finfo().dtype == "float64"
    check_error(lambda lib: lib.finfo(lib.int32))
    check_error(lambda lib: lib.iinfo(lib.float32))
    check_error(lambda lib: lib.iinfo(lib.bool))


@pytest.mark.parametrize("name", ["uint8", "int8", "int16", "int32", "int64"])
def test_iinfo(name):
    t, m = both(name)
    ti, mi = torch.iinfo(t), minitorch.iinfo(m)
    for attr in ("bits", "max", "min", "dtype"):
        assert getattr(mi, attr) == getattr(ti, attr), attr
    assert repr(mi) == repr(ti)


# ------------------------------------------------------------ default dtype
@pytest.mark.parametrize("name", ["float64", "float16", "float32"])
def test_default_dtype_effects(name):
    t, m = both(name)
    torch.set_default_dtype(t)
    minitorch.set_default_dtype(m)
    assert repr(minitorch.get_default_dtype()) == repr(torch.get_default_dtype())
    for fn in (lambda lib: lib.tensor(1.5), lambda lib: lib.tensor([1, 2.5]),
               lambda lib: lib.zeros(2), lambda lib: lib.ones(2, 2), lambda lib: lib.full((2,), 2.5),
               lambda lib: lib.arange(0.5, 3), lambda lib: lib.linspace(0, 1, 3),
               lambda lib: lib.eye(2), lambda lib: lib.scalar_tensor(2),
               lambda lib: lib.ones(2, dtype=lib.int32) * 1.5,
               lambda lib: lib.ones(2, dtype=lib.int64) / 2,
               lambda lib: lib.tensor([1, 2]) + 0.5):
        check(fn, grad=False)
    assert str(minitorch.rand(2).dtype) == str(torch.rand(2).dtype)
    if name != "float16":
        check(lambda lib: lib.tensor(1j), grad=False)


def test_set_default_dtype_errors():
    check_error(lambda lib: lib.set_default_dtype(lib.int64))
    check_error(lambda lib: lib.set_default_dtype(lib.complex64))
    check_error(lambda lib: lib.set_default_dtype("float64"))


# ------------------------------------------------------------------- devices
@pytest.mark.parametrize("args", [("cpu",), ("cpu:0",), ("cpu", 0), ("cuda",), ("cuda:1",),
                                  ("cuda", 2), ("meta",), ("mps",), ("xla",)])
def test_device_objects(args):
    t, m = torch.device(*args), minitorch.device(*args)
    assert repr(m) == repr(t) and str(m) == str(t)
    assert m.type == t.type and m.index == t.index
    assert minitorch.device(m) == m
    assert hash(minitorch.device(*args)) == hash(m)
    assert pickle.loads(pickle.dumps(m)) == m


def test_device_equality_like_torch():
    for lib in (torch, minitorch):
        assert lib.device("cpu") == lib.device("cpu")
        assert lib.device("cpu") != lib.device("cpu:0")
        assert (lib.device("cpu") == "cpu") is False  # torch: a device never equals a str
        assert lib.device("cpu") != 3
        assert lib.zeros(1).device == lib.device("cpu")
        assert lib.zeros(1).device.type == "cpu"
        assert str(lib.zeros(1).device) == "cpu"


@pytest.mark.parametrize("args", [("gpu",), ("cuda:x",), ("cpu:-1",), ("cpu:01",),
                                  ("cpu", -1), ("cpu:0", 1), (0,), ("cpu", "0")])
def test_device_errors(args):
    check_error(lambda lib: lib.device(*args))


def test_non_cpu_factories_raise_like_torch():
    check_error(lambda lib: lib.zeros(2, device="cuda"))
    check_error(lambda lib: lib.zeros(2, device="cuda:0"))
    check_error(lambda lib: lib.zeros(2, device="mps"))
    check_error(lambda lib: lib.rand(2, device="xla"))
    check(lambda lib: lib.zeros(2, device="cpu:1"), grad=False)


# ---------------------------------------------------------------- Tensor.to
@pytest.mark.parametrize("call", [
    lambda lib, x: x.to(lib.float64), lambda lib, x: x.to("cpu", lib.float64),
    lambda lib, x: x.to(lib.zeros(1, dtype=lib.int32)),
    lambda lib, x: x.to(dtype=lib.int64, non_blocking=True),
    lambda lib, x: x.to(device="cpu", dtype=lib.int32), lambda lib, x: x.to("cpu"),
    lambda lib, x: x.to(lib.device("cpu")), lambda lib, x: x.to(),
    lambda lib, x: x.to(lib.float32, copy=True), lambda lib, x: x.cpu(),
    lambda lib, x: x.double(), lambda lib, x: x.half(), lambda lib, x: x.int(),
    lambda lib, x: x.long(), lambda lib, x: x.bool(), lambda lib, x: x.byte(),
    lambda lib, x: x.cfloat(), lambda lib, x: x.type(lib.float64),
    lambda lib, x: x.type("torch.DoubleTensor"), lambda lib, x: x.type(),
])
def test_tensor_to(call):
    check(call, np.array([1.5, -2.0, 0.0], dtype=np.float32))


def test_to_aliasing_like_torch():
    for lib in (torch, minitorch):
        x = lib.ones(2)
        assert x.to("cpu") is x and x.to(lib.float32) is x and x.cpu() is x
        assert x.to("cpu", non_blocking=True) is x
        assert x.to(x) is x
        assert x.to(lib.float32, copy=True) is not x
        assert x.to(x, copy=True) is not x


@pytest.mark.parametrize("call", [
    lambda lib, x: x.cuda(), lambda lib, x: x.to("cuda"), lambda lib, x: x.to("cuda:0"),
    lambda lib, x: x.to(lib.device("cuda")), lambda lib, x: x.to("gpu"),
    lambda lib, x: x.to(foo=1),
])
def test_tensor_to_errors(call):
    check_error(call, np.ones(2, dtype=np.float32))


def test_tensor_to_errors_owned_elsewhere():
    check_error(lambda lib, x: x.to(3), np.ones(2, dtype=np.float32))
    check_error(lambda lib, x: x.to(lib.float64, lib.float32), np.ones(2, dtype=np.float32))


# --------------------------------------------------------------- torch.cuda
@pytest.mark.parametrize("name,args", [
    ("is_available", ()), ("device_count", ()), ("is_initialized", ()),
    ("manual_seed", (1,)), ("manual_seed_all", (1,)), ("seed", ()), ("seed_all", ()),
    ("empty_cache", ()), ("memory_allocated", ()), ("max_memory_allocated", ()),
    ("memory_reserved", ()), ("is_bf16_supported", ()), ("get_rng_state_all", ()),
    ("set_rng_state_all", ([],)),
])
def test_cuda_queries(name, args):
    assert getattr(minitorch.cuda, name)(*args) == getattr(torch.cuda, name)(*args)


@pytest.mark.parametrize("name,args", [
    ("current_device", ()), ("synchronize", ()), ("get_device_name", ()), ("init", ()),
    ("initial_seed", ()), ("get_rng_state", ()), ("get_device_capability", ()),
    ("get_device_properties", (0,)),
])
def test_cuda_calls_that_need_a_device(name, args):
    check_error(lambda lib: getattr(lib.cuda, name)(*args))


def test_cuda_device_context():
    with minitorch.cuda.device(-1), torch.cuda.device(-1):
        pass
    check_error(lambda lib: lib.cuda.device(0).__enter__())
    check_error(lambda lib: lib.cuda.manual_seed("a"))


# ------------------------------------------------------------ predicates
def test_is_tensor_and_type_predicates():
    for data in ([1.0], [1], [True], [1j]):
        check(lambda lib: lib.is_floating_point(lib.tensor(data)), grad=False)
        check(lambda lib: lib.tensor(data).is_floating_point(), grad=False)
        check(lambda lib: lib.is_complex(lib.tensor(data)), grad=False)
        check(lambda lib: lib.tensor(data).is_signed(), grad=False)
    for value in (3, [1], np.ones(1), "x"):
        assert minitorch.is_tensor(value) == torch.is_tensor(value)
    assert minitorch.is_tensor(minitorch.ones(1))
