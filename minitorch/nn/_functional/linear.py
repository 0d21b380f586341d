"""functional: linear and bilinear maps."""
from ..._ops import blas as _blas
from ..._tensor import Tensor

__all__ = ["linear", "bilinear"]


def linear(input, weight, bias=None):
    """input @ weight.T + bias; with a bias the product is one fused addmm (AddmmBackward0),
    other leading dims are flattened around it (ViewBackward0), as torch."""
    if not isinstance(input, Tensor) or not isinstance(weight, Tensor):
        raise TypeError("linear(): argument 'input' and 'weight' must be Tensors")
    if input.ndim == 0:
        raise RuntimeError("both arguments to linear need to be at least 1D, but they are 0D "
                           f"and {weight.ndim}D")
    if weight.ndim == 2 and input.shape[-1] != weight.shape[1]:
        rows = input.numel() // max(input.shape[-1], 1) if input.ndim > 1 else 1
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x"
                           f"{input.shape[-1]} and {weight.shape[1]}x{weight.shape[0]})")
    if bias is None or weight.ndim != 2 or bias.ndim > 1:
        out = _blas.matmul(input, weight.t() if weight.ndim == 2 else weight)
        return out if bias is None else out + bias
    if input.ndim == 2:
        return _blas.addmm(bias, input, weight.t())
    lead = tuple(input.shape[:-1])
    flat = _blas.addmm(bias, input.reshape(-1, input.shape[-1]), weight.t())
    return flat.reshape(lead + (weight.shape[0],))


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
