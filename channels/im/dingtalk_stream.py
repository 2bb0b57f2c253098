"""DingTalk Stream mode through the official SDK (`dingtalk-stream`): no public URL, no signature.

The SDK sends a frame's ack only after the handler returns, so the handler only hands the message to the
dispatcher and returns at once. Two SDK parts are replaced: `open_connection`, because the SDK reads its
endpoint from the environment at import time (here it comes from the bot's `api_base`), and the connect
loop, because the SDK's loop calls the blocking `open_connection` on the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any
from urllib.parse import quote_plus

import httpx

from channels.base import AdapterDeps
from channels.config import DingTalkBot
from channels.errors import MissingExtraError, RequestRejected
from channels.im.dingtalk import DingTalkAdapter, robot_message
from channels.im.dispatch import Dispatcher

log = logging.getLogger(__name__)
RECONNECT_S = 5.0


def _sdk() -> Any:
    try:
        import dingtalk_stream
    except ImportError as exc:
        raise MissingExtraError("DingTalk Stream mode needs the dingtalk-stream package: "
                                "pip install 'speechbot[dingtalk]'") from exc
    return dingtalk_stream


def make_stream_client(bot: DingTalkBot, deps: AdapterDeps, dispatcher: Dispatcher) -> Any:
    """An SDK client whose bot messages go to `dispatcher`; run it with `await client.start()`."""
    sdk = _sdk()
    adapter = DingTalkAdapter(bot, deps)  # renders and sends through the sessionWebhook, as in HTTP mode

    class Handler(sdk.CallbackHandler):
        async def process(self, callback: Any) -> tuple[int, str]:
            try:
                message = robot_message(callback.data, adapter.platform, bot, deps.clock())
            except RequestRejected as exc:
                log.warning("dingtalk stream %s: rejected frame: %s", bot.id, exc)
                return sdk.AckMessage.STATUS_BAD_REQUEST, str(exc)
            if message is not None:
                await dispatcher.submit(adapter, [message])
            return sdk.AckMessage.STATUS_OK, "OK"

    class Client(sdk.DingTalkStreamClient):
        def open_connection(self) -> dict[str, Any] | None:
            body = {"clientId": bot.app_key, "clientSecret": bot.app_secret, "ua": "speechbot", "localIp": "",
                    "subscriptions": [{"type": "CALLBACK", "topic": sdk.ChatbotMessage.TOPIC}]}
            try:
                with httpx.Client(timeout=10.0) as client:
                    response = client.post(f"{bot.api_base}/v1.0/gateway/connections/open", json=body)
                    response.raise_for_status()
                    return response.json()
            except (httpx.HTTPError, ValueError) as exc:
                log.warning("dingtalk stream %s: open connection failed: %s", bot.id, exc)
                return None

        async def start(self) -> None:
            self.pre_start()
            while True:
                connection = await asyncio.to_thread(self.open_connection)
                if connection:
                    try:
                        await self._serve(connection)
                    except Exception as exc:  # network errors of any kind: reconnect
                        log.warning("dingtalk stream %s: connection lost: %s", bot.id, exc)
                await asyncio.sleep(RECONNECT_S)

        async def _serve(self, connection: dict[str, Any]) -> None:
            import websockets

            uri = f"{connection['endpoint']}?ticket={quote_plus(connection['ticket'])}"
            tasks: set[asyncio.Task[Any]] = set()
            async with websockets.connect(uri) as websocket:
                self.websocket = websocket
                keepalive = asyncio.create_task(self.keepalive(websocket))
                try:
                    async for raw in websocket:
                        task = asyncio.create_task(self.background_task(json.loads(raw)))
                        tasks.add(task)
                        task.add_done_callback(tasks.discard)
                finally:
                    keepalive.cancel()

    client = Client(sdk.Credential(bot.app_key, bot.app_secret), logger=log)
    client.register_callback_handler(sdk.ChatbotMessage.TOPIC, Handler())
    return client


def stream_runner(bot: DingTalkBot, deps: AdapterDeps,
                  dispatcher: Dispatcher) -> Callable[[], AbstractAsyncContextManager[None]]:
    """A lifespan part that keeps the bot's stream connection open while the app runs."""
    client = make_stream_client(bot, deps, dispatcher)  # fails at startup if the SDK is missing

    @asynccontextmanager
    async def run() -> AsyncIterator[None]:
        task = asyncio.create_task(client.start())
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    return run
