"""The citation footer (来源): speech title, date and the quoted sentence, in each platform's text format."""

from __future__ import annotations

import re
from typing import Literal

from bot.models import Answer, Citation

FooterStyle = Literal["plain", "markdown", "slack"]

_SENTENCE_END = re.compile(r"[。！？!?；]")
QUOTE_LIMIT = 80


def quote_sentence(text: str, limit: int = QUOTE_LIMIT) -> str:
    """The first sentence of a passage, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    match = _SENTENCE_END.search(text)
    sentence = text[: match.end()] if match else text
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"


def _label(citation: Citation) -> str:
    title = f"《{citation.title}》" if citation.title else citation.doc_id
    return f"{title}（{citation.date}）" if citation.date else title


def _line(citation: Citation, style: FooterStyle) -> str:
    quoted = quote_sentence(citation.text)
    if style == "markdown":
        return f"[{citation.id}] **{_label(citation)}**\n> {quoted}"
    if style == "slack":
        return f"[{citation.id}] *{_label(citation)}*\n> {quoted}"
    return f"[{citation.id}] {_label(citation)} “{quoted}”"


def render_footer(citations: list[Citation], style: FooterStyle = "plain") -> str:
    """The 来源 block for `citations`, or an empty string when there are none."""
    if not citations:
        return ""
    heading = {"plain": "来源：", "markdown": "**来源**", "slack": "*来源*"}[style]
    separator = "\n\n" if style != "plain" else "\n"
    return heading + separator + separator.join(_line(c, style) for c in citations)


def render_answer(answer: Answer, style: FooterStyle = "plain") -> str:
    """The answer text followed by its footer."""
    footer = render_footer(answer.citations, style)
    return f"{answer.answer}\n\n{footer}" if footer else answer.answer
