"""User and department administration under pytest-qt, on a real SQLite store: what an
administrator or manager sees after each click."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from desktop.errors import AuthenticationFailed
from desktop.services import auth, branch, employees
from tests.ui.support import employee_row, settle
from ui.departments_dialog import DepartmentsDialog
from ui.password_dialog import ChangePasswordDialog
from ui.users_page import UsersPage

ADMIN = auth.Actor("admin", "admin")


@pytest.fixture
def page(qtbot, populated_store):
    p = UsersPage(populated_store, ADMIN)
    qtbot.addWidget(p)
    p.show()
    p.start()
    settle(qtbot, lambda: p.model.rowCount() == 2)
    return p


def rows(p: UsersPage) -> list[tuple[str, ...]]:
    """The table as the administrator reads it."""
    m = p.model
    return [tuple(m.data(m.index(r, c)) for c in range(3)) for r in range(m.rowCount())]


def click_save(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)


def signs_in(store, username, password) -> bool:
    try:
        auth.sign_in(store, username, password)
    except AuthenticationFailed:
        return False
    return True


def forbid(monkeypatch, module, name):
    """Fail the test if the UI calls this service."""
    def called(*_a, **_k):
        raise AssertionError(f"{name} should not have been called")
    monkeypatch.setattr(module, name, called)


# ---- users ---------------------------------------------------------------------------------

def test_the_table_lists_users_with_role_and_state(page):
    assert rows(page) == [("admin", "Administrator", "Enabled"), ("clerk", "Clerk", "Enabled")]
    assert page.count_label.text().startswith("2")


def test_adding_a_user_through_the_dialog_shows_it_in_the_table(qtbot, page, populated_store):
    changed = []
    page.changed.connect(changed.append)
    dialog = page.add_user()
    qtbot.keyClicks(dialog.username, "zhou")
    dialog.role.setCurrentIndex(dialog.role.findData("manager"))
    qtbot.keyClicks(dialog.password, "zhou-password")
    qtbot.keyClicks(dialog.confirm, "zhou-password")
    click_save(qtbot, dialog)
    settle(qtbot, lambda: not dialog.isVisible() and page.model.rowCount() == 3)
    assert ("zhou", "Manager", "Enabled") in rows(page)
    assert page.selected().username == "zhou"  # the new user is selected
    assert changed and changed[0].touches("app_user")
    assert auth.sign_in(populated_store, "zhou", "zhou-password") == auth.Actor("zhou", "manager")


def test_a_mismatched_confirmation_shows_the_error_and_creates_nothing(qtbot, page,
                                                                    populated_store,
                                                                    monkeypatch):
    forbid(monkeypatch, auth, "add_user")
    dialog = page.add_user()
    qtbot.keyClicks(dialog.username, "zhou")
    qtbot.keyClicks(dialog.password, "zhou-password")
    qtbot.keyClicks(dialog.confirm, "zhou-passwrod")
    click_save(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.rows["confirm"].error.isVisible()
    assert dialog.rows["confirm"].error.text() == "Does not match the password"
    assert not dialog.rows["password"].error.isVisible()
    monkeypatch.undo()
    assert [u.username for u in auth.user_accounts(populated_store)] == ["admin", "clerk"]
    qtbot.keyClick(dialog.confirm, Qt.Key_Backspace)  # typing again clears the error
    assert not dialog.rows["confirm"].error.isVisible()


def test_service_errors_land_under_their_field(qtbot, page, populated_store):
    dialog = page.add_user()
    qtbot.keyClicks(dialog.username, "clerk")  # taken
    qtbot.keyClicks(dialog.password, "long-enough")
    qtbot.keyClicks(dialog.confirm, "long-enough")
    click_save(qtbot, dialog)
    settle(qtbot, lambda: dialog.rows["username"].error.isVisible())
    assert dialog.rows["username"].error.text() == "clerk already exists"
    dialog.username.setText("qian")
    dialog.password.setText("short")
    dialog.confirm.setText("short")
    click_save(qtbot, dialog)
    settle(qtbot, lambda: dialog.rows["password"].error.isVisible())
    assert dialog.rows["password"].error.text() == "must be at least 8 characters"
    assert not dialog.rows["username"].error.isVisible()
    assert dialog.isVisible() and page.model.rowCount() == 2


def test_disabling_a_user_shows_them_disabled_and_they_cannot_sign_in(qtbot, page,
                                                                    populated_store):
    assert page.select("clerk")
    assert page.active_action.text() == "Disable"
    box = page.toggle_active_selected()
    assert "clerk" in box.text()
    box.button(QMessageBox.Yes).click()
    settle(qtbot, lambda: ("clerk", "Clerk", "Disabled") in rows(page))
    with pytest.raises(AuthenticationFailed):
        auth.sign_in(populated_store, "clerk", "clerk-password")
    assert page.selected().username == "clerk"
    assert page.active_action.text() == "Enable"
    page.toggle_active_selected()  # enabling needs no confirmation
    settle(qtbot, lambda: ("clerk", "Clerk", "Enabled") in rows(page))
    assert signs_in(populated_store, "clerk", "clerk-password")


def test_answering_no_keeps_the_user_enabled(qtbot, page, populated_store):
    page.select("clerk")
    box = page.toggle_active_selected()
    box.button(QMessageBox.No).click()
    page.refresh()
    settle(qtbot, lambda: rows(page)[1] == ("clerk", "Clerk", "Enabled"))
    assert signs_in(populated_store, "clerk", "clerk-password")


def test_an_admin_cannot_disable_their_own_account_from_the_page(page):
    page.select("admin")
    assert not page.active_action.isEnabled()
    page.select("clerk")
    assert page.active_action.isEnabled()


def test_changing_a_role(qtbot, page, populated_store):
    page.select("clerk")
    dialog = page.change_role_selected()
    dialog.role.setCurrentIndex(dialog.role.findData("manager"))
    click_save(qtbot, dialog)
    settle(qtbot, lambda: ("clerk", "Manager", "Enabled") in rows(page))
    assert auth.sign_in(populated_store, "clerk", "clerk-password").role == "manager"


def test_demoting_the_last_admin_shows_why_and_changes_nothing(qtbot, page, populated_store):
    page.select("admin")
    dialog = page.change_role_selected()
    dialog.role.setCurrentIndex(dialog.role.findData("clerk"))
    click_save(qtbot, dialog)
    settle(qtbot, lambda: dialog.row.error.isVisible())
    assert "last active administrator" in dialog.row.error.text()
    assert dialog.isVisible()
    assert {u.username: u.role for u in auth.user_accounts(populated_store)}["admin"] == "admin"


def test_refusals_from_the_store_show_in_a_message_box(qtbot, page, populated_store):
    """The page may be out of date: another admin disabled everyone else meanwhile."""
    page.set_active("admin", False)  # as if bypassing the disabled action
    settle(qtbot, lambda: page.last_message is not None and page.last_message.isVisible())
    assert page.last_message.text() == "you cannot disable your own account"
    assert signs_in(populated_store, "admin", "admin-password")


def test_resetting_a_password(qtbot, page, populated_store, monkeypatch):
    page.select("clerk")
    dialog = page.reset_selected()
    qtbot.keyClicks(dialog.new_password, "fresh-start-1")
    qtbot.keyClicks(dialog.confirm, "fresh-start-2")
    forbid(monkeypatch, auth, "reset_password")
    click_save(qtbot, dialog)
    assert dialog.rows["confirm"].error.text() == "Does not match the new password"
    monkeypatch.undo()
    dialog.confirm.setText("fresh-start-1")
    click_save(qtbot, dialog)
    settle(qtbot, lambda: not dialog.isVisible())
    assert signs_in(populated_store, "clerk", "fresh-start-1")
    assert not signs_in(populated_store, "clerk", "clerk-password")


def test_a_page_for_someone_who_is_not_an_admin_offers_no_actions(qtbot, populated_store):
    p = UsersPage(populated_store, auth.Actor("clerk", "clerk"))
    qtbot.addWidget(p)
    p.start()
    settle(qtbot, lambda: p.model.rowCount() == 2)
    p.select("admin")
    for action in (p.add_action, p.reset_action, p.role_action, p.active_action):
        assert not action.isEnabled()


# ---- own password --------------------------------------------------------------------------

@pytest.fixture
def password_dialog(qtbot, populated_store):
    clerk = auth.sign_in(populated_store, "clerk", "clerk-password")
    d = ChangePasswordDialog(populated_store, clerk)
    qtbot.addWidget(d)
    d.show()
    return d


def test_a_mismatched_new_password_shows_under_confirm_without_calling_the_service(
        qtbot, password_dialog, populated_store, monkeypatch):
    forbid(monkeypatch, auth, "change_own_password")
    qtbot.keyClicks(password_dialog.old_password, "clerk-password")
    qtbot.keyClicks(password_dialog.new_password, "clerk-new-pw")
    qtbot.keyClicks(password_dialog.confirm, "clerk-new-pq")
    click_save(qtbot, password_dialog)
    assert password_dialog.rows["confirm"].error.isVisible()
    assert password_dialog.rows["confirm"].error.text() == "Does not match the new password"
    assert password_dialog.isVisible()
    monkeypatch.undo()
    assert signs_in(populated_store, "clerk", "clerk-password")


def test_a_wrong_current_password_shows_under_it(qtbot, password_dialog, populated_store):
    qtbot.keyClicks(password_dialog.old_password, "not-it-at-all")
    qtbot.keyClicks(password_dialog.new_password, "clerk-new-pw")
    qtbot.keyClicks(password_dialog.confirm, "clerk-new-pw")
    click_save(qtbot, password_dialog)
    settle(qtbot, lambda: password_dialog.rows["old_password"].error.isVisible())
    assert password_dialog.rows["old_password"].error.text() == "is not your current password"
    assert password_dialog.isVisible()
    assert signs_in(populated_store, "clerk", "clerk-password")


def test_changing_your_own_password(qtbot, password_dialog, populated_store):
    changed = []
    password_dialog.saved.connect(changed.append)
    qtbot.keyClicks(password_dialog.old_password, "clerk-password")
    qtbot.keyClicks(password_dialog.new_password, "clerk-new-pw")
    qtbot.keyClicks(password_dialog.confirm, "clerk-new-pw")
    click_save(qtbot, password_dialog)
    settle(qtbot, lambda: not password_dialog.isVisible())
    assert changed
    assert signs_in(populated_store, "clerk", "clerk-new-pw")
    assert not signs_in(populated_store, "clerk", "clerk-password")


# ---- departments ---------------------------------------------------------------------------

@pytest.fixture
def departments(qtbot, populated_store):
    def make(actor=ADMIN):
        d = DepartmentsDialog(populated_store, actor)
        qtbot.addWidget(d)
        d.show()
        settle(qtbot, lambda: d.table.rowCount() >= 3)
        return d
    return make


def table(d: DepartmentsDialog) -> list[tuple[str, ...]]:
    return [tuple(d.table.item(r, c).text() for c in range(4)) for r in range(d.table.rowCount())]


def test_the_dialog_lists_the_standard_departments_as_group_standard(departments):
    d = departments()
    assert [(code, scope) for code, _n, scope, _s in table(d)] == [
        ("collection", "Group standard"), ("finance", "Group standard"),
        ("sales", "Group standard")]
    assert sum(int(staff) for *_x, staff in table(d)) == 40  # every employee is counted


def test_adding_a_branch_department(qtbot, departments, populated_store):
    d = departments()
    changed = []
    d.changed.connect(changed.append)
    edit = d.add()
    qtbot.keyClicks(edit.code, "legal")
    edit.name.setText("法务部")  # keyClicks types ASCII only
    click_save(qtbot, edit)
    settle(qtbot, lambda: not edit.isVisible() and d.table.rowCount() == 4)
    assert ("legal", "法务部", "This branch", "0") in table(d)
    assert d.selected().code == "legal"
    assert d.rename_button.isEnabled() and d.delete_button.isEnabled()
    assert changed and changed[0].touches("department")
    assert "legal" in [x.code for x in branch.departments(populated_store)]


def test_a_bad_code_shows_under_the_code_field(qtbot, departments):
    d = departments()
    edit = d.add()
    qtbot.keyClicks(edit.code, "finance")
    edit.name.setText("另一个财务")
    click_save(qtbot, edit)
    settle(qtbot, lambda: edit.rows["code"].error.isVisible())
    assert edit.rows["code"].error.text() == "department finance already exists"
    assert edit.isVisible() and d.table.rowCount() == 3


def test_the_standard_departments_cannot_be_renamed_or_deleted(qtbot, departments,
                                                               populated_store):
    d = departments()
    for code in ("finance", "sales", "collection"):
        assert d.select(code)
        assert not d.rename_button.isEnabled() and not d.delete_button.isEnabled()
        assert "group standard" in d.note.text()
        assert d.delete_selected() is None and d.rename_selected() is None
    d.delete(d.selected().id)  # even if asked directly, the service says no
    settle(qtbot, lambda: d.last_message is not None and d.last_message.isVisible())
    assert "cannot be deleted" in d.last_message.text()
    assert len(branch.departments(populated_store)) == 3


def test_renaming_and_deleting_a_branch_department(qtbot, departments, populated_store):
    branch.add_department(populated_store, ADMIN, "legal", "法务")
    d = departments()
    settle(qtbot, lambda: d.table.rowCount() == 4)
    d.select("legal")
    edit = d.rename_selected()
    assert edit.code.isReadOnly() and edit.name.text() == "法务"
    edit.name.setText("法务合规部")
    click_save(qtbot, edit)
    settle(qtbot, lambda: ("legal", "法务合规部", "This branch", "0") in table(d))
    d.select("legal")
    box = d.delete_selected()
    assert "法务合规部" in box.text()
    box.button(QMessageBox.Yes).click()
    settle(qtbot, lambda: d.table.rowCount() == 3)
    assert "legal" not in [x.code for x in branch.departments(populated_store)]


def test_a_department_with_people_says_how_many_and_stays(qtbot, departments,
                                                          populated_store):
    branch.add_department(populated_store, ADMIN, "legal", "法务")
    employees.hire(populated_store, ADMIN, employee_row(77, department="legal"))
    d = departments()
    settle(qtbot, lambda: ("legal", "法务", "This branch", "1") in table(d))
    d.select("legal")
    d.delete_selected().button(QMessageBox.Yes).click()
    settle(qtbot, lambda: d.last_message is not None and d.last_message.isVisible())
    assert "1 employee(s)" in d.last_message.text()
    assert "legal" in [x.code for x in branch.departments(populated_store)]


def test_a_clerk_sees_departments_but_cannot_change_them(qtbot, departments, populated_store):
    branch.add_department(populated_store, ADMIN, "legal", "法务")
    d = departments(auth.Actor("clerk", "clerk"))
    settle(qtbot, lambda: d.table.rowCount() == 4)
    d.select("legal")
    assert not d.add_button.isEnabled()
    assert not d.rename_button.isEnabled() and not d.delete_button.isEnabled()
    assert d.add() is None and d.delete_selected() is None
    assert "Only a manager" in d.note.text()


def test_a_new_department_appears_in_the_employees_filter(qtbot, populated_store, settings):
    from desktop.services import auth as auth_service
    from desktop.services import branch as branch_service
    from tests.ui.support import settle
    from ui.main_window import MainWindow

    manager = auth_service.Actor("boss", "manager")
    w = MainWindow(populated_store, manager, branch_service.current_branch(populated_store),
                   settings)
    qtbot.addWidget(w)
    w.start()
    settle(qtbot, lambda: w.employees.department_filter.count() == 4)
    dialog = w.manage_departments()
    settle(qtbot, lambda: dialog.table.rowCount() == 3)
    edit = dialog.add()
    edit.code.setText("legal")
    edit.name.setText("法务")
    edit.save()
    settle(qtbot, lambda: w.employees.department_filter.findText("法务") > 0)
