"""First run: name the branch and create its first administrator, so a new desk is usable
without the command line."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from desktop.errors import BranchDeskError
from desktop.services import setup
from desktop.services.branch import BranchInfo
from desktop.store import Store
from ui.employee_dialog import FieldRow
from ui.messages import describe, error_text
from ui.ops import Op
from ui.resources import app_icon


class SetupDialog(QDialog):
    def __init__(self, store: Store, existing: BranchInfo | None = None, parent=None):
        super().__init__(parent)
        self.store = store
        self.info: BranchInfo | None = None
        self.setWindowTitle(self.tr("Set up BranchDesk"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(460)
        intro = QLabel(self.tr("Welcome. Name this branch and create its first administrator; "
                               "you can add clerks and managers after signing in."))
        intro.setWordWrap(True)
        self.branch_code = QLineEdit()
        self.branch_code.setPlaceholderText("SH01")
        self.branch_name = QLineEdit()
        self.branch_name.setPlaceholderText("上海分公司")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.Password)
        self.rows: dict[str, FieldRow] = {}
        form = QFormLayout()
        fields = [("branch_code", self.tr("Branch code"), self.branch_code),
                  ("branch_name", self.tr("Branch name"), self.branch_name),
                  ("username", self.tr("Administrator"), self.username),
                  ("password", self.tr("Password"), self.password),
                  ("confirm", self.tr("Password again"), self.confirm)]
        if existing is not None:  # the CLI made the branch; only the administrator is missing
            fields = fields[2:]
            intro.setText(self.tr("%1 has no users yet: create its first administrator.")
                          .replace("%1", f"{existing.name} · {existing.code}"))
        for field, label, editor in fields:
            self.rows[field] = FieldRow(editor)
            form.addRow(label, self.rows[field])
            editor.textEdited.connect(lambda _t, f=field: self.rows[f].show_error(None))
        self.general_error = QLabel()
        self.general_error.setObjectName("fieldError")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Set up"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Quit"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        for row in self.rows.values():
            row.show_error(None)
        self.general_error.hide()
        if self.password.text() != self.confirm.text():
            self.rows["confirm"].show_error(self.tr("Does not match the password"))
            return
        code, name = self.branch_code.text(), self.branch_name.text()
        username, password = self.username.text(), self.password.text()
        self.buttons.setEnabled(False)
        Op(self, lambda: setup.set_up(self.store, code, name, username, password)) \
            .success(self._done) \
            .failure(self._failed).run()

    def _done(self, info: BranchInfo) -> None:
        self.buttons.setEnabled(True)
        self.info = info
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        field = getattr(exc, "field", None)
        if field in self.rows:
            self.rows[field].show_error(error_text(exc.message))
            self.rows[field].editor.setFocus()
        else:
            self.general_error.setText(describe(exc) if isinstance(exc, BranchDeskError)
                                       else str(exc))
            self.general_error.show()
