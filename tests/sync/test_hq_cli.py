"""`branchdesk-hq` end to end in-process (SQLite and PostgreSQL): exit 0 / 1 / 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sync.protocol import Change
from sync.server import admin, replication
from sync.server.cli import main
from sync.server.core.config import Settings, normalize_db_url
from sync.server.db import Database
from tests.sync.hq_support import employee_fields, new_id


@pytest.fixture(scope="module")
def db(db_url):
    database = Database(Settings.from_env(db_url))
    database.migrate()
    yield database
    database.dispose()


def run(db_url, capsys, *argv) -> tuple[int, str, str]:
    code = main(["--db", db_url, *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_migrate_says_whether_it_built_the_schema_or_found_it_current(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'hq.sqlite3'}"
    code, out, _ = run(url, capsys, "migrate")
    assert code == 0 and "migrated: schema none →" in out
    code, again, _ = run(url, capsys, "migrate")
    head = out.rsplit("→", 1)[1].strip()
    assert code == 0 and f"is up to date (schema {head})" in again


def test_branches_codes_users_tokens_employees_and_status(db_url, db, capsys):
    code, out, _ = run(db_url, capsys, "migrate")
    assert code == 0 and "up to date" in out
    code, out, _ = run(db_url, capsys, "branch", "add", "SH01", "--name", "上海分公司")
    assert code == 0
    enroll_code = out.strip().splitlines()[-1].split(": ")[-1]
    assert len(enroll_code) == 19 and enroll_code.count("-") == 3
    assert run(db_url, capsys, "branch", "add", "BJ01", "--name", "北京分公司")[0] == 0

    code, out, _ = run(db_url, capsys, "branch", "list", "--json")
    branches = {b["code"]: b for b in json.loads(out)}
    assert set(branches) == {"SH01", "BJ01"}

    code, out, _ = run(db_url, capsys, "branch", "enroll-code", "SH01")
    fresh = out.strip().split(": ")[-1]
    with pytest.raises(admin.EnrollError):
        admin.enroll(db, enroll_code, "desk")  # superseded by the fresh one
    token, branch = admin.enroll(db, fresh, "desk")
    assert branch["code"] == "SH01"

    desk = admin.authenticate(db, token)
    row_id = new_id()
    (result,) = replication.push(db, desk, [Change(
        change_id=new_id(), table="employee", op="upsert", row_id=row_id, base_rev=0,
        fields=employee_fields("E-7"))])
    assert result["status"] == "applied"

    code, out, _ = run(db_url, capsys, "employee", "list", "--branch", "SH01", "--json")
    (emp,) = json.loads(out)
    assert (emp["employee_no"], emp["branch_code"], emp["base_salary"]) == (
        "E-7", "SH01", "8000.00")
    code, out, _ = run(db_url, capsys, "employee", "transfer", "E-7", "--from", "SH01",
                       "--to", "BJ01")
    assert code == 0 and "moved from SH01 to BJ01" in out
    code, out, _ = run(db_url, capsys, "employee", "list", "--json")
    assert [e["branch_code"] for e in json.loads(out)] == ["BJ01"]

    code, out, _ = run(db_url, capsys, "status", "--json")
    status = {s["code"]: s for s in json.loads(out)}
    assert status["SH01"]["nodes"] == 1 and status["SH01"]["last_sync"]
    assert status["BJ01"]["rows"] == {"employee": 1} and status["SH01"]["rows"] == {}
    code, out, _ = run(db_url, capsys, "status")
    assert code == 0 and "SH01" in out

    code, out, _ = run(db_url, capsys, "user", "add", "ops", "--role", "hq_admin")
    user_token = out.strip().splitlines()[-1]
    assert admin.authenticate(db, user_token).role == "hq_admin"
    assert run(db_url, capsys, "token", "revoke", "--user", "ops")[0] == 0
    assert admin.authenticate(db, user_token) is None
    assert run(db_url, capsys, "token", "revoke", "--node", desk.id)[0] == 0
    assert admin.authenticate(db, token) is None


def test_failures_exit_1_with_a_message_and_usage_errors_exit_2(db_url, db, capsys):
    code, _, err = run(db_url, capsys, "branch", "enroll-code", "NOPE")
    assert code == 1 and "no branch with code 'NOPE'" in err
    assert run(db_url, capsys, "branch", "add", "DUP", "--name", "x")[0] == 0
    code, _, err = run(db_url, capsys, "branch", "add", "DUP", "--name", "x")
    assert code == 1 and "already exists" in err
    code, _, err = run(db_url, capsys, "employee", "transfer", "E-404", "--from", "DUP",
                       "--to", "DUP")
    assert code == 1 and "same branch" in err
    code, _, err = run(db_url, capsys, "token", "revoke", "--node", "nobody")
    assert code == 1 and "no enrolled desk" in err
    for argv in (["user", "add", "x", "--role", "boss"], ["frobnicate"], ["token", "revoke"]):
        with pytest.raises(SystemExit) as exc:
            main(["--db", db_url, *argv])
        assert exc.value.code == 2
    capsys.readouterr()


def test_unreachable_database_is_exit_1_naming_it(capsys):
    code = main(["--db", "postgresql://postgres@127.0.0.1:1/nowhere", "status"])
    err = capsys.readouterr().err
    assert code == 1 and "cannot open the database" in err and "127.0.0.1:1" in err


def test_database_urls(monkeypatch):
    monkeypatch.delenv("BRANCHDESK_HQ_DB", raising=False)
    assert normalize_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_db_url("hq.sqlite3") == "sqlite:///hq.sqlite3"
    assert Settings.from_env().database_url == "sqlite:///./branchdesk-hq.sqlite3"


def test_the_module_runs_as_a_script():
    r = subprocess.run([sys.executable, "-m", "sync.server.cli", "--help"], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0 and "enroll-code" in r.stdout
