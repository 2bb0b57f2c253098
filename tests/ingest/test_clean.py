"""Tests for ingest.clean: noise rules on hand-written pages and on the real corpus."""

from __future__ import annotations

import re

import pytest

from ingest.clean import clean
from ingest.models import Cleaned


def _check_alignment(raw: str, cleaned: Cleaned) -> None:
    assert len(cleaned.offsets) == len(cleaned.text)
    assert all(raw[o] == ch for o, ch in zip(cleaned.offsets, cleaned.text, strict=True))
    assert cleaned.offsets == sorted(cleaned.offsets)


def _rules(cleaned: Cleaned) -> set[str]:
    return {rule for rule, _, _ in cleaned.removed}


def _body(texts: dict[str, str], prefix: str) -> str:
    return next(text for stem, text in texts.items() if stem.startswith(prefix))


PAGE = "\n".join(
    [
        "新闻",
        "",
        "首页>地方频道>新闻>经济",
        "在全县经济工作会议上的讲话",
        "2019年04月25日 13:31 | 作者:某某 | 来源:某某网",
        "分享到:",
        "   【编者按】县委书记在全县经济工作会议上提出了要求。",
        "\u3000\u3000同志们:",
        "\u3000\u3000今年以来,全县发(fā)展态势良好,各項工作穩(wěn)步推進,总体向好。",
        "(一)抓项目建设。全县(市、区)要在2021年(二〇二一年)完成目标任务(www.example.com)。",
        "编辑:张三",
        "关键词:经济 项目",
        "声明:本站部分文章来源于网络,如有侵权,请联系删除:025-84707368。",
        "1234",
        "收藏",
        "更多",
        "某某精品视频在线播放,免费高清在线观看,日韩精品一区,国产自拍在线",
        "标题甲 | 标题乙 | 标题丙 | 标题丁",
    ]
)


def test_hand_written_page_loses_its_chrome_and_keeps_the_speech() -> None:
    cleaned = clean(PAGE)
    _check_alignment(PAGE, cleaned)
    assert cleaned.text.splitlines() == [
        "在全县经济工作会议上的讲话",
        "【编者按】县委书记在全县经济工作会议上提出了要求。",
        "同志们:",
        "今年以来,全县发展态势良好,各項工作穩步推進,总体向好。",
        "(一)抓项目建设。全县(市、区)要在2021年(二〇二一年)完成目标任务。",
    ]
    assert {"channel_label", "crumb", "byline", "widget", "keywords", "disclaimer", "counter", "spam_links"} <= _rules(
        cleaned
    )
    assert {"pinyin_gloss", "watermark"} <= _rules(cleaned)
    for rule, start, end in cleaned.removed:
        assert 0 <= start < end <= len(PAGE), rule


def test_editor_note_is_kept_and_marked() -> None:
    cleaned = clean(PAGE)
    ((start, end),) = cleaned.notes
    assert cleaned.text[start:end] == "【编者按】县委书记在全县经济工作会议上提出了要求。"


def test_newlines_between_paragraphs_are_copied_from_raw() -> None:
    raw = "第一段内容。\n\n\n  第二段内容。"
    cleaned = clean(raw)
    assert cleaned.text == "第一段内容。\n第二段内容。"
    _check_alignment(raw, cleaned)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("發(fā)展", "發展"),
        ("區(qū)域與(yǔ)頭(tóu)部", "區域與頭部"),
        ("綠(lǜ)色", "綠色"),
        ("全角（fā）括号", "全角括号"),
        ("(一)工作", "(一)工作"),
        ("讲话(2021年2月23日)", "讲话(2021年2月23日)"),
        ("乡镇(街道)党(工)委", "乡镇(街道)党(工)委"),
        ("图(a)说明", "图(a)说明"),
        ("Model (fā) here", "Model (fā) here"),
    ],
)
def test_pinyin_glosses(raw: str, expected: str) -> None:
    assert clean(raw).text == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("应用示范。(www.daowen.com)", "应用示范。"),
        ("应用示范（www.abc.cn）后文", "应用示范后文"),
        ("见 http://example.com/a?b=1 说明", "见  说明"),
    ],
)
def test_url_watermarks(raw: str, expected: str) -> None:
    cleaned = clean(raw)
    assert cleaned.text == expected
    assert "watermark" in _rules(cleaned)


def test_repeated_title_with_channel_label() -> None:
    raw = (
        "理论教育 全区工作会议讲话\n\n全区工作会议讲话\n时间:2023-10-11 理论教育 版权反馈\n"
        "全区工作会议讲话\n张三\n(2021年2月23日)\n同志们:"
    )
    cleaned = clean(raw)
    assert cleaned.text.splitlines() == ["全区工作会议讲话", "张三", "(2021年2月23日)", "同志们:"]


def test_abstract_is_dropped_only_when_it_duplicates_the_body() -> None:
    body = "在全会上,我们确定了今年全区经济工作的总体要求,就是着眼建设数字新城区,推动高质量发展实现新突破。"
    dup = clean(f"标题\n【摘要】:{body[:40]}\n{body}")
    assert "摘要" not in dup.text and "abstract" in _rules(dup)
    unique = clean(f"标题\n【摘要】:本文总结了一年来的主要经验和下一步的打算安排。\n{body}")
    assert "摘要" in unique.text


def test_lone_date_line_is_not_a_byline() -> None:
    assert clean("讲话\n2021年2月23日\n同志们:").text == "讲话\n2021年2月23日\n同志们:"


def test_plain_speech_survives_untouched() -> None:
    raw = "同志们:\n今年是关键一年,全市上下要迅速行动起来,分享发展成果,收藏好经验。\n谢谢大家!"
    assert clean(raw).text == raw


# --- the real corpus ----------------------------------------------------------------------------------------------


def test_corpus_alignment_and_real_sentences_survive(corpus_texts: dict[str, str]) -> None:
    for stem, raw in corpus_texts.items():
        cleaned = clean(raw)
        _check_alignment(raw, cleaned)
        squashed = cleaned.text.replace("\n", "")
        longest = sorted((ln.strip() for ln in raw.splitlines()), key=len, reverse=True)[:8]
        for line in longest:
            line = re.sub(r"\([a-z\u00e0-\u00fc\u0100-\u01dc]+\)", "", line)  # the glosses are meant to go
            line = re.sub(r"\(www\.[^)]+\)", "", line)
            for sentence in re.split(r"(?<=[。!?])", line):
                if len(sentence) >= 15:
                    assert sentence in squashed, (stem, sentence)


def test_corpus_000_navigation_footer_and_note(corpus_texts: dict[str, str]) -> None:
    cleaned = clean(_body(corpus_texts, "000"))
    lines = cleaned.text.splitlines()
    assert lines[0] == "陈龙:狠下决心 大干苦干 加快发展"
    assert not any(noise in cleaned.text for noise in ("首页>", "声明:", "025-84707368", "7856"))
    assert lines[-1].endswith("营造风清气正的社会环境。")
    assert all(ln not in ("收藏", "分享") for ln in lines)
    ((start, end),) = cleaned.notes
    assert cleaned.text[start:end].startswith("【编者按】")


def test_corpus_001_glosses_byline_and_footer(corpus_texts: dict[str, str]) -> None:
    cleaned = clean(_body(corpus_texts, "001"))
    assert "(fā)" not in cleaned.text and "發展" in cleaned.text
    assert not re.search(r"\([a-z]*[\u00e0-\u00fc\u0100-\u01dc][a-z]*\)", cleaned.text)
    assert cleaned.text.splitlines()[0].endswith("總結大會上的講話")
    for noise in ("發布時間", "點擊:", "相關熱詞搜索", "熱點文章閱讀"):
        assert noise not in cleaned.text
    assert cleaned.text.endswith("倒逼落實。")


def test_corpus_002_title_once(corpus_texts: dict[str, str]) -> None:
    cleaned = clean(_body(corpus_texts, "002"))
    lines = cleaned.text.splitlines()
    assert lines[0].endswith("講評活動會上的講話") and lines[1] == "同志們:"
    assert cleaned.text.count("講評活動會上的講話") == 1


def test_corpus_003_news_chrome_and_spam(corpus_texts: dict[str, str]) -> None:
    cleaned = clean(_body(corpus_texts, "003"))
    lines = cleaned.text.splitlines()
    assert lines[:2] == [
        '以發展問題為"試題",以工作舉措來"作答",讓群眾代表來"閱卷"',
        "溫州通過大趕考 促進改革開放再出發",
    ]
    for noise in ("首頁", "作者:", "分享到", "編輯:", "關鍵詞", "更多", "精品", "視頻", "视频"):
        assert noise not in cleaned.text, noise
    assert "擂臺比拼真刀真槍" in lines  # short section headings are content
    assert lines[-1].endswith("位列全省第一。")


def test_corpus_004_header_abstract_watermark_disclaimer(corpus_texts: dict[str, str]) -> None:
    cleaned = clean(_body(corpus_texts, "004"))
    lines = cleaned.text.splitlines()
    assert lines[:4] == ["2021全区经济工作会议讲话成果", "张希岳", "(2021年2月23日)", "同志们:"]
    for noise in ("理论教育", "版权反馈", "【摘要】", "www.daowen.com", "免责声明", "我要反馈"):
        assert noise not in cleaned.text, noise
    assert "应用示范。\n三是城市管理要实现大提升" in cleaned.text
    assert "二、全力以赴破难题开新局" in lines


def test_bracketed_widget_lines_in_either_script_are_dropped() -> None:
    widgets = "【字號：大 中 小】　分享到：微信 微博 QQ空間"
    raw = f"標題\n{widgets}\n正文第一句話寫在這裡，內容足夠長。\n【打印本頁】【關閉窗口】"
    cleaned = clean(raw)
    assert cleaned.text == "標題\n正文第一句話寫在這裡，內容足夠長。"
    _check_alignment(raw, cleaned)


def test_a_page_title_with_the_site_name_is_a_repeated_title() -> None:
    raw = "澜江新港二期首个泊位试运行_澜江日报\n澜江新港二期首个泊位试运行\n4月18日上午，首个泊位试运行。"
    cleaned = clean(raw)
    assert cleaned.text.startswith("澜江新港二期首个泊位试运行\n4月18日")
    assert "repeated_title" in _rules(cleaned)


def test_a_line_that_is_only_a_byline_and_a_portal_link_is_dropped_whole() -> None:
    raw = "澜江新闻网8月1日电 返回搜狐，查看更多\n青梧县今年新建村级服务站36个。"
    cleaned = clean(raw)
    assert cleaned.text == "青梧县今年新建村级服务站36个。"


def test_a_long_run_of_spaces_is_a_block_break() -> None:
    """A scraped page's blocks glued by spaces: the original headline, the byline and the body come apart."""
    raw = ("原标题：青梧县新建服务站          澜江新闻网8月1日电（记者 苏晓）青梧县今年新建村级服务站36个。"
           "返回搜狐，查看更多    责任编辑：")
    cleaned = clean(raw)
    assert cleaned.text == "青梧县今年新建村级服务站36个。"
    assert all(raw[o] == ch or ch == "\n" for ch, o in zip(cleaned.text, cleaned.offsets, strict=True))


def test_an_editors_credit_after_a_portal_link_goes_with_it() -> None:
    assert clean("青梧县今年新建村级服务站36个。返回搜狐，查看更多责任编辑：").text == "青梧县今年新建村级服务站36个。"


# A repost's headline glued to its first sentence (made-up reports): the body starts at its first lead-in.
@pytest.mark.parametrize(("raw", "title", "body"), [
    ("原标题：岚山市召开防汛会议本报讯 8月3日，岚山市召开防汛会议。", "岚山市召开防汛会议",
     "8月3日，岚山市召开防汛会议。"),
    ("原标题：青禾县举办丰收节据青禾日报报道，9月23日，青禾县举办丰收节。", "青禾县举办丰收节",
     "据青禾日报报道，9月23日，青禾县举办丰收节。"),
    ("原标题：岚山东站新线开通【岚山日报讯】岚山东站新线昨日开通。", "岚山东站新线开通", "岚山东站新线昨日开通。"),
    ("原标题：青禾县整治河道近日，青禾县启动河道整治。", "青禾县整治河道", "近日，青禾县启动河道整治。"),
    ("原標題：青禾縣整治河道8月5日電 青禾縣啟動河道整治。", "青禾縣整治河道", "8月5日電 青禾縣啟動河道整治。"),
])
def test_a_glued_original_headline_is_split_from_the_body(raw: str, title: str, body: str) -> None:
    from ingest.clean import original_title
    from ingest.metadata import extract_metadata

    text = clean(raw).text
    assert text.endswith(body) and title not in text.replace(body, "")
    assert original_title(raw) == title
    assert extract_metadata(raw, text, "report.txt").title == title


def test_a_date_inside_a_glued_headline_is_no_lead_in() -> None:
    from ingest.clean import original_title

    raw = "原标题：受台风影响，7月26日至30日青禾线停运据岚山铁路消息，青禾线停运五天。"
    assert original_title(raw) == "受台风影响，7月26日至30日青禾线停运"
    assert clean(raw).text == "据岚山铁路消息，青禾线停运五天。"


def test_a_glued_headline_without_a_lead_in_keeps_the_body() -> None:
    raw = "原标题：稻谷丰收在青禾县的田野上，稻谷金黄。\n农民忙着收割。"
    assert "在青禾县的田野上，稻谷金黄。" in clean(raw).text
