"""Helpers of the data loader, at the paths torch keeps them (torch.utils.data._utils)."""
from . import collate
