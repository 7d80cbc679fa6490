"""What the Sync view shows, read from the desk's own sync bookkeeping: the cycles (done or
failed), the conflicts HQ decided (both values, who changed the branch's value and when, who
won) and the changes HQ rejected with its reason. No Qt; the GUI reads these on a worker.

Conflicts are decided automatically by field ownership (docs/SYNC.md). A manager marks them
reviewed once someone has looked; that is local bookkeeping, not a synced change."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from desktop.services.auth import Actor
from desktop.store import Store
from desktop.store.models import (
    AuditEntry,
    Department,
    Employee,
    EmployeeEvent,
    SyncConflict,
    SyncLog,
)
from desktop.store.types import utcnow

# sync_log kinds/statuses that describe a whole cycle rather than one change
CYCLE_KINDS = ("pull", "error")
CYCLE_STATUSES = ("done", "error")
SYNC_ACTOR_PREFIX = "sync:"


@dataclass(frozen=True)
class Cycle:
    at: dt.datetime
    ok: bool
    counts: dict[str, int]  # pushed, applied, merged, conflicts, rejected, pulled, received
    reason: str | None  # why a failed cycle failed (HQ's or the network's words)
    redownloaded: tuple[str, ...] = ()  # tables the end-of-cycle check downloaded again
    differing: tuple[str, ...] = ()  # ... that still differed from HQ afterwards


@dataclass(frozen=True)
class ConflictRecord:
    id: int
    at: dt.datetime  # when HQ decided it
    table: str
    row_id: str
    record: str  # "E0001 张三": what people call the row
    field: str
    hq_value: Any
    branch_value: Any
    winner: str  # "hq" / "branch"
    branch_actor: str | None  # who made the branch's change, from the audit trail
    branch_at: dt.datetime | None
    reviewed_at: dt.datetime | None


@dataclass(frozen=True)
class Rejection:
    at: dt.datetime
    table: str
    row_id: str
    record: str
    reason: str
    fields: dict[str, Any]


def history(store: Store, limit: int = 200) -> list[Cycle]:
    """Sync cycles, newest first. An idle cycle (nothing to push or pull) leaves no entry."""
    with store.read() as s:
        entries = s.scalars(select(SyncLog)
                            .where(SyncLog.table_name.is_(None),
                                   SyncLog.kind.in_(CYCLE_KINDS),
                                   SyncLog.status.in_(CYCLE_STATUSES))
                            .order_by(SyncLog.id.desc()).limit(limit))
        cycles = []
        for e in entries:
            detail = json.loads(e.detail) if e.detail else {}
            counts = {k: v for k, v in detail.items() if isinstance(v, int)}
            cycles.append(Cycle(e.at, e.status == "done", counts,
                                e.reason if e.status != "done" else None,
                                tuple(detail.get("redownloaded", ())),
                                tuple(detail.get("differing", ()))))
    return cycles


def conflict_records(store: Store, *, open_only: bool = False,
                     limit: int = 500) -> list[ConflictRecord]:
    """Conflicts, newest first; `open_only` leaves out the reviewed ones."""
    with store.read() as s:
        q = select(SyncConflict).order_by(SyncConflict.id.desc()).limit(limit)
        if open_only:
            q = q.where(SyncConflict.resolved_at.is_(None))
        rows = list(s.scalars(q))
        labels = _labels(s, [(c.table_name, c.row_id) for c in rows])
        records = []
        for c in rows:
            actor, at = _branch_change(s, c)
            records.append(ConflictRecord(
                c.id, c.at, c.table_name, c.row_id, labels.get((c.table_name, c.row_id), ""),
                c.field, _json(c.hq_value), _json(c.branch_value), c.winner, actor, at,
                c.resolved_at))
    return records


def rejections(store: Store, limit: int = 500) -> list[Rejection]:
    """Changes HQ refused, newest first, with its reason and what the change was."""
    with store.read() as s:
        entries = list(s.scalars(select(SyncLog)
                                 .where(SyncLog.status == "rejected",
                                        SyncLog.table_name.is_not(None))
                                 .order_by(SyncLog.id.desc()).limit(limit)))
        labels = _labels(s, [(e.table_name, e.row_id) for e in entries])
        return [Rejection(e.at, e.table_name, e.row_id or "",
                          labels.get((e.table_name, e.row_id), ""),
                          e.reason or "", (json.loads(e.detail) if e.detail else {})
                          .get("fields", {}))
                for e in entries]


def open_conflict_count(store: Store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(SyncConflict)
                        .where(SyncConflict.resolved_at.is_(None))) or 0


def mark_reviewed(store: Store, actor: Actor, ids: list[int]) -> int:
    """Managers acknowledge conflicts; returns how many were still open."""
    actor.require("manager", "reviewing sync conflicts")
    if not ids:
        return 0
    with store.session_for_write() as s:
        return s.execute(update(SyncConflict)
                         .where(SyncConflict.id.in_(ids), SyncConflict.resolved_at.is_(None))
                         .values(resolved_at=utcnow())).rowcount


def _json(text: str | None) -> Any:
    return json.loads(text) if text else None


def _branch_change(s: Session, c: SyncConflict) -> tuple[str | None, dt.datetime | None]:
    """The latest local (not pulled) audited change of that field before HQ decided."""
    entries = s.scalars(select(AuditEntry)
                        .where(AuditEntry.table_name == c.table_name,
                               AuditEntry.row_id == c.row_id, AuditEntry.at <= c.at,
                               AuditEntry.actor.not_like(f"{SYNC_ACTOR_PREFIX}%"))
                        .order_by(AuditEntry.seq.desc()).limit(50))
    for e in entries:
        detail = json.loads(e.detail)
        if c.field in detail.get("changes", {}) or c.field in detail.get("fields", {}):
            return e.actor, e.at
    return None, None


def _labels(s: Session, keys: list[tuple[str, str | None]]) -> dict[tuple[str, str], str]:
    """What people call each row: employees by number and name, departments by name; an
    employee's history entries by their employee."""
    ids: dict[str, set[str]] = {}
    for table, row_id in keys:
        if row_id:
            ids.setdefault(table, set()).add(row_id)
    labels: dict[tuple[str, str], str] = {}
    event_owner: dict[str, str] = {}
    if ids.get("employee_event"):
        for event_id, employee_id in s.execute(
                select(EmployeeEvent.id, EmployeeEvent.employee_id)
                .where(EmployeeEvent.id.in_(ids["employee_event"]))):
            event_owner[event_id] = employee_id
            ids.setdefault("employee", set()).add(employee_id)
    if ids.get("employee"):
        for row_id, number, name in s.execute(
                select(Employee.id, Employee.employee_no, Employee.name)
                .where(Employee.id.in_(ids["employee"]))):
            labels[("employee", row_id)] = f"{number} {name}"
    if ids.get("department"):
        for row_id, name in s.execute(select(Department.id, Department.name)
                                      .where(Department.id.in_(ids["department"]))):
            labels[("department", row_id)] = name
    for event_id, employee_id in event_owner.items():
        labels[("employee_event", event_id)] = labels.get(("employee", employee_id), "")
    return labels
