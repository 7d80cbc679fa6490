"""Push and pull rules of docs/SYNC.md against a real HQ (SQLite and PostgreSQL): scope,
per-change rejection, at most once, conflicts by base rev and field ownership, tombstones,
append-only tables, transfers with move_out."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sync.protocol import MAX_PULL_LIMIT
from sync.server import admin, replication
from sync.server.models import Conflict, Move
from tests.sync.hq_support import (
    FINANCE,
    SALES,
    STANDARD_DEPARTMENTS,
    change,
    employee_fields,
    new_id,
)


def _hire(desk, no: str, **over) -> tuple[str, int]:
    row_id = new_id()
    (result,) = desk.push(change("employee", row_id, employee_fields(no, **over)))
    assert result["status"] == "applied", result
    return row_id, result["rev"]


def _rows(changes, table=None) -> dict[str, dict]:
    return {c["row_id"]: c for c in changes if table is None or c["table"] == table}


def test_each_branch_pulls_only_its_own_rows_plus_reference_rows(hq):
    a, b = hq.desk("A"), hq.desk("B")
    a_emp, a_rev = _hire(a, "A-001")
    b_emp, _ = _hire(b, "B-001")
    own_dept = new_id()
    (r,) = a.push(change("department", own_dept, {"code": "legal", "name": "法务",
                                                  "name_en": "Legal"}))
    assert r["status"] == "applied"

    a2 = hq.reader(a)  # a's own pulls skip what a pushed (see the next test)
    a_changes, a_cursor = a2.pull_all()
    a_rows = _rows(a_changes)
    assert a_emp in a_rows and b_emp not in a_rows
    assert own_dept in a_rows
    assert set(_rows(a_changes, "department")) >= STANDARD_DEPARTMENTS
    assert {a.branch_id, b.branch_id} <= set(_rows(a_changes, "branch"))  # reference rows
    assert a_rows[a_emp]["op"] == "upsert"
    assert a_rows[a_emp]["rev"] == a_rev
    row = a_rows[a_emp]["row"]
    assert row["base_salary"] == "8000.00" and row["birth_date"] == "1990-03-07"
    assert row["branch_id"] == a.branch_id and row["deleted"] is False
    assert row["updated_at"].endswith("Z")
    assert set(row) == {"id", "branch_id", "updated_at", "deleted", *employee_fields("x")} - {
        "rev"}
    revs = [c["rev"] for c in a_changes]
    assert revs == sorted(revs) and len(set(revs)) == len(revs)

    b_rows = _rows(hq.reader(b).pull_all()[0])
    assert b_emp in b_rows and a_emp not in b_rows and own_dept not in b_rows

    # Nothing new: the cursor stays; an HQ admin reads every branch.
    again = a2.pull_page(after=a_cursor)
    assert again == {"changes": [], "next_after": a_cursor, "more": False}
    everything = _rows(hq.admin_client().pull_all()[0])
    assert {a_emp, b_emp, own_dept} <= set(everything)


def test_a_desk_does_not_pull_back_what_it_pushed_but_does_pull_merged_versions(hq):
    a = hq.desk("E")
    a2 = hq.reader(a)
    emp, rev = _hire(a, "E-001")
    own = _rows(a.pull_all()[0])
    assert emp not in own  # a has this version already; it took the rev from the push
    assert set(_rows(a.pull_all()[0], "department")) >= STANDARD_DEPARTMENTS  # still served
    assert emp in _rows(a2.pull_all()[0])

    # Another desk's version, and HQ's, come to a.
    (by_a2,) = a2.push(change("employee", emp, {"phone": "13111112222"}, base_rev=rev))
    assert by_a2["status"] == "applied"
    assert _rows(a.pull_all()[0])[emp]["row"]["phone"] == "13111112222"
    hq.admin_client().push(change("employee", emp, {"base_salary": "9100.00"},
                                  base_rev=by_a2["rev"]))
    # a's stale edit is merged with HQ's: that version is new to a, so it comes back.
    (merged,) = a.push(change("employee", emp, {"position": "组长"}, base_rev=rev))
    assert merged["status"] == "merged"
    row = _rows(a.pull_all()[0])[emp]
    assert row["rev"] == merged["rev"]
    assert (row["row"]["position"], row["row"]["base_salary"], row["row"]["phone"]) == (
        "组长", "9100.00", "13111112222")


@pytest.mark.parametrize("in_push_revs", [replication.IN_PUSH_PAGE_REVS, 0])
def test_a_push_can_bring_the_pull_page_that_follows_it(hq, monkeypatch, in_push_revs):
    """A desk's last batch asks for its cycle's first pull page in the same request: the
    page is the one GET /sync/pull gives once the push committed (one round trip fewer)."""
    # (0: every page is read after the commit, as a push with many revs above the cursor)
    monkeypatch.setattr(replication, "IN_PUSH_PAGE_REVS", in_push_revs)
    a = hq.desk("Q")
    a2 = hq.reader(a)
    _emp, _rev = _hire(a, "Q-001")
    cursor = a2.pull_all()[1]
    by_a = _hire(a, "Q-002")[0]  # another desk's row: a2 gets it with its next push
    own = new_id()
    sent = change("employee", own, employee_fields("Q-003"))
    r = a2.post("/api/v1/sync/push", params={"pull_after": cursor, "pull_limit": 10,
                                             "digest_after": 0}, json={"changes": [sent]})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert [x["status"] for x in answer["results"]] == ["applied"]
    page = answer["pull"]
    assert page == a2.get("/api/v1/sync/pull", params={"after": cursor, "limit": 10,
                                                       "digest_after": 0}).json()
    assert set(_rows(page["changes"])) == {by_a}  # not a2's own push, just made
    assert page["next_after"] == answer["results"][0]["rev"] and not page["more"]
    assert page["digest"]["employee"]["count"] == 3
    # A push that writes nothing (its change sent again) reads the page in a snapshot of
    # its own; one that writes reads it in its own transaction: the same page either way.
    ask = {"pull_after": cursor, "pull_limit": 1, "digest_after": 0}
    again = a2.post("/api/v1/sync/push", params=ask, json={"changes": [sent]}).json()
    assert again["results"] == answer["results"]
    assert again["pull"] == a2.get("/api/v1/sync/pull", params={
        "after": cursor, "limit": 1, "digest_after": 0}).json()
    assert set(_rows(again["pull"]["changes"])) == {by_a} and not again["pull"]["more"]
    by_a_too = _hire(a, "Q-005")[0]
    fresh = a2.post("/api/v1/sync/push", params=ask, json={"changes": [
        change("employee", new_id(), employee_fields("Q-006"))]}).json()
    assert set(_rows(fresh["pull"]["changes"])) == {by_a} and fresh["pull"]["more"]
    assert "digest" not in fresh["pull"]  # not the last page
    rest = a2.get("/api/v1/sync/pull", params={"after": fresh["pull"]["next_after"],
                                               "digest_after": 0}).json()
    assert set(_rows(rest["changes"])) == {by_a_too}
    assert rest["next_after"] == fresh["results"][0]["rev"]
    # A push whose last row is rolled back (isolated mode: its employee number is taken)
    # leaves that row's rev unused: the page still ends where GET's does.
    after = rest["next_after"]
    mixed = a2.post("/api/v1/sync/push", params={**ask, "pull_after": after}, json={"changes": [
        change("employee", new_id(), employee_fields("Q-007")),
        change("employee", new_id(), employee_fields("Q-002"))]}).json()
    assert [r["status"] for r in mixed["results"]] == ["applied", "rejected"]
    assert mixed["pull"] == a2.get("/api/v1/sync/pull", params={
        "after": after, "limit": 1, "digest_after": 0}).json()
    assert mixed["pull"]["next_after"] == mixed["results"][0]["rev"]
    plain = a2.push(change("employee", new_id(), employee_fields("Q-004")))
    assert plain[0]["status"] == "applied"  # without pull_after: the answer as before
    assert "pull" not in a2.post("/api/v1/sync/push", json={"changes": []}).json()


def test_the_digest_counts_and_sums_the_revs_of_the_callers_scope(hq):
    a, b = hq.desk("G"), hq.desk("G")
    one, rev1 = _hire(a, "G-001")
    _two, rev2 = _hire(a, "G-002")
    _hire(b, "G-003")
    digest = a.get("/api/v1/sync/digest", params={"tables": "employee"})
    assert digest.status_code == 200, digest.text
    assert digest.json() == {"tables": {"employee": {"count": 2, "rev_sum": rev1 + rev2}}}
    since = a.get("/api/v1/sync/digest", params={"tables": "employee", "after": rev1}).json()
    assert since == {"tables": {"employee": {"count": 1, "rev_sum": rev2}}}  # rows after a mark
    # The same, on the last page of a pull that asks for it (taken in that page's snapshot).
    last = a.get("/api/v1/sync/pull", params={"after": 0, "digest_after": rev1}).json()
    assert last["more"] is False and last["digest"]["employee"] == {"count": 1, "rev_sum": rev2}
    first = a.get("/api/v1/sync/pull", params={"after": 0, "limit": 1, "digest_after": 0})
    assert first.json()["more"] is True and "digest" not in first.json()
    # Every table when none is named; reference rows are in every branch's scope.
    tables = a.get("/api/v1/sync/digest").json()["tables"]
    assert set(tables) == {"branch", "department", "employee", "employee_event"}
    assert tables["department"]["count"] >= len(STANDARD_DEPARTMENTS)
    assert a.get("/api/v1/sync/digest", params={"tables": "payroll"}).status_code == 422
    # A table's re-download includes the caller's own versions, which its pulls skip.
    whole = a.get("/api/v1/sync/pull", params={"after": 0, "table": "employee"}).json()
    assert sorted(c["row"]["employee_no"] for c in whole["changes"]) == ["G-001", "G-002"]
    assert one not in _rows(a.pull_all()[0])
    assert a.get("/api/v1/sync/pull", params={"table": "payroll"}).status_code == 422


def test_a_page_from_any_cursor_is_whole_though_it_reads_only_the_tables_above_it(hq):
    """A page and its digest leave out the tables with no version above the cursor (and
    the mark): from every cursor, as a pull and as a push's page, they are what reading
    every table gives."""
    a, b = hq.desk("W"), hq.desk("X")
    emp, rev = _hire(a, "W-001")
    dept = new_id()
    assert a.push(change("department", dept, {"code": "w", "name": "W", "name_en": ""})
                  )[0]["status"] == "applied"
    _hire(b, "X-001")
    (event,) = a.push(change("employee_event", new_id(), {
        "employee_id": emp, "kind": "hire", "effective_date": "2026-01-02", "reason": None,
        "actor": "admin"}))
    assert event["status"] == "applied", event
    assert a.push(change("employee", emp, {"updated_at": "2026-02-02T00:00:00Z"},
                         op="delete", base_rev=rev))[0]["status"] == "applied"
    admin.transfer(hq.db, "X-001", b.branch["code"], hq.desk("V").branch["code"])
    principals = [admin.authenticate(hq.db, d.token) for d in (a, b, hq.reader(a))]
    with hq.db.read() as session:
        tops = replication._top_revs(session)  # noqa: SLF001 - what the page is pruned by
    top = max(tops.values())
    every_table = dict.fromkeys(tops, top)
    pruned = []
    for principal in [*principals, replication.HQ_TOOL]:
        for after in range(top - 12, top):
            # The digest's mark: the cursor, or below it (the last good check's)
            for mark, limit in [(after, 50), (after - 4, 50), (0, 2)]:
                pages = []
                for table_tops in (tops, every_table):
                    with hq.db.read() as session:
                        pages.append(replication._pull_page(  # noqa: SLF001 - both ways
                            session, hq.db, principal, after, limit, None, mark, top=top,
                            tops=table_tops))
                assert pages[0] == pages[1], (principal.name, after, mark, limit)
            pruned.append(sum(1 for r in tops.values() if r > after) < len(tops))
    assert any(pruned) and not all(pruned)  # cursors with tables left out, and without
    # A push's page, read in its transaction, is the page a pull gives after it.
    cursor = max(tops.values())
    r = a.post("/api/v1/sync/push", params={"pull_after": cursor - 3, "digest_after": cursor - 3},
               json={"changes": [change("employee", new_id(), employee_fields("W-002"))]})
    assert r.status_code == 200, r.text
    assert r.json()["pull"] == a.get("/api/v1/sync/pull", params={
        "after": cursor - 3, "digest_after": cursor - 3}).json()


def test_pull_pages_in_rev_order_and_limit_is_capped(hq):
    a = hq.desk("P")
    for i in range(7):
        _hire(a, f"P-{i:03}")
    whole, cursor = a.pull_all()
    paged, cursor2 = a.pull_all(limit=3)
    assert [c["rev"] for c in paged] == [c["rev"] for c in whole]
    assert cursor2 == cursor
    first = a.pull_page(limit=3)
    assert len(first["changes"]) == 3 and first["more"] is True
    assert first["next_after"] == first["changes"][-1]["rev"]
    huge = a.pull_page(limit=10**9)  # capped at MAX_PULL_LIMIT, not refused
    assert len(huge["changes"]) <= MAX_PULL_LIMIT and huge["more"] is False


def test_forged_changes_are_rejected_per_change_and_the_rest_applies(hq):
    a, b = hq.desk("A"), hq.desk("B")
    b_emp, b_rev = _hire(b, "B-100")
    a_emp, a_rev = _hire(a, "A-100")
    event = new_id()
    (r,) = a.push(change("employee_event", event, {"employee_id": a_emp, "kind": "hire",
                                                   "effective_date": "2024-01-02",
                                                   "reason": None, "actor": "admin"}))
    assert r["status"] == "applied"
    b_dept = new_id()
    b.push(change("department", b_dept, {"code": "b-only", "name": "B", "name_en": "B"}))

    good_new = new_id()
    batch = [
        change("employee", b_emp, {"phone": "13900000000"}, base_rev=b_rev),  # B's row
        change("employee", good_new, employee_fields("A-101")),  # valid
        change("employee", a_emp, {"branch_id": b.branch_id}, base_rev=a_rev),  # move own to B
        change("branch", a.branch_id, {"name": "Renamed"}, base_rev=1),  # reference table
        change("department", FINANCE, {"name": "X"}, base_rev=1),  # standard department
        change("employee", a_emp, {"status": "transferred"}, base_rev=a_rev),  # HQ's value
        change("employee_event", event, {"reason": "edited"}, base_rev=r["rev"]),  # append-only
        change("employee_event", event, op="delete", base_rev=r["rev"]),  # append-only delete
        change("employee", new_id(), employee_fields("A-102", branch_id=b.branch_id)),  # new in B
        change("employee", new_id(), employee_fields("A-103", department_id=b_dept)),  # B's dept
        change("payroll_run", new_id(), {"x": 1}),  # unknown table
        change("employee", new_id(), {"employee_no": "A-104"}),  # incomplete new row
        change("employee", a_emp, {"salary": "1"}, base_rev=a_rev),  # unknown column
        change("employee", a_emp, {"phone": "13700000000"}, base_rev=a_rev),  # valid
    ]
    results = a.push(*batch)
    statuses = [res["status"] for res in results]
    assert statuses == ["rejected", "applied", "rejected", "rejected", "rejected", "rejected",
                        "rejected", "rejected", "rejected", "rejected", "rejected", "rejected",
                        "rejected", "applied"], results
    reasons = [res["reason"] for res in results]
    assert "not in your branch" in reasons[0]
    assert "cannot move a row to another branch" in reasons[2]
    assert "reference data" in reasons[3] and "reference data" in reasons[4]
    assert "only HQ sets status 'transferred'" in reasons[5]
    assert "append-only" in reasons[6] and "append-only" in reasons[7]
    assert "cannot move a row to another branch" in reasons[8]
    assert "another branch" in reasons[9]
    assert "unknown table" in reasons[10]
    assert "a new row needs" in reasons[11]
    assert "no field 'salary'" in reasons[12]
    assert all(res["rev"] is None for res in results if res["status"] == "rejected")

    # Nothing of the rejected ones reached B or the reference data.
    b_rows = _rows(hq.reader(b).pull_all()[0])
    assert b_rows[b_emp]["row"]["phone"] == "13800000000"
    assert b_rows[b_emp]["rev"] == b_rev
    a_rows = _rows(hq.reader(a).pull_all()[0])
    assert a_rows[a_emp]["row"]["branch_id"] == a.branch_id
    assert a_rows[a_emp]["row"]["status"] == "active"
    assert a_rows[a_emp]["row"]["phone"] == "13700000000"
    assert a_rows[FINANCE]["row"]["name"] == "财务"
    assert a_rows[a.branch_id]["row"]["name"] != "Renamed"
    assert a_rows[event]["row"]["reason"] is None
    assert good_new in a_rows


def test_a_create_of_a_row_hq_has_is_decided_against_that_row(hq):
    """HQ presumes a desk's creates (fields with the id) are new rows and does not look them
    up; when one is not, it is still decided against the row HQ has, and the rest of the
    batch applies."""
    a, b = hq.desk("P"), hq.desk("Q")
    b_emp, b_rev = _hire(b, "Q-100")
    a_emp, a_rev = _hire(a, "P-100")
    good_new, event = new_id(), new_id()
    forged = a.push(  # B's employee, sent as a create of A's
        change("employee", b_emp, {"id": b_emp, **employee_fields("P-900")}),
        change("employee", good_new, {"id": good_new, **employee_fields("P-101")}))
    assert [r["status"] for r in forged] == ["rejected", "applied"], forged
    assert "not in your branch" in forged[0]["reason"]
    referring = a.push(
        # A's own employee as a create HQ rejects (a bad value), then an event that refers
        # to that employee: HQ has it, though the create did not go through
        change("employee", a_emp, {"id": a_emp, **employee_fields("P-100", phone=138)}),
        change("employee_event", event, {"id": event, "employee_id": a_emp, "kind": "hire",
                                         "effective_date": "2024-01-02", "reason": None,
                                         "actor": "admin"}))
    assert [r["status"] for r in referring] == ["rejected", "applied"], referring
    assert "'phone' must be text" in referring[0]["reason"]
    b_rows = _rows(hq.reader(b).pull_all()[0])
    assert b_rows[b_emp]["row"]["employee_no"] == "Q-100" and b_rows[b_emp]["rev"] == b_rev
    a_rows = _rows(hq.reader(a).pull_all()[0])
    assert a_rows[a_emp]["rev"] == a_rev
    assert a_rows[event]["row"]["employee_id"] == a_emp
    assert good_new in a_rows and b_emp not in a_rows

    # A partial "create" of a row HQ has (an HQ tool's, say) is an edit of it, made at base
    # rev 0: merged, not "a new row needs ..."
    (partial,) = a.push(change("employee", a_emp, {"id": a_emp, "name": "李四"}))
    assert partial["status"] == "merged", partial
    assert _rows(hq.reader(a).pull_all()[0])[a_emp]["row"]["name"] == "李四"


def test_wrong_field_types_are_rejected_not_500(hq):
    a = hq.desk("T")
    a_emp, rev = _hire(a, "T-001")
    nasty = [
        {"base_salary": 8000.5}, {"base_salary": "abc"}, {"base_salary": "NaN"},
        {"base_salary": "1e20"}, {"base_salary": "1.005"}, {"birth_date": "yesterday"},
        {"birth_date": 19900307}, {"phone": 13800000000}, {"phone": "1" * 500},
        {"phone": "a\x00b"}, {"deleted": "yes"}, {"name": None}, {"updated_at": "noon"},
        {"department_id": new_id()}, {"id": new_id()}, {"gender": ["M"]},
        {"name": {"nested": True}},
    ]
    results = a.push(*[change("employee", a_emp, f, base_rev=rev) for f in nasty])
    assert [r["status"] for r in results] == ["rejected"] * len(nasty), results
    assert all(r["reason"] for r in results)
    weird_ids = a.push(change("employee", "x" * 64, employee_fields("T-002")),
                       change("employee", "bad\x00id", employee_fields("T-003")))
    assert [r["status"] for r in weird_ids] == ["rejected", "rejected"]


def test_a_retried_push_applies_nothing_twice_and_returns_the_same_results(hq):
    a = hq.desk("R")
    emp = new_id()
    batch = [change("employee", emp, employee_fields("R-001")),
             change("employee", emp, {"phone": "13911112222"}),
             change("branch", a.branch_id, {"name": "x"}, base_rev=1)]
    first = a.push(*batch)
    cursor = a.pull_all()[1]
    second = a.push(*batch)
    assert second == first
    assert [r["status"] for r in first] == ["applied", "applied", "rejected"]
    assert a.pull_page(after=cursor)["changes"] == []  # no new rev: nothing applied twice
    # The same change id inside one batch gets one result too.
    dup = change("employee", emp, {"position": "lead"}, base_rev=first[0]["rev"])
    one, two = a.push(dup, dup)
    assert one == two and one["status"] == "applied"
    # Another desk cannot replay (or learn) this desk's change ids.
    other = hq.desk("R")
    (stolen,) = other.push(batch[0])
    assert stolen["status"] == "rejected" and "another node" in stolen["reason"]

    # As a desk sends them (a create carries the row's id, which HQ presumes new): a row
    # created and edited in one batch, the batch sent again.
    hired = new_id()
    desk_batch = [change("employee", hired, {"id": hired, **employee_fields("R-002")}),
                  change("employee", hired, {"phone": "13911113333"})]
    first = a.push(*desk_batch)
    assert [r["status"] for r in first] == ["applied", "applied"], first
    assert a.push(*desk_batch) == first


def test_concurrent_edits_merge_or_are_decided_by_field_ownership(hq):
    a = hq.desk("C")
    ops = hq.admin_client()
    emp, base = _hire(a, "C-001")
    # HQ changes the salary (HQ's field) and the phone (the branch's) after the desk's base.
    (hq_result,) = ops.push(change("employee", emp, {"base_salary": "9000.00",
                                                     "phone": "13000000000"}, base_rev=base))
    assert hq_result["status"] == "applied"
    # The desk, still on `base`, edits a different field: merged.
    (merged,) = a.push(change("employee", emp, {"position": "team lead"}, base_rev=base))
    assert merged["status"] == "merged" and merged["conflicts"] == []
    # The desk edits the same fields: salary goes to HQ, phone to the branch.
    (decided,) = a.push(change("employee", emp, {"base_salary": "7000.00",
                                                 "phone": "13122223333"}, base_rev=base))
    assert decided["status"] == "conflict"
    assert decided["rev"] > merged["rev"]
    by_field = {c["field"]: c for c in decided["conflicts"]}
    assert by_field["base_salary"] == {"field": "base_salary", "hq_value": "9000.00",
                                       "branch_value": "7000.00", "winner": "hq"}
    assert by_field["phone"] == {"field": "phone", "hq_value": "13000000000",
                                 "branch_value": "13122223333", "winner": "branch"}
    row = _rows(a.pull_all()[0])[emp]["row"]
    assert row["base_salary"] == "9000.00" and row["phone"] == "13122223333"
    assert row["position"] == "team lead"
    with hq.db.read() as s:
        stored = s.scalars(select(Conflict).where(Conflict.row_id == emp)
                           .order_by(Conflict.field)).all()
    assert [(c.field, c.hq_value, c.branch_value, c.winner, c.base_rev, c.rev)
            for c in stored] == [
        ("base_salary", "9000.00", "7000.00", "hq", base, decided["rev"]),
        ("phone", "13000000000", "13122223333", "branch", base, decided["rev"])]
    assert all(c.branch_id == a.branch_id for c in stored)
    status = {b["code"]: b for b in admin.status(hq.db)}[a.branch["code"]]
    assert status["open_conflicts"] == 2 and status["rows"]["employee"] == 1

    # The desk's own earlier change after its base is not a conflict with itself.
    (own,) = a.push(change("employee", emp, {"phone": "13122224444"}, base_rev=base))
    assert own["status"] == "merged"


def test_hq_side_changes_are_stamped_with_node_hq(hq):
    a = hq.desk("M")
    ops = hq.admin_client()
    emp, base = _hire(a, "M-001")
    ops.push(change("employee", emp, {"base_salary": "9100.00"}, base_rev=base))
    from sync.server.models import Employee

    with hq.db.read() as s:
        meta = s.get(Employee, emp).field_meta
    assert meta["base_salary"][1] == "hq"
    # the other fields are the creation's: the desk's node id
    assert "phone" not in meta and meta[replication.CREATED][1] not in ("hq", None)


def test_deletes_replicate_as_tombstones(hq):
    a = hq.desk("D")
    dept = new_id()
    (made,) = a.push(change("department", dept, {"code": "tmp", "name": "临时", "name_en": ""}))
    a2 = hq.reader(a)
    cursor = a2.pull_all()[1]
    (gone,) = a.push(change("department", dept, op="delete", base_rev=made["rev"],
                            fields={"updated_at": "2026-02-01T00:00:00Z"}))
    assert gone["status"] == "applied" and gone["rev"] > made["rev"]
    changes = a2.pull_page(after=cursor)["changes"]
    assert [(c["row_id"], c["op"]) for c in changes] == [(dept, "delete")]
    assert changes[0]["row"]["deleted"] is True and changes[0]["row"]["code"] == "tmp"
    everything = _rows(hq.admin_client().pull_all()[0])
    assert everything[dept]["op"] == "delete"  # still there: a tombstone, not a hole
    (missing,) = a.push(change("department", new_id(), op="delete"))
    assert missing["status"] == "rejected"


def test_transfer_moves_the_row_out_of_a_into_b(hq):
    a, b = hq.desk("A"), hq.desk("B")
    emp, _ = _hire(a, "X-001", department_id=SALES)
    event = new_id()
    a.push(change("employee_event", event, {"employee_id": emp, "kind": "hire",
                                            "effective_date": "2024-01-02", "actor": "admin"}))
    a_cursor, b_cursor = a.pull_all()[1], b.pull_all()[1]

    moved = admin.transfer(hq.db, "X-001", a.branch["code"], b.branch["code"])
    a_changes = a.pull_page(after=a_cursor)["changes"]
    assert a_changes == [{"table": "employee", "row_id": emp, "rev": moved["rev"],
                          "op": "move_out", "row": {}}]
    b_changes = b.pull_page(after=b_cursor)["changes"]
    assert [(c["row_id"], c["op"], c["rev"]) for c in b_changes] == [
        (emp, "upsert", moved["rev"])]
    assert b_changes[0]["row"]["branch_id"] == b.branch_id
    # B now owns it; A can no longer write it; its history stays at A.
    (edit,) = b.push(change("employee", emp, {"phone": "13655556666"}, base_rev=moved["rev"]))
    assert edit["status"] == "applied"
    (stale,) = a.push(change("employee", emp, {"phone": "1"}, base_rev=1))
    assert stale["status"] == "rejected" and "transferred" in stale["reason"]
    assert event in _rows(hq.reader(a).pull_all()[0])
    assert event not in _rows(hq.reader(b).pull_all()[0])
    with hq.db.read() as s:
        (move,) = s.scalars(select(Move).where(Move.row_id == emp)).all()
    assert (move.from_branch_id, move.to_branch_id) == (a.branch_id, b.branch_id)
    listed = admin.list_employees(hq.db, b.branch["code"])
    assert [e["employee_no"] for e in listed] == ["X-001"]
    assert a.pull_page(after=moved["rev"])["changes"] == []  # B's edit is not A's business


def test_concurrent_retries_of_one_batch_apply_it_once(hq):
    from concurrent.futures import ThreadPoolExecutor

    from tests.sync.hq_support import Desk

    a = hq.desk("Q")
    emp = new_id()
    batch = [change("employee", emp, employee_fields("Q-001")),
             change("employee", emp, {"phone": "13512345678"}),
             change("employee", new_id(), employee_fields("Q-002"))]
    a2 = hq.reader(a)
    cursor = a2.pull_all()[1]
    desks = [Desk(hq.base, a.token, a.branch) for _ in range(4)]  # one connection each
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda d: d.push(*batch), desks))
    assert all(answer == answers[0] for answer in answers)
    assert [r["status"] for r in answers[0]] == ["applied"] * 3
    changes = a2.pull_page(after=cursor)["changes"]
    assert sorted(c["row"]["employee_no"] for c in changes) == ["Q-001", "Q-002"]
    assert _rows(changes)[emp]["row"]["phone"] == "13512345678"
