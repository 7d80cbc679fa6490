"""Helpers shared by the UI tests."""

from __future__ import annotations

import datetime as dt

from desktop import idcard
from desktop.services import auth
from ui.ops import wait_for_ops

ADMIN = auth.Actor("setup", "admin")


def employee_row(i: int, **overrides) -> dict:
    gender = "M" if i % 2 else "F"
    row = {
        "employee_no": f"E{i:05d}", "name": ["张伟", "王芳", "李娜", "刘洋", "陈静"][i % 5],
        "id_number": idcard.make("310101", dt.date(1980, 1, 1) + dt.timedelta(days=37 * i),
                                 i, gender),
        "phone": f"139{i:08d}", "department": ["collection", "sales", "finance"][i % 3],
        "position": "催收专员", "hire_date": "2022-04-01", "base_salary": "8000.00",
        "bank_account": f"62220212{i:011d}",
    }
    row.update(overrides)
    return row


def settle(qtbot, condition, timeout=5000):
    """Wait until the workers have delivered and `condition()` holds."""
    qtbot.waitUntil(lambda: bool(wait_for_ops(100) and condition()), timeout=timeout)
