"""What the answerer knows about one candidate sentence, as named numbers: the features its learned scorer reads.

Every feature is in 0-1. Coverage features weigh the question's key terms by idf (rare words matter more);
`FEATURES` fixes their order, which the fitted weights in bot/data/scoring.json follow. Two groups let the linear
scorer weigh a word match by the question's situation: `untyped_*` are a match where the sentence holds nothing of
the kind asked for (for 什么处罚 or 哪个消防大队 what the sentence says near the asked words is all there is), and
`behind_*` is how far a sentence stays below the best candidate of the same question (a sentence is judged against
the others retrieved, not alone).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from bot import spans
from retrieval.analysis import (
    QuestionAnalysis,
    Term,
    asked_clause,
    listed_item,
    numeral_value,
    without_baselines,
    year_parts_in,
)
from retrieval.lexicon import KIND_ORDER, lexicon
from retrieval.models import Hit
from retrieval.rerank import PARTIAL, term_hit
from retrieval.textnorm import normalize

KINDS = (*KIND_ORDER, "statement")
# Matches read apart for sentences without a span of the asked kind, and matches measured against the best candidate.
UNTYPED = ("focus", "focus_partial", "asked_sentence", "asked_char_overlap", "asked_bigram_overlap", "cov_sentence",
           "cov_context", "common_run", "cloze_gap")
BEHIND = ("cov_sentence", "asked_char_overlap", "asked_sentence", "focus", "cov_context", "common_run", "cov_window",
          "char_overlap", "fused", "rerank", "focus_partial", "cloze_gap", "title_cov")
FEATURES = (
    "cov_sentence", "cov_partial", "cov_window", "cov_context", "cov_passage", "missing_rarest", "missing_weight",
    "focus", "focus_partial", "has_focus", "entity_missing", "entity_missing_passage", "rarest_passage",
    "has_entity", "asked_sentence", "scene_passage",
    "phrases_here", "has_phrase", "name_passage", "name_whole", "has_name", "title_cov", "title_name", "title_run",
    "char_overlap", "bigram_overlap", "common_run", "asked_char_overlap", "asked_bigram_overlap",
    "typed", "typed_near", "focus_near", "typed_many", "unit", "role", "category", "density", "cloze", "cloze_gap",
    "year_ok", "year_conflict", "part_ok", "part_conflict", "ordinal_conflict", "day_conflict", "unit_conflict",
    "measure_conflict", "masked_figure", "contrast_conflict", "undated",
    "place_ok", "role_ok", "measure_ok",
    "date_seen",
    "quoted",
    "subject_first", "enumeration", "leads_items",
    "rank", "fused", "rerank", "length", "too_short",
    *(f"kind_{k}" for k in KINDS), *(f"typed_{k}" for k in KINDS),
    *(f"untyped_{k}" for k in UNTYPED), *(f"behind_{k}" for k in BEHIND),
)
# What the answerability model reads about a question: its best sentence (stage one) and what the retrieved
# passages cover as a whole.
QUESTION_FEATURES = (
    "p_best", "logit_best", "second_ratio", "rarest_anywhere", "entity_anywhere", "phrases_anywhere", "names_anywhere",
    "cov_anywhere",
    "max_cov_passage", "rerank_gap", "fused_gap", "second_same_doc",
    "top_rerank", "top_fused", "top_lexical", "top_bigram", "n_terms",
    *(f"best_{name}" for name in FEATURES),
)
_YEAR = re.compile(r"(?:19|20)\d{2}")
_MONTH_DAY = re.compile(r"(\d{1,2})月(\d{1,2})[日号]")
# 多少帮扶资金 (but not 多少百分比的产值, where the words after the question word are the unit)
_ASKED_AFTER = re.compile(r"(?:多少|几)((?:(?!的)[\u4e00-\u9fff]){1,8})(?:呢|啊|吗)?[?？。]?$")
_MONTH = re.compile(r"(?<![\d.])(\d{1,2})月")
_MONTH_RANGE = re.compile(r"(?<![\d.])(\d{1,2})月?[至到—\-~－]+(\d{1,2})月")
_DAY_RANGE = re.compile(r"(\d{1,2})月(\d{1,2})[日号]?[至到—\-~－]+(\d{1,2})[日号]")
_RIVAL_LEVEL = "county"  # the level of place a sentence naming another one of is about elsewhere (`_rival`)
_CLAUSE_TAIL = "了呢吗啊?？。 "  # what may end a clause after its question word
_CHANGE_TAIL = "了到为"  # what may stand between a change word and the question word (增长了多少, 提高到多少)
_NEAR = 12.0  # characters: an answer this close to a question word is read as about it


@dataclass(frozen=True)
class Sentence:
    """One candidate: a sentence of a retrieved passage, with the text around it."""

    hit: int  # index into the hits
    start: int  # offsets in the passage text
    end: int
    norm: str
    window: str  # with the sentences before and after it
    leads: bool  # the next sentence opens an enumerated item


def coverage(a: QuestionAnalysis, haystack: str, year: int | None, exact: bool = True) -> float:
    got = 0.0
    for t in a.terms:
        hit = term_hit(t, haystack, year)
        got += t.weight * (hit if not exact or hit == 1.0 else 0.0)
    return got / a.total_weight


def _content(a: QuestionAnalysis, text: str | None = None) -> str:
    """The question (or a clause of it) without its interrogatives, function words and punctuation: what an
    answer should echo."""
    text = lexicon().interrogative_pattern.sub("", a.norm if text is None else text)
    return re.sub(r"[^\w\u3400-\u9fff]|[的了是在和与要有]", "", text)


def _overlaps(prefix: str, content: str, norm: str) -> dict[str, float]:
    grams = {content[i:i + 2] for i in range(len(content) - 1)}
    return {f"{prefix}_char_overlap": len(set(content) & set(norm)) / len(set(content)) if content else 0.0,
            f"{prefix}_bigram_overlap": sum(g in norm for g in grams) / len(grams) if grams else 0.0}


def _common_run(x: str, y: str) -> int:
    """Length of the longest run of characters shared by x and y."""
    best, prev = 0, [0] * (len(y) + 1)
    for cx in x:
        cur = [0] * (len(y) + 1)
        for j, cy in enumerate(y, 1):
            if cx == cy:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def features(a: QuestionAnalysis, s: Sentence, hit: Hit, rank: int, context: str,
             document: str = "") -> dict[str, float]:
    """One candidate sentence described for the scorer; `document` is what was retrieved of its document (its
    passage when not given)."""
    norm, year = s.norm, hit.meta.year
    terms = a.terms
    heaviest = max(terms, key=lambda t: t.weight) if terms else None
    around = f"{s.window} {context}"
    passage = f"{hit.chunk.norm} {context}"
    missing = [t.weight for t in terms if term_hit(t, around, year) < 1.0]
    entities = [t for t in terms if t.entity]
    focus = [t for t in terms if t.focus]
    content = _content(a)
    grams = {content[i:i + 2] for i in range(len(content) - 1)}
    found = spans.answer_spans(norm, a)
    hits_at = [norm.find(alt) for t in terms for alt in t.alts if alt and alt in norm]
    near = min((abs(x - (b + e) / 2) for b, e in found for x in hits_at), default=None)
    focus_at = [norm.find(alt) for t in focus for alt in t.alts if alt and alt in norm]
    focus_near = min((abs(x - (b + e) / 2) for b, e in found for x in focus_at), default=None)
    kind = a.answer.kind
    named = f"{_antecedents(a, s)}{norm}"  # 「该套丛书共6本」 names the 丛书 of the sentence before
    f = {
        "cov_sentence": coverage(a, named, year),
        "cov_partial": coverage(a, named, year, exact=False),
        "cov_window": coverage(a, s.window, year),
        "cov_context": coverage(a, f"{named} {context}", year),
        "cov_passage": coverage(a, passage, year),
        "missing_rarest": float(heaviest is not None and term_hit(heaviest, f"{s.window} {context}", year) < 1.0),
        "missing_weight": (max(missing) / heaviest.weight) if missing and heaviest and heaviest.weight else 0.0,
        "focus": sum(term_hit(t, named) == 1.0 for t in focus) / len(focus) if focus else 0.0,
        "focus_partial": sum(term_hit(t, named) for t in focus) / len(focus) if focus else 0.0,
        "has_focus": float(bool(focus)),
        "entity_missing": _missing_share(entities, around, year),
        "entity_missing_passage": _missing_share(entities, passage, year),
        "rarest_passage": float(heaviest is not None and term_hit(heaviest, passage, year) == 1.0),
        "has_entity": float(bool(entities)),
        "phrases_here": sum(p in around for p in a.phrases) / len(a.phrases) if a.phrases else 0.0,
        "has_phrase": float(bool(a.phrases)),
        **_names(a, passage),
        **_title(a, hit.meta.title, year),
        "asked_sentence": _share([t for t in terms if t.asked], named, year),
        "scene_passage": _share([t for t in terms if not t.asked], passage, year),
        "char_overlap": len(set(content) & set(norm)) / len(set(content)) if content else 0.0,
        "bigram_overlap": sum(g in norm for g in grams) / len(grams) if grams else 0.0,
        "common_run": min(_common_run(content, norm), 12) / 12,
        **_overlaps("asked", _content(a, asked_clause(a.norm)), norm),
        "typed": float(bool(found)),
        # asked which year (month, day), neither the sentence nor those beside it name one: it tells of the event,
        # not when
        "undated": float(kind == "date" and bool(a.answer.grain) and not found
                         and not spans.answer_spans(s.window, a)),
        "typed_near": math.exp(-near / _NEAR) if near is not None else 0.0,
        "focus_near": math.exp(-focus_near / _NEAR) if focus_near is not None else 0.0,
        "typed_many": min(len(found), 4) / 4,
        "unit": float(bool(a.answer.unit) and bool(found)),
        "role": _role(a, norm, found),
        "category": float(bool(a.answer.category) and bool(spans.category_names(norm, a.answer.category))),
        "density": _density(a, norm),
        "cloze": _cloze(a, norm, found),
        "cloze_gap": _cloze_gap(a, norm),
        **_time(a, norm, hit, context),
        "ordinal_conflict": _ordinal_conflict(a, norm, passage),
        "day_conflict": _day_conflict(a, norm, hit.chunk.norm),
        "unit_conflict": _unit_conflict(a, norm),
        "measure_conflict": _measure_conflict(a, norm),
        "masked_figure": float(kind == "number" and not found and _masked(norm)),
        "contrast_conflict": _contrast_conflict(a, norm),
        # (and a parallel follow-up's new subject, 那X呢, is named by the sentence itself)
        "place_ok": float(bool(_place_ok(a, norm, context, document or hit.chunk.norm)) and a.subject in named),
        # a role holder is a name in a sentence that names the role (温州的市长是谁: not just any 市长 sentence),
        # not past a colon or semicolon where the sentence itself names it (not 镇长：道路年底通车，…周明远) (a
        # role written by what its holder did, 作者 by 著 or 之作, need not be named; 负责人 is named by any post
        # heading a body, 局长 or 书记)
        "role_ok": float(not a.constraints.role or a.constraints.role in lexicon().deed_roles
                         or (any(w in s.window for w in lexicon().role_wordings(a.constraints.role)) and bool(found)
                             and (kind != "person" or _holds_role(a.constraints.role, norm, found)))),
        # what the question measures or asks about stands (at least in part) around the sentence
        "measure_ok": float(all(term_hit(t, s.window) >= PARTIAL for t in focus)),
        "date_seen": float(any(d in s.window or d in hit.chunk.norm for d in a.constraints.dates)),
        "quoted": sum(q in norm for q in a.quoted) / len(a.quoted) if a.quoted else 0.0,
        "subject_first": float(heaviest is not None and norm.lstrip('"“《 ').startswith(heaviest.alts)),
        "enumeration": float(spans.is_enumeration(spans.own_names_blanked(norm, a.quoted))),
        "leads_items": float(s.leads),
        "rank": 1.0 / (1 + rank),
        "fused": hit.scores.fused,
        "rerank": hit.scores.rerank,
        "length": min(len(norm), 200) / 200,
        "too_short": float(len(norm) < 8),
    }
    for k in KINDS:
        f[f"kind_{k}"] = float(kind == k)
        f[f"typed_{k}"] = float(kind == k and bool(found))
    for k in UNTYPED:
        f[f"untyped_{k}"] = 0.0 if found else f[k]
    return f


def behind(rows: list[dict[str, float]]) -> list[dict[str, float]]:
    """The candidates of one question with `behind_*` added: how far each stays below the best of them."""
    best = {k: max((r[k] for r in rows), default=0.0) for k in BEHIND}
    return [{**r, **{f"behind_{k}": best[k] - r[k] for k in BEHIND}} for r in rows]


_CLOZE_CHARS = 4  # how much of the question on each side of its question word a sentence should repeat
_PUNCT = re.compile(r"[\s,，。、;；:：!！?？\"'“”()（）]")
# Linking words beside a question word that an answer sentence words otherwise (是多少 / 达到386万元).
_LINK_END = re.compile(r"(?:是|为|有|在|要|达到|到|了|的|共|一共|大约|约)+$")
_LINK_START = re.compile(r"^(?:的|是|了|呢|吗)+")


def _sides(a: QuestionAnalysis) -> tuple[str, str]:
    """The question's words right before and right after its question word: 「…被哪个队选中」 -> (…被, 选中)."""
    m = lexicon().interrogative_pattern.search(a.norm)
    if not m:
        return "", ""
    left = _LINK_END.sub("", _PUNCT.sub("", a.norm[:m.start()]))[-_CLOZE_CHARS:]
    right = _LINK_START.sub("", _PUNCT.sub("", a.norm[m.end():]))
    right = right.removeprefix(a.answer.category)[:_CLOZE_CHARS]  # 哪所学校读的 -> 读的
    return left, right


def _cloze(a: QuestionAnalysis, norm: str, found: list[tuple[int, int]]) -> float:
    """The sentence reads as the question with an answer in the question word's place: the characters before
    and after a typed answer span repeat the question's words before and after its question word."""
    left, right = _sides(a)
    if not (left or right) or not found:
        return 0.0
    best = 0
    for b, e in found:
        before = _LINK_END.sub("", _PUNCT.sub("", norm[max(0, b - 10):b]))
        after = _LINK_START.sub("", _PUNCT.sub("", norm[e:e + 10]))
        lm = next((k for k in range(len(left), 0, -1) if before.endswith(left[-k:])), 0)
        rm = next((k for k in range(len(right), 0, -1) if after.startswith(right[:k])), 0)
        best = max(best, lm + rm)
    return best / (len(left) + len(right))


def _cloze_gap(a: QuestionAnalysis, norm: str) -> float:
    """The question's words before and after its question word stand in the sentence with a short gap between
    them (where the answer is), whatever the answer's kind."""
    left, right = _sides(a)
    if len(left) < 2 and len(right) < 2:
        return 0.0
    text = _PUNCT.sub("", norm)
    best = 0.0
    for k in range(len(left), 1, -1):
        for m in re.finditer(re.escape(left[-k:]), text):
            tail = text[m.end():m.end() + 30]
            r = next((j for j in range(len(right), 1, -1) if tail.find(right[:j], 1) > 0), 0) if right else 0
            best = max(best, (k + r) / (len(left) + len(right)))
        if best:
            break
    if not best and len(right) >= 2:  # nothing of the left side: the right side after a gap
        best = next((j / (len(left) + len(right)) for j in range(len(right), 1, -1) if text.find(right[:j], 1) > 0),
                    0.0)
    return best


def _names(a: QuestionAnalysis, passage: str) -> dict[str, float]:
    """How much of each name the question writes (青斑海龙鱼) its passage holds as written: a passage about
    红斑海龙鱼 holds 斑海龙鱼 of it, 4/5."""
    if not a.names:
        return {"name_passage": 0.0, "name_whole": 0.0, "has_name": 0.0}
    shares = [shared_run(n, passage) for n in a.names]
    return {"name_passage": sum(shares) / len(shares), "name_whole": sum(x == 1.0 for x in shares) / len(shares),
            "has_name": 1.0}


def _title(a: QuestionAnalysis, title: str, year: int | None) -> dict[str, float]:
    """How much of the question its sentence's document title holds: a question names what it asks about
    (《无声狂啸》是谁的小说, 柴郡的东北方是哪个郡), and a document titled by another subject seldom answers it.
    `title_run` reads characters, not words, so it holds for a name the tagger cuts apart: a document titled
    红斑海龙鱼 holds 4 of its 5 characters (斑海龙鱼) in one run of 青斑海龙鱼是什么颜色."""
    norm = _title_norm(title)
    names = [n for n in a.names if n in norm]
    return {"title_cov": coverage(a, norm, year) if norm and a.terms else 0.0,
            "title_name": len(names) / len(a.names) if a.names else 0.0,
            "title_run": _title_run(a.norm, title)}


@lru_cache(maxsize=1024)  # one title for every sentence of its document
def _title_norm(title: str) -> str:
    return normalize(title)


# A title's qualifier in brackets: 青禾站 (北京市), 林海川 (作家).
_QUALIFIER = re.compile(r"[(（][^()（）]*[)）]")


@lru_cache(maxsize=4096)  # one question against each title of its candidates
def _title_run(question: str, title: str) -> float:
    """Share of the title (without its bracketed qualifier) that the question holds in one run of characters."""
    core = _title_norm(_QUALIFIER.sub("", title)).strip()
    return min(_common_run(question, core), len(core)) / len(core) if core else 0.0


@lru_cache(maxsize=256)  # one question's passages: every sentence of a passage asks the same
def shared_run(name: str, haystack: str) -> float:
    """The share of `name` that `haystack` holds as one run: its longest substring found there over its length."""
    n = len(name)
    for k in range(n, 0, -1):
        if any(name[i:i + k] in haystack for i in range(n - k + 1)):
            return k / n
    return 0.0


def _density(a: QuestionAnalysis, norm: str) -> float:
    """How close together the question's words stand in the sentence: their length over the span they cover
    (1 when they stand side by side, as the question put them)."""
    found = [(i, i + len(alt)) for t in a.terms for alt in t.alts[:1] if alt and (i := norm.find(alt)) >= 0]
    if len(found) < 2:
        return 0.0
    span = max(e for _, e in found) - min(b for b, _ in found)
    return min(1.0, sum(e - b for b, e in found) / span) if span else 0.0


_ANAPHOR = re.compile(r'^["“]?(?:该|此|这|上述)[一个些项批部类]?([\u4e00-\u9fff]{2,4})')


def _antecedents(a: QuestionAnalysis, s: Sentence) -> str:
    """The question's names a sentence points back to: it opens with a demonstrative and a noun (该套丛书, 此项目),
    and the sentence before names a term of the question holding that noun's last two characters (《青禾文史
    丛书》). "" when it points back to nothing the question names."""
    m = _ANAPHOR.match(s.norm)
    if not m:
        return ""
    before = s.window[: max(0, s.window.find(s.norm))]
    nouns = {m.group(1)[i:i + 2] for i in range(len(m.group(1)) - 1)}
    found = [t.text for t in a.terms if len(t.text) > 2 and t.text in before and any(n in t.text for n in nouns)]
    return "".join(f"{x} " for x in found)


def _share(terms: list[Term], haystack: str, year: int | None) -> float:
    """The idf-weighted share of `terms` found in `haystack` (1 when there are none)."""
    return 1.0 - _missing_share(terms, haystack, year) if terms else 1.0


def _missing_share(terms: list[Term], haystack: str, year: int | None) -> float:
    """The idf-weighted share of `terms` not found in `haystack`."""
    total = sum(t.weight for t in terms)
    if not total:
        return 0.0
    return sum(t.weight for t in terms if term_hit(t, haystack, year) < 1.0) / total


_SEGMENT = re.compile(r"[^;；:：。!?！？]+")  # a run between colons, semicolons and sentence ends


def _holds_role(role: str, norm: str, found: list[tuple[int, int]]) -> bool:
    """A name found stands in a stretch of the sentence naming the role, between colons and semicolons (市长周明远;
    周明远，次年当选为青禾县县长: a clause after a comma often drops its subject), or the sentence does not name
    the role (it is named beside it). What follows a colon is another's words or a headline's."""
    named = [w for w in lexicon().role_wordings(role) if w in norm]
    if not named:
        return True
    stretches = [m.span() for m in _SEGMENT.finditer(norm) if any(w in m.group() for w in named)]
    return any(lo <= b and e <= hi for b, e in found for lo, hi in stretches)


def _role(a: QuestionAnalysis, norm: str, found: list[tuple[int, int]]) -> float:
    """A person question naming a role (市长是谁): a name right beside that role."""
    role = a.constraints.role
    if not role or a.answer.kind != "person":
        return 0.0
    for b, e in found:
        if any(norm[max(0, b - len(w) - 2):b].find(w) >= 0 or norm[e:e + len(w) + 2].find(w) >= 0
               for w in lexicon().role_wordings(role)):
            return 1.0
    return 0.0


def _time(a: QuestionAnalysis, norm: str, hit: Hit, context: str) -> dict[str, float]:
    """Does the sentence (or its passage, or its document's year) agree with the years and parts of a year the
    question names? A conflict is a sentence that names another year or part and not the one asked for."""
    c = a.constraints
    passage = hit.chunk.norm
    doc_year = hit.meta.year
    years = set(c.years)
    if c.relative_year is not None and doc_year:
        years.add(doc_year + c.relative_year)
    told, passage = without_baselines(norm), without_baselines(passage)  # not the years compared against
    in_sentence = {int(y) for y in _YEAR.findall(told)} | _relative_years(told, doc_year)
    in_passage = {int(y) for y in _YEAR.findall(passage)} | _relative_years(passage, doc_year)
    # a sentence naming no year is of its passage's year (过去的一年 in a speech of 2021: 2020), or its document's; a
    # document of no known year whose passage names none is not of another year (many news records come undated)
    # …but one saying 今年 in a document of no known year is of a year nobody can tell: the year asked is not shown
    unknown = not doc_year and any(w in told for w in (*lexicon().relative_years, *lexicon().present_words))
    year_ok = not years or bool(years & in_sentence) or (not in_sentence and (
        bool(years & in_passage) or doc_year in years or (not doc_year and not in_passage and not unknown)))
    year_conflict = bool(years) and bool(in_sentence) and not (years & in_sentence)
    parts = [w for p in c.parts for w in _part_wordings(p)]
    named_parts = year_parts_in(norm)
    # a sentence naming no part of a year is about its passage's, or its document's (`context`: title, heading); in
    # a document of no known date whose passage names no part either, about a part nobody can tell, not another
    part_ok = not parts or any(p in norm for p in parts) or (not named_parts and (
        any(p in passage or p in context for p in parts) or (hit.meta.date is None and not year_parts_in(passage))))
    if not part_ok and a.answer.kind == "date":  # 上半年什么时候: 5月8日 is in it
        part_ok = _in_part_months(c.parts, told)
    part_conflict = bool(parts) and bool(named_parts) and not any(p in norm for p in parts)
    return {"year_ok": float(year_ok), "year_conflict": float(year_conflict), "part_ok": float(part_ok),
            "part_conflict": float(part_conflict)}


def _in_part_months(parts: tuple[str, ...], text: str) -> bool:
    """`text` dates something to a month one of `parts` of a year spans (5月8日 in 上半年)."""
    spans = [lexicon().part_months[p] for p in parts if p in lexicon().part_months]
    return any(lo <= int(m.group(1)) <= hi for m in _MONTH.finditer(text) for lo, hi in spans)


def _part_wordings(part: str) -> tuple[str, ...]:
    """The part of a year and its other wordings (年底: 年末), and for the end of a year the whole year that ends
    then (年底: 全年目标)."""
    lex = lexicon()
    same = next((g for g in lex.same_parts if part in g), (part,))
    return (*same, *lex.whole_year) if part in lex.year_ends else same


def _relative_years(text: str, doc_year: int | None) -> set[int]:
    """The years `text` names relative to its document's (去年 in a speech of 2021: 2020)."""
    return {doc_year + d for w, d in lexicon().relative_years.items() if w in text} if doc_year else set()


def _ordinal_conflict(a: QuestionAnalysis, norm: str, passage: str = "") -> float:
    """Asked about 第三轮, the sentence speaks of 第四轮 (the same counter, another number) and not of the third.
    A sentence that names no ordinal of the counter is of the one its passage gives the same thing (asked about
    第四届农博会, a passage about 第五届农博会 and never the fourth), as a report names its event once."""
    from retrieval.analysis import ordinals

    asked = a.constraints.ordinals
    if not asked:
        return 0.0
    counters = {c for _, c in asked}
    said = [o for o in ordinals(norm) if o[1] in counters]
    if not said and passage:
        said = _ordinals_of_asked_thing(a.norm, passage)
    return float(bool(said) and not set(asked) & set(said))


def _ordinals_of_asked_thing(question: str, passage: str) -> list[tuple[int, str]]:
    """The ordinals `passage` gives the thing the question's ordinal qualifies (the two characters after it:
    第四届青禾农博会 -> 第五届青禾农博会, not 第一次会议)."""
    from retrieval.analysis import ordinals

    pattern = lexicon().ordinal_pattern
    things = {question[m.end():m.end() + 2] for m in pattern.finditer(question)}
    things = {t for t in things if re.fullmatch(r"[\u4e00-\u9fff]{2}", t)}
    return [o for m in pattern.finditer(passage) if passage[m.end():m.end() + 2] in things
            for o in ordinals(m.group(0))]


def _day_conflict(a: QuestionAnalysis, norm: str, passage: str = "") -> float:
    """Asked about what happened on 8月16日, the sentence dates its event to other days and never to that one;
    a sentence that names no day is dated by its passage (a report opens with the day of its event). Asked about a
    month alone (3月末的贷款余额), the sentence gives its figures for other months (6月末) and never for that one.
    Nothing conflicts when the question asks for a date itself (6月12日通过的办法从哪天起施行): its day names
    another event, and the days a sentence names are what it may answer with."""
    if a.answer.kind == "date":
        return 0.0
    asked = {_day(d) for d in a.constraints.dates} - {None}
    told = without_baselines(norm)  # 增幅较5月回落: the month compared against is not the one told of
    if not asked:
        months = {int(m.group(1)) for d in a.constraints.dates if (m := _MONTH.match(d))}
        said_months = _months(told)
        return float(bool(months) and bool(said_months) and not months & said_months)
    said = _days(told) or _days(without_baselines(passage))
    return float(bool(said) and not asked & said)


def _months(norm: str) -> set[int]:
    """The months a sentence names (6月末, 6月30日; 1-6月 covers the months between; 6个月 is a span, none)."""
    said = {int(m.group(1)) for m in _MONTH.finditer(norm)}
    for m in _MONTH_RANGE.finditer(norm):
        first, last = int(m.group(1)), int(m.group(2))
        said |= set(range(first, last + 1))
    return {x for x in said if 1 <= x <= 12}


def _unit_conflict(a: QuestionAnalysis, norm: str) -> float:
    """Asked how much 帮扶资金, the sentence gives every figure in another unit (16年, 四轮): another measure. Asked
    多少个停车位, every figure it counts in 个 counts another thing (12个重点项目): another count."""
    if _counts_another(a, norm):
        return 1.0
    family = unit_family(a)
    if not family:
        return 0.0
    # a figure the question states (存款余额120亿元, 其中定期存款多少) is no answer, whatever its unit; a percentage
    # written right after the measure asked gives that measure as a share (烧伤面积逾90%), in no unit of its own
    found = [(i, j) for i, j in spans.numbers(norm) if not spans.stated(norm[i:j], a.norm)]
    if any(spans.unit_of(norm[i:j]) == "%" and _share_of_measure(a, norm[:i]) for i, j in found):
        return 0.0
    units = [spans.unit_of(norm[i:j]) for i, j in found]
    return float(bool(units) and all(u and u not in family for u in units))


def _share_of_measure(a: QuestionAnalysis, before: str) -> bool:
    """`before` ends in a measure the question asks, then at most an approximation or a lead word (面积逾, 面积达)."""
    lex = lexicon()
    links = "|".join(map(re.escape, (*lex.approx, *lex.magnitude_leads)))
    return any(re.search(rf"{re.escape(m)}(?:{links})?$", before) for m in a.constraints.measure)


_COUNTED_NOUN = re.compile(r"(?:多少|几)个([\u4e00-\u9fff]{2,6}?)(?:呢|啊|吗)?[?？。]?$")  # 多少个停车位
CLAUSE_END = re.compile(r"[,，;；。!！?？]")
_NAME_SIDE = re.compile(r'[\u4e00-\u9fff"]+')  # characters a numbered name may hold beside its number
_COUNTED_AT = re.compile(r"(?:多少|几)个")
_COUNTED_AFTER = 4  # characters after 个 read as the thing a sentence counts


def _counts_another(a: QuestionAnalysis, norm: str) -> bool:
    """The question counts a thing in 个 (多少个停车位) and each figure in 个 the sentence gives is followed by a
    noun sharing no character with it (12个重点项目), nor names it later in its clause (5个涉及停车的站点 counts
    站点); a figure followed by no noun (停车位600个) counts what stands before it, and conflicts with nothing."""
    if a.answer.kind != "number":
        return False
    asked = _counted_noun(a)
    if not asked:
        return False
    counted = [(norm[j:j + _COUNTED_AFTER], CLAUSE_END.split(norm[j:], maxsplit=1)[0])
               for i, j in spans.numbers(norm, "个") if norm[i:j].endswith("个")]
    # 5个涉及停车、充电等服务的站点: the noun may stand later in the figure's clause, after what describes it
    return bool(counted) and all(re.match(r"[\u4e00-\u9fff]{2}", c) and not set(c) & set(asked) and asked not in rest
                                 for c, rest in counted)


def _counted_noun(a: QuestionAnalysis) -> str:
    """What the question counts in 个: the key noun written right after 个 (还有多少个自然村需要搬迁), else the
    characters ending the question after it (多少个停车位)."""
    at = _COUNTED_AT.search(a.norm)
    noun = max((t.text for t in a.terms if t.kind == "word" and t.noun and at and a.norm.startswith(t.text, at.end())),
               key=len, default="")
    end = _COUNTED_NOUN.search(a.norm)
    return noun or (end.group(1) if end else "")


def _contrast_conflict(a: QuestionAnalysis, norm: str) -> float:
    """Asked about 大口径财政收入, the sentence gives 小口径财政收入 and never the asked one: a word the question
    writes after one modifier of a contrast pair, the sentence writes only after the other; or a tier of
    government or rank asked that the sentence names only another of (`_tier_conflict`)."""
    pairs = lexicon().contrast_pairs
    for t in a.terms:
        i = a.norm.find(t.text)
        if len(t.text) < 2 or i < 0:
            continue
        for asked, other in pairs:
            if t.text.startswith(asked) and len(t.text) - len(asked) >= 2:  # one word: 小口径
                core = t.text[len(asked):]
            elif a.norm[max(0, i - len(asked)):i] == asked:  # two: 大 + 口径
                core = t.text
            else:
                continue
            if other + core in norm and asked + core not in norm:
                return 1.0
    return float(_tier_conflict(a.norm, norm) or _numbered_conflict(a.norm, norm))


def _numbered_conflict(question: str, norm: str) -> bool:
    """Asked about 二号线 (二期工程, 青禾一号水库), the sentence writes the character before that number (none, for a
    number opening the question) and the two after it around another number (三号线), in either script of numerals,
    and never around the asked one: a numbered name of another thing."""
    for frame, asked in _numbered_names(question):
        said = {x.group(1) for x in frame.finditer(norm)}
        if said and not said & asked:
            return True
    return False


@lru_cache(maxsize=256)
def _numbered_names(question: str) -> tuple[tuple[re.Pattern[str], frozenset[str]], ...]:
    """The question's numbered names, read once: for each, the characters around its number as a pattern whose
    group 1 is any number between them, and the asked number in both scripts. A number after 第, 几 or 多 is an
    ordinal or a count, and one before a counter, a unit of time or a magnitude (三个片区, 三年, 三亿) a count:
    neither is a name's."""
    numbered = lexicon().numbered
    out = []
    for m in re.finditer(f"(?<![{numbered}\\d第几多])[{numbered}]+(?![{numbered}\\d])", question):
        before, after = question[m.start() - 1:m.start()], question[m.end():m.end() + 2]
        if len(after) < 2 or not _NAME_SIDE.fullmatch(before + after) or after.startswith(_counted_words()):
            continue
        frame = re.compile(f"{re.escape(before)}([{numbered}]+|\\d+){re.escape(after)}")
        out.append((frame, frozenset({m.group(), str(numeral_value(m.group()))})))
    return tuple(out)


@lru_cache(maxsize=1)
def _counted_words() -> tuple[str, ...]:
    """What a count is written before: counters, units of time, magnitudes (个, 年, 亿)."""
    lex = lexicon()
    return (*lex.counts, *lex.time_units, *lex.magnitudes)


def _tier_conflict(question: str, norm: str) -> bool:
    """Asked about 国家级 (or 乡科级), the sentence names another tier (市级以上, 县处级) and never the asked one; a
    tier the question writes with 以上 or 以下 names the set it asks within (市级以上工作室当中国家级的)."""
    lex = lexicon()
    pattern = lex.tier_pattern  # (厅级 and 厅局级 name one rank)
    asked = {lex.tier(m.group(1)) for m in pattern.finditer(question) if not m.group(2)}  # 省级以上: those above too
    said = {lex.tier(m.group(1)) for m in pattern.finditer(norm)}
    return bool(asked) and bool(said) and not asked & said


def _masked(norm: str) -> bool:
    """A figure the source masks (「完成率达到X%」「前X个月」): scraped speeches hide some numbers."""
    return bool(_mask_pattern().search(norm))


@lru_cache(maxsize=1)
def _mask_pattern() -> re.Pattern[str]:
    from retrieval.textnorm import normalize

    lex = lexicon()
    masks = "|".join(map(re.escape, sorted({normalize(m) for m in lex.number_masks}, key=len, reverse=True)))
    return re.compile(f"(?<![A-Za-z])(?:{masks})+(?:{lex.unit_pattern})")


def _measure_conflict(a: QuestionAnalysis, norm: str) -> float:
    """Asked how much 税收收入 grew, the sentence says how much 生产总值 grew: a measure the lexicon knows (an amount
    of money or area), asked about (beside the question word; for an amount, anywhere in its clause: 规上工业增加值
    同比增长了多少), is written in the sentence (or another wording of it), or it is no answer.
    Its head word alone (损失 of 经济损失: 损失高达100亿美元) will do in a sentence naming no other measure the
    lexicon knows (财政收入损失2亿元 is about 财政收入). A word naming only an amount (金额) is given by any figure
    in its units where the sentence names what the question writes before it (投融资为10.1亿美元 gives
    投融资金额; 新建厂房200万平方米 does not give 集中供热面积). A question asking in a unit no measure is counted
    in (价格连续多少周下降: weeks) asks no amount of the measure, and nothing conflicts."""
    lex = lexicon()
    measures = lex.measure_words
    unit = a.answer.unit  # 多少周 of a price: the weeks are asked, the price is the topic, not the amount asked
    # (全长多少公里 asks a length, which no family counts; 车速最高多少公里 names the speed its kilometres count)
    if unit and not any(unit in units and (family not in lex.named_only or any(
            t.text.endswith(measures) for t in a.terms)) for family, (measures, units) in lex.measure_units.items()):
        return 0.0

    # its measure may stand before 同比增长 too; a share asked (利润占营业收入的比重) is no amount of the money it is of
    amount = a.answer.kind == "number" and not a.answer.ordinal and not _asks_rate(a)

    def missing(t: Term) -> bool:
        if not (t.focus or (amount and t.asked)) or not t.text.endswith(measures):
            return False
        if any(x and x in norm for x in t.alts) or _stem_stated(t, norm):
            return False
        if t.text in lex.amount_words:  # 投融资金额: a figure in money gives the amount of the 投融资 it names
            family = next(units for words, units in lex.measure_units.values() if t.text in words)
            of = _written_before(a, t)
            return not ((of is None or any(x and x in norm for x in of.alts))
                        and any(spans.unit_of(norm[i:j]) in family for i, j in spans.numbers(norm)))
        return not (t.text[-2:] in norm and not any(m in norm for m in measures))

    changed = _changed_measure(a) if amount else None
    return float(any(missing(t) for t in a.terms) or (changed is not None and not (
        _names_measure(changed, norm) and _figure_of(changed, norm))) or (amount and _another_kind(a, norm)))


def _another_kind(a: QuestionAnalysis, norm: str) -> bool:
    """Asked the 保有量 of 林地 (the measure and the noun the question writes right before it), the sentence never
    writes 林地 and writes 保有量 only right after another noun (耕地保有量): the same measure of another thing. A
    noun naming a place or a division (全省, 江苏省) picks out where, not what, and is no other kind."""
    division = lexicon().determined_place
    for t in a.terms:
        if not (t.focus and _measure_noun(t.text)) or t.text not in norm:
            continue
        of = _written_before(a, t)
        if (of is None or not of.noun or of.entity or len(of.text) < 2 or division.fullmatch(of.text)
                or any(x and x in norm for x in of.alts)):
            continue
        at = [m.start() for m in re.finditer(re.escape(t.text), norm)]
        if all(_noun_before(norm, i) for i in at):
            return True
    return False


def _measure_noun(text: str) -> bool:
    """A word that may name a measure: a noun of two characters or more (保有量, 产量; not 高达 nor 可达), or a
    measure the lexicon knows (收入)."""
    words = spans.pos_words(text)
    return len(text) >= 2 and (text in lexicon().measure_words or (
        len(words) == 1 and (words[0][1].startswith("n") or words[0][1] == "vn")))


def _noun_before(norm: str, at: int) -> bool:
    """A noun of two characters or more, not a place nor a division, ends right at `at` (耕地 of 耕地保有量)."""
    words = spans.pos_words(norm[max(0, at - 8):at])
    if not words:
        return False
    word, flag = words[-1]
    return len(word) >= 2 and flag.startswith("n") and flag != "ns" and not lexicon().determined_place.fullmatch(word)


def _changed_measure(a: QuestionAnalysis) -> Term | None:
    """The measure whose change is asked (快递业务量 of 快递业务量同比增长了多少): the question word ends its clause
    right after a change word (增长了多少; not 增加多少可用资金, which asks the amount of what follows, nor 能力提升
    培训的比例达到多少), and the question writes a noun right before that word, past comparison words and adverbs
    (同比, 已经)."""
    lex = lexicon()
    clause = asked_clause(a.norm)
    m = lex.interrogative_pattern.search(clause)
    if m is None or clause[m.end():].strip(_CLAUSE_TAIL):
        return None
    head = clause[:m.start()].rstrip(_CHANGE_TAIL)
    verb = next((v for v in lex.change_verbs if head.endswith(v)), None)
    if verb is None:
        return None
    between = sorted((*lex.change_comparisons, *lex.change_adverbs), key=len, reverse=True)
    words = sorted((t for t in a.terms if t.text and t.text not in between), key=lambda t: len(t.text), reverse=True)
    text, before = head.removesuffix(verb), ""
    # past each word that may stand between (同比已经), unless a term of the question ends there (人均: not 均)
    while text != before and not any(text.endswith(t.text) for t in words):
        before = text
        text = next((text.removesuffix(w) for w in between if text.endswith(w)), text)
    t = next((t for t in words if text.endswith(t.text)), None)
    return t if t is not None and t.kind == "word" and t.noun else None


def _figure_of(t: Term, norm: str) -> bool:
    """A figure of the sentence may be the changed measure's: its clause names that measure, or names no measure
    the lexicon knows (全市生产总值1298亿元，同比增长8.5%: the subject carried from the clause before). Named only
    in a clause of its own, beside figures of other measures (研发费用稳步提高，农业产值增长6%), it has none."""
    measures = lexicon().measure_words
    return any(spans.numbers(clause) and (_names_measure(t, clause) or not any(m in clause for m in measures))
               for clause in CLAUSE_END.split(norm))


def _names_measure(t: Term, norm: str) -> bool:
    """The sentence names the measure, in one of its wordings or by its last two characters (产量 of 粮食产量), or,
    for the amount of a word (进出口额), by that word (进出口)."""
    stem = amount_stem(t.text)
    return any(x and x in norm for x in t.alts) or t.text[-2:] in norm or bool(stem and stem in norm)


def amount_stem(measure: str) -> str:
    """The word whose amount the measure is (进出口 of 进出口额: lexicon `suffixes`), or "" for any other."""
    return _amount_of(measure)[0]


def _amount_of(measure: str) -> tuple[str, tuple[str, ...]]:
    """(the word whose amount the measure is, the units of that amount), or ("", ()) for a measure of no suffix."""
    for suffix, units in lexicon().amount_suffixes.items():
        stem = measure.removesuffix(suffix)
        if stem != measure and len(stem) >= 2:
            return stem, units
    return "", ()


def _stem_stated(t: Term, norm: str) -> bool:
    """The amount of a word (进出口额) is stated by a clause writing that word beside a figure in the amount's units
    (实现进出口733.3亿元); a clause with the word and no such figure (进出口企业达120家) is no amount of it."""
    stem, units = _amount_of(t.text)
    return bool(stem) and any(stem in clause and any(spans.unit_of(clause[i:j]) in units
                                                     for i, j in spans.numbers(clause))
                              for clause in CLAUSE_END.split(norm))


def _written_before(a: QuestionAnalysis, t: Term) -> Term | None:
    """The term the question writes right against `t`, before it (集中供热 of 集中供热面积), if any."""
    at = a.norm.find(t.text)
    if at <= 0:
        return None
    return next((o for o in a.terms if o is not t and o.text and a.norm.find(o.text) + len(o.text) == at), None)


def unit_family(a: QuestionAnalysis) -> tuple[str, ...]:
    """The units an amount of the asked measure is counted in, when the question names no unit itself."""
    if a.answer.kind != "number" or a.answer.unit or a.answer.ordinal:
        return ()
    after = _ASKED_AFTER.search(a.norm)  # 多少帮扶资金: the measure written after the question word
    # the head noun is written last (定期存款: 存款), whatever order the terms come in
    head = max(a.constraints.measure, key=a.norm.rfind, default=None)
    asked = (*((head,) if head else ()), *((after.group(1),) if after else ()))
    lex = lexicon()
    for measures, units in lex.measure_units.values():
        if any(m.endswith(measures) for m in asked):
            return units
    if _asks_rate(a):
        return lex.rate_units  # 增速提高到多少: a rate, wherever the question names it
    return ()


def _asks_rate(a: QuestionAnalysis) -> bool:
    """A rate is asked (增速, 完成率, 占比: a measure of the question's focus ending in one of `rates.endings`)."""
    lex = lexicon()
    return any(m.endswith(lex.rate_endings) and not m.endswith(lex.not_rates) for m in a.constraints.measure)


def days_named(norm: str) -> set[tuple[int, int]]:
    """The (month, day) of each day a text writes out (8月15日, 8月15号)."""
    return {_day(m.group()) for m in _MONTH_DAY.finditer(norm)} - {None}  # type: ignore[return-value]


def _days(norm: str) -> set[tuple[int, int]]:
    said = days_named(norm)
    for m in _DAY_RANGE.finditer(norm):  # 7月24日至26日 covers the days between
        month, first, last = (int(g) for g in m.groups())
        said |= {(month, d) for d in range(first, last + 1)}
    return said  # type: ignore[return-value]


def _day(text: str) -> tuple[int, int] | None:
    m = _MONTH_DAY.fullmatch(text)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _place_ok(a: QuestionAnalysis, norm: str, context: str, document: str) -> float:
    """Every place the question names is the document's own, or the sentence is about it (not merely one of a
    list of places, unless the question lists it too), or the document names it and the sentence names no other
    place (`_scene`); a place carried from the previous question need only stand in what was retrieved of the
    document (那它减少了多少 after a question about 福田区: an answer from a report on another country is not
    about it). A document's own county does not hold for a sentence naming another county instead of it (a
    round-up titled by 双峰县 whose sentence tells of 新化县: `_rival`)."""
    for t in a.terms:
        if t.kind != "place" or t.nested or t.encloses:
            continue  # (a place the question writes right before another of its places: that one decides)
        if _named(t, context):
            if a.answer.kind != "place" and _rival(a, t, norm):
                return 0.0
            continue
        if t.carried:
            if not _named(t, document):
                return 0.0
        elif _named(t, norm):
            if _listed(t, norm) and not t.listed:  # (a list the question itself writes: 甲、乙以及哪里)
                return 0.0
        elif not _scene(a, t, norm, document):
            return 0.0
    return 1.0


def _rival(a: QuestionAnalysis, t: Term, norm: str) -> bool:
    """Asked about a county, the sentence names another county, none of the question's places, and not the asked
    one. Counties only: a province or city stands in the names of bodies and titles (某省某委员会主委) of sentences
    about elsewhere; and not for a question asking a place (该向哪个县学习), whose answer is another place, nor
    one lying in a place the question asks within (丽水的哪几个县: its counties answer)."""
    from retrieval.gazetteer import ancestors, find_places, place_key, place_level

    if place_level(t.text) != _RIVAL_LEVEL or _named(t, norm):
        return False
    own = [x for p in a.terms if p.kind == "place" for x in p.alts if x]
    within = {place_key(p.text) for p in a.terms if p.kind == "place" and p.encloses}
    return any(place_level(p) == _RIVAL_LEVEL and not any(x in p or p in x for x in own)
               and not within & ancestors(p) for p in find_places(norm))


def _named(t: Term, text: str) -> bool:
    """The place is named in `text`, in full or (a province) by its abbreviation: 粤体彩 names 广东."""
    if term_hit(t, text) == 1.0:
        return True
    lex = lexicon()
    short = next((lex.abbreviations[x] for x in t.alts if x in lex.abbreviations), "")
    if not short or short not in text:
        return False
    for word in lex.not_abbreviations:
        text = text.replace(word, "")
    return short in text


def _scene(a: QuestionAnalysis, t: Term, norm: str, document: str) -> bool:
    """A place the document names elsewhere, for a sentence that names no other place: a report sets its scene
    once (湖南省双峰县花门镇…) and its later sentences say only what happened there. A county, city or province
    it names only as one of a list (在上海、杭州、广州设立联络处) is no scene of it, unless the question lists it
    too (双城、五常、尚志4个区县: the report's list is the question's group)."""
    from retrieval.gazetteer import find_places, place_level

    if term_hit(t, document) < 1.0:
        return False
    alone = (re.search(rf"(?<!、){re.escape(x)}(?![、等])", document) for x in t.alts if x)
    if place_level(t.text) is not None and not t.listed and not any(alone):
        return False
    asked = [x for p in a.terms if p.kind == "place" for x in p.alts if x]
    return all(any(x in p or p in x for x in asked) for p in find_places(norm))


def _listed(term: Term, sentence: str) -> bool:
    from retrieval.gazetteer import find_places

    return len(find_places(sentence)) >= 3 and listed_item(term, sentence)


def question_features(a: QuestionAnalysis, probabilities: list[float], best: dict[str, float], hits: list[Hit],
                      contexts: list[str], second_same_doc: bool = False) -> dict[str, float]:
    """The answerability model's view of one question: how sure the sentence scorer is of its best sentence, and
    whether the retrieved passages hold the question's words at all (a library without the answer usually
    lacks the question's rarest word)."""
    p1 = probabilities[0] if probabilities else 0.0
    p2 = probabilities[1] if len(probabilities) > 1 else 0.0
    everything = " ".join(f"{h.chunk.norm} {c}" for h, c in zip(hits, contexts, strict=True))
    year = hits[0].meta.year if hits else None
    heaviest = max(a.terms, key=lambda t: t.weight) if a.terms else None
    top = hits[0].scores if hits else None
    f = {
        "p_best": p1,
        "logit_best": max(-10.0, min(10.0, math.log(max(p1, 1e-6) / max(1 - p1, 1e-6)))) / 10,
        "second_ratio": p2 / p1 if p1 else 0.0,
        "rarest_anywhere": float(heaviest is not None and term_hit(heaviest, everything, year) == 1.0),
        "entity_anywhere": 1.0 - _missing_share([t for t in a.terms if t.entity], everything, year),
        "phrases_anywhere": sum(p in everything for p in a.phrases) / len(a.phrases) if a.phrases else 1.0,
        "names_anywhere": sum(shared_run(n, everything) for n in a.names) / len(a.names) if a.names else 1.0,
        "cov_anywhere": coverage(a, everything, year),
        "max_cov_passage": max((coverage(a, f"{h.chunk.norm} {c}", h.meta.year)
                                for h, c in zip(hits, contexts, strict=True)), default=0.0),
        "rerank_gap": _gap(hits, "rerank"),
        "fused_gap": _gap(hits, "fused"),
        "second_same_doc": float(second_same_doc),
        "top_rerank": top.rerank if top else 0.0,
        "top_fused": top.fused if top else 0.0,
        "top_lexical": top.lexical if top else 0.0,
        "top_bigram": top.bigram if top else 0.0,
        "n_terms": min(len(a.terms), 10) / 10,
    }
    for name in FEATURES:
        f[f"best_{name}"] = best.get(name, 0.0)
    return f


def _gap(hits: list[Hit], score: str) -> float:
    """How far the best passage stands above the best passage of any other document (share of its score): a
    library that holds the answer usually has one document that stands out; without it, several come close."""
    if not hits:
        return 0.0
    top = max(hits, key=lambda h: getattr(h.scores, score))
    best = getattr(top.scores, score)
    other = max((getattr(h.scores, score) for h in hits if h.chunk.doc_id != top.chunk.doc_id), default=0.0)
    return max(0.0, best - other) / best if best > 0 else 0.0
