"""The adapter interface: verify → handshake → parse → ack fast → answer in the background → send."""

from __future__ import annotations

import functools
import os
import ssl
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx
from starlette.responses import Response

from bot.models import Answer, Turn
from channels.footer import FooterStyle, render_answer
from channels.state import Streams
from channels.state.memory import MemoryStreams

AskFn = Callable[[str, list[Turn]], Answer]
"""The bot: (question, history) -> Answer. Synchronous and possibly slow; always called in a worker thread."""

Clock = Callable[[], float]
RandomBytes = Callable[[int], bytes]
HttpClientFactory = Callable[[], httpx.AsyncClient]


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    return httpx.create_ssl_context()  # building one loads the CA bundle: ~50 ms, so build it once


def default_http_client() -> httpx.AsyncClient:
    """An outbound client with a bounded timeout; platform APIs answer in well under 10 s."""
    return httpx.AsyncClient(timeout=10.0, verify=_ssl_context())


@dataclass(frozen=True)
class AdapterDeps:
    """What every adapter needs from outside, injectable so tests control time, randomness and HTTP."""

    clock: Clock = time.time
    http: HttpClientFactory = default_http_client
    random_bytes: RandomBytes = os.urandom
    streams: Streams = field(default_factory=MemoryStreams)  # WeCom AI bot answers, refreshed by any replica


@dataclass(frozen=True)
class RawRequest:
    """An inbound callback exactly as received: signatures are checked over `body`, never re-serialised JSON."""

    method: str
    query: Mapping[str, str]
    headers: Mapping[str, str]  # keys lower-cased
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name.lower(), "")


@dataclass(frozen=True)
class IncomingMessage:
    """One user message, the same for every platform."""

    platform: str
    bot_id: str
    message_id: str  # the platform's message or event id, the deduplication key
    conversation_id: str  # chat or user: follow-ups in the same chat share history
    user_id: str
    text: str
    is_group: bool = False
    reply: Mapping[str, Any] = field(default_factory=dict)  # where the answer goes (chat id, webhook, ...)
    received_at: float = 0.0

    @property
    def dedup_key(self) -> str:
        return f"{self.platform}:{self.bot_id}:{self.message_id}"

    @property
    def conversation_key(self) -> str:
        return f"{self.platform}:{self.bot_id}:{self.conversation_id}"


@dataclass(frozen=True)
class OutgoingReply:
    """An answer rendered for one platform: the text (answer plus citation footer) and a title where needed."""

    text: str
    title: str = ""


class Adapter(ABC):
    """One platform. Subclasses implement verify/parse/send; handshake and ack have defaults."""

    platform: ClassVar[str]
    footer_style: ClassVar[FooterStyle] = "plain"

    def __init__(self, config: Any, deps: AdapterDeps) -> None:
        self.config = config
        self.deps = deps

    @property
    def bot_id(self) -> str:
        return self.config.id

    @abstractmethod
    def verify(self, req: RawRequest) -> None:
        """Raise a RequestRejected subclass unless the request really comes from the platform."""

    def handshake(self, req: RawRequest) -> Response | None:
        """Answer URL checks and challenges directly; None for a normal delivery."""
        return None

    @abstractmethod
    def parse(self, req: RawRequest) -> list[IncomingMessage]:
        """The user messages in a verified request (empty for events the bot ignores)."""

    def ack(self, req: RawRequest, messages: list[IncomingMessage]) -> Response:
        """The fast reply that tells the platform the delivery arrived."""
        return Response(status_code=200)

    def render(self, answer: Answer) -> OutgoingReply:
        return OutgoingReply(text=render_answer(answer, self.footer_style), title=answer.query[:20] or "回答")

    @abstractmethod
    async def send(self, message: IncomingMessage, reply: OutgoingReply) -> None:
        """Deliver the answer through the platform's API, split to its length limit."""
