"""Passage rerank: how much of the question's key terms a passage, and its best sentence, cover (0-1).

Without a cross-encoder (no model can be downloaded here) the passage is judged as a whole on what a reader
would check: are the question's rare words there (idf-weighted, synonyms allowed), is the place or year the
question names the passage's own (document metadata counts), and do the terms meet in one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.base import TermStats
from retrieval.models import DocumentMeta
from retrieval.query import Query, Term, place_key
from retrieval.textnorm import normalize

_SENTENCE = re.compile(r"[^。!?;！？；\n]+[。!?;！？；]*")
PARTIAL = 0.5  # credit for a term whose characters are there but not as a whole


@dataclass(frozen=True)
class Coverage:
    passage: float
    sentence: float
    missing: tuple[str, ...]

    @property
    def score(self) -> float:
        return 0.6 * self.passage + 0.4 * self.sentence


def term_weights(query: Query, lexical: TermStats) -> list[float]:
    """idf of each key term: of the question's own word when the index has seen it, else of its commonest
    other wording (an unseen colloquial word weighs what the official word it stands for weighs)."""
    weights = []
    for t in query.terms:
        seen = [a for a in t.alts if lexical.df(a)]
        if t.kind != "word" or lexical.df(t.text) or not seen:
            idf = lexical.idf(t.text)
        else:
            idf = min(lexical.idf(a) for a in seen)
        weights.append(min(idf, 8.0) * (0.6 if t.kind == "place" else 1.0))
    return weights


def context_of(meta: DocumentMeta) -> str:
    """Document facts that count as said by every passage of it: title, places, speaker, year."""
    year = [f"{meta.year}年", str(meta.year)] if meta.year else []
    if meta.date:  # a dated speech was given, held and published: questions asking when it was are about it
        year += ["发布", "发表", "召开", "举行"]
    keys = [place_key(p) for p in [meta.place, *meta.places[:3]] if p]
    return normalize(" ".join([meta.title, meta.speaker, *keys, *year]))


def term_hit(term: Term, haystack: str, year: int | None = None) -> float:
    if any(a and a in haystack for a in term.alts):
        return 1.0
    if term.kind == "year" and year:
        y = int(term.text[:4])
        if (y == year and "今年" in haystack) or (y == year - 1 and "去年" in haystack):
            return 1.0
    if len(term.text) >= 2 and term.kind == "word":
        grams = [term.text[i : i + 2] for i in range(len(term.text) - 1)]
        return PARTIAL * sum(g in haystack for g in grams) / len(grams)
    return 0.0


def _cover(terms: list[Term], weights: list[float], haystack: str, year: int | None) -> tuple[float, list[str]]:
    total = sum(weights) or 1.0
    got, missing = 0.0, []
    for t, w in zip(terms, weights, strict=True):
        hit = term_hit(t, haystack, year)
        got += w * hit
        if hit < 1.0:
            missing.append(t.text)
    return got / total, missing


def coverage(query: Query, weights: list[float], norm: str, heading: str, meta: DocumentMeta) -> Coverage:
    """Coverage of the query's key terms by a passage (with its heading and document facts) and its best sentence."""
    if not query.terms:
        return Coverage(0.0, 0.0, ())
    context = context_of(meta) + " " + normalize(heading)
    passage, missing = _cover(query.terms, weights, norm + " " + context, meta.year)
    best = max((_cover(query.terms, weights, s + " " + context, meta.year)[0]
                for s in _SENTENCE.findall(norm)), default=0.0)
    return Coverage(passage, best, tuple(missing))
