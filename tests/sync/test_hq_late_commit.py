"""Revs become visible in rev order: a transaction that commits late is never skipped by a
pull cursor (docs/SYNC.md "Revisions"). PostgreSQL is where this needs the advisory lock;
on SQLite writers are serialised by the database, so the scenario cannot arise there."""

from __future__ import annotations

import threading

import pytest

from sync.server import admin
from sync.server.replication import Hooks
from tests.sync.hq_support import TIMEOUT, change, employee_fields, new_id

# SQLite serialises writers (BEGIN IMMEDIATE), so nothing can commit behind a cursor there:
# these run on PostgreSQL only rather than being collected and skipped on SQLite.
pytestmark = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


@pytest.fixture
def postgres_only(hq):
    if not hq.db.is_postgres:
        pytest.skip("SQLite serialises writers (BEGIN IMMEDIATE): no transaction can commit "
                    "behind another; the late-commit case is PostgreSQL's")


def _run(target) -> tuple[threading.Thread, dict]:
    out: dict = {}

    def body():
        try:
            out["value"] = target()
        except BaseException as exc:  # noqa: BLE001 - re-raised by the test
            out["error"] = exc

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    return thread, out


def _finish(thread, out):
    thread.join(TIMEOUT)
    assert not thread.is_alive(), "background HQ write did not finish"
    if "error" in out:
        raise out["error"]
    return out["value"]


def test_a_slow_transaction_gets_its_rev_at_commit_so_the_cursor_never_skips_it(
        hq, postgres_only):
    a, b = hq.desk("LA"), hq.desk("LB")
    (hired,) = a.push(change("employee", (emp := new_id()), employee_fields("L-001")))
    ops = hq.admin_client()
    cursor0 = ops.pull_all()[1]

    entered, release = threading.Event(), threading.Event()

    def pause(_session):  # the transfer has written its row; it has no rev yet
        entered.set()
        assert release.wait(TIMEOUT)

    slow, out = _run(lambda: admin.transfer(hq.db, "L-001", a.branch["code"], b.branch["code"],
                                            hooks=Hooks(before_rev_lock=pause)))
    try:
        assert entered.wait(TIMEOUT)
        (quick,) = b.push(change("employee", new_id(), employee_fields("L-002")))  # commits now
        page = ops.pull_page(after=cursor0)
        assert [c["rev"] for c in page["changes"]] == [quick["rev"]]
        cursor1 = page["next_after"]
    finally:
        release.set()
    moved = _finish(slow, out)
    # The late transaction's rev is above every cursor handed out before it committed.
    assert moved["rev"] > quick["rev"] > hired["rev"]
    later = ops.pull_page(after=cursor1)["changes"]
    assert [(c["row_id"], c["rev"]) for c in later] == [(emp, moved["rev"])]
    a_changes = a.pull_page(after=hired["rev"])["changes"]
    assert [(c["op"], c["rev"]) for c in a_changes] == [("move_out", moved["rev"])]


def test_a_transaction_holding_a_rev_blocks_later_revs_until_it_commits(hq, postgres_only):
    a, b = hq.desk("LA"), hq.desk("LB")
    a.push(change("employee", new_id(), employee_fields("L-101")))
    ops = hq.admin_client()
    cursor0 = ops.pull_all()[1]

    entered, release = threading.Event(), threading.Event()

    def pause(_session):  # rev taken under the advisory lock, not committed yet
        entered.set()
        assert release.wait(TIMEOUT)

    slow, slow_out = _run(lambda: admin.transfer(
        hq.db, "L-101", a.branch["code"], b.branch["code"], hooks=Hooks(after_rev_lock=pause)))
    seen: list[int] = []
    cursors = [cursor0]
    try:
        assert entered.wait(TIMEOUT)
        # Another desk pushes meanwhile: it waits for the lock rather than commit a higher rev.
        quick, quick_out = _run(lambda: b.push(change("employee", new_id(),
                                                      employee_fields("L-102"))))
        for _ in range(3):
            page = ops.pull_page(after=cursors[-1])
            seen += [c["rev"] for c in page["changes"]]
            cursors.append(page["next_after"])
        assert seen == []  # nothing committed beyond the slow transaction's rev
    finally:
        release.set()
    moved = _finish(slow, slow_out)
    (pushed,) = _finish(quick, quick_out)
    assert pushed["rev"] > moved["rev"]
    rest = ops.pull_page(after=cursors[-1])["changes"]
    assert [c["rev"] for c in rest] == [moved["rev"], pushed["rev"]]


def test_a_push_adding_to_a_row_that_a_waiting_transfer_has_locked_does_not_wait_for_it(
        hq, postgres_only):
    # The transfer has locked the employee (phase 1) and waits before the rev lock; the
    # desk's new event for that employee is written under the rev lock, and its foreign-key
    # check must not wait for the transfer's row lock: the two would wait on each other.
    a, b = hq.desk("LA"), hq.desk("LB")
    (hired,) = a.push(change("employee", (emp := new_id()), employee_fields("L-201")))
    entered, release = threading.Event(), threading.Event()

    def pause(_session):  # the transfer holds its row lock; it has not asked for revs yet
        entered.set()
        assert release.wait(TIMEOUT)

    slow, slow_out = _run(lambda: admin.transfer(
        hq.db, "L-201", a.branch["code"], b.branch["code"], hooks=Hooks(before_rev_lock=pause)))
    try:
        assert entered.wait(TIMEOUT)
        event = change("employee_event", new_id(), {
            "employee_id": emp, "kind": "hire", "effective_date": "2024-01-02",
            "reason": None, "actor": "clerk"})
        quick, quick_out = _run(lambda: a.push(event))
        quick.join(TIMEOUT)
        assert not quick.is_alive(), "the push waited for the transfer's row lock"
        (added,) = _finish(quick, quick_out)
        assert added["status"] == "applied" and added["rev"] > hired["rev"]
    finally:
        release.set()
    moved = _finish(slow, slow_out)
    assert moved["rev"] > added["rev"]
