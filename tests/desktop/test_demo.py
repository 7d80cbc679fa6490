"""Demo data: valid, unique, realistic, repeatable, and addable to a store that has data."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

import pytest

from desktop import audit, cli, demo, idcard
from desktop.services import auth, branch, employees
from desktop.services.auth import Actor
from desktop.store import open_store

ADMIN = Actor("test-admin", "admin")
TODAY = dt.date.today() - dt.timedelta(days=30)  # an explicit "today" for the generator


@pytest.fixture
def empty_store(tmp_path):
    """A new store with no branch yet (the demo creates it)."""
    s = open_store(tmp_path / "data")
    yield s
    s.close()


def everyone(store):
    return employees.list_all(store, ADMIN)


def test_cli_demo_gives_valid_unique_employees(tmp_path, capsys):
    data = tmp_path / "data"
    assert cli.main(["--data-dir", str(data), "demo", "--employees", "50"]) == 0
    out = capsys.readouterr().out
    assert "E000001..E000050" in out
    assert demo.DEMO_USER in out and demo.DEMO_PASSWORD in out

    assert cli.main(["--data-dir", str(data), "employee", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 50

    store = open_store(data)
    try:
        rows = everyone(store)
        assert len(rows) == 50
        for e in rows:
            info = idcard.parse(e.id_number)
            assert (info.birth_date, info.gender) == (e.birth_date, e.gender)
            assert 1965 <= e.birth_date.year <= 2003
            assert dt.date(2012, 1, 1) <= e.hire_date <= dt.date.today()
            assert 2 <= len(e.name) <= 3
            assert e.bank_account.startswith("62") and 16 <= len(e.bank_account) <= 19
            assert e.phone[0] == "1" and e.phone[1] in "3456789" and len(e.phone) == 11
            assert e.base_salary % 10 == 0 and 5_500 <= e.base_salary <= 25_000
        assert len({e.employee_no for e in rows}) == 50
        assert len({e.phone for e in rows}) == 50
        assert len({e.id_number for e in rows}) == 50
        assert len({e.bank_account for e in rows}) == 50
        assert {u["username"]: u["role"] for u in auth.list_users(store)} == {
            "demo": "admin", "clerk1": "clerk", "manager1": "manager"}
        assert auth.sign_in(store, demo.DEMO_USER, demo.DEMO_PASSWORD).role == "admin"
        assert branch.current_branch(store).code == "SH01"
    finally:
        store.close()


def test_demo_mix_leaves_and_audit(empty_store):
    store = empty_store
    info = demo.create_demo(store, 400, today=TODAY)
    assert (info.branch_created, info.employees_added) == (True, 400)
    rows = everyone(store)
    depts = Counter(e.department for e in rows)
    assert depts["催收"] > depts["销售"] > depts["财务"] > 0
    assert depts["催收"] > 400 * 0.5
    positions = {e.position for e in rows}
    assert {"催收专员", "高级催收专员", "销售代表", "客户经理", "会计", "出纳"} <= positions

    gone = [e for e in rows if e.status == "left"]
    assert len(gone) == info.left
    assert 0 < len(gone) < 400 * 0.1
    for e in gone:
        assert e.hire_date < e.leave_date <= TODAY
        assert e.leave_reason
        assert [ev.kind for ev in employees.history(store, e.id)] == ["hire", "leave"]
    with store.read() as s:
        report = audit.verify(s)
    assert report.ok, report.reason


def test_same_seed_same_people(tmp_path):
    def people(folder, seed):
        s = open_store(tmp_path / folder)
        try:
            demo.create_demo(s, 30, seed=seed, today=TODAY)
            return [(e.employee_no, e.name, e.id_number, e.phone, e.position, e.hire_date,
                     e.base_salary, e.bank_account, e.status) for e in everyone(s)]
        finally:
            s.close()

    first = people("a", 7)
    assert people("b", 7) == first
    assert people("c", 8) != first


def test_running_again_adds_more_with_fresh_numbers(empty_store):
    store = empty_store
    demo.create_demo(store, 20, today=TODAY)
    employees.hire(store, ADMIN, {
        "employee_no": "E000100", "name": "张伟",
        "id_number": idcard.make("310101", dt.date(1990, 3, 7), 12, "M"),
        "phone": "13800138000", "department": "sales", "position": "销售代表",
        "hire_date": "2024-01-02", "base_salary": "6500", "bank_account": "6222021234567890123"})
    again = demo.create_demo(store, 25, today=TODAY)
    assert again.branch_created is False
    assert again.users_created == ()
    assert (again.first_employee_no, again.last_employee_no) == ("E000101", "E000125")
    rows = everyone(store)
    assert len(rows) == 46
    assert len({e.employee_no for e in rows}) == 46
    assert len({e.phone for e in rows}) == 46
    assert len({e.id_number for e in rows}) == 46


def test_demo_keeps_an_existing_branch(empty_store):
    store = empty_store
    branch.init_branch(store, ADMIN, "BJ01", "北京分公司")
    info = demo.create_demo(store, 0)
    assert info.branch_created is False
    assert info.branch.code == "BJ01"
    assert info.first_employee_no is None
    assert len(auth.list_users(store)) == 3
