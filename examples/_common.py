"""Small helpers shared by the examples (not part of any torch API).

The examples run on either library, chosen with --backend. Random streams differ
between minitorch and PyTorch, so anything random that should match across the two
(initial weights, data, shuffling) is drawn with NumPy and copied in.
"""
import argparse
import importlib
import math
import os

import numpy as np

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "out")


def parser(doc):
    """An argument parser with the --backend option every example takes."""
    p = argparse.ArgumentParser(description=doc.splitlines()[0])
    p.add_argument("--backend", choices=["minitorch", "torch"], default="minitorch")
    return p


def load_backend(name):
    """`import minitorch as torch` or `import torch`, chosen at run time."""
    return importlib.import_module(name)


def numpy_init_(model, seed=0):
    """Overwrite every parameter with NumPy draws, so both backends start alike.

    Matrices and kernels get U(-1/sqrt(fan_in), 1/sqrt(fan_in)), PyTorch's default
    scale for Linear and Conv; a vector takes the fan_in of the matrix before it
    (a layer's bias). Vectors of all ones or all zeros (LayerNorm's) are kept.
    """
    rng = np.random.default_rng(seed)
    fan_in = 1
    params = list(model.parameters())
    # The library (minitorch or torch) is whichever one built the parameters.
    torch = importlib.import_module(type(params[0]).__module__.split(".")[0])
    with torch.no_grad():
        for p in params:
            if p.ndim >= 2:
                fan_in = math.prod(p.shape[1:])
            elif bool((p == 0).all()) or bool((p == 1).all()):
                continue
            bound = 1 / math.sqrt(fan_in)
            values = rng.uniform(-bound, bound, size=tuple(p.shape))
            p.copy_(torch.tensor(values, dtype=p.dtype))
    return model


def pyplot():
    """matplotlib.pyplot drawing to files, or None when matplotlib is not installed."""
    try:
        import matplotlib
    except ImportError:
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def out_path(name):
    os.makedirs(OUT_DIR, exist_ok=True)
    return os.path.join(OUT_DIR, name)

