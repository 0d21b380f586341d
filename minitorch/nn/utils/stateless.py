"""functional_call: run a module with some parameters and buffers swapped for given tensors."""
import contextlib
import warnings

__all__ = ["functional_call"]


def _untie_named_tensors_map(module, parameters_and_buffers):
    """Extend the given name -> tensor map to every name that aliases the same tensor."""
    all_named = dict(module.named_parameters(remove_duplicate=False))
    all_named.update(module.named_buffers(remove_duplicate=False))
    names_by_tensor = {}
    for name, tensor in all_named.items():
        names_by_tensor.setdefault(id(tensor), set()).add(name)
    tied_names_map = {}
    for names in names_by_tensor.values():
        if len(names) > 1:
            for name in names:
                tied_names_map[name] = names
    given = set(parameters_and_buffers)
    given_tied = {name for name in given if name in tied_names_map}
    for name in given_tied:
        tied = tied_names_map[name]
        values = {id(parameters_and_buffers[n]) for n in tied if n in given_tied}
        if len(tied & given_tied) > 1 and len(values) != 1:
            raise ValueError(f"functional_call got multiple values for keys {sorted(tied)}, "
                             "which are tied. Consider using tie_weights=False")
    untied = dict(parameters_and_buffers)
    for name in given_tied:
        for tied_name in tied_names_map[name]:
            untied[tied_name] = parameters_and_buffers[name]
    return untied


def _owner(module, name):
    *path, leaf = name.split(".")
    for part in path:
        module = getattr(module, part)
    return module, leaf


def _swap(module, name, value):
    """Put ``value`` where ``name`` lives and return what was there."""
    owner, leaf = _owner(module, name)
    for registry in (owner._parameters, owner._buffers):
        if leaf in registry:
            old = registry[leaf]
            registry[leaf] = value
            return old
    old = getattr(owner, leaf, None)
    object.__setattr__(owner, leaf, value)
    return old


def _check_keys(module, names, module_name):
    expected = set(dict(module.named_parameters(remove_duplicate=False)))
    expected |= set(dict(module.named_buffers(remove_duplicate=False)))
    unexpected = sorted(set(names) - expected)
    missing = sorted(expected - set(names))
    errors = []
    if unexpected:
        errors.append(f"Unexpected key(s): {', '.join(map(repr, unexpected))}.")
    if missing:
        errors.append(f"Missing key(s): {', '.join(map(repr, missing))}.")
    if errors:
        raise RuntimeError("Error(s) in reparametrizing for {}:\n\t{}".format(
            module_name, "\n\t".join(errors)))


@contextlib.contextmanager
def _reparametrize_module(module, parameters_and_buffers, tie_weights=False, strict=False):
    if tie_weights:
        parameters_and_buffers = _untie_named_tensors_map(module, parameters_and_buffers)
    if strict:
        _check_keys(module, parameters_and_buffers, module._get_name())
    originals = {}
    try:
        for name, value in parameters_and_buffers.items():
            originals[name] = _swap(module, name, value)
        yield
    finally:
        for name, value in originals.items():
            _swap(module, name, value)


def functional_call(module, parameters_and_buffers, args=None, kwargs=None, *, tie_weights=True,
                    strict=False):
    """Call ``module`` with the named tensors replaced by ``parameters_and_buffers``; the module
    is restored afterwards. Deprecated in torch in favor of torch.func.functional_call."""
    warnings.warn("`torch.nn.utils.stateless.functional_call` is deprecated as of PyTorch 2.0 "
                  "and will be removed in a future version of PyTorch. Please use "
                  "`torch.func.functional_call` instead which is a drop-in replacement.",
                  FutureWarning, stacklevel=2)
    if kwargs is None:
        kwargs = {}
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    with _reparametrize_module(module, parameters_and_buffers, tie_weights=tie_weights,
                               strict=strict):
        return module(*args, **kwargs)
