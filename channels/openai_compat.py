"""The OpenAI-compatible API: `GET /v1/models` and `POST /v1/chat/completions` (plain and SSE stream)."""

from __future__ import annotations

import hmac
import json
import logging
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from typing import Any, Literal

import anyio.to_thread
from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool
from starlette.responses import JSONResponse, Response, StreamingResponse

from bot.models import Answer, Turn
from channels.base import AskFn, Clock
from channels.footer import render_answer
from channels.split import split_chars

log = logging.getLogger(__name__)
STREAM_PIECE_CHARS = 24  # the answer is computed whole; it is streamed in small deltas for the client's UI
MAX_HISTORY = 50  # earlier turns passed to the bot; clients resend whole conversations, so older ones are dropped


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None

    def text(self) -> str:
        """The content as text; the text parts of a multi-part content, joined."""
        if isinstance(self.content, list):
            return "".join(str(part.get("text", "")) for part in self.content if part.get("type") == "text")
        return self.content or ""


class ChatCompletionRequest(BaseModel):
    model_config = ConfigDict(extra="allow")  # temperature, user, max_tokens, ...: accepted, not used

    model: str = ""
    # At least one user message: its last one is the question (the schema says so; 400 otherwise).
    messages: list[ChatMessage] = Field(min_length=1, json_schema_extra={"contains": {
        "type": "object", "properties": {"role": {"const": "user"}}, "required": ["role"]}})
    stream: StrictBool = False  # JSON true/false only, as the schema says


class ErrorDetail(BaseModel):
    message: str
    type: str
    param: str | None = None
    code: str | None = None


class ErrorResponse(BaseModel):
    """Every error of /v1, in the shape OpenAI clients read."""

    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "No user message, a message too long, or invalid text"},
    401: {"model": ErrorResponse, "description": "Missing or wrong API key"},
    403: {"model": ErrorResponse, "description": "The key lacks the scope, or a cross-origin request"},
    422: {"model": ErrorResponse, "description": "The body does not match the schema"},
    429: {"model": ErrorResponse, "description": "Too many requests; see Retry-After"},
    503: {"model": ErrorResponse, "description": "Too many answers at once; see Retry-After"},
}


def split_messages(messages: list[ChatMessage]) -> tuple[str, list[Turn]]:
    """(question, history): the last user message, and the user/assistant/system turns before it."""
    last_user = max((i for i, m in enumerate(messages) if m.role == "user"), default=None)
    if last_user is None:
        raise ValueError("no user message")
    history = [Turn(role=m.role, content=m.text()) for m in messages[:last_user]
               if m.role in {"user", "assistant", "system"}]
    return messages[last_user].text(), history


def bound_request(question: str, history: list[Turn], max_chars: int | None) -> tuple[list[Turn], str | None]:
    """(history, problem): the question must be valid text within `max_chars`; earlier turns are cut to it.

    Clients resend whole conversations, including our own long answers, so history is trimmed, not refused.
    """
    for text in [question, *(t.content for t in history)]:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return history, "a message contains a lone surrogate; send valid Unicode text"
    if max_chars is not None and len(question) > max_chars:
        return history, f"the last user message has {len(question)} characters, over the limit of {max_chars}"
    if max_chars is not None:
        history = [t.model_copy(update={"content": t.content[:max_chars]}) for t in history]
    return history[-MAX_HISTORY:], None


def _error(status: int, message: str, kind: str, code: str | None = None) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "param": None, "code": code}},
                        status_code=status, headers={"WWW-Authenticate": "Bearer"} if status == 401 else None)


def _authorized(request: Request, keys: list[str]) -> bool:
    if not keys:
        return True
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    # Check every key so the time taken does not reveal which one nearly matched.
    return any([hmac.compare_digest(token.encode(), key.encode()) for key in keys])


class _Completions:
    """Builds the response bodies; one per router."""

    def __init__(self, ask: AskFn, model_name: str, clock: Clock) -> None:
        self.ask = ask
        self.model_name = model_name
        self.clock = clock

    def _envelope(self, completion_id: str, kind: str) -> dict[str, Any]:
        return {"id": completion_id, "object": kind, "created": int(self.clock()), "model": self.model_name}

    def complete(self, answer: Answer) -> dict[str, Any]:
        message = {"role": "assistant", "content": render_answer(answer, "markdown")}
        return {**self._envelope(f"chatcmpl-{uuid.uuid4().hex}", "chat.completion"),
                "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                "references": [c.model_dump() for c in answer.citations]}

    def _chunk(self, completion_id: str, delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        body = {**self._envelope(completion_id, "chat.completion.chunk"),
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    async def stream(self, question: str, history: list[Turn]) -> AsyncIterator[str]:
        completion_id = f"chatcmpl-{uuid.uuid4().hex}"
        yield self._chunk(completion_id, {"role": "assistant", "content": ""})
        try:
            answer = await anyio.to_thread.run_sync(self.ask, question, history)
        except Exception:
            log.exception("answering a streamed chat completion failed")
            yield f"data: {json.dumps({'error': {'message': 'answering failed', 'type': 'server_error'}})}\n\n"
            yield "data: [DONE]\n\n"
            return
        for piece in split_chars(render_answer(answer, "markdown"), STREAM_PIECE_CHARS):
            yield self._chunk(completion_id, {"content": piece})
        references = [c.model_dump() for c in answer.citations]
        yield self._chunk(completion_id, {}, "stop", references=references)
        yield "data: [DONE]\n\n"


def make_openai_router(ask: AskFn, api_keys: list[str], model_name: str = "speechbot",
                       clock: Clock = time.time, max_chars: int | None = None,
                       dependencies: Sequence[Any] = ()) -> APIRouter:
    """Routes `/v1/models` and `/v1/chat/completions` answering through `ask`.

    Args:
        ask: the bot, `(question, history) -> Answer`; run in a worker thread.
        api_keys: accepted Bearer keys; empty means no check here (the service checks keys before routing).
        model_name: the one model id listed and echoed back.
        clock: seconds since the epoch, for `created`.
        max_chars: the longest question accepted (400 beyond); earlier turns are cut to it.
        dependencies: FastAPI dependencies run before every route (the service's scope check).

    Example: `app.include_router(make_openai_router(answerer.ask, ["sk-local"]))`, then
    `openai.OpenAI(base_url="http://host/v1", api_key="sk-local")`.
    """
    router = APIRouter(prefix="/v1", tags=["openai"], dependencies=list(dependencies))
    keys = [key for key in api_keys if key]
    completions = _Completions(ask, model_name, clock)
    unauthorized = "Incorrect or missing API key; send it as 'Authorization: Bearer <key>'."

    @router.get("/models", responses=ERRORS)
    async def list_models(request: Request) -> Response:
        if not _authorized(request, keys):
            return _error(401, unauthorized, "invalid_request_error", "invalid_api_key")
        model = {"id": model_name, "object": "model", "created": 0, "owned_by": "speechbot"}
        return JSONResponse({"object": "list", "data": [model]})

    @router.post("/chat/completions", responses={**ERRORS, 200: {"content": {
        "application/json": {}, "text/event-stream": {"schema": {  # each event: `data: <chunk JSON>` or `[DONE]`
            "type": "object", "properties": {"data": {"type": "string"}}}}}}})
    async def chat_completions(body: ChatCompletionRequest, request: Request) -> Response:
        if not _authorized(request, keys):
            return _error(401, unauthorized, "invalid_request_error", "invalid_api_key")
        try:
            question, history = split_messages(body.messages)
        except ValueError as exc:
            return _error(400, str(exc), "invalid_request_error")
        history, problem = bound_request(question, history, max_chars)
        if problem:
            return _error(400, problem, "invalid_request_error", "invalid_message")
        if body.stream:
            headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
            return StreamingResponse(completions.stream(question, history), media_type="text/event-stream",
                                     headers=headers)
        answer = await anyio.to_thread.run_sync(ask, question, history)
        return JSONResponse(completions.complete(answer))

    return router
