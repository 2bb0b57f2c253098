"""What is in an index folder, and whether this speechbot can read it as configured."""

from __future__ import annotations

import shutil
from pathlib import Path

from retrieval.errors import IndexMismatch
from retrieval.local.commits import FORMAT_VERSION, Commit


def rebuild_hint(root: Path) -> str:
    return f"rebuild it with: speechbot ingest --rebuild --index {root} PATH..."


def _old_format(root: Path) -> bool:
    """An index of format 1: whole versions in v-* folders behind a `current` link."""
    return (root / "current").is_symlink() or any(root.glob("v-*"))


def require_new_format(root: Path) -> None:
    if _old_format(root) and not (root / "commits").is_dir():
        raise IndexMismatch(f"index at {root} has format 1, this speechbot reads {FORMAT_VERSION}; "
                            f"{rebuild_hint(root)}")


def clear_old_format(root: Path) -> None:
    """A rebuild replaces a format-1 index: its versions go."""
    (root / "current").unlink(missing_ok=True)
    for old in root.glob("v-*"):
        shutil.rmtree(old, ignore_errors=True)


def check_compatible(commit: Commit, root: Path, tokenizer: str, embed_model: str | None = None) -> None:
    """Raise IndexMismatch, with the command that rebuilds, when the index cannot be read as configured."""
    if commit.format_version != FORMAT_VERSION:
        raise IndexMismatch(f"index at {root} has format {commit.format_version}, this speechbot reads "
                            f"{FORMAT_VERSION}; {rebuild_hint(root)}")
    if commit.tokenizer != tokenizer:
        raise IndexMismatch(f"index at {root} was built with dictionary {commit.tokenizer}, this speechbot "
                            f"uses {tokenizer}; {rebuild_hint(root)}")
    if embed_model is not None and commit.embed_model and commit.embed_model != embed_model:
        raise IndexMismatch(f"index at {root} holds vectors of model {commit.embed_model!r} but "
                            f"SPEECHBOT_EMBED_MODEL is {embed_model!r}; {rebuild_hint(root)}")
