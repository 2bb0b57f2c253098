"""Candidate answer sentences: every sentence of the retrieved passages, with its features."""

from __future__ import annotations

from dataclasses import dataclass

from bot import spans
from bot.features import Sentence, behind, features
from retrieval.analysis import QuestionAnalysis
from retrieval.models import Hit
from retrieval.rerank import context_of
from retrieval.sentences import sentences


@dataclass(frozen=True)
class Candidate:
    sentence: Sentence
    features: dict[str, float]
    text: str  # original script
    score: float = 0.0  # the scorer's probability that this sentence answers the question
    choice: float = 0.0  # the choice model's: which of the question's sentences answers (its order, its ratios)

    @property
    def hit(self) -> int:
        return self.sentence.hit

    @property
    def norm(self) -> str:
        return self.sentence.norm


def sentences_of(hits: list[Hit]) -> list[Sentence]:
    out = []
    for i, h in enumerate(hits):
        norm = h.chunk.norm
        found = sentences(norm)
        for k, (a, b) in enumerate(found):
            lo = found[k - 1][0] if k else a
            hi = found[k + 1][1] if k + 1 < len(found) else b
            leads = k + 1 < len(found) and spans.enum_marker(norm[slice(*found[k + 1])])
            out.append(Sentence(i, a, b, norm[a:b], norm[lo:hi], leads))
    return out


def candidates(a: QuestionAnalysis, hits: list[Hit]) -> list[Candidate]:
    """Every sentence of `hits`, described for the scorer (not yet scored)."""
    contexts = [context_of(h.meta, h.chunk.heading) for h in hits]
    ranks = _ranks(hits)
    by_doc: dict[str, list[str]] = {}
    for h in hits:
        by_doc.setdefault(h.chunk.doc_id, []).append(h.chunk.norm)
    retrieved = {doc: " ".join(norms) for doc, norms in by_doc.items()}  # each document's retrieved passages
    found = [s for s in sentences_of(hits) if len(s.norm.strip()) > 1]
    rows = behind([features(a, s, hits[s.hit], ranks[s.hit], contexts[s.hit], retrieved[hits[s.hit].chunk.doc_id])
                   for s in found])
    return [Candidate(s, f, hits[s.hit].chunk.text[s.start:s.end]) for s, f in zip(found, rows, strict=True)]


def _ranks(hits: list[Hit]) -> list[int]:
    """Retrieval rank of each hit; passages added after the ranked ones (list continuation) rank last."""
    return [i if h.score > 0 else len(hits) for i, h in enumerate(hits)]
