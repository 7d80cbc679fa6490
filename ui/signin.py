"""Sign-in: nobody reaches the main window without a user name and password. The password
check (a deliberately slow scrypt) runs on a worker."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from desktop.errors import AuthenticationFailed
from desktop.services import auth
from desktop.services.branch import BranchInfo
from desktop.store import Store
from ui.ops import Op
from ui.resources import app_icon


class SignInDialog(QDialog):
    signed_in = Signal(object)  # the Actor

    def __init__(self, store: Store, branch: BranchInfo, parent=None, *,
                 demo_credentials: tuple[str, str] | None = None, username: str = ""):
        super().__init__(parent)
        self.store = store
        self.actor = None
        self.setWindowTitle(self.tr("Sign in to BranchDesk"))
        self.setMinimumWidth(440)
        self.setWindowIcon(app_icon())
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(40, 40))
        title = QLabel(f"{branch.name}  ·  {branch.code}")
        title.setObjectName("signinTitle")
        header = QHBoxLayout()
        header.addWidget(logo)
        header.addWidget(title, 1)
        self.username = QLineEdit(username)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Sign in"))
        self.buttons.button(QDialogButtonBox.Cancel).setText(self.tr("Quit"))
        self.buttons.accepted.connect(self.try_sign_in)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        if demo_credentials:
            hint = QLabel(self.tr("Demo store. Sign in as <b>%1</b> with password <b>%2</b>")
                          .replace("%1", demo_credentials[0]).replace("%2", demo_credentials[1]))
            hint.setObjectName("demoHint")
            hint.setTextInteractionFlags(Qt.TextSelectableByMouse)
            hint.setWordWrap(True)
            layout.addWidget(hint)
            if not username:
                self.username.setText(demo_credentials[0])
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        (self.password if self.username.text() else self.username).setFocus()

    def try_sign_in(self) -> None:
        username, password = self.username.text(), self.password.text()
        self.buttons.setEnabled(False)
        self.error.hide()
        Op(self, lambda: auth.sign_in(self.store, username, password)) \
            .success(self._ok).failure(self._failed).run()

    def _ok(self, actor) -> None:
        self.actor = actor
        self.buttons.setEnabled(True)
        self.signed_in.emit(actor)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if isinstance(exc, AuthenticationFailed):
            self.error.setText(self.tr("Wrong user name or password"))
        else:
            self.error.setText(str(exc))
        self.error.show()
        self.password.selectAll()
        self.password.setFocus()
