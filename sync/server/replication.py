"""The rules of docs/SYNC.md: push (scope, at-most-once, conflicts by base rev and field
ownership, tombstones, append-only tables), rev assignment, pull (+ move_out).

A push runs in one transaction. Phase 1, without the rev lock: every change is checked
against the rows as the transaction sees them (loaded FOR UPDATE), one slot per row it
writes. Phase 2, right before commit: `n` consecutive revs from `first` are taken under
`pg_advisory_xact_lock` (SQLite: the writer already holds the database) and the rows are
written once, each with rev first + slot, so revs become visible in rev order and a pull
cursor never skips a late commit. If the database refuses that batch (a unique value
taken...), the request is redone in isolated mode: each change's row is written in its own
savepoint in phase 1, with a negative placeholder rev from a range of the transaction's own,
so only the offending changes are rejected; phase 2 then turns each placeholder into
first + slot with one UPDATE per table. Committed rows never hold a negative rev: the
placeholders other transactions write are invisible to that UPDATE.

Field metadata ({field: [rev, node]}) stores PENDING as the rev of a field changed by the
row's current version; it is read back as the row's rev. So it is built before the rev is
known, and the stamp UPDATE never rewrites it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from operator import add, itemgetter
from typing import Any

from sqlalchemy import (
    BigInteger,
    CompoundSelect,
    Select,
    String,
    Text,
    and_,
    any_,
    bindparam,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    text,
    true,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from sync import reasons
from sync.bulk import JsonText, json_text
from sync.protocol import MAX_PULL_LIMIT, TABLE_ORDER, TABLES, Change, TableSpec
from sync.server.db import Database, insert_rows, update_rows
from sync.server.models import (
    HQ_NODE,
    SYNCED_MODELS,
    Conflict,
    Move,
    ProcessedChange,
    RevCounter,
)
from sync.server.types import (
    to_wire,
    utcnow,
    wire_sql,
)
from sync.server.values import (
    COLUMNS,
    CheckedChange,
    Rejected,
    field_values,
)

REV_LOCK_KEY = 0x42445256  # "BDRV": the advisory lock revs are assigned under
PENDING = -1  # in field_meta: "the rev of the row's current version" (see above)
# In field_meta: the [rev, node] of every field not listed on its own, i.e. of the row's
# creation (one entry, not one a column: a push of new rows writes hundreds of thousands).
CREATED = "*"
MAX_ID_LEN = 36
# A column that points at another synced row: (table, column) -> referenced table.
REFERENCES = {("employee", "department_id"): "department",
              ("employee_event", "employee_id"): "employee"}
REFERENCES_OF = {table: [(col, target) for (tname, col), target in REFERENCES.items()
                         if tname == table] for table in TABLES}
CHUNK = 500
ARRAY_CHUNK = 5000  # values per array parameter on PostgreSQL (see _among_ids)
_NO_SEQSCAN = text("SET LOCAL enable_seqscan = off")
# A pull page's plans, for the rest of the transaction: each source an index range read in
# rev order until :limit rows, no sorts, the incremental kind included. Without statistics
# (a table filled since the last ANALYZE, or autovacuum off) the planner guessed a few rows
# and chose to fetch every row above the cursor and sort them, on every page of a first
# pull; the incremental kind read a whole branch through its employee-number index,
# sorting each number's rows by rev. On every page, small ones too: the driver prepares
# the statement, and a plan cached for a small page with sorts on would serve large ones.
_SORTS_OFF = tuple(func.set_config(name, "off", true())
                   for name in ("enable_sort", "enable_incremental_sort"))
RANGE_PLANS = select(*_SORTS_OFF)  # (a page sets them with its greatest revs: _top_revs)
# Up to this many ids, PostgreSQL probes the index by itself (at 100,000 rows without
# statistics: 200 ids 1.5 ms through the index; from 400 on a scan of the table, 18 ms), and
# a small push (an everyday delta) saves the round trip of setting it.
FEW_IDS = 200
# A push reads the page it brings in its own transaction, under the rev lock every other
# push waits for, only when at most this many revs lie above the caller's cursor (a
# delta's page: a millisecond or two); a larger one is read after the commit.
IN_PUSH_PAGE_REVS = 1000


# ---- who is asking ------------------------------------------------------------------------

@dataclass(frozen=True)
class Principal:
    """The token's holder: a desk of one branch, or an HQ user."""

    kind: str  # "node" | "user"
    id: str
    name: str
    role: str  # "branch" | "hq_admin" | "hq_viewer"
    branch_id: str | None = None

    @property
    def is_hq(self) -> bool:
        return self.role in ("hq_admin", "hq_viewer")

    @property
    def can_write(self) -> bool:
        return self.role in ("branch", "hq_admin")

    @property
    def meta_node(self) -> str:
        """What field metadata records as the changing node: the desk's id, or "hq"."""
        return self.id if self.kind == "node" else HQ_NODE


HQ_TOOL = Principal(kind="user", id=HQ_NODE, name="hq", role="hq_admin")


# ---- column values ------------------------------------------------------------------------

# A new row before its pushed values: every column empty but for the defaults.
NEW_ROWS = {
    name: {**{c: None for c in cols}, "deleted": False, "rev": 0,
           **{col.key: col.default.arg for col in SYNCED_MODELS[name].__table__.columns
              if col.default is not None and col.default.is_scalar and col.key in cols}}
    for name, cols in COLUMNS.items()}
REQUIRED = {name: [c for c, info in cols.items() if info.required]
            for name, cols in COLUMNS.items()}
REQUIRED_SETS = {name: frozenset(cols) for name, cols in REQUIRED.items()}



def row_to_wire(spec: TableSpec, row) -> dict[str, Any]:
    return {c: to_wire(row[c]) for c in spec.all_columns}


def _valid_id(value: str) -> bool:
    return 0 < len(value) <= MAX_ID_LEN and value.isprintable()


# ---- push ---------------------------------------------------------------------------------

@dataclass(slots=True)
class Entry:
    """One row this transaction touches: its state and what must get the final rev."""

    table: str
    row: dict[str, Any]
    is_new: bool
    old_branch_id: str | None
    written: bool = False  # its row is in the database (in isolated mode: a placeholder)
    dirty: bool = False  # changed in this transaction: needs a new rev
    move_from: str | None = None
    slot: int | None = None  # its place in this transaction's block of revs
    rev: int | None = None
    changed: set[str] = field(default_factory=set)  # the columns an UPDATE must write

    def snapshot(self):
        return (_copy_row(self.row), self.written, self.dirty, self.move_from, set(self.changed))

    def restore(self, snap) -> None:
        (self.row, self.written, self.dirty, self.move_from,
         self.changed) = _copy_row(snap[0]), *snap[1:4], set(snap[4])


def _copy_row(row: dict[str, Any]) -> dict[str, Any]:
    """A row's values are immutable but for field_meta's [rev, node] lists."""
    return {**row, "field_meta": {k: list(v) for k, v in row["field_meta"].items()}}


@dataclass
class _Context:
    """What a push's changes are decided against: the pusher, and the rows as this
    transaction sees them (those the batch writes: `entries`)."""

    principal: Principal
    existing: dict[str, dict[str, dict[str, Any]]]  # the rows the batch touches, loaded
    referenced: dict[str, dict[str, dict[str, Any]]]  # the rows it refers to, loaded
    unsure: dict[str, set[str]]  # rows it touches presumed new, so not loaded
    now: dt.datetime
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)

    def __post_init__(self):
        p = self.principal
        self.can_write = p.can_write
        self.branch = None if p.is_hq else p.branch_id  # the scope of the pusher's writes
        self.node = p.meta_node
        self.origin = p.id if p.kind == "node" else None  # origin_node of its versions
        self.side = "hq" if p.is_hq else "branch"


@dataclass(slots=True)
class _Outcome:
    """A change's result; `entry` set when its rev is known only at the end."""

    result: dict[str, Any]
    entry: Entry | None = None
    store: bool = True
    conflicts: Sequence[dict[str, Any]] = ()


class _Redo(Exception):
    """This attempt cannot finish as it is (the batched write failed, or a presumption of a
    first attempt may not hold): redo the request more carefully (see push)."""


Hook = Callable[[Session], None]


@dataclass
class Hooks:
    """Test seams (no behaviour by default): called inside the push transaction."""

    before_rev_lock: Hook | None = None
    after_rev_lock: Hook | None = None


@dataclass(frozen=True)
class PullAsk:
    """The pull page a push's answer brings along (pull's arguments of the same names)."""

    after: int
    limit: int
    digest_after: int | None = None


def push(db: Database, principal: Principal, changes: list[Change],
         hooks: Hooks | None = None) -> list[dict[str, Any]]:
    """Apply a batch; one result per change, in order. One transaction, retried whole when
    it fails on a value the database refuses or on a lost race with a concurrent push (two
    desks retrying the same change id): first presuming (see _push_once), then looking
    everything up, then in isolated mode."""
    return _push(db, principal, changes, hooks)[0]


def push_json(db: Database, principal: Principal, changes: list[Change],
              pull_ask: PullAsk | None = None, leftovers: list | None = None) -> bytes:
    """push's answer as PushResponse's JSON, from the texts of the results processed_changes
    keeps (not a second encoding of a result a change). `pull_ask`: with the page pull gives
    for it as `pull`, read as the push commits (see _push_once) or, when the push wrote
    nothing, in a snapshot of its own after it. `leftovers`: takes the push's working
    objects, for the caller to drop once the answer is out (routes/sync.py)."""
    results, texts, page = _push(db, principal, changes, pull_ask=pull_ask,
                                 leftovers=leftovers)
    if leftovers is not None:
        leftovers += (results, texts)
    answer = b'{"results":[' + ",".join(texts).encode() + b"]"
    if pull_ask is not None:
        if page is None:
            page = pull(db, principal, pull_ask.after, pull_ask.limit,
                        digest_after=pull_ask.digest_after)
        answer += b',"pull":' + page
    return answer + b"}"


def _push(db: Database, principal: Principal, changes: list[Change],
          hooks: Hooks | None = None, pull_ask: PullAsk | None = None,
          leftovers: list | None = None
          ) -> tuple[list[dict[str, Any]], list[JsonText], bytes | None]:
    hooks = hooks or Hooks()
    careful = isolate = False
    for attempt in range(5):
        session = db.session()
        try:
            with session.begin():
                return _push_once(session, db, principal, changes, hooks,
                                  careful=careful, isolate=isolate, pull_ask=pull_ask,
                                  leftovers=leftovers)
        except _Redo:
            # A presumed-new row may exist: look first; if the batch still fails, isolate.
            isolate = careful
            careful = True
        except (IntegrityError, OperationalError):
            if attempt == 4:
                raise
            isolate = isolate or careful and attempt >= 1
            careful = True
        finally:
            session.close()
    raise RuntimeError("unreachable")  # pragma: no cover


def _presumed_new(change: Change) -> bool:
    """A desk's create of a row (its fields carry the id, at base rev 0)."""
    return change.op == "upsert" and change.base_rev == 0 and "id" in change.fields


def _load_rows(session: Session, db: Database, table: str, ids: Iterable[str], lock: bool,
               columns: tuple[str, ...] | None = None) -> dict[str, dict[str, Any]]:
    q = _rows_query(table, columns, lock and db.is_postgres, db.is_postgres)
    names = list(q.selected_columns.keys())
    at = names.index("id")
    out: dict[str, dict[str, Any]] = {}
    ids = sorted(set(ids))
    step = ARRAY_CHUNK if db.is_postgres else CHUNK
    for i in range(0, len(ids), step):
        for row in session.execute(q, {"ids": ids[i:i + step]}).all():  # (fetchall: 10% less)
            out[row[at]] = dict(zip(names, row, strict=True))
    return out


@functools.cache
def _rows_query(table: str, columns: tuple[str, ...] | None, lock: bool, postgres: bool
                ) -> Select:
    """_load_rows' statement, built once (a delta's push built it anew, a tenth of its
    lookup), the ids in the bound parameter :ids."""
    t = SYNCED_MODELS[table].__table__
    wanted = [t.c[name] for name in columns] if columns else [t]
    q = select(*wanted).where(_among_ids(t.c.id, postgres)).order_by(t.c.id)
    if lock:
        # FOR NO KEY UPDATE (ids never change): the foreign-key checks of another push's
        # inserts (FOR KEY SHARE on the parent row) do not wait for it. That push writes
        # under the rev lock, which this transaction may be queued for: with FOR UPDATE
        # the two would deadlock until PostgreSQL's deadlock_timeout.
        q = q.with_for_update(key_share=True)
    return q


def _among_ids(column, postgres: bool):
    """`column IN :ids`; on PostgreSQL as one array parameter (a 500-item IN list costs
    more to render, parse and plan than the lookup itself)."""
    if postgres:
        return column == any_(bindparam("ids", type_=ARRAY(String)))
    return column.in_(bindparam("ids", expanding=True))


@functools.cache
def _processed_query(postgres: bool) -> Select:
    """The stored results of the change ids in :ids (a careful attempt's), built once."""
    pc = ProcessedChange
    return select(pc.change_id, pc.node_id, pc.result).where(
        _among_ids(pc.change_id, postgres))


def _push_once(session: Session, db: Database, principal: Principal, changes: list[Change],
               hooks: Hooks, *, careful: bool, isolate: bool, pull_ask: PullAsk | None = None,
               leftovers: list | None = None
               ) -> tuple[list[dict[str, Any]], list[JsonText], bytes | None]:
    """One attempt. Not `careful` (a first attempt): presumes what holds for a desk's push
    and lets the database catch the exceptions, which fail the attempt: a change id is new
    (the insert into processed_changes refuses one seen before) and so is a created row
    (the insert refuses an existing id). A first push of 200,000 creates spent a tenth of
    its time looking both up, finding nothing.

    `pull_ask`, when the attempt took revs and the page is small (IN_PUSH_PAGE_REVS): the
    page, read last in this transaction (None otherwise). Under the rev lock every version
    below the revs taken is committed and none above them can be (revs are taken under that
    lock): the statements see what a snapshot taken right after the commit would, without
    a transaction of their own."""
    node = principal.meta_node
    outcomes: list[_Outcome | None] = [None] * len(changes)
    if db.is_postgres and len(changes) > FEW_IDS:
        # The lookups below (`id = ANY(up to 1,000 ids)`) are index probes. Costed without
        # statistics (a table a first push is filling, before any ANALYZE) PostgreSQL chose
        # to scan the whole table for each: 16 ms a lookup at 100,000 rows, 3 ms probed.
        session.execute(_NO_SEQSCAN)

    # At most once: change ids seen before get their stored result.
    stored: dict[str, Any] = {}  # change id: (change_id, node_id, result)
    step = ARRAY_CHUNK if db.is_postgres else CHUNK
    if careful:
        wanted = sorted({c.change_id for c in changes if "\x00" not in c.change_id})
        for i in range(0, len(wanted), step):
            for pc in session.execute(_processed_query(db.is_postgres),
                                      {"ids": wanted[i:i + step]}):
                stored[pc.change_id] = pc

    # The rows the batch touches (locked on PostgreSQL) and the rows it refers to.
    touched: dict[str, set[str]] = defaultdict(set)
    by_table: dict[str, set[str]] = defaultdict(set)  # those to load
    named: dict[str, set[str]] = defaultdict(set)  # the columns the table's changes name
    refs: dict[str, set[str]] = defaultdict(set)
    for c in changes:
        if c.table in TABLES and _valid_id(c.row_id):
            touched[c.table].add(c.row_id)
            # (a create's fields too: a row loaded for an edit may be created in the batch)
            named[c.table].update(c.fields)
            if careful or not _presumed_new(c):
                by_table[c.table].add(c.row_id)
            for col, target in REFERENCES_OF[c.table]:
                value = c.fields.get(col)
                if isinstance(value, str) and _valid_id(value):
                    refs[target].add(value)
    # Only the columns _apply reads: a row's other values are neither compared nor written
    # (a 100-edit push loaded 40 columns a row, and turning them into Python values was a
    # quarter of its time).
    existing = {t: _load_rows(session, db, t, ids, lock=True, columns=tuple(sorted(
        _ALWAYS_LOADED | (named[t] & COLUMNS[t].keys())))) for t, ids in by_table.items()}
    referenced = {t: _load_rows(session, db, t, ids - touched.get(t, set()), lock=False,
                                columns=("id", "branch_id"))  # what _apply checks
                  for t, ids in refs.items()}
    # Rows presumed new, so not loaded: a reference to one the batch does not create after
    # all (its change rejected) is looked up by a careful attempt.
    unsure = {t: ids - by_table.get(t, set()) for t, ids in touched.items()}

    now = utcnow()
    ctx = _Context(principal, existing, referenced, unsure, now)
    entries = ctx.entries
    slots = _Slots()
    first_of: dict[str, int] = {}
    for i, change in enumerate(changes):
        if "\x00" in change.change_id or not change.change_id.isprintable():
            outcomes[i] = _Outcome(_result(change, "rejected", reason=reasons.CHANGE_ID_INVALID),
                                   store=False)
            continue
        if change.change_id in first_of:  # the same change twice in one batch
            outcomes[i] = outcomes[first_of[change.change_id]]
            continue
        first_of[change.change_id] = i
        pc = stored.get(change.change_id)
        if pc is not None:
            if pc.node_id == node:
                outcomes[i] = _Outcome(dict(pc.result), store=False)
            else:
                outcomes[i] = _Outcome(_result(
                    change, "rejected", reason=reasons.CHANGE_ID_USED),
                    store=False)
            continue
        key = (change.table, change.row_id)
        entry = entries.get(key)
        snap = entry.snapshot() if entry is not None else None
        try:
            outcome, entry = _apply(change, ctx)
            if isolate and entry is not None and entry.dirty:
                with session.begin_nested():
                    _write_entries(session, [entry], slots)
        except Rejected as exc:
            if change.row_id in unsure.get(change.table, ()):
                # Decided as a new row: if it is not one, the careful attempt decides it
                # against the row HQ has (a partial change may merge, another reason).
                raise _Redo from None
            outcome = _Outcome(_result(change, "rejected", reason=str(exc)))
        except (IntegrityError, DataError) as exc:
            if entry is not None:
                if snap is None:
                    entries.pop(key, None)
                else:
                    entry.restore(snap)
            outcome = _Outcome(_result(change, "rejected", reason=_db_reason(exc)))
        outcomes[i] = outcome

    dirty = [e for e in entries.values() if e.dirty]
    for e in dirty:
        slots.assign(e)

    final: list[dict[str, Any]] = []
    texts: list[JsonText] = []  # each result's JSON (the answer is built from them)
    processed, conflict_rows, move_rows = [], [], []

    def settle() -> None:
        """Each change's result with its rev, as JSON, and the rows that keep them (the
        revs are known: run while PostgreSQL writes the batch's rows, see insert_rows)."""
        text_of: dict[int, JsonText] = {}  # an outcome's (a change twice in a batch: once)
        for change, outcome in zip(changes, outcomes, strict=True):
            assert outcome is not None
            result = outcome.result
            text = text_of.get(id(outcome))
            if text is None:
                if outcome.entry is not None:
                    result["rev"] = outcome.entry.rev if outcome.entry.rev is not None \
                        else outcome.entry.row["rev"]
                for conflict in outcome.conflicts:
                    conflict_rows.append({**conflict, "rev": result["rev"], "node_id": node,
                                          "at": now})
                text = text_of[id(outcome)] = _result_text(result)
                if outcome.store:
                    processed.append((change.change_id, node, text, now))
            final.append(result)
            texts.append(text)
        for e in dirty:
            if e.move_from is not None and e.move_from != e.row["branch_id"]:
                move_rows.append({"rev": e.rev, "table_name": e.table, "row_id": e.row["id"],
                                  "from_branch_id": e.move_from,
                                  "to_branch_id": e.row["branch_id"]})

    if hooks.before_rev_lock:
        hooks.before_rev_lock(session)
    # Phase 2: revs, in one ordered block, as late as possible.
    top = None  # the greatest rev there is, once this attempt holds the rev lock
    if dirty:
        # A slot whose row was rolled back (isolated mode) leaves an unused rev: harmless.
        first = allocate_revs(session, db, slots.taken)
        if hooks.after_rev_lock:
            hooks.after_rev_lock(session)
        for e in dirty:
            e.rev = first + e.slot
            e.row["rev"] = e.rev
        top = max(e.rev for e in dirty)  # (not first + taken - 1: see the unused rev above)
        if isolate:  # written change by change above, with placeholders
            _stamp_revs(session, {e.table for e in dirty}, slots, first)
            settle()
        else:  # written once, with their revs (a stamp UPDATE rewrote every row again)
            try:  # no savepoint: a failure rolls the whole transaction back
                _write_entries(session, dirty, slots, final=True, meanwhile=settle)
            except (IntegrityError, DataError):
                raise _Redo from None  # the rollback frees the rev lock
    else:
        settle()
    insert_rows(session, ProcessedChange.__table__, processed, names=_PROCESSED_COLUMNS,
                driver_ready=True)
    if conflict_rows:
        session.execute(Conflict.__table__.insert(), conflict_rows)
    if move_rows:
        session.execute(Move.__table__.insert(), move_rows)
    page = None
    if pull_ask is not None and top is not None and top - pull_ask.after <= IN_PUSH_PAGE_REVS:
        page = _pull_page(session, db, principal, pull_ask.after, pull_ask.limit, None,
                          pull_ask.digest_after, top=top,
                          tops=_top_revs(session, range_plans=db.is_postgres))
    if leftovers is not None:  # (the rows as loaded and as written, each change's outcome)
        leftovers += (existing, referenced, entries, outcomes, processed)
    return final, texts, page


_PROCESSED_COLUMNS = ("change_id", "node_id", "result", "at")  # (a processed row's tuple)


def _result(change: Change, status: str, rev: int | None = None, reason: str | None = None,
            conflicts: list | None = None) -> dict[str, Any]:
    return {"change_id": change.change_id, "status": status, "rev": rev, "reason": reason,
            "conflicts": conflicts or []}


_QUOTE = json.encoder.encode_basestring  # a JSON string, in C
_SIMPLE = ("change_id", "status", "rev", "reason", "conflicts")


def _result_text(result: dict[str, Any]) -> JsonText:
    """A result as processed_changes keeps it: the usual one (no reason, no conflicts)
    written here, in a third of the encoder's time, a result for each change of a push."""
    if result["reason"] is None and not result["conflicts"] and tuple(result) == _SIMPLE:
        rev = result["rev"]
        return JsonText(f'{{"change_id":{_QUOTE(result["change_id"])},'
                        f'"status":{_QUOTE(result["status"])},'
                        f'"rev":{"null" if rev is None else int(rev)},'
                        f'"reason":null,"conflicts":[]}}')
    return JsonText(json_text(result))


@functools.cache
def _created_meta(node: str) -> JsonText:
    """The field_meta of a row a push creates (and does not change again), as text."""
    return JsonText(json_text({CREATED: [PENDING, node]}))


def _db_reason(exc: Exception) -> str:
    if isinstance(exc, IntegrityError):
        return reasons.VALUE_TAKEN
    return reasons.VALUE_DOES_NOT_FIT


def _apply(change: Change, ctx: _Context) -> tuple[_Outcome, Entry | None]:
    """Decide one change against the row as this transaction sees it."""
    if not ctx.can_write:
        raise Rejected(reasons.READ_ONLY_TOKEN)
    spec = TABLES.get(change.table)
    if spec is None:
        raise Rejected(reasons.UNKNOWN_TABLE.format(table=change.table[:64]))
    table = spec.name
    branch = ctx.branch
    if branch is not None and spec.scope != "branch":
        raise Rejected(reasons.REFERENCE_TABLE.format(table=table))
    row_id = change.row_id
    if not _valid_id(row_id):
        raise Rejected(reasons.ROW_ID_INVALID)
    key = (table, row_id)
    entries = ctx.entries
    entry: Entry | None = entries.get(key)
    if entry is None:
        stored = ctx.existing.get(table, {}).get(row_id)
        if stored is not None:
            # Column values are immutable; field_meta is rebuilt (so a shallow copy will do:
            # a deepcopy of every loaded row was 40% of a 100-change push).
            row = dict(stored)
            row["field_meta"] = {name: [row["rev"] if rev == PENDING else rev, *rest]
                                 for name, (rev, *rest) in (row.get("field_meta") or {}).items()}
            entry = Entry(table, row, is_new=False, old_branch_id=row["branch_id"])
    current = entry.row if entry is not None else None

    # The fields, as column values.
    if change.op == "delete":
        if current is None:
            raise Rejected(reasons.NO_ROW_TO_DELETE)
        raw = {"deleted": True}
        if "updated_at" in change.fields:
            raw["updated_at"] = change.fields["updated_at"]
        checked = False
    else:
        raw = change.fields
        checked = change.__class__ is CheckedChange
    if raw.get("id", row_id) != row_id:
        raise Rejected(reasons.ID_DIFFERS)
    values = field_values(table, raw, checked)

    # Scope: a branch writes only its own rows, keeps them in its branch, no HQ-only values.
    if branch is not None:
        if current is not None and current["branch_id"] != branch:
            if current["branch_id"] is None:
                raise Rejected(reasons.REFERENCE_ROW.format(table=table))
            raise Rejected(reasons.NOT_YOUR_BRANCH.format(table=table))
        new_branch = values.get("branch_id", current["branch_id"] if current else branch)
        if new_branch != branch:
            raise Rejected(reasons.NO_MOVE)
        values["branch_id"] = branch if current is None else values.get("branch_id", branch)
        for name, forbidden in spec.hq_values.items():
            if name in values and values[name] in forbidden and (
                    current is None or current[name] != values[name]):
                raise Rejected(reasons.HQ_ONLY_VALUE.format(field=name, value=values[name]))
    for col, target in REFERENCES_OF[table]:
        ref_id = values.get(col)
        if ref_id is not None:
            ref = _lookup(target, ref_id, ctx)
            if ref is None:
                if ref_id in ctx.unsure.get(target, ()):
                    raise _Redo
                raise Rejected(reasons.MISSING_REFERENCE.format(column=col, target=target))
            if branch is not None and ref["branch_id"] not in (branch, None):
                raise Rejected(reasons.FOREIGN_REFERENCE.format(column=col, target=target))
    if spec.append_only and current is not None:
        raise Rejected(reasons.APPEND_ONLY.format(table=table))

    node = ctx.node
    if current is None:  # a new row
        if not values.keys() >= REQUIRED_SETS[table]:  # (a required value is never None)
            missing = [c for c in REQUIRED[table] if c not in values]
            raise Rejected(reasons.NEW_ROW_NEEDS.format(columns=", ".join(missing)))
        row = {**NEW_ROWS[table], "id": row_id, "updated_at": ctx.now, **values,
               "field_meta": {CREATED: [PENDING, node]}, "origin_node": ctx.origin}
        entry = Entry(table, row, is_new=True, old_branch_id=None, dirty=True)
        entries[key] = entry
        return _Outcome(_result(change, "applied"), entry=entry), entry

    assert entry is not None
    entries[key] = entry
    stale = change.base_rev < (entry.row["rev"] or 0) if not entry.is_new else False
    meta = entry.row["field_meta"]
    conflicts: list[dict[str, Any]] = []
    wire_conflicts: list[dict[str, Any]] = []
    changed = False
    for name, value in values.items():
        if name == "updated_at":
            continue
        old = current[name]
        if old == value:
            continue
        if stale:
            frev, fnode = (meta.get(name) or meta.get(CREATED) or [0, None])[:2]
            if fnode is not None and fnode != node and (frev == PENDING or frev > change.base_rev):
                owner = "hq" if name in spec.hq_fields else "branch"
                pushed_wins = owner == ctx.side
                hq_value, branch_value = (value, old) if ctx.side == "hq" else (old, value)
                conflict = {"field": name, "hq_value": to_wire(hq_value),
                            "branch_value": to_wire(branch_value), "winner": owner}
                wire_conflicts.append(conflict)
                conflicts.append({**conflict, "table_name": table, "row_id": row_id,
                                  "branch_id": current["branch_id"],
                                  "base_rev": change.base_rev})
                if not pushed_wins:
                    continue
        if name == "branch_id" and entry.move_from is None and entry.old_branch_id is not None:
            entry.move_from = entry.old_branch_id
        current[name] = value
        meta[name] = [PENDING, node]
        entry.changed.add(name)
        changed = True
    status = "conflict" if conflicts else ("merged" if stale else "applied")
    if changed:
        if "updated_at" in values:
            current["updated_at"] = values["updated_at"]
        if status != "applied" or ctx.origin is None:
            current["origin_node"] = None  # the pusher has not seen this version whole
        elif not entry.dirty:  # the transaction's first change to the row
            current["origin_node"] = ctx.origin
        entry.dirty = True
    outcome = _Outcome(_result(change, status, conflicts=wire_conflicts), entry=entry,
                       conflicts=conflicts)
    return outcome, entry


def _lookup(table: str, row_id: str, ctx: _Context) -> dict[str, Any] | None:
    entry = ctx.entries.get((table, row_id))
    if entry is not None:
        return entry.row
    return ctx.existing.get(table, {}).get(row_id) or ctx.referenced.get(table, {}).get(row_id)


class _Slots:
    """Hands out each written row's place in the transaction's block of revs, and its
    placeholder rev: a negative number in a range of this transaction's own. A fixed range
    (-1, -2, ...) would be reused by every push, and the rev index would pile up the dead
    entries the stamp UPDATE leaves there until VACUUM, each push scanning them all."""

    SPAN = 1 << 20  # slots a transaction may take (a push has at most MAX_PUSH_CHANGES)

    def __init__(self):
        self.taken = 0
        self.base = -(secrets.randbits(40) + 1) * self.SPAN  # placeholders: base - slot - 1

    def assign(self, entry: Entry) -> None:
        if entry.slot is None:
            entry.slot = self.taken
            self.taken += 1

    def placeholder(self, entry: Entry) -> int:
        return self.base - entry.slot - 1


def _write_entries(session: Session, entries: list[Entry], slots: _Slots, *,
                   final: bool = False, meanwhile: Callable[[], object] | None = None) -> None:
    """Write rows in parent-before-child order: with placeholder revs (isolated mode,
    before the revs are taken), or `final`ly with their revs. `meanwhile`: called once,
    while PostgreSQL writes the last new rows when they are the last write (see
    insert_rows), else at the end."""
    for e in entries:
        slots.assign(e)
    rev_of = (lambda e: e.rev) if final else slots.placeholder
    by_table: dict[str, list[Entry]] = {}
    for e in entries:
        by_table.setdefault(e.table, []).append(e)
    last = max((TABLE_ORDER.index(table) for table in by_table), default=None)
    for table in TABLE_ORDER:
        t = SYNCED_MODELS[table].__table__
        mine = by_table.get(table, [])
        new = [e for e in mine if e.is_new and not e.written]
        old = [e for e in mine if not e.is_new or e.written]
        if new and not old and TABLE_ORDER.index(table) == last:
            records, names = _new_records(new, rev_of)
            insert_rows(session, t, records, names=names, driver_ready=True,
                        meanwhile=meanwhile)
            meanwhile = None
        elif new:
            records, names = _new_records(new, rev_of)
            insert_rows(session, t, records, names=names, driver_ready=True)
        for e in new:
            e.written = True
        if old:
            # Only the columns a change set (a 100-edit push writes 5 columns, not 40: the
            # bound arrays of the others cost more than the UPDATE itself).
            names = sorted(_ALWAYS_UPDATED.union(*(e.changed for e in old)))
            update_rows(session, t, [{**{n: e.row[n] for n in names}, "rev": rev_of(e)}
                                     for e in old])
    if meanwhile is not None:
        meanwhile()


def _new_records(new: list[Entry], rev_of: Callable[[Entry], int]
                 ) -> tuple[list[tuple], list[str]]:
    """New rows as insert_rows takes them: tuples of driver-ready values (_apply's checks),
    and their columns' names."""
    # (every new row has NEW_ROWS' columns and _apply's, as the first one has)
    names = [name for name in new[0].row if name not in ("rev", "field_meta")]
    values = itemgetter(*names)
    return ([(*values(e.row), rev_of(e), _meta_of(e.row)) for e in new],
            [*names, "rev", "field_meta"])


def _meta_of(row: dict[str, Any]) -> JsonText:
    meta = row["field_meta"]
    if len(meta) == 1 and CREATED in meta:  # created by this push, as it was sent
        return _created_meta(meta[CREATED][1])
    return JsonText(json_text(meta))


# Set on every change of a row (besides the columns the change names).
_ALWAYS_UPDATED = frozenset({"id", "rev", "field_meta", "updated_at", "origin_node"})
# Read for every change of a row (besides the columns the change names).
_ALWAYS_LOADED = _ALWAYS_UPDATED | {"branch_id", "deleted"}


def allocate_revs(session: Session, db: Database, n: int) -> int:
    """Take `n` consecutive revs; returns the first. On PostgreSQL under the advisory lock
    held until commit, so revs commit in order."""
    if db.is_postgres:
        # One round trip: the sequence is read for the lock's row, so after the lock.
        last = session.execute(
            text("WITH locked AS MATERIALIZED (SELECT pg_advisory_xact_lock(:k)) "
                 "SELECT setval('hq_rev_seq', nextval('hq_rev_seq') + :n - 1) FROM locked"),
            {"k": REV_LOCK_KEY, "n": n}).scalar_one()
    else:
        session.execute(update(RevCounter).where(RevCounter.id == 1)
                        .values(value=RevCounter.value + n))
        last = session.scalar(select(RevCounter.value).where(RevCounter.id == 1))
    return int(last) - n + 1


def _stamp_revs(session: Session, tables: set[str], slots: _Slots, first: int) -> None:
    """Each placeholder (base - slot - 1) becomes first + slot: one statement a table,
    through the rev index, over this transaction's placeholder range only."""
    for table in TABLE_ORDER:
        if table in tables:
            t = SYNCED_MODELS[table].__table__
            session.execute(
                t.update().where(t.c.rev.between(slots.base - slots.SPAN, slots.base - 1))
                .values(rev=bindparam("b_shift") - t.c.rev),
                {"b_shift": first + slots.base - 1})


# ---- pull ---------------------------------------------------------------------------------

def pull(db: Database, principal: Principal, after: int, limit: int,
         only_table: str | None = None, digest_after: int | None = None, *,
         in_sql: bool | None = None) -> bytes:
    """The page as JSON, in PullResponse's shape: the latest version of every in-scope row
    with rev > after, in rev order, plus move_out entries for rows that left the branch; at
    most `limit` (capped). `only_table`: that table's rows alone, the caller's own versions
    included (a desk re-downloading a table whose digest differs). `digest_after`: the last
    page (`more` false) carries every table's digest over the rows above that mark, taken
    in the page's own snapshot, so a desk that applied every page must match it exactly.
    `in_sql` (the default on PostgreSQL): the database writes the items' JSON (_json_page)
    and the page joins those texts; else the rows are turned into wire values here
    (_pulled). Both pages parse to the same thing."""
    with db.read() as session:
        tops = _top_revs(session, range_plans=db.is_postgres)
        return _pull_page(session, db, principal, after, limit, only_table, digest_after,
                          top=max(tops.values()), tops=tops, in_sql=in_sql)


def _pull_page(session: Session, db: Database, principal: Principal, after: int, limit: int,
               only_table: str | None, digest_after: int | None, *, top: int,
               tops: dict[str | None, int], in_sql: bool | None = None) -> bytes:
    """pull's page in `session`, whose statements see every version up to rev `top` and
    none above it, and `tops` (_top_revs) as they are. On PostgreSQL the caller has set
    RANGE_PLANS in `session` (with the tops: _top_revs(range_plans=True))."""
    limit = max(1, min(limit, MAX_PULL_LIMIT))
    branch = None if principal.is_hq else principal.branch_id
    in_sql = db.is_postgres if in_sql is None else in_sql
    # A node's own versions, as it pushed them, are left out: it has them.
    skip_own = principal.kind == "node" and only_table is None
    params = {"after": after, "branch": branch, "node": principal.id, "limit": limit + 1}
    if after >= top:  # nothing committed since: one cheap query (an idle desk's pull;
        # a desk checks nothing after a cycle that moved nothing: no digest either)
        return _page("[]", after, False)
    # The page reads only the tables (and the moves: None) with versions above the cursor:
    # the others have nothing to give, and planning their sources was most of a delta's
    # page (1.0 ms of planning against 0.3 ms for the employees' alone).
    if only_table is not None:
        tables: tuple[str | None, ...] = (only_table,)
    else:  # (the moves are read for a branch's caller only)
        tables = tuple(t for t in (*TABLE_ORDER, None)
                       if tops[t] > after and (t is not None or branch is not None))
    # items: (rev, merge order, the item as JSON text | what _pulled takes)
    if not tables:  # nothing the caller reads is above the cursor
        items = []
    elif in_sql:
        items = session.execute(_json_page(tables, branch is not None, skip_own),
                                params).all()
    else:
        items = []
        for order, table, rows in _sources(tables, branch is not None, skip_own):
            spec = TABLES[table] if table is not None else None
            for row in session.execute(rows, params).mappings():
                items.append((row["rev"], order, (table or row["table_name"], spec, row)))
    items.sort(key=itemgetter(0, 1))
    more = len(items) > limit
    page = items[:limit]  # each source gave up to `limit + 1` rows: those that make
    # the page are turned into wire values (in_sql: the database wrote no others but ties)
    changes = "[" + ",".join([item[2] for item in page]) + "]" if in_sql else \
        json.dumps([_pulled(*item[2]) for item in page], ensure_ascii=False,
                   separators=(",", ":"))
    # A whole answer moves the cursor to the top of the snapshot, past the rows the
    # caller may not or need not see (other branches', its own pushes): revs become
    # visible in order (see above), so nothing can later appear below `top`.
    digest = None if more or only_table is not None or digest_after is None else \
        _digests(session, principal, TABLE_ORDER, digest_after, tops)
    return _page(changes, page[-1][0] if more else top, more, digest)


def _page(changes: str, next_after: int, more: bool, digest: dict | None = None) -> bytes:
    """PullResponse as JSON around `changes`, a JSON array already."""
    tail = "" if digest is None else ',"digest":' + json.dumps(digest, separators=(",", ":"))
    return (f'{{"changes":{changes},"next_after":{int(next_after)},'
            f'"more":{"true" if more else "false"}{tail}}}').encode()


@functools.cache
def _sources(tables: tuple[str | None, ...], scoped: bool,
             skip_own: bool) -> tuple[tuple[int, str | None, Select], ...]:
    """What a pull reads from `tables` (None: the moves, read in a scope only): (merge
    order, table (None: the moves), its rows that may make the page), in bound parameters
    :after, :branch, :node, :limit. Each source: rev above :after, in :branch's scope
    (`scoped`), not the versions :node pushed itself as they are (`skip_own`); its first
    :limit rows in rev order. The wire's columns only: HQ's field_meta is JSON to decode on
    every row. Moves: those out of :branch (move_out)."""
    sources: list[tuple[int, str | None, Select]] = []
    for order, table in enumerate(TABLE_ORDER):
        if table not in tables:
            continue
        t = SYNCED_MODELS[table].__table__
        wire = {"rev", *TABLES[table].all_columns}
        # A scope is two sources, the branch's rows and the group's: each an ordered range
        # of the (branch_id, rev) index that stops after :limit rows. As one query with an
        # OR, PostgreSQL read every row of the branch above the cursor and sorted them, on
        # every page of a first pull.
        for scope, order_by in _scope_ranges(t, scoped):
            q = select(*[c for c in t.c if c.key in wire]).where(t.c.rev > bindparam("after"))
            if scope is not None:
                q = q.where(scope)
            if skip_own:
                q = q.where(or_(t.c.origin_node.is_(None),
                                t.c.origin_node != bindparam("node")))
            sources.append((order, table, q.order_by(*order_by).limit(bindparam("limit"))))
    if scoped and None in tables:
        m = Move.__table__
        sources.append((-1, None, select(m).where(m.c.rev > bindparam("after"),
                                                  m.c.from_branch_id == bindparam("branch"))
                        .order_by(m.c.rev).limit(bindparam("limit"))))
    return tuple(sources)


def _scope_ranges(t, scoped: bool) -> list[tuple[Any, tuple]]:
    """What a page and a digest read of `t`: (condition, order) a range. Scoped (a
    branch's caller): the branch's rows (_branch_range) and the group's (branch_id NULL),
    each in the (branch_id, rev) index's order; else every row (None), in rev order.
    Ordered as the scope index is: `branch_id IS NULL` makes no equality of which the
    planner could tell that rev alone orders that range, so with sorts off it walked the
    rev index through every branch's rows above the cursor, finding the group's few (three
    quarters of a first pull's page in the database)."""
    if not scoped:
        return [(None, (t.c.rev,))]
    return [(_branch_range(t), (t.c.branch_id, t.c.rev)),
            (t.c.branch_id.is_(None), (t.c.branch_id, t.c.rev))]


# The greatest rev there can be (BIGINT): the end of a branch's range of the scope index.
_REV_MAX = (1 << 63) - 1


def _branch_range(t):
    """`t`'s rows of :branch above :after, as a range of the (branch_id, rev) index: row
    values, not `branch_id = :branch`. From that equality the planner knows that the rev
    index too reads the branch's rows in rev order, and it chose it when other branches'
    rows lay above the cursor, walking through them: 100,000 of them for a delta's page
    (26 ms against 0.1 ms), and on the first page of a branch whose rows all came after
    another's (46 ms against 3 ms)."""
    key = tuple_(t.c.branch_id, t.c.rev)
    branch = bindparam("branch", type_=t.c.branch_id.type)
    return and_(key > tuple_(branch, bindparam("after", type_=BigInteger)),
                key <= tuple_(branch, literal(_REV_MAX, BigInteger)))


@functools.cache
def _json_page(tables: tuple[str | None, ...], scoped: bool, skip_own: bool) -> CompoundSelect:
    """PostgreSQL: the _sources as (rev, merge order, the item _pulled gives, as JSON text),
    in one statement. JSON is written for the rows up to `cut` only: the :limit-th smallest
    rev of all the sources' rows (or their greatest). The first :limit items of the merge
    (what makes the page, and the one that tells `more`) are all at or below it, and past
    it come no rows but ties on it; each source's other rows would be work for nothing."""
    sources = [(order, table, rows.cte(f"s{i}"))
               for i, (order, table, rows) in enumerate(_sources(tables, scoped, skip_own))]
    merged = union_all(*[select(s.c.rev) for _order, _table, s in sources]).subquery("merged")
    first = (select(merged.c.rev).order_by(merged.c.rev).limit(bindparam("limit"))
             .subquery("first"))
    cut = select(func.max(first.c.rev).label("rev")).cte("cut")
    return union_all(*[_json_items(s, order, table)
                       .where(s.c.rev <= select(cut.c.rev).scalar_subquery())
                       for order, table, s in sources])


def _json_items(s, order: int, table: str | None) -> Select:
    """`s`'s rows (a source of `table`, or the moves: None) as (rev, order, JSON text):
    row_to_json of LATERAL subqueries, for the keys in _pulled's order (the row's in
    TableSpec.all_columns) with its values (wire_sql), without spaces."""
    if table is None:
        item = select(s.c.table_name.label("table"), s.c.row_id.label("row_id"),
                      s.c.rev.label("rev"), literal("move_out").label("op"),
                      func.json_build_object().label("row"))
    else:
        values = select(*[wire_sql(s.c[name]).label(name)
                          for name in TABLES[table].all_columns]).correlate(s).lateral("r")
        item = select(literal(table).label("table"), s.c.id.label("row_id"),
                      s.c.rev.label("rev"),
                      case((s.c.deleted, literal("delete")), else_=literal("upsert")).label("op"),
                      func.row_to_json(values.table_valued()).label("row")).select_from(values)
    item = item.correlate(s).lateral("i")
    return (select(s.c.rev, literal(order), cast(func.row_to_json(item.table_valued()), Text))
            .select_from(s.join(item, true())))


def _pulled(table: str, spec: TableSpec | None, row) -> dict[str, Any]:
    if spec is None:  # a move: the row left the caller's branch
        return {"table": table, "row_id": row["row_id"], "rev": row["rev"], "op": "move_out",
                "row": {}}
    return {"table": table, "row_id": row["id"], "rev": row["rev"],
            "op": "delete" if row["deleted"] else "upsert", "row": row_to_wire(spec, row)}


def _top_revs(session: Session, *, range_plans: bool = False) -> dict[str | None, int]:
    """The greatest rev each synced table has in this snapshot (the moves: None); 0 for an
    empty one. `range_plans` (PostgreSQL): RANGE_PLANS too, for the rest of the
    transaction, in the same round trip (a page reads these first, then plans its own)."""
    row = session.execute(_top_rev_query(range_plans)).one()
    tables = (*TABLE_ORDER, None)
    return {table: int(v or 0) for table, v in zip(tables, row[:len(tables)], strict=True)}


@functools.cache
def _top_rev_query(range_plans: bool = False) -> Select:
    tops = [select(func.max(SYNCED_MODELS[t].__table__.c.rev)).scalar_subquery()
            for t in TABLE_ORDER]
    tops.append(select(func.max(Move.__table__.c.rev)).scalar_subquery())
    return select(*tops, *(_SORTS_OFF if range_plans else ()))


# ---- digest -------------------------------------------------------------------------------

def digest(db: Database, principal: Principal, tables: list[str],
           after: int = 0) -> dict[str, Any]:
    """Per table: the count and rev sum of the rows in the caller's scope whose rev is above
    `after` (docs: TableDigest; a desk passes the mark of its last good check, so the rev
    index finds the few rows since). Employees marked transferred are left out on both
    sides: a desk keeps its copy of an employee HQ moved away."""
    with db.read() as session:
        if db.is_postgres:
            session.execute(RANGE_PLANS)  # as the page's (see _digest_query)
        return {"tables": _digests(session, principal, tables, after)}


def _digests(session: Session, principal: Principal, tables, after: int,
             tops: dict[str | None, int] | None = None) -> dict[str, Any]:
    """`tops` (_top_revs, in this snapshot): a table with no rev above `after` is counted
    without a query (none of its rows are)."""
    branch = None if principal.is_hq else principal.branch_id
    after = max(after, 0)
    wanted = tuple(table for table in TABLE_ORDER if table in tables)
    counted = tuple(table for table in wanted if tops is None or tops[table] > after)
    out = {table: {"count": 0, "rev_sum": 0} for table in wanted}
    if counted:
        row = session.execute(_digest_query(counted, branch is not None),
                              {"after": after, "branch": branch}).one()
        out.update({table: {"count": int(row[2 * i]), "rev_sum": int(row[2 * i + 1])}
                    for i, table in enumerate(counted)})
    return out


@functools.cache
def _digest_query(tables: tuple[str, ...], scoped: bool) -> Select:
    """Each table's (count, rev sum) of the rows above :after in :branch's scope (`scoped`),
    in one statement (a subquery a table: each took a round trip of its own), built once."""
    columns, counts = [], []
    for table in tables:
        t = SYNCED_MODELS[table].__table__
        # Scoped: the branch's range and the group's, each read as the page reads it (in
        # the scope index's order, sorts off: that index's range whatever the statistics
        # say). As one condition, `branch_id = :branch OR branch_id IS NULL`, PostgreSQL
        # read the whole table to count a branch's 100 rows since the mark when another
        # branch's 100,000 lay above it (54 ms).
        parts = []
        for i, (rows, order) in enumerate(_scope_ranges(t, scoped)):
            q = select(t.c.rev).where(t.c.rev > bindparam("after"))
            if rows is not None:
                q = q.where(rows)
            if "status" in t.c:
                q = q.where(t.c.status != "transferred")
            r = q.order_by(*order).subquery(f"r_{table}_{i}")
            parts.append(select(func.count().label("count"),
                                func.coalesce(func.sum(r.c.rev), 0).label("rev_sum"))
                         .subquery(f"d_{table}_{i}"))
        counts += parts
        columns += [functools.reduce(add, [p.c.count for p in parts]),
                    functools.reduce(add, [p.c.rev_sum for p in parts])]
    joined = functools.reduce(lambda left, right: left.join(right, true()), counts)
    return select(*columns).select_from(joined)
