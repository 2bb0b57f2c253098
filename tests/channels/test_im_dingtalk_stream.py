"""DingTalk Stream mode: a fake gateway (connections/open + a WebSocket) pushes CALLBACK frames."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest
from channel_fakes import FakeAPI, FakeBot, im_server, wait_for
from fastapi import Request, WebSocket, WebSocketDisconnect

from channels.config import DingTalkBot
from channels.footer import render_answer

pytest.importorskip("dingtalk_stream")

TOPIC = "/v1.0/im/bot/messages/get"


def frame(message_id: str, msg_id: str, webhook: str) -> str:
    data = {"msgtype": "text", "text": {"content": "今年的目标是什么？"}, "msgId": msg_id, "conversationType": "1",
            "conversationId": "cid", "senderStaffId": "staff1", "sessionWebhook": webhook,
            "sessionWebhookExpiredTime": int(time.time() * 1000) + 5_400_000, "robotCode": "dingkey"}
    return json.dumps({"specVersion": "1.0", "type": "CALLBACK", "data": json.dumps(data, ensure_ascii=False),
                       "headers": {"messageId": message_id, "topic": TOPIC, "contentType": "application/json",
                                   "appId": "app", "connectionId": "c1", "time": "0"}})


class Gateway:
    """The fake DingTalk open API: connections/open, the stream WebSocket, and a sessionWebhook."""

    def __init__(self, frames: list[tuple[str, str]]) -> None:
        self.api = FakeAPI()
        self.acks: list[tuple[float, dict[str, Any]]] = []
        app = self.api.app

        @app.post("/v1.0/gateway/connections/open")
        async def open_connection(request: Request) -> dict:
            await self.api.record(request)
            return {"endpoint": str(request.base_url).replace("http", "ws", 1) + "connect", "ticket": "tk+1"}

        @app.websocket("/connect")
        async def connect(websocket: WebSocket) -> None:
            await websocket.accept()
            assert websocket.query_params["ticket"] == "tk+1"
            webhook = str(websocket.base_url).replace("ws", "http", 1) + "robot/sendBySession?s=1"
            for message_id, msg_id in frames:
                await websocket.send_text(frame(message_id, msg_id, webhook))
            try:
                while True:
                    self.acks.append((time.monotonic(), json.loads(await websocket.receive_text())))
            except WebSocketDisconnect:
                pass
            except asyncio.CancelledError:
                raise

        @app.post("/robot/sendBySession")
        async def send(request: Request) -> dict:
            await self.api.record(request)
            return {"errcode": 0}


def test_ack_comes_before_the_answer_and_a_redelivery_is_answered_once() -> None:
    bot = FakeBot(delay=1.5)
    gateway = Gateway([("mid-1", "msg-1"), ("mid-2", "msg-1")])  # the same message delivered twice

    def bots(api_url: str) -> list[DingTalkBot]:
        return [DingTalkBot(platform="dingtalk", id="st", app_key="dingkey", app_secret="sec", mode="stream",
                            api_base=api_url, webhook_base=api_url)]

    with im_server(gateway.api, bots, bot):
        wait_for(lambda: len(gateway.acks) == 2, timeout=5)
        assert not bot.finished.is_set()  # both acks arrived while the bot was still thinking
        acks = {ack["headers"]["messageId"]: ack for _, ack in gateway.acks}
        assert set(acks) == {"mid-1", "mid-2"} and all(ack["code"] == 200 for ack in acks.values())
        assert json.loads(acks["mid-1"]["data"]) == {"response": "OK"}
        wait_for(lambda: gateway.api.hits("/robot/sendBySession"), timeout=5)
        time.sleep(0.3)
        (opened,) = gateway.api.hits("/v1.0/gateway/connections/open")
        assert opened.json()["clientId"] == "dingkey" and opened.json()["clientSecret"] == "sec"
        assert opened.json()["subscriptions"] == [{"type": "CALLBACK", "topic": TOPIC}]
        assert len(bot.calls) == 1
        (sent,) = gateway.api.hits("/robot/sendBySession")
        assert sent.json()["markdown"]["text"] == render_answer(bot.answer_for("q"), "markdown")
        assert "at" not in sent.json()  # a 1:1 chat: no @


def test_missing_sdk_says_which_extra_to_install(monkeypatch: pytest.MonkeyPatch, fake_bot: FakeBot) -> None:
    import sys

    from channels.errors import MissingExtraError
    from channels.im.registry import make_im_router

    monkeypatch.setitem(sys.modules, "dingtalk_stream", None)  # makes `import dingtalk_stream` fail
    bot = DingTalkBot(platform="dingtalk", id="st", app_key="k", app_secret="s", mode="stream")
    with pytest.raises(MissingExtraError, match="dingtalk-stream"):
        make_im_router([bot], fake_bot)
