"""The Users page, for administrators: who may sign in to this desk, with which role, and
whether the account is enabled; add a user, reset a forgotten password, change a role,
disable someone who left (their history in the audit log stays). Every read and write runs
on a worker; the table re-reads the store after each change."""

from __future__ import annotations

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.errors import BranchDeskError
from desktop.services import auth
from desktop.services.auth import Actor, UserAccount
from desktop.store import Store
from desktop.store.unit_of_work import ChangeSet
from ui.forms import FieldRow, FormDialog, failure_text
from ui.ops import Op
from ui.password_dialog import ResetPasswordDialog, password_edit

ROLE_LABELS = {"clerk": QT_TRANSLATE_NOOP("Roles", "Clerk"),
               "manager": QT_TRANSLATE_NOOP("Roles", "Manager"),
               "admin": QT_TRANSLATE_NOOP("Roles", "Administrator")}


def role_label(role: str) -> str:
    return QCoreApplication.translate("Roles", ROLE_LABELS[role]) if role in ROLE_LABELS else role


def role_combo(current: str = "clerk") -> QComboBox:
    combo = QComboBox()
    for role in auth.ROLES:
        combo.addItem(role_label(role), role)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class UserTableModel(QAbstractTableModel):
    COLUMNS = ("username", "role", "active", "created_at")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.users: list[UserAccount] = []

    def set_users(self, users: list[UserAccount]) -> None:
        self.beginResetModel()
        self.users = list(users)
        self.endResetModel()

    def user(self, row: int) -> UserAccount | None:
        return self.users[row] if 0 <= row < len(self.users) else None

    def row_of(self, username: str) -> int:
        return next((i for i, u in enumerate(self.users) if u.username == username), -1)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.users)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return (self.tr("User name"), self.tr("Role"), self.tr("Account"),
                    self.tr("Created on"))[section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        u = self.users[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.DisplayRole:
            if column == "username":
                return u.username
            if column == "role":
                return role_label(u.role)
            if column == "active":
                return self.tr("Enabled") if u.active else self.tr("Disabled")
            return u.created_at.astimezone().strftime("%Y-%m-%d %H:%M") if u.created_at else ""
        if role == Qt.ForegroundRole and not u.active:
            return QBrush(QColor("#888888"))
        if role == Qt.ToolTipRole and not u.active:
            return self.tr("Disabled: %1 cannot sign in").replace("%1", u.username)
        return None


class UsersPage(QWidget):
    changed = Signal(object)  # a ChangeSet after each change
    loaded = Signal(int)  # users shown after a refresh

    def __init__(self, store: Store, actor: Actor, parent=None):
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.last_message: QMessageBox | None = None

        self.add_action = QAction(self.tr("Add user"), self)
        self.reset_action = QAction(self.tr("Reset password"), self)
        self.role_action = QAction(self.tr("Change role"), self)
        self.active_action = QAction(self.tr("Disable"), self)
        self.add_action.triggered.connect(self.add_user)
        self.reset_action.triggered.connect(self.reset_selected)
        self.role_action.triggered.connect(self.change_role_selected)
        self.active_action.triggered.connect(self.toggle_active_selected)

        bar = QHBoxLayout()
        for action in (self.add_action, self.reset_action, self.role_action,
                       self.active_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonTextOnly)
            bar.addWidget(button)
        bar.addStretch(1)

        self.model = UserTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((160, 110, 90)):
            header.resizeSection(column, width)
        self.table.doubleClicked.connect(lambda _i: self.change_role_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_actions())
        self.count_label = QLabel()

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        layout.addWidget(self.count_label)
        self._update_actions()

    # ---- loading ----
    def start(self) -> None:
        self.refresh()

    def refresh(self, select: str | None = None) -> None:
        """Re-read the users (the main window calls this when the page is shown)."""
        if select is None and (current := self.selected()) is not None:
            select = current.username
        Op(self, lambda: auth.user_accounts(self.store)).success(
            lambda users: self._show(users, select)).failure(self._error).run()

    def _show(self, users: list[UserAccount], select: str | None) -> None:
        self.model.set_users(users)
        self.count_label.setText(self.tr("%n user(s)", "", len(users)))
        if select and (row := self.model.row_of(select)) >= 0:
            self.table.selectRow(row)
        self._update_actions()
        self.loaded.emit(len(users))

    # ---- actions ----
    def selected(self) -> UserAccount | None:
        index = self.table.currentIndex()
        return self.model.user(index.row()) if index.isValid() else None

    def select(self, username: str) -> bool:
        row = self.model.row_of(username)
        if row >= 0:
            self.table.selectRow(row)
        return row >= 0

    def _update_actions(self) -> None:
        user = self.selected()
        is_admin = self.actor.at_least("admin")
        self.add_action.setEnabled(is_admin)
        for action in (self.reset_action, self.role_action, self.active_action):
            action.setEnabled(is_admin and user is not None)
        if user is not None and not user.active:
            self.active_action.setText(self.tr("Enable"))
        else:
            self.active_action.setText(self.tr("Disable"))
        if user is not None and user.username == self.actor.username and user.active:
            self.active_action.setEnabled(False)
            self.active_action.setToolTip(self.tr("You cannot disable your own account"))
        else:
            self.active_action.setToolTip("")

    def add_user(self) -> AddUserDialog:
        dialog = AddUserDialog(self.store, self.actor, self)
        dialog.added.connect(lambda username, changes: self._after_change(changes, username))
        dialog.open()
        return dialog

    def reset_selected(self) -> ResetPasswordDialog | None:
        user = self.selected()
        if user is None:
            return None
        dialog = ResetPasswordDialog(self.store, self.actor, user.username, self)
        dialog.saved.connect(lambda changes: self._after_change(changes, user.username))
        dialog.open()
        return dialog

    def change_role_selected(self) -> RoleDialog | None:
        user = self.selected()
        if user is None or not self.actor.at_least("admin"):
            return None
        dialog = RoleDialog(self.store, self.actor, user, self)
        dialog.saved.connect(lambda changes: self._after_change(changes, user.username))
        dialog.open()
        return dialog

    def toggle_active_selected(self) -> QMessageBox | None:
        """Enable at once; disabling asks first (the person can no longer sign in)."""
        user = self.selected()
        if user is None:
            return None
        if not user.active:
            self.set_active(user.username, True)
            return None
        box = QMessageBox(QMessageBox.Question, self.tr("Disable user"),
                          self.tr("Disable %1? They can no longer sign in; their records "
                                  "and audit history stay.").replace("%1", user.username),
                          QMessageBox.Yes | QMessageBox.No, self)
        box.button(QMessageBox.Yes).setText(self.tr("Disable"))
        box.button(QMessageBox.No).setText(self.tr("Cancel"))
        box.setDefaultButton(QMessageBox.No)
        box.buttonClicked.connect(
            lambda b: self.set_active(user.username, False) if box.standardButton(b) == QMessageBox.Yes else None)
        box.open()
        return box

    def set_active(self, username: str, active: bool) -> None:
        Op(self, lambda: auth.set_active(self.store, self.actor, username, active)).success(
            lambda changes: self._after_change(changes, username)).failure(self._error).run()

    def _after_change(self, changes, username: str | None = None) -> None:
        self.refresh(select=username)
        self.changed.emit(changes)

    def _error(self, exc: BaseException) -> None:
        text = failure_text(exc) if isinstance(exc, BranchDeskError) else str(exc)
        box = QMessageBox(QMessageBox.Warning, self.tr("Users"), text, QMessageBox.Ok, self)
        box.open()  # not exec(): the page keeps refreshing behind it
        self.last_message = box


class AddUserDialog(FormDialog):
    added = Signal(str, object)  # user name, ChangeSet

    def __init__(self, store: Store, actor: Actor, parent=None):
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.setWindowTitle(self.tr("Add user"))
        self.setMinimumWidth(400)
        self.username = QLineEdit()
        self.username.setMaxLength(64)
        self.add_field("username", self.tr("User name"), self.username)
        self.role = self.add_field("role", self.tr("Role"), role_combo("clerk"))
        self.password = self.add_field("password", self.tr("Password"), password_edit())
        self.confirm = self.add_field("confirm", self.tr("Password again"), password_edit())
        self.set_hint(self.tr("A password has at least %1 characters.")
                      .replace("%1", str(auth.MIN_PASSWORD)))
        self.set_button_texts(self.tr("Add"), self.tr("Cancel"))

    def save(self) -> None:
        self.clear_errors()
        if not self.same_twice(self.password, self.confirm, "confirm",
                               self.tr("Does not match the password")):
            return
        username = self.username.text().strip()
        role, password = self.role.currentData(), self.password.text()
        self.run(lambda: (username, auth.add_user(self.store, self.actor, username, role,
                                                  password)))

    def done_saving(self, result) -> None:
        username, user_id = result
        changes = ChangeSet()
        changes.note("created", "app_user", user_id)
        self.added.emit(username, changes)
        self.accept()


class RoleDialog(FormDialog):
    def __init__(self, store: Store, actor: Actor, user: UserAccount, parent=None):
        super().__init__(parent)
        self.store = store
        self.actor = actor
        self.user = user
        self.setWindowTitle(self.tr("Change role: %1").replace("%1", user.username))
        self.setMinimumWidth(340)
        self.role = self.add_field("role", self.tr("Role"), role_combo(user.role))
        self.set_hint(self.tr("Clerks see ID and bank numbers masked; managers also manage "
                              "departments and read the audit log; administrators also "
                              "manage users."))
        self.role.currentIndexChanged.connect(lambda _i: self.rows["role"].show_error(None))

    @property
    def row(self) -> FieldRow:
        return self.rows["role"]

    def save(self) -> None:
        role = self.role.currentData()
        if role == self.user.role:
            self.accept()
            return
        username = self.user.username
        self.run(lambda: auth.set_role(self.store, self.actor, username, role))

    def save_failed(self, exc: BaseException) -> None:
        self.show_error("role", failure_text(exc) if isinstance(exc, BranchDeskError)
                        else str(exc))
