"""What gets indexed for a passage: its words plus its heading path and document title."""

from __future__ import annotations

from retrieval.textnorm import normalize
from retrieval.tokenize import bigrams, words


def passage_words(norm_text: str, heading: str, title: str) -> list[str]:
    """Tokens of the lexical word channel: body, heading path (which names the topic), title."""
    return words(norm_text) + words(normalize(heading)) + words(normalize(title))


def passage_bigrams(norm_text: str, heading: str, title: str) -> list[str]:
    return bigrams(norm_text) + bigrams(normalize(heading)) + bigrams(normalize(title))


def dense_text(text: str, heading: str, title: str) -> str:
    """What the embedder sees for a passage."""
    return "\n".join(p for p in (title, heading, text) if p)
