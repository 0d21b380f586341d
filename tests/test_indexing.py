"""Indexing behaviour of minitorch itself: views, storage sharing, version counters (no torch)."""
import numpy as np
import pytest

import minitorch


def test_basic_index_shares_storage_and_version():
    x = minitorch.arange(12.0).reshape(3, 4).clone()
    for view in (x[1], x[:, 2], x[1:, ::2], x[None], x[...], x[0, 1], x[-1, None, 1:3]):
        assert view._base is x
        assert np.shares_memory(view.numpy(), x.numpy())
        before = x._version_counter
        view.add_(1)
        assert x._version_counter == before + 1 == view._version_counter


def test_zero_d_select_is_a_writable_view():
    x = minitorch.zeros(2, 3)
    x[1, 2] = 7.0
    v = x[0, 1]
    v.fill_(3.0)
    assert x.tolist() == [[0.0, 3.0, 0.0], [0.0, 0.0, 7.0]]


def test_advanced_index_copies():
    x = minitorch.arange(6.0)
    for copy in (x[[0, 1]], x[x > 2], x[minitorch.tensor([1])], x[True]):
        assert copy._base is None
        assert not np.shares_memory(copy.numpy(), x.numpy())
    y = x[[0, 1]]
    y[0] = 100.0
    assert x[0].item() == 0.0


def test_setitem_bumps_version_once():
    x = minitorch.zeros(3, 4)
    for index, value in ((0, 1.0), ([0, 2], 2.0), ((slice(None), 1), minitorch.ones(3)),
                         (x > 1, 5.0), (Ellipsis, 0.5)):
        before = x._version_counter
        x[index] = value
        assert x._version_counter == before + 1, index
    before = x._version_counter
    x[False] = 1.0
    assert x._version_counter == before


def test_setitem_writes_through_nested_views_to_base():
    base = minitorch.zeros(4, 4)
    rows = base[1:3]
    rows[:, [0, 3]] = minitorch.tensor([[1.0, 2.0], [3.0, 4.0]])
    rows[0, 1:3] = 9.0
    expected = np.zeros((4, 4))
    expected[1, [0, 3]] = [1, 2]
    expected[2, [0, 3]] = [3, 4]
    expected[1, 1:3] = 9
    np.testing.assert_array_equal(base.numpy(), expected)
    assert rows._version_counter == base._version_counter == 2


def test_inplace_ops_and_their_versions():
    x = minitorch.zeros(3, 4)
    index = minitorch.tensor([[0, 1, 2, 0]])
    ops = [
        lambda: x.fill_(2.0), lambda: x.zero_(), lambda: x.copy_(minitorch.ones(4)),
        lambda: x.scatter_(0, index, 5.0), lambda: x.scatter_add_(0, index, minitorch.ones(1, 4)),
        lambda: x.index_fill_(1, minitorch.tensor([0]), -1.0),
        lambda: x.index_add_(0, minitorch.tensor([2]), minitorch.ones(1, 4)),
        lambda: x.index_copy_(0, minitorch.tensor([1]), minitorch.zeros(1, 4)),
        lambda: x.masked_fill_(x > 0, 0.0),
        lambda: x.masked_scatter_(x == 0, minitorch.arange(12.0)),
        lambda: x.index_put_((minitorch.tensor([0]),), minitorch.tensor(3.0)),
        lambda: x.put_(minitorch.tensor([11]), minitorch.tensor([8.0])),
        lambda: x.scatter_reduce_(0, index, minitorch.ones(1, 4), "amax"),
    ]
    for op in ops:
        before = x._version_counter
        assert op() is x
        assert x._version_counter == before + 1


@pytest.mark.parametrize("read", [lambda x, i: x[i], lambda x, i: x.gather(0, i),
                                  lambda x, i: x.index_select(0, i), lambda x, i: x.take(i),
                                  lambda x, i: (x * 1).index_put((i,), x[:3], True)])
def test_writing_a_saved_index_before_backward_raises(read):
    x = minitorch.ones(3, requires_grad=True)
    index = minitorch.tensor([0, 0, 2])
    y = read(x, index)
    index[0] = 1                    # as torch: the graph saved this very index tensor
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_modifying_output_needed_by_backward_raises():
    x = minitorch.ones(3, requires_grad=True)
    y = x.exp()
    y[0] = 0.0
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_leaf_write_rules():
    w = minitorch.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="view of a leaf Variable"):
        w[0] = 1.0
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        w[[0]] = 1.0
    with minitorch.no_grad():
        w[1:] = 4.0
        w.zero_()
    assert w.requires_grad and w.is_leaf and w.tolist() == [0.0, 0.0, 0.0]


def test_plain_tensor_becomes_non_leaf_when_assigned_a_grad_value():
    v = minitorch.tensor([2.0, 3.0], requires_grad=True)
    y = minitorch.zeros(2, 2)
    y[0] = v
    assert y.requires_grad and type(y.grad_fn).__name__ == "CopySlices"
    (y * 2).sum().backward()
    assert v.grad.tolist() == [2.0, 2.0]


def test_getitem_grad_fn_names():
    x = minitorch.ones(3, 4, requires_grad=True) * 1
    names = {repr(i): type(x[i].grad_fn).__name__
             for i in (0, (slice(1, None),), None, Ellipsis, ([0, 1],))}
    assert names == {"0": "SelectBackward0", "(slice(1, None, None),)": "SliceBackward0",
                     "None": "UnsqueezeBackward0", "Ellipsis": "AliasBackward0",
                     "([0, 1],)": "IndexBackward0"}


def test_unsupported_arguments_raise():
    x = minitorch.ones(3)
    with pytest.raises(NotImplementedError, match="sparse_grad"):
        minitorch.gather(x, 0, minitorch.tensor([0]), sparse_grad=True)
    with pytest.raises(NotImplementedError, match="out"):
        minitorch.index_select(x, 0, minitorch.tensor([0]), out=minitorch.ones(1))
    with pytest.raises(NotImplementedError, match="amax"):
        minitorch.scatter_reduce(x, 0, minitorch.tensor([0]), x, "max")


def test_index_errors_name_the_problem():
    x = minitorch.zeros(3, 4)
    with pytest.raises(IndexError, match="index 5 is out of bounds for dimension 0 with size 3"):
        x[5]
    with pytest.raises(IndexError, match="too many indices for tensor of dimension 2"):
        x[0, 0, 0]
    with pytest.raises(IndexError, match="valid indices"):
        x[1.5]
    with pytest.raises(IndexError, match="shape of the mask"):
        x[minitorch.ones(4, dtype=minitorch.bool)]
