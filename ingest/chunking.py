"""Chunk a speech by its own structure: outline headings, paragraphs, whole sentences.

Each chunk carries its heading path (一、… > (二)…), never cuts a sentence, and stays inside one section.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.outline import Heading, detect_heading
from retrieval.sentences import sentences

BODY_MIN = 40  # a paragraph this long starts the body: short lines before it are title, speaker, date
LONG_SENTENCE = 800  # a "sentence" longer than this has no sentence ends: it is cut into pieces this long
_SOFT_BREAKS = "，、：,: "  # preferred places for such a cut, in the piece's second half


@dataclass(frozen=True)
class ChunkSpan:
    start: int
    end: int
    heading: str
    note: bool = False


@dataclass(frozen=True)
class _Sentence:
    start: int
    end: int
    para: int  # paragraph number, to prefer breaks between paragraphs
    path: tuple[str, ...]
    note: bool


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _in_note(a: int, b: int, notes: list[tuple[int, int]]) -> bool:
    return any(s <= a and b <= e + 1 for s, e in notes)


def _push(stack: list[Heading], head: Heading) -> list[Heading]:
    return [h for h in stack if h.level < head.level] + [head]


def _walk(text: str, norm: str, notes: list[tuple[int, int]]) -> list[_Sentence]:
    out: list[_Sentence] = []
    stack: list[Heading] = []
    body_started = False
    for pno, (a, b) in enumerate(_paragraphs(text)):
        note = _in_note(a, b, notes)
        head = None if note else detect_heading(text[a:b], norm[a:b], is_first=not body_started)
        body_started = body_started or (not note and b - a >= BODY_MIN)
        if head:
            stack = _push(stack, head)
        path = ("编者按",) if note else tuple(h.text for h in stack)
        out.extend(_Sentence(s, e, pno, path, note) for span in sentences(text[a:b], a)
                   for s, e in _bounded(text, *span))
    return out


def _bounded(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span, or consecutive pieces of at most LONG_SENTENCE characters (after a comma where there is one)."""
    pieces = []
    while end - start > LONG_SENTENCE:
        window = text[start + LONG_SENTENCE // 2 : start + LONG_SENTENCE]
        soft = max(window.rfind(c) for c in _SOFT_BREAKS)
        cut = start + LONG_SENTENCE // 2 + soft + 1 if soft >= 0 else start + LONG_SENTENCE
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def chunk(text: str, norm: str, notes: list[tuple[int, int]] | None = None, size: int = 260,
          overlap: int = 1) -> list[ChunkSpan]:
    """Cut a document into passages.

    Args:
        text: the display text.
        norm: its normalised twin (same length).
        notes: editor's-note spans; they become chunks of their own, marked `note`.
        size: target passage length in characters (a single longer sentence stays whole).
        overlap: sentences repeated from the end of the previous chunk of the same section.

    Returns:
        Chunk spans in document order.
    """
    sents = _walk(text, norm, notes or [])
    chunks: list[ChunkSpan] = []
    group: list[_Sentence] = []

    def flush() -> None:
        if group:
            chunks.append(ChunkSpan(group[0].start, group[-1].end, " > ".join(group[0].path), group[0].note))

    for s in sents:
        length = s.end - group[0].start if group else 0
        same_section = bool(group) and s.path == group[-1].path and s.note == group[-1].note
        para_break = bool(group) and s.para != group[-1].para and length >= size // 2
        if group and (not same_section or length > size or para_break):
            flush()
            keep = group[-overlap:] if overlap and same_section and not para_break else []
            group = [k for k in keep if k.end - k.start < size // 2]
        group.append(s)
    flush()
    return chunks
