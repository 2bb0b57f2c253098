"""Feishu / Lark event subscription v2 over HTTP: challenge, encrypt key, signature, reply API."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from starlette.responses import JSONResponse, Response

from channels.base import Adapter, AdapterDeps, IncomingMessage, OutgoingReply, RawRequest
from channels.config import FeishuBot
from channels.errors import (
    BadPayloadError,
    DecryptError,
    PlatformAPIError,
    ReceiverMismatchError,
    SignatureError,
    TokenExpiredError,
)
from channels.im.checks import check_timestamp, url_verification
from channels.im.token import TokenCache
from channels.split import split_chars

TOKEN_ERRORS = {99991661, 99991663, 99991668}  # missing, invalid, expired tenant token
MAX_TEXT_CHARS = 10_000  # far below Feishu's 150 KB request limit
_MENTION = re.compile(r"@_user_\d+\s*")


def _cipher(encrypt_key: str, iv: bytes) -> Cipher:
    return Cipher(algorithms.AES(hashlib.sha256(encrypt_key.encode("utf-8")).digest()), modes.CBC(iv))


def decrypt(encrypt_key: str, encrypted: str) -> str:
    """key = SHA256(encrypt_key); raw = IV(16) ‖ AES-256-CBC(PKCS#7, 16-byte blocks)."""
    try:
        raw = base64.b64decode(encrypted, validate=True)
        decryptor = _cipher(encrypt_key, raw[:16]).decryptor()
        padded = decryptor.update(raw[16:]) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        return (unpadder.update(padded) + unpadder.finalize()).decode("utf-8")
    except (binascii.Error, ValueError) as exc:  # bad base64, block size, padding or UTF-8
        raise DecryptError(f"cannot decrypt Feishu payload: {exc}") from exc


def encrypt(encrypt_key: str, plaintext: str, iv: bytes) -> str:
    """The inverse of `decrypt` (what Feishu sends); used by tests and tools."""
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext.encode("utf-8")) + padder.finalize()
    encryptor = _cipher(encrypt_key, iv).encryptor()
    return base64.b64encode(iv + encryptor.update(padded) + encryptor.finalize()).decode("ascii")


def signature(timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> str:
    return hashlib.sha256((timestamp + nonce + encrypt_key).encode("utf-8") + body).hexdigest()


class FeishuAdapter(Adapter):
    """飞书 app bot: verify token and signature, echo challenges, reply to the message through the API."""

    platform = "feishu"
    config: FeishuBot

    def __init__(self, config: FeishuBot, deps: AdapterDeps) -> None:
        super().__init__(config, deps)
        self.tokens = TokenCache(self._fetch_token, deps.clock)
        self._last: tuple[bytes, dict[str, Any]] = (b"", {})

    def _payload(self, req: RawRequest) -> dict[str, Any]:
        """The event, decrypted if needed; remembered for the parse that follows verify."""
        if self._last[0] == req.body and req.body:
            return self._last[1]
        try:
            body = json.loads(req.body)
            if isinstance(body, dict) and "encrypt" in body:
                if not self.config.encrypt_key:
                    raise BadPayloadError("encrypted event but no encrypt_key is configured")
                body = json.loads(decrypt(self.config.encrypt_key, body["encrypt"]))
        except ValueError as exc:
            raise BadPayloadError(f"body is not JSON: {exc}") from exc
        if not isinstance(body, dict):
            raise BadPayloadError("body is not a JSON object")
        self._last = (req.body, body)
        return body

    def verify(self, req: RawRequest) -> None:
        payload = self._payload(req)
        token = payload.get("token") if payload.get("type") == "url_verification" else (
            payload.get("header", {}).get("token") or payload.get("token"))
        if not hmac.compare_digest(str(token or "").encode(), self.config.verification_token.encode()):
            raise SignatureError("verification token does not match")
        app_id = payload.get("header", {}).get("app_id")
        if app_id and app_id != self.config.app_id:
            raise ReceiverMismatchError(f"event for app {app_id}")
        if payload.get("type") == "url_verification":
            return
        if self.config.encrypt_key:  # as lark-oapi does
            expected = signature(req.header("X-Lark-Request-Timestamp"), req.header("X-Lark-Request-Nonce"),
                                 self.config.encrypt_key, req.body)
            if not hmac.compare_digest(expected.encode(), req.header("X-Lark-Signature").encode()):
                raise SignatureError("X-Lark-Signature does not match")
        self._check_fresh(req, payload)

    def _check_fresh(self, req: RawRequest, payload: dict[str, Any]) -> None:
        """The replay window: the signed request time and the event's own creation time must both be recent."""
        now, window = self.deps.clock(), self.config.max_clock_skew_s
        if stamp := req.header("X-Lark-Request-Timestamp"):
            check_timestamp(stamp, now, window)
        created = str(payload.get("header", {}).get("create_time") or "")
        if created:
            if not created.isdigit():
                raise BadPayloadError("header.create_time is not a number of milliseconds")
            check_timestamp(str(int(created) // 1000), now, window)

    def handshake(self, req: RawRequest) -> Response | None:
        return url_verification(self._payload(req))

    def parse(self, req: RawRequest) -> list[IncomingMessage]:
        payload = self._payload(req)
        header, event = payload.get("header", {}), payload.get("event", {})
        message = event.get("message", {})
        if header.get("event_type") != "im.message.receive_v1" or message.get("message_type") != "text":
            return []
        if event.get("sender", {}).get("sender_type") not in {"user", None}:
            return []  # never answer other bots
        try:
            text = json.loads(message.get("content", "{}")).get("text", "")
        except ValueError as exc:
            raise BadPayloadError("message content is not a JSON string") from exc
        sender = event.get("sender", {}).get("sender_id", {})
        return [IncomingMessage(
            platform=self.platform, bot_id=self.bot_id, message_id=header.get("event_id", ""),
            conversation_id=message.get("chat_id", ""), user_id=sender.get("open_id", ""),
            text=_MENTION.sub("", text).strip(), is_group=message.get("chat_type") == "group",
            reply={"message_id": message.get("message_id", "")}, received_at=self.deps.clock(),
        )]

    def ack(self, req: RawRequest, messages: list[IncomingMessage]) -> Response:
        return JSONResponse({})

    async def _fetch_token(self) -> tuple[str, float]:
        url = f"{self.config.api_base}/open-apis/auth/v3/tenant_access_token/internal"
        body = {"app_id": self.config.app_id, "app_secret": self.config.app_secret}
        async with self.deps.http() as client:
            data = (await client.post(url, json=body)).json()
        if data.get("code") != 0 or not data.get("tenant_access_token"):
            raise PlatformAPIError(f"feishu tenant_access_token failed: {data.get('code')} {data.get('msg')}")
        return data["tenant_access_token"], float(data.get("expire", 7200))

    async def _reply(self, token: str, message_id: str, text: str) -> None:
        url = f"{self.config.api_base}/open-apis/im/v1/messages/{message_id}/reply"
        body = {"msg_type": "text", "content": json.dumps({"text": text}, ensure_ascii=False)}
        async with self.deps.http() as client:
            response = await client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
        data = response.json()
        if data.get("code") in TOKEN_ERRORS:
            raise TokenExpiredError(f"feishu token rejected: {data.get('code')}")
        if data.get("code") != 0:
            raise PlatformAPIError(f"feishu reply failed: {data.get('code')} {data.get('msg')}")

    async def send(self, message: IncomingMessage, reply: OutgoingReply) -> None:
        for chunk in split_chars(reply.text, MAX_TEXT_CHARS):
            await self.tokens.call(lambda token, c=chunk: self._reply(token, message.reply["message_id"], c))
