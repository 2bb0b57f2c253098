"""The writer's side of the document store: new rows are born in the pending generation, replaced ones die in it.

The writer sees the newest state (rows not yet died), including what it wrote itself in this run; readers keep
seeing their generation until the commit that publishes the pending one.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.gazetteer import place_key
from retrieval.local.docstore import FILENAME, connect
from retrieval.models import Chunk, Document


@dataclass
class LiveDoc:
    doc_key: int
    raw_hash: str
    content_hash: str
    twin: str | None = None  # an input kept as a near-duplicate of this stored document
    meta: str = ""  # the stored metadata, as JSON


def _signed(fp: int) -> int:
    return fp - (1 << 64) if fp >= 1 << 63 else fp  # SQLite integers are signed 64-bit


def place_keys(doc: Document) -> str:
    keys = {place_key(p) for p in [doc.meta.place, *doc.meta.places] if p}
    return " " + " ".join(sorted(keys)) + " "


class DocWriter:
    """Inserts and retires rows for the pending generation `g`."""

    def __init__(self, root: Path, generation: int):
        self.g = generation
        self._conn = connect(root / FILENAME, readonly=False)

    def close(self) -> None:
        self._conn.close()

    def rollback_unpublished(self, last: int) -> None:
        """Undo what runs that crashed before publishing generation > `last` wrote."""
        c = self._conn
        c.execute("DELETE FROM passages WHERE doc_key IN (SELECT doc_key FROM documents WHERE born > ?)", (last,))
        c.execute("DELETE FROM sources WHERE born > ?", (last,))
        c.execute("DELETE FROM aliases WHERE born > ?", (last,))
        c.execute("DELETE FROM documents WHERE born > ?", (last,))
        c.execute("UPDATE documents SET died = NULL WHERE died > ?", (last,))
        c.commit()

    def live(self, doc_ids: Sequence[str]) -> dict[str, LiveDoc]:
        out: dict[str, LiveDoc] = {}
        ids = list(dict.fromkeys(doc_ids))
        for a in range(0, len(ids), 500):
            part = ids[a : a + 500]
            rows = self._conn.execute("SELECT doc_id, doc_key, raw_hash, content_hash, NULL, meta FROM documents "
                                      f"WHERE +died IS NULL AND doc_id IN ({','.join('?' * len(part))})", part)
            out.update((r[0], LiveDoc(*r[1:])) for r in rows)
            rows = self._conn.execute(
                "SELECT a.doc_id, d.doc_key, a.raw_hash, d.content_hash, a.twin, d.meta FROM aliases a "
                "JOIN documents d ON d.doc_id = a.twin AND +d.died IS NULL "
                f"WHERE a.doc_id IN ({','.join('?' * len(part))})", part)
            out.update((r[0], LiveDoc(*r[1:])) for r in rows if r[0] not in out)
        return out

    def alias(self, doc_id: str, raw_hash: str, twin: str) -> None:
        """Remember that this input is a copy of `twin`: the same input next time is skipped unread."""
        self._conn.execute("INSERT OR REPLACE INTO aliases (doc_id, raw_hash, twin, born) VALUES (?, ?, ?, ?)",
                           (doc_id, raw_hash, twin, self.g))

    def drop_alias(self, doc_id: str) -> None:
        self._conn.execute("DELETE FROM aliases WHERE doc_id = ?", (doc_id,))

    def drop_copies(self, twin: str) -> None:
        """Forget the inputs kept as copies of `twin`, whose text changes or goes: they are read afresh."""
        self._conn.execute("DELETE FROM aliases WHERE twin = ?", (twin,))

    def by_hash(self, content_hash: str) -> str | None:
        row = self._conn.execute("SELECT doc_id FROM documents WHERE +died IS NULL AND content_hash = ? LIMIT 1",
                                 (content_hash,)).fetchone()
        return row[0] if row else None

    def fingerprints(self) -> Iterator[tuple[str, int]]:
        for doc_id, fp in self._conn.execute("SELECT doc_id, fingerprint FROM documents WHERE died IS NULL"):
            yield doc_id, fp % (1 << 64)

    def insert(self, doc: Document, chunks: Sequence[Chunk], runs: list, fingerprint: int, raw_hash: str) -> int:
        """Add a document row and its passages (chunk ids already assigned); returns the row's key."""
        m = doc.meta
        cur = self._conn.execute(
            "INSERT INTO documents (doc_id, born, content_hash, raw_hash, fingerprint, added, n_chunks, meta, speaker, "
            "date, place_keys, raw, text, runs, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.doc_id, self.g, doc.content_hash, raw_hash, _signed(fingerprint), doc.added, len(chunks),
             m.model_dump_json(), m.speaker, m.date.isoformat() if m.date else None, place_keys(doc),
             None if doc.raw == doc.text else doc.raw,  # NULL: the input needed no cleaning
             doc.text, json.dumps(runs), json.dumps(doc.notes)))
        key = cur.lastrowid
        self._conn.executemany(
            "INSERT INTO passages (chunk_id, doc_key, doc_id, ordinal, heading, start, stop, text, norm, note) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(c.chunk_id, key, doc.doc_id, c.ordinal, c.heading, c.start, c.end, c.text, c.norm, int(c.note))
             for c in chunks])
        self._conn.executemany("INSERT OR IGNORE INTO sources (doc_key, source, born) VALUES (?, ?, ?)",
                               [(key, s, self.g) for s in doc.sources])
        return key

    def retire(self, doc_key: int) -> np.ndarray:
        """The document row dies in the pending generation; returns its passages' chunk ids."""
        self._conn.execute("UPDATE documents SET died = ? WHERE doc_key = ?", (self.g, doc_key))
        rows = self._conn.execute("SELECT chunk_id FROM passages WHERE doc_key = ?", (doc_key,)).fetchall()
        return np.array([r[0] for r in rows], dtype=np.int64)

    def retire_all(self) -> None:
        """A rebuild: every document dies in the pending generation."""
        self._conn.execute("UPDATE documents SET died = ? WHERE died IS NULL", (self.g,))

    def dense_texts(self, chunk_ids: np.ndarray) -> list[str]:
        """What the embedder sees for each passage (title, heading, text), in the order asked."""
        from retrieval.passages import dense_text

        found: dict[int, str] = {}
        ids = [int(i) for i in chunk_ids]
        for a in range(0, len(ids), 500):
            part = ids[a : a + 500]
            rows = self._conn.execute(
                "SELECT p.chunk_id, p.text, p.heading, d.meta FROM passages p "
                f"JOIN documents d ON p.doc_key = d.doc_key WHERE p.chunk_id IN ({','.join('?' * len(part))})", part)
            found.update((cid, dense_text(text, heading, json.loads(meta).get("title", "")))
                         for cid, text, heading, meta in rows)
        return [found[i] for i in ids]

    def add_source(self, doc_key: int, source: str) -> bool:
        """Record another place the same content came from; False when it was known."""
        cur = self._conn.execute("INSERT OR IGNORE INTO sources (doc_key, source, born) VALUES (?, ?, ?)",
                                 (doc_key, source, self.g))
        return cur.rowcount > 0

    def sources(self, doc_key: int) -> list[str]:
        return [s for (s,) in self._conn.execute("SELECT source FROM sources WHERE doc_key = ? ORDER BY born, rowid",
                                                 (doc_key,))]

    def set_raw_hash(self, doc_key: int, raw_hash: str) -> None:
        """The same content came in new wrapping (page noise): skip that input early next time."""
        self._conn.execute("UPDATE documents SET raw_hash = ? WHERE doc_key = ?", (raw_hash, doc_key))

    def flush(self) -> None:
        self._conn.commit()

    def collect_garbage(self, oldest_kept: int) -> None:
        """Delete rows no kept generation can see (died at or before the oldest one kept)."""
        c = self._conn
        dead = "SELECT doc_key FROM documents WHERE died IS NOT NULL AND died <= ?"
        c.execute(f"DELETE FROM passages WHERE doc_key IN ({dead})", (oldest_kept,))
        c.execute(f"DELETE FROM sources WHERE doc_key IN ({dead})", (oldest_kept,))
        c.execute("DELETE FROM documents WHERE died IS NOT NULL AND died <= ?", (oldest_kept,))
        c.commit()
