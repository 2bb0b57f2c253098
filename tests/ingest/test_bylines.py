"""News bylines at the start of an article are cut from the text into `source`, with the offset map intact."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from ingest.bylines import find_byline
from ingest.clean import clean
from ingest.metadata import extract_metadata

NEWS = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus-news" / "news-2023.jsonl.gz"

# (raw document, the article's first words after cleaning, the source metadata) — all made up.
BYLINES = [
    ("澜江新港开港\n人民政協網瀾江4月25日電(記者 顧清和 通訊員 陶一鳴) 4月24日，瀾江新港正式開港。\n第二段。",
     "4月24日，瀾江新港正式開港。", "人民政协网"),
    ("新华社青梧3月5日电（记者 韦明澈）青梧县今天召开乡村振兴推进会。", "青梧县今天召开乡村振兴推进会。", "新华社"),
    ("新華社青梧3月5日電（記者韋明澈）青梧縣今天召開鄉村振興推進會。", "青梧縣今天召開鄉村振興推進會。", "新华社"),
    ("本报讯（记者 苏晓 通讯员 陶一鸣）近日，澜江市召开重点项目推进会。", "近日，澜江市召开重点项目推进会。", ""),
    ("本報訊，日前澜江三桥开工建设。", "日前澜江三桥开工建设。", ""),
    ("中新网澜江8月18日电 (顾清和 苏晓)澜江港今年吞吐量创新高。", "澜江港今年吞吐量创新高。", "中新网"),
    ("澜江日报讯（记者 顾清和）4月18日上午，首个泊位试运行。", "4月18日上午，首个泊位试运行。", "澜江日报"),
    ("青梧之家 8 月 16 日消息，青梧茶油今年产量增长一成。", "青梧茶油今年产量增长一成。", "青梧之家"),
    ("【澜江网报道 见习记者 苏晓】澜江三桥今天合龙。", "澜江三桥今天合龙。", "澜江网"),
    ("2025/03/12 09:30，正文： 新华社澜江3月12日电（记者 苏晓）澜江市发布新政。", "澜江市发布新政。", "新华社"),
]

# Article openings that look a little like bylines but are text.
NOT_BYLINES = [
    "今年4月25日电网公司完成了线路改造。",
    "据新华社4月25日消息，澜江新港正式开港。",
    "本报记者近日走访了青梧县的茶油企业。",
    "澜江日报讯息中心今年搬入新址。",
    "（一）推动产业提质升级",
    "新京报讯（2025年3月）澜江新港开港。",  # a bare 讯 needs a credit that names reporters
]


@pytest.mark.parametrize(("raw", "opening", "source"), BYLINES)
def test_a_byline_is_cut_and_becomes_the_source(raw: str, opening: str, source: str) -> None:
    cleaned = clean(raw)
    body = [line for line in cleaned.text.splitlines() if opening[:4] in line]
    assert body and body[0].startswith(opening), cleaned.text
    assert [rule for rule, _, _ in cleaned.removed] == ["news_byline"]
    assert all(raw[o] == ch for o, ch in zip(cleaned.offsets, cleaned.text, strict=True))  # offsets still map
    end = cleaned.removed[0][2]
    assert raw[end:].startswith(opening[:6])
    assert extract_metadata(raw, cleaned.text, "news.txt").source == source


@pytest.mark.parametrize("line", NOT_BYLINES)
def test_article_text_is_not_taken_for_a_byline(line: str) -> None:
    assert find_byline(line) is None
    assert clean(f"标题\n{line}\n第二段。").text == f"标题\n{line}\n第二段。"


def test_a_byline_on_a_line_of_its_own_is_dropped_and_a_later_one_kept() -> None:
    later = "新华社澜江3月6日电（记者 苏晓）续报。"
    raw = "标题\n新华社澜江3月5日电（记者 苏晓）\n正文第一句。\n" + "正文。\n" * 10 + later
    cleaned = clean(raw)
    assert cleaned.text.startswith("标题\n正文第一句。")
    assert cleaned.text.endswith(later)  # only the start of an article


def test_a_source_line_wins_over_the_byline() -> None:
    raw = "标题\n来源：澜江日报\n新华社澜江3月5日电（记者 苏晓）正文。"
    assert extract_metadata(raw, clean(raw).text, "a.txt").source == "澜江日报"


_BYLINE_START = re.compile(r"^(?!原标题).{0,30}?(?:\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|電|讯|訊|消息)"
                           r"|(?:讯|訊)\s*[（(][^）)]{0,30}(?:记者|記者|通讯员|通訊員))")


def test_news_corpus_bylines_are_cut_without_eating_article_text() -> None:
    """On the first 3,000 real news articles: most openings that look like a byline are cut, every cut is short,
    ends where the article starts, and the rest of the text is kept."""
    if not NEWS.is_file():
        pytest.skip(f"news corpus not found at {NEWS.resolve()}")
    looks, cut, looks_cut = 0, 0, 0
    with gzip.open(NEWS, "rt", encoding="utf-8") as lines:
        for _, line in zip(range(3000), lines, strict=False):
            text = json.loads(line)["text"]
            cleaned = clean(text)
            bylines = [(a, b) for rule, a, b in cleaned.removed if rule == "news_byline"]
            looks += (start := bool(_BYLINE_START.match(text.lstrip())))
            if not bylines:
                continue
            cut += 1
            looks_cut += start
            a, b = bylines[0]
            assert b - a <= 80 and "。" not in text[a:b], text[a : b + 20]
            assert re.search(r"电|電|讯|訊|消息|记者|記者|报道|報道", text[a:b]), text[a : b + 20]
            rest = text[b:].strip()[:30]
            assert rest and rest[0] not in "，。,、）)" and rest in cleaned.text
    print(f"news bylines: {cut} cut of 3000 articles; {looks_cut} of {looks} byline-like openings cut")
    assert looks_cut >= 0.6 * looks and cut >= looks_cut
