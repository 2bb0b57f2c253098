"""Filters: place, speaker, dates and document ids restrict the passages a search may return, in every channel, on
each backend (SQL over the local document store, Milvus expressions)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from retrieval.base import BIGRAM, LEXICAL, SpeechIndex
from retrieval.models import Filters
from retrieval.search import Searcher
from tests.conftest import Library
from tests.speech_fixtures import SPEECH_LANSHAN, SPEECH_QINGHE, write

# qinghe: 林海川, 2024-02-18, 青禾县; lanshan: 周明远, 2023-09-05, 岚山市
CASES = [
    (Filters(), {"qinghe", "lanshan"}),
    (Filters(speaker="林海川"), {"qinghe"}),
    (Filters(speaker="周明远"), {"lanshan"}),
    (Filters(speaker="无此人"), set()),
    (Filters(date_from=dt.date(2024, 1, 1)), {"qinghe"}),
    (Filters(date_from=dt.date(2024, 2, 19)), set()),
    (Filters(date_to=dt.date(2024, 2, 18)), {"qinghe", "lanshan"}),
    (Filters(date_to=dt.date(2023, 12, 31)), {"lanshan"}),
    (Filters(doc_ids=["qinghe"]), {"qinghe"}),
    (Filters(doc_ids=["nope"]), set()),
    (Filters(exclude_doc_ids=["qinghe"]), {"lanshan"}),
    (Filters(doc_ids=["qinghe"], exclude_doc_ids=["qinghe"]), set()),
    (Filters(speaker="林海川", date_to=dt.date(2023, 12, 31)), set()),
]


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory, module_lib: Library) -> SpeechIndex:
    src = tmp_path_factory.mktemp("filters") / "src"
    records = [
        {"doc_id": "qinghe", "speaker": "林海川", "date": "2024-02-18", "place": "青禾县", "text": SPEECH_QINGHE},
        {"doc_id": "lanshan", "speaker": "周明远", "date": "2023-09-05", "place": "岚山市", "text": SPEECH_LANSHAN},
        {"doc_id": "undated", "text": "一份没有日期的通知：今年要抓好产业项目。"},
    ]
    write(src, "speeches.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    module_lib.ingest(src)
    return module_lib.open()


def _docs(index: SpeechIndex, f: Filters, q: str = "今年 要 产业 项目") -> set[str]:
    hits = Searcher(index).search(q, 20, f).hits
    return {h.chunk.doc_id for h in hits} - {"undated"}


@pytest.mark.parametrize(("f", "expected"), CASES)
def test_filters_restrict_search(index: SpeechIndex, f: Filters, expected: set[str]) -> None:
    assert _docs(index, f) == expected


@pytest.mark.parametrize(("f", "expected"), CASES)
def test_every_channel_honours_the_filter(index: SpeechIndex, f: Filters, expected: set[str]) -> None:
    for channel, query in ((LEXICAL, ["今年", "产业", "项目", "粮食"]), (BIGRAM, ["今年", "产业", "项目", "粮食"])):
        found = index.passages([c.chunk_id for c in index.search(channel, query, 50, f)])
        assert {p.chunk.doc_id for p in found.values()} - {"undated"} <= expected


def test_a_date_filter_leaves_out_undated_documents(index: SpeechIndex) -> None:
    hits = Searcher(index).search("没有日期的通知", 20, Filters(date_from=dt.date(2000, 1, 1))).hits
    assert "undated" not in {h.chunk.doc_id for h in hits}
    assert "undated" in {h.chunk.doc_id for h in Searcher(index).search("没有日期的通知", 20).hits}


def test_place_filter(index: SpeechIndex) -> None:
    place = index.record("lanshan").meta.place
    assert _docs(index, Filters(place=place)) == {"lanshan"}


def test_is_empty() -> None:
    assert Filters().is_empty() and not Filters(place="x").is_empty()
