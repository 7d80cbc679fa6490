"""HQ settings: where the database is (`--db` or BRANCHDESK_HQ_DB; a SQLite file by default)."""

from __future__ import annotations

import os
from dataclasses import dataclass

from sync.protocol import MAX_REQUEST_BYTES

DB_ENV = "BRANCHDESK_HQ_DB"
DEFAULT_DB = "sqlite:///./branchdesk-hq.sqlite3"


def normalize_db_url(url: str) -> str:
    """`postgresql://` and `postgres://` mean psycopg 3; a bare path means a SQLite file."""
    url = url.strip()
    for prefix in ("postgresql://", "postgres://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    if "://" not in url:
        return f"sqlite:///{url}"
    return url


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DB
    max_request_bytes: int = MAX_REQUEST_BYTES

    @classmethod
    def from_env(cls, db: str | None = None) -> Settings:
        return cls(database_url=normalize_db_url(db or os.environ.get(DB_ENV) or DEFAULT_DB))

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
