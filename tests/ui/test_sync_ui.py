"""Sync in the window, against a real HQ (uvicorn on loopback, HQ on SQLite; the sync
semantics on PostgreSQL are in tests/sync): an administrator enrolls a standalone desk from
the File menu, the status bar follows the background cycles (online, offline, last sync,
changes waiting), and the Sync page shows history, conflicts and rejections."""

from __future__ import annotations

import json
import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from desktop import sync_engine
from desktop.services import auth, branch, employees
from desktop.services.branch import HQ_URL_KEY
from desktop.store.models import Employee, OutboxEntry, Setting
from sync.server import admin
from tests.sync.hq_support import Hq
from tests.ui.support import settle
from ui.main_window import MainWindow
from ui.sync_controller import OFFLINE, ONLINE, STANDALONE

ADMIN = auth.Actor("admin", "admin")
MANAGER = auth.Actor("manager", "manager")


@pytest.fixture(scope="module")
def hq(tmp_path_factory):
    server = Hq(f"sqlite:///{tmp_path_factory.mktemp('hq') / 'hq.sqlite3'}")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _token_in_a_file(monkeypatch):
    monkeypatch.setenv("BRANCHDESK_TOKEN_BACKEND", "file")


@pytest.fixture
def desk(populated_store, hq):
    """The populated store (branch SH01, 40 employees) under a branch code HQ has not seen."""
    code = f"S{uuid.uuid4().hex[:6].upper()}"
    with populated_store.session_for_write() as s:
        me = s.get(Setting, branch.BRANCH_ID_KEY).value
        from desktop.store.models import Branch
        s.get(Branch, me).code = code
    return populated_store, code


def open_window(qtbot, store, settings, actor=ADMIN, **sync_timing) -> MainWindow:
    window = MainWindow(store, actor, branch.current_branch(store), settings)
    for key, value in sync_timing.items():
        setattr(window.sync, key, value)
    qtbot.addWidget(window)
    window.show()
    window.start()
    return window


def enroll_through_dialog(qtbot, window, hq, code) -> None:
    dialog = window.enroll()
    dialog.hq_url.setText(hq.base)
    dialog.code.setText(code)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    return dialog


def hq_employee_numbers(hq, branch_code: str) -> set[str]:
    return {e["employee_no"] for e in admin.list_employees(hq.db, branch_code)}


def test_an_admin_enrolls_a_standalone_desk_and_it_syncs_in_the_background(
        qtbot, desk, hq, settings):
    store, code = desk
    _branch, enrollment_code = admin.add_branch(hq.db, code, "上海分公司")
    window = open_window(qtbot, store, settings)
    settle(qtbot, lambda: window.pending_label.text() != "")
    assert window.sync.state == STANDALONE
    assert window.sync_label.text() == "Standalone"
    assert window.pending_label.text().startswith("80 ")  # 40 employees + 40 hire events

    dialog = enroll_through_dialog(qtbot, window, hq, "WRONG-CODE")
    settle(qtbot, lambda: dialog.rows["code"].error.isVisible())
    assert "did not accept this code" in dialog.rows["code"].error.text()
    assert store.setting(HQ_URL_KEY) is None  # nothing changed on a refused code

    dialog.code.setText(enrollment_code)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    settle(qtbot, lambda: window.sync.state == ONLINE, timeout=15000)
    assert window.sync_label.text().startswith("Online · synced ")
    assert window.pending_label.text().startswith("0 ")
    assert len(hq_employee_numbers(hq, code)) == 40
    assert window.sync_button.isVisible()

    # A clerk's edit is pushed by the next cycle: "Sync now" (F9) runs one at once.
    target = employees.search_ids(store, employees.EmployeeQuery(search="E00007"))[0]
    employees.edit(store, ADMIN, target, {"phone": "13700000007"})
    window.refresh_pending()
    settle(qtbot, lambda: window.pending_label.text().startswith("1 "))
    window.sync_action.trigger()
    settle(qtbot, lambda: window.sync.state == ONLINE and
           window.pending_label.text().startswith("0 "), timeout=15000)
    at_hq = {e["employee_no"]: e for e in admin.list_employees(hq.db, code)}
    assert at_hq["E00007"]["phone"] == "13700000007"


def test_the_status_bar_says_offline_while_hq_is_unreachable_and_recovers(
        qtbot, desk, hq, settings):
    store, code = desk
    _branch, enrollment_code = admin.add_branch(hq.db, code, "上海分公司")
    sync_engine.enroll(store, hq.base, enrollment_code)
    sync_engine.sync(store)
    with store.session_for_write() as s:  # HQ moves away: nothing listens on port 9
        s.get(Setting, HQ_URL_KEY).value = "http://127.0.0.1:9"
    window = open_window(qtbot, store, settings)
    window.sync.timer.stop()
    window.sync.start(True, delay_ms=0)
    settle(qtbot, lambda: window.sync.state == OFFLINE, timeout=30000)
    assert window.sync_label.text().startswith("Offline · last sync ")
    assert "cannot reach HQ" in window.sync_label.toolTip()
    assert window.sync.timer.isActive()  # it retries by itself

    target = employees.search_ids(store, employees.EmployeeQuery(search="E00003"))[0]
    employees.edit(store, ADMIN, target, {"position": "组长"})
    with store.session_for_write() as s:  # HQ is back
        s.get(Setting, HQ_URL_KEY).value = hq.base
    window.sync_now()
    settle(qtbot, lambda: window.sync.state == ONLINE, timeout=15000)
    assert window.pending_label.text().startswith("0 ")
    at_hq = {e["employee_no"]: e for e in admin.list_employees(hq.db, code)}
    assert at_hq["E00003"]["position"] == "组长"


def test_the_sync_page_shows_history_conflicts_and_rejections(qtbot, desk, hq, settings):
    store, code = desk
    _branch, enrollment_code = admin.add_branch(hq.db, code, "上海分公司")
    sync_engine.enroll(store, hq.base, enrollment_code)
    sync_engine.sync(store)
    target = employees.search_ids(store, employees.EmployeeQuery(search="E00005"))[0]

    # HQ raises the salary; meanwhile the branch manager changes it too: HQ owns salary.
    hq_user = hq.admin_client()
    with store.read() as s:
        rev = s.get(Employee, target).rev
    answer = hq_user.push({"change_id": str(uuid.uuid4()), "table": "employee",
                           "op": "upsert", "row_id": target, "base_rev": rev,
                           "fields": {"base_salary": "9100.00"}})
    assert answer[0]["status"] == "applied", answer
    employees.edit(store, MANAGER, target, {"base_salary": "8800.00"})
    # And a change HQ must refuse: a branch may not mark someone transferred.
    with store.session_for_write() as s:
        s.add(OutboxEntry(change_id=str(uuid.uuid4()), table_name="employee", op="upsert",
                          row_id=target, base_rev=rev,
                          fields=json.dumps({"status": "transferred"})))

    window = open_window(qtbot, store, settings, actor=MANAGER)
    window.nav.setCurrentRow(window.pages.indexOf(window.sync_page))
    page = window.sync_page
    settle(qtbot, lambda: window.sync.state == ONLINE and page.history.rowCount() >= 2,
           timeout=20000)

    assert page.history.item(0, 1).text() == "Done"
    conflicts = [[page.conflicts.item(0, c).text() for c in range(8)]]
    record, field, hq_value, branch_value, kept, by = conflicts[0][1:7]
    assert record.startswith("E00005 ")
    assert field == "Base salary"
    assert (hq_value, branch_value) == ("9100.00", "8800.00")
    assert kept == "HQ's value (HQ owns this field)"
    assert by.startswith("manager at ")
    assert page.tabs.tabText(1) == "Conflicts (1)"
    assert page.rejections.rowCount() == 1
    assert page.rejections.item(0, 1).text().startswith("E00005 ")
    reason = page.rejections.item(0, 3)  # in the UI's words; HQ's own in the tooltip
    assert reason.text() == "only HQ sets Status 'Transferred'"
    assert reason.toolTip() == "only HQ sets status 'transferred'"
    assert "Status: Transferred" in page.rejections.item(0, 4).text()
    assert "1 open conflict" in page.summary.text()
    with store.read() as s:  # HQ's value is what the desk now has
        assert str(s.get(Employee, target).base_salary) == "9100.00"

    page.conflicts.selectRow(0)
    assert page.review_button.isEnabled()
    qtbot.mouseClick(page.review_button, Qt.LeftButton)
    settle(qtbot, lambda: page.conflicts.rowCount() == 0)
    assert page.tabs.tabText(1) == "Conflicts"
    page.show_reviewed.setChecked(True)
    settle(qtbot, lambda: page.conflicts.rowCount() == 1)
    assert page.conflicts.item(0, 7).text() != ""  # when it was reviewed
    settle(qtbot, lambda: "0 open conflict" in page.summary.text())


def test_clerks_have_no_sync_page_and_cannot_enroll(qtbot, desk, settings):
    store, _code = desk
    window = open_window(qtbot, store, settings, actor=auth.Actor("clerk", "clerk"))
    assert window.sync_page is None
    assert window.enroll() is None
    assert not window.enroll_action.isVisible()
    window.sync_now()
    assert "administrator can connect it" in window.statusBar().currentMessage()


def test_a_refused_token_asks_for_enrollment_instead_of_retrying(qtbot, desk, hq, settings):
    from desktop import token_store
    from ui.sync_controller import REFUSED

    store, code = desk
    _branch, enrollment_code = admin.add_branch(hq.db, code, "上海分公司")
    sync_engine.enroll(store, hq.base, enrollment_code)
    token_store.save(store.path.parent, "revoked-or-unknown")  # as after `token revoke`
    window = open_window(qtbot, store, settings)
    window.sync.timer.stop()
    window.sync.start(True, delay_ms=0)
    settle(qtbot, lambda: window.sync.state == REFUSED, timeout=15000)
    assert window.sync_label.text() == "HQ refused this desk: enroll again"
    assert not window.sync.timer.isActive()  # no point retrying with a refused token
    assert window.enroll_action.text() == "Enroll again…"


def test_the_history_names_a_table_the_end_of_cycle_check_downloaded_again(
        qtbot, desk, settings):
    from desktop.store.models import SyncLog
    from desktop.store.types import utcnow

    store, _code = desk
    with store.session_for_write() as s:  # what sync_engine logs for such a cycle
        s.add(SyncLog(at=utcnow(), kind="pull", status="done", detail=json.dumps(
            {"pushed": 3, "received": 5, "pulled": 2, "redownloaded": ["employee"],
             "differing": ["employee_event"]})))
    window = open_window(qtbot, store, settings, actor=MANAGER)
    window.nav.setCurrentRow(window.pages.indexOf(window.sync_page))
    page = window.sync_page
    settle(qtbot, lambda: page.history.rowCount() == 1)

    details = page.history.item(0, 6).text()
    assert "differed from HQ, downloaded again: Employee" in details
    assert "still differs from HQ: Employment history" in details
    assert page.history.item(0, 2).text() == "3"  # sent
