"""An LSTM learns a noisy sine wave, then continues it on its own.

Training pairs are windows of the noisy signal: from 30 past values, predict the
next one. After training the model forecasts freely, feeding each prediction back as
its next input; it cannot have learnt the noise, so it draws a clean sine. With
matplotlib installed the forecast is saved to examples/out/lstm_sine.png.

Run:  python examples/lstm_sine.py [--backend minitorch|torch] [--steps 150]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import load_backend, numpy_init_, out_path, parser, pyplot  # noqa: E402

WINDOW = 30


def noisy_sine(n=600, period=40, noise=0.1, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return (np.sin(2 * np.pi * t / period) + noise * rng.standard_normal(n)).astype(np.float32)


def windows(signal):
    """All (WINDOW past values, next value) pairs, shaped (batch, time, feature=1)."""
    idx = np.arange(WINDOW)[None, :] + np.arange(len(signal) - WINDOW)[:, None]
    return signal[idx][..., None], signal[idx[:, -1] + 1][:, None]


def build(nn, hidden):
    class SineLSTM(nn.Module):
        def __init__(self):
            super().__init__()
            self.lstm = nn.LSTM(input_size=1, hidden_size=hidden, batch_first=True)
            self.head = nn.Linear(hidden, 1)

        def forward(self, x, state=None):
            out, state = self.lstm(x, state)
            # Only the last time step's output predicts the next value.
            return self.head(out[:, -1]), state

    return SineLSTM()


def main(backend="minitorch", steps=150, hidden=32, batch_size=64, lr=0.01, seed=0,
         plots=True):
    """Train for `steps` minibatches; returns the training loss at each step."""
    torch = load_backend(backend)
    nn = torch.nn
    signal = noisy_sine(seed=seed)
    split = 500
    x_np, y_np = windows(signal[:split])
    x, y = torch.tensor(x_np), torch.tensor(y_np)

    model = numpy_init_(build(nn, hidden), seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    rng = np.random.default_rng(seed)  # NumPy picks the batches: the same for both backends

    print(f"backend: {backend}   {len(x)} training windows of {WINDOW} steps")
    history = []
    for step in range(steps):
        batch = torch.tensor(rng.choice(len(x), batch_size, replace=False))
        prediction, _ = model(x[batch])
        loss = loss_fn(prediction, y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        history.append(loss.item())
        if step % 25 == 0 or step == steps - 1:
            print(f"step {step:>3}  mse {loss.item():.5f}")

    # Forecast the held-out stretch: warm up on the last real window, then feed back.
    model.eval()
    horizon = len(signal) - split
    with torch.no_grad():
        prediction, state = model(torch.tensor(signal[split - WINDOW:split]).view(1, WINDOW, 1))
        forecast = [prediction.item()]
        for _ in range(horizon - 1):
            prediction, state = model(prediction.view(1, 1, 1), state)
            forecast.append(prediction.item())
    clean = np.sin(2 * np.pi * np.arange(split, len(signal)) / 40)
    error = np.abs(np.array(forecast) - clean)
    print(f"free-running forecast, {horizon} steps: mean |error| vs the clean sine "
          f"{error.mean():.3f} (noise level 0.1)")

    if plots:
        plot(signal, split, forecast, backend)
    return history


def plot(signal, split, forecast, backend):
    path = out_path("lstm_sine.png")
    plt = pyplot()
    if plt is None:
        print(f"matplotlib is not installed: the forecast plot would go to {path}")
        return
    fig, ax = plt.subplots(figsize=(9, 3.5))
    ax.plot(np.arange(len(signal)), signal, lw=1, color="0.6", label="noisy signal")
    ax.plot(np.arange(split, split + len(forecast)), forecast, color="C3",
            label="LSTM forecast (fed its own output)")
    ax.axvline(split, color="k", ls=":")
    ax.set(title=f"LSTM on a noisy sine ({backend})", xlabel="t")
    ax.legend(loc="lower left")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    print(f"saved {path}")


if __name__ == "__main__":
    p = parser(__doc__)
    p.add_argument("--steps", type=int, default=150)
    args = p.parse_args()
    main(args.backend, args.steps)
