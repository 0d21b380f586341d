"""nn.utils.parametrizations: orthogonal, weight_norm and spectral_norm as parametrizations."""
import numpy as np
import scipy.linalg

from ..._tensor import Tensor
from ...autograd import grad_mode
from ..modules.module import Module
from . import parametrize
from .weight_norm import norm_except_dim, _weight_norm

__all__ = ["orthogonal", "weight_norm", "spectral_norm"]

_ORTHOGONAL_MAPS = ("matrix_exp", "cayley", "householder")


def _is_orthogonal(q):
    n, k = q.shape[-2], q.shape[-1]
    eps = 10.0 * n * np.finfo(q.dtype).eps
    gram = np.swapaxes(q.conj(), -1, -2) @ q
    return np.allclose(gram, np.eye(k), atol=eps, rtol=1e-5)


def _make_orthogonal(a):
    """Q of A = QR (A tall, batched) with diag(R) real non-negative, as torch's geqrf route."""
    q, r = np.linalg.qr(a)
    diag = np.diagonal(r, axis1=-2, axis2=-1)
    signs = np.where(diag == 0, 1, diag / np.where(diag == 0, 1, np.abs(diag)))
    return q * signs[..., None, :]


class _Orthogonal(Module):
    """Maps an unconstrained matrix to an orthogonal one (matrix_exp, cayley or householder);
    with ``use_trivialization`` the result is multiplied by a ``base`` orthogonal buffer."""

    def __init__(self, weight, orthogonal_map, *, use_trivialization=True):
        super().__init__()
        if weight.is_complex() and orthogonal_map == "householder":
            raise ValueError("The householder parametrization does not support complex "
                             "tensors.")
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def forward(self, X):
        from ... import _ops  # noqa: F401  (Tensor methods)
        from ... import linalg, matrix_exp, eye, cat
        n, k = X.shape[-2], X.shape[-1]
        transposed = n < k
        if transposed:
            X = X.mT
            n, k = k, n
        if self.orthogonal_map in ("matrix_exp", "cayley"):
            X = X.tril()
            if n != k:
                X = cat([X, X.new_zeros((n, n - k)).expand(*X.shape[:-2], -1, -1)], dim=-1)
            A = X - X.mH
            if self.orthogonal_map == "matrix_exp":
                Q = matrix_exp(A)
            else:
                Id = eye(n, dtype=A.dtype)
                Q = linalg.solve(Id - 0.5 * A, Id + 0.5 * A)
            if n != k:
                Q = Q[..., :k]
        else:
            A = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (A * A).sum(dim=-2))
            Q = linalg.householder_product(A, tau)
            Q = Q * X.diagonal(dim1=-2, dim2=-1).int().unsqueeze(-2)
        if hasattr(self, "base"):
            Q = self.base @ Q
        if transposed:
            Q = Q.mT
        return Q

    def right_inverse(self, Q):
        if tuple(Q.shape) != tuple(self.shape):
            raise ValueError(f"Expected a matrix or batch of matrices of shape {self.shape}. "
                             f"Got a tensor of shape {Q.shape}.")
        q_init = Q
        q = Q.detach().numpy()
        n, k = q.shape[-2], q.shape[-1]
        transpose = n < k
        if transpose:
            q = np.swapaxes(q, -1, -2)
            n, k = k, n
        if not hasattr(self, "base"):
            if self.orthogonal_map in ("cayley", "matrix_exp"):
                raise NotImplementedError("It is not possible to assign to the matrix "
                                          "exponential or the Cayley parametrizations when "
                                          "use_trivialization=False.")
            return Tensor._make(self._householder_inverse(q, transpose))
        if n == k:
            q = q.copy() if _is_orthogonal(q) else _make_orthogonal(q)
        else:
            extra = q_init.new_empty(q.shape[:-2] + (n, n - k)).normal_()._data
            q = _make_orthogonal(np.concatenate([q, extra], axis=-1))
        self.base = Tensor._make(np.ascontiguousarray(q.astype(q_init._data.dtype)))
        neg_id = np.zeros(tuple(q_init.shape), dtype=q_init._data.dtype)
        idx = np.arange(min(neg_id.shape[-2:]))
        neg_id[..., idx, idx] = -1.0
        return Tensor._make(neg_id)

    @staticmethod
    def _householder_inverse(q, transpose):
        """Householder reflectors of q (LAPACK geqrf), diagonal replaced by signs, as torch."""
        if q.ndim != 2:
            raise NotImplementedError("orthogonal: assigning to a batched householder "
                                      "parametrization with use_trivialization=False is not "
                                      "supported")
        (a, tau), _ = scipy.linalg.qr(q, mode="raw")
        a = np.array(a)
        idx = np.arange(len(tau))
        a[idx, idx] = np.sign(a[idx, idx])
        a[idx[tau == 0.0], idx[tau == 0.0]] *= -1
        return a.T.copy() if transpose else a


def orthogonal(module, name="weight", orthogonal_map=None, *, use_trivialization=True):
    """Parametrize ``module.<name>`` (a matrix or batch of matrices) to stay orthogonal."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if weight.ndim < 2:
        raise ValueError("Expected a matrix or batch of matrices. "
                         f"Got a tensor of {weight.ndim} dimensions.")
    if orthogonal_map is None:
        orthogonal_map = ("matrix_exp" if weight.shape[-2] == weight.shape[-1]
                          or weight.is_complex() else "householder")
    if orthogonal_map not in _ORTHOGONAL_MAPS:
        raise ValueError('orthogonal_map has to be one of "matrix_exp", "cayley", '
                         f'"householder". Got: {orthogonal_map}')
    orth = _Orthogonal(weight, orthogonal_map, use_trivialization=use_trivialization)
    parametrize.register_parametrization(module, name, orth, unsafe=True)
    return module


class _WeightNorm(Module):
    """weight = g * v / ||v|| with the norm over every dim but ``dim``."""

    def __init__(self, dim=0):
        super().__init__()
        if dim is None:
            dim = -1
        self.dim = dim

    def forward(self, weight_g, weight_v):
        return _weight_norm(weight_v, weight_g, self.dim)

    def right_inverse(self, weight):
        weight_g = norm_except_dim(weight, 2, self.dim)
        weight_v = weight
        return weight_g, weight_v


def weight_norm(module, name="weight", dim=0):
    """Parametrize ``module.<name>`` as g * v / ||v|| (original0 = g, original1 = v)."""
    parametrize.register_parametrization(module, name, _WeightNorm(dim), unsafe=True)
    return module


def _normalize_np(x, eps):
    return x / max(np.linalg.norm(x), eps)


class _SpectralNorm(Module):
    """weight / sigma_max(weight), sigma estimated by power iteration (u, v buffers)."""

    def __init__(self, weight, n_power_iterations=1, dim=0, eps=1e-12):
        super().__init__()
        ndim = weight.ndim
        if dim >= ndim or dim < -ndim:
            raise IndexError("Dimension out of range (expected to be in range of "
                             f"[-{ndim}, {ndim - 1}] but got {dim})")
        if n_power_iterations <= 0:
            raise ValueError("Expected n_power_iterations to be positive, but got "
                             f"n_power_iterations={n_power_iterations}")
        self.dim = dim if dim >= 0 else dim + ndim
        self.eps = eps
        if ndim > 1:
            self.n_power_iterations = n_power_iterations
            weight_mat = self._reshape_weight_to_matrix(weight)
            h, w = weight_mat.shape
            u = weight_mat.new_empty((h,)).normal_(0, 1)
            v = weight_mat.new_empty((w,)).normal_(0, 1)
            self.register_buffer("_u", Tensor._make(_normalize_np(u._data, eps)))
            self.register_buffer("_v", Tensor._make(_normalize_np(v._data, eps)))
            self._power_method(weight_mat, 15)

    def _reshape_weight_to_matrix(self, weight):
        if self.dim != 0:
            weight = weight.permute(self.dim, *(d for d in range(weight.dim()) if d != self.dim))
        return weight.flatten(1)

    def _power_method(self, weight_mat, n_power_iterations):
        # in place on the buffers and without history, as torch (normalize(..., out=u))
        w = weight_mat._data
        u, v = self._u._data, self._v._data
        for _ in range(n_power_iterations):
            u = _normalize_np(w @ v, self.eps)
            v = _normalize_np(w.conj().T @ u, self.eps)
        with grad_mode.no_grad():
            self._u.copy_(Tensor._make(u.astype(self._u._data.dtype)))
            self._v.copy_(Tensor._make(v.astype(self._v._data.dtype)))

    def forward(self, weight):
        if weight.ndim == 1:
            return weight / weight.norm(2, 0, True).clamp_min(self.eps)
        weight_mat = self._reshape_weight_to_matrix(weight)
        if self.training:
            self._power_method(weight_mat, self.n_power_iterations)
        u = self._u.clone()
        v = self._v.clone()
        sigma = (u.conj() * weight_mat.matmul(v)).sum()
        return weight / sigma

    def right_inverse(self, value):
        return value


def spectral_norm(module, name="weight", n_power_iterations=1, eps=1e-12, dim=None):
    """Parametrize ``module.<name>`` as weight / its largest singular value."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise ValueError(f"Module '{module}' has no parameter or buffer with name '{name}'")
    if dim is None:
        dim = 1 if type(module).__name__ in ("ConvTranspose1d", "ConvTranspose2d",
                                             "ConvTranspose3d") else 0
    parametrize.register_parametrization(module, name,
                                         _SpectralNorm(weight, n_power_iterations, dim, eps))
    return module
