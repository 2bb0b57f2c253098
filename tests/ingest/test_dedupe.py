"""SimHash near-duplicates: a repost stays within MAX_DISTANCE, distinct speeches lie far apart."""

from __future__ import annotations

from ingest.clean import clean
from ingest.dedupe import MAX_DISTANCE, nearest, simhash
from retrieval.textnorm import normalize, to_simplified
from tests.speech_fixtures import SPEECH_LANSHAN, SPEECH_QINGHE

TRADITIONAL_QINGHE = SPEECH_QINGHE.replace("经济", "經濟").replace("发展", "發展").replace("项目", "項目").replace(
    "县", "縣").replace("园区", "園區").replace("债务", "債務").replace("问题", "問題")


def _print(raw: str) -> int:
    return simhash(normalize(clean(raw).text))


def _distance(a: int, b: int) -> int:
    return bin(a ^ b).count("1")


def test_repost_with_nav_footer_and_traditional_script_is_near() -> None:
    assert to_simplified(TRADITIONAL_QINGHE) != TRADITIONAL_QINGHE  # the fixture really is in another script
    repost = "首页 > 新闻中心 > 领导讲话\n" + TRADITIONAL_QINGHE + "\n责任编辑：王小明\n版权所有 青禾县人民政府办公室\n"
    assert _distance(_print(SPEECH_QINGHE), _print(repost)) <= MAX_DISTANCE


def test_layout_and_quote_styles_do_not_count() -> None:
    text = normalize(SPEECH_QINGHE)
    assert simhash(text) == simhash(text.replace("\n", "  \n").replace(",", "，"))


def test_distinct_speeches_are_far_apart() -> None:
    assert _distance(_print(SPEECH_QINGHE), _print(SPEECH_LANSHAN)) > 3 * MAX_DISTANCE


def test_tiny_texts_have_a_fingerprint() -> None:
    assert isinstance(simhash("好"), int)
    assert simhash("") == simhash("")


def test_nearest_returns_the_closest_known_within_the_limit() -> None:
    base = _print(SPEECH_QINGHE)
    known = {"lanshan": _print(SPEECH_LANSHAN), "qinghe": base}
    assert nearest(base ^ 0b101, known) == "qinghe"  # two bits off
    assert nearest(base ^ ((1 << (MAX_DISTANCE + 1)) - 1), known) is None  # MAX_DISTANCE + 1 bits off
    assert nearest(base ^ ((1 << MAX_DISTANCE) - 1), known) == "qinghe"  # exactly at the limit
    assert nearest(base, {}) is None


def test_nearest_handles_top_bit_fingerprints() -> None:
    top = (1 << 64) - 1
    assert nearest(top, {"a": top ^ 1, "b": 0}) == "a"
