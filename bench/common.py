"""Shared by the benchmarks: the cached demo stores, timing helpers, ratio tables and the
machine description that goes with every figure.

Stdlib only at import time (the cold-start child imports nothing from here that the app
would not load anyway); the project and Qt are imported inside the functions that need them.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"  # git-ignored: cached stores, settings, logs

if str(ROOT) not in sys.path:  # `python bench/x.py` from anywhere, without installing
    sys.path.insert(0, str(ROOT))

STORE_FILENAME = "branchdesk.sqlite3"  # desktop.store.database.STORE_FILENAME
READY = "READY"  # written last: a half-built store is never reused


# ---- environment -----------------------------------------------------------------------

def isolate_user_folders() -> None:
    """Qt offscreen, and HOME/XDG folders under bench/out so no benchmark touches the real
    user's settings or data folder (as tests/conftest.py does for the tests)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = OUT / "home"
    home.mkdir(parents=True, exist_ok=True)
    os.environ["HOME"] = str(home)
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_RUNTIME_DIR"] = str(home / "runtime")
    (home / "runtime").mkdir(mode=0o700, exist_ok=True)
    os.environ.pop("BRANCHDESK_DATA_DIR", None)


# ---- the cached demo store ---------------------------------------------------------------

def store_dir(employees: int) -> Path:
    return OUT / f"store-{employees}"


def ensure_store(employees: int, *, fresh: bool = False, quiet: bool = False) -> Path:
    """The folder of a demo store with `employees` employees (desktop.demo.create_demo, so
    the branch SH01, the users demo/clerk1/manager1 and ~5% leavers), built once and reused
    by later runs asking for the same size; `fresh` rebuilds it."""
    directory = store_dir(employees)
    if fresh or not (directory / READY).exists():
        shutil.rmtree(directory, ignore_errors=True)
        from desktop.demo import create_demo
        from desktop.store import open_store

        say = (lambda *_: None) if quiet else (lambda *a: print(*a, flush=True))
        say(f"building a {employees:,}-employee demo store in {directory} ...")
        started = time.perf_counter()
        store = open_store(directory)
        try:
            create_demo(store, employees)
        finally:
            store.close()
        seconds = time.perf_counter() - started
        # Fold the WAL into the database file (no ANALYZE: a real desk's store has no stats).
        with sqlite3.connect(directory / STORE_FILENAME) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        (directory / READY).write_text(f"{employees}\n{seconds:.1f} s\n")
        say(f"  built in {seconds:.1f} s ({seconds / max(employees, 1) * 1000:.3f} ms/employee)")
    return directory


def raw_connection(directory: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection with the store's own pragmas (WAL, NORMAL sync, FKs)."""
    conn = sqlite3.connect(directory / STORE_FILENAME, isolation_level=None,
                           check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


# ---- timing ------------------------------------------------------------------------------

def clock() -> float:
    return time.perf_counter()


def time_call(fn: Callable[[], object]) -> float:
    """Seconds one call of `fn` takes."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def repeat(fn: Callable[[], object], times: int, warmup: int = 0) -> list[float]:
    """Seconds per call over `times` calls (after `warmup` untimed ones)."""
    for _ in range(warmup):
        fn()
    return [time_call(fn) for _ in range(times)]


def percentile(samples: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks (numpy's default)."""
    ordered = sorted(samples)
    if not ordered:
        raise ValueError("no samples")
    k = (len(ordered) - 1) * q / 100
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass(frozen=True)
class Stats:
    n: int
    median: float
    p95: float
    minimum: float
    maximum: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stats:
        return cls(len(samples), statistics.median(samples), percentile(samples, 95),
                   min(samples), max(samples))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


# ---- tables --------------------------------------------------------------------------------

def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[object]],
                notes: Sequence[str] = ()) -> None:
    """A plain-text table, also valid Markdown (so it pastes into docs/BENCHMARKS.md)."""
    cells = [[str(c) for c in header]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]

    def line(row):
        return "| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"

    print(f"\n### {title}\n", flush=True)
    print(line(cells[0]))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in cells[1:]:
        print(line(row))
    for note in notes:
        print(f"\n{note}")
    print(flush=True)


def verdict(value: float, bar: float) -> str:
    return "PASS" if value <= bar else "FAIL"


def ratio(measured: float, baseline: float) -> str:
    return f"{measured / baseline:,.1f}x" if baseline > 0 else "n/a"


# ---- the machine -----------------------------------------------------------------------------

def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def cpu_idle(seconds: float = 1.0) -> float | None:
    """Percent of CPU time idle over the next `seconds` (Linux /proc/stat), or None."""
    def sample():
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return fields[3] + fields[4], sum(fields)  # idle + iowait, total

    try:
        idle1, total1 = sample()
        time.sleep(seconds)
        idle2, total2 = sample()
    except (OSError, ValueError, IndexError):
        return None
    return 100 * (idle2 - idle1) / max(1, total2 - total1)


def machine(qt: bool = False) -> dict[str, str]:
    info = {
        "date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu_model(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }
    idle = cpu_idle()
    if idle is not None:  # other work on this machine skews every figure
        info["cpu idle before the run"] = f"{idle:.0f}%"
    info["python loop"] = f"{python_loop_ms():.1f} ms"
    try:
        import sqlalchemy
        info["sqlalchemy"] = sqlalchemy.__version__
    except ImportError:
        pass
    if qt:
        import PySide6
        from PySide6.QtCore import qVersion
        info["qt"] = f"{qVersion()} (PySide6 {PySide6.__version__}, "
        info["qt"] += f"QPA {os.environ.get('QT_QPA_PLATFORM', 'default')})"
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "desktop",
                                "ui", "sync"], capture_output=True, text=True, timeout=5).stdout
        if rev:
            info["commit"] = rev + (" + uncommitted changes in desktop/, ui/ or sync/" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def python_loop_ms() -> float:
    """The best of 5 runs of a fixed pure-Python loop (`sum(range(10**6))`), in ms: this
    VM's speed moves by 2-4x from session to session, for the same code and the raw
    baselines alike; this figure tells a slow hour from a regression."""
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        sum(range(10**6))
        best = min(best, time.perf_counter() - started)
    return best * 1000


def print_machine(qt: bool = False) -> None:
    info = machine(qt)
    print("machine: " + "; ".join(f"{k} {v}" for k, v in info.items()), flush=True)
    idle = info.get("cpu idle before the run")
    if idle is not None and float(idle.rstrip("%")) < 90:
        print("warning: something else is using the CPUs; figures will be noisy", flush=True)
