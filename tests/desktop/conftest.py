"""Fixtures for the core (no Qt) tests: a fresh branch store, the three roles, and valid
employee input to start each case from."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from desktop.services import auth, branch
from desktop.store import Store, open_store
from tests.desktop.support import ADMIN, CLERK, MANAGER, employee_data


@pytest.fixture
def make_employee_data():
    """`employee_data(**overrides)`: a valid hire form, a different person on each call."""
    return employee_data


@pytest.fixture
def admin() -> auth.Actor:
    return ADMIN


@pytest.fixture
def manager() -> auth.Actor:
    return MANAGER


@pytest.fixture
def clerk() -> auth.Actor:
    return CLERK


@pytest.fixture
def store(tmp_path) -> Iterator[Store]:
    """A new store on disk with its branch set up (SH01 上海分公司)."""
    s = open_store(tmp_path / "data")
    branch.init_branch(s, ADMIN, "SH01", "上海分公司")
    yield s
    s.close()


@pytest.fixture
def raw(store) -> Iterator[sqlite3.Connection]:
    """The store's file through plain sqlite3, as someone going behind the app's back would."""
    conn = sqlite3.connect(store.path, isolation_level=None)
    yield conn
    conn.close()
