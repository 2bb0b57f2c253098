"""Tests for ingest.metadata on hand-written pages and the real corpus."""

from __future__ import annotations

from datetime import date

import pytest

from ingest.clean import clean
from ingest.metadata import extract_metadata, parse_date
from retrieval.models import DocumentMeta


def _meta(raw: str, path: str = "/data/speech_01.txt", given: dict[str, str] | None = None) -> DocumentMeta:
    return extract_metadata(raw, clean(raw).text, path, given)


def _corpus_meta(texts: dict[str, str], prefix: str) -> DocumentMeta:
    stem, raw = next((s, t) for s, t in texts.items() if s.startswith(prefix))
    return extract_metadata(raw, clean(raw).text, f"{stem}.txt")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-06-20", date(2021, 6, 20)),
        ("2021/6/20", date(2021, 6, 20)),
        ("2021.06.20", date(2021, 6, 20)),
        ("2021年2月23日", date(2021, 2, 23)),
        ("(2021年2月23日)", date(2021, 2, 23)),
        ("發布時間:2019年04月25日 13:31", date(2019, 4, 25)),
        ("2021-02-30", None),
        ("明年", None),
    ],
)
def test_parse_date(value: str, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_speech_date_beats_page_time() -> None:
    raw = "时间:2023-10-11 理论教育 版权反馈\n全区经济工作会议讲话\n张三丰\n(2021年2月23日)\n同志们:\n今年是关键一年。"
    meta = _meta(raw)
    assert meta.date == date(2021, 2, 23) and meta.year == 2021
    assert meta.title == "全区经济工作会议讲话"
    assert meta.speaker == "张三丰"


def test_publish_time_used_when_no_speech_date() -> None:
    meta = _meta("某某讲话稿\n发布时间:2021-06-20 来源: 读后感 点击:\n同志们:\n今年是关键一年。")
    assert meta.date == date(2021, 6, 20) and meta.source == ""  # 读后感 is a category, not a site


def test_speaker_from_title_colon_and_from_role_pattern() -> None:
    assert _meta("周明远:真抓实干 奋勇争先\n正文第一段内容写在这里。").speaker == "周明远"
    raw = "加快发展\n【编者按】杭州市委书记王小明在全市经济工作会议上提出了要求。\n正文第一段内容写在这里。"
    meta = _meta(raw)
    assert meta.speaker == "王小明"
    assert meta.place == "杭州"


def test_masked_and_byline_names_are_not_speakers() -> None:
    assert _meta("XX:真抓实干\n同志们:\n剛才,XX書記在全縣大會上作了講話。").speaker == ""
    news = "首页>要闻\n湖州开展项目大比拼\n2019年04月25日 13:31 | 作者:周明远 | 来源:湖州日报\n湖州市近日发布消息。"
    meta = _meta(news)
    assert meta.speaker == "" and meta.source == "湖州日报"
    assert meta.date == date(2019, 4, 25) and meta.place == "湖州"
    assert meta.author == "周明远"


@pytest.mark.parametrize(("raw", "author"), [
    ("青禾县召开项目推进会\n作者:周明远 林海川 | 来源:青禾日报\n正文。", "周明远、林海川"),  # a 作者 line
    ("青禾县召开项目推进会\n作者：周明远、林海川\n正文。", "周明远、林海川"),
    ("新华社北京3月5日电（记者 周明远、林海川）青禾县召开项目推进会。", "周明远、林海川"),  # the byline's reporters
    ("本报讯（记者 周明远 通讯员 林海川）青禾县召开项目推进会。", "周明远"),  # not the correspondent
    ("青禾縣召開項目推進會\n作者:周明遠\n正文。", "周明远"),  # traditional script, read as simplified
    ("青禾县召开项目推进会。版权归原作者所有。", ""),  # no names: nothing
    ("青禾县召开项目推进会\n作者:青禾县委宣传部办公室\n正文。", ""),  # an office, not names
])
def test_who_wrote_a_report_is_read_from_its_author_line_or_byline(raw: str, author: str) -> None:
    assert _meta(raw).author == author


@pytest.mark.parametrize(("raw", "credits"), [
    ("本报讯（记者 周明远 通讯员 林海川）青禾县召开项目推进会。", {"记者": "周明远", "通讯员": "林海川"}),
    ("本报讯（记者周明远通讯员林海川）青禾县召开项目推进会。", {"记者": "周明远", "通讯员": "林海川"}),
    ("青禾县召开项目推进会\n正文。\n编辑:王小川\n", {"编辑": "王小川"}),  # a line at the page's foot
    ("青禾县召开项目推进会\n正文。\n（责任编辑：王小川 审核：林海川）\n", {"编辑": "王小川", "审核": "林海川"}),
    ("青禾縣召開項目推進會\n正文。\n責任編輯：王小川\n", {"编辑": "王小川"}),  # traditional, read as simplified
    ("青禾县召开项目推进会\n作者:周明远 林海川 | 来源:青禾日报\n正文。", {"作者": "周明远、林海川"}),
    ("青禾县召开项目推进会。\n他说，编辑：就是给稿件把关的人。\n", {}),  # a sentence, not a credit
    ("青禾县召开项目推进会。\n" + "会议指出" * 30 + "，编辑：王小川\n", {}),  # a long line is article text
])
def test_whom_a_report_credits_is_read_by_label(raw: str, credits: dict[str, str]) -> None:
    assert _meta(raw).credits == credits


def test_a_given_author_wins() -> None:
    assert _meta("本报讯（记者 周明远）正文。", given={"author": "林海川"}).author == "林海川"


def test_title_falls_back_to_file_stem() -> None:
    assert _meta("今年是关键一年,全市上下要迅速行动起来。", path="/x/y/report_2021.txt").title == "report_2021"



def test_an_untitled_record_is_titled_by_its_lead_sentence() -> None:
    """A .jsonl line's file name says nothing about it: its first sentence does (cut to 40 characters)."""
    assert _meta("青禾县昨日召开项目推进会，部署下半年工作。会议指出要抓好项目。", path="/x/docs.jsonl:3").title == (
        "青禾县昨日召开项目推进会，部署下半年工作")
    long_lead = "岚山市" + "推进" * 30 + "。"
    assert _meta(long_lead, path="/x/docs.jsonl:4").title == long_lead[:40]


def test_year_from_title_without_date() -> None:
    meta = _meta("2021全区经济工作会议讲话\n同志们:\n今年是关键一年。")
    assert meta.date is None and meta.year == 2021


def test_given_metadata_wins_field_by_field() -> None:
    raw = "周明远:真抓实干\n发布时间:2021-06-20\n青禾县今年要加快发展。"
    meta = _meta(raw, given={"title": "给定标题", "date": "2018年5月2日", "place": "温州", "source": "某网"})
    assert (meta.title, meta.date, meta.year, meta.place, meta.source) == (
        "给定标题",
        date(2018, 5, 2),
        2018,
        "温州",
        "某网",
    )
    assert meta.speaker == "周明远"  # not given: still extracted


def test_places_are_simplified_and_ranked() -> None:
    meta = _meta("溫州通過大趕考\n溫州市近日發布消息,溫州全市與杭州一道推進,杭州方面表示歡迎。在上海設有聯絡處。")
    assert meta.place == "温州"
    assert meta.places[:2] == ["温州", "杭州"]
    assert "上海" not in meta.places, "a place named once in passing is not what the text is about"


# --- the real corpus ----------------------------------------------------------------------------------------------


def test_corpus_000(corpus_texts: dict[str, str]) -> None:
    meta = _corpus_meta(corpus_texts, "000")
    assert meta.title == "陈龙:狠下决心 大干苦干 加快发展"
    assert meta.speaker == "陈龙" and meta.place == "金华" and meta.places[0] == "金华"


def test_corpus_001(corpus_texts: dict[str, str]) -> None:
    meta = _corpus_meta(corpus_texts, "001")
    assert meta.title.endswith("總結大會上的講話")
    assert meta.date == date(2021, 6, 20) and meta.year == 2021
    assert meta.place == "宣城" and meta.speaker == ""


def test_corpus_002(corpus_texts: dict[str, str]) -> None:
    meta = _corpus_meta(corpus_texts, "002")
    assert meta.title.endswith("講評活動會上的講話")
    assert meta.speaker == ""  # only masked XX names


def test_corpus_003(corpus_texts: dict[str, str]) -> None:
    meta = _corpus_meta(corpus_texts, "003")
    assert meta.title == "溫州通過大趕考 促進改革開放再出發"
    assert meta.date == date(2019, 4, 25) and meta.place == "温州"
    assert meta.speaker == ""  # a news report: the byline authors are not speakers
    assert meta.source == "人民政协网" and len(meta.author.split("、")) == 2  # the 作者 line names two


def test_corpus_004(corpus_texts: dict[str, str]) -> None:
    meta = _corpus_meta(corpus_texts, "004")
    assert meta.title == "2021全区经济工作会议讲话成果"
    assert meta.speaker == "张希岳"
    assert meta.date == date(2021, 2, 23) and meta.year == 2021
    assert meta.place == "西峰区" and "庆阳" in meta.places


BYLINE_SPEECH = """在青禾县2024年经济工作会议上的讲话
县委书记 林海川
2024年2月18日
同志们：
今天召开全县经济工作会议，主要任务是总结去年工作，部署今年任务。
"""


def test_a_role_and_name_byline_gives_the_speaker_and_is_not_the_title():
    meta = extract_metadata(BYLINE_SPEECH, BYLINE_SPEECH, "qinghe.txt")
    assert meta.title == "在青禾县2024年经济工作会议上的讲话"
    assert meta.speaker == "林海川"
    assert meta.date == date(2024, 2, 18) and meta.year == 2024


def test_full_width_colon_after_the_salutation_ends_the_head():
    text = "在某市乡村振兴推进会上的讲话\n同志们：\n这次会议的主要任务是推动乡村振兴各项工作落地见效。\n"
    assert extract_metadata(text, text, "x.txt").title == "在某市乡村振兴推进会上的讲话"


def test_a_place_unknown_to_the_gazetteer_is_taken_from_the_speech_title():
    assert extract_metadata(BYLINE_SPEECH, BYLINE_SPEECH, "qinghe.txt").place == "青禾县"


WORK_REPORT = """澜江市2025年政府工作报告（摘要）
——2025年1月15日在澜江市第十七届人民代表大会第四次会议上
市长 沈立言

一、2025年工作安排
（一）推动产业提质升级
1.壮大先进制造业。实施技术改造项目200项，规模以上工业增加值增长7%。
"""


def test_a_work_report_outline_heading_is_not_the_title_and_the_dateline_gives_the_date():
    meta = extract_metadata(WORK_REPORT, clean(WORK_REPORT).text, "report.txt")
    assert meta.title == "澜江市2025年政府工作报告（摘要）"
    assert meta.speaker == "沈立言" and meta.date == date(2025, 1, 15)
    assert meta.place == "澜江市"


@pytest.mark.parametrize(("title", "place"), [
    ("程望舒在澜江市2025年经济工作会议上的讲话", "澜江市"),
    ("程望舒同志在澜江市委全会上的讲话", "澜江市"),
    ("青梧縣召開2025年河長制工作會議", "青梧县"),
    ("在澜江市2025年经济工作会议上的讲话", "澜江市"),
])
def test_an_unknown_place_after_the_speaker_or_before_召开_comes_from_the_title(title: str, place: str):
    text = f"{title}\n同志们：\n今天召开会议，部署今年工作。\n"
    assert extract_metadata(text, text, "x.txt").place == place


def test_a_reposts_original_headline_is_its_title() -> None:
    raw = "原标题：青梧县新建村级服务站36个          青梧县今年新建村级服务站36个，覆盖全部行政村。"
    assert _meta(raw, path="/x/news.jsonl:7").title == "青梧县新建村级服务站36个"
