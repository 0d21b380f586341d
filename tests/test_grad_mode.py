"""Grad-mode switches: no_grad, enable_grad, set_grad_enabled, inference_mode."""
import threading

import pytest

import minitorch as torch


@pytest.fixture
def x():
    return torch.tensor([1.0, 2.0], requires_grad=True)


def test_no_grad_context_stops_recording(x):
    with torch.no_grad():
        y = x * 2
        assert not torch.is_grad_enabled()
    assert torch.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None


def test_no_grad_restores_previous_state_even_on_error(x):
    with pytest.raises(ValueError):
        with torch.no_grad():
            raise ValueError("boom")
    assert torch.is_grad_enabled()


def test_no_grad_decorator_with_and_without_parentheses(x):
    @torch.no_grad()
    def f(t):
        return t * 2

    @torch.no_grad
    def g(t):
        return t * 3

    assert f(x).grad_fn is None
    assert g(x).grad_fn is None
    assert f.__name__ == "f" and g.__name__ == "g"
    assert torch.is_grad_enabled()


def test_no_grad_decorator_on_generator_applies_to_every_step(x):
    @torch.no_grad()
    def gen():
        for _ in range(3):
            yield torch.is_grad_enabled(), x * 2

    results = []
    for enabled, y in gen():
        # The caller's own code between steps records normally.
        results.append((enabled, y.requires_grad, torch.is_grad_enabled()))
    assert results == [(False, False, True)] * 3


def test_enable_grad_inside_no_grad(x):
    with torch.no_grad():
        with torch.enable_grad():
            y = x * 2
        z = x * 2
    assert y.requires_grad and not z.requires_grad

    @torch.enable_grad()
    def f():
        return x * 2

    with torch.no_grad():
        assert f().requires_grad


def test_set_grad_enabled_as_function_and_context(x):
    torch.set_grad_enabled(False)
    try:
        assert not torch.is_grad_enabled()
        assert not (x * 2).requires_grad
    finally:
        torch.set_grad_enabled(True)
    with torch.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert torch.is_grad_enabled()
    with torch.no_grad():
        with torch.set_grad_enabled(True):
            assert (x * 2).requires_grad
        assert not torch.is_grad_enabled()


def test_set_grad_enabled_decorator(x):
    @torch.set_grad_enabled(False)
    def f():
        return torch.is_grad_enabled()

    assert f() is False
    assert torch.is_grad_enabled()


def test_set_grad_enabled_rejects_non_bool():
    with pytest.raises(TypeError):
        torch.set_grad_enabled(1)


def test_inference_mode(x):
    with torch.inference_mode():
        assert torch.is_inference_mode_enabled()
        assert not (x * 2).requires_grad
    assert not torch.is_inference_mode_enabled()
    with torch.inference_mode(False):
        assert (x * 2).requires_grad

    @torch.inference_mode()
    def f():
        return x * 2

    @torch.inference_mode
    def g():
        return x * 2

    assert not f().requires_grad and not g().requires_grad


def test_grad_mode_is_thread_local(x):
    seen = {}
    inside = threading.Event()
    release = threading.Event()

    def worker():
        with torch.no_grad():
            inside.set()
            release.wait(5)
            seen["worker"] = (torch.is_grad_enabled(), (x * 2).requires_grad)

    thread = threading.Thread(target=worker)
    thread.start()
    inside.wait(5)
    # The other thread is inside no_grad right now; this one still records.
    seen["main"] = (torch.is_grad_enabled(), (x * 2).requires_grad)
    release.set()
    thread.join()
    assert seen["main"] == (True, True)
    assert seen["worker"] == (False, False)


def test_new_thread_starts_with_grad_enabled():
    seen = []
    with torch.no_grad():
        thread = threading.Thread(target=lambda: seen.append(torch.is_grad_enabled()))
        thread.start()
        thread.join()
    assert seen == [True]


def test_inplace_on_leaf_allowed_under_no_grad(x):
    with torch.no_grad():
        x.mul_(2)
    assert x.tolist() == [2.0, 4.0]
    assert x.is_leaf and x.requires_grad
