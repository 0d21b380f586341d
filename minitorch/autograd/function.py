"""autograd.Function: user-defined forward/backward pairs (placeholder, being written)."""
__all__ = ["Function"]


class Function:
    pass
