"""What a document says about itself: title, speaker, date, places, source, author.

Everything here is a heuristic over the page layout of scraped speeches; metadata given with the input
(.jsonl fields) always wins, field by field.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import PurePath

from ingest.bylines import Byline, find_byline
from ingest.clean import original_title
from retrieval.gazetteer import find_places, place_key, place_level, place_name
from retrieval.lexicon import lexicon
from retrieval.models import DocumentMeta
from retrieval.tokenize import pos_tagger

_SENTENCE_END = "。!?！？;；"
_DATE = r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
_DATE_RE = re.compile(_DATE)
_SPEECH_DATE_LINE = re.compile(r"^[(（]?\s*" + _DATE + r"\s*[)）]?$")
# A work report's dateline: 「——2025年1月15日在澜江市第十七届人民代表大会第四次会议上」.
_DASH_DATE_LINE = re.compile(r"^[—-]{1,2}\s*" + _DATE + r"\s*在")
# Outline markers (一、 (一) 1.) open sections, never the title.
_OUTLINE_MARK = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十]+[)）]"
                           r"|\d{1,2}\s*[、.．](?!\d))")
_LABELLED_DATE = re.compile(r"(发布时间|發布時間|發佈時間|发布日期|發布日期|时间|時間|日期)\s*[:：]\s*" + _DATE)
_STAMP_DATE = re.compile(r"^" + _DATE + r"\s*\d{1,2}:\d{2}")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_NAME = r"([\u4e00-\u9fff]{2,4}?)"
_COLON_SPEAKER = re.compile(r"^" + _NAME + r"[:：]")
_TITLE_SPEAKER = re.compile(
    r"^" + _NAME + r"(?:同志)?在.{2,60}(?:会|会议|大会|典礼|仪式|活动|论坛)上的(?:讲话|发言|致辞|报告)"
)
_ROLES = r"(?:书记|副书记|市长|副市长|省长|副省长|区长|县长|州长|旗长|主任|主席|部长|局长|厅长|镇长|乡长)"
# A byline under the title: 「县委书记 林海川」「市长 周明远」.
_ROLE_NAME_LINE = re.compile(r"^[\u4e00-\u9fff]{0,10}?" + _ROLES + r"\s*" + _NAME + r"(?:同志)?$")
_ROLE_SPEAKER = re.compile(
    r"(?:书记|副书记|市长|省长|区长|县长|州长|旗长|主任|主席|部长|局长|厅长|镇长|乡长)"
    + _NAME
    + r"(?:同志)?(?:在|出席|主持|作|发表)"
)
_MASKED = re.compile(r"[XxＸ×*＊某]")
_SOURCE = re.compile(r"(来源|來源|稿源)\s*[:：]\s*([^\s|丨]{2,30})")
_SITE_LIKE = re.compile(r"(网|網|报|報|社|台|站|刊|政府|新闻|新聞|日报|日報|\.com|\.cn|\.org|\.net)$")
_HEAD_LINES = 12


def extract_metadata(raw: str, text: str, path: str, given: dict[str, str] | None = None) -> DocumentMeta:
    """Read a document's metadata from its raw and cleaned text.

    Args:
        raw: the decoded input, noise included (bylines and channel labels carry metadata).
        text: the cleaned display text.
        path: where the document came from; its stem is the title of last resort.
        given: metadata supplied with the input (.jsonl); each present field overrides the extracted one.

    Returns:
        The document's metadata; place names are simplified Chinese.
    """
    given = given or {}
    head = _head(text)
    found_title = original_title(raw) or _title(head, raw)  # a repost names its original headline first
    title = given.get("title") or found_title or (_lead(text) if _is_record(path) else _stem(path))
    speaker = given.get("speaker") or _speaker(found_title, head) or _speaker_in_body(text)
    when = parse_date(given["date"]) if given.get("date") else _date(raw, head, title)
    places = _places(text)
    place = given.get("place") or _primary_place(raw, title, places)
    year = when.year if when else _year(given.get("date", "")) or _year(title)
    lines = raw.splitlines()[: _HEAD_LINES * 2]  # where a source line, a 作者 line or a news byline stands
    bylines = [] if given.get("source") and given.get("author") else _bylines(lines)
    source = given.get("source") or _source(lines, bylines)
    author = given.get("author") or _author(lines, bylines)
    return DocumentMeta(title=title, speaker=speaker, date=when, place=place, places=places, source=source,
                        author=author, credits=_credits(raw, bylines), year=year)


def parse_date(value: str) -> date | None:
    """Parse ``2021-06-20``, ``2021/6/20``, ``2021.6.20`` or ``2021年6月20日``; None if there is no valid date."""
    found = _DATE_RE.search(_t2s(value))
    return _make_date(*found.groups()) if found else None


def _make_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _year(value: str) -> int | None:
    found = _YEAR.search(value)
    return int(found.group(0)) if found else None


_LEAD_CHARS = 40


def _is_record(path: str) -> bool:
    """A line of a .jsonl file (`news.jsonl:12`): its file's name says nothing about it."""
    return bool(re.search(r":\d+$", path))


def _lead(text: str) -> str:
    """An untitled record's title: its first sentence (a news lead names who, where and what), cut short."""
    first = re.split(r"[。！？!?\n]", text.strip(), maxsplit=1)[0].strip()
    return first[:_LEAD_CHARS]


def _stem(path: str) -> str:
    return PurePath(path.rsplit(":", 1)[0] if re.search(r":\d+$", path) else path).stem


def _head(text: str) -> list[str]:
    """The lines before the body starts: title, speaker, date."""
    head: list[str] = []
    for line in text.splitlines()[:_HEAD_LINES]:
        if _is_body(line):
            break
        head.append(line.strip())
    return head


def _is_body(line: str) -> bool:
    line = line.strip()
    return (len(line) > 60 or line.endswith(tuple(_SENTENCE_END)) or line.startswith("【编者按】")
            or line.startswith("【編者按】") or bool(re.match(r"^同志[们們][:：,，]?$", line)))  # fmt: skip


def _is_title_like(line: str) -> bool:
    if len(line) < 4 or _SPEECH_DATE_LINE.match(line) or line.startswith(("—", "-")) or _OUTLINE_MARK.match(line):
        return False
    if _ROLE_NAME_LINE.match(_t2s(line)):
        return False
    return not (len(line) <= 4 and _is_person(line))


def _title(head: list[str], raw: str) -> str:
    candidates = [line for line in head if _is_title_like(line)]
    if not candidates:
        return ""
    squashed = re.sub(r"\s", "", raw)
    repeated = [c for c in candidates if squashed.count(re.sub(r"\s", "", c)) > 1]
    # A kicker line may sit above the headline; the headline is the repeated one or the one nearest the byline.
    return repeated[0] if repeated else candidates[-1]


def _speaker(title: str, head: list[str]) -> str:
    simple_title = _t2s(title)
    for pattern in (_COLON_SPEAKER, _TITLE_SPEAKER):
        found = pattern.match(simple_title)
        if found and _is_person(found.group(1)):
            return _original(title, found.start(1), found.end(1))
    for line in head:
        if 2 <= len(line) <= 4 and line != title and _is_person(line):
            return line
        byline = _ROLE_NAME_LINE.match(_t2s(line))
        if byline and line != title and _is_person(byline.group(1)):
            return _original(line, byline.start(1), byline.end(1))
    return ""


def _original(original: str, start: int, end: int) -> str:
    # t2s keeps character positions for names, so the original-script span is the same slice.
    return original[start:end]


def _is_person(name: str) -> bool:
    name = _t2s(name)
    if _MASKED.search(name) or not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", name):
        return False
    words = _posseg(name)
    return bool(words) and words[0][1].startswith("nr") and len(words) <= 2


def _speaker_in_body(text: str) -> str:
    for line in text.splitlines()[:6]:
        for found in _ROLE_SPEAKER.finditer(_t2s(line)):
            if _is_person(found.group(1)):
                return line[found.start(1) : found.end(1)]
    return ""


def _date(raw: str, head: list[str], title: str) -> date | None:
    for line in head:
        found = _SPEECH_DATE_LINE.match(line) or _DASH_DATE_LINE.match(line)
        if found and (when := _make_date(*found.groups())):
            return when  # the speech date printed under the title beats any page time
    if (found := _DATE_RE.search(_t2s(title))) and (when := _make_date(*found.groups())):
        return when
    for line in raw.splitlines()[: _HEAD_LINES * 2]:
        line = _t2s(re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", "", line.strip()))
        found = _LABELLED_DATE.search(line)
        groups = found.groups()[1:] if found else None
        if not groups and (stamp := _STAMP_DATE.match(line)):
            groups = stamp.groups()
        if groups and (when := _make_date(*groups)):
            return when
    return None


def _places(text: str) -> list[str]:
    counts: Counter[str] = Counter()
    display: dict[str, str] = {}
    for name in find_places(text):
        key = place_key(name)
        # Full official names are rarely false hits; short forms sometimes are.
        counts[key] += 2 if name != key else 1
        display.setdefault(key, _display(name))
    # A place named once in passing (「在上海、杭州、广州等地设立联络处」) is not a place the text is about.
    return [display[key] for key, n in counts.most_common() if n >= 2]


def _display(name: str) -> str:
    """Cities and provinces by their common short name (温州); counties by their full name (西峰区)."""
    return (place_name(name) or name) if place_level(name) == "county" else place_key(name)


def _primary_place(raw: str, title: str, places: list[str]) -> str:
    # Channel labels and crumbs above the title name the site's local channel (金华 > 经济); body lines do not count.
    head = [title, *(line for line in raw.splitlines()[:_HEAD_LINES] if line.strip() and not _is_body(line))]
    for line in head:
        for name in find_places(line):
            if place_level(name) in ("city", "county"):
                return _display(name)
    known = next((p for p in places if place_level(p) in ("city", "county")), "")
    return known or _named_in_title(title)


# The place may follow the speaker (「程望舒在澜江市2025年…」) and precede 召开 in a news title (「青梧县召开…」).
_TITLE_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{2,4}?(?:同志)?(?=在))?在?([\u4e00-\u9fff]{2,4}?[市县区州旗镇乡])"
                          r"(?:委|政府|人民政府|[\u4e00-\u9fff]{0,2}(?:19|20)\d{2}|全|第|党|经济|工作|乡村|召开)")


def _named_in_title(title: str) -> str:
    """A place the gazetteer does not know, named where speech titles name it: 「在青禾县2024年经济工作会议上…」."""
    found = _TITLE_PLACE.match(_t2s(title))
    return found.group(1) if found else ""


def _bylines(lines: list[str]) -> list[Byline]:
    """The news bylines opening any of a document's first lines (read once for its source and its author)."""
    return [b for line in lines if (b := find_byline(line.strip())) is not None]


def _source(lines: list[str], bylines: list[Byline]) -> str:
    for line in lines:
        found = _SOURCE.search(_t2s(line))
        if found and _SITE_LIKE.search(found.group(2)):
            return found.group(2)
    # No 来源 line: the agency of the news byline that cleaning cut (「新华社北京3月5日电（记者…）」).
    return _t2s(bylines[0].source) if bylines else ""


# 「作者:周明遠 林海川 | 來源:青禾日報」: names of two to four characters, spaced or listed with 、.
_AUTHOR_LINE = re.compile(r"(?:作者|撰稿|撰文)\s*[:：]\s*"
                          r"((?:[\u4e00-\u9fff·]{2,4}(?:[ \t\u3000、，,]+|(?=[|丨\s]|$))){1,4})")
# A byline's credit: the names after 记者, up to 通讯员, 实习生, 摄 or its end.
_REPORTER = re.compile(r"(?:记者|記者)\s*((?:[\u4e00-\u9fff·]{2,4}[ \t\u3000、，,]*){1,4}?)"
                       r"(?=通讯员|通訊員|实习生|實習生|摄|攝|报道|報道|$)")


def _author(lines: list[str], bylines: list[Byline]) -> str:
    """Who wrote the document: the names of a 作者 line among its first lines, else the reporters its byline
    credits; "" when neither is there."""
    for line in lines:
        found = _AUTHOR_LINE.search(line)
        if found:
            return _names(found.group(1))
    return next((_names(found.group(1)) for b in bylines if (found := _REPORTER.search(b.credit))), "")


_CREDIT_LINE_CHARS = 100  # a labelled line (编辑：王明, 作者:… | 来源:…) is short; longer lines are article text


def _credits(raw: str, bylines: list[Byline]) -> dict[str, str]:
    """Whom the page credits, by label (the lexicon's credit_labels): the byline's credit (记者 周明远 通讯员 林海川)
    and short labelled lines anywhere in the page (编辑：王明 at its foot, 作者:… | 来源:… under its title). The
    first naming of a label counts."""
    found: dict[str, str] = {}
    labelled, run, label_of = _credit_patterns()
    texts = [(run, _t2s(b.credit)) for b in bylines]
    texts += [(labelled, _t2s(line)) for line in raw.splitlines()
              if len(line) <= _CREDIT_LINE_CHARS and (":" in line or "：" in line)]
    for pattern, text in texts:
        for m in pattern.finditer(text):
            names = _names(m.group(2))
            if names:
                found.setdefault(label_of[m.group(1)], names)
    return found


@functools.cache
def _credit_patterns() -> tuple[re.Pattern[str], re.Pattern[str], dict[str, str]]:
    """(a labelled line's credits, a byline credit's runs, the label each wording writes)."""
    label_of = {w: label for label, words in lexicon().credit_labels.items() for w in words}
    wordings = "|".join(map(re.escape, sorted(label_of, key=len, reverse=True)))
    stop = rf"(?:[ \t\u3000、，,]+|(?=[|丨/)）】\]]|$|(?:{wordings})))"  # what ends a name
    name = rf"(?!(?:{wordings}))[\u4e00-\u9fff·]{{2,4}}{stop}"
    labelled = re.compile(rf"(?:^|(?<=[\s|丨/(（【\[，,]))({wordings})\s*[:：]\s*((?:{name}){{1,4}})")
    run = re.compile(rf"({wordings})\s*[:：]?\s*((?:{name}){{1,4}})")
    return labelled, run, label_of


def _names(run: str) -> str:
    return "、".join(_t2s(n) for n in re.split(r"[ \t\u3000、，,]+", run.strip()) if n)


@functools.cache
def _t2s_converter() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("t2s").convert


def _t2s(text: str) -> str:
    return _t2s_converter()(text) if text else text


@functools.cache
def _posseg(text: str) -> list[tuple[str, str]]:
    return [(w.word, w.flag) for w in pos_tagger().cut(text)]
