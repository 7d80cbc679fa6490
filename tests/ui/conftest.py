"""UI fixtures: a populated store and settings in a temp file."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from desktop.services import auth, branch, employees
from desktop.store import open_store
from tests.ui.support import ADMIN, employee_row
from ui.ops import wait_for_ops
from ui.settings import Settings


@pytest.fixture
def populated_store(tmp_path):
    store = open_store(tmp_path / "data")
    branch.init_branch(store, ADMIN, "SH01", "上海分公司")
    auth.add_user(store, ADMIN, "admin", "admin", "admin-password")
    auth.add_user(store, ADMIN, "clerk", "clerk", "clerk-password")
    employees.hire_many(store, ADMIN, [employee_row(i) for i in range(1, 41)])
    yield store
    wait_for_ops()
    store.close()


@pytest.fixture
def settings(tmp_path):
    return Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat))
