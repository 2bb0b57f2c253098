"""Filters as SQL over the document rows: which passages a search may return."""

from __future__ import annotations

from retrieval.gazetteer import place_key
from retrieval.models import Filters


def include_sql(f: Filters) -> tuple[str, dict] | None:
    """A WHERE clause (over documents `d`) for what a filter requires, or None when it requires nothing.

    A place matches the document's place or any place it is about; a speaker matches as a substring; a date
    range leaves out undated documents.
    """
    clauses, params = [], {}
    if f.place:
        clauses.append("instr(d.place_keys, :place) > 0")
        params["place"] = f" {place_key(f.place)} "
    if f.speaker:
        clauses.append("instr(d.speaker, :speaker) > 0")
        params["speaker"] = f.speaker
    if f.date_from:
        clauses.append("d.date IS NOT NULL AND d.date >= :date_from")
        params["date_from"] = f.date_from.isoformat()
    if f.date_to:
        clauses.append("d.date IS NOT NULL AND d.date <= :date_to")
        params["date_to"] = f.date_to.isoformat()
    if f.doc_ids:
        names = {f"doc{i}": d for i, d in enumerate(f.doc_ids)}
        clauses.append(f"d.doc_id IN ({', '.join(':' + n for n in names)})")
        params.update(names)
    return (" AND ".join(clauses), params) if clauses else None


def exclude_sql(f: Filters) -> tuple[str, dict] | None:
    """The documents a filter rules out by id."""
    if not f.exclude_doc_ids:
        return None
    names = {f"ex{i}": d for i, d in enumerate(f.exclude_doc_ids)}
    return f"d.doc_id IN ({', '.join(':' + n for n in names)})", names
