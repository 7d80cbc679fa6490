"""The main window: navigation on the left, the current page, and a status bar with who is
signed in, the branch, the sync state (online or offline, last sync, a progress bar during a
long sync) and the count of changes waiting to sync."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import __version__, sync_engine
from desktop.services import outbox
from desktop.services.auth import Actor
from desktop.services.branch import BranchInfo
from desktop.store import Store
from ui.audit_page import AuditPage
from ui.departments_dialog import DepartmentsDialog
from ui.employees_page import EmployeesPage
from ui.enroll_dialog import EnrollDialog
from ui.ops import Op
from ui.password_dialog import ChangePasswordDialog
from ui.resources import app_icon
from ui.settings import Settings
from ui.sync_controller import (
    CONNECTING,
    OFFLINE,
    ONLINE,
    REFUSED,
    STANDALONE,
    SYNCING,
    TOO_OLD,
    SyncController,
)
from ui.sync_page import SyncPage, local_time
from ui.users_page import UsersPage

PROGRESS_AFTER_MS = 800  # a quick cycle does not flash a progress bar


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
        self.sync = SyncController(store, self)
        self.sync_page = None
        if actor.at_least("manager"):
            self.sync_page = SyncPage(store, actor, self)
            self.sync_page.sync_requested.connect(self.sync_now)
            self.sync_page.enroll_requested.connect(self.enroll)
            self.sync_page.reviewed.connect(lambda _n: self._refresh_sync_status())
            self._add_page(self.tr("Sync"), self.sync_page)
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
        self.sync_label = QLabel()
        self.sync_label.setObjectName("syncState")
        self.sync_progress = QProgressBar()
        self.sync_progress.setMaximumWidth(160)
        self.sync_progress.setMaximumHeight(14)
        self.sync_progress.setTextVisible(False)
        self.sync_progress.hide()
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.timeout.connect(self.sync_progress.show)
        self.sync_button = QToolButton()
        self.sync_button.setAutoRaise(True)
        self.pending_label = QLabel()
        status = self.statusBar()
        for widget in (self.user_label, self.branch_label, self.sync_label,
                       self.sync_progress, self.sync_button, self.pending_label):
            status.addPermanentWidget(widget)
        self._build_menus()
        self.sync_button.setDefaultAction(self.sync_action)

        self.sync.state_changed.connect(self._sync_state_changed)
        self.sync.progress.connect(self._sync_progress)
        self.sync.finished.connect(self._sync_finished)
        self._sync_state_changed(STANDALONE)
        self.employees.changed.connect(lambda _c: self.refresh_pending())
        self.employees.changed.connect(lambda _c: self.sync.local_change())
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
        self.sync_action = QAction(self.tr("Sync now"), self)
        self.sync_action.setShortcut(QKeySequence(Qt.Key_F9))  # as mail clients send/receive
        self.sync_action.setToolTip(self.tr("Send this desk's changes to HQ and fetch HQ's "
                                            "(F9)"))
        self.sync_action.triggered.connect(self.sync_now)
        file_menu.addAction(self.sync_action)
        self.enroll_action = QAction(self.tr("Connect to HQ…"), self)
        self.enroll_action.triggered.connect(self.enroll)
        self.enroll_action.setVisible(self.actor.at_least("admin"))
        file_menu.addAction(self.enroll_action)
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
        self.employees.loaded.connect(self._refresh_sync_status, Qt.SingleShotConnection)
        self.sync.start(self.branch.enrolled)

    # ---- sync -----------------------------------------------------------------------------

    def sync_now(self) -> None:
        if self.sync.state == STANDALONE:
            if self.actor.at_least("admin"):
                self.enroll()
            else:
                self.statusBar().showMessage(self.tr("This desk is not enrolled with HQ; "
                                                     "an administrator can connect it."), 8000)
            return
        self.sync.sync_now()

    def enroll(self) -> EnrollDialog | None:
        if not self.actor.at_least("admin"):
            return None
        dialog = EnrollDialog(self.store, self.branch, self.sync.status.get("hq_url"), self)
        dialog.saved.connect(self._enrolled)
        dialog.open()
        return dialog

    def _enrolled(self, info: BranchInfo) -> None:
        self.branch = info
        self.setWindowTitle(self.tr("BranchDesk — %1").replace("%1", info.name))
        self.branch_label.setText(f"{info.name} · {info.code}")
        self.statusBar().showMessage(self.tr("Enrolled with HQ as branch %1; syncing now.")
                                     .replace("%1", info.code), 8000)
        self.sync.start(True, delay_ms=0)  # a fresh start, even after a refused token

    def _refresh_sync_status(self) -> None:
        Op(self, lambda: sync_engine.sync_status(self.store)) \
            .success(self._show_sync_status).run()

    def _show_sync_status(self, status: dict) -> None:
        self.sync.status = status
        self._sync_state_changed(self.sync.state)
        self._show_pending(status.get("pending", 0))

    def _sync_state_changed(self, state: str) -> None:
        status = self.sync.status
        last = status.get("last_sync_at")
        when = self._short_time(last) if last else self.tr("never")
        texts = {
            STANDALONE: self.tr("Standalone"),
            CONNECTING: self.tr("Connecting to HQ…"),
            SYNCING: self.tr("Syncing…"),
            ONLINE: self.tr("Online · synced %1").replace("%1", when),
            OFFLINE: self.tr("Offline · last sync %1").replace("%1", when),
            REFUSED: self.tr("HQ refused this desk: enroll again"),
            TOO_OLD: self.tr("Update BranchDesk to sync"),
        }
        tips = {
            STANDALONE: self.tr("Not enrolled with group HQ: changes are kept locally and "
                                "will sync once enrolled"),
            OFFLINE: self.tr("HQ cannot be reached; BranchDesk keeps working and retries by "
                             "itself. %1"),
            REFUSED: self.tr("HQ no longer accepts this desk's token (revoked or unknown). "
                             "An administrator can enroll it again with a new code. %1"),
            TOO_OLD: self.tr("HQ needs a newer BranchDesk. %1"),
        }
        self.sync_label.setText(texts.get(state, state))
        error = str(self.sync.last_error) if self.sync.last_error else ""
        tip = tips.get(state, self.tr("HQ: %1").replace("%1", status.get("hq_url") or ""))
        self.sync_label.setToolTip(tip.replace("%1", error).strip())
        self.sync_label.setProperty("state", state)
        self.sync_label.style().unpolish(self.sync_label)
        self.sync_label.style().polish(self.sync_label)
        self.sync_action.setEnabled(state != SYNCING and
                                    (state != STANDALONE or self.actor.at_least("admin")))
        self.sync_button.setVisible(state != STANDALONE)
        self.enroll_action.setText(self.tr("Connect to HQ…") if state == STANDALONE
                                   else self.tr("Enroll again…"))
        if state == SYNCING:
            self.sync_progress.setRange(0, 0)
            self._progress_timer.start(PROGRESS_AFTER_MS)
        else:
            self._progress_timer.stop()
            self.sync_progress.hide()
        if self.sync_page is not None:
            self.sync_page.show_status(status | {"enrolled": state != STANDALONE},
                                       state, texts.get(state, state))

    def _short_time(self, value: str) -> str:
        text = local_time(value, seconds=False)
        today = dt.datetime.now().astimezone().strftime("%Y-%m-%d")
        return text[11:] if text.startswith(today) else text

    def _sync_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.sync_progress.setRange(0, total)
            self.sync_progress.setValue(min(done, total))
        self.sync_progress.setToolTip(self.tr("%1 of %2 changes").replace("%1", str(done))
                                      .replace("%2", str(total) if total else "?"))

    def _sync_finished(self, outcome) -> None:
        self._sync_state_changed(self.sync.state)
        self._show_pending(outcome.status.get("pending", 0))
        report = outcome.report
        if report is not None and (report.pulled or report.pushed):
            current = self.employees.selected()
            if report.pulled:  # rows changed under the table: show HQ's versions
                self.employees.reload(select_id=current.id if current else None)
            if report.rejected or report.conflicts:
                self.statusBar().showMessage(
                    self.tr("Sync: %1 conflict(s), %2 rejected change(s); see the Sync page")
                    .replace("%1", str(report.conflicts)).replace("%2", str(report.rejected)),
                    10000)
        if self.sync_page is not None and self.pages.currentWidget() is self.sync_page:
            self.sync_page.refresh()

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
        self.sync.stop()  # a running cycle stops after its batch; what it did is kept
        self.settings.window_geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        super().closeEvent(event)

