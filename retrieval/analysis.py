"""One analysis of a question, done once and passed along: search, rerank and answer selection all read it.

`analyze_question()` returns a frozen `QuestionAnalysis`: the normalised question (after follow-up resolution),
what kind of answer it wants and in which unit, its key terms with idf weights, the constraints an answer must
satisfy (places, years, parts of a year, the measure asked about, a role), its parts (「…多少个?…多少?」), the two
sides of a comparison, and the tokens each retrieval channel searches for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Literal, Protocol

from retrieval.gazetteer import SUFFIXES, find_places, place_key, place_level
from retrieval.lexicon import KIND_ORDER, Kind, lexicon
from retrieval.referents import with_item
from retrieval.textnorm import normalize
from retrieval.tokenize import NUMBER, STOPWORDS, bigrams, cut, dictionary_word, pos_tagger, words

TermKind = Literal["word", "place", "year", "number", "quoted", "date", "period"]
_YEAR = re.compile(r"((?:19|20)\d{2})年?")
_QUOTED = re.compile(r'"([^"]{2,16})"|《([^》]{2,30})》')
_MONTH_DAY = re.compile(r"\d{1,2}月(?:\d{1,2}日|初|中旬|下旬|上旬|底)?")
_CLAUSE = re.compile(r"[,，;；:：。!！?？]")
_TITLE = re.compile(r"《[^》]*》")
_CJK = re.compile(r"[\u3400-\u9fff]")
PLACE_WEIGHT = 0.6  # a place is usually the speech's own: it weighs less than the question's other words
CARRIED_WEIGHT = 0.5  # a term carried over from the previous turn weighs this much of its idf
MAX_IDF = 8.0


class TermStats(Protocol):
    """What the analysis needs from the index: how rare a word is."""

    def idf(self, token: str) -> float: ...

    def df(self, token: str) -> int: ...


@dataclass(frozen=True)
class Term:
    text: str
    alts: tuple[str, ...]  # the term and the other wordings of the same thing
    kind: TermKind = "word"
    weight: float = 1.0  # idf (capped), scaled down for places and carried terms
    focus: bool = False  # names the measure the question asks about (the words beside the question word)
    carried: bool = False  # came from the previous turn of a follow-up
    entity: bool = False  # a name (person, place, organisation, work): a sentence about another one is no answer
    noun: bool = False  # a noun (names included): what compound names are made of
    asked: bool = False  # stands in the question word's clause (the rest sets the scene: who, when, where)
    nested: bool = False  # a place written right before another of the question's places (青浦盈浦街道): that decides
    listed: bool = False  # a place the question itself lists (定海、沈家门以及哪里): asked as one of a list
    encloses: bool = False  # a place right before a question asking a division (江苏省的哪个城市): the answer is in it


@dataclass(frozen=True)
class AnswerType:
    kind: Kind = "statement"
    unit: str = ""  # 多少个 -> 个: the unit a number answer should carry
    count: int = 0  # 哪四件事 -> 4 items
    ordinal: bool = False  # 排第几: a rank (第三位), not an amount
    category: str = ""  # 哪所学校 -> 学校: the kind of thing named
    counter: str = ""  # 多少路 -> 路: a word after the question word that is no unit; a figure with it answers too
    classifier: bool = False  # the counter counts the noun after it (多少张床位): a figure in another unit is no answer
    duration: bool = False  # 多久: a span of time (一年, 一个月 are then figures, not articles)
    frequency: bool = False  # 多久开一次: how often (每季度, 一年一次 answer)
    size: bool = False  # 有多长, 多重: a size, which a count (8条) does not answer
    native: bool = False  # 是哪里人: where a person comes from (浙江湖州人 answers)
    code: bool = False  # 编号是多少: a code is asked, which a figure written after latin letters (g11) answers
    score: bool = False  # 比分是多少: the score of a match (0:2, 2比1), two figures read as one
    grain: str = ""  # 哪一年 -> year, 几月 -> month, 哪天 -> day: the part of a date the answer must name
    named: str = ""  # 开展了什么活动 -> 活动: the noun a quoted name of the thing asked ends with or stands before


@dataclass(frozen=True)
class Constraints:
    """What an answer must agree with: the question's places, years and parts of a year, and its measure."""

    places: tuple[str, ...] = ()
    years: tuple[int, ...] = ()  # explicit years (2021年)
    relative_year: int | None = None  # 今年 0, 去年 -1: resolved against the document's year
    parts: tuple[str, ...] = ()  # 上半年, 一季度 ...
    dates: tuple[str, ...] = ()  # 8月12日: identifies an event; soft
    measure: tuple[str, ...] = ()  # focus terms
    role: str = ""  # 市长 in 「…的市长是谁」
    ordinals: tuple[tuple[int, str], ...] = ()  # 第三轮 -> (3, 轮): which round, batch, session is asked about


@dataclass(frozen=True)
class QuestionAnalysis:
    text: str  # as asked
    standalone: str  # after follow-up resolution: what is searched and answered
    norm: str
    answer: AnswerType
    terms: tuple[Term, ...]
    constraints: Constraints
    words: tuple[str, ...]  # tokens of the lexical word channel
    bigrams: tuple[str, ...]  # tokens of the bigram channel
    parts: tuple[QuestionAnalysis, ...] = ()  # sub-questions, each answered on its own
    asks: tuple[QuestionAnalysis, ...] = ()  # one sentence's asks (哪年建成、建在哪里): each alone if the whole fails
    sides: tuple[QuestionAnalysis, ...] = ()  # a comparison: each side answered from its own document
    follow_up: bool = False
    previous: str = ""  # the previous user turn a follow-up leans on
    given: str = ""  # a follow-up's previous answer (its short first line): what the follow-up does not ask again
    quoted: tuple[str, ...] = field(default=())
    phrases: tuple[str, ...] = ()  # runs of key terms written side by side (青禾理工大学法学院): a name as a whole
    names: tuple[str, ...] = ()  # names as written, with the characters no term keeps (青斑海龙鱼, 青禾82路)
    side: str = ""  # one side of a comparison: the phrase naming that side (甲地, 广东阳春的春砂仁)
    subject: str = ""  # 那X呢 after a question about Y: X, which the answer's sentence must name (not a place)

    @property
    def total_weight(self) -> float:
        return sum(t.weight for t in self.terms) or 1.0

    @property
    def places(self) -> tuple[str, ...]:
        return self.constraints.places

    @property
    def years(self) -> tuple[int, ...]:
        return self.constraints.years


# --- answer type ----------------------------------------------------------------------------------------------

# 哪所学校, 哪部作品, 哪一纪录片, 哪一场会议, 哪套方案, 哪间学校: classifiers between 哪 and the kind asked
_CATEGORY_COUNTERS = "个所家支项位座种类一部本首篇份场次条套件张颗间门集款辆艘架台"
_YI = re.compile(f"哪一(?=[{_CATEGORY_COUNTERS}年天月])")


def without_yi(norm: str) -> str:
    """哪一位 / 哪一个国家 / 哪一场会议 read as 哪位 / 哪个国家 / 哪场会议: the 一 adds nothing to what is asked."""
    return _YI.sub("哪", norm)


def answer_type(norm: str) -> AnswerType:
    """Read the kind of answer off the question words (not those of a conditional clause: 不论…什么时候,)."""
    lex = lexicon()
    norm = without_yi(without_stated_ranks(lex.concessive_pattern.sub("", norm)))
    concept = re.search(r'"([一二两三四五六七八九十])([个大项条种]?)[\u4e00-\u9fff]{1,6}"', norm)
    if concept and any(w in norm for w in lex.define_words):  # 「三走工作法」指的是什么 -> three items
        return AnswerType("list", count=_count(concept.group(1)))
    category = _category(norm)
    clause = _clause_bounds(norm)
    for kind in KIND_ORDER:
        m = _kind_word(kind, norm, clause)
        if m:
            if kind == "place" and category and category not in PLACE_CATEGORIES:
                return AnswerType("statement", category=category)  # 在哪所学校: the name of a thing, not a place
            unit, counter, classifier = _unit(norm) if kind == "number" else ("", "", False)
            return AnswerType(kind, unit=unit, count=_list_count(norm, m.group()) if kind == "list" else 0,
                              ordinal=kind == "number" and _asks_rank(norm), category=category, counter=counter,
                              classifier=classifier,
                              duration=kind == "number" and any(w in norm for w in lex.duration_words),
                              frequency=kind == "number" and _asks_frequency(norm, unit),
                              size=kind == "number" and _asks_size(norm),
                              native=kind == "place" and any(w in norm for w in lex.native_words),
                              code=kind == "number" and any(w in norm for w in lex.code_words),
                              score=kind == "number" and _asks_score(norm),
                              grain=_grain(norm) if kind == "date" else "")
    if lex.date_noun_pattern.search(norm):  # 开业日期是? (but 灭亡日期是哪位皇帝退位的时候 asked a person above)
        return AnswerType("date", category=category, grain=_grain(norm))
    return AnswerType("statement", category=category, named="" if category else _named_kind(norm))


def _kind_word(kind: Kind, norm: str, clause: tuple[int, int] | None) -> re.Match[str] | None:
    """The first word asking `kind`; a noun among them (增速, 比重, 排名: no question word) only in the question
    word's `clause`, where the question has one: 「面对增速放缓，出台了什么措施」 asks for a thing, the rate is
    its occasion."""
    lex = lexicon()
    for m in lex.kind_pattern(kind).finditer(norm):
        if kind == "date" and m.group() in lex.date_grains.get("clock", ()) and _counts_points(norm, *m.span()):
            continue  # 提出了几点要求: points counted, no time of day
        if clause is None or lex.interrogative_pattern.search(m.group()) or clause[0] <= m.start() < clause[1]:
            return m
    return None


def _counts_points(norm: str, at: int, end: int) -> bool:
    """The 几点 at norm[at:end] counts points made (几点要求, 有几点变化), not the time of day."""
    lex = lexicon()
    return norm.startswith(lex.clock_points, end) or norm[:at].endswith(lex.clock_counted_after)


def _clause_bounds(norm: str) -> tuple[int, int] | None:
    """Where the clause holding the question word starts and ends, or None for a question with no question word."""
    m = lexicon().interrogative_pattern.search(norm)
    if not m:
        return None
    lo = max((c.end() for c in _CLAUSE.finditer(norm, 0, m.start())), default=0)
    hi = next((c.start() for c in _CLAUSE.finditer(norm, m.end())), len(norm))
    return lo, hi


def _asks_size(norm: str) -> bool:
    """A size is asked: 有多长, 距离多远, or the name of a measure of size in the question word's clause (体长是多少,
    海拔有多少米)."""
    lex = lexicon()
    return any(w in norm for w in lex.size_words) or any(w in asked_clause(norm) for w in lex.size_measures)


def _asks_score(norm: str) -> bool:
    """The score of a match is asked: one of the score words written as words of their own (比分是多少, 以几比几获胜;
    not the 比数 of 对比数据)."""
    return bool(_standing_alone(norm, lexicon().score_words))


def _asks_frequency(norm: str, unit: str) -> bool:
    """How often (多久开一次会, 每隔多长时间, 几年举办一次): a how-long word, or 多少/几 before a unit of time, with an
    interval word right before it or a mark after it in its clause."""
    lex = lexicon()
    at = min((i for w in lex.duration_words if (i := norm.find(w)) >= 0), default=-1)
    if at < 0 and unit in lex.time_units and (m := _asked_count(norm)):
        at = m.start()
    if at < 0:
        return False
    clause = _CLAUSE.split(norm[at:], maxsplit=1)[0]
    return norm[:at].endswith(lex.frequency_intervals) or any(w in clause for w in lex.frequency_marks)


def _grain(norm: str) -> str:
    """The finest part of a date the question asks for (几月几号 -> day), or "" for any date (什么时候); not the time
    of day for a 几点 that counts points (哪天提出了几点要求 asks the day)."""
    return next((g for g, words in lexicon().date_grains.items()
                 if any(not (g == "clock" and _counts_points(norm, m.start(), m.end()))
                        for w in words for m in re.finditer(re.escape(w), norm))), "")


def _asked_count(norm: str) -> re.Match[str] | None:
    """The 多少 or 几 a question asks with: the first 多少, else the last 几. 几 also means "several" (几家银行…
    放贷多少, 那几天的雨量有多少, 几年间搬了几回家): an earlier one is seldom the count asked."""
    lex = lexicon()
    found = list(lex.how_many_pattern.finditer(norm))
    if much := lex.how_much_pattern.search(norm):  # (with no word after it, 还剩多少?, it asks in no unit)
        return next((m for m in found if m.start() == much.start()), None)
    return found[-1] if found else None


_ALNUM_START = re.compile(r"[a-z0-9]")  # a noun written in letters or figures (a grade: a+, 5**)
# adjectives and verbal nouns (大, 好, 活): words that describe a noun; no classifier is tagged so (verbs are: 发, 起)
_DESCRIBING_TAGS = frozenset({"a", "ad", "an", "vn"})


def _unit(norm: str) -> tuple[str, str, bool]:
    """(unit, counter, classifier) after the 多少 or 几 asked (`_asked_count`): 多少个 -> 个, 多少个小时 -> 小时 (a
    figure's 个 before a time unit is kept with it), 多少辑 -> counter 辑 (no unit the lexicon knows). The counter is
    a classifier when it is a word of its own before a noun (多少张床位, 几幅作品); one that ends the clause (多少钱?
    几辑?) may be the noun asked about itself."""
    lex = lexicon()
    if before := next((w for w in lex.asked_before if any(f"{w}{q}" in norm for q in ("多少", "几"))), ""):
        return lex.asked_before[before], "", False  # 百分之多少: a share in %
    m = _asked_count(norm)
    if not m:
        return "", "", False
    if m.group("counter") in lex.asked_units:  # 多少钱: an amount in 元
        return lex.asked_units[m.group("counter")], "", False
    if m.group("counter"):  # a counter is a word of its own (多少路公交), not the first character of a word of
        counter, at = m.group("counter"), m.start("counter")  # jieba's dictionary (多少公益基金; but 多少尾鳝鱼苗)
        starts, ends = _word_bounds(norm)
        joined = at + 1 not in ends and any(dictionary_word(norm[at:at + k]) for k in (2, 3, 4))
        # nor a word describing the noun after it (多少活鱼苗, 多少大项目: how many live fry, big projects)
        describing = _word_starts(norm).get(at, "") in _DESCRIBING_TAGS
        if counter in lex.function_words or joined or describing:
            return "", "", False
        after = norm[m.end():m.end() + 1]
        # a word of its own (多少/张/床位) or with 几 (几幅/作品), before a noun, one in letters or figures too
        # (几科/a+, 几科/5**: grades); not the start of another word (多少/罗德学者); 的 counts nothing (多少的百分比)
        alone = m.end() in ends and (at in starts or m.start() in starts) and counter not in STOPWORDS
        noun_after = bool(_CJK.match(after) or _ALNUM_START.match(after))
        return "", counter, (alone and noun_after and after not in lex.function_words and after not in STOPWORDS)
    # 多少支出: not 支
    unit, at = m.group("unit"), m.start("unit")
    if norm.startswith(lex.measure_words, at) or _unit_begins_word(norm, unit, at):
        return "", "", False
    if unit == "个" and _people_after(norm, m.end()):
        return "人", "", False  # 几个人: a count of people, 4人 or 4个人
    return unit, "", False


def _people_after(norm: str, at: int) -> bool:
    """人 ending a word right after the question word's 个 (几个人, 多少个人参加: jieba's 个人), not going on
    (多少个人口, 个人所得税)."""
    _, ends = _word_bounds(norm)
    return norm[at:at + 1] == "人" and at + 1 in ends


def _unit_begins_word(norm: str, unit: str, at: int) -> bool:
    """A one-character unit that jieba reads as the first character of a longer word (多少项目, 多少款物, 多少家庭
    受益): the word is asked about, not a figure in that unit."""
    starts, ends = _word_bounds(norm)
    if len(unit) != 1 or at not in starts or at + 1 in ends:
        return False
    end = min((e for e in ends if e > at), default=at + 1)
    return norm[at + 1:end] not in lexicon().units


def _list_count(norm: str, asked: str) -> int:
    """How many items a list question asks for: 哪三个 anywhere in it (有哪三处 reads 有哪 first)."""
    counted = lexicon().counted_pattern.search(norm)
    return _count(asked) or (_count(counted.group(1)) if counted else 0)


def _count(word: str) -> int:
    m = re.search(r"[一二两三四五六七八九十]", word)
    return "一两三四五六七八九十".index(m.group().replace("二", "两")) + 1 if m else 0


def _asks_rank(norm: str) -> bool:
    return bool(re.search(r"第(?:几|多少)|排名|位次|排[在第]?(?:几|多少)|名列|位列|居.{0,4}几", norm))


def without_stated_ranks(norm: str) -> str:
    """The question without the ranks it states (连续几年位列全市第二, 在哪个榜单上排名第五): a rank word written
    with its rank (a lead verb of `ordinals`, then 第 and a number within a few characters) asks no rank."""
    return _stated_rank().sub("", norm)


@lru_cache(maxsize=1)
def _stated_rank() -> re.Pattern[str]:
    lex = lexicon()
    leads = "|".join(map(re.escape, sorted(lex.ordinal_leads, key=len, reverse=True)))
    return re.compile(f"(?:{leads})[^,;。?!]{{0,6}}?第[{lex.digits}\\d]+")


PLACE_CATEGORIES = ("城市", "国家")
# 哪两个, 哪几项: a count before one of the counters (一 is a numeral here, not the 一 of 哪一纪录片)
_COUNT_BEFORE = re.compile(f"[一两二三四五六七八九十几]+(?=[{_CATEGORY_COUNTERS.replace('一', '')}])")


def _category(norm: str) -> str:
    """The noun right after 哪(个/所/家…) or 什么 names the kind of thing asked for (`norm` as answer_type reads
    it: 哪一个 already 哪个)."""
    lex = lexicon()
    if noun := _manner_asked(norm):
        return noun
    for m in re.finditer(r"哪|什么", norm):
        rest = norm[m.end():]
        if m.group() == "哪" and (count := _COUNT_BEFORE.match(rest)):
            rest = rest[count.end():]  # 哪两个文件, 哪几项规划: the count of a list, then its noun
        skips = (1, 0) if m.group() == "哪" and rest[:1] in _CATEGORY_COUNTERS else (0,)
        for skip in skips:  # 哪个项目, and 哪部门 (部 the noun's own)
            for n in (3, 2):  # 纪录片 before 纪录
                noun = rest[skip:skip + n]
                if len(noun) == n and (noun in lex.categories or noun in lex.title_categories):
                    return noun
    return ""


_NAME_WORDS = re.compile(r"(?:名目|名称|名字)的?")  # 什么名目的行动: the noun asked is 行动


def _named_kind(norm: str) -> str:
    """The noun naming the kind of thing asked by 什么 or 哪 and a counter (开展了什么活动, 入选了什么试点, 获评全国首批
    什么旅游城市称号 -> 称号): the last of the nouns jieba reads right after the question word; "" when none."""
    m = re.search(rf"什么|哪[{_CATEGORY_COUNTERS}]?", norm)
    if not m:
        return ""
    rest = norm[m.end():]
    rest = rest[n.end():] if (n := _NAME_WORDS.match(rest)) else rest
    nouns: list[str] = []
    for word, flag in _tagged(rest):
        if not (flag[:1] == "n" or flag == "vn"):  # (城市 of 旅游城市称号 tagged as a place name, a noun still)
            break
        nouns.append(word)
    return nouns[-1] if nouns and len(nouns[-1]) >= 2 else ""


_MANNER_GAP = 6  # at most this many characters between 什么样 and the spirit it asks about (怎样一种昂扬的姿态)


def _manner_asked(norm: str) -> str:
    """The spirit or pace asked for (要鼓起什么样的干劲 -> 干劲, 以怎样一种昂扬的姿态 -> 姿态): a noun of the lexicon's
    `manner` written within a few characters after 什么样 or 怎样, in the same clause; "" when none is."""
    lex = lexicon()
    gap = rf"[^,，;；:：。!?！？]{{0,{_MANNER_GAP}}}?"
    m = re.search(rf"(?:{lex.manner_ask_pattern}){gap}({lex.manner_noun_pattern})", norm)
    return m.group(1) if m else ""


# --- key terms ------------------------------------------------------------------------------------------------

def asked_spans(norm: str) -> list[tuple[int, int]]:
    """Where the question words of `norm` stand. One that begins inside a word of the segmenter's which ends
    inside it begins at the next word instead: in 成为什么样的干部 the question word is 什么 (成为 is a word), not
    为什么. Words that hold a question word whole (有多远, 由谁来, 哪几种) keep it as the question word."""
    pattern = lexicon().interrogative_pattern
    starts, ends = _word_bounds(norm)
    out: list[tuple[int, int]] = []
    pos = 0
    while m := pattern.search(norm, pos):
        at, end = m.span()
        word_end = min((e for e in ends if e > at), default=end)
        if at not in starts and word_end < end:
            later = (m2 for i in sorted(starts) if at < i < end and (m2 := pattern.match(norm, i)))
            at, end = next((m2.span() for m2 in later), (at, end))
        end += _clock_mark(norm, at, end)
        out.append((at, end))
        pos = max(end, at + 1)
    return out


def _clock_mark(norm: str, at: int, end: int) -> int:
    """How much of what follows a question word asks the time of day with it: the 点 (or 点钟) of 几点 asking when
    (几点开幕), none for the points a speech makes (几点要求)."""
    lex = lexicon()
    clock = next((w for w in lex.date_grains.get("clock", ()) if norm.startswith(w, at)), "")
    if not clock or end >= at + len(clock):
        return 0
    tail = at + len(clock)
    if _counts_points(norm, at, tail):
        return 0
    suffix = next((x for x in lex.clock_suffixes if norm.startswith(x, tail)), "")
    return len(clock) - (end - at) + len(suffix)


def _key_tokens(norm: str) -> list[str]:
    lex = lexicon()
    out = []
    text = _MONTH_DAY.sub(lambda m: " " * len(m.group()), norm)  # dates are terms of their own
    asked = asked_spans(text)
    pieces: list[str] = []
    pos = 0
    # cut the whole question, its question words too (an unknown name before 是谁 is cut as in context, not glued
    # to 是), then drop the characters of the question words; 667年 and 60亿美元 stay whole: jieba would cut them
    for m in NUMBER.finditer(text):
        pieces += [*cut(text[pos:m.start()]), m.group()]
        pos = m.end()
    pieces += cut(text[pos:])
    pieces = _without_spans(text, pieces, asked)
    before = ""
    joined = _join_singles(pieces)
    for i, tok in enumerate(joined):
        if before in lex.demonstratives and _glued_count(tok):
            tok = tok[1:]  # 那/篇文章, 这/项工作: jieba glued the measure word to the noun; the noun is the word
        counted, before = before in lex.demonstratives and bool(_COUNTED.fullmatch(tok)), tok
        if counted or _deictic(tok):
            continue  # 这一片钢箱梁, 那两个项目, 这顶帽子: the demonstrative picks out the noun; it asks nothing
        if tok in lex.reporting and _reports(joined[i - 1] if i else "", joined[i + 1:], norm):
            continue  # 周明远要求干部…: what was said is asked, not that it was said
        if tok in lex.describing and any(f"{w}{tok}" in norm for w in lex.describing_asks):
            continue  # 怎么形容…: the description is asked, which its sentence gives without the verb
        if tok in STOPWORDS or tok in lex.function_words or not re.search(r"[\w\u3400-\u9fff]", tok):
            continue
        if len(tok) == 1 and not tok.isdigit() and tok not in lex.synonyms:
            continue  # single characters carry little; bigram coverage handles them
        out.append(tok)
    return out


def _reports(before: str, rest: list[str], norm: str) -> bool:
    """A reporting verb tells what a speaker said: right after the speaker (a person's name, a speech or a party
    committee: 周明远要求, 讲话强调, 县委希望) and followed by what was said, words of its clause that are not one
    of `reporting_nouns_before` (有什么要求 and 要求是什么 ask about the demand itself). After anyone else it is
    the relation asked about (谁认为…, 专家认为…, 被要求…), a term."""
    lex = lexicon()
    after = rest[0] if rest else ""
    said = bool(re.match(r"[\w\u3400-\u9fff]", after)) and not after.startswith(lex.reporting_nouns_before)
    speaker = (before in lex.about_speech or before.endswith(lex.reporting_speaker_ends)
               or (before, "nr") in _tagged(norm))
    return said and speaker


def _without_asked(text: str) -> str:
    """`text` without its question words."""
    spans = asked_spans(text)
    return "".join(ch for i, ch in enumerate(text) if not any(a <= i < b for a, b in spans))


def _without_spans(text: str, pieces: list[str], spans: list[tuple[int, int]]) -> list[str]:
    """The pieces of `text` (in order, whitespace dropped by the cut) less the characters inside `spans`; what a
    piece keeps on either side of a span becomes a piece of its own."""
    if not spans:
        return pieces
    blank = [False] * len(text)
    for a, b in spans:
        blank[a:b] = [True] * (b - a)
    out: list[str] = []
    pos = 0
    for piece in pieces:
        at = text.find(piece, pos)
        if at < 0:
            out.append(piece)
            continue
        pos = at + len(piece)
        kept = "".join(" " if blank[i] else text[i] for i in range(at, pos))
        out += kept.split()
    return out


_COUNTED = re.compile(r"[一两二三四五六七八九十几]+[\u4e00-\u9fff]")  # a numeral and its classifier: 一片, 两个


def _glued_count(tok: str) -> bool:
    """A measure word glued to the word after it (篇文章, 项工作, 份文件): one of the lexicon's counts of one
    character, then a word of the segmenter's dictionary of two characters or more."""
    return len(tok) > 2 and tok[0] in lexicon().counts and tok[0] != "人" and dictionary_word(tok[1:])


def _deictic(tok: str) -> bool:
    """A demonstrative and one character cut as one word (这顶, 这位, 该项): it points back, it names nothing; not a
    place name that starts like one (那曲)."""
    from retrieval.gazetteer import place_level

    return len(tok) == 2 and tok[0] in lexicon().demonstratives and place_level(tok) is None


def _join_singles(tokens: list[str]) -> list[str]:
    """Rejoin runs of single characters jieba could not segment: 郭/麐 -> 郭麐 (names it does not know come out
    as single characters, and dropping them would lose the question's subject)."""
    lex = lexicon()
    out: list[str] = []
    run = ""
    for tok in [*tokens, ""]:
        single = len(tok) == 1 and bool(_CJK.match(tok)) and tok not in STOPWORDS and tok not in lex.function_words
        if single:
            run += tok
            continue
        if run:
            out.append(run)
            run = ""
        if tok:
            out.append(tok)
    return out


def alternatives(term: str) -> tuple[str, ...]:
    """The wordings a passage may use for a question word: its synonyms, a count written the other way (运行一周 /
    运行1周, 3年 / 三年), and the first of a series (第一批 / 首批)."""
    alts = lexicon().synonyms.get(term, (term,))
    other = numeral_variant(term)
    alts = (*alts, other) if other and other not in alts else alts
    return (*alts, *(f for f in first_variants(term) if f not in alts))


def first_variants(term: str) -> tuple[str, ...]:
    """The first of a series written the other way: 第一批 -> 首批, 首届 -> 第一届, 第1次 (ordinal counters only)."""
    lex = lexicon()
    for counter in lex.ordinal_counters:
        if term in (f"第一{counter}", f"第1{counter}"):
            return tuple(f"{first}{counter}" for first in lex.ordinal_firsts)
        if any(term == f"{first}{counter}" for first in lex.ordinal_firsts):
            return f"第一{counter}", f"第1{counter}"
    return ()


_CN_DIGITS = "零一二三四五六七八九"


def numeral_variant(term: str) -> str:
    """A count of a unit in the other script of numerals: 一周 -> 1周, 三个月 -> 3个月, 12天 -> 十二天, 2年 -> 两年,
    and a month with what follows it (三月底 -> 3月底, 12月份 -> 十二月份); "" for anything else (一行, 四川 and 十四五
    hold no unit after their numeral)."""
    tail = next((t for t in lexicon().month_tails if term.endswith(f"月{t}")), "")
    if tail:
        month = numeral_variant(term[:-len(tail)]) if "个" not in term else ""  # 三个月底 is no month
        return f"{month}{tail}" if month else ""
    m = re.fullmatch(r"(\d{1,2}|[零一二两三四五六七八九十百]{1,3})(个?)([\u4e00-\u9fff]{1,2})", term)
    if not m or not re.fullmatch(f"(?:{lexicon().unit_pattern})", m.group(3)):
        return ""
    numeral, rest = m.group(1), m.group(2) + m.group(3)
    if numeral.isdigit():
        n = int(numeral)
        if n == 2:
            return f"两{rest}"
        tens, ones = divmod(n, 10)
        cn = (("" if tens == 1 else _CN_DIGITS[tens]) + "十" if tens else "") + (_CN_DIGITS[ones] if ones else "")
        return f"{cn or '零'}{rest}"
    value = numeral_value(numeral)
    return f"{value}{rest}" if value is not None else ""


def _terms(norm: str, places: list[str], category: str) -> list[Term]:
    quoted = [a or b for a, b in _QUOTED.findall(norm)]
    quoted = [q for q in quoted if not _YEAR.fullmatch(q)]
    terms = [Term(q, (q,), "quoted") for q in quoted]
    terms += [Term(d, (d,), "date") for d in dict.fromkeys(_MONTH_DAY.findall(norm))]
    parts = year_parts_in(norm)
    terms += [Term(p, (p,), "period") for p in parts if not any(p != o and p in o for o in parts)]
    local = _local_places(norm, places)  # 白沙村 after 青禾县: below the gazetteer's counties
    terms += [Term(p, (p,), "place") for p in local]
    seen = set(quoted) | set(parts) | set(local)
    # (a 项目 the answer's sentence names beside its 《title》 stays a term, and so does the 责任感 of 以怎样的责任感:
    # a spirit's noun is a word the sentence may well repeat)
    titled = (*lexicon().title_categories, *lexicon().manner_nouns)
    place_keys = {place_key(p) for p in places}
    # a word written outside the quoted names is a term even when a name holds it too (为多少名留守儿童
    # beside "…(留守儿童)计划": the sentence counting them need not name the plan)
    for tok in _key_tokens(_QUOTED.sub(lambda m: " " * len(m.group()), norm)):
        asked_kind = tok == category and category not in titled
        if tok in seen or asked_kind or any(tok in q for q in [*parts, *local]):
            continue
        seen.add(tok)
        if tok in places or place_key(tok) in place_keys:
            terms.append(Term(tok, (tok, place_key(tok)), "place"))
        elif _YEAR.fullmatch(tok):
            terms.append(Term(tok, (tok,), "year"))
        elif NUMBER.fullmatch(tok):
            terms.append(Term(tok, (tok,), "number"))
        else:
            terms.append(Term(tok, alternatives(tok)))
    return terms


def year_parts_in(text: str) -> list[str]:
    """The parts of a year `text` names, ending where a word ends: 2023年上半年, 去年底, 预计年中完工; not the 年中
    of 2023年中央 or 2022年中国. (Only the end is checked: jieba glues a part's first character to the word before
    it, as in 县前/三季度.)"""
    found = [p for p in lexicon().year_parts if p in text]
    if not found:
        return []
    ends = _word_bounds(text)[1] | {len(text)}
    return [p for p in found if any(m.end() in ends for m in re.finditer(re.escape(p), text))]


def _word_bounds(text: str) -> tuple[set[int], set[int]]:
    """Where jieba's words of `text` start and where they end."""
    starts: set[int] = set()
    ends: set[int] = set()
    pos = 0
    for tok in cut(text):
        i = text.find(tok, pos)
        if i >= 0:
            starts.add(i)
            pos = i + len(tok)
            ends.add(pos)
    return starts, ends


_LOCAL_NAME = r"([\u4e00-\u9fff]{2,3}?)(?:村|社区|镇|乡|街道)"
_DIVISION_ENDS = "省市县区镇乡旗"  # the last character of a division's name, after which a local one may follow
_LOCAL = re.compile(rf"(?<=[{_DIVISION_ENDS}]){_LOCAL_NAME}")


def _local_places(norm: str, places: Sequence[str] = ()) -> list[str]:
    """Villages, towns and communities named right after the division they belong to (青禾县白沙村), or right
    after a place the gazetteer knows, written without its level (青浦盈浦街道); not 各村 (a determiner before the
    division: each village), 农业农村 (a common noun that ends like one), 全县多少个镇 (a question word is no
    name), 白沙镇岭的东镇 (a particle is in no name) nor 岚山市青禾县村民 or 全市乡镇 (a run ending in a division
    is that division, and the character after it begins a word: 村民), nor 青禾县学校和镇医院 (a conjunction,
    preposition or particle standing as a word of its own joins two words; it is inside no name: 太和镇 is one word)."""
    lex = lexicon()
    found = [*_LOCAL.finditer(norm),
             *(m for p in places for m in re.finditer(rf"(?<={re.escape(p)}){_LOCAL_NAME}", norm))]
    return list(dict.fromkeys(
        m.group() for m in sorted(found, key=lambda m: m.start())
        if not m.group().endswith(lex.common_divisions) and not m.group(1).endswith(tuple(lex.determiners))
        and not lex.interrogative_pattern.search(m.group(1)) and not _opens_clause(norm, m.start(1))
        and not any(c in m.group(1) for c in lex.not_in_local_names) and not _joins(norm, *m.span(1))
        and not m.group(1).endswith(tuple(_DIVISION_ENDS))))


_FUNCTION_TAGS = ("c", "p", "u")  # conjunctions, prepositions, particles: the segmenter's words that join others


def _word_starts(norm: str) -> dict[int, str]:
    """Where each of the segmenter's words of `norm` starts -> its part-of-speech tag."""
    starts: dict[int, str] = {}
    pos = 0
    for word, flag in _tagged(norm):
        starts[pos] = flag
        pos += len(word)
    return starts


def _joins(norm: str, lo: int, hi: int) -> bool:
    """A word of `norm` starting inside [lo, hi) is a conjunction, preposition or particle of its own."""
    return any(lo <= pos < hi and flag[:1] in _FUNCTION_TAGS for pos, flag in _word_starts(norm).items())


def _opens_clause(norm: str, at: int) -> bool:
    """The word at `at` is a preposition, verb, adverb, conjunction, particle or pronoun (西峰区为管好社区…: 为
    opens a clause; no name does)."""
    return _word_starts(norm).get(at, "")[:1] in ("p", "v", "d", "c", "u", "r")


def _phrases(norm: str, terms: list[Term]) -> tuple[str, ...]:
    """Maximal runs of two or more key terms that touch in the question: a compound name is asked about as a
    whole (青斑海龙鱼 is not any 海龙鱼; 青禾理工大学法学院 is not any 法学院)."""
    spans = sorted({(i, i + len(t.text), t.entity) for t in terms if t.noun and (i := norm.find(t.text)) >= 0})
    runs: list[list[tuple[int, int, bool]]] = []
    for a, b, named in spans:
        if runs and runs[-1][-1][1] == a:
            runs[-1].append((a, b, named))
        elif not runs or a >= runs[-1][-1][1]:
            runs.append([(a, b, named)])
    return tuple(norm[r[0][0]:r[-1][1]] for r in runs if len(r) >= 2 and any(x[2] for x in r))


def asked_clause(norm: str) -> str:
    """The clause holding the question word (「…宣传活动上，给几个新增的"生态哨点"授了牌?」 -> its last part);
    the whole question when it has no question word."""
    bounds = _clause_bounds(norm)
    return norm if bounds is None else norm[bounds[0]:bounds[1]]


def _focus(norm: str, terms: list[Term], kind: Kind = "number") -> set[str]:
    """What is asked about, within the question word's clause: for an amount the measure before the question
    word (投资完成率要达到多少, with the word it is written against) and the thing counted after it (新增多少家
    小微企业); otherwise the word after the question word (什么时候被免职; not one bounding a date: 为止), else the one
    before it (市长是谁)."""
    m = lexicon().interrogative_pattern.search(norm)
    if not m:
        return set()
    lo, hi = _clause_bounds(norm) or (0, len(norm))
    before, after = None, None
    bounds = lexicon().date_bounds if kind == "date" else ()  # 执行期到哪天为止: 为止 bounds the date asked
    for t in terms:
        if t.kind not in ("word", "quoted") or t.text in bounds:
            continue
        pos = norm.find(t.text, lo, hi)
        if pos < 0:
            continue
        if pos + len(t.text) <= m.start() and (before is None or pos > before[0]):
            before = (pos, t.text)
        if pos >= m.end() and (after is None or pos < after[0]):
            after = (pos, t.text)
    if kind != "number" and after:
        return {after[1]}
    found = {x[1] for x in (before, after) if x}
    if before:  # 投资 + 完成率: the word written right against the measure belongs to it
        against = {t.text for t in terms if t.kind == "word" and norm.find(t.text, lo, hi) >= 0
                   and norm.find(t.text, lo, hi) + len(t.text) == before[0]}
        found |= against
        if against and before[1] in lexicon().amount_nouns:
            found.discard(before[1])  # gdp总量, 企业数量: the amount of that measure, which is what is asked
    return found


_ENTITY_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nsf", "nt", "nz", "eng"})


@lru_cache(maxsize=256)
def _tagged(norm: str) -> tuple[tuple[str, str], ...]:
    """The segmenter's words of a question with their part-of-speech tags (names and entities both read them)."""
    return tuple((w.word, w.flag) for w in pos_tagger().cut(norm))


def _entities(norm: str, terms: list[Term]) -> list[Term]:
    """Mark the terms that are names: places, quoted names, what jieba tags as a proper noun, runs of characters
    it could not segment (unknown names), and latin words (product and organisation names)."""
    tagged = _tagged(norm)
    names = [w for w, flag in tagged if flag in _ENTITY_TAGS and len(w) >= 2]
    nouns = [w for w, flag in tagged if flag[:1] == "n"]
    out = []
    for t in terms:
        named = (t.kind in ("place", "quoted") or any(n in t.text or t.text in n for n in names)
                 or bool(re.search(r"[a-z]{2,}", t.text)) or (t.kind == "word" and t.text not in _known_words(t.text)))
        noun = named or any(n in t.text or t.text in n for n in nouns)
        out.append(replace(t, entity=named, noun=noun))
    return out


# Name runs: the segmenter's words a name is made of (nouns, their prefixes and numbers: 青斑/海龙/鱼, 青禾/82/路),
# and those of them that make it a name rather than a run of common nouns.
_NAME_PART_TAGS = frozenset({"n", "nr", "nrt", "nrfg", "ns", "nsf", "nt", "nz", "ng", "g", "b", "j", "eng", "x", "m",
                             "a"})
_NAME_MARK_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nsf", "nt", "nz", "ng", "g", "j", "eng", "x", "m"})
_DATE_PART = re.compile(r"[年月日号]")
_NAME_MIN = 3  # characters: shorter runs are single words, which the terms already check


def name_runs(norm: str) -> tuple[str, ...]:
    """Names as the question writes them, whole: maximal runs of name parts that hold a proper noun, a character
    the segmenter does not know, or a number (青斑海龙鱼, 青禾82路, 七号信号灯). A passage about 红斑海龙鱼 holds
    every term of 青斑海龙鱼 but not the name. Runs start at a noun-like part, never at an adjective or a number
    alone, and never hold a question word."""
    asked = lexicon().interrogative_pattern
    runs: list[list[tuple[str, str]]] = [[]]
    for word, flag in _tagged(norm):
        if flag == "x" and not re.fullmatch(r"[\u3400-\u9fff]+", word):
            flag = "w"  # punctuation (an unknown run of characters stays "x")
        if flag in _NAME_PART_TAGS and not asked.search(word):
            runs[-1].append((word, flag))
        elif runs[-1]:
            runs.append([])
    out = []
    for run in runs:
        # 震级8.9: a trailing figure is what is asked about, not a name; nor is a trailing 主要 / 所有 (a two-character
        # distinguishing word: 青斑海龙鱼主要分布在哪里; a one-character one ends names: 孔雀女)
        while run and (run[-1][1] in ("m", "a") or (run[-1][1] == "b" and len(run[-1][0]) > 1)):
            run = run[:-1]
        while run and run[0][1] == "m" and ((len(run) > 1 and run[1][1] == "m") or _DATE_PART.fullmatch(run[0][0])):
            run = run[1:]  # 2023/年/北京服贸会: the date before a name is not part of it
        text = "".join(w for w, _ in run)
        if len(run) >= 2 and len(text) >= _NAME_MIN and any(f in _NAME_MARK_TAGS for _, f in run):
            out.append(text)
    return tuple(dict.fromkeys(out))


def _known_words(text: str) -> set[str]:
    """The segmenter's words for `text`: a term made of single characters it could not place is unknown."""
    return set(cut(text)) if len(text) >= 2 else {text}


def _weigh(terms: list[Term], stats: TermStats | None) -> list[Term]:
    """idf of each term: of the question's own word when the index has seen it, else of its commonest other
    wording (an unseen colloquial word weighs what the official word it stands for weighs)."""
    if stats is None:
        return terms
    out = []
    for t in terms:
        seen = [a for a in t.alts if stats.df(a)]
        idf = stats.idf(t.text) if t.kind != "word" or stats.df(t.text) or not seen else min(
            stats.idf(a) for a in seen)
        scale = (PLACE_WEIGHT if t.kind == "place" else 1.0) * (CARRIED_WEIGHT if t.carried else 1.0)
        out.append(replace(t, weight=min(idf, MAX_IDF) * scale))
    return out


# --- constraints ----------------------------------------------------------------------------------------------

def ordinals(text: str) -> tuple[tuple[int, str], ...]:
    """Ordinal qualifiers in `text` as (number, counter): 第三轮 -> (3, 轮), 第5批 -> (5, 批), 首批 -> (1, 批)."""
    out = []
    for m in lexicon().ordinal_pattern.finditer(text):
        value = 1 if m.group(2) else numeral_value(m.group(1))
        if value is not None:
            out.append((value, m.group(3)))
    return tuple(dict.fromkeys(out))


def numeral_value(text: str) -> int | None:
    """12 -> 12, 十二 -> 12, 两 -> 2; None for anything but a numeral."""
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate(_CN_DIGITS)} | {"两": 2, "〇": 0}
    total, current = 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        elif ch in "十百千":
            total += (current or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
        else:
            return None
    return total + current


def _asked_role(norm: str) -> str:
    """The role a who-question asks to be filled (参加会见的民革中央副主席是谁 -> 副主席): the last role of the
    question word's clause, else of the question (unless that clause holds a verb of holding a post, 评委由谁担任:
    it names the post); a role the question fills with a name itself (市委书记陈敏尔)
    sets the scene and is never the one asked, nor is a role word used as a verb (代表法院出席). A report's credit
    asked (责任编辑是谁) counts as a role."""
    lex = lexicon()
    unnamed = lex.titled_name_pattern.sub(" ", norm)
    clause = asked_clause(unnamed)
    # 评委是由哪些人担任的: the clause names the post itself; a role elsewhere (县委书记出席的评比) sets the scene
    holds = any(v in clause for v in lex.holding_verbs)
    for text in (clause,) if holds else (clause, unnamed):
        roles = [m.group() for m in re.finditer(f"(?:{lex.role_pattern})", text)
                 if not _acts_for(text, m) and not text.startswith(lex.role_compounds, m.end())]
        credit = lex.asked_credit_pattern.search(text)  # 编辑是谁: a name beside 编辑 answers, not any name
        if credit and not (roles and text.rfind(roles[-1]) > credit.start()):
            return credit.group(1)
        if roles:
            return roles[-1]
    return ""


def _acts_for(text: str, role: re.Match[str]) -> bool:
    """A role word used as a verb (会上，代表最高人民法院出席…: on behalf of), no role: it opens its clause (or follows
    由, 并) and what it acts for comes after it; 学生代表, 代表们 and 代表是谁 are roles."""
    before, after = text[role.start() - 1:role.start()], text[role.end():role.end() + 1]
    opens = not _is_cjk(before) or before in "由并将谁"
    return role.group() in lexicon().verb_roles and opens and _is_cjk(after) and after not in "是为们的叫"


def _is_cjk(char: str) -> bool:
    return bool(char) and "\u4e00" <= char <= "\u9fff"


@lru_cache(maxsize=1)
def _baseline() -> re.Pattern[str]:
    """A year (2022年, 去年) or a month (6月, 2022年6月末) compared against: right after 较 or 比, or before 相比
    (past 同期, 全年 …)."""
    lex = lexicon()
    month = r"\d{1,2}月(?:\d{1,2}[日号])?份?"
    year = "|".join([rf"(?:19|20)\d{{2}}(?:年度|年)?(?:{month})?", month,
                     *map(re.escape, sorted(lex.relative_years, key=len, reverse=True))])
    before = "|".join(map(re.escape, sorted(lex.baseline_before, key=len, reverse=True)))
    after = "|".join(map(re.escape, sorted(lex.baseline_after, key=len, reverse=True)))
    between = "|".join(map(re.escape, sorted(lex.baseline_between, key=len, reverse=True)))
    return re.compile(rf"(?:{before})(?P<compared>{year})|(?P<before>{year})(?=(?:{between})?(?:{after}))")


@lru_cache(maxsize=4096)  # a passage is read again for each of its candidate sentences
def without_baselines(text: str) -> str:
    """`text` with the years and months it compares against blanked (比去年同期增长8%, 较上年全年回落, 增幅较5月回落:
    the figure is of another time than the one after 比), so that only the times it tells of are read; offsets stay."""
    def blank(m: re.Match[str]) -> str:
        year = m.group("compared") or m.group("before")
        return m.group()[: len(m.group()) - len(year)] + " " * len(year)

    return _baseline().sub(blank, text)


def _constraints(norm: str, places: list[str], terms: list[Term], answer: AnswerType) -> Constraints:
    lex = lexicon()
    told = without_baselines(norm)  # 比上年增长了多少: asked of the year compared, not of 上年
    relative = next((v for w, v in sorted(lex.relative_years.items(), key=lambda x: -len(x[0])) if w in told), None)
    # the part of a year a follow-up leans on (一季度 of the previous question) is preferred, not required: the
    # user named it for another measure
    parts = tuple(t.text for t in terms if t.kind == "period" and not t.carried and not _names_event(t.text, norm))
    role = _asked_role(norm) if answer.kind == "person" else ""
    untitled = _TITLE.sub(" ", told)  # 《…纲要(2021—2030年)》: a year in a title is part of a name, not a time asked
    return Constraints(places=tuple(dict.fromkeys(places)), years=tuple(int(y) for y in _YEAR.findall(untitled)),
                       relative_year=relative, parts=parts, dates=tuple(_MONTH_DAY.findall(norm)),
                       measure=tuple(t.text for t in terms if t.focus), role=role, ordinals=ordinals(norm))


EVENT_NAME_GAP = 6  # characters a part of a year may stand before the event noun it names (一季度经济运行分析会)


def _names_event(part: str, norm: str) -> bool:
    """「2023年下半年工作会议」: the part of a year is in the name of an event, not a time the answer must name: an
    event noun follows within EVENT_NAME_GAP characters, none of them 的 (上半年的财政收入 names no event)."""
    i = norm.find(part)
    return i >= 0 and _event_after().match(norm, i + len(part)) is not None


@lru_cache(maxsize=1)
def _event_after() -> re.Pattern[str]:
    """Up to EVENT_NAME_GAP characters (none of them 的), then an event noun."""
    return re.compile(rf"(?:(?!的)[\u4e00-\u9fff]){{0,{EVENT_NAME_GAP}}}?(?:{lexicon().event_noun_pattern})")


# --- follow-ups, parts, comparisons ---------------------------------------------------------------------------

def is_follow_up(question: str) -> bool:
    lex = lexicon()
    q = normalize(question).strip()
    body = q.rstrip("?？!！。 ")
    return (any(q.startswith(w) for w in lex.follow_leads) or body.endswith(lex.follow_trailing)
            or any(p in q for p in lex.pronouns) or len(body) <= lex.follow_short)


def names_nothing(question: str) -> bool:
    """The question names no subject of its own: no place, no name, no time, nothing quoted (农作物受灾面积有多大?,
    具体措施有哪些?). After an earlier turn it asks about what that one named, however long it is."""
    norm = normalize(question)
    if find_places(norm) or _QUOTED.search(norm) or _YEAR.search(norm) or _MONTH_DAY.search(norm):
        return False
    terms = _entities(norm, _terms(norm, [], answer_type(norm).category))
    return not any(t.entity or t.kind != "word" for t in terms)


def parallel_question(question: str, previous: str) -> str | None:
    """The previous question asked of the follow-up's new subject (`parallel`), or None."""
    found = parallel(question, previous)
    return found[0] if found else None


def parallel(question: str, previous: str) -> tuple[str, str] | None:
    """「那X呢」 after a question about Y: the previous question with X in Y's place, where X and Y are parallel — two
    places (那栖霞市呢 after a question about 龙口市: the last place it names), two quoted terms of one length, or two
    terms of one length with one last character (那平安产险呢 for 人保财险, 那河沥片区呢 for 城北片区). None when the
    follow-up asks something of its own or no parallel is found (「那不良贷款率呢」 asks the previous question's
    kind of thing about a new measure: left to the rule-based resolution). Returns that question and X."""
    lex = lexicon()
    body = normalize(question).strip().rstrip("?？!！。 ")
    lead, x = _split_lead(body)
    if not body.endswith(lex.follow_trailing):
        return None
    x = re.sub(f"(?:{'|'.join(map(re.escape, lex.follow_trailing))})$", "", x).strip()
    prev = normalize(previous)
    if (at_time := _at_time(x, prev)) is not None:  # 「2021年的呢」 needs no 那
        return at_time, x
    if not lead or not x or lex.interrogative_pattern.search(x) or len(x) > lex.follow_parallel_chars:
        return None
    x_places, prev_places = find_places(x), find_places(prev)
    if x_places and x.endswith(x_places[-1]) and prev_places and x_places[-1] not in prev:
        y = prev_places[-1]
    elif (q := _QUOTED.search(x)) and x.replace(q.group(0), "") in prev and (
            same := [m.group(0) for m in _QUOTED.finditer(prev) if len(m.group(0)) == len(q.group(0))
                     and m.group(0) != q.group(0)]):
        y, x = same[-1], q.group(0)  # 那城市"会客厅"呢 after 城市"北大门": the quoted names are the parallel
    elif _CJK.fullmatch(x[-1]):
        y = next((prev[i:i + len(x)] for i in range(len(prev) - len(x) + 1)
                  if prev[i + len(x) - 1] == x[-1] and prev[i:i + len(x)] != x and len(x) >= 2
                  and _CJK.fullmatch(prev[i]) and _CJK.fullmatch(x[0])), "")
    else:
        y = ""
    if not y:
        return None
    i = prev.rfind(y) if y in prev_places else prev.find(y)
    return prev[:i] + x + prev[i + len(y):], x


def _at_time(x: str, prev: str) -> str | None:
    """「那2023年呢」「那上半年呢」「2021年的呢」: when X names only times, the previous question at X's time, each
    time X names in the place of the previous question's time of the same kind (a year for a year, a part of a year
    or a month for a part), or where such a time would be written when it named none; None when X names more."""
    x = x.removesuffix("的")
    if not is_time(x):
        return None
    asked = prev
    for piece in _time_piece().finditer(x):
        found = list(_time_piece().finditer(asked))
        same = next((m for m in found if m.lastgroup == piece.lastgroup), None)
        if same is not None:
            start, end = same.span()
        else:  # a year goes before the times the question names, a part of a year after them
            start = end = (found[0].start() if piece.lastgroup == "year" else found[-1].end()) if found else 0
        asked = asked[:start] + piece.group(0) + asked[end:]
    return asked


def is_time(text: str) -> bool:
    """`text` names only times (2023年, 去年上半年, 4月中旬)."""
    pieces = list(_time_piece().finditer(text))
    return bool(pieces) and "".join(m.group(0) for m in pieces) == text


def _without_times(text: str) -> str:
    """`text` with the times it names taken out (周青禾3月下旬随团 -> 周青禾随团)."""
    return _time_piece().sub("", text)


def _split_lead(text: str) -> tuple[str, str]:
    """A follow-up's opening word (那, 那么, 还有 …) and the rest: ("", text) when it opens with none."""
    lex = lexicon()
    lead = next((w for w in sorted(lex.follow_leads, key=len, reverse=True) if text.startswith(w)), "")
    if any(len(p) > len(lead) and text.startswith(p) for p in lex.pronouns):
        lead = ""  # 那个项目…: the 那 of a pronoun, not the opening 那
    return lead, text[len(lead):].lstrip(",，、 ") if lead else text


def _in_turn(pieces: list[str], stats: TermStats | None, before: str) -> list[QuestionAnalysis]:
    """Each piece of one question analysed, a later one set in the scene of the one before it."""
    parts = []
    for piece in pieces:
        part = _analyze(piece, stats, before)
        parts.append(part)
        before = part.standalone
    return parts


def sub_questions(question: str) -> list[str]:
    """「…有多少个?…要达到多少?」 -> its parts, each with its own answer."""
    parts = [p for p in re.split(r"[?？]", question) if p.strip()]
    return parts if len(parts) > 1 else [question]


_SEVERAL = re.compile(r"[那这好]几|几(?=[十百千万])")  # 那几天, 好几个, 几百个, 几千年: several, nothing asked


def asked_clauses(question: str) -> list[str]:
    """「白沙大桥是哪年建成的、建在哪里?」 -> 「白沙大桥是哪年建成的」「建在哪里」: one sentence asking two things in
    two clauses, cut after each clause that asks (a clause asking nothing goes with the ask after it, or with the
    last ask). A 几 of several (那几天, 几百个) and the question words of a conditional clause ask nothing. The
    question whole when fewer than two of its clauses ask."""
    lex = lexicon()
    pieces, run = [], ""
    for clause in re.split(r"(?<=[,，、;；])", question.rstrip("?？ ")):
        run += clause
        told = _SEVERAL.sub(" ", lex.concessive_pattern.sub(" ", clause + ","))
        if lex.interrogative_pattern.search(told):
            pieces.append(run)
            run = ""
    if len(pieces) < 2:
        return [question]
    pieces[-1] += run
    return [p.rstrip(",，、;； ") for p in pieces]


@dataclass(frozen=True)
class Sides:
    """A comparison read from a question: 「2023年,甲地和乙地的出口额分别是多少」 -> prefix 「2023年,」, left 「甲地」,
    right 「乙地」, rest 「的出口额分别是多少」."""

    prefix: str
    left: str
    right: str
    rest: str

    def question(self, side: str) -> str:
        """The question about one side alone: the ask's spreading words dropped (分别是多少 -> 是多少), a question
        word added where only 「有什么不同」 asked."""
        lex = lexicon()
        rest = self.rest
        for ask in sorted(lex.comparison_asks, key=len, reverse=True):
            spread = next((w for w in lex.comparison_spreaders if ask.startswith(w)), "")
            rest = rest.replace(ask, ask[len(spread):] if spread else "", 1)
        text = f"{self.prefix}{side}{rest}".rstrip("?？ ")
        return text + ("?" if lex.interrogative_pattern.search(text) else "是什么?")


def comparison_sides(norm: str) -> Sides | None:
    """「甲和乙…有什么不同」「甲和乙分别…」: the two sides compared, when the question compares two (see the
    lexicon's [comparison] for how the sides are read)."""
    lex = lexicon()
    asks = [i for ask in lex.comparison_asks if (i := norm.find(ask)) > 0]
    if not asks:
        return None
    ask_at = min(asks)
    joins, pos = [], 0
    for tok in cut(norm[:ask_at]):  # a joiner standing as a word of its own (not 和谐, 参与, 共同)
        pos = norm.find(tok, pos)
        if tok in lex.comparison_joiners:
            joins.append(pos)
        pos += len(tok)
    if not joins:
        return None
    j = joins[-1]
    start = max((m.end() for m in _CLAUSE.finditer(norm, 0, j)), default=0)
    start += _leading_time().match(norm, start).end() - start
    left = norm[start:j]
    right_from = j + 1
    ends = [i for w in (*lex.comparison_side_ends, *lex.comparison_asks)
            if (i := norm.find(w, right_from)) >= right_from]
    ends += [m.start() for m in _CLAUSE.finditer(norm, right_from)]
    ends += [m.start() for m in _time_word().finditer(norm, right_from + 1)]  # 无锡今年的… : the time is shared
    des = [m.start() for m in re.finditer("的", norm[right_from:])]
    if len(des) > left.count("的"):
        ends.append(right_from + des[left.count("的")])
    right_to = min(ends, default=len(norm))
    right = norm[right_from:right_to]
    owner = _owner_end(left)
    if owner and "的" not in right and norm.startswith(lex.comparison_spreaders, right_to) and len(left) - owner >= 2:
        start, left = start + owner, left[owner:]  # 甲地去年的出口额和进口额分别是多少: both are 甲地去年的
    if not (2 <= len(left) <= lex.comparison_side_chars and 2 <= len(right) <= lex.comparison_side_chars):
        return None
    return Sides(norm[:start], left, right, norm[right_to:])


def _owner_end(side: str) -> int:
    """Where the owner a side's noun is of ends: right after its last 的 outside a 《title》 or a quote (青禾县去年的
    出口额: 青禾县去年的; not the 的 of 《烟雨下的青禾》); 0 when there is none."""
    ends = [m.end() for m in re.finditer("的", side) if side.count("《", 0, m.start()) == side.count("》", 0, m.start())
            and side.count('"', 0, m.start()) % 2 == 0]
    return max(ends, default=0)


@lru_cache(maxsize=1)
def _time_word() -> re.Pattern[str]:
    """A year, a relative year, a part of a year or a month (2023年, 今年, 上半年, 8月)."""
    lex = lexicon()
    words = sorted([*lex.year_parts, *lex.relative_years], key=len, reverse=True)
    return re.compile(rf"(?:19|20)\d{{2}}年|\d{{1,2}}月|{'|'.join(map(re.escape, words))}")


@lru_cache(maxsize=1)
def _time_piece() -> re.Pattern[str]:
    """A time by what it names: a year (2023年, 去年; group `year`) or a part of one (上半年, 8月, 4月中旬; `part`)."""
    lex = lexicon()
    years = "|".join(map(re.escape, sorted(lex.relative_years, key=len, reverse=True)))
    parts = "|".join(map(re.escape, sorted(lex.year_parts, key=len, reverse=True)))
    return re.compile(rf"(?P<year>(?:19|20)\d{{2}}年|{years})|(?P<part>{parts}|{_MONTH_DAY.pattern})")


@lru_cache(maxsize=1)
def _leading_time() -> re.Pattern[str]:
    """A time a comparison's question opens with (2023年8月, 上半年): both sides keep it."""
    parts = "|".join(map(re.escape, sorted(lexicon().year_parts, key=len, reverse=True)))
    return re.compile(rf"(?:(?:19|20)\d{{2}}年|\d{{1,2}}月(?:\d{{1,2}}日)?|{parts}|[,，\s])*")


# --- the analysis ---------------------------------------------------------------------------------------------

def analyze_question(question: str, previous: Sequence[str] = (), stats: TermStats | None = None,
                     expand: bool = True, answered: str = "") -> QuestionAnalysis:
    """Analyse `question`; `previous` are the earlier user turns (oldest first) a follow-up may lean on, and
    `answered` the reply to the last of them; `stats` gives term weights (the index's idf)."""
    prev = next((p for p in reversed(previous) if p.strip()), "")
    typed = question
    if prev and answered:  # 其中第三项…: the item of the reply's list it points at, written out
        question = with_item(question, answered)
    follow = bool(prev) and (is_follow_up(question) or question != typed or names_nothing(question))
    person = ""
    if follow and answered:  # the previous question as answered: 由谁出任… -> 由李兴湖出任…
        prev, person = _as_answered(prev, question, short_line(answered))
    found = parallel(question, prev) if follow else None
    if found:  # the previous question about another place or name: asked whole, as the user means it
        asked, subject = found
        analysis = replace(_analyze(asked, stats, ""), text=question, follow_up=True, previous=prev)
        if not find_places(subject) and not is_time(subject):  # (held by the places' or times' own constraint)
            analysis = replace(analysis, subject=subject.strip('"'))
    else:
        analysis = _analyze(question, stats, prev if follow else "", person)
    if expand:
        pieces = sub_questions(analysis.standalone)
        if len(pieces) > 1:
            analysis = replace(analysis, parts=tuple(_in_turn(pieces, stats, prev if follow else "")))
        elif len(asks := asked_clauses(analysis.standalone)) > 1:
            analysis = replace(analysis, asks=tuple(_in_turn(asks, stats, prev if follow else "")))
        sides = comparison_sides(analysis.norm)
        if sides:
            analysis = replace(analysis, sides=tuple(replace(_analyze(sides.question(side), stats, ""), side=side)
                                                     for side in (sides.left, sides.right)))
    given = short_line(answered) if analysis.follow_up else ""
    if given:
        analysis = replace(analysis, given=given, parts=tuple(replace(p, given=given) for p in analysis.parts),
                           asks=tuple(replace(p, given=given) for p in analysis.asks))
    return replace(analysis, text=typed) if question != typed else analysis


def _as_answered(previous: str, question: str, line: str) -> tuple[str, str]:
    """The previous question with the person its reply named in place of its question word, and that person, when
    it asked who and the follow-up asks about him or her (「由谁出任三明市委书记」 answered 「李兴湖,…」, then
    「他是哪一年出生的」: 他 is 李兴湖, not the appointment); else the previous question as it was, and no one."""
    prev = normalize(previous)
    ask = lexicon().interrogative_pattern.search(prev)
    body = _split_lead(normalize(question))[1]
    if answer_type(prev).kind != "person" or not _stands_for_person(body, _pronoun(body)):
        return previous, ""
    person = _person_in(line)
    return (prev[:ask.start()] + person + prev[ask.end():] if person and ask else previous), person


def _stands_for_person(body: str, pronoun: tuple[int, int] | None) -> bool:
    """The pronoun found in `body` is 他 or 她."""
    return pronoun is not None and body[pronoun[0]:pronoun[1]] in lexicon().person_pronouns


def _person_in(line: str) -> str:
    """The first person named in `line`; a surname the tagger cut from its given name (周/明远) is joined back."""
    tagged = _tagged(line)
    for i, (word, flag) in enumerate(tagged):
        if flag != "nr":
            continue
        after = tagged[i + 1][0] if i + 1 < len(tagged) else ""
        if len(word) == 1 and 1 <= len(after) <= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", after):
            return word + after
        return word
    return ""


def short_line(reply: str) -> str:
    """The short answer a reply opens with: its first line when that line quotes no passage ([n]) and is short
    (「3837万元。」); nothing for a reply that only quotes or refuses at length."""
    first = normalize(reply.strip().split("\n", 1)[0]).strip(" 。.")
    return first if first and len(first) <= _SHORT_LINE and not re.search(r"\[\d+\]", first) else ""


_SHORT_LINE = 40  # characters: longer first lines are sentences, not short answers


def _analyze(question: str, stats: TermStats | None, previous: str, person: str = "") -> QuestionAnalysis:
    own = normalize(question)
    answer = answer_type(own)
    places = find_places(own)
    terms = _terms(own, places, answer.category)
    focus = _focus(own, terms, answer.kind)
    clause = asked_clause(own)
    terms = _entities(own, [replace(t, focus=t.text in focus, asked=t.text in clause) for t in terms])
    standalone, carried = own, []
    if previous:
        standalone, carried = _resolve(own, previous, terms, places, person)
        places = places or find_places(normalize(previous))
    terms = _weigh([*terms, *carried], stats)
    # 「那不良贷款率呢」 asks what the previous question asked; 「那城市绿化呢,以什么为切入点」 asks its own
    if answer.kind == "statement" and previous and not lexicon().interrogative_pattern.search(own):
        prev_answer = answer_type(normalize(previous))
        if prev_answer.kind != "statement":
            # 「那旅游收入呢」 after 接待游客多少人次: a measure of its own is not counted in the previous one's unit
            measured = any(t.kind in ("word", "quoted") and not t.carried and not t.entity for t in terms)
            answer = replace(prev_answer, count=0, **({"unit": "", "counter": ""} if measured else {}))
    norm = normalize(standalone)
    terms = [replace(t, nested=True) if _inner_place(norm, terms, t) is not None else t for t in terms]
    terms = [replace(t, listed=True) if t.kind == "place" and (listed_item(t, norm, asked_after=True)
                                                                or _beside_place(t, norm, terms)) else t
             for t in terms]
    terms = [replace(t, encloses=True) if t.kind == "place" and _encloses_the_asked(norm, t) else t for t in terms]
    searched = norm if not previous else f"{normalize(previous)} {own}"
    toks = words(searched)
    if stats is not None:  # other wordings of question words the index has never seen (欠债 -> 债务)
        toks += [w for t in terms if t.kind == "word" and not stats.df(t.text)
                 for a in t.alts if a != t.text for w in words(a)]
    quoted = tuple(t.text for t in terms if t.kind == "quoted")
    return QuestionAnalysis(question, standalone, norm, answer, tuple(terms),
                            _constraints(own if previous else norm, places, terms, answer),
                            tuple(toks), tuple(bigrams(searched)), follow_up=bool(previous), previous=previous,
                            quoted=quoted, phrases=_phrases(own, [t for t in terms if not t.carried]),
                            names=name_runs(own))


def _encloses_the_asked(norm: str, t: Term) -> bool:
    """江苏省的哪个城市, 浙江省哪一个县, 丽水的哪几个县: a place written right before a question word asking for a
    division or a city (or several) names where the answer lies, which a sentence naming that answer (湖州市…)
    need not repeat."""
    return any(x and re.search(f"{re.escape(x)}的?{_asked_division()}", norm) for x in t.alts)


@lru_cache(maxsize=1)
def _asked_division() -> str:
    kinds = "|".join(map(re.escape, (*PLACE_CATEGORIES, *lexicon().levels)))
    return f"哪(?:[一几些两二三四五六七八九十])?[个座]?(?:{kinds})"  # 哪个县, 哪几个县, 哪两个城市


def _inner_place(norm: str, terms: Sequence[Term], t: Term) -> Term | None:
    """The place the question names right after `t`, inside it (青浦盈浦街道, 青禾县白沙村, 浙江舟山): the question
    itself says where that one lies."""
    i = norm.find(t.text)
    if t.kind != "place" or t.carried or i < 0:
        return None
    after = i + len(t.text)
    level = next((x for x in SUFFIXES if norm.startswith(x, after)), "")  # 青禾县 written as 青禾 + 县
    return next((u for u in terms if u is not t and u.kind == "place" and not u.carried
                 and (norm.startswith(u.text, after) or (level and norm.startswith(u.text, after + len(level))))),
                None)


def listed_item(t: Term, text: str, asked_after: bool = False) -> bool:
    """`text` writes `t` as one item of a list (甲、定海、乙); with `asked_after` (a question), also as the item it
    joins to the one it asks for (惠州和哪一个地区) or right after a joiner (青禾排水队和岚山队: the question's own
    list of what carries the place's name)."""
    joined = "|".join(map(re.escape, lexicon().list_joiners)) if asked_after else ""
    after = f"、|(?:{joined})哪" if joined else "、"
    before = f"、|(?:{joined})" if joined else "、"
    return any(re.search(rf"(?:{before}){re.escape(x)}|{re.escape(x)}(?:{after})", text) for x in t.alts if x)


def _beside_place(t: Term, norm: str, terms: Sequence[Term]) -> bool:
    """The question writes the place right beside another place of the same level, with no mark or with a joiner
    between (到江苏浙江取经, 苏州和无锡): a list of its own, as with 、 (not a place inside another: 浙江杭州)."""
    level = place_level(t.text)
    if level is None:
        return False
    joined = "|".join(map(re.escape, lexicon().list_joiners))
    others = [y for o in terms if o.kind == "place" and o is not t and place_level(o.text) == level
              for y in o.alts if y]
    return any(re.search(rf"{re.escape(x)}(?:{joined})?{re.escape(y)}|{re.escape(y)}(?:{joined})?{re.escape(x)}",
                         norm) for x in t.alts if x for y in others)


_TIME_KINDS = ("year", "date", "period")


def _resolve(own: str, previous: str, terms: list[Term], places: list[str],
             person: str = "") -> tuple[str, list[Term]]:
    """A follow-up leans on the previous question: its subject (the terms that are not what it asked about)
    and, when the new question names none, its place and time carry over. `person`, the answer to a
    who-question the follow-up's 他 or 她 stands for, is its whole subject."""
    lex = lexicon()
    prev = normalize(previous)
    prev_places = find_places(prev)
    prev_answer = answer_type(prev)
    prev_terms = _entities(prev, _terms(prev, prev_places, prev_answer.category))
    prev_focus = _focus(prev, prev_terms, prev_answer.kind)
    own_texts = {t.text for t in terms}
    lead, body = _split_lead(own)
    subset = lead in lex.subset_leads  # 其中…: a part of what the previous question asked about, which carries
    pronoun = _pronoun(body)
    # 他 / 她: the person the previous question names, even one it asked about (杨先生中了多少钱); a name the tagger
    # does not know as a person's (党组成员周青禾是哪里人) is the name asked about
    people = ({w for w, flag in _tagged(prev) if flag == "nr"}
              | {t.text for t in prev_terms if t.entity and t.kind == "word" and t.text in prev_focus}
              if _stands_for_person(body, pronoun) else set())
    carried = [replace(t, carried=True) for t in prev_terms
               if (t.text not in prev_focus or t.text in people or subset) and t.text not in own_texts
               and not (t.kind == "place" and places)
               and not (t.kind in _TIME_KINDS and _has_time(own))]
    carried = carried if subset else _before_ask(prev, carried, counted=prev_answer.kind == "number")
    if person:
        carried = [Term(person, (person,), carried=True, entity=True, noun=True),
                   *(t for t in carried if t.kind in _TIME_KINDS)]
    subject = _without_asked(_subject(prev, [t for t in carried if t.kind not in _TIME_KINDS]))
    if _has_time(own):  # 那9月他到过哪里 after 周青禾3月下旬到过哪里: the new time, not both
        subject = _without_times(subject)
    if pronoun is not None and subject and not _determines(body, *pronoun):
        body = body[:pronoun[0]] + subject + body[pronoun[1]:]
    elif subject:  # 那打这场仗…: the pronoun picks out a noun of its own, which stays; the subject goes first
        body = subject + body
    named = [*year_parts_in(prev), *(w for w in lex.relative_years if w in prev)]
    if not year_parts_in(body):  # the time of the previous question, unless the new one names a part of a year
        part = next((p for p in lex.year_parts + tuple(lex.relative_years) if p in named and p not in body), "")
        body = part + body
    body = re.sub(r"(?:呢|呀|啊|吧)([?？]?)\s*$", r"\1", body)
    if not lex.interrogative_pattern.search(body) and not any(lex.kind_pattern(k).search(body) for k in KIND_ORDER):
        body = body.rstrip("?？ ") + _question_tail(prev_answer.kind)  # 「那不良贷款率呢」 asks what was asked
    return body, carried


def _before_ask(prev: str, carried: list[Term], counted: bool = False) -> list[Term]:
    """What the previous question asked about is not its subject: the words after its question word
    (「…要求干部保持什么样的攻坚势头」: 攻坚势头) do not carry over, its time does. All carry when none stands
    before the question word (「哪家公司…」), and when it asked a figure (`counted`): the words after 多少 name what
    it counted or measured (对多少个村级服务站做了改造, 完成多少亿元固定资产投资), what a follow-up goes on about
    (那一共投入了多少钱, 同比增长多少)."""
    ask = lexicon().interrogative_pattern.search(prev)
    if not ask or counted:
        return carried
    before = [t for t in carried if t.kind in _TIME_KINDS or 0 <= prev.find(t.text) < ask.start()]
    return before if any(t.kind not in _TIME_KINDS for t in before) else carried


def _pronoun(body: str) -> tuple[int, int] | None:
    """Where the first pronoun standing for the previous subject is in `body`, as a word of its own (它们, 这个,
    the 该 of 该项目; not the 此 of 为此 or the 其 of 其余)."""
    found = _standing_alone(body, lexicon().pronouns)
    return min(found) if found else None


def _determines(body: str, start: int, end: int) -> bool:
    """The demonstrative at body[start:end] picks out a noun written right after it (这场仗, 这些重点项目, 该项目),
    not standing for one itself (这个是多少; 它 and 其 always stand for one)."""
    if not body.startswith(lexicon().demonstratives, start):
        return False
    at = 0
    for word, flag in _tagged(body):
        if at >= end:
            return at == end and (flag.startswith("n") or flag == "vn")
        at += len(word)
    return False


def _standing_alone(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Where any of `words` stands in `text` as a word of the segmenter's own, not inside a longer one."""
    starts, ends = _word_bounds(text)
    return [(m.start(), m.end()) for w in words for m in re.finditer(re.escape(w), text)
            if m.start() in starts and m.end() in ends]


def _subject(prev: str, carried: list[Term]) -> str:
    """The previous question's subject as it was written: from its first carried term to its last."""
    found = [(i, i + len(t.text)) for t in carried if (i := prev.find(t.text)) >= 0]
    if not found:
        return ""
    return prev[min(a for a, _ in found):max(b for _, b in found)]


def _has_time(norm: str) -> bool:
    lex = lexicon()
    return bool(_YEAR.search(norm) or _MONTH_DAY.search(norm) or year_parts_in(norm)
                or any(w in norm for w in lex.relative_years))


def _question_tail(kind: Kind) -> str:
    return {"number": "是多少?", "person": "是谁?", "date": "是什么时候?", "place": "在哪里?", "list": "有哪些?"}.get(
        kind, "是什么?")
