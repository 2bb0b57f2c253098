"""Outline markers of Chinese speeches: 一、 (一) 1. 一是 第一，and short sub-head lines."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = "一二三四五六七八九十百零〇两"
_LEVELS: list[tuple[int, re.Pattern[str]]] = [
    (1, re.compile(rf"^第[{_NUM}]+(?:部分|章|篇|节)")),
    (1, re.compile(rf"^[{_NUM}]+\s*[、.．]")),
    (2, re.compile(rf"^[(（][{_NUM}]+[)）]")),
    (3, re.compile(r"^\d{1,2}\s*[、.．](?!\d)")),
    (3, re.compile(r"^[(（]\d{1,2}[)）]")),
    (4, re.compile(rf"^(?:[{_NUM}]是|[{_NUM}]要|[{_NUM}]抓|[{_NUM}]方面|第[{_NUM}]+\s*[,，、:：])")),
]
_HEAD_END = re.compile(r"[。！？!?；;:：]")
_SENTENCE_END = "。！？!?；;…"
SUBHEAD_MAX = 24


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


def _first_clause(paragraph: str, limit: int = 40) -> str:
    m = _HEAD_END.search(paragraph)
    head = paragraph[: m.start()] if m and m.start() <= limit else paragraph[:limit]
    return head.strip()


def detect_heading(paragraph: str, norm: str, is_first: bool = False) -> Heading | None:
    """The heading a paragraph opens, if any.

    Args:
        paragraph: the paragraph in display script (the heading text is taken from it).
        norm: the same paragraph normalised (markers are matched on it: half-width digits, simplified).
        is_first: a line of the preamble (title, speaker, date before the body): never a sub-head.
    """
    stripped = norm.strip()
    for level, pattern in _LEVELS:
        if pattern.match(stripped):
            return Heading(level, _first_clause(paragraph.strip()))
    if not is_first and is_subhead(stripped):
        return Heading(1, paragraph.strip())
    return None


def is_subhead(norm_line: str) -> bool:
    """A short line without sentence punctuation between paragraphs: a news sub-head."""
    line = norm_line.strip()
    if not 2 <= len(line) <= SUBHEAD_MAX or line[-1] in _SENTENCE_END or line.endswith((",", "，", ":", "：")):
        return False
    if re.fullmatch(r"[\d\s\-./:年月日()（）]+", line):
        return False
    return not any(p in line for p in "。，,；;！!？?")
