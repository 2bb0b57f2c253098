"""The conversation store: owners, pruning by age and count, and files from before owners existed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from speechbot.conversations import ConversationStore, UnknownConversation


def test_each_owner_sees_and_changes_only_its_own(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3")
    mine, theirs = store.create("我的问题", "alice"), store.create("别人的问题", "bob")
    assert [c.id for c in store.list("alice")] == [mine]
    assert {c.id for c in store.list(None)} == {mine, theirs}  # an admin
    with pytest.raises(UnknownConversation):
        store.get(theirs, "alice")
    with pytest.raises(UnknownConversation):
        store.delete(theirs, "alice")
    store.delete(theirs, None)
    assert store.list(None)[0].id == mine


def test_old_and_surplus_conversations_are_pruned_when_new_ones_start(tmp_path: Path) -> None:
    store = ConversationStore(tmp_path / "c.sqlite3", max_age_days=30, max_count=3)
    old = store.create("很久以前", "alice")
    store._db.execute("UPDATE conversations SET updated = '2020-01-01T00:00:00+00:00' WHERE id = ?", (old,))
    ids = [store.create(f"问题{i}", "alice") for i in range(4)]
    kept = [c.id for c in store.list("alice")]
    assert old not in kept and kept == ids[:0:-1]  # the newest three, newest first
    assert store.create("另一个人", "bob") in [c.id for c in store.list("bob")]
    assert len(store.list("alice")) == 3  # bob's count does not prune alice's


def test_a_file_from_before_owners_gets_them(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE conversations (id TEXT PRIMARY KEY, title TEXT NOT NULL, created TEXT NOT NULL, "
                     "updated TEXT NOT NULL);"
                     "INSERT INTO conversations VALUES ('c1', 't', '2999-01-01', '2999-01-01');")
    db.close()
    store = ConversationStore(path)
    assert [c.id for c in store.list("local")] == ["c1"]
