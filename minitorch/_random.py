"""Random number generation: Generator, seeding, sampling factories and in-place samplers.

minitorch draws from NumPy's PCG64 bit generator, so its random streams differ
from torch's (same seed, different numbers) while shapes, dtypes, distributions,
argument checks and reproducibility (same seed, same numbers) match.

Samplers that take tensors (normal, bernoulli, poisson, the in-place ``*_``
methods) join the autograd graph as torch does: ``normal`` passes gradients to
``mean`` and ``std`` (reparameterised), the others pass zero gradients.
"""
import builtins
import contextlib
import numbers

import numpy as np

from . import _dtype
from ._device import CPU, device as _device
from ._ops.creation import _check_common as _check_factory, _check_dtype
from ._tensor import Tensor, _TYPE_TITLES
from .autograd._primitive import defprim

__all__ = ["Generator", "manual_seed", "seed", "initial_seed", "get_rng_state",
           "set_rng_state", "default_generator", "rand", "randn", "randint", "randperm",
           "normal", "bernoulli", "multinomial", "poisson", "rand_like", "randn_like",
           "randint_like"]

_DEFAULT_SEED = 67280421310721
_UINT64 = (1 << 64) - 1


# ----------------------------------------------------------------- Generator
class Generator:
    """A source of random numbers with torch.Generator's interface (CPU only)."""

    def __init__(self, device="cpu"):
        if (device.type if isinstance(device, _device) else _device(device).type) != "cpu":
            raise RuntimeError(f"minitorch has only CPU generators, got device '{device}'")
        self.manual_seed(_DEFAULT_SEED)

    @property
    def device(self):
        return CPU

    def manual_seed(self, seed):
        """Restart the stream from ``seed`` (any int in [-2**63, 2**64)); returns self."""
        seed = _seed_value(seed)
        self._seed = seed
        self._rng = np.random.Generator(np.random.PCG64(seed))
        return self

    def seed(self):
        """Seed from fresh OS entropy; returns the new seed."""
        new_seed = builtins.int(np.random.SeedSequence().entropy) & _UINT64
        self.manual_seed(new_seed)
        return new_seed

    def initial_seed(self):
        """The seed the current stream started from."""
        return self._seed

    def get_state(self):
        """The full generator state as a uint8 tensor (minitorch's layout, not torch's)."""
        state = self._rng.bit_generator.state
        fields = (self._seed, state["state"]["state"], state["state"]["inc"])
        raw = b"".join(f.to_bytes(16, "little") for f in fields)
        raw += bytes([state["has_uint32"]]) + state["uinteger"].to_bytes(4, "little")
        return Tensor._make(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state):
        """Restore a state returned by :meth:`get_state`; returns self."""
        if not isinstance(new_state, Tensor):
            raise TypeError("expected a torch.ByteTensor, but got "
                            f"{type(new_state).__name__}")
        if new_state.dtype is not _dtype.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        raw = new_state._data.tobytes()
        if len(raw) != 53:
            raise RuntimeError(f"Expected a state tensor of 53 bytes (minitorch's PCG64 layout), "
                               f"got {len(raw)}")
        seed, s, inc = (builtins.int.from_bytes(raw[i:i + 16], "little") for i in (0, 16, 32))
        bit_generator = np.random.PCG64()
        bit_generator.state = {"bit_generator": "PCG64", "state": {"state": s, "inc": inc},
                               "has_uint32": raw[48],
                               "uinteger": builtins.int.from_bytes(raw[49:53], "little")}
        self._seed = seed
        self._rng = np.random.Generator(bit_generator)
        return self

    def __getstate__(self):
        return {"state": self.get_state()._data.tobytes()}

    def __setstate__(self, d):
        self.set_state(Tensor._make(np.frombuffer(d["state"], dtype=np.uint8).copy()))


def _seed_value(seed):
    """torch accepts anything int() accepts, wrapping negatives modulo 2**64."""
    seed = builtins.int(seed)
    if not -(1 << 63) <= seed <= _UINT64:
        raise ValueError("Overflow when unpacking long long")
    return seed & _UINT64


default_generator = Generator()


def _rng(generator):
    if generator is None:
        return default_generator._rng
    if not isinstance(generator, Generator):
        raise TypeError(f"expected a torch.Generator, but got {type(generator).__name__}")
    return generator._rng


def manual_seed(seed):
    """Seed the default generator; returns it."""
    return default_generator.manual_seed(seed)


def seed():
    """Seed the default generator from OS entropy; returns the seed."""
    return default_generator.seed()


def initial_seed():
    """The initial seed of the default generator."""
    return default_generator.initial_seed()


def get_rng_state():
    """The default generator's state as a uint8 tensor."""
    return default_generator.get_state()


def set_rng_state(new_state):
    """Restore the default generator's state."""
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices",
             device_type=None):
    """Run a block with the default generator's state saved and restored afterwards."""
    if not enabled:
        yield
        return
    state = get_rng_state()
    try:
        yield
    finally:
        set_rng_state(state)


# ------------------------------------------------------------ argument checks
def _size(size, name):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    result = []
    for s in size:
        if isinstance(s, builtins.bool) or not isinstance(s, (builtins.int, np.integer, Tensor)):
            raise TypeError(f"{name}(): argument 'size' must be tuple of ints, but found element "
                            f"of type {type(s).__name__}")
        s = s.__index__()
        if s < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {s}: "
                               f"{list(size)}")
        result.append(s)
    return tuple(result)


def _not_implemented(kernel, dtype):
    return NotImplementedError(f'"{kernel}" not implemented for \'{_TYPE_TITLES[dtype]}\'')


def _require_float(dtype, kernel, allow_complex=True):
    if not (dtype.is_floating_point or (allow_complex and dtype.is_complex)):
        raise _not_implemented(kernel, dtype)


def _finish(array, requires_grad):
    result = Tensor._make(array)
    if requires_grad:
        result.requires_grad_(True)
    return result


# ------------------------------------------------------- raw sample arrays
def _uniform01(rng, shape, dtype):
    """Uniform [0, 1) in a real floating dtype, never rounding up to 1."""
    if dtype is _dtype.float64:
        return rng.random(shape)
    values = rng.random(shape, dtype=np.float32)
    if dtype is _dtype.float16:
        values = np.minimum(values.astype(np.float16), np.nextafter(np.float16(1), np.float16(0)))
    return values


def _uniform(rng, shape, dtype, low=0.0, high=1.0):
    """Uniform [low, high); complex dtypes draw real and imaginary parts independently."""
    if dtype.is_complex:
        real = dtype.to_real()
        return (_uniform(rng, shape, real, low, high)
                + 1j * _uniform(rng, shape, real, low, high)).astype(dtype._np)
    if low == 0.0 and high == 1.0:
        return _uniform01(rng, shape, dtype)
    values = low + (high - low) * rng.random(shape)
    return values.astype(dtype._np)


def _standard_normal(rng, shape, dtype):
    """N(0, 1); complex dtypes split the unit variance equally over both parts."""
    if dtype.is_complex:
        real = dtype.to_real()
        scale = np.sqrt(0.5)
        return (scale * _standard_normal(rng, shape, real)
                + 1j * scale * _standard_normal(rng, shape, real)).astype(dtype._np)
    if dtype is _dtype.float64:
        return rng.standard_normal(shape)
    return rng.standard_normal(shape, dtype=np.float32).astype(dtype._np)


# ---------------------------------------------------------- float factories
def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """Uniform samples on [0, 1)."""
    _check_factory(device, layout, pin_memory, out)
    _check_dtype(dtype, "rand")
    dtype = dtype or _dtype.get_default_dtype()
    _require_float(dtype, "check_uniform_bounds")
    return _finish(_uniform(_rng(generator), _size(size, "rand"), dtype), requires_grad)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    """Standard normal samples (complex: variance 1/2 in each part, as torch)."""
    _check_factory(device, layout, pin_memory, out)
    _check_dtype(dtype, "randn")
    dtype = dtype or _dtype.get_default_dtype()
    _require_float(dtype, "normal_kernel_cpu")
    return _finish(_standard_normal(_rng(generator), _size(size, "randn"), dtype), requires_grad)


def _like_dtype(input, dtype, layout, device, memory_format):
    _check_factory(device, layout, memory_format=memory_format)
    return dtype or input.dtype


def rand_like(input, *, generator=None, dtype=None, layout=None, device=None,
              requires_grad=False, memory_format=None):
    """rand() with the shape (and, by default, dtype) of ``input``."""
    dtype = _like_dtype(input, dtype, layout, device, memory_format)
    _require_float(dtype, "check_uniform_bounds")
    return _finish(_uniform(_rng(generator), input._data.shape, dtype), requires_grad)


def randn_like(input, *, generator=None, dtype=None, layout=None, device=None,
               requires_grad=False, memory_format=None):
    """randn() with the shape (and, by default, dtype) of ``input``."""
    dtype = _like_dtype(input, dtype, layout, device, memory_format)
    _require_float(dtype, "normal_kernel_cpu")
    return _finish(_standard_normal(_rng(generator), input._data.shape, dtype), requires_grad)


# ------------------------------------------------------------ integer draws
_C_NAMES = {_dtype.uint8: "unsigned char", _dtype.int8: "signed char", _dtype.int16: "short",
            _dtype.int32: "int", _dtype.int64: "long", _dtype.bool: "bool",
            _dtype.float16: "c10::Half", _dtype.float32: "float", _dtype.float64: "double"}


def _int_limits(dtype):
    """The integers ``dtype`` can hold exactly, as torch's random_ checks them."""
    if dtype is _dtype.bool:
        return 0, 1
    if dtype.is_floating_point:
        digits = np.finfo(dtype._np).nmant + 1
        return -(1 << digits), 1 << digits
    info = np.iinfo(dtype._np)
    return builtins.int(info.min), builtins.int(info.max)


def _check_random_range(low, high, dtype):
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= "
                           f"to={high}")
    lo, hi = _int_limits(dtype)
    if not lo <= low <= hi:
        raise RuntimeError(f"from is out of bounds for {_C_NAMES[dtype]}")
    if not lo <= high - 1 <= hi:
        raise RuntimeError(f"to - 1 is out of bounds for {_C_NAMES[dtype]}")


def _integers(rng, low, high, shape, dtype):
    """Uniform integers in [low, high) stored in ``dtype``."""
    if dtype.is_complex:
        raise _not_implemented("random_from_to", dtype)
    values = rng.integers(low, high, size=shape, dtype=np.int64, endpoint=False) \
        if high <= (1 << 63) else rng.integers(low, high, size=shape, dtype=np.uint64)
    return values.astype(dtype._np)


def _as_int(value, name):
    if isinstance(value, Tensor):
        value = value.item()
    if isinstance(value, builtins.bool) or not isinstance(value, (numbers.Integral,)):
        if isinstance(value, numbers.Real) and builtins.float(value).is_integer():
            return builtins.int(value)
        raise TypeError(f"randint(): argument '{name}' must be int, not {type(value).__name__}")
    return builtins.int(value)


def randint(*args, size=None, low=None, high=None, generator=None, out=None, dtype=None,
            layout=None, device=None, requires_grad=False, pin_memory=False):
    """Uniform integers in [low, high): ``randint(high, size)`` or ``randint(low, high, size)``.

    The default dtype is int64 whatever the default float dtype, as torch.
    """
    _check_factory(device, layout, pin_memory, out)
    args = list(args)
    if size is None and args and isinstance(args[-1], (tuple, list)):
        size = args.pop()
    if size is None:
        raise TypeError("randint() missing required argument 'size'")
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"randint(): argument 'size' must be tuple of ints, not "
                        f"{type(size).__name__}")
    if len(args) == 2:
        low, high = args
    elif len(args) == 1:
        if high is None:
            high = args[0]
        else:
            low = args[0]
    elif args:
        raise TypeError(f"randint() takes at most 3 positional arguments ({len(args) + 1} given)")
    if high is None:
        raise TypeError("randint() missing required argument 'high'")
    low = 0 if low is None else _as_int(low, "low")
    high = _as_int(high, "high")
    _check_dtype(dtype, "randint")
    dtype = dtype or _dtype.int64
    _check_random_range(low, high, dtype)
    shape = _size(tuple(size), "randint")
    return _finish(_integers(_rng(generator), low, high, shape, dtype), requires_grad)


def randint_like(input, low=0, high=None, *, generator=None, dtype=None, layout=None,
                 device=None, requires_grad=False, memory_format=None):
    """randint() with the shape (and, by default, dtype) of ``input``."""
    if high is None:
        low, high = 0, low
    dtype = _like_dtype(input, dtype, layout, device, memory_format)
    low, high = _as_int(low, "low"), _as_int(high, "high")
    _check_random_range(low, high, dtype)
    return _finish(_integers(_rng(generator), low, high, input._data.shape, dtype),
                   requires_grad)


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False, pin_memory=False):
    """A random permutation of 0..n-1 (int64 unless ``dtype``)."""
    _check_factory(device, layout, pin_memory, out)
    n = _as_int(n, "n")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    _check_dtype(dtype, "randperm")
    dtype = dtype or _dtype.int64
    if dtype is _dtype.bool or dtype.is_complex:
        raise _not_implemented("randperm", dtype)
    return _finish(_rng(generator).permutation(n).astype(dtype._np), requires_grad)


# ------------------------------------------------- samplers in the graph
# As in torch, normal() is *not* reparameterised: its output depends on mean and std
# but their gradients are zero (use mean + std * randn_like(std) for a pathwise gradient).
def _zero_grad(F, g, out, *inputs, **params):
    return g * 0


_normal_both = defprim("normal_tensor_tensor", "NormalBackward3",
                       lambda mean, std, noise: mean + std * noise,
                       grads=(_zero_grad, _zero_grad, None), saves=())
_normal_mean = defprim("normal_tensor_float", "NormalBackward1",
                       lambda mean, std, noise: mean + std * noise,
                       grads=(_zero_grad,), saves=())
_normal_std = defprim("normal_float_tensor", "NormalBackward2",
                      lambda std, mean, noise: mean + std * noise,
                      grads=(_zero_grad,), saves=())


def _zero_grad_sampler(name, node_name):
    """A sampler whose output does not depend smoothly on its input: zero gradient."""
    return defprim(name, node_name, lambda x, values: values,
                   grads=(lambda F, g, out, x, values: F.zeros_like(g),), saves=())


_bernoulli = _zero_grad_sampler("bernoulli", "BernoulliBackward0")
_poisson = _zero_grad_sampler("poisson", "PoissonBackward0")


def normal(mean, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None,
           device=None, pin_memory=False, requires_grad=False):
    """Normal samples: tensor mean and/or std (broadcast), or float mean/std with ``size``."""
    if out is not None:
        raise NotImplementedError("minitorch's normal() does not support 'out'")
    rng = _rng(generator)
    mean_t, std_t = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not mean_t and not std_t:
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments: float mean "
                            "and std need 'size'")
        _check_factory(device, layout, pin_memory)
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
        dtype = dtype or _dtype.get_default_dtype()
        _require_float(dtype, "normal_kernel_cpu")
        noise = _standard_normal(rng, _size((size,), "normal"), dtype)
        return _finish((mean + std * noise).astype(dtype._np), requires_grad)
    for name, value in (("size", size), ("dtype", dtype), ("layout", layout),
                        ("device", device)):
        if value is not None:
            raise TypeError(f"normal() got an unexpected keyword argument '{name}' with a tensor "
                            f"mean or std")
    tensors = [t for t in (mean, std) if isinstance(t, Tensor)]
    # As torch: the output takes mean's dtype when mean is a tensor, else std's.
    result_dtype = tensors[0].dtype
    _require_float(result_dtype, "normal_kernel_cpu")
    if std_t and np.any(std._data < 0):
        raise RuntimeError("normal expects all elements of std >= 0.0")
    if not std_t and std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    shapes = [t._data.shape for t in tensors]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({shapes[0]}) must match the size of tensor "
                           f"b ({shapes[-1]}) at a non-singleton dimension") from None
    noise = _standard_normal(rng, shape, result_dtype)
    if mean_t and std_t:
        return _normal_both(mean.to(result_dtype), std.to(result_dtype), noise=noise)
    if mean_t:
        return _normal_mean(mean, std=std, noise=noise)
    return _normal_std(std, mean=mean, noise=noise)


def _check_probabilities(p):
    with np.errstate(invalid="ignore"):
        if not np.all((p >= 0) & (p <= 1)):
            raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could "
                               "this error message be improved?  If so, please report an "
                               "enhancement request to PyTorch.)")


def bernoulli(input, p=None, *, generator=None, out=None):
    """1 with probability ``input`` (or ``p`` when given), else 0, in ``input``'s dtype."""
    if out is not None:
        raise NotImplementedError("minitorch's bernoulli() does not support 'out'")
    if p is None:
        _require_float(input.dtype, "bernoulli_tensor_cpu_p_", allow_complex=False)
        probs = input._data
        _check_probabilities(probs)
    else:
        _check_p_scalar(p, "bernoulli_")
        probs = np.full(input._data.shape, p)
    values = (_rng(generator).random(input._data.shape) < probs).astype(input._data.dtype)
    return _bernoulli(input, values=values)


def poisson(input, generator=None):
    """Poisson samples with rates ``input`` (same dtype)."""
    _require_float(input.dtype, "poisson_cpu", allow_complex=False)
    if np.any(input._data < 0) or np.any(np.isnan(input._data)):
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    values = _rng(generator).poisson(input._data).astype(input._data.dtype)
    return _poisson(input, values=values)


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Category indices drawn with the given (unnormalised) weights, per row of ``input``."""
    if out is not None:
        raise NotImplementedError("minitorch's multinomial() does not support 'out'")
    if input.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if not input.dtype.is_floating_point:
        raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                           f"{_TYPE_TITLES[input.dtype]}")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n_categories = input._data.shape[-1]
    if not replacement and num_samples > n_categories:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    probs = np.atleast_2d(input._data).astype(np.float64)
    if not np.all(np.isfinite(probs)) or np.any(probs < 0):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    totals = probs.sum(axis=1)
    if np.any(totals <= 0):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    rng = _rng(generator)
    if replacement:
        cdf = np.cumsum(probs, axis=1) / totals[:, None]
        draws = rng.random((probs.shape[0], num_samples))
        rows = [np.searchsorted(c, d, side="right") for c, d in zip(cdf, draws)]
        samples = np.minimum(np.stack(rows), n_categories - 1)
    else:
        # Exponential race: the k smallest Exp(1)/p are a weighted sample without replacement.
        with np.errstate(divide="ignore"):
            keys = rng.standard_exponential(probs.shape) / probs
        samples = np.argsort(keys, axis=1, kind="stable")[:, :num_samples]
    samples = samples.astype(np.int64)
    return Tensor._make(samples if input.ndim == 2 else samples[0])


# ---------------------------------------------------------- in-place samplers
def _fill_prim(name, node_name):
    return defprim(name, node_name, lambda x, values: values,
                   grads=(lambda F, g, out, x, values: F.zeros_like(g),), saves=())


_FILLS = {name: _fill_prim(f"{name}_fill", node) for name, node in [
    ("uniform", "UniformBackward0"), ("normal", "NormalBackward0"),
    ("bernoulli_scalar", "BernoulliBackward2"), ("bernoulli_tensor", "BernoulliBackward1"),
    ("exponential", "ExponentialBackward0"), ("geometric", "GeometricBackward0"),
    ("log_normal", "LogNormalBackward0"), ("cauchy", "CauchyBackward0"),
    ("random_from_to", "RandomBackward0"), ("random_to", "RandomBackward1"),
    ("random", "RandomBackward2")]}


def _fill(self, kind, values):
    """Overwrite ``self`` with ``values`` as an in-place op (leaf and version checks, graph)."""
    values = np.asarray(values).astype(self._data.dtype, copy=False)
    return self._inplace(lambda source: _FILLS[kind](source, values=values))


def _check_p_scalar(p, name):
    if not 0 <= p <= 1:
        raise RuntimeError(f"{name} expects p to be in [0, 1], but got p={p}")


def _uniform_(self, from_=0, to=1, *, generator=None, **kwargs):
    """Fill with uniform samples on [from, to)."""
    from_ = kwargs.pop("from", from_)
    _no_extra(kwargs, "uniform_")
    _require_float(self.dtype, "check_uniform_bounds")
    if from_ > to:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from="
                           f"{from_} > to={to}")
    return _fill(self, "uniform", _uniform(_rng(generator), self._data.shape, self.dtype,
                                           from_, to))


def _normal_(self, mean=0, std=1, *, generator=None):
    """Fill with normal samples."""
    _require_float(self.dtype, "normal_kernel_cpu")
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    noise = _standard_normal(_rng(generator), self._data.shape, self.dtype)
    return _fill(self, "normal", mean + std * noise)


def _bernoulli_(self, p=0.5, *, generator=None):
    """Fill with 1 with probability ``p`` (a float or a broadcastable tensor), else 0."""
    rng = _rng(generator)
    if isinstance(p, Tensor):
        _check_probabilities(p._data)
        try:
            probs = np.broadcast_to(p._data, self._data.shape)
        except ValueError:
            raise RuntimeError(f"expand({p.type()}{{{list(p.shape)}}}, size={list(self.shape)}): "
                               "the number of sizes provided must be greater or equal to the "
                               "number of dimensions in the tensor") from None
        return _fill(self, "bernoulli_tensor", rng.random(self._data.shape) < probs)
    _check_p_scalar(p, "bernoulli_")
    return _fill(self, "bernoulli_scalar", rng.random(self._data.shape) < p)


def _bernoulli_method(self, p=None, *, generator=None):
    """Out-of-place Bernoulli samples: probabilities ``self``, or ``p`` everywhere."""
    return bernoulli(self, p, generator=generator)


def _exponential_(self, lambd=1, *, generator=None):
    """Fill with Exponential(lambd) samples."""
    if not self.dtype.is_floating_point:
        raise RuntimeError("Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{_TYPE_TITLES[self.dtype]}")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    values = _rng(generator).standard_exponential(self._data.shape) / lambd
    return _fill(self, "exponential", values)


def _geometric_(self, p, *, generator=None):
    """Fill with Geometric(p) samples: the number of trials up to the first success (>= 1)."""
    if self.dtype is _dtype.bool or self.dtype.is_complex:
        raise _not_implemented("geometric_cpu", self.dtype)
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
    return _fill(self, "geometric", _rng(generator).geometric(p, self._data.shape))


def _log_normal_(self, mean=1, std=2, *, generator=None):
    """Fill with exp(N(mean, std)) samples."""
    _require_float(self.dtype, "log_normal_cpu", allow_complex=False)
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std}")
    return _fill(self, "log_normal", _rng(generator).lognormal(mean, std, self._data.shape))


def _cauchy_(self, median=0, sigma=1, *, generator=None):
    """Fill with Cauchy(median, sigma) samples."""
    if not self.dtype.is_floating_point:
        raise RuntimeError("Cauchy distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{_C_NAMES[self.dtype]}")
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma}")
    values = median + sigma * _rng(generator).standard_cauchy(self._data.shape)
    return _fill(self, "cauchy", values)


def _random_(self, from_=None, to=None, *, generator=None, **kwargs):
    """Fill with integers: [0, to), [from, to), or with no bounds every integer the dtype
    holds exactly from 0 up (up to 2**mantissa for floats)."""
    from_ = kwargs.pop("from", from_)
    _no_extra(kwargs, "random_")
    dtype = self.dtype
    if from_ is None and to is None:
        low, high, kind = 0, _int_limits(dtype)[1] + 1, "random"
    elif from_ is None or to is None:
        # random_(to) and random_(to=...) both mean [0, to).
        low, high, kind = 0, (to if from_ is None else from_), "random_to"
    else:
        low, high, kind = from_, to, "random_from_to"
    if kind != "random":
        _check_random_range(low, high, dtype)
    return _fill(self, kind, _integers(_rng(generator), low, high, self._data.shape, dtype))


def _no_extra(kwargs, name):
    if kwargs:
        raise TypeError(f"{name}() got an unexpected keyword argument '{next(iter(kwargs))}'")


def _multinomial_method(self, num_samples, replacement=False, *, generator=None):
    """See :func:`multinomial`."""
    return multinomial(self, num_samples, replacement, generator=generator)


Tensor.uniform_ = _uniform_
Tensor.normal_ = _normal_
Tensor.bernoulli_ = _bernoulli_
Tensor.bernoulli = _bernoulli_method
Tensor.exponential_ = _exponential_
Tensor.geometric_ = _geometric_
Tensor.log_normal_ = _log_normal_
Tensor.cauchy_ = _cauchy_
Tensor.random_ = _random_
Tensor.multinomial = _multinomial_method
