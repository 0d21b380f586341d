"""torch.fft: discrete Fourier transforms on NumPy's pocketfft."""
__all__ = []
