"""Local users, roles and sign-in. Passwords are kept only as salted scrypt hashes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass

from sqlalchemy import func, select

from desktop.errors import AuthenticationFailed, PermissionDenied, ValidationError
from desktop.ids import uuid7
from desktop.store import Store
from desktop.store.models import AppUser
from desktop.store.unit_of_work import unit_of_work

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


# Checked when the user name is unknown, so that answer takes as long as a wrong password.
_DUMMY_HASH = hash_password("not a password of anyone")


def add_user(store: Store, actor: Actor, username: str, role: str, password: str) -> str:
    """Create a local user; the first user of a store may be created by anyone (setup)."""
    username = (username or "").strip()
    if not username or len(username) > 64:
        raise ValidationError("username", "must be 1 to 64 characters")
    if role not in ROLES:
        raise ValidationError("role", f"must be one of {', '.join(ROLES)}")
    if len(password or "") < MIN_PASSWORD:
        raise ValidationError("password", f"must be at least {MIN_PASSWORD} characters")
    password_hash = hash_password(password)  # slow: outside the write transaction
    with unit_of_work(store, actor.audit_name) as uow:
        if uow.session.scalar(select(func.count()).select_from(AppUser)):
            actor.require("admin", "adding a user")
        if uow.session.scalar(select(AppUser.id).where(AppUser.username == username)):
            raise ValidationError("username", f"{username} already exists")
        user = AppUser(id=uuid7(), username=username, role=role, password_hash=password_hash)
        uow.create(user, audit_exclude=("password_hash",))
    return user.id


def sign_in(store: Store, username: str, password: str) -> Actor:
    with store.read() as s:
        user = s.scalar(select(AppUser).where(AppUser.username == (username or "").strip()))
    stored = user.password_hash if user is not None else _DUMMY_HASH
    if not check_password(password or "", stored) or user is None or not user.active:
        raise AuthenticationFailed("wrong user name or password")
    return Actor(user.username, user.role)


def list_users(store: Store) -> list[dict]:
    with store.read() as s:
        return [
            {"username": u.username, "role": u.role, "active": u.active}
            for u in s.scalars(select(AppUser).order_by(AppUser.username))
        ]
