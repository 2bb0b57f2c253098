"""The bot: rewrite a follow-up, retrieve, answer (extractively, or through a model when one is configured)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.extractive import ExtractiveAnswerer
from bot.models import Answer, Citation, Turn
from bot.question import classify
from bot.rewrite import rewrite
from retrieval.models import Filters, Hit
from retrieval.search import Searcher

CONTINUATION = 2  # passages after the best one that a list answer may need
REFUSAL = "资料中没有找到「{question}」的明确答案。下面是最接近的段落，供参考。"
EMPTY = "资料库还是空的：先用 speechbot ingest 导入讲话稿。"


class Generator(Protocol):
    """A generative answerer (bot.llm): answers from the passages, or hands back the fallback."""

    def answer(self, question: str, citations: list[Citation], fallback: Answer) -> Answer: ...

    def condense(self, question: str, history: list[Turn]) -> str | None: ...


def to_citation(n: int, hit: Hit) -> Citation:
    meta = hit.meta
    return Citation(id=n, doc_id=hit.chunk.doc_id, title=meta.title, speaker=meta.speaker,
                    date=meta.date.isoformat() if meta.date else None, place=meta.place, source=meta.source,
                    heading=hit.chunk.heading, text=hit.chunk.text, start=hit.chunk.start, end=hit.chunk.end,
                    score=hit.score, scores=hit.scores.model_dump())


class Bot:
    """One answering path for every channel."""

    def __init__(self, searcher: Searcher, answerer: ExtractiveAnswerer, generator: Generator | None = None,
                 top_k: int = 5):
        self.searcher = searcher
        self.answerer = answerer
        self.generator = generator
        self.top_k = top_k

    def standalone(self, question: str, history: Sequence[Turn] = ()) -> str:
        """The question to search and answer: condensed by the model if there is one, else by rule."""
        history = list(history)
        if history and self.generator is not None:
            condensed = self.generator.condense(question, history)
            if condensed:
                return condensed
        return rewrite(question, history)

    def _with_continuation(self, hits: list[Hit]) -> list[Hit]:
        """An enumeration often runs past its passage: the passages that follow the best one (CONTINUATION of
        them) take the last places when they were not retrieved, so the answer can cite items where they stand."""
        follow: list[Hit] = []
        current = hits[0]
        for _ in range(CONTINUATION):
            nxt = self.searcher.next_passage(current)
            if nxt is None:
                break
            if all(h.chunk.chunk_id != nxt.chunk.chunk_id for h in hits):
                follow.append(nxt)
            current = nxt
        return [*hits[: max(len(hits) - len(follow), 1)], *follow]

    def retrieve(self, query: str, filters: Filters | None = None, top_k: int | None = None) -> list[Hit]:
        """The passages an answer is chosen from: what `search` (CLI and API) shows is exactly this."""
        hits = self.searcher.search(query, top_k or self.top_k, filters).hits
        if hits and classify(query).kind == "list":
            hits = self._with_continuation(hits)
        return hits

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None,
            top_k: int | None = None) -> Answer:
        query = self.standalone(question, history)
        hits = self.retrieve(query, filters, top_k)
        citations = [to_citation(i + 1, h) for i, h in enumerate(hits)]
        if not hits:
            return Answer(answer=EMPTY if not len(self.searcher.index) else REFUSAL.format(question=query),
                          found=False, query=query, citations=[])
        extract = self.answerer.answer(query, hits)
        if not extract.found:
            return Answer(answer=REFUSAL.format(question=query), found=False, query=query, citations=citations)
        answer = Answer(answer=extract.text, found=True, query=query, citations=citations)
        if self.generator is not None:
            return self.generator.answer(query, citations, answer)
        return answer
