"""torch.fft: discrete Fourier transforms on NumPy's pocketfft, with gradients.

Three primitives carry every transform: complex-to-complex (fftn/ifftn),
real-to-complex (rfftn, one-sided) and complex-to-real (irfftn). Their
backward rules are the adjoint transforms, as in torch: the inverse transform
with the "dual" normalisation, zero-padded or trimmed back to the input's size;
the complex-to-real rule doubles the bins that the one-sided input stands for
twice. hfft/ihfft are built from irfft/rfft.
"""
import numpy as np

from .. import _dtype
from .._tensor import Tensor
from .._ops._registry import wrap_dim
from .._ops.blas import const
from ..autograd._primitive import defprim, numpy_namespace, numpy_rule_op

__all__ = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft", "fft2", "ifft2", "rfft2", "irfft2",
           "fftn", "ifftn", "rfftn", "irfftn", "hfft2", "ihfft2", "hfftn", "ihfftn", "fftfreq", "rfftfreq", "fftshift", "ifftshift"]

_DUAL = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


def _complex_np(np_dtype):
    return np.dtype(np.complex128 if np_dtype in (np.float64, np.complex128) else np.complex64)


def _real_np(np_dtype):
    return np.dtype(np.float64 if np_dtype in (np.float64, np.complex128) else np.float32)


# -------------------------------------------------------------- rule helpers
def _resize(F, x, dims, shape):
    """Trim or zero-pad ``x`` along ``dims`` to ``shape`` (the input's sizes)."""
    for d in dims:
        cur, want = x.shape[d], shape[d]
        if cur == want:
            continue
        if F is numpy_namespace:
            if cur > want:
                x = np.take(x, np.arange(want), axis=d)
            else:
                widths = [(0, 0)] * x.ndim
                widths[d] = (0, want - cur)
                x = np.pad(x, widths)
            continue
        # Tensor path: a 0/1 selection matrix keeps it one differentiable einsum
        sel = np.eye(want, cur)
        letters = "abcdefghijklmnopqrstuvwxy"[:x.ndim]
        out = letters[:d] + "z" + letters[d + 1:]
        x = F.einsum(f"{letters},z{letters[d]}->{out}", x, const(F, sel, x))
    return x


def _c2c_vjp(F, g, out, x, dims, norm, forward):
    back = F.fft.ifftn if forward else F.fft.fftn
    return (_resize(F, back(g, dim=dims, norm=_DUAL[norm]), dims, x.shape),)


def _r2c_vjp(F, g, out, x, dims, norm, n_last):
    """Zero-pad the one-sided gradient to the full length, then the c2c adjoint."""
    full = [g.shape[d] for d in dims[:-1]] + [n_last]
    gx = F.fft.ifftn(g, s=full, dim=dims, norm=_DUAL[norm])
    return (_resize(F, gx, dims, x.shape),)


def _c2r_vjp(F, g, out, x, dims, norm):
    """rfftn of the gradient, with the bins that stand for two (conjugate) bins doubled."""
    n = g.shape[dims[-1]]
    gx = F.fft.rfftn(g, dim=dims, norm=_DUAL[norm])
    half = n // 2 + 1
    weight = np.full(half, 2.0)
    weight[0] = 1.0
    if n % 2 == 0:
        weight[-1] = 1.0
    weight = weight.reshape((half,) + (1,) * (g.ndim - 1 - dims[-1]))
    gx = gx * const(F, weight, gx)
    return (_resize(F, gx, dims, x.shape),)


# --------------------------------------------------------------- primitives
def _c2c_forward(x, dims, norm, forward, s=None):
    fn = np.fft.fftn if forward else np.fft.ifftn
    return fn(x, s=s, axes=dims, norm=norm).astype(_complex_np(x.dtype), copy=False)


def _r2c_forward(x, dims, norm, n_last, s=None):
    return np.fft.rfftn(x, s=s, axes=dims, norm=norm).astype(_complex_np(x.dtype), copy=False)


def _c2r_forward(x, dims, norm, s):
    return np.fft.irfftn(x, s=s, axes=dims, norm=norm).astype(_real_np(x.dtype), copy=False)


def _c2c_rule(F, g, out, x, dims, norm, forward, s=None):
    return _c2c_vjp(F, g, out, x, dims, norm, forward)


def _r2c_rule(F, g, out, x, dims, norm, n_last, s=None):
    return _r2c_vjp(F, g, out, x, dims, norm, n_last)


def _c2r_rule(F, g, out, x, dims, norm, s):
    return _c2r_vjp(F, g, out, x, dims, norm)


_c2c = defprim("fft_c2c", "FftC2CBackward0", _c2c_forward, vjp=_c2c_rule, saves=())
# torch routes a real input's fft through its r2c kernel: same maths, its own node name
_r2c_full = defprim("fft_r2c_full", "FftR2CBackward0", _c2c_forward, vjp=_c2c_rule, saves=())
_r2c = defprim("fft_r2c", "FftR2CBackward0", _r2c_forward, vjp=_r2c_rule, saves=())
_c2r = defprim("fft_c2r", "FftC2RBackward0", _c2r_forward, vjp=_c2r_rule, saves=())


# ----------------------------------------------------------- argument checks
def _check_norm(norm):
    if norm is None:
        return "backward"
    if norm not in _DUAL:
        raise RuntimeError(f'Invalid normalization mode: "{norm}"')
    return norm


def _floating(input, name, complex_ok=True):
    """Promote integers to the default dtype; refuse half (unsupported by torch on CPU)."""
    if not isinstance(input, Tensor):
        raise TypeError(f"{name}(): argument 'input' must be Tensor, not {type(input).__name__}")
    dt = input.dtype
    if dt is _dtype.float16:
        raise RuntimeError("Unsupported dtype Half")
    if dt.is_complex and not complex_ok:
        raise RuntimeError(f"{name} expects a real input tensor, but got "
                           f"{'ComplexFloat' if dt is _dtype.complex64 else 'ComplexDouble'}")
    if not (dt.is_floating_point or dt.is_complex):
        return input.to(_dtype.get_default_dtype())
    return input


def _dims_and_sizes(input, s, dim):
    """torch's resolution of (s, dim) for the n-dimensional transforms."""
    if dim is not None:
        dims = [dim] if isinstance(dim, (int, np.integer)) else list(dim)
        dims = [wrap_dim(d, input.ndim) for d in dims]
        if len(set(dims)) != len(dims):
            raise RuntimeError("FFT dims must be unique")
        if s is not None and len(s) != len(dims):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
    elif s is not None:
        if len(s) > input.ndim:
            raise RuntimeError(f"Got shape with {len(s)} values but input tensor only has "
                               f"{input.ndim} dimensions.")
        dims = list(range(input.ndim - len(s), input.ndim))
    else:
        dims = list(range(input.ndim))
    if s is None:
        sizes = [input.shape[d] for d in dims]
    else:
        sizes = [input.shape[d] if n == -1 else int(n) for d, n in zip(dims, s)]
    for n in sizes:
        if n < 1:
            raise RuntimeError(f"Invalid number of data points ({n}) specified")
    return dims, sizes


# -------------------------------------------------------- complex-to-complex
def _c2c_transform(input, s, dim, norm, forward, name):
    input = _floating(input, name)
    norm = _check_norm(norm)
    dims, sizes = _dims_and_sizes(input, s, dim)
    if not dims:
        return input.to(_dtype.complex128 if input.dtype in (_dtype.float64, _dtype.complex128)
                        else _dtype.complex64)
    prim = _c2c if input.dtype.is_complex else _r2c_full
    return prim(input, dims=tuple(dims), norm=norm, forward=forward, s=tuple(sizes))


def _one_dim(n, dim):
    return (None if n is None else (n,)), dim


def fft(input, n=None, dim=-1, norm=None, *, out=None):
    """1-D discrete Fourier transform (complex result)."""
    _no_out(out)
    s, d = _one_dim(n, dim)
    return _c2c_transform(input, s, d, norm, True, "fft")


def ifft(input, n=None, dim=-1, norm=None, *, out=None):
    """1-D inverse discrete Fourier transform."""
    _no_out(out)
    s, d = _one_dim(n, dim)
    return _c2c_transform(input, s, d, norm, False, "ifft")


def fft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """2-D discrete Fourier transform."""
    _no_out(out)
    return _c2c_transform(input, s, dim, norm, True, "fft2")


def ifft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """2-D inverse discrete Fourier transform."""
    _no_out(out)
    return _c2c_transform(input, s, dim, norm, False, "ifft2")


def fftn(input, s=None, dim=None, norm=None, *, out=None):
    """N-D discrete Fourier transform (all dims by default)."""
    _no_out(out)
    return _c2c_transform(input, s, dim, norm, True, "fftn")


def ifftn(input, s=None, dim=None, norm=None, *, out=None):
    """N-D inverse discrete Fourier transform."""
    _no_out(out)
    return _c2c_transform(input, s, dim, norm, False, "ifftn")


# ------------------------------------------------------------ real transforms
def _r2c_transform(input, s, dim, norm, name):
    input = _floating(input, name, complex_ok=False)
    norm = _check_norm(norm)
    dims, sizes = _dims_and_sizes(input, s, dim)
    if not dims:
        raise RuntimeError(f"{name} must transform at least one axis")
    return _r2c(input, dims=tuple(dims), norm=norm, n_last=sizes[-1], s=tuple(sizes))


def _c2r_transform(input, s, dim, norm, name):
    input = _floating(input, name)
    norm = _check_norm(norm)
    dims, sizes = _dims_and_sizes(input, s, dim)
    if not dims:
        raise RuntimeError(f"{name} must transform at least one axis")
    if s is None or s[-1] == -1:
        sizes[-1] = 2 * (input.shape[dims[-1]] - 1)
        if sizes[-1] < 1:
            raise RuntimeError(f"Invalid number of data points ({sizes[-1]}) specified")
    if not input.dtype.is_complex:
        input = input.to(_dtype.complex128 if input.dtype is _dtype.float64 else _dtype.complex64)
    return _c2r(input, dims=tuple(dims), norm=norm, s=tuple(sizes))


def rfft(input, n=None, dim=-1, norm=None, *, out=None):
    """1-D transform of a real signal: the n // 2 + 1 non-negative frequencies."""
    _no_out(out)
    s, d = _one_dim(n, dim)
    return _r2c_transform(input, s, d, norm, "rfft")


def irfft(input, n=None, dim=-1, norm=None, *, out=None):
    """Inverse of rfft: a real signal of length n (default 2 * (m - 1))."""
    _no_out(out)
    s, d = _one_dim(n, dim)
    return _c2r_transform(input, s, d, norm, "irfft")


def rfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """2-D rfft (one-sided along the last of ``dim``)."""
    _no_out(out)
    return _r2c_transform(input, s, dim, norm, "rfft2")


def irfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """Inverse of rfft2."""
    _no_out(out)
    return _c2r_transform(input, s, dim, norm, "irfft2")


def rfftn(input, s=None, dim=None, norm=None, *, out=None):
    """N-D rfft (one-sided along the last transformed dim)."""
    _no_out(out)
    return _r2c_transform(input, s, dim, norm, "rfftn")


def irfftn(input, s=None, dim=None, norm=None, *, out=None):
    """Inverse of rfftn."""
    _no_out(out)
    return _c2r_transform(input, s, dim, norm, "irfftn")


def hfft(input, n=None, dim=-1, norm=None, *, out=None):
    """Transform of a Hermitian-symmetric signal given by its one-sided half (real result)."""
    _no_out(out)
    norm = _check_norm(norm)
    input = _floating(input, "hfft")
    return irfft(input.conj(), n, dim, _DUAL[norm])


def ihfft(input, n=None, dim=-1, norm=None, *, out=None):
    """Inverse of hfft: the one-sided half of a real signal's inverse transform."""
    _no_out(out)
    norm = _check_norm(norm)
    return rfft(input, n, dim, _DUAL[norm]).conj()



def hfftn(input, s=None, dim=None, norm=None, *, out=None):
    """N-D hfft: the transform of a Hermitian signal given by its one-sided half (real)."""
    _no_out(out)
    norm = _check_norm(norm)
    input = _floating(input, "hfftn")
    return irfftn(input.conj(), s, dim, _DUAL[norm])


def ihfftn(input, s=None, dim=None, norm=None, *, out=None):
    """Inverse of hfftn: the one-sided half of a real signal's N-D inverse transform."""
    _no_out(out)
    norm = _check_norm(norm)
    return rfftn(input, s, dim, _DUAL[norm]).conj()


def hfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """2-D hfftn."""
    return hfftn(input, s, dim, norm, out=out)


def ihfft2(input, s=None, dim=(-2, -1), norm=None, *, out=None):
    """2-D ihfftn."""
    return ihfftn(input, s, dim, norm, out=out)

# --------------------------------------------------------------- frequencies
def _freq_factory(values, dtype, requires_grad, layout, device, name):
    from .._device import check_device
    check_device(device)
    if layout is not None and str(layout) != "torch.strided":
        raise NotImplementedError(f"minitorch: {name} supports only the strided layout")
    dtype = dtype or _dtype.get_default_dtype()
    t = Tensor._make(np.asarray(values, dtype=dtype._np))
    if requires_grad:
        t.requires_grad_(True)
    return t


def fftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Sample frequencies of an n-point fft with spacing d."""
    _no_out(out)
    return _freq_factory(np.fft.fftfreq(n, d), dtype, requires_grad, layout, device, "fftfreq")


def rfftfreq(n, d=1.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """Sample frequencies of an n-point rfft (non-negative only)."""
    _no_out(out)
    return _freq_factory(np.fft.rfftfreq(n, d), dtype, requires_grad, layout, device,
                         "rfftfreq")


# ------------------------------------------------------------------- shifts
def _roll_forward(x, shifts, dims):
    return np.roll(x, shifts, axis=dims)


_roll_prim = defprim("fft_roll", "RollBackward0", _roll_forward,
                grads=(lambda F, g, out, x, shifts, dims:
                       F.fft._roll(g, tuple(-s for s in shifts), dims),), saves=())


def _shift(input, dim, sign):
    if dim is None:
        dims = tuple(range(input.ndim))
    elif isinstance(dim, (int, np.integer)):
        dims = (wrap_dim(dim, input.ndim),)
    else:
        dims = tuple(wrap_dim(d, input.ndim) for d in dim)
    shifts = tuple(sign * (input.shape[d] // 2) for d in dims)
    return _roll_prim(input, shifts=shifts, dims=dims)


def _roll(input, shifts, dims):
    """Roll by ``shifts`` along ``dims`` (the Tensor twin of the rule's F.fft._roll)."""
    return _roll_prim(input, shifts=tuple(shifts), dims=tuple(dims))


def fftshift(input, dim=None):
    """Move the zero frequency to the centre (a roll by n // 2 along each dim)."""
    return _shift(input, dim, 1)


def ifftshift(input, dim=None):
    """Inverse of fftshift."""
    return _shift(input, dim, -1)


def _no_out(out):
    if out is not None:
        raise NotImplementedError("minitorch does not support the 'out' argument of torch.fft "
                                  "functions")


# ------------------------------------------------ NumPy twins for the rules
class _NumpyFFT:
    """``F.fft`` on the plain backward path: NumPy with minitorch.fft's signatures."""

    @staticmethod
    def fftn(x, s=None, dim=None, norm=None):
        return np.fft.fftn(x, s=s, axes=dim, norm=norm)

    @staticmethod
    def ifftn(x, s=None, dim=None, norm=None):
        return np.fft.ifftn(x, s=s, axes=dim, norm=norm)

    @staticmethod
    def rfftn(x, s=None, dim=None, norm=None):
        return np.fft.rfftn(x, s=s, axes=dim, norm=norm)

    _roll = staticmethod(_roll_forward)


numpy_rule_op("fft")(_NumpyFFT)
