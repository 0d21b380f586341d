"""nn.modules.padding: zero, constant, reflection, replication and circular padding layers."""
from .. import functional as F
from .module import Module

__all__ = ["ZeroPad1d", "ZeroPad2d", "ZeroPad3d", "ConstantPad1d", "ConstantPad2d",
           "ConstantPad3d", "ReflectionPad1d", "ReflectionPad2d", "ReflectionPad3d",
           "ReplicationPad1d", "ReplicationPad2d", "ReplicationPad3d", "CircularPad1d",
           "CircularPad2d", "CircularPad3d"]


def _pad_tuple(padding, n):
    """An int repeated 2n times, or a 2n-tuple (torch's _pair/_quadruple/_ntuple(6))."""
    if isinstance(padding, int):
        return (padding,) * (2 * n)
    return tuple(padding)


class _PadNd(Module):
    """A layer calling F.pad with a fixed mode; subclasses set ``_mode`` and ``_n``."""

    _mode = None
    _n = None

    def __init__(self, padding):
        super().__init__()
        self.padding = _pad_tuple(padding, self._n)

    def forward(self, input):
        return F.pad(input, self.padding, self._mode)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(Module):
    _n = None

    def __init__(self, padding, value):
        super().__init__()
        self.padding = _pad_tuple(padding, self._n)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


def _layer(name, base, mode, n, doc):
    return type(name, (base,), {"_mode": mode, "_n": n, "__doc__": doc,
                                "__module__": __name__})


ConstantPad1d = _layer("ConstantPad1d", _ConstantPadNd, "constant", 1,
                       "Pads the last dim with a constant value.")
ConstantPad2d = _layer("ConstantPad2d", _ConstantPadNd, "constant", 2,
                       "Pads the last 2 dims with a constant value.")
ConstantPad3d = _layer("ConstantPad3d", _ConstantPadNd, "constant", 3,
                       "Pads the last 3 dims with a constant value.")


def _zero_pad(name, base):
    def __init__(self, padding):
        base.__init__(self, padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"
    return type(name, (base,), {"__init__": __init__, "extra_repr": extra_repr,
                                "__doc__": f"Pads with zeros (a {base.__name__} of value 0).",
                                "__module__": __name__})


ZeroPad1d = _zero_pad("ZeroPad1d", ConstantPad1d)
ZeroPad2d = _zero_pad("ZeroPad2d", ConstantPad2d)
ZeroPad3d = _zero_pad("ZeroPad3d", ConstantPad3d)

ReflectionPad1d = _layer("ReflectionPad1d", _PadNd, "reflect", 1,
                         "Pads the last dim with its reflection (edge not repeated).")
ReflectionPad2d = _layer("ReflectionPad2d", _PadNd, "reflect", 2,
                         "Pads the last 2 dims with their reflection.")
ReflectionPad3d = _layer("ReflectionPad3d", _PadNd, "reflect", 3,
                         "Pads the last 3 dims with their reflection.")
ReplicationPad1d = _layer("ReplicationPad1d", _PadNd, "replicate", 1,
                          "Pads the last dim by repeating its edge value.")
ReplicationPad2d = _layer("ReplicationPad2d", _PadNd, "replicate", 2,
                          "Pads the last 2 dims by repeating their edge values.")
ReplicationPad3d = _layer("ReplicationPad3d", _PadNd, "replicate", 3,
                          "Pads the last 3 dims by repeating their edge values.")
CircularPad1d = _layer("CircularPad1d", _PadNd, "circular", 1,
                       "Pads the last dim by wrapping around.")
CircularPad2d = _layer("CircularPad2d", _PadNd, "circular", 2,
                       "Pads the last 2 dims by wrapping around.")
CircularPad3d = _layer("CircularPad3d", _PadNd, "circular", 3,
                       "Pads the last 3 dims by wrapping around.")
