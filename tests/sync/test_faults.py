"""Faults, on loopback against the real HQ (SQLite and PostgreSQL): the desk's sync process
killed with SIGKILL in the middle of a push and of a pull, HQ stopped mid-sync and started
again, connections reset and stalled past the client's timeout, and 20 branches syncing at
once against PostgreSQL. After each, the desk and HQ hold the same rows (per-table counts
and content hashes, tests/sync/convergence.py): nothing lost, nothing doubled.

bench/sync_crash_trials.py runs the kill -9 trials 50+ times; here a few fixed seeds."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid

import pytest

from desktop import sync_engine, token_store
from desktop.services import branch, employees
from desktop.store import open_store
from sync.client import HQClient
from sync.server import admin, replication
from tests.desktop.support import ADMIN, employee_data
from tests.sync.convergence import desk_digest, differences, hq_digest, pending
from tests.sync.fault_proxy import FaultProxy
from tests.sync.hq_support import Hq

BIG = 2500  # employees: with their hire events, 5,000 changes to push and pull


@pytest.fixture(autouse=True)
def _token_file(monkeypatch):
    monkeypatch.setenv(token_store.BACKEND_ENV, "file")


def make_desk(hq, folder, employees_count: int, code: str | None = None):
    """A standalone desk with `employees_count` employees, enrolled with a new HQ branch."""
    code = code or f"F{uuid.uuid4().hex[:7].upper()}"
    store = open_store(folder)
    branch.init_branch(store, ADMIN, code, f"分公司 {code}")
    employees.hire_many(store, ADMIN, [employee_data() for _ in range(employees_count)])
    _ref, enroll_code = admin.add_branch(hq.db, code, f"分公司 {code}")
    sync_engine.enroll(store, hq.base, enroll_code)
    return store, code


def converged(hq, store) -> list[str]:
    """Differences between the desk and HQ for the desk's branch (empty: converged)."""
    branch_id = store.setting(branch.BRANCH_ID_KEY)
    viewer = admin.add_user(hq.db, f"v{uuid.uuid4().hex[:10]}", "hq_viewer")
    return differences(desk_digest(store, branch_id), hq_digest(hq.base, viewer, branch_id))


def kill_when(store_folder, started: callable, seed: int) -> tuple[bool, int]:
    """Run `branchdesk sync` in its own process; once `started()` holds, wait a random
    moment and SIGKILL it. Returns (killed before it finished, return code)."""
    rng = random.Random(seed)
    proc = subprocess.Popen([sys.executable, "-m", "desktop", "--data-dir", str(store_folder),
                             "sync"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env=os.environ.copy())
    deadline = time.monotonic() + 120
    while proc.poll() is None and not started() and time.monotonic() < deadline:
        time.sleep(0.002)
    # Well inside the rest of the cycle: on a fast machine a 2,000-change batch is answered
    # in some 40 ms, and a wait of up to 100 ms let the push finish first.
    time.sleep(rng.uniform(0, 0.02))
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    return killed, proc.wait(30)


def test_the_convergence_check_sees_a_changed_field_and_a_missing_row(hq, tmp_path):
    """The check the fault tests rely on is not vacuous."""
    from sqlalchemy import text

    store, _code = make_desk(hq, tmp_path / "desk", 5)
    sync_engine.sync(store)
    assert converged(hq, store) == []
    with store.session_for_write() as s:
        s.execute(text("UPDATE employee SET phone = '13900000000' WHERE employee_no = "
                       "(SELECT min(employee_no) FROM employee)"))
    assert [line.split(":")[0] for line in converged(hq, store)] == ["employee"]
    with store.session_for_write() as s:
        s.execute(text("DELETE FROM employee_event WHERE rowid = (SELECT min(rowid) FROM "
                       "employee_event)"))
    assert [line.split(":")[0] for line in converged(hq, store)] == ["employee",
                                                                      "employee_event"]


@pytest.mark.parametrize("seed", [1, 2])
def test_kill_9_during_a_push_loses_and_doubles_nothing(hq, tmp_path, seed):
    store, _code = make_desk(hq, tmp_path / "desk", BIG)
    total = pending(store)

    killed, code = kill_when(store.path.parent, lambda: pending(store) < total, seed)

    left = pending(store)
    assert killed and code == -signal.SIGKILL and 0 < left < total  # really mid-push
    report = sync_engine.sync(store)  # the next cycle: HQ's stored results for a retry
    assert pending(store) == 0 and report.rejected == 0
    assert converged(hq, store) == []


def test_kill_9_during_a_pull_then_the_next_sync_completes_it(hq, tmp_path, monkeypatch):
    # Pages of 1,000 (HQ's cap; the desk asks for more): the kill lands between pages.
    monkeypatch.setattr(replication, "MAX_PULL_LIMIT", 1000)
    source, code = make_desk(hq, tmp_path / "a", BIG)
    sync_engine.sync(source)
    fresh = open_store(tmp_path / "b")
    sync_engine.enroll(fresh, hq.base, admin.new_code(hq.db, code))

    killed, _ = kill_when(fresh.path.parent,
                          lambda: int(fresh.setting(sync_engine.CURSOR_KEY) or 0) > 0, seed=3)

    assert killed
    sync_engine.sync(fresh)
    assert converged(hq, fresh) == []
    branch_id = fresh.setting(branch.BRANCH_ID_KEY)
    assert desk_digest(fresh, branch_id) == desk_digest(source, branch_id)


def test_hq_stopped_mid_sync_and_started_again_the_same_cycle_converges(hq, tmp_path,
                                                                         monkeypatch):
    # Batches of 500: HQ goes down with most of them still to send (at 2,000 a batch the
    # last one, which brings the first pull page too, could be answered before it stops).
    monkeypatch.setattr(sync_engine, "MAX_PUSH_CHANGES", 500)
    store, _code = make_desk(hq, tmp_path / "desk", BIG)
    total = pending(store)
    waits: list[float] = []
    client = HQClient(hq.base, token_store.load(store.path.parent), retries=8,
                      sleep=lambda s: (waits.append(s), time.sleep(s)))
    outcome: dict = {}

    def run():
        try:
            outcome["report"] = sync_engine.sync(store, client=client)
        except Exception as exc:  # noqa: BLE001 - the assertion below shows it
            outcome["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 60
    while pending(store) == total and worker.is_alive() and time.monotonic() < deadline:
        time.sleep(0.002)
    hq.pause()  # HQ goes down after the first batch
    time.sleep(1.5)
    hq.resume()
    worker.join(120)

    assert "error" not in outcome, outcome.get("error")
    assert waits, "the client never had to wait: HQ was not down during the cycle"
    assert pending(store) == 0
    assert converged(hq, store) == []


def test_resets_and_timeouts_are_retried_with_backoff(hq, tmp_path):
    store, _code = make_desk(hq, tmp_path / "desk", 40)
    proxy = FaultProxy(hq.port)
    waits: list[float] = []
    client = HQClient(proxy.base, token_store.load(store.path.parent), timeout=(2, 1.5),
                      retries=6, sleep=lambda s: (waits.append(s), time.sleep(s)))
    proxy.reset_next(2)
    proxy.stall_next(1)
    try:
        report = sync_engine.sync(store, client=client)
    finally:
        client.close()
        proxy.close()

    assert proxy.broken == 3
    assert len(waits) == 3 and waits[1] > waits[0] / 2  # backoff: each ceiling doubles
    assert report.pushed == 80 and pending(store) == 0
    assert converged(hq, store) == []


# ---- 20 branches at once, HQ on PostgreSQL ------------------------------------------------

@pytest.fixture(scope="module")
def pg_hq():
    from tests.sync.conftest import PG_ADMIN_URL, _admin_connection

    conn = _admin_connection()
    name = f"bd_hq_faults_{uuid.uuid4().hex[:10]}"
    conn.execute(f'CREATE DATABASE "{name}"')
    server = Hq(f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}")
    try:
        yield server
    finally:
        server.stop()
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


def test_twenty_branches_sync_at_once_against_postgresql(pg_hq, tmp_path):
    hq = pg_hq
    desks = [make_desk(hq, tmp_path / f"desk{i}", 30)[0] for i in range(20)]
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run(store):
        client = sync_engine.make_client(store)
        client.session.hooks["response"].append(
            lambda response, *_a, **_k: statuses.append(response.status_code))
        try:
            for _ in range(2):  # a second cycle pulls what the others did meanwhile
                sync_engine.sync(store, client=client)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=(s,)) for s in desks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)

    assert errors == []
    assert statuses and all(s < 500 for s in statuses), sorted(set(statuses))
    for store in desks:
        assert pending(store) == 0
        assert converged(hq, store) == []
    for store in desks:
        store.close()
