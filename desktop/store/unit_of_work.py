"""The one way rows change: each write stamps the sync columns, appends its outbox entry and
its audit entry, all inside the caller's single transaction, and records what changed so
views refresh only that."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from operator import itemgetter

from sqlalchemy import Boolean, Date, Integer, select, update
from sqlalchemy.orm import Session

from desktop import audit
from desktop.ids import uuid7
from desktop.store.database import Store, insert_many, insert_stored
from desktop.store.models import AuditEntry, OutboxEntry
from desktop.store.serialize import canonical_json, row_fields, sorted_json, to_wire
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

    def insert_pulled(self, model, rows: list[tuple[str, dict, int]],
                      columns: Iterable[str] | None = None) -> int:
        """`apply_pulled` for many rows the store does not have, (row id, wire row as HQ
        sent it, rev) each: one bulk insert (insert_stored), no ORM object a row (a first pull
        brings the whole branch). `columns`: the wire keys taken (the protocol's columns
        of the table; by default every column); a column not taken, or missing from a
        row, gets its default as in `apply_pulled`.

        The rows are audited together, one hash-chained entry (action "pull", detail
        {"columns": [names], "op": "pull", "rows": {row id: [values]}}) whose fields per
        row (the names with the row's values) are those of the "create" entry
        `apply_pulled` writes; `audit.verify` replays each as a create.
        Values are stored exactly as the ORM path stores them (`stored_values`); a value
        that cannot be converted raises the error the ORM path raises. Returns the rows
        inserted."""
        if not rows:
            return 0
        table = model.__table__
        ids = [row_id for row_id, _values, _rev in rows]
        names, stored, audited = stored_values(
            model, self.session.connection().dialect,
            [values for _row_id, values, _rev in rows], ids, columns)
        # The column names once and each row's values as a list: half the bytes of a dict
        # a row, and half the time to encode. The detail is built in canonical order
        # (columns by name, rows by id), so it is encoded as canonical_json would, without
        # sorting again.
        order = sorted(range(len(names)), key=names.__getitem__)
        values = map(list, zip(*(audited[i] for i in order), strict=True))
        by_id = dict(sorted(zip(ids, values, strict=True), key=itemgetter(0)))
        tip = self._tip if self._tip is not None else audit.chain_tip(self.session)
        detail = {"columns": [names[i] for i in order], "op": "pull", "rows": by_id}
        floatless = not any(float in map(type, column) for column in audited)
        entry = audit.make_entry(tip, self.actor, "pull", table.name, "",
                                 sorted_json(detail, floatless=floatless))
        insert_stored(self.session, table, [*names, "rev"],
                      list(zip(*stored, [rev for _row_id, _values, rev in rows], strict=True)))
        insert_many(self.session, AuditEntry.__table__, [entry])
        self._tip = (entry["seq"], entry["hash"])
        self.changes.created.setdefault(table.name, set()).update(ids)
        return len(rows)

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
        found = {c.key: _by_type(c.type)[0] for c in model.__table__.columns}
        _CONVERTERS[model] = found
    return found


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


# ---- a pulled page's new rows, column by column, as SQLite stores them ------------------------

def stored_values(model, dialect, wire_rows: list[dict], ids: list[str],
                  columns: Iterable[str] | None = None
                  ) -> tuple[list[str], list[list], list[list]]:
    """(names, stored, audited) for new rows of `model` from their wire values: every column
    but rev, in the table's order; `stored[i]` the values of column names[i] as the store
    holds them (what `apply_pulled` would write: integer cents, timestamp and date text,
    0/1), `audited[i]` the same values as wire values (what its create entry records).

    `ids` are the rows' ids (the row id wins over the row's own `id`); `columns` the wire
    keys taken (default: every column); a column a row lacks gets its default as
    `apply_pulled` gives it. Canonical wire values (what HQ sends) are stored as they are
    after a check done once a column (fromisoformat and the like, not a Python call a value);
    a column holding anything else goes value by value through the ORM path's own
    conversion (`python_values`, then the column's bind processing), whose errors it
    raises."""
    stored, audited = [], []
    plan = _pull_plan(model, dialect, None if columns is None else tuple(columns))
    from_wire = _wire_columns(plan, wire_rows)
    for column in plan:
        if column.name == "id":
            values = ids
        elif column.from_wire:
            values = from_wire[column.name]
        else:
            values = [column.default] * len(ids)
        if column.make is not None and None in values:  # a callable default: one a row
            values = [column.make(None) if v is None else v for v in values]
            as_stored = None  # Python values now: through the conversion
        elif column.fast is None:
            as_stored = values
        else:
            as_stored = _fast_column(column.fast, values)
        if as_stored is None:
            as_stored, values = _convert_column(column, values)
        stored.append(as_stored)
        audited.append(values)
    return [column.name for column in plan], stored, audited


def _wire_columns(plan: list[_PulledColumn], wire_rows: list[dict]) -> dict[str, Sequence]:
    """{column: its values in `wire_rows`} for the columns taken from the wire (but id): the
    rows' values picked in C when every row has every column (as HQ sends them), else
    column by column, a missing value getting the column's default."""
    wanted = [c for c in plan if c.from_wire and c.name != "id"]
    names = [c.name for c in wanted]
    if len(names) > 1 and wire_rows:
        try:
            rows = map(itemgetter(*names), wire_rows)
            return dict(zip(names, zip(*rows, strict=True), strict=True))
        except KeyError:
            pass
    return {c.name: [row.get(c.name, c.default) for row in wire_rows] for c in wanted}


@dataclass(frozen=True)
class _PulledColumn:
    name: str
    from_wire: bool  # taken from the wire row (else always its default)
    default: object  # scalar default (a Python value), or None
    make: Callable | None  # callable default, for a value that is None
    fast: Callable | None  # canonical wire values -> stored values, None when they are equal
    convert: Callable | None  # the ORM path: wire -> Python (python_values)
    process: Callable | None  # ... Python -> stored (the column's bind processor)


_PLANS: dict = {}


def _pull_plan(model, dialect, columns: tuple[str, ...] | None) -> list[_PulledColumn]:
    """How each column of `model` but rev goes from the wire to the store, worked out once
    per model."""
    key = (model, dialect.name, columns)
    plan = _PLANS.get(key)
    if plan is None:
        converters = _converters(model)
        plan = []
        for c in model.__table__.columns:
            if c.key in SYNC_BOOKKEEPING:
                continue
            default = c.default.arg if c.default is not None and c.default.is_scalar else None
            make = c.default.arg if c.default is not None and c.default.is_callable else None
            process = c.type._cached_bind_processor(dialect)  # noqa: SLF001
            convert = converters[c.key]
            if convert is None and process is None:
                fast = None  # text: stored as it comes
            elif dialect.name == "sqlite":
                fast = _by_type(c.type)[1]
            else:
                fast = _slow
            plan.append(_PulledColumn(c.key, columns is None or c.key in columns, default,
                                      make, fast, convert, process))
        _PLANS[key] = plan
    return plan


class _NotCanonical(Exception):
    pass


def _slow(values: list) -> list:
    raise _NotCanonical


def _fast_column(fast: Callable, values: list) -> list | None:
    """`fast` over a column whose NULLs stay NULL; None when a value is not canonical."""
    try:
        if None not in values:
            return fast(values)
        present = [i for i, v in enumerate(values) if v is not None]
        out = [None] * len(values)
        for i, value in zip(present, fast([values[i] for i in present]), strict=True):
            out[i] = value
        return out
    except (_NotCanonical, ValueError, TypeError):
        return None


def _convert_column(column: _PulledColumn, values: list) -> tuple[list, list]:
    """(stored, wire) values the way apply_pulled gets them: wire -> Python (python_values)
    -> the column's bind processing; the wire values again from the Python ones (to_wire)."""
    stored, wire = [], []
    convert, process = column.convert, column.process
    for value in values:
        if value is not None and convert is not None:
            value = convert(value)
        wire.append(to_wire(value))
        stored.append(value if value is None or process is None else process(value))
    return stored, wire


# What HQ sends (sync/protocol.py, sync/server/types.py to_wire) and the ORM path would store
# for the same value: money "-12.30" (cents -1230), dates "2026-11-22", timestamps
# "2026-11-22T21:42:33.123456Z", JSON booleans (0/1), JSON integers.
_MONEY = re.compile(r"-?(?:0|[1-9][0-9]*)\.[0-9]{2}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_STAMP = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")


def _money_cents(values: list) -> list:
    if not all(map(_MONEY.fullmatch, values)):
        raise _NotCanonical
    return [int(v.replace(".", "")) for v in values]


def _iso_dates(values: list) -> list:
    if not all(map(_DATE.fullmatch, values)):
        raise _NotCanonical
    deque(map(dt.date.fromisoformat, values), maxlen=0)  # a real date each, or ValueError
    return values


def _utc_stamps(values: list) -> list:
    if not all(map(_STAMP.fullmatch, values)):
        raise _NotCanonical
    deque(map(dt.datetime.fromisoformat, values), maxlen=0)  # ... a real time each
    return values


def _booleans(values: list) -> list:
    if set(map(type, values)) != {bool}:
        raise _NotCanonical
    return list(map(int, values))


def _integers(values: list) -> list:
    if set(map(type, values)) != {int}:
        raise _NotCanonical
    return values


def _by_type(type_) -> tuple[Callable | None, Callable]:
    """A column type's (wire value -> Python value, canonical wire values -> stored values);
    text is (None, _slow)."""
    for kind, to_python, to_stored in _CONVERSIONS:
        if isinstance(type_, kind):
            return to_python, to_stored
    return None, _slow


_CONVERSIONS = ((Money, to_money, _money_cents), (UTCDateTime, _utc_from_wire, _utc_stamps),
                (Date, _date_from_wire, _iso_dates), (Boolean, _bool_from_wire, _booleans),
                (Integer, int, _integers))
