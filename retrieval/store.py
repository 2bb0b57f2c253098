"""The index on disk: a folder of plain files per version, swapped in atomically through a `current` link.

    <root>/current -> v-20261123T190000-1a2b/       (a symlink, replaced with os.replace)
        manifest.json   format version, tokenizer dictionary, model and dimensions, chunking, document hashes
        documents.jsonl one line of metadata per document (+ byte offset of its text in texts.jsonl)
        texts.jsonl     original and cleaned text per document, read on demand
        chunks.jsonl    passages with their word tokens
        words/ bigrams/ bm25s indexes;  dense.faiss (when a model is configured)

A crash while writing leaves `current` pointing at the previous, complete version.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field

from retrieval.errors import IndexMismatch, IndexNotFound, UnknownDocument
from retrieval.models import Chunk, Document, DocumentMeta

FORMAT_VERSION = 1
CURRENT = "current"


class Manifest(BaseModel):
    format_version: int = FORMAT_VERSION
    created: str = ""
    tokenizer: str
    embed_model: str = ""
    embed_dim: int | None = None
    chunk_size: int
    chunk_overlap: int
    next_chunk_id: int = 0
    documents: dict[str, str] = Field(default_factory=dict)  # doc_id -> content hash


class DocRecord(BaseModel):
    """A document's metadata line; its texts live in texts.jsonl at `text_pos`."""

    doc_id: str
    meta: DocumentMeta
    content_hash: str
    sources: list[str] = Field(default_factory=list)
    added: str = ""
    n_chunks: int = 0
    text_pos: int = 0
    fingerprint: int = 0  # 64-bit SimHash of the normalised text, for near-duplicate checks


class StoredChunk(Chunk):
    words: list[str] = Field(default_factory=list)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def current_path(root: Path) -> Path | None:
    link = root / CURRENT
    return link.resolve() if link.exists() else None


def read_manifest(version: Path) -> Manifest:
    return Manifest.model_validate_json((version / "manifest.json").read_text(encoding="utf-8"))


def check_compatible(manifest: Manifest, root: Path, tokenizer: str, embed_model: str | None = None) -> None:
    """Raise IndexMismatch, with the command that rebuilds, when the index cannot be read as configured."""
    rebuild = f"rebuild it with: speechbot ingest --rebuild --index {root} PATH..."
    if manifest.format_version != FORMAT_VERSION:
        raise IndexMismatch(f"index at {root} has format {manifest.format_version}, this speechbot reads "
                            f"{FORMAT_VERSION}; {rebuild}")
    if manifest.tokenizer != tokenizer:
        raise IndexMismatch(f"index at {root} was built with dictionary {manifest.tokenizer}, this speechbot "
                            f"uses {tokenizer}; {rebuild}")
    if embed_model is not None and manifest.embed_model and manifest.embed_model != embed_model:
        raise IndexMismatch(f"index at {root} holds vectors of model {manifest.embed_model!r} but "
                            f"SPEECHBOT_EMBED_MODEL is {embed_model!r}; {rebuild}")


def read_records(version: Path) -> dict[str, DocRecord]:
    with open(version / "documents.jsonl", encoding="utf-8") as fh:
        return {r.doc_id: r for r in (DocRecord.model_validate_json(line) for line in fh if line.strip())}


def read_chunks(version: Path) -> list[StoredChunk]:
    with open(version / "chunks.jsonl", encoding="utf-8") as fh:
        return [StoredChunk.model_validate_json(line) for line in fh if line.strip()]


def read_text_line(version: Path, pos: int) -> dict:
    with open(version / "texts.jsonl", "rb") as fh:
        fh.seek(pos)
        return json.loads(fh.readline())


def load_document(version: Path, record: DocRecord) -> Document:
    texts = read_text_line(version, record.text_pos)
    return Document(doc_id=record.doc_id, meta=record.meta, raw=texts["raw"], text=texts["text"],
                    raw_offsets=_expand(texts["runs"]), content_hash=record.content_hash,
                    sources=record.sources, added=record.added, notes=[tuple(n) for n in texts.get("notes", [])])


def require_document(version: Path, records: dict[str, DocRecord], doc_id: str) -> Document:
    if doc_id not in records:
        raise UnknownDocument(f"no document {doc_id!r} in the index")
    return load_document(version, records[doc_id])


def compress_offsets(offsets: list[int]) -> list[list[int]]:
    """Runs [text_start, raw_start, length] of contiguous copies: a compact offset map."""
    runs: list[list[int]] = []
    for i, r in enumerate(offsets):
        if runs and runs[-1][1] + runs[-1][2] == r and runs[-1][0] + runs[-1][2] == i:
            runs[-1][2] += 1
        else:
            runs.append([i, r, 1])
    return runs


def _expand(runs: list[list[int]]) -> list[int]:
    return [r + k for _, r, n in runs for k in range(n)]


def new_version_dir(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")  # microseconds: names sort in creation order
    path = root / f"v-{stamp}-{uuid.uuid4().hex[:6]}.tmp"
    path.mkdir()
    return path


def publish(root: Path, staged: Path) -> Path:
    """Rename the staged folder into place and point `current` at it atomically; prune old versions."""
    final = staged.with_suffix("")
    _fsync_tree(staged)
    os.replace(staged, final)
    link_tmp = root / f".current-{uuid.uuid4().hex[:6]}"
    os.symlink(final.name, link_tmp)
    os.replace(link_tmp, root / CURRENT)
    _prune(root, keep={final.name})
    return final


def _fsync_tree(path: Path) -> None:
    for p in path.rglob("*"):
        if p.is_file():
            with open(p, "rb") as fh:
                os.fsync(fh.fileno())


def _prune(root: Path, keep: set[str], grace_s: float = 60.0) -> None:
    """Remove versions other than the newest two, and stale staging folders of crashed runs."""
    versions = sorted(p for p in root.glob("v-*") if p.is_dir() and not p.name.endswith(".tmp"))
    for old in versions[:-2]:
        if old.name not in keep:
            shutil.rmtree(old, ignore_errors=True)
    for staged in root.glob("v-*.tmp"):
        if time.time() - staged.stat().st_mtime > grace_s:
            shutil.rmtree(staged, ignore_errors=True)


def require_current(root: Path) -> Path:
    version = current_path(root)
    if version is None:
        raise IndexNotFound(f"no index at {root}; create one with: speechbot ingest PATH... --index {root}")
    return version
