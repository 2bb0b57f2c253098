"""Receive a multipart upload straight into the job's folder, enforcing the limits while the bytes arrive.

FastAPI's `UploadFile` would spool the whole body before the route ran; here a body over the limits is cut off
at the first byte too many (or before reading, by its Content-Length). What a file contains is the ingest's
business: a file of an unsupported type or that does not decode fails alone in the job, beside the good ones.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from speechbot.api.errors import BadUpload, NoFiles, TooManyFiles, UploadTooLarge
from speechbot.jobs import safe_name

FIELD = "files"
PART_OVERHEAD = 16 * 1024  # headers and boundaries per part, for the Content-Length pre-check
MAX_FORM_FIELD = 64 * 1024  # other form fields are ignored, but not read without bound

# The request body as OpenAPI describes it (the route reads the stream itself).
UPLOAD_BODY = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": [FIELD],
    "properties": {FIELD: {"type": "array", "minItems": 1, "items": {"type": "string", "format": "binary"},
                           "description": "The files (.txt .md .html .htm .docx .pdf .jsonl)"}}}}}}


@dataclass
class Limits:
    file_bytes: int
    files: int
    mb: int  # for messages


@dataclass
class _Receiver:
    """python-multipart callbacks writing each file part to its own file in `folder`."""

    folder: Path
    limits: Limits
    check_name: Callable[[str], None]  # raises to refuse a file by its name (an existing document...)
    names: list[str] = field(default_factory=list)
    _header_name: bytes = b""
    _header_value: bytes = b""
    _disposition: bytes = b""
    _out: BinaryIO | None = None
    _size: int = 0

    def on_part_begin(self) -> None:
        self._disposition, self._out, self._size = b"", None, 0

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name, self._header_value = b"", b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        if options.get(b"name") != FIELD.encode() or b"filename" not in options:
            return  # another form field: read past it
        if len(self.names) >= self.limits.files:
            raise TooManyFiles(self.limits.files)
        name = safe_name(options[b"filename"].decode("utf-8", "replace"))
        self.check_name(name)
        stem, suffix, n = Path(name).stem, Path(name).suffix, 1
        while name in self.names:
            n += 1
            name = f"{stem}-{n}{suffix}"
        self.names.append(name)
        self._out = open(self.folder / name, "wb")  # noqa: SIM115  (closed in on_part_end or by `close`)

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        self._size += end - start
        if self._out is None:
            if self._size > MAX_FORM_FIELD:
                raise BadUpload(f"form field over {MAX_FORM_FIELD // 1024} KB")
            return
        if self._size > self.limits.file_bytes:
            raise UploadTooLarge(self.names[-1], self.limits.mb)
        self._out.write(data[start:end])

    def on_part_end(self) -> None:
        self.close()

    def close(self) -> None:
        if self._out is not None:
            self._out.close()
            self._out = None


async def receive_files(headers: dict[str, str], stream: AsyncIterator[bytes], folder: Path, limits: Limits,
                        check_name: Callable[[str], None]) -> list[str]:
    """Write the upload's files into `folder`; their (safe, unique) names.

    Raises:
        UploadTooLarge / TooManyFiles: over a limit (as soon as it is crossed); BadUpload: not multipart;
        NoFiles: no file in the `files` field; whatever `check_name` raises.
    """
    content_type, options = parse_options_header(headers.get("content-type", ""))
    if content_type != b"multipart/form-data" or not options.get(b"boundary"):
        raise BadUpload("send the files as multipart/form-data in the 'files' field")
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.files * (limits.file_bytes + PART_OVERHEAD):
        raise UploadTooLarge("the upload", limits.mb)
    receiver = _Receiver(folder, limits, check_name)
    callbacks = {name: getattr(receiver, name) for name in (
        "on_part_begin", "on_header_field", "on_header_value", "on_header_end", "on_headers_finished",
        "on_part_data", "on_part_end")}
    parser = MultipartParser(options[b"boundary"], callbacks)  # type: ignore[arg-type]
    try:
        async for chunk in stream:
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        raise BadUpload(f"invalid multipart body: {exc}") from exc
    finally:
        receiver.close()
    if not receiver.names:
        raise NoFiles()
    return receiver.names
