"""Splitting to platform limits and the citation footer."""

from __future__ import annotations

import pytest
from channel_fakes import citation

from bot.models import Answer, Quote
from channels.footer import quote_sentence, render_answer, render_footer
from channels.split import split_chars, split_text, split_utf8, utf16_size


def test_utf8_split_never_breaks_a_character_and_round_trips() -> None:
    text = "中" * 5000  # no boundaries at all: cut at the byte limit, on character boundaries
    chunks = split_utf8(text, 2048)
    assert [len(c.encode()) for c in chunks] == [2046] * 7 + [15000 - 7 * 2046]
    assert "".join(chunks) == text


def test_split_prefers_lines_then_sentences() -> None:
    text = "第一段第一句。第一段第二句。\n第二段很长的一句话，还有逗号，继续写下去。" * 3
    chunks = split_chars(text, 30)
    assert "".join(chunks) == text
    assert all(len(c) <= 30 for c in chunks)
    assert all(c.endswith(("\n", "。", "，")) for c in chunks[:-1])
    assert chunks[0] == "第一段第一句。第一段第二句。\n"


def test_split_mixed_ascii_emoji_and_chinese_bytes() -> None:
    text = ("abc 😀 中文。" * 400).strip()
    for limit in (16, 100, 2048):
        chunks = split_utf8(text, limit)
        assert all(len(c.encode()) <= limit for c in chunks) and "".join(chunks) == text


def test_telegram_counts_utf16_units() -> None:
    text = "😀" * 3000  # 6000 UTF-16 units
    chunks = split_text(text, 4096, utf16_size)
    assert [utf16_size(c) for c in chunks] == [4096, 6000 - 4096]


def test_short_text_is_one_chunk() -> None:
    assert split_utf8("你好", 2048) == ["你好"]
    assert split_chars("", 10) == [""]
    with pytest.raises(ValueError):
        split_chars("abc", 2)


def test_quote_is_the_first_sentence_cut_to_length() -> None:
    assert quote_sentence("坚持以人民为中心。这是第二句。") == "坚持以人民为中心。"
    assert quote_sentence("长" * 100, limit=10) == "长" * 9 + "…"
    assert quote_sentence("一句\n换行  空白") == "一句 换行 空白"


def _answer(text: str, n: int = 2, **extra) -> Answer:  # type: ignore[no-untyped-def]
    return Answer(answer=text, found=True, query="q", citations=[citation(i + 1) for i in range(n)], **extra)


def test_footer_formats() -> None:
    cites = [citation(1), citation(2).model_copy(update={"title": "", "date": None})]
    answer = Answer(answer="一是坚持人民至上[1]。二是坚持守正创新[2]。", found=True, query="q", citations=cites)
    assert render_footer(answer, "plain") == (
        "来源：\n[1] 《政府工作报告》（2024-03-05） “一是坚持人民至上”"
        "\n[2] doc2 “二是坚持守正创新”")
    assert render_footer(answer, "markdown") == (
        "**来源**\n\n[1] **《政府工作报告》（2024-03-05）**\n> 一是坚持人民至上\n\n[2] **doc2**\n> 二是坚持守正创新")
    assert render_footer(answer, "slack").startswith("*来源*\n\n[1] *《政府工作报告》（2024-03-05）*\n> 一是")
    assert render_footer(answer.model_copy(update={"citations": []}), "plain") == ""


def test_footer_lists_only_the_cited_passages_with_the_sentence_cited() -> None:
    answer = _answer("增长5%左右。今年的目标是增长5%左右，物价涨幅3%左右。[3]", n=5)
    footer = render_footer(answer, "plain")
    assert footer == "来源：\n[3] 《政府工作报告》（2024-03-05） “今年的目标是增长5%左右，物价涨幅3%左右”"


def test_footer_prefers_the_answers_quotes() -> None:
    quotes = [Quote(id=2, text="这是第二句。", start=8, end=14), Quote(id=2, text="还有一句。", start=20, end=25)]
    footer = render_footer(_answer("第二句[2]，还有[2]。", quotes=quotes), "plain")
    assert footer == "来源：\n[2] 《政府工作报告》（2024-03-05） “这是第二句。……还有一句。”"


def test_a_refusal_lists_the_closest_passages() -> None:
    answer = Answer(answer="资料中没有找到。", found=False, query="q", citations=[citation(1), citation(2)])
    assert render_footer(answer, "plain") == (
        "最接近的段落：\n[1] 《政府工作报告》（2024-03-05） “坚持以人民为中心的发展思想。”"
        "\n[2] 《政府工作报告》（2024-03-05） “坚持以人民为中心的发展思想。”")


def test_answer_without_citations_has_no_footer() -> None:
    assert render_answer(Answer(answer="没有找到。", found=False, query="q"), "plain") == "没有找到。"
    answer = Answer(answer="答。", found=True, query="q", citations=[citation()])
    assert render_answer(answer, "plain").startswith("答。\n\n来源：\n[1] ")
