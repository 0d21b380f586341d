"""DataParallel: with no GPUs, torch's DataParallel simply runs the wrapped module."""
from ..modules.module import Module

__all__ = ["DataParallel"]


class DataParallel(Module):
    """Wraps ``module``; as torch without GPUs, forward calls it directly on the CPU.

    torch ignores ``device_ids``/``output_device``/``dim`` when no GPU exists, and so
    does this. The wrapped module is ``self.module``, so state_dict keys gain the
    ``module.`` prefix, exactly as in torch.
    """

    def __init__(self, module, device_ids=None, output_device=None, dim=0):
        super().__init__()
        self.module = module
        self.device_ids = []

    def forward(self, *inputs, **kwargs):
        return self.module(*inputs, **kwargs)
