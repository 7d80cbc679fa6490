"""First run: a branch and its first administrator together, or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from desktop.errors import AuthenticationFailed, ValidationError
from desktop.services import auth, branch, setup
from desktop.store import open_store
from desktop.store.models import AppUser, Branch


@pytest.fixture
def fresh(tmp_path):
    store = open_store(tmp_path / "fresh")
    yield store
    store.close()


def count(store, model):
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_a_new_store_gets_its_branch_and_first_admin(fresh):
    assert setup.needs_setup(fresh)
    info = setup.set_up(fresh, "GZ02", "广州分公司", "chen", "chen-password")
    assert (info.code, info.name) == ("GZ02", "广州分公司")
    assert not setup.needs_setup(fresh)
    assert auth.sign_in(fresh, "chen", "chen-password").role == "admin"


@pytest.mark.parametrize(("code", "name", "admin", "password", "field"), [
    ("GZ 02", "广州分公司", "chen", "chen-password", "branch_code"),
    ("GZ02", "", "chen", "chen-password", "branch_name"),
    ("GZ02", "广州分公司", "", "chen-password", "username"),
    ("GZ02", "广州分公司", "chen", "short", "password"),
])
def test_bad_input_names_the_field_and_writes_nothing(fresh, code, name, admin, password,
                                                      field):
    with pytest.raises(ValidationError) as err:
        setup.set_up(fresh, code, name, admin, password)
    assert err.value.field == field
    assert count(fresh, Branch) == 0 and count(fresh, AppUser) == 0
    assert setup.needs_setup(fresh)


def test_a_branch_made_by_the_cli_only_needs_its_admin(fresh):
    branch.init_branch(fresh, auth.Actor("cli:root", "admin"), "SZ03", "深圳分公司")
    assert setup.needs_setup(fresh)  # nobody could sign in yet
    info = setup.set_up(fresh, "", "", "lin", "lin-password")
    assert info.code == "SZ03"
    assert count(fresh, Branch) == 1
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(fresh, "lin", "wrong-password")


def test_set_up_cannot_add_an_admin_to_a_store_with_users(fresh):
    setup.set_up(fresh, "GZ02", "广州分公司", "chen", "chen-password")
    with pytest.raises(ValidationError):
        setup.set_up(fresh, "", "", "mallory", "mallory-password")
    assert count(fresh, AppUser) == 1
