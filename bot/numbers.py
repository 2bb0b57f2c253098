"""Numbers with units in Chinese text, normalised so that a figure can be found again in a passage.

98.99亿元, 989900万元 and 9,899,000,000元 are the same amount; 百分之五十 is 50%; 四十个 is 40个; 二〇二一年 is
2021年. A figure is its value (an exact Decimal, magnitude words 万/亿 multiplied out), its unit and whether it
is approximate (40多个 is not 40个).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

import cn2an

from retrieval.lexicon import lexicon

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUMERAL = f"[{_CN_DIGITS}十百千万亿]+(?:点[{_CN_DIGITS}]+)?"
_ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MAGNITUDE = "[百千]?(?:万亿|亿|万)|千"
# The lexicon's units, longest first, so that 个百分点 is not read as 个 and 平方公里 not as 公里.
_UNITS = sorted(lexicon().units, key=lambda u: (-len(u), u))
_UNIT = "|".join(re.escape(u) for u in _UNITS)
_APPROX = "[多余]"

_FIGURE = re.compile(
    rf"百分之(?P<pct>{_ARABIC}|{_CN_NUMERAL})"
    rf"|(?P<arabic>{_ARABIC})(?P<mag>{_MAGNITUDE})?(?P<a_approx>{_APPROX})?(?P<a_unit>{_UNIT})?"
    rf"|(?P<cn>{_CN_NUMERAL})(?P<c_mag>{_MAGNITUDE})?(?P<c_approx>{_APPROX})?(?P<c_unit>{_UNIT})"
)
_MAGNITUDE_VALUE = {"百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}


class Figure(NamedTuple):
    """One number with its unit, as written (`text`) and normalised (`value`, `unit`, `approx`)."""

    text: str
    value: Decimal
    unit: str
    approx: bool

    @property
    def key(self) -> tuple[Decimal, str, bool]:
        return (self.value.normalize(), self.unit, self.approx)


def extract_figures(text: str) -> list[Figure]:
    """Find the numbers that carry a unit or a magnitude (40个, 50%, 98.99亿元, 2021年, 14亿)."""
    figures = []
    for match in _FIGURE.finditer(_normalise(text)):
        figure = _figure(match)
        if figure is not None:
            figures.append(figure)
    return figures


def numbers_supported(sentence: str, passages: list[str]) -> list[str]:
    """Return the figures of `sentence` (as written) that appear in none of `passages`.

    A figure without a unit (14亿) matches any figure of the same value; otherwise value, unit and
    approximation must all agree.
    """
    known = [f for passage in passages for f in extract_figures(passage)]
    keys = {f.key for f in known}
    values = {f.key[0] for f in known}
    missing = []
    for figure in extract_figures(sentence):
        found = figure.key in keys if figure.unit else figure.key[0] in values
        if not found and figure.text not in missing:
            missing.append(figure.text)
    return missing


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．％", "0123456789.%")


def _normalise(text: str) -> str:
    # Only digits and their marks are folded: a full-width comma stays a comma between clauses.
    return text.translate(_FULL_WIDTH)


def _figure(match: re.Match[str]) -> Figure | None:
    text = match.group(0)
    if match["pct"] is not None:
        value = _parse(match["pct"])
        return Figure(text, value, "%", False) if value is not None else None
    if match["arabic"] is not None:
        if not (match["mag"] or match["a_unit"]):
            return None  # a bare number: no unit to check it by
        value = _parse(match["arabic"])
        if value is None:
            return None
        for char in match["mag"] or "":
            value *= _MAGNITUDE_VALUE[char]
        return Figure(text, value, _unit(match["a_unit"]), bool(match["a_approx"]))
    return _chinese_figure(match)


def _chinese_figure(match: re.Match[str]) -> Figure | None:
    numeral = match["cn"]
    if not re.search(f"[{_CN_DIGITS}十]", numeral):
        return None  # 万人, 百年: a magnitude word alone is not a figure
    # Words such as 统一 or 唯一 put numeral characters before the number: drop them until it parses.
    for start in range(len(numeral)):
        value = _parse(numeral[start:])
        if value is not None:
            break
    else:
        return None
    if numeral[start:] == "一":
        return None  # 一个/一次/一种 read as "a", not as a figure worth checking
    for char in match["c_mag"] or "":
        value *= _MAGNITUDE_VALUE[char]
    text = numeral[start:] + (match["c_mag"] or "") + (match["c_approx"] or "") + match["c_unit"]
    return Figure(text, value, _unit(match["c_unit"]), bool(match["c_approx"]))


def _unit(unit: str | None) -> str:
    return {"百分点": "个百分点", "人民币": "元"}.get(unit or "", unit or "")


def _parse(numeral: str) -> Decimal | None:
    numeral = numeral.replace(",", "").replace("两", "二")
    try:
        return Decimal(numeral)
    except InvalidOperation:
        pass
    if re.fullmatch(f"[{_CN_DIGITS}]{{3,}}", numeral):  # 二〇二一: read digit by digit
        return Decimal("".join(str(_digit(c)) for c in numeral))
    try:
        return Decimal(str(cn2an.cn2an(numeral, "strict")))
    except (ValueError, KeyError, IndexError, InvalidOperation):
        return None


def _digit(char: str) -> int:
    return {"〇": 0, "两": 2}.get(char, "零一二三四五六七八九".find(char))
