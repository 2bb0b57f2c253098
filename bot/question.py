"""What kind of answer a question wants: a number with its unit, a person, a date, a place, a list, a statement."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from retrieval.textnorm import normalize

Kind = Literal["number", "person", "date", "place", "list", "statement"]

_ROLES = ("书记|市长|省长|区长|县长|镇长|乡长|主任|局长|部长|厅长|处长|主席|总理|总统|首相|校长|院长|董事长|总经理|"
          "作者|导演|编剧|主演|创始人|发明人|设计师|主持人|负责人|领导人|讲话人|发言人|记者|妻子|丈夫|父亲|母亲|儿子|女儿")
_PATTERNS: list[tuple[Kind, re.Pattern[str]]] = [
    ("date", re.compile(r"什么时候|哪天|哪一天|哪年|哪一年|何时|几月|几号|什么时间|哪个月|日期")),
    # 「市长叫什么名字」 asks for a person; 「俗名叫什么」「主题曲叫什么名字」 ask for a name of a thing.
    ("person", re.compile(r"谁|哪位|什么人|哪个人|姓名|(?:" + _ROLES + r")(?:的名字|叫什么|是什么人)")),
    ("list", re.compile(r"哪些|哪几|哪[两二三四五六七八九十]|几个方面|几件事|分别是|有几种|包括什么")),
    ("number", re.compile(r"多少|第几|几[个次天年家项条人批位倍成岁名所座代届期]?|"
                          r"比重|比例|占比|百分之几|多大|多高|多长|多久|"
                          r"增速|增幅|(?:率|额|量|值)(?:是|为|有|达到|降到|升到)?(?:多少)?[?？]?$")),
    ("place", re.compile(r"哪里|哪儿|在哪|哪个(?:村|镇|县|区|市|省|地方)|什么地方|何地")),
]
# 多少个X / 几天 / 多少家: the unit an answer's number should carry.
_UNITS = ("个百分点|个|家|项|条|次|天|年|人次|人|户|批|位|倍|名|所|座|亿元|万元|元|亿|万|平方米|平方公里|亩|吨|公里|"
          "代|届|期|号|辆|台|套|件|岁")
_UNIT = re.compile(rf"(?:多少|几)({_UNITS})")
_COUNT_WORD = re.compile(r"[两二三四五六七八九十]")


@dataclass(frozen=True)
class QuestionType:
    kind: Kind
    unit: str = ""  # the unit a number answer should carry, if the question names one
    count: int = 0  # how many items a list question asks for (哪四件事 -> 4), 0 if unknown


_CONCEPT = re.compile(r'"([一二两三四五六七八九十])([个大项条种]?)[\u4e00-\u9fff]{1,6}"')
_DEFINE = re.compile(r"是什么|指什么|指的是|有哪些|包括|内容|含义|意思")


def classify(question: str) -> QuestionType:
    """Read the answer type off the question words."""
    q = normalize(question)
    concept = _CONCEPT.search(q)
    if concept and _DEFINE.search(q):  # 「三走工作法」指的是什么 -> three items
        return QuestionType("list", count="一两三四五六七八九十".index(concept.group(1).replace("二", "两")) + 1)
    for kind, pattern in _PATTERNS:
        m = pattern.search(q)
        if m:
            return QuestionType(kind, _unit(q) if kind == "number" else "", _count(m.group()) if kind == "list" else 0)
    return QuestionType("statement")


def _unit(q: str) -> str:
    m = _UNIT.search(q)
    return m.group(1) if m else ""


def _count(word: str) -> int:
    m = _COUNT_WORD.search(word)
    return "一两三四五六七八九十".index(m.group()) + 1 if m and m.group() != "二" else (2 if m else 0)


def sub_questions(question: str) -> list[str]:
    """Split 「…有多少个?…要达到多少?」 into its parts, each with its own answer."""
    parts = [p for p in re.split(r"[?？]", question) if p.strip()]
    return parts if len(parts) > 1 else [question]
