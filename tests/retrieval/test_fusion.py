"""RRF fusion scaled to 0-1 and top-row selection."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.fusion import rrf, top_rows


def test_first_in_every_channel_scores_one() -> None:
    fused = rrf([[3, 1, 2], [3, 2], [3]])
    assert fused[3] == pytest.approx(1.0)
    assert all(0 < s < 1 for row, s in fused.items() if row != 3)


def test_scores_follow_rank_and_agreement() -> None:
    fused = rrf([[1, 2, 3], [2, 1, 3]], k=60)
    assert fused[1] == pytest.approx(fused[2])
    assert fused[3] < fused[1]
    assert rrf([[5, 6]], k=60)[6] == pytest.approx(61 / 62)


def test_weights_scale_channels() -> None:
    fused = rrf([[1], [2]], weights=[3.0, 1.0])
    assert fused[1] == pytest.approx(0.75) and fused[2] == pytest.approx(0.25)


def test_empty_rankings() -> None:
    assert rrf([[], []]) == {}
    assert rrf([]) == {}


def test_top_rows_best_first_positive_only_and_masked() -> None:
    scores = np.array([0.0, 0.5, 0.9, 0.1, 0.9])
    assert top_rows(scores, 3) == [2, 4, 1]
    assert top_rows(scores, 10) == [2, 4, 1, 3]
    mask = np.array([True, True, False, True, False])
    assert top_rows(scores, 3, mask) == [1, 3]
    assert top_rows(np.zeros(4), 3) == []
