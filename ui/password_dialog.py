"""Passwords: a signed-in user changes their own (the current one, the new one twice), and an
administrator sets a new one for someone who forgot theirs. A new password typed differently
the second time is caught here, under the confirmation, before anything reaches the store;
the service's answers (wrong current password, too short) land under their own field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLineEdit

from desktop.services import auth
from desktop.services.auth import Actor
from desktop.store import Store
from ui.forms import FormDialog


def password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.Password)
    edit.setMaxLength(256)
    return edit


class _PasswordForm(FormDialog):
    """A new password typed twice; the subclass says what the service is asked to do."""

    def __init__(self, store: Store, actor: Actor, parent=None):
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.setMinimumWidth(380)

    def _add(self, field: str, label: str) -> QLineEdit:
        return self.add_field(field, label, password_edit())

    def _add_new_password(self, label: str, again_label: str) -> None:
        self.new_password = self._add("new_password", label)
        self.confirm = self._add("confirm", again_label)

    def job(self, new: str) -> Callable[[], Any]:  # pragma: no cover - every form has its own
        raise NotImplementedError

    def save(self) -> None:
        self.clear_errors()
        if self.same_twice(self.new_password, self.confirm, "confirm",
                           self.tr("Does not match the new password")):
            self.run(self.job(self.new_password.text()))


class ChangePasswordDialog(_PasswordForm):
    """The signed-in user's own password."""

    def __init__(self, store: Store, actor: Actor, parent=None):
        super().__init__(store, actor, parent)
        self.setWindowTitle(self.tr("Change password"))
        self.set_intro(self.tr("Signed in as %1. A password has at least %2 characters.")
                           .replace("%1", actor.username)
                           .replace("%2", str(auth.MIN_PASSWORD)))
        self.old_password = self._add("old_password", self.tr("Current password"))
        self._add_new_password(self.tr("New password"), self.tr("New password again"))

    def job(self, new: str) -> Callable[[], Any]:
        old = self.old_password.text()
        return lambda: auth.change_own_password(self.store, self.actor, old, new)


class ResetPasswordDialog(_PasswordForm):
    """An administrator gives someone a new password."""

    def __init__(self, store: Store, actor: Actor, username: str, parent=None):
        super().__init__(store, actor, parent)
        self.username = username
        self.setWindowTitle(self.tr("Reset password: %1").replace("%1", username))
        self.set_intro(self.tr("%1 signs in with the new password from now on; the old "
                                   "one stops working. A password has at least %2 "
                                   "characters.")
                           .replace("%1", username).replace("%2", str(auth.MIN_PASSWORD)))
        self._add_new_password(self.tr("New password"), self.tr("New password again"))

    def job(self, new: str) -> Callable[[], Any]:
        username = self.username
        return lambda: auth.reset_password(self.store, self.actor, username, new)
