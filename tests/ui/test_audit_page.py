"""The audit log page: newest first, and the chain check finds a row changed behind the
app's back."""

from __future__ import annotations

import sqlite3

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
