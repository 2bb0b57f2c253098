"""The segment index: one new segment per commit, tombstones, merges, exact global statistics, reopening."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np
import pytest

from ingest.pipeline import optimize, remove_document
from retrieval.backends import open_index, open_writer
from retrieval.local import commits, merge
from retrieval.local.index import LocalIndex
from retrieval.passages import passage_bigrams, passage_words
from tests.retrieval.local.conftest import records, write_jsonl
from tests.speech_fixtures import ingest

QUERIES = [["招商", "引资", "项目"], ["粮食", "产量", "产量", "园区"], ["乡村", "振兴", "没有的词"], ["债务"]]
BIGRAM_QUERIES = [["招商", "商引", "引资"], ["粮食", "产量"], ["振兴", "乡村", "村振"]]


def _segment_names(index: Path) -> list[str]:
    return [s.name for s in commits.read_commit(index, commits.latest(index)).segments]


def _scores_by_passage(idx: LocalIndex, channel: str, query: list[str]) -> dict[tuple[str, int], float]:
    lex = idx.words if channel == "words" else idx.bigrams
    out = {}
    for seg, scores in zip(idx.segments, lex.scores(query), strict=True):
        rows = np.flatnonzero(scores > 0)
        found = idx.passages([int(seg.chunk_ids[r]) for r in rows])
        for r in rows:
            c = found[int(seg.chunk_ids[r])].chunk
            out[(c.doc_id, c.ordinal)] = float(scores[r])
    return out


@pytest.fixture()
def grown(tmp_path: Path) -> Path:
    """Three commits of 60 documents, then 20 of the first changed and 15 others removed."""
    index = tmp_path / "index"
    rows = records(180, seed=1)
    for i in range(3):
        ingest(index, write_jsonl(tmp_path / f"batch{i}.jsonl", rows[60 * i : 60 * i + 60]))
    changed = [{**r, "text": r["text"] + "\n新增一段关于债务风险的内容。"} for r in rows[:20]]
    ingest(index, write_jsonl(tmp_path / "changed.jsonl", changed), replace=True)  # same ids, another file
    for r in rows[100:115]:
        assert remove_document(index, r["doc_id"])
    return index


def test_each_commit_adds_a_segment_and_rewrites_none(tmp_path: Path) -> None:
    index = tmp_path / "index"
    rows = records(40, seed=2)
    ingest(index, write_jsonl(tmp_path / "a.jsonl", rows[:20]))
    (first,) = _segment_names(index)
    files = {p: p.stat().st_mtime_ns for p in (index / "segments" / first).iterdir()}
    ingest(index, write_jsonl(tmp_path / "b.jsonl", rows[20:]))
    names = _segment_names(index)
    assert len(names) == 2 and names[0] == first
    assert {p: p.stat().st_mtime_ns for p in (index / "segments" / first).iterdir()} == files
    idx = open_index(index)
    assert idx.n_documents == 40 and len(idx) == sum(s.n_rows for s in idx.segments)


def test_scores_over_segments_equal_one_index_built_at_once(grown: Path, tmp_path: Path) -> None:
    many = open_index(grown)
    assert len(many.segments) >= 3 and any(d is not None for d in many.deleted)
    live = [r for r in records(180, seed=1) if not "d0100" <= r["doc_id"] < "d0115"]
    changed = {r["doc_id"] for r in records(180, seed=1)[:20]}
    live = [{**r, "text": r["text"] + "\n新增一段关于债务风险的内容。"} if r["doc_id"] in changed else r for r in live]
    once_dir = tmp_path / "once"
    ingest(once_dir, write_jsonl(tmp_path / "live.jsonl", live))
    once = open_index(once_dir)
    assert len(once.segments) == 1 and once.deleted == [None]
    for lex_many, lex_once in ((many.words, once.words), (many.bigrams, once.bigrams)):
        assert lex_many.n_docs == lex_once.n_docs == len(once)
        assert lex_many.avg_len == pytest.approx(lex_once.avg_len, rel=1e-12)
    for word in ("招商", "债务", "园区", "没有的词"):
        assert many.words.df(word) == once.words.df(word)
        assert many.words.idf(word) == once.words.idf(word)
    for channel, queries in (("words", QUERIES), ("bigrams", BIGRAM_QUERIES)):
        for q in queries:
            a, b = _scores_by_passage(many, channel, q), _scores_by_passage(once, channel, q)
            assert a.keys() == b.keys()
            assert np.allclose([a[k] for k in b], [b[k] for k in b], rtol=1e-5, atol=1e-6)


def test_scores_equal_bm25s_over_the_live_passages(grown: Path) -> None:
    """An independent oracle: bm25s (Lucene's formula) over the very tokens of every live passage."""
    idx = open_index(grown)
    chunks = [(r.meta.title, c) for r in idx.documents() for c in idx.doc_passages(r.doc_id)]
    for channel, tokenize, queries in (("words", passage_words, QUERIES), ("bigrams", passage_bigrams, BIGRAM_QUERIES)):
        oracle = bm25s.BM25(k1=1.2, b=0.75, method="lucene")
        oracle.index([tokenize(c.norm, c.heading, title) for title, c in chunks], show_progress=False)
        for q in queries:
            want = oracle.get_scores([t for t in q if t in oracle.vocab_dict])
            got = _scores_by_passage(idx, channel, q)
            assert np.allclose([got.get((c.doc_id, c.ordinal), 0.0) for _, c in chunks], want, rtol=1e-5, atol=1e-6)


def test_tombstones_hide_deleted_passages_until_a_merge_drops_them(grown: Path) -> None:
    idx = open_index(grown)
    gone = {f"d{i:04d}" for i in range(100, 115)}
    rows_before = sum(s.n_rows for s in idx.segments)
    assert rows_before > len(idx)  # deleted rows still in the files, tombstoned
    for q in QUERIES:
        found = idx.passages([c.chunk_id for c in idx.search("lexical", q, 500)])
        assert not gone & {p.chunk.doc_id for p in found.values()}
    optimize(grown)
    after = open_index(grown)
    assert len(after.segments) == 1 and after.deleted == [None]
    assert after.segments[0].n_rows == len(after) == len(idx)
    for q in QUERIES:
        assert _scores_by_passage(after, "words", q) == pytest.approx(_scores_by_passage(idx, "words", q), rel=1e-5)


def test_merge_policy_folds_small_segments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(merge, "MERGE_FACTOR", 4)
    index = tmp_path / "index"
    rows = records(40, seed=3)
    for i in range(4):
        ingest(index, write_jsonl(tmp_path / f"b{i}.jsonl", rows[10 * i : 10 * i + 10]))
    idx = open_index(index)
    assert len(idx.segments) == 1 and idx.n_documents == 40  # the fourth commit's merge folded all four
    assert [c.doc_id for c in idx.doc_passages("d0003")] and idx.record("d0039").doc_id == "d0039"


def test_merge_picks_a_full_tier_then_heavily_deleted_segments() -> None:
    ref = commits.SegmentRef
    small = [ref(name=f"s{i}", rows=5) for i in range(10)]
    assert merge.pick(small) == [f"s{i}" for i in range(10)]
    assert merge.pick(small[:9]) == []
    assert merge.pick([ref(name="big", rows=1000, deleted=400), *small[:3]]) == ["big"]


def test_a_reader_keeps_its_generation_and_its_files(tmp_path: Path) -> None:
    index = tmp_path / "index"
    rows = records(30, seed=4)
    ingest(index, write_jsonl(tmp_path / "a.jsonl", rows[:10]))
    old = open_index(index)
    names = {s.name for s in old.segments}
    ingest(index, write_jsonl(tmp_path / "b.jsonl", rows[10:]))
    optimize(index)  # the merged segment replaces both; the old generation is still held
    assert old.n_documents == 10 and all((index / "segments" / n).is_dir() for n in names)
    assert {r.doc_id for r in old.documents()} == {r["doc_id"] for r in rows[:10]}
    assert old.search("lexical", ["招商", "项目", "债务"], 5)
    old.close()
    remove_document(index, "d0029")  # the next commit prunes what no reader holds
    assert not any((index / "segments" / n).exists() for n in names)
    assert len(commits.generations(index)) == 1
    assert open_index(index).n_documents == 29


def test_staging_leftovers_and_orphan_segments_are_removed_at_start(tmp_path: Path) -> None:
    index = tmp_path / "index"
    ingest(index, write_jsonl(tmp_path / "a.jsonl", records(5, seed=5)))
    (index / "staging" / "s-crashed").mkdir(parents=True)
    (index / "segments" / "s-orphan").mkdir()
    (index / "commits" / ".commit-00000009.tmp").write_text("{half", encoding="utf-8")
    with open_writer(index):
        pass
    assert not (index / "staging").exists() and not (index / "segments" / "s-orphan").exists()
    assert not list((index / "commits").glob(".*.tmp"))
    assert open_index(index).n_documents == 5


def test_unchanged_input_is_skipped_before_any_preparation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ingest import pipeline

    index = tmp_path / "index"
    path = write_jsonl(tmp_path / "a.jsonl", records(12, seed=6))
    ingest(index, path)
    generation = commits.latest(index)
    calls = []
    real = pipeline.prepare
    monkeypatch.setattr(pipeline, "prepare", lambda *a, **k: calls.append(a) or real(*a, **k))
    report = ingest(index, path)
    assert report.summary()["unchanged"] == 12 and calls == []
    assert commits.latest(index) == generation  # nothing to commit


def test_counts_and_reopen(grown: Path) -> None:
    idx = open_index(grown)
    again = open_index(grown)
    assert (again.n_documents, len(again)) == (idx.n_documents, len(idx)) == (165, idx.words.n_docs)
    assert again.generation == idx.generation
    doc = again.document("d0005")
    assert "债务风险" in doc.text and doc.raw.endswith("新增一段关于债务风险的内容。")


def test_filters_and_text_lookup_across_segments_and_tombstones(grown: Path) -> None:
    from retrieval.models import Filters

    idx = open_index(grown)
    live = {r.doc_id for r in idx.documents()}
    wanted = ["d0005", "d0070", "d0101", "d0150"]  # changed, plain, deleted, plain: three segments
    found = idx.passages([c.chunk_id for c in idx.search("lexical", QUERIES[0], 500, Filters(doc_ids=wanted))])
    assert {p.chunk.doc_id for p in found.values()} <= set(wanted) & live
    excluded = idx.search("bigram", BIGRAM_QUERIES[0], 500, Filters(exclude_doc_ids=["d0005", "d0070"]))
    assert not {"d0005", "d0070"} & {p.chunk.doc_id for p in idx.passages([c.chunk_id for c in excluded]).values()}
    assert idx.docs_containing(["新增一段关于债务风险的内容"]) == {f"d{i:04d}" for i in range(20)}
