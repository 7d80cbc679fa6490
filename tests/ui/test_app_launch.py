"""`branchdesk` as a clerk starts it: the sign-in dialog, then the main window on the store."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from ui import launcher
from ui.main_window import MainWindow
from ui.resources import install_translators
from ui.signin import SignInDialog


def drive(steps):
    """Run `steps` (callables returning True when done) one after another from the event
    loop, as a person would act on what is on screen."""
    pending = list(steps)

    def tick():
        if pending and pending[0]():
            pending.pop(0)
        if pending:
            QTimer.singleShot(20, tick)

    QTimer.singleShot(0, tick)


def top(kind):
    return next((w for w in QApplication.topLevelWidgets()
                 if isinstance(w, kind) and w.isVisible()), None)


def test_sign_in_then_the_main_window_shows_the_branch(qapp, populated_store):
    seen = {}

    def wrong_password():
        dialog = top(SignInDialog)
        if dialog is None:
            return False
        dialog.username.setText("clerk")
        dialog.password.setText("not-the-password")
        dialog.buttons.button(QDialogButtonBox.Ok).click()
        return True

    def right_password():
        dialog = top(SignInDialog)
        if dialog is None or not dialog.error.isVisible():
            return False  # still checking the wrong one
        seen["error"] = dialog.error.text()
        dialog.password.setText("clerk-password")
        dialog.buttons.button(QDialogButtonBox.Ok).click()
        return True

    def main_window_loaded():
        window = top(MainWindow)
        if window is None or window.employees.model.rowCount() == 0:
            return False
        seen["rows"] = window.employees.model.rowCount()
        seen["user"] = window.user_label.text()
        seen["title"] = window.windowTitle()
        window.close()
        return True

    drive([wrong_password, right_password, main_window_loaded])
    data_dir = populated_store.path.parent
    try:
        code = launcher.main(["--data-dir", str(data_dir)])
    finally:
        install_translators(qapp, "en")
    assert code == 0
    assert seen["error"] == "用户名或密码错误"  # Chinese by default
    assert seen["rows"] == 40
    assert seen["user"] == "clerk (人事专员)"
    assert "上海分公司" in seen["title"]


def test_english_on_request_and_quitting_at_sign_in(qapp, populated_store):
    seen = {}

    def quit_at_sign_in():
        dialog = top(SignInDialog)
        if dialog is None:
            return False
        seen["title"] = dialog.windowTitle()
        dialog.buttons.button(QDialogButtonBox.Cancel).click()
        return True

    drive([quit_at_sign_in])
    try:
        code = launcher.main(["--data-dir", str(populated_store.path.parent), "--lang", "en"])
    finally:
        install_translators(qapp, "en")
    assert code == 0
    assert seen["title"] == "Sign in to BranchDesk"
    assert top(MainWindow) is None


def test_a_subcommand_runs_the_cli_not_the_gui(populated_store, capsys):
    code = launcher.main(["--data-dir", str(populated_store.path.parent), "status"])
    assert code == 0
    assert "SH01" in capsys.readouterr().out




def test_first_run_sets_up_the_branch_then_signs_in(qapp, tmp_path):
    from desktop.services import branch as branch_service
    from desktop.store import open_store
    from ui.setup_dialog import SetupDialog

    seen = {}

    def mismatched_passwords():
        wizard = top(SetupDialog)
        if wizard is None:
            return False
        wizard.branch_code.setText("HZ05")
        wizard.branch_name.setText("杭州分公司")
        wizard.username.setText("zhao")
        wizard.password.setText("zhao-password")
        wizard.confirm.setText("zhao-passwort")
        wizard.buttons.button(QDialogButtonBox.Save).click()
        seen["mismatch"] = wizard.rows["confirm"].error.text()
        return True

    def set_up():
        wizard = top(SetupDialog)
        wizard.confirm.setText("zhao-password")
        wizard.buttons.button(QDialogButtonBox.Save).click()
        return True

    def sign_in():
        dialog = top(SignInDialog)
        if dialog is None:
            return False
        seen["username"] = dialog.username.text()
        dialog.password.setText("zhao-password")
        dialog.buttons.button(QDialogButtonBox.Ok).click()
        return True

    def main_window():
        window = top(MainWindow)
        if window is None:
            return False
        seen["nav"] = [window.nav.item(i).text() for i in range(window.nav.count())]
        window.close()
        return True

    drive([mismatched_passwords, set_up, sign_in, main_window])
    data_dir = tmp_path / "new-branch"
    try:
        code = launcher.main(["--data-dir", str(data_dir)])
    finally:
        install_translators(qapp, "en")
    assert code == 0
    assert seen["mismatch"] == "两次输入的密码不一致"
    assert seen["username"] == "zhao"
    assert seen["nav"] == ["员工", "用户", "审计日志", "同步"]  # the first user is an administrator
    store = open_store(data_dir)
    assert branch_service.current_branch(store).code == "HZ05"
    store.close()
