"""API keys with scopes: parsed from SPEECHBOT_API_KEYS or a keys file, kept only as SHA-256 digests.

Keys are long random tokens, so one SHA-256 is enough (a slow KDF protects guessable passwords, not these); a
presented key is hashed and compared with every stored digest in constant time.

Keys file, one key per line (`speechbot keys new` appends them; `#` starts a comment):

    alice   sha256:3b7c…(64 hex)   ask
    uploads sha256:9e1f…           ask+write
    ops     sha256:0a4d…           admin
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Scope = Literal["ask", "write", "admin"]
SCOPES: tuple[Scope, ...] = ("ask", "write", "admin")
LOCAL = "local"  # the owner of everything when the service runs without keys
_HEX = re.compile(r"^[0-9a-f]{64}$")
_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")


class KeysError(ValueError):
    """A key, a scope or a line of the keys file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class ApiKey:
    """One accepted key: a name (the owner of its conversations and jobs), its digest and its scopes."""

    name: str
    digest: bytes
    scopes: frozenset[str]


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's name and what it may do. `admin` may do everything."""

    name: str
    scopes: frozenset[str]

    def allows(self, scope: Scope) -> bool:
        return "admin" in self.scopes or scope in self.scopes

    @property
    def is_admin(self) -> bool:
        return "admin" in self.scopes


ANONYMOUS_LOCAL = Principal(LOCAL, frozenset(SCOPES))


def digest(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


def parse_scopes(text: str, where: str) -> frozenset[str]:
    scopes = frozenset(s.strip() for s in text.split("+") if s.strip())
    unknown = scopes - set(SCOPES)
    if not scopes or unknown:
        raise KeysError(f"{where}: unknown scope {', '.join(sorted(unknown)) or '(none)'!s}; "
                        f"use {'+'.join(SCOPES)}")
    return scopes


def parse_env(value: str) -> list[ApiKey]:
    """`key:scope+scope,key2` (a key without scopes may `ask`). Each is named by its digest's first 12 hex."""
    keys = []
    for n, item in enumerate((part.strip() for part in value.split(",")), 1):
        if not item:
            continue
        secret, _, scopes = item.partition(":")
        if len(secret) < 8:
            raise KeysError(f"SPEECHBOT_API_KEYS item {n}: a key needs at least 8 characters")
        d = digest(secret)
        keys.append(ApiKey(f"key-{d.hex()[:12]}", d, parse_scopes(scopes or "ask", f"SPEECHBOT_API_KEYS item {n}")))
    return keys


def parse_file(path: Path) -> list[ApiKey]:
    """The keys file's entries; KeysError names the file and line of anything malformed."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise KeysError(f"keys file {path.name}: cannot read: {exc.strerror or exc}") from exc
    keys = []
    for n, line in enumerate(lines, 1):
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        where = f"keys file {path.name}, line {n}"
        if len(fields) != 3 or not fields[1].startswith("sha256:") or not _HEX.match(fields[1][7:]):
            raise KeysError(f"{where}: expected `name sha256:<64 hex digits> scope+scope`")
        if not _NAME.match(fields[0]):
            raise KeysError(f"{where}: a name is 1-64 letters, digits or _.@-")
        keys.append(ApiKey(fields[0], bytes.fromhex(fields[1][7:]), parse_scopes(fields[2], where)))
    return keys


class KeyRing:
    """The accepted keys. Empty means the service runs without authentication."""

    def __init__(self, keys: list[ApiKey]) -> None:
        names = [k.name for k in keys]
        if len(set(names)) != len(names):
            raise KeysError(f"duplicate key names: {sorted({n for n in names if names.count(n) > 1})}")
        self.keys = keys

    @classmethod
    def load(cls, env_value: str, file: Path | None) -> KeyRing:
        return cls(parse_env(env_value) + (parse_file(file) if file else []))

    def __bool__(self) -> bool:
        return bool(self.keys)

    def authenticate(self, presented: str) -> Principal | None:
        """The key's principal, or None. Every digest is compared, so timing says nothing about near misses."""
        d = digest(presented)
        found = None
        for key in self.keys:
            if hmac.compare_digest(d, key.digest):
                found = key
        return Principal(found.name, found.scopes) if found else None


def new_key_line(name: str, scopes: str) -> tuple[str, str]:
    """(the key to hand out, the line for the keys file). The key itself is never written anywhere."""
    if not _NAME.match(name):
        raise KeysError("a name is 1-64 letters, digits or _.@-")
    parsed = parse_scopes(scopes, "scopes")
    key = "sb-" + secrets.token_urlsafe(32)
    return key, f"{name} sha256:{digest(key).hex()} {'+'.join(s for s in SCOPES if s in parsed)}"
