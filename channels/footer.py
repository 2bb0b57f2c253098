"""The citation footer (来源): the passages an answer cites, each with the sentence it quotes, per platform format.

Only cited passages are listed, each with the sentence the answer actually took from it (the answer's `quotes`,
or the sentence before its [n]). A refusal cites nothing: its footer lists the closest passages instead.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.models import Answer, Citation
from bot.quoting import cited_sentences, first_words

FooterStyle = Literal["plain", "markdown", "slack"]

_SENTENCE_END = re.compile(r"[。！？!?；]")
QUOTE_LIMIT = 80
_HEADINGS = {
    "plain": ("来源：", "最接近的段落："),
    "markdown": ("**来源**", "**最接近的段落**"),
    "slack": ("*来源*", "*最接近的段落*"),
}


def quote_sentence(text: str, limit: int = QUOTE_LIMIT) -> str:
    """The first sentence of a passage, cut to `limit` characters with an ellipsis."""
    text = " ".join(text.split())
    match = _SENTENCE_END.search(text)
    return first_words(text[: match.end()] if match else text, limit)


def _label(citation: Citation) -> str:
    title = f"《{citation.title}》" if citation.title else citation.doc_id
    return f"{title}（{citation.date}）" if citation.date else title


def _line(citation: Citation, quoted: str, style: FooterStyle) -> str:
    if style == "markdown":
        return f"[{citation.id}] **{_label(citation)}**\n> {quoted}"
    if style == "slack":
        return f"[{citation.id}] *{_label(citation)}*\n> {quoted}"
    return f"[{citation.id}] {_label(citation)} “{quoted}”"


def _entries(answer: Answer) -> tuple[bool, list[tuple[Citation, str]]]:
    """(cited?, [(passage, sentence shown)]): the cited passages with their quoted sentences, else the closest."""
    by_id = {c.id: c for c in answer.citations}
    quoted = {n: s for n, s in cited_sentences(answer).items() if n in by_id}
    if answer.found and quoted:
        return True, [(by_id[n], first_words("……".join(s), QUOTE_LIMIT) or quote_sentence(by_id[n].text))
                      for n, s in quoted.items()]
    return answer.found, [(c, quote_sentence(c.text)) for c in answer.citations]


def render_footer(answer: Answer, style: FooterStyle = "plain") -> str:
    """The 来源 block of `answer`, or an empty string when it has no passages."""
    cited, entries = _entries(answer)
    if not entries:
        return ""
    heading = _HEADINGS[style][0 if cited else 1]
    separator = "\n\n" if style != "plain" else "\n"
    return heading + separator + separator.join(_line(c, q, style) for c, q in entries)


def render_answer(answer: Answer, style: FooterStyle = "plain") -> str:
    """The answer text followed by its footer."""
    footer = render_footer(answer, style)
    return f"{answer.answer}\n\n{footer}" if footer else answer.answer
