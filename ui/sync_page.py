"""The Sync view for managers: where this desk stands with HQ, the history of sync cycles,
the conflicts HQ decided (both values, who changed the branch's value and when, which value
was kept) and the changes HQ rejected with its reason. Everything is read on a worker."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services import sync_records
from desktop.services.auth import Actor
from desktop.store import Store
from sync import reasons
from ui.audit_page import TABLES, value_text
from ui.messages import field_label
from ui.ops import Op


def local_time(value: dt.datetime | str | None, *, seconds: bool = True) -> str:
    """A UTC timestamp (datetime or ISO text with Z) in the computer's time zone."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def table_label(table: str) -> str:
    return QCoreApplication.translate("AuditTableModel", TABLES[table]) \
        if table in TABLES else table


def wire_value(field: str, value) -> str:
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value_text(field, value)


def hq_reason(reason: str) -> str:
    """Why HQ rejected a change (English, from sync.reasons), in the UI language, with its
    field and table names and values as the rest of the page shows them; a reason that fits
    no template is shown as HQ wrote it."""
    parsed = reasons.parse(reason)
    if parsed is None:
        return reason
    template, values = parsed
    shown = dict(values)
    for name in ("field", "column"):
        if name in values:
            shown[name] = field_label(values[name])
    for name in ("table", "target"):
        if name in values:
            shown[name] = table_label(values[name])
    if "value" in values:
        shown["value"] = wire_value(values.get("field", ""), values["value"])
    if "columns" in values:
        separator = QCoreApplication.translate("HQReasons", ", ")
        shown["columns"] = separator.join(field_label(c) for c in values["columns"].split(", "))
    return QCoreApplication.translate("HQReasons", template).format(**shown)


def _item(text: str, tooltip: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemIsEditable)
    if tooltip:
        item.setToolTip(tooltip)
    return item


def _table(headers: list[str], widths: tuple[int, ...]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectRows)
    table.setEditTriggers(QAbstractItemView.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.Interactive)
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    return table


def _fill(table: QTableWidget, rows: list[list[QTableWidgetItem]]) -> None:
    table.setRowCount(len(rows))
    for r, items in enumerate(rows):
        for c, item in enumerate(items):
            table.setItem(r, c, item)


class SyncPage(QWidget):
    sync_requested = Signal()
    enroll_requested = Signal()
    reviewed = Signal(int)  # how many conflicts were marked reviewed

    def __init__(self, store: Store, actor: Actor, parent=None):
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.summary = QLabel()
        self.summary.setObjectName("syncSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.PlainText)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.clicked.connect(self.sync_requested)
        self.enroll_button = QPushButton(self.tr("Connect to HQ…"))
        self.enroll_button.clicked.connect(self.enroll_requested)
        self.enroll_button.setVisible(actor.at_least("admin"))
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.sync_button)
        top.addWidget(self.enroll_button)

        self.history = _table([self.tr("Time"), self.tr("Result"), self.tr("Sent"),
                               self.tr("Received"), self.tr("Conflicts"), self.tr("Rejected"),
                               self.tr("Details")], (150, 90, 70, 70, 70, 70))
        self.conflicts = _table([self.tr("Decided at"), self.tr("Record"), self.tr("Field"),
                                 self.tr("HQ value"), self.tr("Branch value"),
                                 self.tr("Kept"), self.tr("Branch change by"),
                                 self.tr("Reviewed")], (150, 140, 80, 90, 90, 230, 240))
        self.conflicts.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.show_reviewed = QCheckBox(self.tr("Show reviewed"))
        self.show_reviewed.toggled.connect(self.refresh)
        self.review_button = QPushButton(self.tr("Mark reviewed"))
        self.review_button.clicked.connect(self.mark_reviewed)
        self.review_button.setEnabled(False)
        self.conflicts.itemSelectionChanged.connect(
            lambda: self.review_button.setEnabled(bool(self._selected_open_conflicts())))
        conflicts_tab = QWidget()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("HQ decides a field both sides changed by who owns "
                                     "it; the other value is kept here.")), 1)
        bar.addWidget(self.show_reviewed)
        bar.addWidget(self.review_button)
        conflicts_layout = QVBoxLayout(conflicts_tab)
        conflicts_layout.addLayout(bar)
        conflicts_layout.addWidget(self.conflicts)
        self.rejections = _table([self.tr("Time"), self.tr("Record"), self.tr("Data"),
                                  self.tr("Reason"), self.tr("Change")],
                                 (150, 150, 110, 300))
        self.tabs = QTabWidget()
        self.tabs.addTab(self.history, self.tr("History"))
        self.tabs.addTab(conflicts_tab, self.tr("Conflicts"))
        self.tabs.addTab(self.rejections, self.tr("Rejected changes"))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self._conflict_ids: list[tuple[int, bool]] = []  # per row: id, still open
        self.show_status({}, "standalone", "")

    # ---- status (from the window's sync controller) -------------------------------------

    def show_status(self, status: dict, state: str, state_text: str) -> None:
        enrolled = bool(status.get("enrolled"))
        self.sync_button.setEnabled(enrolled and state not in ("syncing", "too_old"))
        self.enroll_button.setText(self.tr("Enroll again…") if enrolled
                                   else self.tr("Connect to HQ…"))
        if not enrolled:
            self.summary.setText(self.tr("This desk is not enrolled with group HQ: changes "
                                         "stay on this computer until an administrator "
                                         "connects it."))
            return
        lines = [state_text,
                 self.tr("HQ: %1").replace("%1", status.get("hq_url") or "—"),
                 self.tr("Last successful sync: %1")
                 .replace("%1", local_time(status.get("last_sync_at"))),
                 self.tr("%n change(s) waiting to sync", "", int(status.get("pending", 0))),
                 self.tr("%n open conflict(s)", "", int(status.get("open_conflicts", 0)))]
        self.summary.setText("\n".join(lines))

    # ---- the three lists ------------------------------------------------------------------

    def refresh(self) -> None:
        open_only = not self.show_reviewed.isChecked()

        def read():
            return (sync_records.history(self.store),
                    sync_records.conflict_records(self.store, open_only=open_only),
                    sync_records.rejections(self.store))
        Op(self, read).success(self._show).run()

    def _show(self, lists) -> None:
        cycles, conflicts, rejections = lists
        _fill(self.history, [self._cycle_row(c) for c in cycles])
        _fill(self.conflicts, [self._conflict_row(c) for c in conflicts])
        self._conflict_ids = [(c.id, c.reviewed_at is None) for c in conflicts]
        _fill(self.rejections, [self._rejection_row(r) for r in rejections])
        open_count = sum(1 for _id, is_open in self._conflict_ids if is_open)
        self.tabs.setTabText(1, self.tr("Conflicts (%1)").replace("%1", str(open_count))
                             if open_count else self.tr("Conflicts"))
        self.tabs.setTabText(2, self.tr("Rejected changes (%1)")
                             .replace("%1", str(len(rejections)))
                             if rejections else self.tr("Rejected changes"))
        self.review_button.setEnabled(bool(self._selected_open_conflicts()))

    def _cycle_row(self, c: sync_records.Cycle) -> list[QTableWidgetItem]:
        n = c.counts

        def count(key: str) -> QTableWidgetItem:
            return _item(str(n.get(key, 0)) if c.ok else "—")
        details = (self.tr("%1 applied, %2 merged; %3 rows updated here")
                   .replace("%1", str(n.get("applied", 0)))
                   .replace("%2", str(n.get("merged", 0)))
                   .replace("%3", str(n.get("pulled", 0)))) if c.ok else (c.reason or "")
        if c.redownloaded:
            details += self.tr("; differed from HQ, downloaded again: %1").replace(
                "%1", ", ".join(table_label(t) for t in c.redownloaded))
        if c.differing:
            details += self.tr("; still differs from HQ: %1").replace(
                "%1", ", ".join(table_label(t) for t in c.differing))
        return [_item(local_time(c.at)),
                _item(self.tr("Done") if c.ok else self.tr("Failed")),
                count("pushed"), count("received"), count("conflicts"), count("rejected"),
                _item(details, c.reason)]

    def _conflict_row(self, c: sync_records.ConflictRecord) -> list[QTableWidgetItem]:
        kept = self.tr("HQ's value (HQ owns this field)") if c.winner == "hq" \
            else self.tr("Branch value (the branch owns this field)")
        by = "—"
        if c.branch_actor:
            by = self.tr("%1 at %2").replace("%1", c.branch_actor) \
                .replace("%2", local_time(c.branch_at))
        record = c.record or f"{table_label(c.table)} {c.row_id[:8]}"
        return [_item(local_time(c.at)), _item(record, c.row_id),
                _item(field_label(c.field)), _item(wire_value(c.field, c.hq_value)),
                _item(wire_value(c.field, c.branch_value)), _item(kept), _item(by),
                _item(local_time(c.reviewed_at) if c.reviewed_at else "")]

    def _rejection_row(self, r: sync_records.Rejection) -> list[QTableWidgetItem]:
        change = "  ".join(f"{field_label(k)}: {wire_value(k, v)}"
                           for k, v in r.fields.items() if k not in ("id", "updated_at"))
        return [_item(local_time(r.at)), _item(r.record or r.row_id[:8], r.row_id),
                _item(table_label(r.table)),
                _item(hq_reason(r.reason), r.reason),  # the tooltip: HQ's own words, for HQ's IT
                _item(change, change)]

    # ---- reviewing conflicts ---------------------------------------------------------------

    def _selected_open_conflicts(self) -> list[int]:
        rows = {i.row() for i in self.conflicts.selectedIndexes()}
        return [self._conflict_ids[r][0] for r in sorted(rows)
                if r < len(self._conflict_ids) and self._conflict_ids[r][1]]

    def mark_reviewed(self) -> None:
        ids = self._selected_open_conflicts()
        if not ids:
            return
        self.review_button.setEnabled(False)
        Op(self, lambda: sync_records.mark_reviewed(self.store, self.actor, ids)) \
            .success(self._after_review).run()

    def _after_review(self, count: int) -> None:
        self.reviewed.emit(count)
        self.refresh()
