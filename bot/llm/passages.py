"""What the model is shown: numbered passages fenced as data, the question, and the chat history."""

from __future__ import annotations

import re

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from bot.models import Citation, Turn
from bot.prompts import Prompts

# A passage must not be able to close the fence it sits in (or open a new one).
_FENCE_TAG = re.compile(r"<\s*(/?)\s*(passages|history)\s*>", re.IGNORECASE)
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_HISTORY_TURNS = 6
_HISTORY_CHARS = 300


def format_passages(citations: list[Citation]) -> str:
    """`[n] 标题｜讲话人｜日期｜地点｜小标题` then the passage text, one block per citation (empty fields left out)."""
    return "\n\n".join(format_passage(n, c) for n, c in enumerate(citations, start=1))


def format_passage(number: int, citation: Citation) -> str:
    fields = [citation.title, citation.speaker, chinese_date(citation.date), citation.place, citation.heading]
    header = "｜".join(_defence(f.strip()) for f in fields if f and f.strip())
    return f"[{number}] {header}".rstrip() + f"\n{_defence(citation.text.strip())}"


def chinese_date(date: str | None) -> str:
    """2021-03-05 -> 2021年3月5日 (so the model and the number check read dates the way speeches write them)."""
    if not date:
        return ""
    match = _ISO_DATE.fullmatch(date.strip())
    if not match:
        return date
    year, month, day = match.groups()
    return f"{year}年" + (f"{int(month)}月" if month else "") + (f"{int(day)}日" if day else "")


def answer_messages(prompts: Prompts, question: str, citations: list[Citation]) -> list[BaseMessage]:
    """The system rules, then the fenced passages and the question."""
    user = prompts.answer.render(question=question.strip(), passages=format_passages(citations))
    return [SystemMessage(prompts.system.render()), HumanMessage(user)]


def retry_messages(prompts: Prompts, first: list[BaseMessage], reply: str, problems: list[str]) -> list[BaseMessage]:
    """The first exchange, the rejected reply, and what was wrong with it."""
    listed = "\n".join(f"- {p}" for p in problems)
    return [*first, AIMessage(reply), HumanMessage(prompts.retry.render(problems=listed))]


def condense_messages(prompts: Prompts, question: str, history: list[Turn]) -> list[BaseMessage]:
    return [HumanMessage(prompts.condense.render(question=question.strip(), history=format_history(history)))]


def format_history(history: list[Turn]) -> str:
    """The last few user and assistant turns, long answers shortened."""
    names = {"user": "用户", "assistant": "助手"}
    lines = []
    for turn in [t for t in history if t.role in names][-_HISTORY_TURNS:]:
        content = " ".join(turn.content.split())
        if len(content) > _HISTORY_CHARS:
            content = content[:_HISTORY_CHARS] + "…"
        lines.append(f"{names[turn.role]}：{_defence(content)}")
    return "\n".join(lines)


def _defence(text: str) -> str:
    return _FENCE_TAG.sub(lambda m: f"＜{m.group(1)}{m.group(2)}＞", text)
