"""The OpenAI-compatible API, driven by the official `openai` client against a real server on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import openai
import pytest
from channel_fakes import ANSWER_TEXT, HTTP, FakeBot, serve
from fastapi import FastAPI

from bot.models import Answer, Citation, Quote, Turn
from channels.footer import render_answer
from channels.openai_compat import make_openai_router

KEY = "sk-test-1"


@pytest.fixture
def server(fake_bot: FakeBot) -> Iterator[str]:
    app = FastAPI()
    app.include_router(make_openai_router(fake_bot, [KEY, "sk-test-2"], model_name="gov-speech-rag"))
    with serve(app) as url:
        yield url


def client(url: str, key: str = KEY) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0, timeout=10)


MESSAGES = [
    {"role": "system", "content": "你是助手"},
    {"role": "user", "content": "去年的目标是什么？"},
    {"role": "assistant", "content": "增长5%左右。"},
    {"role": "user", "content": [{"type": "text", "text": "那今年呢？"}]},
]


def test_models_lists_the_one_model(server: str) -> None:
    models = client(server).models.list()
    assert [m.id for m in models.data] == ["gov-speech-rag"]
    raw = HTTP.get(f"{server}/v1/models", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert raw["object"] == "list" and raw["data"][0]["object"] == "model"


def test_non_stream_completion(server: str, fake_bot: FakeBot) -> None:
    completion = client(server).chat.completions.create(model="gov-speech-rag", messages=MESSAGES)
    content = completion.choices[0].message.content
    assert content == render_answer(fake_bot.answer_for("那今年呢？"), "markdown")
    assert content.startswith(ANSWER_TEXT)
    assert "**来源**" in content and "《政府工作报告》（2024-03-05）" in content
    assert content.endswith("> 要坚持以人民为中心的发展思想")  # the sentence the answer cites
    assert completion.choices[0].finish_reason == "stop"
    assert completion.object == "chat.completion" and completion.model == "gov-speech-rag"
    references = completion.model_extra["references"]
    assert references[0]["title"] == "政府工作报告" and references[0]["doc_id"] == "doc1"
    question, history = fake_bot.calls[0]
    assert question == "那今年呢？"
    assert [(t.role, t.content) for t in history] == [
        ("system", "你是助手"), ("user", "去年的目标是什么？"), ("assistant", "增长5%左右。")]


def test_stream_completion_with_the_client(server: str, fake_bot: FakeBot) -> None:
    stream = client(server).chat.completions.create(model="x", messages=MESSAGES, stream=True)
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == render_answer(
        fake_bot.answer_for("那今年呢？"), "markdown")
    assert len(chunks) > 3  # streamed in pieces
    assert [c.choices[0].finish_reason for c in chunks][-1] == "stop"
    assert all(c.choices[0].finish_reason is None for c in chunks[:-1])
    assert chunks[-1].model_extra["references"][0]["text"].startswith("坚持以人民为中心")


def test_stream_raw_sse_frames(server: str) -> None:
    body = {"model": "x", "messages": [{"role": "user", "content": "问"}], "stream": True}
    with HTTP.stream("POST", f"{server}/v1/chat/completions", json=body,
                      headers={"Authorization": f"Bearer {KEY}"}) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = response.read().decode("utf-8")
    frames = raw.split("\n\n")
    assert frames[-1] == "" and frames[-2] == "data: [DONE]"
    assert all(frame.startswith("data: ") for frame in frames[:-1])
    first = json.loads(frames[0][len("data: "):])
    assert first["object"] == "chat.completion.chunk" and first["choices"][0]["delta"]["role"] == "assistant"
    last = json.loads(frames[-3][len("data: "):])
    assert last["choices"][0]["finish_reason"] == "stop"


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": KEY}])
def test_missing_or_wrong_key_is_401(server: str, fake_bot: FakeBot, headers: dict[str, str]) -> None:
    body = {"model": "x", "messages": [{"role": "user", "content": "问"}]}
    response = HTTP.post(f"{server}/v1/chat/completions", json=body, headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_api_key"
    assert HTTP.get(f"{server}/v1/models", headers=headers).status_code == 401
    assert fake_bot.calls == []


def test_client_with_wrong_key_raises_authentication_error(server: str) -> None:
    with pytest.raises(openai.AuthenticationError):
        client(server, "sk-nope").chat.completions.create(model="x", messages=MESSAGES)
    assert client(server, "sk-test-2").models.list().data  # the second key works too


def test_no_keys_means_open(fake_bot: FakeBot) -> None:
    app = FastAPI()
    app.include_router(make_openai_router(fake_bot, []))
    with serve(app) as url:
        assert client(url, "anything").models.list().data[0].id == "speechbot"


def test_no_user_message_is_400(server: str) -> None:
    with pytest.raises(openai.BadRequestError):
        client(server).chat.completions.create(model="x", messages=[{"role": "system", "content": "hi"}])


PASSAGES = ["今年的主要目标是地区生产总值增长6%左右。", "城镇新增就业2.5万人。", "新建保障性租赁住房3000套。",
            "改造城镇老旧小区60个。", "新增学位8000个。"]


def _five_passages(quotes: list[Quote]) -> Callable[[str, list[Turn]], Answer]:
    cites = [Citation(id=i + 1, doc_id=f"doc{i + 1}", title=f"报告{i + 1}", text=f"第一句。{p}", start=0, end=30,
                      score=0.9 - i / 10) for i, p in enumerate(PASSAGES)]
    text = "6%左右，2.5万人。地区生产总值增长6%左右[1]。城镇新增就业2.5万人[4]。"
    return lambda q, h: Answer(answer=text, found=True, query=q, citations=cites, quotes=quotes)


@pytest.mark.parametrize("quotes", [[], [Quote(id=1, text="今年的主要目标是地区生产总值增长6%左右。", start=4, end=24),
                                         Quote(id=4, text="改造城镇老旧小区60个。", start=4, end=16)]])
def test_footer_lists_only_cited_passages_with_their_sentence(quotes: list[Quote]) -> None:
    app = FastAPI()
    app.include_router(make_openai_router(_five_passages(quotes), []))
    with serve(app) as url:
        content = client(url).chat.completions.create(model="x", messages=MESSAGES).choices[0].message.content
        streamed = client(url).chat.completions.create(model="x", messages=MESSAGES, stream=True)
        assert "".join(c.choices[0].delta.content or "" for c in streamed if c.choices) == content
    footer = content.split("**来源**", 1)[1]
    assert "[1] **《报告1》**" in footer and "[4] **《报告4》**" in footer
    assert all(f"[{n}]" not in footer for n in (2, 3, 5))
    assert "第一句" not in footer  # the cited sentence, not the passage's first one
    first = quotes[0].text if quotes else "地区生产总值增长6%左右"
    second = quotes[1].text if quotes else "城镇新增就业2.5万人"
    assert f"> {first}" in footer and f"> {second}" in footer
