"""Answer spans in a sentence: numbers with units, ranks, dates, person names, places, names of a category.

Each finder returns (start, end) spans in the normalised sentence, so the short answer can be cut from the
original-script text at the same offsets.
"""

from __future__ import annotations

import re
from functools import lru_cache

from retrieval.analysis import QuestionAnalysis
from retrieval.gazetteer import find_places
from retrieval.lexicon import lexicon
from retrieval.tokenize import NUMBER, dictionary_word, pos_tagger

Span = tuple[int, int]
_MASKED = re.compile(r"^[xX×ＸXx*＊某]+$")
_N = "一二三四五六七八九十"
_ENUM = re.compile(rf"^(?:[{_N}]是|[{_N}]要|第[{_N}]+[,，、]|其[{_N}]|[(（][{_N}\d]+[)）]|\d+[.、])")
_BARE_YEAR = re.compile(r"(?:19|20)\d{2}年?")
_DATED_YEAR = re.compile(r"\d{3,4}年(?=\d{1,2}月)")
_DETERMINERS = ("同", "每", "另", "任", "某", "这", "那", "哪", "其")  # 同一个, 每一项: no count
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
# A span of time (2016年至2020年, 10月至12月) is a date, not an amount.
_DATE_RANGE = re.compile(r"(?:19|20)\d{2}年|(?<!\d)(?:1[0-2]|0?[1-9])月|(?<!\d)(?:3[01]|[12]\d|0?[1-9])日(?!元)")
# A year in a date: 2023年, 1824年, 396年 (three digits: history), not part of a longer number or a decimal.
_YEAR_NUMBER = r"(?<![\d.])(?:1\d{3}|20\d{2}|[1-9]\d{2})(?!\d)"
_DIVISIONS = ("省", "市", "县", "区", "镇", "乡", "村", "州", "旗")  # 青禾县 tagged as a name is a place


@lru_cache(maxsize=1)
def _patterns() -> dict[str, re.Pattern[str]]:
    lex = lexicon()
    digits, units = lex.digits, lex.unit_pattern
    time = "|".join(sorted((*lex.time_units, *lex.counted_time_units), key=len, reverse=True))
    approx = "|".join(lex.approx)
    leads = "|".join(sorted(lex.magnitude_leads, key=len, reverse=True))
    ordinal_leads = "|".join(sorted(lex.ordinal_leads, key=len, reverse=True))
    return {
        # 三十个, 两千户, 近万家, 百余家, 突破千万元; a magnitude alone, with no approximation or lead beside it, is
        # no figure (千家万户, 万家水库)
        "cn_number": re.compile(rf"(?:(?:{approx})[{digits}]+|(?:{leads})[十百千万亿]+"
                                rf"|(?![百千万亿][^余多])[{digits}]+)(?:{approx})?(?:{units})"),
        "percent": re.compile(rf"百分之[{digits}\d.]+"),
        # 15 个, 1.5 万吨, 10.1 亿美元: a figure set apart from its unit by a space (copied from web pages)
        "spaced": re.compile(rf"(?<![\d.])\d+(?:\.\d+)?(?:\s(?:{approx})?(?:万亿|亿|万)?\s?"
                             rf"|(?:{approx})?(?:万亿|亿|万)?\s)(?:{units})"),
        "range": re.compile(rf"\d+(?:\.\d+)?(?:{units})?\s*(?:至|到|-|~|—)\s*\d+(?:\.\d+)?(?:{units})?"),
        # 2,400平方米, 2,790,060: a figure written with thousands separators is one figure, not 2 and 400平方米
        "grouped": re.compile(rf"(?<![\d.,])\d{{1,3}}(?:,\d{{3}})+(?![\d])(?:\.\d+)?(?:余|多)?"
                              rf"(?:万亿|亿|万)?(?:{units})?"),
        # 居全省第三位, 第3名; and a rank without 第 right after a lead that makes one (位列15名, 排名全省15位)
        "ordinal": re.compile(rf"(?:(?:{ordinal_leads})[^,，。;；]{{0,8}}?)?第[{digits}\d]+"
                              rf"(?:{'|'.join(lex.ordinal_suffixes)})?"
                              rf"|(?:{'|'.join(lex.ordinal_figure_leads)})[^,，。;；\d]{{0,3}}?\d+"
                              rf"(?:{'|'.join(lex.ordinal_suffixes)})"),
        "date": re.compile(rf"(?:{_YEAR_NUMBER}|[一二三四五六七八九〇零]{{4}})\s?年"
                           r"(?:\s?\d{1,2}\s?月(?:\s?\d{1,2}\s?日)?|[正一二三四五六七八九十]{1,3}月(?:初[一二三四五六七八九十])?)?"
                           r"(?:[上中下]旬|初|底|末|春|夏|秋|冬)?|\d{1,2}\s?月\s?\d{1,2}\s?日|\d{1,2}月(?:[上中下]旬|初|底)?|"
                           r"每个?月\s?\d{1,2}\s?[日号]|"  # a day of every month (每月15日)
                           r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|[一二三四]季度|上半年|下半年|年底|年初|月底|"
                           r"(?:公元前|公元)\d+年|\d+(?:世纪|年代)|" + lex.calendar_pattern),
        "role": re.compile(f"(?:{lex.role_pattern})"),
        "fraction": re.compile(rf"(?:{approx})?[{digits}\d]+分之[{digits}\d.]+"),  # 三分之一
        # 八成, 三成左右, 近两成企业: tenths, where 成 ends the figure (not 成为, 八成是) or an approximation opens it
        "tenths": re.compile(rf"(?:{approx})[{_TENTH}]成|[{_TENTH}]成(?=[,，。;；、:：)）的左以多]|$)"),
        # Ⅳ级, iv类, 劣v类: a grade or class in roman numerals (water quality, emergency response levels); not x级,
        # which hides a figure
        "roman": re.compile(r"(?<![a-z])劣?(?:viii|vii|iii|vi|iv|ii|ix|i|v|[ⅰ-ⅻ])(?:类|级|期|型)"),
        # 四十万, 三千五百万: a Chinese figure whose last word is its magnitude, with no unit after it
        "magnitude": re.compile(rf"(?:{approx})?[一二两三四五六七八九十][{digits}]*[万亿](?![{digits}])"),
        # 每季度, 每两年, 每隔一个月, 一年一次: how often
        "frequency": re.compile(rf"(?:{'|'.join(lex.frequency_leads)})(?:[{digits}\d.]+|半)?个?(?:{time})"
                                rf"|(?:[{digits}\d.]+|半)个?(?:{time})(?:{'|'.join(lex.frequency_marks)})"),
        "time_after": re.compile(time),
    }


@lru_cache(maxsize=256)
def _counted(counter: str) -> re.Pattern[str]:
    """A figure followed by a counter the lexicon does not know as a unit (十五路, 3辑, 5000万尾)."""
    lex = lexicon()
    approx = "|".join(lex.approx)
    return re.compile(rf"(?:{approx})?(?:[{lex.digits}]+|\d+(?:\.\d+)?(?:万亿|亿|万|千|百)?)(?:{approx})?"
                      rf"{re.escape(counter)}")


def numbers(norm: str, unit: str = "", counter: str = "", duration: bool = False,
            classifier: bool = False, codes: bool = False, size: bool = False) -> list[Span]:
    """Numbers (years alone are dates, not amounts). With `unit`, those that carry it; when none does, those in
    another word for it (日 for 天, 人 for 位), and for a count (个, 家 …) bare ones standing alone (8.57万;
    not 歼-16 or 18时). A `counter` no unit the lexicon knows (多少路) adds the figures it follows (十五路); when
    it is a `classifier` (多少张床位), only those and bare ones standing alone answer, as for a count. With
    `duration` (多久), only a figure in a unit of time or in none answers (not 两个, 30名 nor 两次), and 一年 and
    一个月 are spans of time, not articles. For a `size` (多长, 多重) a figure counting things is none either. A
    figure right after latin letters (pm10) is part of a name, and answers only with `codes` (a question asking
    for a code: 编号)."""
    lex = lexicon()
    # 第31周 is which week, not how many: a figure after an ordinal prefix is a rank (ordinals() reads those); one
    # written right after latin letters, or after a code of them joined by + or -, or before a dot and letters, is
    # part of a name or code (pm10, g20, iphone15, the mileage mark k2+040, the stock code 600123.sh), and so is one
    # a word for a code leads (股票代码:600123, 编号为3), unless a code is asked
    found = [sp for sp in _numbers(norm, unit, counter, duration) if not norm[:sp[0]].endswith(lex.ordinal_prefixes)
             and (codes or not (_LETTER_BEFORE.match(norm[sp[0] - 1:sp[0]])
                                or _CODE_BEFORE.search(norm, max(0, sp[0] - 12), sp[0])
                                or _CODE_AFTER.match(norm, sp[1])
                                or norm[:sp[0]].rstrip(_CODE_LEAD).endswith(lex.code_words)))
             and not _in_quoted_code(norm, sp)]
    if duration:  # 16时45分 is when, not how long; 两个, 30名 or 两次 counts things or times, no span of time
        found = [sp for sp in found if not _clock(norm, sp) and (unit or _of_time(norm[sp[0]:sp[1]]))]
    if size and not unit:  # 有多长: 1920米 or a bare figure, not 8条
        found = [sp for sp in found if unit_of(norm[sp[0]:sp[1]]) not in lex.counts]
    if classifier and counter and not unit:  # 多少张床位: 300张 or a bare figure standing alone; not 五个 nor 30元
        found = [sp for sp in found if norm[sp[0]:sp[1]].endswith(counter)
                 or (not unit_of(norm[sp[0]:sp[1]]) and _standalone(norm, sp) and not _own_classifier(norm, sp))]
    if not unit:
        return found
    # in the unit, or counted in 个 right before it (4个人 asked 几个人)
    exact = [sp for sp in found if _has_unit(norm[sp[0]:sp[1]], unit)
             or (norm.endswith("个", *sp) and norm.startswith(unit, sp[1]))]
    if exact:
        return exact
    same = next((g for g in lex.unit_synonyms if unit in g), ())
    ok = (*same, *(("",) if unit in lex.counts else ()))
    return [sp for sp in found if (u := unit_of(norm[sp[0]:sp[1]])) in ok and (u or _standalone(norm, sp))]


def scores(norm: str) -> list[Span]:
    """The scores of matches a text gives: two figures joined by a colon or 比 (0:2, 2比1, 三比一, 102:98); not a
    time of day (20:00, 9:30: an hour, a colon and two figures of minutes) nor part of a longer figure."""
    digits = lexicon().digits
    found = re.finditer(rf"(?<![\d.:：])(\d{{1,3}})\s?([:：]|比)\s?(\d{{1,3}})(?![\d.:：])"
                        rf"|(?<![{digits}])[{digits}]{{1,3}}比[{digits}]{{1,3}}(?![{digits}])", norm)
    return [m.span() for m in found
            if not (m.group(2) in (":", "：") and len(m.group(3)) == 2 and int(m.group(1)) <= 24)]


def _of_time(figure: str) -> bool:
    """A figure in a unit of time (3个月, 800多年, 2个工作日) or in none: a span of time, as 多久 asks."""
    lex = lexicon()
    return unit_of(figure) in ("", *lex.time_units) or figure.endswith(lex.counted_time_units)


# A quote that holds only figures and the signs joining them ("386", "4+1", "1·3·6"): the name of a programme or a
# plan (实施"386"工程, 打造"4+1"产业体系), no amount.
_QUOTED_CODE = re.compile(r'"[\d+\-·.、/]+"')


def _in_quoted_code(norm: str, sp: Span) -> bool:
    return any(m.start() < sp[0] and sp[1] < m.end() for m in _QUOTED_CODE.finditer(norm, max(0, sp[0] - 12)))


# A figure joined to letters or by a hyphen or dot (歼-16, iX5, 7·15, G20) is part of a name, not a count.
_JOINED = re.compile(r"[A-Za-z\-·・_/.~]")
_LETTER_BEFORE = re.compile(r"[A-Za-z]")
# A code of letters and figures joined by + or - to the figure after it: the mileage mark k2+040, g15-3
_CODE_BEFORE = re.compile(r"[A-Za-z]\d*(?:\.\d+)?[+\-]$")
# A dot and latin letters right after a figure (600123.sh, 000456.sz, 1234.hk, 2024.pdf): a code with its suffix
_CODE_AFTER = re.compile(r"\.[A-Za-z]")
_CODE_LEAD = ":：为是 "  # what may stand between a word for a code and the code (代码：600123, 编号为3)
_TENTH = "一二两三四五六七八九十"  # the numerals of tenths (八成, 两成)


def _standalone(norm: str, span: Span) -> bool:
    """A bare figure standing alone: not part of a model, a code or a dated name, nor a time of day, nor cut
    short of digits that follow it."""
    before, after = norm[span[0] - 1:span[0]], norm[span[1]:span[1] + 1]
    if after and after in lexicon().clock_marks:
        return False  # 18时, 9时许: a time of day
    return not (before and _JOINED.match(before)) and not (after and (_JOINED.match(after) or after.isdigit()))


def _own_classifier(norm: str, span: Span) -> bool:
    """A bare figure has a classifier of its own the lexicon does not know: a Han character follows it (305班,
    3号楼), other than a word joining it to another figure or bounding it (115和120, 115左右)."""
    rest = norm[span[1]:span[1] + 2]
    return bool(_CJK_RUN.match(rest)) and not rest.startswith(lexicon().bare_followers)


def _clock(norm: str, span: Span) -> bool:
    """A figure of a time of day: the hour (16时, 9点) or the minutes after it (16时45分); not a figure in a unit
    of its own before 时间 (2年时间, 3个月时间)."""
    marks, (start, end) = lexicon().clock_marks, span
    hour = norm[end:end + 1] in marks and not unit_of(norm[start:end])
    return hour or (start >= 2 and norm[start - 1] in marks and norm[start - 2].isdigit())


# A date written all in figures (2024-03-05, 24-03-05 09:12, 2024/3/5, 2024-03): a year with its month, or three
# groups; its parts are no amounts (24-03 is no range, 12 of 09:12 no count). Two groups without a year (10-12) are
# a range, and a year and a month joined by a dot (2023.08) a decimal.
_FIGURE_DATE = re.compile(r"(?<![\d.])(?:(?:19|20)\d{2}[-/](?:0?[1-9]|1[0-2])(?:[-/](?:0?[1-9]|[12]\d|3[01]))?"
                          r"|\d{2,4}([-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01]))(?![\d])")
# A time of day in hours and minutes (09:12): its figures count nothing.
_COLON_CLOCK = re.compile(r"(?<![\d.:：])(?:[01]?\d|2[0-3])[:：][0-5]\d(?![\d:：])")
# A season or fiscal year across two years (2024/25榨季, 2023-24财年, 2024/2025赛季): a year, then the next one.
_SEASON = re.compile(r"(?<![\d.])((?:19|20)\d{2})[-/]((?:19|20)?\d{2})(?![\d])")


def _stamped(norm: str) -> list[Span]:
    """Where `norm` writes a date in figures, a time of day in hours and minutes, or a season across two years."""
    seasons = [m.span() for m in _SEASON.finditer(norm) if (int(m.group(1)) + 1) % 100 == int(m.group(2)) % 100]
    return [m.span() for m in (*_FIGURE_DATE.finditer(norm), *_COLON_CLOCK.finditer(norm))] + seasons


def _numbers(norm: str, unit: str, counter: str, duration: bool) -> list[Span]:
    p = _patterns()
    lex = lexicon()
    extra = [*p["fraction"].finditer(norm), *p["tenths"].finditer(norm), *p["magnitude"].finditer(norm),
             *p["roman"].finditer(norm)]
    if counter:
        extra += _counted(counter).finditer(norm)
    found: list[Span] = []
    stamped = _stamped(norm)
    for m in [*p["grouped"].finditer(norm), *p["spaced"].finditer(norm), *p["range"].finditer(norm),
              *NUMBER.finditer(norm),
              *p["cn_number"].finditer(norm), *p["percent"].finditer(norm), *extra]:
        start, end = m.span()
        if norm.endswith("个", start, end) and (after := p["time_after"].match(norm, end)):
            end = after.end()  # 3个月, 18个小时: the time unit goes with the figure
        run = norm[start:end]
        if any(a < end and start < b for a, b in stamped):
            continue  # a part of 2024-03-05 or of 09:12, no amount
        if _BARE_YEAR.fullmatch(run) or _DATE_RANGE.search(run) or _DATED_YEAR.match(norm, start, end + 3):
            continue  # (1264年8月21日: a year with its month is a date, whatever its century, never an amount)
        if not duration and (run in lex.year_parts or norm[max(start - 1, 0):end] in lex.year_parts):
            continue  # 二季度, 第三季度: a part of the year, no amount (asked how long, 用了一季度 is one)
        if start and (norm[start - 1].isdigit() or norm[start - 1] in lex.digits):
            continue  # the 万尾 of 5000万尾: the tail of a figure found whole, no figure of its own
        article = re.fullmatch(r"一[^零〇一二两三四五六七八九十百千万亿\d]+", run)
        if article and duration and unit_of(run) in lex.time_units:
            article = None  # 多久? 一年
        if article and (not unit or norm[start - 1:start] in _DETERMINERS):
            continue  # 一个/一项 are mostly articles (同一个行政村), not counts that answer 多少
        if not any(a <= start and end <= b for a, b in found):
            found.append((start, end))
    # a figure found again with more of it (300 of 300张 when the counter's figures come later) is that one
    return sorted(sp for sp in found if not any(o != sp and o[0] <= sp[0] and sp[1] <= o[1] for o in found))


def unit_of(run: str) -> str:
    """The unit a figure ends in ("" for a bare one: 8.57万, 2,790,060)."""
    return next((u for u in lexicon().units if run.endswith(u)), "")


def _has_unit(run: str, unit: str) -> bool:
    """The figure is in `unit`: it holds it, and its own unit is no other one the asked unit only stands inside
    (多少个停车位 is not answered by 14个月: a span of months)."""
    own = unit_of(run)
    return (unit in run and (not own or unit in own)) or (unit == "%" and "百分之" in run)


def frequencies(norm: str) -> list[Span]:
    """How often a thing is done: 每季度, 每两年, 每隔一个月, 一年一次."""
    return [m.span() for m in _patterns()["frequency"].finditer(norm)]


def ordinals(norm: str) -> list[Span]:
    return [m.span() for m in _patterns()["ordinal"].finditer(norm)]


def dates(norm: str) -> list[Span]:
    return [m.span() for m in _patterns()["date"].finditer(norm)]


# A time of day: an hour (8点, 十点, 16时) with what follows it (半, 一刻, 45分, 整, 许), or hours and minutes
# (20:00); not a span of hours (3小时) nor a figure running on (16时 of 2016时).
_CLOCK = re.compile(r"(?<![\d.:：])(?:[01]?\d|2[0-4]|[一二两三四五六七八九十]{1,3})\s?[点时]"
                    r"(?:半|[一三]刻|整|\s?[0-5]?\d\s?分|(?:[一二三四五]?十[一二三四五六七八九]?|[一二三四五六七八九])分)?"
                    r"(?:许|左右)?"
                    r"|(?<![\d.:：])(?:[01]?\d|2[0-3])[:：][0-5]\d(?![\d:：])")


def clocks(norm: str) -> list[Span]:
    """The times of day a text names (晚上9点半, 16时45分, 23:00)."""
    return [m.span() for m in _CLOCK.finditer(norm)]


# What names each part of a date: a year by its number (2019年, 一九九八年, 2019-05-08; not 上半年 or 1990年代),
# a month by its number, a day by its number, a time of day by its hour.
_GRAINS = {
    "clock": _CLOCK,
    "year": re.compile(r"[\d一二三四五六七八九十〇零元]\s?年(?!代)|\d{4}[-/.]\d{1,2}"),
    "month": re.compile(r"(?:\d{1,2}|[正一二三四五六七八九十腊冬]{1,3})\s?月|\d{4}[-/.]\d{1,2}"),
    "day": re.compile(r"\d{1,2}\s?[日号]|[一二三四五六七八九十廿]{1,3}[日号]|初[一二三四五六七八九十]"
                      r"|月[一二三四五六七八九十廿]{1,3}$|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"),
}


def _year_before(text: str) -> bool:
    """`text` ends in a word dating what follows to a year the text names (同年, 今年)."""
    lex = lexicon()
    return text.endswith((*lex.year_before, *lex.relative_years))


def of_grain(span: str, grain: str) -> bool:
    """The date `span` names the part asked for (any date when none is; a time of day for 几点)."""
    return not grain or bool(_GRAINS[grain].search(span))


def pos_words(text: str) -> list[tuple[str, str]]:
    """jieba's words of `text` with their part-of-speech flags."""
    return [(word, flag) for word, flag, _ in _tagged(text)]


@lru_cache(maxsize=8192)
def _tagged(norm: str) -> tuple[tuple[str, str, int], ...]:
    out, pos = [], 0
    for w in pos_tagger().cut(norm):  # loaded on first use: commands that answer nothing never pay for it
        out.append((w.word, w.flag, pos))
        pos += len(w.word)
    return tuple(out)


_NOT_GIVEN_NAME = ("v", "p", "u", "c", "d", "m")  # tags of a word after a surname that is no given name


def person_names(norm: str) -> list[Span]:
    """Person names: beside a role or before a speech verb, tagged by jieba (2-4 characters, not masked; a
    surname jieba split from its given name is joined back), and foreign names with a middle dot."""
    lex = lexicon()
    found = set(titled_names(norm))
    tagged = _tagged(norm)
    for i, (word, flag, pos) in enumerate(tagged):
        named = flag == "nr" and not _MASKED.match(word) and not word.endswith(_DIVISIONS)
        if named and 2 <= len(word) <= 4:
            found.add((pos, pos + len(word)))
        # a surname tagged as a name, or right after a role whatever the tagger made of it (局长张 | 约翰: 张 as a
        # measure word): the word after it is its given name
        elif (len(word) == 1 and word in lex.surnames and i + 1 < len(tagged)
              and (named or (i > 0 and tagged[i - 1][0].endswith(lex.roles)))):
            nxt, nflag, _ = tagged[i + 1]
            if 1 <= len(nxt) <= 2 and _CJK_RUN.fullmatch(nxt) and nflag[:1] not in _NOT_GIVEN_NAME:
                found.add((pos, pos + 1 + len(nxt)))
    found |= {m.span() for m in re.finditer(r"[\u4e00-\u9fff]{1,4}[·・][\u4e00-\u9fff]{1,4}", norm)}
    return _outermost(sorted(found))


def titled_names(norm: str) -> list[Span]:
    """Person names standing beside an official role, before a speech verb or before a verb of taking or holding
    a post (周明远当选为副县长; not 成功当选: a word of the dictionary is no name): surely people."""
    lex = lexicon()
    spans_ = {m.span(1) for m in lex.titled_name_pattern.finditer(norm)}
    spans_ |= {m.span(1) for m in lex.named_before_pattern.finditer(norm)}
    taking = [m for m in lex.taking_pattern.finditer(norm) if not dictionary_word(m.group(1))]
    spans_ |= {m.span(1) for m in taking}
    # (张约翰同志曾担任: what follows the name up to its verb, read after the role 同志, is no name)
    words = [(m.end(1), m.end()) for m in taking]
    return sorted(s for s in spans_ if not _MASKED.match(norm[s[0]:s[1]]) and not any(a <= s[0] < b for a, b in words))


def _outermost(found: list[Span]) -> list[Span]:
    """Drop spans inside longer ones (周明 inside 周明远)."""
    return [s for s in found if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in found)]


# A village, town, community or park by its name: no conjunction, particle or preposition inside (任和镇 of
# 「压实责任和镇村联动」 is none).
_PARTICLES = "和与及的了在是为对等各"  # characters no local name nor street name holds
_LOCAL = re.compile(rf"(?:(?![{_PARTICLES}])[\u4e00-\u9fff]){{2,6}}?(?:村|镇|乡|街道|园区|社区)")


def places(norm: str) -> list[Span]:
    """Places the sentence names: known ones, local names (…村, …社区), jieba's place words, and street addresses
    whole (永清路899号; no place word inside one stands alone)."""
    lex = lexicon()
    addresses = [m.span() for m in _address_pattern().finditer(norm)]
    found: list[Span] = []
    pos = 0
    for name in find_places(norm):
        i = norm.find(name, pos)
        if i >= 0:
            found.append((i, i + len(name)))
            pos = i + len(name)
    found += [m.span() for m in _LOCAL.finditer(norm)  # not the 乡 of 同乡村建设: 乡村 is a word of its own
              if norm[m.end() - 1:m.end() + 1] not in lex.common_divisions]
    found += [(pos, pos + len(word)) for word, flag, pos in _tagged(norm) if flag == "ns"]
    # 各市县, 全省, 我市 (a determiner), 镇村 (a common noun): no place named
    found = [sp for sp in found if not any(i <= sp[0] and sp[1] <= j for i, j in addresses)] + addresses
    return sorted(sp for sp in set(found) if not lex.determined_place.fullmatch(norm[sp[0]:sp[1]])
                  and norm[sp[0]:sp[1]] not in lex.common_divisions)


@lru_cache(maxsize=1)
def _address_pattern() -> re.Pattern[str]:
    """A street name (no preposition or particle inside: not 位于永清路) and its number: 永清路899号, 文昌大道12-1号."""
    ends = "|".join(map(re.escape, sorted(lexicon().street_endings, key=len, reverse=True)))
    return re.compile(rf"(?:(?![于{_PARTICLES}])[\u4e00-\u9fff]){{1,8}}?(?:{ends})\d+(?:-\d+)?号")


_TITLE = re.compile(r"《[^《》\n]{1,40}》")


def titles(norm: str) -> list[Span]:
    """Where the 《titles》 a sentence names stand."""
    return [m.span() for m in _TITLE.finditer(norm)]


_QUOTE = re.compile(r'"([^"\n]{1,30})"')


def quoted_names(norm: str, noun: str, question: str) -> list[Span]:
    """Names of the kind of thing asked (开展了什么活动 -> 活动) as government writing gives them: a quoted name
    that ends with the noun ("强县工程" of 什么工程) or stands right before it, or before 的 and it ("春风送岗位"
    活动, "一村一品"的原则): the quote and the noun after it; not a name the question itself quotes or writes (什么是
    "春风行动"事件: it asks about that one)."""
    out: list[Span] = []
    for m in _QUOTE.finditer(norm):
        if m.group(1) in question:
            continue
        if m.group(1).endswith(noun):
            out.append(m.span())
        elif norm.startswith(noun, m.end()) or norm.startswith("的" + noun, m.end()):
            out.append((m.start(), norm.index(noun, m.end()) + len(noun)))
    return out


_NOT_NAMING = ("d", "c", "p", "r")  # tags of the word before an ending that make it a verb (adverb, conjunction …)


def category_names(norm: str, category: str) -> list[Span]:
    """Names of the category asked for (哪所学校 -> …大学, …学院): a run of nouns that ends in one of the
    category's endings; an ending standing alone as a verb after an adverb or a pronoun (就会: will) names none, nor
    does a determiner before the ending (每队, 该校, 本局: each team, that school, this bureau)."""
    lex = lexicon()
    if category in lex.title_categories:  # 哪部作品: a 《book title》
        return titles(norm)
    if category in lex.manner_nouns:  # 以什么样的干劲: 以只争朝夕的紧迫感
        return manners(norm)
    suffixes = lex.categories.get(category, ())
    if not suffixes:
        return []
    tagged = _tagged(norm)
    out: list[Span] = []
    for i, (word, flag, pos) in enumerate(tagged):
        if not word.endswith(suffixes) or word in lex.not_category_names:
            continue
        j = i
        while j > 0 and tagged[j - 1][1][:1] in ("n", "j") and pos - tagged[j - 1][2] < 14:
            j -= 1
        start, end = tagged[j][2], pos + len(word)
        ending = max((x for x in suffixes if word.endswith(x)), key=len)
        if end - start == len(ending) and not flag.startswith("n") and i and tagged[i - 1][1][:1] in _NOT_NAMING:
            continue  # an ending standing alone as a verb, after an adverb or a pronoun (就会, 也会, 他会: will)
        before = norm[start:end - len(ending)] or norm[max(0, start - 1):start]
        if before not in lex.determiners:
            out.append((start, end))
    return out


@lru_cache(maxsize=1)
def _manner() -> re.Pattern[str]:
    """以, what is wanted (up to a clause's end), 的, and one noun or more of the lexicon's `manner`. Not the 以 of
    可以, 所以, 予以, 加以, 难以, 足以 or 得以."""
    return re.compile(rf"(?<![可所予加难足得])以[^,，;；:：。!?！？]{{2,30}}?的(?:{lexicon().manner_noun_pattern})+")


def manners(norm: str) -> list[Span]:
    """The spirit or pace a sentence asks of people (以"马上就办、办就办好"的作风), not one it asks about (以怎样
    的作风: a question)."""
    asks = lexicon().manner_asks
    return [m.span() for m in _manner().finditer(norm) if not any(w in m.group() for w in asks)]


def enumerated(norm: str) -> list[Span]:
    """The clause of a sentence that lists items (法国、尼日利亚、多哥和美国): a run between commas holding at
    least two 、 or two quoted names or two titles (《甲》《乙》和《丙》: titles written back to back need no 、)."""
    out = []
    for m in re.finditer(r"[^,，;；:：。!?！？]+", norm):
        clause = m.group()
        pairs = clause.count("、") == 1 and re.search("[和及与]", clause)
        if _names_many(clause) or pairs:
            out.append(m.span())
    return out


def own_names_blanked(norm: str, quoted: tuple[str, ...]) -> str:
    """The sentence with the question's own quoted names blanked out (offsets kept): 「"四种思想认识误区"和"六种
    类型干部"」 names the list asked for and another; it enumerates nothing."""
    for q in quoted:
        norm = norm.replace(f'"{q}"', " " * (len(q) + 2))
    return norm


def _names_many(text: str) -> bool:
    """Two 、 or more, or two quoted names or titles or more."""
    return text.count("、") >= 2 or text.count('"') >= 4 or text.count("《") >= 2


def is_enumeration(norm: str) -> bool:
    return _names_many(norm) or bool(_ENUM.match(norm))


def enum_marker(norm: str) -> bool:
    return bool(_ENUM.match(norm.lstrip()))


def answer_spans(norm: str, a: QuestionAnalysis) -> list[Span]:
    """Spans of the kind of answer asked for that the question does not already state (the person, place or
    figure a question names is never its answer), nor the previous answer gave."""
    kind = a.answer.kind
    if kind == "number":
        t = a.answer
        found = scores(norm) if t.score else ordinals(norm) if t.ordinal else (
            t.frequency and frequencies(norm)) or numbers(norm, t.unit, t.counter, t.duration, t.classifier, t.code,
                                                         t.size)
    elif kind == "date" and a.answer.grain == "clock":
        found = clocks(norm)
    elif kind == "date":
        found = [sp for sp in dates(norm) if of_grain(norm[sp[0]:sp[1]], a.answer.grain)
                 or (a.answer.grain == "year" and _year_before(norm[:sp[0]]))]
    elif kind == "person":
        found = [sp for sp in person_names(norm) if not _credited(norm, sp, a.norm)]
    elif kind == "place":
        found = [sp for sp in places(norm) if not a.answer.native or _native_mark().match(norm, sp[1])
                 or norm[:sp[0]].rstrip("是为:：").endswith(lexicon().native_leads)]
        if a.answer.category and not a.answer.native:  # 哪个城市: a name ending in 市 no gazetteer knows (岚谷奇市)
            named = {_after_stated(norm, sp, found, a.norm) for sp in category_names(norm, a.answer.category)}
            # a piece of such a name is none of its own (岚谷 and 奇国 of 岚谷奇国)
            found = sorted(named | {sp for sp in found if not any(b <= sp[0] and sp[1] <= e and sp != (b, e)
                                                                  for b, e in named)})
    elif kind == "list":
        found = enumerated(own_names_blanked(norm, a.quoted))
    elif a.answer.category:
        found = category_names(norm, a.answer.category)
    elif a.answer.named:
        found = quoted_names(norm, a.answer.named, a.norm)
    else:
        return []
    # nor what the previous answer gave: a follow-up asks for something new (他捐了多少 after 中了3837万元)
    return [sp for sp in found if not stated(norm[sp[0]:sp[1]], a.norm)
            and not (a.given and norm[sp[0]:sp[1]] in a.given)]


def _after_stated(norm: str, span: Span, places_found: list[Span], question: str) -> Span:
    """A name without the place the question states that opens it (挪威岚谷奇市 asked 在挪威哪个城市: 岚谷奇市)."""
    b, e = span
    for pb, pe in places_found:
        if pb == b and pe < e and stated(norm[pb:pe], question):
            b = pe
    return b, e


@lru_cache(maxsize=1)
def _native_mark() -> re.Pattern[str]:
    """What follows the place a person comes from: a mark (人, 籍) ending its clause, after at most a smaller place
    of a few characters or a bracket (湖州吴兴人, 吴兴(今湖州市吴兴区)人, or 吴兴区)人 from inside it); not 人 going
    on (湖州人都说)."""
    marks = "|".join(map(re.escape, lexicon().native_marks))
    return re.compile(rf"(?:[\u4e00-\u9fff]{{0,3}}|[(（][^()（）]*[)）])[)）]?(?:{marks})(?=[,，。;；、(（]|$)")


def _credited(norm: str, span: Span, question: str) -> bool:
    """A name in a report's credits (「记者 王明 通讯员 李华」), when the question does not ask about that credit."""
    before = norm[:span[0]].rstrip()
    return any(before.endswith(c) and c not in question for c in lexicon().credits)


def stated(span: str, question: str) -> bool:
    """The question names this span already (黑龙江省 in a question naming 黑龙江)."""
    core = span.rstrip("".join(_DIVISIONS)) if len(span) > 2 else span
    return span in question or (len(core) >= 2 and core in question)
