"""Channels: the OpenAI-compatible API and the messaging-app adapters, both calling only the bot's answerer.

The app factory mounts them:
    app.include_router(make_openai_router(ask, api_keys))
    app.include_router(make_im_router(load_channels(channels_file), ask))
"""

# Names load on first use: importing one channels module (its errors) does not import FastAPI and every adapter.

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from channels.base import AskFn, IncomingMessage, OutgoingReply
    from channels.config import BotConfig, load_channels
    from channels.errors import ChannelError, ChannelsConfigError, MissingExtraError
    from channels.im.registry import make_im_router
    from channels.openai_compat import make_openai_router

_WHERE = {
    "AskFn": "channels.base",
    "BotConfig": "channels.config",
    "ChannelError": "channels.errors",
    "ChannelsConfigError": "channels.errors",
    "IncomingMessage": "channels.base",
    "MissingExtraError": "channels.errors",
    "OutgoingReply": "channels.base",
    "load_channels": "channels.config",
    "make_im_router": "channels.im.registry",
    "make_openai_router": "channels.openai_compat",
}

__all__ = [
    "AskFn",
    "BotConfig",
    "ChannelError",
    "ChannelsConfigError",
    "IncomingMessage",
    "MissingExtraError",
    "OutgoingReply",
    "load_channels",
    "make_im_router",
    "make_openai_router",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
