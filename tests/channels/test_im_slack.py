"""Slack: the documented signature vector, the 5-minute window, url_verification, retries, chat.postMessage."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

from channel_fakes import HTTP, FakeAPI, FakeBot, FakeClock, im_server, wait_for
from fastapi import Request

from channels.config import SlackBot
from channels.footer import render_answer
from channels.im.slack import v0_signature

SECRET, TS = "8f742231b10e8888abcd99yyyzzz85a5", 1531420618
VECTOR_BODY = (
    b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
    b"&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
    b"%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14"
    b"d10d2c447fce8b6703c"
)
VECTOR_SIG = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"


def test_documented_vector() -> None:
    assert v0_signature(SECRET, str(TS), VECTOR_BODY) == VECTOR_SIG


def fake_slack() -> FakeAPI:
    api = FakeAPI()

    @api.app.post("/api/chat.postMessage")
    async def post_message(request: Request) -> dict:
        await api.record(request)
        return {"ok": True, "ts": "2.0"}

    return api


def headers(body: bytes, ts: int = TS, **extra: str) -> dict[str, str]:
    return {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": v0_signature(SECRET, str(ts), body),
            "Content-Type": "application/json", **extra}


def mention(event_id: str = "Ev1", ts: str = "1531420618.000200") -> bytes:
    event = {"type": "app_mention", "user": "U2CERLKJA", "text": "<@U0BOT> 今年的目标？", "ts": ts,
             "channel": "C1", "channel_type": "channel"}
    return json.dumps({"type": "event_callback", "event_id": event_id, "event": event}).encode()


@contextmanager
def slack(bot: FakeBot, api: FakeAPI, clock: FakeClock) -> Iterator[str]:
    def bots(api_url: str) -> list[SlackBot]:
        return [SlackBot(platform="slack", id="ws", signing_secret=SECRET, bot_token="xoxb-1",
                         api_base=f"{api_url}/api")]

    with im_server(api, bots, bot, clock=clock) as url:
        yield f"{url}/im/slack/ws"


def test_vector_request_is_accepted_over_http(fake_bot: FakeBot) -> None:
    with slack(fake_bot, fake_slack(), FakeClock(TS + 10)) as url:
        response = HTTP.post(url, content=VECTOR_BODY, headers={
            "X-Slack-Request-Timestamp": str(TS), "X-Slack-Signature": VECTOR_SIG,
            "Content-Type": "application/x-www-form-urlencoded"})
        assert response.status_code == 200  # a slash command: verified, acknowledged, not answered


def test_url_verification(fake_bot: FakeBot) -> None:
    with slack(fake_bot, fake_slack(), FakeClock(TS)) as url:
        body = json.dumps({"token": "x", "challenge": "3eZbrw1aB", "type": "url_verification"}).encode()
        response = HTTP.post(url, content=body, headers=headers(body))
        assert (response.status_code, response.json()) == (200, {"challenge": "3eZbrw1aB"})
        assert HTTP.post(url, content=body, headers=headers(body + b" ")).status_code == 403


def test_stale_or_bad_signature_is_refused_and_nothing_sent(fake_bot: FakeBot) -> None:
    api = fake_slack()
    with slack(fake_bot, api, FakeClock(TS + 301)) as url:
        body = mention()
        assert HTTP.post(url, content=body, headers=headers(body)).status_code == 403  # 301 s old
        fresh = headers(body, ts=TS + 300)
        assert HTTP.post(url, content=body + b" ", headers=fresh).status_code == 403
        assert HTTP.post(url, content=body, headers=dict(fresh, **{"X-Slack-Signature": "v0=00"})).status_code == 403
        time.sleep(0.3)
        assert fake_bot.calls == [] and api.calls == []


def test_mention_is_answered_in_thread_once_despite_retries() -> None:
    bot, api = FakeBot(delay=1.2), fake_slack()
    with slack(bot, api, FakeClock(TS)) as url:
        body = mention()
        started = time.monotonic()
        assert HTTP.post(url, content=body, headers=headers(body)).status_code == 200
        assert time.monotonic() - started < 1.0
        for retry in ("1", "2"):
            retried = HTTP.post(url, content=body, headers=headers(body, **{"X-Slack-Retry-Num": retry}))
            assert retried.status_code == 200
        wait_for(lambda: api.hits("/api/chat.postMessage"))
        time.sleep(0.3)
        assert len(bot.calls) == 1 and bot.calls[0][0] == "今年的目标？"
        (call,) = api.hits("/api/chat.postMessage")
        assert call.headers["authorization"] == "Bearer xoxb-1"
        assert call.json() == {"channel": "C1", "thread_ts": "1531420618.000200",
                               "text": render_answer(bot.answer_for("q"), "slack")}


def test_bot_messages_and_plain_channel_chatter_are_ignored(fake_bot: FakeBot) -> None:
    api = fake_slack()
    with slack(fake_bot, api, FakeClock(TS)) as url:
        for event in ({"type": "message", "text": "hi", "ts": "1.0", "channel": "C1", "channel_type": "channel"},
                      {"type": "message", "text": "hi", "ts": "2.0", "channel": "D1", "channel_type": "im",
                       "bot_id": "B1"}):
            body = json.dumps({"type": "event_callback", "event_id": "x", "event": event}).encode()
            assert HTTP.post(url, content=body, headers=headers(body)).status_code == 200
        time.sleep(0.3)
        assert fake_bot.calls == []
