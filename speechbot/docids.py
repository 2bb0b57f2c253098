"""Document IDs as people type them: the whole ID, or any prefix that names exactly one document."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from retrieval.base import SpeechIndex
from retrieval.errors import UnknownDocument

SHOWN = 5  # candidates listed when a prefix is ambiguous


def resolve_doc_id(given: str, known: Iterable[str]) -> str:
    """The ID `given` stands for: itself if it is an ID, else the one ID it is a prefix of.

    Raises:
        UnknownDocument: no ID starts with `given`, or several do (the message lists some of them).
    """
    ids = set(known)
    if given in ids:
        return given
    matches = sorted(i for i in ids if i.startswith(given)) if given else []
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise UnknownDocument(f"no document {given!r} in the index")
    listed = ", ".join(matches[:SHOWN]) + (", …" if len(matches) > SHOWN else "")
    raise UnknownDocument(f"{given!r} is the start of {len(matches)} document IDs ({listed}); give more of it")


def resolve_in(index: SpeechIndex, given: str, gone: Collection[str] = ()) -> str:
    """`resolve_doc_id` over an index's documents, leaving out `gone` (being deleted). A whole ID is looked up
    alone: only a prefix lists the library."""
    if given not in gone:
        try:
            return index.record(given).doc_id
        except UnknownDocument:
            pass
    return resolve_doc_id(given, (r.doc_id for r in index.documents() if r.doc_id not in gone))
