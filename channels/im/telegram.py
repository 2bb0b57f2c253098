"""Telegram webhook: the secret-token header, dedupe on update_id, sendMessage in 4096-unit chunks."""

from __future__ import annotations

import hmac
import json
import re
from typing import Any

from channels.base import Adapter, IncomingMessage, OutgoingReply, RawRequest
from channels.config import TelegramBot
from channels.errors import BadPayloadError, PlatformAPIError, SignatureError
from channels.split import split_text, utf16_size

MAX_TEXT_UNITS = 4096  # Telegram counts UTF-16 code units
_LEADING_MENTION = re.compile(r"^@\w+\s*")


class TelegramAdapter(Adapter):
    """Answers text messages; in groups Telegram's privacy mode already limits them to mentions and replies."""

    platform = "telegram"
    config: TelegramBot

    def verify(self, req: RawRequest) -> None:
        given = req.header("X-Telegram-Bot-Api-Secret-Token").encode()
        if not hmac.compare_digest(given, self.config.secret_token.encode()):
            raise SignatureError("X-Telegram-Bot-Api-Secret-Token does not match")

    def parse(self, req: RawRequest) -> list[IncomingMessage]:
        try:
            update: dict[str, Any] = json.loads(req.body)
        except ValueError as exc:
            raise BadPayloadError("update is not JSON") from exc
        message = update.get("message") or {}
        text = message.get("text", "")
        if not text or text.startswith("/start"):
            return []
        chat = message.get("chat", {})
        return [IncomingMessage(
            platform=self.platform, bot_id=self.bot_id, message_id=str(update.get("update_id", "")),
            conversation_id=str(chat.get("id", "")), user_id=str(message.get("from", {}).get("id", "")),
            text=_LEADING_MENTION.sub("", text).strip(), is_group=chat.get("type") in {"group", "supergroup"},
            reply={"chat_id": chat.get("id"), "message_id": message.get("message_id")},
            received_at=self.deps.clock(),
        )]

    async def send(self, message: IncomingMessage, reply: OutgoingReply) -> None:
        url = f"{self.config.api_base}/bot{self.config.bot_token}/sendMessage"
        async with self.deps.http() as client:
            for chunk in split_text(reply.text, MAX_TEXT_UNITS, utf16_size):
                body: dict[str, Any] = {"chat_id": message.reply["chat_id"], "text": chunk}
                if message.is_group and message.reply.get("message_id"):
                    body["reply_parameters"] = {"message_id": message.reply["message_id"]}
                data = (await client.post(url, json=body)).json()
                if not data.get("ok"):
                    raise PlatformAPIError(f"telegram sendMessage failed: {data.get('description')}")
