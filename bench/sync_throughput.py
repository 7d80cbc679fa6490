"""Sync throughput against raw baselines in the same run (DESIGN §5):

    .venv/bin/python bench/sync_throughput.py [--employees 100000] [--trials 3]
        [--only push pull delta empty]

HQ is `branchdesk-hq serve` on a fresh PostgreSQL database, in its own process on loopback.
The desk is a copy of the cached demo store (bench/common.py): --employees employees, their
hire events, the leavers' updates. There is no score-events table yet, so the 100,000 rows
of the bar are employees (and their events); "rows" below are the rows that arrive.

a. initial push of the whole branch, against a raw bulk insert (psycopg executemany, one
   transaction) of the same rows into copies of HQ's tables;
b. initial pull of it into a fresh desk of the branch, against a raw SQLite executemany of
   the same rows into a fresh store's tables;
c. incremental sync of 100 changed employees (p50 of --repeats), and a sync with nothing to
   do (p50), both in the engine (the window's process start is not part of them), on the
   last trial's HQ.

The push and the pull run on --trials fresh HQs: the VM's speed drifts within minutes, and
one trial's ratio to its own baseline was 2.6x and the next one's 3.5x. The table shows the
median trial by wall time (the rate bar), the median ratio (the ratio bar), and every
trial's rate and ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import time
from dataclasses import dataclass, field

from common import (
    OUT,
    STORE_FILENAME,
    ensure_store,
    isolate_user_folders,
    ms,
    print_machine,
    print_table,
    ratio,
)
from hq_process import (
    PG_ADMIN_URL,
    HqProcess,
    ProcessCpu,
    RequestTimes,
    hq_cli,
    postgres_database,
)

PUSH_RATE_BAR = 40_000
PULL_RATE_BAR = 50_000
RATIO_BAR = 3.0
DELTA_BAR = 0.020
EMPTY_BAR = 0.010
TABLES = ("employee", "employee_event")
CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--employees", type=int, default=100_000)
    p.add_argument("--repeats", type=int, default=20)
    p.add_argument("--trials", type=int, default=3, choices=range(1, 100), metavar="N",
                   help="fresh HQs the push and the pull are timed on (the VM's speed drifts "
                        "by a third within minutes: the median trial is reported)")
    p.add_argument("--only", nargs="+", default=["push", "pull", "delta", "empty"])
    p.add_argument("--fresh", action="store_true", help="rebuild the cached demo store")
    return p.parse_args(argv)


def raw_pg_insert(db_url: str, branch_id: str) -> tuple[int, float]:
    """Copy the branch's rows out of HQ's tables, then time inserting them into empty
    copies of those tables in one transaction."""
    import psycopg
    from psycopg.types.json import Json

    url = db_url.replace("postgresql+psycopg://", "postgresql://", 1)
    rows = 0
    with psycopg.connect(url) as conn:
        data = {}
        for table in TABLES:
            cur = conn.execute(f"SELECT * FROM {table} WHERE branch_id = %s", (branch_id,))
            names = [d.name for d in cur.description]
            data[table] = (names, [tuple(Json(v) if isinstance(v, dict | list) else v
                                         for v in row) for row in cur.fetchall()])
            conn.execute(f"CREATE TABLE raw_{table} (LIKE {table} INCLUDING DEFAULTS)")
        conn.commit()
        started = time.perf_counter()
        with conn.transaction(), conn.cursor() as cur:
            for table, (names, values) in data.items():
                cols = ", ".join(names)
                marks = ", ".join(["%s"] * len(names))
                cur.executemany(f"INSERT INTO raw_{table} ({cols}) VALUES ({marks})", values)
                rows += len(values)
        return rows, time.perf_counter() - started


def raw_sqlite_insert(source_dir, target_dir) -> tuple[int, float]:
    """The pulled desk's rows, inserted into a fresh store's tables with executemany, with
    the store's page cache."""
    from desktop.store import open_store
    from desktop.store.database import CACHE_KIB

    open_store(target_dir).close()  # the schema, migrated
    src = sqlite3.connect(source_dir / STORE_FILENAME)
    data = {}
    for table in TABLES:
        cur = src.execute(f"SELECT * FROM {table}")
        data[table] = ([d[0] for d in cur.description], cur.fetchall())
    src.close()
    dst = sqlite3.connect(target_dir / STORE_FILENAME, isolation_level=None)
    dst.execute("PRAGMA foreign_keys=ON")
    dst.execute("PRAGMA synchronous=NORMAL")
    dst.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    rows = 0
    started = time.perf_counter()
    dst.execute("BEGIN IMMEDIATE")
    for table, (names, values) in data.items():
        marks = ", ".join("?" * len(names))
        dst.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})", values)
        rows += len(values)
    dst.execute("COMMIT")
    seconds = time.perf_counter() - started
    dst.close()
    return rows, seconds


def settle(db_url: str | None = None) -> None:
    """Let the previous step's writes reach the disk before a timed one starts: the page
    cache's dirty pages (a copied store, SQLite's checkpoints) and, given `db_url`,
    PostgreSQL's (a CHECKPOINT). Otherwise a phase pays for the one before it: a pull timed
    right after the raw push baseline ran a third slower than one timed on its own."""
    os.sync()
    if db_url is not None:
        import psycopg

        url = db_url.replace("postgresql+psycopg://", "postgresql://", 1)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CHECKPOINT")


@dataclass
class Trial:
    """One fresh HQ's initial push and initial pull, each beside its raw baseline."""

    push_rows: int = 0
    push_s: float = 0.0
    raw_push_rows: int = 0
    raw_push_s: float = 0.0
    pull_rows: int = 0
    pull_s: float = 0.0
    raw_pull_rows: int = 0
    raw_pull_s: float = 0.0
    push_cpu: dict[str, float] | None = None  # ProcessCpu.used
    pull_cpu: dict[str, float] | None = None
    delta_s: list[float] = field(default_factory=list)  # each 100-row cycle's time


def rate_row(measure: str, trials: list[tuple[int, float, int, float]], rate_bar: int) -> tuple:
    """A throughput line of the table from each trial's (rows, seconds, raw rows, raw
    seconds): the median trial by wall time for the rate bar, the median ratio to each
    trial's own baseline for the ratio bar, and every trial's rate and ratio. (The ratio's
    median trial is not the rate's: one trial was 3.69 s against a 1.62 s baseline, 2.28x,
    the next 4.22 s against 1.86 s, 2.27x.)"""
    by_time = sorted(trials, key=lambda t: t[1])
    rows, seconds, raw_rows, raw_seconds = by_time[len(by_time) // 2]
    rate = rows / seconds
    ratios = sorted(t[1] / t[3] for t in trials)
    median_ratio = ratios[len(ratios) // 2]
    every_rate = ", ".join(f"{t[0] / t[1]:,.0f}" for t in trials)
    every_ratio = ", ".join(ratio(t[1], t[3]) for t in trials)
    return (measure, f"{rows:,} rows in {seconds:.1f} s = {rate:,.0f} rows/s"
            + (f" (every trial: {every_rate})" if len(trials) > 1 else ""),
            f"{raw_rows:,} rows in {raw_seconds:.2f} s",
            f"{median_ratio:.1f}x" + (f" ({every_ratio})" if len(trials) > 1 else ""),
            f">= {rate_bar:,} rows/s, <= {RATIO_BAR:.0f}x",
            "PASS" if rate >= rate_bar and median_ratio <= RATIO_BAR else "FAIL")


def cpu_row(phase: str, trials: list[tuple[int, float, dict | None]], rate_bar: int
            ) -> tuple | None:
    """What the phase's CPU time allows on this machine: its processes' CPU seconds spread
    over every core is a wall time no schedule beats, hence a rate no tuning of the overlap
    reaches. The median trial by wall time, the one the throughput table's rate is; None
    without figures (not Linux, or skipped)."""
    measured = sorted((t for t in trials if t[0] > 0 and t[2] is not None
                       and sum(t[2].values()) > 0), key=lambda t: t[1])
    if not measured:
        return None
    rows, wall, used = measured[len(measured) // 2]
    total = sum(used.values())
    return (phase, f"{wall:.2f}", f"{used['desk']:.2f}", f"{used['hq']:.2f}",
            f"{used['postgres']:.2f}", f"{total:.2f}", f"{total / CORES:.2f}",
            f"{rows / (total / CORES):,.0f}", f"{total / (rows / rate_bar):.1f}")


def main() -> None:
    args = parse_args()
    isolate_user_folders()
    os.environ["BRANCHDESK_TOKEN_BACKEND"] = "file"
    source = ensure_store(args.employees, fresh=args.fresh)
    print_machine()
    print(f"HQ: PostgreSQL at {PG_ADMIN_URL.rsplit('/', 1)[0]}, `branchdesk-hq serve` in its "
          f"own process; desk: {args.employees:,}-employee demo store; "
          f"{args.trials} trial(s) of the push and the pull, each on a fresh HQ")

    from desktop import sync_engine

    # Every client the engine makes reports its requests' times (see RequestTimes).
    hq_times = RequestTimes()
    make_client = sync_engine.make_client

    def timed_client(*args, **kwargs):
        client = make_client(*args, **kwargs)
        hq_times.attach(client)
        return client

    sync_engine.make_client = timed_client
    only = set(args.only)
    trials = []
    rows = []
    cycles = []
    for number in range(args.trials):
        last = number == args.trials - 1
        trial, deltas = run_trial(args, source, hq_times, only,
                                  with_cycles=last and bool(only & {"delta", "empty"}))
        trials.append(trial)
        print(f"trial {number + 1}: push {trial.push_s:.2f} s (raw {trial.raw_push_s:.2f} s), "
              f"pull {trial.pull_s:.2f} s (raw {trial.raw_pull_s:.2f} s)", flush=True)
        cycles.extend(deltas)
    if "push" in only:
        rows.append(rate_row("a. initial push to HQ (PostgreSQL)",
                             [(t.push_rows, t.push_s, t.raw_push_rows, t.raw_push_s)
                              for t in trials], PUSH_RATE_BAR))
    if "pull" in only:
        rows.append(rate_row("b. initial pull into a fresh desk (SQLite)",
                             [(t.pull_rows, t.pull_s, t.raw_pull_rows, t.raw_pull_s)
                              for t in trials], PULL_RATE_BAR))
    rows.extend(cycles)
    print_table("Sync throughput (HQ on PostgreSQL, loopback)",
                ("measure", "BranchDesk (median trial by time)", "raw baseline (that trial's)",
                 "ratio (median; every trial)", "bar", "result"), rows)
    print_table("Where the requests' time went (p50 a request, ms; HQ's Server-Timing)",
                ("phase", "request", "requests (a run)",
                 "the desk waited (to the answer's headers)", "HQ in all (app)",
                 "HQ's work (token check + transaction)", "the desk waited in all (a run)"),
                hq_times.rows({"a. push": args.trials, "b. pull": args.trials}))
    cpu_rows = [row for row in (
        "push" in only and cpu_row("a. push", [(t.push_rows, t.push_s, t.push_cpu)
                                               for t in trials], PUSH_RATE_BAR),
        "pull" in only and cpu_row("b. pull", [(t.pull_rows, t.pull_s, t.pull_cpu)
                                               for t in trials], PULL_RATE_BAR),
    ) if row]
    if cpu_rows:
        print_table(f"CPU a phase took (the median trial by wall time, seconds; {CORES} cores)",
                    ("phase", "wall", "desk", "HQ", "PostgreSQL", "in all",
                     "the fewest seconds on these cores (in all / cores)",
                     "the most rows/s on these cores", "cores the bar needs at this CPU"),
                    cpu_rows)


def enrolled_desk(source, work, hq: HqProcess, db_url: str):
    """A copy of the demo store `source` at work/desk, enrolled as a new branch SH01 of `hq`:
    the open store and its branch id."""
    from desktop import sync_engine
    from desktop.services import branch
    from desktop.store import open_store

    shutil.copytree(source, work / "desk", ignore=shutil.ignore_patterns("READY"))
    code = hq_cli(db_url, "branch", "add", "SH01", "--name", "上海分公司").rsplit(":", 1)[1].strip()
    desk = open_store(work / "desk")
    sync_engine.enroll(desk, hq.base, code)
    return desk, desk.setting(branch.BRANCH_ID_KEY)


def run_trial(args, source, hq_times: RequestTimes, only: set[str], *, with_cycles: bool
              ) -> tuple[Trial, list[tuple]]:
    """One fresh HQ database and desk copy: the push and the pull with their baselines, and
    (`with_cycles`) the delta and empty cycles after them."""
    from desktop import sync_engine
    from desktop.services import employees
    from desktop.services.auth import Actor
    from desktop.store import open_store

    trial = Trial()
    cycles: list[tuple] = []
    work = OUT / "sync-throughput"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    with postgres_database() as db_url:
        hq = HqProcess(db_url, work / "hq.log")
        try:
            desk, branch_id = enrolled_desk(source, work, hq, db_url)

            # a. push (the push phase of the first cycle), then its raw baseline
            client = sync_engine.make_client(desk)
            report = sync_engine.SyncReport()
            settle(db_url)
            hq_times.phase = "a. push"
            cpu = ProcessCpu(hq.process.pid)
            cpu.start()
            started = time.perf_counter()
            sync_engine._push(desk, client, report, None)  # noqa: SLF001 - the phase alone
            trial.push_s = time.perf_counter() - started
            cpu.stop()
            trial.push_cpu = cpu.used
            trial.push_rows = report.pushed
            hq_times.phase = None
            client.close()
            sync_engine.sync(desk)  # the rest of the first cycle (a pull: none of its own rows)
            if "push" in only:
                settle(db_url)
                trial.raw_push_rows, trial.raw_push_s = raw_pg_insert(db_url, branch_id)

            # b. pull into a fresh desk of the branch, then its raw baseline
            if "pull" in only:
                code = hq_cli(db_url, "branch", "enroll-code", "SH01").rsplit(":", 1)[1].strip()
                fresh = open_store(work / "fresh")
                sync_engine.enroll(fresh, hq.base, code)
                settle(db_url)
                hq_times.phase = "b. pull"
                cpu = ProcessCpu(hq.process.pid)
                cpu.start()
                started = time.perf_counter()
                pulled = sync_engine.sync(fresh)
                trial.pull_s = time.perf_counter() - started
                cpu.stop()
                trial.pull_cpu = cpu.used
                trial.pull_rows = pulled.received
                hq_times.phase = None
                fresh.close()
                settle()
                trial.raw_pull_rows, trial.raw_pull_s = raw_sqlite_insert(work / "fresh",
                                                                          work / "raw-sqlite")

            # c. 100 changed employees per cycle, and cycles with nothing to do
            actor = Actor("bench", "admin")
            ids = employees.search_ids(desk, employees.EmployeeQuery(status="active"))
            if with_cycles:
                settle(db_url)
            if with_cycles and "delta" in only:
                times = []
                for r in range(args.repeats):
                    for i, employee_id in enumerate(ids[r * 100:(r + 1) * 100]):
                        employees.edit(desk, actor, employee_id,
                                       {"position": f"组长{r}-{i % 7}"})
                    hq_times.phase = "c. delta"
                    started = time.perf_counter()
                    delta = sync_engine.sync(desk)
                    times.append(time.perf_counter() - started)
                    hq_times.phase = None
                    assert delta.pushed == 100, delta
                trial.delta_s = times
                p50 = statistics.median(times)
                cycles.append(("c. incremental sync, 100 changed employees",
                               f"p50 {ms(p50)} (max {ms(max(times))}, {args.repeats} runs)",
                               "", "", f"<= {ms(DELTA_BAR)}",
                               "PASS" if p50 <= DELTA_BAR else "FAIL"))
            if with_cycles and "empty" in only:
                times = []
                for _ in range(args.repeats):
                    hq_times.phase = "d. empty"
                    started = time.perf_counter()
                    empty = sync_engine.sync(desk)
                    times.append(time.perf_counter() - started)
                    hq_times.phase = None
                    assert empty.pushed == 0 and empty.received == 0, empty
                p50 = statistics.median(times)
                cycles.append(("d. sync with nothing to do",
                               f"p50 {ms(p50)} (max {ms(max(times))}, {args.repeats} runs)",
                               "", "", f"<= {ms(EMPTY_BAR)}",
                               "PASS" if p50 <= EMPTY_BAR else "FAIL"))
            desk.close()
        finally:
            hq.stop()
    return trial, cycles


if __name__ == "__main__":
    main()
