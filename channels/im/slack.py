"""Slack Events API: v0 signature with a 5-minute window, url_verification, chat.postMessage."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from typing import Any

from starlette.responses import Response

from channels.base import Adapter, IncomingMessage, OutgoingReply, RawRequest
from channels.config import SlackBot
from channels.errors import BadPayloadError, PlatformAPIError, SignatureError
from channels.im.checks import check_timestamp, url_verification
from channels.split import split_chars

MAX_TEXT_CHARS = 3900  # Slack advises keeping a message's text under 4,000 characters
_MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>\s*")


def v0_signature(signing_secret: str, timestamp: str, body: bytes) -> str:
    """"v0=" + HMAC-SHA256(signing_secret, "v0:{timestamp}:{raw body}")."""
    digest = hmac.new(signing_secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return f"v0={digest}"


class SlackAdapter(Adapter):
    """Answers app mentions in channels (in a thread) and direct messages."""

    platform = "slack"
    footer_style = "slack"
    config: SlackBot

    def verify(self, req: RawRequest) -> None:
        timestamp = req.header("X-Slack-Request-Timestamp")
        if not timestamp:
            raise SignatureError("no X-Slack-Request-Timestamp")
        check_timestamp(timestamp, self.deps.clock(), self.config.max_clock_skew_s)
        expected = v0_signature(self.config.signing_secret, timestamp, req.body)
        if not hmac.compare_digest(expected.encode(), req.header("X-Slack-Signature").encode()):
            raise SignatureError("X-Slack-Signature does not match")

    @staticmethod
    def _payload(req: RawRequest) -> dict[str, Any]:
        if not req.body.lstrip().startswith(b"{"):
            return {}  # a slash command or interaction (form-encoded): not handled
        try:
            payload = json.loads(req.body)
        except ValueError as exc:
            raise BadPayloadError("body is not JSON") from exc
        return payload if isinstance(payload, dict) else {}

    def handshake(self, req: RawRequest) -> Response | None:
        return url_verification(self._payload(req))

    def parse(self, req: RawRequest) -> list[IncomingMessage]:
        event = self._payload(req).get("event", {})
        kind, direct = event.get("type"), event.get("channel_type") == "im"
        if event.get("bot_id") or event.get("subtype") or not (kind == "app_mention" or (kind == "message" and direct)):
            return []
        channel = event.get("channel", "")
        thread = event.get("thread_ts") or ("" if direct else event.get("ts", ""))
        return [IncomingMessage(
            # channel + ts names the message: retries and a mention's twin `message` event share it.
            platform=self.platform, bot_id=self.bot_id, message_id=f"{channel}:{event.get('ts', '')}",
            conversation_id=f"{channel}:{thread}", user_id=event.get("user", ""),
            text=_MENTION.sub("", event.get("text", "")).strip(), is_group=not direct,
            reply={"channel": channel, "thread_ts": thread}, received_at=self.deps.clock(),
        )]

    async def send(self, message: IncomingMessage, reply: OutgoingReply) -> None:
        headers = {"Authorization": f"Bearer {self.config.bot_token}"}
        async with self.deps.http() as client:
            for chunk in split_chars(reply.text, MAX_TEXT_CHARS):
                body = {"channel": message.reply["channel"], "text": chunk}
                if message.reply.get("thread_ts"):
                    body["thread_ts"] = message.reply["thread_ts"]
                data = (await client.post(f"{self.config.api_base}/chat.postMessage", json=body,
                                          headers=headers)).json()
                if not data.get("ok"):
                    raise PlatformAPIError(f"slack chat.postMessage failed: {data.get('error')}")
