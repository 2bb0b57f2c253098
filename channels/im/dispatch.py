"""The shared flow: verify → handshake → parse → dedupe → ack now, answer in a worker thread, then send."""

from __future__ import annotations

import asyncio
import logging

import anyio.to_thread
from starlette.responses import Response

from channels.base import Adapter, AskFn, IncomingMessage, RawRequest
from channels.dedupe import DedupeStore
from channels.history import HistoryStore

log = logging.getLogger(__name__)


class Dispatcher:
    """Runs adapters' callbacks and the background answers; one per router, shared by its bots."""

    def __init__(self, ask: AskFn, dedupe: DedupeStore, history: HistoryStore) -> None:
        self.ask = ask
        self.dedupe = dedupe
        self.history = history
        self._tasks: set[asyncio.Task[None]] = set()

    async def handle(self, adapter: Adapter, req: RawRequest) -> Response:
        """The callback's whole request path; never waits for the bot."""
        adapter.verify(req)
        early = adapter.handshake(req)
        if early is not None:
            return early
        messages = adapter.parse(req)
        self.submit(adapter, messages)
        return adapter.ack(req, messages)

    def submit(self, adapter: Adapter, messages: list[IncomingMessage]) -> int:
        """Start answering each message not seen before; returns how many were started."""
        started = 0
        for message in messages:
            if not message.text.strip() or self.dedupe.seen(message.dedup_key):
                continue
            task = asyncio.get_running_loop().create_task(self._answer(adapter, message))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            started += 1
        return started

    async def _answer(self, adapter: Adapter, message: IncomingMessage) -> None:
        try:
            key = message.conversation_key
            turns = getattr(adapter.config, "history_turns", 10)
            history = self.history.get(key)[-turns:] if turns else []
            answer = await anyio.to_thread.run_sync(self.ask, message.text, history)
            if turns:
                self.history.append(key, message.text, answer.answer)
            await adapter.send(message, adapter.render(answer))
        except Exception:  # a failed answer must not kill the loop; the platform already has its ack
            log.exception("answering %s failed", message.dedup_key)

    async def drain(self) -> None:
        """Wait for every answer in flight (shutdown and tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
