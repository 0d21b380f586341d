"""Parity suite: every op, gradient and update compared with real torch in the same run."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

torch = pytest.importorskip("torch")
torch.set_num_threads(1)


@pytest.fixture(autouse=True)
def _restore_default_dtype():
    import minitorch
    yield
    minitorch.set_default_dtype(minitorch.float32)
    torch.set_default_dtype(torch.float32)
