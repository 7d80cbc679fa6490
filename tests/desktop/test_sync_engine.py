"""The desk side of sync without a network: enrollment re-keys the branch, pulled pages are
written with audit entries and no outbox entries, local pending edits survive a pull, a
move-out marks the employee transferred, and a crash anywhere loses and doubles nothing.

The fake HQ client below only stands in for the transport; the end-to-end tests against
the real HQ server are in tests/sync/test_desk_sync.py."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import stat
from decimal import Decimal

import pytest
from sqlalchemy import select

from desktop import audit, sync_engine, token_store
from desktop.services import branch, employees
from desktop.store import database, open_store
from desktop.store.models import (
    AuditEntry,
    Branch,
    Department,
    Employee,
    EmployeeEvent,
    OutboxEntry,
    SyncConflict,
    SyncLog,
)
from desktop.store.serialize import canonical_json, row_fields
from desktop.store.unit_of_work import python_values
from sync.client import HQUnreachable
from sync.protocol import (
    BranchRef,
    ChangeResult,
    DigestResponse,
    EnrollResponse,
    FieldConflict,
    PulledChange,
    PullResponse,
    PushRequest,
    PushResponse,
)
from tests.desktop.support import count_rows, employee_data

HQ_BRANCH = "0190a000-0000-7000-8000-00000000b001"
HQ_URL = "https://hq.example.test"
COLLECTION = "collection"


@pytest.fixture(autouse=True)
def _token_file(monkeypatch):
    monkeypatch.setenv(token_store.BACKEND_ENV, "file")


class FakeHQ:
    """Stands in for HQClient: scripted enroll and pull answers; push remembers results by
    change id (as HQ does) and hands out increasing revs."""

    def __init__(self, code="SH01", branch_id=HQ_BRANCH, name="上海分公司"):
        self.branch = BranchRef(id=branch_id, code=code, name=name)
        self.pages: list[PullResponse] = []
        self.pushed: list[list[str]] = []
        self.results: dict[str, ChangeResult] = {}
        self.rev = 100
        self.answer = None  # change_id -> ChangeResult override
        self.pull_calls: list[int] = []

    def __call__(self, base_url, token=None, **_kw):  # client_factory
        self.base_url = base_url
        return self

    def digest(self, tables, after=0):
        return DigestResponse(tables={})  # no digest: the end-of-cycle check finds nothing

    def enroll(self, code, device_name, branch_code=None):
        self.device_name = device_name
        return EnrollResponse(token="node-token-" + code, branch=self.branch)

    def push(self, changes):
        self.pushed.append([c.change_id for c in changes])
        out = []
        for c in changes:
            if c.change_id not in self.results:
                override = (self.answer or {}).get(c.change_id)
                if override is None:
                    self.rev += 1
                    override = ChangeResult(change_id=c.change_id, status="applied",
                                            rev=self.rev)
                self.results[c.change_id] = override
            out.append(self.results[c.change_id])
        return PushResponse(results=out)

    def push_gzipped(self, data: bytes, pull_after=None, pull_limit=2000,
                     digest_after=None):  # the request as HQ would read it
        answer = self.push(PushRequest.model_validate_json(gzip.decompress(data)).changes)
        if pull_after is not None:
            answer.pull = self.pull(pull_after, pull_limit, digest_after=digest_after)
        return answer

    def push_answer(self, answer):
        return answer

    def pull(self, after, limit=2000, table=None, digest_after=None):
        self.pull_calls.append(after)
        if self.pages:
            return self.pages.pop(0)
        return PullResponse(changes=[], next_after=after, more=False)

    def close(self):
        pass


def verify(store):
    with store.read() as s:
        return audit.verify(s)


def outbox(store) -> list[OutboxEntry]:
    with store.read() as s:
        return list(s.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))


def dept_id(store, code=COLLECTION) -> str:
    return next(d.id for d in branch.departments(store) if d.code == code)


def employee_wire(branch_id: str, department_id: str, row_id: str, **over) -> dict:
    row = {
        "id": row_id, "branch_id": branch_id, "updated_at": "2026-11-23T08:00:00.000000Z",
        "deleted": False, "employee_no": "H00001", "name": "赵敏", "gender": "F",
        "id_number": "310101199001011228", "birth_date": "1990-01-01",
        "phone": "13911112222", "department_id": department_id, "position": "催收专员",
        "hire_date": "2023-03-01", "base_salary": "9000.00",
        "bank_account": "6222021200000000001", "status": "active", "leave_date": None,
        "leave_reason": None,
    }
    row.update(over)
    return row


def enrolled(store, fake: FakeHQ | None = None) -> FakeHQ:
    fake = fake or FakeHQ()
    sync_engine.enroll(store, HQ_URL, "ENROLL-123", "desk-1", client_factory=fake)
    return fake


# ---- enrollment ------------------------------------------------------------------------------

def test_enrollment_rekeys_the_standalone_branch_in_one_go(store, admin):
    old = branch.current_branch(store).id
    branch.add_department(store, admin, "legal", "法务")
    emp_id, _ = employees.hire(store, admin, employee_data(department="legal"))
    assert any(json.loads(e.fields).get("branch_id") == old for e in outbox(store))

    fake = FakeHQ()
    info = sync_engine.enroll(store, HQ_URL + "/", "ENROLL-123", "desk-1",
                              client_factory=fake)

    assert info.id == HQ_BRANCH and info.enrolled
    assert branch.current_branch(store).id == HQ_BRANCH
    assert store.setting(branch.HQ_URL_KEY) == HQ_URL
    with store.read() as s:
        assert s.get(Employee, emp_id).branch_id == HQ_BRANCH
        assert {e.branch_id for e in s.scalars(select(EmployeeEvent))} == {HQ_BRANCH}
        own = s.scalars(select(Department).where(Department.code == "legal")).one()
        assert own.branch_id == HQ_BRANCH
        assert s.get(Branch, HQ_BRANCH).code == "SH01"
        # the old row is a tombstone keeping its history; its code is free for HQ's row
        assert s.get(Branch, old).deleted
        standard = s.scalars(select(Department).where(Department.code == COLLECTION)).one()
        assert standard.branch_id is None
    for entry in outbox(store):
        assert json.loads(entry.fields).get("branch_id") in (None, HQ_BRANCH)
    assert not any(old in e.fields for e in outbox(store))
    assert verify(store).ok, verify(store).reason
    assert employees.count(store) == 1  # the desk still sees its employee
    assert token_store.load(store.path.parent) == "node-token-ENROLL-123"


def test_enrollment_for_another_branch_code_changes_nothing(store, admin):
    employees.hire(store, admin, employee_data())
    before = branch.current_branch(store)
    audit_rows = count_rows(store, "audit_log")

    with pytest.raises(sync_engine.EnrollmentMismatch, match="branch_code.*SH01.*BJ01"):
        sync_engine.enroll(store, HQ_URL, "ENROLL-123", "desk-1",
                           client_factory=FakeHQ(code="BJ01"))

    assert branch.current_branch(store) == before
    assert store.setting(branch.HQ_URL_KEY) is None
    assert count_rows(store, "audit_log") == audit_rows
    assert token_store.load(store.path.parent) is None


def test_a_fresh_store_adopts_hqs_branch(tmp_path):
    s = open_store(tmp_path / "fresh")
    try:
        info = sync_engine.enroll(s, HQ_URL, "ENROLL-123", client_factory=FakeHQ())
        assert info.id == HQ_BRANCH
        current = branch.current_branch(s)
        assert (current.id, current.code, current.enrolled) == (HQ_BRANCH, "SH01", True)
        assert count_rows(s, "outbox") == 0
        assert verify(s).ok
    finally:
        s.close()


def test_enrolling_again_with_the_same_branch_keeps_the_cursor(store):
    fake = enrolled(store)
    with store.session_for_write() as s:
        sync_engine._set(s, sync_engine.CURSOR_KEY, "42")
    sync_engine.enroll(store, HQ_URL, "ENROLL-456", "desk-1", client_factory=fake)
    assert store.setting(sync_engine.CURSOR_KEY) == "42"
    assert token_store.load(store.path.parent) == "node-token-ENROLL-456"


def test_the_token_file_is_private_and_never_in_the_store(store):
    enrolled(store)
    path = token_store.token_path(store.path.parent)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert b"node-token-ENROLL-123" not in store.path.read_bytes()
    token_store.delete(store.path.parent)
    assert token_store.load(store.path.parent) is None and not path.exists()


# ---- push ----------------------------------------------------------------------------------

def test_push_sends_the_outbox_oldest_first_and_records_the_revs(store, admin):
    fake = enrolled(store)
    emp_id, _ = employees.hire(store, admin, employee_data())
    expected = [e.change_id for e in outbox(store)]

    report = sync_engine.sync(store, client=fake)

    assert fake.pushed == [expected]
    assert report.pushed == report.applied == len(expected)
    assert outbox(store) == []
    with store.read() as s:
        assert s.get(Employee, emp_id).rev > 0
    assert store.setting(sync_engine.LAST_SYNC_KEY)
    status = sync_engine.sync_status(store)
    assert status["enrolled"] and status["pending"] == 0 and status["last_sync_at"]


def test_push_goes_in_batches(store, admin, monkeypatch):
    monkeypatch.setattr(sync_engine, "MAX_PUSH_CHANGES", 3)
    fake = enrolled(store)
    employees.hire_many(store, admin, [employee_data() for _ in range(4)])  # 8 entries
    sync_engine.sync(store, client=fake)
    assert [len(b) for b in fake.pushed] == [3, 3, 2]
    assert outbox(store) == []


def test_a_batch_hq_did_not_answer_stops_the_push_before_the_next_batch(store, admin,
                                                                         monkeypatch):
    # Batches are pipelined: the next is read while HQ answers one. It must not reach HQ
    # when the one before it failed (its changes would arrive without those before them).
    monkeypatch.setattr(sync_engine, "MAX_PUSH_CHANGES", 3)
    fake = enrolled(store)
    employees.hire_many(store, admin, [employee_data() for _ in range(4)])  # 8 entries
    waiting = [e.change_id for e in outbox(store)]
    calls = []

    def unreachable(body):
        calls.append(body)
        raise HQUnreachable("cannot reach HQ (test)")

    monkeypatch.setattr(fake, "push_gzipped", unreachable)
    with pytest.raises(HQUnreachable):
        sync_engine.sync(store, client=fake)
    assert len(calls) == 1
    assert [e.change_id for e in outbox(store)] == waiting

    monkeypatch.undo()  # HQ is back: every batch goes, in order
    monkeypatch.setattr(sync_engine, "MAX_PUSH_CHANGES", 3)
    sync_engine.sync(store, client=fake)
    assert [c for batch in fake.pushed for c in batch] == waiting
    assert outbox(store) == []


def test_conflicts_and_rejections_are_kept_in_the_sync_log(store, admin):
    fake = enrolled(store)
    emp_id, _ = employees.hire(store, admin, employee_data())
    sync_engine.sync(store, client=fake)
    employees.edit(store, admin, emp_id, {"base_salary": "9100.00", "phone": "13900009999"})
    employees.edit(store, admin, emp_id, {"position": "组长"})
    first, second = (e.change_id for e in outbox(store))
    fake.answer = {
        first: ChangeResult(change_id=first, status="conflict", rev=500, conflicts=[
            FieldConflict(field="base_salary", hq_value="9500.00", branch_value="9100.00",
                          winner="hq")]),
        second: ChangeResult(change_id=second, status="rejected", reason="position is locked"),
    }

    report = sync_engine.sync(store, client=fake)

    assert (report.conflicts, report.rejected) == (1, 1)
    assert report.errors == [f"employee {emp_id}: position is locked"]
    assert outbox(store) == []
    with store.read() as s:
        (c,) = s.scalars(select(SyncConflict)).all()
        assert (c.table_name, c.row_id, c.field, c.winner) == ("employee", emp_id,
                                                               "base_salary", "hq")
        assert json.loads(c.hq_value) == "9500.00" and c.change_id == first
        logged = {(e.status, e.change_id) for e in s.scalars(select(SyncLog))
                  if e.kind == "push"}
        assert {("conflict", first), ("rejected", second)} <= logged
        assert s.get(Employee, emp_id).rev == 500
    status = sync_engine.sync_status(store)
    assert status["open_conflicts"] == 1
    assert status["last_errors"][0]["reason"] == "position is locked"


def test_a_crash_before_the_results_are_recorded_repushes_the_same_change_ids(
        store, admin, monkeypatch):
    fake = enrolled(store)
    employees.hire(store, admin, employee_data())
    change_ids = [e.change_id for e in outbox(store)]

    def crash(*_a, **_k):
        raise RuntimeError("power cut")

    with monkeypatch.context() as m:
        m.setattr(sync_engine, "_record_results", crash)
        with pytest.raises(RuntimeError):
            sync_engine.sync(store, client=fake)
    assert [e.change_id for e in outbox(store)] == change_ids  # nothing lost

    report = sync_engine.sync(store, client=fake)

    assert fake.pushed == [change_ids, change_ids]  # the same ids: HQ dedups them
    assert len(fake.results) == len(change_ids)  # HQ applied each once
    assert report.pushed == len(change_ids) and outbox(store) == []


def test_hq_unreachable_keeps_the_outbox_and_logs_the_error(store, admin):
    fake = enrolled(store)
    employees.hire(store, admin, employee_data())
    before = [e.change_id for e in outbox(store)]

    def down(_changes):
        raise HQUnreachable("cannot reach HQ at https://hq.example.test: connection refused")

    fake.push = down
    with pytest.raises(HQUnreachable):
        sync_engine.sync(store, client=fake)

    assert [e.change_id for e in outbox(store)] == before
    errors = sync_engine.sync_status(store)["last_errors"]
    assert errors and "cannot reach HQ" in errors[0]["reason"]
    assert store.setting(sync_engine.LAST_SYNC_KEY) is None


def test_sync_needs_enrollment(store):
    with pytest.raises(sync_engine.NotEnrolled, match="enroll"):
        sync_engine.sync(store)


# ---- pull -------------------------------------------------------------------------------------

def _page(changes, next_after, more=False):
    return PullResponse(changes=[PulledChange(**c) for c in changes], next_after=next_after,
                        more=more)


def test_a_pulled_page_writes_rows_and_audit_but_no_outbox(store):
    fake = enrolled(store)
    outbox_before = count_rows(store, "outbox")
    dept = "0190a000-0000-7000-8000-0000000d0001"
    emp = "0190a000-0000-7000-8000-0000000e0001"
    event = "0190a000-0000-7000-8000-0000000f0001"
    other_branch = "0190a000-0000-7000-8000-00000000b002"
    # children first on purpose: the desk applies them in TABLE_ORDER
    fake.pages = [_page([
        {"table": "employee_event", "row_id": event, "rev": 14, "op": "upsert", "row": {
            "id": event, "branch_id": HQ_BRANCH, "updated_at": "2026-11-23T08:00:00Z",
            "deleted": False, "employee_id": emp, "kind": "hire",
            "effective_date": "2023-03-01", "reason": None, "actor": "hq:admin"}},
        {"table": "employee", "row_id": emp, "rev": 13, "op": "upsert",
         "row": employee_wire(HQ_BRANCH, dept, emp, base_salary="9000")},
        {"table": "department", "row_id": dept, "rev": 12, "op": "upsert", "row": {
            "id": dept, "branch_id": HQ_BRANCH, "updated_at": "2026-11-23T08:00:00Z",
            "deleted": False, "code": "legal", "name": "法务", "name_en": "Legal"}},
        {"table": "branch", "row_id": other_branch, "rev": 11, "op": "upsert", "row": {
            "id": other_branch, "branch_id": None, "updated_at": "2026-11-23T08:00:00Z",
            "deleted": False, "code": "BJ01", "name": "北京分公司"}},
    ], next_after=14)]

    report = sync_engine.sync(store, client=fake)

    assert report.received == 4 and report.pulled == 4
    assert count_rows(store, "outbox") == outbox_before
    assert store.setting(sync_engine.CURSOR_KEY) == "14"
    with store.read() as s:
        row = s.get(Employee, emp)
        assert row.base_salary == Decimal("9000.00") and row.rev == 13
        assert row.birth_date.isoformat() == "1990-01-01" and row.deleted is False
        assert s.get(Branch, other_branch).code == "BJ01"
        pulled = [(e.actor, e.action, e.table_name, list(json.loads(e.detail)["rows"]))
                  for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "pull")
                                     .order_by(AuditEntry.seq))]
        assert pulled == [(sync_engine.SYNC_ACTOR, "pull", "branch", [other_branch]),
                          (sync_engine.SYNC_ACTOR, "pull", "department", [dept]),
                          (sync_engine.SYNC_ACTOR, "pull", "employee", [emp]),
                          (sync_engine.SYNC_ACTOR, "pull", "employee_event", [event])]
    assert employees.count(store) == 1
    assert verify(store).ok, verify(store).reason

    # the same page again (a crash before the cursor moved elsewhere): nothing doubles
    audit_rows = count_rows(store, "audit_log")
    fake.pages = [_page([{"table": "employee", "row_id": emp, "rev": 13, "op": "upsert",
                          "row": employee_wire(HQ_BRANCH, dept, emp)}], next_after=14)]
    again = sync_engine.sync(store, client=fake)
    assert again.pulled == 0 and count_rows(store, "audit_log") == audit_rows


def test_pull_follows_more_from_the_saved_cursor(store):
    fake = enrolled(store)
    dept = dept_id(store)
    ids = [f"0190a000-0000-7000-8000-0000000e000{i}" for i in range(3)]
    fake.pages = [
        _page([{"table": "employee", "row_id": ids[0], "rev": 5, "op": "upsert",
                "row": employee_wire(HQ_BRANCH, dept, ids[0], employee_no="H1")}], 5, True),
        _page([{"table": "employee", "row_id": ids[1], "rev": 6, "op": "upsert",
                "row": employee_wire(HQ_BRANCH, dept, ids[1], employee_no="H2",
                                     id_number="310101199001011300")}], 6, True),
        _page([], 6, False),
    ]
    seen = []
    sync_engine.sync(store, client=fake, progress=lambda done, total: seen.append(done))
    assert fake.pull_calls == [0, 5, 6]
    assert store.setting(sync_engine.CURSOR_KEY) == "6"
    assert seen[-1] == 2


def test_the_cursor_moves_only_with_its_page(store, monkeypatch):
    fake = enrolled(store)
    dept = dept_id(store)
    a, b = "0190a000-0000-7000-8000-0000000e00a1", "0190a000-0000-7000-8000-0000000e00b1"
    page = _page([
        {"table": "employee", "row_id": a, "rev": 7, "op": "upsert",
         "row": employee_wire(HQ_BRANCH, dept, a, employee_no="H1")},
        {"table": "employee", "row_id": b, "rev": 8, "op": "upsert",
         "row": employee_wire(HQ_BRANCH, dept, b, employee_no="H2",
                              id_number="310101199001011300")},
    ], 8)
    fake.pages = [page]
    real = sync_engine.UnitOfWork.insert_pulled

    def dies_after_writing(self, model, rows, columns=None):
        real(self, model, rows, columns)  # the page's rows are written, the cursor not yet
        raise RuntimeError("killed mid-page")

    monkeypatch.setattr(sync_engine.UnitOfWork, "insert_pulled", dies_after_writing)
    with pytest.raises(RuntimeError):
        sync_engine.sync(store, client=fake)
    assert store.setting(sync_engine.CURSOR_KEY) == "0"
    assert count_rows(store, "employee") == 0

    monkeypatch.setattr(sync_engine.UnitOfWork, "insert_pulled", real)
    fake.pages = [page]
    sync_engine.sync(store, client=fake)
    assert fake.pull_calls == [0, 0]  # resumed from the saved cursor
    assert store.setting(sync_engine.CURSOR_KEY) == "8"
    assert count_rows(store, "employee") == 2
    assert verify(store).ok


def test_a_last_page_without_changes_moves_the_cursor_at_the_cycles_end(store):
    """HQ skips the rows a desk pushed itself: the page comes back empty, but the cursor
    moves past them (saved with the cycle's closing transaction)."""
    fake = enrolled(store)
    fake.pages = [PullResponse(changes=[], next_after=40, more=False)]
    sync_engine.sync(store, client=fake)
    assert store.setting(sync_engine.CURSOR_KEY) == "40"
    sync_engine.sync(store, client=fake)
    assert fake.pull_calls == [0, 40]


def test_a_cursor_moved_during_the_cycle_is_not_overwritten_by_its_end(store, admin):
    """An empty last page must not move a cursor that something else moved meanwhile: here
    the desk is enrolled again (cursor and check mark back to 0) while a cycle pulls."""
    fake = enrolled(store)
    fake.pages = [PullResponse(changes=[], next_after=30, more=False)]
    sync_engine.sync(store, client=fake)
    assert store.setting(sync_engine.CURSOR_KEY) == "30"
    employees.hire(store, admin, employee_data(phone="13900000009"))  # a cycle with a check
    pull = fake.pull

    def pull_while_reenrolled(after, *args, **kwargs):
        page = pull(after, *args, **kwargs)
        with store.session_for_write() as s:
            sync_engine._reset_cursor(s)  # what enroll() does
        return page

    fake.pull = pull_while_reenrolled
    fake.pages = [PullResponse(changes=[], next_after=40, more=False)]
    report = sync_engine.sync(store, client=fake)
    assert report.pushed and report.touched  # the check ran, and agreed (no digest here)
    assert store.setting(sync_engine.CURSOR_KEY) == "0"
    assert store.setting(sync_engine.CHECKED_KEY) == "0"


def test_local_pending_edits_survive_a_pull(store, admin):
    fake = enrolled(store)
    emp_id, _ = employees.hire(store, admin, employee_data(phone="13900000001"))
    sync_engine.sync(store, client=fake)
    with store.read() as s:
        synced = s.get(Employee, emp_id)
        base = synced.rev
        wire = {c.key: getattr(synced, c.key) for c in Employee.__table__.columns}
    from desktop.store.serialize import to_wire

    wire = {k: to_wire(v) for k, v in wire.items() if k != "rev"}
    employees.edit(store, admin, emp_id, {"phone": "13900000002"})  # offline, pending
    pending = [e.change_id for e in outbox(store)]
    hq_row = {**wire, "phone": "13955555555", "position": "组长"}  # HQ changed both
    fake.pages = [_page([{"table": "employee", "row_id": emp_id, "rev": base + 10,
                          "op": "upsert", "row": hq_row}], base + 10)]
    fake.push = lambda changes: (_ for _ in ()).throw(HQUnreachable("x"))  # push fails...

    with pytest.raises(HQUnreachable):
        sync_engine.sync(store, client=fake)
    del fake.push  # ...and the pull path alone is exercised next
    sync_engine._pull(store, fake, sync_engine.SyncReport(), None, 100)

    with store.read() as s:
        row = s.get(Employee, emp_id)
        assert row.phone == "13900000002"  # local pending value kept
        assert row.position == "组长"  # HQ's change of another field applied
        assert row.rev == base + 10
    assert [e.change_id for e in outbox(store)] == pending
    pending_entry = outbox(store)[0]
    assert pending_entry.base_rev == base  # pushed against the rev it was made on
    assert verify(store).ok, verify(store).reason


def test_a_move_out_marks_the_employee_transferred(store, admin):
    fake = enrolled(store)
    emp_id, _ = employees.hire(store, admin, employee_data())
    sync_engine.sync(store, client=fake)
    fake.pages = [_page([{"table": "employee", "row_id": emp_id, "rev": 900,
                          "op": "move_out"}], 900)]

    report = sync_engine.sync(store, client=fake)

    assert report.pulled == 1
    with store.read() as s:
        row = s.get(Employee, emp_id)
        assert row.status == "transferred" and row.rev == 900
        assert len(list(s.scalars(select(EmployeeEvent)
                                  .where(EmployeeEvent.employee_id == emp_id)))) == 1
    assert outbox(store) == []
    assert employees.count(store, "transferred") == 1
    assert verify(store).ok


def test_a_pulled_delete_is_a_tombstone(store, admin):
    fake = enrolled(store)
    branch.add_department(store, admin, "legal", "法务")
    legal = dept_id(store, "legal")
    sync_engine.sync(store, client=fake)
    fake.pages = [_page([{"table": "department", "row_id": legal, "rev": 950, "op": "delete",
                          "row": {}}], 950)]
    sync_engine.sync(store, client=fake)
    with store.read() as s:
        assert s.get(Department, legal).deleted
    assert verify(store).ok


def test_wire_values_become_python_values():
    values = python_values(Employee, {
        "base_salary": "8000.5", "birth_date": "1990-01-02", "deleted": False,
        "updated_at": "2026-11-23T08:00:00Z", "unknown": 1})
    assert values["base_salary"] == Decimal("8000.50")
    assert values["birth_date"].isoformat() == "1990-01-02"
    assert values["updated_at"].utcoffset().total_seconds() == 0
    assert "unknown" not in values


# ---- a pulled page's new rows: one executemany and one audit entry a table --------------------

def _hq_branch_page(count: int, dept: str, first_rev: int = 1) -> list[dict]:
    """A page as HQ sends a branch: `count` employees, each with a hire event after them
    (children first: the desk applies TABLE_ORDER)."""
    changes, rev = [], first_rev
    for i in range(count):
        emp = f"0190a000-0000-7000-8000-0000001e{i:04d}"
        event = f"0190a000-0000-7000-8000-0000001f{i:04d}"
        changes.append({"table": "employee_event", "row_id": event, "rev": rev + 1,
                        "op": "upsert", "row": {
                            "id": event, "branch_id": HQ_BRANCH,
                            "updated_at": "2026-11-23T08:00:00.000000Z", "deleted": False,
                            "employee_id": emp, "kind": "hire", "effective_date": "2023-03-01",
                            "reason": None, "actor": "hq:admin"}})
        changes.append({"table": "employee", "row_id": emp, "rev": rev, "op": "upsert",
                        "row": employee_wire(HQ_BRANCH, dept, emp, employee_no=f"H{i:05d}",
                                             id_number=f"31010119900101{i:04d}",
                                             updated_at="2026-11-23T08:00:00.123456Z")})
        rev += 2
    return changes


def _pull_entries(store) -> list[AuditEntry]:
    with store.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == "pull")
                              .order_by(AuditEntry.seq)))


def test_a_pulled_page_makes_one_audit_entry_per_table_not_one_per_row(store):
    fake = enrolled(store)
    dept = dept_id(store)
    audit_before = count_rows(store, "audit_log")
    fake.pages = [_page(_hq_branch_page(40, dept), next_after=80)]

    report = sync_engine.sync(store, client=fake)

    assert report.pulled == 80 and count_rows(store, "employee") == 40
    assert count_rows(store, "audit_log") == audit_before + 2
    entries = _pull_entries(store)
    assert [(e.table_name, e.actor) for e in entries] == [
        ("employee", sync_engine.SYNC_ACTOR), ("employee_event", sync_engine.SYNC_ACTOR)]
    with store.read() as s:
        for e in entries:
            detail = json.loads(e.detail)
            model = {"employee": Employee, "employee_event": EmployeeEvent}[e.table_name]
            assert detail["op"] == "pull" and len(detail["rows"]) == 40
            assert e.detail == canonical_json(detail)  # one spelling, as every entry
            assert detail["columns"] == sorted(detail["columns"])  # names once, in order
            for row_id, fields in audit.pulled_rows(detail):  # what a create entry would say
                row = s.get(model, row_id)
                assert fields == {k: v for k, v in row_fields(row).items() if k != "rev"}
    assert verify(store).ok, verify(store).reason

    # The next page: an entry of its own, chained after those.
    late = "0190a000-0000-7000-8000-0000002e0001"
    fake.pages = [_page([{"table": "employee", "row_id": late, "rev": 200, "op": "upsert",
                          "row": employee_wire(HQ_BRANCH, dept, late, employee_no="H90001",
                                               id_number="310101199001019001")}], 200)]
    sync_engine.sync(store, client=fake)
    assert count_rows(store, "audit_log") == audit_before + 3
    assert list(json.loads(_pull_entries(store)[-1].detail)["rows"]) == [late]
    assert verify(store).ok, verify(store).reason


def test_a_page_bigger_than_one_statement_stores_every_row(store, monkeypatch):
    # A page's new rows go in as multi-row INSERTs of as many rows as SQLite's bound values
    # allow: with room for 7 employees a statement, 40 take six statements, the last short.
    monkeypatch.setattr(database, "MAX_VARIABLES", 7 * len(Employee.__table__.columns))
    fake = enrolled(store)
    dept = dept_id(store)
    fake.pages = [_page(_hq_branch_page(40, dept), next_after=80)]

    report = sync_engine.sync(store, client=fake)

    assert report.pulled == 80
    assert count_rows(store, "employee") == 40 and count_rows(store, "employee_event") == 40
    with store.read() as s:
        for entry in _pull_entries(store):
            model = {"employee": Employee, "employee_event": EmployeeEvent}[entry.table_name]
            rows = dict(audit.pulled_rows(json.loads(entry.detail)))
            assert len(rows) == 40
            for row_id, fields in rows.items():  # each row holds its own values
                assert fields == {k: v for k, v in row_fields(s.get(model, row_id)).items()
                                  if k != "rev"}
    assert verify(store).ok, verify(store).reason


def test_only_rows_of_tables_the_desk_does_not_know_are_logged_as_skipped(store):
    fake = enrolled(store)
    changes = _hq_branch_page(3, dept_id(store))
    changes.append({"table": "score_event", "row_id": "0190a000-0000-7000-8000-0000006e0001",
                    "rev": 50, "op": "upsert", "row": {"points": 10}})
    fake.pages = [_page(changes, 50)]
    report = sync_engine.sync(store, client=fake)
    assert report.pulled == 6 and count_rows(store, "employee") == 3
    with store.read() as s:
        skipped = [json.loads(e.detail) for e in s.scalars(
            select(SyncLog).where(SyncLog.status == "skipped"))]
    assert skipped == [{"skipped": 1, "tables": ["score_event"]}]


def test_audit_verify_catches_a_pulled_row_changed_behind_the_apps_back(store, raw, capsys):
    from desktop import cli

    fake = enrolled(store)
    fake.pages = [_page(_hq_branch_page(30, dept_id(store)), next_after=60)]
    sync_engine.sync(store, client=fake)
    assert verify(store).ok, verify(store).reason
    assert cli.main(["--data-dir", str(store.path.parent), "audit", "verify"]) == 0
    assert "audit chain intact" in capsys.readouterr().out

    employee_entry = next(e.seq for e in _pull_entries(store) if e.table_name == "employee")
    victim = "0190a000-0000-7000-8000-0000001e0017"
    raw.execute("UPDATE employee SET base_salary = 1 WHERE id = ?", (victim,))
    report = verify(store)
    assert not report.ok
    assert report.first_broken == employee_entry
    assert victim in report.reason and "base_salary" in report.reason
    assert "'0.01'" in report.reason and "'9000.00'" in report.reason
    assert cli.main(["--data-dir", str(store.path.parent), "audit", "verify"]) == 1
    assert f"entry {employee_entry}" in capsys.readouterr().err

    raw.execute("UPDATE employee SET base_salary = 900000 WHERE id = ?", (victim,))
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute("DELETE FROM employee_event WHERE employee_id = ?", (victim,))
    report = verify(store)
    assert not report.ok and "missing" in report.reason


def test_pull_entries_written_before_column_lists_still_verify(store, raw):
    """Desks pulled with the earlier build hold pull entries whose rows are dicts of fields:
    their trail stays verifiable, and a tampered row among them is still found."""
    fake = enrolled(store)
    fake.pages = [_page(_hq_branch_page(5, dept_id(store)), next_after=10)]
    sync_engine.sync(store, client=fake)
    first = _pull_entries(store)[0].seq
    with store.session_for_write() as s:  # rewrite them as the earlier build wrote them
        prev = s.get(AuditEntry, first - 1).hash
        for e in s.scalars(select(AuditEntry).where(AuditEntry.seq >= first)
                           .order_by(AuditEntry.seq)):
            if e.action == "pull":
                e.detail = canonical_json({"op": "pull", "rows": dict(
                    audit.pulled_rows(json.loads(e.detail)))})
            e.prev_hash = prev
            e.hash = prev = audit.entry_hash(prev, e.seq, e.at, e.actor, e.action,
                                             e.table_name, e.row_id, e.detail)
    assert "columns" not in json.loads(_pull_entries(store)[0].detail)
    assert verify(store).ok, verify(store).reason
    with store.read() as s:
        preview = audit.pull_preview(s, _pull_entries(store)[0].seq, rows=2)
    assert preview["count"] == 5 and len(preview["rows"]) == 2
    assert all(fields["employee_no"].startswith("H") for fields in preview["rows"].values())

    raw.execute("UPDATE employee SET name = '王五' WHERE id = ?",
                ("0190a000-0000-7000-8000-0000001e0003",))
    report = verify(store)
    assert not report.ok and "name" in report.reason


def test_pulled_new_rows_are_stored_as_the_orm_path_stores_them(store, tmp_path, monkeypatch):
    """The bulk path (a page's new rows) against apply_pulled (the path a page takes row by
    row when it cannot go in whole): the same stored values and the same audited fields,
    for the canonical values HQ sends (checked, not converted) and for values only the ORM
    path's conversion understands."""
    from desktop.store import open_store, unit_of_work

    dept = "0190a000-0000-7000-8000-0000000d0009"
    canonical = [  # (row id, overrides): what HQ sends, awkward as it gets
        ("0190a000-0000-7000-8000-0000003e0001", {
            "name": "Zoë \"阿明\" \\ O'Brien 😀", "base_salary": "12345.67",
            "leave_date": None, "leave_reason": None, "deleted": False}),
        ("0190a000-0000-7000-8000-0000003e0002", {
            "name": "欧阳娜娜", "base_salary": "0.05", "status": "left",
            "leave_date": "2024-02-29", "leave_reason": "个人原因，\n另谋高就", "deleted": True,
            "updated_at": "2026-11-23T08:00:00.000001Z"}),
        ("0190a000-0000-7000-8000-0000003e0003", {"base_salary": "1000000.00"}),
    ]
    other = [  # values HQ does not send, which the ORM path still reads
        ("0190a000-0000-7000-8000-0000003e0004", {
            "base_salary": "9000", "updated_at": "2026-11-23T08:00:00Z", "deleted": 0}),
        ("0190a000-0000-7000-8000-0000003e0005", {
            "base_salary": 8000.5, "updated_at": "2026-11-23T16:00:00.5+08:00",
            "birth_date": "1990-01-02T00:00:00", "leave_date": "2025-01-31"}),
    ]

    def page(rows, first_rev):
        changes = [PulledChange(
            table="employee", row_id=row_id, rev=first_rev + i, op="upsert",
            row=employee_wire(HQ_BRANCH, dept, row_id, employee_no=f"Q{first_rev + i}",
                              id_number=f"310101199001019{first_rev + i:03d}", **over))
            for i, (row_id, over) in enumerate(rows)]
        del changes[-1].row["status"]  # a column the wire leaves out gets its default
        return changes

    first = [PulledChange(table="department", row_id=dept, rev=1, op="upsert", row={
        "id": dept, "branch_id": HQ_BRANCH, "updated_at": "2026-11-23T08:00:00.000000Z",
        "deleted": False, "code": "legal", "name": "法务"})]  # name_en left out: its default
    first += page(canonical, 10)
    second = page(other, 20)
    converted = []
    real = unit_of_work._convert_column
    monkeypatch.setattr(unit_of_work, "_convert_column",
                        lambda column, values: converted.append(column.name) or
                        real(column, values))
    orm = open_store(tmp_path / "orm-path")
    try:
        assert sync_engine.apply_page(store, first, None, None) == len(first)
        assert converted == []  # HQ's values were checked and stored as they came
        assert sync_engine.apply_page(store, second, None, None) == len(second)
        assert {"base_salary", "updated_at", "birth_date", "deleted"} <= set(converted)
        for changes in (first, second):
            assert sync_engine._apply_page(orm, changes, None, None, isolate=True) == \
                len(changes)
        assert _pull_entries(orm) == []  # every row took apply_pulled

        def stored(db, table):
            return db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()

        with sqlite3.connect(store.path) as bulk_db, sqlite3.connect(orm.path) as orm_db:
            for table in ("department", "employee"):
                assert stored(bulk_db, table) == stored(orm_db, table)
            cents = dict(bulk_db.execute("SELECT id, base_salary FROM employee"))
            assert cents[canonical[0][0]] == 1234567 and cents[other[1][0]] == 800050
        with orm.read() as s:
            created = {e.row_id: json.loads(e.detail)["fields"] for e in s.scalars(
                select(AuditEntry).where(AuditEntry.action == "create",
                                         AuditEntry.actor == sync_engine.SYNC_ACTOR))}
        pulled = {}
        for e in _pull_entries(store):
            pulled.update(audit.pulled_rows(json.loads(e.detail)))
        assert pulled == created
        assert pulled[canonical[0][0]]["name"] == canonical[0][1]["name"]
        assert pulled[canonical[0][0]]["leave_date"] is None
        assert pulled[canonical[1][0]]["deleted"] is True
        assert pulled[canonical[2][0]]["status"] == "active"
        assert pulled[other[0][0]]["base_salary"] == "9000.00"
        assert pulled[other[0][0]]["updated_at"] == "2026-11-23T08:00:00.000000Z"
        assert pulled[other[1][0]]["updated_at"] == "2026-11-23T08:00:00.500000Z"
        assert pulled[other[1][0]]["birth_date"] == "1990-01-02"
        assert pulled[dept]["name_en"] == ""
        assert verify(store).ok and verify(orm).ok
    finally:
        orm.close()


def test_collections_wait_for_the_pull_and_come_back_after_it(store):
    """Full collections wait for the pull's end, young ones come every 50,000 objects, and
    both are as they were after it, even when the pull fails."""
    import gc

    fake = enrolled(store)
    before = gc.get_threshold()
    during = []

    def failing_pull(*_a, **_kw):
        during.append(gc.get_threshold())
        raise HQUnreachable("HQ went away mid-pull")

    fake.pull = failing_pull
    with pytest.raises(HQUnreachable):
        sync_engine.sync(store, client=fake)
    young, middle, full = during[0]
    assert young == max(before[0], sync_engine.BATCH_YOUNG_OBJECTS) and middle == before[1]
    assert full > 1_000_000
    assert gc.get_threshold() == before


@pytest.mark.parametrize("bad", [{"birth_date": "1990-02-30"}, {"base_salary": "12,00"},
                                 {"updated_at": "2026-11-23T25:00:00.000000Z"}])
def test_a_value_the_desk_cannot_read_fails_the_page_as_before(store, bad):
    fake = enrolled(store)
    row_id = "0190a000-0000-7000-8000-0000004e0001"
    fake.pages = [_page([{"table": "employee", "row_id": row_id, "rev": 5, "op": "upsert",
                          "row": employee_wire(HQ_BRANCH, dept_id(store), row_id, **bad)}],
                        5)]
    audit_rows = count_rows(store, "audit_log")
    with pytest.raises((ValueError, ArithmeticError)):
        sync_engine.sync(store, client=fake)
    assert store.setting(sync_engine.CURSOR_KEY) == "0"  # nothing of the page was kept
    assert count_rows(store, "employee") == 0 and count_rows(store, "audit_log") == audit_rows


# ---- the CLI ----------------------------------------------------------------------------------

def test_cli_sync_exits_1_with_a_readable_line_when_hq_is_unreachable(store, admin, capsys,
                                                                      monkeypatch):
    import functools

    from desktop import cli
    from sync.client import HQClient

    enrolled(store)
    employees.hire(store, admin, employee_data())
    with store.session_for_write() as s:  # a port nobody listens on
        sync_engine._set(s, branch.HQ_URL_KEY, "http://127.0.0.1:9")
    pending = count_rows(store, "outbox")
    monkeypatch.setattr(sync_engine, "HQClient",
                        functools.partial(HQClient, sleep=lambda _s: None, retries=2))
    data_dir = str(store.path.parent)

    code = cli.main(["--data-dir", data_dir, "sync"])

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: cannot reach HQ at http://127.0.0.1:9")
    assert len(err.strip().splitlines()) == 1
    assert count_rows(store, "outbox") == pending


def test_cli_sync_on_a_standalone_desk_says_to_enroll(store, capsys):
    from desktop import cli

    assert cli.main(["--data-dir", str(store.path.parent), "sync"]) == 1
    assert "branchdesk enroll" in capsys.readouterr().err


def test_cli_enroll_and_sync(store, admin, capsys, monkeypatch):
    from desktop import cli

    fake = FakeHQ()
    monkeypatch.setattr(sync_engine.enroll, "__kwdefaults__",
                        {"client_factory": fake, "ca_bundle": None})
    monkeypatch.setattr(sync_engine, "make_client", lambda _store, _settings=None: fake)
    data_dir = str(store.path.parent)
    employees.hire(store, admin, employee_data())

    assert cli.main(["--data-dir", data_dir, "enroll", "--hq", HQ_URL, "--code",
                     "ENROLL-1", "--device-name", "front desk"]) == 0
    assert f"enrolled with {HQ_URL} as branch SH01" in capsys.readouterr().out
    assert fake.device_name == "front desk"

    assert cli.main(["--data-dir", data_dir, "sync", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["ok"] and out["pushed"] == 2 and out["pending"] == 0
    assert cli.main(["--data-dir", data_dir, "sync"]) == 0
    assert capsys.readouterr().out.startswith("pushed 0 (0 applied, 0 merged), pulled 0")
