"""Domain errors turned into JSON 4xx answers; the only place the API decides status codes for them."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from ingest.errors import DecodeError, UnsupportedFormat
from retrieval.errors import IndexBusy, IndexMismatch, IndexNotFound, UnknownDocument
from speechbot.conversations import UnknownConversation
from speechbot.jobs import UnknownJob

log = logging.getLogger("speechbot")


class UploadTooLarge(ValueError):
    """An uploaded file is over the configured size limit."""

    def __init__(self, name: str, limit_mb: int) -> None:
        self.name = name
        super().__init__(f"file {name!r} is over the {limit_mb} MB upload limit")


class NoFiles(ValueError):
    """An upload request carried no files."""

    def __init__(self) -> None:
        super().__init__("no files uploaded; send one or more files in the 'files' field")


# exception type -> (status, code)
STATUS: dict[type[Exception], tuple[int, str]] = {
    UnknownDocument: (404, "unknown_document"),
    UnknownConversation: (404, "unknown_conversation"),
    UnknownJob: (404, "unknown_job"),
    IndexNotFound: (404, "index_not_found"),
    IndexBusy: (409, "index_busy"),
    IndexMismatch: (409, "index_mismatch"),
    UnsupportedFormat: (415, "unsupported_file_type"),
    UploadTooLarge: (413, "file_too_large"),
    DecodeError: (422, "undecodable_file"),
    NoFiles: (422, "no_files"),
}


def error_response(status: int, code: str, detail: str, errors: list[dict] | None = None) -> JSONResponse:
    body: dict = {"code": code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status)


def _message(err: dict) -> str:
    where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
    return f"{where}: {err.get('msg', 'invalid')}"


async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
              for e in exc.errors()]
    detail = "; ".join(_message(e) for e in errors) or "invalid request"
    return error_response(422, "invalid_request", detail, errors)


async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    response = error_response(exc.status_code, code, str(exc.detail))
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


def _domain(status: int, code: str):
    async def handler(_request: Request, exc: Exception) -> JSONResponse:
        return error_response(status, code, str(exc))

    return handler


def install(app: FastAPI) -> None:
    """Register the handlers on `app`."""
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    for exc_type, (status, code) in STATUS.items():
        app.add_exception_handler(exc_type, _domain(status, code))
