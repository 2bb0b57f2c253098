"""Checks shared by several adapters."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from channels.errors import BadPayloadError, StaleTimestampError


def url_verification(payload: dict[str, Any]) -> Response | None:
    """Feishu and Slack check a callback URL the same way: echo the challenge of a `url_verification` event."""
    if payload.get("type") == "url_verification":
        return JSONResponse({"challenge": payload.get("challenge", "")})
    return None


def check_timestamp(timestamp: str, now: float, max_skew_s: float) -> None:
    """Raise StaleTimestampError when `timestamp` (seconds) is more than `max_skew_s` from `now` (0 = no limit)."""
    try:
        value = int(timestamp)
    except ValueError as exc:
        raise BadPayloadError("timestamp is not an integer") from exc
    if max_skew_s and abs(now - value) > max_skew_s:
        raise StaleTimestampError(f"timestamp {value} is {abs(now - value):.0f} s from now")
