"""Devices: minitorch runs on the CPU only, and says so clearly when asked for more."""
import builtins

__all__ = ["device", "Size"]

_NO_CUDA = ("Torch not compiled with CUDA enabled (minitorch runs on the CPU only; "
            "use device='cpu')")


_DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip",
                 "ve", "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                 "privateuseone")
_NO_ACCELERATOR = "Cannot access accelerator device when none is available."


class device:
    """torch.device; only ``'cpu'`` (optionally ``'cpu:0'``) can hold tensors.

    As torch, a device never equals a string: compare ``t.device.type == 'cpu'``.
    """

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            if index is not None:
                raise TypeError("device() received an invalid combination of arguments - got "
                                "(torch.device, int)")
            type, index = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool):
            # A bare index means "that accelerator", and a CPU-only build has none.
            raise RuntimeError(_NO_ACCELERATOR)
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got "
                            f"({type!r})")
        if ":" in type:
            if index is not None:
                raise RuntimeError(f"type (string) must not include an index because index was "
                                   f"passed explicitly: {type}")
            name, _, idx = type.partition(":")
            if not idx.isdigit() or (len(idx) > 1 and idx[0] == "0"):
                raise RuntimeError(f"Invalid device string: '{type}'")
            type, index = name, int(idx)
        if type not in _DEVICE_TYPES:
            raise RuntimeError(f"Expected one of {', '.join(_DEVICE_TYPES)} device type at start "
                               f"of device string: {type}")
        if index is not None:
            if not isinstance(index, int) or isinstance(index, bool):
                raise TypeError(f"device(): argument 'index' must be int, not "
                                f"{builtins.type(index).__name__}")
            if index < 0:
                raise RuntimeError("Device index must not be negative")
        self.type = type
        self.index = index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if not isinstance(other, device):
            return False
        return self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


CPU = device("cpu")


def check_device(dev):
    """Accept None or any spelling of the CPU; raise torch's error for CUDA and others."""
    if dev is None:
        return
    if not isinstance(dev, device):
        dev = device(dev)
    if dev.type != "cpu":
        if dev.type == "cuda":
            raise AssertionError(_NO_CUDA)
        raise NotImplementedError(f"minitorch supports only the CPU device, got '{dev}'")


class Size(tuple):
    """torch.Size: a tuple of ints describing a tensor's shape."""

    def __new__(cls, sizes=()):
        return super().__new__(cls, sizes)

    def __repr__(self):
        return f"torch.Size([{', '.join(str(s) for s in self)}])"

    def numel(self):
        n = 1
        for s in self:
            n *= s
        return n

    def __getitem__(self, item):
        result = super().__getitem__(item)
        return Size(result) if isinstance(item, slice) else result

    def __add__(self, other):
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other):
        return Size(tuple(other) + tuple(self))

    def __reduce__(self):
        return (Size, (tuple(self),))
