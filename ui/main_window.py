"""The main window: navigation on the left, the current page, and a status bar with who is
signed in, the branch, the sync state and the count of changes waiting to sync."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__
from desktop.services import outbox
from desktop.services.auth import Actor
from desktop.services.branch import BranchInfo
from desktop.store import Store
from ui.audit_page import AuditPage
from ui.departments_dialog import DepartmentsDialog
from ui.employees_page import EmployeesPage
from ui.ops import Op
from ui.password_dialog import ChangePasswordDialog
from ui.resources import app_icon
from ui.settings import Settings
from ui.users_page import UsersPage


def role_label(role: str) -> str:
    labels = {"clerk": QT_TRANSLATE_NOOP("Roles", "Clerk"),
              "manager": QT_TRANSLATE_NOOP("Roles", "Manager"),
              "admin": QT_TRANSLATE_NOOP("Roles", "Administrator")}
    return QCoreApplication.translate("Roles", labels[role]) if role in labels else role


class MainWindow(QMainWindow):
    def __init__(self, store: Store, actor: Actor, branch: BranchInfo, settings: Settings):
        super().__init__()
        self.store = store
        self.actor = actor
        self.branch = branch
        self.settings = settings
        self.setWindowTitle(self.tr("BranchDesk — %1").replace("%1", branch.name))
        self.setWindowIcon(app_icon())
        self.resize(1200, 720)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(150)
        self.nav.setFrameShape(QListWidget.NoFrame)
        self.nav.setIconSize(QSize(20, 20))
        self.pages = QStackedWidget()
        self.employees = EmployeesPage(store, actor, self)
        self._add_page(self.tr("Employees"), self.employees)
        self.users = None
        if actor.at_least("admin"):
            self.users = UsersPage(store, actor, self)
            self._add_page(self.tr("Users"), self.users)
        self.audit = None
        if actor.at_least("manager"):
            self.audit = AuditPage(store, self)
            self._add_page(self.tr("Audit log"), self.audit)
        self.nav.currentRowChanged.connect(self._show_page)
        self.nav.setCurrentRow(0)

        title = QLabel("BranchDesk")
        title.setObjectName("navTitle")
        side = QVBoxLayout()
        side.setSpacing(0)
        side.addWidget(title)
        side.addWidget(self.nav, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(side)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)

        self.user_label = QLabel(f"{actor.username} ({role_label(actor.role)})")
        self.branch_label = QLabel(f"{branch.name} · {branch.code}")
        self.sync_label = QLabel(self.tr("Online") if branch.enrolled else self.tr("Standalone"))
        self.sync_label.setToolTip(self.tr("Not enrolled with group HQ: changes are kept "
                                           "locally and will sync once enrolled"))
        self.pending_label = QLabel()
        status = self.statusBar()
        for label in (self.user_label, self.branch_label, self.sync_label,
                      self.pending_label):
            status.addPermanentWidget(label)
        self._build_menus()

        self.employees.changed.connect(lambda _c: self.refresh_pending())
        if settings.window_geometry is not None:
            self.restoreGeometry(settings.window_geometry)
        if settings.window_state is not None:
            self.restoreState(settings.window_state)

    def _add_page(self, title: str, page: QWidget) -> None:
        self.pages.addWidget(page)
        QListWidgetItem(title, self.nav)

    def _show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        page = self.pages.currentWidget()
        if hasattr(page, "refresh"):
            page.refresh()  # pages that mirror the store re-read it when shown

    def _build_menus(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu(self.tr("&File"))
        password_action = QAction(self.tr("Change my password…"), self)
        password_action.triggered.connect(self.change_password)
        file_menu.addAction(password_action)
        file_menu.addSeparator()
        quit_action = QAction(self.tr("Quit"), self)
        quit_action.setShortcut(QKeySequence.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        emp_menu = menu.addMenu(self.tr("&Employees"))
        for action in (self.employees.hire_action, self.employees.edit_action,
                       self.employees.leave_action, self.employees.rehire_action):
            emp_menu.addAction(action)
        emp_menu.addSeparator()
        emp_menu.addAction(self.employees.import_action)
        emp_menu.addAction(self.employees.export_action)
        emp_menu.addSeparator()
        departments_action = QAction(self.tr("Departments…"), self)
        departments_action.triggered.connect(self.manage_departments)
        emp_menu.addAction(departments_action)

        view_menu = menu.addMenu(self.tr("&View"))
        lang_menu = view_menu.addMenu(self.tr("Language"))
        group = QActionGroup(self)
        for code, label in (("zh_CN", "简体中文"), ("en", "English")):
            action = QAction(label, self, checkable=True)
            action.setChecked(self.settings.language == code)
            action.triggered.connect(lambda _c=False, code=code: self._set_language(code))
            group.addAction(action)
            lang_menu.addAction(action)

        help_menu = menu.addMenu(self.tr("&Help"))
        about = QAction(self.tr("About BranchDesk"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def change_password(self) -> ChangePasswordDialog:
        dialog = ChangePasswordDialog(self.store, self.actor, self)
        dialog.saved.connect(
            lambda _c: self.statusBar().showMessage(self.tr("Password changed"), 5000))
        dialog.open()
        return dialog

    def manage_departments(self) -> DepartmentsDialog:
        dialog = DepartmentsDialog(self.store, self.actor, self)
        dialog.changed.connect(lambda _c: self.employees.reload_departments())
        dialog.open()
        return dialog

    def start(self) -> None:
        """Everything that reads the store runs after the window is up, on workers."""
        self.employees.start()
        # The outbox count scans every unsynced change: let the first rows win the race.
        self.employees.loaded.connect(self.refresh_pending, Qt.SingleShotConnection)

    def refresh_pending(self) -> None:
        Op(self, lambda: outbox.pending_count(self.store)).success(self._show_pending).run()

    def _show_pending(self, count: int) -> None:
        self.pending_label.setText(self.tr("%n change(s) waiting to sync", "", count))

    def _set_language(self, code: str) -> None:
        if code == self.settings.language:
            return
        self.settings.language = code
        QMessageBox.information(self, self.tr("Language"),
                                self.tr("The new language applies the next time BranchDesk "
                                        "starts."))

    def _about(self) -> None:
        text = self.tr("BranchDesk %1, the branch HR desk. Data folder: %2")
        text = text.replace("%1", __version__).replace("%2", str(self.store.path.parent))
        QMessageBox.about(self, self.tr("About BranchDesk"), text)

    def closeEvent(self, event) -> None:
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        super().closeEvent(event)

