"""A real HQ for the sync benchmarks: a throwaway PostgreSQL database and `branchdesk-hq
serve` in its own process on a loopback port (its own process, so HQ's work never competes
with the desk for the benchmark process's GIL, as on a real network); and RequestTimes,
which reads how long HQ took for each request the desk made; ProcessCpu, the CPU time the desk,
HQ and PostgreSQL spent on a phase."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import requests

PG_ADMIN_URL = os.environ.get("BRANCHDESK_BENCH_PG",
                              "postgresql://postgres@127.0.0.1:5432/postgres")


@contextmanager
def postgres_database(prefix: str = "bd_bench"):
    """A new, empty PostgreSQL database (SQLAlchemy URL), dropped afterwards."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://", 1)
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def hq_cli(db_url: str, *args: str) -> str:
    """Run `branchdesk-hq --db URL ARGS...` and return what it printed."""
    done = subprocess.run([sys.executable, "-m", "sync.server.cli", "--db", db_url, *args],
                          capture_output=True, text=True, check=True, cwd=_root())
    return done.stdout


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ServerProcess:
    """A server in a process of its own on loopback `port`, its output in `log`: started
    and waited for until `ready_path` answers 200 (at most 30 s), stopped by stop()."""

    def __init__(self, name: str, command: list[str], port: int, ready_path: str, log: Path,
                 cwd: Path | None = None):
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT,
                                        cwd=cwd)
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(self.base + ready_path, timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{name} did not start; see {log}")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class HqProcess(ServerProcess):
    """`branchdesk-hq serve` on `db_url`, migrated first."""

    def __init__(self, db_url: str, log: Path):
        hq_cli(db_url, "migrate")
        port = free_port()
        super().__init__("HQ", [sys.executable, "-m", "sync.server.cli", "--db", db_url, "serve",
                                "--host", "127.0.0.1", "--port", str(port)],
                         port, "/healthz", log, cwd=_root())


class RequestTimes:
    """Each HQ request of the clients attached, under the current `phase`, by path: how
    long the desk waited for the answer's headers (requests' `elapsed`) and HQ's own
    Server-Timing entries in it: `app` (the whole request at HQ) and `work` (on its worker
    thread: the token's check, then its transaction or snapshot)."""

    def __init__(self):
        self.phase: str | None = None
        self.samples: dict[tuple[str, str], list[tuple[float, float, float]]] = \
            defaultdict(list)

    def attach(self, client) -> None:
        client.session.hooks["response"].append(self._record)

    def _record(self, response, *_args, **_kwargs) -> None:
        if self.phase is None:
            return
        timing = {}
        for entry in response.headers.get("Server-Timing", "").split(","):
            name, _, duration = entry.strip().partition(";dur=")
            if duration:
                timing[name] = float(duration)
        path = urlsplit(response.url).path.rsplit("/", 1)[-1]
        self.samples[(self.phase, path)].append((
            response.elapsed.total_seconds() * 1000, timing.get("app", float("nan")),
            timing.get("work", float("nan"))))

    def rows(self, runs: dict[str, int] | None = None) -> list[tuple]:
        """(phase, request, count, p50 desk wait, p50 HQ app, p50 HQ work, desk wait in all);
        the count and the sum per run of a phase timed `runs[phase]` times."""
        out = []
        for (phase, path), samples in self.samples.items():
            n = (runs or {}).get(phase, 1)
            desk, app, work = (statistics.median(column) for column in zip(*samples, strict=True))
            out.append((phase, path, round(len(samples) / n), f"{desk:.1f}", f"{app:.1f}",
                        f"{work:.1f}", f"{sum(s[0] for s in samples) / 1000 / n:.2f} s"))
        return out


class ProcessCpu:
    """The CPU seconds (user + system) the desk (this process, every thread), HQ's server
    process and PostgreSQL's processes (all of this machine's: the backends, the WAL
    writer, the checkpointer) spent between start() and stop(). Against the wall time and
    the machine's cores it tells a phase that waited for a core from one that worked slowly:
    on two cores, a phase needing 12 CPU seconds cannot take under 6. Linux only (/proc):
    elsewhere `used` stays None."""

    def __init__(self, hq_pid: int):
        self.hq_pid = hq_pid
        self._start: dict[str, float] | None = None
        self.used: dict[str, float] | None = None

    def start(self) -> None:
        self._start = self._read()

    def stop(self) -> None:
        end = self._read()
        if self._start is not None and end is not None:
            self.used = {k: end[k] - self._start[k] for k in end}

    def _read(self) -> dict[str, float] | None:
        if not Path("/proc/self/stat").exists():
            return None
        desk = time.process_time()
        # PostgreSQL's processes alive now, with what their exited children used (the
        # postmaster's share of them): a backend that ends during the phase still counts.
        postgres = sum(filter(None, (_cpu_seconds(entry, children=True)
                                     for entry in Path("/proc").iterdir()
                                     if entry.name.isdigit() and _command(entry) == "postgres")))
        return {"desk": desk, "hq": _cpu_seconds(Path(f"/proc/{self.hq_pid}")) or 0.0,
                "postgres": postgres}


def _command(proc: Path) -> str:
    try:
        return (proc / "comm").read_text().strip()
    except OSError:  # gone meanwhile
        return ""


def _cpu_seconds(proc: Path, children: bool = False) -> float | None:
    """utime + stime of /proc/PID/stat (with `children`: + cutime + cstime, what its
    exited children used); None for a process gone meanwhile."""
    try:
        fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # (fields[0] is the state, the stat file's third field: utime is its 14th)
    return sum(map(int, fields[11:15 if children else 13])) / os.sysconf("SC_CLK_TCK")


def _root() -> Path:
    return Path(__file__).resolve().parent.parent
