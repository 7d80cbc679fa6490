"""First run of a desk: the branch and its first administrator, in one transaction, so a
store is never left with a branch nobody can sign in to."""

from __future__ import annotations

from sqlalchemy import func, select

from desktop import messages as M
from desktop.errors import StoreNotInitialised, ValidationError
from desktop.messages import Message
from desktop.services import auth, branch
from desktop.services.branch import BranchInfo
from desktop.store import Store
from desktop.store.models import AppUser
from desktop.store.unit_of_work import unit_of_work


def needs_setup(store: Store) -> bool:
    """True until the store has a branch and at least one user."""
    try:
        branch.current_branch(store)
    except StoreNotInitialised:
        return True
    return not auth.has_users(store)


def set_up(store: Store, branch_code: str, branch_name: str, admin: str,
           password: str) -> BranchInfo:
    """Create what is missing: the branch (unless the CLI already made it) and the first
    administrator. Every field is checked before anything is written."""
    try:
        existing = branch.current_branch(store)
    except StoreNotInitialised:
        existing = None
    if existing is None:
        code, name = branch.check_branch(branch_code, branch_name)
    username, password_hash = auth.check_new_user(admin, "admin", password)
    with unit_of_work(store, f"setup:{username}") as uow:
        if uow.session.scalar(select(func.count()).select_from(AppUser)):
            raise ValidationError("username", Message(M.ALREADY_SET_UP))
        info = existing or branch.create_branch(uow, code, name)
        auth.create_user(uow, username, "admin", password_hash)
    return info
