"""One lexical channel of the segment index: BM25 by hand, document frequencies, unknown tokens, the 0-1 reference
(the tests of the former bm25s-backed LexicalIndex, over a written and memory-mapped segment)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from retrieval.local.lexical import LexicalChannel, Part
from retrieval.local.postings import encode
from retrieval.local.segment import NewSegment, Segment, write_segment

CORPUS = [["招商", "引资", "项目", "40个", "40"], ["债务", "风险", "化解"], ["项目", "园区", "项目"], []]


def _channel(folder: Path, corpus: list[list[str]]) -> LexicalChannel:
    enc = encode(corpus)
    write_segment(folder, NewSegment(np.arange(len(corpus), dtype=np.int64), {"words": enc, "bigrams": enc}))
    return LexicalChannel([Part(Segment(folder).channels["words"])])


def _lucene(tf: int, dl: int, avgdl: float, df: int, n: int, k1: float = 1.2, b: float = 0.75) -> float:
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return idf * tf / (tf + k1 * (1 - b + b * dl / avgdl))


def test_scores_match_lucene_bm25_by_hand(tmp_path: Path) -> None:
    (scores,) = _channel(tmp_path / "s", CORPUS).scores(["项目"])
    avgdl = sum(map(len, CORPUS)) / len(CORPUS)
    assert scores[0] == pytest.approx(_lucene(1, 5, avgdl, 2, 4), rel=1e-4)
    assert scores[2] == pytest.approx(_lucene(2, 3, avgdl, 2, 4), rel=1e-4)
    assert scores[1] == 0 and scores[3] == 0


def test_unknown_tokens_are_ignored(tmp_path: Path) -> None:
    lex = _channel(tmp_path / "s", CORPUS)
    np.testing.assert_allclose(lex.scores(["项目", "从未出现"])[0], lex.scores(["项目"])[0])
    assert not lex.scores(["从未出现"])[0].any()


def test_a_reopened_segment_scores_the_same(tmp_path: Path) -> None:
    lex = _channel(tmp_path / "s", CORPUS)
    again = LexicalChannel([Part(Segment(tmp_path / "s").channels["words"])])
    assert again.n_docs == 4 and again.df("项目") == 2
    np.testing.assert_allclose(again.scores(["债务", "项目"])[0], lex.scores(["债务", "项目"])[0])


def test_empty_segment(tmp_path: Path) -> None:
    lex = _channel(tmp_path / "e", [])
    assert lex.n_docs == 0 and lex.scores(["项目"])[0].shape == (0,) and lex.top(["项目"], 5) == []


def test_df_counts_documents_not_occurrences(tmp_path: Path) -> None:
    assert _channel(tmp_path / "s", CORPUS).df("项目") == 2


def test_reference_maps_an_average_passage_to_about_one(tmp_path: Path) -> None:
    lex = _channel(tmp_path / "s", CORPUS)
    query = ["债务", "风险"]
    assert lex.reference(query) == pytest.approx(lex.idf("债务") + lex.idf("风险"))
    assert lex.reference(["从未出现"]) == 1.0
    assert float(lex.scores(query)[0].max()) / lex.reference(query) <= 1.0 + 1e-6
