"""Sentence spans: split on 。！？；!?; and line breaks, closing quotes kept with their sentence."""

from __future__ import annotations

import re

_SENT = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”\"’'」』)）]*|$)", re.MULTILINE)


def sentences(text: str, start: int = 0) -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets: `start` + position in text), leading spaces trimmed."""
    spans = []
    for m in _SENT.finditer(text):
        if m.group().strip():
            a, b = m.start(), m.end()
            while a < b and text[a].isspace():
                a += 1
            while b > a and text[b - 1].isspace():
                b -= 1
            spans.append((start + a, start + b))
    return spans
