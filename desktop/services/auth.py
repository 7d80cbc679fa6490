"""Local users, roles and sign-in. Passwords are kept only as salted scrypt hashes."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desktop import messages as M
from desktop.errors import AuthenticationFailed, PermissionDenied, ValidationError
from desktop.ids import uuid7
from desktop.messages import Message
from desktop.store import Store
from desktop.store.models import AppUser
from desktop.store.unit_of_work import ChangeSet, UnitOfWork, unit_of_work

ROLES = ("clerk", "manager", "admin")
_RANK = {role: i for i, role in enumerate(ROLES)}
MIN_PASSWORD = 8

# scrypt cost: ~50 ms per check on one core, so guessing offline is slow.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, or the CLI acting for the OS user."""

    username: str
    role: str

    @property
    def audit_name(self) -> str:
        return self.username

    def at_least(self, role: str) -> bool:
        return _RANK[self.role] >= _RANK[role]

    def require(self, role: str, what: str) -> None:
        if not self.at_least(role):
            raise PermissionDenied(f"{what} needs the {role} role; {self.username} is {self.role}")

    @property
    def sees_sensitive(self) -> bool:
        """Clerks see ID numbers and bank accounts masked."""
        return self.at_least("manager")


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    b64 = base64.b64encode
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p), dklen=32)
        return hmac.compare_digest(got, base64.b64decode(digest))
    except (ValueError, TypeError):  # a damaged hash never signs anyone in
        return False


@cache
def _dummy_hash() -> str:
    """Checked when the user name is unknown, so that answer takes as long as a wrong
    password. Made on first use: an import should not cost a scrypt."""
    return hash_password("not a password of anyone")


def add_user(store: Store, actor: Actor, username: str, role: str, password: str) -> str:
    """Create a local user; the first user of a store may be created by anyone (setup)."""
    username, password_hash = check_new_user(username, role, password)
    with unit_of_work(store, actor.audit_name) as uow:
        if uow.session.scalar(select(func.count()).select_from(AppUser)):
            actor.require("admin", "adding a user")
        return create_user(uow, username, role, password_hash)


def check_new_user(username: str, role: str, password: str) -> tuple[str, str]:
    """Validate a new user's fields; returns the clean name and the password hash (slow:
    call it outside the write transaction)."""
    username = (username or "").strip()
    if not username or len(username) > 64:
        raise ValidationError("username", Message(M.USERNAME_LENGTH))
    _check_role(role)
    _check_password_length("password", password)
    return username, hash_password(password)


def create_user(uow: UnitOfWork, username: str, role: str, password_hash: str) -> str:
    if uow.session.scalar(select(AppUser.id).where(AppUser.username == username)):
        raise ValidationError("username", Message(M.USERNAME_TAKEN, username=username))
    user = AppUser(id=uuid7(), username=username, role=role, password_hash=password_hash)
    uow.create(user, audit_exclude=("password_hash",))
    return user.id


def has_users(store: Store) -> bool:
    with store.read() as s:
        return bool(s.scalar(select(func.count()).select_from(AppUser)))


def sign_in(store: Store, username: str, password: str) -> Actor:
    with store.read() as s:
        user = s.scalar(select(AppUser).where(AppUser.username == (username or "").strip()))
    stored = user.password_hash if user is not None else _dummy_hash()
    if not check_password(password or "", stored) or user is None or not user.active:
        raise AuthenticationFailed("wrong user name or password")
    return Actor(user.username, user.role)


def list_users(store: Store) -> list[dict]:
    with store.read() as s:
        return [
            {"username": u.username, "role": u.role, "active": u.active}
            for u in s.scalars(select(AppUser).order_by(AppUser.username))
        ]


@dataclass(frozen=True)
class UserAccount:
    """A user as the administration page shows it (never the password hash)."""

    username: str
    role: str
    active: bool
    created_at: dt.datetime


def user_accounts(store: Store) -> list[UserAccount]:
    """Every local user, by name, with what an administrator needs to see."""
    with store.read() as s:
        return [UserAccount(u.username, u.role, bool(u.active), u.created_at)
                for u in s.scalars(select(AppUser).order_by(AppUser.username))]


def change_own_password(store: Store, actor: Actor, old_password: str,
                        new_password: str) -> ChangeSet:
    """The signed-in user changes their own password; the current one must be given."""
    with store.read() as s:
        user = _user(s, actor.username)
        checked_hash, active = user.password_hash, user.active
    if not active:  # signed in, then disabled by an administrator
        raise AuthenticationFailed("wrong user name or password")
    if not check_password(old_password or "", checked_hash):
        raise ValidationError("old_password", Message(M.WRONG_PASSWORD))
    _check_password_length("new_password", new_password)
    if new_password == old_password:
        raise ValidationError("new_password", Message(M.PASSWORD_UNCHANGED))
    new_hash = hash_password(new_password)  # slow: outside the write transaction
    with unit_of_work(store, actor.audit_name) as uow:
        user = _user(uow.session, actor.username)
        if user.password_hash != checked_hash:  # changed meanwhile: the old one is stale
            raise ValidationError("old_password", Message(M.WRONG_PASSWORD))
        uow.update(user, {"password_hash": new_hash}, action="password_change",
                   audit_exclude=("password_hash",))
    return uow.changes


def reset_password(store: Store, actor: Actor, username: str, new_password: str) -> ChangeSet:
    """An administrator sets someone's password (they forgot it); the old one stops working."""
    actor.require("admin", "resetting a password")
    _check_password_length("new_password", new_password)
    new_hash = hash_password(new_password)
    with unit_of_work(store, actor.audit_name) as uow:
        user = _user(uow.session, username)
        uow.update(user, {"password_hash": new_hash}, action="password_reset",
                   audit_exclude=("password_hash",))
    return uow.changes


def set_role(store: Store, actor: Actor, username: str, role: str) -> ChangeSet:
    """Change a user's role; the last active administrator keeps theirs."""
    actor.require("admin", "changing a role")
    _check_role(role)
    with unit_of_work(store, actor.audit_name) as uow:
        user = _user(uow.session, username)
        if (user.role == "admin" and role != "admin" and user.active
                and _active_admins(uow.session) <= 1):
            raise ValidationError("role", Message(M.LAST_ADMIN_ROLE, username=user.username))
        uow.update(user, {"role": role})
    return uow.changes


def set_active(store: Store, actor: Actor, username: str, active: bool) -> ChangeSet:
    """Disable (or enable again) a user; a disabled user cannot sign in. Nobody disables
    themselves, and the last active administrator stays enabled."""
    actor.require("admin", "enabling or disabling a user")
    active = bool(active)
    with unit_of_work(store, actor.audit_name) as uow:
        user = _user(uow.session, username)
        if not active and user.active:
            if user.username == actor.username:
                raise ValidationError("active", Message(M.DISABLE_SELF))
            if user.role == "admin" and _active_admins(uow.session) <= 1:
                raise ValidationError("active",
                                      Message(M.LAST_ADMIN_DISABLE, username=user.username))
        uow.update(user, {"active": active})
    return uow.changes


def _user(session: Session, username: str) -> AppUser:
    name = (username or "").strip()
    user = session.scalar(select(AppUser).where(AppUser.username == name))
    if user is None:
        raise ValidationError("username", Message(M.UNKNOWN_USER, username=name))
    return user


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AppUser)
                          .where(AppUser.role == "admin", AppUser.active.is_(True)))


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError("role", Message(M.ROLE_VALUE, roles=", ".join(ROLES)))


def _check_password_length(field: str, password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError(field, Message(M.PASSWORD_TOO_SHORT, minimum=MIN_PASSWORD))
