"""Parity: torch.fft transforms (values, dtypes, gradients for every norm) and helpers."""
import numpy as np
import pytest

from harness import check, check_error, noncontiguous, rand

F64, F32, C128, C64 = np.float64, np.float32, np.complex128, np.complex64
NORMS = [None, "backward", "ortho", "forward"]


def res(L, t):
    """torch may return a lazily conjugated view, which the harness cannot read: resolve it."""
    return t.resolve_conj() if L.__name__ == "torch" else t


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("name", ["fft", "ifft"])
@pytest.mark.parametrize("n", [None, 5, 11])
def test_fft_ifft(name, n, norm):
    for dt in (C128, F64):
        _, m = check(lambda L, x: res(L, getattr(L.fft, name)(x, n=n, norm=norm)),
                     rand(3, 8, dtype=dt))
    assert type(m.grad_fn).__name__ == "FftR2CBackward0"
    check(lambda L, x: res(L, getattr(L.fft, name)(x, n=n, dim=0, norm=norm)),
          rand(7, 2, dtype=C64))


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("n", [None, 6, 7, 13])
def test_rfft_irfft(n, norm):
    _, m = check(lambda L, x: L.fft.rfft(x, n=n, norm=norm), rand(2, 9))
    assert type(m.grad_fn).__name__ == "FftR2CBackward0"
    _, m = check(lambda L, x: L.fft.irfft(x, n=n, norm=norm), rand(2, 5, dtype=C128))
    assert type(m.grad_fn).__name__ == "FftC2RBackward0"
    check(lambda L, x: L.fft.irfft(x, n=n, dim=0, norm=norm), rand(6, 3, dtype=C64))
    check(lambda L, x: L.fft.rfft(x, n=n, dim=0, norm=norm), rand(8, 2, dtype=F32))


@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("n", [None, 6, 7])
def test_hfft_ihfft(n, norm):
    # x * 1: torch's gradient of hfft has the lazy conj bit, which the harness cannot read
    check(lambda L, x: L.fft.hfft(x * 1, n=n, norm=norm), rand(2, 5, dtype=C128))
    check(lambda L, x: res(L, L.fft.ihfft(x, n=n, norm=norm)), rand(2, 8))
    check(lambda L, x: L.fft.hfft(x, n=n, norm=norm), rand(4, dtype=F32))


@pytest.mark.parametrize("norm", NORMS)
def test_hfftn_ihfftn(norm):
    x = rand(3, 4, 5, dtype=C128)
    r = rand(3, 4, 6)
    check(lambda L, x: L.fft.hfftn(x * 1, norm=norm), x)
    check(lambda L, x: L.fft.hfft2(x * 1, s=(3, 7), norm=norm), x)
    check(lambda L, x: L.fft.hfftn(x * 1, dim=(0, 2), norm=norm), x)
    check(lambda L, x: res(L, L.fft.ihfftn(x, norm=norm)), r)
    check(lambda L, x: res(L, L.fft.ihfft2(x, norm=norm)), r)
    check(lambda L, x: res(L, L.fft.ihfftn(x, s=(2, 5), dim=(0, 1), norm=norm)), r)


@pytest.mark.parametrize("norm", NORMS)
def test_nd(norm):
    x = rand(3, 4, 5, dtype=C128)
    r = rand(3, 4, 6)
    check(lambda L, x: L.fft.fft2(x, norm=norm), x)
    check(lambda L, x: L.fft.ifft2(x, s=(3, 7), norm=norm), x)
    check(lambda L, x: L.fft.fftn(x, norm=norm), x)
    check(lambda L, x: L.fft.ifftn(x, s=(2, 6), dim=(0, 2), norm=norm), x)
    check(lambda L, x: L.fft.fftn(x, s=(5,), norm=norm), r)
    check(lambda L, x: L.fft.rfft2(x, norm=norm), r)
    check(lambda L, x: L.fft.rfftn(x, s=(2, 5, 7), norm=norm), r)
    check(lambda L, x: L.fft.rfftn(x, dim=(2, 0), norm=norm), r)
    check(lambda L, x: L.fft.irfft2(x, norm=norm), x)
    check(lambda L, x: L.fft.irfftn(x, norm=norm), x)
    check(lambda L, x: L.fft.irfftn(x, s=(5, 3, 9), norm=norm), x)
    check(lambda L, x: L.fft.irfftn(x, dim=(0, 1), norm=norm), x)


def test_float32_dtypes_noncontiguous_and_ints():
    check(lambda L, x: L.fft.fft2(x), rand(4, 6, dtype=F32))
    check(lambda L, x: L.fft.rfftn(x), noncontiguous(rand(4, 6, dtype=F32)))
    check(lambda L, x: L.fft.irfft2(x), rand(4, 6, dtype=C64))
    check(lambda L, x: L.fft.fft(x), np.arange(6))
    check(lambda L, x: L.fft.irfft(x), np.arange(6, dtype=np.int32))


def test_create_graph():
    def fn(L, x):
        y = L.fft.rfft(x, norm="ortho")
        (g,) = L.autograd.grad((y * y.conj()).real.sum(), x, create_graph=True)
        return g
    check(fn, rand(6))


def test_errors():
    check_error(lambda L, x: L.fft.fft(x, norm="bad"), rand(4))
    check_error(lambda L, x: L.fft.fft(x, n=0), rand(4))
    check_error(lambda L, x: L.fft.fft(x, dim=2), rand(4))
    check_error(lambda L, x: L.fft.rfft(x), rand(4, dtype=C64))
    check_error(lambda L, x: L.fft.fftn(x, s=(2, 2)), rand(4))
    check_error(lambda L, x: L.fft.fftn(x, s=(3,), dim=(0, 0)), rand(4, 4))
    check_error(lambda L, x: L.fft.fft(x), rand(4, dtype=np.float16))
    check_error(lambda L, x: L.fft.irfft(x, n=0), rand(4, dtype=C64))


def test_freq_and_shift():
    for n in (4, 5):
        check(lambda L: L.fft.fftfreq(n))
        check(lambda L: L.fft.fftfreq(n, 0.1, dtype=L.float64))
        check(lambda L: L.fft.rfftfreq(n, 2.0))
    for dim in (None, 0, -1, (0, 1)):
        _, m = check(lambda L, x: L.fft.fftshift(x, dim=dim), rand(4, 5))
        check(lambda L, x: L.fft.ifftshift(x, dim=dim), rand(4, 5))
    assert type(m.grad_fn).__name__ == "RollBackward0"
    check(lambda L, x: L.fft.ifftshift(L.fft.fftshift(x)), rand(3, 5, dtype=C64))


@pytest.mark.parametrize("op", [
    lambda L, x: L.fft.fft(x, n=5, norm="ortho"),
    lambda L, x: L.fft.ifft(x, n=11),
    lambda L, x: L.fft.irfft(L.fft.fft(x), n=7, norm="forward"),
    lambda L, x: L.fft.rfftn(x, s=(7,)),
    lambda L, x: L.fft.fftshift(L.fft.fft(x)),
])
def test_create_graph_resizing(op):
    def fn(L, x):
        y = op(L, x)
        w = L.from_numpy(np.linspace(0.5, 1.5, y.numel()).reshape(tuple(y.shape)))
        loss = (y * y * w).sum()
        (g,) = L.autograd.grad(loss.real if loss.is_complex() else loss, x, create_graph=True)
        return g
    check(fn, rand(2, 8))
