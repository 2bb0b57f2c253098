"""The bot: analyse the question once, retrieve, answer (extractively, or through a model when one is configured).

The analysis (retrieval.analysis) is made once per question — follow-ups resolved against the previous user
turn, or condensed by the model when there is one — and passed to the search, the rerank and the answerer.
The model is called when the retrieved passages are on topic (a calibrated retrieval confidence), even if no
single sentence matched the question's words; its answer is checked, and the extractive answer backs it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from bot import outline
from bot.extractive import Extract, ExtractiveAnswerer, merged
from bot.models import Answer, Citation, Quote, Turn
from retrieval.analysis import QuestionAnalysis, analyze_question
from retrieval.models import Filters, Hit, Scores
from retrieval.search import Searcher
from retrieval.textnorm import normalize

CONTINUATION = 2  # passages after the best one that a list answer may need
REFUSAL = "资料中没有找到「{question}」的明确答案。下面是最接近的段落，供参考。"
SIDE_MISSING = "{label}：资料中没有找到这一方的明确答案。"
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


def _values(short: str) -> int:
    """How many values a short answer gives, as the answer joins them (周明远，青禾日报 two, 1200米；青禾路桥公司
    two, 1200米 one; the half-width comma of 2,400平方米 joins nothing)."""
    return len([x for x in re.split(r"[，；]", short) if x.strip()])


@dataclass(frozen=True)
class Prepared:
    """Everything an answer is made from: what the extractive answer says, and whether a model may speak."""

    analysis: QuestionAnalysis
    hits: list[Hit]
    answer: Answer  # the extractive answer (or refusal)
    on_topic: bool  # retrieval is confident enough for a model to read the passages
    parts_answered: int = 0  # of a question asked in parts, how many parts have their answer


class Bot:
    """One answering path for every channel."""

    def __init__(self, searcher: Searcher, answerer: ExtractiveAnswerer, generator: Generator | None = None,
                 top_k: int = 5):
        self.searcher = searcher
        self.answerer = answerer
        self.generator = generator
        self.top_k = top_k

    def analyze(self, question: str, history: Sequence[Turn] = ()) -> QuestionAnalysis:
        """The question understood once: condensed by the model if there is one, else resolved by rule."""
        stats = self.searcher.index.words
        history = list(history)
        if history and self.generator is not None:
            condensed = self.generator.condense(question, history)
            if condensed:
                return analyze_question(condensed, (), stats)
        users = [i for i, t in enumerate(history) if t.role == "user"]
        replied = next((t.content for t in history[users[-1] + 1:] if t.role == "assistant"), "") if users else ""
        if replied.startswith((REFUSAL.split("{")[0], EMPTY)):  # a refusal gave nothing the follow-up asks past
            replied = ""
        return analyze_question(question, [history[i].content for i in users], stats, answered=replied)

    def retrieve(self, question: str | QuestionAnalysis, filters: Filters | None = None,
                 top_k: int | None = None) -> list[Hit]:
        """The passages an answer is chosen from: what `search` (CLI and API) shows is exactly this."""
        a = question if isinstance(question, QuestionAnalysis) else self.analyze(question)
        hits = self.searcher.search(a, top_k or self.top_k, filters).hits
        if hits and a.answer.kind == "list":
            hits = self._with_continuation(hits)
        return hits

    def prepare(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None,
                top_k: int | None = None) -> Prepared:
        a = self.analyze(question, history)
        if a.sides:
            return self._compare(a, filters, top_k)
        if len(a.parts) > 1:
            return self._parts(a, filters, top_k)
        hits = self.retrieve(a, filters, top_k)
        listed = self._outline(a, hits)
        if listed is not None:
            return listed
        extract = self.answerer.answer(a, hits) if hits else None
        # asked together (叫什么，由哪家公司承建): answered apart when the whole is not, or only in part (its short
        # answer gives fewer values than the question asks), and each ask apart is
        whole = extract if extract is not None and extract.found else None
        if a.asks and not (whole is not None and _values(whole.short) >= len(a.asks)):
            apart = self._parts(replace(a, parts=a.asks), filters, top_k, exact=True)
            if apart.answer.found and (whole is None or apart.parts_answered == len(a.asks)):
                return apart
        return Prepared(a, hits, self._answer(a, hits, extract), self._on_topic(extract))

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None,
            top_k: int | None = None) -> Answer:
        p = self.prepare(question, history, filters, top_k)
        if self.generator is not None and p.on_topic:
            return self.generator.answer(p.analysis.standalone, p.answer.citations, p.answer)
        return p.answer

    # --- parts of an answer ---------------------------------------------------------------------------------

    def _answer(self, a: QuestionAnalysis, hits: list[Hit], extract: Extract | None) -> Answer:
        citations = [to_citation(i + 1, h) for i, h in enumerate(hits)]
        if extract is None:
            text = EMPTY if not len(self.searcher.index) else REFUSAL.format(question=a.standalone)
            return Answer(answer=text, found=False, query=a.standalone, citations=citations)
        if not extract.found:
            return Answer(answer=REFUSAL.format(question=a.standalone), found=False, query=a.standalone,
                          citations=citations)
        quotes = [Quote(id=c.hit + 1, text=c.text.strip(), start=hits[c.hit].chunk.start + c.sentence.start,
                        end=hits[c.hit].chunk.start + c.sentence.end) for c in extract.picked]
        return Answer(answer=extract.text, found=True, query=a.standalone, short=extract.short, quotes=quotes,
                      citations=citations)

    def _on_topic(self, extract: Extract | None) -> bool:
        """Retrieval confidence, not sentence choice: the best sentence's passage covers the question well enough
        for a reader, even if no sentence alone answers it."""
        if extract is None or extract.best is None:
            return False
        return extract.found or self.answerer.on_topic(extract.best)

    def _outline(self, a: QuestionAnalysis, hits: list[Hit]) -> Prepared | None:
        """A list the speech gives as its outline (bot.outline): the items, each citing the passage it opens or
        stands in (once for the items of one passage); those passages lead the citations."""
        found = outline.find(a, [h.chunk.doc_id for h in hits], self.searcher.index.doc_passages,
                             self.answerer.scoring.outline_cover) if hits else None
        if found is None:
            return None
        meta = {h.chunk.doc_id: h.meta for h in hits}
        place: dict[int, int] = {}  # chunk id -> citation number: items of one passage cite it once
        for _, c in found.items:
            place.setdefault(c.chunk_id, len(place) + 1)
        chunks = {c.chunk_id: c for _, c in found.items}
        items = [Hit(chunk=chunks[i], meta=meta[chunks[i].doc_id], score=0.0, scores=Scores()) for i in place]
        cited = [*items, *(h for h in hits if h.chunk.chunk_id not in place)]
        quotes = []
        for label, c in found.items:
            at = max(c.text.find(label), 0)
            quotes.append(Quote(id=place[c.chunk_id], text=label, start=c.start + at, end=c.start + at + len(label)))
        short = "；".join(q.text for q in quotes)
        text = f"{short}\n{found.heading}：" + "；".join(f"{q.text}[{q.id}]" for q in quotes)
        answer = Answer(answer=text, found=True, query=a.standalone, short=short, quotes=quotes,
                        citations=[to_citation(i + 1, h) for i, h in enumerate(cited)])
        return Prepared(a, cited, answer, True)

    def _parts(self, a: QuestionAnalysis, filters: Filters | None, top_k: int | None,
               exact: bool = False) -> Prepared:
        """Each part of a question (「…是多少?…排第几?」) from its own search: two facts asked together are often in
        two documents. The citations take the parts' passages in turn, so each part's best source comes first.
        With `exact`, a part counts as answered only with its exact span (a short clause, 建在哪里, says little of
        what its sentence must hold)."""
        found = [self.retrieve(part, filters, top_k) for part in a.parts]
        hits, places = interleaved(found)
        extracts = [self.answerer.answer(part, part_hits).remapped(where)
                    for part, part_hits, where in zip(a.parts, found, places, strict=True) if part_hits]
        if not extracts:
            return Prepared(a, hits, self._answer(a, hits, None), False)
        best = next((e.best for e in extracts if e.best is not None), None)
        answered = [e for e in extracts if e.found and (e.short or not exact)]
        if not answered:
            refused = Extract("", "", False, (), best)
            return Prepared(a, hits, self._answer(a, hits, refused), self._on_topic(refused))
        one = merged(a, [(e.short, e.picked) for e in answered], hits)
        return Prepared(a, hits, self._answer(a, hits, one), True, len(answered))

    def _compare(self, a: QuestionAnalysis, filters: Filters | None, top_k: int | None) -> Prepared:
        """Each side of a comparison from its own documents, each with its own markers."""
        hits: list[Hit] = []
        answered: list[tuple[str, Extract]] = []
        missing: list[str] = []
        for side in a.sides:
            side_hits = self.retrieve(side, filters, top_k)
            extract = self.answerer.answer(side, side_hits) if side_hits else None
            if extract is not None and extract.found and _said_for_another(side, extract, side_hits, answered, hits):
                # the sentence an earlier side was answered with, and it never names this side: another source
                taken = {hits[c.hit].chunk.chunk_id for _, e in answered for c in e.picked}
                side_hits = [h for h in side_hits if h.chunk.chunk_id not in taken]
                extract = self.answerer.answer(side, side_hits) if side_hits else None
            places = []
            for h in side_hits:  # a passage both sides retrieved is cited once
                known = next((i for i, x in enumerate(hits) if x.chunk.chunk_id == h.chunk.chunk_id), None)
                if known is None:
                    hits.append(h)
                places.append(len(hits) - 1 if known is None else known)
            label = side.side
            if extract is not None and extract.found:
                answered.append((label, extract.remapped(places)))
            elif label:
                missing.append(label)
        if not answered:
            refused = Extract("", "", False, ()) if hits else None
            return Prepared(a, hits, self._answer(a, hits, refused), False)
        lines = [f"{label}：{e.text}" if label else e.text for label, e in answered]
        lines += [SIDE_MISSING.format(label=label) for label in missing]  # one side found is no whole answer
        merged = Extract("\n".join(lines),
                         "；".join(f"{label}：{e.short}" for label, e in answered if e.short), True,
                         tuple(c for _, e in answered for c in e.picked))
        return Prepared(a, hits, self._answer(a, hits, merged), True)

    def _with_continuation(self, hits: list[Hit]) -> list[Hit]:
        """An enumeration often runs past its passage: the passages that follow the best one (CONTINUATION of
        them) take the last places when they were not retrieved, so the answer can cite items where they stand."""
        chain: set[int] = set()
        follow: list[Hit] = []
        current = hits[0]
        for _ in range(CONTINUATION):
            nxt = self.searcher.next_passage(current)
            if nxt is None:
                break
            chain.add(nxt.chunk.chunk_id)
            if all(h.chunk.chunk_id != nxt.chunk.chunk_id for h in hits):
                follow.append(nxt)
            current = nxt
        # the others give up their places, never a following passage that was retrieved at a low rank
        room = max(len(hits) - len(follow), 1) - sum(h.chunk.chunk_id in chain for h in hits)
        kept: list[Hit] = []
        for h in hits:
            if h.chunk.chunk_id in chain or room > 0 or not kept:
                kept.append(h)
            room -= h.chunk.chunk_id not in chain
        return [*kept, *follow]


def _said_for_another(side: QuestionAnalysis, extract: Extract, side_hits: list[Hit],
                      answered: list[tuple[str, Extract]], hits: list[Hit]) -> bool:
    """Two sides of a comparison answered by the same sentence are one side answered twice, unless the sentence
    names this side too (「芜湖的徐志、淮安的顾坤」 answers both)."""
    lead = extract.picked[0]
    where = (side_hits[lead.hit].chunk.chunk_id, lead.sentence.start)
    earlier = {(hits[c.hit].chunk.chunk_id, c.sentence.start) for _, e in answered for c in e.picked}
    return where in earlier and normalize(side.side) not in lead.norm


def interleaved(lists: list[list[Hit]]) -> tuple[list[Hit], list[list[int]]]:
    """The hits of several searches taken in turn (first of each, then second of each …), each passage once, and
    where each search's hits now stand."""
    hits: list[Hit] = []
    index: dict[int, int] = {}
    places: list[list[int]] = [[] for _ in lists]
    for rank in range(max(map(len, lists), default=0)):
        for found, where in zip(lists, places, strict=True):
            if rank < len(found):
                h = found[rank]
                if h.chunk.chunk_id not in index:
                    index[h.chunk.chunk_id] = len(hits)
                    hits.append(h)
                where.append(index[h.chunk.chunk_id])
    return hits, places
