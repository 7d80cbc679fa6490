"""Passwords: a signed-in user changes their own (the current one, the new one twice), and an
administrator sets a new one for someone who forgot theirs. A new password typed differently
the second time is caught here, under the confirmation, before anything reaches the store;
the service's answers (wrong current password, too short) land under their own field."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from desktop.errors import BranchDeskError
from desktop.services import auth
from desktop.services.auth import Actor
from desktop.store import Store
from ui.employee_dialog import FieldRow
from ui.messages import describe, error_text
from ui.ops import Op


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.Password)
    edit.setMaxLength(256)
    return edit


def failure_text(exc: BaseException) -> str:
    """A service error for a message box or a dialog's general error line."""
    message = getattr(exc, "message", None)
    if message is not None:  # ValidationError: the message names what is wrong
        return error_text(message)
    return describe(exc)


class _PasswordForm(QDialog):
    """The common shape: rows of password fields with their errors, Save / Cancel."""

    changed = Signal(object)  # the ChangeSet, once saved

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumWidth(380)
        self.rows: dict[str, FieldRow] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.ExpandingFieldsGrow)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.hide()
        self.general_error = QLabel()
        self.general_error.setObjectName("fieldError")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Save).setText(self.tr("Save"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Cancel"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def _add(self, field: str, label: str) -> QLineEdit:
        edit = password_edit()
        row = FieldRow(edit)
        self.rows[field] = row
        self.form.addRow(label, row)
        edit.textEdited.connect(lambda _t, f=field: self.rows[f].show_error(None))
        return edit

    def clear_errors(self) -> None:
        for row in self.rows.values():
            row.show_error(None)
        self.general_error.hide()

    def show_error(self, field: str, text: str) -> None:
        self.rows[field].show_error(text)
        self.rows[field].editor.setFocus()

    def confirmation_matches(self, new: QLineEdit, confirm: QLineEdit) -> bool:
        if new.text() != confirm.text():
            self.show_error("confirm", self.tr("Does not match the new password"))
            return False
        return True

    def run(self, job) -> None:
        self.buttons.setEnabled(False)
        Op(self, job).success(self._saved).failure(self._failed).run()

    def _saved(self, changes) -> None:
        self.buttons.setEnabled(True)
        self.changed.emit(changes)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        field = getattr(exc, "field", None)
        if field in self.rows:
            self.show_error(field, failure_text(exc))
        elif isinstance(exc, BranchDeskError):
            self.general_error.setText(failure_text(exc))
            self.general_error.show()
        else:
            self.general_error.setText(self.tr("Could not save: %1").replace("%1", str(exc)))
            self.general_error.show()

    def save(self) -> None:  # pragma: no cover - each form has its own
        raise NotImplementedError


class ChangePasswordDialog(_PasswordForm):
    """The signed-in user's own password."""

    def __init__(self, store: Store, actor: Actor, parent=None):
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.setWindowTitle(self.tr("Change password"))
        self.intro.setText(self.tr("Signed in as %1. A password has at least %2 characters.")
                           .replace("%1", actor.username)
                           .replace("%2", str(auth.MIN_PASSWORD)))
        self.intro.show()
        self.old_password = self._add("old_password", self.tr("Current password"))
        self.new_password = self._add("new_password", self.tr("New password"))
        self.confirm = self._add("confirm", self.tr("New password again"))

    def save(self) -> None:
        self.clear_errors()
        if not self.confirmation_matches(self.new_password, self.confirm):
            return
        old, new = self.old_password.text(), self.new_password.text()
        self.run(lambda: auth.change_own_password(self.store, self.actor, old, new))


class ResetPasswordDialog(_PasswordForm):
    """An administrator gives someone a new password."""

    def __init__(self, store: Store, actor: Actor, username: str, parent=None):
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.username = username
        self.setWindowTitle(self.tr("Reset password: %1").replace("%1", username))
        self.intro.setText(self.tr("%1 signs in with the new password from now on; the old "
                                   "one stops working. A password has at least %2 "
                                   "characters.")
                           .replace("%1", username).replace("%2", str(auth.MIN_PASSWORD)))
        self.intro.show()
        self.new_password = self._add("new_password", self.tr("New password"))
        self.confirm = self._add("confirm", self.tr("New password again"))

    def save(self) -> None:
        self.clear_errors()
        if not self.confirmation_matches(self.new_password, self.confirm):
            return
        username, new = self.username, self.new_password.text()
        self.run(lambda: auth.reset_password(self.store, self.actor, username, new))
