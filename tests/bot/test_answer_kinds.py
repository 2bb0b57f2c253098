"""The answerer on the kinds of question that were refused or answered wrongly before (made-up reports and
questions; the fitted scorer shipped in bot/data/scoring.json decides)."""

from __future__ import annotations

import pytest

from bot.models import Turn
from bot.pipeline import Bot
from speechbot import wiring
from speechbot.settings import Settings
from tests.bot.report_fixtures import write_reports
from tests.speech_fixtures import ingest


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    root = tmp_path_factory.mktemp("kinds")
    ingest(root / "index", write_reports(root / "src"))
    return wiring.make_bot(Settings(index=root / "index", data_dir=root))


def _cited(answer) -> set[str]:  # type: ignore[no-untyped-def]
    return {answer.citations[q.id - 1].doc_id for q in answer.quotes}


def test_a_rank_is_answered_from_the_sentence_that_states_it(bot: Bot) -> None:
    a = bot.ask("苏州上半年地区生产总值的增速排全省第几?")
    assert a.found and "第三" in a.answer and "第三" in a.short


def test_a_date_inside_an_event_sentence_answers_when(bot: Bot) -> None:
    a = bot.ask("无锡的全市安全生产工作会议是什么时候召开的?")
    assert a.found and a.short == "5月8日"


def test_the_name_of_an_award_is_answered(bot: Bot) -> None:
    a = bot.ask("白沙村被评为了什么称号?")
    assert a.found and "省级美丽乡村示范村" in a.answer


def test_who_holds_a_role(bot: Bot) -> None:
    a = bot.ask("报道里提到的无锡市长是谁?")
    assert a.found and a.short == "赵建军"


def test_who_took_a_post_is_answered(bot: Bot) -> None:
    a = bot.ask("青禾县文联五届三次执委会议选出的秘书长是谁?")
    assert a.found and a.short == "张约翰"


def test_the_records_speaker_does_not_answer_who_holds_a_role() -> None:
    """The record names who spoke (周明远); a who-question naming a role asks who holds it, unless it asks who spoke."""
    from bot.extractive import ExtractiveAnswerer
    from bot.scoring import load_scoring
    from retrieval.analysis import analyze_question
    from retrieval.models import Chunk, DocumentMeta, Hit, Scores
    from retrieval.textnorm import normalize

    norm = normalize("青禾县文联召开全委会议,会议增补了一名副主席,周明远在会上讲话。")
    chunk = Chunk(chunk_id=0, doc_id="d", ordinal=0, heading="", start=0, end=len(norm), text=norm, norm=norm)
    hits = [Hit(chunk=chunk, meta=DocumentMeta(title="青禾县文联召开全委会议", speaker="周明远"), score=1.0,
                scores=Scores(fused=1.0, rerank=1.0))]
    answerer = ExtractiveAnswerer(load_scoring())

    def record(question: str) -> str:
        a = analyze_question(question)
        found = answerer._from_metadata(a, answerer.scored(a, hits), hits)
        return found[0] if found else ""

    assert record("青禾县文联全委会议上增补的副主席是谁?") == ""
    assert record("青禾县文联全委会议上讲话的是谁?") == "周明远"


def test_a_reports_own_date_does_not_date_a_meeting_its_text_dates_otherwise(bot: Bot) -> None:
    a = bot.ask("青禾县文联五届四次执委会议在哪一天举行?")  # the text dates the third on 6月20日; not the fourth
    assert "2023年6月21日" not in a.answer
    assert bot.ask("青禾县文联五届三次执委会议在哪一天举行?").short == "6月20日"


def test_a_paraphrased_measure_is_answered(bot: Bot) -> None:
    a = bot.ask("苏州重点项目真正开工的比例是多少?")
    assert a.found and "92%" in a.answer


def test_the_short_answer_opens_the_answer(bot: Bot) -> None:
    a = bot.ask("白沙村去年村集体经济收入有多少?")
    assert a.found and a.short == "386万元"
    assert a.answer.startswith("386万元") and "[" in a.answer
    assert a.quotes and a.quotes[0].text in a.citations[a.quotes[0].id - 1].text


def test_another_period_is_not_an_answer(bot: Bot) -> None:
    a = bot.ask("苏州第三季度规上工业增加值增长了多少?")
    assert not a.found and a.citations


def test_another_year_is_not_an_answer(bot: Bot) -> None:
    a = bot.ask("苏州2021年的社会消费品零售总额是多少?")
    assert not a.found


def test_another_round_is_not_an_answer(bot: Bot) -> None:
    assert bot.ask("无锡第四轮结对帮扶落实了多少帮扶资金?").found
    assert not bot.ask("无锡第三轮结对帮扶落实了多少帮扶资金?").found


def test_a_meeting_on_another_day_is_not_an_answer(bot: Bot) -> None:
    assert bot.ask("无锡5月8日召开的全市安全生产工作会议上，哪位市领导出席并讲话?").found
    assert not bot.ask("无锡6月18日召开的全市安全生产工作会议上，哪位市领导出席并讲话?").found


def test_a_how_many_question_is_not_answered_by_a_sentence_without_a_figure(bot: Bot) -> None:
    # the only sentence about the meeting says when it met, not how many came
    a = bot.ask("无锡召开的全市招商引资大会有多少家企业参加?")
    assert not a.found and a.citations


def test_a_comparison_answers_each_side_from_its_own_document(bot: Bot) -> None:
    a = bot.ask("苏州和无锡的招商引资有什么不同?")
    assert a.found
    assert {"suzhou-investment", "wuxi-investment"} <= _cited(a)
    assert "产业链招商" in a.answer and "以商招商" in a.answer


def test_a_comparison_spread_by_fenbie_answers_each_side_with_its_own_figure(bot: Bot) -> None:
    a = bot.ask("苏州和无锡今年的招商引资大会分别提出全年力争引进多少个项目?")
    assert a.found and {"suzhou-investment", "wuxi-investment"} <= _cited(a)
    assert "苏州：300个" in a.short and "无锡：150个" in a.short


def test_a_comparison_with_one_side_unsaid_says_so_for_that_side(bot: Bot) -> None:
    a = bot.ask("苏州和南通的招商引资有什么不同?")
    assert a.found and "产业链招商" in a.answer
    assert "南通：资料中没有找到" in a.answer
    assert _cited(a) == {"suzhou-investment"}


def test_a_pronoun_follow_up_is_resolved_against_the_previous_turn(bot: Bot) -> None:
    history = [Turn(role="user", content="白沙村被评为了什么称号?"),
               Turn(role="assistant", content="省级美丽乡村示范村")]
    a = bot.ask("它现在有多少户村民?", history)
    assert a.found and "1260户" in a.answer


def test_a_list_question_quotes_the_items_not_the_announcement(bot: Bot) -> None:
    a = bot.ask("无锡安全生产工作会议要求抓好哪四件事?")
    assert a.found
    assert all(item in a.answer for item in ("压实企业主体责任", "深化隐患排查整治", "严格督查考核"))


def test_an_unrelated_question_is_refused_with_the_closest_passages(bot: Bot) -> None:
    a = bot.ask("杭州亚运会的吉祥物叫什么名字?")
    assert not a.found and not a.short and not a.quotes


def test_each_part_of_a_question_is_searched_on_its_own(bot: Bot) -> None:
    # one passage per search: a search for the whole question finds one of the two documents, not both
    a = bot.ask("白沙村现有多少户村民?无锡第四轮结对帮扶落实了多少帮扶资金?", top_k=1)
    assert a.found and "1260户" in a.answer and "2.6亿元" in a.answer
    assert [c.doc_id for c in a.citations] == ["baisha-village", "wuxi-pairing"]  # each part's best, in turn


def test_interleaved_hits_keep_each_search_in_order_and_each_passage_once() -> None:
    from types import SimpleNamespace

    from bot.pipeline import interleaved

    def hit(cid: str):  # type: ignore[no-untyped-def]
        return SimpleNamespace(chunk=SimpleNamespace(chunk_id=cid))

    one, two = [hit("a"), hit("b"), hit("c")], [hit("x"), hit("a")]
    hits, places = interleaved([one, two])  # type: ignore[list-item]
    assert [h.chunk.chunk_id for h in hits] == ["a", "x", "b", "c"]
    assert places == [[0, 2, 3], [1, 0]]


def _extract(chunk: str, start: int, norm: str):  # type: ignore[no-untyped-def]
    from types import SimpleNamespace

    from bot.extractive import Extract

    lead = SimpleNamespace(hit=0, sentence=SimpleNamespace(start=start), norm=norm)
    return Extract("120个。", "120个", True, (lead,)), [SimpleNamespace(chunk=SimpleNamespace(chunk_id=chunk))]  # type: ignore[arg-type]


@pytest.mark.parametrize(("chunk", "start", "norm", "side", "again"), [
    ("c1", 0, "全年力争引进120个项目", "闭幕式讲话", True),  # the sentence the first side was answered with
    ("c1", 40, "全年力争引进120个项目", "闭幕式讲话", False),  # another sentence of that passage
    ("c2", 0, "全年力争引进120个项目", "闭幕式讲话", False),  # another passage
    ("c1", 0, "开幕式讲话引进120个,闭幕式讲话引进90个", "闭幕式讲话", False),  # the sentence names this side too
])
def test_one_sentence_answers_two_sides_only_when_it_names_both(chunk: str, start: int, norm: str, side: str,
                                                                again: bool) -> None:
    from types import SimpleNamespace

    from bot.pipeline import _said_for_another

    first, first_hits = _extract("c1", 0, norm)
    later, later_hits = _extract(chunk, start, norm)
    answered = [("开幕式讲话", first)]
    assert _said_for_another(SimpleNamespace(side=side), later, later_hits, answered, first_hits) is again  # type: ignore[arg-type]


CHRONICLE = """青禾县水利志(节选)
明朝嘉靖年间,知县周明远主持修筑了环城石堤,全长三里,用条石一万余块。这也是青禾县现存最早的水利工程。
清朝乾隆年间,县民集资疏浚白沙河,河道自此通航。岚山市的水利建设则始于民国年间。
白沙大桥于2019年建成通车,全长1200米,是县内最长的桥梁。
大桥的主体工程由青禾路桥公司承建,工期两年。
"""


@pytest.fixture(scope="module")
def chronicle(tmp_path_factory: pytest.TempPathFactory) -> Bot:
    from tests.speech_fixtures import write

    root = tmp_path_factory.mktemp("chronicle")
    ingest(root / "index", write(root / "src", "chronicle.txt", CHRONICLE))
    return wiring.make_bot(Settings(index=root / "index", data_dir=root))


def test_a_sentence_pointing_back_is_quoted_with_the_one_it_points_at(chronicle: Bot) -> None:
    """这也是…: the best sentence says only that 'this' is the earliest work; the sentence before names it."""
    a = chronicle.ask("青禾县现存最早的水利工程是哪个?")
    assert a.found and "这也是青禾县现存最早的水利工程" in a.answer
    assert "环城石堤" in a.answer and a.answer.index("环城石堤") < a.answer.index("这也是")


def test_two_things_asked_together_are_both_answered_though_one_sentence_answers_one(chronicle: Bot) -> None:
    """全长多少米，由哪家公司承建: the length's sentence answers the whole question only in part; each ask is
    answered from its own search."""
    a = chronicle.ask("白沙大桥全长多少米，由哪家公司承建?")
    assert a.found and "1200米" in a.short and "青禾路桥公司" in a.answer
