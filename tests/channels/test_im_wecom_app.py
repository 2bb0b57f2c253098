"""WeCom self-built app end to end: our app and a fake WeCom API, both real HTTP servers on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
import pytest
from channel_fakes import HTTP, FakeAPI, FakeBot, FakeClock, im_app, serve, wait_for
from fastapi import Request
from test_wecom_crypto import AES_KEY, CORP_ID, ECHOSTR, MSG_ENCRYPT, TOKEN

from channels.config import WeComAppBot
from channels.footer import render_answer
from channels.im.wecom_crypto import WeComCrypto

VECTOR_TS = 1409659813
VECTOR_QUERY = {"msg_signature": "477715d11cdb4164915debcba66cb864d751f3e6", "timestamp": "1409659813",
                "nonce": "1372623149"}
VECTOR_BODY = (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><AgentID><![CDATA[218]]></AgentID>"
               f"<Encrypt><![CDATA[{MSG_ENCRYPT}]]></Encrypt></xml>")


def fake_wecom(expire_first_send: bool = False) -> FakeAPI:
    """gettoken hands out tok1, tok2, ...; message/send optionally rejects the first token as expired."""
    api = FakeAPI()

    @api.app.get("/cgi-bin/gettoken")
    async def gettoken(request: Request) -> dict:
        await api.record(request)
        n = len(api.hits("/cgi-bin/gettoken"))
        return {"errcode": 0, "errmsg": "ok", "access_token": f"tok{n}", "expires_in": 7200}

    @api.app.post("/cgi-bin/message/send")
    async def send(request: Request) -> dict:
        call = await api.record(request)
        if expire_first_send and call.query["access_token"] == "tok1":
            return {"errcode": 42001, "errmsg": "access_token expired"}
        return {"errcode": 0, "errmsg": "ok"}

    return api


@dataclass
class Rig:
    url: str
    api: FakeAPI
    bot: FakeBot
    clock: FakeClock
    crypto: WeComCrypto

    def post(self, body: str, query: dict[str, str]) -> httpx.Response:
        return HTTP.post(f"{self.url}/im/wecom/corp", params=query, content=body.encode(), timeout=5)

    def sends(self) -> list[dict]:
        return [call.json() for call in self.api.hits("/cgi-bin/message/send")]

    def message(self, msg_id: str, content: str, user: str = "alice", ts: int = VECTOR_TS) -> tuple[str, dict]:
        """An encrypted, signed text callback as WeCom would send it."""
        xml = (f"<xml><ToUserName><![CDATA[{CORP_ID}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
               f"<CreateTime>{ts}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
               f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId><AgentID>218</AgentID></xml>")
        encrypt = self.crypto.encrypt(xml)
        query = {"msg_signature": self.crypto.signature(str(ts), "n1", encrypt), "timestamp": str(ts), "nonce": "n1"}
        return f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>", query


@contextmanager
def make_rig(bot: FakeBot, api: FakeAPI, corp_id: str = CORP_ID) -> Iterator[Rig]:
    clock = FakeClock(VECTOR_TS + 2)
    with serve(api.app) as api_url:
        config = WeComAppBot(platform="wecom", id="corp", token=TOKEN, encoding_aes_key=AES_KEY, corp_id=corp_id,
                             corp_secret="secret", agent_id=218, api_base=api_url)
        with serve(im_app([config], bot, clock=clock)) as url:
            yield Rig(url, api, bot, clock, WeComCrypto(TOKEN, AES_KEY, CORP_ID))


@pytest.fixture
def rig(fake_bot: FakeBot) -> Iterator[Rig]:
    with make_rig(fake_bot, fake_wecom()) as rig:
        yield rig


def test_url_check_echoes_the_plaintext_exactly(rig: Rig) -> None:
    rig.clock.now = 1409659589
    query = {"msg_signature": "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "timestamp": "1409659589",
             "nonce": "263014780", "echostr": ECHOSTR}
    response = HTTP.get(f"{rig.url}/im/wecom/corp", params=query)  # httpx URL-encodes '+', '/' and '='
    assert response.status_code == 200
    assert response.content == b"1616140317555161061"


def test_url_check_with_bad_signature_is_403(rig: Rig) -> None:
    query = {"msg_signature": "0" * 40, "timestamp": "1409659589", "nonce": "263014780", "echostr": ECHOSTR}
    assert HTTP.get(f"{rig.url}/im/wecom/corp", params=query).status_code == 403


def test_official_message_is_acked_empty_fast_then_sent_through_the_api() -> None:
    bot = FakeBot(delay=1.5)
    with make_rig(bot, fake_wecom()) as rig:
        started = time.monotonic()
        response = rig.post(VECTOR_BODY, VECTOR_QUERY)
        assert time.monotonic() - started < 1.0
        assert (response.status_code, response.content) == (200, b"")
        assert not bot.finished.is_set()  # the ack came before the answer
        wait_for(lambda: rig.sends(), timeout=5)
        assert bot.calls[0][0] == "hello"
        assert rig.sends() == [{"touser": "mycreate", "msgtype": "text", "agentid": 218,
                                "text": {"content": render_answer(bot.answer_for("hello"), "plain")}, "safe": 0}]
        assert len(rig.api.hits("/cgi-bin/gettoken")) == 1
        assert rig.api.hits("/cgi-bin/gettoken")[0].query == {"corpid": CORP_ID, "corpsecret": "secret"}
        assert rig.api.hits("/cgi-bin/message/send")[0].query == {"access_token": "tok1"}


def test_retried_delivery_is_answered_once(rig: Rig) -> None:
    for _ in range(3):
        assert rig.post(VECTOR_BODY, VECTOR_QUERY).status_code == 200
    wait_for(lambda: rig.sends())
    time.sleep(0.3)
    assert len(rig.bot.calls) == 1
    assert len(rig.sends()) == 1


@pytest.mark.parametrize("field", ["msg_signature", "timestamp", "nonce"])
def test_bad_signature_is_403_and_nothing_is_answered(rig: Rig, field: str) -> None:
    query = dict(VECTOR_QUERY, **{field: VECTOR_QUERY[field][:-1] + "0"})
    assert rig.post(VECTOR_BODY, query).status_code == 403
    tampered = VECTOR_BODY.replace(MSG_ENCRYPT[:10], "A" + MSG_ENCRYPT[1:10])
    assert rig.post(tampered, VECTOR_QUERY).status_code == 403
    time.sleep(0.3)
    assert rig.bot.calls == [] and rig.api.calls == []


def test_stale_timestamp_is_403(rig: Rig) -> None:
    rig.clock.now = VECTOR_TS + 2 * 3600
    assert rig.post(VECTOR_BODY, VECTOR_QUERY).status_code == 403
    time.sleep(0.3)
    assert rig.bot.calls == [] and rig.api.calls == []


def test_wrong_corp_id_is_403(fake_bot: FakeBot) -> None:
    with make_rig(fake_bot, fake_wecom(), corp_id="wx0000000000000000") as rig:
        assert rig.post(VECTOR_BODY, VECTOR_QUERY).status_code == 403
        time.sleep(0.3)
        assert fake_bot.calls == [] and rig.api.calls == []


def test_expired_token_is_refetched_once_and_the_send_retried(fake_bot: FakeBot) -> None:
    with make_rig(fake_bot, fake_wecom(expire_first_send=True)) as rig:
        rig.post(VECTOR_BODY, VECTOR_QUERY)
        wait_for(lambda: len(rig.sends()) == 2)
        time.sleep(0.3)
        assert len(rig.api.hits("/cgi-bin/gettoken")) == 2
        assert [c.query["access_token"] for c in rig.api.hits("/cgi-bin/message/send")] == ["tok1", "tok2"]
        body, query = rig.message("m2", "第二个问题")  # the refreshed token is cached
        rig.post(body, query)
        wait_for(lambda: len(rig.sends()) == 3)
        assert len(rig.api.hits("/cgi-bin/gettoken")) == 2


def test_long_answer_is_split_into_2048_byte_utf8_chunks() -> None:
    bot = FakeBot(text="中华人民共和国政府工作报告。" * 130 + "结束")  # > 5000 bytes
    with make_rig(bot, fake_wecom()) as rig:
        rig.post(VECTOR_BODY, VECTOR_QUERY)
        wait_for(lambda: len(rig.sends()) >= 3)
        time.sleep(0.3)
        chunks = [send["text"]["content"] for send in rig.sends()]
        assert all(len(chunk.encode("utf-8")) <= 2048 for chunk in chunks)
        assert "".join(chunks) == render_answer(bot.answer_for("hello"), "plain")
        assert all(chunk.endswith("。") for chunk in chunks[:-1])  # cut at sentence ends


def test_follow_up_in_the_same_chat_gets_the_history(rig: Rig) -> None:
    for count, (msg_id, question) in enumerate((("m1", "第一问"), ("m2", "那第二呢")), start=1):
        body, query = rig.message(msg_id, question)
        assert rig.post(body, query).status_code == 200
        wait_for(lambda n=count: len(rig.sends()) == n)
    assert rig.bot.calls[0] == ("第一问", [])
    question, history = rig.bot.calls[1]
    assert question == "那第二呢"
    assert [(t.role, t.content) for t in history] == [("user", "第一问"), ("assistant", rig.bot.text)]
    body, query = rig.message("m3", "别人的问题", user="bob")
    rig.post(body, query)
    wait_for(lambda: len(rig.sends()) == 3)
    assert rig.bot.calls[2] == ("别人的问题", [])
    assert rig.sends()[2]["touser"] == "bob"


def test_unknown_bot_is_404(rig: Rig) -> None:
    assert HTTP.post(f"{rig.url}/im/wecom/other", content=b"x").status_code == 404
