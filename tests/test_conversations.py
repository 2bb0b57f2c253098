"""The conversation store on SQLite and on a real PostgreSQL server: owners, pruning by age and count, history
order, two stores (two replicas) on one database, and SQLite files from before owners existed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.models import Answer
from speechbot.conversations import ConversationStore, UnknownConversation, conversations
from speechbot.db import database_url, make_engine
from speechbot.errors import StoreConfigError


def open_store(url: str, **kw) -> ConversationStore:  # type: ignore[no-untyped-def]
    return ConversationStore(make_engine(database_url(url, Path("unused"))), **kw)


def test_each_owner_sees_and_changes_only_its_own(database_url: str) -> None:
    store = open_store(database_url)
    mine, theirs = store.create("我的问题", "alice"), store.create("别人的问题", "bob")
    assert [c.id for c in store.list("alice")] == [mine]
    assert {c.id for c in store.list(None)} == {mine, theirs}  # an admin
    with pytest.raises(UnknownConversation):
        store.get(theirs, "alice")
    with pytest.raises(UnknownConversation):
        store.delete(theirs, "alice")
    store.delete(theirs, None)
    assert store.list(None)[0].id == mine


def test_old_and_surplus_conversations_are_pruned_when_new_ones_start(database_url: str) -> None:
    store = open_store(database_url, max_age_days=30, max_count=3)
    old = store.create("很久以前", "alice")
    store.append(old, "user", "很久以前")
    with store.engine.begin() as conn:
        conn.execute(sa.update(conversations).where(conversations.c.id == old)
                     .values(updated="2020-01-01T00:00:00+00:00"))
    ids = [store.create(f"问题{i}", "alice") for i in range(4)]  # within one second: order kept all the same
    kept = [c.id for c in store.list("alice")]
    assert old not in kept and kept == ids[:0:-1]  # the newest three, newest first
    assert store.create("另一个人", "bob") in [c.id for c in store.list("bob")]
    assert len(store.list("alice")) == 3  # bob's count does not prune alice's
    with store.engine.connect() as conn:  # the pruned conversation's messages went with it
        assert conn.execute(sa.text("SELECT COUNT(*) FROM messages")).scalar() == 0


def test_history_keeps_order_and_the_whole_answer(database_url: str) -> None:
    store = open_store(database_url)
    cid = store.create("  青梧县  今年\n要新建多少亩高标准农田？" * 3, "alice")
    answer = Answer(answer="5万亩。[1]", found=True, query="青梧县今年要新建多少亩高标准农田？")
    for n in range(3):
        store.append(cid, "user", f"问{n}")
        store.append(cid, "assistant", f"答{n}", answer)
    conversation = store.get(cid, "alice")
    assert conversation.title == "青梧县 今年 要新建多少亩高标准农田？ 青梧县 今年 要新建"  # one line, 30 characters
    assert [m.content for m in conversation.history] == ["问0", "答0", "问1", "答1", "问2", "答2"]
    assert conversation.history[1].answer == answer and conversation.history[0].answer is None
    assert [t.role for t in store.turns(cid)] == ["user", "assistant"] * 3
    assert store.list("alice")[0].messages == 6
    with pytest.raises(UnknownConversation):
        store.append("no-such-id", "user", "x")


def test_two_stores_on_one_database_share_conversations(database_url: str) -> None:
    """What two replicas of the service see: a conversation started on one goes on on the other."""
    first, second = open_store(database_url), open_store(database_url)
    cid = first.create("第一问", "alice")
    first.append(cid, "user", "第一问")
    second.append(cid, "assistant", "第一答")
    first.append(cid, "user", "第二问")
    assert [t.content for t in second.turns(cid, "alice")] == ["第一问", "第一答", "第二问"]
    second.delete(cid, "alice")
    with pytest.raises(UnknownConversation):
        first.get(cid)


def test_a_file_from_before_owners_gets_them(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE conversations (id TEXT PRIMARY KEY, title TEXT NOT NULL, created TEXT NOT NULL, "
                     "updated TEXT NOT NULL);"
                     "INSERT INTO conversations VALUES ('c1', 't', '2999-01-01', '2999-01-01');")
    db.close()
    store = open_store(f"sqlite:///{path}")
    assert [c.id for c in store.list("local")] == ["c1"]
    store.append("c1", "user", "还在")
    assert store.get("c1").messages == 1


def test_the_default_database_is_a_file_in_the_data_folder(tmp_path: Path) -> None:
    url = database_url("", tmp_path / "data")
    assert url.get_backend_name() == "sqlite" and url.database == str(tmp_path / "data" / "conversations.sqlite3")
    assert database_url("postgresql://u:p@db/speechbot", tmp_path).drivername == "postgresql+psycopg"


@pytest.mark.parametrize(("url", "expected"), [
    ("nosuchdb://x/y", "unknown database kind"),
    ("not a url", "not a database URL"),
])
def test_a_bad_database_url_names_the_variable_and_hides_the_password(url: str, expected: str) -> None:
    with pytest.raises(StoreConfigError) as error:
        make_engine(database_url(url, Path("unused")))
    assert "SPEECHBOT_DATABASE_URL" in str(error.value) and expected in str(error.value)
