"""The one settings object. Only the composition root (CLI, app factory) reads the environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from platformdirs import user_data_path
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return user_data_path("speechbot", appauthor=False)


class Settings(BaseSettings):
    """Every knob, read from SPEECHBOT_* variables (and a .env file if present)."""

    model_config = SettingsConfigDict(env_prefix="SPEECHBOT_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    index: Path | None = None  # defaults to <data_dir>/index (with Milvus: only the write lock lives there)

    # Where the index lives: "local" (segments in the index folder) or "milvus" (README, "Choosing a backend")
    backend: Literal["local", "milvus"] = "local"
    milvus_uri: str = ""  # a milvus-lite file (e.g. /srv/speechbot/milvus.db) or http://host:19530
    milvus_token: str = ""  # "user:password" or an API key, when the server asks for one
    milvus_collection: str = Field(default="speechbot", pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,200}$")  # name prefix

    # Chunking (characters of the display text); defaults chosen by the eval, see README.
    chunk_size: int = 260
    chunk_overlap: int = 1  # sentences repeated from the previous chunk
    ingest_workers: int = Field(default_factory=lambda: os.cpu_count() or 1)  # processes for large ingests

    # Dense retrieval: a sentence-transformers hub id or a local path; empty = lexical only.
    embed_model: str = ""
    embed_query_instruction: str = ""  # e.g. bge-zh: "为这个句子生成表示以用于检索相关文章："
    embed_batch_size: int = 32

    top_k: int = 5
    candidates: int = 50  # passages fused and reranked before top_k is cut

    # Generative answers through any OpenAI-compatible endpoint (empty base URL = extractive only).
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 20.0
    llm_temperature: float = 0.1
    llm_max_tokens: int = 512

    # Service
    max_upload_mb: int = 20
    api_keys: str = ""  # comma-separated bearer keys for the OpenAI-compatible API
    channels_file: Path | None = None

    def index_dir(self) -> Path:
        return self.index or (self.data_dir / "index")
