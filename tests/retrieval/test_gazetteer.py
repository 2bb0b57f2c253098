"""Tests for retrieval.gazetteer: place names from the cpca administrative-division table."""

from __future__ import annotations

import importlib.util

import pytest

from retrieval.gazetteer import find_places, place_key, place_level, place_terms

if importlib.util.find_spec("cpca") is None:
    pytest.skip("the cpca package (place-name data) is not installed", allow_module_level=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("杭州今年招商引资的目标是多少?", ["杭州"]),
        ("西峰的城市人口有多少?", ["西峰"]),
        ("西峰区今年的经济增速是多少", ["西峰区"]),
        ("温州一季度生产总值增长8.5%", ["温州"]),
        ("溫州通過大趕考", ["温州"]),  # traditional input
        ("金华和温州谁的增速更快", ["金华", "温州"]),
        ("宣城市政府目标管理绩效考核", ["宣城市"]),  # a full name may run into the next word
        ("在浙南山区泰顺县投资", ["泰顺县"]),  # 南山区 would cross a word boundary
        ("浙江省委书记到金华调研", ["浙江省", "金华"]),
        # an autonomous prefecture or county written by its short form and level (大理白族自治州, 峨边彝族自治县)
        ("大理州的游客和峨边县的茶园", ["大理州", "峨边县"]),
        # a prefecture city by its short form, though jieba's dictionary tags it as a common word (n, v, d)
        ("合肥今年新签约项目多少个", ["合肥"]),
        ("河北保定的受灾情况", ["河北", "保定"]),
        ("去大连和烟台的航线", ["大连", "烟台"]),
    ],
)
def test_places_found(text: str, expected: list[str]) -> None:
    assert find_places(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "全市上下要迅速行动起来",
        "各县(市、区)要按照部署抓好落实",
        "城区、新区、市区和开发区都要加快建设",
        "我们要和平发展,前进胜利,平安建设",
        "以为民惠民为宗旨,推动新兴产业加快发展",
        "所有新建、加固、改建项目都要加快推进",
    ],
)
def test_no_false_positives_on_plain_sentences(text: str) -> None:
    assert find_places(text) == []


@pytest.mark.parametrize(
    ("name", "key"),
    [("西峰区", "西峰"), ("西峰", "西峰"), ("温州市", "温州"), ("溫州", "温州"), ("浙江省", "浙江"), ("宣城", "宣城")],
)
def test_place_key(name: str, key: str) -> None:
    assert place_key(name) == key


def test_levels_and_terms() -> None:
    assert place_level("浙江") == "province"
    assert place_level("温州市") == "city"
    assert place_level("西峰区") == "county"
    assert place_level("同志们") is None
    terms = place_terms()
    assert len(terms) > 3400
    assert {"西峰区", "西峰", "温州", "温州市", "杭州"} <= set(terms)
    assert not {"全市", "城区", "新区", "市区", "开发区"} & set(terms)


def test_a_place_knows_the_divisions_it_lies_in() -> None:
    from retrieval.gazetteer import ancestors

    assert {"沈阳", "辽宁"} <= ancestors("铁西区")  # a name several cities share counts for each
    assert ancestors("汝南县") == {"驻马店", "河南"}
    assert ancestors("河南") == frozenset() and ancestors("青禾县") == frozenset()


def test_a_report_on_a_district_is_about_its_city_and_province() -> None:
    from retrieval.models import DocumentMeta
    from retrieval.rerank import context_of

    context = context_of(DocumentMeta(title="区信访局接待日", place="汝南县", places=["汝南县"]))
    assert "驻马店" in context and "河南" in context


def test_a_report_is_about_the_place_of_the_paper_that_published_it() -> None:
    """A provincial or city paper's report says 省长 or 市委 without its place; a national outlet names none."""
    from retrieval.models import DocumentMeta
    from retrieval.rerank import context_of

    assert "江西" in context_of(DocumentMeta(title="省长主持召开防汛会议", source="江西日报"))
    assert "湖州" in context_of(DocumentMeta(title="市委召开常委会", source="湖州日报"))
    national = context_of(DocumentMeta(title="省长主持召开防汛会议", source="光明日报"))
    assert "江西" not in national and "光明" not in national
