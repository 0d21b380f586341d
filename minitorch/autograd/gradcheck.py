"""gradcheck / gradgradcheck (placeholder, being written)."""
__all__ = ["gradcheck", "gradgradcheck"]


def gradcheck(*args, **kwargs):
    raise NotImplementedError


def gradgradcheck(*args, **kwargs):
    raise NotImplementedError
