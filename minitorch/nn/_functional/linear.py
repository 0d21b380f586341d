"""functional: linear and bilinear maps."""
from ..._ops import blas as _blas
from ..._tensor import Tensor

__all__ = ["linear", "bilinear"]


def linear(input, weight, bias=None):
    """input @ weight.T + bias; with a bias the product is one fused addmm (AddmmBackward0),
    other leading dims are flattened around it (ViewBackward0), as torch."""
    if not isinstance(input, Tensor) or not isinstance(weight, Tensor):
        raise TypeError("linear(): argument 'input' and 'weight' must be Tensors")
    # Shapes straight from the arrays: linear runs once per layer per step, and
    # Tensor.shape builds a torch.Size each time.
    in_shape, w_shape = input._data.shape, weight._data.shape
    if not in_shape:
        raise RuntimeError("both arguments to linear need to be at least 1D, but they are 0D "
                           f"and {weight.ndim}D")
    if len(w_shape) == 2 and in_shape[-1] != w_shape[1]:
        rows = input.numel() // max(in_shape[-1], 1) if len(in_shape) > 1 else 1
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x"
                           f"{in_shape[-1]} and {w_shape[1]}x{w_shape[0]})")
    if bias is None or len(w_shape) != 2 or bias.ndim > 1:
        out = _blas.matmul(input, weight.t() if len(w_shape) == 2 else weight)
        return out if bias is None else out + bias
    flat = input if len(in_shape) == 2 else input.reshape(-1, in_shape[-1])
    if (bias._data.shape == w_shape[:1] and len(in_shape) >= 2
            and input.dtype is weight.dtype is bias.dtype):
        # the checks addmm() would make hold already: call its primitive directly
        out = _blas._addmm(bias, flat, weight.t())
    else:
        out = _blas.addmm(bias, flat, weight.t())  # raises torch's errors for bad biases
    if len(in_shape) == 2:
        return out
    return out.reshape(in_shape[:-1] + w_shape[:1])


def bilinear(input1, input2, weight, bias=None):
    """y[..., o] = sum_ij input1[..., i] weight[o, i, j] input2[..., j] + bias[o]."""
    if input1.ndim != input2.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.ndim} and "
                           f"{input2.ndim}")
    if tuple(input1.shape[:-1]) != tuple(input2.shape[:-1]):
        raise RuntimeError("bilinear(): input batch dimensions do not match: got "
                           f"{list(input1.shape)} and {list(input2.shape)}")
    if weight.ndim != 3:
        raise RuntimeError(f"bilinear(): weight must be three-dimensional, got {weight.ndim}")
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got "
                           f"{input1.shape[-1]} but expected {weight.shape[1]}")
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got "
                           f"{input2.shape[-1]} but expected {weight.shape[2]}")
    out = _blas.einsum("...i,oij,...j->...o", input1, weight, input2)
    return out if bias is None else out + bias
