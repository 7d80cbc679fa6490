"""First run: name the branch and create its first administrator, so a new desk is usable
without the command line."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from desktop.services import setup
from desktop.services.branch import BranchInfo
from desktop.store import Store
from ui.forms import FormDialog
from ui.password_dialog import password_edit
from ui.resources import app_icon


class SetupDialog(FormDialog):
    def __init__(self, store: Store, existing: BranchInfo | None = None, parent=None):
        super().__init__(parent)
        self.store = store
        self.info: BranchInfo | None = None
        self.setWindowTitle(self.tr("Set up BranchDesk"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(460)
        self.branch_code = QLineEdit()
        self.branch_code.setPlaceholderText("SH01")
        self.branch_name = QLineEdit()
        self.branch_name.setPlaceholderText("上海分公司")
        if existing is None:
            self.set_intro(self.tr("Welcome. Name this branch and create its first "
                                   "administrator; you can add clerks and managers after "
                                   "signing in."))
            self.add_field("branch_code", self.tr("Branch code"), self.branch_code)
            self.add_field("branch_name", self.tr("Branch name"), self.branch_name)
        else:  # the CLI made the branch; only the administrator is missing
            self.set_intro(self.tr("%1 has no users yet: create its first administrator.")
                           .replace("%1", f"{existing.name} · {existing.code}"))
        self.username = self.add_field("username", self.tr("Administrator"), QLineEdit())
        self.password = self.add_field("password", self.tr("Password"), password_edit())
        self.confirm = self.add_field("confirm", self.tr("Password again"), password_edit())
        self.set_button_texts(self.tr("Set up"), self.tr("Quit"))

    def save(self) -> None:
        self.clear_errors()
        if not self.same_twice(self.password, self.confirm, "confirm",
                               self.tr("Does not match the password")):
            return
        code, name = self.branch_code.text(), self.branch_name.text()
        username, password = self.username.text(), self.password.text()
        self.run(lambda: setup.set_up(self.store, code, name, username, password))

    def done_saving(self, info: BranchInfo) -> None:
        self.info = info
        super().done_saving(info)
