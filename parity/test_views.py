"""In-place rules for views of multi-output view ops (split/chunk/unbind), as torch."""
from harness import check_error, rand


def test_view_of_a_split_output_refuses_inplace_under_autograd():
    err = check_error(lambda lib, x: (x.requires_grad_() * 1).split(2)[1][0:1].mul_(2),
                      rand(4, 3))
    assert "Output 0 of Slice is a view" in str(err[1]) and str(err[0]) == str(err[1])


def test_split_output_message_matches_torch():
    torch_error, ours = check_error(lambda lib, x: (x.requires_grad_() * 1).unbind()[2].add_(1),
                                    rand(4, 3))
    assert str(ours) == str(torch_error)
