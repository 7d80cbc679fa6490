"""Local users: passwords kept only as scrypt hashes, signing in, who may add users."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from desktop.errors import AuthenticationFailed, PermissionDenied, ValidationError
from desktop.services import auth, branch
from desktop.store.models import AppUser, AuditEntry

PASSWORD = "Correct-Horse-42"


@pytest.fixture
def users(store, admin):
    """The first admin (created during setup) and a clerk."""
    auth.add_user(store, admin, "wang", "admin", PASSWORD)
    auth.add_user(store, auth.Actor("wang", "admin"), "li", "clerk", "li-password")
    return store


def _db_bytes(store) -> bytes:
    """Everything SQLite has on disk for the store, the write-ahead log included."""
    return b"".join(p.read_bytes() for p in store.path.parent.glob(store.path.name + "*"))


def test_passwords_are_stored_only_as_scrypt_hashes(users):
    with users.read() as s:
        stored = dict(s.execute(select(AppUser.username, AppUser.password_hash)).all())
    assert set(stored) == {"wang", "li"}
    for value in stored.values():
        scheme, n, r, p, salt, digest = value.split("$")
        assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
        assert PASSWORD not in value
    assert stored["wang"] != auth.hash_password(PASSWORD)  # salted: never the same twice
    data = _db_bytes(users)
    assert PASSWORD.encode() not in data
    assert b"li-password" not in data


def test_sign_in_with_the_right_password(users):
    actor = auth.sign_in(users, "wang", PASSWORD)
    assert actor == auth.Actor("wang", "admin")
    assert auth.sign_in(users, " li ", "li-password").role == "clerk"


@pytest.mark.parametrize(("username", "password"), [
    ("wang", "wrong-password"),
    ("wang", PASSWORD.lower()),
    ("wang", ""),
    ("nobody", PASSWORD),
    ("", ""),
])
def test_sign_in_fails_with_a_wrong_password_or_unknown_user(users, username, password):
    with pytest.raises(AuthenticationFailed) as err:
        auth.sign_in(users, username, password)
    assert str(err.value) == "wrong user name or password"  # the same for both cases


def test_a_deactivated_user_cannot_sign_in(users, raw):
    raw.execute("UPDATE app_user SET active = 0 WHERE username = 'li'")
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(users, "li", "li-password")


def test_the_first_user_can_be_created_by_anyone_later_ones_need_an_admin(store, clerk, manager):
    auth.add_user(store, clerk, "first", "admin", PASSWORD)  # setting the desk up
    for actor in (clerk, manager):
        with pytest.raises(PermissionDenied, match="admin"):
            auth.add_user(store, actor, "second", "clerk", PASSWORD)
    assert [u["username"] for u in auth.list_users(store)] == ["first"]
    auth.add_user(store, auth.sign_in(store, "first", PASSWORD), "second", "clerk", PASSWORD)
    assert auth.list_users(store) == [
        {"username": "first", "role": "admin", "active": True},
        {"username": "second", "role": "clerk", "active": True},
    ]


@pytest.mark.parametrize(("username", "role", "password", "field"), [
    ("zhao", "clerk", "short", "password"),
    ("zhao", "clerk", "", "password"),
    ("zhao", "boss", PASSWORD, "role"),
    ("zhao", "", PASSWORD, "role"),
    ("", "clerk", PASSWORD, "username"),
    ("x" * 65, "clerk", PASSWORD, "username"),
])
def test_bad_user_input_is_refused_naming_the_field(users, admin, username, role, password,
                                                    field):
    with pytest.raises(ValidationError) as err:
        auth.add_user(users, admin, username, role, password)
    assert err.value.field == field
    assert len(auth.list_users(users)) == 2


def test_a_user_name_is_taken_once(users, admin):
    with pytest.raises(ValidationError) as err:
        auth.add_user(users, admin, "li", "manager", PASSWORD)
    assert err.value.field == "username"


def test_the_audit_entry_of_a_new_user_has_no_password_hash(users):
    with users.read() as s:
        hashes = list(s.scalars(select(AppUser.password_hash)))
        entries = s.scalars(select(AuditEntry).where(AuditEntry.table_name == "app_user")).all()
    assert [(e.action, e.actor) for e in entries] == [("create", "admin"), ("create", "wang")]
    for entry in entries:
        fields = json.loads(entry.detail)["fields"]
        assert fields["username"] in ("wang", "li")
        assert "password_hash" not in fields
        for h in hashes:
            assert h not in entry.detail and h.split("$")[-1] not in entry.detail


def test_roles_rank_clerk_manager_admin(clerk, manager, admin):
    assert not clerk.sees_sensitive and manager.sees_sensitive and admin.sees_sensitive
    assert admin.at_least("manager") and not manager.at_least("admin")


def test_adding_a_department_needs_a_manager(store, clerk, manager):
    with pytest.raises(PermissionDenied, match="manager"):
        branch.add_department(store, clerk, "legal", "法务")
    branch.add_department(store, manager, "legal", "法务")
    assert "legal" in [d.code for d in branch.departments(store)]


def test_a_damaged_password_hash_signs_nobody_in(users, raw):
    raw.execute("UPDATE app_user SET password_hash = 'scrypt$16384$8$1$not-base64$' "
                "WHERE username = 'li'")
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(users, "li", "li-password")
