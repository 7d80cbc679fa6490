"""HTTP edges of the real HQ (SQLite and PostgreSQL): size limit and the push's change limit,
gzip both ways, Server-Timing, malformed bodies, and no 5xx on garbage."""

from __future__ import annotations

import gzip
import json

import pytest

from desktop.store.models import SYNCED_TABLES
from desktop.store.serialize import canonical_json
from sync.protocol import MAX_PUSH_CHANGES, MAX_REQUEST_BYTES, encode_push
from tests.sync.hq_support import change, employee_fields, new_id

PUSH = "/api/v1/sync/push"


def test_healthz_and_openapi(hq):
    anonymous = hq.client(schema=None)
    assert anonymous.get("/healthz").json()["status"] == "ok"
    spec = anonymous.get("/openapi.json").json()
    assert {"/api/v1/enroll", "/api/v1/sync/push", "/api/v1/sync/pull"} <= set(spec["paths"])
    # the push body is read by hand, and still documented for integrators
    body = spec["paths"]["/api/v1/sync/push"]["post"]["requestBody"]
    schemas = spec["components"]["schemas"]
    request = schemas[body["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]]
    change = schemas[request["properties"]["changes"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert {"change_id", "table", "op", "row_id", "base_rev", "fields"} <= set(change["properties"])
    assert anonymous.get("/docs").status_code == 200


def test_gzip_request_bodies_are_accepted_and_responses_are_gzipped(hq):
    desk = hq.desk("G")
    body = json.dumps({"changes": [change("employee", new_id(), employee_fields("G-1"))]})
    r = desk.post(PUSH, data=gzip.compress(body.encode()),
                  headers={"Content-Encoding": "gzip", "Content-Type": "application/json"})
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["status"] == "applied"
    for i in range(30):  # enough rows for a response worth compressing
        desk.push(change("employee", new_id(), employee_fields(f"G-{i + 2}")))
    viewer = hq.admin_client("hq_viewer")  # the desk's own pull skips what it pushed
    pulled = viewer.get("/api/v1/sync/pull", headers={"Accept-Encoding": "gzip"})
    assert pulled.headers.get("Content-Encoding") == "gzip"
    assert len(pulled.json()["changes"]) >= 31


def test_sync_answers_are_gzipped_only_for_a_caller_that_takes_gzip(hq):
    """A push's answer and a pull page are compressed on HQ's worker thread: for a caller
    that asks for gzip, and plain JSON, the same rows, for one that does not."""
    desk = hq.desk("Z")
    batch = {"changes": [change("employee", new_id(), employee_fields(f"Z-{i}"))
                         for i in range(30)]}
    answers = {}
    for encoding in ("gzip", "identity"):
        pushed = desk.post(PUSH, json=batch, headers={"Accept-Encoding": encoding})
        pulled = hq.admin_client("hq_viewer").get("/api/v1/sync/pull",
                                                  headers={"Accept-Encoding": encoding})
        for r in (pushed, pulled):
            assert r.status_code == 200, r.text
            assert r.headers.get("Content-Encoding") == (
                "gzip" if encoding == "gzip" else None)
            if encoding == "gzip":  # (Starlette's middleware adds it to the others, from 0.46)
                assert "Accept-Encoding" in r.headers.get("Vary", "")
        answers[encoding] = (pushed.json()["results"], pulled.json()["changes"])
    # the same batch twice: the retry gets the stored results, whatever the encoding
    assert answers["gzip"] == answers["identity"]
    assert [r["status"] for r in answers["gzip"][0]] == ["applied"] * 30
    assert sum(c["table"] == "employee" and c["row"]["branch_id"] == desk.branch_id
               for c in answers["gzip"][1]) == 30


def _server_timing(response) -> dict[str, float]:
    """{name: duration in ms} of a response's Server-Timing entries."""
    entries = (part.strip().split(";dur=") for part in
               response.headers.get("Server-Timing", "").split(",") if part.strip())
    return {name: float(duration) for name, duration in entries}


def test_answers_say_how_long_hq_took(hq):
    """Server-Timing: HQ's time on every answer (`app`), and the sync routes' work in it."""
    desk = hq.desk("T")
    pushed = desk.post(PUSH, json={"changes": [
        change("employee", new_id(), employee_fields("T-1"))]})
    pulled = desk.get("/api/v1/sync/pull", params={"after": 0})
    for answer in (pushed, pulled):
        assert answer.status_code == 200, answer.text
        timing = _server_timing(answer)
        assert set(timing) == {"app", "work"}
        assert 0 <= timing["work"] <= timing["app"]
    health = hq.client(schema=None).get("/healthz")
    assert set(_server_timing(health)) == {"app"}
    refused = desk.post(PUSH, data=b"{not json", headers={"Content-Type": "application/json"})
    assert refused.status_code == 422 and set(_server_timing(refused)) == {"app"}


def test_more_changes_than_a_push_may_carry_get_422(hq):
    desk = hq.desk("M")
    too_many = [change("employee", new_id(), employee_fields(f"M-{i}"))
                for i in range(MAX_PUSH_CHANGES + 1)]
    r = desk.post(PUSH, json={"changes": too_many})
    assert r.status_code == 422
    assert "changes" in r.json()["detail"] and str(MAX_PUSH_CHANGES) in r.json()["detail"]
    assert desk.push(*too_many[:MAX_PUSH_CHANGES])[-1]["status"] == "applied"


@pytest.mark.parametrize("table", sorted(SYNCED_TABLES))
def test_a_full_batch_of_the_longest_changes_stays_under_the_size_limit(table):
    """The desk sends up to MAX_PUSH_CHANGES changes a request, each a whole row at most:
    at the longest values its columns allow (Chinese text: 3 bytes a character) the request
    still gets under HQ's 413."""
    longest = {column.key: "汉" * column.type.length
               if getattr(column.type, "length", None) else "2026-12-03T00:00:00.000000Z"
               for column in SYNCED_TABLES[table].__table__.columns if column.key != "rev"}
    one = (new_id(), table, "upsert", new_id(), 0, canonical_json(longest))
    assert len(encode_push([one] * MAX_PUSH_CHANGES)) < MAX_REQUEST_BYTES


def test_oversized_bodies_get_413(hq):
    desk = hq.desk("S")
    big = b'{"changes": [], "pad": "' + b"x" * (MAX_REQUEST_BYTES + 10) + b'"}'
    r = desk.post(PUSH, data=big, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert "larger than HQ accepts" in r.json()["detail"]
    # Small on the wire, too large once decompressed: still 413.
    bomb = gzip.compress(big)
    assert len(bomb) < MAX_REQUEST_BYTES // 100
    r = desk.post(PUSH, data=bomb, headers={"Content-Encoding": "gzip",
                                            "Content-Type": "application/json"})
    assert r.status_code == 413

    def chunks():  # no Content-Length: the bytes read are counted
        for _ in range(MAX_REQUEST_BYTES // 65536 + 2):
            yield b" " * 65536

    r = desk.post(PUSH, data=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_malformed_json_gets_422_with_a_sentence(hq):
    desk = hq.desk("J")
    r = desk.post(PUSH, data=b'{"changes": [', headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    assert isinstance(r.json()["detail"], str)
    r = desk.post(PUSH, json={"changes": [{"change_id": "x", "table": "employee",
                                           "op": "explode", "row_id": "y", "base_rev": 0}]})
    assert r.status_code == 422
    assert "op" in r.json()["detail"]
    assert desk.get("/api/v1/sync/pull", params={"after": -1}).status_code == 422


NASTY_BODIES = [
    b"", b"null", b"[]", b'"changes"', b"{}", b'{"changes": null}', b'{"changes": {}}',
    b'{"changes": [null]}', b'{"changes": [1, 2]}', b'{"changes": [{}]}',
    b'{"changes": [], "extra": 1}', b'{"changes": [{"change_id": "", "table": "employee", '
    b'"op": "upsert", "row_id": "r", "base_rev": 0}]}',
    b'{"changes": [{"change_id": "c", "table": "employee", "op": "upsert", "row_id": "r", '
    b'"base_rev": 1e400}]}',
    b'{"changes": [{"change_id": "c", "table": "employee", "op": "upsert", "row_id": "r", '
    b'"base_rev": 99999999999999999999999999999}]}',
    b'{"changes": [{"change_id": "c", "table": "employee", "op": "upsert", "row_id": "r", '
    b'"base_rev": -1}]}',
    b'{"changes": [{"change_id": "c", "table": "employee", "op": "upsert", "row_id": "r", '
    b'"base_rev": 0, "fields": []}]}',
    b'{"changes": [{"change_id": "c\\u0000", "table": "\\u0000", "op": "upsert", '
    b'"row_id": "\\u0000", "base_rev": 0, "fields": {"\\u0000": "\\u0000"}}]}',
    b'{"changes": [{"change_id": "c", "table": "employee", "op": "upsert", "row_id": "r", '
    b'"base_rev": 0, "fields": {"base_salary": NaN, "birth_date": Infinity}}]}',
    b"[" * 100_000 + b"]" * 100_000,
    # (deep inside a change, before its table: HQ's checked decoding skips it recursively)
    b'{"changes": [{"change_id": "c", "op": "upsert", "row_id": "r", "base_rev": 0, "x": '
    + b"[" * 3000 + b"]" * 3000 + b', "table": "employee"}]}',
    b"\xff\xfe\x00garbage",
    "{\"changes\": [{\"change_id\": \"é\", \"table\": \"员工\", \"op\": \"delete\", "
    "\"row_id\": \"😀\", \"base_rev\": 0}]}".encode(),
]


@pytest.mark.parametrize("body", NASTY_BODIES, ids=range(len(NASTY_BODIES)))
def test_no_5xx_on_garbage(hq, body):
    desk = getattr(test_no_5xx_on_garbage, "desk", {}).get(hq.base) or hq.desk("N")
    test_no_5xx_on_garbage.desk = {hq.base: desk}
    for path in (PUSH, "/api/v1/enroll"):
        r = desk.post(path, data=body, headers={"Content-Type": "application/json"})
        assert r.status_code < 500, (path, r.status_code, r.text)
        assert isinstance(r.json()["detail" if r.status_code >= 400 else "results"], str | list)
    for params in ({"after": "x"}, {"after": 2**70}, {"limit": 0}, {"limit": "1e3"},
                   {"after": "9" * 400}):
        r = desk.get("/api/v1/sync/pull", params=params)
        assert r.status_code == 422, (params, r.text)


def test_hostile_headers_do_not_5xx(hq):
    desk = hq.desk("H")
    for headers in ({"Content-Encoding": "br"}, {"Content-Encoding": "gzip"},
                    {"Authorization": "Bearer " + "x" * 5000}, {"Authorization": "Basic abc"},
                    {"X-BranchDesk-Schema": "9" * 50}, {"X-BranchDesk-Schema": "-5"}):
        r = desk.post(PUSH, data=b'{"changes": []}',
                      headers={"Content-Type": "application/json", **headers})
        assert 400 <= r.status_code < 500 or r.status_code == 200, (headers, r.text)
