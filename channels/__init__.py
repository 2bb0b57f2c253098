"""Channels: the OpenAI-compatible API and the messaging-app adapters, both calling only the bot's answerer."""
