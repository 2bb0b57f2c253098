"""The extractive answerer: pick the sentence(s) of the retrieved passages that answer the question, and quote them.

No language model: the question's type (number, person, date, place, list, statement) and its key terms decide
which sentence answers; each quoted sentence carries the marker [n] of the passage it came from. When no sentence
covers the question well enough, the answer is a refusal and the closest passages are still returned.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.features import enum_marker, has_date, has_number, has_place, is_enumeration, person_names
from bot.question import QuestionType, classify, sub_questions
from retrieval.lexical import LexicalIndex
from retrieval.models import Hit
from retrieval.query import Query, analyze
from retrieval.rerank import context_of, term_hit, term_weights
from retrieval.sentences import sentences
from retrieval.textnorm import normalize

MIN_COVERAGE = 0.62  # below this the best sentence does not answer: refuse (chosen on the dev figures)
TYPE_PENALTY = 0.55


@dataclass
class Candidate:
    hit: int  # 0-based index into the hits (marker n = hit + 1)
    start: int  # offsets in the chunk text
    end: int
    text: str
    norm: str
    coverage: float  # key terms covered by the sentence with its document context
    own: float  # key terms covered by the sentence alone
    typed: bool
    score: float


@dataclass
class Extract:
    text: str
    found: bool
    picked: list[Candidate]


class ExtractiveAnswerer:
    """Chooses answer sentences; `lexical` gives the term weights (rare words matter more)."""

    def __init__(self, lexical: LexicalIndex, min_coverage: float = MIN_COVERAGE):
        self.lexical = lexical
        self.min_coverage = min_coverage

    def answer(self, question: str, hits: list[Hit]) -> Extract:
        parts = sub_questions(question)
        picked: list[Candidate] = []
        for part in parts:
            best = self._best(part, hits)
            if best is None or best.coverage < self.min_coverage or not best.typed:
                return Extract("", False, [best] if best else [])
            picked.extend(c for c in self._expand(part, best, hits) if c not in picked)
        return Extract(_render(picked), True, picked)

    def _best(self, question: str, hits: list[Hit]) -> Candidate | None:
        query, qtype = analyze(question), classify(question)
        weights = term_weights(query, self.lexical)
        cands = [c for i, h in enumerate(hits) for c in self._candidates(i, h, query, qtype, weights)]
        return max(cands, key=lambda c: c.score, default=None)

    def _candidates(self, i: int, hit: Hit, query: Query, qtype: QuestionType, weights: list[float]):
        context = context_of(hit.meta) + " " + normalize(hit.chunk.heading)
        exclude = {t.text for t in query.terms if t.kind in ("number", "year")} | set(query.norm.split())
        total = sum(weights) or 1.0
        for a, b in sentences(hit.chunk.norm):
            norm = hit.chunk.norm[a:b]
            own = sum(w * term_hit(t, norm, None) for t, w in zip(query.terms, weights, strict=True)) / total
            cov = sum(w * term_hit(t, norm + " " + context, hit.meta.year)
                      for t, w in zip(query.terms, weights, strict=True)) / total
            typed = _typed(qtype, norm, query, exclude, hit)
            score = (0.55 * cov + 0.3 * own + 0.15 * hit.score) * (1.0 if typed else TYPE_PENALTY)
            yield Candidate(i, a, b, hit.chunk.text[a:b], norm, cov if query.terms else 0.0, own, typed, score)

    def _expand(self, question: str, best: Candidate, hits: list[Hit]) -> list[Candidate]:
        """A list question gets the enumerated items that follow the best sentence."""
        qtype = classify(question)
        if qtype.kind != "list" or (is_enumeration(best.norm) and not enum_marker(best.norm)):
            return [best]
        chunk = hits[best.hit].chunk
        items = [best]
        for a, b in sentences(chunk.norm):
            if a >= best.end and enum_marker(chunk.norm[a:b]):
                items.append(Candidate(best.hit, a, b, chunk.text[a:b], chunk.norm[a:b], best.coverage, 0.0,
                                       True, 0.0))
            if qtype.count and len(items) > qtype.count:
                break
        return items


def _typed(qtype: QuestionType, norm: str, query: Query, exclude: set[str], hit: Hit) -> bool:
    kind = qtype.kind
    if kind == "number":
        return has_number(norm, exclude, qtype.unit)
    if kind == "person":
        return bool(person_names(norm)) or bool(hit.meta.speaker and normalize(hit.meta.speaker) in norm)
    if kind == "date":
        return has_date(norm)
    if kind == "place":
        return has_place(norm)
    if kind == "list":
        return is_enumeration(norm) or enum_marker(norm) or len(norm) > 12
    return len(norm) >= 6


def _render(picked: list[Candidate]) -> str:
    return "".join(f"{c.text.strip()}[{c.hit + 1}]" for c in picked)
