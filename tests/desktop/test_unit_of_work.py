"""The unit of work: a user action writes its rows, their outbox entries and their audit
entries together, or nothing at all."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from desktop import audit
from desktop.services import branch, employees
from desktop.store.models import AuditEntry, Department, Employee, EmployeeEvent, OutboxEntry
from desktop.store.serialize import to_wire
from desktop.store.unit_of_work import outbox_fields, unit_of_work
from tests.desktop.support import counts, employee_data

EMPLOYEE_FIELDS = {c.key for c in Employee.__table__.columns} - {"rev"}


def _outbox(store, after: int = 0) -> list[OutboxEntry]:
    with store.read() as s:
        return list(s.scalars(select(OutboxEntry).where(OutboxEntry.seq > after)
                              .order_by(OutboxEntry.seq)))


def _audit(store, after: int = 0) -> list[AuditEntry]:
    with store.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.seq > after)
                              .order_by(AuditEntry.seq)))


def _last_seq(store, model) -> int:
    with store.read() as s:
        return s.scalar(select(sa.func.coalesce(sa.func.max(model.seq), 0)))


@pytest.fixture
def commits(store):
    """How many write transactions the store commits (reads only ever roll back)."""
    seen = []

    def on_commit(_conn):
        seen.append(1)

    sa.event.listen(store.engine, "commit", on_commit)
    yield seen
    sa.event.remove(store.engine, "commit", on_commit)


def test_a_hire_writes_row_outbox_and_audit_in_one_transaction(store, admin, commits):
    outbox_before, audit_before = _last_seq(store, OutboxEntry), _last_seq(store, AuditEntry)
    data = employee_data()
    emp_id, changes = employees.hire(store, admin, data)

    assert len(commits) == 1
    with store.read() as s:
        emp = s.get(Employee, emp_id)
        event = s.scalars(select(EmployeeEvent).where(EmployeeEvent.employee_id == emp_id)).one()
    assert emp.employee_no == data["employee_no"] and emp.rev == 0

    entries = _outbox(store, outbox_before)
    assert [(e.table_name, e.op, e.row_id, e.base_rev) for e in entries] == [
        ("employee", "upsert", emp_id, 0), ("employee_event", "upsert", event.id, 0)]
    pushed = outbox_fields(entries[0])
    assert set(pushed) == EMPLOYEE_FIELDS  # every field, the sync bookkeeping (rev) aside
    assert pushed == {name: to_wire(getattr(emp, name)) for name in EMPLOYEE_FIELDS}
    assert pushed["base_salary"] == "8000.00" and pushed["deleted"] is False
    assert outbox_fields(entries[1])["kind"] == "hire"
    assert len({e.change_id for e in entries}) == 2

    logged = _audit(store, audit_before)
    assert [(a.action, a.table_name, a.row_id, a.actor) for a in logged] == [
        ("create", "employee", emp_id, "admin"), ("create", "employee_event", event.id, "admin")]
    assert json.loads(logged[0].detail)["fields"]["employee_no"] == data["employee_no"]
    assert changes.created == {"employee": {emp_id}, "employee_event": {event.id}}
    with store.read() as s:
        assert audit.verify(s).ok


def test_an_edit_pushes_only_the_changed_fields_against_the_rev_last_seen(store, admin, raw):
    data = employee_data()
    emp_id, _ = employees.hire(store, admin, data)
    raw.execute("UPDATE employee SET rev = 7 WHERE id = ?", (emp_id,))  # as a sync would
    outbox_before, audit_before = _last_seq(store, OutboxEntry), _last_seq(store, AuditEntry)

    changes = employees.edit(store, admin, emp_id, {"phone": "13800000001",
                                                    "base_salary": "9100.50"})

    (entry,) = _outbox(store, outbox_before)
    assert (entry.table_name, entry.op, entry.row_id, entry.base_rev) == (
        "employee", "upsert", emp_id, 7)
    fields = outbox_fields(entry)
    assert set(fields) == {"phone", "base_salary", "updated_at"}
    assert (fields["phone"], fields["base_salary"]) == ("13800000001", "9100.50")
    (logged,) = _audit(store, audit_before)
    assert json.loads(logged.detail) == {"op": "update", "changes": {
        "phone": [data["phone"], "13800000001"],
        "base_salary": ["8000.00", "9100.50"]}}
    assert changes.updated == {"employee": {emp_id}}


def test_an_edit_that_changes_nothing_writes_nothing(store, admin):
    data = employee_data()
    emp_id, _ = employees.hire(store, admin, data)
    before = counts(store)
    changes = employees.edit(store, admin, emp_id, {
        "phone": data["phone"], "base_salary": "8000", "department": "collection",
        "name": f"  {data['name']} "})
    assert counts(store) == before
    assert not changes.touches("employee")


def test_an_error_in_the_middle_leaves_no_row_no_outbox_no_audit(store, admin, monkeypatch):
    before = counts(store)

    def broken_event(*_args, **_kwargs):
        raise RuntimeError("disk pulled out")

    # The employee row, its outbox and audit entries are already flushed when this fails.
    monkeypatch.setattr(employees, "_event", broken_event)
    with pytest.raises(RuntimeError, match="disk pulled out"):
        employees.hire(store, admin, employee_data())
    assert counts(store) == before


def test_an_error_after_several_writes_in_a_unit_of_work_undoes_them_all(store, admin):
    info = branch.current_branch(store)
    values = employees.clean(employee_data(), employees.department_lookup(store))
    before = counts(store)
    with pytest.raises(sa.exc.IntegrityError), unit_of_work(store, "admin") as uow:
        emp = uow.create(Employee(branch_id=info.id, status="active", **values))
        uow.update(emp, {"phone": "13800000002"})
        uow.session.flush()
        # A second employee with the same number breaks the unique constraint.
        uow.create(Employee(branch_id=info.id, status="active", **values))
        uow.session.flush()
    assert counts(store) == before
    with store.read() as s:
        assert audit.verify(s).ok


def test_reference_rows_never_enter_the_outbox(store, admin):
    outbox_before, audit_before = _last_seq(store, OutboxEntry), _last_seq(store, AuditEntry)
    with unit_of_work(store, "admin") as uow:
        dept = uow.create(Department(branch_id=None, code="legal", name="法务"))
        uow.update(dept, {"name_en": "Legal"})
        uow.delete(dept)
    assert _outbox(store, outbox_before) == []
    assert [a.action for a in _audit(store, audit_before)] == ["create", "update", "delete"]

    # The standard departments are reference rows too.
    with unit_of_work(store, "admin") as uow:
        finance = uow.session.scalars(select(Department).where(Department.code == "finance")).one()
        assert finance.branch_id is None
        uow.update(finance, {"name": "财务部"})
    assert _outbox(store, outbox_before) == []


def test_a_branch_department_does_enter_the_outbox(store, manager):
    outbox_before = _last_seq(store, OutboxEntry)
    branch.add_department(store, manager, "legal", "法务")
    (entry,) = _outbox(store, outbox_before)
    assert entry.table_name == "department"
    assert outbox_fields(entry)["branch_id"] == branch.current_branch(store).id


def test_employee_events_are_append_only(store, admin):
    emp_id, _ = employees.hire(store, admin, employee_data())
    before = counts(store)
    with unit_of_work(store, "admin") as uow:
        event = uow.session.scalars(select(EmployeeEvent)
                                    .where(EmployeeEvent.employee_id == emp_id)).one()
        with pytest.raises(TypeError, match="append-only"):
            uow.update(event, {"effective_date": dt.date(2020, 1, 1)})
        with pytest.raises(TypeError, match="append-only"):
            uow.delete(event)
    assert counts(store) == before
    assert [e.effective_date for e in employees.history(store, emp_id)] == [dt.date(2022, 4, 1)]


def test_a_soft_delete_is_a_tombstone_that_replicates(store, admin):
    emp_id, _ = employees.hire(store, admin, employee_data())
    outbox_before = _last_seq(store, OutboxEntry)
    with unit_of_work(store, "admin") as uow:
        uow.delete(uow.session.get(Employee, emp_id))
    (entry,) = _outbox(store, outbox_before)
    assert (entry.op, outbox_fields(entry)["deleted"]) == ("delete", True)
    with store.read() as s:
        assert s.get(Employee, emp_id).deleted is True
        assert audit.verify(s).ok
