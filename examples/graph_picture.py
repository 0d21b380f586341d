"""Draw the graph autograd records for a small expression, as Graphviz DOT.

    loss = sum((tanh(W @ x + b) - target) ** 2)

Every operation leaves a node in the graph (its name is the grad_fn's, such as
TanhBackward0); each node's next_functions point at the nodes that made its inputs,
ending at AccumulateGrad, which writes a leaf's .grad. The picture shows each node
with the shape of the tensor it made, and each leaf with its gradient after
loss.backward(). With Graphviz's `dot` installed the picture is rendered to
examples/out/graph.svg and graph.png; otherwise the DOT text is printed (paste it into
any Graphviz viewer).

Run:  python examples/graph_picture.py [--backend minitorch|torch]
"""
import os
import shutil
import subprocess
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _common import load_backend, out_path, parser  # noqa: E402


def fmt(t):
    return np.array2string(t.detach().numpy(), precision=4, suppress_small=True)


def to_dot(root, names):
    """DOT text for the graph that ends at root.grad_fn; names maps labels to tensors."""
    lines = ["digraph autograd {", '  node [shape=box, fontname="Helvetica", fontsize=11];']
    ids, stack = {}, [root.grad_fn]
    # Iterative walk (graphs from long loops are deep); ids also mark nodes as seen.
    while stack:
        fn = stack.pop()
        if fn in ids:
            continue
        ids[fn] = f"n{len(ids)}"
        stack.extend(child for child, _ in fn.next_functions if child is not None)

    for fn, node in ids.items():
        if hasattr(fn, "variable"):
            # AccumulateGrad: the leaf tensor it feeds, and the gradient it received.
            leaf = fn.variable
            name = next(k for k, t in names.items() if t is leaf)
            label = f"AccumulateGrad\\n{name} {list(leaf.shape)}\\ngrad = {fmt(leaf.grad)}"
            style = "style=filled, fillcolor=lightblue"
        else:
            made = [k for k, t in names.items() if t.grad_fn is fn]
            shape = list(names[made[0]].shape) if made else "?"
            label = f"{fn.name()}\\n{made[0] + ' ' if made else ''}{shape}"
            style = ""
        label = label.replace("\n", "\\n")
        lines.append(f'  {node} [label="{label}"{", " + style if style else ""}];')
    for fn, node in ids.items():
        # Edges follow the data: from the node that made an input to the node that used it.
        for child, _ in fn.next_functions:
            if child is not None:
                lines.append(f"  {ids[child]} -> {node};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(backend="minitorch"):
    """Build, differentiate and draw the expression; returns the loss, gradients and DOT text."""
    torch = load_backend(backend)
    W = torch.tensor([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]], requires_grad=True)
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = torch.tensor([0.1, -0.2], requires_grad=True)
    target = torch.tensor([0.5, -0.5])   # no requires_grad: it gets no node of its own

    # Each intermediate gets a name only so that the picture can label it.
    Wx = W @ x
    h = Wx + b
    y = torch.tanh(h)
    err = y - target
    sq = err ** 2
    loss = sq.sum()
    loss.backward()

    names = dict(W=W, x=x, b=b, Wx=Wx, h=h, y=y, err=err, sq=sq, loss=loss)
    dot = to_dot(loss, names)
    print(f"backend: {backend}   loss = {loss.item():.6f}")

    dot_file = out_path("graph.dot")
    with open(dot_file, "w") as f:
        f.write(dot)
    if shutil.which("dot"):
        for fmt_ in ("svg", "png"):
            subprocess.run(["dot", f"-T{fmt_}", dot_file, "-o", out_path(f"graph.{fmt_}")],
                           check=True)
        print(f"saved {out_path('graph.svg')} and {out_path('graph.png')}")
    else:
        print(f"Graphviz's `dot` is not installed; the graph in DOT (also in {dot_file}):\n")
        print(dot)
    return {"loss": loss.item(), "grads": {k: names[k].grad.tolist() for k in ("W", "x", "b")},
            "dot": dot}


if __name__ == "__main__":
    args = parser(__doc__).parse_args()
    main(args.backend)
