"""Import and export dialogs under pytest-qt, on a real store: what the clerk sees."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desktop.services import auth, branch, employees
from desktop.services.employee_files import HEADERS, read_rows
from desktop.services.employees import EmployeeQuery
from tests.desktop.support import counts
from tests.ui.support import employee_row, settle
from ui.import_export import ImportDialog, export_employees

CLERK = auth.Actor("clerk", "clerk")
MANAGER = auth.Actor("manager", "manager")


def write_sheet(path, rows: list[dict]):
    """A workbook as a clerk fills in the template: Chinese headers, one person a row."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(HEADERS.values()))
    for row in rows:
        sheet.append([row.get(key, "") for key in HEADERS])
    book.save(path)
    return path


def table_cells(dialog) -> list[tuple[str, str, str]]:
    t = dialog.errors
    return [tuple(t.item(r, c).text() for c in range(3)) for r in range(t.rowCount())]


@pytest.fixture
def dialog(qtbot, populated_store):
    d = ImportDialog(populated_store, CLERK)
    qtbot.addWidget(d)
    d.show()
    return d


def test_a_good_file_is_imported_and_the_count_reported(qtbot, dialog, populated_store,
                                                        tmp_path):
    path = write_sheet(tmp_path / "new.xlsx", [employee_row(i) for i in (101, 102, 103)])
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as signal:
        dialog.import_path(path)
    assert signal.args == [3]
    assert dialog.result.text() == "3 employee(s) imported."
    assert not dialog.errors.isVisible()
    assert dialog.browse_button.isEnabled()
    assert employees.count(populated_store) == 43
    assert employees.find_id(populated_store, "E00102")


def test_a_bad_file_lists_each_problem_by_spreadsheet_row_and_imports_nothing(
        qtbot, dialog, populated_store, tmp_path):
    rows = [employee_row(i) for i in range(101, 107)]  # spreadsheet rows 2..7
    rows[1]["id_number"] = "110105194912310021"  # row 3: wrong checksum digit
    rows[4]["phone"] = "12345"  # row 6
    rows[4]["department"] = "法务部"  # row 6: no such department
    rows[5]["employee_no"] = "E00001"  # row 7: already in the branch
    path = write_sheet(tmp_path / "bad.xlsx", rows)
    before = counts(populated_store)

    dialog.import_path(path)
    settle(qtbot, lambda: dialog.errors.isVisible())

    assert table_cells(dialog) == [
        ("3", "ID number", "checksum digit is 1, expected X"),
        ("6", "Phone", "must be an 11-digit mobile or an area-code landline"),
        ("6", "Department", "unknown department '法务部'"),
        ("7", "Employee No.", "E00001 is already used"),
    ]
    assert dialog.result.text().startswith("3 row(s) have problems, so nothing was imported")
    assert counts(populated_store) == before


def test_a_missing_column_is_named_without_a_table(qtbot, dialog, populated_store, tmp_path):
    path = tmp_path / "short.csv"
    path.write_text("工号,姓名\nE00200,张伟\n", encoding="utf-8")
    dialog.import_path(path)
    settle(qtbot, lambda: dialog.browse_button.isEnabled())
    assert "身份证号" in dialog.result.text()
    assert "short.csv" in dialog.result.text()
    assert not dialog.errors.isVisible()
    assert employees.count(populated_store) == 40


def test_the_blank_template_is_saved(qtbot, dialog, tmp_path):
    assert dialog.template_button.text() == "Save blank template…"
    path = tmp_path / "blank.xlsx"
    dialog.save_template(path)
    settle(qtbot, lambda: dialog.template_button.isEnabled() and dialog.result.isVisible())
    assert str(path) in dialog.result.text()
    sheet = openpyxl.load_workbook(path).active
    assert [c.value for c in sheet[1]] == list(HEADERS.values())
    assert sheet.max_row == 2  # the headers and one example row


def test_browse_imports_the_chosen_file(qtbot, dialog, populated_store, tmp_path, monkeypatch):
    path = write_sheet(tmp_path / "one.xlsx", [employee_row(150)])
    monkeypatch.setattr("ui.import_export.QFileDialog.getOpenFileName",
                        lambda *a, **k: (str(path), ""))
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.browse_button, Qt.LeftButton)
    assert dialog.path.text() == str(path)


def test_export_writes_the_rows_of_the_current_query(qtbot, populated_store, tmp_path):
    collection = next(d.id for d in branch.departments(populated_store)
                      if d.code == "collection")
    query = EmployeeQuery(search="张", department_id=collection)
    expected = employees.list_all(populated_store, CLERK, query)
    assert 0 < len(expected) < 40

    host = QPushButton()
    qtbot.addWidget(host)
    done: list[int] = []
    path = tmp_path / "export.xlsx"
    export_employees(host, populated_store, CLERK, query, path=path, on_done=done.append)
    settle(qtbot, lambda: done)

    assert done == [len(expected)]
    rows = [[c.value for c in r] for r in openpyxl.load_workbook(path).active.iter_rows()]
    assert rows[0][:3] == ["工号", "姓名", "性别"]
    assert [r[0] for r in rows[1:]] == [v.employee_no for v in expected]
    assert [r[3] for r in rows[1:]] == [v.id_number for v in expected]  # masked for a clerk
    assert all("*" in r[3] and "*" in r[9] for r in rows[1:])


def test_a_manager_exports_full_numbers_as_csv(qtbot, populated_store, tmp_path):
    host = QPushButton()
    qtbot.addWidget(host)
    done: list[int] = []
    export_employees(host, populated_store, MANAGER, EmployeeQuery(), path=tmp_path / "all.csv",
                     on_done=done.append)
    settle(qtbot, lambda: done)
    assert done == [40]
    first = read_rows(tmp_path / "all.csv")[0]
    assert first["id_number"] == employee_row(1)["id_number"]


def test_an_export_that_cannot_be_written_is_reported(qtbot, populated_store, tmp_path):
    host = QPushButton()
    qtbot.addWidget(host)
    errors: list[BaseException] = []
    export_employees(host, populated_store, CLERK, None, path=tmp_path / "no-dir" / "x.xlsx",
                     on_done=lambda n: pytest.fail("exported"), on_error=errors.append)
    settle(qtbot, lambda: errors)
    assert isinstance(errors[0], OSError)
