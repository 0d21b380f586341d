"""Devices: minitorch runs on the CPU only, and says so clearly when asked for more."""

__all__ = ["device", "Size"]

_NO_CUDA = ("Torch not compiled with CUDA enabled (minitorch runs on the CPU only; "
            "use device='cpu')")


class device:
    """torch.device; only ``'cpu'`` (optionally ``'cpu:0'``) can hold tensors."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        if isinstance(type, device):
            type, index = type.type, type.index
        elif isinstance(type, int):
            type, index = "cuda", type
        if not isinstance(type, str):
            raise TypeError(f"device() received an invalid combination of arguments - got ({type!r})")
        if ":" in type:
            type, _, idx = type.partition(":")
            if not idx.isdigit():
                raise RuntimeError(f"Invalid device string: '{type}:{idx}'")
            index = int(idx)
        if type not in ("cpu", "cuda", "mps", "meta", "xpu"):
            raise RuntimeError(
                "Expected one of cpu, cuda, mps, meta, xpu device type at start of device string: "
                f"{type}")
        self.type = type
        self.index = index

    def __repr__(self):
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        if isinstance(other, str):
            other = device(other)
        if not isinstance(other, device):
            return NotImplemented
        return self.type == other.type and self.index == other.index

    def __hash__(self):
        return hash((self.type, self.index))

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
        raise RuntimeError(f"minitorch supports only the CPU device, got '{dev}'")


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
