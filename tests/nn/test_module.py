"""nn.Module registration, iteration, state dicts and containers (no torch needed)."""
import pytest

import minitorch as torch
from minitorch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.ones(2, 3))
        self.register_buffer("running", torch.zeros(3))
        self.register_buffer("scratch", torch.zeros(1), persistent=False)
        self.body = nn.Sequential(Leaf(), Leaf())


class Leaf(nn.Module):
    def __init__(self):
        super().__init__()
        self.p = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return x + self.p


def test_registration_by_type():
    net = Net()
    assert set(net._parameters) == {"w"}
    assert set(net._buffers) == {"running", "scratch"}
    assert set(net._modules) == {"body"}
    assert "w" not in net.__dict__


def test_named_members_and_state_dict_keys():
    net = Net()
    assert [n for n, _ in net.named_parameters()] == ["w", "body.0.p", "body.1.p"]
    assert [n for n, _ in net.named_buffers()] == ["running", "scratch"]
    assert list(net.state_dict()) == ["w", "running", "body.0.p", "body.1.p"]
    assert [n for n, _ in net.named_modules()] == ["", "body", "body.0", "body.1"]


def test_shared_parameters_listed_once():
    leaf = Leaf()
    seq = nn.Sequential(leaf, leaf)
    assert len(list(seq.parameters())) == 1
    assert len(list(seq.named_parameters(remove_duplicate=False))) == 2


def test_assigning_wrong_types_raises():
    net = Net()
    with pytest.raises(TypeError):
        net.w = torch.ones(2, 3)
    with pytest.raises(TypeError):
        net.body = 3
    with pytest.raises(KeyError):
        net.register_buffer("w", torch.zeros(1))
    with pytest.raises(AttributeError):
        net.missing


def test_load_state_dict_errors_and_return_value():
    net = Net()
    state = net.state_dict()
    state["extra"] = torch.zeros(1)
    del state["running"]
    with pytest.raises(RuntimeError, match='Missing key\\(s\\) in state_dict: "running"'):
        net.load_state_dict(state)
    result = net.load_state_dict(state, strict=False)
    assert result.missing_keys == ["running"] and result.unexpected_keys == ["extra"]


def test_load_state_dict_copies_in_place():
    net = Net()
    w = net.w
    state = net.state_dict()
    state["w"] = torch.full((2, 3), 5.0)
    net.load_state_dict(state)
    assert net.w is w
    assert net.w.tolist() == [[5.0] * 3] * 2


def test_train_eval_and_zero_grad():
    net = Net()
    net.eval()
    assert not net.training and not net.body[0].training
    (net.body(torch.ones(1)) * 2).sum().backward()
    assert net.body[0].p.grad is not None
    net.zero_grad()
    assert net.body[0].p.grad is None


def test_sequential_indexing_slicing_append():
    seq = nn.Sequential(Leaf(), Leaf(), Leaf())
    assert isinstance(seq[1:], nn.Sequential) and len(seq[1:]) == 2
    assert seq[-1] is seq[2]
    with pytest.raises(IndexError):
        seq[3]
    seq.append(Leaf())
    assert len(seq) == 4
    del seq[0]
    assert list(seq._modules) == ["0", "1", "2"]


def test_forward_hooks_and_removal():
    leaf = Leaf()
    calls = []
    h1 = leaf.register_forward_pre_hook(lambda m, args: calls.append("pre"))
    h2 = leaf.register_forward_hook(lambda m, args, out: out * 10)
    assert leaf(torch.ones(1)).item() == 10.0
    h1.remove()
    h2.remove()
    assert leaf(torch.ones(1)).item() == 1.0
    assert calls == ["pre"]


def test_to_dtype_keeps_parameter_identity():
    net = Net()
    w = net.w
    net.double()
    assert net.w is w and w.dtype is torch.float64
    assert net.running.dtype is torch.float64


def test_module_list_and_dicts():
    ml = nn.ModuleList([Leaf(), Leaf()])
    assert len(list(ml.parameters())) == 2
    md = nn.ModuleDict({"a": Leaf()})
    assert "a" in md and len(md) == 1
    pl = nn.ParameterList([torch.zeros(2)])
    assert isinstance(pl[0], nn.Parameter)
    pd = nn.ParameterDict({"x": torch.zeros(2)})
    assert isinstance(pd["x"], nn.Parameter)
    assert [n for n, _ in pd.named_parameters()] == ["x"]


def test_insert_and_delete_keep_keys_contiguous():
    a, b, c = Leaf(), Leaf(), Leaf()
    ml = nn.ModuleList([a, c])
    ml.insert(1, b)
    assert list(ml._modules) == ["0", "1", "2"] and ml[1] is b
    del ml[0]
    assert list(ml._modules) == ["0", "1"] and ml[0] is b
    seq = nn.Sequential(a, c)
    seq.insert(0, b)
    assert list(seq._modules) == ["0", "1", "2"] and seq[0] is b
    with pytest.raises(TypeError):
        ml.insert(0, 3)
