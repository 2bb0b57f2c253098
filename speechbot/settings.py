"""The one settings object. Only the composition root (CLI, app factory) reads the environment."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_data_dir() -> Path:
    return user_data_path("speechbot", appauthor=False)


class Settings(BaseSettings):
    """Every knob, read from SPEECHBOT_* variables (and a .env file if present)."""

    model_config = SettingsConfigDict(env_prefix="SPEECHBOT_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    index: Path | None = None  # defaults to <data_dir>/index

    # Chunking (characters of the display text); defaults chosen by the eval, see README.
    chunk_size: int = Field(default=260, ge=20)
    chunk_overlap: int = Field(default=1, ge=0)  # sentences repeated from the previous chunk
    ingest_workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)  # processes for large ingests

    # Dense retrieval: a sentence-transformers hub id or a local path; empty = lexical only.
    embed_model: str = ""
    embed_query_instruction: str = ""  # e.g. bge-zh: "为这个句子生成表示以用于检索相关文章："
    embed_batch_size: int = Field(default=32, ge=1)

    top_k: int = Field(default=5, ge=1, le=100)
    candidates: int = Field(default=50, ge=1)  # passages fused and reranked before top_k is cut

    # Generative answers through any OpenAI-compatible endpoint (empty base URL = extractive only).
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = Field(default=20.0, gt=0)
    llm_temperature: float = Field(default=0.1, ge=0, le=2)
    llm_max_tokens: int = Field(default=512, ge=1)

    # Service
    max_upload_mb: int = Field(default=20, ge=1)
    api_keys: str = ""  # comma-separated bearer keys for the OpenAI-compatible API
    channels_file: Path | None = None

    @field_validator("llm_base_url")
    @classmethod
    def _no_trailing_slash(cls, url: str) -> str:
        return url.strip().rstrip("/")  # "…/v1/" and "…/v1" are the same endpoint

    def index_dir(self) -> Path:
        return self.index or (self.data_dir / "index")
