"""minitorch.save / minitorch.load without torch: round trips and torch's file layout."""
import collections
import io
import pathlib
import pickle
import pickletools
import zipfile

import numpy as np
import pytest

import minitorch
from minitorch import nn


def _roundtrip(obj, **load_kwargs):
    buf = io.BytesIO()
    minitorch.save(obj, buf)
    buf.seek(0)
    return minitorch.load(buf, **load_kwargs)


def _globals_in(pkl_bytes):
    """The (module, name) pairs named by GLOBAL opcodes in a pickle."""
    return {tuple(arg.split(" ")) for op, arg, _ in pickletools.genops(pkl_bytes)
            if op.name == "GLOBAL"}


@pytest.mark.parametrize("dtype", [minitorch.float32, minitorch.float64, minitorch.float16,
                                   minitorch.int64, minitorch.int32, minitorch.int16,
                                   minitorch.int8, minitorch.uint8, minitorch.bool,
                                   minitorch.complex64, minitorch.complex128])
def test_every_dtype_round_trips(dtype):
    values = np.array([[0, 1, 2], [3, 4, 5]]).astype(dtype._np)
    t = minitorch.tensor(values, dtype=dtype)
    out = _roundtrip(t)
    assert out.dtype is dtype
    assert out.shape == (2, 3)
    np.testing.assert_array_equal(out.numpy(), values)


def test_zero_dim_empty_and_noncontiguous():
    base = minitorch.arange(12.0).reshape(3, 4)
    objs = {"scalar": minitorch.tensor(2.5), "empty": minitorch.zeros(0, 3),
            "t": base.t(), "strided": base[:, ::2]}
    out = _roundtrip(objs)
    assert out["scalar"].shape == () and out["scalar"].item() == 2.5
    assert out["empty"].shape == (0, 3)
    assert out["t"].stride() == (1, 4)
    assert out["t"].tolist() == base.t().tolist()
    assert out["strided"].tolist() == [[0.0, 2.0], [4.0, 6.0], [8.0, 10.0]]
    assert out["strided"].stride() == (4, 2)


def test_views_share_one_storage_after_load():
    base = minitorch.arange(6.0).reshape(2, 3)
    out = _roundtrip({"base": base, "col": base[:, 1], "again": base})
    assert out["again"] is out["base"]  # the same object pickles once
    out["base"][0, 1] = 100.0
    assert out["col"].tolist() == [100.0, 4.0]


def test_views_are_one_storage_record_in_the_file():
    base = minitorch.arange(6.0)
    buf = io.BytesIO()
    minitorch.save([base, base[2:], base[::2]], buf)
    names = zipfile.ZipFile(buf).namelist()
    assert [n for n in names if "/data/" in n] == ["archive/data/0"]


def test_requires_grad_and_parameter_type():
    p = nn.Parameter(minitorch.ones(2))
    frozen = nn.Parameter(minitorch.ones(2), requires_grad=False)
    x = minitorch.ones(3, requires_grad=True)
    out = _roundtrip([p, frozen, x, x * 2])
    assert type(out[0]) is nn.Parameter and out[0].requires_grad
    assert type(out[1]) is nn.Parameter and not out[1].requires_grad
    assert type(out[2]) is minitorch.Tensor and out[2].requires_grad and out[2].is_leaf
    # A non-leaf comes back as a leaf that requires grad (as torch does).
    assert out[3].is_leaf and out[3].requires_grad and out[3].tolist() == [2.0, 2.0, 2.0]


def test_plain_python_values_and_torch_objects():
    obj = {"n": [1, 2.5, "x", None, True, (1, 2)], "c": 3 + 4j, "b": b"abc", "s": {1, 2},
           "size": minitorch.Size([2, 3]), "dtype": minitorch.int64,
           "device": minitorch.device("cpu"), "counter": collections.Counter("aab")}
    out = _roundtrip(obj)
    assert out == obj
    assert isinstance(out["size"], minitorch.Size)
    assert out["dtype"] is minitorch.int64


def test_file_layout_matches_torch():
    buf = io.BytesIO()
    minitorch.save({"w": minitorch.tensor([1.0, 2.0])}, buf)
    zf = zipfile.ZipFile(buf)
    names = zf.namelist()
    assert names == ["archive/data.pkl", "archive/.format_version",
                     "archive/.storage_alignment", "archive/byteorder", "archive/data/0",
                     "archive/version", "archive/.data/serialization_id"]
    assert zf.read("archive/version") == b"3\n"
    assert zf.read("archive/.format_version") == b"1"
    assert zf.read("archive/byteorder") == b"little"
    assert len(zf.read("archive/.data/serialization_id")) == 40
    assert zf.read("archive/data/0") == np.array([1.0, 2.0], dtype="<f4").tobytes()
    for info in zf.infolist():
        assert info.compress_type == zipfile.ZIP_STORED
        # Record bytes start 64-byte aligned: local header is 30 bytes + name + extra.
        header = buf.getvalue()[info.header_offset:info.header_offset + 30]
        name_len = int.from_bytes(header[26:28], "little")
        extra_len = int.from_bytes(header[28:30], "little")
        assert (info.header_offset + 30 + name_len + extra_len) % 64 == 0
    pkl = zf.read("archive/data.pkl")
    assert pkl[:2] == b"\x80\x02"  # protocol 2, torch's default
    assert _globals_in(pkl) == {("torch._utils", "_rebuild_tensor_v2"),
                                ("torch", "FloatStorage"), ("collections", "OrderedDict")}


def test_pickle_names_torch_globals_for_each_kind():
    buf = io.BytesIO()
    minitorch.save([nn.Parameter(minitorch.ones(1)), minitorch.tensor([True]),
                    minitorch.float16, minitorch.Size([1]), minitorch.device("cpu")], buf)
    found = _globals_in(zipfile.ZipFile(buf).read("archive/data.pkl"))
    assert {("torch._utils", "_rebuild_parameter"), ("torch", "BoolStorage"),
            ("torch", "float16"), ("torch", "Size"), ("torch", "device")} <= found
    assert not any(module.startswith("minitorch") for module, _ in found)


def test_path_names_the_archive_folder(tmp_path):
    path = tmp_path / "my.model.pt"
    minitorch.save(minitorch.ones(2), path)
    assert zipfile.ZipFile(path).namelist()[0] == "my.model/data.pkl"
    assert minitorch.load(path).tolist() == [1.0, 1.0]
    assert minitorch.load(str(path)).tolist() == [1.0, 1.0]


def test_missing_parent_directory_raises(tmp_path):
    with pytest.raises(RuntimeError, match="Parent directory"):
        minitorch.save(minitorch.ones(1), tmp_path / "nope" / "x.pt")


def test_state_dict_round_trip_keeps_metadata_and_loads():
    model = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    sd = _roundtrip(model.state_dict())
    assert isinstance(sd, collections.OrderedDict)
    assert list(sd) == list(model.state_dict())
    assert sd._metadata == model.state_dict()._metadata
    fresh = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2))
    fresh.load_state_dict(sd)
    x = minitorch.randn(4, 3)
    fresh.eval(), model.eval()
    assert fresh(x).tolist() == model(x).tolist()


def test_optimizer_state_round_trip_continues_identically():
    def make():
        w = nn.Parameter(minitorch.tensor([1.0, -2.0]))
        return w, minitorch.optim.Adam([w], lr=0.1)

    w1, opt1 = make()
    for _ in range(2):
        opt1.zero_grad()
        (w1 * w1).sum().backward()
        opt1.step()
    w2, opt2 = make()
    w2.data = w1.detach().clone()
    opt2.load_state_dict(_roundtrip(opt1.state_dict()))
    for w, opt in ((w1, opt1), (w2, opt2)):
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    assert w1.tolist() == w2.tolist()


def test_whole_module_needs_weights_only_false():
    model = nn.Linear(2, 2)
    buf = io.BytesIO()
    minitorch.save(model, buf)
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        minitorch.load(buf)
    buf.seek(0)
    loaded = minitorch.load(buf, weights_only=False)
    assert type(loaded) is nn.Linear
    assert loaded.weight.tolist() == model.weight.tolist()
    assert isinstance(loaded.weight, nn.Parameter)


class _Custom:
    def __init__(self, value=0):
        self.value = value

    def __eq__(self, other):
        return isinstance(other, _Custom) and other.value == self.value


def test_safe_globals_allow_a_class():
    buf = io.BytesIO()
    minitorch.save({"c": _Custom(3)}, buf)
    ser = minitorch.serialization
    ser.clear_safe_globals()
    buf.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="add_safe_globals"):
        minitorch.load(buf)
    buf.seek(0)
    with ser.safe_globals([_Custom]):
        assert minitorch.load(buf) == {"c": _Custom(3)}
    assert ser.get_safe_globals() == []
    ser.add_safe_globals([_Custom])
    try:
        assert ser.get_safe_globals() == [_Custom]
        buf.seek(0)
        assert minitorch.load(buf) == {"c": _Custom(3)}
    finally:
        ser.clear_safe_globals()
    assert ser.get_safe_globals() == []


def test_weights_only_refuses_arbitrary_callables():
    # A pickle that would call os.system must never run under weights_only.
    evil = b"\x80\x02cos\nsystem\nX\x04\x00\x00\x00trueq\x00\x85R."
    buf = io.BytesIO()
    minitorch.save(0, buf)
    data = {n: zipfile.ZipFile(buf).read(n) for n in zipfile.ZipFile(buf).namelist()}
    data["archive/data.pkl"] = evil
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, payload in data.items():
            zf.writestr(name, payload)
    out.seek(0)
    with pytest.raises(pickle.UnpicklingError, match="GLOBAL os.system was not an allowed"):
        minitorch.load(out)


@pytest.mark.parametrize("map_location", ["cpu", minitorch.device("cpu"), {"cpu": "cpu"},
                                          lambda storage, loc: storage,
                                          lambda storage, loc: None])
def test_map_location_to_cpu(map_location):
    assert _roundtrip(minitorch.tensor([1.0, 2.0]),
                      map_location=map_location).tolist() == [1.0, 2.0]


def test_map_location_callable_sees_storage_and_location():
    seen = []

    def record(storage, location):
        seen.append((storage.nbytes(), location))
        return storage

    _roundtrip(minitorch.ones(3, dtype=minitorch.float64), map_location=record)
    assert seen == [(24, "cpu")]


@pytest.mark.parametrize("map_location", ["cuda", "cuda:0", minitorch.device("cuda"),
                                          {"cpu": "cuda:0"}])
def test_map_location_cuda_raises_as_on_cpu_only_torch(map_location):
    with pytest.raises(RuntimeError, match="torch.cuda.is_available\\(\\) is False"):
        _roundtrip(minitorch.ones(1), map_location=map_location)


def test_unknown_location_raises():
    with pytest.raises(RuntimeError, match="don't know how to restore"):
        _roundtrip(minitorch.ones(1), map_location="cpu:0")


def test_bfloat16_storage_is_refused_clearly():
    buf = io.BytesIO()
    minitorch.save(minitorch.ones(2, dtype=minitorch.float16), buf)
    zin = zipfile.ZipFile(buf)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name in zin.namelist():
            payload = zin.read(name)
            if name.endswith("data.pkl"):
                payload = payload.replace(b"torch\nHalfStorage\n", b"torch\nBFloat16Storage\n")
            zf.writestr(name, payload)
    out.seek(0)
    with pytest.raises(NotImplementedError, match="bfloat16"):
        minitorch.load(out)


def test_not_a_checkpoint_and_legacy_format():
    with pytest.raises(pickle.UnpicklingError):
        minitorch.load(io.BytesIO(b"hello world"))
    legacy = io.BytesIO(pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2) + b"rest")
    with pytest.raises(NotImplementedError, match="legacy"):
        minitorch.load(legacy)


def test_unsupported_arguments_are_named():
    with pytest.raises(NotImplementedError, match="_use_new_zipfile_serialization"):
        minitorch.save(1, io.BytesIO(), _use_new_zipfile_serialization=False)
    with pytest.raises(NotImplementedError, match="mmap"):
        _roundtrip(1, mmap=True)
    with pytest.raises(RuntimeError, match="explicit pickle_module"):
        _roundtrip(1, pickle_module=pickle, weights_only=True)


def test_pickle_load_args_warn_under_weights_only():
    with pytest.warns(UserWarning, match="pickle_load_args only works"):
        _roundtrip(1, encoding="latin1")


def test_loaded_tensor_is_independent_of_the_saved_one():
    t = minitorch.tensor([1.0, 2.0])
    out = _roundtrip(t)
    out[0] = 5.0
    assert t.tolist() == [1.0, 2.0]


def test_pathlib_and_file_objects(tmp_path):
    path = pathlib.Path(tmp_path) / "x.pt"
    with open(path, "wb") as f:
        minitorch.save({"a": minitorch.arange(3)}, f)
    with open(path, "rb") as f:
        assert minitorch.load(f)["a"].tolist() == [0, 1, 2]


def test_reloaded_views_still_share_when_saved_again():
    base = minitorch.arange(6.0)
    first = _roundtrip([base, base[2:]])
    buf = io.BytesIO()
    minitorch.save(first, buf)
    assert [n for n in zipfile.ZipFile(buf).namelist() if "/data/" in n] == ["archive/data/0"]
    buf.seek(0)
    whole, tail = minitorch.load(buf)
    whole[3] = 9.0
    assert tail.tolist() == [2.0, 9.0, 4.0, 5.0]


def test_tensor_attributes_round_trip():
    t = minitorch.ones(2)
    t.note = "hi"
    out = _roundtrip(t)
    assert out.note == "hi" and type(out) is minitorch.Tensor
