"""Branch identity and departments."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desktop import messages as M
from desktop.errors import StoreNotInitialised, ValidationError
from desktop.ids import uuid7
from desktop.messages import Message
from desktop.services.auth import Actor
from desktop.store import Store
from desktop.store.models import Branch, Department, Employee, Setting
from desktop.store.unit_of_work import ChangeSet, UnitOfWork, unit_of_work

BRANCH_ID_KEY = "branch_id"
HQ_URL_KEY = "hq_url"  # set by enrollment with HQ
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


@dataclass(frozen=True)
class BranchInfo:
    id: str
    code: str
    name: str
    enrolled: bool


def init_branch(store: Store, actor: Actor, code: str, name: str) -> BranchInfo:
    """Give a new store its branch identity (standalone until enrolled with HQ)."""
    code, name = check_branch(code, name)
    with unit_of_work(store, actor.audit_name) as uow:
        return create_branch(uow, code, name)


def check_branch(code: str, name: str) -> tuple[str, str]:
    code, name = (code or "").strip(), (name or "").strip()
    if not _CODE.match(code):
        raise ValidationError("branch_code", Message(M.BRANCH_CODE_FORMAT))
    if not name or len(name) > 100:
        raise ValidationError("branch_name", Message(M.BRANCH_NAME_LENGTH))
    return code, name


def create_branch(uow: UnitOfWork, code: str, name: str) -> BranchInfo:
    if uow.session.get(Setting, BRANCH_ID_KEY):
        raise ValidationError("branch_code", Message(M.BRANCH_EXISTS))
    branch = uow.create(Branch(id=uuid7(), branch_id=None, code=code, name=name))
    uow.session.add(Setting(key=BRANCH_ID_KEY, value=branch.id))
    return BranchInfo(branch.id, code, name, enrolled=False)


def current_branch(store: Store) -> BranchInfo:
    with store.read() as s:
        branch_id = s.scalar(select(Setting.value).where(Setting.key == BRANCH_ID_KEY))
        branch = s.get(Branch, branch_id) if branch_id else None
        enrolled = s.get(Setting, HQ_URL_KEY) is not None
    if branch is None:
        raise StoreNotInitialised("this store has no branch yet: run `branchdesk init`")
    return BranchInfo(branch.id, branch.code, branch.name, enrolled)


def departments(store: Store) -> list[Department]:
    """The group's standard departments first, then the branch's own, by code."""
    branch_id = current_branch(store).id
    with store.read() as s:
        return list(s.scalars(
            select(Department)
            .where(or_(Department.branch_id.is_(None), Department.branch_id == branch_id))
            .where(Department.deleted.is_(False))
            .order_by(Department.branch_id.is_not(None), Department.code)
        ))


@dataclass(frozen=True)
class DepartmentInfo:
    """A department as the departments dialog lists it."""

    id: str
    code: str
    name: str
    standard: bool  # the group's (HQ names them; a branch cannot rename or delete them)
    employees: int  # employee rows pointing at it, whatever their status


def department_overview(store: Store) -> list[DepartmentInfo]:
    """`departments()` with what administering them needs: standard or not, and staff."""
    depts = departments(store)
    with store.read() as s:
        staff = dict(s.execute(
            select(Employee.department_id, func.count())
            .where(Employee.deleted.is_(False))
            .group_by(Employee.department_id)).all())
    return [DepartmentInfo(d.id, d.code, d.name, d.branch_id is None, staff.get(d.id, 0))
            for d in depts]


def add_department(store: Store, actor: Actor, code: str, name: str) -> ChangeSet:
    """A department of this branch. A code whose department was deleted comes back to life
    (same id, so the rows that synced with it stay linked)."""
    actor.require("manager", "adding a department")
    code = (code or "").strip().lower()
    if not _CODE.match(code):
        raise ValidationError("code", Message(M.DEPARTMENT_CODE_FORMAT))
    name = _clean_name(name)
    branch_id = current_branch(store).id
    with unit_of_work(store, actor.audit_name) as uow:
        visible = _visible(uow.session, branch_id, include_deleted=True)
        if any(d.code == code and not d.deleted for d in visible):
            raise ValidationError("code", Message(M.DEPARTMENT_CODE_TAKEN, code=code))
        _check_name_free(visible, name, except_id=None)
        tombstone = next((d for d in visible
                          if d.code == code and d.deleted and d.branch_id == branch_id), None)
        if tombstone is not None:
            uow.update(tombstone, {"deleted": False, "name": name, "name_en": name})
        else:
            uow.create(Department(branch_id=branch_id, code=code, name=name, name_en=name))
    return uow.changes


def rename_department(store: Store, actor: Actor, department: str, name: str) -> ChangeSet:
    """Rename one of the branch's own departments (`department`: its id or code). The group's
    standard departments are named by HQ."""
    actor.require("manager", "renaming a department")
    name = _clean_name(name)
    branch_id = current_branch(store).id
    with unit_of_work(store, actor.audit_name) as uow:
        visible = _visible(uow.session, branch_id)
        dept = _find(visible, department)
        if dept.branch_id is None:
            raise ValidationError("department",
                                  Message(M.STANDARD_DEPARTMENT_RENAME, name=dept.name))
        _check_name_free(visible, name, except_id=dept.id)
        values = {"name": name}
        if dept.name_en == dept.name:  # the English name was a copy: keep it one
            values["name_en"] = name
        uow.update(dept, values)
    return uow.changes


def delete_department(store: Store, actor: Actor, department: str) -> ChangeSet:
    """Delete one of the branch's own departments (a tombstone, so the delete syncs). Only an
    empty one: employees who have left still point at their department."""
    actor.require("manager", "deleting a department")
    branch_id = current_branch(store).id
    with unit_of_work(store, actor.audit_name) as uow:
        dept = _find(_visible(uow.session, branch_id), department)
        if dept.branch_id is None:
            raise ValidationError("department",
                                  Message(M.STANDARD_DEPARTMENT_DELETE, name=dept.name))
        staff = uow.session.scalar(
            select(func.count()).select_from(Employee)
            .where(Employee.department_id == dept.id, Employee.deleted.is_(False)))
        if staff:
            raise ValidationError("department",
                                  Message(M.DEPARTMENT_IN_USE, name=dept.name, count=staff))
        uow.delete(dept)
    return uow.changes


def _visible(session: Session, branch_id: str, include_deleted: bool = False) -> list[Department]:
    """The standard departments and this branch's own (tombstones too on request)."""
    q = select(Department).where(
        or_(Department.branch_id.is_(None), Department.branch_id == branch_id))
    if not include_deleted:
        q = q.where(Department.deleted.is_(False))
    return list(session.scalars(q))


def _find(departments: list[Department], key: str) -> Department:
    key = (key or "").strip()
    for d in departments:
        if key in (d.id, d.code):
            return d
    raise ValidationError("department", Message(M.UNKNOWN_DEPARTMENT, value=key))


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError("name", Message(M.DEPARTMENT_NAME_REQUIRED))
    return name


def _check_name_free(departments: list[Department], name: str, except_id: str | None) -> None:
    wanted = name.casefold()
    for d in departments:
        if d.deleted or d.id == except_id:
            continue
        if wanted in (d.name.casefold(), (d.name_en or "").casefold()):
            raise ValidationError("name", Message(M.DEPARTMENT_NAME_TAKEN, name=name))
