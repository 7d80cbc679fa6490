"""HQ's migrations on a database that holds rows (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select

from sync.server.core.config import normalize_db_url
from sync.server.db import alembic_config, make_engine, upgrade
from sync.server.models import Base, Employee, EmployeeEvent
from tests.sync.hq_support import FINANCE, employee_fields, new_id

REFERENCES = {"employee": "department", "employee_event": "employee"}


def _downgrade(engine, revision: str) -> None:
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def _foreign_keys(engine) -> dict[str, list[str]]:
    found = inspect(engine)
    return {table: [fk["referred_table"] for fk in found.get_foreign_keys(table)]
            for table in REFERENCES}


def test_the_lean_indexes_migration_keeps_an_hqs_rows_both_ways(db_url):
    engine = make_engine(normalize_db_url(db_url))
    try:
        upgrade(engine, "0003")
        assert _foreign_keys(engine) == {t: [target] for t, target in REFERENCES.items()}
        employee, event = new_id(), new_id()
        fields = employee_fields("M-001")
        fields.pop("deleted"), fields.pop("updated_at")
        with engine.begin() as conn:
            conn.execute(Employee.__table__.insert(), {
                **fields, "id": employee, "department_id": FINANCE, "rev": 1,
                "field_meta": {}, "birth_date": _date("1990-03-07"),
                "hire_date": _date("2024-01-02"), "base_salary": 8000})
            conn.execute(EmployeeEvent.__table__.insert(), {
                "id": event, "employee_id": employee, "kind": "hire", "rev": 2,
                "effective_date": _date("2024-01-02"), "actor": "admin", "field_meta": {}})

        upgrade(engine)  # SQLite rebuilds both tables: employee's while events refer to it
        assert _foreign_keys(engine) == {"employee": [], "employee_event": []}
        assert _counts(engine) == (1, 1)
        _downgrade(engine, "0003")
        assert _foreign_keys(engine) == {t: [target] for t, target in REFERENCES.items()}
        assert _counts(engine) == (1, 1)
        upgrade(engine)
        assert _counts(engine) == (1, 1)
    finally:
        engine.dispose()


def _date(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def _counts(engine) -> tuple[int, int]:
    with engine.connect() as conn:
        return (conn.scalar(select(func.count()).select_from(Employee.__table__)),
                conn.scalar(select(func.count()).select_from(EmployeeEvent.__table__)))


def test_the_migrations_build_what_the_models_say(db_url):
    """Autogenerate finds nothing to do: no index or column a model declares is missing
    from the migrated schema, nor one more there (the version table aside, and on
    PostgreSQL the rev counter, which is SQLite's: PostgreSQL has a sequence)."""
    engine = make_engine(normalize_db_url(db_url))
    skipped = {"hq_alembic_version"} | ({"hq_rev_counter"} if "postgresql" in db_url else set())
    try:
        upgrade(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={
                "include_object": lambda _object, name, kind, _reflected, _to:
                kind != "table" or name not in skipped})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()
