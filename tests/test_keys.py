"""API keys: parsing, hashing, constant-time lookup, the keys file and `speechbot keys new`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from speechbot.keys import KeyRing, KeysError, new_key_line, parse_env, parse_file


def test_env_keys_have_scopes_a_bare_key_may_ask_and_only_digests_are_kept() -> None:
    ring = KeyRing(parse_env("alpha-key-1:ask+write, beta-key-22 ,gamma-key-3:admin"))
    alpha = ring.authenticate("alpha-key-1")
    assert alpha is not None and alpha.scopes == {"ask", "write"} and alpha.allows("write")
    assert not alpha.allows("admin") and not alpha.is_admin
    assert ring.authenticate("beta-key-22").scopes == {"ask"}
    admin = ring.authenticate("gamma-key-3")
    assert admin.allows("ask") and admin.allows("write") and admin.is_admin
    assert ring.authenticate("alpha-key-") is None and ring.authenticate("") is None
    stored = repr(ring.keys)
    assert "alpha-key-1" not in stored and hashlib.sha256(b"alpha-key-1").digest() == ring.keys[0].digest
    assert alpha.name == "key-" + hashlib.sha256(b"alpha-key-1").hexdigest()[:12]  # stable across restarts


@pytest.mark.parametrize("bad", ["short:ask", "long-enough:reader", "long-enough:ask+root"])
def test_bad_env_keys_are_refused(bad: str) -> None:
    with pytest.raises(KeysError):
        parse_env(bad)


def test_keys_file_holds_names_digests_and_scopes(tmp_path: Path) -> None:
    key, line = new_key_line("alice", "write+ask")
    assert key.startswith("sb-") and len(key) > 40 and key not in line
    assert line.startswith("alice sha256:") and line.endswith(" ask+write")
    file = tmp_path / "keys.txt"
    file.write_text(f"# comment\n{line}  # trailing comment\n\n", encoding="utf-8")
    ring = KeyRing(parse_file(file))
    assert ring.authenticate(key).name == "alice"
    file.write_text("alice deadbeef ask\n", encoding="utf-8")
    with pytest.raises(KeysError, match=r"keys\.txt, line 1"):
        parse_file(file)
    with pytest.raises(KeysError, match="duplicate"):
        KeyRing(parse_file(_twice(tmp_path, line)))


def _twice(folder: Path, line: str) -> Path:
    path = folder / "twice.txt"
    path.write_text(f"{line}\n{line}\n", encoding="utf-8")
    return path
