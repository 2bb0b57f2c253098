"""The Milvus backend against the local one (the oracle: exact BM25 over live passages) and its own guarantees:
generations, rollback of an unpublished one, reweighting when the average length moves, one-line errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from retrieval.backends import Backend, open_index, open_writer
from retrieval.base import BIGRAM, LEXICAL, SpeechIndex
from retrieval.errors import BackendUnavailable, MissingExtra, RetrievalError
from retrieval.milvus import client as milvus_client
from retrieval.milvus import upkeep
from retrieval.models import Filters
from tests.conftest import Library, make_backend
from tests.retrieval.local.conftest import records, write_jsonl

QUERIES = [["招商", "引资", "项目"], ["粮食", "产量", "产量", "园区"], ["乡村", "振兴", "没有的词"], ["债务"]]
BIGRAM_QUERIES = [["招商", "商引", "引资"], ["粮食", "产量"], ["振兴", "乡村", "村振"]]


def _grow(lib: Library, tmp_path: Path) -> None:
    """Three commits, 20 documents changed (longer), 15 removed: weights written at three average lengths."""
    rows = records(120, seed=1)
    for i in range(3):
        lib.ingest(write_jsonl(tmp_path / f"batch{i}.jsonl", rows[40 * i : 40 * i + 40]))
    longer = "\n".join(["新增一段关于债务风险和园区招商的内容，要抓好项目落地。"] * 12)
    lib.ingest(write_jsonl(tmp_path / "changed.jsonl", [{**r, "text": r["text"] + "\n" + longer} for r in rows[:20]]))
    for r in rows[60:75]:
        assert lib.remove(r["doc_id"])


def _ranked(idx: SpeechIndex, channel: str, query: list[str], f: Filters | None = None) -> list[tuple]:
    found = idx.search(channel, query, 30, f)
    passages = idx.passages([c.chunk_id for c in found])
    return [(passages[c.chunk_id].chunk.doc_id, passages[c.chunk_id].chunk.ordinal, round(c.score, 5)) for c in found]


def _assert_same_ranking(a: list[tuple], b: list[tuple]) -> None:
    """The same scores in the same order, and the same passages at each score (only which of the passages tied at
    the last score make the cut may differ: float sums in another order can part exact ties)."""
    assert [r[2] for r in a] == [r[2] for r in b]
    last = a[-1][2] if a else None
    for score in {r[2] for r in a} - {last}:
        assert {r[:2] for r in a if r[2] == score} == {r[:2] for r in b if r[2] == score}


@pytest.fixture()
def pair(tmp_path: Path, milvus_uri: str) -> tuple[Library, Library]:
    libs = [Library(tmp_path / name / "index", make_backend(name, milvus_uri)) for name in ("local", "milvus")]
    for lib in libs:
        _grow(lib, tmp_path / lib.backend.name)
    return libs[0], libs[1]


def test_scores_stay_within_half_a_percent_of_the_local_backends_as_the_library_changes(pair) -> None:
    local, milvus = (lib.open() for lib in pair)
    for channel, queries in ((LEXICAL, QUERIES), (BIGRAM, BIGRAM_QUERIES)):
        for q in queries:
            exact = {row[:2]: row[2] for row in _ranked(local, channel, q)}
            near = {row[:2]: row[2] for row in _ranked(milvus, channel, q)}
            assert len(near) == len(exact)
            for key in near.keys() & exact.keys():
                assert near[key] == pytest.approx(exact[key], rel=0.005)
            # the made-up library is full of exact ties: which of them make the cut may differ, not the scores
            assert sorted(near.values()) == pytest.approx(sorted(exact.values()), rel=0.005)


def test_after_optimize_scores_and_statistics_equal_the_local_backends(pair) -> None:
    from ingest.pipeline import optimize

    for lib in pair:
        optimize(lib.root, lib.backend)
    local, milvus = (lib.open() for lib in pair)
    assert (len(milvus), milvus.n_documents) == (len(local), local.n_documents) == (len(local), 105)
    assert milvus.words.n_docs == local.words.n_docs
    for q in QUERIES:
        _assert_same_ranking(_ranked(milvus, LEXICAL, q), _ranked(local, LEXICAL, q))
        assert [milvus.words.df(t) for t in q] == [local.words.df(t) for t in q]
    for q in BIGRAM_QUERIES:
        _assert_same_ranking(_ranked(milvus, BIGRAM, q), _ranked(local, BIGRAM, q))
    f = Filters(place="青禾县", exclude_doc_ids=["d0001", "d0002"])
    _assert_same_ranking(_ranked(milvus, LEXICAL, QUERIES[0], f), _ranked(local, LEXICAL, QUERIES[0], f))
    assert [r.doc_id for r in milvus.documents()] == [r.doc_id for r in local.documents()]


def test_weights_written_at_another_average_are_rewritten(tmp_path: Path, milvus_uri: str,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    lib = Library(tmp_path / "index", make_backend("milvus", milvus_uri))
    calls = []
    real = upkeep.reweigh_passages
    monkeypatch.setattr(upkeep, "reweigh_passages", lambda *a: calls.append(real(*a)) or calls[-1])
    _grow(lib, tmp_path)
    assert calls[0] == 0 and any(calls[1:])  # the first commit is weighted right; longer documents moved the average
    idx = lib.open()
    rows = idx.client.query(f"{lib.backend.collection}_passages", filter="died == 0",
                            output_fields=["avg_words", "avg_bigrams"], limit=10_000)
    current = idx.commit.avg("words")
    assert all(abs(r["avg_words"] / current - 1) <= upkeep.REWEIGH for r in rows)


def test_a_reader_keeps_its_generation(lib: Library, tmp_path: Path) -> None:
    rows = records(30, seed=3)
    lib.ingest(write_jsonl(tmp_path / "a.jsonl", rows[:20]))
    old = lib.open()
    lib.ingest(write_jsonl(tmp_path / "b.jsonl", rows[20:]))
    new = lib.open()
    assert (old.n_documents, new.n_documents) == (20, 30)
    assert len(list(old.documents())) == 20 and len(list(new.documents())) == 30
    assert {p.chunk.doc_id for p in old.passages([c.chunk_id for c in old.search(LEXICAL, ["项目"], 100)]).values()} \
        <= {r["doc_id"] for r in rows[:20]}


def test_an_unpublished_generation_is_rolled_back(tmp_path: Path, milvus_uri: str) -> None:
    lib = Library(tmp_path / "index", make_backend("milvus", milvus_uri))
    rows = records(20, seed=4)
    lib.ingest(write_jsonl(tmp_path / "a.jsonl", rows[:10]))
    before = [(r.doc_id, r.content_hash) for r in lib.open().documents()]
    from ingest.pipeline import IngestOptions, Ingestor, IngestReport

    ingestor = Ingestor(lib.root, IngestOptions(backend=lib.backend))
    with open_writer(lib.root, backend=lib.backend) as writer:  # a run that dies before its commit
        ingestor._stream([write_jsonl(tmp_path / "b.jsonl", rows[10:])], writer, IngestReport(), None)
        writer.flush()
        assert writer.remove("d0001")
    assert [(r.doc_id, r.content_hash) for r in lib.open().documents()] == before
    lib.ingest(write_jsonl(tmp_path / "c.jsonl", rows[:3]))  # the next writer rolled it back first
    idx = lib.open()
    assert [r.doc_id for r in idx.documents()] == [r["doc_id"] for r in rows[:10]]
    assert len(idx) == sum(len(idx.doc_passages(r["doc_id"])) for r in rows[:10]) == idx.words.n_docs
    assert idx.words.df("没有的词") == 0 and idx.words.df("项目") <= len(idx)


def test_an_unreachable_server_is_one_line_naming_the_uri(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(milvus_client, "TIMEOUT_S", 1.0)
    with pytest.raises(BackendUnavailable, match=r"cannot reach Milvus at http://127\.0\.0\.1:9") as err:
        open_index(Path("unused"), backend=Backend("milvus", "http://127.0.0.1:9", collection="x"))
    assert "\n" not in str(err.value)
    with pytest.raises(BackendUnavailable, match="neither a milvus-lite file"):
        open_index(Path("unused"), backend=Backend("milvus", "/srv/milvus-data", collection="x"))
    with pytest.raises(RetrievalError, match="SPEECHBOT_MILVUS_URI"):
        open_index(Path("unused"), backend=Backend("milvus"))


def test_without_pymilvus_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "pymilvus", None)
    with pytest.raises(MissingExtra, match=r"pip install 'speechbot\[milvus\]'"):
        open_index(tmp_path, backend=Backend("milvus", str(tmp_path / "fresh.db"), collection="x"))


def test_an_empty_milvus_index_says_how_to_create_one(milvus_uri: str, tmp_path: Path) -> None:
    with pytest.raises(RetrievalError, match="speechbot ingest"):
        open_index(tmp_path, backend=make_backend("milvus", milvus_uri))
