"""Alembic, run programmatically when a store is opened (no alembic.ini needed)."""

from __future__ import annotations

import threading
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
# The newest script in migrations/versions (tests/desktop/test_store.py keeps it in step).
# Knowing it here lets an up-to-date store open without importing Alembic (~200 ms).
HEAD_REVISION = "0007"
# Alembic's `context` and `op` are process-wide proxies: one migration run at a time.
_upgrade_lock = threading.Lock()


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The head according to the scripts themselves."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except OperationalError:  # a new, empty store
            return None


def upgrade_to_head(engine: Engine, revision: str = "head") -> None:
    """Bring the store to `revision`; a no-op (one cheap query) when it is already there."""
    if revision == "head" and current_revision(engine) == HEAD_REVISION:
        return
    from alembic import command

    cfg = alembic_config()
    # IMMEDIATE: take the write lock before Alembic reads the version, so a second desk
    # opening the same old store waits, then finds it migrated, instead of failing halfway.
    with _upgrade_lock, engine.execution_options(sqlite_begin="IMMEDIATE").begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
