"""What a Milvus writer does besides adding rows: roll back an unpublished generation, keep document frequencies,
purge retired rows, and rewrite passage weights when the library's average length has moved."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from retrieval.milvus import schema
from retrieval.milvus.sparse import reweigh
from retrieval.milvus.stats import read_df

if TYPE_CHECKING:
    from pymilvus import MilvusClient

BATCH = 1_000
# Relative move of an average length that makes earlier commits' weights be rewritten. A passage weighted at an
# average 1% off scores at most about 0.5% off; rewriting at every move would cost the library at every commit.
REWEIGH = 0.01
EXACT = 1e-9  # the passages of the commit being published are always weighted with its final averages
VERSIONED = ("passages", "dense", "documents")


def ids_where(client: MilvusClient, collection: str, pk: str, where: str) -> list[int]:
    """Primary keys of the rows matching an expression (read in pages)."""
    if not client.has_collection(collection):
        return []
    it = client.query_iterator(collection, batch_size=10 * BATCH, filter=where, output_fields=[pk])
    out: list[int] = []
    try:
        while batch := it.next():
            out.extend(r[pk] for r in batch)
    finally:
        it.close()
    return out


def set_field(client: MilvusClient, collection: str, pk: str, ids: list[int], field: str, value) -> None:
    """Partial updates: one field of many rows (other fields, vectors included, stay as they are)."""
    for a in range(0, len(ids), BATCH):
        client.upsert(collection, [{pk: i, field: value} for i in ids[a : a + BATCH]], partial_update=True)


def _pk(kind: str) -> str:
    return {"passages": "chunk_id", "dense": "chunk_id", "documents": "doc_key"}[kind]


def delete_docs(client: MilvusClient, prefix: str, where: str) -> None:
    """Delete the document rows matching `where`, with their texts, passages and vectors."""
    keys = ids_where(client, schema.name(prefix, "documents"), "doc_key", where)
    for a in range(0, len(keys), BATCH):
        part = ", ".join(map(str, keys[a : a + BATCH]))
        client.delete(schema.name(prefix, "texts"), filter=f"doc_key in [{part}]")
        client.delete(schema.name(prefix, "documents"), filter=f"doc_key in [{part}]")


def rollback(client: MilvusClient, prefix: str, last: int) -> None:
    """Undo what a writer that crashed before publishing generation > last left behind."""
    delete_docs(client, prefix, f"born > {last}")
    for kind in ("passages", "dense", "aliases"):
        if client.has_collection(schema.name(prefix, kind)):
            client.delete(schema.name(prefix, kind), filter=f"born > {last}")
    for kind in VERSIONED:
        n = schema.name(prefix, kind)
        set_field(client, n, _pk(kind), ids_where(client, n, _pk(kind), f"died > {last}"), "died", 0)
    terms = schema.name(prefix, "terms")
    changed = ids_where(client, terms, "key", f"gen > {last}")
    prev = read_df(client, prefix, changed, "prev")
    for a in range(0, len(changed), BATCH):
        client.upsert(terms, [{"key": k, "df": prev[k], "prev": prev[k], "gen": 0, "_v": schema.DUMMY}
                              for k in changed[a : a + BATCH]])


def purge(client: MilvusClient, prefix: str, g: int) -> None:
    """Delete rows retired before generation g: no reader of g or later sees them."""
    where = f"died > 0 and died < {g}"
    delete_docs(client, prefix, where)
    for kind in ("passages", "dense"):
        if client.has_collection(schema.name(prefix, kind)):
            client.delete(schema.name(prefix, kind), filter=where)


def update_df(client: MilvusClient, prefix: str, deltas: dict[int, int], g: int) -> None:
    """Add each key's change to its stored document frequency, remembering the value before generation g."""
    keys = sorted(k for k, d in deltas.items() if d)
    terms = schema.name(prefix, "terms")
    for a in range(0, len(keys), BATCH):
        part = keys[a : a + BATCH]
        old = {r["key"]: r for r in client.get(terms, ids=part, output_fields=["df", "prev", "gen"])}
        rows = []
        for k in part:
            o = old.get(k, {"df": 0, "prev": 0, "gen": 0})
            rows.append({"key": k, "df": max(0, o["df"] + deltas[k]), "prev": o["prev"] if o["gen"] == g else o["df"],
                         "gen": g, "_v": schema.DUMMY})
        client.upsert(terms, rows)


def _drifted(avg: dict[str, float], g: int, tolerance: float) -> str:
    """Live passages whose weights were computed with averages too far from `avg`."""
    out = []
    for ch, value in avg.items():
        for tol, scope in ((EXACT, f"born == {g}"), (tolerance, f"born < {g}")):
            lo, hi = value * (1 - tol), value * (1 + tol)
            out.append(f"({scope} and (avg_{ch} < {lo!r} or avg_{ch} > {hi!r}))")
    return f"died == 0 and ({' or '.join(out)})"


def reweigh_passages(client: MilvusClient, prefix: str, avg: dict[str, float], g: int,
                     tolerance: float = REWEIGH) -> int:
    """Rewrite the weights of passages computed with another average length (those of generation g always, older
    ones beyond `tolerance`); returns how many."""
    n = schema.name(prefix, "passages")
    ids = ids_where(client, n, "chunk_id", _drifted(avg, g, tolerance))
    fields = [f for ch in avg for f in (ch, f"len_{ch}", f"avg_{ch}")]
    for a in range(0, len(ids), BATCH):
        rows = client.get(n, ids=ids[a : a + BATCH], output_fields=fields)
        client.upsert(n, list(_reweighed(rows, avg)), partial_update=True)
    return len(ids)


def _reweighed(rows: list[dict], avg: dict[str, float]) -> Iterator[dict]:
    for r in rows:
        out = {"chunk_id": r["chunk_id"]}
        for ch, value in avg.items():
            vec = {int(k): float(v) for k, v in r[ch].items()}
            out[ch] = reweigh(vec, r[f"len_{ch}"], r[f"avg_{ch}"], value)
            out[f"avg_{ch}"] = value
        yield out


def dims_of(rows: list[dict], channel: str) -> np.ndarray:
    """Every dimension of the rows' vectors of a channel (a term counts once per passage)."""
    from retrieval.milvus.sparse import EMPTY

    found = [int(k) for r in rows for k in r[channel] if int(k) != EMPTY]
    return np.asarray(found, dtype=np.int64)
