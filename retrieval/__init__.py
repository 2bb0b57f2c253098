"""Retrieval: normalised text, tokenisers, the on-disk index, hybrid search and reranking.

Imports nothing from ``ingest`` or ``bot``: data flows ingest -> retrieval -> bot.
"""
