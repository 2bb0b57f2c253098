"""A follow-up pointing at one item of the list the previous reply gave (其中第三项…, 后者…): the item written in
its place, so that the question stands on its own.

「青禾县今年的两项民生工程是什么?」 answered 「一是改造城西老旧小区;二是在白沙镇新建一所养老院」, then 「其中第二
项,能提供多少张床位?」 asks about the 养老院: the ordinal alone names nothing a search could find.
"""

from __future__ import annotations

import re
from functools import lru_cache

from retrieval.lexicon import lexicon
from retrieval.textnorm import normalize

_NOUN_CHARS = 4  # characters of a noun after the counter (第一条路径) that the item itself may end in
_CITATION = re.compile(r"\[\d+\]")
_NUMBERED = "[一二三四五六七八九十]"
_AFTER_POINTER = ",，;；:：?？的是"  # what may follow an ordinal standing for an item


def reply_items(reply: str) -> list[str]:
    """The items the reply's first line lists, in order: numbered (一是…;二是…, 一个是…另一个是…), else split at 、
    and ；, the last one at its final joiner (甲、乙和丙). Fewer than two: the reply lists nothing."""
    line = _CITATION.sub("", normalize(reply.strip().split("\n", 1)[0])).strip(" 。.")
    numbered = [x for x in _marks().split(line)[1:] if x.strip(" ,，;；:：。")]
    if len(numbered) >= 2:
        return [x.strip(" ,，;；:：。") for x in numbered]
    body = re.split(r"[:：]", line, maxsplit=1)[-1]
    items = [x for x in re.split(r"[、;；]", body) if x.strip()]
    if not items:
        return []
    joiners = sorted(lexicon().list_joiners, key=len, reverse=True)
    last = re.split(f"(?:{'|'.join(map(re.escape, joiners))})", items[-1])
    if len(last) >= 2 and all(x.strip() for x in last):
        items = [*items[:-1], "".join(last[:-1]) if len(last) > 2 else last[0], last[-1]]
    items = [x.strip(" ,，。") for x in items]
    return items if len(items) >= 2 else []


def with_item(question: str, reply: str) -> str:
    """`question` with the item of `reply`'s list it points at written in place of the pointer (其中第二项 ->
    在白沙镇新建一所养老院; 第一条路径 -> "一村一品"的产业路径); the question as it was when it points at none,
    or at one the reply does not list."""
    norm = normalize(question)
    m = _pointer().match(norm)
    if m is None:
        return question
    items = reply_items(reply)
    if not items:
        return question
    if m.group("number"):
        from retrieval.analysis import numeral_value  # (the analysis imports this module)

        index = (numeral_value(m.group("number")) or 0) - 1
    else:
        index = 0 if m.group("which") in lexicon().first_item else len(items) - 1
    if not 0 <= index < len(items):
        return question
    item, rest = items[index], norm[m.end():]
    # the noun after the counter the item itself ends in (第一条路径 of 「…的产业路径」) is part of the pointer
    noun = next((k for k in range(min(_NOUN_CHARS, len(rest)), 0, -1) if item.endswith(rest[:k])), 0)
    # 第一个开工的项目 asks which came first, pointing at nothing: an ordinal without a lead (其中) points only when
    # its clause ends there, 的 or 是 follows, or the item's own noun does
    if not (m.group("lead") or m.group("which") or noun or rest[:1] in _AFTER_POINTER):
        return question
    return m.group("lead") + item + rest[noun:]


@lru_cache(maxsize=1)
def _pointer() -> re.Pattern[str]:
    lex = lexicon()
    leads = "|".join(map(re.escape, sorted(lex.follow_leads, key=len, reverse=True)))
    counters = "|".join(map(re.escape, sorted(lex.item_counters, key=len, reverse=True)))
    which = "|".join(map(re.escape, sorted((*lex.first_item, *lex.last_item), key=len, reverse=True)))
    return re.compile(rf"(?P<lead>(?:{leads})?)(?:第(?P<number>{_NUMBERED}|\d)(?:{counters})|(?P<which>{which}))")


@lru_cache(maxsize=1)
def _marks() -> re.Pattern[str]:
    """Where a numbered item opens: 一是, 二是, 一个是, 另一个是, 其一 … at the line's start or after a mark."""
    words = "|".join(map(re.escape, sorted(lexicon().item_marks, key=len, reverse=True)))
    return re.compile(rf"(?:^|(?<=[,，;；:：。]))(?:{_NUMBERED}是|{words})[,，:：]?")
