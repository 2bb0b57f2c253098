"""What a sentence contains: numbers with units, person names, dates, places, enumerations."""

from __future__ import annotations

import re
from functools import lru_cache

from retrieval.query import find_places
from retrieval.tokenize import NUMBER

_DATE = re.compile(r"\d{3,4}年(?:\d{1,2}月(?:\d{1,2}日)?)?|[一二三四五六七八九十元]+年|\d{1,2}月\d{1,2}日|"
                   r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|"
                   r"[一二三四]季度|上半年|下半年|年底|年初|月底")
_CN_NUMBER = re.compile(r"第?[一二三四五六七八九十百千万两]+"
                        r"(?:个|项|件|条|次|家|批|大|种|类|代|届|期|位|名|号|轮|年|倍|"
                        r"层|部|本|章|集|季|场|座|栋|艘|架|颗|只|头|首|枚|所|支|队|区|县|州|省|国)")
_MASKED = re.compile(r"^[xX×ＸXx*＊]+$")
_N = "一二三四五六七八九十"
_ENUM = re.compile(rf"^(?:[{_N}]是|[{_N}]要|第[{_N}]+[,，、]|其[{_N}]|"
                   r"[(（][一二三四五六七八九十\d]+[)）]|\d+[.、])")


@lru_cache(maxsize=1)
def _pseg():  # type: ignore[no-untyped-def]
    """jieba's part-of-speech tagger, loaded on first use: questions that need no names never pay its second."""
    import jieba
    import jieba.posseg

    jieba.setLogLevel(60)
    return jieba.posseg


def has_number(norm: str, exclude: set[str], unit: str = "") -> bool:
    """A number the question itself does not state; with `unit`, one carrying that unit."""
    for m in NUMBER.finditer(norm):
        run = m.group()
        if run in exclude or re.fullmatch(r"(?:19|20)\d{2}年?", run):
            continue
        if not unit or run.endswith(unit):
            return True
    # 「一个」「一项」 are mostly articles (同一个行政村), not counts that answer 多少.
    return any((not unit or m.endswith(unit)) and not m.startswith("一") for m in _CN_NUMBER.findall(norm))


_TITLE = ("书记|副书记|市长|副市长|省长|副省长|区长|县长|镇长|乡长|主任|局长|部长|厅长|处长|委员|主席|总理|"
          "总书记|同志|记者|通讯员|董事长|总经理|代表|专员|成员|讲话|指出|强调|表示")
_NAME_LINE = re.compile(r"^\s*[\u4e00-\u9fff]{2,3}\s*$")


@lru_cache(maxsize=4096)
def person_names(norm: str) -> tuple[str, ...]:
    """Person names that stand as names: beside an official title or a speech verb, or alone on a line."""
    if _NAME_LINE.match(norm) and any(w.flag == "nr" for w in _pseg().cut(norm.strip())):
        return (norm.strip(),)
    names = []
    for w in _pseg().cut(norm):
        if w.flag != "nr" or not 2 <= len(w.word) <= 4 or _MASKED.match(w.word):
            continue
        if re.search(rf"(?:{_TITLE}){re.escape(w.word)}|{re.escape(w.word)}(?:{_TITLE})", norm):
            names.append(w.word)
    return tuple(names)


def has_date(norm: str) -> bool:
    return bool(_DATE.search(norm))


def has_place(norm: str) -> bool:
    """Chinese divisions from the gazetteer, X村/X镇-style names, or any place name jieba tags (foreign ones too)."""
    if find_places(norm) or re.search(r"[\u4e00-\u9fff]{2,}(?:村|镇|乡|县|区|市|州|省|街道|园区)", norm):
        return True
    return any(w.flag == "ns" for w in _pseg().cut(norm))


def is_enumeration(norm: str) -> bool:
    return norm.count("、") >= 2 or norm.count('"') >= 4 or bool(_ENUM.match(norm))


def enum_marker(norm: str) -> bool:
    return bool(_ENUM.match(norm.lstrip()))


@lru_cache(maxsize=4096)
def any_names(norm: str) -> tuple[str, ...]:
    """Every person-like name jieba sees (weaker than person_names), foreign names with a middle dot too."""
    tagged = _pseg().cut(norm)
    found = [w.word for w in tagged if w.flag == "nr" and 2 <= len(w.word) <= 4 and not _MASKED.match(w.word)]
    return tuple(found + re.findall(r"[\u4e00-\u9fff]+·[\u4e00-\u9fff]+", norm))
