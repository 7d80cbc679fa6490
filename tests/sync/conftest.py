"""HQ server fixtures: every test module gets a fresh database on SQLite (a temp file) and
on PostgreSQL (a database created for the module, dropped afterwards), and a real uvicorn
server on loopback serving it.

PostgreSQL: 127.0.0.1:5432, user postgres (override with BRANCHDESK_TEST_PG, an admin URL).
Unreachable: the PostgreSQL half fails under CI=true and skips (with the reason) locally.
"""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest

from tests.sync.hq_support import Hq

PG_ADMIN_URL = os.environ.get("BRANCHDESK_TEST_PG",
                              "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin_connection():
    try:
        return psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        reason = (f"PostgreSQL is unreachable at {PG_ADMIN_URL} ({str(exc).strip()[:200]}); "
                  "the HQ-on-PostgreSQL tests need it")
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request, tmp_path_factory):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('hq') / 'hq.sqlite3'}"
        return
    conn = _admin_connection()
    name = f"bd_hq_test_{uuid.uuid4().hex[:12]}"
    conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


@pytest.fixture(scope="module")
def hq(db_url):
    server = Hq(db_url)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def is_postgres(hq) -> bool:
    return hq.db.is_postgres
