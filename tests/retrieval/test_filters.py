"""Filters: place, speaker, dates and document ids restrict the rows a search may return."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from retrieval.filters import allowed_rows, doc_matches
from retrieval.index import SpeechIndex
from retrieval.models import DocumentMeta, Filters
from retrieval.search import Searcher
from tests.speech_fixtures import SPEECH_LANSHAN, SPEECH_QINGHE, write

META = DocumentMeta(title="讲话", speaker="县委书记林海川", date=dt.date(2024, 2, 18), place="青禾县",
                    places=["青禾县"])


@pytest.mark.parametrize(("f", "ok"), [
    (Filters(), True),
    (Filters(speaker="林海川"), True),
    (Filters(speaker="周明远"), False),
    (Filters(date_from=dt.date(2024, 1, 1)), True),
    (Filters(date_from=dt.date(2024, 2, 19)), False),
    (Filters(date_to=dt.date(2024, 2, 18)), True),
    (Filters(date_to=dt.date(2023, 12, 31)), False),
    (Filters(doc_ids=["a"]), True),
    (Filters(doc_ids=["b"]), False),
    (Filters(exclude_doc_ids=["b"]), True),
    (Filters(exclude_doc_ids=["a"]), False),
])
def test_doc_matches(f: Filters, ok: bool) -> None:
    assert doc_matches(META, "a", f) is ok


def test_a_date_filter_excludes_undated_documents() -> None:
    assert not doc_matches(DocumentMeta(), "a", Filters(date_from=dt.date(2000, 1, 1)))


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SpeechIndex:
    from ingest.pipeline import IngestOptions, Ingestor

    root = tmp_path_factory.mktemp("filters")
    src = root / "src"
    records = [
        {"doc_id": "qinghe", "speaker": "林海川", "date": "2024-02-18", "place": "青禾县", "text": SPEECH_QINGHE},
        {"doc_id": "lanshan", "speaker": "周明远", "date": "2023-09-05", "place": "岚山市", "text": SPEECH_LANSHAN},
    ]
    write(src, "speeches.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in records))
    Ingestor(root / "index", IngestOptions()).run([src])
    return SpeechIndex.open(root / "index")


def _docs(index: SpeechIndex, f: Filters, q: str = "今年 要 产业 项目") -> set[str]:
    hits = Searcher(index).search(q, 20, f).hits
    return {h.chunk.doc_id for h in hits}


def test_unfiltered_search_sees_both(index: SpeechIndex) -> None:
    assert _docs(index, Filters()) == {"qinghe", "lanshan"}
    assert allowed_rows(index, Filters()) is None


@pytest.mark.parametrize(("f", "expected"), [
    (Filters(speaker="周明远"), {"lanshan"}),
    (Filters(doc_ids=["qinghe"]), {"qinghe"}),
    (Filters(date_from=dt.date(2024, 1, 1)), {"qinghe"}),
    (Filters(date_to=dt.date(2023, 12, 31)), {"lanshan"}),
    (Filters(speaker="无此人"), set()),
])
def test_filters_restrict_search(index: SpeechIndex, f: Filters, expected: set[str]) -> None:
    assert _docs(index, f) == expected
    mask = allowed_rows(index, f)
    assert {index.chunks[r].doc_id for r in mask.nonzero()[0]} == expected


def test_place_filter(index: SpeechIndex) -> None:
    place = index.records["lanshan"].meta.place
    assert _docs(index, Filters(place=place)) == {"lanshan"}


def test_is_empty() -> None:
    assert Filters().is_empty() and not Filters(place="x").is_empty()


def test_excluded_documents_are_never_returned(index: SpeechIndex) -> None:
    assert _docs(index, Filters(exclude_doc_ids=["qinghe"])) == {"lanshan"}
