"""The audit log for managers: newest first, fetched a page at a time, and a button that
checks the hash chain (and every row against it) on a worker."""

from __future__ import annotations

import json

from PySide6.QtCore import QT_TRANSLATE_NOOP, QAbstractTableModel, QCoreApplication, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop import audit
from desktop.store import Store
from desktop.store.models import AuditEntry
from ui.employee_model import gender_label, status_label
from ui.messages import field_label
from ui.ops import Op

PAGE = 200


def _t(text: str) -> str:
    return QCoreApplication.translate("AuditTableModel", text)


ACTIONS = {
    "create": QT_TRANSLATE_NOOP("AuditTableModel", "Created"),
    "update": QT_TRANSLATE_NOOP("AuditTableModel", "Changed"),
    "leave": QT_TRANSLATE_NOOP("AuditTableModel", "Leave"),
    "rehire": QT_TRANSLATE_NOOP("AuditTableModel", "Rehire"),
    "delete": QT_TRANSLATE_NOOP("AuditTableModel", "Deleted"),
    "pull": QT_TRANSLATE_NOOP("AuditTableModel", "Received from HQ"),
    "rekey": QT_TRANSLATE_NOOP("AuditTableModel", "Linked to HQ"),  # enrollment re-keys rows
    "password_change": QT_TRANSLATE_NOOP("AuditTableModel", "Password changed"),
    "password_reset": QT_TRANSLATE_NOOP("AuditTableModel", "Password reset"),
}
TABLES = {
    "employee": QT_TRANSLATE_NOOP("AuditTableModel", "Employee"),
    "employee_event": QT_TRANSLATE_NOOP("AuditTableModel", "Employment history"),
    "app_user": QT_TRANSLATE_NOOP("AuditTableModel", "User"),
    "department": QT_TRANSLATE_NOOP("AuditTableModel", "Department"),
    "branch": QT_TRANSLATE_NOOP("AuditTableModel", "Branch"),
}
HEADERS = (
    QT_TRANSLATE_NOOP("AuditTableModel", "Entry"),
    QT_TRANSLATE_NOOP("AuditTableModel", "Time"),
    QT_TRANSLATE_NOOP("AuditTableModel", "User"),
    QT_TRANSLATE_NOOP("AuditTableModel", "Action"),
    QT_TRANSLATE_NOOP("AuditTableModel", "Record"),
    QT_TRANSLATE_NOOP("AuditTableModel", "What changed"),
)
# Fields worth naming when a row is created (the full record is in the detail tooltip).
SUMMARY_FIELDS = ("employee_no", "name", "username", "code", "kind", "effective_date")
# Rows of a pulled page (one entry for all of them) named in its line; the tooltip shows the
# first rows of audit.pull_preview.
PULL_NAMED = 3


EVENT_KINDS = {
    "hire": QT_TRANSLATE_NOOP("AuditTableModel", "Hired"),
    "leave": QT_TRANSLATE_NOOP("AuditTableModel", "Left"),
    "rehire": QT_TRANSLATE_NOOP("AuditTableModel", "Rehired"),
    "transfer": QT_TRANSLATE_NOOP("AuditTableModel", "Transferred"),
}


def value_text(field: str, value) -> str:
    """A stored value as people read it: coded values in words, nothing as a dash."""
    if value is None or value == "":
        return "—"
    if field == "status":
        return status_label(value)
    if field == "gender":
        return gender_label(value)
    if field == "kind" and value in EVENT_KINDS:
        return _t(EVENT_KINDS[value])
    return str(value)


def _created(fields: dict) -> str:
    return "  ".join(f"{field_label(k)}: {value_text(k, fields[k])}"
                     for k in SUMMARY_FIELDS if k in fields)


def summary(entry: AuditEntry, detail: dict | None = None) -> str:
    """The entry's "What changed" text; `detail`: its detail parsed already (for a "pull"
    entry, audit.pull_preview)."""
    detail = json.loads(entry.detail) if detail is None else detail
    if detail.get("op") == "create":
        return _created(detail.get("fields", {}))
    if detail.get("op") == "pull":
        rows = list(detail.get("rows", {}).values())
        count = detail.get("count", len(rows))
        named = "; ".join(_created(fields) for fields in rows[:PULL_NAMED])
        more = "; …" if count > min(len(rows), PULL_NAMED) else ""
        text = QCoreApplication.translate("AuditTableModel", "%n record(s)", "", count)
        return f"{text}: {named}{more}" if named else text
    if detail.get("op") == "update":
        return "  ".join(
            f"{field_label(k)}: {value_text(k, old)} → {value_text(k, new)}"
            for k, (old, new) in detail.get("changes", {}).items())
    return ", ".join(f"{k}: {v}" for k, v in detail.items() if k != "op")


class AuditTableModel(QAbstractTableModel):
    """Row i is entry newest-i; pages of entries are fetched by seq range when painted."""

    def __init__(self, store: Store, parent=None):
        super().__init__(parent)
        self.store = store
        self._newest = 0
        self._cache: dict[int, AuditEntry] = {}
        self._pulls: dict[int, dict] = {}  # seq -> audit.pull_preview, read when shown

    def set_newest(self, newest: int) -> None:
        self.beginResetModel()
        self._newest = newest
        self._cache.clear()
        self._pulls.clear()
        self.endResetModel()

    def detail(self, e: AuditEntry) -> dict:
        """The entry's detail; of a "pull" entry (a pulled page's rows, up to megabytes,
        left out of the pages this model fetches), a preview: its row count, first rows."""
        if e.action != "pull" or e.detail is not None:
            return json.loads(e.detail)
        if e.seq not in self._pulls:
            with self.store.read() as s:
                self._pulls[e.seq] = audit.pull_preview(s, e.seq)
        return self._pulls[e.seq]

    def entry(self, row: int) -> AuditEntry | None:
        seq = self._newest - row
        if seq < 1:
            return None
        if seq not in self._cache:
            with self.store.read() as s:
                for e in audit.entries_between(s, max(1, seq - PAGE + 1), seq):
                    self._cache[e.seq] = e
        return self._cache.get(seq)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._newest

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return _t(HEADERS[section])
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or role not in (Qt.DisplayRole, Qt.ToolTipRole):
            return None
        e = self.entry(index.row())
        if e is None:
            return None
        if role == Qt.ToolTipRole:
            detail = self.detail(e)
            text = json.dumps(detail, ensure_ascii=False, indent=1)
            return text + "\n…" if detail.get("count", 0) > len(detail.get("rows", ())) \
                else text
        column = index.column()
        if column == 0:
            return str(e.seq)
        if column == 1:
            return e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if column == 2:
            return e.actor
        if column == 3:
            return _t(ACTIONS[e.action]) if e.action in ACTIONS else e.action
        if column == 4:
            return _t(TABLES[e.table_name]) if e.table_name in TABLES else e.table_name
        return summary(e, self.detail(e) if e.action == "pull" else None)


class AuditPage(QWidget):
    def __init__(self, store: Store, parent=None):
        super().__init__(parent)
        self.store = store
        self.model = AuditTableModel(store, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.Interactive)
        for column, width in enumerate((60, 150, 110, 120, 90)):
            header.resizeSection(column, width)
        self.verify_button = QPushButton(self.tr("Verify audit chain"))
        self.verify_button.clicked.connect(self.verify)
        self.refresh_button = QPushButton(self.tr("Refresh"))
        self.refresh_button.clicked.connect(self.refresh)
        self.result = QLabel()
        self.result.setObjectName("auditResult")
        self.result.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.verify_button)
        bar.addWidget(self.refresh_button)
        bar.addWidget(self.result, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)

    def refresh(self) -> None:
        def newest():
            with self.store.read() as s:
                return audit.newest_seq(s)
        Op(self, newest).success(self.model.set_newest).run()

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.result.setText(self.tr("Checking…"))

        def check():
            with self.store.read() as s:
                return audit.verify(s)
        Op(self, check).success(self._show_report).failure(self._failed).run()

    def _show_report(self, report) -> None:
        self.verify_button.setEnabled(True)
        if report.ok:
            self.result.setProperty("ok", True)
            self.result.setText(self.tr("Audit chain intact: %n entries", "", report.entries))
        else:
            self.result.setProperty("ok", False)
            self.result.setText(self.tr("Broken at entry %1: %2")
                                .replace("%1", str(report.first_broken))
                                .replace("%2", report.reason))
            row = self.model.rowCount() - report.first_broken
            if 0 <= row < self.model.rowCount():
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))
        self.result.style().unpolish(self.result)
        self.result.style().polish(self.result)

    def _failed(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.result.setText(str(exc))
