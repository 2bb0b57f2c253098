"""Sentence spans on normalised text, where one quote mark both opens and closes."""

from __future__ import annotations

import pytest

from retrieval.sentences import sentences
from retrieval.textnorm import normalize


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in sentences(normalize(text))]


def test_an_opening_quote_after_a_full_stop_starts_the_next_sentence() -> None:
    text = "项目4天完成县、市、省三級審批。“10天開工”成為常態。"
    assert split(text) == ["项目4天完成县、市、省三級審批。", "“10天開工”成為常態。"]


@pytest.mark.parametrize(("text", "expected"), [
    ("他说：“要取消三级审批。”随后散会。", ["他说：“要取消三级审批。”", "随后散会。"]),
    # a quotation split at ； and across lines still keeps its closing mark
    ("古人云：“求其上，得其中；\n求其下，必敗。”對此要警醒。",
     ["古人云：“求其上，得其中；", "求其下，必敗。”", "對此要警醒。"]),
    ("一是抓项目。“三走”工作法要推广。", ["一是抓项目。", "“三走”工作法要推广。"]),
    ("第一句！第二句？\n\n  第三句；第四句", ["第一句！", "第二句？", "第三句；", "第四句"]),
])
def test_closing_quotes_stay_with_their_sentence(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_offsets_are_absolute_and_cover_the_text() -> None:
    text = "甲。“乙。”丙。"
    assert sentences(normalize(text), start=100) == [(100, 102), (102, 106), (106, 108)]


def test_a_book_title_is_never_split() -> None:
    text = "青禾县的《走进田野！乡村研学基地》项目获评一等奖，并获得支持。下一句。"
    assert [text[a:b] for a, b in sentences(text)] == [
        "青禾县的《走进田野！乡村研学基地》项目获评一等奖，并获得支持。", "下一句。"]
    # a 《 never closed, or closed only on a later line, is no title: the sentence ends where it did
    other = "《未完的题目。后文\n》"
    assert [other[a:b] for a, b in sentences(other)] == ["《未完的题目。", "后文", "》"]
