"""autograd.functional (placeholder, being written)."""
