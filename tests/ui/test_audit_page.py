"""The audit log page: newest first, and the chain check finds a row changed behind the
app's back."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt

from desktop.services import auth, employees
from tests.ui.support import settle
from ui.audit_page import AuditPage


def test_newest_change_first_with_what_changed(qtbot, populated_store):
    admin = auth.Actor("admin", "admin")
    emp_id = employees.find_id(populated_store, "E00007")
    employees.edit(populated_store, admin, emp_id, {"phone": "13700000007"})
    page = AuditPage(populated_store)
    qtbot.addWidget(page)
    page.refresh()
    settle(qtbot, lambda: page.model.rowCount() > 0)
    first = [page.model.index(0, c).data() for c in range(6)]
    assert first[2] == "admin"
    assert "13900000007 → 13700000007" in first[5]
    last = page.model.rowCount() - 1
    assert page.model.index(last, 0).data() == "1"  # the oldest entry is at the bottom


def test_verify_reports_intact_then_the_tampered_entry(qtbot, populated_store):
    page = AuditPage(populated_store)
    qtbot.addWidget(page)
    page.refresh()
    settle(qtbot, lambda: page.model.rowCount() > 0)
    page.verify()
    settle(qtbot, lambda: page.verify_button.isEnabled())
    assert page.result.property("ok") is True
    assert str(page.model.rowCount()) in page.result.text()

    raw = sqlite3.connect(populated_store.path)
    raw.execute("UPDATE employee SET base_salary = 99999900 WHERE employee_no = 'E00005'")
    raw.commit()
    raw.close()
    page.verify()
    settle(qtbot, lambda: page.verify_button.isEnabled())
    assert page.result.property("ok") is False
    assert "base_salary" in page.result.text()
    selected = page.table.currentIndex().row()
    assert selected >= 0
    assert "E00005" in page.model.index(selected, 5).data()


def test_navigation_follows_the_role(qtbot, populated_store, settings):
    from desktop.services import branch
    from ui.main_window import MainWindow

    info = branch.current_branch(populated_store)
    labels = {}
    for role in ("clerk", "manager", "admin"):
        w = MainWindow(populated_store, auth.Actor(role, role), info, settings)
        qtbot.addWidget(w)
        labels[role] = [w.nav.item(i).text() for i in range(w.nav.count())]
    assert labels["clerk"] == ["Employees"]
    assert labels["manager"] == ["Employees", "Audit log", "Sync"]
    assert labels["admin"] == ["Employees", "Users", "Audit log", "Sync"]


def _pull_employees(store, count: int) -> list[str]:
    """A page from HQ with `count` new employees, applied as a sync applies it."""
    from desktop import sync_engine
    from desktop.services import branch
    from sync.protocol import PulledChange

    info = branch.current_branch(store)
    dept = branch.departments(store)[0].id
    ids = [f"0190a000-0000-7000-8000-0000005e{i:04d}" for i in range(count)]
    changes = [PulledChange(table="employee", row_id=row_id, rev=100 + i, op="upsert", row={
        "id": row_id, "branch_id": info.id, "updated_at": "2026-11-23T08:00:00.000000Z",
        "deleted": False, "employee_no": f"H{i:05d}", "name": "赵敏", "gender": "F",
        "id_number": f"31010119900101{i:04d}", "birth_date": "1990-01-01",
        "phone": f"137{i:08d}", "department_id": dept, "position": "催收专员",
        "hire_date": "2023-03-01", "base_salary": "9000.00", "bank_account": f"6222{i:015d}",
        "status": "active", "leave_date": None, "leave_reason": None})
        for i, row_id in enumerate(ids)]
    sync_engine.apply_page(store, changes, None, None)
    return ids


def test_a_pulled_page_is_one_line_received_from_hq(qtbot, populated_store):
    ids = _pull_employees(populated_store, 25)
    page = AuditPage(populated_store)
    qtbot.addWidget(page)
    page.refresh()
    settle(qtbot, lambda: page.model.rowCount() > 0)
    first = [page.model.index(0, c).data() for c in range(6)]
    assert first[2] == "sync:hq" and first[3] == "Received from HQ"
    assert first[4] == "Employee"
    assert first[5].startswith("25 record(s): ") and "H00000" in first[5]
    assert first[5].endswith("…")
    tip = page.model.index(0, 5).data(Qt.ToolTipRole)
    assert ids[0] in tip and ids[-1] not in tip  # a preview, not 25 rows

    raw = sqlite3.connect(populated_store.path)
    raw.execute("UPDATE employee SET phone = '13000000000' WHERE id = ?", (ids[7],))
    raw.commit()
    raw.close()
    page.verify()
    settle(qtbot, lambda: page.verify_button.isEnabled())
    assert page.result.property("ok") is False
    assert ids[7] in page.result.text() and "phone" in page.result.text()
    assert page.table.currentIndex().row() == 0  # the pulled page's line


def test_received_from_hq_in_chinese(qtbot, qapp, populated_store):
    from ui.resources import install_translators

    _pull_employees(populated_store, 3)
    page = AuditPage(populated_store)
    qtbot.addWidget(page)
    assert install_translators(qapp, "zh_CN")
    try:
        page.refresh()
        settle(qtbot, lambda: page.model.rowCount() > 0)
        assert page.model.index(0, 3).data() == "从总部接收"
        assert page.model.index(0, 5).data().startswith("3 条记录: ")
    finally:
        install_translators(qapp, "en")
