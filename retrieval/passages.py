"""What gets indexed for a passage: its words plus its heading path and document title."""

from __future__ import annotations

from functools import lru_cache

from retrieval.textnorm import normalize
from retrieval.tokenize import bigrams, words


@lru_cache(maxsize=4096)
def label_norm(label: str) -> str:
    return normalize(label)


@lru_cache(maxsize=4096)
def _label_words(label: str) -> tuple[str, ...]:
    """Headings and titles repeat on every passage of a document: tokenise each once."""
    return tuple(words(normalize(label)))


@lru_cache(maxsize=4096)
def _label_bigrams(label: str) -> tuple[str, ...]:
    return tuple(bigrams(normalize(label)))


def passage_words(norm_text: str, heading: str, title: str) -> list[str]:
    """Tokens of the lexical word channel: body, heading path (which names the topic), title."""
    return [*words(norm_text), *_label_words(heading), *_label_words(title)]


def passage_bigrams(norm_text: str, heading: str, title: str) -> list[str]:
    return [*bigrams(norm_text), *_label_bigrams(heading), *_label_bigrams(title)]


def dense_text(text: str, heading: str, title: str) -> str:
    """What the embedder sees for a passage."""
    return "\n".join(p for p in (title, heading, text) if p)
