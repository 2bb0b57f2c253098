"""Telegram: the secret-token header, update_id dedupe, sendMessage chunks within 4096 units."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from channel_fakes import HTTP, FakeAPI, FakeBot, im_server, wait_for
from fastapi import Request

from channels.config import TelegramBot
from channels.footer import render_answer
from channels.im.dispatch import FAILURE_TEXT

SECRET = "s3cret_-Token"
SEND = "/bot123:ABC/sendMessage"


def fake_telegram() -> FakeAPI:
    api = FakeAPI()

    @api.app.post(SEND)
    async def send_message(request: Request) -> dict:
        await api.record(request)
        return {"ok": True, "result": {"message_id": 99}}

    return api


def update(update_id: int = 1, text: str = "今年的目标是什么？", chat_id: int = 42) -> bytes:
    message = {"message_id": 7, "from": {"id": 5, "first_name": "A"}, "chat": {"id": chat_id, "type": "private"},
               "date": 0, "text": text}
    return json.dumps({"update_id": update_id, "message": message}, ensure_ascii=False).encode()


@contextmanager
def telegram(bot: FakeBot, api: FakeAPI) -> Iterator[str]:
    def bots(api_url: str) -> list[TelegramBot]:
        return [TelegramBot(platform="telegram", id="tg", bot_token="123:ABC", secret_token=SECRET,
                            api_base=api_url)]

    with im_server(api, bots, bot) as url:
        yield f"{url}/im/telegram/tg"


def post(url: str, body: bytes, secret: str | None = SECRET) -> httpx.Response:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    return HTTP.post(url, content=body, headers=headers)


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET + "x"])
def test_missing_or_wrong_secret_is_403(fake_bot: FakeBot, secret: str | None) -> None:
    api = fake_telegram()
    with telegram(fake_bot, api) as url:
        assert post(url, update(), secret).status_code == 403
        time.sleep(0.2)
        assert fake_bot.calls == [] and api.calls == []


def test_answered_once_per_update_id() -> None:
    bot, api = FakeBot(delay=1.2), fake_telegram()
    with telegram(bot, api) as url:
        started = time.monotonic()
        assert post(url, update(1)).status_code == 200
        assert time.monotonic() - started < 1.0
        assert post(url, update(1)).status_code == 200
        wait_for(lambda: api.hits(SEND))
        time.sleep(0.3)
        assert len(bot.calls) == 1
        assert api.hits(SEND)[0].json() == {"chat_id": 42, "text": render_answer(bot.answer_for("q"), "plain")}


def test_long_answer_is_split_at_4096() -> None:
    bot, api = FakeBot(text="很长的回答，" * 1000 + "完。"), fake_telegram()
    with telegram(bot, api) as url:
        post(url, update(2))
        wait_for(lambda: len(api.hits(SEND)) >= 2)
        time.sleep(0.3)
        texts = [call.json()["text"] for call in api.hits(SEND)]
        assert len(texts) == 2
        assert all(len(text.encode("utf-16-le")) // 2 <= 4096 for text in texts)
        assert "".join(texts) == render_answer(bot.answer_for("q"), "plain")


def test_follow_up_sees_history_per_chat(fake_bot: FakeBot) -> None:
    api = fake_telegram()
    with telegram(fake_bot, api) as url:
        post(url, update(1, "第一问"))
        wait_for(lambda: len(api.hits(SEND)) == 1)
        post(url, update(2, "接着呢", chat_id=43))
        wait_for(lambda: len(api.hits(SEND)) == 2)
        post(url, update(3, "追问"))
        wait_for(lambda: len(api.hits(SEND)) == 3)
        assert fake_bot.calls[1][1] == []  # another chat
        assert [t.content for t in fake_bot.calls[2][1]] == ["第一问", fake_bot.text]


def test_a_failing_bot_still_gets_a_polite_reply() -> None:
    def broken(question: str, history: list) -> None:
        raise RuntimeError("index missing")

    api = fake_telegram()
    with telegram(broken, api) as url:
        assert post(url, update(9)).status_code == 200
        wait_for(lambda: api.hits(SEND))
        assert api.hits(SEND)[0].json() == {"chat_id": 42, "text": FAILURE_TEXT}
