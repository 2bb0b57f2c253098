"""Lists a speech gives as its outline (bot.outline): item headings under a heading, and marked item sentences
in a section. A made-up speech, never evaluation text."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import outline
from bot.pipeline import Bot
from retrieval.analysis import analyze_question
from retrieval.lexicon import lexicon
from speechbot import wiring
from speechbot.settings import Settings
from tests.speech_fixtures import ingest

SPEECH = """在青禾县2024年农业工作会议上的讲话
县长 周明远
同志们：今天召开全县农业工作会议，主要任务是总结去年工作，部署今年任务。
一、肯定成绩，坚定信心
一是粮食生产稳中有增。全县粮食总产达到42万吨，连续五年稳定在40万吨以上。
二是特色产业加快发展。茶叶、油茶两大产业综合产值突破30亿元，带动农户两万余户。
三是农民收入持续增长。农村居民人均可支配收入增长7.2%，增速高于城镇居民。
二、突出重点，狠抓落实
（一）围绕种业振兴干。要加快建设良种繁育基地，今年新建水稻制种基地五千亩。
（二）围绕冷链物流干。要在主产乡镇新建产地冷库20座，补齐农产品出村进城的短板。
（三）围绕品牌营销干。要办好青禾茶博会，擦亮“青禾好茶”区域公用品牌。
三、改进作风，提升效能
总体来说，改进作风要做到四条，第一，要深入基层调查研究。第二，要精简会议文件。第三，要严格督查考核。第四，要健全容错纠错机制。
四、严格制度，抓好落实
要坚决执行季度督查制度，每季度通报一次。要坚决执行限时办结制度，群众诉求三日内答复。要坚决执行约谈问责制度，对工作滞后的单位约谈主要负责人。
"""


def _library(root: Path, name: str, text: str) -> Bot:
    """A bot over one made-up document."""
    src = root / "src"
    src.mkdir()
    (src / name).write_text(text, encoding="utf-8")
    ingest(root / "index", src)
    return wiring.make_bot(Settings(index=root / "index", data_dir=root))


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    return _library(tmp_path_factory.mktemp("outline"), "qinghe-agriculture.txt", SPEECH)


def _find(bot: Bot, question: str) -> outline.Outline | None:
    index = bot.searcher.index
    docs = [d.doc_id for d in index.documents()]
    return outline.find(analyze_question(question, stats=index.words), docs, index.doc_passages,
                        bot.answerer.scoring.outline_cover)


def test_item_headings_under_a_heading_answer_a_list_question(bot: Bot) -> None:
    a = bot.ask("青禾县农业工作会议讲话在肯定成绩时概括了哪三个方面?")
    assert a.found
    for item in ("粮食生产稳中有增", "特色产业加快发展", "农民收入持续增长"):
        assert item in a.short
    assert len(a.quotes) == 3 and all(q.text in a.citations[q.id - 1].text for q in a.quotes)


def test_what_the_items_have_in_common_finds_them(bot: Bot) -> None:
    a = bot.ask("周明远讲话提出，突出重点要围绕哪几个方面干?")
    assert a.found and all(x in a.short for x in ("种业振兴", "冷链物流", "品牌营销"))


def test_marked_sentences_of_one_section_are_items(bot: Bot) -> None:
    a = bot.ask("周明远讲话说改进作风总体上要做到哪四条?")
    assert a.found
    for item in ("深入基层调查研究", "精简会议文件", "严格督查考核", "健全容错纠错机制"):
        assert item in a.short
    assert len({q.id for q in a.quotes}) == 1  # items of one passage cite it once
    assert len({(c.doc_id, c.start) for c in a.citations}) == len(a.citations)


def test_sentences_opening_alike_are_items_of_a_counted_list(bot: Bot) -> None:
    a = bot.ask("周明远讲话要求坚决执行哪三项制度?")
    assert a.found and all(x in a.short for x in ("季度督查制度", "限时办结制度", "约谈问责制度"))
    assert _find(bot, "周明远讲话要求坚决执行哪些制度?") is None  # no count asked: opening alike is no list


def test_another_count_is_another_list(bot: Bot) -> None:
    assert _find(bot, "周明远讲话说改进作风要做到哪四条?") is not None
    assert _find(bot, "周明远讲话说改进作风要做到哪三条?") is None


def test_a_word_of_one_item_asks_about_that_item(bot: Bot) -> None:
    assert _find(bot, "围绕冷链物流干有哪些要求?") is None


def test_only_a_list_question_is_answered_by_an_outline(bot: Bot) -> None:
    assert _find(bot, "改进作风要做到几条?") is None  # a number
    assert _find(bot, "改进作风有什么要求?") is None  # a statement


@pytest.mark.parametrize("frame", [*lexicon().outline_frames, "强调", "指出"])  # and the verbs of speaking
def test_a_word_naming_a_part_of_the_speech_or_its_listing_is_no_topic_of_its_items(bot: Bot, frame: str) -> None:
    found = _find(bot, f"作风{frame}有哪四条?")  # 作风 alone is too little beside a word the speech never says
    assert found is not None and len(found.items) == 4


@pytest.mark.parametrize(("label", "expected"), [
    ("(二)围绕冷链物流干", ("2", 2)), ("（十二）其他", ("2", 12)), ("三要抓好", ("要", 3)), ("二是特色产业", ("是", 2)),
    ("第四,要健全", ("0", 4)), ("二十、附则", ("3", 20)), ("一二三产业融合", None), ("要抓好三件事", None),
])
def test_an_item_marker_has_a_style_and_a_number(label: str, expected: tuple[str, int] | None) -> None:
    assert outline.marker(label) == expected


def test_children_in_two_styles_are_two_runs(tmp_path: Path) -> None:
    from retrieval.models import Chunk

    def chunk(i: int, heading: str) -> Chunk:
        return Chunk(chunk_id=i, doc_id="d", ordinal=i, heading=heading, start=i, end=i + 1, text="x", norm="x")

    labels = ["第一,总要求", "第二,总目标", "一要推进经济", "二要推进城乡", "三要推进民生", "五要跳号"]
    kids = outline.children([chunk(i, f"二、思路 > {x}") for i, x in enumerate(labels)], "二、思路")
    assert [[label for label, _ in run] for run in outline.runs(kids)] == [labels[:2], labels[2:5]]


REPORT = """青禾县首届竹木产品展销会闭幕
本报讯 青禾县首届竹木产品展销会日前在县体育馆闭幕，展期三天。
岚山竹业、白沙木艺、青禾家居三家企业现场签约，签约金额1.2亿元。
据介绍，本届展销会有两大特点：一是展品全部产自本县，县商务局首次把展位免费提供给合作社；二是同步开通网上展厅，产品当场上架销售。
"""


@pytest.fixture(scope="module")
def report_bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    return _library(tmp_path_factory.mktemp("report"), "qinghe-fair.txt", REPORT)


def test_a_list_of_other_things_does_not_answer_what_kind_is_asked(report_bot: Bot) -> None:
    # the two features share the fair and its products with the question, but list no firm
    question = "竹木产品展销会有哪些企业签约?"
    assert _find(report_bot, question) is None
    a = report_bot.ask(question)
    assert a.found and all(name in a.short for name in ("岚山竹业", "白沙木艺", "青禾家居"))
    found = _find(report_bot, "竹木产品展销会有哪些特点?")  # the kind its heading announces
    assert found is not None and len(found.items) == 2
