"""Creating employees through the services against a raw SQLite executemany, in one run:

  a. employees.hire() one at a time (2,000 rows; each its own transaction: the employee,
     its hire event, their outbox entries and audit entries);
  b. employees.hire_many() (20,000 rows in one transaction, the same companions);
  c. baseline: plain sqlite3 executemany INSERT of the same 20,000 employee rows (the
     values hire_many stored, read back) into an identical fresh store's employee table,
     one transaction.

Every run starts from fresh, empty stores (bench/out/create-*), so there is no cache to
reuse or rebuild.

    /work/venv/bin/python bench/create_employees.py [--hire 2000] [--batch 20000] [--profile]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil

from common import (
    OUT,
    Stats,
    clock,
    isolate_user_folders,
    ms,
    print_machine,
    print_table,
    raw_connection,
)

ACTOR = ("bench", "clerk")  # hiring needs the clerk role, nothing more
SEED = 7


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--hire", type=int, default=2_000, help="rows for hire() one at a time")
    p.add_argument("--batch", type=int, default=20_000, help="rows for hire_many() and raw")
    p.add_argument("--profile", action="store_true",
                   help="then profile hire_many (5,000 rows) and 500 hire() calls "
                        "(untimed) and print the top functions")
    return p.parse_args(argv)


def rows(count: int) -> list[dict]:
    """`count` realistic form rows (numbers E000001...), made as desktop.demo makes them."""
    from desktop.demo import _Generator, _Taken

    generator = _Generator(random.Random(f"bench:{SEED}"), _Taken(1, set(), set(), set()),
                           dt.date.today())
    made, _leavers = generator.chunk(1, count)
    return made


def fresh_store(name: str):
    """An empty, initialised store (branch SH01 and the standard departments)."""
    from desktop.services import branch
    from desktop.services.auth import Actor
    from desktop.store import open_store

    directory = OUT / f"create-{name}"
    shutil.rmtree(directory, ignore_errors=True)
    store = open_store(directory)
    branch.init_branch(store, Actor(*ACTOR), "SH01", "上海分公司")
    return store, directory


def count_rows(directory) -> dict[str, int]:
    conn = raw_connection(directory)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # noqa: S608
                for t in ("employee", "employee_event", "outbox", "audit_log")}
    finally:
        conn.close()


def main() -> None:
    args = parse_args()
    isolate_user_folders()
    from desktop.services import employees
    from desktop.services.auth import Actor

    actor = Actor(*ACTOR)
    print_machine()
    made = clock()
    hire_rows, batch_rows = rows(args.hire), rows(args.batch)
    print(f"generated {args.hire:,} + {args.batch:,} form rows in {clock() - made:.1f} s "
          "(untimed)", flush=True)

    # a. hire() one at a time
    store_a, dir_a = fresh_store("hire")
    per_row = []
    started = clock()
    for row in hire_rows:
        t = clock()
        employees.hire(store_a, actor, row)
        per_row.append(clock() - t)
    hire_s = clock() - started
    store_a.close()

    # b. hire_many(), one call
    store_b, dir_b = fresh_store("hire_many")
    started = clock()
    employees.hire_many(store_b, actor, batch_rows)
    many_s = clock() - started
    store_b.close()

    # the employee rows exactly as hire_many stored them (untimed)
    source = raw_connection(dir_b)
    columns = [r[1] for r in source.execute("PRAGMA table_info(employee)")]
    stored = source.execute(f"SELECT {', '.join(columns)} FROM employee"  # noqa: S608
                            " ORDER BY employee_no").fetchall()
    source.close()

    # c. baseline: plain executemany of the same rows into an identical fresh store
    store_c, dir_c = fresh_store("raw")
    branch_c = store_c.setting("branch_id")
    store_c.close()
    branch_at = columns.index("branch_id")
    values = [tuple(branch_c if i == branch_at else v for i, v in enumerate(r)) for r in stored]
    insert = (f"INSERT INTO employee ({', '.join(columns)}) "  # noqa: S608
              f"VALUES ({', '.join('?' * len(columns))})")
    conn = raw_connection(dir_c)
    started = clock()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(insert, values)
    conn.execute("COMMIT")
    raw_s = clock() - started

    # context: plain sqlite3, one INSERT per transaction, for the first rows of a.
    conn.execute("DELETE FROM employee")
    single = values[:args.hire]
    started = clock()
    for value in single:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(insert, value)
        conn.execute("COMMIT")
    raw_single_s = clock() - started
    conn.close()

    raw_rate = len(values) / raw_s
    hire_rate, many_rate = args.hire / hire_s, args.batch / many_s
    single_rate = len(single) / raw_single_s
    per = Stats.of(per_row)
    written_a, written_b = count_rows(dir_a), count_rows(dir_b)
    print_table(
        "create employees: services vs raw sqlite3 executemany",
        ("how", "rows", "time", "rows/s", "baseline rows/s (c)", "ratio services/raw",
         "bar", "result"),
        [("a. employees.hire(), one transaction each", f"{args.hire:,}", f"{hire_s:.2f} s",
          f"{hire_rate:,.0f}", f"{raw_rate:,.0f}", f"{raw_rate / hire_rate:,.0f}x slower",
          "none set", "-"),
         ("b. employees.hire_many(), one transaction", f"{args.batch:,}", f"{many_s:.2f} s",
          f"{many_rate:,.0f}", f"{raw_rate:,.0f}", f"{raw_rate / many_rate:,.0f}x slower",
          "none set", "-"),
         ("c. raw sqlite3 executemany, one transaction", f"{len(values):,}",
          f"{raw_s * 1000:,.0f} ms", f"{raw_rate:,.0f}", "", "", "", ""),
         ("   raw sqlite3, one INSERT per transaction", f"{len(single):,}",
          f"{raw_single_s * 1000:,.0f} ms", f"{single_rate:,.0f}", "", "", "", "")],
        notes=[
            f"a. per hire(): median {ms(per.median)}, p95 {ms(per.p95)}, max "
            f"{ms(per.maximum)}. Compared with one raw INSERT per transaction "
            f"(the last row), hire() is {single_rate / hire_rate:,.0f}x slower.",
            "rows written: a. " + ", ".join(f"{k} {v:,}" for k, v in written_a.items())
            + "; b. " + ", ".join(f"{k} {v:,}" for k, v in written_b.items())
            + "; c. employee only (plus its 7 indexes, as in a. and b.).",
            "Stores use the app's pragmas (WAL, synchronous=NORMAL: a commit does not fsync). "
            "c. copies the employee rows hire_many stored (same columns and values; "
            "branch_id set to the fresh store's own branch).",
        ])

    if args.profile:
        import cProfile
        import pstats

        def profiled(title, fn):
            profile = cProfile.Profile()
            profile.enable()
            fn()
            profile.disable()
            print(f"\nprofile of {title}, by cumulative time:")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(30)

        store_p, _dir = fresh_store("profile")
        profiled("hire_many(5,000 rows)",
                 lambda: employees.hire_many(store_p, actor, batch_rows[:5_000]))
        profiled("500 x hire()", lambda: [employees.hire(store_p, actor, row)
                                          for row in batch_rows[5_000:5_500]])
        store_p.close()


if __name__ == "__main__":
    main()
