"""The clerk's Excel workflow: import a sheet of new employees (all or nothing, with a
row-by-row report of what to fix), save the blank template, and export the employees the
page currently shows. The file work runs on a worker; the dialogs stay responsive."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import BranchDeskError, ValidationError
from desktop.services.auth import Actor
from desktop.services.employees import INPUT_FIELDS, EmployeeQuery, ImportRejected
from desktop.store import Store
from ui.messages import describe, error_text, field_label
from ui.ops import Op

FIELD_ORDER = {field: i for i, field in enumerate((*INPUT_FIELDS, "status"))}


def _files():
    """desktop.services.employee_files, imported on first use (on a worker): openpyxl and
    what it pulls in cost a start-up ~200 ms the app should not pay."""
    from desktop.services import employee_files

    return employee_files


def problem_text(exc: BaseException) -> str:
    """Why a file could not be used, in the UI language."""
    if isinstance(exc, ValidationError) and exc.field == "file":
        return error_text(exc.message)  # the message names the file and the column
    if isinstance(exc, BranchDeskError):
        return describe(exc)
    if isinstance(exc, OSError):
        return QCoreApplication.translate(
            "ImportExport", "The file cannot be opened or saved (is it open in Excel?): %1"
        ).replace("%1", exc.strerror or str(exc))
    return QCoreApplication.translate("ImportExport", "Something went wrong: %1").replace(
        "%1", str(exc))


def _with_suffix(path: str, selected_filter: str, default: str) -> str:
    """A name typed without .xlsx / .csv gets the one of the chosen filter."""
    if Path(path).suffix.lower() in (".xlsx", ".csv"):
        return path
    return path + (".csv" if "*.csv" in selected_filter and "*.xlsx" not in selected_filter
                   else default)


class ImportDialog(QDialog):
    """Choose a file, import it on a worker, then show the count or every bad row."""

    imported = Signal(int)  # employees hired: the employees page reloads

    def __init__(self, store: Store, actor: Actor, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self._busy = False
        self.setWindowTitle(self.tr("Import employees"))
        self.setMinimumSize(620, 420)

        intro = QLabel(self.tr(
            "Choose an Excel workbook (.xlsx) or a CSV file with one new employee per row, "
            "headed like the template. Every row is checked first: if any row has a "
            "problem, nothing is imported."))
        intro.setWordWrap(True)
        self.path = QLineEdit()
        self.path.setReadOnly(True)
        self.path.setPlaceholderText(self.tr("No file chosen"))
        self.browse_button = QPushButton(self.tr("Choose file…"))
        self.browse_button.clicked.connect(self.browse)
        self.template_button = QPushButton(self.tr("Save blank template…"))
        self.template_button.clicked.connect(self.save_template_as)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy, with no known end
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.result = QLabel()
        self.result.setObjectName("importResult")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.result.hide()

        self.errors = QTableWidget(0, 3)
        self.errors.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Field"), self.tr("Problem")])
        self.errors.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.errors.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.errors.setAlternatingRowColors(True)
        self.errors.setWordWrap(False)
        self.errors.verticalHeader().hide()
        header = self.errors.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        header.setStretchLastSection(True)
        self.errors.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.buttons.button(QDialogButtonBox.Close).setText(self.tr("Close"))
        self.buttons.rejected.connect(self.reject)

        chooser = QHBoxLayout()
        chooser.addWidget(self.path, 1)
        chooser.addWidget(self.browse_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(chooser)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        layout.addWidget(self.errors, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.template_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

    # ---- import ----
    def browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("Import employees"), "",
            self.tr("Spreadsheets (*.xlsx *.csv);;Excel workbooks (*.xlsx);;CSV files (*.csv)"))
        if path:
            self.import_path(path)

    def import_path(self, path: str | Path) -> Op:
        """Import this file (what Browse does once a file is chosen)."""
        path = Path(path)
        self.path.setText(str(path))
        self.errors.hide()
        self.errors.setRowCount(0)
        self._show_result(self.tr("Checking and importing %1…").replace("%1", path.name))
        self._set_busy(True)
        store, actor = self.store, self.actor
        return Op(self, lambda: _files().import_file(store, actor, path)) \
            .success(self._imported).failure(self._failed).run()

    def _imported(self, count: int) -> None:
        self._set_busy(False)
        self._show_result(self.tr("%n employee(s) imported.", "", count), ok=True)
        self.imported.emit(count)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ImportRejected):
            self._show_rows(exc.rows)
            self._show_result(self.tr(
                "%n row(s) have problems, so nothing was imported. Correct them in the file "
                "and import it again.", "", len(exc.rows)), ok=False)
        else:
            self._show_result(problem_text(exc), ok=False)

    def _show_rows(self, rows: dict[int, dict[str, str]]) -> None:
        lines = [(number, field, message) for number, errors in sorted(rows.items())
                 for field, message in sorted(errors.items(),
                                              key=lambda fm: FIELD_ORDER.get(fm[0], 99))]
        self.errors.setRowCount(len(lines))
        for i, (number, field, message) in enumerate(lines):
            row = QTableWidgetItem(str(number))
            row.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            problem = QTableWidgetItem(error_text(message))
            problem.setToolTip(problem.text())
            self.errors.setItem(i, 0, row)
            self.errors.setItem(i, 1, QTableWidgetItem(field_label(field)))
            self.errors.setItem(i, 2, problem)
        self.errors.show()

    # ---- template ----
    def save_template_as(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save blank template"), self.tr("employee import template") + ".xlsx",
            self.tr("Excel workbooks (*.xlsx)"))
        if path:
            self.save_template(_with_suffix(path, "*.xlsx", ".xlsx"))

    def save_template(self, path: str | Path) -> Op:
        """Write the blank template here (what the button does once a name is chosen)."""
        path = Path(path)
        self._set_busy(True)
        return Op(self, lambda: _files().write_template(path)) \
            .success(lambda _none: self._template_saved(path)) \
            .failure(lambda exc: (self._set_busy(False),
                                  self._show_result(problem_text(exc), ok=False))).run()

    def _template_saved(self, path: Path) -> None:
        self._set_busy(False)
        self._show_result(self.tr("Template saved to %1. Fill in one employee per row (the "
                                  "example row shows the format; replace it), then import it.")
                          .replace("%1", str(path)), ok=True)

    # ---- state ----
    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        for widget in (self.browse_button, self.template_button, self.buttons):
            widget.setEnabled(not busy)

    def _show_result(self, text: str, ok: bool | None = None) -> None:
        self.result.setText(text)
        self.result.setObjectName("fieldError" if ok is False else "importResult")
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)
        self.result.show()

    def reject(self) -> None:
        if not self._busy:  # an import in progress finishes (all or nothing) before closing
            super().reject()


def export_employees(parent: QWidget, store: Store, actor: Actor,
                     query: EmployeeQuery | None, path: str | Path | None = None,
                     on_done: Callable[[int], None] | None = None,
                     on_error: Callable[[BaseException], None] | None = None) -> Op | None:
    """Export the employees of `query` (the employees page's current one) as `actor` may see
    them. Without `path`, asks where to save (None if the clerk cancels). The count goes to
    `on_done`, or to a message box; failures to `on_error`, or to a warning box."""
    title = QCoreApplication.translate("ImportExport", "Export employees")
    if path is None:
        suggested = QCoreApplication.translate("ImportExport", "employees") \
            + f"-{dt.date.today():%Y%m%d}.xlsx"
        chosen, selected = QFileDialog.getSaveFileName(
            parent, title, suggested, QCoreApplication.translate(
                "ImportExport", "Excel workbook (*.xlsx);;CSV file for Excel (*.csv)"))
        if not chosen:
            return None
        path = _with_suffix(chosen, selected, ".xlsx")
    path = Path(path)

    def done(count: int) -> None:
        if on_done is not None:
            on_done(count)
            return
        QMessageBox.information(parent, title, QCoreApplication.translate(
            "ImportExport", "%n employee(s) exported to %1.", "", count).replace("%1", str(path)))

    def failed(exc: BaseException) -> None:
        if on_error is not None:
            on_error(exc)
            return
        QMessageBox.warning(parent, title, problem_text(exc))

    return Op(parent, lambda: _files().export(store, actor, path, query)) \
        .success(done).failure(failed).run()
