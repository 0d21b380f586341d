"""Small datasets embedded in the package, so examples and tests run offline.

Not part of torch's API (torch keeps datasets in torchvision); this module needs
only NumPy and returns plain arrays, so the same loader feeds either library:
``torch.tensor(images)`` works for minitorch and for real PyTorch alike.
"""
import gzip
import os

import numpy as np

__all__ = ["load_digits", "DIGITS_CITATION"]

_DATA_DIR = os.path.join(os.path.dirname(__file__), "_data")

DIGITS_CITATION = ("Alpaydin, E. & Kaynak, C. (1998). Optical Recognition of Handwritten "
                   "Digits. UCI Machine Learning Repository. https://doi.org/10.24432/C50P49 "
                   "(CC BY 4.0)")


def load_digits():
    """The UCI handwritten digits: 1,797 grey 8x8 images of the digits 0..9.

    Returns ``(images, labels)``: ``images`` is a ``uint8`` array of shape
    ``(1797, 8, 8)`` whose pixels count inked cells, 0..16; ``labels`` is an
    ``int64`` array of shape ``(1797,)``. The file ships inside the package
    (``_data/digits.csv.gz``, 57 KB); nothing is downloaded. Source and licence:
    ``DIGITS_CITATION``.
    """
    with gzip.open(os.path.join(_DATA_DIR, "digits.csv.gz"), "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    images = table[:, :64].astype(np.uint8).reshape(-1, 8, 8)
    labels = table[:, 64].copy()
    return images, labels
