"""The employees screens under pytest-qt, on a real SQLite store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop.services import auth, branch, employees, outbox
from desktop.services.employees import EmployeeQuery
from tests.ui.support import employee_row, settle
from ui.main_window import MainWindow


@pytest.fixture
def window(qtbot, populated_store, settings):
    def make(role="admin"):
        actor = auth.Actor("admin" if role == "admin" else "clerk", role)
        w = MainWindow(populated_store, actor, branch.current_branch(populated_store), settings)
        qtbot.addWidget(w)
        w.show()
        w.start()
        settle(qtbot, lambda: w.employees.model.rowCount() > 0 and w.employees.departments)
        return w
    return make


def table_names(w) -> list[str]:
    model = w.employees.model
    return [model.employee(r).name for r in range(model.rowCount())]


def fill(dialog, data: dict) -> None:
    for field in ("employee_no", "name", "id_number", "phone", "base_salary", "bank_account"):
        getattr(dialog, field).setText(data[field])
    dialog.department.setCurrentIndex(dialog.department.findData(
        dialog._dept_lookup[data["department"]]))
    dialog.position.setCurrentText(data["position"])


def test_table_shows_the_branch_and_the_status_bar_counts_waiting_changes(qtbot, window):
    w = window()
    assert w.employees.model.rowCount() == 40
    assert w.employees.count_label.text().startswith("40")
    assert "上海分公司" in w.branch_label.text()
    # 40 employees + 40 hire events, none synced yet; the count arrives from a worker
    settle(qtbot, lambda: "80" in w.pending_label.text())


def test_hire_through_the_dialog_adds_the_row(qtbot, window, populated_store):
    w = window()
    dialog = w.employees.hire()
    data = employee_row(99, name="孙悟空")
    fill(dialog, data)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    settle(qtbot, lambda: not dialog.isVisible() and w.employees.model.rowCount() == 41)
    assert "孙悟空" in table_names(w)
    assert w.employees.selected().name == "孙悟空"  # the new row is selected
    settle(qtbot, lambda: "82" in w.pending_label.text())
    saved = employees.get(populated_store, auth.Actor("m", "manager"),
                          employees.find_id(populated_store, "E00099"))
    assert str(saved.base_salary) == "8000.00"


def test_invalid_id_number_shows_on_the_field_and_writes_nothing(qtbot, window,
                                                                  populated_store):
    w = window()
    before = employees.count(populated_store)
    dialog = w.employees.hire()
    data = employee_row(98)
    data["id_number"] = data["id_number"][:17] + ("0" if data["id_number"][17] != "0" else "1")
    fill(dialog, data)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    settle(qtbot, lambda: dialog.rows["id_number"].error.isVisible())
    assert "checksum" in dialog.rows["id_number"].error.text() or \
        "校验" in dialog.rows["id_number"].error.text()
    assert dialog.isVisible()
    assert not dialog.rows["name"].error.isVisible()
    assert employees.count(populated_store) == before


def test_field_is_checked_when_the_clerk_leaves_it(qtbot, window):
    w = window()
    dialog = w.employees.hire()
    dialog.phone.setText("12345")
    dialog.phone.editingFinished.emit()
    assert dialog.rows["phone"].error.isVisible()
    dialog.phone.setText("13912345678")
    dialog.phone.editingFinished.emit()
    assert not dialog.rows["phone"].error.isVisible()


def test_search_narrows_the_table(qtbot, window):
    w = window()
    w.employees.search.setText("张伟")
    settle(qtbot, lambda: w.employees.model.rowCount() == 8)
    assert set(table_names(w)) == {"张伟"}
    w.employees.search.setText("13900000007")
    settle(qtbot, lambda: w.employees.model.rowCount() == 1)
    assert w.employees.model.employee(0).employee_no == "E00007"
    w.employees.search.clear()
    settle(qtbot, lambda: w.employees.model.rowCount() == 40)


def test_department_filter_and_salary_sort(qtbot, window, populated_store):
    w = window()
    page = w.employees
    page.department_filter.setCurrentIndex(page.department_filter.findText("财务"))
    settle(qtbot, lambda: page.model.rowCount() == 13)
    assert {page.model.employee(r).department for r in range(13)} == {"财务"}
    employees.edit(populated_store, auth.Actor("a", "admin"),
                   employees.find_id(populated_store, "E00002"), {"base_salary": "23000"})
    page.table.horizontalHeader().setSortIndicator(8, Qt.DescendingOrder)
    settle(qtbot, lambda: page.model.rowCount() == 13
           and page.model.employee(0).employee_no == "E00002")


def test_clerk_sees_masked_id_and_cannot_edit_it(qtbot, window):
    w = window(role="clerk")
    emp = w.employees.model.employee(0)
    assert "*" in emp.id_number and "*" in emp.bank_account
    w.employees.table.selectRow(0)
    dialog = w.employees.edit_selected()
    assert dialog.id_number.isReadOnly() and dialog.bank_account.isReadOnly()
    dialog.phone.setText("13800001111")
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    settle(qtbot, lambda: w.employees.model.employee(0).phone == "13800001111")


def test_leave_hides_the_employee_from_the_active_list(qtbot, window, populated_store):
    w = window()
    w.employees.table.selectRow(0)
    gone = w.employees.selected()
    dialog = w.employees.leave_selected()
    dialog.reason.setCurrentText("个人原因")
    dialog.accept()
    settle(qtbot, lambda: w.employees.model.rowCount() == 39)
    assert gone.id not in {w.employees.model.employee_id(r) for r in range(39)}
    assert employees.get(populated_store, auth.Actor("a", "admin"), gone.id).status == "left"
    assert outbox.pending_count(populated_store) > 80
    left = employees.search_ids(populated_store, EmployeeQuery(status="left"))
    assert left == [gone.id]


def test_a_big_result_paints_its_first_page_then_fills_in(qtbot, window, monkeypatch):
    import ui.employee_model
    import ui.employees_page

    # 40 employees with 10-row pages: a "big" result, first page and count, then the rest
    monkeypatch.setattr(ui.employee_model, "PAGE", 10)
    monkeypatch.setattr(ui.employees_page, "PAGE", 10)
    w = window()
    page = w.employees
    page.status_filter.setCurrentIndex(0)  # all statuses
    settle(qtbot, lambda: page.model.rowCount() == 40 and page.model.employee_id(39))
    assert page.count_label.text().startswith("40")
    page.table.scrollToBottom()
    settle(qtbot, lambda: page.model.index(39, 0).data() == "E00040")
    assert table_names(w).count("张伟") == 8
