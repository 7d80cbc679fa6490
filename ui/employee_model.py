"""The employees table: a QAbstractTableModel over the ids of the current query (like Anki's
browser table). Rows are fetched a page at a time on a worker the first time the view
paints them; until a page arrives its cells are blank. So a branch of 100,000 opens as fast
as a branch of 100, and scrolling never waits on the store."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QColor

from desktop.services import employees
from desktop.services.auth import Actor
from desktop.services.employees import EmployeeView
from desktop.store import Store
from ui.ops import Op

PAGE = 200


def _t(text: str) -> str:
    return QCoreApplication.translate("EmployeeTableModel", text)


def status_label(status: str) -> str:
    labels = {"active": QT_TRANSLATE_NOOP("EmployeeTableModel", "Active"),
              "left": QT_TRANSLATE_NOOP("EmployeeTableModel", "Left"),
              "transferred": QT_TRANSLATE_NOOP("EmployeeTableModel", "Transferred")}
    return _t(labels[status]) if status in labels else status


def gender_label(gender: str) -> str:
    labels = {"M": QT_TRANSLATE_NOOP("EmployeeTableModel", "Male"),
              "F": QT_TRANSLATE_NOOP("EmployeeTableModel", "Female")}
    return _t(labels[gender]) if gender in labels else gender


# (sort key in employees.SORT_COLUMNS or None, header, cell text)
COLUMNS = (
    ("employee_no", QT_TRANSLATE_NOOP("EmployeeTableModel", "No."), lambda e: e.employee_no),
    ("name", QT_TRANSLATE_NOOP("EmployeeTableModel", "Name"), lambda e: e.name),
    ("gender", QT_TRANSLATE_NOOP("EmployeeTableModel", "Gender"), lambda e: gender_label(e.gender)),
    ("department", QT_TRANSLATE_NOOP("EmployeeTableModel", "Department"), lambda e: e.department),
    ("position", QT_TRANSLATE_NOOP("EmployeeTableModel", "Position"), lambda e: e.position),
    ("phone", QT_TRANSLATE_NOOP("EmployeeTableModel", "Phone"), lambda e: e.phone),
    (None, QT_TRANSLATE_NOOP("EmployeeTableModel", "ID number"), lambda e: e.id_number),
    ("hire_date", QT_TRANSLATE_NOOP("EmployeeTableModel", "Hire date"), lambda e: e.hire_date.isoformat()),
    ("base_salary", QT_TRANSLATE_NOOP("EmployeeTableModel", "Base salary"), lambda e: f"{e.base_salary:,.2f}"),
    ("status", QT_TRANSLATE_NOOP("EmployeeTableModel", "Status"), lambda e: status_label(e.status)),
)
SALARY_COLUMN = 8
STATUS_COLUMN = 9
DISPLAY = Qt.ItemDataRole.DisplayRole
ALIGNMENT = Qt.ItemDataRole.TextAlignmentRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
RIGHT_ALIGNED = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
GREY = QColor("#9a9a9a")


class EmployeeTableModel(QAbstractTableModel):
    def __init__(self, store: Store, actor: Actor, parent=None):
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self._ids: list[str] = []  # may hold only the first page until complete_ids()
        self._total = 0
        self._rows: dict[str, EmployeeView] = {}
        self._pending: set[int] = set()  # pages being fetched
        self._generation = 0  # bumped on every reset: late pages of an old result are dropped

    # ---- what the view shows ----
    def set_ids(self, ids: list[str], first_rows: dict[str, EmployeeView] | None = None,
                total: int | None = None) -> None:
        """Show a new result (from a query run off the GUI thread), with its first page if
        the worker fetched it too. `total` > len(ids): the rest of the ids follow."""
        self.beginResetModel()
        self._generation += 1
        self._ids = ids
        self._total = len(ids) if total is None else total
        self._rows = dict(first_rows or {})
        self._pending.clear()
        self.endResetModel()

    def complete_ids(self, ids: list[str]) -> bool:
        """The full id list after the first page: rows past it can now load. False when it
        does not extend what is shown (the store changed meanwhile): re-query then."""
        known = len(self._ids)
        if len(ids) != self._total or ids[:known] != self._ids:
            return False
        self._ids = ids
        if self._total > known:
            self.dataChanged.emit(self.index(known, 0),
                                  self.index(self._total - 1, len(COLUMNS) - 1))
        return True

    def refresh_rows(self, changed: set[str]) -> None:
        """Reload just these rows (after an edit) if they are on screen."""
        for row_id in changed:
            self._rows.pop(row_id, None)
        positions = [i for i, row_id in enumerate(self._ids) if row_id in changed]
        for i in positions:
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    def employee_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, employee_id: str) -> int:
        try:
            return self._ids.index(employee_id)
        except ValueError:
            return -1

    def employee(self, row: int) -> EmployeeView | None:
        """The row's employee, fetched now if it has not arrived yet: for actions on the
        selected row (one page by primary key, a few ms), never for painting."""
        row_id = self.employee_id(row)
        if row_id is None:
            return None
        if row_id not in self._rows:
            self._rows.update(employees.fetch(self.store, self.actor, self._page_ids(row // PAGE)))
        return self._rows.get(row_id)

    def loaded(self, row: int) -> EmployeeView | None:
        """The row's employee if it has arrived; otherwise ask a worker for its page."""
        row_id = self.employee_id(row)
        if row_id is None:
            return None
        view = self._rows.get(row_id)
        if view is None:
            self._request_page(row // PAGE)
        return view

    def _page_ids(self, page: int) -> list[str]:
        return [i for i in self._ids[page * PAGE:(page + 1) * PAGE] if i not in self._rows]

    def _request_page(self, page: int) -> None:
        wanted, generation = self._page_ids(page), self._generation
        if page in self._pending or not wanted:  # not wanted: ids still on their way
            return
        self._pending.add(page)
        Op(self, lambda: employees.fetch(self.store, self.actor, wanted)).success(
            lambda views: self._page_arrived(generation, page, views)).failure(
            lambda _exc: self._pending.discard(page)).run()

    def _page_arrived(self, generation: int, page: int, views: dict) -> None:
        if generation != self._generation:
            return  # the result it belonged to is gone
        self._pending.discard(page)
        self._rows.update(views)
        first, last = page * PAGE, min(self._total, (page + 1) * PAGE) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    # ---- QAbstractTableModel ----
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._total

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return _t(COLUMNS[section][1])
        return None

    def data(self, index, role=DISPLAY):
        # Called ~1,500 times per paint: module constants, not Qt enum lookups (µs each).
        if role == DISPLAY:
            emp = self.loaded(index.row())
            return COLUMNS[index.column()][2](emp) if emp else None
        if role == ALIGNMENT:
            return RIGHT_ALIGNED if index.column() == SALARY_COLUMN else None
        if role == FOREGROUND and index.column() == STATUS_COLUMN:
            emp = self.loaded(index.row())
            return GREY if emp and emp.status != "active" else None
        return None

    def sort_key(self, column: int) -> str | None:
        return COLUMNS[column][0]
