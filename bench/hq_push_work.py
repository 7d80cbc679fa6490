"""HQ's work on a desk's first push, in this process, beside a raw insert of the same rows
in the same run (the push bar of DESIGN §5 without the desk, the HTTP hop and the drift of
the VM's speed between separate processes):

    .venv/bin/python bench/hq_push_work.py [--employees 100000] [--trials 3]

The requests are a desk's own: the cached demo store (bench/common.py) pushed once to a
real `branchdesk-hq serve`, each request body kept as it arrived. Each trial, on a fresh
PostgreSQL database: HQ's work on every body in turn, as its route does it on its worker
thread (the token's check, the body's decoding and checks, the transaction:
sync.server.api.routes.sync._push), with the garbage collector set as HQ's app sets it, and
the request's leftovers released after it, untimed, as the route does once its answer is
out (routes/sync.py's _json_answer: the time counts the answers; the CPU, the frees too);
then sync_throughput's raw baseline (psycopg executemany of the same rows into empty copies
of the tables, one transaction). The first body is a warm-up and is not counted.

Its figures are HQ's share of the push bench's time: the rate the push could reach were HQ
alone on the chain (its CPU and PostgreSQL's, one request after the other).
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import time
import zlib

from common import OUT, ensure_store, isolate_user_folders, ms, print_machine, print_table, ratio
from hq_process import HqProcess, ProcessCpu, postgres_database
from sync_throughput import PUSH_RATE_BAR, RATIO_BAR, enrolled_desk, raw_pg_insert, settle


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--employees", type=int, default=100_000)
    p.add_argument("--trials", type=int, default=3, choices=range(1, 100), metavar="N")
    return p.parse_args(argv)


def captured_bodies(source) -> tuple[list[bytes], str]:
    """The desk's push requests, gunzipped, as a real HQ received them; and the branch id
    they carry."""
    from desktop import sync_engine

    work = OUT / "hq-push-work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    bodies: list[bytes] = []
    with postgres_database() as db_url:
        hq = HqProcess(db_url, work / "hq.log")
        try:
            desk, branch_id = enrolled_desk(source, work, hq, db_url)
            client = sync_engine.make_client(desk)
            send = client.push_gzipped

            def keep(data: bytes, *args, **kwargs):
                bodies.append(zlib.decompress(data, wbits=31))
                return send(data, *args, **kwargs)

            client.push_gzipped = keep
            sync_engine._push(desk, client, sync_engine.SyncReport(), None)  # noqa: SLF001
            client.close()
            desk.close()
        finally:
            hq.stop()
    return bodies, branch_id


def run_trial(bodies: list[bytes], captured_branch: str) -> dict:
    from sync.server import admin
    from sync.server.api.routes.sync import _push
    from sync.server.core.config import Settings
    from sync.server.db import Database
    from sync.server.main import YOUNG_OBJECTS

    with postgres_database() as db_url:
        db = Database(Settings(database_url=db_url))
        try:
            db.migrate()
            branch, code = admin.add_branch(db, "SH01", "上海分公司")
            token, _ = admin.enroll(db, code, "bench")
            # (the bodies name the branch the capture's HQ gave the desk)
            ours = [b.replace(captured_branch.encode(), branch["id"].encode()) for b in bodies]
            _push(db, token, ours[0], None)
            warm_up = _rows_of(db, branch["id"])
            settle(db_url)
            gc.collect()
            gc.freeze()
            young, middle, full = gc.get_threshold()
            gc.set_threshold(max(young, YOUNG_OBJECTS), middle, full)
            cpu = ProcessCpu(os.getpid())
            took = []
            try:
                cpu.start()
                for body in ours[1:]:
                    leftovers: list = []
                    t = time.perf_counter()
                    _push(db, token, body, None, leftovers)
                    took.append(time.perf_counter() - t)
                    leftovers.clear()
                wall = sum(took)
                cpu.stop()
            finally:
                gc.set_threshold(young, middle, full)
                gc.unfreeze()
            rows = _rows_of(db, branch["id"]) - warm_up
        finally:
            db.dispose()
        settle(db_url)
        raw_rows, raw_s = raw_pg_insert(db_url, branch["id"])
    used = cpu.used or {}
    return {"wall": wall, "rows": rows, "requests": len(took),
            "p50": statistics.median(took), "hq": used.get("hq"),
            "postgres": used.get("postgres"), "raw_rows": raw_rows, "raw_s": raw_s}


def _rows_of(db, branch_id: str) -> int:
    from sqlalchemy import func, select

    from sync.server.models import SYNCED_MODELS

    with db.read() as s:
        return sum(s.scalar(select(func.count()).select_from(model)
                            .where(model.branch_id == branch_id))
                   for model in SYNCED_MODELS.values())


def main() -> None:
    args = parse_args()
    isolate_user_folders()
    os.environ["BRANCHDESK_TOKEN_BACKEND"] = "file"
    source = ensure_store(args.employees)
    print_machine()
    bodies, branch_id = captured_bodies(source)
    print(f"{len(bodies)} push requests of a {args.employees:,}-employee branch "
          f"({sum(map(len, bodies)) / 1e6:.1f} MB of JSON); {args.trials} trial(s), "
          "each on a fresh PostgreSQL database", flush=True)
    trials = []
    for number in range(args.trials):
        trial = run_trial(bodies, branch_id)
        trials.append(trial)
        print(f"trial {number + 1}: {trial['wall']:.2f} s, HQ CPU {trial['hq']:.2f} s, "
              f"PostgreSQL {trial['postgres']:.2f} s (raw {trial['raw_s']:.2f} s)", flush=True)
    middle = sorted(trials, key=lambda t: t["wall"])[len(trials) // 2]
    rates = ", ".join(f"{t['rows'] / t['wall']:,.0f}" for t in trials)
    # (a row's time against a raw row's: the warm-up's rows are not timed, the raw's all are)
    ratios = sorted((t["wall"] / t["rows"]) / (t["raw_s"] / t["raw_rows"]) for t in trials)
    print_table(
        "HQ's work on a first push (in-process, PostgreSQL), beside a raw insert",
        ("measure", "HQ's work (median trial by time)", "raw baseline (that trial's)",
         "ratio, a row's time (median)", "a request (p50)", "CPU: HQ, PostgreSQL", "the push's bars"),
        [("first push, HQ's share",
          f"{middle['rows']:,} rows in {middle['wall']:.2f} s = "
          f"{middle['rows'] / middle['wall']:,.0f} rows/s (every trial: {rates})",
          f"{middle['raw_rows']:,} rows in {middle['raw_s']:.2f} s",
          ratio(statistics.median(ratios), 1.0), ms(middle["p50"]),
          f"{middle['hq']:.2f} s, {middle['postgres']:.2f} s",
          f">= {PUSH_RATE_BAR:,} rows/s, <= {RATIO_BAR:g}x")],
        notes=[f"{middle['requests']} requests a trial (the first, a warm-up, and its rows not "
               "counted); the bar is the whole push's (sync_throughput.py), desk and HTTP "
               "included: HQ's share alone must be well under it."])


if __name__ == "__main__":
    main()
