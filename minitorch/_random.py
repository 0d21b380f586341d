"""Random number generation: Generator, manual_seed and the sampling factories.

minitorch draws from NumPy's PCG64, so its random streams differ from torch's
(same seed, different numbers); distributions and shapes are the same.
"""
import numpy as np

from . import _dtype
from ._device import check_device
from ._tensor import Tensor

__all__ = ["Generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
           "set_rng_state", "default_generator", "rand", "randn"]

_DEFAULT_SEED = 67280421310721


class Generator:
    """A source of random numbers with torch's Generator interface."""

    def __init__(self, device="cpu"):
        check_device(device)
        self._seed = _DEFAULT_SEED
        self._rng = np.random.Generator(np.random.PCG64(self._seed))

    @property
    def device(self):
        from ._device import CPU
        return CPU

    def manual_seed(self, seed):
        seed = int(seed)
        if seed < 0:
            seed &= (1 << 64) - 1
        self._seed = seed
        self._rng = np.random.Generator(np.random.PCG64(seed))
        return self

    def seed(self):
        new_seed = int(np.random.SeedSequence().entropy) & ((1 << 63) - 1)
        self.manual_seed(new_seed)
        return new_seed

    def initial_seed(self):
        return self._seed

    def get_state(self):
        import pickle
        state = pickle.dumps((self._seed, self._rng.bit_generator.state))
        return Tensor._make(np.frombuffer(state, dtype=np.uint8).copy())

    def set_state(self, new_state):
        import pickle
        self._seed, bit_state = pickle.loads(new_state._data.tobytes())
        self._rng = np.random.Generator(np.random.PCG64())
        self._rng.bit_generator.state = bit_state
        return self


default_generator = Generator()


def _rng(generator):
    return (generator or default_generator)._rng


def manual_seed(seed):
    """Seed the default generator; returns it."""
    return default_generator.manual_seed(seed)


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


def _size(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    return tuple(int(s) for s in size)


def _float_factory(sample, size, generator, dtype, device, requires_grad, name):
    check_device(device)
    dtype = dtype or _dtype.get_default_dtype()
    if not (dtype.is_floating_point or dtype.is_complex):
        raise RuntimeError(f'"{name}" not implemented for \'{_title(dtype)}\'')
    shape = _size(size)
    if dtype.is_complex:
        real = dtype.to_real()._np
        array = (sample(_rng(generator), shape).astype(real)
                 + 1j * sample(_rng(generator), shape).astype(real)).astype(dtype._np)
        if name == "normal_kernel_cpu":
            array = array / np.sqrt(2).astype(real)
    else:
        array = sample(_rng(generator), shape).astype(dtype._np)
    result = Tensor._make(array)
    if requires_grad:
        result.requires_grad_(True)
    return result


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False, layout=None,
         out=None, pin_memory=False):
    """Uniform samples on [0, 1)."""
    return _float_factory(lambda rng, s: rng.random(s), size, generator, dtype, device,
                          requires_grad, "check_uniform_bounds")


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False, layout=None,
          out=None, pin_memory=False):
    """Standard normal samples."""
    return _float_factory(lambda rng, s: rng.standard_normal(s), size, generator, dtype, device,
                          requires_grad, "normal_kernel_cpu")


def _title(d):
    from ._tensor import _TYPE_TITLES
    return _TYPE_TITLES[d]
