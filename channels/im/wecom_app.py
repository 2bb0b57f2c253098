"""WeCom self-built app: encrypted XML callback, empty passive reply, answer through message/send."""

from __future__ import annotations

from typing import Any

import defusedxml.ElementTree as SafeET
from starlette.responses import Response

from channels.base import Adapter, AdapterDeps, IncomingMessage, OutgoingReply, RawRequest
from channels.config import WeComAppBot
from channels.errors import BadPayloadError, PlatformAPIError, TokenExpiredError
from channels.im.checks import check_timestamp
from channels.im.token import TokenCache
from channels.im.wecom_crypto import WeComCrypto
from channels.split import split_utf8

MAX_CONTENT_BYTES = 2048
TOKEN_ERRORS = {40001, 40014, 42001}  # invalid credential, invalid token, token expired


def xml_fields(text: str | bytes) -> dict[str, str]:
    """The child elements of an XML root as a flat dict (CDATA or not)."""
    try:
        root = SafeET.fromstring(text)
    except Exception as exc:  # defusedxml raises ParseError or its own forbidden-construct errors
        raise BadPayloadError(f"body is not acceptable XML: {exc}") from exc
    return {child.tag: (child.text or "") for child in root}


def signed_params(req: RawRequest) -> tuple[str, str, str]:
    """(msg_signature, timestamp, nonce) from the query, already URL-decoded."""
    try:
        return req.query["msg_signature"], req.query["timestamp"], req.query["nonce"]
    except KeyError as exc:
        raise BadPayloadError(f"missing query parameter {exc}") from exc


def echostr(req: RawRequest) -> str:
    # A '+' sent unencoded arrives as a space after form-decoding; base64 never contains spaces.
    return req.query.get("echostr", "").replace(" ", "+")


class WeComAppAdapter(Adapter):
    """企业微信自建应用. The receive id is the corp id; the answer goes out in 2048-byte chunks."""

    platform = "wecom"
    config: WeComAppBot

    def __init__(self, config: WeComAppBot, deps: AdapterDeps) -> None:
        super().__init__(config, deps)
        self.crypto = WeComCrypto(config.token, config.encoding_aes_key, config.corp_id, deps.random_bytes)
        self.tokens = TokenCache(self._fetch_token, deps.clock)

    def _encrypt_field(self, req: RawRequest) -> str:
        if req.method == "GET":
            return echostr(req)
        encrypt = xml_fields(req.body).get("Encrypt", "")
        if not encrypt:
            raise BadPayloadError("no Encrypt element")
        return encrypt

    def verify(self, req: RawRequest) -> None:
        signature, timestamp, nonce = signed_params(req)
        check_timestamp(timestamp, self.deps.clock(), self.config.max_clock_skew_s)
        self.crypto.verify(signature, timestamp, nonce, self._encrypt_field(req))

    def handshake(self, req: RawRequest) -> Response | None:
        if req.method != "GET":
            return None
        # The plaintext exactly: no quotes, no BOM, no newline.
        return Response(self.crypto.decrypt(echostr(req)), media_type="text/plain")

    def parse(self, req: RawRequest) -> list[IncomingMessage]:
        fields = xml_fields(self.crypto.decrypt(self._encrypt_field(req)))
        if fields.get("MsgType") != "text":
            return []  # events and media: acknowledged, not answered
        agent = fields.get("AgentID", "")
        if agent and agent != str(self.config.agent_id):
            raise BadPayloadError(f"message for agent {agent}, not {self.config.agent_id}")
        user = fields.get("FromUserName", "")
        return [IncomingMessage(
            platform=self.platform, bot_id=self.bot_id, message_id=fields.get("MsgId", ""),
            conversation_id=user, user_id=user, text=fields.get("Content", "").strip(),
            reply={"touser": user}, received_at=self.deps.clock(),
        )]

    def ack(self, req: RawRequest, messages: list[IncomingMessage]) -> Response:
        return Response(b"", media_type="text/plain")  # empty: WeCom neither shows anything nor retries

    async def _fetch_token(self) -> tuple[str, float]:
        params = {"corpid": self.config.corp_id, "corpsecret": self.config.corp_secret}
        async with self.deps.http() as client:
            data = (await client.get(f"{self.config.api_base}/cgi-bin/gettoken", params=params)).json()
        if data.get("errcode", 0) != 0 or not data.get("access_token"):
            raise PlatformAPIError(f"wecom gettoken failed: {data.get('errcode')} {data.get('errmsg')}")
        return data["access_token"], float(data.get("expires_in", 7200))

    async def _post(self, token: str, payload: dict[str, Any]) -> None:
        url = f"{self.config.api_base}/cgi-bin/message/send"
        async with self.deps.http() as client:
            data = (await client.post(url, params={"access_token": token}, json=payload)).json()
        code = data.get("errcode", 0)
        if code in TOKEN_ERRORS:
            raise TokenExpiredError(f"wecom token rejected: {code}")
        if code != 0:
            raise PlatformAPIError(f"wecom message/send failed: {code} {data.get('errmsg')}")

    async def send(self, message: IncomingMessage, reply: OutgoingReply) -> None:
        for chunk in split_utf8(reply.text, MAX_CONTENT_BYTES):
            payload = {"touser": message.reply["touser"], "msgtype": "text", "agentid": self.config.agent_id,
                       "text": {"content": chunk}, "safe": 0}
            await self.tokens.call(lambda token, p=payload: self._post(token, p))
