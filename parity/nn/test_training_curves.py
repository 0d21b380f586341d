"""Short training runs from identical weights give torch's loss curve (float32 tolerance)."""
import numpy as np
import pytest
import torch

import minitorch


def _mlp(lib):
    nn = lib.nn
    return nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 32), nn.Tanh(),
                         nn.Linear(32, 3))


def _cnn_with_batchnorm(lib):
    nn = lib.nn
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Conv2d(4, 8, 3), nn.BatchNorm2d(8), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3))


CASES = {
    "mlp": (_mlp, (16, 10), lambda lib, p: lib.optim.SGD(p, lr=0.1, momentum=0.9)),
    "cnn_batchnorm": (_cnn_with_batchnorm, (8, 1, 10, 10),
                      # SGD rather than Adam: Adam rescales gradients that are zero up to
                      # rounding (BatchNorm makes some exactly invariant directions) into
                      # full-size steps, so rounding noise would decide the trajectory.
                      lambda lib, p: lib.optim.SGD(p, lr=0.05, momentum=0.9)),
}


def _loss_curve(lib, name, state, data, target, steps=20):
    make_model, _, make_optimizer = CASES[name]
    model = make_model(lib)
    model.load_state_dict({k: lib.tensor(v) for k, v in state.items()})
    optimizer = make_optimizer(lib, model.parameters())
    loss_fn = lib.nn.CrossEntropyLoss()
    x, y = lib.tensor(data), lib.tensor(target)
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    model.eval()
    with lib.no_grad():
        eval_out = model(x).numpy()
    return np.array(losses), eval_out


@pytest.mark.parametrize("name", list(CASES))
def test_twenty_steps_match_torch(name):
    make_model, shape, _ = CASES[name]
    torch.manual_seed(0)
    state = {k: v.detach().numpy().copy() for k, v in make_model(torch).state_dict().items()}
    rng = np.random.default_rng(0)
    data = rng.standard_normal(shape).astype(np.float32)
    target = rng.integers(0, 3, shape[0])
    theirs, their_eval = _loss_curve(torch, name, state, data, target)
    ours, our_eval = _loss_curve(minitorch, name, state, data, target)
    assert theirs[-1] < theirs[0]  # the run really trains
    np.testing.assert_allclose(ours, theirs, rtol=2e-4, atol=1e-5)
    np.testing.assert_allclose(our_eval, their_eval, rtol=1e-3, atol=1e-4)
