"""Checkpoints cross between torch and minitorch in both directions."""
import collections
import io
import pickle
import zipfile

import numpy as np
import pytest
import torch

import minitorch

DTYPES = ["float32", "float64", "float16", "int64", "int32", "int16", "int8", "uint8", "bool",
          "complex64", "complex128"]


def _save(lib, obj):
    buf = io.BytesIO()
    lib.save(obj, buf)
    buf.seek(0)
    return buf


def _same_tensor(mt, tt):
    """Values, dtype, shape, strides and requires_grad agree across the libraries."""
    assert str(mt.dtype) == str(tt.dtype)
    assert tuple(mt.shape) == tuple(tt.shape)
    assert mt.stride() == tt.stride()
    assert mt.requires_grad == tt.requires_grad
    np.testing.assert_array_equal(mt.detach().numpy(), tt.detach().numpy())


def _sample(lib, dtype):
    values = np.arange(-3, 9).reshape(3, 4)
    return lib.tensor(values.astype(np.dtype(dtype)), dtype=getattr(lib, dtype))


# ------------------------------------------------------- minitorch -> torch
@pytest.mark.parametrize("dtype", DTYPES)
def test_minitorch_tensor_loads_in_torch(dtype):
    t = _sample(minitorch, dtype)
    objs = [t, t.t(), t[1:, ::2], minitorch.tensor(True), t[:0]]
    loaded = torch.load(_save(minitorch, objs), weights_only=True)
    for m, tt in zip(objs, loaded):
        _same_tensor(m, tt)


def test_data_pkl_is_byte_identical_to_torchs():
    def build(lib):
        base = lib.arange(6.0).reshape(2, 3)
        return {"t": base, "view": base[:, 1], "p": lib.nn.Parameter(lib.ones(2)),
                "meta": [lib.float16, lib.Size([1, 2]), lib.tensor(True)],
                "sd": collections.OrderedDict(w=lib.zeros(2, dtype=lib.int64))}

    ours = zipfile.ZipFile(_save(minitorch, build(minitorch)))
    theirs = zipfile.ZipFile(_save(torch, build(torch)))
    assert ours.read("archive/data.pkl") == theirs.read("archive/data.pkl")
    names = [n for n in theirs.namelist() if n != "archive/.data/serialization_id"]
    for name in names:
        assert ours.read(name) == theirs.read(name), name


def test_views_share_storage_in_torch():
    base = minitorch.arange(12.0).reshape(3, 4)
    a, b, c = torch.load(_save(minitorch, [base, base[1], base[:, 2]]))
    assert a.untyped_storage().data_ptr() == b.untyped_storage().data_ptr() \
        == c.untyped_storage().data_ptr()
    assert b.storage_offset() == 4 and c.storage_offset() == 2
    a[1, 2] = -1.0
    assert b[2].item() == -1.0 and c[1].item() == -1.0


def test_parameter_and_requires_grad_in_torch():
    p = minitorch.nn.Parameter(minitorch.ones(2))
    x = minitorch.ones(2, requires_grad=True)
    tp, tx = torch.load(_save(minitorch, [p, x]))
    assert type(tp) is torch.nn.Parameter and tp.requires_grad
    assert type(tx) is torch.Tensor and tx.requires_grad


def _pair_models():
    mt = minitorch.nn.Sequential(minitorch.nn.Linear(3, 4), minitorch.nn.BatchNorm1d(4),
                                 minitorch.nn.Linear(4, 2))
    tt = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4),
                             torch.nn.Linear(4, 2))
    return mt, tt


def test_minitorch_state_dict_drives_a_torch_model():
    mt, tt = _pair_models()
    mt(minitorch.randn(5, 3))  # move the running stats
    sd = torch.load(_save(minitorch, mt.state_dict()), weights_only=True)
    assert sd._metadata == mt.state_dict()._metadata
    tt.load_state_dict(sd)
    mt.eval(), tt.eval()
    x = np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32)
    # float32 model: the two libraries may sum in different orders (relative error near
    # zero outputs is unbounded, hence the absolute floor)
    np.testing.assert_allclose(mt(minitorch.tensor(x)).detach().numpy(),
                               tt(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_optimizer_state_dict_both_ways():
    def run(lib, model, state=None):
        opt = lib.optim.Adam(model.parameters(), lr=0.01)
        if state is not None:
            opt.load_state_dict(state)
        model(lib.ones(2, 3)).sum().backward()
        opt.step()
        return opt

    mt, tt = _pair_models()
    tt.load_state_dict(torch.load(_save(minitorch, mt.state_dict())))
    mt.eval(), tt.eval()  # batch statistics of a constant batch would make gradients noise
    m_opt, t_opt = run(minitorch, mt), run(torch, tt)
    t_state = torch.load(_save(minitorch, m_opt.state_dict()), weights_only=True)
    m_state = minitorch.load(_save(torch, t_opt.state_dict()))
    assert t_state["param_groups"][0]["params"] == m_state["param_groups"][0]["params"]
    for i, per_param in t_state["state"].items():
        for key, value in per_param.items():
            np.testing.assert_allclose(np.asarray(value), m_state["state"][i][key].numpy(),
                                       rtol=1e-5, atol=1e-7)


# ------------------------------------------------------- torch -> minitorch
@pytest.mark.parametrize("dtype", DTYPES)
def test_torch_tensor_loads_in_minitorch(dtype):
    t = _sample(torch, dtype)
    objs = [t, t.t(), t[1:, ::2], torch.tensor(True), t[:0]]
    loaded = minitorch.load(_save(torch, objs))
    for tt, m in zip(objs, loaded):
        _same_tensor(m, tt)


def test_torch_views_share_memory_in_minitorch():
    base = torch.arange(6.0).reshape(2, 3)
    a, col = minitorch.load(_save(torch, [base, base[:, 1]]))
    a[0, 1] = 50.0
    assert col.tolist() == [50.0, 4.0]


def test_torch_state_dict_drives_a_minitorch_model(tmp_path):
    mt, tt = _pair_models()
    tt(torch.randn(5, 3))
    path = tmp_path / "model.pt"
    torch.save(tt.state_dict(), path)
    sd = minitorch.load(path)
    assert sd._metadata == tt.state_dict()._metadata
    mt.load_state_dict(sd)
    mt.eval(), tt.eval()
    x = np.random.default_rng(1).standard_normal((2, 3)).astype(np.float32)
    # float32 model: the two libraries may sum in different orders (relative error near
    # zero outputs is unbounded, hence the absolute floor)
    np.testing.assert_allclose(mt(minitorch.tensor(x)).detach().numpy(),
                               tt(torch.tensor(x)).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_torch_objects_map_to_minitorch_ones():
    obj = {"p": torch.nn.Parameter(torch.ones(2)), "size": torch.Size([2, 3]),
           "dtype": torch.complex64, "device": torch.device("cpu"), "set": {1, 2},
           "c": 1 + 2j, "b": b"xy", "counter": collections.Counter("aab")}
    out = minitorch.load(_save(torch, obj))
    assert type(out["p"]) is minitorch.nn.Parameter and out["p"].requires_grad
    assert isinstance(out["size"], minitorch.Size) and out["size"] == (2, 3)
    assert out["dtype"] is minitorch.complex64
    assert out["device"] == minitorch.device("cpu")
    assert (out["set"], out["c"], out["b"], out["counter"]) == ({1, 2}, 1 + 2j, b"xy",
                                                                collections.Counter("aab"))


def test_torch_tensor_with_attributes_and_conj():
    t = torch.ones(2)
    t.note = "hi"
    z = torch.tensor([1 + 2j, 3 - 1j]).conj()  # a lazily conjugated view
    m, mz = minitorch.load(_save(torch, [t, z]))
    assert m.note == "hi" and m.tolist() == [1.0, 1.0]
    assert mz.tolist() == z.resolve_conj().tolist()


class Thing:
    pass


def test_minitorch_refuses_what_torch_refuses():
    buf = _save(minitorch, {"x": Thing()})
    for lib in (torch, minitorch):
        buf.seek(0)
        with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
            lib.load(buf)


def test_map_location_cuda_errors_match():
    for ml in ("cuda", {"cpu": "cuda:0"}, "cpu:0"):
        errors = []
        for lib in (torch, minitorch):
            with pytest.raises(RuntimeError) as info:
                lib.load(_save(lib, lib.ones(1)), map_location=ml)
            errors.append(str(info.value))
        assert errors[0] == errors[1]


def test_bfloat16_from_torch_is_refused():
    with pytest.raises(NotImplementedError, match="bfloat16"):
        minitorch.load(_save(torch, torch.ones(2, dtype=torch.bfloat16)))


def test_minitorch_tensor_attributes_reach_torch():
    t = minitorch.ones(2)
    t.note = "hi"
    loaded = torch.load(_save(minitorch, t), weights_only=True)
    assert loaded.note == "hi" and loaded.tolist() == [1.0, 1.0]
