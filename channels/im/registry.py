"""The adapter factory and the router that mounts one callback route per configured bot."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from starlette.responses import PlainTextResponse, Response

from channels.base import Adapter, AdapterDeps, AskFn, Clock, HttpClientFactory, RandomBytes, RawRequest
from channels.config import BotConfig
from channels.errors import BadPayloadError, DecryptError, RequestRejected
from channels.im.dingtalk import DingTalkAdapter
from channels.im.dispatch import Dispatcher
from channels.im.feishu import FeishuAdapter
from channels.im.slack import SlackAdapter
from channels.im.telegram import TelegramAdapter
from channels.im.wecom_aibot import WeComAIBotAdapter
from channels.im.wecom_app import WeComAppAdapter
from channels.state import ChannelState, make_channel_state

log = logging.getLogger(__name__)

ADAPTERS: dict[str, type[Adapter]] = {
    "wecom": WeComAppAdapter,
    "wecom_aibot": WeComAIBotAdapter,
    "feishu": FeishuAdapter,
    "dingtalk": DingTalkAdapter,
    "telegram": TelegramAdapter,
    "slack": SlackAdapter,
}
MAX_BODY_BYTES = 1 << 20  # callbacks are small; refuse anything larger before touching it


def make_adapter(bot: BotConfig, deps: AdapterDeps) -> Adapter:
    """The adapter for one bot of the channels file."""
    return ADAPTERS[bot.platform](bot, deps)


def _status(exc: RequestRejected) -> int:
    return 400 if isinstance(exc, BadPayloadError | DecryptError) else 403


async def _raw(request: Request) -> RawRequest:
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise HTTPException(status_code=413, detail="body too large")
    headers = {key.lower(): value for key, value in request.headers.items()}
    return RawRequest(request.method, dict(request.query_params), headers, body)


def _lifespan(background: list[Callable[[], Any]], dispatcher: Dispatcher):
    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for start in background:
                await stack.enter_async_context(start())
            yield
        await dispatcher.drain()  # let acknowledged messages get their answers before exiting

    return lifespan


def make_im_router(
    bots: list[BotConfig],
    ask: AskFn,
    clock: Clock = time.time,
    http_client_factory: HttpClientFactory | None = None,
    random_bytes: RandomBytes = os.urandom,
    state: ChannelState | None = None,
) -> APIRouter:
    """A router with `/im/{platform}/{bot_id}` for every bot, answering through `ask` in the background.

    `state` (dedupe, chat history, streams) defaults to this process's memory; replicas pass a shared one
    (`make_channel_state(redis_url)`), so a delivery reaching two of them is answered once.

    Example: `app.include_router(make_im_router(load_channels("channels.yaml"), answerer.ask))`.
    """
    state = state or make_channel_state(clock=clock)
    deps = AdapterDeps(clock=clock, random_bytes=random_bytes, streams=state.streams,
                       **({"http": http_client_factory} if http_client_factory else {}))
    dispatcher = Dispatcher(ask, state.dedupe, state.history)
    adapters: dict[tuple[str, str], Adapter] = {}
    background: list[Callable[[], Any]] = []
    for bot in bots:
        if bot.platform == "dingtalk" and bot.mode == "stream":
            from channels.im.dingtalk_stream import stream_runner

            background.append(stream_runner(bot, deps, dispatcher))
        else:
            adapters[(bot.platform, bot.id)] = make_adapter(bot, deps)
    router = APIRouter(lifespan=_lifespan(background, dispatcher))

    @router.api_route("/im/{platform}/{bot_id}", methods=["GET", "POST"], include_in_schema=False)
    async def im_callback(platform: str, bot_id: str, request: Request) -> Response:
        adapter = adapters.get((platform, bot_id))
        if adapter is None:
            raise HTTPException(status_code=404, detail="no such bot")
        try:
            return await dispatcher.handle(adapter, await _raw(request))
        except RequestRejected as exc:
            log.warning("rejected %s/%s callback: %s", platform, bot_id, exc)
            return PlainTextResponse(type(exc).__name__, status_code=_status(exc))

    router.dispatcher = dispatcher  # type: ignore[attr-defined]  # tests and shutdown drain it
    return router
