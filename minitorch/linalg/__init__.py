"""torch.linalg: linear algebra with gradients where torch has them."""
__all__ = []
