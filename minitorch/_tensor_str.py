"""Tensor printing, character for character as torch prints.

The algorithm follows torch's: one formatter per tensor (two for complex: real
and imaginary parts) looks at every finite nonzero value shown and decides
between integer mode (``1.``), fixed point and scientific notation and the
column width; the nested brackets are then laid out with lines wrapped at
``linewidth`` and, above ``threshold`` elements, only ``edgeitems`` rows and
columns at each edge plus ``...``. Everything here works on the NumPy array, so
printing never records autograd history.
"""
import builtins
import contextlib
import dataclasses
import math

import numpy as np

from . import _dtype

__all__ = ["set_printoptions", "get_printoptions", "printoptions"]


@dataclasses.dataclass
class _PrinterOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: object = None


PRINT_OPTS = _PrinterOptions()

_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None):
    """Set how tensors print; ``profile`` is 'default', 'short' or 'full'.

    As in torch, ``sci_mode`` is reset to None (automatic) unless given.
    """
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(f"profile must be 'default', 'short' or 'full', got {profile!r}")
        for name, value in _PROFILES[profile].items():
            setattr(PRINT_OPTS, name, value)
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def get_printoptions():
    """The current print options as a dict accepted by :func:`set_printoptions`."""
    return dataclasses.asdict(PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs):
    """Temporarily change the print options inside a ``with`` block."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


# ------------------------------------------------------------------ formatting
class _Formatter:
    """Decides how every element of one (real) array is written, and how wide."""

    def __init__(self, array):
        self.floating = array.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        if not self.floating:
            for value in array.reshape(-1).tolist():
                self.max_width = max(self.max_width, len(f"{value}"))
            return
        flat = array.reshape(-1)
        shown = flat[np.isfinite(flat) & (flat != 0)]
        if shown.size == 0:
            return
        # The integer test is done in the tensor's own dtype, the range test in double.
        self.int_mode = bool(np.all(shown == np.ceil(shown)))
        magnitudes = np.abs(shown.astype(np.float64))
        # Python floats: a huge ratio is inf (and sci mode), not a NumPy overflow warning.
        low, high = builtins.float(magnitudes.min()), builtins.float(magnitudes.max())
        if PRINT_OPTS.sci_mode is None:
            self.sci_mode = bool(high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4)
        else:
            self.sci_mode = PRINT_OPTS.sci_mode
        for value in shown.tolist():
            self.max_width = max(self.max_width, len(self._plain(value)))

    def _plain(self, value):
        """The text of a finite nonzero value, before padding to the column width."""
        if self.sci_mode:
            return f"{value:.{PRINT_OPTS.precision}e}"
        if self.int_mode:
            return f"{value:.0f}."
        return f"{value:.{PRINT_OPTS.precision}f}"

    def width(self):
        return self.max_width

    def format(self, value):
        """``value`` (a Python scalar) right-aligned in the column width."""
        if not self.floating:
            text = f"{value}"
        elif self.sci_mode:
            text = f"{value:{self.max_width}.{PRINT_OPTS.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            # The trailing dot marks a float; nan and inf need no marker.
            if not (math.isinf(value) or math.isnan(value)):
                text += "."
        else:
            text = f"{value:.{PRINT_OPTS.precision}f}"
        return (self.max_width - len(text)) * " " + text


def _element_str(value, real_fmt, imag_fmt):
    if imag_fmt is None:
        return real_fmt.format(value)
    real = real_fmt.format(value.real)
    imag = (imag_fmt.format(value.imag) + "j").lstrip()
    # A negative (or -0.) imaginary part brings its own sign.
    if imag[0] in "+-":
        return real + imag
    return real + "+" + imag


def _vector_str(array, indent, summarize, real_fmt, imag_fmt):
    element_length = real_fmt.width() + 2
    if imag_fmt is not None:
        element_length += imag_fmt.width() + 1
    per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))
    edge = PRINT_OPTS.edgeitems
    if summarize and not edge:
        items = ["..."]
    elif summarize and array.shape[0] > 2 * edge:
        items = ([_element_str(v, real_fmt, imag_fmt) for v in array[:edge].tolist()]
                 + [" ..."]
                 + [_element_str(v, real_fmt, imag_fmt) for v in array[-edge:].tolist()])
    else:
        items = [_element_str(v, real_fmt, imag_fmt) for v in array.tolist()]
    lines = [", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _nested_str(array, indent, summarize, real_fmt, imag_fmt):
    """The bracketed body of an n-d array; blank lines separate blocks of dim > 2."""
    if array.ndim == 0:
        return _element_str(array.item(), real_fmt, imag_fmt)
    if array.ndim == 1:
        return _vector_str(array, indent, summarize, real_fmt, imag_fmt)
    edge = PRINT_OPTS.edgeitems
    rows = range(array.shape[0])
    if summarize and array.shape[0] > 2 * edge:
        parts = ([_nested_str(array[i], indent + 1, summarize, real_fmt, imag_fmt)
                  for i in rows[:edge]] + ["..."]
                 + [_nested_str(array[i], indent + 1, summarize, real_fmt, imag_fmt)
                    for i in rows[len(rows) - edge:]])
    else:
        parts = [_nested_str(array[i], indent + 1, summarize, real_fmt, imag_fmt) for i in rows]
    return "[" + ("," + "\n" * (array.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _summarized(array):
    """Only the elements a summarized print shows (they alone decide the format)."""
    edge = PRINT_OPTS.edgeitems
    if array.ndim == 0:
        return array
    if array.ndim == 1:
        if array.shape[0] > 2 * edge:
            return np.concatenate((array[:edge], array[-edge:]))
        return array
    if not edge:
        return array[(slice(0, 0),) * array.ndim]
    if array.shape[0] > 2 * edge:
        rows = list(range(edge)) + list(range(array.shape[0] - edge, array.shape[0]))
    else:
        rows = range(array.shape[0])
    return np.stack([_summarized(array[i]) for i in rows])


def _body_str(array, indent):
    if array.size == 0:
        return "[]"
    summarize = array.size > PRINT_OPTS.threshold
    shown = _summarized(array) if summarize else array
    if array.dtype.kind == "c":
        real_fmt, imag_fmt = _Formatter(shown.real), _Formatter(shown.imag)
    else:
        real_fmt, imag_fmt = _Formatter(shown), None
    return _nested_str(array, indent, summarize, real_fmt, imag_fmt)


def _add_suffixes(text, suffixes, indent):
    """Append ``, key=value`` suffixes, moving one to a new line if it would pass linewidth."""
    pieces = [text]
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > PRINT_OPTS.linewidth:
            pieces.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            pieces.append(", " + suffix)
            last_line_len += len(suffix) + 2
    pieces.append(")")
    return "".join(pieces)


def _is_plain(t):
    from ._tensor import Tensor
    return type(t) is Tensor or type(t).__name__ == "Parameter"


def tensor_repr(t, *, tensor_contents=None):
    """torch's ``repr(tensor)``: ``tensor(<values>, <suffixes>)``."""
    prefix = "tensor(" if _is_plain(t) else f"{type(t).__name__}("
    indent = len(prefix)
    array = t._data
    default = _dtype.get_default_dtype()
    dtype = t.dtype
    suffixes = []
    if array.size == 0:
        # Nothing shows the dtype or a non-(0,) shape, so both are spelled out.
        if array.ndim != 1:
            suffixes.append(f"size={tuple(array.shape)}")
        if dtype is not default:
            suffixes.append(f"dtype={dtype}")
        body = "[]"
    else:
        if not PRINT_OPTS.edgeitems:
            suffixes.append(f"size={tuple(array.shape)}")
        if dtype not in (default, _dtype.default_complex_dtype(), _dtype.int64, _dtype.bool):
            suffixes.append(f"dtype={dtype}")
        body = _body_str(array, indent)
    if tensor_contents is not None:
        body = tensor_contents
    grad_fn = t.grad_fn
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{grad_fn.name()}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
