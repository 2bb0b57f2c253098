"""What the app holds between requests: the current Bot, the conversations and the ingest queue."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from bot.models import Answer, Turn
from bot.pipeline import EMPTY, Bot
from retrieval.base import SpeechIndex
from retrieval.errors import IndexNotFound, RetrievalError
from retrieval.models import Filters
from speechbot import wiring
from speechbot.conversations import ConversationStore
from speechbot.jobs import JobQueue
from speechbot.settings import Settings

log = logging.getLogger("speechbot")
BotFactory = Callable[[Settings], Bot]


class AppState:
    """Owns the Bot; `reload` builds a new one and swaps the reference, so requests in flight keep the old one."""

    def __init__(self, settings: Settings, bot_factory: BotFactory | None = None) -> None:
        self.settings = settings
        self.bot_factory = bot_factory or wiring.make_bot
        self.bot: Bot | None = None
        self.load_error: str | None = None
        self.load_failure: RetrievalError | None = None  # why the index did not open, unless simply absent
        self.reload()
        data = settings.data_dir
        self.conversations = ConversationStore(data / "conversations.sqlite3")
        self.jobs = JobQueue(data / "uploads", self._ingest, self.reload)

    def reload(self) -> None:
        """Reopen the index; on failure keep serving the previous Bot (or none)."""
        try:
            bot = self.bot_factory(self.settings)
        except IndexNotFound as exc:
            self.load_error = str(exc)
            return
        except RetrievalError as exc:
            log.error("cannot open the index: %s", exc)
            self.load_error, self.load_failure = str(exc), exc
            return
        self.bot, self.load_error, self.load_failure = bot, None, None  # one reference assignment: atomic for readers

    def require_bot(self) -> Bot:
        bot = self.bot
        if bot is None:
            raise IndexNotFound(self.load_error or f"no index at {self.settings.index_dir()}")
        return bot

    def index(self) -> SpeechIndex:
        return self.require_bot().searcher.index

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None,
            top_k: int | None = None) -> Answer:
        """The bot's answer; before anything is ingested, a polite "empty library" answer."""
        bot = self.bot
        if bot is None:
            self.check_usable()
            return Answer(answer=EMPTY, found=False, query=question)
        return bot.ask(question, history, filters, top_k)

    def check_usable(self) -> None:
        """Raise why the index cannot be used (IndexMismatch...) when there is one but it did not open."""
        if self.bot is None and self.load_failure is not None:
            raise self.load_failure

    def close(self) -> None:
        self.jobs.close()
        self.conversations.close()

    def _ingest(self, paths, progress):  # type: ignore[no-untyped-def]
        return wiring.make_ingestor(self.settings).run(paths, progress)
