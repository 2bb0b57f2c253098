"""The one lexicon (retrieval/data/lexicon.toml), loaded once into typed, immutable values.

Question words, roles, units, numerals, ordinals, periods, sentence ends, follow-up and comparison words,
synonyms and answer categories all live in that one versioned file; code reads them from here only.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Literal

Kind = Literal["number", "person", "date", "place", "list", "statement"]
KIND_ORDER: tuple[Kind, ...] = ("date", "person", "list", "number", "place")


def _alternation(words: tuple[str, ...]) -> str:
    """A regex alternation, longest first, so that 个百分点 wins over 个."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _guarded(words: tuple[str, ...], unless: tuple[str, ...]) -> str:
    """An alternation of question words, each not matched inside a word of `unless` that starts or ends with it
    (几 not in 几乎 or 茶几)."""
    def one(w: str) -> str:
        after = [x[len(w):] for x in unless if x.startswith(w) and x != w]
        before = [x[:-len(w)] for x in unless if x.endswith(w) and x != w]
        guard = "".join(f"(?<!{re.escape(b)})" for b in sorted(set(before)))
        ahead = f"(?!{_alternation(tuple(after))})" if after else ""
        return f"{guard}{re.escape(w)}{ahead}"

    return "|".join(one(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@dataclass(frozen=True)
class Lexicon:
    version: int
    digest: str  # hash of the file: recorded where the lexicon shapes the index
    kind_words: dict[Kind, tuple[str, ...]]
    date_nouns: tuple[str, ...]  # 日期: asks a date only when no other kind's question word stands in the question
    date_bounds: tuple[str, ...]  # 为止, 之后: after a date's question word, they bound the time asked (no focus)
    date_grains: dict[str, tuple[str, ...]]  # day / month / year: the part of a date a question asks for, finest first
    clock_points: tuple[str, ...]  # 几点 before these counts points made (几点要求), no time of day
    clock_suffixes: tuple[str, ...]  # part of the question word after 几点 (几点钟)
    clock_counted_after: tuple[str, ...]  # 几点 after these counts points (有几点), no time of day
    year_before: tuple[str, ...]  # 同年: a month or day after it is dated to a year the text names
    role_suffixes: tuple[str, ...]
    native_words: tuple[str, ...]  # 哪里人, 籍贯: a place question asking where a person comes from
    native_marks: tuple[str, ...]  # 人, 籍: written right after the place a person comes from (湖州人)
    native_leads: tuple[str, ...]  # 籍贯, 祖籍: written right before it (籍贯浙江湖州)
    place_kind_endings: dict[str, tuple[str, ...]]  # 城市 -> 市: a place asked by its kind, the names that end so first
    list_counted: tuple[str, ...]  # 哪 of 哪三个: before a numeral, asks for a list of that many items
    measure_endings: tuple[str, ...]
    amount_nouns: tuple[str, ...]  # 总量, 数量: the amount of the measure written against them (gdp总量)
    interrogatives: tuple[str, ...]
    counting: tuple[str, ...]  # interrogatives a measure word may follow (多少家, 哪所)
    not_questions: tuple[str, ...]
    few: tuple[str, ...]
    concessives: tuple[str, ...]
    determiners: frozenset[str]
    function_words: frozenset[str]
    reporting: tuple[str, ...]  # verbs reporting a speech: followed by what was said, no term
    reporting_nouns_before: tuple[str, ...]  # what follows them when they are nouns asked about
    reporting_speaker_ends: tuple[str, ...]  # a body that speaks ends in one of these (县委)
    describing: tuple[str, ...]  # 形容, 概括: after one of describing_asks (怎么形容) no key term
    describing_asks: tuple[str, ...]
    define_words: tuple[str, ...]
    about_speech: tuple[str, ...]
    records: tuple[str, ...]  # 讲话, 报道: a speech or report a question may point at (那篇讲话)
    record_counters: tuple[str, ...]  # 篇, 份: between the demonstrative and the record
    record_contents: tuple[str, ...]  # 中, 提到: after the record, what it says is asked, not the record itself
    other_deeds: tuple[str, ...]  # of a meeting, deeds other than speaking (主持): the record's speaker is not the doer
    spoken: tuple[str, ...]  # words asking who spoke (讲话, 致辞)
    writers: tuple[str, ...]  # roles of who wrote a report (记者, 作者)
    event_deeds: tuple[str, ...]  # deeds of an event a document tells of (发生): its own date does not date them
    outline_frames: tuple[str, ...]  # a list question's words that name a part of the speech or its listing
    roles: tuple[str, ...]
    relations: tuple[str, ...]
    deed_roles: tuple[str, ...]  # roles a text writes by what the holder did (作者: 著, 之作)
    holding_verbs: tuple[str, ...]  # 担任: a who-question with one asks the post its own clause names
    taking_verbs: tuple[str, ...]  # 当选为: a name right before one (or one of holding_verbs) is a person's
    taking_adverbs: tuple[str, ...]  # 曾: may stand between that name and its verb
    verb_roles: tuple[str, ...]  # roles that are verbs too (代表…出席): with an object after them, no role
    role_compounds: tuple[str, ...]  # 代表人物, 记者会: a role word followed by one is part of another word
    credits: tuple[str, ...]
    credit_labels: dict[str, tuple[str, ...]]  # 编辑 -> (编辑, 责任编辑, 责编): a report's credits by wording
    head_words: tuple[str, ...]  # 负责人: names no post; any of `heads` answers
    heads: tuple[str, ...]  # 局长, 书记: posts that head a body
    common_divisions: tuple[str, ...]
    not_in_local_names: tuple[str, ...]
    street_endings: tuple[str, ...]  # 路, 街: a name ending in one and a number (永清路899号) is an address
    levels: tuple[str, ...]  # one-character division levels (省, 市, 县 …)
    list_joiners: tuple[str, ...]  # 惠州和哪个地区: joins a place the question lists to the one it asks for
    abbreviations: dict[str, str]  # 广东 -> 粤: a province by its one-character abbreviation
    not_abbreviations: tuple[str, ...]  # 犹豫: words that hold an abbreviation's character and name no province
    speech_verbs: tuple[str, ...]
    surnames: str
    compound_surnames: tuple[str, ...]
    name_followers: tuple[str, ...]
    digits: str
    magnitudes: tuple[str, ...]
    approx: tuple[str, ...]
    magnitude_leads: tuple[str, ...]
    units: tuple[str, ...]
    measure_units: dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # family: (measure words, its units)
    named_only: tuple[str, ...]  # families whose units count other things too: asked only where a measure is named
    amount_words: tuple[str, ...]  # measures naming only an amount (金额): a figure in their family's units gives it
    amount_suffixes: dict[str, tuple[str, ...]]  # 额 of 进出口额: the amount of the word before it, in these units
    code_words: tuple[str, ...]  # words asking for a code (编号): figures after latin letters answer them
    counts: tuple[str, ...]
    rate_endings: tuple[str, ...]
    change_verbs: tuple[str, ...]  # 增长, 下降: a change asked of the measure written before them
    change_from: tuple[str, ...]  # 由 of 由20元上调至26元: opens the value a change left
    change_to: tuple[str, ...]  # 至 of it: opens the value reached (and, before a question word, asks for it)
    change_comparisons: tuple[str, ...]  # 同比: may stand between that measure and the change
    change_adverbs: tuple[str, ...]  # 已经, 又: may stand there too
    not_rates: tuple[str, ...]
    rate_units: tuple[str, ...]
    unit_synonyms: tuple[tuple[str, ...], ...]
    duration_words: tuple[str, ...]
    size_words: tuple[str, ...]  # 多长, 多重: a size, which a count (8条) does not answer
    size_measures: tuple[str, ...]  # 体长, 海拔: a size asked by its measure's name (体长是多少)
    score_words: tuple[str, ...]  # 比分, 几比几: the score of a match is asked (0:2, 2比1 answer)
    frequency_intervals: tuple[str, ...]  # 每隔多久: before a how-long word, it asks how often
    frequency_marks: tuple[str, ...]  # 多久开一次: after it in its clause, too
    frequency_leads: tuple[str, ...]  # 每季度, 每隔两年: what opens an answer to how often
    asked_units: dict[str, str]  # 钱 -> 元: 多少钱 asks an amount in 元
    asked_before: dict[str, str]  # 百分之多少 -> %: a unit written before the question word
    time_units: tuple[str, ...]
    bare_followers: tuple[str, ...]  # 和 of 115和120: what may follow a bare figure that counts with a classifier
    month_tails: tuple[str, ...]  # 底 of 三月底: a month in either script of numerals is the same time
    counted_time_units: tuple[str, ...]  # units of time written after 个 only (3个工作日)
    clock_marks: tuple[str, ...]
    ordinal_prefixes: tuple[str, ...]  # 第: a figure after it is a rank, not an amount
    ordinal_leads: tuple[str, ...]
    ordinal_suffixes: tuple[str, ...]
    ordinal_figure_leads: tuple[str, ...]  # 位列 of 位列15名: a rank written without 第
    relative_years: dict[str, int]
    year_parts: tuple[str, ...]
    same_parts: tuple[tuple[str, ...], ...]  # 年底, 年末: wordings of the same part of a year
    year_ends: tuple[str, ...]  # 年底: asked, a sentence about the whole year (whole_year: 全年) is of the same time
    whole_year: tuple[str, ...]
    part_months: dict[str, tuple[int, int]]  # 上半年 -> (1, 6): the months a part of a year spans
    present_words: tuple[str, ...]  # 目前, 当前: the present, of no year a document of no known year can show
    baseline_before: tuple[str, ...]  # 较, 比: a year right after one is the baseline of a comparison
    baseline_after: tuple[str, ...]  # 相比: a year before one (与上年相比) is too
    baseline_between: tuple[str, ...]  # 同期: what may stand between that year and 相比
    event_nouns: tuple[str, ...]
    lunar_months: tuple[str, ...]  # 正月, 腊月: months of the Chinese calendar, named not numbered
    festivals: tuple[str, ...]  # 春节, 国庆节: a date a report gives by its festival
    festival_sides: tuple[str, ...]  # 前, 期间: 春节前
    eras: tuple[str, ...]  # 万历, 民国: eras a year is counted in
    stems: str  # 甲乙丙…: the ten stems and
    branches: str  # 子丑寅…: the twelve branches that name a year of the sixty-year cycle
    ordinal_counters: tuple[str, ...]
    ordinal_firsts: tuple[str, ...]
    number_masks: tuple[str, ...]
    contrasts: tuple[tuple[str, str], ...]
    tiers: tuple[str, ...]  # 国家, 省, 县处: levels of government and ranks of officials, written before tier_mark
    tier_mark: str  # 级
    same_tiers: tuple[tuple[str, ...], ...]  # 厅局, 厅, 局: wordings of the same rank
    numbered: str  # 一…十: numbers written inside a name (二号线, 二期工程); another of them names another thing
    sentence_ends: str
    sentence_closers: str
    anaphors: tuple[str, ...]  # 这 of 这也是…: a sentence opening so points back at the one before it
    follow_leads: tuple[str, ...]
    subset_leads: tuple[str, ...]  # 其中: the follow-up asks about a part of what the previous question asked about
    follow_trailing: tuple[str, ...]
    pronouns: tuple[str, ...]
    person_pronouns: tuple[str, ...]
    demonstratives: tuple[str, ...]
    follow_short: int
    follow_parallel_chars: int
    item_counters: tuple[str, ...]  # 第三项, 第二条: one item of the previous reply's list
    first_item: tuple[str, ...]
    last_item: tuple[str, ...]
    item_marks: tuple[str, ...]
    comparison_joiners: tuple[str, ...]
    comparison_asks: tuple[str, ...]
    comparison_spreaders: tuple[str, ...]
    comparison_side_ends: tuple[str, ...]
    comparison_side_chars: int
    synonym_groups: tuple[tuple[str, ...], ...]
    categories: dict[str, tuple[str, ...]]
    title_categories: tuple[str, ...]  # 作品, 节目: named by a 《book title》
    manner_asks: tuple[str, ...]  # 什么样, 怎样: before one of manner_nouns, asks the spirit wanted of people
    manner_nouns: tuple[str, ...]  # 劲头, 紧迫感: the spirit or pace a sentence asks for with 以…的
    not_category_names: tuple[str, ...]  # 联系, 社会: end as names of a category do, name nothing

    @cached_property
    def synonyms(self) -> dict[str, tuple[str, ...]]:
        """Each member of a group -> the whole group (normalised: simplified, lower-case)."""
        from retrieval.textnorm import normalize

        out: dict[str, tuple[str, ...]] = {}
        for group in self.synonym_groups:
            members = tuple(normalize(w) for w in group)
            for w in members:
                out.setdefault(w, members)
        return out

    @cached_property
    def unit_pattern(self) -> str:
        return _alternation(self.units)

    @property
    def not_asking(self) -> tuple[str, ...]:
        """Words in which a question word asks nothing: whole words (几乎) and "a few" (这几)."""
        return self.not_questions + self.few

    @cached_property
    def counted_pattern(self) -> re.Pattern[str]:
        """哪三个 / 哪四项: a list of that many items (the numeral is the pattern's one group)."""
        return re.compile(f"(?:{_alternation(self.list_counted)})([两二三四五六七八九十])")

    @cached_property
    def concessive_pattern(self) -> re.Pattern[str]:
        """A conditional clause up to its comma (不论发展到什么时候,): its question words ask nothing."""
        return re.compile(f"(?:{_alternation(self.concessives)})[^,，;；。?？!！]*[,，]")

    @cached_property
    def how_much_pattern(self) -> re.Pattern[str]:
        """多少 asking an amount, with or without a word after it (还剩多少?)."""
        return re.compile(_guarded(("多少",), self.not_asking))

    @cached_property
    def how_many_pattern(self) -> re.Pattern[str]:
        """多少 or 几 asking a count, with its magnitude and the unit (group `unit`) or other word (`counter`)
        after it; 个 before a time unit gives way to it (多少个小时 -> 小时)."""
        time = _alternation(self.time_units)
        return re.compile(f"(?:{_guarded(('多少', '几'), self.not_asking)})"
                          f"(?:万亿|亿|万|千(?![瓦米克])|百(?!分))?(?:个(?=(?:{time})))?"
                          f"(?:(?P<unit>{self.unit_pattern})|(?P<counter>[\u4e00-\u9fff]))")

    @cached_property
    def calendar_pattern(self) -> str:
        """A date by the Chinese calendar (正月十五, 八月初三, 腊月二十三日), by a festival (春节前, 国庆节期间), by
        an era (万历十一年, 民国27年五月, 康熙年间) or by the sixty-year cycle (丙午年三月初八). A numbered day
        without 日 or 号 is read only in the calendar's own forms (初三, 十五, 廿八)."""
        cn = "一二三四五六七八九"
        month = f"(?:{_alternation(self.lunar_months)}|(?<![{cn}十])(?:十[一二]|[{cn}十])月)"
        day = f"(?:初[{cn}十]|[二三]?十[{cn}]?|廿[{cn}]?|[{cn}](?=[日号]))[日号]?"
        festival = f"(?:{_alternation(self.festivals)})(?:{_alternation(self.festival_sides)})?"
        eras = _alternation(self.eras)
        era = (f"(?:(?:{eras})(?:元|[{cn}十]{{1,4}}|\\d{{1,2}})|[{self.stems}][{self.branches}])"
               f"年(?:[正{cn}十]{{1,3}}月(?:{day})?)?|(?:{eras})年间")
        return f"(?:农历)?{month}{day}|{festival}|{era}"

    @cached_property
    def event_noun_pattern(self) -> str:
        return _alternation(self.event_nouns)

    @cached_property
    def record_pointer(self) -> re.Pattern[str]:
        """那篇讲话, 这份报告, 该报道: a demonstrative, maybe a counter, a record; not followed by what it says."""
        return re.compile(f"(?:{_alternation(self.demonstratives)})(?:{_alternation(self.record_counters)})?"
                          f"(?:{_alternation(self.records)})(?!{_alternation(self.record_contents)})")

    @cached_property
    def role_pattern(self) -> str:
        return _alternation(self.roles)

    def role_wordings(self, role: str) -> tuple[str, ...]:
        """The posts a text may name `role` by: itself, or, for a word naming no post (负责人), any that heads a
        body (局长, 书记)."""
        return (role, *self.heads) if role in self.head_words else (role,)

    @cached_property
    def manner_noun_pattern(self) -> str:
        return _alternation(self.manner_nouns)

    @cached_property
    def manner_ask_pattern(self) -> str:
        return _alternation(self.manner_asks)

    @cached_property
    def asked_credit_pattern(self) -> re.Pattern[str]:
        """A report's credit a who-question asks for (编辑是谁, 责任编辑为何人): its wording right before the
        question word; elsewhere (摄影工艺是谁发明的) the word is no credit."""
        credits = _alternation(tuple(w for ws in self.credit_labels.values() for w in ws))
        return re.compile(f"({credits})(?:是|为)?(?:{_alternation(self.kind_words['person'])})")

    @cached_property
    def interrogative_pattern(self) -> re.Pattern[str]:
        """An interrogative with the measure word that follows it: 第几, 几个, 多少家, 哪所, 哪一年, 百分之几,
        哪两项 (only the `counting` ones take one: 什么处罚 is 什么 + the noun asked about)."""
        after = f"(?:[所个些位种类家支项](?:区|县|市|省|国)?|一?(?:{self.unit_pattern})|[里儿])?"
        counting = tuple(w for w in self.interrogatives if w in self.counting)
        others = tuple(w for w in self.interrogatives if w not in self.counting)
        # 哪两项, 哪三个: a list of that many asked, its count and measure word part of the question word
        counted = f"(?:{_alternation(self.list_counted)})[两二三四五六七八九十](?=[所个些位种类家支项]){after}"
        return re.compile(f"(?:第|百分之)?(?:{counted}|(?:{_guarded(counting, self.not_asking)})(?:{after})?"
                          f"|{_guarded(others, self.not_asking)})")

    @cached_property
    def titled_name_pattern(self) -> re.Pattern[str]:
        """A name right after a role (市长周明远) followed by a boundary: a speech verb, a follower word or
        punctuation. Group 1 is the name."""
        surname = f"(?:{_alternation(self.compound_surnames)}|[{self.surnames}])"
        after = _alternation(self.speech_verbs + self.name_followers)
        return re.compile(f"(?:{self.role_pattern})\\s*({surname}[\u4e00-\u9fff]{{1,2}}?)"
                          f"(?=[,，。、;；:：\\s(（]|{after}|$)")

    @cached_property
    def named_before_pattern(self) -> re.Pattern[str]:
        """A name right before a speech verb (周明远指出). Group 1 is the name."""
        surname = f"(?:{_alternation(self.compound_surnames)}|[{self.surnames}])"
        verbs = _alternation(self.speech_verbs)
        return re.compile(f"(?<![\u4e00-\u9fff])({surname}[\u4e00-\u9fff]{{1,2}}?)(?:{verbs})")

    @cached_property
    def taking_pattern(self) -> re.Pattern[str]:
        """A name right before a verb of taking or holding a post (周明远当选为, 林海川同志曾担任); group 1."""
        surname = f"(?:{_alternation(self.compound_surnames)}|[{self.surnames}])"
        verbs = _alternation(self.taking_verbs + self.holding_verbs)
        return re.compile(f"(?<![\u4e00-\u9fff])({surname}[\u4e00-\u9fff]{{1,2}}?)(?:同志)?"
                          f"(?:{_alternation(self.taking_adverbs)})?(?:{verbs})")

    @cached_property
    def tier_pattern(self) -> re.Pattern[str]:
        """国家级, 县处级: group 1 the tier; group 2 以上 or 以下 when it follows."""
        return re.compile(f"({_alternation(self.tiers)}){re.escape(self.tier_mark)}(以上|以下)?")

    def tier(self, word: str) -> str:
        """The first wording of the rank `word` names (厅 -> 厅局), or `word` itself."""
        return next((g[0] for g in self.same_tiers if word in g), word)

    @cached_property
    def contrast_pairs(self) -> tuple[tuple[str, str], ...]:
        """Each contrast pair both ways round: (大, 小) and (小, 大)."""
        return self.contrasts + tuple((b, a) for a, b in self.contrasts)

    @cached_property
    def determined_place(self) -> re.Pattern[str]:
        """A determiner before division levels (各市县, 全省, 我市): it picks places out and names none."""
        return re.compile(f"[{''.join(sorted(self.determiners))}]+[{''.join(self.levels)}]+")

    @cached_property
    def measure_words(self) -> tuple[str, ...]:
        """Every measure of every unit family (资金, 财政收入, 面积 …)."""
        return tuple(m for measures, _ in self.measure_units.values() for m in measures)

    @cached_property
    def ordinal_pattern(self) -> re.Pattern[str]:
        """第三轮, 第5批, 第十七届, 首批: group 1 the number or group 2 a word for "first", group 3 the counter."""
        return re.compile(f"(?:第([{self.digits}\\d]+)|({_alternation(self.ordinal_firsts)}))"
                          f"({_alternation(self.ordinal_counters)})")

    def kind_pattern(self, kind: Kind) -> re.Pattern[str]:
        return self._kind_patterns[kind]

    @cached_property
    def date_noun_pattern(self) -> re.Pattern[str]:
        """日期, 时间是: a date asked when no other kind's question word is."""
        return re.compile(_guarded(self.date_nouns, self.not_asking))

    @cached_property
    def _kind_patterns(self) -> dict[Kind, re.Pattern[str]]:
        return _compile_kinds(self)


def _compile_kinds(lex: Lexicon) -> dict[Kind, re.Pattern[str]]:
    person_roles = _alternation(lex.roles + lex.relations)
    suffixes = _alternation(lex.role_suffixes)
    counted = lex.counted_pattern.pattern
    endings = _alternation(lex.measure_endings)
    # 「不良贷款率呢」 asks for the rate's value; 「有什么药用价值」 asks what the value is, not a number
    no_question = f"^(?!.*(?:{lex.interrogative_pattern.pattern}))"

    def words(kind: Kind) -> str:
        return _guarded(lex.kind_words[kind], lex.not_asking)

    return {
        "date": re.compile(words("date")),
        "person": re.compile(f"{words('person')}|(?:{person_roles})(?:{suffixes})"),
        "list": re.compile(f"{words('list')}|{counted}"),
        "number": re.compile(f"{words('number')}|{no_question}.*?(?:{endings})(?:是|为|有|呢)?[?]?$"),
        "place": re.compile(words("place")),
    }


def _t(values) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return tuple(values)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    raw = resources.files("retrieval.data").joinpath("lexicon.toml").read_bytes()
    d = tomllib.loads(raw.decode("utf-8"))
    q = d["question"]
    return Lexicon(
        version=d["version"],
        digest=hashlib.sha1(raw).hexdigest()[:10],
        kind_words={k: _t(q[k]["words"]) for k in KIND_ORDER},
        date_nouns=_t(q["date"]["nouns"]),
        date_bounds=_t(q["date"]["bounds"]),
        date_grains={g: _t(w) for g, w in q["date"]["grains"].items()},
        clock_points=_t(q["date"]["clock"]["points"]),
        clock_suffixes=_t(q["date"]["clock"]["suffixes"]),
        clock_counted_after=_t(q["date"]["clock"]["counted_after"]),
        year_before=_t(q["date"]["year_before"]["words"]),
        role_suffixes=_t(q["person"]["role_suffixes"]),
        native_words=_t(q["place"]["native"]),
        native_marks=_t(q["place"]["native_marks"]),
        native_leads=_t(q["place"]["native_leads"]),
        place_kind_endings={k: _t(v) for k, v in q["place"]["kind_endings"].items()},
        list_counted=_t(q["list"]["counted"]),
        measure_endings=_t(q["number"]["measure_endings"]),
        amount_nouns=_t(q["number"]["amount_nouns"]),
        interrogatives=_t(q["interrogatives"]),
        counting=_t(q["counting"]),
        not_questions=_t(q["not_questions"]),
        few=_t(q["few"]),
        concessives=_t(q["concessives"]),
        determiners=frozenset(q["determiners"]),
        function_words=frozenset(q["function_words"]),
        reporting=_t(q["reporting"]),
        reporting_nouns_before=_t(q["reporting_nouns_before"]),
        reporting_speaker_ends=_t(q["reporting_speaker_ends"]),
        describing=_t(q["describing"]),
        describing_asks=_t(q["describing_asks"]),
        define_words=_t(q["define_words"]),
        about_speech=_t(q["about_speech"]),
        records=_t(q["records"]),
        record_counters=_t(q["record_counters"]),
        record_contents=_t(q["record_contents"]),
        other_deeds=_t(q["other_deeds"]),
        spoken=_t(q["spoken"]),
        writers=_t(q["writers"]),
        event_deeds=_t(q["event_deeds"]),
        outline_frames=_t(d["outline"]["parts"]) + _t(d["outline"]["acts"]),
        roles=_t(d["roles"]["words"]),
        relations=_t(d["roles"]["relations"]),
        deed_roles=_t(d["roles"]["deeds"]),
        verb_roles=_t(d["roles"]["verbs"]),
        role_compounds=_t(d["roles"]["compounds"]),
        holding_verbs=_t(d["roles"]["holding"]),
        taking_verbs=_t(d["roles"]["taking"]),
        taking_adverbs=_t(d["roles"]["taking_adverbs"]),
        credits=_t(d["roles"]["credits"]),
        credit_labels={k: _t(v) for k, v in d["roles"]["credit_labels"].items()},
        head_words=_t(d["roles"]["head_words"]),
        heads=_t(d["roles"]["heads"]),
        common_divisions=_t(d["places"]["common_divisions"]),
        not_in_local_names=_t(d["places"]["not_in_local_names"]),
        street_endings=_t(d["places"]["street_endings"]),
        levels=_t(d["places"]["levels"]),
        speech_verbs=_t(d["roles"]["speech_verbs"]),
        surnames="".join(d["names"]["surnames"].split()),
        compound_surnames=_t(d["names"]["compound_surnames"]),
        name_followers=_t(d["names"]["followers"]),
        digits=d["numbers"]["digits"],
        magnitudes=_t(d["numbers"]["magnitudes"]),
        approx=_t(d["numbers"]["approx"]),
        magnitude_leads=_t(d["numbers"]["magnitude_leads"]),
        units=_t(d["numbers"]["units"]),
        measure_units={k: (_t(v["measures"]), _t(v["units"])) for k, v in d["numbers"]["measure_units"].items()},
        named_only=tuple(k for k, v in d["numbers"]["measure_units"].items() if v.get("named_only")),
        code_words=_t(d["numbers"]["codes"]),
        amount_words=tuple(w for v in d["numbers"]["measure_units"].values() for w in v.get("amounts", ())),
        amount_suffixes={x: _t(v["units"]) for v in d["numbers"]["measure_units"].values()
                         for x in v.get("suffixes", ())},
        counts=_t(d["numbers"]["counts"]),
        rate_endings=_t(d["numbers"]["rates"]["endings"]),
        change_verbs=_t(d["numbers"]["changes"]["verbs"]),
        change_from=_t(d["numbers"]["changes"]["from"]),
        change_to=_t(d["numbers"]["changes"]["to"]),
        change_comparisons=_t(d["numbers"]["changes"]["comparisons"]),
        change_adverbs=_t(d["numbers"]["changes"]["adverbs"]),
        not_rates=_t(d["numbers"]["rates"]["not_rates"]),
        rate_units=_t(d["numbers"]["rates"]["units"]),
        unit_synonyms=tuple(_t(g) for g in d["numbers"]["unit_synonyms"]),
        duration_words=_t(d["numbers"]["duration_words"]),
        size_words=_t(d["numbers"]["size_words"]),
        size_measures=_t(d["numbers"]["size_measures"]),
        score_words=_t(d["numbers"]["score_words"]),
        frequency_intervals=_t(d["numbers"]["frequency_intervals"]),
        frequency_marks=_t(d["numbers"]["frequency_marks"]),
        frequency_leads=_t(d["numbers"]["frequency_leads"]),
        asked_units=dict(d["numbers"]["asked_units"]),
        asked_before=dict(d["numbers"]["asked_before"]),
        time_units=_t(d["numbers"]["time_units"]),
        bare_followers=_t(d["numbers"]["bare_followers"]),
        month_tails=_t(d["numbers"]["month_tails"]),
        counted_time_units=_t(d["numbers"]["counted_time_units"]),
        clock_marks=_t(d["numbers"]["clock_marks"]),
        ordinal_prefixes=_t(d["ordinals"]["prefixes"]),
        ordinal_leads=_t(d["ordinals"]["lead_verbs"]),
        ordinal_suffixes=_t(d["ordinals"]["suffixes"]),
        ordinal_figure_leads=_t(d["ordinals"]["figure_leads"]),
        relative_years=dict(d["periods"]["relative_years"]),
        year_parts=_t(d["periods"]["parts"]),
        same_parts=tuple(_t(g) for g in d["periods"]["same_parts"]),
        year_ends=_t(d["periods"]["year_ends"]),
        whole_year=_t(d["periods"]["whole_year"]),
        part_months={k: (int(v[0]), int(v[1])) for k, v in d["periods"]["part_months"].items()},
        present_words=_t(d["periods"]["present_words"]),
        baseline_before=_t(d["periods"]["baselines"]["before"]),
        baseline_after=_t(d["periods"]["baselines"]["after"]),
        baseline_between=_t(d["periods"]["baselines"]["between"]),
        event_nouns=_t(d["periods"]["event_nouns"]),
        ordinal_counters=_t(d["periods"]["ordinal_counters"]["words"]),
        abbreviations=dict(d["places"]["abbreviations"]),
        not_abbreviations=_t(d["places"]["not_abbreviations"]),
        lunar_months=_t(d["periods"]["calendar"]["lunar_months"]),
        festivals=_t(d["periods"]["calendar"]["festivals"]),
        festival_sides=_t(d["periods"]["calendar"]["festival_sides"]),
        eras=_t(d["periods"]["calendar"]["eras"]),
        stems=d["periods"]["calendar"]["stems"],
        branches=d["periods"]["calendar"]["branches"],
        ordinal_firsts=_t(d["periods"]["ordinal_counters"]["firsts"]),
        number_masks=_t(d["numbers"]["masks"]),
        contrasts=tuple((a, b) for a, b in d["contrasts"]["pairs"]),
        tiers=_t(d["contrasts"]["tiers"]),
        tier_mark=d["contrasts"]["tier_mark"],
        same_tiers=tuple(_t(g) for g in d["contrasts"]["same_tiers"]),
        numbered=d["contrasts"]["numbered"],
        sentence_ends=d["sentences"]["ends"],
        sentence_closers=d["sentences"]["closers"],
        anaphors=_t(d["sentences"]["anaphors"]),
        follow_leads=_t(d["follow_up"]["leads"]),
        subset_leads=_t(d["follow_up"]["subset_leads"]),
        follow_trailing=_t(d["follow_up"]["trailing"]),
        pronouns=_t(d["follow_up"]["pronouns"]),
        person_pronouns=_t(d["follow_up"]["person_pronouns"]),
        demonstratives=_t(d["follow_up"]["demonstratives"]),
        follow_short=int(d["follow_up"]["short"]),
        follow_parallel_chars=int(d["follow_up"]["parallel_chars"]),
        item_counters=_t(d["follow_up"]["item_counters"]),
        first_item=_t(d["follow_up"]["first_item"]),
        last_item=_t(d["follow_up"]["last_item"]),
        item_marks=_t(d["follow_up"]["item_marks"]),
        comparison_joiners=_t(d["comparison"]["joiners"]),
        list_joiners=_t(d["places"]["list_joiners"]),
        comparison_asks=_t(d["comparison"]["asks"]),
        comparison_spreaders=_t(d["comparison"]["spreaders"]),
        comparison_side_ends=_t(d["comparison"]["side_ends"]),
        comparison_side_chars=int(d["comparison"]["side_chars"]),
        synonym_groups=tuple(_t(g) for g in d["synonyms"]["groups"]),
        categories={k: _t(v) for k, v in d["categories"].items()},
        title_categories=_t(d["titles"]["categories"]),
        manner_asks=_t(d["manner"]["asks"]),
        manner_nouns=_t(d["manner"]["nouns"]),
        not_category_names=_t(d["category_names"]["not_names"]),
    )
