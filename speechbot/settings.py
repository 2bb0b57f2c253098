"""The one settings object. Only the composition root (CLI, app factory) reads the environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

from limits import parse as parse_rate_limit
from platformdirs import user_data_path
from pydantic import Field, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


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

    # Service: who may use it (see README, "Security")
    api_keys: str = ""  # comma-separated `key:scope+scope` (scopes: ask, write, admin; a bare key is `ask`)
    api_keys_file: Path | None = None  # lines of `name sha256:<hex> scope+scope` (speechbot keys new writes them)
    insecure_no_auth: bool = False  # serve without keys on a non-loopback address (serve --insecure-no-auth)
    allowed_hosts: Annotated[list[str], NoDecode] = Field(default_factory=list)  # empty: loopback names without keys
    allowed_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)  # cross-origin writers; CORS for them

    # Service: limits
    max_question_chars: int = Field(default=2000, ge=1)  # question, chat message, each history turn (/api and /v1)
    max_upload_mb: int = Field(default=20, ge=1)  # per file, enforced while the upload streams in
    max_upload_files: int = Field(default=20, ge=1)  # files per upload request
    max_queued_jobs: int = Field(default=100, ge=1)  # ingest and delete jobs waiting; beyond that 409
    rate_limit_key: str = "120/minute"  # requests per API key (`limits` notation; empty = none)
    rate_limit_ip: str = "300/minute"  # requests per client address
    rate_limit_auth_failures: str = "20/minute"  # wrong or missing keys per client address before 429
    max_concurrent_answers: int = Field(default=8, ge=1)  # answers computed at once; more wait, then 503
    answer_queue_s: float = Field(default=5.0, ge=0)  # how long a request waits for an answer slot
    ingest_memory_mb: int = Field(default=4096, ge=256)  # address-space limit of the ingest worker process
    ingest_timeout_s: int = Field(default=900, ge=1)  # wall-clock limit of one upload's ingest
    conversation_max_age_days: int = Field(default=90, ge=1)  # conversations idle longer are removed
    conversation_max_count: int = Field(default=500, ge=1)  # per key; the oldest beyond it are removed
    index_poll_s: float = Field(default=2.0, gt=0)  # how often the service checks for a newer index version
    channels_file: Path | None = None

    # Shared state, so several replicas of the service answer alike (README, "Several replicas")
    database_url: str = ""  # conversations and jobs; empty: SQLite at <data_dir>/conversations.sqlite3
    redis_url: str = ""  # channel dedupe, chat history, WeCom streams, rate limits, the job lock; empty: per process

    @field_validator("index", "api_keys_file", "channels_file", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        """`SPEECHBOT_CHANNELS_FILE=` (as a compose file passes an unset variable) means none, not the folder `.`."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("allowed_hosts", "allowed_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        """`a,b` in the environment; a list when given in code."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("rate_limit_key", "rate_limit_ip", "rate_limit_auth_failures")
    @classmethod
    def _rate_limit(cls, text: str) -> str:
        if text.strip():
            parse_rate_limit(text)  # a bad one is reported at start, named by its variable, not when the guard is built
        return text

    @field_validator("llm_base_url")
    @classmethod
    def _no_trailing_slash(cls, url: str) -> str:
        return url.strip().rstrip("/")  # "…/v1/" and "…/v1" are the same endpoint

    @field_validator("database_url", "redis_url")
    @classmethod
    def _url(cls, url: str, info: ValidationInfo) -> str:
        url = url.strip()
        if url and "://" not in url:
            example = "redis://host:6379/0" if info.field_name == "redis_url" else "postgresql://user:password@host/db"
            raise ValueError(f"expected a URL such as {example}")
        return url

    def index_dir(self) -> Path:
        return self.index or (self.data_dir / "index")
