"""The Bot end to end over a real index: extractive answers, refusals, follow-ups, and the model path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openai_server import OpenAIServer, Reply
from speech_fixtures import SPEECH_LANSHAN, SPEECH_QINGHE, ingest, write
from typer.testing import CliRunner

from bot.models import Turn
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
    answer = bot.ask("青禾县的县长叫什么名字?")
    assert not answer.found and answer.mode == "extractive"
    assert server.requests == []


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
