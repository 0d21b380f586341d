"""The demo: handwritten digits, learnt by an MLP and by a small CNN.

The UCI digits (1,797 grey 8x8 images, shipped inside minitorch) are split into a
training and a test set, wrapped as a Dataset and fed by a DataLoader to an
optimizer with a learning-rate schedule. Each epoch prints train and test accuracy;
both models pass 95% test accuracy. With matplotlib installed the loss/accuracy
curves and the misclassified test digits are saved as PNG files in examples/out/.

Run:  python examples/digits.py [--backend minitorch|torch] [--epochs 8]
"""
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import load_backend, numpy_init_, out_path, parser, pyplot  # noqa: E402

# The loader returns NumPy arrays, so the same file feeds minitorch and PyTorch.
from minitorch.utils.data.datasets import load_digits  # noqa: E402


def make_model(nn, kind):
    if kind == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
    # Two conv + pool stages shrink 8x8 to 2x2 while widening to 32 channels.
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),   # 16 x 4 x 4
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # 32 x 2 x 2
        nn.Flatten(), nn.Linear(32 * 2 * 2, 10))


class NumpyShuffle:
    """A fresh random order each epoch, drawn with NumPy.

    DataLoader(shuffle=True) would work as well; drawing the order with NumPy makes
    both backends see the same batches, so their losses can be compared.
    """

    def __init__(self, n, seed):
        self.n, self.rng = n, np.random.default_rng(seed)

    def __iter__(self):
        return iter(self.rng.permutation(self.n).tolist())

    def __len__(self):
        return self.n


def progress(done, total, loss, last, width=30):
    filled = width * done // total
    bar = "#" * filled + "." * (width - filled)
    # A terminal redraws one line; logs only get the finished bar.
    if sys.stdout.isatty() or last:
        print(f"\r  [{bar}] {done:>3}/{total} loss {loss:.4f}", end="\n" if last else "",
              flush=True)


def evaluate(torch, model, loader):
    """Accuracy on a loader, and the mistakes as (index in its dataset, prediction)."""
    model.eval()
    correct, wrong, seen = 0, [], 0
    with torch.no_grad():
        for x, y in loader:
            pred = model(x).argmax(dim=1)
            hit = pred == y
            correct += int(hit.sum())
            for i in np.flatnonzero(~hit.numpy()):
                wrong.append((seen + int(i), int(pred[i])))
            seen += len(y)
    model.train()
    return correct / seen, wrong


def train(torch, kind, loaders, epochs, steps, lr, seed):
    nn = torch.nn
    model = numpy_init_(make_model(nn, kind), seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    # Cosine decay to zero over the whole run: big steps first, fine ones at the end.
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    loss_fn = nn.CrossEntropyLoss()
    history = {"loss": [], "train_acc": [], "test_acc": []}

    step = 0
    for epoch in range(epochs):
        print(f"{kind} epoch {epoch + 1}/{epochs}  lr {scheduler.get_last_lr()[0]:.4f}")
        batches = len(loaders["train"])
        for i, (x, y) in enumerate(loaders["train"]):
            loss = loss_fn(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            history["loss"].append(loss.item())
            step += 1
            stop = steps is not None and step >= steps
            progress(i + 1, batches, loss.item(), last=stop or i + 1 == batches)
            if stop:
                break
        scheduler.step()
        train_acc, _ = evaluate(torch, model, loaders["train_eval"])
        test_acc, wrong = evaluate(torch, model, loaders["test"])
        history["train_acc"].append(train_acc)
        history["test_acc"].append(test_acc)
        print(f"  train accuracy {train_acc:6.2%}   test accuracy {test_acc:6.2%}")
        if steps is not None and step >= steps:
            break
    history["wrong"] = wrong
    return history


def plot(histories, test_images, test_labels, wrong, backend):
    plt = pyplot()
    curves, grid = out_path("digits_curves.png"), out_path("digits_misclassified.png")
    if plt is None:
        print(f"matplotlib is not installed: the plots would go to {curves} and {grid} "
              f"(pip install matplotlib)")
        return
    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(10, 4))
    for n, (kind, h) in enumerate(histories.items()):
        color = f"C{n}"
        ax_loss.plot(h["loss"], color=color, label=kind, alpha=0.8)
        epochs = range(1, len(h["test_acc"]) + 1)
        ax_acc.plot(epochs, h["train_acc"], "--", color=color, label=f"{kind} train")
        ax_acc.plot(epochs, h["test_acc"], "-o", color=color, label=f"{kind} test")
    ax_loss.set(title=f"training loss ({backend})", xlabel="step", yscale="log")
    ax_acc.set(title="accuracy", xlabel="epoch", xticks=list(epochs))
    ax_loss.legend(), ax_acc.legend()
    fig.tight_layout()
    fig.savefig(curves)
    plt.close(fig)

    cols = 8
    rows = max(1, -(-len(wrong) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(cols * 1.2, rows * 1.4), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, (i, p) in zip(axes.flat, wrong):
        ax.imshow(test_images[i], cmap="gray_r")
        ax.set_title(f"{test_labels[i]} as {p}", fontsize=9)
    fig.suptitle(f"misclassified test digits: true as predicted ({len(wrong)})")
    fig.tight_layout()
    fig.savefig(grid)
    plt.close(fig)
    print(f"saved {curves} and {grid}")


def main(backend="minitorch", epochs=8, steps=None, models=("mlp", "cnn"), lr=0.01,
         batch_size=32, seed=0, plots=True):
    """Train each model; returns {kind: {"loss": [...], "train_acc": [...], "test_acc": [...]}}.

    steps, when given, caps the optimizer steps per model (for quick tests).
    """
    torch = load_backend(backend)
    start = time.perf_counter()
    images, labels = load_digits()
    # Pixels count 0..16 inked cells; scale to [0, 1] and add the channel axis.
    x = torch.tensor(images / 16.0, dtype=torch.float32).unsqueeze(1)
    y = torch.tensor(labels)

    order = np.random.default_rng(seed).permutation(len(labels))
    n_test = len(labels) // 5
    test_idx, train_idx = order[:n_test], order[n_test:]
    data = torch.utils.data
    train_set = data.TensorDataset(x[train_idx], y[train_idx])
    test_set = data.TensorDataset(x[test_idx], y[test_idx])
    print(f"backend: {backend}   digits: {len(train_set)} train, {len(test_set)} test")

    loaders = {
        "train": data.DataLoader(train_set, batch_size=batch_size,
                                 sampler=NumpyShuffle(len(train_set), seed)),
        # Evaluation needs no shuffling, and bigger batches go faster.
        "train_eval": data.DataLoader(train_set, batch_size=256),
        "test": data.DataLoader(test_set, batch_size=256),
    }

    histories = {}
    for kind in models:
        histories[kind] = train(torch, kind, loaders, epochs, steps, lr, seed)
    print(f"done in {time.perf_counter() - start:.1f}s: "
          + ", ".join(f"{k} test accuracy {h['test_acc'][-1]:.2%}" for k, h in histories.items()))

    if plots:
        # The mistakes of the last model trained, with what it predicted.
        plot(histories, images[test_idx], labels[test_idx], histories[models[-1]]["wrong"],
             backend)
    return histories


if __name__ == "__main__":
    p = parser(__doc__)
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--steps", type=int, default=None, help="stop each model after this many steps")
    args = p.parse_args()
    main(args.backend, epochs=args.epochs, steps=args.steps)
