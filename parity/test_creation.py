"""Factories compared with torch: values, dtypes, shapes, memory sharing and errors."""
import math
import warnings

import numpy as np
import pytest
import torch

import minitorch
from harness import check, check_error


def same(fn, **kw):
    """fn(lib) gives the same tensor (values, dtype, shape) in both libraries."""
    return check(lambda lib: fn(lib), grad=False, **kw)


def same_or_error(fn):
    """Same result as torch, or the same exception type where torch raises."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(torch)
    except Exception:  # noqa: BLE001 - then we must raise the same type
        check_error(fn)
        return
    same(fn)


# ----------------------------------------------------------------- tensor()
TENSOR_DATA = [
    1, 2.5, True, 1 + 2j, [], [[]], [[], []], [1, 2, 3], [1.0, 2], [True, False], [1, True],
    [True, 2.5], [1j, 2], [[1, 2], [3, 4]], [[1, 2], [3, 4.5j]], ((1, 2), [3, 4]),
    [np.float32(1.0), 2.0], [1, np.float32(2)], [2.0, np.float64(2)], [np.int8(1), np.int16(3)],
    np.float64(1.5), np.int32(3), np.bool_(True), np.float16(1.5), [np.float64(1.0)],
    np.array([1, 2], dtype=np.int32), np.array([[1.5, 2]], dtype=np.float32),
    np.array(3.0), [np.array([1, 2.5]), [3, 4]], range(4), [2 ** 63 - 1, -2 ** 63],
    [[[1], [2]], [[3], [4]]], [-0.0, math.inf, math.nan],
]


@pytest.mark.parametrize("data", TENSOR_DATA, ids=repr)
def test_tensor_inference(data):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(lambda lib: lib.tensor(data))


def test_tensor_of_0d_tensors():
    same(lambda lib: lib.tensor([lib.tensor(1.0), 2]))
    same(lambda lib: lib.tensor([lib.tensor(1.0, dtype=lib.float64)]))
    same(lambda lib: lib.tensor([lib.tensor(1, dtype=lib.int32), 2]))
    same(lambda lib: lib.tensor([lib.tensor(1.0, dtype=lib.float16), 2.0]))
    same(lambda lib: lib.tensor([[lib.tensor(1)]]))


def test_tensor_under_default_float64():
    torch.set_default_dtype(torch.float64)
    minitorch.set_default_dtype(minitorch.float64)
    same(lambda lib: lib.tensor([1.0, 2]))
    same(lambda lib: lib.tensor(1j))
    same(lambda lib: lib.tensor([np.float32(1.0), 2.0]))
    same(lambda lib: lib.tensor([]))


@pytest.mark.parametrize("data,dtype", [
    (3.5, "int64"), ([-1.7, 2.9], "int32"), ([300], "float16"), ([-1], "uint8"),
    ([1.5], "bool"), (np.array([1, 2]), "float32"), ([1e300], "float16"),
    (np.array([1e10]), "int32"), ([True, False], "float64"), ([1, 2], "complex128"),
])
def test_tensor_with_dtype(data, dtype):
    same(lambda lib: lib.tensor(data, dtype=getattr(lib, dtype)))


@pytest.mark.parametrize("data,dtype", [
    ([300], "uint8"), ([-256], "uint8"), ([256], "int8"), ([-129], "int8"), ([2 ** 31], "int32"),
    ([1e10], "int32"), ([math.nan], "int64"), ([3 + 0j], "int64"), (1 + 2j, "float32"),
])
def test_tensor_conversion_errors(data, dtype):
    check_error(lambda lib: lib.tensor(data, dtype=getattr(lib, dtype)))


@pytest.mark.parametrize("data", [
    [[1, 2], [3]], [[1], [2, 3]], [1, [2]], [[1], 2], [[1], []], "a", [1, "a"], [None], None,
    object(), [2 ** 64], 2 ** 64, [np.array([1, 2]), np.array([3])],
])
def test_tensor_errors(data):
    check_error(lambda lib: lib.tensor(data))


def test_tensor_of_nonscalar_tensors_errors():
    check_error(lambda lib: lib.tensor([lib.tensor([1, 2]), lib.tensor([3, 4])]))
    check_error(lambda lib: lib.tensor([lib.tensor([1.0, 2]), lib.tensor([3.0, 4])]))


def test_tensor_requires_grad_and_copy():
    same(lambda lib: lib.tensor([1, 2], dtype=lib.float64, requires_grad=True).requires_grad)
    check_error(lambda lib: lib.tensor([1, 2], requires_grad=True))
    array = np.array([1.0, 2.0])
    t = minitorch.tensor(array)
    array[0] = 5
    assert t.tolist() == [1.0, 2.0]
    source = minitorch.ones(2)
    with pytest.warns(UserWarning):
        copy = minitorch.tensor(source)
    source.add_(1) if hasattr(source, "add_") else None
    assert copy.tolist() == [1.0, 1.0]


def test_pin_memory_and_cuda_errors():
    check_error(lambda lib: lib.tensor([1], pin_memory=True))
    check_error(lambda lib: lib.zeros(2, device="cuda"))
    check_error(lambda lib: lib.tensor([1], device="cuda"))
    check_error(lambda lib: lib.ones(2, device=lib.device("cuda", 0)))
    same(lambda lib: lib.zeros(2, device="cpu"))
    same(lambda lib: lib.zeros(2, device=lib.device("cpu")))


# -------------------------------------------------- as_tensor / from_numpy
def test_as_tensor_shares_memory():
    for lib in (torch, minitorch):
        array = np.array([1.0, 2.0])
        t = lib.as_tensor(array)
        array[0] = 9
        assert t.tolist() == [9.0, 2.0]
        cast = lib.as_tensor(array, dtype=lib.float32)
        array[1] = 7
        assert cast.tolist() == [9.0, 2.0]
        x = lib.ones(2)
        assert lib.as_tensor(x) is x
        assert lib.as_tensor(x, dtype=lib.float64).dtype == lib.float64
    same(lambda lib: lib.as_tensor([1, 2.5]))
    same(lambda lib: lib.as_tensor(np.float64(3.5)))
    same(lambda lib: lib.as_tensor(3))


def test_asarray():
    for lib in (torch, minitorch):
        array = np.array([1.0, 2.0])
        shared, copied = lib.asarray(array), lib.asarray(array, copy=True)
        array[0] = 9
        assert shared.tolist() == [9.0, 2.0] and copied.tolist() == [1.0, 2.0]
        x = lib.ones(2)
        assert lib.asarray(x) is x
        assert lib.asarray(x, copy=True) is not x
    same(lambda lib: lib.asarray(3.5))
    same(lambda lib: lib.asarray(np.float64(3.5)))
    same(lambda lib: lib.asarray([[1, 2], [3, 4]], dtype=lib.float64))
    check_error(lambda lib: lib.asarray(np.ones(2), dtype=lib.float32, copy=False))
    check_error(lambda lib: lib.asarray([1, 2], copy=False))


def test_from_numpy():
    for lib in (torch, minitorch):
        array = np.zeros((2, 3), dtype=np.int32)
        t = lib.from_numpy(array)
        t[0, 0] = 5 if hasattr(t, "__setitem__") else None
        array[1, 2] = 7
        assert t.dtype == lib.int32 and t.tolist()[1][2] == 7
    for dtype in (np.float16, np.float32, np.float64, np.complex64, np.complex128, np.int8,
                  np.int16, np.int64, np.uint8, np.bool_):
        same(lambda lib: lib.from_numpy(np.ones((2, 2), dtype=dtype)))
    same(lambda lib: lib.from_numpy(np.array(3.0)))
    check_error(lambda lib: lib.from_numpy([1, 2]))
    check_error(lambda lib: lib.from_numpy(np.array(["a"])))
    check_error(lambda lib: lib.from_numpy(np.array([object()])))
    check_error(lambda lib: lib.from_numpy(np.arange(4)[::-1]))


# ------------------------------------------------------ zeros/ones/full
SIZES = [(2, 3), ((2, 3),), ([2, 3],), (torch.Size([2, 3]),), (), ((),), (0,), (np.int64(2),),
         (1, 0, 2)]


@pytest.mark.parametrize("size", SIZES, ids=repr)
@pytest.mark.parametrize("name", ["zeros", "ones"])
def test_zeros_ones_sizes(name, size):
    def fn(lib):
        args = tuple(lib.Size(s) if isinstance(s, torch.Size) else s for s in size)
        return getattr(lib, name)(*args)
    same_or_error(fn)


@pytest.mark.parametrize("name", ["zeros", "ones", "empty"])
def test_factory_dtypes_and_grad(name):
    for dtype in ("float64", "int32", "bool", "complex64", "float16", "uint8"):
        result = check(lambda lib: getattr(lib, name)(2, dtype=getattr(lib, dtype)), grad=False,
                       check_dtype=True) if name != "empty" else None
        if name == "empty":
            assert minitorch.empty(2, 3, dtype=getattr(minitorch, dtype)).dtype is \
                getattr(minitorch, dtype)
    same(lambda lib: getattr(lib, name)(2, requires_grad=True).requires_grad)
    check_error(lambda lib: getattr(lib, name)(2, dtype=lib.int64, requires_grad=True))
    check_error(lambda lib: getattr(lib, name)(2, 3.0))
    check_error(lambda lib: getattr(lib, name)(-1))
    check_error(lambda lib: getattr(lib, name)(True))
    check_error(lambda lib: getattr(lib, name)("a"))


def test_empty_shape_and_dtype():
    for lib in (torch, minitorch):
        e = lib.empty((2, 3))
        assert tuple(e.shape) == (2, 3) and e.dtype == lib.float32


def test_factories_follow_default_dtype():
    torch.set_default_dtype(torch.float64)
    minitorch.set_default_dtype(minitorch.float64)
    for name in ("zeros", "ones", "rand", "randn"):
        assert str(getattr(minitorch, name)(2).dtype) == str(getattr(torch, name)(2).dtype)
    same(lambda lib: lib.full((2,), 1.5))
    same(lambda lib: lib.full((2,), 1j))
    same(lambda lib: lib.arange(0, 1, 0.25))
    same(lambda lib: lib.linspace(0, 1, 5))
    same(lambda lib: lib.eye(2))
    same(lambda lib: lib.tensor(1.5) * 2)


@pytest.mark.parametrize("value", [True, 3, 3.0, 3j, np.float64(3), np.int64(3), -0.0, math.inf])
def test_full_dtype_inference(value):
    same(lambda lib: lib.full((2, 3), value))


def test_full_variants():
    same(lambda lib: lib.full((2,), torch.tensor(3.5) if lib is torch else lib.tensor(3.5)))
    same(lambda lib: lib.full([2], 2.7, dtype=lib.int32))
    same(lambda lib: lib.full((), 4))
    same(lambda lib: lib.full((2,), -1, dtype=lib.uint8))
    check_error(lambda lib: lib.full((2,), 300, dtype=lib.uint8))
    check_error(lambda lib: lib.full(2, 1.0))
    check_error(lambda lib: lib.full((2,), lib.ones(2)))
    check_error(lambda lib: lib.full((2,), "a"))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.bool_, np.complex64])
def test_like_forms(dtype):
    array = np.ones((2, 3), dtype=dtype)
    check(lambda lib, x: lib.zeros_like(x), array, grad=False)
    check(lambda lib, x: lib.ones_like(x), array, grad=False)
    check(lambda lib, x: lib.full_like(x, 2.7), array, grad=False)
    check(lambda lib, x: lib.full_like(x, 7), array, grad=False)
    check(lambda lib, x: lib.ones_like(x, dtype=lib.float64), array, grad=False)
    check(lambda lib, x: lib.empty_like(x).shape, array, grad=False)
    check(lambda lib, x: lib.empty_like(x).dtype == x.dtype, array, grad=False)
    check(lambda lib, x: lib.zeros_like(x, dtype=lib.float32, requires_grad=True).requires_grad,
          array, grad=False)
    check_error(lambda lib, x: lib.zeros_like(x, dtype=lib.int64, requires_grad=True), array)


def test_like_does_not_inherit_grad():
    check(lambda lib, x: lib.zeros_like(x).requires_grad, np.ones(3), grad=True)
    check(lambda lib, x: lib.full_like(x, 2).requires_grad, np.ones(3), grad=True)


def test_scalar_tensor():
    same(lambda lib: lib.scalar_tensor(3))
    same(lambda lib: lib.scalar_tensor(True))
    same(lambda lib: lib.scalar_tensor(2.5, dtype=lib.float64))
    same(lambda lib: lib.scalar_tensor(2, dtype=lib.int32))
    check_error(lambda lib: lib.scalar_tensor(3j))


# -------------------------------------------------------------- ranges
ARANGE_CASES = [
    (5,), (5.0,), (0, 1, 0.1), (1, 10, 3), (10, 0, -3), (-1.5, 5.2, 1.3), (0, 1e-20, 1e-21),
    (0.5, 5), (0, 10, 0.7), (-3, 3, 0.25), (1, 2, 0.3), (0, 100, 7), (3, 3), (0, 0.99, 0.33),
    (np.int64(5),), (True,),
]


@pytest.mark.parametrize("args", ARANGE_CASES, ids=repr)
@pytest.mark.parametrize("dtype", [None, "float64", "float32", "int64", "int32", "float16",
                                   "int8", "uint8"])
def test_arange(args, dtype):
    kwargs = {} if dtype is None else {"dtype": dtype}

    def fn(lib):
        return lib.arange(*args, **{k: getattr(lib, v) for k, v in kwargs.items()})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.arange(*args, **{k: getattr(torch, v) for k, v in kwargs.items()})
    except Exception:  # noqa: BLE001 - then we must raise the same type
        check_error(fn)
        return
    same(fn)


def test_arange_tensor_arguments_and_errors():
    same(lambda lib: lib.arange(lib.tensor(5)))
    same(lambda lib: lib.arange(lib.tensor(5.0)))
    check_error(lambda lib: lib.arange(0, 10, -1))
    check_error(lambda lib: lib.arange(0, 10, 0))
    check_error(lambda lib: lib.arange(5, dtype=lib.bool))
    check_error(lambda lib: lib.arange(3, dtype=lib.complex64))
    check_error(lambda lib: lib.arange(float("inf")))
    check_error(lambda lib: lib.arange(1, 2.5, 0.5, dtype=lib.int64))


LINSPACE_CASES = [
    (0, 1, 5), (0, 10, 5), (0, 1, 7), (-3, 7, 6), (0, 10, 4), (10, 0, 4), (0, 1, 0), (0, 1, 1),
    (0.1, 0.9, 9), (-1e3, 1e3, 101), (2, 2, 3), (0, 1, 100), (3.3, -7.7, 12), (0, 255, 13),
]


@pytest.mark.parametrize("args", LINSPACE_CASES, ids=repr)
@pytest.mark.parametrize("dtype", [None, "float64", "int64", "int32", "uint8", "float16",
                                   "complex64", "int8"])
def test_linspace(args, dtype):
    def fn(lib):
        return lib.linspace(*args, **({} if dtype is None else {"dtype": getattr(lib, dtype)}))
    if dtype == "uint8" and min(args[:2]) < 0:
        return  # torch's wrap-around of negative values into uint8 is undefined behaviour
    try:
        torch_fails = fn(torch) is None
    except RuntimeError:
        torch_fails = True
    check_error(fn) if torch_fails else same(fn)


def test_linspace_misc():
    same(lambda lib: lib.linspace(0, 1j, 3))
    same(lambda lib: lib.linspace(lib.tensor(0.0), lib.tensor(1.0), 3))
    same(lambda lib: lib.linspace(0, 1, 3, requires_grad=True).requires_grad)
    check_error(lambda lib: lib.linspace(0, 1, -1))
    check_error(lambda lib: lib.linspace(0, 1, 2.0))


@pytest.mark.parametrize("args,kwargs", [
    ((0, 2, 3), {}), ((0, 2, 3), {"base": 2}), ((0, 3, 4), {"dtype": "int64"}),
    ((0, 10, 11), {"base": 3, "dtype": "int64"}), ((-2, 2, 9), {"dtype": "float64"}),
    ((0, 1, 5), {"base": 0.5}), ((1, -1, 7), {"base": math.e, "dtype": "float64"}),
    ((0, 2, 1), {}), ((0, 2, 0), {}),
])
def test_logspace(args, kwargs):
    def fn(lib):
        kw = {k: getattr(lib, v) if k == "dtype" else v for k, v in kwargs.items()}
        return lib.logspace(*args, **kw)
    same(fn)


def test_range_deprecated():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(lambda lib: lib.range(0, 3))
        same(lambda lib: lib.range(0, 3, dtype=lib.int64))
        same(lambda lib: lib.range(1, 2, 0.25))
    with pytest.warns(UserWarning):
        minitorch.range(0, 1)


def test_eye():
    for args in ((3,), (3, 2), (2, 4), (0,), (1, 0)):
        same(lambda lib: lib.eye(*args))
    same(lambda lib: lib.eye(2, dtype=lib.bool))
    same(lambda lib: lib.eye(2, dtype=lib.int32))
    check_error(lambda lib: lib.eye(-1))
    check_error(lambda lib: lib.eye(2, -1))


# ------------------------------------------------------- complex / polar
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_complex_and_polar(dtype):
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3)).astype(dtype), rng.standard_normal(3).astype(dtype)
    check(lambda lib, x, y: lib.complex(x, y), a, b)
    check(lambda lib, x, y: lib.polar(x, y), np.abs(a), b)


def test_complex_errors():
    check_error(lambda lib: lib.complex(lib.ones(2), lib.ones(2, dtype=lib.float64)))
    check_error(lambda lib: lib.complex(lib.ones(2, dtype=lib.int64), lib.ones(2, dtype=lib.int64)))
    check_error(lambda lib: lib.polar(lib.ones(2), lib.ones(2, dtype=lib.float64)))


# ------------------------------------------------------------- new_*
@pytest.mark.parametrize("dtype", [np.float64, np.int32])
def test_new_methods(dtype):
    array = np.ones((2, 2), dtype=dtype)
    check(lambda lib, x: x.new_zeros(3), array, grad=False)
    check(lambda lib, x: x.new_zeros((2, 3)), array, grad=False)
    check(lambda lib, x: x.new_ones(2, 3, dtype=lib.float32), array, grad=False)
    check(lambda lib, x: x.new_full((2,), 3.7), array, grad=False)
    check(lambda lib, x: x.new_tensor([1, 2.5]), array, grad=False)
    check(lambda lib, x: x.new_tensor([1, 2], dtype=lib.int8), array, grad=False)
    check(lambda lib, x: x.new_empty(2, 3).shape, array, grad=False)
    check(lambda lib, x: x.new_empty(2).dtype == x.dtype, array, grad=False)
    check(lambda lib, x: x.new_zeros(2, requires_grad=True).requires_grad,
          array.astype(np.float32), grad=False)


# ------------------------------------------------- legacy constructors
LEGACY = ["FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "BoolTensor", "ByteTensor",
          "HalfTensor", "ShortTensor", "CharTensor"]


@pytest.mark.parametrize("name", LEGACY)
def test_legacy_typed_constructors(name):
    same(lambda lib: getattr(lib, name)([1, 0, 2]))
    same(lambda lib: getattr(lib, name)([[1.5, 2], [3, 4]]))
    same(lambda lib: getattr(lib, name)(2, 3).shape)
    same(lambda lib: str(getattr(lib, name)(2, 3).dtype))
    same(lambda lib: getattr(lib, name)().shape)
    same(lambda lib: getattr(lib, name)(lib.Size([2, 3])).shape)
    for lib in (torch, minitorch):
        cls = getattr(lib, name)
        made = cls([1])
        assert type(made) is lib.Tensor
        assert isinstance(made, cls)
        assert not isinstance(lib.zeros(1, dtype=lib.complex64), cls)
        assert isinstance(made, lib.Tensor)


def test_legacy_constructor_from_other_dtype_errors():
    check_error(lambda lib: lib.FloatTensor(lib.ones(2, dtype=lib.int64)))
    check_error(lambda lib: lib.FloatTensor(2, 3.0))


def test_legacy_tensor_constructor():
    same(lambda lib: lib.Tensor([1, 2]))
    same(lambda lib: lib.Tensor([True]))
    same(lambda lib: lib.Tensor(2, 3).shape)
    check_error(lambda lib: lib.Tensor(2, 3.0))


def test_legacy_tensor_constructor_sizes():
    same(lambda lib: lib.Tensor().shape)
    same(lambda lib: lib.Tensor(lib.Size([2, 3])).shape)


# ------------------------------------------------------- predicates
def test_predicates():
    for data in ([1.0], [1], [True], [1j]):
        same(lambda lib: lib.is_floating_point(lib.tensor(data)))
        same(lambda lib: lib.is_complex(lib.tensor(data)))
        same(lambda lib: lib.is_nonzero(lib.tensor(data)))
    same(lambda lib: lib.is_nonzero(lib.tensor([0.0])))
    same(lambda lib: lib.is_tensor(lib.ones(1)))
    same(lambda lib: lib.is_tensor([1]))
    same(lambda lib: lib.numel(lib.ones(2, 3)))
    check_error(lambda lib: lib.is_nonzero(lib.ones(2)))
    check_error(lambda lib: lib.is_nonzero(lib.ones(0)))
    for value in (3, "a", int, np.ndarray, np.ones(1)):
        assert minitorch.typename(value) == torch.typename(value)
    for dtype in ("float32", "float64", "int64", "bool", "uint8", "complex64"):
        x, y = torch.zeros(1, dtype=getattr(torch, dtype)), \
            minitorch.zeros(1, dtype=getattr(minitorch, dtype))
        assert minitorch.typename(y) == torch.typename(x)
        assert y.type() == x.type()


# ------------------------------------------------------------ random factories
def meta(fn):
    """fn(lib) gives a tensor with the same shape, dtype, requires_grad and grad_fn name."""
    t, m = fn(torch), fn(minitorch)
    assert tuple(m.shape) == tuple(t.shape)
    assert str(m.dtype) == str(t.dtype)
    assert m.requires_grad == t.requires_grad
    assert type(m.grad_fn).__name__ == type(t.grad_fn).__name__


@pytest.mark.parametrize("call", [
    lambda lib: lib.rand(2, 3), lambda lib: lib.rand((2, 3)), lambda lib: lib.rand(()),
    lambda lib: lib.rand(2, dtype=lib.float64), lambda lib: lib.rand(2, dtype=lib.complex64),
    lambda lib: lib.randn(3, requires_grad=True), lambda lib: lib.randn(2, dtype=lib.complex128),
    lambda lib: lib.randint(10, (3,)), lambda lib: lib.randint(3, 10, (2, 2)),
    lambda lib: lib.randint(3, 10, (3,), dtype=lib.float32), lambda lib: lib.randint(10, size=(3,)),
    lambda lib: lib.randint(low=2, high=10, size=(3,)),
    lambda lib: lib.randint(0, 2, (3,), dtype=lib.bool), lambda lib: lib.randperm(5),
    lambda lib: lib.randperm(5, dtype=lib.float32), lambda lib: lib.randperm(0),
    lambda lib: lib.normal(lib.zeros(3), lib.ones(3)), lambda lib: lib.normal(lib.zeros(3), 2.0),
    lambda lib: lib.normal(0.0, lib.ones(3)), lambda lib: lib.normal(0.0, 1.0, (2, 3)),
    lambda lib: lib.normal(0.0, 1.0, size=(2, 3)),
    lambda lib: lib.normal(lib.zeros(2, 1), lib.ones(3)),
    lambda lib: lib.normal(lib.zeros(3, dtype=lib.float64), lib.ones(3)),
    lambda lib: lib.normal(lib.zeros(3, requires_grad=True), lib.ones(3)),
    lambda lib: lib.normal(lib.zeros(3, requires_grad=True), 1.0),
    lambda lib: lib.normal(1.0, lib.ones(3, requires_grad=True)),
    lambda lib: lib.bernoulli(lib.full((3,), 0.5)), lambda lib: lib.bernoulli(lib.ones(3), 0.2),
    lambda lib: lib.bernoulli(lib.full((3,), 0.5, requires_grad=True)),
    lambda lib: lib.multinomial(lib.tensor([1.0, 2, 3]), 2),
    lambda lib: lib.multinomial(lib.tensor([[1.0, 2, 3]]), 5, replacement=True),
    lambda lib: lib.multinomial(lib.tensor([1.0, 0, 0]), 2),
    lambda lib: lib.poisson(lib.ones(3)), lambda lib: lib.poisson(lib.ones(3, requires_grad=True)),
    lambda lib: lib.rand_like(lib.ones(2, dtype=lib.float64)),
    lambda lib: lib.randn_like(lib.ones(2, 2)), lambda lib: lib.randint_like(lib.ones(2), 5),
    lambda lib: lib.randint_like(lib.ones(2, dtype=lib.int32), 3, 5),
    lambda lib: lib.ones(2).bernoulli(0.3), lambda lib: lib.full((2,), 0.5).bernoulli(),
    lambda lib: lib.ones(3).multinomial(2),
])
def test_random_factories_meta(call):
    meta(call)


@pytest.mark.parametrize("call", [
    lambda lib: lib.rand(2, dtype=lib.int64), lambda lib: lib.randn(2, dtype=lib.int64),
    lambda lib: lib.randint(10, 3, (3,)), lambda lib: lib.randint(10, 3),
    lambda lib: lib.randint(10, (3,), dtype=lib.bool),
    lambda lib: lib.randint(300, (3,), dtype=lib.uint8),
    lambda lib: lib.randint(3, (2,), requires_grad=True), lambda lib: lib.randperm(-1),
    lambda lib: lib.normal(lib.zeros(3), -lib.ones(3)), lambda lib: lib.normal(0.0, -1.0, (2,)),
    lambda lib: lib.normal(lib.zeros(3, dtype=lib.int64), lib.ones(3)),
    lambda lib: lib.normal(lib.zeros(3), lib.ones(4)),
    lambda lib: lib.bernoulli(lib.full((3,), 1.5)),
    lambda lib: lib.bernoulli(lib.ones(3, dtype=lib.int64)),
    lambda lib: lib.multinomial(lib.tensor([1.0, 2, 3]), 4),
    lambda lib: lib.multinomial(lib.tensor([1.0, -2, 3]), 1),
    lambda lib: lib.multinomial(lib.tensor([0.0, 0, 0]), 1),
    lambda lib: lib.multinomial(lib.tensor([1.0, 2, 3]), 0),
    lambda lib: lib.multinomial(lib.tensor(1.0), 1),
    lambda lib: lib.multinomial(lib.ones(2, 2, 2), 1),
    lambda lib: lib.multinomial(lib.tensor([1, 2]), 1),
    lambda lib: lib.multinomial(lib.tensor([1.0, float("inf")]), 1),
    lambda lib: lib.multinomial(lib.tensor([1.0, float("nan")]), 1),
    lambda lib: lib.poisson(-lib.ones(3)), lambda lib: lib.poisson(lib.ones(3, dtype=lib.int64)),
    lambda lib: lib.rand_like(lib.ones(2, dtype=lib.int64)),
    lambda lib: lib.rand(2, device="cuda"),
])
def test_random_factory_errors(call):
    check_error(call)


INPLACE = [("uniform_", ()), ("uniform_", (-1.0, 2.0)), ("normal_", ()), ("normal_", (2.0, 3.0)),
           ("bernoulli_", ()), ("bernoulli_", (0.3,)), ("exponential_", ()),
           ("geometric_", (0.5,)), ("log_normal_", ()), ("cauchy_", ()), ("random_", ()),
           ("random_", (5,)), ("random_", (2, 5))]


@pytest.mark.parametrize("name,args", INPLACE)
def test_inplace_samplers_meta(name, args):
    def on_nonleaf(lib):
        a = lib.ones(3, requires_grad=True)
        x = a * 2
        assert getattr(x, name)(*args) is x
        return x
    meta(on_nonleaf)
    meta(lambda lib: getattr(lib.zeros(2, 3, dtype=lib.float64), name)(*args))
    check_error(lambda lib: getattr(lib.ones(3, requires_grad=True), name)(*args))


def test_inplace_sampler_with_tensor_p():
    meta(lambda lib: (lib.ones(3, requires_grad=True) * 2).bernoulli_(lib.full((3,), 0.5)))
    meta(lambda lib: lib.ones(2, 2).bernoulli_(lib.full((2,), 0.5)))
    check_error(lambda lib: lib.ones(2).bernoulli_(lib.full((2, 2), 0.5)))


@pytest.mark.parametrize("name,args", INPLACE + [("bernoulli_", (0.5,))])
@pytest.mark.parametrize("dtype", ["int64", "uint8", "bool", "float16"])
def test_inplace_sampler_dtypes(name, args, dtype):
    def fn(lib):
        return getattr(lib.zeros(4, dtype=getattr(lib, dtype)), name)(*args)
    try:
        fn(torch)
    except Exception:  # noqa: BLE001
        check_error(fn)
        return
    meta(fn)


@pytest.mark.parametrize("call", [
    lambda lib: lib.zeros(3).uniform_(2, 1), lambda lib: lib.zeros(3).normal_(0, -1),
    lambda lib: lib.zeros(3).bernoulli_(1.5), lambda lib: lib.zeros(3).exponential_(-1),
    lambda lib: lib.zeros(3).exponential_(0), lambda lib: lib.zeros(3).geometric_(0),
    lambda lib: lib.zeros(3).geometric_(1.5), lambda lib: lib.zeros(3).log_normal_(0, 0),
    lambda lib: lib.zeros(3).cauchy_(0, -1), lambda lib: lib.zeros(3).random_(5, 2),
    lambda lib: lib.zeros(3, dtype=lib.uint8).random_(-1, 5),
    lambda lib: lib.zeros(3, dtype=lib.uint8).random_(0, 300),
    lambda lib: lib.zeros(3).uniform_(generator=3),
])
def test_inplace_sampler_errors(call):
    check_error(call)


def test_random_seed_api_shapes():
    for lib in (torch, minitorch):
        g = lib.Generator()
        assert g.initial_seed() == 67280421310721
        assert isinstance(g.manual_seed(3), lib.Generator)
        assert str(g.device) == "cpu"
        assert isinstance(lib.manual_seed(5), lib.Generator)
        assert lib.initial_seed() == 5
        lib.manual_seed(-1)
        assert lib.initial_seed() == 2 ** 64 - 1
        lib.manual_seed("7")
        assert lib.random.initial_seed() == 7
        state = lib.get_rng_state()
        assert state.dtype == lib.uint8 and state.dim() == 1
        with lib.random.fork_rng():
            lib.rand(3)
        assert isinstance(lib.seed(), int)
    check_error(lambda lib: lib.manual_seed(2 ** 64))


# ------------------------------------------------- bit-exact range values
def _range_cases(seed, count=120):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        a, b = np.round(rng.uniform(-50, 50, 2), rng.integers(0, 4)).tolist()
        step = float(np.round(rng.uniform(0.01, 7), rng.integers(1, 4)))
        yield a, b, step, int(rng.integers(0, 60)), float(rng.choice([10.0, 2.0, 3.5, 0.5]))


@pytest.mark.parametrize("dtype", ["float32", "float64", "float16", "int64", "int32", "int16"])
def test_ranges_are_bit_exact(dtype):
    """arange/linspace/logspace equal torch's values exactly, not just within tolerance."""
    for a, b, step, n, base in _range_cases(len(dtype) * 7 + dtype.count("6")):
        calls = [("arange", (min(a, b), max(a, b), step)), ("linspace", (a, b, n)),
                 ("logspace", (a / 10, b / 10, n, base))]
        for name, args in calls:
            try:
                expected = getattr(torch, name)(*args, dtype=getattr(torch, dtype)).numpy()
            except (RuntimeError, ValueError):
                check_error(lambda lib: getattr(lib, name)(*args, dtype=getattr(lib, dtype)))
                continue
            actual = getattr(minitorch, name)(*args, dtype=getattr(minitorch, dtype)).numpy()
            assert actual.dtype == expected.dtype
            np.testing.assert_array_equal(actual, expected, err_msg=f"{name}{args}")


def test_generator_and_state_errors():
    check_error(lambda lib: lib.Generator("cuda"))
    check_error(lambda lib: lib.Generator().set_state(lib.zeros(3)))
    check_error(lambda lib: lib.Generator().set_state(lib.zeros(3, dtype=lib.uint8)))
    check_error(lambda lib: lib.set_rng_state([1]))
