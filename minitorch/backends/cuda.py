"""torch.backends.cuda: CUDA's matmul and attention switches (settable; no CUDA runs)."""
__all__ = ["is_built", "matmul", "cufft_plan_cache", "flash_sdp_enabled", "enable_flash_sdp",
           "mem_efficient_sdp_enabled", "enable_mem_efficient_sdp", "math_sdp_enabled",
           "enable_math_sdp", "cudnn_sdp_enabled", "enable_cudnn_sdp", "preferred_linalg_library"]


def is_built():
    """False: minitorch is not built with CUDA."""
    return False


class cuBLASModule:
    """``matmul.allow_tf32`` and friends; allow_tf32 mirrors float32 matmul precision, as torch."""

    _defaults = {"allow_fp16_reduced_precision_reduction": True,
                 "allow_bf16_reduced_precision_reduction": True,
                 "allow_fp16_accumulation": False}
    _setter_names = {"allow_tf32": "set_allow_tf32_cublas",
                     "allow_fp16_reduced_precision_reduction": "set_allow_fp16_reduction_cublas",
                     "allow_bf16_reduced_precision_reduction": "set_allow_bf16_reduction_cublas",
                     "allow_fp16_accumulation": "set_allow_fp16_accumulation_cublas"}

    def __init__(self):
        object.__setattr__(self, "_values", dict(self._defaults))

    def __getattr__(self, name):
        from .._stand_ins import get_float32_matmul_precision
        if name == "allow_tf32":
            # torch stores one setting: TF32 is allowed unless precision is "highest".
            return get_float32_matmul_precision() != "highest"
        if name in self._values:
            return self._values[name]
        raise AttributeError("Unknown attribute " + name)

    def __setattr__(self, name, value):
        from .._stand_ins import set_float32_matmul_precision
        if name not in self._setter_names:
            raise AttributeError("Unknown attribute " + name)
        if not isinstance(value, bool):
            raise RuntimeError(f"{self._setter_names[name]} expects a bool, but got "
                               f"{type(value).__name__}")
        if name == "allow_tf32":
            set_float32_matmul_precision("high" if value else "highest")
        else:
            self._values[name] = value


matmul = cuBLASModule()


class _CuFFTPlanCache:
    """No cuFFT plans are ever cached (size 0)."""

    size = 0
    max_size = 0

    def clear(self):
        """Nothing to clear."""


cufft_plan_cache = _CuFFTPlanCache()

# Which scaled_dot_product_attention kernels may run; torch enables all by default.
_sdp = {"flash": True, "mem_efficient": True, "math": True, "cudnn": True}


def flash_sdp_enabled():
    return _sdp["flash"]


def enable_flash_sdp(enabled):
    _sdp["flash"] = bool(enabled)


def mem_efficient_sdp_enabled():
    return _sdp["mem_efficient"]


def enable_mem_efficient_sdp(enabled):
    _sdp["mem_efficient"] = bool(enabled)


def math_sdp_enabled():
    return _sdp["math"]


def enable_math_sdp(enabled):
    _sdp["math"] = bool(enabled)


def cudnn_sdp_enabled():
    return _sdp["cudnn"]


def enable_cudnn_sdp(enabled):
    _sdp["cudnn"] = bool(enabled)


def preferred_linalg_library(backend=None):
    """Raises: there is no CUDA linear-algebra library to choose."""
    raise NotImplementedError("minitorch has no CUDA linear-algebra backends "
                              "(preferred_linalg_library)")
