"""Alembic, run programmatically when a store is opened (no alembic.ini needed)."""

from __future__ import annotations

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# Alembic's `context` and `op` are process-wide proxies: one migration run at a time.
_upgrade_lock = threading.Lock()


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine, revision: str = "head") -> None:
    """Bring the store to `revision`; a no-op (one cheap query) when it is already there."""
    if revision == "head" and current_revision(engine) == head_revision():
        return
    cfg = alembic_config()
    # IMMEDIATE: take the write lock before Alembic reads the version, so a second desk
    # opening the same old store waits, then finds it migrated, instead of failing halfway.
    with _upgrade_lock, engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
