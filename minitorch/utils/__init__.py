"""minitorch.utils: data loading utilities."""
from . import data
