"""WeCom AI bot (智能机器人, API mode): encrypted JSON, reply `stream finish:false`, serve stream refreshes.

WeCom polls with stream-refresh callbacks until it gets `finish:true` (for up to 6 min after the user's
message), so the answer is parked in the stream store (`deps.streams`: memory, or Redis so that a refresh
reaching another replica finds it) that each refresh reads. If the answer comes after that window, it goes once
to the message's `response_url` instead.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import anyio.to_thread
from starlette.responses import JSONResponse, Response

from channels.base import Adapter, AdapterDeps, IncomingMessage, OutgoingReply, RawRequest
from channels.config import WeComAIBot
from channels.errors import BadPayloadError, PlatformAPIError
from channels.im.checks import check_timestamp
from channels.im.wecom_app import echostr, signed_params
from channels.im.wecom_crypto import WeComCrypto
from channels.split import split_utf8
from channels.state import StreamJob

log = logging.getLogger(__name__)
MAX_STREAM_BYTES = 20_480
_MENTION_PREFIX = "@"


class WeComAIBotAdapter(Adapter):
    """企业微信智能机器人. The receive id is empty."""

    platform = "wecom_aibot"
    footer_style = "markdown"
    config: WeComAIBot

    def __init__(self, config: WeComAIBot, deps: AdapterDeps) -> None:
        super().__init__(config, deps)
        self.crypto = WeComCrypto(config.token, config.encoding_aes_key, config.receive_id, deps.random_bytes)
        self.streams = deps.streams
        # kept well past WeCom's refresh window, so a late refresh still finds the finished answer
        self.stream_ttl_s = 2 * max(config.stream_window_s, 360)

    def _encrypt_field(self, req: RawRequest) -> str:
        if req.method == "GET":
            return echostr(req)
        try:
            return str(json.loads(req.body)["encrypt"])
        except (ValueError, KeyError, TypeError) as exc:
            raise BadPayloadError("body is not {\"encrypt\": ...}") from exc

    def _payload(self, req: RawRequest) -> dict[str, Any]:
        try:
            payload = json.loads(self.crypto.decrypt(self._encrypt_field(req)))
        except ValueError as exc:
            raise BadPayloadError("decrypted payload is not JSON") from exc
        return payload if isinstance(payload, dict) else {}

    def verify(self, req: RawRequest) -> None:
        signature, timestamp, nonce = signed_params(req)
        check_timestamp(timestamp, self.deps.clock(), self.config.max_clock_skew_s)
        self.crypto.verify(signature, timestamp, nonce, self._encrypt_field(req))

    def handshake(self, req: RawRequest) -> Response | None:
        if req.method == "GET":
            return Response(self.crypto.decrypt(echostr(req)), media_type="text/plain")
        payload = self._payload(req)
        if payload.get("msgtype") != "stream":
            return None
        stream_id = str(payload.get("stream", {}).get("id", ""))
        job = self.streams.get(stream_id) or StreamJob(created=0.0, finished=True)  # unknown or expired: end it
        return self._stream_reply(stream_id, job)

    def _stream_id(self, msgid: str) -> str:
        # Derived from the message id, so a retried delivery gets the same stream back.
        return hashlib.sha1(f"{self.bot_id}:{msgid}".encode()).hexdigest()[:20]

    def parse(self, req: RawRequest) -> list[IncomingMessage]:
        payload = self._payload(req)
        if payload.get("msgtype") != "text":
            return []
        text = str(payload.get("text", {}).get("content", "")).strip()
        if text.startswith(_MENTION_PREFIX):  # "@RobotA hello" in groups
            text = text.partition(" ")[2].strip()
        user = str(payload.get("from", {}).get("userid", ""))
        msgid = str(payload.get("msgid", ""))
        return [IncomingMessage(
            platform=self.platform, bot_id=self.bot_id, message_id=msgid,
            conversation_id=str(payload.get("chatid") or user), user_id=user, text=text,
            is_group=payload.get("chattype") == "group", received_at=self.deps.clock(),
            reply={"stream_id": self._stream_id(msgid), "response_url": payload.get("response_url", "")},
        )]

    def ack(self, req: RawRequest, messages: list[IncomingMessage]) -> Response:
        if not messages:
            return Response(b"")
        stream_id = messages[0].reply["stream_id"]
        empty = not messages[0].text.strip()  # nothing to answer: the stream opens closed
        job = self.streams.open(stream_id, StreamJob(created=self.deps.clock(), finished=empty), self.stream_ttl_s)
        return self._stream_reply(stream_id, job)

    def _stream_reply(self, stream_id: str, job: StreamJob) -> JSONResponse:
        plain = {"msgtype": "stream", "stream": {"id": stream_id, "finish": job.finished, "content": job.content}}
        encrypt = self.crypto.encrypt(json.dumps(plain, ensure_ascii=False))
        timestamp, nonce = str(int(self.deps.clock())), self.deps.random_bytes(8).hex()
        return JSONResponse({"encrypt": encrypt, "msgsignature": self.crypto.signature(timestamp, nonce, encrypt),
                             "timestamp": timestamp, "nonce": nonce})

    async def send(self, message: IncomingMessage, reply: OutgoingReply) -> None:
        chunks = split_utf8(reply.text, MAX_STREAM_BYTES)
        content = chunks[0] if len(chunks) == 1 else split_utf8(reply.text, MAX_STREAM_BYTES - 3)[0] + "…"
        job = StreamJob(created=message.received_at, content=content, finished=True)
        await anyio.to_thread.run_sync(self.streams.put, message.reply["stream_id"], job, self.stream_ttl_s)
        late = self.deps.clock() - message.received_at > self.config.stream_window_s
        if late and message.reply["response_url"]:
            await self._post_response_url(message.reply["response_url"], content)

    async def _post_response_url(self, url: str, content: str) -> None:
        body = {"msgtype": "markdown", "markdown": {"content": content}}
        async with self.deps.http() as client:
            data = (await client.post(url, json=body)).json()
        if data.get("errcode", 0) != 0:
            raise PlatformAPIError(f"wecom response_url failed: {data.get('errcode')} {data.get('errmsg')}")
