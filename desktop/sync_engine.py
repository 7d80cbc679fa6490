"""The desk's sync with HQ (DESIGN section 3, docs/SYNC.md): enrollment, push then pull, and
the status the CLI and the GUI show. No Qt: the GUI runs `sync()` on a worker thread.

Crash safety comes from the shape of the transactions, not from luck:
- an outbox entry leaves the outbox in the SQLite transaction that records HQ's result for
  it; a crash before that re-pushes the same change id, and HQ returns the stored result;
- each pulled page, its rows and the cursor are one SQLite transaction; a crash re-asks for
  the same page after the saved cursor, and applying a row twice changes nothing.
"""

from __future__ import annotations

import functools
import gc
import json
import logging
import re
import socket
import sqlite3
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

from sqlalchemy import LargeBinary, Select, bindparam, cast, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, aliased

from desktop import token_store
from desktop.errors import BranchDeskError
from desktop.ids import uuid7
from desktop.services.branch import BRANCH_ID_KEY, HQ_URL_KEY, BranchInfo
from desktop.store import Store
from desktop.store.database import bound_values_limit, driver_rows
from desktop.store.models import (
    SYNCED_TABLES,
    Branch,
    Employee,
    EmployeeEvent,
    OutboxEntry,
    Setting,
    SyncConflict,
    SyncLog,
)
from desktop.store.serialize import canonical_json, row_fields, to_wire
from desktop.store.types import utcnow
from desktop.store.unit_of_work import UnitOfWork, python_values
from sync import reasons
from sync.client import HQClient, HQError, HQRejected
from sync.compression import gzip_bytes
from sync.protocol import (
    BRANCH_HEADER,
    DEFAULT_PULL_LIMIT,
    MAX_PUSH_CHANGES,
    TABLE_ORDER,
    TABLES,
    ChangeResult,
    FieldConflict,
    PulledChange,
    PullResponse,
    PushResponse,
    encode_push,
)

log = logging.getLogger(__name__)

CURSOR_KEY = "sync_cursor"
CHECKED_KEY = "sync_checked_to"  # the cursor at the last end-of-cycle check that agreed
LAST_SYNC_KEY = "last_sync_at"
CA_BUNDLE_KEY = "hq_ca_bundle"  # optional: a custom CA file for HQ's certificate
SYNC_ACTOR = "sync:hq"
ENROLL_ACTOR = "sync:enroll"
# A pull cycle stops after this many pages even if HQ keeps saying `more` (a misbehaving
# server must not keep a desk busy forever); the next cycle resumes from the cursor.
MAX_PULL_PAGES = 10_000
# Pages fetched ahead of the one being written (each up to a few MB once parsed).
PULL_AHEAD = 2
# New objects between young garbage collections while a sync's batches run (Python's: 700;
# see _full_collections_deferred).
BATCH_YOUNG_OBJECTS = 50_000

Progress = Callable[[int, int], None]


class SyncError(BranchDeskError):
    """Sync cannot start (not enrolled, no token) or enrollment does not fit this desk."""


class NotEnrolled(SyncError):
    pass


class EnrollmentMismatch(SyncError):
    def __init__(self, local_code: str, hq_code: str):
        self.local_code = local_code
        self.hq_code = hq_code
        super().__init__(
            f"branch_code: this desk is branch {local_code}, but the enrollment code is for "
            f"HQ branch {hq_code}; nothing was changed (ask HQ for a code for {local_code})")


@dataclass
class SyncReport:
    pushed: int = 0  # outbox entries HQ answered
    applied: int = 0
    merged: int = 0
    conflicts: int = 0
    rejected: int = 0
    pulled: int = 0  # pulled changes that changed a local row
    received: int = 0  # pulled changes, whether they changed anything or not
    cursor: int = 0
    errors: list[str] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)  # tables pushed or pulled this cycle
    hq_digest: dict | None = None  # from the cycle's last pull page: {table: TableDigest}
    redownloaded: list[str] = field(default_factory=list)  # tables whose digest differed
    differing: list[str] = field(default_factory=list)  # ... and still did after that
    # A last page without changes: (the cursor it was asked from, its next_after), saved
    # by the cycle's closing transaction if the cursor is still where the page started.
    unsaved_cursor: tuple[int, int] | None = None

    def as_dict(self) -> dict:
        return {"pushed": self.pushed, "applied": self.applied, "merged": self.merged,
                "conflicts": self.conflicts, "rejected": self.rejected, "pulled": self.pulled,
                "received": self.received, "cursor": self.cursor, "errors": list(self.errors),
                "redownloaded": list(self.redownloaded), "differing": list(self.differing)}


# ---- enrollment --------------------------------------------------------------------------

def enroll(store: Store, hq_url: str, code: str, device_name: str | None = None, *,
           client_factory: Callable[..., HQClient] = HQClient,
           ca_bundle: str | None = None) -> BranchInfo:
    """Exchange a one-time enrollment code for this desk's node token and its branch.

    A desk set up standalone must be the same branch (same code) as HQ's: its local branch id
    is re-keyed to HQ's in one transaction (the branch row, every row it owns, the pending
    outbox entries, the setting); a fresh store adopts HQ's branch. The token goes to the OS
    keyring or a private file (token_store), never into the store."""
    device_name = (device_name or socket.gethostname() or "desk").strip()[:100] or "desk"
    hq_url = (hq_url or "").strip().rstrip("/")
    with store.read() as s:
        local = _local_branch(s)
    client = client_factory(hq_url, None, ca_bundle=ca_bundle) if ca_bundle else \
        client_factory(hq_url, None)
    try:
        answer = client.enroll(code.strip(), device_name,
                               branch_code=local.code if local is not None else None)
    except HQRejected as e:
        if e.status == 409 and local is not None:  # HQ kept the code for its own branch
            raise EnrollmentMismatch(local.code, e.headers.get(BRANCH_HEADER, "?")) from None
        raise
    finally:
        _close(client)
    hq = answer.branch
    if local is not None and local.code != hq.code:
        raise EnrollmentMismatch(local.code, hq.code)

    with store.session_for_write() as session:
        uow = UnitOfWork(session, ENROLL_ACTOR)
        local = _local_branch(session)
        if local is not None and local.code != hq.code:  # changed under us
            raise EnrollmentMismatch(local.code, hq.code)
        previous_url = _get(session, HQ_URL_KEY)
        if local is None:
            _adopt_branch(uow, hq.id, hq.code, hq.name)
            _reset_cursor(session)
        elif local.id != hq.id:
            _rekey(uow, local, hq.id, hq.code, hq.name)
            _reset_cursor(session)
        elif previous_url != hq_url:
            _reset_cursor(session)
        _set(session, BRANCH_ID_KEY, hq.id)
        _set(session, HQ_URL_KEY, hq_url)
        if ca_bundle:
            _set(session, CA_BUNDLE_KEY, ca_bundle)
    token_store.save(_data_dir(store), answer.token)
    log.info("enrolled with %s as branch %s (%s)", hq_url, hq.code, hq.id)
    return BranchInfo(hq.id, hq.code, hq.name, enrolled=True)


def _local_branch(session: Session) -> Branch | None:
    branch_id = _get(session, BRANCH_ID_KEY)
    return session.get(Branch, branch_id) if branch_id else None


def _adopt_branch(uow: UnitOfWork, branch_id: str, code: str, name: str) -> None:
    existing = uow.session.get(Branch, branch_id)
    if existing is None:
        uow.create(Branch(id=branch_id, branch_id=None, code=code, name=name))
    else:
        uow.update(existing, {"code": code, "name": name, "deleted": False})


def _rekey(uow: UnitOfWork, local: Branch, new_id: str, code: str, name: str) -> None:
    """Move everything the standalone branch owned to HQ's branch id.

    The audit log is append-only and keyed by row id, so the old branch row cannot vanish
    from under its own history: it stays as a tombstone (its code freed for HQ's row), and
    HQ's id gets a branch row of its own. Every owned row gets an audited branch_id change."""
    old_id = local.id
    session = uow.session
    freed = f"{local.code[:23]}~{old_id[-8:]}"
    uow.update(local, {"code": freed, "deleted": True}, action="rekey")
    session.flush()
    _adopt_branch(uow, new_id, code, name)
    session.flush()
    for table in TABLE_ORDER:
        model = SYNCED_TABLES.get(table)
        if model is not None and table != "branch":
            uow.rekey_branch(model, old_id, new_id)
    for model_name, model in SYNCED_TABLES.items():  # tables the protocol does not list yet
        if model_name not in TABLE_ORDER and model_name != "branch":
            uow.rekey_branch(model, old_id, new_id)
    for entry in session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)):
        fields = json.loads(entry.fields)
        if fields.get("branch_id") == old_id:
            fields["branch_id"] = new_id
            entry.fields = canonical_json(fields)


def _reset_cursor(session: Session) -> None:
    _set(session, CURSOR_KEY, "0")
    _set(session, CHECKED_KEY, "0")


# ---- sync ---------------------------------------------------------------------------------

def make_client(store: Store, settings: dict[str, str] | None = None) -> HQClient:
    """The client for the HQ this desk is enrolled with. `settings`: the store's settings
    read already (Store.settings), HQ_URL_KEY and CA_BUNDLE_KEY among them."""
    if settings is None:
        settings = store.settings(HQ_URL_KEY, CA_BUNDLE_KEY)
    url = settings.get(HQ_URL_KEY)
    if not url:
        raise NotEnrolled("this desk is not enrolled with HQ: run `branchdesk enroll --hq URL "
                          "--code CODE` first")
    token = token_store.load(_data_dir(store))
    if not token:
        raise NotEnrolled("this desk has no node token (it was removed or never saved): "
                          "enroll again with a new code from HQ")
    return HQClient(url, token, ca_bundle=settings.get(CA_BUNDLE_KEY))


def sync(store: Store, *, client: HQClient | None = None, progress: Progress | None = None,
         pull_limit: int = DEFAULT_PULL_LIMIT) -> SyncReport:
    """One cycle: push the outbox (oldest first, in batches), pull until HQ has nothing
    more, then check the tables the cycle touched against HQ's digest. Raises HQError (HQUnreachable, HQRejected, ClientTooOld) when HQ cannot be used;
    what was done before that is kept, and the failure is in the sync log."""
    settings = store.settings(HQ_URL_KEY, CA_BUNDLE_KEY, CHECKED_KEY, CURSOR_KEY)
    own_client = client is None
    if client is None:
        client = make_client(store, settings)
    report = SyncReport()
    try:
        mark = int(settings.get(CHECKED_KEY) or 0)
        cursor = int(settings.get(CURSOR_KEY) or 0)
        # The pull's first page comes with HQ's answer to the last push batch.
        first = _push(store, client, report, progress, pull=(cursor, pull_limit, mark))
        pushed_to = set(report.touched)
        _pull(store, client, report, progress, pull_limit, digest_after=mark,
              first=(cursor, first) if first is not None else None)
        # Pulled rows this desk could not store, read once for the retry and the check
        # (nearly always none: then the check need not read them again).
        unstored = _unstored(store, [t for t in TABLE_ORDER if t in SYNCED_TABLES], 0) \
            if report.touched else {}
        if pushed_to and unstored:
            _retry_unstored(store, client, report, pushed_to, pull_limit, unstored)
        # An idle cycle skips the check: nothing it could have missed.
        agreed = _check(store, client, report, progress, pull_limit, mark,
                        unstored=None if unstored else {}) if report.touched else False
        with store.session_for_write() as session:  # the cycle's end, in one transaction
            cursor_is_ours = _save_unsaved_cursor(session, report)
            if agreed and cursor_is_ours:
                _set(session, CHECKED_KEY, str(report.cursor))
            _set(session, LAST_SYNC_KEY, to_wire(utcnow()))
            if report.received or report.pushed:
                _log(session, "pull", status="done", detail=report.as_dict())
    except HQError as e:
        _record_error(store, e)
        raise
    finally:
        if own_client:
            _close(client)
    return report


def _push(store: Store, client: HQClient, report: SyncReport, progress: Progress | None,
          pull: tuple[int, int, int | None] | None = None) -> Future | None:
    """The outbox, oldest first, in batches. While HQ answers one batch the desk records
    the previous one's answers and reads the next (one request at a time, in order: HQ has
    committed a batch before the next arrives). An entry leaves the outbox only with its
    answer, so a crash anywhere re-sends it and HQ returns the stored result.

    `pull`: the cycle's first pull page, (after, limit, digest_after) as client.pull takes
    them. The batch that empties the outbox asks HQ for it in its answer; an HQ that leaves
    it out is asked with a request of its own once it has answered every batch, while the
    last answers are recorded. Returns the page's future (None when there was nothing to
    push)."""
    with store.read() as s:
        last, total = s.connection().execute(_OUTBOX_EXTENT).one()
        requeue = bool(total) and _corrected_dependents(s)
    if not total:
        return None
    if requeue and _requeue_dependents(store):
        with store.read() as s:
            last, total = s.connection().execute(_OUTBOX_EXTENT).one()

    # Each row this push wrote as the desk has it (every result for it "applied"): the rev
    # HQ gave it. A later batch's edit of that row, queued at rev 0 before its create was
    # answered, builds on that version and says so (see _outbox_batch).
    applied: dict[tuple[str, str], int] = {}

    def record(sent, answer: PushResponse | None = None) -> None:
        batch, answered, _creates = sent
        if answer is None:
            answer = client.push_answer(answered.result())
        _record_results(store, batch, answer.results, report, applied)
        if progress:
            progress(min(report.pushed, total), total)

    def send_after(previous, body: bytes, pull_too: bool):
        # Only once the previous batch got its answer: if the request failed, this one is
        # not sent (HQ would see the next changes without the ones before them). An answer
        # that does not parse fails the cycle when it is recorded; HQ committed that batch.
        if previous is not None:
            previous.result()
        if pull_too:
            return client.push_gzipped(body, pull_after=pull[0], pull_limit=pull[1],
                                       digest_after=pull[2])
        return client.push_gzipped(body)

    after = 0
    sent = None  # (batch, future answer, row ids it creates) HQ is working on
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="push-ahead") as sender, \
            _full_collections_deferred():  # (as a pull's: a batch outlives the young ones)
        while True:
            batch, body, creates = _outbox_batch(store, after, last, applied) \
                if after < last else ([], b"", set())
            if sent is not None and _builds_on(batch, sent[2]):
                # An edit of a row the batch in flight creates: whether it goes whole (the
                # create rejected, see _rows_hq_never_had) depends on HQ's answer.
                record(sent)
                sent = None
                batch, body, creates = _outbox_batch(store, after, last, applied)
            empties = bool(batch) and batch[-1].seq >= last  # the outbox's last batch
            if not batch:
                following = None
            elif sent is None and empties:
                # The only batch (a cycle's usual push): nothing to overlap, no thread.
                following = Future()
                following.set_result(send_after(None, body, pull is not None))
            else:
                following = sender.submit(send_after, sent[1] if sent else None, body,
                                          pull is not None and empties)
            if following is None and sent is not None and pull is not None:
                answer = client.push_answer(sent[1].result())
                if answer.pull is not None:
                    first: Future = Future()
                    first.set_result(answer.pull)
                else:  # an older HQ: the page is asked for while the answers are recorded
                    first = sender.submit(client.pull, pull[0], pull[1], digest_after=pull[2])
                record(sent, answer)
                return first
            if sent is not None:
                record(sent)
            if following is None:
                return None
            report.touched.update(e.table_name for e in batch)
            after = batch[-1].seq
            sent = (batch, following, creates)


class Waiting(NamedTuple):
    """An outbox entry as a push handles it (SQLAlchemy's rows took 0.5 µs an attribute, a
    dozen a change), the fields as UTF-8 bytes, as they go into the request (see
    encode_push: decoding them into text and encoding them again cost more than reading)."""

    seq: int
    change_id: str
    table_name: str
    op: str
    row_id: str
    base_rev: int
    fields: bytes


_OUTBOX_COLUMNS = (OutboxEntry.seq, OutboxEntry.change_id, OutboxEntry.table_name,
                   OutboxEntry.op, OutboxEntry.row_id, OutboxEntry.base_rev,
                   cast(OutboxEntry.fields, LargeBinary).label("fields"))
# The outbox's newest seq and its number of entries.
_OUTBOX_EXTENT = select(func.max(OutboxEntry.seq), func.count()).select_from(OutboxEntry)
# The entries after seq :after up to :last, oldest first, at most :limit.
_OUTBOX_RANGE = (select(*_OUTBOX_COLUMNS)
                 .where(OutboxEntry.seq > bindparam("after"), OutboxEntry.seq <= bindparam("last"))
                 .order_by(OutboxEntry.seq).limit(bindparam("limit")))


def _outbox_batch(store: Store, after: int, last: int,
                  applied: dict[tuple[str, str], int] | None = None
                  ) -> tuple[list[Waiting], bytes, set[str]]:
    """The next batch of outbox entries after seq `after`, its push request, encoded and
    gzipped, and the ids of the rows it creates at HQ (creates, and corrections sent as
    whole rows).

    `applied`: {(table, row id): rev} of rows an earlier batch of this push wrote as the desk
    has them (see _push). An edit of one of them waiting at rev 0 (made before the create
    was answered) goes at that rev: HQ then applies it as the next version of the desk's own
    (at rev 0 it was "merged" and came back in the pull, a first push's leavers by the
    thousand), and still decides it by field ownership if HQ or another desk changed the row
    since."""
    with store.read() as s:
        # Straight off the driver's cursor (driver_rows): SQLAlchemy's handling of each row
        # cost more than reading it
        batch = list(map(Waiting._make, driver_rows(
            s.connection(), _OUTBOX_RANGE,
            {"after": after, "last": last, "limit": MAX_PUSH_CHANGES})))
        whole = _rows_hq_never_had(s, batch) if batch else {}
    applied = applied or {}
    sent = []
    creates = set()
    for e in batch:  # (one pass: the body's changes and the creates)
        base_rev, fields = e.base_rev, e.fields
        if _is_edit_at_rev_0(e):
            base_rev = applied.get((e.table_name, e.row_id), 0)
            if e.change_id in whole:
                creates.add(e.row_id)
                fields = canonical_json({**whole[e.change_id], **json.loads(fields)})
        elif e.op == "upsert" and base_rev == 0:  # a create
            creates.add(e.row_id)
        sent.append((e.change_id, e.table_name, e.op, e.row_id, base_rev, fields))
    return batch, gzip_bytes(encode_push(sent)), creates


def _builds_on(batch: list[Waiting], creates: set[str]) -> bool:
    """Does `batch` edit a row of `creates` (an edit at rev 0 that is not a create)?"""
    return any(e.row_id in creates for e in batch if _is_edit_at_rev_0(e))


def _rows_hq_never_had(session: Session, batch: list[Waiting]) -> dict[str, dict]:
    """{change id: the row's every field} for the edits of rows HQ never accepted.

    A new row HQ rejected (say its employee number was taken) stays here at rev 0 and its
    create entry leaves the outbox. When the clerk corrects it, the edit alone would reach
    HQ as an incomplete new row and be rejected again; so the first waiting entry of a row
    at rev 0 that is not a create (a create carries `id`) takes the whole row along."""
    out = {}
    for e in _corrected_rows(session, batch):
        out[e.change_id] = _whole_row(session.get(SYNCED_TABLES[e.table_name], e.row_id))
    return out


def _whole_row(row) -> dict:
    """A row's every field as a create sends it (rev is the sync layer's own)."""
    return {k: v for k, v in row_fields(row).items() if k != "rev"}


def _corrected_rows(session: Session, batch: list[Waiting] | None = None) -> list[Waiting]:
    """The first waiting entries of rows HQ never accepted (rev 0) that are edits, not
    creates: corrections of new rows HQ rejected (see _rows_hq_never_had), in seq order.
    `batch`: only among its entries (a range of seqs). One query a table with such edits,
    through the row's rev and the outbox's row_id index: a first push's edits of the rows
    it creates are many, and their rows have a rev by then."""
    if batch is None:  # (usually none: one query)
        tables = session.connection().execute(_tables_with_edits()).scalars().all()
    else:
        tables = {e.table_name for e in batch if _is_edit_at_rev_0(e)}
    found = []
    for table in tables:
        if table not in SYNCED_TABLES:
            continue
        q = _corrected_rows_of(table)
        if batch is not None:
            q = q.where(OutboxEntry.seq.between(batch[0].seq, batch[-1].seq))
        found += map(Waiting._make, session.connection().execute(q))
    return sorted(found)


def _is_edit_at_rev_0(entry: Waiting) -> bool:
    """An edit (not a create) of a row as it was before HQ accepted it."""
    return entry.op == "upsert" and entry.base_rev == 0 and _CREATE_MARK not in entry.fields


def _edits_at_rev_0() -> tuple:
    """_is_edit_at_rev_0, as the outbox's query conditions."""
    return (OutboxEntry.op == "upsert", OutboxEntry.base_rev == 0,
            OutboxEntry.fields.not_like(f"%{_CREATE_KEY}%"))


@functools.cache
def _tables_with_edits() -> Select:
    return select(OutboxEntry.table_name).where(*_edits_at_rev_0()).distinct()


@functools.cache
def _corrected_rows_of(table: str) -> Select:
    """_corrected_rows' query for one table (built once: a sync cycle asks twice)."""
    model = SYNCED_TABLES[table]
    later = aliased(OutboxEntry)
    first_of_row = select(func.min(later.seq)).where(later.row_id == OutboxEntry.row_id) \
        .scalar_subquery()
    return (select(*_OUTBOX_COLUMNS).join(model, model.id == OutboxEntry.row_id)
            .where(OutboxEntry.table_name == table, *_edits_at_rev_0(),
                   # `+ 0`: not through the rev index, where every row of a store that
                   # never synced is at rev 0 (a first push read 100,000 rows a batch)
                   model.rev + 0 == 0, OutboxEntry.seq == first_of_row))


_CREATE_KEY = '"id":'  # a create's fields (canonical JSON) carry the row's id
_CREATE_MARK = _CREATE_KEY.encode()  # in fields read as bytes (_OUTBOX_COLUMNS)

# Rows that went down with a rejected new row and come back with its correction.
DEPENDENTS = {"employee": [(EmployeeEvent, "employee_id")]}


def _corrected_dependents(session: Session) -> bool:
    """Is there a corrected new row whose dependents _requeue_dependents would send? Only
    the tables with dependents are asked, up to their first such row: finding which tables
    have edits at rev 0 reads every outbox entry's fields (75 ms of a first push's 210,000
    entries, before its first batch could leave)."""
    return any(session.connection().execute(_corrected_rows_of(table).limit(1)).first()
               is not None for table in DEPENDENTS)


def _requeue_dependents(store: Store) -> int:
    """A corrected new row takes its dependents along: HQ rejected them with it (an
    employee's hire event refers to an employee HQ did not have), and append-only rows are
    never edited, so nothing else would send them. Each gets a create entry after the
    row's own, once (a dependent that already has an entry waits for that one). Returns
    how many entries it added."""
    with store.read() as session:
        if not _corrected_dependents(session):
            return 0  # the usual case: one read
    added = 0
    with store.session_for_write() as session:
        for entry in _corrected_rows(session):
            for model, column in DEPENDENTS.get(entry.table_name, []):
                waiting = select(OutboxEntry.row_id).where(
                    OutboxEntry.table_name == model.__tablename__)
                for row in session.scalars(select(model).where(
                        getattr(model, column) == entry.row_id, model.rev == 0,
                        model.id.not_in(waiting)).order_by(model.id)):
                    session.add(OutboxEntry(
                        change_id=uuid7(), table_name=model.__tablename__, op="upsert",
                        row_id=row.id, fields=canonical_json(_whole_row(row)), base_rev=0,
                        created_at=utcnow()))
                    added += 1
    return added


def _conflict_detail(conflict: FieldConflict) -> dict:
    """A field conflict of HQ's answer as the sync log keeps it (a protocol model's or a
    sync.decoders struct's fields)."""
    return {"field": conflict.field, "hq_value": conflict.hq_value,
            "branch_value": conflict.branch_value, "winner": conflict.winner}


def _set_revs(session: Session, table: str, newest: dict[str, int]) -> None:
    """Each row of `newest` ({id: rev}) takes its rev, unless it has a newer one already.

    One UPDATE ... FROM a VALUES list a chunk, through the id index: 4.1 ms for a batch's
    2,000 rows where the driver's executemany of a statement a row took 5.3 (and
    SQLAlchemy's, more than that). A row is in `newest` once: an UPDATE ... FROM takes one of
    a row's matches, not each in turn."""
    connection = session.connection()
    items = list(newest.items())
    step = bound_values_limit(connection.connection.driver_connection) // 2
    for start in range(0, len(items), step):
        chunk = items[start:start + step]
        connection.exec_driver_sql(
            f'UPDATE "{table}" SET rev = v.column2 '
            f'FROM (VALUES {", ".join(["(?, ?)"] * len(chunk))}) AS v '
            f'WHERE "{table}".id = v.column1 AND "{table}".rev < v.column2',
            tuple(value for pair in chunk for value in pair))


def _record_results(store: Store, batch: list[Waiting], results: list[ChangeResult],
                    report: SyncReport,
                    applied: dict[tuple[str, str], int] | None = None) -> None:
    """HQ's answers for one batch, in one transaction: the answered entries leave the outbox,
    rows take the rev HQ gave them, rejections and conflicts go to the sync log.
    `applied` (_push's): a row's "applied" result gives its rev; any other leaves HQ's
    version unlike the desk's, and the row out."""
    by_id = {e.change_id: e for e in batch}
    answered = [(by_id.pop(r.change_id), r) for r in results if r.change_id in by_id]
    if applied is not None:
        for entry, result in answered:
            key = (entry.table_name, entry.row_id)
            if result.status == "applied" and result.rev is not None:
                applied[key] = result.rev
            else:
                applied.pop(key, None)
    revs: dict[str, dict[str, int]] = {}  # table: {row id: the newest rev HQ gave it}
    with store.session_for_batch() as session:
        # Set-wise, not per entry: a batch is up to MAX_PUSH_CHANGES entries. The entries
        # still waiting are those the DELETE finds (the others were recorded before).
        waiting: set[str] = set()
        ids = [entry.change_id for entry, _result in answered]
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            waiting.update(change_id for (change_id,) in session.connection().exec_driver_sql(
                f"DELETE FROM {OutboxEntry.__tablename__} WHERE change_id IN "
                f"({', '.join('?' * len(chunk))}) RETURNING change_id", tuple(chunk)))
        for entry, result in answered:
            if entry.change_id not in waiting:
                continue  # recorded by an earlier attempt
            report.pushed += 1
            if result.rev is not None and entry.table_name in SYNCED_TABLES:
                newest = revs.setdefault(entry.table_name, {})
                if result.rev > newest.get(entry.row_id, -1):
                    newest[entry.row_id] = result.rev
            if result.status == "applied":
                report.applied += 1
            elif result.status == "merged":
                report.merged += 1
            elif result.status == "conflict":
                report.conflicts += 1
                _log(session, "push", entry=entry, status="conflict", reason=result.reason,
                     detail={"rev": result.rev,
                             "conflicts": [_conflict_detail(c) for c in result.conflicts]})
                for c in result.conflicts:
                    session.add(SyncConflict(
                        at=utcnow(), table_name=entry.table_name, row_id=entry.row_id,
                        field=c.field, hq_value=canonical_json(c.hq_value),
                        branch_value=canonical_json(c.branch_value), winner=c.winner,
                        change_id=entry.change_id))
            else:
                report.rejected += 1
                reason = result.reason or reasons.NO_REASON
                report.errors.append(f"{entry.table_name} {entry.row_id}: {reason}")
                _log(session, "push", entry=entry, status="rejected", reason=reason,
                     detail={"fields": json.loads(entry.fields), "op": entry.op})
        for table_name, newest in revs.items():  # rows take HQ's rev (never an older one)
            _set_revs(session, table_name, newest)
        if by_id:
            # HQ did not answer these: they stay in the outbox for the next cycle.
            log.warning("HQ did not answer %d change(s) of the batch", len(by_id))


def _pull(store: Store, client: HQClient, report: SyncReport, progress: Progress | None,
          limit: int, digest_after: int | None = None,
          first: tuple[int, Future] | None = None) -> None:
    """Pages in cursor order; the next PULL_AHEAD pages are fetched while this one is
    written (HQ's work and the desk's overlap, and a slow page at either end is absorbed).
    Only a written page moves the saved cursor (a last page without changes: the caller
    saves report.cursor, see sync). `first`: the cursor and the first page,
    asked for already."""
    cursor = first[0] if first else int(store.setting(CURSOR_KEY, "0") or 0)
    report.cursor = cursor

    def after(previous: Future) -> PullResponse | None:
        """The page after `previous`'s, if HQ said there is one (the one worker fetches in
        order: `previous` is done; its failure is this one's too)."""
        page = previous.result()
        if page is None or not (page.more and page.changes):
            return None
        return client.pull(page.next_after, limit, digest_after=digest_after)

    ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull-ahead")
    checkpointer = None
    try:
        with _full_collections_deferred():
            page = first[1].result() if first else \
                client.pull(cursor, limit, digest_after=digest_after)
            newest: Future = Future()
            newest.set_result(page)
            fetching: deque[Future] = deque()
            for _ in range(PULL_AHEAD if page.more and page.changes else 0):
                newest = ahead.submit(after, newest)
                fetching.append(newest)
            for _page in range(MAX_PULL_PAGES):
                report.hq_digest = page.digest
                # A page without changes (the last one) only moves the cursor past rows this
                # desk does not need: the cycle's end saves it (one transaction fewer).
                if page.changes:
                    changed = apply_page(store, page.changes, cursor, page.next_after)
                    if page.more and CHECKPOINT_BEHIND_PULLS:  # (the end copies the last)
                        checkpointer = checkpointer or _Checkpointer(store)
                        checkpointer.nudge()
                else:
                    changed = 0
                    if page.next_after > cursor:
                        report.unsaved_cursor = (cursor, page.next_after)
                report.touched.update(c.table for c in page.changes)
                report.received += len(page.changes)
                report.pulled += changed
                if page.next_after > cursor:
                    cursor = page.next_after
                report.cursor = cursor
                if progress:
                    done = report.received
                    progress(done, done + (limit if page.more else 0))
                page = fetching.popleft().result() if fetching else None
                if page is None:
                    return
                newest = ahead.submit(after, newest)
                fetching.append(newest)
    finally:
        if checkpointer is not None:
            checkpointer.close()
        ahead.shutdown(wait=True, cancel_futures=True)  # pages asked for and not needed


def checkpoints_beside_a_writer(version: tuple[int, ...]) -> bool:
    """Whether SQLite `version` may checkpoint beside a writing connection. SQLite's
    WAL-reset bug (https://sqlite.org/wal.html#walresetbug, 3.7.0 to 3.51.2 but for the
    backports 3.44.6 and 3.50.7): a checkpoint that starts while another connection resets
    the log can lose committed pages. A pull's checkpoint thread is that pattern, so with an
    affected library the copy waits for the cycle's end, as it did before."""
    return version >= (3, 51, 3) or (3, 50, 7) <= version < (3, 51) or \
        (3, 44, 6) <= version < (3, 45)


CHECKPOINT_BEHIND_PULLS = checkpoints_beside_a_writer(sqlite3.sqlite_version_info)


class _Checkpointer:
    """Copies the write-ahead log into the database file on a thread of its own while a
    pull's pages go on (CHECKPOINT_BEHIND_PULLS). Their commits leave that copy for later
    (Store.session_for_batch), and the cycle's end made it in one go: a sixth of a first
    pull (0.8 s of 5.0 for 205,000 rows), with the desk's other core mostly idle. Each nudge
    asks for one pass over what is committed by then; SQLite's PASSIVE checkpoint waits for
    no one."""

    def __init__(self, store: Store):
        self._store = store
        self._wake = threading.Event()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="checkpoint", daemon=True)
        self._thread.start()

    def nudge(self) -> None:
        self._wake.set()

    def close(self) -> None:
        self._closing = True
        self._wake.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._closing:
                return
            try:
                self._store.checkpoint()
            except Exception as exc:  # noqa: BLE001 - the cycle's end copies the rest
                log.warning("background checkpoint failed: %s", exc)


@contextmanager
def _full_collections_deferred() -> Iterator[None]:
    """Python's full garbage collections wait until a push's or pull's batches end, and young
    ones come every 50,000 new objects rather than 700.

    A page's rows outlive the young generations (the next pages are parsed while this one
    is written), so every dozen pages or so set off a full collection: a walk over every
    object of the process, holding the GIL against the other thread. A 205,000-row first
    pull (100,000 employees) ran 16 of them, ~2 s of collecting, and took 18-19 s instead
    of 14 s. The young collections walked each page's live rows over and over: 2,374 of
    them and 216 middle ones, 0.5 s of that pull, against 3 at 50,000 (0.02 s). The pages
    hold no reference cycles (reference counting frees them), so nothing piles up
    meanwhile; the full collection comes at the first young one after the pull."""
    young, middle, full = gc.get_threshold()
    gc.set_threshold(max(young, BATCH_YOUNG_OBJECTS), middle, 1 << 30)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, full)


def apply_page(store: Store, changes: list[PulledChange], expected_cursor: int | None,
               next_after: int | None) -> int:
    """Apply one pulled page and move the cursor, in one SQLite transaction. Rows go in
    TABLE_ORDER (parents first); local fields with changes still in the outbox are kept.
    Returns how many changes altered a local row. A page whose cursor was already moved (a
    second sync racing this one) is skipped.

    A row this desk cannot store (say HQ's employee E1 while a local, not yet accepted E1
    holds that number) must not block every later page forever: the page is then applied
    again row by row, and each row that fails is recorded in the sync log (the Sync page
    lists it with the rejected changes) while the rest and the cursor are saved.
    `expected_cursor` None: a table being re-downloaded; the cursor is neither checked nor
    moved."""
    try:
        return _apply_page(store, changes, expected_cursor, next_after, isolate=False)
    except SQLAlchemyError as exc:
        log.warning("pulled page after %s failed as a whole (%s); applying it row by row",
                    expected_cursor, exc.__class__.__name__)
        return _apply_page(store, changes, expected_cursor, next_after, isolate=True)


def _apply_page(store: Store, changes: list[PulledChange], expected_cursor: int | None,
                next_after: int | None, *, isolate: bool) -> int:
    if not changes and next_after == expected_cursor:
        return 0  # nothing new: no write transaction (an idle sync stays cheap)
    order = {name: i for i, name in enumerate(TABLE_ORDER)}
    ordered = sorted((c for c in changes if c.table in TABLES and c.table in SYNCED_TABLES),
                     key=lambda c: (order.get(c.table, len(order)), c.rev))
    changed = 0
    with store.session_for_pull() as session:
        if expected_cursor is not None and \
                int(_get(session, CURSOR_KEY) or 0) != expected_cursor:
            log.info("pull page after %s already applied; skipping", expected_cursor)
            return 0
        uow = UnitOfWork(session, SYNC_ACTOR)
        pending = _pending_fields(session, ordered)
        present = _preload(session, ordered)
        if not isolate:  # rows the desk does not have yet go in in bulk
            fresh: dict[str, list[tuple[str, dict, int]]] = {}
            rest = []
            for change in ordered:
                key = (change.table, change.row_id)
                if change.op == "upsert" and key not in present and key not in pending:
                    present.add(key)
                    fresh.setdefault(change.table, []).append(
                        (change.row_id, change.row, change.rev))
                else:
                    rest.append(change)
            for table, rows in fresh.items():  # dicts keep TABLE_ORDER: parents first
                changed += uow.insert_pulled(SYNCED_TABLES[table], rows,
                                             TABLES[table].all_columns)
            ordered = rest
        for change in ordered:
            keep = pending.get((change.table, change.row_id), set())
            missing = (change.table, change.row_id) not in present
            present.add((change.table, change.row_id))
            if not isolate:  # one flush for the page, at commit (FKs are not enforced)
                changed += _apply_change(uow, change, keep, missing)
                continue
            try:
                with uow.savepoint():
                    changed += _apply_change(uow, change, keep, missing)
                    session.flush()  # a row's failure shows here, inside its savepoint
            except SQLAlchemyError as exc:
                _log_unstored(session, change, exc)
        if expected_cursor is not None:
            _set(session, CURSOR_KEY, str(max(next_after, expected_cursor)))
        unknown = [c.table for c in changes
                   if c.table not in TABLES or c.table not in SYNCED_TABLES]
        if unknown:
            _log(session, "pull", status="skipped", reason="tables this desk does not know",
                 detail={"skipped": len(unknown), "tables": sorted(set(unknown))})
    return changed


def _apply_change(uow: UnitOfWork, change: PulledChange, keep: set[str],
                  missing: bool) -> int:
    model = SYNCED_TABLES[change.table]
    if change.op == "move_out":
        result = _move_out(uow, model, change, keep)
    elif change.op == "delete":
        result = _tombstone(uow, model, change, keep)
    else:
        values = _row_values(model, change)
        result = uow.apply_pulled(model, change.row_id, values, rev=change.rev, keep=keep,
                                  missing=missing)
    return 1 if result else 0


_UNIQUE_FAILED = re.compile(r"UNIQUE constraint failed: (?:\w+\.\w+, )*(\w+)\.(\w+)$")


def _log_unstored(session: Session, change: PulledChange, exc: SQLAlchemyError) -> None:
    """Record a pulled row this desk could not store, once per version of the row (it is
    asked for again, see _retry_unstored)."""
    problem = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    log.warning("pulled %s %s not stored: %s", change.table, change.row_id, problem)
    for (detail,) in session.execute(
            select(SyncLog.detail).where(SyncLog.kind == "pull", SyncLog.status == "rejected",
                                         SyncLog.table_name == change.table,
                                         SyncLog.row_id == change.row_id)):
        if json.loads(detail or "{}").get("rev") == change.rev:
            return  # reported already
    taken = _UNIQUE_FAILED.match(problem)
    reason = reasons.DESK_VALUE_TAKEN.format(field=taken[2], table=taken[1]) if taken \
        else reasons.DESK_CANNOT_STORE.format(detail=problem)
    session.add(SyncLog(
        at=utcnow(), kind="pull", table_name=change.table, row_id=change.row_id,
        status="rejected", reason=reason,
        detail=canonical_json({"op": change.op, "rev": change.rev,
                               "fields": {k: v for k, v in (change.row or {}).items()
                                          if k not in ("id", "rev", "updated_at")}})))


def _row_values(model, change: PulledChange) -> dict:
    spec = TABLES[change.table]
    wire = {k: v for k, v in change.row.items() if k in spec.all_columns}
    return python_values(model, wire)


def _tombstone(uow: UnitOfWork, model, change: PulledChange, keep: set[str]) -> str | None:
    values = _row_values(model, change)
    values["deleted"] = True
    if uow.session.get(model, change.row_id) is None:
        required = [c.key for c in model.__table__.columns
                    if not c.nullable and c.default is None and c.server_default is None
                    and c.key not in ("rev",)]
        if any(values.get(k) is None for k in required if k != "id"):
            return None  # a delete of a row this desk never had: nothing to keep
    return uow.apply_pulled(model, change.row_id, values, rev=change.rev, keep=keep)


def _move_out(uow: UnitOfWork, model, change: PulledChange, keep: set[str]) -> str | None:
    """The row left this branch (a transfer at HQ): the desk keeps its copy and its history,
    marked transferred, and stops receiving it."""
    if model is not Employee or uow.session.get(model, change.row_id) is None:
        return None  # other rows that leave the scope simply stop being updated
    return uow.apply_pulled(model, change.row_id, {"status": "transferred"}, rev=change.rev,
                            keep=keep - {"status"})


def _pending_fields(session: Session, changes: list[PulledChange]) -> dict:
    """{(table, row id): fields with local changes still in the outbox} for this page."""
    keys: dict[tuple[str, str], set[str]] = {}
    wanted = {c.row_id for c in changes}
    if not wanted or session.execute(_ANY_WAITING).first() is None:
        return keys  # (a first pull: nothing waits, and a page's ids were looked up)
    outbox = OutboxEntry.__table__
    for table, row_id, fields_json in _rows_with_ids(
            session, f'SELECT table_name, row_id, fields FROM "{outbox.name}" WHERE row_id',
            list(wanted)):
        names = set(json.loads(fields_json)) - {"id", "updated_at"}
        keys.setdefault((table, row_id), set()).update(names)
    return keys


_ANY_WAITING = select(OutboxEntry.seq).limit(1)


def _preload(session: Session, changes: list[PulledChange]) -> set[tuple[str, str]]:
    """Load the page's existing rows in a few queries, so apply_pulled's lookups are hits in
    the session's identity map rather than one SELECT a row; returns which rows exist."""
    by_table: dict[str, list[str]] = {}
    for c in changes:
        by_table.setdefault(c.table, []).append(c.row_id)
    present: set[tuple[str, str]] = set()
    for table, ids in by_table.items():
        model = SYNCED_TABLES[table]
        # Which exist first (none, on a new desk's first pull), then only those are loaded.
        existing = [row_id for (row_id,) in _rows_with_ids(
            session, f'SELECT id FROM "{model.__tablename__}" WHERE id', ids)]
        present.update((table, row_id) for row_id in existing)
        for start in range(0, len(existing), 500):
            session.scalars(select(model).where(model.id.in_(existing[start:start + 500]))).all()
    return present


def _rows_with_ids(session: Session, query: str, ids: list[str]):
    """The rows of `query` + " IN (ids)", in one statement through the driver, the ids as
    one JSON array. (SQLAlchemy's handling of a page's IN lists cost more than SQLite's
    lookups; and 500 ids a statement made ten statements a page, each a return from SQLite
    that waits for the GIL while the next page is being parsed.)"""
    return session.connection().exec_driver_sql(
        f"{query} IN (SELECT value FROM json_each(?))", (json.dumps(ids),))


# ---- the end-of-cycle check (DESIGN section 3) ----------------------------------------------

def local_digest(store: Store, tables: list[str], after: int = 0
                 ) -> dict[str, tuple[int, int]]:
    """{table: (count, rev sum)} of this desk's rows in the branch's scope whose rev is above
    `after`: what HQ's /sync/digest computes on its side (sync.protocol.TableDigest).
    Employees the desk keeps after HQ moved them away (status transferred) are left out on
    both sides."""
    out = {}
    with store.read() as s:
        for table in tables:
            count, rev_sum = s.connection().execute(_local_digest_query(table),
                                                    {"after": max(after, 0)}).one()
            out[table] = (int(count), int(rev_sum))
    return out


@functools.cache
def _local_digest_query(table: str) -> Select:
    """local_digest's statement for `table`, built once (every cycle that moved rows asks),
    rows above :after."""
    model = SYNCED_TABLES[table]
    # The branch read by the statement itself (one read fewer at the end of every cycle).
    # The scope as an expression (coalesce: own branch or NULL), so SQLite walks the rev
    # index over the few rows since `after`, not the branch_id index over the whole branch
    # (47 ms at 100,000 employees).
    branch_id = (select(Setting.value).where(Setting.key == BRANCH_ID_KEY)
                 .scalar_subquery())
    q = (select(func.count(), func.coalesce(func.sum(model.rev), 0))
         .where(model.rev > bindparam("after"))
         .where(func.coalesce(model.branch_id, branch_id) == branch_id))
    if hasattr(model, "status"):
        q = q.where(model.status != "transferred")
    return q


def _check(store: Store, client: HQClient, report: SyncReport, progress: Progress | None,
           limit: int, mark: int, unstored: dict | None = None) -> bool:
    """Compare each touched table with HQ's digest, over the rows changed since the last
    good check (`mark`, CHECKED_KEY: 0 after enrollment, so the first check covers
    everything). HQ's digest comes with the last pull page, taken in its snapshot: every
    page applied, the desk must match it exactly. (A pull answered with nothing new, or
    an HQ that sends none, comes without it: /digest is asked, and a difference may be a
    change committed since the pull: pull once more and compare again.) A table that still differs is downloaded again from the mark; the
    cycle's log entry names it (`redownloaded`, and `differing` when it differs even after
    that). Only a check that ends in agreement moves the mark: it returns whether it did
    agree (the caller saves the mark with the rest of the cycle's end). `unstored`: the
    pulled rows this desk could not store, when the caller has read them (_unstored)."""
    tables = [t for t in TABLE_ORDER if t in report.touched and t in SYNCED_TABLES]
    if report.hq_digest is not None:
        differing = _differing(store, tables, mark, report.hq_digest, unstored)
    else:
        differing = _differing(store, tables, mark, client.digest(tables, after=mark).tables,
                               unstored)
        if differing:
            _pull(store, client, report, progress, limit)
            differing = _differing(store, differing, mark,
                                   client.digest(differing, after=mark).tables)
    for table in differing:
        log.warning("%s differs from HQ after the cycle; downloading it again", table)
        for page in _table_pages(client, table, mark, limit):
            report.pulled += apply_page(store, page.changes, None, None)
        report.redownloaded.append(table)
        if _differing(store, [table], mark, client.digest([table], after=mark).tables):
            log.error("%s still differs from HQ after downloading it again", table)
            report.differing.append(table)
    return not report.differing


def _table_pages(client: HQClient, table: str, after: int, limit: int
                 ) -> Iterator[PullResponse]:
    """HQ's rows of `table` above rev `after`, the desk's own versions included, page by
    page (the cursor is neither used nor moved)."""
    for _page in range(MAX_PULL_PAGES):
        page = client.pull(after, limit, table=table)
        yield page
        after = page.next_after
        if not page.more or not page.changes:
            return


def _retry_unstored(store: Store, client: HQClient, report: SyncReport, tables: set[str],
                    limit: int, unstored: dict[str, dict[str, int]]) -> None:
    """Pulled rows this desk could not store (_log_unstored) are asked for again after a
    cycle that pushed changes to their table: the clerk's correction (another employee
    number for the desk's own row, say) is what clears the clash, and HQ's row would
    otherwise arrive only when HQ changes it again.

    Only those rows are applied (the others of the table HQ sends along stay as they are
    here: a row whose local edit HQ rejected keeps the clerk's value), and the download
    stops once HQ has sent them all. A row HQ no longer has for this branch (deleted, moved
    to another branch: sent as a delete, or not at all) is settled: its log entry stops
    asking. `unstored`: those rows, as _unstored read them (every table, above rev 0)."""
    for table, rows in unstored.items():
        if table not in tables:
            continue
        log.info("asking HQ again for %d %s row(s) this desk could not store",
                 len(rows), table)
        missing, gone = set(rows), set()
        for page in _table_pages(client, table, min(rows.values()) - 1, limit):
            wanted = [c for c in page.changes if c.row_id in rows]
            gone.update(c.row_id for c in wanted if c.op != "upsert")
            missing.difference_update(c.row_id for c in wanted)
            upserts = [c for c in wanted if c.op == "upsert" and c.row_id not in gone]
            if upserts:
                report.pulled += apply_page(store, upserts, None, None)
            if not missing:
                break
        settled = gone | (missing if not page.more else set())
        if settled:
            with store.session_for_write() as session:
                session.execute(update(SyncLog).where(
                    SyncLog.kind == "pull", SyncLog.status == "rejected",
                    SyncLog.table_name == table, SyncLog.row_id.in_(sorted(settled)))
                    .values(status="settled"))


def _differing(store: Store, tables: list[str], mark: int, hq: dict,
               unstored: dict | None = None) -> list[str]:
    """The tables whose rows above `mark` differ from `hq` ({table: TableDigest}).
    `unstored`: _unstored's rows, when read already (else they are read here)."""
    if not tables:
        return []
    local = local_digest(store, tables, after=mark)
    if unstored is None:
        unstored = _unstored(store, tables, mark)
    differing = []
    for t in tables:
        if t not in hq:
            continue
        count, rev_sum = local[t]
        missing = unstored.get(t, {})  # rows already reported: not a reason to download
        if (count + len(missing), rev_sum + sum(missing.values())) != \
                (hq[t].count, hq[t].rev_sum):
            differing.append(t)
    return differing


def _unstored(store: Store, tables: list[str], mark: int) -> dict[str, dict[str, int]]:
    """{table: {row id: rev}} of pulled rows this desk could not store (_log_unstored) and
    still lacks, at revs above `mark`."""
    out: dict[str, dict[str, int]] = {}
    with store.read() as s:
        # Every such entry, the tables picked here: an IN list of the tables is rendered
        # again at each execution, and a cycle asks twice for what is nearly always none.
        for table, row_id, detail in s.connection().execute(_UNSTORED):
            if table not in tables:
                continue
            rev = int(json.loads(detail or "{}").get("rev") or 0)
            if rev > mark and s.get(SYNCED_TABLES[table], row_id) is None:
                rows = out.setdefault(table, {})
                rows[row_id] = max(rev, rows.get(row_id, 0))
    return out


_UNSTORED = (select(SyncLog.table_name, SyncLog.row_id, SyncLog.detail)
             .where(SyncLog.status == "rejected", SyncLog.kind == "pull"))


# ---- status and bookkeeping ------------------------------------------------------------------

def sync_status(store: Store) -> dict:
    """What the CLI `status` / `sync` and the GUI's status bar show."""
    with store.read() as s:
        settings = dict(s.execute(select(Setting.key, Setting.value).where(
            Setting.key.in_([HQ_URL_KEY, LAST_SYNC_KEY, CURSOR_KEY, BRANCH_ID_KEY]))).all())
        pending = s.scalar(select(func.count()).select_from(OutboxEntry)) or 0
        conflicts = s.scalar(select(func.count()).select_from(SyncConflict)
                             .where(SyncConflict.resolved_at.is_(None))) or 0
        errors = [
            {"at": to_wire(e.at), "kind": e.kind, "status": e.status, "table": e.table_name,
             "row_id": e.row_id, "reason": e.reason}
            for e in s.scalars(select(SyncLog)
                               .where(SyncLog.status.in_(("error", "rejected")))
                               .order_by(SyncLog.id.desc()).limit(5))
        ]
    hq = settings.get(HQ_URL_KEY)
    return {
        "enrolled": hq is not None,
        "hq_url": hq,
        "branch_id": settings.get(BRANCH_ID_KEY),
        "last_sync_at": settings.get(LAST_SYNC_KEY),
        "cursor": int(settings.get(CURSOR_KEY) or 0),
        "pending": pending,
        "open_conflicts": conflicts,
        "last_errors": errors,
        "token": token_store.load(_data_dir(store)) is not None if hq else False,
    }


def conflicts(store: Store, *, open_only: bool = True) -> list[dict]:
    with store.read() as s:
        q = select(SyncConflict).order_by(SyncConflict.id)
        if open_only:
            q = q.where(SyncConflict.resolved_at.is_(None))
        return [{"id": c.id, "at": to_wire(c.at), "table": c.table_name, "row_id": c.row_id,
                 "field": c.field, "hq_value": json.loads(c.hq_value or "null"),
                 "branch_value": json.loads(c.branch_value or "null"), "winner": c.winner,
                 "change_id": c.change_id}
                for c in s.scalars(q)]


def _record_error(store: Store, error: Exception) -> None:
    try:
        with store.session_for_write() as session:
            _log(session, "error", status="error", reason=str(error),
                 detail={"error": error.__class__.__name__,
                         "status": getattr(error, "status", None)})
    except Exception:  # never hide HQ's error behind a logging failure
        log.exception("could not record the sync error")


def _log(session: Session, kind: str, *, entry: Waiting | None = None,
         status: str | None = None, reason: str | None = None,
         detail: dict | None = None) -> None:
    # An INSERT, not an ORM object (nothing reads the entry back in its transaction): the
    # flush of one object cost more than the statement.
    session.connection().execute(SyncLog.__table__.insert(), {
        "at": utcnow(), "kind": kind,
        "table_name": entry.table_name if entry else None,
        "row_id": entry.row_id if entry else None,
        "change_id": entry.change_id if entry else None,
        "status": status, "reason": reason,
        "detail": canonical_json(detail) if detail is not None else None})


def _save_unsaved_cursor(session: Session, report: SyncReport) -> bool:
    """Save the move of a last page without changes, only if the saved cursor is still the
    one that page was asked from (as _apply_page does for a page with rows: a concurrent
    cycle, or an enrollment that reset the cursor, may have moved it). Returns whether the
    saved cursor is now this cycle's (report.cursor): only then may the check's mark move."""
    current = int(_get(session, CURSOR_KEY) or 0)
    if report.unsaved_cursor is not None and current == report.unsaved_cursor[0]:
        current = report.unsaved_cursor[1]
        _set(session, CURSOR_KEY, str(current))
    return current == report.cursor


# Settings are read and written with plain statements through the driver, not as ORM
# objects: a cycle's bookkeeping took a millisecond of identity-map, flush and statement
# compiling work for three values.
def _get(session: Session, key: str) -> str | None:
    row = session.connection().exec_driver_sql(
        f"SELECT value FROM {Setting.__tablename__} WHERE key = ?", (key,)).first()
    return None if row is None else row[0]


def _set(session: Session, key: str, value: str) -> None:
    session.connection().exec_driver_sql(
        f"INSERT INTO {Setting.__tablename__} (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))


def _data_dir(store: Store):
    return store.path.parent


def _close(client) -> None:
    close = getattr(client, "close", None)
    if callable(close):
        close()
