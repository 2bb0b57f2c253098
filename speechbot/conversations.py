"""Conversations kept by the service: one SQLite file, safe to share between request threads.

Each conversation belongs to the key that started it (`owner`); callers pass `owner=None` only for an admin.
Old conversations are pruned when new ones start: by age, and beyond a count per owner.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel, Field

from bot.models import Answer, Turn
from retrieval.store import now_iso
from speechbot.keys import LOCAL  # owner without keys, and of conversations from before owners

_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, title TEXT NOT NULL, created TEXT NOT NULL, updated TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    role TEXT NOT NULL, content TEXT NOT NULL, answer TEXT, created TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages(conversation_id, id);
"""
TITLE_CHARS = 30


class UnknownConversation(LookupError):
    """No conversation with that id."""

    def __init__(self, conversation_id: str) -> None:
        self.conversation_id = conversation_id
        super().__init__(f"no conversation {conversation_id!r}")


class Message(BaseModel):
    role: str
    content: str
    created: str
    answer: Answer | None = None  # the full answer object, on assistant messages


class ConversationSummary(BaseModel):
    id: str
    title: str
    created: str
    updated: str
    messages: int = 0


class Conversation(ConversationSummary):
    history: list[Message] = Field(default_factory=list)


class ConversationStore:
    """Conversations and their messages in `<data_dir>/conversations.sqlite3`.

    Args:
        path: the SQLite file.
        max_age_days: conversations not updated for this long are removed.
        max_count: conversations kept per owner; the least recently updated beyond it are removed.
    """

    def __init__(self, path: Path, max_age_days: int = 90, max_count: int = 500) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.max_age_days = max_age_days
        self.max_count = max_count
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.executescript(_SCHEMA)
            columns = {r["name"] for r in self._db.execute("PRAGMA table_info(conversations)")}
            if "owner" not in columns:  # files from before conversations had owners
                self._db.execute(f"ALTER TABLE conversations ADD COLUMN owner TEXT NOT NULL DEFAULT '{LOCAL}'")

    def create(self, first_message: str, owner: str = LOCAL) -> str:
        cid = uuid.uuid4().hex
        now = now_iso()
        title = " ".join(first_message.split())[:TITLE_CHARS] or "新对话"
        with self._lock:
            self._db.execute("INSERT INTO conversations (id, title, created, updated, owner) VALUES (?, ?, ?, ?, ?)",
                             (cid, title, now, now, owner))
        self.prune(owner)
        return cid

    def prune(self, owner: str) -> int:
        """Remove conversations idle for longer than max_age_days, and `owner`'s beyond max_count."""
        cutoff = (datetime.now(UTC) - timedelta(days=self.max_age_days)).isoformat(timespec="seconds")
        with self._lock:
            old = self._db.execute("DELETE FROM conversations WHERE updated < ?", (cutoff,)).rowcount
            over = self._db.execute(
                "DELETE FROM conversations WHERE id IN (SELECT id FROM conversations WHERE owner = ? "
                "ORDER BY updated DESC, rowid DESC LIMIT -1 OFFSET ?)", (owner, self.max_count)).rowcount
        return old + over

    def list(self, owner: str | None = None) -> list[ConversationSummary]:
        """Newest first; `owner`'s only, or every conversation when None."""
        where, args = ("WHERE c.owner = ? ", (owner,)) if owner is not None else ("", ())
        with self._lock:
            rows = self._db.execute(
                "SELECT c.*, (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS n "
                f"FROM conversations c {where}ORDER BY c.updated DESC, c.rowid DESC", args).fetchall()
        return [ConversationSummary(id=r["id"], title=r["title"], created=r["created"], updated=r["updated"],
                                    messages=r["n"]) for r in rows]

    def _row(self, cid: str, owner: str | None) -> sqlite3.Row:
        """The conversation's row; another owner's is as unknown as a missing one (its id reveals nothing)."""
        row = self._db.execute("SELECT * FROM conversations WHERE id = ?", (cid,)).fetchone()
        if row is None or (owner is not None and row["owner"] != owner):
            raise UnknownConversation(cid)
        return row

    def get(self, cid: str, owner: str | None = None) -> Conversation:
        with self._lock:
            row = self._row(cid, owner)
            msgs = self._db.execute("SELECT * FROM messages WHERE conversation_id = ? ORDER BY id",
                                    (cid,)).fetchall()
        history = [Message(role=m["role"], content=m["content"], created=m["created"],
                           answer=Answer.model_validate_json(m["answer"]) if m["answer"] else None) for m in msgs]
        return Conversation(id=row["id"], title=row["title"], created=row["created"], updated=row["updated"],
                            messages=len(history), history=history)

    def turns(self, cid: str, owner: str | None = None) -> list[Turn]:
        """The history as bot turns (raises UnknownConversation)."""
        return [Turn(role=m.role, content=m.content) for m in self.get(cid, owner).history]  # type: ignore[arg-type]

    def append(self, cid: str, role: str, content: str, answer: Answer | None = None) -> None:
        now = now_iso()
        payload = json.dumps(answer.model_dump(), ensure_ascii=False) if answer else None
        with self._lock:
            cur = self._db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, cid))
            if cur.rowcount == 0:
                raise UnknownConversation(cid)
            self._db.execute("INSERT INTO messages (conversation_id, role, content, answer, created) "
                             "VALUES (?, ?, ?, ?, ?)", (cid, role, content, payload, now))

    def delete(self, cid: str, owner: str | None = None) -> None:
        with self._lock:
            self._row(cid, owner)
            self._db.execute("DELETE FROM conversations WHERE id = ?", (cid,))

    def close(self) -> None:
        with self._lock:
            self._db.close()
