"""The examples run on minitorch and learn: each for a few steps, through its main()."""
import importlib.util
import math
import os
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")


@pytest.fixture(autouse=True)
def _scratch_out_dir(monkeypatch, tmp_path):
    # Plots and DOT files go to a scratch folder, not examples/out.
    if EXAMPLES not in sys.path:
        sys.path.insert(0, EXAMPLES)
    import _common
    monkeypatch.setattr(_common, "OUT_DIR", str(tmp_path))


def load(name):
    spec = importlib.util.spec_from_file_location(f"example_{name}",
                                                  os.path.join(EXAMPLES, f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_load_digits():
    from minitorch.utils.data.datasets import load_digits
    images, labels = load_digits()
    assert images.shape == (1797, 8, 8) and images.dtype == np.uint8
    assert labels.shape == (1797,) and labels.dtype == np.int64
    assert images.max() == 16 and images.min() == 0
    # Balanced classes, about 180 images of each digit.
    assert np.all(np.abs(np.bincount(labels, minlength=10) - 180) < 10)


def test_single_neuron_hand_gradient_matches_autograd():
    history = load("single_neuron").main(steps=5)
    for _, _, by_hand, autograd in history:
        assert math.isclose(by_hand, autograd, rel_tol=1e-5)
    assert history[-1][1] < history[0][1]


def test_micrograd_moons_learns():
    losses = load("micrograd_moons").main(steps=30, plots=False)
    assert losses[-1] < 0.4 * losses[0]


def test_polynomial_sin_four_ways():
    histories = load("polynomial_sin").main(steps=200)
    # The gradients written by hand and autograd's take identical steps.
    np.testing.assert_allclose(histories["tensors"], histories["autograd"], rtol=1e-5)
    for way, losses in histories.items():
        assert losses[-1] < 0.5 * losses[0], way


def test_digits_learns():
    histories = load("digits").main(epochs=1, steps=40, plots=False)
    mlp, cnn = histories["mlp"], histories["cnn"]
    assert len(mlp["loss"]) == 40 and len(cnn["loss"]) == 40
    assert mlp["test_acc"][0] > 0.8          # chance is 0.1
    assert cnn["test_acc"][0] > 0.5
    assert np.mean(cnn["loss"][-5:]) < 0.6 * np.mean(cnn["loss"][:5])


def test_char_gpt_learns_and_samples(capsys):
    losses = load("char_gpt").main(steps=40, sample_chars=20)
    assert losses[0] > 3.5 and losses[-1] < 3.0   # ln(57) = 4.04 is a uniform guess
    sample = capsys.readouterr().out.split("sample:\n")[1]
    assert len(sample.rstrip("\n")) >= 20


def test_lstm_sine_learns():
    losses = load("lstm_sine").main(steps=25, plots=False)
    assert losses[-1] < 0.2 * losses[0]


def test_graph_picture_gradients_and_nodes():
    result = load("graph_picture").main()
    # The same expression by hand: loss = sum((tanh(W x + b) - t)^2).
    W = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])
    x, b, t = np.array([1.0, 2.0, 3.0]), np.array([0.1, -0.2]), np.array([0.5, -0.5])
    y = np.tanh(W @ x + b)
    dh = 2 * (y - t) * (1 - y ** 2)
    assert math.isclose(result["loss"], np.sum((y - t) ** 2), rel_tol=1e-5)
    np.testing.assert_allclose(result["grads"]["W"], np.outer(dh, x), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(result["grads"]["x"], W.T @ dh, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(result["grads"]["b"], dh, rtol=1e-4, atol=1e-6)
    for node in ("SumBackward0", "PowBackward0", "SubBackward0", "TanhBackward0",
                 "AddBackward0", "MvBackward0", "AccumulateGrad"):
        assert node in result["dot"]
    assert result["dot"].count("->") == 8


@pytest.mark.parametrize("script, args", [
    ("single_neuron.py", ["--steps", "2"]),
    ("micrograd_moons.py", ["--steps", "2"]),
    ("polynomial_sin.py", ["--steps", "2"]),
    ("digits.py", ["--epochs", "1", "--steps", "2"]),
    ("char_gpt.py", ["--steps", "2"]),
    ("lstm_sine.py", ["--steps", "2"]),
    ("graph_picture.py", []),
])
def test_script_runs_from_the_command_line(script, args):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, os.path.join(EXAMPLES, script), *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "backend: minitorch" in done.stdout
