"""The Bot end to end over a real index: extractive answers, refusals, follow-ups, and the model path."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from openai_server import OpenAIServer, Reply
from speech_fixtures import SPEECH_LANSHAN, SPEECH_QINGHE, ingest, write
from typer.testing import CliRunner

from bot.extractive import ExtractiveAnswerer, admissible
from bot.features import FEATURES
from bot.models import Turn
from bot.pipeline import REFUSAL, Bot
from bot.scoring import Linear, load_scoring
from retrieval.lexicon import lexicon
from speechbot import wiring
from speechbot.cli import app
from speechbot.settings import Settings


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bot")
    src = root / "src"
    write(src, "qinghe.txt", SPEECH_QINGHE)
    write(src, "lanshan.txt", SPEECH_LANSHAN)
    ingest(root / "index", src)
    return root / "index"


@pytest.fixture
def server() -> Iterator[OpenAIServer]:
    with OpenAIServer() as running:
        yield running


def settings(index_dir: Path, **extra) -> Settings:
    return Settings(index=index_dir, data_dir=index_dir.parent, **extra)


def test_a_number_question_is_answered_by_quoting_the_sentence_with_its_marker(index_dir):
    answer = wiring.make_bot(settings(index_dir)).ask("青禾县今年要引进多少个亿元以上项目?")
    assert answer.found and answer.mode == "extractive"
    assert "40个" in answer.answer and "[1]" in answer.answer
    cited = answer.citations[0]
    assert "40个" in cited.text and cited.doc_id == "qinghe.txt"
    assert 0.0 <= cited.score <= 1.0 and all(v is None or 0.0 <= v <= 1.0 for v in cited.scores.values())


def test_two_asks_of_one_sentence_no_sentence_answers_whole_are_answered_apart(index_dir):
    """Two places' figures asked in one sentence: no sentence holds both, so each clause is asked alone, each
    answer from its own speech with its own marker."""
    bot = wiring.make_bot(settings(index_dir))
    answer = bot.ask("青禾县今年计划压减存量债务多少，岚山市要完成农村改厕多少户?")
    assert answer.found and answer.short == "3亿元；1.5万户"
    assert [c.doc_id for c in answer.citations[:2]] == ["qinghe.txt", "lanshan.txt"]
    # an ask counts as answered apart only with its exact span: who is in charge, which no speech says, is left
    # out, however well a sentence about the two industries matches its words
    half = bot.ask("青禾县今年计划压减存量债务多少，岚山市要培育的两大特色产业由谁负责?")
    assert half.found and half.short == "3亿元"
    assert {half.citations[q.id - 1].doc_id for q in half.quotes} == {"qinghe.txt"}


def test_an_unanswerable_question_is_refused_with_the_closest_passages(index_dir):
    answer = wiring.make_bot(settings(index_dir)).ask("青禾县的县长叫什么名字?")
    assert not answer.found
    assert answer.answer.startswith("资料中没有找到")
    assert answer.citations, "a refusal still shows what came closest"


def test_a_place_the_speeches_are_not_about_is_refused(index_dir):
    answer = wiring.make_bot(settings(index_dir)).ask("杭州今年要引进多少个亿元以上项目?")
    assert not answer.found


def test_a_follow_up_is_rewritten_and_the_rewrite_is_used(index_dir):
    bot = wiring.make_bot(settings(index_dir))
    answer = bot.ask("那粮食总产量呢?", [Turn(role="user", content="岚山市今年粮食播种面积要稳定在多少?")])
    assert answer.query.startswith("岚山") and "粮食总产量" in answer.query
    assert answer.found and "50万吨" in answer.answer


def test_with_a_model_the_checked_answer_is_returned_in_llm_mode(index_dir, server):
    server.enqueue(Reply("今年要确保引进亿元以上项目40个[1]。"))
    bot = wiring.make_bot(settings(index_dir, llm_base_url=server.base_url, llm_model="scripted", llm_timeout=5))
    answer = bot.ask("青禾县今年要引进多少个亿元以上项目?")
    assert (answer.mode, answer.found) == ("llm", True)
    assert answer.answer == "今年要确保引进亿元以上项目40个[1]。"
    prompt = str(server.requests[0]["messages"])
    assert "[1]" in prompt and "40个" in prompt, "the model is given the numbered passages"


def test_with_a_model_an_invented_number_falls_back_to_the_extractive_answer(index_dir, server):
    server.enqueue(Reply("今年要引进项目400个[1]。"), Reply("今年要引进项目400个[1]。"))
    bot = wiring.make_bot(settings(index_dir, llm_base_url=server.base_url, llm_model="scripted", llm_timeout=5))
    answer = bot.ask("青禾县今年要引进多少个亿元以上项目?")
    assert answer.mode == "llm-fallback" and "40个" in answer.answer and "400" not in answer.answer


def test_below_the_confidence_threshold_the_model_is_not_called(index_dir, server):
    bot = wiring.make_bot(settings(index_dir, llm_base_url=server.base_url, llm_model="scripted", llm_timeout=5))
    answer = bot.ask("杭州亚运会的吉祥物叫什么名字?")
    assert not answer.found and answer.mode == "extractive"
    assert server.requests == []


def _gated(index_dir: Path, server: OpenAIServer, **numbers) -> Bot:
    """A bot whose extractive answerer never answers, with the given topic threshold."""
    bot = wiring.make_bot(settings(index_dir, llm_base_url=server.base_url, llm_model="scripted", llm_timeout=5))
    scoring = dataclasses.replace(load_scoring(), answer_threshold=1.01, **numbers)
    return Bot(bot.searcher, ExtractiveAnswerer(scoring), bot.generator, bot.top_k)


def test_on_topic_passages_reach_the_model_even_when_no_sentence_answers(index_dir, server):
    """The model is gated by retrieval confidence, not by the extractive answerer's sentence choice."""
    server.enqueue(Reply("今年要确保引进亿元以上项目40个[1]。"))
    answer = _gated(index_dir, server, topic_threshold=0.0).ask("青禾县今年打算拉来多少个亿元以上的大项目?")
    assert (answer.mode, answer.found) == ("llm", True) and len(server.requests) == 1


def test_off_topic_passages_never_reach_the_model(index_dir, server):
    answer = _gated(index_dir, server, topic_threshold=1.01).ask("青禾县今年打算拉来多少个亿元以上的大项目?")
    assert not answer.found and answer.mode == "extractive" and server.requests == []


def test_with_a_model_the_follow_up_is_condensed_by_the_model_and_returned_as_query(index_dir, server):
    server.enqueue(Reply("岚山市今年粮食总产量要达到多少?", chunks=1), Reply("要确保粮食总产量达到50万吨[1]。"))
    bot = wiring.make_bot(settings(index_dir, llm_base_url=server.base_url, llm_model="scripted", llm_timeout=5))
    answer = bot.ask("那产量呢?", [Turn(role="user", content="岚山市今年粮食播种面积要稳定在多少?")])
    assert answer.query == "岚山市今年粮食总产量要达到多少?"
    assert answer.mode == "llm" and "50万吨" in answer.answer


def test_eval_reports_figures_per_mode_when_a_model_is_configured(index_dir, server, tmp_path, monkeypatch):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"question": "青禾县今年要引进多少个亿元以上项目?", "evidence": ["40个"], "answer_keys": ["40"], '
        '"answerable": true}\n'
        '{"question": "青禾县的县长叫什么名字?", "evidence": [], "answer_keys": [], "answerable": false}\n',
        encoding="utf-8")
    server.enqueue(Reply("今年要确保引进亿元以上项目40个[1]。"))
    monkeypatch.setenv("SPEECHBOT_LLM_BASE_URL", server.base_url)
    monkeypatch.setenv("SPEECHBOT_LLM_MODEL", "scripted")
    result = CliRunner().invoke(app, ["eval", str(questions), "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "answer_acc=1.000" in result.output and "refusal_acc=1.000" in result.output
    assert "mode=llm " in result.output and "mode=extractive " in result.output


PUBLISHED = """在云溪市营商环境优化大会上的讲话
发布时间：2023-05-06 来源：云溪日报
同志们：
今天召开全市营商环境优化大会，目的是动员全市上下进一步优化营商环境。今年要把企业开办时间压缩到1个工作日以内。
"""


def test_when_no_sentence_gives_the_date_the_speech_metadata_answers(tmp_path):
    write(tmp_path / "src", "yunxi.txt", PUBLISHED)
    ingest(tmp_path / "index", tmp_path / "src")
    answer = wiring.make_bot(settings(tmp_path / "index")).ask("云溪市营商环境优化大会上的讲话是什么时候发布的?")
    assert answer.found
    assert "2023年5月6日" in answer.answer and answer.answer.endswith("[1]")
    assert answer.citations[0].date == "2023-05-06"


YEAR_END = """在松岭县年终工作推进会上的讲话
同志们：
一、抓好年终工作
要立足年终岁尾，巩固全年工作成果，关键要抓好三件事。一是抓项目。各乡镇要对照全年目标任务，深入盘点重点项目的进度，查漏补缺，对进度滞后的项目要逐个分析原因，拿出针对性措施，确保按期完成年度投资计划。二是保民生。要加大社会救助工作力度，做好困难群众的基本生活保障，特别是要做好冬季供暖和农民工工资支付工作，让群众温暖过冬、安心过年。三是保稳定。要坚决克服松懈麻痹心理，认真落实安全生产责任制，加强社会治安综合治理，及时化解各类矛盾纠纷，确保社会大局和谐稳定。
二、转变工作作风
在深入一线方面，要坚持“两走工作法”。要走得进去，深入村组农户了解实情，面对面听取群众的意见建议，把问题摸清摸透，把情况掌握准确。作为基层干部，不能总想着待在办公室里布置工作，要拿出更多的时间和精力到一线去解决实际问题。要走得出来，到先进地区学习经验，把好的做法带回来，结合本地实际消化吸收，推动各项工作上台阶。
"""


@pytest.fixture(scope="module")
def small_passages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A speech cut into short passages, so that enumerations run across several of them."""
    root = tmp_path_factory.mktemp("lists")
    write(root / "src", "songling.txt", YEAR_END)
    ingest(root / "index", root / "src", chunk_size=130)
    return root / "index"


def test_a_list_running_across_passages_is_collected_with_each_item_cited_where_it_stands(small_passages):
    answer = wiring.make_bot(settings(small_passages)).ask("松岭县年终岁尾要抓好哪三件事?")
    assert answer.found
    for item in ("抓项目", "保民生", "保稳定"):
        assert item in answer.answer
    cited = {int(n) for n in re.findall(r"\[(\d)\]", answer.answer)}
    assert len(cited) >= 2, "items beyond the first passage cite the passage they stand in"
    for n in cited:
        assert answer.citations[n - 1].doc_id == "songling.txt"


def test_a_named_method_is_answered_with_its_parallel_items(small_passages):
    answer = wiring.make_bot(settings(small_passages)).ask('"两走工作法"指的是什么?')
    assert answer.found
    assert "走得进去" in answer.answer and "走得出来" in answer.answer
    assert "待在办公室" not in answer.answer, "only the parallel items, not the sentences between them"


def test_search_shows_exactly_the_passages_an_answer_is_chosen_from(small_passages):
    bot = wiring.make_bot(settings(small_passages))
    question = "松岭县年终岁尾要抓好哪三件事?"
    shown = [(h.chunk.doc_id, h.chunk.start) for h in bot.retrieve(question)]
    cited = [(c.doc_id, c.start) for c in bot.ask(question).citations]
    assert shown == cited


LIAISON = """在云岭市招商引资工作会议上的讲话
同志们：
今年全市要创新招商方式，在上海、杭州、广州、深圳等地设立4个招商联络处。今年招商引资的目标是签约亿元以上项目30个。
"""


def _bot_over(tmp_path, name: str, text: str):  # type: ignore[no-untyped-def]
    """A bot over one made-up speech."""
    write(tmp_path / "src", name, text)
    ingest(tmp_path / "index", tmp_path / "src")
    return wiring.make_bot(settings(tmp_path / "index"))


def test_a_place_named_only_in_a_list_of_places_does_not_answer_for_that_place(tmp_path):
    bot = _bot_over(tmp_path, "yunling.txt", LIAISON)
    assert not bot.ask("杭州今年招商引资的目标是多少?").found
    own = bot.ask("云岭市今年招商引资的目标是多少?")
    assert own.found and "30个" in own.answer


MASKED = """在云岭市民生工作推进会上的讲话
同志们：
今年以来，全市民生工作稳步推进。城区绿化覆盖率提高到X%，园林绿化工作走在全省前列。
全市新建社区养老服务中心12个，新增公办幼儿园学位3600个。
"""


def test_a_figure_the_text_masks_is_no_answer(tmp_path):
    bot = _bot_over(tmp_path, "yunling-minsheng.txt", MASKED)
    assert not bot.ask("云岭城区绿化覆盖率提高到了多少?").found
    shown = bot.ask("云岭市今年新建了多少个社区养老服务中心?")
    assert shown.found and "12个" in shown.answer


def test_the_reply_to_the_last_user_turn_is_what_a_follow_up_was_given(index_dir):
    from bot.models import Turn

    history = [Turn(role="user", content="青禾县去年接待游客多少人次?"), Turn(role="assistant", content="320万人次。"),
               Turn(role="user", content="岚山市呢?")]
    bot = wiring.make_bot(settings(index_dir))
    assert bot.analyze("那旅游收入是多少?", history[:2]).given == "320万人次"
    assert bot.analyze("那旅游收入是多少?", history).given == ""  # the last user turn has no reply yet
    refused = [history[0], Turn(role="assistant", content=REFUSAL.format(question="GDP?"))]
    assert bot.analyze("那旅游收入是多少?", refused).given == ""  # a refusal gave nothing


def _with_reversed_choice(index_dir: Path, **numbers) -> tuple:
    """A number question's analysis and hits, with the shipped scoring and an answerer whose choice model is the
    sentence scorer reversed (it ranks the scorer's worst sentence first)."""
    bot = wiring.make_bot(settings(index_dir))
    a = bot.analyze("青禾县今年要引进多少个亿元以上项目?")
    scoring = load_scoring()
    reversed_choice = Linear(FEATURES, tuple(-w for w in scoring.sentence.weights), -scoring.sentence.bias)
    return a, bot.retrieve(a), scoring, ExtractiveAnswerer(dataclasses.replace(scoring, choice=reversed_choice,
                                                                                **numbers))


def test_the_choice_model_orders_the_candidates_and_refusal_does_not_follow_it(index_dir: Path) -> None:
    a, hits, scoring, contrary = _with_reversed_choice(index_dir)
    plain = ExtractiveAnswerer(dataclasses.replace(scoring, choice=None))
    by_score, by_choice = plain.scored(a, hits), contrary.scored(a, hits)
    assert [c.choice for c in by_score] == [c.score for c in by_score]  # no choice model: the scorer's order
    assert by_choice[0].norm == by_score[-1].norm  # the reversed model chooses the scorer's last sentence first
    assert [c.score for c in sorted(by_choice, key=lambda c: -c.score)] == [c.score for c in by_score]
    allowed_plain = [c for c in by_score if admissible(c)]
    allowed_contrary = [c for c in by_choice if admissible(c)]
    assert plain.answerable(a, allowed_plain, hits) == contrary.answerable(a, allowed_contrary, hits)


def test_the_closest_sentence_a_model_is_gated_on_is_the_best_that_could_answer(index_dir: Path) -> None:
    """Whatever the choice model ranks first, the topic gate reads the first admissible sentence."""
    a, hits, _, contrary = _with_reversed_choice(index_dir, answer_threshold=1.01)
    ranked = contrary.scored(a, hits)
    assert not admissible(ranked[0])  # the reversed model puts a sentence that cannot answer first
    best = contrary.answer(a, hits).best
    assert best is not None and best.norm == next(c for c in ranked if admissible(c)).norm


_LEX = lexicon()
# The record's speaker answers who spoke, not who chaired (主持); its date dates the speech, not an event it tells of.
_NOT_THE_RECORDS_OWN = [
    *((f"青禾县2024年经济工作会议是谁{deed}的?", "讲话人：林海川") for deed in _LEX.other_deeds),
    *((f"青禾县经济工作会议讲话中提到的小分队精准招商是哪一年{deed}的?", "日期：2024年2月18日")
      for deed in _LEX.event_deeds),
]


def test_the_record_answers_who_spoke_and_when(index_dir):
    bot = wiring.make_bot(settings(index_dir))
    assert "林海川" in bot.ask("青禾县2024年经济工作会议上是谁讲的话?").answer
    assert "林海川" in bot.ask("青禾县2024年经济工作会议上讲话的县委书记是谁?").answer  # a role, and who spoke
    assert "2024年2月18日" in bot.ask("青禾县2024年经济工作会议上的讲话是哪天讲的?").answer


@pytest.mark.parametrize(("question", "record"), _NOT_THE_RECORDS_OWN)
def test_the_records_speaker_and_date_do_not_answer_another_deed_or_event(index_dir, question, record):
    assert record not in wiring.make_bot(settings(index_dir)).ask(question).answer


@pytest.mark.parametrize("word", _LEX.spoken)
def test_a_question_asking_who_spoke_too_may_be_answered_by_the_speaker(word):
    from bot.extractive import asks_another_deed
    from retrieval.analysis import analyze_question

    assert asks_another_deed(analyze_question("青禾县经济工作会议是谁主持的?"))
    assert not asks_another_deed(analyze_question(f"青禾县经济工作会议上主持并{word}的是谁?"))


def test_the_meeting_a_speech_was_given_at_comes_from_its_title(index_dir):
    answer = wiring.make_bot(settings(index_dir)).ask("提出要加快建设小微企业园区的那篇讲话，是在什么会议上讲的?")
    assert answer.found and answer.short == "青禾县2024年经济工作会议"
    assert "[1]" in answer.answer


SPEECH_OTHER_MEETING = """在青禾县作风建设推进会上的讲话
县委书记 林海川
2024年3月6日
同志们：
县第十五次党代会提出的“三城同创”目标，是全县今后五年的行动指南。
各级干部要真抓实干，对工作不力的要严肃问责。
"""


def test_the_meeting_of_a_speech_pointed_at_comes_from_its_record_not_a_meeting_it_names(tmp_path):
    write(tmp_path / "src", "style.txt", SPEECH_OTHER_MEETING)
    ingest(tmp_path / "index", tmp_path / "src")
    answer = wiring.make_bot(settings(tmp_path / "index")).ask("提到“三城同创”目标的那篇讲话，是在哪个会议上讲的?")
    assert answer.found and answer.short == "青禾县作风建设推进会"


def test_a_speaker_the_question_names_is_not_who_it_asks_for(index_dir):
    answer = wiring.make_bot(settings(index_dir)).ask("林海川的讲话里，是谁作了很好的发言?")
    assert "讲话人：林海川" not in answer.answer


REPORT_QINGHE = """首页>要闻
青禾县河湖长制见成效 全年清理河道垃圾3000吨
2024年05月10日 09:12 | 作者:周明远 林海川 | 来源:青禾日报
青禾日报青禾5月10日电(记者 周明远 通讯员 林海川)记者从县水利局获悉,去年全县共清理河道垃圾3000吨,新建生态护岸12公里。
县水利局局长王小川表示,今年将继续推进河湖长制,力争全县河道水质达标率达到95%。
(责任编辑:陈立新)
"""


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report")
    write(root / "src", "report.txt", REPORT_QINGHE)
    ingest(root / "index", root / "src")
    return root / "index"


def test_who_wrote_a_report_and_which_media_put_it_out_come_from_its_byline(report_dir):
    bot = wiring.make_bot(settings(report_dir))
    media = bot.ask("青禾县清理河道垃圾3000吨的那篇报道是哪家媒体发的?")
    assert media.found and media.short == "青禾日报"
    writer = bot.ask("青禾县清理河道垃圾3000吨的那篇报道,记者是谁?")
    assert writer.found and "周明远" in writer.short and "王小川" not in writer.short
    elsewhere = bot.ask("白沙镇修建跨海大桥的那篇报道,作者是谁?")  # a report the library does not hold
    assert "周明远" not in elsewhere.answer
    speaker = bot.ask("青禾县水利局的局长是谁?")  # a role in the text: still answered from the text
    assert speaker.found and "王小川" in speaker.short


def test_who_wrote_a_report_and_where_it_came_out_are_answered_together(report_dir):
    answer = wiring.make_bot(settings(report_dir)).ask("青禾县清理河道垃圾3000吨的那篇报道是哪位记者写的,发在哪家媒体?")
    assert answer.found and answer.short == "周明远，青禾日报"
    assert "记者：周明远；来源：青禾日报" in answer.answer


def test_a_report_pointed_at_as_that_article_is_answered_from_its_byline(report_dir):
    """那篇文章: jieba cuts 那/篇文章; the measure word glued to 文章 is no term a passage must hold."""
    answer = wiring.make_bot(settings(report_dir)).ask("青禾县清理河道垃圾3000吨的那篇文章是哪位记者写的?")
    assert answer.found and answer.short == "周明远"


def test_a_credit_at_the_foot_or_in_the_byline_answers_who_holds_it(report_dir):
    bot = wiring.make_bot(settings(report_dir))
    editor = bot.ask("青禾县清理河道垃圾3000吨的那篇报道,责任编辑是谁?")
    assert editor.found and editor.short == "陈立新" and "编辑：陈立新" in editor.answer
    assert bot.ask("青禾县清理河道垃圾3000吨的那篇报道,编辑是谁?").short == "陈立新"  # another wording of it
    helper = bot.ask("青禾县清理河道垃圾3000吨的那篇报道,通讯员是谁?")
    assert helper.found and helper.short == "林海川"
    assert not bot.ask("青禾县清理河道垃圾3000吨的那篇报道,摄影是谁?").found  # a credit it does not give


def test_who_gave_a_speech_and_when_are_answered_together(index_dir):
    answer = wiring.make_bot(settings(index_dir)).ask("提出要加快建设小微企业园区的那篇讲话，由谁在什么时候发表?")
    assert answer.found and answer.short == "林海川，2024年2月18日"
    assert "讲话人：林海川；日期：2024年2月18日" in answer.answer


@pytest.mark.parametrize("role", _LEX.writers)
def test_each_writer_role_asks_who_wrote_the_report(report_dir, role):
    answer = wiring.make_bot(settings(report_dir)).ask(f"青禾县清理河道垃圾3000吨的那篇报道,{role}是谁?")
    # the 作者 line names both; the byline credits 周明远 as its reporter (林海川 as its correspondent)
    assert answer.found and answer.short == {"作者": "周明远、林海川", "记者": "周明远"}[role]


def test_a_following_passage_retrieved_at_a_low_rank_keeps_its_place_for_a_list(index_dir: Path) -> None:
    """A list that runs past the best passage goes on in the next one: when the search found that one only at the
    last rank, the others give up their places to the passage after it, never that one."""
    bot = wiring.make_bot(settings(index_dir))
    first = min((h for h in bot.retrieve("青禾县去年新增市场主体多少户?") if h.chunk.doc_id == "qinghe.txt"),
                key=lambda h: h.chunk.ordinal)
    second = bot.searcher.next_passage(first)
    third = bot.searcher.next_passage(second) if second is not None else None
    assert second is not None and third is not None
    others = [h for h in bot.searcher.search("岚山市粮食播种面积", 5).hits
              if h.chunk.doc_id != first.chunk.doc_id][:3]
    assert len(others) == 3
    kept = [h.chunk.chunk_id for h in bot._with_continuation([first, *others, second])]
    assert kept[0] == first.chunk.chunk_id and len(kept) == 5
    assert second.chunk.chunk_id in kept and third.chunk.chunk_id in kept


THREE_GOALS = """在云岭市高质量发展推进会上的讲话
同志们：
这次会议，主要是统一思想、明确目标。过去一年，各县区对照“三个目标”比干劲、比实绩、比作风，赶超的氛围更浓了。
面向2028年，市委把“三个目标”定了下来：保底目标，经济总量达到800亿元；
争先目标，经济总量达到900亿元；
领跑目标，经济总量突破1000亿元。
"""


def test_the_clauses_a_sentence_announces_after_its_colon_are_the_items_of_a_list(tmp_path):
    """「把"三个目标"定了下来：保底目标，…；」 goes on after its semicolon: the list is its clauses, not another
    sentence of the document that lists things."""
    answer = _bot_over(tmp_path, "yunling-goals.txt", THREE_GOALS).ask("云岭市定下的“三个目标”分别是哪三个?")
    assert answer.found
    assert all(goal in answer.answer for goal in ("保底目标", "争先目标", "领跑目标"))
    assert "比干劲" not in answer.answer


SPIRIT = """在云岭市作风建设推进会上的讲话
市委书记 周明远
同志们：
今年以来，全市作风建设持续深化，干部队伍精神面貌焕然一新，呈现出敢闯、敢拼、敢干的良好态势。
同时也要看到，个别单位仍存在推诿扯皮、办事拖拉的问题，有的群众形容这些单位的干部是“门难进、脸难看”，必须下大力气整治。
"""


def test_a_question_asking_how_the_speech_describes_a_thing_is_answered_by_the_description(tmp_path):
    """怎么形容: the sentence gives the description (敢闯、敢拼、敢干) without the verb of describing."""
    answer = _bot_over(tmp_path, "yunling-spirit.txt", SPIRIT).ask("周明远是怎么形容全市干部的干劲的?")
    assert answer.found and "敢闯、敢拼、敢干" in answer.answer and "门难进" not in answer.answer
