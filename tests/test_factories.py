"""Factories, printing and the dtype/device surface, without torch (expectations from torch's docs)."""
import math
import warnings

import numpy as np
import pytest

import minitorch


@pytest.fixture(autouse=True)
def _defaults():
    yield
    minitorch.set_default_dtype(minitorch.float32)
    minitorch.set_printoptions(profile="default")


def test_tensor_dtype_inference():
    assert minitorch.tensor(1).dtype is minitorch.int64
    assert minitorch.tensor(1.0).dtype is minitorch.float32
    assert minitorch.tensor(True).dtype is minitorch.bool
    assert minitorch.tensor(1j).dtype is minitorch.complex64
    assert minitorch.tensor([1, 2.0]).dtype is minitorch.float32
    assert minitorch.tensor([np.float64(1.0)]).dtype is minitorch.float64
    assert minitorch.tensor(np.array([1, 2], dtype=np.int16)).dtype is minitorch.int16
    assert minitorch.tensor([minitorch.tensor(1, dtype=minitorch.int32), 2]).dtype is \
        minitorch.int64
    assert minitorch.tensor([]).shape == (0,)
    assert minitorch.tensor([[], []]).shape == (2, 0)
    minitorch.set_default_dtype(minitorch.float64)
    assert minitorch.tensor([1.5]).dtype is minitorch.float64
    assert minitorch.tensor(1j).dtype is minitorch.complex128


def test_tensor_errors():
    with pytest.raises(ValueError, match="expected sequence of length 2 at dim 1"):
        minitorch.tensor([[1, 2], [3]])
    with pytest.raises(TypeError):
        minitorch.tensor("abc")
    with pytest.raises(RuntimeError):
        minitorch.tensor([None])
    with pytest.raises(RuntimeError, match="overflow"):
        minitorch.tensor([300], dtype=minitorch.uint8)
    with pytest.raises(RuntimeError):
        minitorch.tensor([1, 2], requires_grad=True)


def test_memory_sharing_rules():
    array = np.zeros(3)
    shared = minitorch.from_numpy(array)
    as_t = minitorch.as_tensor(array)
    copied = minitorch.tensor(array)
    array[0] = 4
    assert shared[0].item() == 4 and as_t[0].item() == 4 and copied[0].item() == 0
    with pytest.raises(TypeError):
        minitorch.from_numpy(np.zeros(2, dtype=np.uint16))


def test_sizes_and_fill_inference():
    for size in [(2, 3), ((2, 3),), ([2, 3],), (minitorch.Size([2, 3]),)]:
        assert minitorch.zeros(*size).shape == (2, 3)
    assert minitorch.empty(2, 3).tolist() == [[0.0] * 3] * 2  # minitorch's documented choice
    assert minitorch.full((2,), 7).dtype is minitorch.int64
    assert minitorch.full((2,), False).dtype is minitorch.bool
    assert minitorch.full((2,), 0.5).dtype is minitorch.float32
    assert minitorch.full((2,), 1j).dtype is minitorch.complex64


def test_ranges():
    assert minitorch.arange(5).tolist() == [0, 1, 2, 3, 4]
    assert minitorch.arange(1, 2.5, 0.5).tolist() == [1.0, 1.5, 2.0]
    assert minitorch.arange(10, 0, -3).tolist() == [10, 7, 4, 1]
    assert len(minitorch.arange(0, 1, 0.1)) == 10
    assert minitorch.linspace(0, 10, 4, dtype=minitorch.int64).tolist() == [0, 3, 6, 10]
    assert minitorch.linspace(2, 3, 1).tolist() == [2.0]
    assert minitorch.logspace(0, 3, 4, base=2).tolist() == [1.0, 2.0, 4.0, 8.0]
    assert minitorch.eye(2, 3).tolist() == [[1, 0, 0], [0, 1, 0]]
    with pytest.raises(RuntimeError):
        minitorch.arange(0, 10, -1)


def test_legacy_constructors():
    x = minitorch.FloatTensor([1, 2])
    assert type(x) is minitorch.Tensor and x.dtype is minitorch.float32
    assert isinstance(x, minitorch.FloatTensor) and not isinstance(x, minitorch.LongTensor)
    assert minitorch.LongTensor(2, 3).shape == (2, 3)
    assert minitorch.BoolTensor([1, 0]).tolist() == [True, False]
    assert minitorch.zeros(1).type() == "torch.FloatTensor"


def test_new_methods_keep_dtype():
    x = minitorch.zeros(2, dtype=minitorch.int32)
    assert x.new_ones(3).dtype is minitorch.int32
    assert x.new_full((2,), 7.9).tolist() == [7, 7]
    assert x.new_tensor([1.5]).dtype is minitorch.int32
    assert x.new_zeros(2, dtype=minitorch.float64).dtype is minitorch.float64


def test_complex_and_polar():
    z = minitorch.complex(minitorch.tensor([1.0]), minitorch.tensor([2.0]))
    assert z.dtype is minitorch.complex64 and z.tolist() == [1 + 2j]
    p = minitorch.polar(minitorch.tensor([2.0], dtype=minitorch.float64),
                        minitorch.tensor([math.pi / 2], dtype=minitorch.float64))
    assert abs(p.item() - 2j) < 1e-12


# --------------------------------------------------------------------- printing
def test_repr_examples_from_torch_docs():
    assert repr(minitorch.tensor([1.0, 2.0])) == "tensor([1., 2.])"
    assert repr(minitorch.tensor([1.12345])) == "tensor([1.1235])"
    assert repr(minitorch.tensor(3)) == "tensor(3)"
    assert repr(minitorch.tensor([], dtype=minitorch.int64)) == "tensor([], dtype=torch.int64)"
    assert repr(minitorch.zeros(0, 3)) == "tensor([], size=(0, 3))"
    assert repr(minitorch.ones(2, dtype=minitorch.float64)) == \
        "tensor([1., 1.], dtype=torch.float64)"
    assert repr(minitorch.tensor([1.0], requires_grad=True)) == \
        "tensor([1.], requires_grad=True)"
    assert repr(minitorch.tensor([True, False])) == "tensor([ True, False])"
    assert repr(minitorch.tensor([1e-5, 1.0])) == "tensor([1.0000e-05, 1.0000e+00])"
    assert repr(minitorch.tensor([math.nan, -math.inf, 1.0])) == "tensor([nan, -inf, 1.])"
    assert repr(minitorch.tensor([[1, 2], [3, 4]])) == "tensor([[1, 2],\n        [3, 4]])"


def test_print_options_as_in_torch_docs():
    minitorch.set_printoptions(precision=2)
    assert repr(minitorch.tensor([1.12345])) == "tensor([1.12])"
    minitorch.set_printoptions(threshold=5)
    assert repr(minitorch.arange(10)) == "tensor([0, 1, 2,  ..., 7, 8, 9])"
    minitorch.set_printoptions(profile="default")
    assert repr(minitorch.tensor([1.12345])) == "tensor([1.1235])"
    assert repr(minitorch.arange(10)) == "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"
    with minitorch.printoptions(precision=1):
        assert repr(minitorch.tensor([1.25])) == "tensor([1.2])"
    assert minitorch.get_printoptions()["precision"] == 4


def test_summarized_long_vector_wraps():
    text = repr(minitorch.arange(2000))
    assert text.startswith("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])")


# ---------------------------------------------------------- dtype / device
def test_dtype_and_device_surface():
    assert repr(minitorch.float32) == "torch.float32"
    assert minitorch.float16.itemsize == 2 and minitorch.uint8.is_signed is False
    assert minitorch.complex128.to_real() is minitorch.float64
    assert minitorch.finfo(minitorch.float32).eps == np.finfo(np.float32).eps
    assert minitorch.iinfo(minitorch.int8).min == -128
    assert repr(minitorch.device("cpu")) == "device(type='cpu')"
    assert str(minitorch.device("cuda", 1)) == "cuda:1"
    with pytest.raises(AssertionError, match="not compiled with CUDA"):
        minitorch.zeros(1).cuda()
    with pytest.raises(AssertionError):
        minitorch.zeros(1, device="cuda")
    assert minitorch.cuda.is_available() is False and minitorch.cuda.device_count() == 0
    minitorch.cuda.manual_seed_all(0)
    with pytest.raises(AssertionError):
        minitorch.cuda.current_device()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert minitorch.is_nonzero(minitorch.tensor([2]))
