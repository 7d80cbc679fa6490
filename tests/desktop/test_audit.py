"""The hash-chained audit log: an ordinary history verifies; tampering with the log or with
the rows behind the app's back is reported at the entry where it shows."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import select

from desktop import audit
from desktop.services import auth, employees
from desktop.store.models import AuditEntry
from desktop.store.serialize import canonical_json
from tests.desktop.support import employee_data


def verify(store) -> audit.ChainReport:
    with store.read() as s:
        return audit.verify(s)


def entry_for(raw, row_id: str, action: str) -> int:
    return raw.execute("SELECT max(seq) FROM audit_log WHERE row_id = ? AND action = ?",
                       (row_id, action)).fetchone()[0]


@pytest.fixture
def history(store, admin):
    """A normal working day: users, hires, edits, a leave and a rehire."""
    auth.add_user(store, admin, "admin", "admin", "admin-password")
    auth.add_user(store, admin, "clerk", "clerk", "clerk-password")
    ids = [employees.hire(store, admin, employee_data())[0] for _ in range(3)]
    employees.hire_many(store, admin, [employee_data() for _ in range(3)])
    employees.edit(store, admin, ids[0], {"phone": "13800000000", "base_salary": "9999.99"})
    employees.leave(store, admin, ids[1], "2024-01-31", "家庭原因")
    employees.rehire(store, admin, ids[1], "2024-06-01")
    return ids


def test_the_chain_verifies_on_a_normal_history(store, history):
    report = verify(store)
    assert report.ok, report.reason
    with store.read() as s:
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
    assert report.entries == len(entries) > 15
    assert entries[0].prev_hash == audit.GENESIS
    for previous, entry in zip(entries, entries[1:], strict=False):
        assert entry.prev_hash == previous.hash
        assert entry.seq == previous.seq + 1


def test_an_empty_log_verifies(tmp_path):
    from desktop.store import open_store

    store = open_store(tmp_path / "empty")
    try:
        assert verify(store) == audit.ChainReport(0, None)
    finally:
        store.close()


def test_an_edited_entry_is_reported_at_its_seq(store, history, raw):
    seq = entry_for(raw, history[0], "update")
    detail = json.loads(raw.execute("SELECT detail FROM audit_log WHERE seq = ?",
                                    (seq,)).fetchone()[0])
    detail["changes"]["base_salary"][1] = "99999.99"
    raw.execute("UPDATE audit_log SET detail = ? WHERE seq = ?",
                (canonical_json(detail), seq))
    report = verify(store)
    assert not report.ok
    assert report.first_broken == seq
    assert "hash" in report.reason


def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link(store, history, raw):
    """Recomputing the edited entry's own hash does not help: the next entry points at the
    old one."""
    seq = entry_for(raw, history[0], "update")
    row = raw.execute("SELECT prev_hash, at, actor, action, table_name, row_id, detail"
                      " FROM audit_log WHERE seq = ?", (seq,)).fetchone()
    prev, at, actor, action, table, row_id, _detail = row
    forged = '{"changes":{},"op":"update"}'
    new_hash = audit.entry_hash(prev, seq, at, actor, action, table, row_id, forged)
    raw.execute("UPDATE audit_log SET detail = ?, hash = ? WHERE seq = ?", (forged, new_hash, seq))
    report = verify(store)
    assert report.first_broken == seq + 1
    assert "previous entry" in report.reason


def test_a_deleted_entry_in_the_middle_is_reported(store, history, raw):
    total = verify(store).entries
    raw.execute("DELETE FROM audit_log WHERE seq = 5")
    report = verify(store)
    assert not report.ok
    assert report.first_broken == 6
    assert "entry 5 is missing" in report.reason
    assert report.entries < total


def test_a_column_changed_behind_the_apps_back_is_reported(store, history, raw):
    emp_id = history[0]
    last = entry_for(raw, emp_id, "update")  # the newest entry about this employee
    raw.execute("UPDATE employee SET base_salary = 1500000 WHERE id = ?", (emp_id,))
    report = verify(store)
    assert not report.ok
    assert report.first_broken == last
    assert "employee" in report.reason and emp_id in report.reason
    assert "base_salary" in report.reason
    assert "'15000.00'" in report.reason and "'9999.99'" in report.reason


def test_a_row_deleted_behind_the_apps_back_is_reported(store, history, raw):
    emp_id = history[2]
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute("DELETE FROM employee WHERE id = ?", (emp_id,))
    report = verify(store)
    assert report.first_broken == entry_for(raw, emp_id, "create")
    assert "missing" in report.reason and emp_id in report.reason


def test_a_leave_recorded_behind_the_apps_back_is_reported(store, history, raw):
    emp_id = history[2]
    raw.execute("UPDATE employee SET status = 'left' WHERE id = ?", (emp_id,))
    report = verify(store)
    assert report.first_broken == entry_for(raw, emp_id, "create")
    assert "status" in report.reason


def test_concurrent_writers_keep_one_intact_chain(store, admin):
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def clerk_at_work(rows: list[dict]):
        try:
            start.wait()
            for data in rows:
                employees.hire(store, admin, data)
        except BaseException as e:  # reported below, in the test thread
            errors.append(e)

    batches = [[employee_data() for _ in range(20)] for _ in range(2)]
    threads = [threading.Thread(target=clerk_at_work, args=(rows,)) for rows in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert employees.count(store) == 40
    report = verify(store)
    assert report.ok, report.reason
    assert report.entries == 1 + 40 * 2  # the branch, then each hire and its event
