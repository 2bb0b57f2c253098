"""Filters as Milvus boolean expressions over the document metadata every searched row carries."""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.gazetteer import place_key
from retrieval.models import Filters


def quote(text: str) -> str:
    """A Milvus string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def like_infix(text: str) -> str:
    """A LIKE pattern matching `text` anywhere. LIKE's own wildcards in the text become `_` (any one character):
    the pattern may then match a little more, which callers needing exactness check afterwards."""
    return quote("%" + text.replace("%", "_") + "%")


def in_list(field: str, values: Sequence[str], negate: bool = False) -> str:
    return f"{field} {'not in' if negate else 'in'} [{', '.join(quote(v) for v in values)}]"


def date_key(d) -> int:
    """yyyymmdd as an integer (0: undated), so that ranges compare as numbers."""
    return d.year * 10_000 + d.month * 100 + d.day if d else 0


def expression(f: Filters | None) -> str:
    """What a filter requires, as a Milvus expression ("" when nothing). A place matches the document's place or
    any place it is about; a speaker matches as a substring; a date range leaves out undated documents."""
    if f is None or f.is_empty():
        return ""
    clauses = []
    if f.place:
        clauses.append(f"array_contains(places, {quote(place_key(f.place))})")
    if f.speaker:
        clauses.append(f"speaker like {like_infix(f.speaker)}")
    if f.date_from:
        clauses.append(f"date != 0 and date >= {date_key(f.date_from)}")
    if f.date_to:
        clauses.append(f"date != 0 and date <= {date_key(f.date_to)}")
    if f.doc_ids is not None and f.doc_ids:
        clauses.append(in_list("doc_id", f.doc_ids))
    if f.exclude_doc_ids:
        clauses.append(in_list("doc_id", f.exclude_doc_ids, negate=True))
    return " and ".join(f"({c})" for c in clauses)
