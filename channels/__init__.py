"""Channels: the OpenAI-compatible API and the messaging-app adapters, both calling only the bot's answerer.

The app factory mounts them:
    app.include_router(make_openai_router(ask, api_keys))
    app.include_router(make_im_router(load_channels(channels_file), ask))
"""

from channels.base import AskFn, IncomingMessage, OutgoingReply
from channels.config import BotConfig, load_channels
from channels.errors import ChannelError, ChannelsConfigError, MissingExtraError
from channels.im.registry import make_im_router
from channels.openai_compat import make_openai_router

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
