"""Enrollment, tokens and the schema header, against a real HQ (SQLite and PostgreSQL)."""

from __future__ import annotations

import psycopg

from sync.protocol import SCHEMA_HEADER
from sync.server import admin
from tests.sync.conftest import PG_ADMIN_URL


def test_enrollment_code_works_once_and_the_token_then_authorises(hq):
    branch, code = hq.add_branch("EN")
    anonymous = hq.client()
    r = anonymous.post("/api/v1/enroll", json={"code": code.lower().replace("-", " "),
                                               "device_name": "front desk"})
    assert r.status_code == 200, r.text  # case, spaces and dashes do not matter
    body = r.json()
    assert body["branch"] == branch
    assert len(body["token"]) >= 40
    # The token authorises; the same code a second time does not enroll anyone.
    assert hq.client(body["token"]).pull_page()["changes"]
    again = anonymous.post("/api/v1/enroll", json={"code": code, "device_name": "thief"})
    assert again.status_code == 401
    assert "already used" in again.json()["detail"]


def test_wrong_and_superseded_codes_are_401(hq):
    branch, first = hq.add_branch("EN")
    anonymous = hq.client()
    wrong = anonymous.post("/api/v1/enroll", json={"code": "AAAA-BBBB-CCCC-DDDD",
                                                   "device_name": "x"})
    assert wrong.status_code == 401
    assert "Ask HQ for a new code" in wrong.json()["detail"]
    second = admin.new_code(hq.db, branch["code"])  # the older unused code stops working
    assert anonymous.post("/api/v1/enroll", json={"code": first,
                                                  "device_name": "x"}).status_code == 401
    assert anonymous.post("/api/v1/enroll", json={"code": second,
                                                  "device_name": "x"}).status_code == 200


def test_only_hashes_of_tokens_and_codes_are_stored(hq):
    from sqlalchemy import select

    from sync.server.models import EnrollmentCode, Node

    desk = hq.desk("EN")
    with hq.db.read() as s:
        hashes = s.scalars(select(Node.token_hash)).all()
        codes = s.scalars(select(EnrollmentCode.code_hash)).all()
    assert desk.token not in hashes
    assert all(len(h) == 64 for h in hashes + codes)


def test_unknown_and_revoked_tokens_are_401(hq):
    desk = hq.desk("EN")
    assert hq.client("not-a-token").get("/api/v1/sync/pull").status_code == 401
    assert hq.client(None).get("/api/v1/sync/pull").status_code == 401
    assert desk.pull_page()["next_after"] > 0
    with hq.db.read() as s:
        from sqlalchemy import select

        from sync.server.models import Node
        node_id = s.scalar(select(Node.id).where(Node.branch_id == desk.branch_id))
    admin.revoke_node(hq.db, node_id)
    r = desk.get("/api/v1/sync/pull")
    assert r.status_code == 401
    assert "revoked" in r.json()["detail"]
    assert desk.post("/api/v1/sync/push", json={"changes": []}).status_code == 401
    # The token is answered first, whatever else is wrong with the request (its query, its
    # body), and a good token with the same mistakes gets 422.
    fine = hq.desk("EN")
    for client, status in ((desk, 401), (hq.client("not-a-token"), 401), (fine, 422)):
        for params in ({"after": -1}, {"limit": 0}, {"table": "x" * 65}, {"table": "payroll"}):
            assert client.get("/api/v1/sync/pull", params=params).status_code == status, params
        assert client.post("/api/v1/sync/push", params={"pull_after": -1},
                           json={"changes": []}).status_code == status
        assert client.post("/api/v1/sync/push", json={"changes": "none"}).status_code == status

    user = admin.add_user(hq.db, "revoke-me", "hq_admin")
    assert hq.client(user).get("/api/v1/sync/pull").status_code == 200
    admin.revoke_user(hq.db, "revoke-me")
    assert hq.client(user).get("/api/v1/sync/pull").status_code == 401


def test_old_or_missing_schema_gets_426_with_a_readable_message(hq):
    desk = hq.desk("EN")
    for schema in (None, 0, "abc"):
        c = hq.client(desk.token, schema=None)
        if schema is not None:
            c.http.headers[SCHEMA_HEADER] = str(schema)
        r = c.get("/api/v1/sync/pull")
        assert r.status_code == 426, (schema, r.text)
        assert "too old for HQ" in r.json()["detail"]
        assert "Install the update your IT department provides" in r.json()["detail"]
        enroll = c.post("/api/v1/enroll", json={"code": "ABCD-EFGH-JKLM-NPQR",
                                                "device_name": "x"})
        assert enroll.status_code == 426
    assert hq.client(desk.token).get("/api/v1/sync/pull").status_code == 200


def test_hq_viewer_reads_everything_but_cannot_push(hq):
    desk = hq.desk("EN")
    viewer = hq.admin_client("hq_viewer")
    branches = {c["row_id"] for c in viewer.pull_all()[0] if c["table"] == "branch"}
    assert desk.branch_id in branches
    r = viewer.post("/api/v1/sync/push", json={"changes": []})
    assert r.status_code == 403
    assert "only read" in r.json()["detail"]


def test_tokens_are_still_recognised_after_postgresql_drops_hqs_connections(hq, is_postgres):
    """The token check runs on connections not pinged at checkout: one PostgreSQL dropped
    (a restart, a failover, an idle timeout) is replaced and the check run again. (On
    SQLite, HQ's pooled connections are closed instead.)"""
    desk = hq.desk("DR")
    assert desk.get("/api/v1/sync/pull").status_code == 200  # the connections are pooled
    if is_postgres:
        database = hq.db.engine.url.database
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            dropped = conn.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()", (database,)).fetchone()[0]
        assert dropped >= 2  # HQ's token lookup and its pull connections
    else:
        hq.db.dispose()
    r = desk.get("/api/v1/sync/pull")
    assert r.status_code == 200, r.text
    assert hq.client("not-a-token").get("/api/v1/sync/pull").status_code == 401
