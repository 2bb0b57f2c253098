"""The extractive answerer: pick the sentence(s) of the retrieved passages that answer the question, and quote them.

No language model: the question's type (number, person, date, place, list, statement) and its key terms decide
which sentence answers; each quoted sentence carries the marker [n] of the passage it came from. When no sentence
covers the question well enough, the answer is a refusal and the closest passages are still returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.features import any_names, enum_marker, has_date, has_number, has_place, is_enumeration, person_names
from bot.question import QuestionType, classify, sub_questions
from retrieval.base import TermStats
from retrieval.models import Hit
from retrieval.query import Query, Term, analyze, find_places
from retrieval.rerank import context_of, term_hit, term_weights
from retrieval.sentences import sentences
from retrieval.textnorm import normalize

MIN_COVERAGE = 0.40  # below this the best sentence does not answer: refuse (chosen on the dev figures)
STRICT_COVERAGE = 0.55  # a number, person or date must be asked about more exactly
STRICT_KINDS = ("number", "person", "date")
_WHERE = re.compile(r"哪些地方|哪个地方|哪里|哪儿|哪些城市|哪个城市|哪些市|哪个市|哪些县|什么地方")
SECOND_DOC = 0.85
SUBJECT_BONUS = 1.1
# A second sentence joins the answer when it scores this close to the best.
# Measured on CMRC (first 500): 0.9 -> 0.734, 0.8 -> 0.738, none -> 0.696; the speech set is unchanged.
RUNNER_UP = 0.8
TYPE_PENALTY = 0.55
WEAK_PERSON = 0.75
W_CONTEXT, W_OWN, W_HIT = 0.55, 0.3, 0.15  # sentence score: with its speech's context, alone, passage rank
UNTYPED_OWN = 0.75  # a sentence this on-topic answers even if its type is unclear


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

    def __init__(self, lexical: TermStats, min_coverage: float = MIN_COVERAGE):
        self.lexical = lexical
        self.min_coverage = min_coverage

    def answer(self, question: str, hits: list[Hit]) -> Extract:
        picked: list[Candidate] = []

        def add(found: list[Candidate]) -> None:  # a sentence quoted once, even if two passages overlap on it
            picked.extend(c for c in found if all(c.norm != p.norm for p in picked))

        for part in sub_questions(question):
            qtype = classify(part)
            cands = self._ranked(part, qtype, hits)
            best = cands[0] if cands else None
            floor = STRICT_COVERAGE if qtype.kind in STRICT_KINDS else self.min_coverage
            if best is not None and best.coverage >= floor and not _answers(qtype, best):
                best = _from_metadata(part, qtype, hits, cands, floor) or best
            if best is None or best.coverage < floor or not _answers(qtype, best):
                return Extract("", False, [best] if best else [])
            add(self._expand(qtype, best, hits))
            runner = next((c for c in cands[1:] if c.typed and c.norm != best.norm), None)
            if qtype.kind != "list" and runner and runner.score >= RUNNER_UP * best.score:
                add([runner])  # two sentences when the second answers nearly as well
            if qtype.kind == "list" and not qtype.count:
                add(_other_speeches(best, cands, hits, floor))
        return Extract(_render(picked, hits, _asks_where(question)), True, picked)

    def _ranked(self, question: str, qtype: QuestionType, hits: list[Hit]) -> list[Candidate]:
        query = analyze(question)
        weights = term_weights(query, self.lexical)
        cands = [c for i, h in enumerate(hits) for c in self._candidates(i, h, query, qtype, weights)]
        return sorted(cands, key=lambda c: c.score, reverse=True)

    def _candidates(self, i: int, hit: Hit, query: Query, qtype: QuestionType, weights: list[float]):
        context = context_of(hit.meta) + " " + normalize(hit.chunk.heading)
        exclude = {t.text for t in query.terms if t.kind in ("number", "year")} | set(query.norm.split())
        total = sum(weights) or 1.0
        spans = sentences(hit.chunk.norm)
        for k, (a, b) in enumerate(spans):
            norm = hit.chunk.norm[a:b]
            leads = k + 1 < len(spans) and enum_marker(hit.chunk.norm[slice(*spans[k + 1])])
            own = sum(w * term_hit(t, norm, None) for t, w in zip(query.terms, weights, strict=True)) / total
            cov = sum(w * term_hit(t, norm + " " + context, hit.meta.year)
                      for t, w in zip(query.terms, weights, strict=True)) / total
            if not _places_covered(query, norm, context):
                continue  # the question names a place this sentence and its speech are not about
            typed = _typed(qtype, norm, query, exclude, hit) or (qtype.kind == "list" and leads)
            score = (W_CONTEXT * cov + W_OWN * own + W_HIT * hit.score) * _type_factor(qtype, typed, norm, hit)
            score *= _shape_bonus(qtype, norm, leads) * _subject_bonus(query, norm)
            yield Candidate(i, a, b, hit.chunk.text[a:b], norm, cov if query.terms else 0.0, own, typed, score)

    def _expand(self, qtype: QuestionType, best: Candidate, hits: list[Hit]) -> list[Candidate]:
        """A list question gets the enumerated items that follow the best sentence, in its passage and the next."""
        items_in_best = max(best.norm.count("、") + 1, best.norm.count('"') // 2)
        if qtype.kind != "list" or (is_enumeration(best.norm) and items_in_best >= max(qtype.count, 2)):
            return [best]
        following = _following(best, hits)
        marked = [c for c in following if enum_marker(c.norm)]
        items = marked or _parallel(following)
        return [best, *items[: qtype.count or 6]]


_ABOUT_SPEECH = re.compile(r"讲话|讲的话|发言|报告|致辞|发表|发布|召开|举行|会议|会上|文章|报道")


def _from_metadata(question: str, qtype: QuestionType, hits: list[Hit], cands: list[Candidate],
                   floor: float) -> Candidate | None:
    """Who gave the speech, or when: the document's own metadata answers when no sentence states it
    (the byline or publication line was page furniture, cleaned away but recorded)."""
    if qtype.kind not in ("person", "date") or not _ABOUT_SPEECH.search(normalize(question)):
        return None
    for c in cands:  # best first: the first passage that is about the question and whose speech has the field
        meta = hits[c.hit].meta
        value = meta.speaker if qtype.kind == "person" else (
            f"{meta.date.year}年{meta.date.month}月{meta.date.day}日" if meta.date else "")
        if value and c.coverage >= floor:
            label = "讲话人" if qtype.kind == "person" else "日期"
            text = f"{label}：{value}（《{meta.title}》）" if meta.title else f"{label}：{value}"
            return Candidate(c.hit, 0, 0, text, normalize(text), c.coverage, c.own, True, c.score)
    return None


def _subject_bonus(query: Query, norm: str) -> float:
    """A sentence that opens with the question's subject (「张世昌（），中国足球运动员…」) is about it."""
    subject = next((t for t in query.terms if t.kind in ("word", "place")), None)
    return SUBJECT_BONUS if subject and norm.lstrip('"“《 ').startswith(subject.alts) else 1.0


def _answers(qtype: QuestionType, c: Candidate) -> bool:
    """The sentence carries the kind of answer asked for, or is so on-topic that its kind need not show."""
    return c.typed or (qtype.kind not in ("number", "person") and c.own >= UNTYPED_OWN)


def _places_covered(query: Query, sentence: str, context: str) -> bool:
    """Every place the question names is the speech's own, or the sentence is about it — a place in a list of
    places (「上海、杭州、广州等10个联络处」) is not what the sentence is about."""
    for t in query.terms:
        if t.kind != "place" or term_hit(t, context) == 1.0:
            continue
        if term_hit(t, sentence) < 1.0 or _listed(t, sentence):
            return False
    return True


def _listed(term: Term, sentence: str) -> bool:
    places = find_places(sentence)
    return len(places) >= 3 and any(re.search(rf"[、]{re.escape(a)}|{re.escape(a)}[、]", sentence) for a in term.alts)


def _shape_bonus(qtype: QuestionType, norm: str, leads: bool = False) -> float:
    """A list question prefers a sentence that enumerates as many items as it asks for, or that leads into
    items (「关键要抓好四件事。一是…」)."""
    if qtype.kind != "list":
        return 1.0
    if leads:
        return 1.15
    items = max(norm.count("、") + 1, norm.count('"') // 2)
    if qtype.count:
        return 1.15 if items >= qtype.count else 1.0
    return 1.1 if items >= 2 else 1.0


def _type_factor(qtype: QuestionType, typed: bool, norm: str, hit: Hit) -> float:
    """How much the sentence's score keeps for its answer type: a name beside a title (or the speech's
    speaker) is a surer person than any word jieba tags as a name."""
    if not typed:
        return TYPE_PENALTY
    if qtype.kind == "person" and not person_names(norm):
        return 1.0 if hit.meta.speaker and normalize(hit.meta.speaker) in norm else WEAK_PERSON
    return 1.0


def _typed(qtype: QuestionType, norm: str, query: Query, exclude: set[str], hit: Hit) -> bool:
    kind = qtype.kind
    if kind == "number":
        return has_number(norm, exclude, qtype.unit)
    if kind == "person":
        speaker = bool(hit.meta.speaker) and normalize(hit.meta.speaker) in norm
        return bool(person_names(norm)) or speaker or bool(any_names(norm))
    if kind == "date":
        return has_date(norm)
    if kind == "place":
        return has_place(norm)
    if kind == "list":
        return is_enumeration(norm) or enum_marker(norm) or len(norm) > 12
    return len(norm) >= 6


def _following(best: Candidate, hits: list[Hit], limit: int = 1500) -> list[Candidate]:
    """Sentences after `best` in its passage, then in the next passage of the same speech if it was retrieved."""
    out: list[Candidate] = []
    chunk = hits[best.hit].chunk
    pos = best.end
    for _ in range(3):
        for a, b in sentences(chunk.norm):
            if a >= pos:
                hit = next(i for i, h in enumerate(hits) if h.chunk.chunk_id == chunk.chunk_id)
                out.append(Candidate(hit, a, b, chunk.text[a:b], chunk.norm[a:b], best.coverage, 0.0, True, 0.0))
        nxt = next((h.chunk for h in hits if h.chunk.doc_id == chunk.doc_id and h.chunk.ordinal == chunk.ordinal + 1),
                   None)
        if nxt is None or sum(len(c.norm) for c in out) > limit:
            break
        pos = chunk.end - nxt.start  # skip the overlap already seen
        chunk = nxt
    return out


def _parallel(following: list[Candidate]) -> list[Candidate]:
    """Items written in parallel (要走得上去… 要走得出去…): sentences sharing their first three characters."""
    heads = [c.norm.lstrip('"“ ')[:3] for c in following]
    first = next((h for h in heads if len(h) == 3 and heads.count(h) >= 2), None)  # the series that starts first
    return [c for c, h in zip(following, heads, strict=True) if h == first]


def _other_speeches(best: Candidate, cands: list[Candidate], hits: list[Hit], floor: float) -> list[Candidate]:
    """For 「哪些地方…」: the best sentence of each other speech that answers nearly as well."""
    seen = {hits[best.hit].chunk.doc_id}
    out = []
    for c in cands:
        doc = hits[c.hit].chunk.doc_id
        if doc not in seen and c.typed and c.coverage >= floor and c.score >= SECOND_DOC * best.score:
            seen.add(doc)
            out.append(c)
    return out


def _asks_where(question: str) -> bool:
    return bool(_WHERE.search(normalize(question)))


def _render(picked: list[Candidate], hits: list[Hit], where: bool) -> str:
    parts = []
    for c in picked:
        place = hits[c.hit].meta.place
        prefix = f"{place}：" if where and place and place not in c.text else ""
        parts.append(f"{prefix}{c.text.strip()}[{c.hit + 1}]")
    return "".join(parts)
