"""DingTalk robot, HTTP callback mode: timestamp + HMAC sign, reply through the sessionWebhook."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
from typing import Any

from channels.base import Adapter, AdapterDeps, IncomingMessage, OutgoingReply, RawRequest
from channels.config import DingTalkBot
from channels.errors import (
    BadPayloadError,
    PlatformAPIError,
    ReceiverMismatchError,
    SignatureError,
    StaleTimestampError,
)
from channels.split import split_chars

log = logging.getLogger(__name__)
MAX_MARKDOWN_CHARS = 4000


def sign(timestamp_ms: str, app_secret: str) -> str:
    """base64(HMAC-SHA256(key=appSecret, msg=f"{timestamp}\\n{appSecret}"))."""
    digest = hmac.new(app_secret.encode(), f"{timestamp_ms}\n{app_secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def robot_message(payload: dict[str, Any], platform: str, bot: DingTalkBot, now: float) -> IncomingMessage | None:
    """The common message from a robot callback body (HTTP mode or a Stream frame's data); None if not text."""
    if payload.get("robotCode") and payload["robotCode"] != bot.app_key:
        raise ReceiverMismatchError(f"message for robot {payload['robotCode']}")
    webhook = payload.get("sessionWebhook", "")
    # HTTP mode signs only the timestamp, so the body is attacker-controlled: post only to DingTalk.
    if not webhook.startswith(bot.webhook_base + "/"):
        raise BadPayloadError("sessionWebhook is not under the configured webhook_base")
    if payload.get("msgtype") != "text":
        return None
    group = str(payload.get("conversationType")) == "2"
    return IncomingMessage(
        platform=platform, bot_id=bot.id, message_id=payload.get("msgId", ""),
        conversation_id=payload.get("conversationId", ""), user_id=payload.get("senderStaffId", ""),
        text=payload.get("text", {}).get("content", "").strip(), is_group=group,
        reply={"webhook": webhook, "expires_ms": int(payload.get("sessionWebhookExpiredTime") or 0),
               "staff_id": payload.get("senderStaffId", "") if group else ""},
        received_at=now,
    )


async def send_by_session(deps: AdapterDeps, message: IncomingMessage, reply: OutgoingReply) -> None:
    """POST markdown to the sessionWebhook (no auth needed), unless it has expired (about 90 min)."""
    if message.reply["expires_ms"] and deps.clock() * 1000 > message.reply["expires_ms"]:
        log.warning("sessionWebhook for %s expired; answer dropped", message.dedup_key)
        return
    async with deps.http() as client:
        for chunk in split_chars(reply.text, MAX_MARKDOWN_CHARS):
            body: dict[str, Any] = {"msgtype": "markdown", "markdown": {"title": reply.title, "text": chunk}}
            if message.reply["staff_id"]:
                body["at"] = {"atUserIds": [message.reply["staff_id"]]}
            data = (await client.post(message.reply["webhook"], json=body)).json()
            if data.get("errcode", 0) != 0:
                raise PlatformAPIError(f"dingtalk sessionWebhook failed: {data.get('errcode')} {data.get('errmsg')}")


class DingTalkAdapter(Adapter):
    """钉钉 enterprise robot in HTTP mode."""

    platform = "dingtalk"
    footer_style = "markdown"
    config: DingTalkBot

    def verify(self, req: RawRequest) -> None:
        timestamp = req.header("timestamp")
        try:
            skew_ms = abs(self.deps.clock() * 1000 - int(timestamp))
        except ValueError as exc:
            raise SignatureError("missing or non-numeric timestamp header") from exc
        if skew_ms > self.config.max_clock_skew_s * 1000:
            raise StaleTimestampError(f"timestamp is {skew_ms / 1000:.0f} s from now")
        expected = sign(timestamp, self.config.app_secret)
        if not hmac.compare_digest(expected.encode(), req.header("sign").encode()):
            raise SignatureError("sign does not match")

    def parse(self, req: RawRequest) -> list[IncomingMessage]:
        try:
            payload = json.loads(req.body)
        except ValueError as exc:
            raise BadPayloadError("body is not JSON") from exc
        message = robot_message(payload, self.platform, self.config, self.deps.clock())
        return [message] if message else []

    async def send(self, message: IncomingMessage, reply: OutgoingReply) -> None:
        await send_by_session(self.deps, message, reply)
