"""Named tuples returned by ops that give several results (torch.return_types)."""
import collections

__all__ = ["max", "min", "aminmax", "cummax", "cummin", "median", "nanmedian", "mode",
           "kthvalue", "sort", "topk", "histogram"]


def _return_type(name, fields):
    """A namedtuple printed like torch's ``torch.return_types.<name>``."""
    cls = collections.namedtuple(name, fields)
    cls.__module__ = __name__

    def __repr__(self):
        body = ",\n".join(f"{f}={v!r}" for f, v in zip(self._fields, self))
        return f"torch.return_types.{name}(\n{body})"
    cls.__repr__ = __repr__
    return cls


max = _return_type("max", "values indices")
min = _return_type("min", "values indices")
aminmax = _return_type("aminmax", "min max")
cummax = _return_type("cummax", "values indices")
cummin = _return_type("cummin", "values indices")
median = _return_type("median", "values indices")
nanmedian = _return_type("nanmedian", "values indices")
mode = _return_type("mode", "values indices")
kthvalue = _return_type("kthvalue", "values indices")
sort = _return_type("sort", "values indices")
topk = _return_type("topk", "values indices")
histogram = _return_type("histogram", "hist bin_edges")
