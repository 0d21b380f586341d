"""minitorch.save / minitorch.load in torch's own checkpoint format.

A checkpoint is the zip archive torch has written since 1.6::

    <archive>/data.pkl             the object, pickled (protocol 2 by default)
    <archive>/.format_version      "1"
    <archive>/.storage_alignment   "64"  (every record's bytes start on a 64-byte boundary)
    <archive>/byteorder            "little"
    <archive>/data/<key>           one storage's raw bytes
    <archive>/version              "3"
    <archive>/.data/serialization_id

In data.pkl a tensor is ``torch._utils._rebuild_tensor_v2(storage, offset, size,
stride, requires_grad, OrderedDict())`` whose storage is the persistent id
``('storage', torch.FloatStorage, key, 'cpu', numel)``. Tensors that share memory
(views) share one storage, as in torch. Files written here load in torch and the
other way round; torch itself is never imported: the pickler writes torch's global
names from marker objects and the unpickler maps them back to minitorch.
"""
import _compat_pickle
import collections
import ctypes
import io
import os
import pickle
import re
import sys
import warnings
import zipfile
import zlib

import numpy as np

from . import _dtype
from ._device import _NO_CUDA, Size, check_device, device
from ._tensor import Tensor

__all__ = ["save", "load", "add_safe_globals", "get_safe_globals", "clear_safe_globals",
           "safe_globals", "default_restore_location", "DEFAULT_PROTOCOL"]

DEFAULT_PROTOCOL = 2
_STORAGE_ALIGNMENT = 64
_ZIP_MAGIC = b"PK\x03\x04"
# Legacy (pre-1.6) checkpoints start with this magic number, pickled with protocol 2.
_LEGACY_HEAD = pickle.dumps(0x1950A86A20F9469CFC6C, protocol=2)[:-1]

UNSAFE_MESSAGE = (
    "In PyTorch 2.6, we changed the default value of the `weights_only` argument in "
    "`torch.load` from `False` to `True`. Re-running `torch.load` with `weights_only` set to "
    "`False` will likely succeed, but it can result in arbitrary code execution. Do it only if "
    "you got the file from a trusted source.")

# torch's legacy storage class for each dtype (the name in the pickle).
_STORAGE_NAMES = {
    _dtype.float32: "FloatStorage", _dtype.float64: "DoubleStorage",
    _dtype.float16: "HalfStorage", _dtype.int64: "LongStorage", _dtype.int32: "IntStorage",
    _dtype.int16: "ShortStorage", _dtype.int8: "CharStorage", _dtype.uint8: "ByteStorage",
    _dtype.bool: "BoolStorage", _dtype.complex64: "ComplexFloatStorage",
    _dtype.complex128: "ComplexDoubleStorage",
}
# Storages torch has and minitorch cannot hold (no such dtype here).
_FOREIGN_STORAGES = {"BFloat16Storage": "bfloat16", "ComplexHalfStorage": "complex32",
                     "QInt8Storage": "qint8", "QUInt8Storage": "quint8",
                     "QInt32Storage": "qint32", "QUInt4x2Storage": "quint4x2",
                     "QUInt2x4Storage": "quint2x4"}

# Tensor attributes that are minitorch's autograd bookkeeping, not user state.
_INTERNAL_ATTRS = frozenset({"_grad", "_hooks", "_retains_grad", "_accumulator_ref",
                             "_view_chain", "_view_history", "_history_version",
                             "_post_accumulate_hooks"})


# =============================================================== writing
class _Global:
    """Marker for a global the pickle names (``torch FloatStorage``) without importing it."""

    _cache = {}

    def __new__(cls, module, name):
        # One marker per name, so the pickler's memo writes the GLOBAL only once.
        key = (module, name)
        if key not in cls._cache:
            marker = super().__new__(cls)
            marker.module, marker.name = module, name
            cls._cache[key] = marker
        return cls._cache[key]

    def __call__(self, *args):
        # Only so that pickle accepts it as a reduce function; it is never called.
        raise TypeError(f"{self.module}.{self.name} is a pickle marker, not a function")


class _StorageRef:
    """Marker that the pickler turns into a storage persistent id."""

    __slots__ = ("key", "dtype", "numel")

    def __init__(self, key, dtype, numel):
        self.key, self.dtype, self.numel = key, dtype, numel


class _PlainTensor:
    """A tensor to be pickled as a plain tensor (the ``data`` inside a Parameter)."""

    __slots__ = ("tensor",)

    def __init__(self, tensor):
        self.tensor = tensor


class _Storages:
    """Collects the storages of the tensors being saved; views of one array share one."""

    def __init__(self):
        self.records = {}   # key -> (owner ndarray, start address, nbytes, dtype)
        self.by_owner = {}  # id(owner) -> (key, dtype)

    def locate(self, arr):
        """(storage ref, offset, stride) for an array, in elements as torch counts them."""
        itemsize = arr.itemsize
        owner = _memory_owner(arr)
        low, high = np.lib.array_utils.byte_bounds(owner)
        start = arr.__array_interface__["data"][0]
        strides = tuple(s // itemsize for s in arr.strides)
        expressible = (arr.size > 0 and (start - low) % itemsize == 0
                       and (high - low) % itemsize == 0
                       and all(s >= 0 and s % itemsize == 0 for s in arr.strides))
        if not expressible:
            # Negative strides or odd alignment have no torch storage form: save a copy.
            arr = owner = np.ascontiguousarray(arr)
            low, high = np.lib.array_utils.byte_bounds(arr)
            start, strides = low, _contiguous_strides(arr.shape)
        dtype = _dtype._BY_NUMPY[arr.dtype]
        if id(owner) in self.by_owner:
            key, first_dtype = self.by_owner[id(owner)]
            if first_dtype is not dtype:
                raise RuntimeError("Cannot save multiple tensors or storages that view the same "
                                   "data as different types")
        else:
            key = str(len(self.records))
            self.by_owner[id(owner)] = (key, dtype)
            self.records[key] = (owner, low, high - low, dtype)
        ref = _StorageRef(key, dtype, (high - low) // itemsize)
        return ref, (start - low) // itemsize, strides

    def bytes_of(self, key):
        """The storage's raw bytes, copied out of the owning array's memory."""
        owner, low, nbytes, dtype = self.records[key]
        if nbytes == 0:
            return b""
        # The owner keeps [low, low + nbytes) alive; it need not be contiguous in shape.
        data = bytes((ctypes.c_char * nbytes).from_address(low))
        if sys.byteorder != "little" and dtype.itemsize > 1:
            data = np.frombuffer(data, dtype._np).byteswap().tobytes()
        return data


def _memory_owner(arr):
    """The outermost ndarray whose memory ``arr`` views (views of it share a storage)."""
    owner = arr
    while True:
        base = owner.base
        # as_strided (used by load) hides its source behind a wrapper with a .base.
        if not isinstance(base, np.ndarray) and isinstance(getattr(base, "base", None),
                                                           np.ndarray):
            base = base.base
        if not isinstance(base, np.ndarray):
            return owner
        owner = base


def _contiguous_strides(shape):
    strides, step = [], 1
    for n in reversed(shape):
        strides.append(step)
        step *= max(n, 1)
    return tuple(reversed(strides))


class _TorchPickler(pickle._Pickler):
    """A pickler writing minitorch objects under torch's names (pure-Python, for its hooks)."""

    dispatch = pickle._Pickler.dispatch.copy()

    def __init__(self, file, protocol, storages):
        super().__init__(file, protocol)
        self.storages = storages

    def persistent_id(self, obj):
        if isinstance(obj, _StorageRef):
            storage_type = _Global("torch", _STORAGE_NAMES[obj.dtype])
            return ("storage", storage_type, obj.key, "cpu", obj.numel)
        return None

    def save_marker_global(self, obj):
        """Write GLOBAL module.name for a marker, as save_global does for real objects."""
        if self.proto >= 4:
            self.save(obj.module)
            self.save(obj.name)
            self.write(pickle.STACK_GLOBAL)
        else:
            self.write(pickle.GLOBAL + f"{obj.module}\n{obj.name}\n".encode("utf-8"))
        self.memoize(obj)

    dispatch[_Global] = save_marker_global

    def save_dtype(self, obj):
        # torch.float32 pickles as the bare global "torch float32".
        self.save(_Global("torch", obj._name))

    dispatch[_dtype.dtype] = save_dtype

    def reducer_override(self, obj):
        from .nn.parameter import is_lazy
        if is_lazy(obj):
            # a lazy module's placeholder pickles as its class (its __reduce_ex__), as in torch
            return NotImplemented
        if isinstance(obj, Tensor):
            return self._reduce_tensor(obj)
        if isinstance(obj, _PlainTensor):
            # A Parameter's ``.data``: detached, so it never requires grad itself.
            return self._reduce_plain(obj.tensor, requires_grad=False)
        if isinstance(obj, device):
            args = (obj.type,) if obj.index is None else (obj.type, obj.index)
            return (_Global("torch", "device"), args)
        if isinstance(obj, Size):
            return (_Global("torch", "Size"), (tuple(obj),))
        from . import strided
        if obj is strided:
            return (_Global("torch.serialization", "_get_layout"), ("torch.strided",))
        return NotImplemented

    def _reduce_plain(self, t, requires_grad=None):
        ref, offset, stride = self.storages.locate(t._data)
        if requires_grad is None:
            requires_grad = t._requires_grad
        return (_Global("torch._utils", "_rebuild_tensor_v2"),
                (ref, offset, tuple(t._data.shape), stride, requires_grad,
                 collections.OrderedDict()))

    def _reduce_tensor(self, t):
        from .nn.parameter import Parameter
        state = {k: v for k, v in getattr(t, "__dict__", {}).items() if k not in _INTERNAL_ATTRS}
        if isinstance(t, Parameter):
            if state:
                return (_Global("torch._utils", "_rebuild_parameter_with_state"),
                        (_PlainTensor(t), t._requires_grad, collections.OrderedDict(), state))
            return (_Global("torch._utils", "_rebuild_parameter"),
                    (_PlainTensor(t), t._requires_grad, collections.OrderedDict()))
        if type(t) is Tensor and not state:
            return self._reduce_plain(t)
        # A subclass or a tensor with attributes: torch's _rebuild_from_type_v2 wrapper.
        func, args = self._reduce_plain(t)
        new_type = _Global("torch", "Tensor") if type(t) is Tensor else type(t)
        return (_Global("torch._tensor", "_rebuild_from_type_v2"), (func, new_type, args, state))


def save(obj, f, pickle_module=pickle, pickle_protocol=DEFAULT_PROTOCOL,
         _use_new_zipfile_serialization=True, _disable_byteorder_record=False):
    """Save ``obj`` to a path or binary file in torch's zip checkpoint format."""
    if pickle_module is not pickle:
        raise NotImplementedError("minitorch.save supports only the standard pickle module "
                                  "(pickle_module)")
    if not _use_new_zipfile_serialization:
        raise NotImplementedError("minitorch.save writes only the zip format "
                                  "(_use_new_zipfile_serialization=False is not supported)")
    storages = _Storages()
    buffer = io.BytesIO()
    _TorchPickler(buffer, pickle_protocol, storages).dump(obj)
    records = [("data.pkl", buffer.getvalue()), (".format_version", b"1"),
               (".storage_alignment", str(_STORAGE_ALIGNMENT).encode())]
    if not _disable_byteorder_record:
        records.append(("byteorder", sys.byteorder.encode()))
    records += [(f"data/{key}", storages.bytes_of(key)) for key in storages.records]
    records.append(("version", b"3\n"))
    if _is_path(f):
        path = os.fspath(f)
        parent = os.path.dirname(path)
        if parent and not os.path.isdir(parent):
            raise RuntimeError(f"Parent directory {parent} does not exist.")
        # torch names the archive folder after the file (model.pt -> model/).
        archive = os.path.splitext(os.path.basename(path))[0]
        with open(path, "wb") as stream:
            _write_zip(stream, archive, records)
    else:
        if not hasattr(f, "write"):
            raise AttributeError(f"'{type(f).__name__}' object has no attribute 'write'")
        _write_zip(f, "archive", records)


def _write_zip(stream, archive, records):
    """Write uncompressed records whose bytes start 64-byte aligned, as torch's writer does."""
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_STORED) as zf:
        serial = 0
        for name, data in records:
            _write_aligned(zf, stream, f"{archive}/{name}", data)
            serial = zlib.crc32(data, serial)
        # 40 digits as torch: a checksum of the records and a random part.
        serial_id = f"{serial:020d}{int.from_bytes(os.urandom(8), 'little'):020d}".encode()
        _write_aligned(zf, stream, f"{archive}/.data/serialization_id", serial_id)


def _write_aligned(zf, stream, name, data):
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    header_end = stream.tell() + 30 + len(name.encode()) + 4  # 4: the extra field's header
    pad = -header_end % _STORAGE_ALIGNMENT
    # Padding goes in an extra field with id "FB", the one torch's writer uses.
    info.extra = b"FB" + pad.to_bytes(2, "little") + b"Z" * pad
    zf.writestr(info, data)


def _is_path(f):
    return isinstance(f, (str, os.PathLike))


# =============================================================== reading
class _StorageType:
    """What ``torch FloatStorage`` and friends unpickle to: the storage's dtype."""

    def __init__(self, name, dtype):
        self.name, self.dtype = name, dtype

    def __repr__(self):
        return f"StorageType(dtype={self.dtype})"


class _LoadedStorage:
    """A CPU storage read from a checkpoint: what a ``map_location`` callable receives.

    A small stand-in for torch.UntypedStorage (``cpu()``, ``to()``, ``nbytes()``,
    ``size()``, ``device``); ``cuda()`` raises, as there is no GPU.
    """

    def __init__(self, array):
        self._array = array

    device = device("cpu")

    @property
    def dtype(self):
        return _dtype._BY_NUMPY[self._array.dtype]

    def nbytes(self):
        return self._array.nbytes

    def size(self):
        return self._array.size

    def __len__(self):
        return self._array.size

    def cpu(self):
        return self

    def to(self, device=None, non_blocking=False):
        check_device(device)
        return self

    def cuda(self, device=None, non_blocking=False):
        raise AssertionError(_NO_CUDA)

    def __repr__(self):
        return f"<minitorch storage of {self._array.size} {self.dtype} on cpu>"


def default_restore_location(storage, location):
    """Place a loaded storage on ``location``; only 'cpu' exists, others raise as in torch."""
    if location == "cpu":
        return storage
    for backend in ("cuda", "xpu", "hpu", "mtia"):
        if location == backend or re.match(f"{backend}(:|[0-9]+)", location):
            raise RuntimeError(
                f"Attempting to deserialize object on a {backend.upper()} device but "
                f"torch.{backend}.is_available() is False. If you are running on a CPU-only "
                "machine, please use torch.load with map_location=torch.device('cpu') to map "
                "your storages to the CPU.")
    if location.startswith("mps"):
        raise RuntimeError("torch.UntypedStorage(): Storage device not recognized: mps")
    if location == "meta":
        raise NotImplementedError("minitorch has no meta device (map_location='meta')")
    raise RuntimeError("don't know how to restore data location of "
                       f"torch.storage.UntypedStorage (tagged with {location})")


def _restore_location_fn(map_location):
    """torch's map_location rules: None, a dict, a str/bytes/device, or a callable."""
    if map_location is None:
        return default_restore_location
    if isinstance(map_location, dict):
        return lambda storage, loc: default_restore_location(storage, map_location.get(loc, loc))
    if isinstance(map_location, bytes):
        map_location = map_location.decode()
    if isinstance(map_location, (str, device)):
        return lambda storage, loc: default_restore_location(storage, str(map_location))

    def restore(storage, loc):
        result = map_location(storage, loc)
        return default_restore_location(storage, loc) if result is None else result
    return restore


def _rebuild_tensor(storage, storage_offset, size, stride):
    """A tensor viewing ``storage`` (loaded tensors that share a storage share memory)."""
    if not isinstance(storage, _LoadedStorage):
        raise TypeError(f"map_location must return a storage, got {type(storage).__name__}")
    array = storage._array
    size, stride = tuple(size), tuple(stride)
    if any(n == 0 for n in size):
        # No element is addressed; keep the saved strides, as torch does.
        return Tensor._make(np.lib.stride_tricks.as_strided(
            array[:0], shape=size, strides=[s * array.itemsize for s in stride]))
    last = storage_offset + sum((n - 1) * s for n, s in zip(size, stride))
    if storage_offset < 0 or last >= array.size or any(s < 0 for s in stride):
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage "
                           f"offset {storage_offset} are out of bounds for storage of "
                           f"{array.size} elements")
    overlapping = any(s == 0 and n > 1 for n, s in zip(size, stride))
    data = np.lib.stride_tricks.as_strided(
        array[storage_offset:], shape=size, strides=[s * array.itemsize for s in stride],
        writeable=not overlapping)
    return Tensor._make(data)


def _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks,
                       metadata=None):
    """torch._utils._rebuild_tensor_v2 for minitorch (backward hooks are not restored)."""
    t = _rebuild_tensor(storage, storage_offset, size, stride)
    if metadata:
        # torch records lazy conjugation/negation bits; apply them to the values.
        if metadata.get("conj"):
            t = Tensor._make(np.conj(t._data))
        if metadata.get("neg"):
            t = Tensor._make(np.negative(t._data))
    t.requires_grad_(requires_grad)
    return t


def _rebuild_parameter(data, requires_grad, backward_hooks):
    from .nn.parameter import Parameter
    return Parameter(data, requires_grad)


def _set_obj_state(obj, state):
    """Apply pickled attribute state (a dict, or torch's (dict, slots) pair)."""
    if isinstance(state, tuple):
        dict_state, slots_state = state
        state = {**(dict_state or {}), **(slots_state or {})}
    for name, value in (state or {}).items():
        setattr(obj, name, value)
    return obj


def _rebuild_parameter_with_state(data, requires_grad, backward_hooks, state):
    return _set_obj_state(_rebuild_parameter(data, requires_grad, backward_hooks), state)


def _rebuild_from_type_v2(func, new_type, args, state):
    """A tensor of class ``new_type`` with attribute ``state`` (subclasses, tagged tensors)."""
    ret = func(*args)
    if type(ret) is not new_type:
        ret.__class__ = new_type
    if getattr(new_type, "__setstate__", None) is not None:
        ret.__setstate__(state)
    else:
        _set_obj_state(ret, state)
    return ret


def _get_layout(name):
    from . import strided
    if name != "torch.strided":
        raise NotImplementedError(f"minitorch has only the strided layout, not {name}")
    return strided


def _torch_globals():
    """What each torch global found in a checkpoint means in minitorch."""
    from .nn.parameter import Parameter
    table = {
        "torch._utils._rebuild_tensor": _rebuild_tensor,
        "torch._utils._rebuild_tensor_v2": _rebuild_tensor_v2,
        "torch._utils._rebuild_parameter": _rebuild_parameter,
        "torch._utils._rebuild_parameter_with_state": _rebuild_parameter_with_state,
        "torch._tensor._rebuild_from_type_v2": _rebuild_from_type_v2,
        "torch.serialization._get_layout": _get_layout,
        "torch.Size": Size, "torch.device": device, "torch.Tensor": Tensor,
        "torch._tensor.Tensor": Tensor, "torch.nn.parameter.Parameter": Parameter,
    }
    for dt, name in _STORAGE_NAMES.items():
        table[f"torch.{name}"] = _StorageType(name, dt)
    table["torch.UntypedStorage"] = _StorageType("UntypedStorage", _dtype.uint8)
    table["torch.ByteStorage"] = _StorageType("ByteStorage", _dtype.uint8)
    for dt in _STORAGE_NAMES:
        table[f"torch.{dt._name}"] = dt
    return table


# What weights_only=True accepts besides torch's own globals (torch's list).
_SAFE_BUILTINS = {
    "collections.OrderedDict": collections.OrderedDict,
    "collections.Counter": collections.Counter,
    "_codecs.encode": __import__("codecs").encode,
    "builtins.bytearray": bytearray, "builtins.set": set, "builtins.complex": complex,
}

_marked_safe_globals = set()


def add_safe_globals(safe_globals):
    """Allow these functions/classes (or ``(obj, "module.name")`` pairs) in weights_only loads."""
    global _marked_safe_globals
    _marked_safe_globals = _marked_safe_globals | set(safe_globals)


def get_safe_globals():
    """The globals added with add_safe_globals."""
    return list(_marked_safe_globals)


def clear_safe_globals():
    """Forget every global added with add_safe_globals."""
    global _marked_safe_globals
    _marked_safe_globals = set()


class safe_globals:
    """Context manager allowing ``safe_globals`` in weights_only loads inside its block."""

    def __init__(self, safe_globals):
        self.safe_globals = safe_globals

    def __enter__(self):
        add_safe_globals(self.safe_globals)

    def __exit__(self, *exc):
        global _marked_safe_globals
        _marked_safe_globals = _marked_safe_globals - set(self.safe_globals)


def _user_allowed_globals():
    allowed = {}
    for entry in _marked_safe_globals:
        if isinstance(entry, tuple):
            if len(entry) != 2:
                raise ValueError("Expected tuple of length 2 (global, str of callable full path), "
                                 f"but got tuple of length: {len(entry)}")
            if type(entry[1]) is not str:
                raise TypeError("Expected second item in tuple to be str of callable full path, "
                                f"but got: {type(entry[1])}")
            allowed[entry[1]] = entry[0]
        else:
            allowed[f"{entry.__module__}.{entry.__qualname__}"] = entry
    return allowed


class _Unpickler(pickle.Unpickler):
    """Reads data.pkl: torch's globals map to minitorch; weights_only restricts the rest."""

    def __init__(self, file, zf, prefix, restore, byteorder, weights_only, **kwargs):
        super().__init__(file, **kwargs)
        self.zf, self.prefix, self.restore = zf, prefix, restore
        self.byteorder, self.weights_only = byteorder, weights_only
        self.loaded = {}
        self.torch_globals = _torch_globals()

    def find_class(self, module, name):
        # Protocol-2 pickles may name Python 2 modules (__builtin__); map them as pickle does.
        if (module, name) in _compat_pickle.NAME_MAPPING:
            module, name = _compat_pickle.NAME_MAPPING[(module, name)]
        elif module in _compat_pickle.IMPORT_MAPPING:
            module = _compat_pickle.IMPORT_MAPPING[module]
        full = f"{module}.{name}"
        if full in self.torch_globals:
            return self.torch_globals[full]
        if module == "torch" and name.endswith("Storage") and name in _FOREIGN_STORAGES:
            raise NotImplementedError(f"minitorch has no {_FOREIGN_STORAGES[name]} dtype, so it "
                                      f"cannot load a torch.{name}")
        if self.weights_only:
            if full in _SAFE_BUILTINS:
                return _SAFE_BUILTINS[full]
            user = _user_allowed_globals()
            if full in user:
                return user[full]
            shown = full[len("builtins."):] if full.startswith("builtins.") else full
            raise pickle.UnpicklingError(
                f"Unsupported global: GLOBAL {shown} was not an allowed global by default. "
                f"Please use `torch.serialization.add_safe_globals([{shown}])` or the "
                f"`torch.serialization.safe_globals([{shown}])` context manager to allowlist "
                "this global if you trust this class/function.")
        if module == "torch" or module.startswith("torch."):
            # Never import real torch: minitorch has no equivalent for this object.
            raise pickle.UnpicklingError(f"minitorch cannot load the torch object {full}")
        return super().find_class(module, name)

    def persistent_load(self, pid):
        if not isinstance(pid, tuple) or not pid or pid[0] != "storage":
            raise pickle.UnpicklingError("unsupported persistent id encountered")
        storage_type, key, location, numel = pid[1:]
        if key not in self.loaded:
            self.loaded[key] = self.restore(self._read_storage(storage_type, key, numel),
                                            location)
        return self.loaded[key]

    def _read_storage(self, storage_type, key, numel):
        if not isinstance(storage_type, _StorageType):
            raise pickle.UnpicklingError(f"unknown storage type {storage_type!r}")
        np_dtype = storage_type.dtype._np
        raw = self.zf.read(f"{self.prefix}/data/{key}")
        if len(raw) != numel * np_dtype.itemsize:
            raise RuntimeError(f"storage {key} holds {len(raw)} bytes, expected "
                               f"{numel * np_dtype.itemsize}")
        stored = np_dtype.newbyteorder("<" if self.byteorder == "little" else ">")
        # A bytearray keeps the loaded tensors writable.
        array = np.frombuffer(bytearray(raw), dtype=stored)
        return _LoadedStorage(array.astype(np_dtype, copy=False))


def _weights_only_message(message):
    """torch's explanation around an error from the weights_only unpickler."""
    docs = ("\n\nCheck the documentation of torch.load to learn more about types accepted by "
            "default with weights_only https://pytorch.org/docs/stable/generated/torch.load.html.")
    if re.search(r"GLOBAL (\S+) was not an allowed global by default.", message):
        return ("Weights only load failed. This file can still be loaded, to do so you have two "
                "options, \033[1mdo those steps only if you trust the source of the checkpoint"
                f"\033[0m. \n\t(1) {UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with "
                "`weights_only=True` please check the recommended steps in the following error "
                "message.\n\tWeightsUnpickler error: " + message + docs)
    return (f"Weights only load failed. {UNSAFE_MESSAGE}\nPlease file an issue with the following "
            "so that we can make `weights_only=True` compatible with your use case: "
            "WeightsUnpickler error: \n\n" + message + docs)


def _resolve_weights_only(weights_only, pickle_module):
    """torch 2.6+: weights_only defaults to True unless a pickle_module is given."""
    explicit = weights_only is not None
    if not explicit:
        weights_only = pickle_module is None
    truthy = ("1", "y", "yes", "true")
    force_on = os.getenv("TORCH_FORCE_WEIGHTS_ONLY_LOAD", "0").lower() in truthy
    force_off = os.getenv("TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD", "0").lower() in truthy
    if force_on and force_off:
        raise RuntimeError("Only one of `TORCH_FORCE_WEIGHTS_ONLY_LOAD` or "
                           "`TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD` should be set, but both were set.")
    if force_on:
        return True
    if force_off and not explicit:
        warnings.warn("Environment variable TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD detected, since "
                      "the`weights_only` argument was not explicitly passed to `torch.load`, "
                      "forcing weights_only=False.", UserWarning, stacklevel=3)
        return False
    return weights_only


def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Load an object saved by torch.save or minitorch.save (zip format only; no mmap)."""
    weights_only = _resolve_weights_only(weights_only, pickle_module)
    if weights_only and pickle_module is not None:
        raise RuntimeError("Can not safely load weights when explicit pickle_module is specified")
    if pickle_module not in (None, pickle):
        raise NotImplementedError("minitorch.load supports only the standard pickle module "
                                  "(pickle_module)")
    if mmap:
        raise NotImplementedError("minitorch.load does not memory-map checkpoints (mmap=True)")
    if pickle_load_args and weights_only:
        warnings.warn("pickle_load_args only works if `weights_only=False`.", stacklevel=2)
    pickle_load_args.setdefault("encoding", "utf-8")
    if _is_path(f):
        with open(os.fspath(f), "rb") as stream:
            return _load_stream(stream, map_location, weights_only, pickle_load_args)
    return _load_stream(f, map_location, weights_only, pickle_load_args)


def _load_stream(stream, map_location, weights_only, pickle_load_args):
    start = stream.tell()
    head = stream.read(4)
    stream.seek(start)
    if head != _ZIP_MAGIC:
        _refuse_non_zip(stream, start)
    with zipfile.ZipFile(stream) as zf:
        prefix = _archive_prefix(zf)
        names = set(zf.namelist())
        if f"{prefix}/constants.pkl" in names:
            raise NotImplementedError("this is a TorchScript archive (torch.jit.save); minitorch "
                                      "cannot load TorchScript")
        byteorder = "little"
        if f"{prefix}/byteorder" in names:
            byteorder = zf.read(f"{prefix}/byteorder").decode()
            if byteorder not in ("little", "big"):
                raise ValueError("Unknown endianness type: " + byteorder)
        data = io.BytesIO(zf.read(f"{prefix}/data.pkl"))
        unpickler = _Unpickler(data, zf, prefix, _restore_location_fn(map_location), byteorder,
                               weights_only, **pickle_load_args)
        if not weights_only:
            return unpickler.load()
        try:
            return unpickler.load()
        except pickle.UnpicklingError as e:
            raise pickle.UnpicklingError(_weights_only_message(str(e))) from None


def _archive_prefix(zf):
    """The archive's top folder (torch names it after the file it saved to)."""
    for name in zf.namelist():
        if name.endswith("/data.pkl") and name.count("/") == 1:
            return name[:-len("/data.pkl")]
    raise RuntimeError("PytorchStreamReader failed locating file data.pkl: file not found")


def _refuse_non_zip(stream, start):
    """Pre-1.6 checkpoints are not supported; anything else is not a checkpoint."""
    # Compare bytes: unpickling an unknown file would be unsafe.
    head = stream.read(len(_LEGACY_HEAD))
    stream.seek(start)
    if head == _LEGACY_HEAD:
        raise NotImplementedError("minitorch.load reads only torch's zip checkpoint format "
                                  "(saved since torch 1.6), not the legacy format")
    raise pickle.UnpicklingError("not a torch checkpoint: the file is not a zip archive")
