"""Values passed between the ingest steps."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceDoc:
    """One document as read from disk, before cleaning."""

    path: str  # file path; for .jsonl "file.jsonl:LINE"
    raw: str  # decoded text (HTML/docx/pdf already turned into plain lines)
    format: str  # "txt", "md", "html", "docx", "pdf", "jsonl"
    encoding: str = "utf-8"
    doc_id: str | None = None  # kept as given (.jsonl)
    given: dict[str, str] = field(default_factory=dict)  # metadata given by .jsonl: title, date, speaker, place, source


@dataclass
class ReadFailure:
    """A file (or .jsonl line) that could not be read; the rest of the run goes on."""

    path: str
    reason: str


@dataclass
class Cleaned:
    """Display text after removing page noise, aligned to the raw text character by character."""

    text: str
    offsets: list[int]  # text[i] is raw[offsets[i]]
    notes: list[tuple[int, int]] = field(default_factory=list)  # editor's-note spans in `text`
    removed: list[tuple[str, int, int]] = field(default_factory=list)  # (rule, raw_start, raw_end)
