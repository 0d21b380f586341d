"""torch.onnx: exporting to ONNX needs a graph capturer minitorch does not have."""

__all__ = ["export", "is_in_onnx_export"]


def export(model, args=(), f=None, *, kwargs=None, **options):
    """Raises NotImplementedError: minitorch cannot capture a model's graph for ONNX."""
    raise NotImplementedError("minitorch cannot export to ONNX (torch.onnx.export)")


def is_in_onnx_export():
    """False: no export is ever running."""
    return False
