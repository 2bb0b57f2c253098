"""Index-side normalisation: simplified script, half-width letters and digits, one form of quotes.

The normalised text has exactly the length of its input, character for character, so an offset found in
the normalised text is an offset in the original-script display text too.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

_QUOTES = str.maketrans({
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "「": '"', "」": '"', "『": '"', "』": '"',
    "‘": "'", "’": "'", "〝": '"', "〞": '"',
})


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _fold_char(ch: str) -> str:
    """NFKC for one character, kept only when it stays one character (so offsets never shift); then one form of
    quotes, then lower case when that too stays one character (İ's lower case is two)."""
    folded = unicodedata.normalize("NFKC", ch)
    folded = (folded if len(folded) == 1 else ch).translate(_QUOTES)
    low = folded.lower()
    return low if len(low) == 1 else folded


class _Folding(dict):
    """str.translate table filled on first sight of each character: the whole fold runs in C afterwards."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


_FOLDING = _Folding()


def _to_simplified(line: str) -> str:
    converted = _t2s().convert(line)
    if len(converted) == len(line):
        return converted
    # A phrase rule changed the length: fall back to character-wise conversion for this line.
    return "".join(c if len(c := _t2s().convert(ch)) == 1 else ch for ch in line)


def normalize(text: str) -> str:
    """Return the normalised form of `text`, with len(result) == len(text).

    Args:
        text: display text in any script.

    Returns:
        Simplified-script text with full-width letters/digits/punctuation folded to half-width,
        curly and corner quotes folded to ASCII quotes, and letters lower-cased.
    """
    simplified = "\n".join(_to_simplified(line) for line in text.split("\n"))
    return simplified.translate(_FOLDING)


# Zero-width characters, bidi marks/embeddings/isolates, the BOM and the soft hyphen: invisible, yet they split
# words for the segmenter. Questions lose them (documents keep their length: see `normalize`).
_MARKS = dict.fromkeys(map(ord, "\u00ad\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                              "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"))


def strip_marks(text: str) -> str:
    """`text` without invisible format marks (zero-width spaces and joiners, RTL/LTR marks and overrides)."""
    return text.translate(_MARKS)


def to_simplified(text: str) -> str:
    """Traditional to simplified (lengths may change); for display-independent comparisons."""
    return _t2s().convert(text)
