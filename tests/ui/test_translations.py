"""The interface is Chinese by default: every string is in the catalogue, the compiled .qm
matches its .ts, and service errors reach the clerk in Chinese."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from desktop.services import branch
from desktop.services.auth import Actor
from sync import reasons
from ui.employee_dialog import EmployeeDialog
from ui.resources import TRANSLATIONS, install_translators

ROOT = Path(__file__).resolve().parents[2]
TS = TRANSLATIONS / "branchdesk_zh_CN.ts"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        assert found, f"{name} is installed with PySide6"
        return found
    return str(path)


def test_every_string_the_ui_shows_has_a_chinese_translation(tmp_path):
    fresh = tmp_path / "check.ts"
    shutil.copy(TS, fresh)
    sources = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").glob("*.py"))
    subprocess.run([tool("pyside6-lupdate"), "-no-obsolete", *sources, "desktop/messages.py",
                    "sync/reasons.py", "-ts", str(fresh)], cwd=ROOT, check=True,
                   capture_output=True)
    untranslated = [
        m.findtext("source") for m in ET.parse(fresh).iter("message")
        if m.find("translation").get("type") == "unfinished"
    ]
    assert untranslated == [], "translate these in resources/translations (Qt Linguist)"


def test_compiled_catalogue_is_built_from_the_current_source(tmp_path):
    out = tmp_path / "check.qm"
    subprocess.run([tool("pyside6-lrelease"), str(TS), "-qm", str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == (TRANSLATIONS / "branchdesk_zh_CN.qm").read_bytes(), \
        "run pyside6-lrelease on the .ts and commit the .qm"


@pytest.fixture
def chinese(qapp):
    assert install_translators(qapp, "zh_CN")
    yield
    install_translators(qapp, "en")


def test_service_errors_show_in_chinese(qtbot, chinese, populated_store):
    dialog = EmployeeDialog(populated_store, _admin(),
                            branch.departments(populated_store))
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "新员工入职"
    dialog.id_number.setText("110105194912310021")  # checksum should be X
    assert not dialog.check_field("id_number")
    assert dialog.rows["id_number"].error.text() == "校验位为 1，应为 X"
    dialog.base_salary.setText("-5")
    dialog.check_field("base_salary")
    assert dialog.rows["base_salary"].error.text() == "应大于 0 且不超过 1,000,000"


def test_hq_rejection_reasons_show_in_chinese(chinese):
    from ui.sync_page import hq_reason as shown

    assert shown(reasons.HQ_ONLY_VALUE.format(field="status", value="transferred")) == \
        "只有总部可以把“状态”设为“调动”"
    assert shown(reasons.NEW_ROW_NEEDS.format(columns="name, employee_no")) == \
        "新记录缺少：姓名、工号"
    assert shown(reasons.NOT_YOUR_BRANCH.format(table="employee")) == \
        "这条员工不属于本分公司（属于其他分公司，或已调出）"
    assert shown(reasons.FIELD_TOO_LONG.format(field="position", length=64)) == \
        "“职位”超过 64 个字符"
    assert shown(reasons.NO_REASON) == "被总部拒绝"
    assert shown(reasons.DESK_VALUE_TAKEN.format(field="employee_no", table="employee")) == \
        "本机无法保存总部的版本：本机另一条员工已使用这个“工号”"
    assert shown("HQ is being upgraded") == "HQ is being upgraded"  # not HQ's template


def test_english_on_request(qtbot, qapp, populated_store):
    install_translators(qapp, "en")
    dialog = EmployeeDialog(populated_store, _admin(), branch.departments(populated_store))
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Hire employee"
    dialog.id_number.setText("110105194912310021")
    dialog.check_field("id_number")
    assert dialog.rows["id_number"].error.text() == "checksum digit is 1, expected X"


def _admin():
    return Actor("admin", "admin")

