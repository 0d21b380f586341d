"""The seed example: one neuron, the chain rule by hand, and autograd agreeing with it.

    y = a(w * x)          a = sigmoid
    L = (y - t)^2
    dL/dw = 2 (y - t) * a'(w * x) * x,   a'(z) = a(z) (1 - a(z))

Run:  python examples/single_neuron.py [--backend minitorch|torch]
"""
import argparse
import importlib


def main(backend="minitorch", steps=10, lr=0.5):
    torch = importlib.import_module(backend)
    x = torch.tensor(1.5)
    t = torch.tensor(0.8)
    w = torch.tensor(0.3, requires_grad=True)

    print(f"backend: {backend}")
    print(f"{'step':>4} {'w':>9} {'loss':>10} {'dL/dw by hand':>14} {'dL/dw autograd':>15}")
    history = []
    for step in range(steps):
        z = w * x
        y = torch.sigmoid(z)
        loss = (y - t) ** 2

        # The chain rule, written out: dL/dy * dy/dz * dz/dw.
        with torch.no_grad():
            by_hand = 2 * (y - t) * y * (1 - y) * x

        loss.backward()
        print(f"{step:>4} {w.item():>9.5f} {loss.item():>10.6f} {by_hand.item():>14.8f} "
              f"{w.grad.item():>15.8f}")
        history.append((w.item(), loss.item(), by_hand.item(), w.grad.item()))

        # Gradient descent: w = w - lr * w.grad, outside the graph.
        with torch.no_grad():
            w -= lr * w.grad
        w.grad = None
    return history


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["minitorch", "torch"], default="minitorch")
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()
    main(args.backend, args.steps)
