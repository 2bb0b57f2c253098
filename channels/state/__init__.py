"""Where the channels keep what outlives one request: delivery ids seen, chat history, WeCom AI bot streams.

In memory by default (one process); in Redis when a URL is given, so replicas behind a load balancer answer a
message once and share a chat's history (`make_channel_state`).
"""

from channels.state.base import ChannelState, Dedupe, History, StreamJob, Streams
from channels.state.factory import make_channel_state

__all__ = ["ChannelState", "Dedupe", "History", "StreamJob", "Streams", "make_channel_state"]
