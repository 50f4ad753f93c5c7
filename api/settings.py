"""The one configuration object of the API (environment variables prefixed ``MEDIALIT_``)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "MIN_TEACHER_TOKEN"]

MIN_TEACHER_TOKEN = 22
"""Shortest accepted fixed teacher or administrator token: 22 URL-safe base64 characters carry 132 bits."""


class Settings(BaseSettings):
    """Everything the server needs; tests build their own instead of touching the environment.

    Relative paths (``data_dir``, the default SQLite file) are relative to the working folder.
    """

    model_config = SettingsConfigDict(env_prefix="MEDIALIT_", frozen=True)

    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL (postgresql+psycopg://user:pw@host/db); unset: SQLite in data_dir",
    )
    data_dir: Path = Field(default=Path("data"), description="folder for the default SQLite file, created at start-up")
    teacher_token: SecretStr | None = Field(
        default=None, description="fixed token of the first teacher account; when unset one is generated on first start and printed once"
    )
    admin_token: SecretStr | None = Field(
        default=None, description="fixed administrator token (manages teacher accounts); when unset one is generated on first start and printed once"
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    workers: int = Field(default=1, ge=1, le=64, description="server processes sharing the port (uvicorn workers); more than one needs PostgreSQL, see docs/deploy.md")
    sqlite_workers: bool = Field(
        default=False, description="allow more than one worker on SQLite (they take turns for its one write lock, so they add no write throughput)"
    )
    pack_dirs: tuple[Path, ...] = Field(
        default=(), description="lesson-pack folders to serve; empty means the packs shipped with medialit"
    )
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, description="largest accepted request body, in bytes")
    max_display_name: int = Field(default=40, ge=1, le=200, description="longest display name, in code points")
    max_class_size: int = Field(default=100, ge=1, description="students one class may have; joins beyond it are refused (409 class-full)")
    student_storage_bytes: int = Field(default=1024 * 1024, ge=64 * 1024, description="stored answers per student at most, in bytes of JSON; a save beyond it is refused (409 storage-quota-exceeded)")
    db_pool_size: int = Field(
        default=20, ge=1, le=500, description="PostgreSQL connections each server process keeps open for requests (as many again may open under load, plus 2 for the answer writer)"
    )
    store_busy_timeout_s: float = Field(default=5.0, gt=0, le=60, description="how long a request waits for the database's write lock before 503 store-unavailable, seconds")
    join_failures_allowed: int = Field(default=50, ge=1, description="failed joins per client address per window before that address is throttled")
    join_throttle_s: float = Field(default=2.0, gt=0, description="a throttled address may try one join this often, seconds")
    trusted_proxies: tuple[str, ...] = Field(
        default=(), description="addresses of reverse proxies whose X-Forwarded-For names the client; empty: the header is ignored"
    )
    api_docs: bool = Field(default=False, description="serve interactive API docs at /api/v1/docs (they load Swagger UI from a public CDN)")
    lti_config: Path | None = Field(
        default=None, description="LTI 1.3 registration file (see docs/exports.md); unset: no LTI routes"
    )
    header_timeout_s: float = Field(default=10.0, gt=0, description="a connection that has not sent a request's headers this long after opening (or after its last response) is closed, seconds")
    keep_alive_timeout_s: float = Field(default=5.0, gt=0, description="an idle keep-alive connection is closed after this long, seconds")
    max_connections: int = Field(default=900, ge=1, description="open client connections at most (also kept 64 below the file-descriptor limit); over it, the connection waiting longest for its headers is closed")
    join_failure_window_s: float = Field(default=300.0, gt=0, description="window for failed-join limiting, seconds")
    studio_dir: Path | None = Field(
        default=None, description="folder of the packs teachers save in the studio; unset: <data_dir>/packs"
    )
    studio_max_body_bytes: int = Field(
        default=4 * 1024 * 1024, ge=1024, description="largest request body of the studio routes (uploads, pack files), in bytes"
    )
    debrief_min_group: int = Field(
        default=5, ge=2, le=1000, description="fewest submitted students for which the debrief shows any class figure"
    )
    access_log: bool = Field(default=True, description="write one JSON line per request to standard error (docs/operations.md)")
    metrics: bool = Field(default=False, description="serve Prometheus metrics at /metrics (needs metrics_token or metrics_addresses)")
    metrics_token: SecretStr | None = Field(default=None, description="bearer token that may read /metrics")
    metrics_addresses: tuple[str, ...] = Field(
        default=(), description="client addresses or networks (CIDR) that may read /metrics without the token"
    )
    retention_days: int | None = Field(
        default=None, ge=1, le=36500,
        description="delete classes closed longer than this many days, with their students and answers; unset: kept until a teacher deletes them",
    )
    audit_retention_days: int | None = Field(
        default=None, ge=1, le=36500, description="forget audit-log entries older than this many days; unset: kept"
    )
    retention_interval_s: float = Field(
        default=3600.0, ge=1, description="how often a running server applies the retention settings (it also does at start), seconds"
    )

    @property
    def studio_packs(self) -> Path:
        """Where studio packs are saved: ``studio_dir``, or ``<data_dir>/packs``."""
        return self.studio_dir or self.data_dir / "packs"

    @field_validator("teacher_token", "admin_token")
    @classmethod
    def _long_enough(cls, token: SecretStr | None, info: ValidationInfo) -> SecretStr | None:
        if token is not None and len(token.get_secret_value()) < MIN_TEACHER_TOKEN:
            raise ValueError(f"MEDIALIT_{info.field_name.upper()} must be at least {MIN_TEACHER_TOKEN} characters (128 random bits as URL-safe base64); "
                             "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'")
        return token

    @field_validator("metrics_token")
    @classmethod
    def _metrics_token_long_enough(cls, token: SecretStr | None) -> SecretStr | None:
        if token is not None and len(token.get_secret_value()) < MIN_TEACHER_TOKEN:
            raise ValueError(f"MEDIALIT_METRICS_TOKEN must be at least {MIN_TEACHER_TOKEN} characters; "
                             "make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'")
        return token

    @field_validator("metrics_addresses")
    @classmethod
    def _networks(cls, entries: tuple[str, ...]) -> tuple[str, ...]:
        for entry in entries:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"MEDIALIT_METRICS_ADDRESSES: {entry!r} is not an address or a network such as 10.0.0.0/8") from None
        return entries

    @model_validator(mode="after")
    def _metrics_reachable(self) -> "Settings":
        if self.metrics and self.metrics_token is None and not self.metrics_addresses:
            raise ValueError("MEDIALIT_METRICS is on, but nobody may read /metrics: "
                             "set MEDIALIT_METRICS_TOKEN or MEDIALIT_METRICS_ADDRESSES (for example 127.0.0.1)")
        return self

    @model_validator(mode="after")
    def _distinct_tokens(self) -> "Settings":
        if self.teacher_token and self.admin_token and self.teacher_token.get_secret_value() == self.admin_token.get_secret_value():
            raise ValueError("MEDIALIT_ADMIN_TOKEN and MEDIALIT_TEACHER_TOKEN must differ: the administrator and a teacher are different people")
        return self

    @property
    def database(self) -> str:
        """The URL the server uses: ``database_url``, or ``sqlite:///<data_dir>/medialit.db``
        (``sqlite:///data/medialit.db`` by default, relative to the working folder)."""
        return self.database_url or f"sqlite:///{self.data_dir.as_posix()}/medialit.db"
