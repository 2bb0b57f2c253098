"""Rows of the documents, texts and passages collections, to and from the shared models."""

from __future__ import annotations

import json

from retrieval.gazetteer import place_key
from retrieval.local.docstore import expand_runs
from retrieval.milvus import schema
from retrieval.milvus.filters import date_key
from retrieval.models import Chunk, DocRecord, Document, DocumentMeta

DOC_FIELDS = ["doc_key", "doc_id", "born", "died", "content_hash", "raw_hash", "fingerprint", "added", "n_chunks",
              "meta", "sources"]
PASSAGE_FIELDS = ["chunk_id", "doc_key", "doc_id", "ordinal", "heading", "start", "stop", "text", "norm", "note"]
PIECES = 1024  # text pieces per document at most (16 M characters): texts' key is doc_key * PIECES + piece


def _signed(fp: int) -> int:
    return fp - (1 << 64) if fp >= 1 << 63 else fp  # Milvus integers are signed 64-bit


def filter_values(doc_id: str, meta: DocumentMeta, g: int) -> dict:
    """The fields a search filter reads, as every searched row carries them."""
    keys = sorted({place_key(p) for p in [meta.place, *meta.places] if p})[: schema.PLACES_MAX]
    return {"doc_id": doc_id, "born": g, "died": 0, "speaker": meta.speaker, "date": date_key(meta.date),
            "places": keys}


def document_row(doc: Document, doc_key: int, g: int, n_chunks: int, fingerprint: int, raw_hash: str) -> dict:
    return {"doc_key": doc_key, **filter_values(doc.doc_id, doc.meta, g), "content_hash": doc.content_hash,
            "raw_hash": raw_hash, "added": doc.added, "fingerprint": _signed(fingerprint), "n_chunks": n_chunks,
            "meta": doc.meta.model_dump_json(), "sources": doc.sources[: schema.SOURCES_MAX], "_v": schema.DUMMY}


def to_record(row: dict) -> DocRecord:
    return DocRecord(doc_id=row["doc_id"], meta=DocumentMeta.model_validate_json(row["meta"]),
                     content_hash=row["content_hash"], sources=list(row["sources"]), added=row["added"],
                     n_chunks=row["n_chunks"], fingerprint=row["fingerprint"] % (1 << 64))


def text_rows(doc: Document, doc_key: int, runs: list) -> list[dict]:
    """The document's texts as JSON cut into pieces (a VARCHAR holds 65,535 bytes at most)."""
    body = json.dumps({"raw": None if doc.raw == doc.text else doc.raw, "text": doc.text, "runs": runs,
                       "notes": doc.notes}, ensure_ascii=False)
    pieces = [body[a : a + schema.PIECE] for a in range(0, len(body), schema.PIECE)]
    if len(pieces) > PIECES:
        from retrieval.errors import RetrievalError

        raise RetrievalError(f"document {doc.doc_id!r} is too long for the Milvus backend ({len(body):,} characters)")
    return [{"key": doc_key * PIECES + i, "doc_key": doc_key, "body": p, "_v": schema.DUMMY}
            for i, p in enumerate(pieces)]


def to_document(row: dict, pieces: list[dict]) -> Document:
    body = json.loads("".join(p["body"] for p in sorted(pieces, key=lambda p: p["key"])))
    return Document(doc_id=row["doc_id"], meta=DocumentMeta.model_validate_json(row["meta"]),
                    raw=body["text"] if body["raw"] is None else body["raw"], text=body["text"],
                    raw_offsets=expand_runs(body["runs"]), content_hash=row["content_hash"],
                    sources=list(row["sources"]), added=row["added"], notes=[tuple(n) for n in body["notes"]])


def passage_row(c: Chunk, doc: Document, doc_key: int, g: int) -> dict:
    """A passage's row without its channels (the writer adds them)."""
    return {"chunk_id": c.chunk_id, "doc_key": doc_key, **filter_values(doc.doc_id, doc.meta, g),
            "ordinal": c.ordinal, "heading": c.heading, "start": c.start, "stop": c.end, "text": c.text,
            "norm": c.norm, "note": c.note}


def to_chunk(row: dict) -> Chunk:
    return Chunk(chunk_id=row["chunk_id"], doc_id=row["doc_id"], ordinal=row["ordinal"], heading=row["heading"],
                 start=row["start"], end=row["stop"], text=row["text"], norm=row["norm"], note=bool(row["note"]))
