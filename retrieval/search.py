"""Hybrid search: BM25 words + BM25 bigrams (+ dense) fused by RRF, filtered, then reranked on whole passages."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrieval.analysis import QuestionAnalysis, analyze_question
from retrieval.dense import to_unit
from retrieval.filters import allowed_rows
from retrieval.fusion import rrf, top_rows
from retrieval.gazetteer import place_key
from retrieval.index import SpeechIndex
from retrieval.models import Filters, Hit, Scores
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
        mask = allowed_rows(self.index, filters)
        channels = self._channels(query, mask)
        fused = rrf([list(c) for c in channels.values()], k=self.rrf_k)
        hits = [self._hit(row, query, channels, fused[row]) for row in fused]
        hits.sort(key=lambda h: h.score, reverse=True)
        return SearchResult(query, hits[:top_k])

    def next_passage(self, hit: Hit) -> Hit | None:
        """The passage that follows `hit` in its document, scored 0 (it was not retrieved for the query)."""
        rows = self.index.doc_rows.get(hit.chunk.doc_id)
        row = self.index.row_of.get(hit.chunk.chunk_id)
        if rows is None or row is None or row == rows[-1]:
            return None
        nxt = self.index.chunks[row + 1]
        return Hit(chunk=nxt, meta=hit.meta, score=0.0, scores=Scores())

    def _channels(self, query: QuestionAnalysis, mask: np.ndarray | None) -> dict[str, dict[int, float]]:
        idx, n = self.index, self.candidates
        out: dict[str, dict[int, float]] = {}
        for name, lex, toks in (("lexical", idx.words, query.words), ("bigram", idx.bigrams, query.bigrams)):
            scores = lex.scores(toks)
            ref = lex.reference(toks)
            out[name] = {r: min(1.0, float(scores[r]) / ref) for r in top_rows(scores, n, mask)}
        if idx.dense is not None and idx.embedder is not None:
            allowed = None if mask is None else np.array([idx.chunks[r].chunk_id for r in np.flatnonzero(mask)])
            vec = idx.embedder.embed_query(query.standalone)
            found = idx.dense.search(vec, n, allowed=allowed)
            out["dense"] = {idx.row_of[h.id]: to_unit(h.score) for h in found if h.id in idx.row_of}
        return out

    def _hit(self, row: int, query: QuestionAnalysis, channels: dict[str, dict[int, float]], fused: float) -> Hit:
        chunk = self.index.chunks[row]
        meta = self.index.records[chunk.doc_id].meta
        cov = coverage(query, chunk.norm, chunk.heading, meta)
        rerank = cov.score
        if query.places and meta.place and place_key(meta.place) in {place_key(p) for p in query.places}:
            rerank = min(1.0, rerank + 0.05)  # the question's place is this speech's own place
        elif any(t.kind == "place" and t.text in cov.missing for t in query.terms):
            rerank *= PLACE_MISS  # the question names a place this passage and its speech are not about
        scores = Scores(lexical=channels["lexical"].get(row, 0.0), bigram=channels["bigram"].get(row, 0.0),
                        dense=channels["dense"].get(row) if "dense" in channels else None,
                        fused=fused, rerank=rerank)
        score = RERANK_WEIGHT * rerank + (1 - RERANK_WEIGHT) * fused
        return Hit(chunk=chunk, meta=meta, score=round(score, 4), scores=scores)
