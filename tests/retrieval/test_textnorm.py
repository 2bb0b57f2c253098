"""textnorm: same length always, simplified script, half-width digits and letters, one form of quotes."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval import textnorm
from retrieval.textnorm import normalize, to_simplified

SAMPLES = [
    "", "\n", "發展經濟，實現「高質量」發展。", "全年增长６．５％，完成ＧＤＰ９８．９９亿元",
    "我们😀🇨🇳👍🏽一起努力", "e\u0301t\u00e9 cafe\u0301", "ﬁ ﬂ ㍿ ¼ ①②", "İstanbul 伊斯坦布尔",
    "第一\r\n第二\n\n第三", "“引号”‘单引’『书名』〝双〞", "\u200b零宽\ufeff字符", "乾隆皇帝的著作",
    "𠀀𪚥 扩展区汉字", "ＡＢＣｄｅｆ１２３", "\t缩进  空格\u3000全角空格",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_length_is_kept_on_varied_strings(text: str) -> None:
    assert len(normalize(text)) == len(text)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_length_is_kept_for_any_string(text: str) -> None:
    assert len(normalize(text)) == len(text)


def test_length_is_kept_on_random_mixes() -> None:
    rng = random.Random(7)
    pool = "發展經濟實現高質量简体字１２３ＡＢＣ“”「」😀\u0301\n ，。！？ﬁ①İ𠀀"
    for _ in range(300):
        text = "".join(rng.choice(pool) for _ in range(rng.randint(0, 30)))
        assert len(normalize(text)) == len(text), text


def test_traditional_becomes_simplified() -> None:
    assert normalize("發展經濟，實現高質量發展") == "发展经济,实现高质量发展"
    assert to_simplified("經濟") == "经济"


def test_full_width_digits_and_letters_fold_to_half_width_lower_case() -> None:
    assert normalize("增长６．５％，ＧＤＰ１２３") == "增长6.5%,gdp123"


def test_quotes_are_folded() -> None:
    assert normalize("“招商”「引资」‘一号’『工程』") == "\"招商\"\"引资\"'一号'\"工程\""


def test_one_special_capital_does_not_stop_lower_casing_the_rest() -> None:
    # 'İ'.lower() is two characters: that one letter stays, every other letter is still lower-cased.
    assert normalize("İzmir GDP") == "İzmir gdp"


def test_character_fallback_keeps_length_when_a_phrase_rule_changes_it(monkeypatch: pytest.MonkeyPatch) -> None:
    class Expanding:
        """A converter whose phrase rule lengthens text and which maps 發 -> 发 one character at a time."""

        def convert(self, text: str) -> str:
            return "发" if text == "發" else text.replace("甲", "甲乙")

    monkeypatch.setattr(textnorm, "_t2s", lambda: Expanding())
    assert normalize("發甲") == "发甲"


def test_strip_marks_removes_invisible_format_characters_only() -> None:
    from retrieval.textnorm import strip_marks

    marked = "金\u200b华\u200c今\u200d年\u200e招\u200f商\u202a目\u202e标\u2066是\u2069多\ufeff少\u00ad"
    assert strip_marks(marked) == "金华今年招商目标是多少"
    assert strip_marks("金华 今年，目标?") == "金华 今年，目标?"
