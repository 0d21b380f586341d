"""torch.special: special functions (scipy.special underneath)."""
__all__ = []
