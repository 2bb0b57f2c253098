"""The extractive answerer: score every sentence of the retrieved passages, check the best against the question's
constraints, and answer with the exact span first and the quoted sentence(s) after it — or refuse.

No language model: a logistic scorer fitted by benchmarks/fit.py (bot/data/scoring.json) reads each sentence's
features (bot.features). A sentence that names another year or part of a year than the question, or is not
about the place it names, never answers. When the best sentence scores below the fitted threshold the answer is
a refusal, and the closest passages are still returned.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from bot import outline, spans
from bot.candidates import Candidate, candidates, sentences_of
from bot.features import CLAUSE_END, amount_stem, coverage, days_named, question_features, unit_family
from bot.scoring import Scoring
from retrieval.analysis import QuestionAnalysis
from retrieval.lexicon import lexicon
from retrieval.models import DocumentMeta, Hit
from retrieval.rerank import context_of
from retrieval.textnorm import normalize

# A sentence with one of these never answers (another year, part of a year, round, day, unit or measure, a measure
# under the opposite modifier, a masked figure); nor one without a figure for a how-many question (TYPED)
CONFLICTS = ("year_conflict", "part_conflict", "ordinal_conflict", "day_conflict", "unit_conflict", "measure_conflict",
             "masked_figure", "contrast_conflict", "undated")
REQUIRED = ("year_ok", "part_ok", "place_ok", "role_ok")  # nor one without all of these
TYPED = ("number",)  # nor, for a question asking one of these kinds, a sentence without an answer of that kind


@dataclass(frozen=True)
class Extract:
    text: str  # the answer: short span first, then the quoted sentences with their [n]
    short: str
    found: bool
    picked: tuple[Candidate, ...]  # quoted sentences, in order
    best: Candidate | None = None  # the best candidate even when refused (for the closest passages)

    def remapped(self, places: list[int]) -> Extract:
        """The same answer over passages that now stand elsewhere among the citations: passage i is places[i]."""
        def move(c: Candidate) -> Candidate:
            return replace(c, sentence=replace(c.sentence, hit=places[c.sentence.hit]))

        text = re.sub(r"\[(\d+)\]", lambda m: f"[{places[int(m.group(1)) - 1] + 1}]", self.text)
        return Extract(text, self.short, self.found, tuple(move(c) for c in self.picked),
                       move(self.best) if self.best else None)


class ExtractiveAnswerer:
    def __init__(self, scoring: Scoring):
        self.scoring = scoring

    def on_topic(self, best: Candidate) -> bool:
        """The passage of the best sentence covers the question well enough for a model to read it."""
        return admissible(best) and best.features["cov_passage"] >= self.scoring.topic_threshold

    def scored(self, a: QuestionAnalysis, hits: list[Hit]) -> list[Candidate]:
        """Every candidate sentence with its probability and its choice score, the chosen first."""
        sentence, choice = self.scoring.sentence, self.scoring.choice
        cands = []
        for c in candidates(a, hits):
            score = sentence.probability(c.features)
            cands.append(replace(c, score=score, choice=choice.probability(c.features) if choice else score))
        return sorted(cands, key=lambda c: c.choice, reverse=True)

    def answerable(self, a: QuestionAnalysis, allowed: list[Candidate], hits: list[Hit]) -> float:
        """The probability that the library answers the question, from its best admissible sentences and what
        the passages cover."""
        contexts = [context_of(h.meta, h.chunk.heading) for h in hits]
        allowed = sorted(allowed, key=lambda c: c.score, reverse=True)  # the sentence scorer's best, not the chosen
        same = len(allowed) > 1 and hits[allowed[0].hit].chunk.doc_id == hits[allowed[1].hit].chunk.doc_id
        f = question_features(a, [c.score for c in allowed[:2]], allowed[0].features if allowed else {}, hits,
                              contexts, same)
        return self.scoring.answerable.probability(f)

    def answer(self, a: QuestionAnalysis, hits: list[Hit]) -> Extract:
        parts = a.parts or (a,)
        answered: list[tuple[str, list[Candidate]]] = []
        best_any = None
        for part in parts:
            ranked = self.scored(part, hits)
            allowed = [c for c in ranked if admissible(c)]
            # the closest sentence (what a model's topic gate reads): the best one that could answer, if any
            best_any = best_any or next(iter(allowed or ranked), None)
            sure = bool(allowed) and self.answerable(part, allowed, hits) >= self.scoring.answer_threshold
            if not sure or _weakly_typed(part, allowed[0]) or points_at_record(part):
                meta = self._from_metadata(part, ranked, hits)
                if meta is not None:
                    answered.append((meta[0], [meta[1]]))
                    continue
            if not sure:
                continue
            picked = self._pick(part, allowed, hits)
            answered.append((_titles_of(part, picked) or short_answer(part, allowed[0]), picked))
        if not answered:
            return Extract("", "", False, (), best_any)
        return merged(a, answered, hits)

    def _from_metadata(self, a: QuestionAnalysis, ranked: list[Candidate],
                       hits: list[Hit]) -> tuple[str, Candidate] | None:
        """Who gave the speech, when, at which meeting, or who is credited on a report (its 编辑, 通讯员): the
        document's own metadata answers when no sentence states it (the byline or publication line was page
        furniture, cleaned away but recorded; a speech's title names its meeting: 在全市…总结大会上的讲话). Its
        document is the first of a passage on topic, the best sentences first; a question asking two fields at
        once (由谁在什么时候发表) is answered with both or not at all."""
        fields = _fields_asked(a)
        if not fields or not (any(w in a.norm for w in lexicon().about_speech) or _asks_writer(a)):
            return None
        if asks_another_deed(a) or asks_role_holder(a):
            return None  # 谁主持的, 会上增补的理事是谁: the record names its speaker, not who chaired or holds a role
        if a.answer.kind == "date" and any(w in a.norm for w in lexicon().event_deeds):
            return None  # 讲话中提到的白沙洪灾是哪年发生的: the speech's date dates the speech, not what it tells of
        byline = _asks_writer(a) or a.answer.category == MEDIA  # a role or kind no passage needs to say
        rest, ignored = _about_report(a, fields)
        for c in ranked:  # best first: the first on-topic passage whose document has the field
            if not (self._report_on_topic(rest, ignored, c, hits) if byline else
                    self.on_topic(c) or self._report_on_topic(rest, ignored, c, hits)):
                continue
            meta = hits[c.hit].meta
            if "日期" in fields and _dated_otherwise(a, meta, hits, hits[c.hit].chunk.doc_id):
                continue
            values = [(field, value) for field in fields if (value := _field_value(field, meta, a))]
            if len(values) == len(fields):
                text = "；".join(f"{field}：{value}" for field, value in values)
                text = f"{text}（《{meta.title}》）" if meta.title else text
                short = "，".join(value for _, value in values)
                return short, replace(c, text=text, sentence=replace(c.sentence, start=0, end=0))
        return None

    def _report_on_topic(self, rest: QuestionAnalysis, ignored: tuple[str, ...], c: Candidate,
                         hits: list[Hit]) -> bool:
        """on_topic for a question about a report itself (`_about_report`): the candidate breaks none of the
        question's constraints but those `ignored`, and its passage, with what its document records (title,
        source, credits), covers the `rest` of the question."""
        hit = hits[c.hit]
        credited = normalize(" ".join([hit.meta.source, *hit.meta.credits.values()]))  # 青禾日报那篇报道
        passage = f"{hit.chunk.norm} {context_of(hit.meta, hit.chunk.heading)} {credited}"
        return admissible(c, but=ignored) and coverage(rest, passage, hit.meta.year) >= self.scoring.topic_threshold

    def _pick(self, a: QuestionAnalysis, allowed: list[Candidate], hits: list[Hit]) -> list[Candidate]:
        best = allowed[0]
        s = self.scoring
        # the items a list question asks for, or the clauses a best sentence cut at a semicolon goes on in; else, as
        # for any question, a second sentence scoring nearly as well
        items = (list_items(a, best, hits, s, allowed) if a.answer.kind == "list" else []) or _clauses_after(
            best, hits, s)
        if items:
            return [best, *items]
        second = next((c for c in allowed[1:] if c.norm != best.norm and c.choice >= s.second_ratio * best.choice),
                      None)
        lead = _antecedent(a, best, hits)
        return [*([lead] if lead and (second is None or second.norm != lead.norm) else []), best,
                *([second] if second else [])]


def _antecedent(a: QuestionAnalysis, best: Candidate, hits: list[Hit]) -> Candidate | None:
    """The sentence before the best one in its passage, when the best opens pointing back at it (这也是全县现存最早
    的水利工程, 此项制度…取消) and holds no span of the kind asked: what it points at is said there."""
    if not best.norm.startswith(lexicon().anaphors) or short_answer(a, best):
        return None
    before = [x for x in sentences_of([hits[best.hit]]) if x.end <= best.sentence.start]
    if not before:
        return None
    x = replace(before[-1], hit=best.hit)
    return Candidate(x, {}, hits[best.hit].chunk.text[x.start:x.end])


def asks_another_deed(a: QuestionAnalysis) -> bool:
    """A who-question about a meeting's deed other than speaking (谁主持的), and not about who spoke too."""
    lex = lexicon()
    return (a.answer.kind == "person" and any(w in a.norm for w in lex.other_deeds)
            and not any(w in a.norm for w in lex.spoken))


def _dated_otherwise(a: QuestionAnalysis, meta: DocumentMeta, hits: list[Hit], doc_id: str) -> bool:
    """The document's own text dates the deed the question asks about (6月20日，青禾县文联召开…会议) on another day
    than its record's date: a report's date is the day it came out, not the day of what it tells."""
    if meta.date is None:
        return False
    deeds = [w for w in lexicon().about_speech if w in a.norm]
    text = "。".join(h.chunk.norm for h in hits if h.chunk.doc_id == doc_id)
    for sentence in re.split(r"[。!?！？]", text):
        days = days_named(sentence)
        if days and any(w in sentence for w in deeds) and (meta.date.month, meta.date.day) not in days:
            return True
    return False


def asks_role_holder(a: QuestionAnalysis) -> bool:
    """A who-question naming a role that is no credit of a report (会上增补的理事是谁), and not asking who spoke:
    it asks who holds the role, which the record's speaker does not tell (会上讲话的县委书记是谁 may be him)."""
    return (a.answer.kind == "person" and bool(a.constraints.role) and not _credit_asked(a)
            and not any(w in a.norm for w in lexicon().spoken))


MEETING = "会议"  # the answer category of 「在什么会议上讲的」
MEDIA = "媒体"  # and of 「那篇报道是哪家媒体发的」
# A speech's title naming its meeting: 「在全市解放思想大讨论活动总结大会上的讲话」.
_MEETING_TITLE = re.compile(r"^在(.{2,80}?)上的(?:讲话|发言|致辞|报告|总结讲话)")


def _meeting_of(title: str) -> str:
    """The meeting a speech's title names, as the title writes it (traditional script read too)."""
    found = _MEETING_TITLE.match(normalize(title))  # normalize keeps every character's place
    return title[found.start(1):found.end(1)] if found else ""


def _field_asked(a: QuestionAnalysis) -> str:
    """Which of a document's own fields a question asks for, by the label an answer gives it: 会议 (在什么会议上讲的),
    来源 (哪家媒体), a credit (作者是谁, 编辑是谁), 讲话人 (谁讲的), 日期 (什么时候); "" for none."""
    if a.answer.category == MEETING:
        return "会议"
    if a.answer.category == MEDIA:
        return "来源"
    return _credit_asked(a) or {"person": "讲话人", "date": "日期"}.get(a.answer.kind, "")


def _fields_asked(a: QuestionAnalysis) -> list[str]:
    """The field asked, and the other one a question asks beside it in the same breath: 由谁在什么时候发表 (the
    speaker and the date), 哪位记者写的、发在哪家媒体 (the credit and the source)."""
    field = _field_asked(a)
    if field == "来源" and (credit := _credit_asked(a)):
        return [credit, field]
    kinds = lexicon().kind_words
    if field == "讲话人" and any(w in a.norm for w in kinds["date"]):
        return [field, "日期"]
    if field == "日期" and any(w in a.norm for w in kinds["person"]) and any(w in a.norm for w in lexicon().spoken):
        return ["讲话人", field]
    return [field] if field else []


def _credit_asked(a: QuestionAnalysis) -> str:
    """The credit a who-question asks for (编辑是谁, 责任编辑是哪位, 记者周明远之外的通讯员是谁: 通讯员), by its
    label: the role it asks, when that is one of a report's credits."""
    role = a.constraints.role if a.answer.kind == "person" else ""
    return next((label for label, words in lexicon().credit_labels.items() if role in words), "")


# Each field's value for a question: a speaker the question names (林海川讲话中说…) is not the one asked for.
_FIELDS: dict[str, Callable[[DocumentMeta, QuestionAnalysis], str]] = {
    "会议": lambda meta, a: _meeting_of(meta.title),
    "来源": lambda meta, a: meta.source,
    "讲话人": lambda meta, a: "" if meta.speaker and meta.speaker in a.norm else meta.speaker,
    "日期": lambda meta, a: f"{meta.date.year}年{meta.date.month}月{meta.date.day}日" if meta.date else "",
}


def _field_value(field: str, meta: DocumentMeta, a: QuestionAnalysis) -> str:
    """A field's value in a document's metadata: its own, or the credit of that label (记者 falls back on the
    document's author, the reporters its byline names)."""
    if field in _FIELDS:
        return _FIELDS[field](meta, a)
    return meta.credits.get(field) or (meta.author if field in lexicon().writers else "")


def _asks_writer(a: QuestionAnalysis) -> bool:
    """记者是谁, 作者是谁, 编辑是谁: who wrote or put out the report (a credit; the lexicon's writers are credits)."""
    return bool(_credit_asked(a))


def _about_report(a: QuestionAnalysis, fields: list[str]) -> tuple[QuestionAnalysis, tuple[str, ...]]:
    """A question about a report itself, read once for all its candidates: the question without the role or kind
    it asks (作者, 媒体, 通讯员: words no passage needs to say), and the constraints no passage need hold (the role
    of a credit asked is the byline's; the date asked, the record's)."""
    credit = _credit_asked(a)
    asked = {a.constraints.role, a.answer.category, *lexicon().credit_labels.get(credit, ())} - {""}
    rest = replace(a, terms=tuple(t for t in a.terms if t.text not in asked))
    return rest, ("role_ok",) * bool(credit) + ("undated",) * ("日期" in fields)


def points_at_record(a: QuestionAnalysis) -> bool:
    """The question points at a speech or report itself (那篇讲话是谁讲的, 这份报告是哪天作的): its record
    answers who gave it, when or where before any sentence, which may name another meeting or date."""
    return bool(lexicon().record_pointer.search(a.norm))


def _weakly_typed(a: QuestionAnalysis, best: Candidate) -> bool:
    """A who/when/which-meeting question whose best sentence names no date, no person beside a role or a speech
    verb, or no meeting: the speech's own metadata may answer better. Who wrote a report, or which media put it
    out, its byline says first (a reporter its text names may be another's)."""
    if _asks_writer(a) or a.answer.category == MEDIA:
        return True
    if a.answer.kind == "date":
        return not best.features["typed"]
    if a.answer.category == MEETING:
        return not spans.category_names(best.norm, MEETING)
    return a.answer.kind == "person" and not spans.titled_names(best.norm)


def admissible(c: Candidate, but: tuple[str, ...] = ()) -> bool:
    """No constraint of the question broken, every one it needs held (`but` those named)."""
    f = c.features
    return (not any(f[k] for k in CONFLICTS if k not in but) and all(f[k] for k in REQUIRED if k not in but)
            and not any(f[f"kind_{k}"] and not f["typed"] for k in TYPED))


def short_answer(a: QuestionAnalysis, best: Candidate) -> str:
    """The exact span that answers: the typed span nearest the question's words in the best sentence."""
    found = spans.answer_spans(best.norm, a)
    if not found:
        return ""
    anchors = [best.norm.find(alt) for t in a.terms for alt in t.alts if alt and alt in best.norm]
    if a.answer.kind == "number" and not a.answer.ordinal and len(found) > 1 and a.constraints.measure:
        # the measure, or the word whose amount it is (进出口 of 进出口额): not 1 of 1至7月实现进出口733.3亿元
        named = [w for m in a.constraints.measure for w in (m, amount_stem(m)) if w and w in best.norm]
        anchors = [best.norm.find(w) for w in named] or anchors
    if anchors:  # nearest, within the clause of the question's word first (其中64个位于A,38个位于B: asked of A, 64个)
        clause = _clause_numbers(best.norm)
        found.sort(key=lambda sp: min((clause[sp[0]] != clause[x], abs(x - sp[0])) for x in anchors))
    if family := unit_family(a):  # 人均年收入多少 of 「调查了六个星期，职工收入每年4.2万元」: the figure in its units
        found.sort(key=lambda sp: spans.unit_of(best.norm[sp[0]:sp[1]]) not in family)
    if a.answer.kind == "place" and (endings := lexicon().place_kind_endings.get(a.answer.category)):
        # 哪个城市 of 「青禾集团在欧洲的岚谷奇市设立研发中心」: the place with the kind's own ending first
        found.sort(key=lambda sp: not best.norm[sp[0]:sp[1]].endswith(endings))
    if asks_reached(a):  # 升到了多少 of 「由20元上调至26元」: 26元, however near the question's words 20元 stands
        reached = _reached(best.norm, found)
        found.sort(key=lambda sp: sp not in reached)
    b, e = found[0]
    return best.text[b:e].strip()


_REACHED_GAP = 3  # characters that may stand between a word of `to` and the question word (升到了一斤多少钱)


def asks_reached(a: QuestionAnalysis) -> bool:
    """The question asks the value a change reached: one of the lexicon's change `to` words stands right before
    its question word (升到了一斤多少钱, 改到了哪一天, 调整为多少)."""
    lex = lexicon()
    return any(any(w in a.norm[max(0, m.start() - len(w) - _REACHED_GAP):m.start()] for w in lex.change_to)
               for m in lex.interrogative_pattern.finditer(a.norm))


def _reached(norm: str, found: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """Of the typed spans, those a change reached (由20元上调至26元: 26元): right after a `to` word, with an
    earlier span of its clause right after a `from` word."""
    lex = lexicon()
    clause = _clause_numbers(norm)
    left = [b for b, _ in found if norm[:b].rstrip().endswith(lex.change_from)]
    return {(b, e) for b, e in found if norm[:b].rstrip(" 了").endswith(lex.change_to)
            and any(x < b and clause[x] == clause[b] for x in left)}


def _clause_numbers(norm: str) -> list[int]:
    """For each character of `norm`, the number of the clause it stands in (clauses end at , ; 。 ! ?)."""
    out, n = [], 0
    for ch in norm:
        out.append(n)
        n += bool(CLAUSE_END.fullmatch(ch))
    return out


def list_items(a: QuestionAnalysis, best: Candidate, hits: list[Hit], s: Scoring,
               allowed: Sequence[Candidate]) -> list[Candidate]:
    """The enumerated items that follow the best sentence, in its passage and the next ones retrieved; or, for a
    best sentence that only announces them (小分队带着捐赠物资奔赴…), the best sentence of its document that lists
    them beside the asked measure (已向五常市捐赠大米…、面粉…)."""
    norm = best.norm
    following = _following(best, hits, s.list_follow_chars)
    headed = _quoted_heads(following, a)
    if headed and following[:2] == headed[:2]:
        return headed[: a.answer.count or s.list_items]  # they begin right after it: the items it announces
    titled = _titled(a, best, following)
    if titled is not None:
        return titled
    items_in_best = max(norm.count("、") + 1, norm.count('"') // 2)
    if spans.is_enumeration(norm) and items_in_best >= max(a.answer.count, 2):
        return []
    items = _marked(best, following) or _naming_list(following, a) or _parallel(following, a) or headed
    if not items and outline.marker(norm) and not spans.enumerated(norm):
        items = _best_listing(following[:2], allowed)  # 三要办好民生实事。: a marked heading, its items right after
    if not items:  # 「把"三个目标"定了下来:保底目标,…;」: the clauses it announces go on after its semicolon
        items = _clauses_after(best, hits, s)
    if not items:
        doc = hits[best.hit].chunk.doc_id
        items = [c for c in allowed if c.norm != norm and hits[c.hit].chunk.doc_id == doc
                 and spans.is_enumeration(c.norm) and c.features["measure_ok"]][:1]
    if not items:  # 「…终止了驻四个国家大使的任命。这四个国家是法国、尼日利亚…」: the next sentence that lists
        items = next(([c] for c in following[:2] if spans.enumerated(c.norm)), [])
    return items[: a.answer.count or s.list_items]


def _best_listing(following: list[Candidate], allowed: Sequence[Candidate]) -> list[Candidate]:
    """Of the sentences after a heading, the one that lists and that the sentence scorer ranks highest (the one
    repeating the heading's words, not a sentence listing two examples before it)."""
    order = {c.norm: i for i, c in enumerate(allowed)}
    listing = [c for c in following if spans.enumerated(c.norm) and c.norm in order]
    return sorted(listing, key=lambda c: order[c.norm])[:1]


_ANNOUNCES = re.compile(r"[:：][^:：]*[;；]$")


def _clauses_after(best: Candidate, hits: list[Hit], s: Scoring) -> list[Candidate]:
    """「…重点已经明确：第一，…；第二，…；第三，…。」 cut at its semicolons: a best sentence that announces
    items after a colon and ends in a semicolon goes on in the sentences after it, up to the one ending the
    sentence (at most list_items of them)."""
    if not _ANNOUNCES.search(best.norm):
        return []
    out = []
    for c in _following(best, hits, s.list_follow_chars)[: s.list_items]:
        out.append(c)
        if not c.norm.rstrip().endswith((";", "；")):
            break
    return out


def _following(best: Candidate, hits: list[Hit], limit: int) -> list[Candidate]:
    chunk = hits[best.hit].chunk
    out: list[Candidate] = []
    seen_to = best.sentence.end
    order = sorted((h for h in hits if h.chunk.doc_id == chunk.doc_id and h.chunk.ordinal >= chunk.ordinal),
                   key=lambda h: h.chunk.ordinal)
    expected = chunk.ordinal
    for h in order:
        if h.chunk.ordinal != expected:
            break
        skip = seen_to if h.chunk.chunk_id == chunk.chunk_id else max(0, chunk.end - h.chunk.start)
        i = hits.index(h)
        for sent in sentences_of([h]):
            if sent.start >= skip:
                out.append(Candidate(replace(sent, hit=i), {}, h.chunk.text[sent.start:sent.end]))
        if sum(len(c.norm) for c in out) > limit:
            break
        chunk, expected = h.chunk, h.chunk.ordinal + 1
    return out


def _marked(best: Candidate, following: list[Candidate]) -> list[Candidate]:
    """The marked items after the best sentence (一是…, (二)…), when they are its own: numbered from one, or going on
    from the best sentence's own marker. 「…围绕四大产业培育…。二要建好园区平台…」: 二要 goes on with a list
    the best sentence is part of; it lists nothing the sentence announces."""
    items = [c for c in following if spans.enum_marker(c.norm)]
    if not items:
        return []
    first = outline.marker(items[0].norm)
    own = outline.marker(best.norm)
    starts = first is None or first[1] == 1 or (own is not None and own[0] == first[0] and own[1] + 1 == first[1])
    return items if starts else []


def _naming_list(following: list[Candidate], a: QuestionAnalysis) -> list[Candidate]:
    """「…为公共卫生职能的4个主要范畴探讨方案。4个主要范畴分别为…、…、…」: of the two sentences right after the
    best one, the first that lists items in a clause naming what the question asks a list of (范畴)."""
    asked = [m for m in a.constraints.measure if len(m) > 1]
    return next(([c] for c in following[:2] if any(any(m in c.norm[i:j] for m in asked)
                                                  for i, j in _list_clauses(c.norm))), [])


def _list_clauses(norm: str) -> list[tuple[int, int]]:
    """A sentence's listing clause with the words announcing it (4个主要范畴分别为卫生规管事务、…): from the
    sentence's start or last comma before it."""
    out = []
    for i, j in spans.enumerated(norm):
        k = max(norm.rfind(p, 0, i) for p in ",，;；")
        out.append((k + 1 if k >= 0 else 0, j))
    return out


def _titled(a: QuestionAnalysis, best: Candidate, following: list[Candidate]) -> list[Candidate] | None:
    """For a list of titled things (哪两个文件, 哪些规划): the sentences right after the best one that name the
    《titles》 it falls short of; None when the question asks for no titled kind (the other rules decide)."""
    if a.answer.category not in lexicon().title_categories:
        return None
    wanted = max(a.answer.count, 2) - len(spans.titles(best.norm))
    if wanted <= 0:
        return []
    more = list(itertools.takewhile(lambda c: bool(spans.titles(c.norm)), following))
    return more[:wanted] if a.answer.count else more


def _titles_of(a: QuestionAnalysis, picked: Sequence[Candidate]) -> str:
    """The short answer to a list of titled things: the 《titles》 the quoted sentences name, in order."""
    if a.answer.kind != "list" or a.answer.category not in lexicon().title_categories:
        return ""
    found = (c.text[i:j] for c in picked for i, j in spans.titles(c.norm) if c.norm[i + 1:j - 1] not in a.quoted)
    return "、".join(dict.fromkeys(found))  # as the text writes them (a normalised sentence keeps its offsets)


def _quoted_heads(following: list[Candidate], a: QuestionAnalysis) -> list[Candidate]:
    """Items each opening with a quoted name (「"县级服务大厅",集中办理…;"乡镇便民中心",就近…」): at least two of
    the sentences after the best one, none the question's own name."""
    heads = [c for c in following if (m := _QUOTED_HEAD.match(c.norm)) and m.group(1) not in a.quoted]
    return heads if len(heads) >= 2 else []


_QUOTED_HEAD = re.compile(r'^\s*"([^"]{2,16})"')


def _parallel(following: list[Candidate], a: QuestionAnalysis) -> list[Candidate]:
    """Items written in parallel (要走得上去… 要走得出去…): sentences sharing their first three characters, none of
    them punctuation (同时, … 同时, … open sentences with a connective) nor holding a noun of the question (联合会是…
    联合会的…, 该基金… say more about the subject asked about, not items of what it asks for)."""
    nouns = [t.text for t in a.terms if t.noun and len(t.text) > 1]
    heads = [c.norm.lstrip('"“ ')[:3] for c in following]
    first = next((h for h in heads if len(h) == 3 and heads.count(h) >= 2 and h.isalnum()
                  and not any(h in w or w in h for w in nouns)), None)
    return [c for c, h in zip(following, heads, strict=True) if h == first]


def asks_where(a: QuestionAnalysis) -> bool:
    """「哪些地方…」: the answer names each document's place."""
    return a.answer.kind in ("list", "place") and any(w in a.norm for w in ("地方", "城市", "地区", "哪里", "哪儿"))


def merged(a: QuestionAnalysis, answered: Sequence[tuple[str, Sequence[Candidate]]], hits: list[Hit]) -> Extract:
    """Parts answered one by one (short answer, quoted sentences) as one answer: the short answers joined, each
    quoted sentence once."""
    quotes: list[Candidate] = []
    for _, picked in answered:
        quotes.extend(c for c in picked if all(c.norm != q.norm for q in quotes))
    short = "；".join(s for s, _ in answered if s)
    # the best: the first scored quote (a sentence quoted only beside it, what it points back at, has no features)
    first = answered[0][1]
    best = next((c for c in first if c.features), first[0])
    return Extract(render(short, quotes, hits, asks_where(a)), short, True, tuple(quotes), best)


def render(short: str, quotes: list[Candidate], hits: list[Hit], where: bool = False) -> str:
    """「short」 then each quoted sentence with its marker; the short answer is left out when the only quote is
    hardly longer than it. With `where`, each quote is prefixed by its document's place."""
    def prefix(c: Candidate) -> str:
        place = hits[c.hit].meta.place
        return f"{place}：" if where and place and place not in c.text else ""

    body = "".join(f"{prefix(c)}{c.text.strip()}[{c.hit + 1}]" for c in quotes)
    if not short or len(quotes[0].text.strip()) <= len(short) + 4:
        return body
    return f"{short}。\n{body}"
