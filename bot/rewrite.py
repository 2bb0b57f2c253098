"""Rule-based follow-up rewriting: 「那今年要还多少贷款本息?」 after a question about 西峰区的债务 becomes
「西峰区今年要还多少贷款本息?」 — the earlier question's place, subject and time carry over when the new one lacks them.
"""

from __future__ import annotations

import re

from bot.models import Turn
from bot.question import classify
from retrieval.query import find_places
from retrieval.textnorm import normalize

_LEAD = re.compile(r"^(?:那么|那|还有|另外|再问一下|再问|以及|和|跟|同时)[,，、\s]*")
_TRAIL = re.compile(r"(?:呢|呀|啊|吧)?([?？]?)\s*$")
_TIME = re.compile(r"(?:(?:19|20)\d{2}年|今年|去年|明年|前年|[一二三四]季度|上半年|下半年|"
                   r"[一二三四五六七八九十\d]+月份?)")
_ASKS = re.compile(r"多少|几|什么|谁|哪|怎么|如何|吗|是否|为什么|何")


def is_follow_up(question: str) -> bool:
    q = normalize(question).strip()
    return bool(_LEAD.match(q)) or q.rstrip("?？ ").endswith("呢") or len(q) <= 8


def rewrite(question: str, history: list[Turn]) -> str:
    """A standalone question; unchanged when there is no earlier user turn or it already stands alone."""
    previous = [t.content for t in history if t.role == "user" and t.content.strip()]
    if not previous or not is_follow_up(question):
        return question
    last = previous[-1]
    body = _TRAIL.sub("", _LEAD.sub("", question.strip()))
    prefix = ""
    if not find_places(normalize(body)):
        places = find_places(normalize(last))
        prefix += places[0] if places else ""
    if not _TIME.search(body):
        m = _TIME.search(last)
        prefix += m.group() if m else ""
    if not _ASKS.search(body):
        body += _question_tail(last)
    return f"{prefix}{body}?"


def _question_tail(previous: str) -> str:
    kind = classify(previous).kind
    return {"number": "是多少", "person": "是谁", "date": "是什么时候", "place": "在哪里", "list": "有哪些"}.get(
        kind, "是什么")
