"""Hybrid search: BM25 words + BM25 bigrams (+ dense) fused by RRF, filtered, then reranked on whole passages."""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.analysis import QuestionAnalysis, analyze_question
from retrieval.base import BIGRAM, DENSE, LEXICAL, SpeechIndex
from retrieval.fusion import rrf
from retrieval.gazetteer import place_key
from retrieval.models import Filters, Hit, Passage, Scores
from retrieval.rerank import coverage

PLACE_MISS = 0.6
RERANK_WEIGHT = 0.75  # final score = RERANK_WEIGHT * rerank + (1 - RERANK_WEIGHT) * fused


@dataclass
class SearchResult:
    query: QuestionAnalysis
    hits: list[Hit]


class Searcher:
    """The one retrieval path: what `speechbot search`, the API's /search and the bot all call."""

    def __init__(self, index: SpeechIndex, candidates: int = 50, rrf_k: int = 60):
        self.index = index
        self.candidates = candidates
        self.rrf_k = rrf_k

    def search(self, question: str | QuestionAnalysis, top_k: int = 5, filters: Filters | None = None) -> SearchResult:
        query = analyze_question(question, stats=self.index.words) if isinstance(question, str) else question
        if not len(self.index):
            return SearchResult(query, [])
        channels = self._channels(query, filters)
        fused = rrf([list(c) for c in channels.values()], k=self.rrf_k)
        passages = self.index.passages(list(fused))
        hits = [self._hit(passages[cid], query, channels, fused[cid]) for cid in fused if cid in passages]
        hits.sort(key=lambda h: h.score, reverse=True)
        return SearchResult(query, hits[:top_k])

    def next_passage(self, hit: Hit) -> Hit | None:
        """The passage that follows `hit` in its document, scored 0 (it was not retrieved for the query)."""
        nxt = self.index.next_passage(hit.chunk.chunk_id)
        return None if nxt is None else Hit(chunk=nxt.chunk, meta=nxt.meta, score=0.0, scores=Scores())

    def _channels(self, query: QuestionAnalysis, filters: Filters | None) -> dict[str, dict[int, float]]:
        """Each channel's candidates: chunk id -> 0-1 score."""
        idx, n = self.index, self.candidates
        out = {"lexical": dict(idx.search(LEXICAL, query.words, n, filters)),
               "bigram": dict(idx.search(BIGRAM, query.bigrams, n, filters))}
        if DENSE in idx.channels:
            out["dense"] = dict(idx.search(DENSE, query.standalone, n, filters))
        return out

    def _hit(self, passage: Passage, query: QuestionAnalysis, channels: dict[str, dict[int, float]],
             fused: float) -> Hit:
        chunk, meta = passage.chunk, passage.meta
        cov = coverage(query, chunk.norm, chunk.heading, meta)
        rerank = cov.score
        if query.places and meta.place and place_key(meta.place) in {place_key(p) for p in query.places}:
            rerank = min(1.0, rerank + 0.05)  # the question's place is this speech's own place
        elif any(t.kind == "place" and t.text in cov.missing for t in query.terms):
            rerank *= PLACE_MISS  # the question names a place this passage and its speech are not about
        scores = Scores(lexical=channels["lexical"].get(chunk.chunk_id, 0.0),
                        bigram=channels["bigram"].get(chunk.chunk_id, 0.0),
                        dense=channels["dense"].get(chunk.chunk_id) if "dense" in channels else None,
                        fused=fused, rerank=rerank)
        score = RERANK_WEIGHT * rerank + (1 - RERANK_WEIGHT) * fused
        return Hit(chunk=chunk, meta=meta, score=round(score, 4), scores=scores)
