"""Turn Filters into the set of passage rows a search may return."""

from __future__ import annotations

import numpy as np

from retrieval.gazetteer import place_key
from retrieval.index import SpeechIndex
from retrieval.models import DocumentMeta, Filters


def doc_matches(meta: DocumentMeta, doc_id: str, f: Filters) -> bool:
    if f.doc_ids and doc_id not in f.doc_ids:
        return False
    if f.exclude_doc_ids and doc_id in f.exclude_doc_ids:
        return False
    if f.place and place_key(f.place) not in {place_key(p) for p in [meta.place, *meta.places] if p}:
        return False
    if f.speaker and f.speaker not in meta.speaker:
        return False
    if (f.date_from or f.date_to) and meta.date is None:
        return False
    if f.date_from and meta.date < f.date_from:
        return False
    return not (f.date_to and meta.date > f.date_to)


def allowed_rows(index: SpeechIndex, f: Filters | None) -> np.ndarray | None:
    """A boolean mask over passages, or None when nothing is filtered."""
    if f is None or f.is_empty():
        return None
    mask = np.zeros(len(index.chunks), dtype=bool)
    for doc_id, rec in index.records.items():
        if doc_matches(rec.meta, doc_id, f) and doc_id in index.doc_rows:
            mask[index.doc_rows[doc_id]] = True
    return mask
