"""Employees: validation, the hire / edit / leave / rehire lifecycle, lookups and lists."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desktop import idcard
from desktop import messages as M
from desktop.errors import NotFound, ValidationError
from desktop.messages import Message
from desktop.services.auth import Actor
from desktop.services.branch import current_branch, departments
from desktop.store import Store
from desktop.store.models import Department, Employee, EmployeeEvent
from desktop.store.serialize import to_wire
from desktop.store.types import to_money
from desktop.store.unit_of_work import ChangeSet, UnitOfWork, unit_of_work

STATUSES = ("active", "left", "transferred")
GENDERS = ("M", "F")
SENSITIVE = ("id_number", "bank_account")
# The fields a person types; birth date and (by default) gender come from the ID number.
INPUT_FIELDS = ("employee_no", "name", "gender", "id_number", "phone", "department",
                "position", "hire_date", "base_salary", "bank_account")
MAX_SALARY = Decimal("1000000.00")
MIN_WORKING_AGE = 16

_EMPLOYEE_NO = re.compile(r"^[A-Za-z0-9-]{1,32}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
_BANK_ACCOUNT = re.compile(r"^\d{12,30}$")


class EmployeeInputError(ValidationError):
    """Every bad field of one form at once (`errors`: field -> message); the first names it."""

    def __init__(self, errors: dict[str, str], row: int | None = None):
        self.errors = errors
        field, message = next(iter(errors.items()))
        super().__init__(field, message, row)


class ImportRejected(ValidationError):
    """A batch with bad rows: `rows` maps row number (from 1) to {field: message}."""

    def __init__(self, rows: dict[int, dict[str, str]]):
        self.rows = dict(sorted(rows.items()))
        number, errors = next(iter(self.rows.items()))
        field, message = next(iter(errors.items()))
        super().__init__(field, message, row=number)

    def report(self) -> str:
        return "\n".join(f"row {n}, {f}: {m}" for n, errs in self.rows.items()
                         for f, m in errs.items())


@dataclass(frozen=True)
class EmployeeView:
    """One employee as a given actor may see it (sensitive fields masked for clerks)."""

    id: str
    employee_no: str
    name: str
    gender: str
    id_number: str
    birth_date: dt.date
    phone: str
    department_id: str
    department: str
    position: str
    hire_date: dt.date
    base_salary: Decimal
    bank_account: str
    status: str
    leave_date: dt.date | None
    leave_reason: str | None

    def as_json(self) -> dict:
        return {k: to_wire(v) for k, v in self.__dict__.items()}


def mask_id_number(value: str) -> str:
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def mask_bank_account(value: str) -> str:
    return "*" * (len(value) - 4) + value[-4:] if len(value) > 4 else "*" * len(value)


MASKS = {"id_number": mask_id_number, "bank_account": mask_bank_account}


# ---- validation -----------------------------------------------------------------------

def _text(data: dict, name: str) -> str:
    value = data.get(name)
    return "" if value is None else str(value).strip()


def _date(value, name: str) -> dt.date:
    if isinstance(value, dt.datetime):  # e.g. a date cell of an Excel import
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(name, M.DATE_FORMAT) from None


def clean(data: dict, dept_codes: dict[str, str], *, today: dt.date | None = None,
          partial: bool = False) -> dict:
    """Validate a form: returns model values, or raises EmployeeInputError naming every bad
    field. `dept_codes` maps department code and id to id. `partial`: only given fields."""
    today = today or dt.date.today()
    errors: dict[str, str] = {}
    out: dict = {}

    def given(name: str) -> bool:
        return not partial or name in data

    def check(name: str, fn):
        if not given(name):
            return
        try:
            fn()
        except ValidationError as e:
            errors[e.field] = e.message
        except idcard.InvalidIdNumber as e:
            errors[name] = e.args[0]

    def employee_no():
        v = _text(data, "employee_no")
        if not _EMPLOYEE_NO.match(v):
            raise ValidationError("employee_no", M.EMPLOYEE_NO_FORMAT)
        out["employee_no"] = v

    def name():
        v = _text(data, "name")
        if not v or len(v) > 64:
            raise ValidationError("name", M.NAME_REQUIRED)
        out["name"] = v

    def id_number():
        info = idcard.parse(_text(data, "id_number"), today=today)
        out["id_number"], out["birth_date"] = info.number, info.birth_date
        g = _text(data, "gender").upper()
        if g and g not in GENDERS:
            raise ValidationError("gender", M.GENDER_VALUE)
        if g and g != info.gender:
            raise ValidationError("gender", M.GENDER_MISMATCH)
        out["gender"] = info.gender

    def phone():
        v = _text(data, "phone").replace(" ", "")
        if not (_MOBILE.match(v) or _LANDLINE.match(v)):
            raise ValidationError("phone", M.PHONE_FORMAT)
        out["phone"] = v

    def department():
        v = _text(data, "department")
        if v not in dept_codes:
            raise ValidationError("department", Message(M.UNKNOWN_DEPARTMENT, value=v))
        out["department_id"] = dept_codes[v]

    def position():
        v = _text(data, "position")
        if not v or len(v) > 64:
            raise ValidationError("position", M.POSITION_REQUIRED)
        out["position"] = v

    def hire_date():
        d = _date(data.get("hire_date"), "hire_date")
        if d > today + dt.timedelta(days=180):
            raise ValidationError("hire_date", M.HIRE_TOO_FAR_AHEAD)
        out["hire_date"] = d

    def base_salary():
        raw = _text(data, "base_salary").replace(",", "")
        try:
            v = Decimal(raw)
        except InvalidOperation:
            raise ValidationError("base_salary", M.SALARY_FORMAT) from None
        if not v.is_finite() or v <= 0 or v > MAX_SALARY:
            raise ValidationError("base_salary", M.SALARY_RANGE)
        if v != v.quantize(Decimal("0.01")):
            raise ValidationError("base_salary", M.SALARY_DECIMALS)
        out["base_salary"] = to_money(v)

    def bank_account():
        v = _text(data, "bank_account").replace(" ", "")
        if not _BANK_ACCOUNT.match(v):
            raise ValidationError("bank_account", M.BANK_ACCOUNT_FORMAT)
        out["bank_account"] = v

    for field, fn in (("employee_no", employee_no), ("name", name), ("id_number", id_number),
                      ("phone", phone), ("department", department), ("position", position),
                      ("hire_date", hire_date), ("base_salary", base_salary),
                      ("bank_account", bank_account)):
        check(field, fn)
    if "birth_date" in out and "hire_date" in out:
        age = (out["hire_date"] - out["birth_date"]).days // 365.25
        if age < MIN_WORKING_AGE:
            errors.setdefault("hire_date", Message(M.UNDER_AGE, age=int(age)))
    if errors:
        raise EmployeeInputError(errors)
    return out


def department_lookup(store: Store) -> dict[str, str]:
    """Department code and id -> id, for `clean`."""
    lookup = {}
    for d in departments(store):
        lookup[d.code] = d.id
        lookup[d.id] = d.id
    return lookup


# ---- lifecycle ------------------------------------------------------------------------

def _event(uow: UnitOfWork, emp: Employee, kind: str, when: dt.date, reason: str | None):
    uow.create(EmployeeEvent(branch_id=emp.branch_id, employee_id=emp.id, kind=kind,
                             effective_date=when, reason=reason, actor=uow.actor))


def _no_taken(session: Session, branch_id: str, employee_no: str, except_id: str | None) -> bool:
    q = select(Employee.id).where(Employee.branch_id == branch_id,
                                  Employee.employee_no == employee_no)
    found = session.scalar(q)
    return found is not None and found != except_id


def hire(store: Store, actor: Actor, data: dict) -> tuple[str, ChangeSet]:
    """Hire one employee: the row and its hire event, in one transaction."""
    actor.require("clerk", "hiring")
    values = clean(data, department_lookup(store))
    branch_id = current_branch(store).id
    with unit_of_work(store, actor.audit_name) as uow:
        if _no_taken(uow.session, branch_id, values["employee_no"], None):
            raise EmployeeInputError({"employee_no": Message(M.NUMBER_TAKEN, value=values["employee_no"])})
        emp = uow.create(Employee(branch_id=branch_id, status="active", **values))
        _event(uow, emp, "hire", emp.hire_date, None)
    return emp.id, uow.changes


def hire_many(store: Store, actor: Actor, rows: list[dict], *,
              row_numbers: list[int] | None = None,
              known_problems: dict[int, dict] | None = None) -> ChangeSet:
    """Hire a batch (an import, the demo): every row is checked first and the error report
    names each bad row; then all are written in one transaction, or none.

    `row_numbers` are the numbers people know the rows by (a spreadsheet's own; default
    1, 2, ...); `known_problems` ({row number: {field: message}}, found while reading a
    file) join the same report."""
    actor.require("clerk", "hiring")
    lookup = department_lookup(store)
    branch_id = current_branch(store).id
    numbers = row_numbers or range(1, len(rows) + 1)
    cleaned, report = [], {n: dict(found) for n, found in (known_problems or {}).items()}
    seen: dict[str, int] = {}
    today = dt.date.today()
    with store.read() as s:  # checked again under the write lock below
        taken = set(s.scalars(select(Employee.employee_no)
                              .where(Employee.branch_id == branch_id)))
    for number, data in zip(numbers, rows, strict=True):
        try:
            values = clean(data, lookup, today=today)
        except EmployeeInputError as e:
            report[number] = {**e.errors, **report.get(number, {})}
            continue
        first = seen.setdefault(values["employee_no"], number)
        if first != number:
            report.setdefault(number, {})["employee_no"] = Message(
                M.NUMBER_REPEATS, value=values["employee_no"], row=first)
        elif values["employee_no"] in taken:
            report.setdefault(number, {})["employee_no"] = Message(
                M.NUMBER_TAKEN, value=values["employee_no"])
        cleaned.append(values)
    if report:
        raise ImportRejected(report)
    with unit_of_work(store, actor.audit_name) as uow:
        taken = set(uow.session.scalars(select(Employee.employee_no)
                                        .where(Employee.branch_id == branch_id)))
        clashes = {seen[v["employee_no"]]: {"employee_no": Message(M.NUMBER_TAKEN,
                                                                   value=v["employee_no"])}
                   for v in cleaned if v["employee_no"] in taken}
        if clashes:
            raise ImportRejected(clashes)
        ids = uow.create_many(Employee, [{**v, "branch_id": branch_id, "status": "active"}
                                         for v in cleaned])
        uow.create_many(EmployeeEvent, [
            {"branch_id": branch_id, "employee_id": emp_id, "kind": "hire",
             "effective_date": v["hire_date"], "reason": None, "actor": uow.actor}
            for emp_id, v in zip(ids, cleaned, strict=True)])
    return uow.changes


def edit(store: Store, actor: Actor, employee_id: str, data: dict) -> ChangeSet:
    """Change the given fields. A clerk cannot see sensitive fields, so cannot change them:
    sending their masked value back leaves them as they are."""
    actor.require("clerk", "editing an employee")
    data = dict(data)
    with store.read() as s:
        current = _get(s, employee_id)
    for name in SENSITIVE:
        if name in data and not actor.sees_sensitive:
            if str(data[name]).strip() == MASKS[name](getattr(current, name)):
                del data[name]
            else:
                raise EmployeeInputError({name: M.MANAGER_ONLY})
    # Checked together with the stored values: gender against the ID number, and the age at
    # hire from the birth date (in the ID number) and the hire date.
    if ("gender" in data or "hire_date" in data) and "id_number" not in data:
        data["id_number"] = current.id_number
    if "id_number" in data and "hire_date" not in data:
        data["hire_date"] = current.hire_date
    if "id_number" in data and "gender" not in data:
        data["gender"] = ""  # derive it again from the new number
    values = clean(data, department_lookup(store), partial=True)
    with unit_of_work(store, actor.audit_name) as uow:
        emp = _get(uow.session, employee_id)
        if "employee_no" in values and _no_taken(uow.session, emp.branch_id,
                                                 values["employee_no"], emp.id):
            raise EmployeeInputError({"employee_no": Message(M.NUMBER_TAKEN, value=values["employee_no"])})
        uow.update(emp, values)
    return uow.changes


def leave(store: Store, actor: Actor, employee_id: str, when: dt.date | str,
          reason: str) -> ChangeSet:
    actor.require("clerk", "recording a leave")
    when = _date(when, "leave_date")
    reason = (reason or "").strip()
    if not reason or len(reason) > 200:
        raise ValidationError("leave_reason", M.REASON_REQUIRED)
    with unit_of_work(store, actor.audit_name) as uow:
        emp = _get(uow.session, employee_id)
        if emp.status != "active":
            raise ValidationError("status", Message(M.NOT_ACTIVE, number=emp.employee_no,
                                                      status=emp.status))
        if when < emp.hire_date:
            raise ValidationError("leave_date", Message(M.BEFORE_HIRE, date=emp.hire_date))
        uow.update(emp, {"status": "left", "leave_date": when, "leave_reason": reason},
                   action="leave")
        _event(uow, emp, "leave", when, reason)
    return uow.changes


def rehire(store: Store, actor: Actor, employee_id: str, when: dt.date | str) -> ChangeSet:
    """Bring back someone who left: a new hire date, same number and history."""
    actor.require("clerk", "rehiring")
    when = _date(when, "hire_date")
    with unit_of_work(store, actor.audit_name) as uow:
        emp = _get(uow.session, employee_id)
        if emp.status != "left":
            raise ValidationError("status", Message(M.NOT_LEFT, number=emp.employee_no,
                                                      status=emp.status))
        if emp.leave_date and when < emp.leave_date:
            raise ValidationError("hire_date", Message(M.BEFORE_LEAVE, date=emp.leave_date))
        uow.update(emp, {"status": "active", "hire_date": when, "leave_date": None,
                         "leave_reason": None}, action="rehire")
        _event(uow, emp, "rehire", when, None)
    return uow.changes


# ---- reading --------------------------------------------------------------------------

def _get(session: Session, employee_id: str) -> Employee:
    emp = session.get(Employee, employee_id)
    if emp is None or emp.deleted:
        raise NotFound(f"no employee with id {employee_id}")
    return emp


def find_id(store: Store, employee_no: str) -> str:
    """The id of the branch's employee with this number."""
    branch_id = current_branch(store).id
    with store.read() as s:
        found = s.scalar(select(Employee.id).where(Employee.branch_id == branch_id,
                                                   Employee.employee_no == employee_no))
    if found is None:
        raise NotFound(f"no employee numbered {employee_no}")
    return found


def _view(emp: Employee, dept: Department, actor: Actor) -> EmployeeView:
    values = {name: getattr(emp, name) for name in (
        "id", "employee_no", "name", "gender", "id_number", "birth_date", "phone",
        "department_id", "position", "hire_date", "base_salary", "bank_account", "status",
        "leave_date", "leave_reason")}
    if not actor.sees_sensitive:
        for name, mask in MASKS.items():
            values[name] = mask(values[name])
    return EmployeeView(department=dept.name, **values)


def get(store: Store, actor: Actor, employee_id: str) -> EmployeeView:
    with store.read() as s:
        emp = _get(s, employee_id)
        return _view(emp, s.get(Department, emp.department_id), actor)


def history(store: Store, employee_id: str) -> list[EmployeeEvent]:
    with store.read() as s:
        return list(s.scalars(select(EmployeeEvent)
                              .where(EmployeeEvent.employee_id == employee_id)
                              .order_by(EmployeeEvent.effective_date, EmployeeEvent.id)))


SORT_COLUMNS = {
    "employee_no": Employee.employee_no, "name": Employee.name, "gender": Employee.gender,
    "phone": Employee.phone, "department": Department.code, "position": Employee.position,
    "hire_date": Employee.hire_date, "base_salary": Employee.base_salary,
    "status": Employee.status,
}


@dataclass(frozen=True)
class EmployeeQuery:
    """What the employees view shows: a search text and filters, sorted."""

    search: str = ""
    department_id: str | None = None
    status: str | None = None
    sort: str = "employee_no"
    descending: bool = False


def _filtered(stmt, branch_id: str, query: EmployeeQuery):
    stmt = stmt.where(Employee.branch_id == branch_id, Employee.deleted.is_(False))
    text = query.search.strip()
    if text:
        stmt = stmt.where(or_(Employee.name.contains(text, autoescape=True),
                              Employee.employee_no.contains(text, autoescape=True),
                              Employee.phone.contains(text, autoescape=True)))
    if query.department_id:
        stmt = stmt.where(Employee.department_id == query.department_id)
    if query.status:
        stmt = stmt.where(Employee.status == query.status)
    return stmt


def search_ids(store: Store, query: EmployeeQuery, limit: int | None = None) -> list[str]:
    """Ids of the matching employees in display order (the view fetches rows lazily);
    with `limit`, only the first ones."""
    branch_id = current_branch(store).id
    column = SORT_COLUMNS.get(query.sort, Employee.employee_no)
    order = column.desc() if query.descending else column.asc()
    stmt = select(Employee.id)
    if query.sort == "department":
        stmt = stmt.join(Department, Department.id == Employee.department_id)
    stmt = _filtered(stmt, branch_id, query).order_by(order, Employee.employee_no)
    if limit is not None:
        stmt = stmt.limit(limit)
    return store.first_column(stmt)


def count_matching(store: Store, query: EmployeeQuery) -> int:
    """How many employees `search_ids` would return."""
    stmt = _filtered(select(func.count()).select_from(Employee),
                     current_branch(store).id, query)
    with store.read() as s:
        return s.scalar(stmt)


def fetch(store: Store, actor: Actor, ids: list[str]) -> dict[str, EmployeeView]:
    """The views of these ids (a page of the table), keyed by id."""
    with store.read() as s:
        rows = s.execute(select(Employee, Department)
                         .join(Department, Department.id == Employee.department_id)
                         .where(Employee.id.in_(ids))).all()
        return {emp.id: _view(emp, dept, actor) for emp, dept in rows}


def count(store: Store, status: str | None = None) -> int:
    branch_id = current_branch(store).id
    stmt = select(func.count()).select_from(Employee).where(Employee.branch_id == branch_id,
                                                           Employee.deleted.is_(False))
    if status:
        stmt = stmt.where(Employee.status == status)
    with store.read() as s:
        return s.scalar(stmt)


def list_all(store: Store, actor: Actor, query: EmployeeQuery | None = None) -> list[EmployeeView]:
    ids = search_ids(store, query or EmployeeQuery())
    views: dict[str, EmployeeView] = {}
    for start in range(0, len(ids), 500):
        views.update(fetch(store, actor, ids[start:start + 500]))
    return [views[i] for i in ids]
