"""kill -9 of the desk's sync at random points, 50+ trials (DESIGN §5, crash safety): after
each, one clean sync must leave the desk and HQ with the same rows, per table, by count and
content hash (tests/sync/convergence.py), and an empty outbox: nothing lost, nothing doubled.

    .venv/bin/python bench/sync_crash_trials.py [--trials 60] [--seed 7] [--employees 3000]

HQ is `branchdesk-hq serve` on a fresh PostgreSQL database (`--sqlite` for a SQLite file) in
its own process on loopback. Each trial runs `branchdesk sync` (the real CLI, its own
process) and SIGKILLs it after a random delay drawn across the whole cycle:
- push trials: a new branch whose desk holds --employees employees and their hire events;
- pull trials: a fresh desk of an already synced branch, pulling all of it.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid

from common import OUT, isolate_user_folders, print_machine, print_table
from hq_process import HqProcess, postgres_database


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trials", type=int, default=60)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--employees", type=int, default=3000)
    p.add_argument("--sqlite", action="store_true", help="HQ on a SQLite file")
    return p.parse_args(argv)


def cli_sync(folder) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "desktop", "--data-dir", str(folder), "sync"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def run_killed(folder, delay: float) -> bool:
    """Start a sync, SIGKILL it after `delay` s; True if it was still running."""
    proc = cli_sync(folder)
    time.sleep(delay)
    alive = proc.poll() is None
    if alive:
        proc.send_signal(signal.SIGKILL)
    proc.wait(60)
    return alive


def main() -> None:
    args = parse_args()
    isolate_user_folders()
    os.environ["BRANCHDESK_TOKEN_BACKEND"] = "file"
    print_machine()

    from desktop import sync_engine
    from desktop.services import auth, branch, employees
    from desktop.store import open_store
    from sync.server import admin
    from sync.server.core.config import Settings
    from sync.server.db import Database
    from tests.desktop.support import employee_data
    from tests.sync.convergence import desk_digest, differences, hq_digest, pending

    actor = auth.Actor("bench", "admin")
    rng = random.Random(args.seed)
    work = OUT / "crash-trials"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    viewer: list[str] = []  # an HQ viewer's token: a desk's own pull skips its own versions

    def check(hq, store) -> list[str]:
        branch_id = store.setting(branch.BRANCH_ID_KEY)
        return differences(desk_digest(store, branch_id),
                           hq_digest(hq.base, viewer[0], branch_id))

    def run(db_url: str) -> None:
        hq = HqProcess(db_url, work / "hq.log")
        db = Database(Settings.from_env(db_url))
        viewer.append(admin.add_user(db, "bench-viewer", "hq_viewer"))
        try:
            def new_desk(n: int):
                code = f"K{uuid.uuid4().hex[:7].upper()}"
                store = open_store(work / code)
                branch.init_branch(store, actor, code, f"分公司 {code}")
                employees.hire_many(store, actor, [employee_data() for _ in range(n)])
                _ref, enroll_code = admin.add_branch(db, code, f"分公司 {code}")
                sync_engine.enroll(store, hq.base, enroll_code)
                return store, code

            # How long one whole cycle takes, unkilled: the random delays span it.
            probe, probe_code = new_desk(args.employees)
            started = time.perf_counter()
            cli_sync(probe.path.parent).wait(600)
            push_cycle = time.perf_counter() - started
            fresh = open_store(work / "probe-pull")
            sync_engine.enroll(fresh, hq.base, admin.new_code(db, probe_code))
            started = time.perf_counter()
            cli_sync(fresh.path.parent).wait(600)
            pull_cycle = time.perf_counter() - started
            for s in (probe, fresh):
                assert check(hq, s) == [], "an unkilled cycle did not converge"
            # The process start (imports, opening the store) is most of a small cycle: the
            # delays are drawn from after it, so the kills land in the push or the pull.
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "desktop", "--data-dir",
                            str(probe.path.parent), "status"], capture_output=True, check=True)
            startup = 0.8 * (time.perf_counter() - started)
            print(f"one cycle, unkilled: push {push_cycle:.2f} s, pull {pull_cycle:.2f} s "
                  f"({args.employees:,} employees); process start about {startup:.2f} s")

            results = {"push": {}, "pull": {}}
            failures = []
            source_code = probe_code
            for trial in range(args.trials):
                kind = "push" if trial % 2 == 0 else "pull"
                if kind == "push":
                    store, _code = new_desk(args.employees)
                    total = pending(store)
                    delay = rng.uniform(startup, push_cycle)
                    alive = run_killed(store.path.parent, delay)
                    left = pending(store)
                    phase = ("finished" if not alive else "before the first batch"
                             if left == total else "mid-push" if left else "after the push")
                else:
                    store = open_store(work / f"pull-{trial}")
                    sync_engine.enroll(store, hq.base, admin.new_code(db, source_code))
                    delay = rng.uniform(startup, pull_cycle)
                    alive = run_killed(store.path.parent, delay)
                    cursor = int(store.setting(sync_engine.CURSOR_KEY) or 0)
                    phase = ("finished" if not alive else "before the first page"
                             if cursor == 0 else "mid-pull")
                sync_engine.sync(store)  # the next cycle
                problems = check(hq, store) + ([f"outbox {pending(store)}"]
                                               if pending(store) else [])
                counts = results[kind].setdefault(phase, [0, 0])
                counts[0] += 1
                counts[1] += 0 if problems else 1
                if problems:
                    failures.append((trial, kind, phase, delay, problems))
                store.close()
            rows = [(kind, phase, n, ok, n - ok)
                    for kind, phases in results.items() for phase, (n, ok) in phases.items()]
            total_n = sum(r[2] for r in rows)
            total_ok = sum(r[3] for r in rows)
            rows.append(("all", "", total_n, total_ok, total_n - total_ok))
            print_table(f"kill -9 trials (seed {args.seed}), HQ on "
                        f"{'SQLite' if args.sqlite else 'PostgreSQL'}",
                        ("trial", "killed", "trials", "converged (counts and hashes equal, "
                         "outbox empty)", "lost or doubled"), rows)
            for f in failures:
                print("FAILED", f)
        finally:
            hq.stop()
            db.dispose()

    if args.sqlite:
        run(f"sqlite:///{work / 'hq.sqlite3'}")
    else:
        with postgres_database() as url:
            run(url)


if __name__ == "__main__":
    main()
