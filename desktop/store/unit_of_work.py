"""The one way rows change: each write stamps the sync columns, appends its outbox entry and
its audit entry, all inside the caller's single transaction, and records what changed so
views refresh only that."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Boolean, Date, Integer, select, update
from sqlalchemy.orm import Session

from desktop import audit
from desktop.ids import uuid7
from desktop.store.database import Store, insert_many
from desktop.store.models import AuditEntry, OutboxEntry
from desktop.store.serialize import canonical_json, row_fields, to_wire
from desktop.store.types import Money, UTCDateTime, to_money, utcnow

# Columns the sync layer owns; they are never part of a change's fields.
SYNC_BOOKKEEPING = ("rev",)


@dataclass
class ChangeSet:
    """What one user action changed: {table: {row ids}}, for views to refresh."""

    created: dict[str, set[str]] = field(default_factory=dict)
    updated: dict[str, set[str]] = field(default_factory=dict)
    deleted: dict[str, set[str]] = field(default_factory=dict)

    def note(self, kind: str, table: str, row_id: str) -> None:
        getattr(self, kind).setdefault(table, set()).add(row_id)

    def touches(self, table: str) -> bool:
        return any(table in d for d in (self.created, self.updated, self.deleted))

    def ids(self, table: str) -> set[str]:
        out: set[str] = set()
        for d in (self.created, self.updated, self.deleted):
            out |= d.get(table, set())
        return out


class UnitOfWork:
    def __init__(self, session: Session, actor: str):
        self.session = session
        self.actor = actor
        self.changes = ChangeSet()
        self._tip: tuple[int, str] | None = None  # audit chain tip, read once under the lock

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part that may fail on its own: rolled back alone (audit chain tip included),
        the error re-raised for the caller to record."""
        tip = self._tip
        try:
            with self.session.begin_nested():
                yield
        except Exception:
            self._tip = tip
            raise

    def _audit(self, action: str, table: str, row_id: str, detail: dict) -> None:
        if self._tip is None:
            self._tip = audit.chain_tip(self.session)
        entry = audit.make_entry(self._tip, self.actor, action, table, row_id, detail)
        self.session.add(AuditEntry(**entry))
        self._tip = (entry["seq"], entry["hash"])

    def create(self, row, *, audit_exclude: tuple[str, ...] = ()):
        """Insert a new row (synced tables: new UUIDv7, rev 0, outbox upsert with every field)."""
        synced = getattr(row, "__synced__", False)
        if synced:
            row.id = row.id or uuid7()
            row.rev = 0
            row.deleted = False
            row.updated_at = utcnow()
        self._apply_defaults(row)
        self.session.add(row)
        table = row.__tablename__
        fields = {k: v for k, v in row_fields(row).items() if k not in SYNC_BOOKKEEPING}
        if _pushable(row):
            self._outbox(table, "upsert", row.id, fields, base_rev=0)
        audited = {k: v for k, v in fields.items() if k not in audit_exclude}
        self._audit("create", table, row.id, {"op": "create", "fields": audited})
        self.changes.note("created", table, row.id)
        return row

    def create_many(self, model, rows: list[dict]) -> list[str]:
        """Insert many new rows of one table (imports, demo data) with the same outbox and
        audit entries as `create`, written with executemany rather than an ORM object a row.
        Returns the new ids in order."""
        table = model.__table__
        now = utcnow()
        template = {c.key: None for c in table.columns}
        for c in table.columns:
            if c.default is not None and c.default.is_scalar:
                template[c.key] = c.default.arg
        records, pushed, entries, ids = [], [], [], []
        tip = self._tip if self._tip is not None else audit.chain_tip(self.session)
        now_wire = to_wire(now)
        for values in rows:
            record = {**template, **values, "rev": 0, "deleted": False, "updated_at": now}
            record["id"] = record["id"] or uuid7()
            fields = {k: to_wire(v) for k, v in record.items()
                      if k not in SYNC_BOOKKEEPING and k != "updated_at"}
            fields["updated_at"] = now_wire
            if record["branch_id"] is not None:
                pushed.append({"change_id": uuid7(), "table_name": table.name, "op": "upsert",
                               "row_id": record["id"], "fields": canonical_json(fields),
                               "base_rev": 0, "created_at": now})
            entry = audit.make_entry(tip, self.actor, "create", table.name, record["id"],
                                     {"op": "create", "fields": fields})
            tip = (entry["seq"], entry["hash"])
            entries.append(entry)
            records.append(record)
            ids.append(record["id"])
        if not records:
            return []
        # One executemany a table, without the ORM's (or Core's) per-row bookkeeping.
        insert_many(self.session, table, records)
        insert_many(self.session, OutboxEntry.__table__, pushed)
        insert_many(self.session, AuditEntry.__table__, entries)
        self._tip = tip
        self.changes.created.setdefault(table.name, set()).update(ids)
        return ids

    def update(self, row, values: dict, *, action: str = "update",
               audit_exclude: tuple[str, ...] = ()) -> dict:
        """Apply `values`; only fields whose value really changes are written, pushed and
        audited. Returns {field: (old, new)} (empty when nothing changed: no write at all)."""
        if getattr(row, "__append_only__", False):
            raise TypeError(f"{row.__tablename__} is append-only: append a correcting row")
        diff = {}
        for name, new in values.items():
            old = getattr(row, name)
            if to_wire(old) != to_wire(new):
                diff[name] = (old, new)
        if not diff:
            return {}
        for name, (_old, new) in diff.items():
            setattr(row, name, new)
        table = row.__tablename__
        if getattr(row, "__synced__", False):
            row.updated_at = utcnow()
        if _pushable(row):
            fields = {name: to_wire(new) for name, (_o, new) in diff.items()}
            fields["updated_at"] = to_wire(row.updated_at)
            self._outbox(table, "upsert", row.id, fields, base_rev=row.rev)
        audited = {
            name: [to_wire(old), to_wire(new)]
            for name, (old, new) in diff.items()
            if name not in audit_exclude
        }
        self._audit(action, table, row.id, {"op": "update", "changes": audited})
        self.changes.note("updated", table, row.id)
        return diff

    def delete(self, row) -> None:
        """Soft-delete (a tombstone) so the delete replicates."""
        if getattr(row, "__append_only__", False):
            raise TypeError(f"{row.__tablename__} is append-only: append a correcting row")
        row.deleted = True
        row.updated_at = utcnow()
        table = row.__tablename__
        if _pushable(row):
            self._outbox(table, "delete", row.id,
                         {"deleted": True, "updated_at": to_wire(row.updated_at)},
                         base_rev=row.rev)
        self._audit("delete", table, row.id, {"op": "update", "changes": {"deleted": [False, True]}})
        self.changes.note("deleted", table, row.id)

    def note(self, action: str, table: str, row_id: str, detail: dict) -> None:
        """An audit-only entry (sign-in failures, exports...) that changes no row."""
        self._audit(action, table, row_id, {"op": "note", **detail})

    # ---- writes that come from HQ (sync): rows and audit entries, never outbox entries ----

    def apply_pulled(self, model, row_id: str, values: dict, *, rev: int,
                     keep: Iterable[str] = (), missing: bool = False) -> str | None:
        """Write one row as HQ sent it (`values`: Python values, see `python_values`):
        insert it, or update the fields that differ, except those in `keep` (local edits
        still waiting in the outbox). Audited like a local write (op create / update) so
        `audit.verify` replays it; no outbox entry. The row's `rev` becomes `rev`; a version
        older than the one the desk already has changes nothing.
        Returns "created", "updated" or None (nothing changed). `missing`: the caller knows
        the row is not in the store (a pulled page's rows are looked up in bulk first)."""
        table = model.__tablename__
        row = None if missing else self.session.get(model, row_id)
        if row is None:
            row = model(**{k: v for k, v in values.items() if k not in SYNC_BOOKKEEPING})
            row.id = row_id
            row.rev = rev
            self._apply_defaults(row)
            self.session.add(row)
            fields = {k: v for k, v in row_fields(row).items() if k not in SYNC_BOOKKEEPING}
            self._audit("create", table, row_id, {"op": "create", "fields": fields})
            self.changes.note("created", table, row_id)
            return "created"
        if rev < (row.rev or 0):
            return None
        skip = set(keep) | {"id", *SYNC_BOOKKEEPING}
        diff = {}
        for name, new in values.items():
            if name in skip:
                continue
            old = getattr(row, name)
            if to_wire(old) != to_wire(new):
                diff[name] = (old, new)
        row.rev = rev
        if not diff:
            return None
        for name, (_old, new) in diff.items():
            setattr(row, name, new)
        audited = {name: [to_wire(old), to_wire(new)] for name, (old, new) in diff.items()
                   if name != "updated_at"}
        if audited:
            deleting = audited.get("deleted") == [False, True]
            self._audit("delete" if deleting else "update", table, row_id,
                        {"op": "update", "changes": audited})
            self.changes.note("deleted" if deleting else "updated", table, row_id)
        return "updated"

    def insert_pulled(self, model, rows: list[tuple[str, dict, int]]) -> int:
        """`apply_pulled` for many rows the store does not have, (row id, values, rev)
        each: Core executemany inserts and the same create audit entries, without an ORM
        object a row (a first pull brings the whole branch). Returns the rows inserted."""
        table = model.__table__
        template = {c.key: None for c in table.columns}
        callables = []
        for c in table.columns:
            if c.default is not None and c.default.is_scalar:
                template[c.key] = c.default.arg
            elif c.default is not None and c.default.is_callable:
                callables.append((c.key, c.default.arg))
        tip = self._tip if self._tip is not None else audit.chain_tip(self.session)
        records, entries = [], []
        for row_id, values, rev in rows:
            record = {**template, **values, "id": row_id, "rev": rev}
            for key, make in callables:
                if record[key] is None:
                    record[key] = make(None)
            fields = {k: to_wire(v) for k, v in record.items() if k not in SYNC_BOOKKEEPING}
            entry = audit.make_entry(tip, self.actor, "create", table.name, row_id,
                                     {"op": "create", "fields": fields})
            tip = (entry["seq"], entry["hash"])
            entries.append(entry)
            records.append(record)
        if not records:
            return 0
        insert_many(self.session, table, records)
        insert_many(self.session, AuditEntry.__table__, entries)
        self._tip = tip
        self.changes.created.setdefault(table.name, set()).update(r["id"] for r in records)
        return len(records)

    def rekey_branch(self, model, old_branch_id: str, new_branch_id: str) -> int:
        """Enrollment: every row of `model` owned by `old_branch_id` now belongs to
        `new_branch_id` (one UPDATE, one audit entry per row; no outbox entries: the rows'
        pending outbox entries are re-keyed by the caller). Returns the rows re-keyed."""
        ids = list(self.session.scalars(
            select(model.id).where(model.branch_id == old_branch_id).order_by(model.id)))
        if not ids:
            return 0
        self.session.execute(update(model).where(model.branch_id == old_branch_id)
                             .values(branch_id=new_branch_id)
                             .execution_options(synchronize_session="fetch"))
        table = model.__tablename__
        tip = self._tip if self._tip is not None else audit.chain_tip(self.session)
        entries = []
        detail = {"op": "update", "changes": {"branch_id": [old_branch_id, new_branch_id]}}
        for row_id in ids:
            entry = audit.make_entry(tip, self.actor, "rekey", table, row_id, detail)
            tip = (entry["seq"], entry["hash"])
            entries.append(entry)
        insert_many(self.session, AuditEntry.__table__, entries)
        self._tip = tip
        self.changes.updated.setdefault(table, set()).update(ids)
        return len(ids)

    @staticmethod
    def _apply_defaults(row) -> None:
        """Fill Python-side column defaults now (not at flush) so the outbox and audit
        entries see the values the row will have."""
        for column in row.__table__.columns:
            default = column.default
            if getattr(row, column.key) is None and default is not None:
                if default.is_scalar:
                    setattr(row, column.key, default.arg)
                elif default.is_callable:
                    setattr(row, column.key, default.arg(None))

    def _outbox(self, table: str, op: str, row_id: str, fields: dict, base_rev: int) -> None:
        self.session.add(OutboxEntry(
            change_id=uuid7(), table_name=table, op=op, row_id=row_id,
            fields=canonical_json(fields), base_rev=base_rev, created_at=utcnow(),
        ))


def _pushable(row) -> bool:
    """Only branch-owned rows of synced tables go to the outbox: reference rows
    (branch_id NULL) belong to HQ, which would reject them."""
    return getattr(row, "__synced__", False) and row.branch_id is not None


@contextmanager
def unit_of_work(store: Store, actor: str) -> Iterator[UnitOfWork]:
    """One user action = one transaction: the rows, their outbox and audit entries, or nothing."""
    with store.session_for_write() as session:
        yield UnitOfWork(session, actor)


def outbox_fields(entry: OutboxEntry) -> dict:
    return json.loads(entry.fields)


def python_values(model, wire: dict) -> dict:
    """Wire values (docs: sync/protocol.py) of `model`'s columns as the Python values its
    columns hold: ISO dates, Decimal money rounded to the cent, UTC timestamps, booleans.
    Keys that are not columns of `model` are dropped."""
    converters = _converters(model)
    out = {}
    for name, value in wire.items():
        if name in converters:
            convert = converters[name]
            out[name] = value if value is None or convert is None else convert(value)
    return out


_CONVERTERS: dict = {}


def _converters(model) -> dict:
    """{column: wire -> Python converter, or None for text}, worked out once per model (a
    pulled page converts every value of thousands of rows)."""
    found = _CONVERTERS.get(model)
    if found is None:
        found = {c.key: _converter(c.type) for c in model.__table__.columns}
        _CONVERTERS[model] = found
    return found


def _converter(type_):
    if isinstance(type_, Money):
        return to_money
    if isinstance(type_, UTCDateTime):
        return _utc_from_wire
    if isinstance(type_, Date):
        return _date_from_wire
    if isinstance(type_, Boolean):
        return _bool_from_wire
    if isinstance(type_, Integer):
        return int
    return None


def _utc_from_wire(value) -> dt.datetime:
    if isinstance(value, dt.datetime):
        stamp = value
    else:
        stamp = dt.datetime.fromisoformat(str(value).replace("z", "Z"))
    return stamp.replace(tzinfo=dt.UTC) if stamp.tzinfo is None else stamp.astimezone(dt.UTC)


def _date_from_wire(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _bool_from_wire(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "t", "yes")
    return bool(value)
