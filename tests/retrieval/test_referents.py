"""A follow-up pointing at one item of the previous reply's list (其中第三项, 后者) asks about that item."""

from __future__ import annotations

import pytest

from retrieval.analysis import analyze_question
from retrieval.lexicon import lexicon
from retrieval.referents import reply_items, with_item

LEX = lexicon()
NUMBERED = "一是改造城西老旧小区;二是在白沙镇新建一所养老院。"
LISTED = '青禾县提出三项举措:"一村一品"的产业路径、"一镇一策"的帮扶机制和"一户一档"的台账制度。'


def test_a_numbered_reply_lists_its_items_in_order() -> None:
    assert reply_items(NUMBERED) == ["改造城西老旧小区", "在白沙镇新建一所养老院"]
    assert reply_items(f"{NUMBERED}[1]\n青禾县…[1]") == ["改造城西老旧小区", "在白沙镇新建一所养老院"]


def test_a_reply_listing_with_commas_and_a_joiner_lists_its_items() -> None:
    assert reply_items(LISTED) == ['"一村一品"的产业路径', '"一镇一策"的帮扶机制', '"一户一档"的台账制度']
    assert reply_items("120万元。") == []
    assert reply_items("青禾县和白沙镇。") == ["青禾县", "白沙镇"]


@pytest.mark.parametrize(("first", "other"), [("一个是", "另一个是"), ("一方面", "另一方面"), ("其一", "其二")])
def test_items_opened_by_one_and_the_other(first: str, other: str) -> None:
    assert first in LEX.item_marks and other in LEX.item_marks
    assert reply_items(f"两项工程:{first}改造老旧小区,{other}新建养老院。") == ["改造老旧小区", "新建养老院"]


@pytest.mark.parametrize("counter", LEX.item_counters)
def test_an_ordinal_pointer_is_replaced_by_its_item(counter: str) -> None:
    got = with_item(f"其中第二{counter},总投资是多少?", NUMBERED)
    assert got == "其中在白沙镇新建一所养老院,总投资是多少?"
    assert with_item(f"其中第三{counter},总投资是多少?", NUMBERED) == f"其中第三{counter},总投资是多少?"  # none


def test_the_noun_after_the_pointer_that_the_item_ends_in_is_part_of_it() -> None:
    assert with_item("第一个路径具体怎么走?", LISTED) == '"一村一品"的产业路径具体怎么走?'
    assert with_item("第二个机制具体怎么做?", LISTED) == '"一镇一策"的帮扶机制具体怎么做?'


@pytest.mark.parametrize("word", LEX.first_item + LEX.last_item)
def test_the_former_and_the_latter(word: str) -> None:
    item = "改造城西老旧小区" if word in LEX.first_item else "在白沙镇新建一所养老院"
    assert with_item(f"{word}的总投资是多少?", NUMBERED) == f"{item}的总投资是多少?"


def test_a_question_pointing_at_nothing_is_left_as_it_is() -> None:
    assert with_item("全县第二个开工的项目是什么?", NUMBERED) == "全县第二个开工的项目是什么?"
    assert with_item("第一个开工的项目是哪个?", NUMBERED) == "第一个开工的项目是哪个?"  # which came first
    assert with_item("第二个的总投资是多少?", NUMBERED) == "在白沙镇新建一所养老院的总投资是多少?"
    assert with_item("第二项是谁负责的?", NUMBERED) == "在白沙镇新建一所养老院是谁负责的?"
    assert with_item("其中第二项呢?", "120万元。") == "其中第二项呢?"


def test_the_analysis_asks_about_the_item_pointed_at() -> None:
    a = analyze_question("其中第二项,总投资是多少?", ["青禾县今年的两项民生工程是什么?"], answered=NUMBERED)
    assert a.follow_up and a.text == "其中第二项,总投资是多少?"
    assert "白沙镇新建一所养老院" in a.standalone and "第二项" not in a.standalone
    assert any(t.text == "白沙镇" or "白沙" in t.text for t in a.terms)
