"""Fit sin(x) on [-pi, pi] with a cubic, four ways (PyTorch's "Learning PyTorch with Examples").

1. tensors:  the forward and the gradients written out by hand.
2. autograd: the same model; loss.backward() finds the gradients.
3. nn:       nn.Linear on the features (x, x^2, x^3), nn.MSELoss and optim.SGD with momentum.
4. function: a custom autograd.Function, the Legendre polynomial P3, with its own backward.

Run:  python examples/polynomial_sin.py [--backend minitorch|torch] [--steps 2000]
"""
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import load_backend, numpy_init_, parser  # noqa: E402


def initial_coefficients(torch, seed, requires_grad=False):
    # Drawn with NumPy so that both backends start from the same four numbers.
    values = np.random.default_rng(seed).standard_normal(4)
    return [torch.tensor(v, dtype=torch.float32, requires_grad=requires_grad) for v in values]


def show(name, loss, a, b, c, d, legendre=False):
    if legendre:
        print(f"{name}: loss {loss:.3f}  y = {a:.4f} + {b:.4f} * P3({c:.4f} + {d:.4f} x)")
    else:
        print(f"{name}: loss {loss:.3f}  y = {a:.4f} + {b:.4f} x + {c:.4f} x^2 + {d:.4f} x^3")


def with_tensors(torch, x, y, steps, seed, lr=1e-6):
    a, b, c, d = initial_coefficients(torch, seed)
    history = []
    for t in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        history.append(loss.item())

        # dloss/dy_pred, then the chain rule through each term of the polynomial.
        grad_y_pred = 2.0 * (y_pred - y)
        grad_a = grad_y_pred.sum()
        grad_b = (grad_y_pred * x).sum()
        grad_c = (grad_y_pred * x ** 2).sum()
        grad_d = (grad_y_pred * x ** 3).sum()

        a -= lr * grad_a
        b -= lr * grad_b
        c -= lr * grad_c
        d -= lr * grad_d
    show("tensors ", history[-1], a.item(), b.item(), c.item(), d.item())
    return history


def with_autograd(torch, x, y, steps, seed, lr=1e-6):
    a, b, c, d = initial_coefficients(torch, seed, requires_grad=True)
    history = []
    for t in range(steps):
        y_pred = a + b * x + c * x ** 2 + d * x ** 3
        loss = (y_pred - y).pow(2).sum()
        history.append(loss.item())
        loss.backward()

        # The update is not part of the model, so keep it out of the graph.
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= lr * p.grad
                p.grad = None
    show("autograd", history[-1], a.item(), b.item(), c.item(), d.item())
    return history


def with_nn(torch, x, y, steps, seed, lr=1e-6):
    # A cubic is linear in the features (x, x^2, x^3): one Linear layer fits it.
    powers = torch.tensor([1, 2, 3])
    features = x.unsqueeze(-1).pow(powers)
    model = numpy_init_(torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1)),
                        seed)
    loss_fn = torch.nn.MSELoss(reduction="sum")
    # Momentum carries the slow directions (the small x and x^3 trade-off) along.
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    history = []
    for t in range(steps):
        loss = loss_fn(model(features), y)
        history.append(loss.item())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    linear = model[0]
    b, c, d = linear.weight[0].tolist()
    show("nn      ", history[-1], linear.bias.item(), b, c, d)
    return history


def legendre_polynomial3(torch):
    class LegendrePolynomial3(torch.autograd.Function):
        """P3(x) = (5x^3 - 3x) / 2, with its derivative 3(5x^2 - 1) / 2 written by hand."""

        @staticmethod
        def forward(ctx, input):
            ctx.save_for_backward(input)
            return 0.5 * (5 * input ** 3 - 3 * input)

        @staticmethod
        def backward(ctx, grad_output):
            (input,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * input ** 2 - 1)

    return LegendrePolynomial3


def with_function(torch, x, y, steps, seed, lr=5e-6):
    P3 = legendre_polynomial3(torch).apply
    # The tutorial's start: far from the answer, but close enough to converge.
    a, b, c, d = (torch.tensor(v, requires_grad=True) for v in (0.0, -1.0, 0.0, 0.3))
    history = []
    for t in range(steps):
        y_pred = a + b * P3(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        history.append(loss.item())
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= lr * p.grad
                p.grad = None
    show("function", history[-1], a.item(), b.item(), c.item(), d.item(), legendre=True)
    return history


def main(backend="minitorch", steps=2000, seed=0):
    """Fit the cubic four ways; returns {way: loss at each step}."""
    torch = load_backend(backend)
    x = torch.linspace(-math.pi, math.pi, 2000)
    y = torch.sin(x)
    print(f"backend: {backend}   fitting sin(x) with {steps} steps each")
    return {"tensors": with_tensors(torch, x, y, steps, seed),
            "autograd": with_autograd(torch, x, y, steps, seed),
            "nn": with_nn(torch, x, y, steps, seed),
            "function": with_function(torch, x, y, steps, seed)}


if __name__ == "__main__":
    p = parser(__doc__)
    p.add_argument("--steps", type=int, default=2000)
    args = p.parse_args()
    main(args.backend, args.steps)
