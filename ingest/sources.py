"""Whether a document comes from the same source as before: only then may a new text replace it unasked."""

from __future__ import annotations

import os
import re
from pathlib import PurePath

_JSONL_LINE = re.compile(r"^(.*\.jsonl):\d+$", re.IGNORECASE)


def source_file(source: str) -> str:
    """The file a source names: `reports.jsonl:12` -> `reports.jsonl` (a record may move to another line)."""
    m = _JSONL_LINE.match(source)
    return m.group(1) if m else source


def _key(source: str) -> str:
    return os.path.realpath(source_file(source))


def same_source(held: list[str], source: str) -> bool:
    """True when `source` is one of the files the document was ingested from (compared as resolved paths)."""
    new = _key(source)
    return any(_key(s) == new for s in held)


def conflict_detail(doc_id: str, held: list[str]) -> str:
    """One line for the report; names the existing source by its file name only (no folders)."""
    where = PurePath(source_file(held[0])).name if held else "another source"
    return (f"doc_id {doc_id!r} already exists from another source ({where}); "
            "replace it with --replace (CLI) or replace=true (API)")
