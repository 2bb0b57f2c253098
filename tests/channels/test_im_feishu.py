"""Feishu: the official decrypt vector, challenges, signatures over raw bytes, reply through a fake API."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from channel_fakes import HTTP, FakeAPI, FakeBot, FakeClock, im_server, wait_for
from fastapi import Request

from channels.config import FeishuBot
from channels.footer import render_answer
from channels.im.feishu import decrypt, encrypt, signature

ENCRYPT_KEY, VERIFY_TOKEN = "test key", "vtoken"


def test_official_decrypt_vector() -> None:
    assert decrypt("test key", "P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=") == "hello world"
    assert decrypt("k", encrypt("k", "你好 world", b"\x01" * 16)) == "你好 world"


def fake_feishu(expire_first: bool = False) -> FakeAPI:
    api = FakeAPI()

    @api.app.post("/open-apis/auth/v3/tenant_access_token/internal")
    async def token(request: Request) -> dict:
        await api.record(request)
        n = len(api.hits("/open-apis/auth/v3/tenant_access_token/internal"))
        return {"code": 0, "msg": "ok", "tenant_access_token": f"t-{n}", "expire": 7200}

    @api.app.post("/open-apis/im/v1/messages/{message_id}/reply")
    async def reply(message_id: str, request: Request) -> dict:
        call = await api.record(request)
        if expire_first and call.headers["authorization"] == "Bearer t-1":
            return {"code": 99991663, "msg": "Invalid access token"}
        return {"code": 0, "msg": "success", "data": {"message_id": "om_reply"}}

    return api


NOW = 1_700_000_000.0
CREATED = str(int(NOW * 1000))  # header.create_time: milliseconds


def event(event_id: str = "ev1", text: str = "@_user_1 今年的目标是什么？", token: str = VERIFY_TOKEN) -> dict:
    message = {"message_id": "om_x", "chat_id": "oc_group", "chat_type": "group", "message_type": "text",
               "content": json.dumps({"text": text}, ensure_ascii=False),
               "mentions": [{"key": "@_user_1", "name": "speechbot"}]}
    return {"schema": "2.0",
            "header": {"event_id": event_id, "event_type": "im.message.receive_v1", "create_time": CREATED,
                       "token": token, "app_id": "cli_a", "tenant_key": "tk"},
            "event": {"sender": {"sender_id": {"open_id": "ou_alice"}, "sender_type": "user"}, "message": message}}


def signed(body: bytes, key: str = ENCRYPT_KEY, timestamp: str = "1700000000", nonce: str = "n1") -> dict:
    return {"X-Lark-Request-Timestamp": timestamp, "X-Lark-Request-Nonce": nonce,
            "X-Lark-Signature": signature(timestamp, nonce, key, body), "Content-Type": "application/json"}


def encrypted_body(payload: dict) -> bytes:
    return json.dumps({"encrypt": encrypt(ENCRYPT_KEY, json.dumps(payload), b"\x07" * 16)}).encode()


@contextmanager
def feishu(bot: FakeBot, api: FakeAPI, encrypt_key: str = ENCRYPT_KEY, **extra: object) -> Iterator[str]:
    def bots(api_url: str) -> list[FeishuBot]:
        return [FeishuBot(platform="feishu", id="fs", app_id="cli_a", app_secret="sec",
                          verification_token=VERIFY_TOKEN, encrypt_key=encrypt_key, api_base=api_url, **extra)]

    with im_server(api, bots, bot, clock=FakeClock(NOW)) as url:
        yield f"{url}/im/feishu/fs"


def test_plain_challenge_is_echoed_and_a_wrong_token_refused(fake_bot: FakeBot) -> None:
    with feishu(fake_bot, FakeAPI(), encrypt_key="") as url:
        challenge = {"challenge": "ajls384kdjx98XX", "token": VERIFY_TOKEN, "type": "url_verification"}
        response = HTTP.post(url, json=challenge)
        assert (response.status_code, response.json()) == (200, {"challenge": "ajls384kdjx98XX"})
        assert HTTP.post(url, json=dict(challenge, token="wrong")).status_code == 403


def test_encrypted_challenge_is_echoed(fake_bot: FakeBot) -> None:
    with feishu(fake_bot, FakeAPI()) as url:
        body = encrypted_body({"challenge": "c-123", "token": VERIFY_TOKEN, "type": "url_verification"})
        response = HTTP.post(url, content=body)
        assert (response.status_code, response.json()) == (200, {"challenge": "c-123"})


def test_message_is_acked_fast_and_replied_through_the_api() -> None:
    bot, api = FakeBot(delay=1.5), fake_feishu()
    with feishu(bot, api) as url:
        body = encrypted_body(event())
        started = time.monotonic()
        response = HTTP.post(url, content=body, headers=signed(body))
        assert time.monotonic() - started < 1.0 and response.status_code == 200
        assert not bot.finished.is_set()
        wait_for(lambda: api.hits("/open-apis/im/v1/messages/om_x/reply"))
        assert bot.calls[0][0] == "今年的目标是什么？"  # @_user_1 stripped, content JSON-decoded
        token_call = api.hits("/open-apis/auth/v3/tenant_access_token/internal")[0]
        assert token_call.json() == {"app_id": "cli_a", "app_secret": "sec"}
        reply = api.hits("/open-apis/im/v1/messages/om_x/reply")[0]
        assert reply.headers["authorization"] == "Bearer t-1"
        assert reply.json()["msg_type"] == "text"
        assert json.loads(reply.json()["content"]) == {"text": render_answer(bot.answer_for("q"), "plain")}


def test_duplicate_event_id_gets_one_reply(fake_bot: FakeBot) -> None:
    api = fake_feishu()
    with feishu(fake_bot, api) as url:
        for nonce in ("n1", "n2", "n3"):  # retries are signed afresh
            body = encrypted_body(event("ev-dup"))
            assert HTTP.post(url, content=body, headers=signed(body, nonce=nonce)).status_code == 200
        wait_for(lambda: api.hits("/open-apis/im/v1/messages/om_x/reply"))
        time.sleep(0.3)
        assert len(fake_bot.calls) == 1 and len(api.hits("/open-apis/im/v1/messages/om_x/reply")) == 1


def test_signature_is_over_the_raw_bytes(fake_bot: FakeBot) -> None:
    api = fake_feishu()
    with feishu(fake_bot, api, encrypt_key=ENCRYPT_KEY) as url:
        raw = json.dumps(event(), ensure_ascii=False, indent=1).encode()  # plain body, key set: signed
        headers = signed(raw)
        changed = raw.replace(b"ou_alice", b"ou_alicf")
        reserialised = json.dumps(json.loads(raw)).encode()
        assert HTTP.post(url, content=changed, headers=headers).status_code == 403
        assert HTTP.post(url, content=reserialised, headers=headers).status_code == 403
        assert HTTP.post(url, content=raw, headers=dict(headers, **{"X-Lark-Signature": "0" * 64})).status_code == 403
        assert HTTP.post(url, content=raw, headers={}).status_code == 403
        time.sleep(0.3)
        assert fake_bot.calls == [] and api.calls == []
        assert HTTP.post(url, content=raw, headers=headers).status_code == 200
        wait_for(lambda: api.hits("/open-apis/im/v1/messages/om_x/reply"))


def test_event_for_another_app_is_refused(fake_bot: FakeBot) -> None:
    api = fake_feishu()
    with feishu(fake_bot, api) as url:
        payload = event()
        payload["header"]["app_id"] = "cli_other"
        body = encrypted_body(payload)
        assert HTTP.post(url, content=body, headers=signed(body)).status_code == 403
        time.sleep(0.2)
        assert fake_bot.calls == [] and api.calls == []


@pytest.mark.parametrize("token", ["wrong", ""])
def test_wrong_verification_token_is_refused(fake_bot: FakeBot, token: str) -> None:
    with feishu(fake_bot, fake_feishu()) as url:
        body = encrypted_body(event(token=token))
        assert HTTP.post(url, content=body, headers=signed(body)).status_code == 403


def test_garbage_is_400(fake_bot: FakeBot) -> None:
    with feishu(fake_bot, fake_feishu()) as url:
        body = json.dumps({"encrypt": "not-base64!!"}).encode()
        assert HTTP.post(url, content=body, headers=signed(body)).status_code == 400
        assert HTTP.post(url, content=b"not json", headers=signed(b"not json")).status_code == 400


def test_expired_tenant_token_is_refetched_once(fake_bot: FakeBot) -> None:
    api = fake_feishu(expire_first=True)
    with feishu(fake_bot, api) as url:
        body = encrypted_body(event())
        HTTP.post(url, content=body, headers=signed(body))
        wait_for(lambda: len(api.hits("/open-apis/im/v1/messages/om_x/reply")) == 2)
        time.sleep(0.3)
        assert len(api.hits("/open-apis/auth/v3/tenant_access_token/internal")) == 2
        replies = api.hits("/open-apis/im/v1/messages/om_x/reply")
        assert [r.headers["authorization"] for r in replies] == ["Bearer t-1", "Bearer t-2"]


@pytest.mark.parametrize(("created_ago_s", "signed_ago_s"), [(3 * 86400, 0), (301, 0), (0, 301), (0, -301)])
def test_an_old_event_or_request_is_refused_as_a_replay(fake_bot: FakeBot, created_ago_s: int,
                                                         signed_ago_s: int) -> None:
    api = fake_feishu()
    with feishu(fake_bot, api) as url:
        payload = event()
        payload["header"]["create_time"] = str(int((NOW - created_ago_s) * 1000))
        body = encrypted_body(payload)
        response = HTTP.post(url, content=body, headers=signed(body, timestamp=str(int(NOW - signed_ago_s))))
        assert response.status_code == 403
        time.sleep(0.2)
        assert fake_bot.calls == [] and api.calls == []


def test_the_replay_window_is_configurable_and_plain_events_are_checked_too(fake_bot: FakeBot) -> None:
    api = fake_feishu()
    with feishu(fake_bot, api, encrypt_key="", max_clock_skew_s=600) as url:
        payload = event()
        payload["header"]["create_time"] = str(int((NOW - 400) * 1000))
        assert HTTP.post(url, json=payload).status_code == 200
        payload = event("ev2")
        payload["header"]["create_time"] = str(int((NOW - 700) * 1000))
        assert HTTP.post(url, json=payload).status_code == 403
        payload["header"]["create_time"] = "yesterday"
        assert HTTP.post(url, json=payload).status_code == 400
