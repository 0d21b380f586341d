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


# --------------------------------------------------------------- nn training steps
def _sgd_step(lib, model, loss_fn, x, y, momentum=0.9):
    optimizer = lib.optim.SGD(model.parameters(), lr=0.01, momentum=momentum)

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
    return step


def _copy_weights(lib, model, seed=0):
    """Same weights in both libraries, drawn in NumPy (random streams differ)."""
    rng = np.random.default_rng(seed)
    with lib.no_grad():
        for p in model.parameters():
            p.copy_(lib.tensor(rng.standard_normal(tuple(p.shape)) * 0.1, dtype=p.dtype))
    return model


@benchmark
def mnist_mlp(lib):
    """784-512-256-10 MLP, batch 128, SGD with momentum (target: at most 1.1x torch)."""
    nn = lib.nn
    model = _copy_weights(lib, nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 256),
                                             nn.ReLU(), nn.Linear(256, 10)))
    rng = np.random.default_rng(1)
    x = lib.tensor(rng.standard_normal((128, 784)), dtype=lib.float32)
    y = lib.tensor(rng.integers(0, 10, 128))
    return _sgd_step(lib, model, nn.CrossEntropyLoss(), x, y)


@benchmark
def lenet5(lib):
    """LeNet-5 on 1x28x28, batch 32 (target: at most 2x torch)."""
    nn = lib.nn
    model = _copy_weights(lib, nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10)))
    rng = np.random.default_rng(2)
    x = lib.tensor(rng.standard_normal((32, 1, 28, 28)), dtype=lib.float32)
    y = lib.tensor(rng.integers(0, 10, 32))
    return _sgd_step(lib, model, nn.CrossEntropyLoss(), x, y)


def _residual_block(lib):
    nn = lib.nn

    class Block(nn.Module):
        def __init__(self, c):
            super().__init__()
            self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
            self.bn1 = nn.BatchNorm2d(c)
            self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
            self.bn2 = nn.BatchNorm2d(c)

        def forward(self, x):
            h = lib.relu(self.bn1(self.conv1(x)))
            return lib.relu(x + self.bn2(self.conv2(h)))
    return Block(16)


@benchmark
def resblock(lib):
    """conv-BatchNorm residual block, batch 16, 16 channels, 32x32 (target: at most 1.5x torch)."""
    model = _copy_weights(lib, _residual_block(lib))
    rng = np.random.default_rng(3)
    x = lib.tensor(rng.standard_normal((16, 16, 32, 32)), dtype=lib.float32)
    y = lib.tensor(rng.standard_normal((16, 16, 32, 32)), dtype=lib.float32)
    return _sgd_step(lib, model, lib.nn.MSELoss(), x, y)


def _nanogpt(lib, vocab=65, width=64, context=32, layers=2, heads=4):
    nn = lib.nn
    F = nn.functional

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.ln1 = nn.LayerNorm(width)
            self.qkv = nn.Linear(width, 3 * width)
            self.proj = nn.Linear(width, width)
            self.ln2 = nn.LayerNorm(width)
            self.mlp = nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(),
                                     nn.Linear(4 * width, width))

        def forward(self, x):
            b, t, c = x.shape
            q, k, v = self.qkv(self.ln1(x)).split(width, dim=2)
            q, k, v = (z.view(b, t, heads, c // heads).transpose(1, 2) for z in (q, k, v))
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            x = x + self.proj(y.transpose(1, 2).reshape(b, t, c))
            return x + self.mlp(self.ln2(x))

    class GPT(nn.Module):
        def __init__(self):
            super().__init__()
            self.tok = nn.Embedding(vocab, width)
            self.pos = nn.Embedding(context, width)
            self.blocks = nn.Sequential(*[Block() for _ in range(layers)])
            self.ln = nn.LayerNorm(width)
            self.head = nn.Linear(width, vocab)

        def forward(self, idx):
            pos = lib.arange(idx.shape[1])
            x = self.blocks(self.tok(idx) + self.pos(pos))
            return self.head(self.ln(x))
    return GPT()


@benchmark
def nanogpt(lib):
    """2-layer nanoGPT-shaped decoder, width 64, context 32, batch 8, AdamW (target: 2x)."""
    model = _copy_weights(lib, _nanogpt(lib))
    optimizer = lib.optim.AdamW(model.parameters(), lr=1e-3)
    rng = np.random.default_rng(4)
    idx = lib.tensor(rng.integers(0, 65, (8, 32)))
    target = lib.tensor(rng.integers(0, 65, (8, 32)))
    loss_fn = lib.nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        logits = model(idx)
        loss = loss_fn(logits.view(-1, 65), target.view(-1))
        loss.backward()
        lib.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
    return step


@benchmark
def lstm(lib):
    """2-layer LSTM, hidden 64, sequence 20, batch 16 (target: at most 2x torch)."""
    nn = lib.nn
    model = _copy_weights(lib, nn.LSTM(32, 64, num_layers=2, batch_first=True))
    rng = np.random.default_rng(5)
    x = lib.tensor(rng.standard_normal((16, 20, 32)), dtype=lib.float32)
    y = lib.tensor(rng.standard_normal((16, 20, 64)), dtype=lib.float32)
    loss_fn = nn.MSELoss()
    optimizer = lib.optim.SGD(model.parameters(), lr=0.01)

    def step():
        optimizer.zero_grad()
        out, _ = model(x)
        loss_fn(out, y).backward()
        optimizer.step()
    return step


_MEMORY_PROBE = """
import json, sys
sys.path.insert(0, {bench_dir!r})
import importlib, run

def status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024

lib = importlib.import_module({lib!r})
# Warm each library up on the same benchmark first (lazy imports, kernels, scratch
# buffers), and keep that model alive so the measured one cannot reuse its memory:
# what is counted is a second model, its graph and its optimizer state.
warm = run.BENCHMARKS[{bench!r}](lib)
warm()
# Hand the memory the warm-up freed back to the system first: otherwise whether glibc
# still holds it (and so whether the steps below count it again) varies from run to
# run, and with it this figure, by more than the models' whole working set.
import ctypes
ctypes.CDLL("libc.so.6").malloc_trim(0)
before = status("VmRSS")
with open("/proc/self/clear_refs", "w") as f:   # reset the peak (VmHWM) to the current RSS
    f.write("5")
step = run.BENCHMARKS[{bench!r}](lib)
for _ in range({steps}):
    step()
print(json.dumps(status("VmHWM") - before))
"""


def _peak_memory_mb(lib_name, bench_name, steps=3):
    """Peak resident memory added by building and running a benchmark, in a fresh process."""
    import json
    import subprocess
    bench_dir = os.path.dirname(os.path.abspath(__file__))
    code = _MEMORY_PROBE.format(bench_dir=bench_dir, lib=lib_name, bench=bench_name, steps=steps)
    env = dict(os.environ, PYTHONPATH=os.path.join(bench_dir, ".."))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    if out.returncode != 0:
        return float("nan")
    return json.loads(out.stdout.strip().splitlines()[-1])


MEMORY_BENCHMARKS = ["mnist_mlp", "lenet5", "resblock", "nanogpt", "lstm"]


def main(pattern=""):
    print(f"{'benchmark':<20} {'torch us':>10} {'minitorch us':>13} {'ratio':>7}   "
          "(ratio = minitorch / torch step time; peak MB = memory added by model + steps)")
    for name, make in BENCHMARKS.items():
        if pattern not in name:
            continue
        t_torch = _time(make(torch))
        try:
            t_mini = _time(make(minitorch))
        except Exception as e:  # noqa: BLE001 - report and go on with the others
            print(f"{name:<20} {t_torch:>10.1f} {'failed':>13} {'':>7}  ({type(e).__name__}: {e})")
            continue
        line = f"{name:<20} {t_torch:>10.1f} {t_mini:>13.1f} {t_mini / t_torch:>7.2f}"
        if name in MEMORY_BENCHMARKS:
            m_torch, m_mini = _peak_memory_mb("torch", name), _peak_memory_mb("minitorch", name)
            line += f"   peak MB torch {m_torch:.1f}, minitorch {m_mini:.1f}"
            if m_torch > 0:
                line += f" ({m_mini / m_torch:.2f}x)"
        print(line)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
