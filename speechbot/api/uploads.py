"""Checks on uploaded files before they are queued: type, size, and that text files decode."""

from __future__ import annotations

from fastapi import UploadFile

from ingest.errors import DecodeError, UnsupportedFormat
from ingest.readers import _FORMATS as FORMATS  # the reader's own table, so the two never disagree
from ingest.readers import decode_bytes
from speechbot.api.errors import NoFiles, UploadTooLarge
from speechbot.jobs import Upload, safe_name

TEXT_TYPES = (".txt", ".md", ".html", ".htm", ".jsonl")  # binary types are checked by their readers


def suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:].lower() if dot > 0 else ""


async def read_upload(file: UploadFile, max_mb: int) -> Upload:
    """The file's bytes, or UnsupportedFormat / UploadTooLarge / DecodeError naming the file."""
    name = safe_name(file.filename or "")
    if suffix(name) not in FORMATS:
        raise UnsupportedFormat(name, sorted(FORMATS))
    limit = max_mb * 1024 * 1024
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise UploadTooLarge(name, max_mb)
    if suffix(name) in TEXT_TYPES:
        if not data.strip():
            raise DecodeError(name, "the file is empty")
        decode_bytes(data, name)
    return Upload(name, data)


async def read_uploads(files: list[UploadFile], max_mb: int) -> list[Upload]:
    """All files checked before any is kept: one bad file rejects the request."""
    if not files:
        raise NoFiles()
    return [await read_upload(f, max_mb) for f in files]
