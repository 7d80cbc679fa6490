"""Helpers shared by the core tests (the fixtures in conftest.py wrap them)."""

from __future__ import annotations

import datetime as dt
import itertools

from desktop import idcard
from desktop.services import auth
from desktop.store import Store

ADMIN = auth.Actor("admin", "admin")
MANAGER = auth.Actor("manager", "manager")
CLERK = auth.Actor("clerk", "clerk")

_serial = itertools.count(1)


def employee_data(**overrides) -> dict:
    """A valid hire form as a person would type it (strings, department by code).

    Each call gives a different person (employee number, ID number, phone and bank account
    are unique across calls); pass a field to set it, e.g. employee_data(name="王芳"). The ID
    number follows a `gender` override unless `id_number` is given too."""
    i = next(_serial)
    gender = overrides.get("gender") or ("M" if i % 2 else "F")  # the ID number agrees
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=37 * i % 9000)  # 1970-1994
    row = {
        "employee_no": f"E{i:05d}",
        "name": ["张伟", "王芳", "李娜", "刘洋", "陈静"][i % 5],
        "gender": gender,
        "id_number": idcard.make("310101", birth, i, gender),
        "phone": f"139{i:08d}",
        "department": "collection",
        "position": "催收专员",
        "hire_date": "2022-04-01",
        "base_salary": "8000.00",
        "bank_account": f"62220212{i:011d}",
    }
    row.update(overrides)
    return row


def count_rows(store: Store, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()


def counts(store: Store) -> dict[str, int]:
    """Rows in the tables a write touches: a failed action must leave them all unchanged."""
    return {t: count_rows(store, t) for t in ("employee", "employee_event", "outbox", "audit_log")}
