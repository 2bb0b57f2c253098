"""The fold draws benchmarks/fit.py picks the refusal threshold over, and the rows its refusal model is fit on."""

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


def _part(n: int, answer: int | None, rng: np.random.RandomState) -> dict:
    from benchmarks.fit import STATIC, _feature_names
    from bot.extractive import CONFLICTS

    names = _feature_names()
    x = rng.rand(n, len(names)).astype(np.float32)
    x[:, [i for i, k in enumerate(names) if k in CONFLICTS or k.startswith("kind_")]] = 0  # every one admissible
    y = np.zeros(n, dtype=np.int8)
    if answer is not None:
        y[answer] = 1
    return {"static": {k: 0.5 for k in STATIC}, "x": x, "y": y, "doc": [f"d{i % 2}" for i in range(n)],
            "text": [f"s{i}" for i in range(n)]}


def test_answer_removed_questions_are_negatives_of_the_weight_asked() -> None:
    from benchmarks.fit import _answerable_matrix, _feature_names

    rng = np.random.RandomState(0)
    data = {"questions": [{"question": "q1"}, {"question": "q2", "answerable": False}],
            "asked": [{"parts": [_part(4, 1, rng)]}, {"parts": [_part(3, None, rng)]}],
            "removed": [{"parts": [_part(3, None, rng)]}], "near": {}}
    w, b = np.zeros(len(_feature_names())), 0.0
    x, y, weight = _answerable_matrix([data], w, b, near_miss=0.5)
    # asked (a positive), gold removed (a negative), the asked passages without the answer sentence (half a one);
    # a question that has no answer is not a training row
    assert y.tolist() == [1, 0, 0] and weight.tolist() == [1.0, 1.0, 0.5] and len(x) == 3
    x, y, weight = _answerable_matrix([data], w, b, near_miss=0.0)
    assert y.tolist() == [1, 0] and weight.tolist() == [1.0, 1.0]
