"""Branch identity and departments."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import or_, select

from desktop.errors import StoreNotInitialised, ValidationError
from desktop.ids import uuid7
from desktop.services.auth import Actor
from desktop.store import Store
from desktop.store.models import Branch, Department, Setting
from desktop.store.unit_of_work import ChangeSet, unit_of_work

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
    code, name = (code or "").strip(), (name or "").strip()
    if not _CODE.match(code):
        raise ValidationError("branch_code", "must be 1 to 32 letters, digits, '-' or '_'")
    if not name or len(name) > 100:
        raise ValidationError("branch_name", "must be 1 to 100 characters")
    with unit_of_work(store, actor.audit_name) as uow:
        if uow.session.get(Setting, BRANCH_ID_KEY):
            raise ValidationError("branch_code", "this store already has a branch")
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


def add_department(store: Store, actor: Actor, code: str, name: str) -> ChangeSet:
    actor.require("manager", "adding a department")
    code, name = (code or "").strip().lower(), (name or "").strip()
    if not _CODE.match(code):
        raise ValidationError("code", "must be 1 to 32 letters, digits, '-' or '_'")
    if not name:
        raise ValidationError("name", "is required")
    if any(d.code == code for d in departments(store)):
        raise ValidationError("code", f"department {code} already exists")
    branch_id = current_branch(store).id
    with unit_of_work(store, actor.audit_name) as uow:
        uow.create(Department(branch_id=branch_id, code=code, name=name, name_en=name))
    return uow.changes
