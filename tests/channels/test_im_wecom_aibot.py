"""WeCom AI bot: URL check with receive id "", encrypted stream replies, refreshes, response_url fallback."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from channel_fakes import HTTP, FakeAPI, FakeBot, FakeClock, im_server, wait_for
from fastapi import Request
from test_wecom_crypto import AES_KEY, TOKEN

from bot.models import Answer, Turn
from channels.config import WeComAIBot
from channels.footer import render_answer
from channels.im.wecom_crypto import WeComCrypto

NOW = 1_700_000_000


class Rig:
    def __init__(self, url: str, clock: FakeClock, api_url: str) -> None:
        self.url, self.clock, self.api_url = url, clock, api_url
        self.crypto = WeComCrypto(TOKEN, AES_KEY, "")

    def _query(self, encrypt: str) -> dict[str, str]:
        ts = str(int(self.clock()))
        return {"msg_signature": self.crypto.signature(ts, "nonce1", encrypt), "timestamp": ts, "nonce": "nonce1"}

    def post(self, plain: dict[str, Any], crypto: WeComCrypto | None = None) -> httpx.Response:
        encrypt = (crypto or self.crypto).encrypt(json.dumps(plain, ensure_ascii=False))
        return HTTP.post(self.url, params=self._query(encrypt), json={"encrypt": encrypt})

    def text(self, msgid: str = "m1", content: str = "@RobotA 今年的目标是什么？") -> httpx.Response:
        return self.post({"msgid": msgid, "aibotid": "AIBOTID", "chatid": "CHAT1", "chattype": "group",
                          "from": {"userid": "alice"}, "response_url": f"{self.api_url}/respond?code=1",
                          "msgtype": "text", "text": {"content": content}})

    def refresh(self, stream_id: str) -> httpx.Response:
        return self.post({"msgid": "r", "aibotid": "AIBOTID", "chattype": "group", "from": {"userid": "alice"},
                          "msgtype": "stream", "stream": {"id": stream_id}})

    def stream(self, response: httpx.Response) -> dict[str, Any]:
        """Check the reply's signature, decrypt it, and return its `stream`."""
        body = response.json()
        self.crypto.verify(body["msgsignature"], body["timestamp"], body["nonce"], body["encrypt"])
        plain = json.loads(self.crypto.decrypt(body["encrypt"]))
        assert plain["msgtype"] == "stream"
        return plain["stream"]


def fake_response_url() -> FakeAPI:
    api = FakeAPI()

    @api.app.post("/respond")
    async def respond(request: Request) -> dict:
        await api.record(request)
        return {"errcode": 0, "errmsg": "ok"}

    return api


@contextmanager
def aibot(ask: Any, api: FakeAPI, clock: FakeClock | None = None) -> Iterator[Rig]:
    clock = clock or FakeClock(NOW)
    base: dict[str, str] = {}

    def bots(api_url: str) -> list[WeComAIBot]:
        base["url"] = api_url
        return [WeComAIBot(platform="wecom_aibot", id="ai", token=TOKEN, encoding_aes_key=AES_KEY)]

    with im_server(api, bots, ask, clock=clock) as url:
        yield Rig(f"{url}/im/wecom_aibot/ai", clock, base["url"])


def test_url_check_round_trips_with_empty_receive_id(fake_bot: FakeBot) -> None:
    with aibot(fake_bot, FakeAPI()) as rig:
        encrypted = rig.crypto.encrypt("8273645523")
        query = dict(rig._query(encrypted), echostr=encrypted)
        started = time.monotonic()
        response = HTTP.get(rig.url, params=query)
        assert time.monotonic() - started < 1.0
        assert (response.status_code, response.content) == (200, b"8273645523")
        corp = WeComCrypto(TOKEN, AES_KEY, "wxcorp").encrypt("1")  # addressed to a corp id: not for us
        assert HTTP.get(rig.url, params=dict(rig._query(corp), echostr=corp)).status_code == 403


def test_text_gets_an_open_stream_then_refreshes_finish_with_the_answer() -> None:
    bot, api = FakeBot(delay=1.0), fake_response_url()
    with aibot(bot, api) as rig:
        started = time.monotonic()
        response = rig.text()
        assert time.monotonic() - started < 1.0
        first = rig.stream(response)
        assert first["finish"] is False and first["content"] == ""
        assert rig.stream(rig.refresh(first["id"]))["finish"] is False  # still thinking
        wait_for(bot.finished.is_set)
        wait_for(lambda: rig.stream(rig.refresh(first["id"]))["finish"])
        done = rig.stream(rig.refresh(first["id"]))
        assert done == {"id": first["id"], "finish": True,
                        "content": render_answer(bot.answer_for("q"), "markdown")}
        assert bot.calls[0][0] == "今年的目标是什么？"
        assert api.calls == []  # answered within the window: no fallback


def test_retry_gets_the_same_stream_and_one_answer(fake_bot: FakeBot) -> None:
    with aibot(fake_bot, FakeAPI()) as rig:
        ids = {rig.stream(rig.text("dup"))["id"] for _ in range(3)}
        assert len(ids) == 1
        time.sleep(0.3)
        assert len(fake_bot.calls) == 1


def test_bad_signature_or_wrong_receiver_is_refused(fake_bot: FakeBot) -> None:
    with aibot(fake_bot, FakeAPI()) as rig:
        encrypt = rig.crypto.encrypt(json.dumps({"msgid": "x", "msgtype": "text", "text": {"content": "hi"}}))
        query = dict(rig._query(encrypt), msg_signature="0" * 40)
        assert HTTP.post(rig.url, params=query, json={"encrypt": encrypt}).status_code == 403
        corp = WeComCrypto(TOKEN, AES_KEY, "wxcorp")
        assert rig.post({"msgid": "y", "msgtype": "text", "text": {"content": "hi"}}, corp).status_code == 403
        time.sleep(0.2)
        assert fake_bot.calls == []


def test_late_answer_goes_once_to_response_url() -> None:
    clock, api = FakeClock(NOW), fake_response_url()
    done = threading.Event()

    def slow_ask(question: str, history: list[Turn]) -> Answer:
        clock.now += 400  # past the 6-minute refresh window
        done.set()
        return FakeBot().answer_for(question)

    with aibot(slow_ask, api, clock) as rig:
        rig.text("late")
        wait_for(lambda: api.hits("/respond"))
        time.sleep(0.3)
        (call,) = api.hits("/respond")
        assert call.query == {"code": "1"}
        assert call.json() == {"msgtype": "markdown",
                               "markdown": {"content": render_answer(FakeBot().answer_for("q"), "markdown")}}


def test_a_refresh_reaching_another_replica_gets_the_answer(redis_url: str) -> None:
    """Two routers sharing Redis are two replicas: WeCom's refreshes may land on either."""
    from channels.state import make_channel_state

    bot, clock = FakeBot(delay=0.3), FakeClock(NOW)

    def bots(_api_url: str) -> list[WeComAIBot]:
        return [WeComAIBot(platform="wecom_aibot", id="ai", token=TOKEN, encoding_aes_key=AES_KEY)]

    with im_server(FakeAPI(), bots, bot, clock=clock, state=make_channel_state(redis_url)) as first, \
            im_server(FakeAPI(), bots, bot, clock=clock, state=make_channel_state(redis_url)) as second:
        rig_a, rig_b = (Rig(f"{url}/im/wecom_aibot/ai", clock, "") for url in (first, second))
        stream_id = rig_a.stream(rig_a.text("m-shared"))["id"]
        assert rig_b.stream(rig_b.text("m-shared"))["id"] == stream_id  # WeCom's retry, to the other replica
        wait_for(lambda: rig_b.stream(rig_b.refresh(stream_id))["finish"])
        assert rig_b.stream(rig_b.refresh(stream_id))["content"] == render_answer(bot.answer_for("q"), "markdown")
        time.sleep(0.3)
        assert len(bot.calls) == 1
