"""micrograd's demo, in PyTorch style: a small MLP separates the two moons.

As in Karpathy's micrograd: 100 points on two interleaved half circles, an MLP with
two hidden layers of 16, a max-margin (SVM) loss plus L2 regularisation, full-batch
SGD with a learning rate that decays linearly. With matplotlib installed the
decision boundary is saved to examples/out/moons.png.

Run:  python examples/micrograd_moons.py [--backend minitorch|torch] [--steps 100]
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import load_backend, numpy_init_, out_path, parser, pyplot  # noqa: E402


def make_moons(n=100, noise=0.1, seed=1):
    """Two interleaving half circles with Gaussian noise; labels -1 and +1."""
    rng = np.random.default_rng(seed)
    half = n // 2
    t_out = np.linspace(0, np.pi, half)
    t_in = np.linspace(0, np.pi, n - half)
    upper = np.stack([np.cos(t_out), np.sin(t_out)], 1)
    lower = np.stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)], 1)
    x = np.concatenate([upper, lower]) + rng.normal(scale=noise, size=(n, 2))
    y = np.concatenate([-np.ones(half), np.ones(n - half)])
    return x.astype(np.float32), y.astype(np.float32)


def main(backend="minitorch", steps=100, lr=1.0, alpha=1e-4, seed=0, plots=True):
    """Train for `steps` full-batch steps; returns the loss at each step."""
    torch = load_backend(backend)
    nn = torch.nn
    x_np, y_np = make_moons()
    x, y = torch.tensor(x_np), torch.tensor(y_np)

    model = numpy_init_(nn.Sequential(nn.Linear(2, 16), nn.ReLU(),
                                      nn.Linear(16, 16), nn.ReLU(),
                                      nn.Linear(16, 1)), seed)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    # micrograd's schedule: from lr down to 0.1 lr, linearly over the run.
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda k: 1.0 - 0.9 * k / steps)

    print(f"backend: {backend}")
    history = []
    for step in range(steps):
        scores = model(x).squeeze(1)
        # Max-margin loss: only points on the wrong side of the margin (y * score < 1) push.
        data_loss = torch.relu(1 - y * scores).mean()
        reg_loss = alpha * sum((p * p).sum() for p in model.parameters())
        loss = data_loss + reg_loss
        accuracy = ((scores > 0).float() * 2 - 1 == y).float().mean()

        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        history.append(loss.item())
        if step % 10 == 0 or step == steps - 1:
            print(f"step {step:>3}  loss {loss.item():.6f}  accuracy {accuracy.item():.0%}")

    if plots:
        plot_boundary(torch, model, x_np, y_np, backend)
    return history


def plot_boundary(torch, model, x, y, backend):
    path = out_path("moons.png")
    plt = pyplot()
    if plt is None:
        print(f"matplotlib is not installed: the decision boundary would go to {path}")
        return
    # Score every point of a grid, then colour the grid by the predicted side.
    xx, yy = np.meshgrid(np.linspace(-1.5, 2.5, 200), np.linspace(-1.0, 1.5, 200))
    grid = torch.tensor(np.stack([xx.ravel(), yy.ravel()], 1).astype(np.float32))
    with torch.no_grad():
        side = (model(grid).squeeze(1) > 0).numpy().reshape(xx.shape)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.contourf(xx, yy, side, cmap="coolwarm", alpha=0.3)
    ax.scatter(x[:, 0], x[:, 1], c=y, cmap="coolwarm", edgecolors="k", s=25)
    ax.set_title(f"two moons: MLP decision boundary ({backend})")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    print(f"saved {path}")


if __name__ == "__main__":
    p = parser(__doc__)
    p.add_argument("--steps", type=int, default=100)
    args = p.parse_args()
    main(args.backend, args.steps)
