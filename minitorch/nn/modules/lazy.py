"""LazyModuleMixin: modules whose parameter shapes come from their first input.

A lazy module starts with ``UninitializedParameter``/``UninitializedBuffer``
placeholders and two hooks:

- a forward pre-hook, which calls ``initialize_parameters(*args)`` to give the
  placeholders their shapes, then turns the module into ``cls_to_become``
  (``LazyLinear`` becomes ``Linear``) and removes both hooks;
- a ``load_state_dict`` pre-hook, which gives each placeholder the shape of the
  tensor about to be copied into it, so a checkpoint loads before any forward.
  The class stays lazy until that first forward, as in torch.
"""
import itertools

from ...autograd import grad_mode
from ...autograd.graph import RemovableHandle
from ..parameter import is_lazy

__all__ = ["LazyModuleMixin"]


class LazyModuleMixin:
    """Mixed in before a module class: ``class LazyLinear(LazyModuleMixin, Linear)``.

    Subclasses implement ``initialize_parameters(*args)``, which materializes every
    placeholder from the forward's arguments.
    """

    cls_to_become = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The hooks are bound methods kept by id rather than handles: handles hold weak
        # references, which would stop the module from being pickled or deep-copied.
        load_hook_id = RemovableHandle(self._load_state_dict_pre_hooks).id
        self._load_state_dict_pre_hooks[load_hook_id] = self._lazy_load_hook
        self._load_hook_id = load_hook_id
        self._initialize_hook_id = self.register_forward_pre_hook(
            self._infer_parameters, with_kwargs=True).id

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        # As Module's, but placeholders go in as themselves: detach() would make them
        # ordinary (empty) tensors.
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if is_lazy(param) or keep_vars \
                    else param.detach()
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buf if is_lazy(buf) or keep_vars else buf.detach()

    def _lazy_load_hook(self, state_dict, prefix, local_metadata, strict, missing_keys,
                        unexpected_keys, error_msgs):
        """Give each placeholder the shape of the real tensor about to be loaded into it."""
        for name, param in itertools.chain(self._parameters.items(), self._buffers.items()):
            key = prefix + name
            if key in state_dict and param is not None and is_lazy(param):
                incoming = state_dict[key]
                if not is_lazy(incoming):
                    with grad_mode.no_grad():
                        param.materialize(incoming.shape)

    def initialize_parameters(self, *args, **kwargs):
        """Materialize the placeholders from the first forward's arguments."""
        raise NotImplementedError("initialize_parameters is not implemented for "
                                  f"{self.__class__.__name__}")

    def has_uninitialized_params(self):
        """True while any parameter or buffer is still a placeholder."""
        tensors = itertools.chain(self._parameters.values(), self._buffers.values())
        return any(is_lazy(t) for t in tensors)

    def _infer_parameters(self, module, args, kwargs=None):
        """The forward pre-hook: initialise, then become ``cls_to_become`` for good."""
        module.initialize_parameters(*args, **(kwargs or {}))
        if module.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")
        module._forward_pre_hooks.pop(module._initialize_hook_id, None)
        module._forward_pre_hooks_with_kwargs.pop(module._initialize_hook_id, None)
        module._load_state_dict_pre_hooks.pop(module._load_hook_id, None)
        del module._initialize_hook_id, module._load_hook_id
        if module.cls_to_become is not None:
            module.__class__ = module.cls_to_become

    def _replicate_for_data_parallel(self):
        raise RuntimeError("Modules with uninitialized parameters can't be used with "
                           "`DataParallel`. Run a dummy forward pass to correctly initialize "
                           "the modules")
