"""Tokenisers: number+unit runs whole plus the bare number, domain terms whole, CJK bigrams; stable version."""

from __future__ import annotations

import re

import pytest

from retrieval.textnorm import normalize
from retrieval.tokenize import bigrams, cut, terms_version, words


@pytest.mark.parametrize(("text", "run", "bare"), [
    ("地区生产总值达到98.99亿元", "98.99亿元", "98.99"),
    ("落地率在50%以上", "50%", "50"),
    ("引进亿元以上项目40个", "40个", "40"),
    ("压减存量债务3亿元", "3亿元", "3"),
    ("提高1.5个百分点", "1.5个百分点", "1.5"),
])
def test_number_with_unit_is_one_token_and_yields_the_bare_number(text: str, run: str, bare: str) -> None:
    toks = words(normalize(text))
    assert run in toks
    assert bare in toks
    assert toks.index(run) < toks.index(bare)  # the run first; intermediate forms (98.99亿) may sit between


def test_full_width_numbers_meet_half_width_after_normalising() -> None:
    assert "50%" in words(normalize("落地率达到５０％"))


def test_bare_number_is_not_doubled() -> None:
    assert words("共有2024").count("2024") == 1


@pytest.mark.parametrize("term", ["招商引资", "乡村振兴", "地区生产总值", "小微企业", "固定资产投资"])
def test_domain_terms_are_kept_whole(term: str) -> None:
    assert term in words(f"今年要全力抓好{term}工作")


def test_stop_words_and_punctuation_are_dropped() -> None:
    toks = words(normalize("我们的目标是什么？，。"))
    assert "的" not in toks and "什么" not in toks
    assert all(re.search(r"\w", t) for t in toks)


def test_bigrams_of_cjk_runs_and_whole_latin_runs() -> None:
    assert bigrams("鳜鲈混养") == ["鳜鲈", "鲈混", "混养"]
    assert bigrams("养,鱼 gdp 6.5") == ["养", "鱼", "gdp", "6.5"]
    assert bigrams("招商引资。项目") == ["招商", "商引", "引资", "项目"]


def test_cut_keeps_punctuation_for_sentence_analysis() -> None:
    assert "。" in cut("抓好招商引资。")


def test_terms_version_is_stable_and_names_the_dictionary() -> None:
    v = terms_version()
    assert v == terms_version()
    assert re.fullmatch(r"(v\d+-)?rjieba-[\d.]+-terms-[0-9a-f]{10}-units-[0-9a-f]{6}", v)


def test_long_runs_reach_jieba_in_bounded_pieces_and_nothing_is_lost() -> None:
    from retrieval.tokenize import _LONG_RUN, _bounded

    text = "齉" * 1000 + "，发展经济" + "a" * 450
    parts = list(_bounded(text))
    assert "".join(parts) == text and len(parts) == 7
    assert not any(_LONG_RUN.search(p) for p in parts)  # no unbroken run over MAX_RUN reaches jieba
    assert list(_bounded("短句，没有长串。")) == ["短句，没有长串。"]
    assert "".join(cut(text)) == text.replace(" ", "")
    assert "经济" in words("齉" * 5000 + "发展经济")
