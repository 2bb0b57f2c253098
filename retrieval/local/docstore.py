"""Documents and passages in SQLite (stdlib), read on demand: nothing of the library is held as Python objects.

Rows are versioned by generation instead of being updated: a document row is `born` in the generation that
added it and `died` in the one that replaced or removed it, so a reader at generation g sees exactly the rows
with born <= g < died, whatever the writer is doing meanwhile. A passage row (keyed by its chunk id, never
reused) belongs to one document row. Rows of a generation that was never published (a crashed run) are rolled
back when the next writer opens; rows no kept generation can see are deleted after a commit.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

from retrieval.models import Chunk, Document, DocumentMeta

FILENAME = "docs.sqlite3"
SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    doc_key INTEGER PRIMARY KEY, doc_id TEXT NOT NULL, born INTEGER NOT NULL, died INTEGER,
    content_hash TEXT NOT NULL, raw_hash TEXT NOT NULL, fingerprint INTEGER NOT NULL, added TEXT NOT NULL,
    n_chunks INTEGER NOT NULL, meta TEXT NOT NULL, speaker TEXT NOT NULL, date TEXT, place_keys TEXT NOT NULL,
    raw TEXT, text TEXT NOT NULL, runs TEXT NOT NULL, notes TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_id ON documents(doc_id);
CREATE INDEX IF NOT EXISTS documents_hash ON documents(content_hash);
CREATE INDEX IF NOT EXISTS documents_born ON documents(born);
CREATE INDEX IF NOT EXISTS documents_died ON documents(died);
CREATE TABLE IF NOT EXISTS sources (
    doc_key INTEGER NOT NULL, source TEXT NOT NULL, born INTEGER NOT NULL, PRIMARY KEY (doc_key, source));
CREATE TABLE IF NOT EXISTS passages (
    chunk_id INTEGER PRIMARY KEY, doc_key INTEGER NOT NULL, doc_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
    heading TEXT NOT NULL, start INTEGER NOT NULL, stop INTEGER NOT NULL, text TEXT NOT NULL, norm TEXT NOT NULL,
    note INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_key, ordinal);
CREATE TABLE IF NOT EXISTS aliases (
    doc_id TEXT PRIMARY KEY, raw_hash TEXT NOT NULL, twin TEXT NOT NULL, born INTEGER NOT NULL);
"""
# The unary + keeps SQLite off the born/died indexes here: a lookup by doc_id must use the doc_id index (the
# died index matches every live row; chosen by the planner, it turned each lookup into a scan).
VISIBLE = "+born <= :g AND (+died IS NULL OR +died > :g)"
PASSAGE_COLUMNS = "chunk_id, doc_id, ordinal, heading, start, stop, text, norm, note"


def to_chunk(row: Sequence) -> Chunk:
    cid, doc_id, ordinal, heading, start, stop, text, norm, note = row
    return Chunk(chunk_id=cid, doc_id=doc_id, ordinal=ordinal, heading=heading, start=start, end=stop, text=text,
                 norm=norm, note=bool(note))


def expand_runs(runs: list[list[int]]) -> list[int]:
    return [r + k for _, r, n in runs for k in range(n)]


def connect(path: Path, readonly: bool) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, check_same_thread=False, isolation_level="DEFERRED")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # a published commit must never point at rows a power cut lost
        conn.executescript(SCHEMA)
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


class DocReader:
    """What a reader of generation `g` sees: documents, passages, metadata (one connection, thread-safe)."""

    def __init__(self, root: Path, generation: int):
        self.g = generation
        self._conn = connect(root / FILENAME, readonly=True)
        self._lock = threading.Lock()
        self._meta: dict[int, DocumentMeta] = {}

    def close(self) -> None:
        self._conn.close()

    def _all(self, sql: str, params: dict | Sequence = ()) -> list:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def passages(self, chunk_ids: Sequence[int]) -> dict[int, tuple[Chunk, DocumentMeta]]:
        """Passages by chunk id, each with its document's metadata (one query for a question's candidates)."""
        out: dict[int, tuple[Chunk, DocumentMeta]] = {}
        ids = list(dict.fromkeys(int(i) for i in chunk_ids))
        for a in range(0, len(ids), 500):
            part = ids[a : a + 500]
            rows = self._all(f"SELECT {', '.join('p.' + c for c in PASSAGE_COLUMNS.split(', '))}, p.doc_key, d.meta "
                             "FROM passages p JOIN documents d ON p.doc_key = d.doc_key "
                             f"WHERE p.chunk_id IN ({','.join('?' * len(part))})", part)
            out.update((r[0], (to_chunk(r[:-2]), self._parsed_meta(r[-2], r[-1]))) for r in rows)
        return out

    def _parsed_meta(self, doc_key: int, raw: str) -> DocumentMeta:
        if doc_key not in self._meta:
            if len(self._meta) > 50_000:
                self._meta.clear()
            self._meta[doc_key] = DocumentMeta.model_validate_json(raw)
        return self._meta[doc_key]

    def meta(self, doc_key: int) -> DocumentMeta:
        """A document's metadata (cached: every hit of a question asks for its document's)."""
        if doc_key not in self._meta:
            (raw,) = self._all("SELECT meta FROM documents WHERE doc_key = ?", (doc_key,))[0]
            return self._parsed_meta(doc_key, raw)
        return self._meta[doc_key]

    def next_passage(self, chunk_id: int) -> tuple[Chunk, int] | None:
        rows = self._all(f"SELECT {PASSAGE_COLUMNS}, doc_key FROM passages WHERE doc_key = "
                         "(SELECT doc_key FROM passages WHERE chunk_id = ?) AND ordinal = "
                         "(SELECT ordinal + 1 FROM passages WHERE chunk_id = ?)", (chunk_id, chunk_id))
        return (to_chunk(rows[0][:-1]), rows[0][-1]) if rows else None

    def doc_key(self, doc_id: str) -> int | None:
        rows = self._all(f"SELECT doc_key FROM documents WHERE doc_id = :d AND {VISIBLE}", {"d": doc_id, "g": self.g})
        return rows[0][0] if rows else None

    def records(self, doc_id: str | None = None) -> Iterator[dict]:
        """Visible documents' summary fields (all of them, or one), in insertion order."""
        where = f"{VISIBLE}" + (" AND doc_id = :d" if doc_id is not None else "")
        rows = self._all(f"SELECT doc_key, doc_id, meta, content_hash, added, n_chunks, fingerprint FROM documents "
                         f"WHERE {where} ORDER BY doc_key", {"g": self.g, "d": doc_id})
        sources: dict[int, list[str]] = {}
        keys = [r[0] for r in rows]
        for a in range(0, len(keys), 500):
            part = keys[a : a + 500]
            for key, src in self._all(f"SELECT doc_key, source FROM sources WHERE born <= ? AND doc_key IN "
                                      f"({','.join('?' * len(part))}) ORDER BY born, rowid", [self.g, *part]):
                sources.setdefault(key, []).append(src)
        for key, did, meta, chash, added, n, fp in rows:
            yield {"doc_id": did, "meta": DocumentMeta.model_validate_json(meta), "content_hash": chash,
                   "sources": sources.get(key, []), "added": added, "n_chunks": n, "fingerprint": fp % (1 << 64)}

    def document(self, doc_id: str) -> Document | None:
        rows = self._all(f"SELECT doc_key, meta, content_hash, added, raw, text, runs, notes FROM documents "
                         f"WHERE doc_id = :d AND {VISIBLE}", {"d": doc_id, "g": self.g})
        if not rows:
            return None
        key, meta, chash, added, raw, text, runs, notes = rows[0]
        sources = [s for (s,) in self._all("SELECT source FROM sources WHERE doc_key = ? AND born <= ? "
                                           "ORDER BY born, rowid", (key, self.g))]
        return Document(doc_id=doc_id, meta=DocumentMeta.model_validate_json(meta), raw=text if raw is None else raw,
                        text=text, raw_offsets=expand_runs(json.loads(runs)), content_hash=chash, sources=sources,
                        added=added, notes=[tuple(n) for n in json.loads(notes)])

    def doc_passages(self, doc_id: str) -> list[Chunk]:
        key = self.doc_key(doc_id)
        rows = self._all(f"SELECT {PASSAGE_COLUMNS} FROM passages WHERE doc_key = ? ORDER BY ordinal", (key,))
        return [to_chunk(r) for r in rows]

    def chunk_ids(self, where: str, params: dict) -> list[int]:
        """Chunk ids of the visible documents matching a WHERE clause over `documents` (filters build it)."""
        sql = (f"SELECT p.chunk_id FROM passages p JOIN documents d ON p.doc_key = d.doc_key "
               f"WHERE +d.born <= :g AND (+d.died IS NULL OR +d.died > :g) AND ({where})")
        return [r[0] for r in self._all(sql, {**params, "g": self.g})]

    def docs_containing(self, needles: Sequence[str]) -> set[str]:
        """Visible documents with a passage whose normalised text contains any of the needles."""
        found: set[str] = set()
        for needle in needles:
            rows = self._all("SELECT DISTINCT d.doc_id FROM passages p JOIN documents d ON p.doc_key = d.doc_key "
                             "WHERE +d.born <= :g AND (+d.died IS NULL OR +d.died > :g) AND instr(p.norm, :n) > 0",
                             {"g": self.g, "n": needle})
            found.update(r[0] for r in rows)
        return found
