"""Domain errors turned into JSON 4xx answers; the only place the API decides status codes for them.

Every message passes through `Redactor` first: a caller never learns where the server keeps its files.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse
from starlette.routing import compile_path

from ingest.errors import DecodeError, UnsupportedFormat
from retrieval.errors import IndexBusy, IndexMismatch, IndexNotFound, UnknownDocument
from speechbot.api.limits import TextTooLong
from speechbot.conversations import UnknownConversation
from speechbot.jobs import QueueFull, UnknownJob

log = logging.getLogger("speechbot")


class UploadTooLarge(ValueError):
    """An uploaded file is over the configured size limit."""

    def __init__(self, name: str, limit_mb: int) -> None:
        self.name = name
        super().__init__(f"file {name!r} is over the {limit_mb} MB upload limit (max_upload_mb)")


class TooManyFiles(ValueError):
    """An upload request carries more files than allowed."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"more than {limit} files in one upload (max_upload_files)")


class NoFiles(ValueError):
    """An upload request carried no files."""

    def __init__(self) -> None:
        super().__init__("no files uploaded; send one or more files in the 'files' field")


class BadUpload(ValueError):
    """The upload body is not well-formed multipart/form-data."""


class DocumentExists(ValueError):
    """An upload would replace a document that came from elsewhere, and the request did not say `replace`."""

    def __init__(self, doc_id: str) -> None:
        self.doc_id = doc_id
        super().__init__(f"document {doc_id!r} already exists; upload with replace=true to overwrite it")


class Forbidden(PermissionError):
    """The key is valid but lacks the scope the route needs."""

    def __init__(self, scope: str) -> None:
        super().__init__(f"this API key lacks the {scope!r} scope")


# exception type -> (status, code)
STATUS: dict[type[Exception], tuple[int, str]] = {
    UnknownDocument: (404, "unknown_document"),
    UnknownConversation: (404, "unknown_conversation"),
    UnknownJob: (404, "unknown_job"),
    IndexNotFound: (404, "index_not_found"),
    IndexBusy: (409, "index_busy"),
    QueueFull: (409, "index_busy"),
    IndexMismatch: (409, "index_mismatch"),
    DocumentExists: (409, "document_exists"),
    Forbidden: (403, "forbidden"),
    UnsupportedFormat: (415, "unsupported_file_type"),
    UploadTooLarge: (413, "file_too_large"),
    TooManyFiles: (422, "too_many_files"),  # the schema's maxItems: a 422 like any field over its bound
    BadUpload: (400, "bad_upload"),
    DecodeError: (422, "undecodable_file"),
    NoFiles: (422, "no_files"),
}


class Redactor:
    """Replaces the server's own folders in messages with short names (`<index>`, `<data>`)."""

    def __init__(self, folders: dict[str, Path]) -> None:
        pairs = [(str(p.resolve()), name) for name, p in folders.items()] + \
                [(str(p), name) for name, p in folders.items()]
        self.pairs = sorted({(a, b) for a, b in pairs if len(a) > 1}, key=lambda ab: -len(ab[0]))

    def __call__(self, text: str) -> str:
        for path, name in self.pairs:
            text = text.replace(path, name)
        return text


def error_response(status: int, code: str, detail: str, errors: list[dict] | None = None,
                   path: str = "") -> JSONResponse:
    if path.startswith("/v1/"):  # the shape OpenAI clients read
        kind = "invalid_request_error" if status < 500 else "server_error"
        return JSONResponse({"error": {"message": detail, "type": kind, "param": None, "code": code}},
                            status_code=status)
    body: dict = {"code": code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status)


def _message(err: dict) -> str:
    where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
    return f"{where}: {err.get('msg', 'invalid')}"


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
              for e in exc.errors()]
    detail = "; ".join(_message(e) for e in errors) or "invalid request"
    return error_response(422, "invalid_request", detail, errors, request.url.path)


async def _too_long(request: Request, exc: TextTooLong) -> JSONResponse:
    """Reported like any other invalid field, naming it."""
    loc = ["body", *(int(p) if p.isdigit() else p for p in exc.where.split("."))]
    return error_response(422, "invalid_request", str(exc), [{"loc": loc, "msg": str(exc), "type": "string_too_long"}],
                          request.url.path)


def app_routes(app: FastAPI) -> list[tuple[frozenset[str], str]]:
    """(methods, full path) of every route, routers' prefixes applied; mounts (static files) get GET."""
    try:
        from fastapi.routing import iter_route_contexts  # FastAPI >= 0.160 wraps included routers
    except ImportError:
        contexts = app.routes
    else:
        contexts = list(iter_route_contexts(app.routes))
    return [(frozenset(getattr(r, "methods", None) or {"GET"}), r.path) for r in contexts]


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path (Starlette names only the first matching route's)."""
    methods: set[str] = set()
    for served, path in app_routes(request.app):
        if compile_path(path)[0].match(request.url.path):
            methods |= served
    return sorted(methods)


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    response = error_response(exc.status_code, code, str(exc.detail), path=request.url.path)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    if exc.status_code == 405:
        response.headers["Allow"] = ", ".join(_allowed_methods(request))
    return response


def _domain(status: int, code: str, redact: Redactor):
    async def handler(request: Request, exc: Exception) -> JSONResponse:
        return error_response(status, code, redact(str(exc)), path=request.url.path)

    return handler


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    """A bug or a vanished file: logged with its traceback, answered without details."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "internal error; the server log has the details",
                          path=request.url.path)


def install(app: FastAPI, redact: Redactor) -> None:
    """Register the handlers on `app`."""
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(TextTooLong, _too_long)  # type: ignore[arg-type]
    for exc_type, (status, code) in STATUS.items():
        app.add_exception_handler(exc_type, _domain(status, code, redact))
    app.add_exception_handler(Exception, _unexpected)
