"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

# The sample corpus lives outside the repo (../shared/corpus) and is never copied into it.
CORPUS_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The real sample corpus folder, or skip when this checkout has none beside it."""
    if not CORPUS_DIR.is_dir() or not any(CORPUS_DIR.glob("*.txt")):
        pytest.skip(f"sample corpus not found at {CORPUS_DIR.resolve()}")
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus_texts(corpus_dir: Path) -> dict[str, str]:
    """File stem -> raw text of each corpus file."""
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(corpus_dir.glob("*.txt"))}
