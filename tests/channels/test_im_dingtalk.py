"""DingTalk HTTP mode: sign and timestamp, robotCode, sessionWebhook on 127.0.0.1, expiry."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest
from channel_fakes import HTTP, FakeAPI, FakeBot, FakeClock, im_server, wait_for
from fastapi import Request

from channels.config import DingTalkBot
from channels.footer import render_answer
from channels.im.dingtalk import sign

SECRET, NOW = "dt-secret", 1_700_000_000.0
HOOK = "/robot/sendBySession"


def test_sign_is_base64_hmac_sha256_of_timestamp_newline_secret() -> None:
    # Self-consistency only: DingTalk publishes no vector. Computed independently with openssl:
    # printf '1700000000000\ndt-secret' | openssl dgst -sha256 -hmac dt-secret -binary | base64
    assert sign("1700000000000", SECRET) == "Ks5KundGchROaz3pffNK5hvzdR6pCQLfFcb06TVHzFc="


def fake_dingtalk() -> FakeAPI:
    api = FakeAPI()

    @api.app.post(HOOK)
    async def session_webhook(request: Request) -> dict:
        await api.record(request)
        return {"errcode": 0, "errmsg": "ok"}

    return api


class Rig:
    def __init__(self, url: str, clock: FakeClock, webhook_base: str) -> None:
        self.url, self.clock, self.webhook_base = url, clock, webhook_base

    def body(self, msg_id: str = "msg1", expires_in_ms: int = 5_400_000, **overrides: object) -> bytes:
        payload = {"msgtype": "text", "text": {"content": " 今年的目标是什么？"}, "msgId": msg_id,
                   "createAt": int(NOW * 1000), "conversationType": "2", "conversationId": "cid1",
                   "senderStaffId": "staff1", "senderNick": "张三", "isInAtList": True,
                   "sessionWebhook": f"{self.webhook_base}{HOOK}?session=abc",
                   "sessionWebhookExpiredTime": int(NOW * 1000) + expires_in_ms,
                   "robotCode": "dingappkey", "chatbotUserId": "bot1", **overrides}
        return json.dumps(payload, ensure_ascii=False).encode()

    def post(self, body: bytes, timestamp_ms: int | None = None, secret: str = SECRET) -> httpx.Response:
        ts = str(timestamp_ms if timestamp_ms is not None else int(self.clock() * 1000))
        return HTTP.post(self.url, content=body, headers={"timestamp": ts, "sign": sign(ts, secret)})


@contextmanager
def dingtalk(bot: FakeBot, api: FakeAPI) -> Iterator[Rig]:
    clock, base = FakeClock(NOW), {}

    def bots(api_url: str) -> list[DingTalkBot]:
        base["url"] = api_url
        return [DingTalkBot(platform="dingtalk", id="dt", app_key="dingappkey", app_secret=SECRET,
                            webhook_base=api_url)]

    with im_server(api, bots, bot, clock=clock) as url:
        yield Rig(f"{url}/im/dingtalk/dt", clock, base["url"])


def test_message_is_acked_fast_and_answered_through_the_session_webhook() -> None:
    bot, api = FakeBot(delay=1.2), fake_dingtalk()
    with dingtalk(bot, api) as rig:
        started = time.monotonic()
        assert rig.post(rig.body()).status_code == 200
        assert time.monotonic() - started < 1.0
        assert rig.post(rig.body()).status_code == 200  # a replay is deduplicated on msgId
        wait_for(lambda: api.hits(HOOK))
        time.sleep(0.3)
        assert len(bot.calls) == 1 and bot.calls[0][0] == "今年的目标是什么？"
        (call,) = api.hits(HOOK)
        assert call.query == {"session": "abc"}
        assert call.json() == {"msgtype": "markdown",
                               "markdown": {"title": "今年的目标是什么？",
                                            "text": render_answer(bot.answer_for("q"), "markdown")},
                               "at": {"atUserIds": ["staff1"]}}


@pytest.mark.parametrize(("offset_ms", "secret"), [(-300_001, SECRET), (300_001, SECRET), (-3_600_001, SECRET),
                                                   (0, "wrong")])
def test_stale_timestamp_or_wrong_secret_is_403(fake_bot: FakeBot, offset_ms: int, secret: str) -> None:
    api = fake_dingtalk()
    with dingtalk(fake_bot, api) as rig:
        assert rig.post(rig.body(), int(NOW * 1000) + offset_ms, secret).status_code == 403
        time.sleep(0.2)
        assert fake_bot.calls == [] and api.calls == []


def test_wrong_robot_or_foreign_webhook_is_refused(fake_bot: FakeBot) -> None:
    api = fake_dingtalk()
    with dingtalk(fake_bot, api) as rig:
        assert rig.post(rig.body(robotCode="dingother")).status_code == 403
        assert rig.post(rig.body(sessionWebhook="http://127.0.0.2:1/steal")).status_code == 400
        time.sleep(0.2)
        assert fake_bot.calls == [] and api.calls == []


def test_expired_session_webhook_is_never_posted() -> None:
    bot, api = FakeBot(delay=0.3), fake_dingtalk()
    with dingtalk(bot, api) as rig:
        assert rig.post(rig.body(expires_in_ms=100)).status_code == 200
        rig.clock.now = NOW + 1  # the webhook expired while the bot was thinking
        wait_for(bot.finished.is_set)
        time.sleep(0.4)
        assert api.calls == []
