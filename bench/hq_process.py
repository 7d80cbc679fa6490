"""A real HQ for the sync benchmarks: a throwaway PostgreSQL database and `branchdesk-hq
serve` in its own process on a loopback port (its own process, so HQ's work never competes
with the desk for the benchmark process's GIL, as on a real network)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

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


class HqProcess:
    def __init__(self, db_url: str, log: Path):
        hq_cli(db_url, "migrate")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(log, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sync.server.cli", "--db", db_url, "serve",
             "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=_root())
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"HQ did not start; see {log}")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _root() -> Path:
    return Path(__file__).resolve().parent.parent
