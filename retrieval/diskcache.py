"""Derived data computed once and kept on disk (the gazetteer's index is built from 350,000 dictionary lines: about
a second at every start without this). Entries are keyed by the files they come from (path, size, mtime) and a
version, so a changed input or a new speechbot rebuilds them; an unwritable cache folder just means no cache."""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    from platformdirs import user_cache_path

    return user_cache_path("speechbot", appauthor=False)


def cached(name: str, version: str, inputs: list[Path], build: Callable[[], T]) -> T:
    """`build()`, or what an earlier run stored for the same inputs and version."""
    stamp = [f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in inputs]
    key = hashlib.sha1("\n".join([name, version, *stamp]).encode()).hexdigest()[:16]
    path = cache_dir() / f"{name}-{key}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError):
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(fh.name, path)
    except OSError:
        pass
    return value
