"""Passage rerank: how much of the question's key terms a passage, and its best sentence, cover (0-1).

Without a cross-encoder (no model can be downloaded here) the passage is judged as a whole on what a reader
would check: are the question's rare words there (idf-weighted, synonyms allowed), is the place or year the
question names the passage's own (document metadata counts), and do the terms meet in one sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.analysis import QuestionAnalysis, Term
from retrieval.gazetteer import ancestors, find_places, place_key
from retrieval.lexicon import lexicon
from retrieval.models import DocumentMeta
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


def context_of(meta: DocumentMeta, heading: str = "") -> str:
    """Document facts that count as said by every passage of it: title, heading, places (and the divisions they
    lie in: a report on 铁西区 is about 沈阳 and 辽宁 too), the place of the paper that published it (a report of
    江西日报 whose text says only 省长 is about 江西), speaker, year."""
    year = [f"{meta.year}年", str(meta.year)] if meta.year else []
    if meta.date:  # a dated speech was given, held and published: questions asking when it was are about it
        year += ["发布", "发表", "召开", "举行"]
    own = [p for p in [meta.place, *meta.places[:3], *find_places(meta.source)] if p]
    keys = [place_key(p) for p in own] + sorted({a for p in own for a in ancestors(p)})
    return normalize(" ".join([meta.title, meta.speaker, *keys, *year, heading]))


def term_hit(term: Term, haystack: str, year: int | None = None) -> float:
    """1 when the term (or another wording of it) is there; for 2021年 also 今年 in a 2021 document; partial
    credit for a word whose character pairs are there."""
    if any(a and a in haystack for a in term.alts):
        return 1.0
    if term.kind == "year" and year:
        y = int(term.text[:4])
        if any(w in haystack and year + d == y for w, d in lexicon().relative_years.items()):
            return 1.0
    if len(term.text) >= 2 and term.kind in ("word", "quoted"):
        grams = [term.text[i : i + 2] for i in range(len(term.text) - 1)]
        return PARTIAL * sum(g in haystack for g in grams) / len(grams)
    return 0.0


def _cover(terms: tuple[Term, ...], haystack: str, year: int | None) -> tuple[float, list[str]]:
    total = sum(t.weight for t in terms) or 1.0
    got, missing = 0.0, []
    for t in terms:
        hit = term_hit(t, haystack, year)
        got += t.weight * hit
        if hit < 1.0:
            missing.append(t.text)
    return got / total, missing


def coverage(a: QuestionAnalysis, norm: str, heading: str, meta: DocumentMeta) -> Coverage:
    """Coverage of the question's key terms by a passage (with its heading and document facts) and its best
    sentence."""
    if not a.terms:
        return Coverage(0.0, 0.0, ())
    context = context_of(meta, heading)
    passage, missing = _cover(a.terms, norm + " " + context, meta.year)
    best = max((_cover(a.terms, s + " " + context, meta.year)[0]
                for s in _SENTENCE.findall(norm)), default=0.0)
    return Coverage(passage, best, tuple(missing))
