"""POST /api/chat (JSON or Server-Sent Events) and the stored conversations."""

from __future__ import annotations

import logging
from collections.abc import Iterator

from fastapi import APIRouter, Request
from starlette.responses import StreamingResponse

from bot.models import Answer, Turn
from speechbot.api.deps import ANSWER_ERRORS, ERRORS, Asker, StateDep, owner_filter
from speechbot.api.limits import check_lengths
from speechbot.api.schemas import MAX_HISTORY, ChatAnswer, ChatRequest, Deleted
from speechbot.api.state import AppState
from speechbot.api.streaming import Event, answer_events, sse
from speechbot.conversations import Conversation, ConversationSummary
from speechbot.keys import Principal

log = logging.getLogger("speechbot")
router = APIRouter(prefix="/api", tags=["chat"])
SSE_EVENT = {"type": "object", "properties": {"event": {"type": "string"}, "data": {"type": "string"}}}
SSE_DOC = {"text/event-stream": {"schema": SSE_EVENT,  # one event: its name and its JSON data
                                 "example": "event: citations\ndata: {...}\n\nevent: delta\ndata: {\"text\": \"…\"}\n\n"
                                            "event: final\ndata: {\"conversation_id\": \"…\", \"answer\": \"…\"}\n\n"}}


CONVERSATION = {"parameters": {"conversation_id": "$response.body#/conversation_id"}}
LINKS = {"GetConversation": {"operationId": "get_conversation", **CONVERSATION},
         "DeleteConversation": {"operationId": "delete_conversation", **CONVERSATION}}


@router.post("/chat", response_model=ChatAnswer, responses={**ANSWER_ERRORS, 200: {"content": SSE_DOC, "links": LINKS}})
def chat(body: ChatRequest, request: Request, state: StateDep, who: Asker):  # type: ignore[no-untyped-def]
    """Ask within a conversation (a new one when `conversation_id` is absent); earlier turns are the history.

    With `Accept: text/event-stream` the answer streams as events `citations`, `delta`… and one `final`
    (the whole answer object); a failure mid-way is an `error` event. Conversations belong to the key that
    started them.
    """
    check_lengths(state.settings.max_question_chars, [("message", body.message)])
    state.check_usable()
    cid, history = _open(state, body.conversation_id, body.message, who)
    if "text/event-stream" in request.headers.get("accept", ""):
        events = _stream(state, cid, history, body)
        return StreamingResponse(events, media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    answer = state.ask(body.message, history, body.filters, body.top_k)
    _record(state, cid, body.message, answer)
    return ChatAnswer(conversation_id=cid, **answer.model_dump())


@router.get("/conversations", response_model=list[ConversationSummary], responses=ERRORS)
def list_conversations(state: StateDep, who: Asker) -> list[ConversationSummary]:
    """The caller's conversations (an admin key's: all), newest first."""
    return state.conversations.list(owner_filter(who))


@router.get("/conversations/{conversation_id}", response_model=Conversation, responses=ERRORS,
            operation_id="get_conversation")
def get_conversation(conversation_id: str, state: StateDep, who: Asker) -> Conversation:
    """One conversation with its messages (assistant messages carry the whole answer object)."""
    return state.conversations.get(conversation_id, owner_filter(who))


@router.delete("/conversations/{conversation_id}", response_model=Deleted, responses=ERRORS,
               operation_id="delete_conversation")
def delete_conversation(conversation_id: str, state: StateDep, who: Asker) -> Deleted:
    """Remove one of the caller's conversations (an admin may remove any)."""
    state.conversations.delete(conversation_id, owner_filter(who))
    return Deleted(deleted=conversation_id)


def _open(state: AppState, cid: str | None, message: str, who: Principal) -> tuple[str, list[Turn]]:
    if cid:
        turns = state.conversations.turns(cid, owner_filter(who))  # UnknownConversation -> 404
        return cid, turns[-MAX_HISTORY:]
    return state.conversations.create(message, who.name), []


def _record(state: AppState, cid: str, message: str, answer: Answer) -> None:
    state.conversations.append(cid, "user", message)
    state.conversations.append(cid, "assistant", answer.answer, answer)


def _stream(state: AppState, cid: str, history: list[Turn], body: ChatRequest) -> Iterator[str]:
    """Runs in Starlette's thread pool (a sync iterator); every failure becomes an `error` event."""
    try:
        for event in answer_events(state.bot, body.message, history, body.filters, body.top_k):
            if event.name == "final":
                extra = {k: event.data.pop(k) for k in ("replaced", "reason")}
                answer = Answer.model_validate(event.data)
                _record(state, cid, body.message, answer)
                event = Event("final", {"conversation_id": cid, **answer.model_dump(), **extra})
            elif event.name == "citations":
                event.data["conversation_id"] = cid
            yield sse(event)
    except Exception as exc:  # the client gets an error event instead of a dropped connection
        log.exception("streamed answer failed")
        detail = state.redact(f"{type(exc).__name__}: {exc}")  # the server's folders never reach the caller
        yield sse(Event("error", {"code": "internal_error", "detail": detail}))
