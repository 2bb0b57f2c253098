"""Conversations kept by the service, in the shared database (speechbot.db): every replica sees the same ones.

Each conversation belongs to the key that started it (`owner`); callers pass `owner=None` only for an admin.
Old conversations are pruned when new ones start: by age, and beyond a count per owner.
"""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from pydantic import BaseModel, Field

from bot.models import Answer, Turn
from speechbot.db import ensure_schema, metadata, now_iso
from speechbot.keys import LOCAL  # owner without keys, and of conversations from before owners

TITLE_CHARS = 30

conversations = sa.Table(
    "conversations", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("created", sa.String(40), nullable=False),
    sa.Column("updated", sa.String(40), nullable=False),
    sa.Column("owner", sa.Text, nullable=False, server_default=LOCAL),
    # nanoseconds of the last change: orders conversations changed within the same second
    sa.Column("touched", sa.BigInteger, nullable=False, server_default="0"),
)
messages = sa.Table(
    "messages", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id", ondelete="CASCADE"), nullable=False),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("answer", sa.Text),  # the answer object as JSON, on assistant messages
    sa.Column("created", sa.String(40), nullable=False),
    sa.Index("messages_by_conversation", "conversation_id", "id"),
)
# Columns that files written by earlier versions lack.
UPGRADES = (f"conversations.owner TEXT NOT NULL DEFAULT '{LOCAL}'", "conversations.touched BIGINT NOT NULL DEFAULT 0")
NEWEST_FIRST = (conversations.c.updated.desc(), conversations.c.touched.desc())


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
    """Conversations and their messages in two tables of the shared database.

    Args:
        engine: the database (speechbot.db.make_engine); the tables are created or upgraded here.
        max_age_days: conversations not updated for this long are removed.
        max_count: conversations kept per owner; the least recently updated beyond it are removed.
    """

    def __init__(self, engine: sa.Engine, max_age_days: int = 90, max_count: int = 500) -> None:
        self.engine = engine
        self.max_age_days = max_age_days
        self.max_count = max_count
        ensure_schema(engine, [conversations, messages], UPGRADES)

    def create(self, first_message: str, owner: str = LOCAL) -> str:
        cid = uuid.uuid4().hex
        now = now_iso()
        title = " ".join(first_message.split())[:TITLE_CHARS] or "新对话"
        with self.engine.begin() as conn:
            conn.execute(sa.insert(conversations).values(id=cid, title=title, created=now, updated=now, owner=owner,
                                                      touched=time.time_ns()))
        self.prune(owner)
        return cid

    def prune(self, owner: str) -> int:
        """Remove conversations idle for longer than max_age_days, and `owner`'s beyond max_count."""
        cutoff = (datetime.now(UTC) - timedelta(days=self.max_age_days)).isoformat(timespec="seconds")
        c = conversations.c
        surplus = sa.select(c.id).where(c.owner == owner).order_by(*NEWEST_FIRST).offset(self.max_count)
        with self.engine.begin() as conn:  # messages go with them (ON DELETE CASCADE)
            old = conn.execute(sa.delete(conversations).where(c.updated < cutoff)).rowcount
            # A subquery inside a subquery: MySQL-style engines refuse LIMIT directly under IN.
            over_ids = sa.select(surplus.subquery().c.id)
            over = conn.execute(sa.delete(conversations).where(c.id.in_(over_ids))).rowcount
        return old + over

    def list(self, owner: str | None = None) -> list[ConversationSummary]:
        """Newest first; `owner`'s only, or every conversation when None."""
        c, m = conversations.c, messages.c
        count = sa.select(sa.func.count()).where(m.conversation_id == c.id).scalar_subquery()
        query = sa.select(c.id, c.title, c.created, c.updated, count.label("n")).order_by(*NEWEST_FIRST)
        if owner is not None:
            query = query.where(c.owner == owner)
        with self.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [ConversationSummary(id=r.id, title=r.title, created=r.created, updated=r.updated, messages=r.n)
                for r in rows]

    def get(self, cid: str, owner: str | None = None) -> Conversation:
        with self.engine.connect() as conn:
            row = _row(conn, cid, owner)
            msgs = conn.execute(sa.select(messages).where(messages.c.conversation_id == cid)
                                .order_by(messages.c.id)).all()
        history = [Message(role=m.role, content=m.content, created=m.created,
                           answer=Answer.model_validate_json(m.answer) if m.answer else None) for m in msgs]
        return Conversation(id=row.id, title=row.title, created=row.created, updated=row.updated,
                            messages=len(history), history=history)

    def turns(self, cid: str, owner: str | None = None) -> list[Turn]:
        """The history as bot turns (raises UnknownConversation)."""
        return [Turn(role=m.role, content=m.content) for m in self.get(cid, owner).history]  # type: ignore[arg-type]

    def append(self, cid: str, role: str, content: str, answer: Answer | None = None) -> None:
        now = now_iso()
        payload = json.dumps(answer.model_dump(), ensure_ascii=False) if answer else None
        with self.engine.begin() as conn:
            touched = conn.execute(sa.update(conversations).where(conversations.c.id == cid)
                                   .values(updated=now, touched=time.time_ns())).rowcount
            if touched == 0:
                raise UnknownConversation(cid)
            conn.execute(sa.insert(messages).values(conversation_id=cid, role=role, content=content, answer=payload,
                                                 created=now))

    def delete(self, cid: str, owner: str | None = None) -> None:
        with self.engine.begin() as conn:
            _row(conn, cid, owner)
            conn.execute(sa.delete(conversations).where(conversations.c.id == cid))



def _row(conn: sa.Connection, cid: str, owner: str | None) -> sa.Row:
    """The conversation's row; another owner's is as unknown as a missing one (its id reveals nothing)."""
    row = conn.execute(sa.select(conversations).where(conversations.c.id == cid)).first()
    if row is None or (owner is not None and row.owner != owner):
        raise UnknownConversation(cid)
    return row
