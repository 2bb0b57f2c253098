"""Which passages an answer cites, and with which sentences: what a source list or a 来源 footer shows.

The answer object's `quotes` say it exactly (the sentences quoted, each with its citation id). An answer without
them (an older or generative one) still carries its markers: the sentence before each [n] is what [n] supports.
"""

from __future__ import annotations

import re

from bot.models import Answer, Citation

_MARKER = re.compile(r"\[(\d+)\]")
_BOUNDARY = re.compile(r"[。！？!?；;\n]")
_TRAILING = "。！？!?；;，,、：: \t\n"


def sentence_before(text: str, index: int) -> str:
    """The sentence a marker at `index` closes: back to the previous sentence end or marker."""
    before = _MARKER.sub("", text[:index]).rstrip(_TRAILING)
    return _BOUNDARY.split(before)[-1].strip()


def cited_sentences(answer: Answer) -> dict[int, list[str]]:
    """Citation id -> the sentences the answer quotes from it, in the order the answer cites them."""
    cited: dict[int, list[str]] = {}
    if answer.quotes:
        for quote in answer.quotes:
            _add(cited, quote.id, quote.text.strip())
        return cited
    for found in _MARKER.finditer(answer.answer):
        _add(cited, int(found.group(1)), sentence_before(answer.answer, found.start()))
    return cited


def _add(cited: dict[int, list[str]], n: int, sentence: str) -> None:
    sentences = cited.setdefault(n, [])
    if sentence and sentence not in sentences:
        sentences.append(sentence)


def split_citations(answer: Answer) -> tuple[list[Citation], list[Citation]]:
    """(cited, the rest): the passages the answer cites, in citing order, and the other retrieved ones."""
    order = list(cited_sentences(answer))
    by_id = {c.id: c for c in answer.citations}
    cited = [by_id[n] for n in order if n in by_id]
    rest = [c for c in answer.citations if c.id not in order]
    return cited, rest


def first_words(text: str, limit: int) -> str:
    """The start of a passage on one line, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
