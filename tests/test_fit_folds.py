"""The fold draws benchmarks/fit.py picks the refusal threshold over."""

import numpy as np

from benchmarks.fit import _folds


def test_the_first_draw_puts_question_i_in_fold_i_mod_k() -> None:
    assert _folds(7, 3, 0).tolist() == [0, 1, 2, 0, 1, 2, 0]


def test_other_draws_shuffle_the_questions_but_keep_the_fold_sizes() -> None:
    first, other = _folds(103, 5, 0), _folds(103, 5, 3)
    assert np.bincount(other).tolist() == np.bincount(first).tolist()
    assert other.tolist() != first.tolist()
    assert other.tolist() == _folds(103, 5, 3).tolist()  # a draw is reproducible
    assert other.tolist() != _folds(103, 5, 4).tolist()
