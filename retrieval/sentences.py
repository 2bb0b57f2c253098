"""Sentence spans: split on 。！？；!?; and line breaks, closing quotes kept with their sentence, and never inside a
book title (《去野吧！乡村户外基地》 is one name)."""

from __future__ import annotations

import re

_SENT = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”\"’'」』)）]*|$)", re.MULTILINE)
_STRAIGHT = "\"'"  # normalised text has one form of quotes: the same mark opens and closes
_ENDS = "。！？!?；;"
_TITLE_REACH = 40  # characters: a 《 open at a sentence end is a title when its 》 follows within this, on the line


def sentences(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets: `start` + position in text), leading spaces trimmed."""
    spans = []
    pos = 0
    while pos < len(text):
        m = _SENT.match(text, pos)
        a = pos
        b = _without_opening_quotes(text, a, m.end()) if m else pos
        while b > a and _inside_title(text, a, b):
            b = max(_SENT.match(text, b).end(), b + 1)
        if b == pos:  # an empty match before a line break: step over it
            pos += 1
            continue
        pos = b
        while a < b and text[a].isspace():
            a += 1
        end = b
        while end > a and text[end - 1].isspace():
            end -= 1
        if a < end:
            spans.append((start + a, start + end))
    return spans


def _inside_title(text: str, a: int, b: int) -> bool:
    """The sentence end at `b` falls inside a book title opened after `a` and closed soon after, on the line."""
    if text.count("《", a, b) <= text.count("》", a, b):
        return False
    close = text.find("》", b, b + _TITLE_REACH)
    return close >= 0 and "\n" not in text[b:close] and "《" not in text[b:close]


def _without_opening_quotes(text: str, a: int, b: int) -> int:
    """End `b` less the straight quotes that open the next sentence (「…三级审批。"下一步…"」): a quote mark after
    the sentence's end closes a quotation only when one is open in its paragraph."""
    while b > a + 1 and text[b - 1] in _STRAIGHT and text[b - 2] in _ENDS and _balanced(text, b - 1):
        b -= 1
    return b


def _balanced(text: str, quote_at: int) -> bool:
    """Quotes are balanced before `quote_at` in its paragraph (a quotation may span sentences and lines)."""
    return text.count(text[quote_at], _paragraph_start(text, quote_at), quote_at) % 2 == 0


def _paragraph_start(text: str, at: int) -> int:
    """After the last line break that follows a finished sentence (scraped text breaks lines inside quotations)."""
    k = at
    while (k := text.rfind("\n", 0, k)) > 0:
        j = k - 1
        while j >= 0 and text[j] in " \t\r\u3000":
            j -= 1
        if j < 0 or text[j] in "。！？!?\"'\n":
            return k + 1
    return 0
