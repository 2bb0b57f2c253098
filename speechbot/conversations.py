"""Conversations kept by the service: one SQLite file, safe to share between request threads."""

from __future__ import annotations

import json
import sqlite3
import threading
import uuid
from pathlib import Path

from pydantic import BaseModel, Field

from bot.models import Answer, Turn
from retrieval.models import now_iso

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
    """Conversations and their messages in `<data_dir>/conversations.sqlite3`."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        with self._lock:
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.executescript(_SCHEMA)

    def create(self, first_message: str) -> str:
        cid = uuid.uuid4().hex
        now = now_iso()
        title = " ".join(first_message.split())[:TITLE_CHARS] or "新对话"
        with self._lock:
            self._db.execute("INSERT INTO conversations VALUES (?, ?, ?, ?)", (cid, title, now, now))
        return cid

    def list(self) -> list[ConversationSummary]:
        """Newest first."""
        with self._lock:
            rows = self._db.execute(
                "SELECT c.*, (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = c.id) AS n "
                "FROM conversations c ORDER BY c.updated DESC, c.rowid DESC").fetchall()
        return [ConversationSummary(id=r["id"], title=r["title"], created=r["created"], updated=r["updated"],
                                    messages=r["n"]) for r in rows]

    def get(self, cid: str) -> Conversation:
        with self._lock:
            row = self._db.execute("SELECT * FROM conversations WHERE id = ?", (cid,)).fetchone()
            if row is None:
                raise UnknownConversation(cid)
            msgs = self._db.execute("SELECT * FROM messages WHERE conversation_id = ? ORDER BY id",
                                    (cid,)).fetchall()
        history = [Message(role=m["role"], content=m["content"], created=m["created"],
                           answer=Answer.model_validate_json(m["answer"]) if m["answer"] else None) for m in msgs]
        return Conversation(id=row["id"], title=row["title"], created=row["created"], updated=row["updated"],
                            messages=len(history), history=history)

    def turns(self, cid: str) -> list[Turn]:
        """The history as bot turns (raises UnknownConversation)."""
        return [Turn(role=m.role, content=m.content) for m in self.get(cid).history]  # type: ignore[arg-type]

    def append(self, cid: str, role: str, content: str, answer: Answer | None = None) -> None:
        now = now_iso()
        payload = json.dumps(answer.model_dump(), ensure_ascii=False) if answer else None
        with self._lock:
            cur = self._db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, cid))
            if cur.rowcount == 0:
                raise UnknownConversation(cid)
            self._db.execute("INSERT INTO messages (conversation_id, role, content, answer, created) "
                             "VALUES (?, ?, ?, ?, ?)", (cid, role, content, payload, now))

    def delete(self, cid: str) -> None:
        with self._lock:
            cur = self._db.execute("DELETE FROM conversations WHERE id = ?", (cid,))
        if cur.rowcount == 0:
            raise UnknownConversation(cid)

    def close(self) -> None:
        with self._lock:
            self._db.close()
