"""Each example, run for a few steps on minitorch and on torch, gives the same losses.

The examples draw everything random (initial weights, data, batch order) with NumPy,
so the two runs differ only by float32 rounding. That rounding compounds over
training steps, hence a tolerance a little wider than one op's.
"""
import importlib.util
import os
import re
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")
RTOL, ATOL = 1e-4, 1e-6


@pytest.fixture(autouse=True)
def _scratch_out_dir(monkeypatch, tmp_path):
    # Plots and DOT files go to a scratch folder, not examples/out.
    if EXAMPLES not in sys.path:
        sys.path.insert(0, EXAMPLES)
    import _common
    monkeypatch.setattr(_common, "OUT_DIR", str(tmp_path))


def load(name):
    spec = importlib.util.spec_from_file_location(
        f"parity_example_{name}", os.path.join(EXAMPLES, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def both(name, **kwargs):
    main = load(name).main
    return main(backend="minitorch", **kwargs), main(backend="torch", **kwargs)


def test_single_neuron():
    mine, theirs = both("single_neuron", steps=10)
    np.testing.assert_allclose(mine, theirs, rtol=RTOL, atol=ATOL)


def test_micrograd_moons():
    mine, theirs = both("micrograd_moons", steps=40, plots=False)
    assert len(mine) == 40
    np.testing.assert_allclose(mine, theirs, rtol=RTOL, atol=ATOL)


def test_polynomial_sin():
    mine, theirs = both("polynomial_sin", steps=300)
    assert mine.keys() == theirs.keys() == {"tensors", "autograd", "nn", "function"}
    for way in mine:
        np.testing.assert_allclose(mine[way], theirs[way], rtol=RTOL, atol=ATOL, err_msg=way)


def test_digits():
    mine, theirs = both("digits", epochs=2, steps=50, plots=False)
    for kind in ("mlp", "cnn"):
        assert len(mine[kind]["loss"]) == 50
        np.testing.assert_allclose(mine[kind]["loss"], theirs[kind]["loss"],
                                   rtol=RTOL, atol=ATOL, err_msg=kind)
        # Accuracy counts argmaxes: equal unless two logits tie within rounding.
        np.testing.assert_allclose(mine[kind]["test_acc"], theirs[kind]["test_acc"], atol=0.01)


def test_char_gpt():
    # Sampling is left out: it draws from each library's own random stream.
    mine, theirs = both("char_gpt", steps=30, sample_chars=0)
    np.testing.assert_allclose(mine, theirs, rtol=RTOL, atol=ATOL)


def test_lstm_sine():
    mine, theirs = both("lstm_sine", steps=30, plots=False)
    np.testing.assert_allclose(mine, theirs, rtol=RTOL, atol=ATOL)


def test_graph_picture():
    mine, theirs = both("graph_picture")
    np.testing.assert_allclose(mine["loss"], theirs["loss"], rtol=1e-6)
    for leaf in ("W", "x", "b"):
        np.testing.assert_allclose(mine["grads"][leaf], theirs["grads"][leaf], rtol=1e-5,
                                   atol=1e-7, err_msg=leaf)
    # Same nodes (grad_fn names, shapes) and edges; printed gradients may differ in
    # their last digit, so numbers are masked.
    numbers = re.compile(r"-?\d+\.\d*")
    assert numbers.sub("#", mine["dot"]) == numbers.sub("#", theirs["dot"])

