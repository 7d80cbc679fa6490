"""The Employees page: instant search, department and status filters, a sortable lazy table,
and the hire / edit / leave / rehire actions. Queries run on a worker; a newer query's result
always wins over an older one still in flight."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services import branch, employees
from desktop.services.auth import Actor
from desktop.services.employees import EmployeeQuery
from desktop.store import Store
from ui.employee_dialog import EmployeeDialog, LeaveDialog, RehireDialog
from ui.employee_model import PAGE, EmployeeTableModel
from ui.import_export import ImportDialog, export_employees
from ui.messages import describe
from ui.ops import Op

SEARCH_DELAY_MS = 120  # wait for a pause in typing, then query


class EmployeesPage(QWidget):
    changed = Signal(object)  # a ChangeSet, for the status bar's pending count
    loaded = Signal(int)  # rows shown after a query

    def __init__(self, store: Store, actor: Actor, parent=None):
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.departments: list = []
        self._generation = 0
        self._sort = ("employee_no", False)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search name, number or phone"))
        self.search.setClearButtonEnabled(True)
        self.department_filter = QComboBox()
        self.department_filter.addItem(self.tr("All departments"), None)
        self.status_filter = QComboBox()
        for label, value in ((self.tr("All statuses"), None), (self.tr("Active"), "active"),
                             (self.tr("Left"), "left"), (self.tr("Transferred"), "transferred")):
            self.status_filter.addItem(label, value)
        self.status_filter.setCurrentIndex(1)
        self.count_label = QLabel()

        self.hire_action = QAction(self.tr("Hire"), self)
        self.hire_action.setShortcut(QKeySequence.New)
        self.edit_action = QAction(self.tr("Edit"), self)
        self.leave_action = QAction(self.tr("Record leave"), self)
        self.rehire_action = QAction(self.tr("Rehire"), self)
        self.import_action = QAction(self.tr("Import from Excel…"), self)
        self.export_action = QAction(self.tr("Export to Excel…"), self)
        self.import_action.triggered.connect(self.import_file)
        self.export_action.triggered.connect(self.export_file)
        self.hire_action.triggered.connect(self.hire)
        self.edit_action.triggered.connect(self.edit_selected)
        self.leave_action.triggered.connect(self.leave_selected)
        self.rehire_action.triggered.connect(self.rehire_selected)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.department_filter, 1)
        bar.addWidget(self.status_filter, 1)
        for action in (self.hire_action, self.edit_action, self.leave_action,
                       self.rehire_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonTextOnly)
            bar.addWidget(button)

        self.model = EmployeeTableModel(store, actor, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.AscendingOrder)
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((90, 80, 50, 70, 110, 110, 160, 95, 100, 60)):
            header.resizeSection(column, width)
        header.sortIndicatorChanged.connect(self._sort_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.department_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self._update_actions()

    # ---- loading ----
    def start(self) -> None:
        """Load departments and the first result, both off the GUI thread."""
        self.reload_departments()
        self.reload()

    def reload_departments(self) -> None:
        Op(self, lambda: branch.departments(self.store)).success(self._set_departments).run()

    def _set_departments(self, departments: list) -> None:
        self.departments = departments
        current = self.department_filter.currentData()
        self.department_filter.blockSignals(True)
        while self.department_filter.count() > 1:  # keep "All departments"
            self.department_filter.removeItem(1)
        for d in departments:
            self.department_filter.addItem(d.name, d.id)
        index = self.department_filter.findData(current)
        self.department_filter.setCurrentIndex(max(0, index))
        self.department_filter.blockSignals(False)
        if current and index < 0:
            self.reload()  # the filtered department is gone

    def query(self) -> EmployeeQuery:
        return EmployeeQuery(
            search=self.search.text(),
            department_id=self.department_filter.currentData(),
            status=self.status_filter.currentData(),
            sort=self._sort[0],
            descending=self._sort[1],
        )

    def reload(self, select_id: str | None = None) -> None:
        """Query on a worker. A big result (a status or department filter over a whole
        branch) comes in two trips: its first page and count, painted at once, then the
        full id list; a text search is small enough for one."""
        self._generation += 1
        generation = self._generation
        query = self.query()
        two_trips = not query.search.strip()

        def first():
            ids = employees.search_ids(self.store, query, limit=PAGE if two_trips else None)
            total = employees.count_matching(self.store, query) \
                if two_trips and len(ids) == PAGE else len(ids)
            return ids, total, employees.fetch(self.store, self.actor, ids[:PAGE])

        def rest():
            return employees.search_ids(self.store, query)

        def shown(found):
            self._show(generation, *found, select_id)
            if found[1] > len(found[0]):
                Op(self, rest).success(
                    lambda ids: self._complete(generation, ids, select_id)).run()

        Op(self, first).success(shown).failure(self._error).run()

    def _show(self, generation: int, ids: list[str], total: int, first_rows: dict,
              select_id: str | None) -> None:
        if generation != self._generation:
            return  # a newer query is on its way
        self.model.set_ids(ids, first_rows, total)
        self.count_label.setText(self.tr("%n employee(s)", "", total))
        self._select(select_id)
        self._update_actions()
        self.loaded.emit(total)

    def _complete(self, generation: int, ids: list[str], select_id: str | None) -> None:
        if generation != self._generation:
            return
        if not self.model.complete_ids(ids):  # the store changed between the two trips
            self.reload(select_id)
            return
        self._select(select_id)

    def _select(self, employee_id: str | None) -> None:
        if employee_id and (row := self.model.row_of(employee_id)) >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _sort_changed(self, column: int, order: Qt.SortOrder) -> None:
        key = self.model.sort_key(column)
        if key is None:  # masked ID numbers do not sort meaningfully
            self.table.horizontalHeader().setSortIndicator(
                [c for c in range(self.model.columnCount())
                 if self.model.sort_key(c) == self._sort[0]][0],
                Qt.DescendingOrder if self._sort[1] else Qt.AscendingOrder)
            return
        self._sort = (key, order == Qt.DescendingOrder)
        self.reload()

    # ---- actions ----
    def selected(self):
        index = self.table.currentIndex()
        return self.model.employee(index.row()) if index.isValid() else None

    def _update_actions(self) -> None:
        emp = self.selected()
        self.edit_action.setEnabled(emp is not None)
        self.leave_action.setEnabled(emp is not None and emp.status == "active")
        self.rehire_action.setEnabled(emp is not None and emp.status == "left")

    def hire(self) -> EmployeeDialog:
        dialog = EmployeeDialog(self.store, self.actor, self.departments, self)
        dialog.saved.connect(self._after_change)
        dialog.open()
        return dialog

    def import_file(self) -> ImportDialog:
        dialog = ImportDialog(self.store, self.actor, self)
        dialog.imported.connect(lambda _n: self.reload())
        dialog.imported.connect(lambda _n: self.changed.emit(None))
        dialog.open()
        return dialog

    def export_file(self, path: str | None = None) -> None:
        export_employees(self, self.store, self.actor, self.query(), path)

    def edit_selected(self) -> EmployeeDialog | None:
        emp = self.selected()
        if emp is None:
            return None
        dialog = EmployeeDialog(self.store, self.actor, self.departments, self, employee=emp)
        dialog.saved.connect(self._after_change)
        dialog.open()
        return dialog

    def leave_selected(self) -> LeaveDialog | None:
        emp = self.selected()
        if emp is None or emp.status != "active":
            return None
        dialog = LeaveDialog(emp, self)

        def record():
            when, reason = dialog.when(), dialog.reason.currentText()
            Op(self, lambda: employees.leave(self.store, self.actor, emp.id, when, reason)) \
                .success(self._after_change).failure(self._error).run()

        dialog.accepted.connect(record)
        dialog.open()
        return dialog

    def rehire_selected(self) -> RehireDialog | None:
        emp = self.selected()
        if emp is None or emp.status != "left":
            return None
        dialog = RehireDialog(emp, self)

        def record():
            when = dialog.when()
            Op(self, lambda: employees.rehire(self.store, self.actor, emp.id, when)) \
                .success(self._after_change).failure(self._error).run()

        dialog.accepted.connect(record)
        dialog.open()
        return dialog

    def _after_change(self, changes) -> None:
        created = changes.created.get("employee", set())
        if created:  # a new row: its position depends on sort and filters, so re-query
            self.reload(select_id=next(iter(created)))
        else:
            updated = changes.ids("employee")
            self.model.refresh_rows(updated)
            if self.status_filter.currentData():
                current = self.selected()
                self.reload(select_id=current.id if current else None)
        self._update_actions()
        self.changed.emit(changes)

    def _error(self, exc: BaseException) -> None:
        QMessageBox.warning(self, self.tr("BranchDesk"), describe(exc))
