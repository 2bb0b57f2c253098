"""The versioned index folder: atomic publish, crash safety, compatibility checks, offset runs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval import store
from retrieval.errors import IndexMismatch, IndexNotFound, UnknownDocument
from retrieval.index import SpeechIndex
from retrieval.writer import IndexWriter
from tests.speech_fixtures import SPEECH_LANSHAN, SPEECH_QINGHE, ingest, write


@pytest.fixture()
def built(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    write(src, "qinghe.txt", SPEECH_QINGHE)
    index = tmp_path / "index"
    assert ingest(index, src).count("added") == 1
    return index


def test_current_points_at_a_complete_version(built: Path) -> None:
    link = built / store.CURRENT
    assert link.is_symlink()
    version = store.current_path(built)
    assert version.parent == built.resolve() and not version.name.endswith(".tmp")
    for name in ("manifest.json", "documents.jsonl", "texts.jsonl", "chunks.jsonl", "words", "bigrams"):
        assert (version / name).exists(), name
    index = SpeechIndex.open(built)
    assert len(index) == index.manifest.next_chunk_id
    doc = index.document("qinghe.txt")
    assert doc.raw == SPEECH_QINGHE
    assert all(doc.raw[doc.raw_offsets[i]] == ch for i, ch in enumerate(doc.text))


def test_crash_while_writing_keeps_the_previous_version(built: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    before = os.readlink(built / store.CURRENT)
    write(tmp_path / "more", "lanshan.txt", SPEECH_LANSHAN)

    def boom(self, staged: Path) -> None:
        (staged / "texts.jsonl").write_text("half", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(IndexWriter, "_write_texts", boom)
    with pytest.raises(OSError, match="disk full"):
        ingest(built, tmp_path / "more")
    assert os.readlink(built / store.CURRENT) == before
    assert not list(built.glob("*.tmp"))
    index = SpeechIndex.open(built)
    assert set(index.records) == {"qinghe.txt"}
    monkeypatch.undo()
    assert ingest(built, tmp_path / "more").count("added") == 1
    assert set(SpeechIndex.open(built).records) == {"qinghe.txt", "lanshan.txt"}


def test_prune_removes_stale_staging_folders_and_keeps_two_versions(built: Path, tmp_path: Path) -> None:
    stale = built / "v-20000101T000000-dead00.tmp"
    stale.mkdir()
    os.utime(stale, (0, 0))
    for i in range(3):
        write(tmp_path / f"s{i}", f"n{i}.txt", SPEECH_LANSHAN.replace("120万亩", f"{121 + i}万亩") + f"补充{i}。")
        ingest(built, tmp_path / f"s{i}")
    assert not stale.exists()
    versions = [p for p in built.glob("v-*") if p.is_dir()]
    assert len(versions) == 2
    assert store.current_path(built) in [v.resolve() for v in versions]


@pytest.mark.parametrize("field", ["format_version", "tokenizer"])
def test_other_format_or_tokenizer_asks_for_a_rebuild(built: Path, field: str) -> None:
    version = store.current_path(built)
    manifest = store.read_manifest(version)
    changed = manifest.model_copy(update={field: 99 if field == "format_version" else "jieba-0-terms-old"})
    (version / "manifest.json").write_text(changed.model_dump_json(), encoding="utf-8")
    with pytest.raises(IndexMismatch, match="speechbot ingest --rebuild"):
        SpeechIndex.open(built)
    with pytest.raises(IndexMismatch, match="speechbot ingest --rebuild"):
        IndexWriter(built)
    IndexWriter(built, rebuild=True)  # a rebuild does not read the old version


def test_empty_folder_is_index_not_found(tmp_path: Path) -> None:
    with pytest.raises(IndexNotFound, match="speechbot ingest"):
        SpeechIndex.open(tmp_path)


def test_unknown_document(built: Path) -> None:
    with pytest.raises(UnknownDocument):
        SpeechIndex.open(built).document("nope")


@pytest.mark.parametrize("offsets", [[], [0], [0, 1, 2, 3], [5, 6, 7, 20, 21, 3, 4], [2, 1, 0], list(range(100, 400))])
def test_compress_offsets_round_trip(offsets: list[int]) -> None:
    runs = store.compress_offsets(offsets)
    assert store._expand(runs) == offsets
    assert len(runs) <= max(1, len(offsets))


def test_compress_offsets_is_compact_for_contiguous_runs() -> None:
    assert store.compress_offsets([0, 1, 2, 10, 11]) == [[0, 0, 3], [3, 10, 2]]
