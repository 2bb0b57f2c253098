"""The shared flow: verify → handshake → parse → dedupe → ack now, answer in a worker thread, then send.

Channel state (dedupe, history, streams) may live in Redis: every call to it runs in a worker thread, never on
the event loop.
"""

from __future__ import annotations

import asyncio
import logging

import anyio
import anyio.to_thread
from starlette.responses import Response

from channels.base import Adapter, AskFn, IncomingMessage, OutgoingReply, RawRequest
from channels.state import Dedupe, History

log = logging.getLogger(__name__)
FAILURE_TEXT = "抱歉，暂时无法回答这个问题，请稍后再试。"


class Dispatcher:
    """Runs adapters' callbacks and the background answers; one per router, shared by its bots."""

    def __init__(self, ask: AskFn, dedupe: Dedupe, history: History) -> None:
        self.ask = ask
        self.dedupe = dedupe
        self.history = history
        self._tasks: set[asyncio.Task[None]] = set()

    async def handle(self, adapter: Adapter, req: RawRequest) -> Response:
        """The callback's whole request path; never waits for the bot."""
        adapter.verify(req)
        early = await anyio.to_thread.run_sync(adapter.handshake, req)
        if early is not None:
            return early
        messages = adapter.parse(req)
        await self.submit(adapter, messages)
        return await anyio.to_thread.run_sync(adapter.ack, req, messages)

    async def submit(self, adapter: Adapter, messages: list[IncomingMessage]) -> int:
        """Start answering each message not seen before; returns how many were started."""
        started = 0
        for message in messages:
            if not message.text.strip() or await anyio.to_thread.run_sync(self.dedupe.seen, message.dedup_key):
                continue
            task = asyncio.get_running_loop().create_task(self._answer(adapter, message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            started += 1
        return started

    async def _answer(self, adapter: Adapter, message: IncomingMessage) -> None:
        key = message.conversation_key
        turns = getattr(adapter.config, "history_turns", 10)
        try:
            history = (await anyio.to_thread.run_sync(self.history.get, key))[-turns:] if turns else []
            answer = await anyio.to_thread.run_sync(self.ask, message.text, history)
            if turns:
                await anyio.to_thread.run_sync(self.history.append, key, message.text, answer.answer)
            reply = adapter.render(answer)
        except Exception:  # the platform already has its ack: tell the user rather than stay silent
            log.exception("answering %s failed", message.dedup_key)
            reply = OutgoingReply(text=FAILURE_TEXT, title="出错")
        try:
            await adapter.send(message, reply)
        except Exception:
            log.exception("sending the answer to %s failed", message.dedup_key)

    async def drain(self, timeout_s: float = 30.0) -> None:
        """Wait up to `timeout_s` for the answers in flight (at shutdown)."""
        with anyio.move_on_after(timeout_s):
            while self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)
