"""HQ administration: branches, enrollment codes and enrollment, HQ users and tokens,
employee listing and transfers, status. Used by the CLI and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import bindparam, func, literal, null, select, union_all, update

from sync.protocol import TABLES, Change
from sync.server.core.security import hash_code, hash_secret, new_enrollment_code, new_token
from sync.server.db import Database
from sync.server.ids import uuid7
from sync.server.models import (
    SYNCED_MODELS,
    Branch,
    Conflict,
    Employee,
    EnrollmentCode,
    HqUser,
    Node,
)
from sync.server.replication import HQ_TOOL, Hooks, Principal, push, row_to_wire
from sync.server.types import to_wire, utcnow

CODE_VALIDITY = dt.timedelta(days=7)
ROLES = ("hq_admin", "hq_viewer")
LAST_SEEN_EVERY = dt.timedelta(seconds=30)


class AdminError(Exception):
    """Something an operator asked for that cannot be done; the message says what."""


class EnrollError(Exception):
    pass


def _branch_by_code(session, code: str) -> Branch:
    branch = session.scalar(select(Branch).where(Branch.code == code, Branch.deleted.is_(False)))
    if branch is None:
        raise AdminError(f"no branch with code {code!r} (see `branchdesk-hq branch list`)")
    return branch


def _branch_ref(branch: Branch) -> dict[str, str]:
    return {"id": branch.id, "code": branch.code, "name": branch.name}


def _hq_push(db: Database, change: dict[str, Any], hooks: Hooks | None = None) -> dict[str, Any]:
    result = push(db, HQ_TOOL, [Change(change_id=uuid7(), **change)], hooks)[0]
    if result["status"] == "rejected":
        raise AdminError(result["reason"])
    return result


def add_branch(db: Database, code: str, name: str) -> tuple[dict[str, str], str]:
    """A new branch (a reference row with its own rev) and its first enrollment code."""
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise AdminError("a branch needs a code and a name")
    with db.read() as s:
        if s.scalar(select(Branch.id).where(Branch.code == code)) is not None:
            raise AdminError(f"a branch with code {code!r} already exists")
    branch_id = uuid7()
    _hq_push(db, {"table": "branch", "op": "upsert", "row_id": branch_id, "base_rev": 0,
                  "fields": {"code": code, "name": name, "branch_id": None,
                             "updated_at": to_wire(utcnow())}})
    return {"id": branch_id, "code": code, "name": name}, new_code(db, code)


def new_code(db: Database, branch_code: str) -> str:
    """A fresh one-time enrollment code (valid 7 days); older unused codes stop working."""
    code = new_enrollment_code()
    now = utcnow()
    with db.write() as s:
        branch = _branch_by_code(s, branch_code)
        s.execute(update(EnrollmentCode)
                  .where(EnrollmentCode.branch_id == branch.id, EnrollmentCode.used_at.is_(None),
                         EnrollmentCode.expires_at > now)
                  .values(expires_at=now))
        s.add(EnrollmentCode(branch_id=branch.id, code_hash=hash_code(code), created_at=now,
                             expires_at=now + CODE_VALIDITY))
    return code


def list_branches(db: Database) -> list[dict[str, Any]]:
    with db.read() as s:
        nodes = dict(s.execute(select(Node.branch_id, func.count()).where(
            Node.revoked_at.is_(None)).group_by(Node.branch_id)).all())
        return [{**_branch_ref(b), "rev": b.rev, "nodes": nodes.get(b.id, 0)}
                for b in s.scalars(select(Branch).where(Branch.deleted.is_(False))
                                   .order_by(Branch.code))]


class WrongBranch(EnrollError):
    """The code is for another branch than the desk's own; the code stays usable."""

    def __init__(self, code_branch: str, desk_branch: str):
        self.code_branch = code_branch
        super().__init__(f"This enrollment code is for branch {code_branch}, but this desk "
                         f"is branch {desk_branch}; the code was not used. Ask HQ for a code "
                         f"for {desk_branch}.")


def enroll(db: Database, code: str, device_name: str,
           branch_code: str | None = None) -> tuple[str, dict[str, str]]:
    """Exchange a one-time code for a node token (single use; only its hash is kept).
    `branch_code`: the desk's own branch, when it has one; a code of another branch is
    refused (WrongBranch) and stays usable."""
    now = utcnow()
    token = new_token()
    with db.write() as s:
        row = s.scalar(select(EnrollmentCode).where(EnrollmentCode.code_hash == hash_code(code)))
        if row is None or row.used_at is not None or row.expires_at <= now:
            raise EnrollError("This enrollment code is not valid: it is mistyped, already used "
                              "or expired. Ask HQ for a new code.")
        code_branch = s.get(Branch, row.branch_id)
        if code_branch is not None and branch_code is not None \
                and code_branch.code != branch_code:
            raise WrongBranch(code_branch.code, branch_code)
        node_id = uuid7()
        claimed = s.execute(update(EnrollmentCode)
                            .where(EnrollmentCode.id == row.id, EnrollmentCode.used_at.is_(None))
                            .values(used_at=now, node_id=node_id))
        if claimed.rowcount != 1:  # another desk used it a moment ago
            raise EnrollError("This enrollment code was just used. Ask HQ for a new code.")
        branch = s.get(Branch, row.branch_id)
        if branch is None or branch.deleted:
            raise EnrollError("The branch of this enrollment code no longer exists.")
        s.add(Node(id=node_id, branch_id=branch.id, device_name=device_name,
                   token_hash=hash_secret(token), created_at=now, last_seen_at=now))
        return token, _branch_ref(branch)


def add_user(db: Database, name: str, role: str) -> str:
    if role not in ROLES:
        raise AdminError(f"role must be one of {', '.join(ROLES)}")
    name = name.strip()
    if not name or len(name) > 64:
        raise AdminError("a user name is 1 to 64 characters")
    token = new_token()
    with db.write() as s:
        if s.scalar(select(HqUser.id).where(HqUser.name == name)) is not None:
            raise AdminError(f"a user named {name!r} already exists")
        s.add(HqUser(id=uuid7(), name=name, role=role, token_hash=hash_secret(token),
                     created_at=utcnow()))
    return token


def revoke_node(db: Database, node_id: str) -> None:
    with db.write() as s:
        node = s.get(Node, node_id)
        if node is None:
            raise AdminError(f"no enrolled desk with id {node_id!r}")
        if node.revoked_at is None:
            node.revoked_at = utcnow()


def revoke_user(db: Database, name: str) -> None:
    with db.write() as s:
        user = s.scalar(select(HqUser).where(HqUser.name == name))
        if user is None:
            raise AdminError(f"no HQ user named {name!r}")
        if user.revoked_at is None:
            user.revoked_at = utcnow()


def authenticate(db: Database, token: str) -> Principal | None:
    """The holder of a bearer token, or None when it is unknown or revoked."""
    rows = db.lookup(_TOKEN_HOLDER, {"digest": hash_secret(token)})
    if not rows or rows[0].revoked_at is not None:
        return None
    holder = rows[0]
    if holder.kind == "user":
        return Principal(kind="user", id=holder.id, name=holder.name, role=holder.role)
    now = utcnow()
    if holder.last_seen_at is None or now - holder.last_seen_at > LAST_SEEN_EVERY:
        with db.write() as s:
            s.execute(update(Node).where(Node.id == holder.id).values(last_seen_at=now))
    return Principal(kind="node", id=holder.id, name=holder.name, role="branch",
                     branch_id=holder.branch_id)


# A desk's token or an HQ user's, in one statement (tokens are unique and random: at most
# one row).
_TOKEN_HOLDER = union_all(
    select(literal("node").label("kind"), Node.id, Node.device_name.label("name"),
           literal("branch").label("role"), Node.branch_id, Node.revoked_at,
           Node.last_seen_at).where(Node.token_hash == bindparam("digest")),
    select(literal("user"), HqUser.id, HqUser.name, HqUser.role, null(), HqUser.revoked_at,
           null()).where(HqUser.token_hash == bindparam("digest")))


def list_employees(db: Database, branch_code: str | None = None) -> list[dict[str, Any]]:
    spec = TABLES["employee"]
    t = Employee.__table__
    with db.read() as s:
        codes = dict(s.execute(select(Branch.id, Branch.code)).all())
        q = select(t).where(t.c.deleted.is_(False)).order_by(t.c.employee_no, t.c.id)
        if branch_code is not None:
            q = q.where(t.c.branch_id == _branch_by_code(s, branch_code).id)
        return [{**row_to_wire(spec, row), "rev": row["rev"],
                 "branch_code": codes.get(row["branch_id"])}
                for row in s.execute(q).mappings()]


def transfer(db: Database, employee_no: str, from_code: str, to_code: str,
             hooks: Hooks | None = None) -> dict[str, Any]:
    """Move an employee to another branch: a new rev; the old branch gets a move_out."""
    if from_code == to_code:
        raise AdminError("--from and --to are the same branch")
    with db.read() as s:
        source = _branch_by_code(s, from_code)
        target = _branch_by_code(s, to_code)
        employee = s.scalar(select(Employee).where(
            Employee.branch_id == source.id, Employee.employee_no == employee_no,
            Employee.deleted.is_(False)))
        if employee is None:
            raise AdminError(f"branch {from_code} has no employee number {employee_no!r}")
        taken = s.scalar(select(Employee.id).where(
            Employee.branch_id == target.id, Employee.employee_no == employee_no))
        if taken is not None:
            raise AdminError(f"branch {to_code} already has an employee number {employee_no!r}")
    result = _hq_push(db, {"table": "employee", "op": "upsert", "row_id": employee.id,
                           "base_rev": employee.rev,
                           "fields": {"branch_id": target.id, "updated_at": to_wire(utcnow())}},
                      hooks)
    return {"employee_id": employee.id, "employee_no": employee_no, "from": from_code,
            "to": to_code, "rev": result["rev"]}


def status(db: Database) -> list[dict[str, Any]]:
    """Per branch: enrolled desks, last sync, open conflicts, rows."""
    with db.read() as s:
        out = []
        nodes = {bid: (n, last) for bid, n, last in s.execute(
            select(Node.branch_id, func.count(), func.max(Node.last_seen_at))
            .where(Node.revoked_at.is_(None)).group_by(Node.branch_id)).all()}
        conflicts = dict(s.execute(select(Conflict.branch_id, func.count())
                                   .where(Conflict.resolved_at.is_(None))
                                   .group_by(Conflict.branch_id)).all())
        rows: dict[str, dict[str, int]] = {}
        for name, model in SYNCED_MODELS.items():
            if name == "branch":
                continue
            for bid, n in s.execute(select(model.branch_id, func.count())
                                    .where(model.deleted.is_(False), model.branch_id.isnot(None))
                                    .group_by(model.branch_id)).all():
                rows.setdefault(bid, {})[name] = n
        for b in s.scalars(select(Branch).where(Branch.deleted.is_(False)).order_by(Branch.code)):
            n, last = nodes.get(b.id, (0, None))
            out.append({**_branch_ref(b), "nodes": n,
                        "last_sync": to_wire(last) if last is not None else None,
                        "open_conflicts": conflicts.get(b.id, 0), "rows": rows.get(b.id, {})})
        return out
