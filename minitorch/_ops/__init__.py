"""The public op set, grouped by kind; every group attaches its Tensor methods on import."""
from . import pointwise, reduction, shape, indexing, blas, creation  # noqa: F401
from . import sorting  # noqa: F401
from . import extra  # noqa: F401
