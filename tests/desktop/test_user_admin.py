"""User and department administration: passwords (own change, admin reset), roles, enabling
and disabling, the last-administrator protections, and the branch's own departments (rename,
delete only when empty; the group's standard ones are HQ's). Every change is one transaction
with its audit entry; a refused one changes nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from desktop import messages as M
from desktop.errors import AuthenticationFailed, PermissionDenied, ValidationError
from desktop.services import auth, branch, employees
from desktop.store.models import AppUser, AuditEntry, Department, OutboxEntry
from desktop.store.unit_of_work import outbox_fields
from tests.desktop.support import count_rows, employee_data

WANG_PW = "wang-password-1"
LI_PW = "li-password-1"
ZHAO_PW = "zhao-password-1"

WANG = auth.Actor("wang", "admin")


@pytest.fixture
def users(store, admin):
    """wang: the desk's only administrator; li: a clerk; zhao: a manager."""
    auth.add_user(store, admin, "wang", "admin", WANG_PW)
    auth.add_user(store, WANG, "li", "clerk", LI_PW)
    auth.add_user(store, WANG, "zhao", "manager", ZHAO_PW)
    return store


def audit_entries(store, after: int = 0) -> list[AuditEntry]:
    with store.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.seq > after)
                              .order_by(AuditEntry.seq)))


def last_seq(store) -> int:
    entries = audit_entries(store)
    return entries[-1].seq if entries else 0


def password_hashes(store) -> dict[str, str]:
    with store.read() as s:
        return dict(s.execute(select(AppUser.username, AppUser.password_hash)).all())


def accounts(store) -> dict[str, auth.UserAccount]:
    return {u.username: u for u in auth.user_accounts(store)}


def can_sign_in(store, username: str, password: str) -> bool:
    try:
        auth.sign_in(store, username, password)
    except AuthenticationFailed:
        return False
    return True


def assert_no_secret_in_audit(store, *passwords: str) -> None:
    """No audit entry holds a password, a stored hash, or any part of one."""
    hashes = password_hashes(store).values()
    for entry in audit_entries(store):
        assert "password_hash" not in entry.detail
        for pw in passwords:
            assert pw not in entry.detail
        for h in hashes:
            salt, digest = h.split("$")[-2:]
            assert h not in entry.detail and salt not in entry.detail
            assert digest not in entry.detail


def refused(store, fn, *args, error=ValidationError):
    """Run an action that must be refused; nothing may change (no row, audit, outbox)."""
    before = {t: count_rows(store, t) for t in ("app_user", "department", "audit_log", "outbox")}
    hashes, users = password_hashes(store), auth.user_accounts(store)
    with store.read() as s:
        depts = [(d.id, d.name, d.deleted) for d in s.scalars(select(Department))]
    with pytest.raises(error) as err:
        fn(store, *args)
    after = {t: count_rows(store, t) for t in before}
    assert after == before
    assert password_hashes(store) == hashes and auth.user_accounts(store) == users
    with store.read() as s:
        assert [(d.id, d.name, d.deleted) for d in s.scalars(select(Department))] == depts
    return err.value


def template(err: ValidationError) -> str:
    """The catalogue template behind a service message (what the UI translates)."""
    return err.message.template


# ---- listing ----------------------------------------------------------------------------

def test_user_accounts_list_everyone_with_role_state_and_creation_time(users):
    got = auth.user_accounts(users)
    assert [(u.username, u.role, u.active) for u in got] == [
        ("li", "clerk", True), ("wang", "admin", True), ("zhao", "manager", True)]
    now = dt.datetime.now(dt.UTC)
    for u in got:
        assert u.created_at.tzinfo is not None
        assert abs((now - u.created_at).total_seconds()) < 3600
    assert not hasattr(got[0], "password_hash")
    # the older listing keeps its shape (the CLI prints it)
    assert auth.list_users(users)[0] == {"username": "li", "role": "clerk", "active": True}


# ---- own password -------------------------------------------------------------------------

def test_any_user_changes_their_own_password(users):
    seq = last_seq(users)
    li = auth.sign_in(users, "li", LI_PW)
    auth.change_own_password(users, li, LI_PW, "a-new-li-password")
    assert can_sign_in(users, "li", "a-new-li-password")
    assert not can_sign_in(users, "li", LI_PW)
    (entry,) = audit_entries(users, seq)
    assert (entry.actor, entry.action, entry.table_name) == ("li", "password_change", "app_user")
    assert_no_secret_in_audit(users, LI_PW, "a-new-li-password")
    assert count_rows(users, "outbox") == 0  # users are local to the desk


def test_a_wrong_current_password_is_refused_on_that_field(users):
    li = auth.sign_in(users, "li", LI_PW)
    err = refused(users, auth.change_own_password, li, "not-my-password", "a-new-li-password")
    assert err.field == "old_password"
    assert template(err) == M.WRONG_PASSWORD
    assert can_sign_in(users, "li", LI_PW)


@pytest.mark.parametrize("new", ["short", "", "1234567"])
def test_a_new_password_too_short_is_refused_on_the_new_field(users, new):
    li = auth.sign_in(users, "li", LI_PW)
    err = refused(users, auth.change_own_password, li, LI_PW, new)
    assert err.field == "new_password"
    assert str(err) == "new_password: must be at least 8 characters"


def test_the_new_password_must_differ_from_the_current_one(users):
    li = auth.sign_in(users, "li", LI_PW)
    err = refused(users, auth.change_own_password, li, LI_PW, LI_PW)
    assert err.field == "new_password"
    assert template(err) == M.PASSWORD_UNCHANGED


def test_someone_without_an_account_has_no_password_to_change(users):
    err = refused(users, auth.change_own_password, auth.Actor("ghost", "admin"), "x" * 8,
                  "y" * 8)
    assert err.field == "username"


def test_a_user_disabled_while_signed_in_cannot_change_their_password(users):
    li = auth.sign_in(users, "li", LI_PW)
    auth.set_active(users, WANG, "li", False)
    refused(users, auth.change_own_password, li, LI_PW, "a-new-li-password",
            error=AuthenticationFailed)


# ---- password reset ------------------------------------------------------------------------

def test_an_admin_resets_a_forgotten_password(users):
    seq = last_seq(users)
    auth.reset_password(users, WANG, "li", "reset-by-wang")
    assert can_sign_in(users, "li", "reset-by-wang")
    assert not can_sign_in(users, "li", LI_PW)
    (entry,) = audit_entries(users, seq)
    assert (entry.actor, entry.action, entry.table_name) == ("wang", "password_reset", "app_user")
    with users.read() as s:
        assert entry.row_id == s.scalar(select(AppUser.id).where(AppUser.username == "li"))
    assert_no_secret_in_audit(users, LI_PW, "reset-by-wang")


@pytest.mark.parametrize("who", ["li", "zhao"])
def test_only_an_admin_resets_passwords(users, who):
    actor = auth.sign_in(users, who, {"li": LI_PW, "zhao": ZHAO_PW}[who])
    err = refused(users, auth.reset_password, actor, "wang", "taken-over-1",
                  error=PermissionDenied)
    assert "admin" in str(err)
    assert can_sign_in(users, "wang", WANG_PW)
    assert not can_sign_in(users, "wang", "taken-over-1")


def test_reset_refuses_a_short_password_or_an_unknown_user(users):
    err = refused(users, auth.reset_password, WANG, "li", "short")
    assert err.field == "new_password"
    err = refused(users, auth.reset_password, WANG, "nobody", "long-enough-1")
    assert err.field == "username"
    assert str(err) == "username: there is no user nobody"


# ---- roles ---------------------------------------------------------------------------------

def test_an_admin_changes_a_role_and_the_audit_says_from_what_to_what(users):
    seq = last_seq(users)
    auth.set_role(users, WANG, "li", "manager")
    assert accounts(users)["li"].role == "manager"
    assert auth.sign_in(users, "li", LI_PW) == auth.Actor("li", "manager")
    (entry,) = audit_entries(users, seq)
    assert (entry.actor, entry.action, entry.table_name) == ("wang", "update", "app_user")
    assert json.loads(entry.detail)["changes"] == {"role": ["clerk", "manager"]}


def test_setting_the_same_role_writes_nothing(users):
    seq = last_seq(users)
    auth.set_role(users, WANG, "li", "clerk")
    assert audit_entries(users, seq) == []


@pytest.mark.parametrize("who", ["li", "zhao"])
def test_only_an_admin_changes_roles(users, who):
    actor = auth.sign_in(users, who, {"li": LI_PW, "zhao": ZHAO_PW}[who])
    refused(users, auth.set_role, actor, who, "admin", error=PermissionDenied)
    assert accounts(users)[who].role != "admin"


@pytest.mark.parametrize("role", ["boss", "", "Admin"])
def test_an_unknown_role_is_refused_on_the_role_field(users, role):
    err = refused(users, auth.set_role, WANG, "li", role)
    assert err.field == "role"


@pytest.mark.parametrize("role", ["manager", "clerk"])
def test_the_last_active_admin_cannot_be_demoted(users, role):
    err = refused(users, auth.set_role, WANG, "wang", role)
    assert err.field == "role"
    assert template(err) == M.LAST_ADMIN_ROLE and "wang" in err.message
    assert accounts(users)["wang"].role == "admin"


def test_an_admin_can_be_demoted_once_another_admin_is_active(users):
    auth.set_role(users, WANG, "zhao", "admin")
    auth.set_role(users, auth.Actor("zhao", "admin"), "wang", "manager")
    assert accounts(users)["wang"].role == "manager"
    # now zhao is the last one
    err = refused(users, auth.set_role, auth.Actor("zhao", "admin"), "zhao", "clerk")
    assert err.field == "role"


def test_a_disabled_admin_does_not_count_as_another_admin(users):
    auth.set_role(users, WANG, "zhao", "admin")
    auth.set_active(users, WANG, "zhao", False)
    err = refused(users, auth.set_role, WANG, "wang", "manager")
    assert err.field == "role"
    auth.set_role(users, WANG, "zhao", "clerk")  # demoting a disabled admin is fine
    assert accounts(users)["zhao"].role == "clerk"


# ---- enable / disable ----------------------------------------------------------------------

def test_a_disabled_user_cannot_sign_in_until_enabled_again(users):
    seq = last_seq(users)
    auth.set_active(users, WANG, "li", False)
    assert accounts(users)["li"].active is False
    assert not can_sign_in(users, "li", LI_PW)
    auth.set_active(users, WANG, "li", True)
    assert can_sign_in(users, "li", LI_PW)
    entries = audit_entries(users, seq)
    assert [(e.actor, e.action) for e in entries] == [("wang", "update"), ("wang", "update")]
    assert [json.loads(e.detail)["changes"] for e in entries] == [
        {"active": [True, False]}, {"active": [False, True]}]
    assert count_rows(users, "outbox") == 0


def test_nobody_disables_their_own_account(users):
    auth.set_role(users, WANG, "zhao", "admin")  # not the last admin: still refused
    err = refused(users, auth.set_active, WANG, "wang", False)
    assert err.field == "active"
    assert template(err) == M.DISABLE_SELF
    assert can_sign_in(users, "wang", WANG_PW)


def test_the_last_active_admin_cannot_be_disabled(users):
    # e.g. the CLI acting as an OS administrator who has no account on the desk
    err = refused(users, auth.set_active, auth.Actor("root", "admin"), "wang", False)
    assert err.field == "active"
    assert template(err) == M.LAST_ADMIN_DISABLE and "wang" in err.message
    auth.set_role(users, WANG, "zhao", "admin")
    auth.set_active(users, auth.Actor("zhao", "admin"), "wang", False)
    assert not can_sign_in(users, "wang", WANG_PW)


@pytest.mark.parametrize("who", ["li", "zhao"])
def test_only_an_admin_enables_or_disables(users, who):
    actor = auth.sign_in(users, who, {"li": LI_PW, "zhao": ZHAO_PW}[who])
    refused(users, auth.set_active, actor, "wang", False, error=PermissionDenied)
    auth.set_active(users, WANG, "li", False)
    refused(users, auth.set_active, actor, "li", True, error=PermissionDenied)


def test_unknown_users_are_named(users):
    for fn, args in ((auth.set_role, ("nobody", "clerk")), (auth.set_active, ("nobody", False))):
        err = refused(users, fn, WANG, *args)
        assert err.field == "username" and "nobody" in err.message


def test_add_user_messages_come_from_the_catalogue(users):
    err = refused(users, auth.add_user, WANG, "li", "clerk", "long-enough-1")
    assert template(err) == M.USERNAME_TAKEN and err.message == "li already exists"
    err = refused(users, auth.add_user, WANG, "qian", "clerk", "short")
    assert template(err) == M.PASSWORD_TOO_SHORT


def test_no_administration_step_leaves_a_secret_in_the_audit(users):
    li = auth.sign_in(users, "li", LI_PW)
    auth.change_own_password(users, li, LI_PW, "li-second-pw")
    auth.reset_password(users, WANG, "zhao", "zhao-second-pw")
    auth.set_role(users, WANG, "zhao", "admin")
    auth.set_active(users, WANG, "li", False)
    assert_no_secret_in_audit(users, WANG_PW, LI_PW, ZHAO_PW, "li-second-pw", "zhao-second-pw")
    with users.read() as s:
        assert s.scalar(select(AuditEntry.seq).where(AuditEntry.detail.like("%scrypt%"))) is None


# ---- departments ---------------------------------------------------------------------------

def dept(store, code: str) -> Department:
    with store.read() as s:
        return s.scalars(select(Department).where(Department.code == code)).one()


def outbox_after(store, seq: int) -> list[OutboxEntry]:
    with store.read() as s:
        return list(s.scalars(select(OutboxEntry).where(OutboxEntry.seq > seq)
                              .order_by(OutboxEntry.seq)))


def outbox_seq(store) -> int:
    with store.read() as s:
        return s.scalar(select(OutboxEntry.seq).order_by(OutboxEntry.seq.desc())) or 0


@pytest.fixture
def legal(store, manager):
    branch.add_department(store, manager, "legal", "法务")
    return dept(store, "legal")


def test_a_manager_renames_a_branch_department(store, manager, legal):
    seq, out = last_seq(store), outbox_seq(store)
    changes = branch.rename_department(store, manager, "legal", "法务合规部")
    assert changes.updated == {"department": {legal.id}}
    assert {d.code: d.name for d in branch.departments(store)}["legal"] == "法务合规部"
    (entry,) = audit_entries(store, seq)
    assert (entry.actor, entry.action, entry.table_name) == ("manager", "update", "department")
    assert json.loads(entry.detail)["changes"]["name"] == ["法务", "法务合规部"]
    (pushed,) = outbox_after(store, out)  # the new name syncs to HQ
    assert pushed.op == "upsert" and outbox_fields(pushed)["name"] == "法务合规部"
    branch.rename_department(store, manager, legal.id, "法务部")  # by id too
    assert dept(store, "legal").name == "法务部"


@pytest.mark.parametrize("code", ["finance", "sales", "collection"])
def test_the_group_standard_departments_cannot_be_renamed_or_deleted(store, admin, code):
    err = refused(store, branch.rename_department, admin, code, "我的部门")
    assert err.field == "department" and template(err) == M.STANDARD_DEPARTMENT_RENAME
    err = refused(store, branch.delete_department, admin, code)
    assert err.field == "department" and template(err) == M.STANDARD_DEPARTMENT_DELETE
    assert code in [d.code for d in branch.departments(store)]


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_a_department_name_is_required(store, manager, legal, name):
    err = refused(store, branch.rename_department, manager, "legal", name)
    assert err.field == "name"


def test_two_departments_cannot_share_a_name(store, manager, legal):
    branch.add_department(store, manager, "audit", "稽核")
    for taken in ("稽核", "Finance", "finance"):  # a standard one's English name counts too
        err = refused(store, branch.rename_department, manager, "legal", taken)
        assert err.field == "name" and template(err) == M.DEPARTMENT_NAME_TAKEN
    err = refused(store, branch.add_department, manager, "audit2", "稽核")
    assert err.field == "name"


def test_a_manager_deletes_an_empty_branch_department_as_a_tombstone(store, manager, legal):
    seq, out = last_seq(store), outbox_seq(store)
    changes = branch.delete_department(store, manager, "legal")
    assert changes.deleted == {"department": {legal.id}}
    assert "legal" not in [d.code for d in branch.departments(store)]
    assert dept(store, "legal").deleted  # still there, as a tombstone
    (entry,) = audit_entries(store, seq)
    assert (entry.actor, entry.action, entry.table_name) == ("manager", "delete", "department")
    (pushed,) = outbox_after(store, out)
    assert (pushed.op, pushed.row_id) == ("delete", legal.id)
    err = refused(store, branch.delete_department, manager, "legal")  # already gone
    assert err.field == "department"


def test_a_department_with_employees_cannot_be_deleted_even_if_they_left(store, manager, legal):
    first, _ = employees.hire(store, manager, employee_data(department="legal"))
    employees.hire(store, manager, employee_data(department="legal"))
    employees.leave(store, manager, first, "2024-01-31", "个人原因")
    err = refused(store, branch.delete_department, manager, "legal")
    assert err.field == "department" and template(err) == M.DEPARTMENT_IN_USE
    assert err.message.params["count"] == 2 and "2 employee(s)" in err.message
    overview = {d.code: d for d in branch.department_overview(store)}
    assert overview["legal"].employees == 2 and not overview["legal"].standard
    assert overview["finance"].standard and overview["finance"].employees == 0


def test_a_deleted_code_can_be_added_again(store, manager, legal):
    branch.delete_department(store, manager, "legal")
    branch.add_department(store, manager, "legal", "法律事务")
    again = dept(store, "legal")
    assert again.id == legal.id and not again.deleted and again.name == "法律事务"
    assert [d.code for d in branch.departments(store)].count("legal") == 1
    err = refused(store, branch.add_department, manager, "legal", "法务二部")
    assert err.field == "code" and template(err) == M.DEPARTMENT_CODE_TAKEN


def test_a_clerk_cannot_add_rename_or_delete_departments(store, clerk, legal):
    refused(store, branch.add_department, clerk, "hr", "人事", error=PermissionDenied)
    refused(store, branch.rename_department, clerk, "legal", "法务部", error=PermissionDenied)
    refused(store, branch.delete_department, clerk, "legal", error=PermissionDenied)


def test_an_unknown_department_is_named(store, manager):
    err = refused(store, branch.rename_department, manager, "nosuch", "无")
    assert err.field == "department" and "nosuch" in err.message
    err = refused(store, branch.delete_department, manager, "nosuch")
    assert err.field == "department"


def test_bad_department_codes_name_the_code_field(store, manager):
    for code in ("", "has space", "x" * 33, "法务"):
        err = refused(store, branch.add_department, manager, code, "某部门")
        assert err.field == "code" and template(err) == M.DEPARTMENT_CODE_FORMAT
