"""What the app holds between requests: the current Bot, the conversations and the ingest queue."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.models import Answer, Turn
from bot.pipeline import EMPTY, Bot
from ingest.pipeline import IngestReport, remove_documents
from retrieval.backends import index_version
from retrieval.base import SpeechIndex
from retrieval.errors import IndexNotFound, RetrievalError
from retrieval.models import Filters
from retrieval.textnorm import strip_marks
from speechbot import wiring
from speechbot.api.errors import Redactor
from speechbot.conversations import ConversationStore
from speechbot.db import database_url, make_engine
from speechbot.isolated import run_isolated
from speechbot.jobs import JobQueue, JobStore, Progress
from speechbot.locks import make_job_lock
from speechbot.settings import Settings

log = logging.getLogger("speechbot")
BotFactory = Callable[[Settings], Bot]


class AppState:
    """Owns the Bot; `reload` builds a new one and swaps the reference, so requests in flight keep the old one.

    A watcher thread reloads when a new commit of the index appears (a CLI ingest while serving). The Bot's index
    holds the generation it opened (its files stay until it is dropped), so requests in flight are never left
    reading files an ingest has removed.
    """

    def __init__(self, settings: Settings, bot_factory: BotFactory | None = None) -> None:
        self.settings = settings
        self.redact = Redactor({"<index>": settings.index_dir(), "<data>": settings.data_dir})
        self.bot_factory = bot_factory or wiring.make_bot
        self.bot: Bot | None = None
        self.load_error: str | None = None
        self.load_failure: RetrievalError | None = None  # why the index did not open, unless simply absent
        self._loaded: tuple[int, int] | None = None  # the index version the Bot was built from
        self._reloading = threading.RLock()
        self.reload()
        data = settings.data_dir
        self.engine = make_engine(database_url(settings.database_url, data))  # shared by every replica
        self.conversations = ConversationStore(self.engine, settings.conversation_max_age_days,
                                               settings.conversation_max_count)
        self.jobs = JobQueue(JobStore(self.engine), make_job_lock(settings.redis_url, data), data / "uploads",
                             self._ingest, self._delete, self.refresh, settings.max_queued_jobs)
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, name="speechbot-index-watch", daemon=True)
        self._watcher.start()

    def reload(self) -> None:
        """Reopen the index; on failure keep serving the previous Bot (or none)."""
        with self._reloading:
            version = index_version(self.settings.index_dir(), wiring.backend(self.settings))
            try:
                bot = self.bot_factory(self.settings)
            except IndexNotFound as exc:
                self.load_error = str(exc)
                return
            except RetrievalError as exc:
                log.error("cannot open the index: %s", exc)
                self.load_error, self.load_failure = str(exc), exc
                return
            self._loaded = version
            self.bot, self.load_error, self.load_failure = bot, None, None  # one reference assignment: atomic

    def refresh(self) -> bool:
        """Reload if the index has a newer commit than the one loaded (or appeared); True if it did."""
        with self._reloading:
            version = index_version(self.settings.index_dir(), wiring.backend(self.settings))
            if version is None or version == self._loaded:
                return False
            log.info("index changed to generation %d; reloading", version[0])
            self.reload()
            return True

    def _watch(self) -> None:
        while not self._stop.wait(self.settings.index_poll_s):
            try:
                self.refresh()
            except Exception:  # the watcher must outlive a half-written index folder
                log.exception("watching the index failed")

    def require_bot(self) -> Bot:
        bot = self.bot
        if bot is None:
            # The error handlers pass the message through `redact`: the caller sees `<index>`, not the path.
            raise IndexNotFound(self.load_error or f"no index at {self.settings.index_dir()}")
        return bot

    def index(self) -> SpeechIndex:
        return self.require_bot().searcher.index

    def ask(self, question: str, history: Sequence[Turn] = (), filters: Filters | None = None,
            top_k: int | None = None) -> Answer:
        """The bot's answer; before anything is ingested, a polite "empty library" answer.

        Every channel asks here: invisible marks (zero-width, RTL) are dropped from the question first.
        """
        question = strip_marks(question)
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
        self._stop.set()
        self.jobs.close()
        self.engine.dispose()

    def _ingest(self, paths: list[Path], progress: Progress, replace: bool) -> IngestReport:
        return run_isolated(self.settings, paths, progress, replace)

    def _delete(self, doc_ids: list[str]) -> list[str]:
        return remove_documents(self.settings.index_dir(), doc_ids, wiring.backend(self.settings))
