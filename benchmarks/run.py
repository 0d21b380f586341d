"""Speed of minitorch relative to torch, measured in one run, single-threaded on both sides.

Prints one line per benchmark: microseconds per iteration for each library and the ratio
minitorch / torch (lower is better; 1.0 means as fast as torch). Nothing here asserts a
time: speed goals are read from these ratios, never from timed tests.

    python benchmarks/run.py            # all benchmarks
    python benchmarks/run.py op_chain   # those whose name contains 'op_chain'
"""
import os
import sys
import timeit

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import minitorch  # noqa: E402

torch.set_num_threads(1)

BENCHMARKS = {}


def benchmark(fn):
    BENCHMARKS[fn.__name__] = fn
    return fn


def _time(step, min_time=0.3):
    step()  # warm up
    n, elapsed = 1, 0.0
    while True:
        elapsed = timeit.timeit(step, number=n)
        if elapsed > min_time:
            break
        n *= 2
    best = min(timeit.repeat(step, number=n, repeat=3))
    return best / n * 1e6


@benchmark
def op_chain(lib):
    """Per-op autograd overhead: 8 small ops forward + backward on 16-element tensors."""
    x = lib.ones(16, requires_grad=True)
    y = lib.full((16,), 0.5)

    def step():
        z = ((x * y + x).exp() - y).tanh() * 2.0
        loss = (z * z).sum() + x.mean()
        loss.backward()
        x.grad = None
    return step


@benchmark
def op_forward_only(lib):
    """Per-op overhead without autograd: the same 8 ops under no_grad."""
    x = lib.ones(16)
    y = lib.full((16,), 0.5)

    def step():
        with lib.no_grad():
            z = ((x * y + x).exp() - y).tanh() * 2.0
            (z * z).sum() + x.mean()
    return step


@benchmark
def mlp_2_16_16_1(lib):
    """One training step of a 2-16-16-1 tanh MLP on 32 points (forward, MSE, backward, SGD)."""
    rng = np.random.default_rng(0)
    params = [lib.tensor(rng.standard_normal(s) * 0.5, dtype=lib.float32, requires_grad=True)
              for s in [(2, 16), (16,), (16, 16), (16,), (16, 1), (1,)]]
    x = lib.tensor(rng.standard_normal((32, 2)), dtype=lib.float32)
    t = lib.tensor(rng.standard_normal((32, 1)), dtype=lib.float32)

    def step():
        w1, b1, w2, b2, w3, b3 = params
        h = (x @ w1 + b1).tanh()
        h = (h @ w2 + b2).tanh()
        loss = ((h @ w3 + b3 - t) ** 2).mean()
        loss.backward()
        with lib.no_grad():
            for p in params:
                p -= 0.1 * p.grad
                p.grad = None
    return step


def main(pattern=""):
    print(f"{'benchmark':<20} {'torch us':>10} {'minitorch us':>13} {'ratio':>7}")
    for name, make in BENCHMARKS.items():
        if pattern not in name:
            continue
        t_torch = _time(make(torch))
        t_mini = _time(make(minitorch))
        print(f"{name:<20} {t_torch:>10.1f} {t_mini:>13.1f} {t_mini / t_torch:>7.2f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
