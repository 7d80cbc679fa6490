"""The desk's sync client and engine against HQ.

First the transport alone (sync.client over a stub requests adapter: headers, gzip, retries,
errors); then end to end against the real HQ server on loopback: two desks enroll, hire
offline, sync, see only their own employees, edit, conflict, transfer, go offline, and
their audit trails still verify."""

from __future__ import annotations

import gzip
import json
import socket
import time
import uuid

import pytest
import requests
from requests.adapters import BaseAdapter
from sqlalchemy import func, select

from desktop import audit, sync_engine, token_store
from desktop.services import branch, employees
from desktop.store import open_store
from desktop.store.models import Branch, Employee, OutboxEntry, SyncConflict
from sync.client import ClientTooOld, HQClient, HQRejected, HQUnreachable
from sync.protocol import SCHEMA_HEADER, SCHEMA_VERSION
from tests.desktop.support import ADMIN, employee_data

# ---- the transport, without a server ------------------------------------------------------


class StubAdapter(BaseAdapter):
    """Answers from a script: each item is (status, json body) or an exception to raise."""

    def __init__(self, script):
        super().__init__()
        self.script = list(script)
        self.requests: list[requests.PreparedRequest] = []
        self.timeouts = []
        self.proxies = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        self.requests.append(request)
        self.timeouts.append((timeout, verify))
        self.proxies.append(proxies)
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        status, body = item
        response = requests.Response()
        response.status_code = status
        response._content = json.dumps(body).encode() if body is not None else b""
        response.headers["Content-Type"] = "application/json"
        response.url = request.url
        response.request = request
        response.reason = {200: "OK", 503: "Service Unavailable"}.get(status, "")
        return response

    def close(self):
        pass


def stub_client(script, **kw) -> tuple[HQClient, StubAdapter, list[float]]:
    slept: list[float] = []
    client = HQClient("https://hq.example.test/", "tok-1", sleep=slept.append, **kw)
    adapter = StubAdapter(script)
    client.session.mount("https://", adapter)
    return client, adapter, slept


PULL_EMPTY = {"changes": [], "next_after": 0, "more": False}


def test_every_request_carries_the_token_the_schema_and_a_gzip_body():
    client, adapter, _ = stub_client([(200, {"results": [
        {"change_id": "c1", "status": "applied", "rev": 7}]})])
    answer = client.push([{"change_id": "c1", "table": "employee", "op": "upsert",
                           "row_id": "r1", "base_rev": 0, "fields": {"name": "张伟"}}])
    assert answer.results[0].rev == 7
    (req,) = adapter.requests
    assert req.url == "https://hq.example.test/api/v1/sync/push"
    assert req.headers["Authorization"] == "Bearer tok-1"
    assert req.headers[SCHEMA_HEADER] == str(SCHEMA_VERSION)
    assert req.headers["Content-Encoding"] == "gzip"
    assert "gzip" in req.headers["Accept-Encoding"]
    body = json.loads(gzip.decompress(req.body))
    assert body["changes"][0]["fields"] == {"name": "张伟"}
    timeout, verify = adapter.timeouts[0]
    assert timeout == (5, 30) and verify  # on: requests' default CAs


def test_a_custom_ca_bundle_is_used_for_verification(tmp_path):
    ca = tmp_path / "ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    client, adapter, _ = stub_client([(200, PULL_EMPTY)], ca_bundle=str(ca))
    client.pull(0, 10)
    assert adapter.timeouts[0][1] == str(ca)
    assert "after=0" in adapter.requests[0].url and "limit=10" in adapter.requests[0].url


def test_a_desk_behind_a_proxy_uses_the_environment_and_keeps_its_token(tmp_path,
                                                                        monkeypatch):
    ca = tmp_path / "office-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    netrc = tmp_path / "netrc"
    netrc.write_text("machine hq.example.test login clerk password secret\n")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.office.test:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(ca))
    monkeypatch.setenv("NETRC", str(netrc))
    client, adapter, _ = stub_client([(200, PULL_EMPTY), (200, PULL_EMPTY)])
    client.pull(0, 10)
    client.pull(0, 10)
    for proxies, (_timeout, verify), request in zip(adapter.proxies, adapter.timeouts,
                                                    adapter.requests, strict=True):
        assert proxies["https"] == "http://proxy.office.test:3128"
        assert verify == str(ca)
        assert request.headers["Authorization"] == "Bearer tok-1"  # not the .netrc login

    monkeypatch.setenv("NO_PROXY", "hq.example.test")
    client, adapter, _ = stub_client([(200, PULL_EMPTY)])
    client.pull(0, 10)
    assert not adapter.proxies[0].get("https")


def test_connection_errors_and_5xx_are_retried_with_growing_backoff():
    client, adapter, slept = stub_client([
        requests.ConnectionError("refused"), requests.Timeout("slow"), (503, {"detail": "busy"}),
        (200, PULL_EMPTY)])
    assert client.pull(0).more is False
    assert len(adapter.requests) == 4
    assert len(slept) == 3 and slept[0] <= 0.5 and slept[2] >= 1.0


def test_hq_unreachable_after_the_last_retry():
    client, adapter, slept = stub_client([requests.ConnectionError("refused")] * 3, retries=3)
    with pytest.raises(HQUnreachable, match="cannot reach HQ at https://hq.example.test"):
        client.pull(0)
    assert len(adapter.requests) == 3 and len(slept) == 2


@pytest.mark.parametrize("status", [401, 403, 413, 422])
def test_refusals_carry_hqs_detail_and_are_not_retried(status):
    client, adapter, slept = stub_client([(status, {"detail": "this token was revoked"})])
    with pytest.raises(HQRejected) as caught:
        client.pull(0)
    assert caught.value.status == status and caught.value.detail == "this token was revoked"
    assert len(adapter.requests) == 1 and slept == []


def test_a_client_too_old_gets_hqs_message():
    client, _, _ = stub_client([(426, {"detail": "install BranchDesk 2.0 from the intranet"})])
    with pytest.raises(ClientTooOld, match="install BranchDesk 2.0"):
        client.pull(0)


def test_fastapi_validation_errors_read_as_a_sentence():
    client, _, _ = stub_client([(422, {"detail": [
        {"loc": ["query", "after"], "msg": "Input should be a valid integer"}]})])
    with pytest.raises(HQRejected, match="query.after: Input should be a valid integer"):
        client.pull(0)


def test_enroll_needs_no_token_and_keeps_the_new_one():
    client, adapter, _ = stub_client([(200, {"token": "node-xyz", "branch": {
        "id": "b1", "code": "SH01", "name": "上海分公司"}})])
    client.token = None
    answer = client.enroll("ABCDEF12", "desk-1")
    assert answer.branch.code == "SH01" and client.token == "node-xyz"
    assert "Authorization" not in adapter.requests[0].headers


def test_a_bad_answer_is_a_readable_error_not_a_crash():
    client, _, _ = stub_client([(200, {"unexpected": True})])
    with pytest.raises(HQRejected, match="does not match the protocol"):
        client.pull(0)


def test_a_pull_answer_that_is_not_json_is_a_readable_error():
    client, _, _ = stub_client([(200, None)])  # an empty body (a proxy's, say)
    with pytest.raises(HQRejected, match="HQ's answer was not JSON") as caught:
        client.pull(0)
    assert caught.value.status == 200


# ---- end to end: two desks and the real HQ on loopback -------------------------------------



def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HQView:
    """The desk tests' view of the real HQ of tests/sync/conftest.py (`hq`: uvicorn on
    loopback over SQLite and over PostgreSQL, shared by this module): branch codes are made
    unique per test, so tests do not see each other's branches."""

    def __init__(self, hq):
        self.hq = hq
        self.db = hq.db
        self.url = hq.base
        self.tag = uuid.uuid4().hex[:6].upper()

    def code(self, prefix: str) -> str:
        return f"{prefix}{self.tag}"

    def branch_add(self, code: str, name: str) -> str:
        """`branchdesk-hq branch add CODE NAME`: the one-time enrollment code."""
        from sync.server import admin

        _ref, enroll_code = admin.add_branch(self.db, code, name)
        return enroll_code

    def hq_client(self) -> HQClient:
        from sync.server import admin

        return HQClient(self.url, admin.add_user(self.db, f"ops-{uuid.uuid4().hex[:12]}",
                                                 "hq_admin"))

    def employee(self, employee_no: str, branch_code: str) -> dict:
        from sync.server import admin

        (row,) = [r for r in admin.list_employees(self.db, branch_code)
                  if r["employee_no"] == employee_no]
        return row


@pytest.fixture
def hqv(hq) -> HQView:
    return HQView(hq)


@pytest.fixture(autouse=True)
def _token_file(monkeypatch):
    monkeypatch.setenv(token_store.BACKEND_ENV, "file")


@pytest.fixture
def desks(tmp_path):
    opened = []

    def make(name, code=None, branch_name=None):
        s = open_store(tmp_path / name)
        if code:
            branch.init_branch(s, ADMIN, code, branch_name or code)
        opened.append(s)
        return s

    yield make
    for s in opened:
        s.close()


def _verify(store):
    with store.read() as s:
        return audit.verify(s)


def _rows(store, **where) -> list[Employee]:
    with store.read() as s:
        q = select(Employee).order_by(Employee.employee_no)
        for k, v in where.items():
            q = q.where(getattr(Employee, k) == v)
        return list(s.scalars(q))


def _pending(store) -> list[str]:
    with store.read() as s:
        return list(s.scalars(select(OutboxEntry.change_id).order_by(OutboxEntry.seq)))


def test_two_desks_sync_edit_conflict_and_transfer_through_hq(hqv, desks):
    hq = hqv
    sh, bj = hq.code("SH"), hq.code("BJ")
    a = desks("a", sh, "上海分公司")
    b = desks("b")  # a fresh desk: adopts HQ's branch at enrollment
    code_a, code_b = hq.branch_add(sh, "上海分公司"), hq.branch_add(bj, "北京分公司")

    # offline work at A before it ever talked to HQ
    a1, _ = employees.hire(a, ADMIN, employee_data(employee_no="A001"))
    a2, _ = employees.hire(a, ADMIN, employee_data(employee_no="A002"))

    info_a = sync_engine.enroll(a, hq.url, code_a, "desk-a")
    info_b = sync_engine.enroll(b, hq.url, code_b, "desk-b")
    assert info_a.code == sh and info_b.code == bj and info_a.id != info_b.id
    b1, _ = employees.hire(b, ADMIN, employee_data(employee_no="B001"))

    ra = sync_engine.sync(a)
    rb = sync_engine.sync(b)
    assert ra.pushed == ra.applied == 4 and ra.rejected == 0  # 2 employees + 2 hire events
    assert rb.pushed == rb.applied == 2
    sync_engine.sync(a)

    # each desk sees its own employees, plus the group's reference rows
    assert [e.employee_no for e in _rows(a)] == ["A001", "A002"]
    assert [e.employee_no for e in _rows(b)] == ["B001"]
    for desk in (a, b):
        codes = {d.code for d in branch.departments(desk)}
        assert {"finance", "sales", "collection"} <= codes
        with desk.read() as s:
            live = {br.code for br in s.scalars(select(Branch).where(Branch.deleted.is_(False)))}
        assert {sh, bj} <= live
    assert hq.employee("A001", sh)["branch_code"] == sh

    # an edit at A reaches HQ, and comes back as the same row (nothing new to apply)
    employees.edit(a, ADMIN, a1, {"phone": "13812345678"})
    report = sync_engine.sync(a)
    assert report.applied == 1 and _pending(a) == []
    assert hq.employee("A001", sh)["phone"] == "13812345678"
    assert _rows(a, id=a1)[0].rev == hq.employee("A001", sh)["rev"]

    # the same field changed at HQ and, offline, at A: HQ owns base_salary and wins
    at_hq = hq.employee("A002", sh)
    with hq.hq_client() as ops:
        (res,) = ops.push([{"change_id": f"hq-salary-{hq.tag}", "table": "employee", "op": "upsert",
                            "row_id": a2, "base_rev": at_hq["rev"],
                            "fields": {"base_salary": "9500.00",
                                       "updated_at": "2026-11-23T09:00:00.000000Z"}}]).results
    assert res.status == "applied"
    employees.edit(a, ADMIN, a2, {"base_salary": "8800.00", "position": "组长"})
    report = sync_engine.sync(a)
    assert report.conflicts == 1
    with a.read() as s:
        (c,) = s.scalars(select(SyncConflict)).all()
    assert (c.row_id, c.field, c.winner) == (a2, "base_salary", "hq")
    row = _rows(a, id=a2)[0]
    assert str(row.base_salary) == "9500.00" and row.position == "组长"
    assert sync_engine.sync_status(a)["open_conflicts"] == 1

    # HQ transfers A001 from SH01 to BJ01: A marks it transferred, B receives it
    from sync.server import admin

    admin.transfer(hq.db, "A001", sh, bj)
    sync_engine.sync(a)
    sync_engine.sync(b)
    assert _rows(a, id=a1)[0].status == "transferred"
    moved = _rows(b, id=a1)
    assert moved and moved[0].branch_id == info_b.id and moved[0].status == "active"
    assert [e.employee_no for e in _rows(b, branch_id=info_b.id)] == ["A001", "B001"]
    assert _pending(a) == [] and _pending(b) == []

    # nothing more to do: a quiet cycle changes nothing
    quiet = sync_engine.sync(b)
    assert (quiet.pushed, quiet.pulled) == (0, 0)

    for desk in (a, b):
        report = _verify(desk)
        assert report.ok, report.reason
    assert b1


def test_hq_unreachable_loses_nothing(hqv, desks):
    hq = hqv
    a = desks("a", hq.code("SH"), "上海分公司")
    sync_engine.enroll(a, hq.url, hq.branch_add(hq.code("SH"), "上海分公司"), "desk-a")
    employees.hire(a, ADMIN, employee_data())
    before = _pending(a)
    token = token_store.load(a.path.parent)
    down = HQClient(f"http://127.0.0.1:{_free_port()}", token, retries=2,
                    sleep=lambda _s: None)

    with pytest.raises(HQUnreachable):
        sync_engine.sync(a, client=down)

    assert _pending(a) == before  # the outbox is intact
    report = sync_engine.sync(a)  # HQ is back
    assert report.pushed == len(before) and _pending(a) == []
    assert _verify(a).ok


def test_the_cli_enrolls_and_syncs(hqv, desks, capsys):
    from desktop import cli

    hq = hqv
    a = desks("a", hq.code("SH"), "上海分公司")
    employees.hire(a, ADMIN, employee_data())
    folder = str(a.path.parent)
    code = hq.branch_add(hq.code("SH"), "上海分公司")
    assert cli.main(["--data-dir", folder, "enroll", "--hq", hq.url, "--code", code]) == 0
    assert f"as branch {hq.code('SH')}" in capsys.readouterr().out
    assert cli.main(["--data-dir", folder, "sync"]) == 0
    assert capsys.readouterr().out.startswith("pushed 2 (2 applied, 0 merged)")
    # a used code is refused with HQ's own sentence
    assert cli.main(["--data-dir", folder, "enroll", "--hq", hq.url, "--code", code]) == 1
    assert "not valid" in capsys.readouterr().err


def test_the_cli_speaks_json_with_progress_lines_for_the_window(hqv, desks, capsys):
    """What the window's sync process prints: progress lines, then one JSON answer; an error
    carries its kind and HTTP status so the window can tell offline from refused."""
    from desktop import cli

    hq = hqv
    a = desks("a", hq.code("SH"), "上海分公司")
    for _ in range(3):
        employees.hire(a, ADMIN, employee_data())
    folder = str(a.path.parent)
    sync_engine.enroll(a, hq.url, hq.branch_add(hq.code("SH"), "上海分公司"))
    capsys.readouterr()
    assert cli.main(["--data-dir", folder, "sync", "--json", "--progress"]) == 0
    lines = capsys.readouterr().out.splitlines()
    progress = [json.loads(line)["progress"] for line in lines if '"progress"' in line]
    answer = json.loads("\n".join(line for line in lines if '"progress"' not in line))
    assert progress[0] == [6, 6]  # 3 employees and their hire events, of 6 waiting
    assert answer["ok"] and answer["pushed"] == 6 and answer["pending"] == 0

    with a.session_for_write() as s:  # HQ moved away
        from desktop.services.branch import HQ_URL_KEY
        from desktop.store.models import Setting

        s.get(Setting, HQ_URL_KEY).value = f"http://127.0.0.1:{_free_port()}"
    token_store.save(a.path.parent, "revoked-or-unknown")
    assert cli.main(["--data-dir", folder, "sync", "--json"]) == 1
    answer = json.loads(capsys.readouterr().out)
    assert answer["ok"] is False and answer["error_kind"] == "HQUnreachable"

    with a.session_for_write() as s:  # HQ is back, but does not know the token
        s.get(Setting, HQ_URL_KEY).value = hq.url
    assert cli.main(["--data-dir", folder, "sync", "--json"]) == 1
    answer = json.loads(capsys.readouterr().out)
    assert (answer["error_kind"], answer["http_status"]) == ("HQRejected", 401)


def _branch_desk_with_employees(hq, desks, count: int):
    """A new branch at HQ and its desk "a", enrolled, with `count` employees synced."""
    code = hq.code("SH")
    a = desks("a", code, "上海分公司")
    sync_engine.enroll(a, hq.url, hq.branch_add(code, "上海分公司"), "desk-a")
    ids = [employees.hire(a, ADMIN, employee_data())[0] for _ in range(count)]
    sync_engine.sync(a)
    return code, a, ids


def test_a_new_desk_pulls_a_branch_whose_employees_changed_after_their_history(hqv, desks):
    """Pull pages go in rev order: an employee who left after being hired has a later rev
    than their hire event, so with small pages the event arrives a page before its employee.
    A second desk of the branch must still get every row (found by the GUI stall bench)."""
    hq = hqv
    code, a, ids = _branch_desk_with_employees(hq, desks, 3)
    employees.leave(a, ADMIN, ids[0], "2026-06-30", "个人原因")  # a later rev at HQ
    sync_engine.sync(a)

    from sync.server import admin

    b = desks("b")
    sync_engine.enroll(b, hq.url, admin.new_code(hq.db, code), "desk-b")
    report = sync_engine.sync(b, pull_limit=1)

    assert [(e.employee_no, e.status) for e in _rows(b)] == \
        [(e.employee_no, e.status) for e in _rows(a)]
    assert _rows(b, id=ids[0])[0].status == "left"
    with b.read() as s, a.read() as s_a:
        from desktop.store.models import EmployeeEvent

        assert s.scalar(select(func.count()).select_from(EmployeeEvent)) == \
            s_a.scalar(select(func.count()).select_from(EmployeeEvent)) == 4
    assert report.received >= 8 and _verify(b).ok


@pytest.mark.parametrize(("version", "beside"), [
    ((3, 40, 1), False), ((3, 44, 5), False), ((3, 44, 6), True), ((3, 45, 0), False),
    ((3, 50, 6), False), ((3, 50, 7), True), ((3, 51, 2), False), ((3, 51, 3), True),
    ((3, 53, 0), True)])
def test_a_pull_checkpoints_beside_its_writer_only_where_sqlite_has_the_wal_reset_fix(
        version, beside):
    assert sync_engine.checkpoints_beside_a_writer(version) is beside


def test_a_long_pull_moves_its_pages_into_the_store_file_as_it_goes(hqv, desks,
                                                                     monkeypatch):
    """While a pull goes on, the pages it wrote are copied from SQLite's write-ahead log
    into the store's file (its commits leave that copy for later, and the cycle's end used
    to make it in one go: a sixth of a first pull), where the desk's SQLite allows it. The
    desk ends with every row and its audit chain whole."""
    # On this machine's SQLite too (the throwaway store of a test: see
    # checkpoints_beside_a_writer for why an affected library does not, in use).
    monkeypatch.setattr(sync_engine, "CHECKPOINT_BEHIND_PULLS", True)
    hq = hqv
    code, a, _ids = _branch_desk_with_employees(hq, desks, 120)
    from sync.server import admin

    b = desks("b")
    sync_engine.enroll(b, hq.url, admin.new_code(hq.db, code), "desk-b")
    before = b.path.stat().st_size
    grew_during_the_pull = []

    def progress(done: int, total: int) -> None:
        if done and total > done and not grew_during_the_pull:  # a page in, more to come
            for _ in range(200):  # the copy runs on a thread of its own: wait for it
                if b.path.stat().st_size > before:
                    break
                time.sleep(0.05)
            grew_during_the_pull.append(b.path.stat().st_size > before)

    report = sync_engine.sync(b, pull_limit=50, progress=progress)
    assert grew_during_the_pull == [True]
    assert report.received >= 240  # 120 employees, their hire events, the group's rows
    assert [e.employee_no for e in _rows(b)] == [e.employee_no for e in _rows(a)]
    assert _verify(b).ok


def _clash(hq, desks):
    """Desks a and b of one branch; HQ took a's E900001 王芳 (and E900002 李娜), which b
    cannot store: b's own, refused E900001 赵敏 holds the number. Returns b's cycle too."""
    from sync.server import admin

    code = hq.code("SH")
    a = desks("a", code, "上海分公司")
    sync_engine.enroll(a, hq.url, hq.branch_add(code, "上海分公司"), "desk-a")
    b = desks("b")
    sync_engine.enroll(b, hq.url, admin.new_code(hq.db, code), "desk-b")
    employees.hire(a, ADMIN, employee_data(employee_no="E900001", name="王芳"))
    employees.hire(a, ADMIN, employee_data(employee_no="E900002", name="李娜"))
    employees.hire(b, ADMIN, employee_data(employee_no="E900001", name="赵敏"))
    sync_engine.sync(a)
    return code, a, b, sync_engine.sync(b)


def test_a_pulled_row_the_desk_cannot_store_is_reported_and_the_rest_arrives(hqv, desks):
    """Two desks of one branch hire the same employee number offline. HQ takes the first;
    the second desk's own row keeps that number, so HQ's row cannot be stored there. That
    row is reported (Sync page, rejected changes); every other row and the cursor move on,
    instead of the whole page failing at every cycle."""
    from desktop.services import sync_records

    _code, _a, b, report = _clash(hqv, desks)
    second = sync_engine.sync(b)  # the next cycle is not stuck on the same page

    assert [(e.employee_no, e.name) for e in _rows(b)] == [("E900001", "赵敏"),
                                                           ("E900002", "李娜")]
    assert report.rejected >= 1  # HQ refused b's E900001 too: both sides say so
    assert report.redownloaded == []  # the check knows that row is reported, not lost
    assert second.received == 0 and second.pushed == 0
    problems = sync_records.rejections(b)
    unstored = [r for r in problems if r.reason.startswith("this desk could not store")]
    assert len(unstored) == 1 and unstored[0].fields["employee_no"] == "E900001"
    assert unstored[0].reason == ("this desk could not store HQ's version: its employee_no "
                                  "is already used by another employee here")
    assert _verify(b).ok

    # The clerk gives b's own hire another number: the correction goes to HQ, and HQ's
    # E900001 is asked for again in the same cycle and now fits.
    own = employees.search_ids(b, employees.EmployeeQuery(search="赵敏"))[0]
    employees.edit(b, ADMIN, own, {"employee_no": "E900003"})
    fixed = sync_engine.sync(b)
    assert fixed.pushed >= 1 and fixed.rejected == 0
    assert [(e.employee_no, e.name) for e in _rows(b)] == [
        ("E900001", "王芳"), ("E900002", "李娜"), ("E900003", "赵敏")]
    assert len([r for r in sync_records.rejections(b)
                if r.reason.startswith("this desk could not store")]) == 1  # logged once
    assert sync_engine.sync(b).received == 0
    assert _verify(b).ok


def _unstored_rows(store) -> list[str]:
    from desktop.services import sync_records

    return [r.fields.get("employee_no") for r in sync_records.rejections(store)
            if r.reason.startswith("this desk could not store")]


def test_asking_again_for_an_unstored_row_leaves_the_desks_other_rows_alone(hqv, desks):
    """Asking HQ again for the row the desk could not store brings HQ's other rows of the
    table along: they are not applied. A local edit HQ rejected keeps the clerk's value."""
    hq = hqv
    _code, a, b, _report = _clash(hq, desks)
    employees.hire(a, ADMIN, employee_data(employee_no="E900005", name="陈静"))
    sync_engine.sync(a)
    li_na = employees.search_ids(b, employees.EmployeeQuery(search="李娜"))[0]
    employees.edit(b, ADMIN, li_na, {"employee_no": "E900005"})  # HQ: taken by 陈静

    report = sync_engine.sync(b)

    assert report.rejected == 1
    assert _rows(b, id=li_na)[0].employee_no == "E900005"  # the clerk's value, still
    assert sorted(_unstored_rows(b)) == ["E900001", "E900005"]  # 王芳, and now 陈静
    assert _verify(b).ok


def test_an_unstored_row_hq_moves_away_is_no_longer_asked_for(hqv, desks, monkeypatch):
    from sync.server import admin

    hq = hqv
    code, _a, b, _report = _clash(hq, desks)
    assert _unstored_rows(b) == ["E900001"]
    other = hq.code("BJ")
    hq.branch_add(other, "北京分公司")
    admin.transfer(hq.db, "E900001", code, other)  # HQ's 王芳 leaves b's branch

    employees.hire(b, ADMIN, employee_data(employee_no="E900007", name="周平"))
    sync_engine.sync(b)  # pushed to employee: 王芳 asked for again, HQ no longer sends her
    assert _unstored_rows(b) == []  # settled: off the Sync page, not asked for again

    asked = []
    pull = HQClient.pull

    def counting(self, after, limit=5000, table=None, digest_after=None):
        asked.append(table)
        return pull(self, after, limit, table=table, digest_after=digest_after)

    monkeypatch.setattr(HQClient, "pull", counting)
    employees.hire(b, ADMIN, employee_data(employee_no="E900008", name="吴刚"))
    sync_engine.sync(b)
    # No table download (the cycle's own page came with its push's answer).
    assert "employee" not in asked
    assert _verify(b).ok


def test_the_end_of_cycle_check_downloads_again_rows_a_cursor_skipped(hqv, desks):
    """DESIGN section 3: a cycle ends with a per-table count/rev check against HQ's digest
    (over the rows changed since the last good check), and a table that differs is
    downloaded again, that table only. Here the desk's cursor jumped past a row (as a
    pull that skipped a late commit would leave it)."""
    from desktop.services import sync_records
    from sync.server import admin

    hq = hqv
    code, a, ids = _branch_desk_with_employees(hq, desks, 3)
    b = desks("b")
    sync_engine.enroll(b, hq.url, admin.new_code(hq.db, code), "desk-b")
    first = sync_engine.sync(b)
    assert first.redownloaded == [] and len(_rows(b)) == 3

    employees.edit(a, ADMIN, ids[0], {"phone": "13911112222"})
    sync_engine.sync(a)
    with b.session_for_write() as s:  # b's cursor jumps past a's edit
        s.get(sync_engine.Setting, sync_engine.CURSOR_KEY).value = str(10**12)
    idle = sync_engine.sync(b)
    assert idle.redownloaded == [] and _rows(b, id=ids[0])[0].phone != "13911112222"

    employees.edit(b, ADMIN, ids[2], {"position": "组长"})
    report = sync_engine.sync(b)  # pushes b's edit; the check finds the skipped one
    assert report.redownloaded == ["employee"] and report.differing == []
    assert _rows(b, id=ids[0])[0].phone == "13911112222"
    latest = sync_records.history(b)[0]  # the Sync page's history says what happened
    assert latest.ok and latest.redownloaded == ("employee",) and latest.differing == ()
    assert not sync_records.rejections(b)
    assert _verify(b).ok

    employees.edit(b, ADMIN, ids[1], {"phone": "13922223333"})
    assert sync_engine.sync(b).redownloaded == []  # converged: the next check agrees


def test_a_code_for_another_branch_is_refused_and_stays_usable(hqv, desks):
    """A standalone desk of one branch given another branch's code: HQ answers 409 before
    using the code, so the branch it was made for can still enroll with it."""
    hq = hqv
    here, other = hq.code("SH"), hq.code("BJ")
    standalone = desks("sh", here, "上海分公司")
    code = hq.branch_add(other, "北京分公司")

    with pytest.raises(sync_engine.EnrollmentMismatch) as refused:
        sync_engine.enroll(standalone, hq.url, code, "desk-sh")
    assert (refused.value.local_code, refused.value.hq_code) == (here, other)
    assert standalone.setting(branch.HQ_URL_KEY) is None

    beijing = desks("bj")
    info = sync_engine.enroll(beijing, hq.url, code, "desk-bj")
    assert info.code == other


def test_a_new_row_hq_rejected_goes_through_once_the_clerk_corrects_it(hqv, desks):
    """Two desks of a branch hire the same employee number offline; HQ keeps the first and
    rejects the second (and its hire event, which refers to it). The second desk's clerk
    gives theirs a new number: that edit reaches HQ with the whole row, so HQ can take it
    as the new row it never had, and the hire event goes along."""
    from sync.server import admin

    hq = hqv
    code, a, _ids = _branch_desk_with_employees(hq, desks, 0)
    b = desks("b")
    sync_engine.enroll(b, hq.url, admin.new_code(hq.db, code), "desk-b")
    employees.hire(a, ADMIN, employee_data(employee_no="E900001", name="王芳"))
    (mine, _) = employees.hire(b, ADMIN, employee_data(employee_no="E900001", name="赵敏"))
    sync_engine.sync(a)
    assert sync_engine.sync(b).rejected == 2  # the employee and its hire event

    employees.edit(b, ADMIN, mine, {"employee_no": "E900003"})
    report = sync_engine.sync(b)

    assert (report.pushed, report.applied, report.rejected) == (2, 2, 0)
    assert _rows(b, id=mine)[0].rev > 0 and _pending(b) == []
    at_hq = {e["employee_no"]: e["name"] for e in admin.list_employees(hq.db, code)}
    assert at_hq == {"E900001": "王芳", "E900003": "赵敏"}
    from sync.server.models import EmployeeEvent as HqEvent

    with hq.db.read() as s:
        assert [e.kind for e in s.scalars(select(HqEvent).where(
            HqEvent.employee_id == mine))] == ["hire"]
    assert sync_engine.sync(b).pushed == 0  # nothing is sent twice


def test_a_cycle_with_changes_gets_its_first_pull_page_with_its_push(hqv, desks, monkeypatch):
    """The last push batch brings the cycle's first pull page in its answer: a cycle with
    local changes waits for HQ once less (on a branch's slow line, a round trip less).
    An older HQ leaves the page out: the desk then asks for it with a request of its own."""
    code = hqv.code("RT")
    a = desks("a", code, "往返分公司")
    sync_engine.enroll(a, hqv.url, hqv.branch_add(code, "往返分公司"))
    employees.hire(a, ADMIN, employee_data(employee_no="R001"))
    sync_engine.sync(a)

    def hq_sets_phone(phone: str) -> None:
        row = hqv.employee("R001", code)
        with hqv.hq_client() as ops:
            (res,) = ops.push([{"change_id": uuid.uuid4().hex, "table": "employee",
                                "op": "upsert", "row_id": row["id"], "base_rev": row["rev"],
                                "fields": {"phone": phone}}]).results
        assert res.status == "applied"

    asked: list[str] = []
    request = HQClient._request

    def counting(self, method, path, **kw):
        asked.append(path)
        return request(self, method, path, **kw)

    hq_sets_phone("13712345671")
    employees.hire(a, ADMIN, employee_data(employee_no="R002"))
    monkeypatch.setattr(HQClient, "_request", counting)
    report = sync_engine.sync(a)
    assert (report.pushed, report.received) == (2, 1)  # the new hire and its event; HQ's edit
    assert asked == ["/sync/push"]  # the push, its page, and the check against its digest
    assert _rows(a, employee_no="R001")[0].phone == "13712345671"

    # An HQ from before `pull_after`: the answer has no page (the parameter is ignored).
    push_gzipped = HQClient.push_gzipped
    monkeypatch.setattr(HQClient, "push_gzipped",
                        lambda self, data, **_pull: push_gzipped(self, data))
    hq_sets_phone("13712345672")
    employees.hire(a, ADMIN, employee_data(employee_no="R003"))
    asked.clear()
    report = sync_engine.sync(a)
    assert (report.pushed, report.received) == (2, 1)
    assert asked[:2] == ["/sync/push", "/sync/pull"]
    assert _rows(a, employee_no="R001")[0].phone == "13712345672"
    assert _pending(a) == [] and _verify(a).ok


def test_an_edit_made_before_its_rows_first_sync_builds_on_the_create(hqv, desks, monkeypatch):
    """Hired and edited before the first sync, pushed in separate batches: the edit builds on
    the version HQ just applied, so it is applied too, not merged, and does not come back in
    the pull. A change HQ made between the two batches is still decided by ownership."""
    monkeypatch.setattr(sync_engine, "MAX_PUSH_CHANGES", 2)  # create, event | edit
    code = hqv.code("ED")
    a = desks("a", code, "编辑分公司")
    sync_engine.enroll(a, hqv.url, hqv.branch_add(code, "编辑分公司"))
    mine = employees.hire(a, ADMIN, employee_data(employee_no="D001"))[0]
    employees.edit(a, ADMIN, mine, {"position": "组长"})
    report = sync_engine.sync(a)
    assert (report.applied, report.merged, report.conflicts) == (report.pushed, 0, 0)
    desk_token = token_store.load(a.path.parent)
    with HQClient(hqv.url, desk_token) as desk_view:
        pulled = {c.row_id for c in desk_view.pull(0).changes}
    assert mine not in pulled  # the desk's own version, as it pushed it
    assert hqv.employee("D001", code)["position"] == "组长"

    # HQ changes the salary (HQ's field) while the create is answered and the edit waits.
    other = employees.hire(a, ADMIN, employee_data(employee_no="D002", base_salary="8000.00"))[0]
    employees.edit(a, ADMIN, other, {"base_salary": "8800.00"})
    push_gzipped = HQClient.push_gzipped
    sent = []

    def hq_edits_between_batches(self, data, **kw):
        sent.append(data)
        if len(sent) == 2:
            row = hqv.employee("D002", code)
            with hqv.hq_client() as ops:
                ops.push([{"change_id": uuid.uuid4().hex, "table": "employee",
                           "op": "upsert", "row_id": other, "base_rev": row["rev"],
                           "fields": {"base_salary": "9500.00"}}])
        return push_gzipped(self, data, **kw)

    monkeypatch.setattr(HQClient, "push_gzipped", hq_edits_between_batches)
    report = sync_engine.sync(a)
    assert len(sent) == 2 and report.conflicts == 1
    assert hqv.employee("D002", code)["base_salary"] == "9500.00"
    assert str(_rows(a, employee_no="D002")[0].base_salary) == "9500.00"
    assert _pending(a) == [] and _verify(a).ok
