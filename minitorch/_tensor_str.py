"""Tensor printing (placeholder, being written)."""
import numpy as np


def tensor_repr(t):
    body = np.array2string(t._data, separator=", ", precision=4)
    extra = ""
    if t._grad_fn is not None:
        extra = f", grad_fn=<{t._grad_fn.name()}>"
    elif t._requires_grad:
        extra = ", requires_grad=True"
    return f"tensor({body}{extra})"
