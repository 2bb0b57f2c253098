"""LexicalIndex: BM25 scores, persistence, document frequencies and the 0-1 reference."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from retrieval.lexical import LexicalIndex

CORPUS = [["招商", "引资", "项目", "40个", "40"], ["债务", "风险", "化解"], ["项目", "园区", "项目"], []]


def _lucene(tf: int, dl: int, avgdl: float, df: int, n: int, k1: float = 1.2, b: float = 0.75) -> float:
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return idf * tf / (tf + k1 * (1 - b + b * dl / avgdl))


def test_scores_match_lucene_bm25_by_hand() -> None:
    index = LexicalIndex.build(CORPUS)
    avgdl = sum(map(len, CORPUS)) / len(CORPUS)
    scores = index.scores(["项目"])
    assert scores[0] == pytest.approx(_lucene(1, 5, avgdl, 2, 4), rel=1e-4)
    assert scores[2] == pytest.approx(_lucene(2, 3, avgdl, 2, 4), rel=1e-4)
    assert scores[1] == 0 and scores[3] == 0


def test_unknown_tokens_are_ignored() -> None:
    index = LexicalIndex.build(CORPUS)
    np.testing.assert_allclose(index.scores(["项目", "从未出现"]), index.scores(["项目"]))
    assert not index.scores(["从未出现"]).any()


def test_save_load_round_trip(tmp_path: Path) -> None:
    index = LexicalIndex.build(CORPUS)
    index.save(tmp_path / "words")
    loaded = LexicalIndex.load(tmp_path / "words")
    assert loaded.n_docs == 4 and loaded.df("项目") == 2
    np.testing.assert_allclose(loaded.scores(["债务", "项目"]), index.scores(["债务", "项目"]))


def test_empty_index(tmp_path: Path) -> None:
    index = LexicalIndex.build([])
    index.save(tmp_path / "e")
    loaded = LexicalIndex.load(tmp_path / "e")
    assert loaded.n_docs == 0 and loaded.scores(["项目"]).shape == (0,)


def test_df_counts_documents_not_occurrences() -> None:
    assert LexicalIndex.build(CORPUS).df("项目") == 2


def test_reference_maps_an_average_passage_to_about_one() -> None:
    index = LexicalIndex.build(CORPUS)
    query = ["债务", "风险"]
    assert index.reference(query) == pytest.approx(index.idf("债务") + index.idf("风险"))
    assert index.reference(["从未出现"]) == 1.0
    assert float(index.scores(query).max()) / index.reference(query) <= 1.0 + 1e-6
