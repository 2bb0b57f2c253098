"""Split long text to a platform limit without breaking a character, preferring line and sentence ends."""

from __future__ import annotations

from collections.abc import Callable

Measure = Callable[[str], int]

# Boundaries in order of preference; a cut goes right after the separator so chunks concatenate back exactly.
_BOUNDARIES = ("\n\n", "\n", "。", "！", "？", "；", ". ", "! ", "? ", "，", ", ", " ")


def utf8_size(text: str) -> int:
    return len(text.encode("utf-8"))


def utf16_size(text: str) -> int:
    """Telegram counts UTF-16 code units: an emoji outside the BMP counts as two."""
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, limit: int, measure: Measure) -> int:
    """How many leading characters of `text` fit within `limit`."""
    used = 0
    for index, char in enumerate(text):
        used += measure(char)
        if used > limit:
            return index
    return len(text)


def _best_cut(window: str) -> int:
    """The end of the last preferred boundary in `window`, if it keeps at least half the window."""
    for separator in _BOUNDARIES:
        position = window.rfind(separator)
        if position >= 0 and position + len(separator) >= len(window) // 2:
            return position + len(separator)
    return len(window)


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """Chunks of at most `limit` units each (per `measure`) whose concatenation is `text`.

    Args:
        text: the text to split.
        limit: the platform limit, in the unit `measure` counts.
        measure: `len` for characters, `utf8_size` for bytes, `utf16_size` for UTF-16 units.
    """
    if limit < 4:
        raise ValueError("limit must leave room for at least one character")
    chunks: list[str] = []
    rest = text
    while measure(rest) > limit:
        fit = max(_fit(rest, limit, measure), 1)
        cut = _best_cut(rest[:fit])
        chunks.append(rest[:cut])
        rest = rest[cut:]
    if rest or not chunks:
        chunks.append(rest)
    return chunks


def split_utf8(text: str, limit_bytes: int) -> list[str]:
    """Chunks of at most `limit_bytes` UTF-8 bytes (WeCom: 2048)."""
    return split_text(text, limit_bytes, utf8_size)


def split_chars(text: str, limit: int) -> list[str]:
    """Chunks of at most `limit` characters."""
    return split_text(text, limit, len)
