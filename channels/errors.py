"""Specific errors of the channels package; routes turn them into HTTP status codes."""

from __future__ import annotations


class ChannelError(Exception):
    """Base class of every error raised by the channels package."""


class ChannelsConfigError(ChannelError):
    """The channels file is missing, unreadable or invalid; the message names the file and the field."""


class RequestRejected(ChannelError):
    """An inbound platform request that must be refused with a 4xx and never answered."""


class SignatureError(RequestRejected):
    """The request signature, secret header or verification token does not match."""


class StaleTimestampError(RequestRejected):
    """The signed timestamp is too far from now (a replay or a badly skewed clock)."""


class ReceiverMismatchError(RequestRejected):
    """The decrypted message was addressed to another receiver (corp id, app, robot)."""


class DecryptError(RequestRejected):
    """The encrypted payload could not be decrypted (bad key, base64, or padding)."""


class BadPayloadError(RequestRejected):
    """The request body or query is not what the platform sends."""


class PlatformAPIError(ChannelError):
    """An outbound platform API call failed."""


class TokenExpiredError(PlatformAPIError):
    """The platform said the access token is invalid or expired; refetch it and retry once."""


class MissingExtraError(ChannelError):
    """An optional package needed by one channel is not installed."""
