"""Errors raised while reading and cleaning source documents."""

from __future__ import annotations


class IngestError(Exception):
    """Base class for every ingest failure; its message is one human-readable line."""


class UnsupportedFormat(IngestError):
    """A file was named explicitly but its type cannot be read."""

    def __init__(self, path: str, supported: list[str]) -> None:
        self.path = path
        self.supported = supported
        super().__init__(f"unsupported file type {path!r}; supported types: {', '.join(supported)}")


class DecodeError(IngestError):
    """The bytes of a file could not be decoded as UTF-8, GB18030 or Big5 text."""

    def __init__(self, path: str, detail: str = "") -> None:
        self.path = path
        msg = f"cannot decode {path!r} as UTF-8, GB18030/GBK or Big5"
        super().__init__(f"{msg}: {detail}" if detail else msg)


class MissingExtra(IngestError):
    """An optional dependency needed for this file type is not installed."""

    def __init__(self, extra: str, module: str) -> None:
        self.extra = extra
        self.module = module
        super().__init__(f"reading {extra} files needs {module!r}: pip install 'speechbot[{extra}]'")


class BadRecord(IngestError):
    """A .jsonl line is not a valid document record."""


class FileTooLarge(IngestError):
    """A file, or the text extracted from it, is over a fixed size limit."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        super().__init__(f"{path!r} is too large: {detail}")


class UnsafeFile(IngestError):
    """A file is built to exhaust the reader (a zip bomb, nesting thousands of levels deep)."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        super().__init__(f"{path!r} refused: {detail}")


class UnreadableFile(IngestError):
    """A Word or PDF file is damaged or not what its name says."""

    def __init__(self, path: str, detail: str) -> None:
        self.path = path
        super().__init__(f"cannot read {path!r}: {detail}")
