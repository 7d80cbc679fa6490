"""Employees as the branch office sees them: hiring, editing, leaving and coming back, what a
clerk may see and change, finding people, and batch imports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from desktop import idcard
from desktop.errors import NotFound, ValidationError
from desktop.services import branch, employees
from desktop.services.employees import EmployeeInputError, EmployeeQuery, ImportRejected
from tests.desktop.support import counts, employee_data


def hire(store, actor, **overrides) -> str:
    return employees.hire(store, actor, employee_data(**overrides))[0]


def names(views) -> list[str]:
    return [v.name for v in views]


def refused(store, actor, data, field: str) -> EmployeeInputError:
    """Hiring with `data` fails naming `field`, and nothing is written."""
    before = counts(store)
    with pytest.raises(EmployeeInputError) as err:
        employees.hire(store, actor, data)
    assert field in err.value.errors, err.value.errors
    assert err.value.field in err.value.errors
    assert counts(store) == before
    return err.value


# ---- hire / edit / leave / rehire ------------------------------------------------------

def test_a_hire_derives_birth_date_and_gender_from_the_id_number(store, manager):
    number = idcard.make("310101", dt.date(1990, 3, 7), 12, "F")
    emp_id, _ = employees.hire(store, manager, employee_data(id_number=number, gender=""))
    view = employees.get(store, manager, emp_id)
    assert (view.birth_date, view.gender, view.id_number) == (dt.date(1990, 3, 7), "F", number)
    assert view.status == "active" and view.department == "催收"
    assert view.base_salary == Decimal("8000.00")


def test_the_lifecycle_hire_edit_leave_rehire_keeps_the_history(store, admin):
    emp_id = hire(store, admin, hire_date="2021-05-10")
    employees.edit(store, admin, emp_id, {"position": "组长", "department": "sales"})
    employees.leave(store, admin, emp_id, "2023-02-28", "个人原因")
    left = employees.get(store, admin, emp_id)
    assert (left.status, left.leave_date, left.leave_reason) == (
        "left", dt.date(2023, 2, 28), "个人原因")
    assert (left.position, left.department) == ("组长", "销售")

    employees.rehire(store, admin, emp_id, dt.date(2024, 1, 2))
    back = employees.get(store, admin, emp_id)
    assert (back.status, back.hire_date, back.leave_date, back.leave_reason) == (
        "active", dt.date(2024, 1, 2), None, None)
    assert back.employee_no == left.employee_no

    events = employees.history(store, emp_id)
    assert [(e.kind, e.effective_date, e.reason, e.actor) for e in events] == [
        ("hire", dt.date(2021, 5, 10), None, "admin"),
        ("leave", dt.date(2023, 2, 28), "个人原因", "admin"),
        ("rehire", dt.date(2024, 1, 2), None, "admin"),
    ]


def test_leaving_twice_or_rehiring_someone_active_is_refused(store, admin):
    emp_id = hire(store, admin)
    before = counts(store)
    with pytest.raises(ValidationError) as err:
        employees.rehire(store, admin, emp_id, "2024-01-01")
    assert err.value.field == "status" and "active" in err.value.message
    employees.leave(store, admin, emp_id, "2024-01-31", "合同到期")
    after_leave = counts(store)
    assert after_leave != before
    with pytest.raises(ValidationError) as err:
        employees.leave(store, admin, emp_id, "2024-02-01", "again")
    assert err.value.field == "status" and "left" in err.value.message
    assert counts(store) == after_leave


def test_a_leave_needs_a_reason_and_a_date_after_the_hire(store, admin):
    emp_id = hire(store, admin, hire_date="2022-04-01")
    before = counts(store)
    with pytest.raises(ValidationError) as err:
        employees.leave(store, admin, emp_id, "2024-01-31", "  ")
    assert err.value.field == "leave_reason"
    with pytest.raises(ValidationError) as err:
        employees.leave(store, admin, emp_id, "2022-03-31", "too early")
    assert err.value.field == "leave_date"
    with pytest.raises(ValidationError) as err:
        employees.leave(store, admin, emp_id, "31/01/2024", "bad date")
    assert err.value.field == "leave_date"
    employees.leave(store, admin, emp_id, "2024-01-31", "ok")
    with pytest.raises(ValidationError) as err:
        employees.rehire(store, admin, emp_id, "2024-01-30")
    assert err.value.field == "hire_date"
    assert counts(store)["employee_event"] == before["employee_event"] + 1


def test_an_unknown_employee_is_not_found(store, admin):
    with pytest.raises(NotFound):
        employees.get(store, admin, "no-such-id")
    with pytest.raises(NotFound):
        employees.edit(store, admin, "no-such-id", {"name": "x"})
    with pytest.raises(NotFound):
        employees.find_id(store, "E99999")


def test_find_id_by_employee_number(store, admin):
    emp_id = hire(store, admin, employee_no="SH-0042")
    assert employees.find_id(store, "SH-0042") == emp_id


# ---- validation ------------------------------------------------------------------------

def test_the_employee_number_is_unique_in_the_branch(store, admin):
    first = employee_data()
    hire(store, admin, employee_no=first["employee_no"])
    err = refused(store, admin, employee_data(employee_no=first["employee_no"]), "employee_no")
    assert "already used" in err.errors["employee_no"]


def test_an_edit_to_a_taken_employee_number_is_refused(store, admin):
    taken = employee_data()["employee_no"]
    hire(store, admin, employee_no=taken)
    other = hire(store, admin)
    before = counts(store)
    with pytest.raises(EmployeeInputError) as err:
        employees.edit(store, admin, other, {"employee_no": taken})
    assert "employee_no" in err.value.errors
    assert counts(store) == before


def test_an_invalid_id_number_names_id_number(store, admin):
    data = employee_data()
    bad = data["id_number"][:17] + ("0" if data["id_number"][17] != "0" else "1")
    err = refused(store, admin, employee_data(id_number=bad), "id_number")
    assert "checksum" in err.errors["id_number"]


def test_a_gender_that_contradicts_the_id_number_names_gender(store, admin):
    number = idcard.make("310101", dt.date(1990, 1, 1), 5, "M")
    refused(store, admin, employee_data(id_number=number, gender="F"), "gender")
    refused(store, admin, employee_data(id_number=number, gender="X"), "gender")


@pytest.mark.parametrize(("field", "value"), [
    ("phone", "12345"),
    ("phone", "1391234567a"),
    ("base_salary", "-100.00"),
    ("base_salary", "0"),
    ("base_salary", "100.123"),
    ("base_salary", "abc"),
    ("base_salary", ""),
    ("base_salary", "NaN"),
    ("base_salary", "1000000.01"),
    ("bank_account", "6222-0212"),
    ("bank_account", "12345"),
    ("department", "marketing"),
    ("employee_no", ""),
    ("employee_no", "E 001"),
    ("name", ""),
    ("position", ""),
    ("hire_date", "next monday"),
    ("hire_date", "2099-01-01"),
])
def test_each_bad_field_is_named(store, admin, field, value):
    refused(store, admin, employee_data(**{field: value}), field)


def test_an_under_16_hire_names_hire_date(store, admin):
    number = idcard.make("310101", dt.date(2008, 4, 2), 3, "F")
    err = refused(store, admin, employee_data(id_number=number, gender="F",
                                              hire_date="2024-04-01"), "hire_date")
    assert "15" in err.errors["hire_date"]
    # On the 16th birthday it is allowed.
    hire(store, admin, id_number=number, gender="F", hire_date="2024-04-02")


def test_every_bad_field_is_listed_at_once(store, admin):
    data = employee_data(phone="123", base_salary="-1", bank_account="x",
                         department="nowhere", id_number="123")
    err = refused(store, admin, data, "phone")
    assert set(err.errors) == {"phone", "base_salary", "bank_account", "department",
                               "id_number"}
    assert all(err.errors.values())


def test_accepted_formats_are_normalised(store, manager):
    emp_id, _ = employees.hire(store, manager, employee_data(
        phone="139 1234 5678", base_salary="12,345.6", bank_account="6222 0212 3456 7890",
        hire_date=dt.datetime(2023, 7, 1, 9, 30)))  # e.g. a date cell of an Excel sheet
    view = employees.get(store, manager, emp_id)
    assert (view.phone, view.bank_account) == ("13912345678", "6222021234567890")
    assert view.base_salary == Decimal("12345.60") and view.hire_date == dt.date(2023, 7, 1)
    landline = hire(store, manager, phone="021-62345678")
    assert employees.get(store, manager, landline).phone == "021-62345678"


def test_salaries_are_decimals_with_two_places(store, admin):
    for salary in ("6500", "6500.5", Decimal("7200.25"), 9000):
        emp_id = hire(store, admin, base_salary=salary)
        value = employees.get(store, admin, emp_id).base_salary
        assert isinstance(value, Decimal)
        assert value.as_tuple().exponent == -2
        assert value == Decimal(str(salary))


# ---- what a clerk sees and may change --------------------------------------------------

def test_a_clerk_sees_id_number_and_bank_account_masked(store, clerk, manager):
    data = employee_data()
    emp_id = employees.hire(store, clerk, data)[0]
    seen = employees.get(store, clerk, emp_id)
    assert seen.id_number == data["id_number"][:3] + "*" * 11 + data["id_number"][-4:]
    assert seen.bank_account == "*" * (len(data["bank_account"]) - 4) + data["bank_account"][-4:]
    assert data["id_number"] not in str(seen.as_json())
    full = employees.get(store, manager, emp_id)
    assert (full.id_number, full.bank_account) == (data["id_number"], data["bank_account"])
    listed = employees.list_all(store, clerk)
    assert listed[0].id_number == seen.id_number
    assert employees.list_all(store, manager)[0].id_number == data["id_number"]


def test_a_clerk_sending_back_the_masked_values_changes_nothing_there(store, clerk, manager):
    data = employee_data()
    emp_id = employees.hire(store, clerk, data)[0]
    seen = employees.get(store, clerk, emp_id)
    changes = employees.edit(store, clerk, emp_id, {
        "id_number": seen.id_number, "bank_account": seen.bank_account, "position": "组长"})
    assert changes.updated == {"employee": {emp_id}}
    full = employees.get(store, manager, emp_id)
    assert (full.id_number, full.bank_account, full.position) == (
        data["id_number"], data["bank_account"], "组长")


@pytest.mark.parametrize("field", ["id_number", "bank_account"])
def test_a_clerk_cannot_change_a_sensitive_field(store, clerk, manager, field):
    emp_id = employees.hire(store, clerk, employee_data())[0]
    other = employee_data()[field]
    before = counts(store)
    with pytest.raises(EmployeeInputError) as err:
        employees.edit(store, clerk, emp_id, {field: other})
    assert err.value.field == field and "manager" in err.value.errors[field]
    assert counts(store) == before
    employees.edit(store, manager, emp_id, {field: other})
    assert getattr(employees.get(store, manager, emp_id), field) == other


def test_a_new_id_number_brings_its_birth_date_and_gender(store, manager):
    emp_id = hire(store, manager, gender="M")
    number = idcard.make("110105", dt.date(1988, 8, 8), 7, "F")
    employees.edit(store, manager, emp_id, {"id_number": number})
    view = employees.get(store, manager, emp_id)
    assert (view.id_number, view.birth_date, view.gender) == (number, dt.date(1988, 8, 8), "F")


def test_a_gender_edit_is_checked_against_the_id_number(store, clerk, manager):
    emp_id = hire(store, clerk, gender="M")
    before = counts(store)
    with pytest.raises(EmployeeInputError) as err:
        employees.edit(store, clerk, emp_id, {"gender": "F"})
    assert err.value.field == "gender"
    assert counts(store) == before
    assert not employees.edit(store, clerk, emp_id, {"gender": "m"}).touches("employee")
    assert employees.get(store, manager, emp_id).gender == "M"


# ---- finding people --------------------------------------------------------------------

@pytest.fixture
def staff(store, admin):
    """Six people in three departments; one has left."""
    people = [
        ("A001", "张伟", "13911110001", "collection", "8000.00"),
        ("A002", "王芳", "13922220002", "sales", "12000.00"),
        ("A003", "张敏", "13933330003", "finance", "9500.50"),
        ("B004", "李娜", "13944440004", "collection", "15000.00"),
        ("B005", "刘洋", "13955550005", "sales", "7000.00"),
        ("B006", "陈静", "02162345678", "collection", "30000.00"),
    ]
    ids = {}
    for no, name, phone, dept, salary in people:
        ids[no] = hire(store, admin, employee_no=no, name=name, phone=phone, department=dept,
                       base_salary=salary)
    employees.leave(store, admin, ids["B005"], "2024-03-31", "转行")
    return ids


def query(store, actor, **kwargs) -> list[str]:
    return [v.employee_no for v in employees.list_all(store, actor, EmployeeQuery(**kwargs))]


def test_search_by_name_number_or_phone_substring(store, admin, staff):
    assert query(store, admin) == ["A001", "A002", "A003", "B004", "B005", "B006"]
    assert query(store, admin, search="张") == ["A001", "A003"]
    assert query(store, admin, search="b00") == ["B004", "B005", "B006"]
    assert query(store, admin, search="3333") == ["A003"]
    assert query(store, admin, search="6234") == ["B006"]
    assert query(store, admin, search="nobody") == []
    # LIKE wildcards typed by a clerk are plain characters, not "match everything"
    assert query(store, admin, search="%") == []
    assert query(store, admin, search="_") == []


def test_filters_by_department_and_status(store, admin, staff):
    depts = {d.code: d.id for d in branch.departments(store)}
    assert query(store, admin, department_id=depts["collection"]) == ["A001", "B004", "B006"]
    assert query(store, admin, status="left") == ["B005"]
    assert query(store, admin, department_id=depts["sales"], status="active") == ["A002"]
    assert query(store, admin, search="张", department_id=depts["finance"]) == ["A003"]
    assert employees.count(store) == 6
    assert employees.count(store, status="active") == 5


def test_sort_by_salary_descending(store, admin, staff):
    assert query(store, admin, sort="base_salary", descending=True) == [
        "B006", "B004", "A002", "A003", "A001", "B005"]
    assert query(store, admin, sort="base_salary") == [
        "B005", "A001", "A003", "A002", "B004", "B006"]
    by_dept = query(store, admin, sort="department")
    assert by_dept == ["A001", "B004", "B006", "A003", "A002", "B005"]


def test_fetch_gives_the_views_of_a_page(store, admin, staff):
    page = employees.fetch(store, admin, [staff["A002"], staff["B006"]])
    assert {v.employee_no for v in page.values()} == {"A002", "B006"}
    assert page[staff["A002"]].department == "销售"


# ---- batch hires (imports) ---------------------------------------------------------------

def test_hire_many_writes_every_row(store, admin):
    rows = [employee_data() for _ in range(25)]
    changes = employees.hire_many(store, admin, rows)
    assert employees.count(store) == 25
    assert len(changes.created["employee"]) == 25
    assert len(changes.created["employee_event"]) == 25


def test_hire_many_is_all_or_nothing_with_a_report_naming_each_bad_row(store, admin):
    rows = [employee_data() for _ in range(6)]
    rows[1]["phone"] = "not a phone"
    rows[4]["base_salary"] = "-5"
    rows[4]["bank_account"] = "x"
    before = counts(store)
    with pytest.raises(ImportRejected) as err:
        employees.hire_many(store, admin, rows)
    assert list(err.value.rows) == [2, 5]
    assert set(err.value.rows[2]) == {"phone"}
    assert set(err.value.rows[5]) == {"base_salary", "bank_account"}
    assert (err.value.row, err.value.field) == (2, "phone")
    report = err.value.report()
    assert "row 2, phone" in report and "row 5, base_salary" in report
    assert "row 5, bank_account" in report
    assert counts(store) == before


def test_hire_many_reports_numbers_repeated_in_the_batch(store, admin):
    rows = [employee_data() for _ in range(4)]
    rows[3]["employee_no"] = rows[0]["employee_no"]
    before = counts(store)
    with pytest.raises(ImportRejected) as err:
        employees.hire_many(store, admin, rows)
    assert err.value.rows == {4: {"employee_no": f"{rows[0]['employee_no']} repeats row 1"}}
    assert counts(store) == before


def test_hire_many_reports_numbers_already_in_the_branch_with_the_other_bad_rows(store, admin):
    existing = hire(store, admin)
    taken = employees.get(store, admin, existing).employee_no
    rows = [employee_data() for _ in range(5)]
    rows[1]["phone"] = "bad"
    rows[4]["employee_no"] = taken
    before = counts(store)
    with pytest.raises(ImportRejected) as err:
        employees.hire_many(store, admin, rows)
    assert list(err.value.rows) == [2, 5]
    assert "already used" in err.value.rows[5]["employee_no"]
    assert counts(store) == before


def test_an_edit_cannot_make_the_hire_younger_than_16(store, manager):
    number = idcard.make("310101", dt.date(2000, 6, 1), 3, "F")
    emp_id = hire(store, manager, id_number=number, gender="F", hire_date="2022-04-01")
    before = counts(store)
    with pytest.raises(EmployeeInputError) as err:
        employees.edit(store, manager, emp_id, {"hire_date": "2016-05-31"})
    assert err.value.field == "hire_date" and "under 16" in err.value.message
    younger = idcard.make("310101", dt.date(2007, 1, 1), 4, "F")
    with pytest.raises(EmployeeInputError) as err:
        employees.edit(store, manager, emp_id, {"id_number": younger})
    assert err.value.field == "hire_date"
    assert counts(store) == before
    employees.edit(store, manager, emp_id, {"hire_date": "2016-06-01"})
    assert employees.get(store, manager, emp_id).hire_date == dt.date(2016, 6, 1)
