"""Departments: the group's standard ones (finance, sales, collection: named by HQ, shown but
not editable) and the branch's own, which a manager adds, renames and deletes. A department
someone still belongs to (including people who have left) cannot be deleted; the table says
how many people each one has."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from desktop.errors import BranchDeskError
from desktop.services import branch
from desktop.services.auth import Actor
from desktop.services.branch import DepartmentInfo
from desktop.store import Store
from ui.forms import FormDialog, failure_text
from ui.ops import Op


class DepartmentsDialog(QDialog):
    changed = Signal(object)  # a ChangeSet after each change (employee filters list departments)
    loaded = Signal(int)  # departments shown after a refresh

    def __init__(self, store: Store, actor: Actor, parent=None):
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.departments: list[DepartmentInfo] = []
        self.last_message: QMessageBox | None = None
        self.setWindowTitle(self.tr("Departments"))
        self.setMinimumSize(520, 380)

        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Code"), self.tr("Department name"), self.tr("Scope"), self.tr("Staff")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((110, 160, 110)):
            header.resizeSection(column, width)
        self.table.currentCellChanged.connect(lambda *_: self._update_buttons())
        self.table.doubleClicked.connect(lambda _i: self.rename_selected())

        self.add_button = QPushButton(self.tr("Add…"))
        self.rename_button = QPushButton(self.tr("Rename…"))
        self.delete_button = QPushButton(self.tr("Delete"))
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.note = QLabel()
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.Close)
        close.button(QDialogButtonBox.Close).setText(self.tr("Close"))
        close.rejected.connect(self.reject)

        bar = QHBoxLayout()
        for button in (self.add_button, self.rename_button, self.delete_button):
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(bar)
        layout.addWidget(self.note)
        layout.addWidget(close)
        self._update_buttons()
        self.refresh()

    @property
    def can_edit(self) -> bool:
        return self.actor.at_least("manager")

    # ---- loading ----
    def refresh(self, select: str | None = None) -> None:
        if select is None and (current := self.selected()) is not None:
            select = current.id
        Op(self, lambda: branch.department_overview(self.store)).success(
            lambda depts: self._show(depts, select)).failure(self._error).run()

    def _show(self, departments: list[DepartmentInfo], select: str | None) -> None:
        self.departments = departments
        self.table.setRowCount(len(departments))
        grey = QBrush(QColor("#777777"))
        for row, d in enumerate(departments):
            scope = self.tr("Group standard") if d.standard else self.tr("This branch")
            cells = (d.code, d.name, scope, str(d.employees))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.UserRole, d.id)
                if column == 3:
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if d.standard:
                    item.setForeground(grey)
                    item.setToolTip(self.tr("Standard departments are set by group HQ and "
                                            "cannot be renamed or deleted here"))
                self.table.setItem(row, column, item)
        if select is not None:
            row = self.row_of(select)
            if row >= 0:
                self.table.selectRow(row)
        self._update_buttons()
        self.loaded.emit(len(departments))

    def row_of(self, key: str) -> int:
        """The row of a department, by id or code."""
        return next((i for i, d in enumerate(self.departments) if key in (d.id, d.code)), -1)

    def selected(self) -> DepartmentInfo | None:
        row = self.table.currentRow()
        return self.departments[row] if 0 <= row < len(self.departments) else None

    def select(self, key: str) -> bool:
        row = self.row_of(key)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _update_buttons(self) -> None:
        d = self.selected()
        editable = self.can_edit and d is not None and not d.standard
        self.add_button.setEnabled(self.can_edit)
        self.rename_button.setEnabled(editable)
        self.delete_button.setEnabled(editable)
        if not self.can_edit:
            self.note.setText(self.tr("Only a manager can add, rename or delete departments."))
        elif d is not None and d.standard:
            self.note.setText(self.tr("%1 is a group standard department: HQ names it, and "
                                      "it cannot be renamed or deleted here.")
                              .replace("%1", d.name))
        else:
            self.note.setText(self.tr("A department can be deleted only when nobody belongs "
                                      "to it, including people who have left."))

    # ---- actions ----
    def add(self) -> DepartmentEditDialog | None:
        if not self.can_edit:
            return None
        dialog = DepartmentEditDialog(self.store, self.actor, None, self)
        dialog.saved.connect(self._after_change)
        dialog.open()
        return dialog

    def rename_selected(self) -> DepartmentEditDialog | None:
        d = self.selected()
        if d is None or d.standard or not self.can_edit:
            return None
        dialog = DepartmentEditDialog(self.store, self.actor, d, self)
        dialog.saved.connect(self._after_change)
        dialog.open()
        return dialog

    def delete_selected(self) -> QMessageBox | None:
        """Asks first; the service refuses standard or still-staffed departments."""
        d = self.selected()
        if d is None or d.standard or not self.can_edit:
            return None
        box = QMessageBox(QMessageBox.Question, self.tr("Delete department"),
                          self.tr("Delete the department %1 (%2)?")
                          .replace("%1", d.name).replace("%2", d.code),
                          QMessageBox.Yes | QMessageBox.No, self)
        box.button(QMessageBox.Yes).setText(self.tr("Delete"))
        box.button(QMessageBox.No).setText(self.tr("Cancel"))
        box.setDefaultButton(QMessageBox.No)
        box.buttonClicked.connect(
            lambda b: self.delete(d.id) if box.standardButton(b) == QMessageBox.Yes else None)
        box.open()
        return box

    def delete(self, department_id: str) -> None:
        Op(self, lambda: branch.delete_department(self.store, self.actor, department_id)) \
            .success(self._after_change).failure(self._error).run()

    def _after_change(self, changes) -> None:
        touched = changes.created.get("department", set()) | changes.updated.get("department", set())
        self.refresh(select=next(iter(touched), None))
        self.changed.emit(changes)

    def _error(self, exc: BaseException) -> None:
        text = failure_text(exc) if isinstance(exc, BranchDeskError) else str(exc)
        box = QMessageBox(QMessageBox.Warning, self.tr("Departments"), text, QMessageBox.Ok,
                          self)
        box.open()  # not exec(): the dialog keeps working behind it
        self.last_message = box


class DepartmentEditDialog(FormDialog):
    """Add a branch department (code and name) or rename one (the code stays)."""

    def __init__(self, store: Store, actor: Actor, department: DepartmentInfo | None,
                 parent=None):
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.department = department
        self.setWindowTitle(self.tr("Rename department") if department
                            else self.tr("Add department"))
        self.setMinimumWidth(360)
        self.code = QLineEdit()
        self.code.setMaxLength(32)
        self.code.setPlaceholderText("legal")
        self.name = QLineEdit()
        self.name.setMaxLength(100)
        self.add_field("code", self.tr("Code"), self.code)
        self.add_field("name", self.tr("Department name"), self.name)
        if department is not None:
            self.code.setText(department.code)
            self.code.setReadOnly(True)
            self.code.setToolTip(self.tr("The code stays: imports and other systems use it"))
            self.name.setText(department.name)
            self.name.selectAll()
        else:
            self.set_hint(self.tr("Code: letters, digits, '-' or '_' (for example legal); it "
                                  "cannot be changed later."))

    def save(self) -> None:
        self.clear_errors()
        name = self.name.text()
        if self.department is not None:
            if name.strip() == self.department.name:
                self.accept()
                return
            dept_id = self.department.id
            self.run(lambda: branch.rename_department(self.store, self.actor, dept_id, name))
        else:
            code = self.code.text()
            self.run(lambda: branch.add_department(self.store, self.actor, code, name))
