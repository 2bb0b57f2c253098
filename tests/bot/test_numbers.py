"""Numbers with units: extraction, normalisation, and the "is it in the passage" test."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.numbers import extract_figures, numbers_supported


def keys(text: str) -> list[tuple[Decimal, str, bool]]:
    return [f.key for f in extract_figures(text)]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("98.99亿元", "989900万元"),
        ("98.99亿元", "9899000000元"),
        ("98.99亿元", "9,899,000,000元"),
        ("98.99亿元", "九十八点九九亿元"),
        ("百分之五十", "50%"),
        ("百分之八点一", "8.1％"),
        ("50%", "５０％"),
        ("四十个", "40个"),
        ("两个", "2个"),
        ("二〇二一年", "2021年"),
        ("三千五百万人", "3500万人"),
        ("1.4亿人", "140000000人"),
        ("14亿人", "十四亿人民"),
        ("3万亿元", "30000亿元"),
        ("四十多个", "40多个"),
        ("2个百分点", "两个百分点"),
    ],
)
def test_equivalent_forms_normalise_to_the_same_figure(left: str, right: str) -> None:
    assert keys(left) == keys(right)
    assert len(keys(left)) == 1


def test_figures_keep_their_written_form_and_unit() -> None:
    figures = extract_figures("2021年3月，全省建成40个园区，投资98.99亿元，增长百分之五十。")
    assert [f.text for f in figures] == ["2021年", "3月", "40个", "98.99亿元", "百分之五十"]
    assert [f.unit for f in figures] == ["年", "月", "个", "元", "%"]


NOT_FIGURES = ["一个中心", "上万人", "数百万元", "千万不能", "百年未有之大变局", "唯一一个", "共2021"]


@pytest.mark.parametrize("text", NOT_FIGURES)
def test_words_that_only_look_like_numbers_are_not_figures(text: str) -> None:
    assert extract_figures(text) == []


def test_approximate_and_exact_are_different() -> None:
    assert keys("40多个") != keys("40个")


def test_a_magnitude_without_unit_is_still_a_figure() -> None:
    assert keys("1.4亿") == [(Decimal("1.4E+8"), "", False)]


def test_numbers_supported_returns_only_the_missing_figures() -> None:
    passages = ["安排9899000000元，增长50%，共40个园区。", "2021年开工。"]
    assert numbers_supported("预算98.99亿元，增长百分之五十，建成四十个园区，2021年开工。", passages) == []
    assert numbers_supported("预算98.98亿元，约40多个园区，增长50%。", passages) == ["98.98亿元", "40多个"]


def test_a_unitless_figure_matches_any_unit_of_the_same_value() -> None:
    assert numbers_supported("投资98.99亿。", ["投资98.99亿元"]) == []
    assert numbers_supported("投资98.99亿个。", ["投资98.99亿元"]) == ["98.99亿个"]


def test_same_value_with_another_unit_is_not_support() -> None:
    assert numbers_supported("建成40家。", ["建成40个"]) == ["40家"]
