"""Starting the desktop app: open the store, sign in, show the main window."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop import logging_setup, paths
from desktop.errors import StoreNotInitialised
from desktop.services import branch, setup
from desktop.store import Store, open_store
from ui.main_window import MainWindow
from ui.resources import app_icon, install_translators, style_sheet
from ui.settings import Settings
from ui.setup_dialog import SetupDialog
from ui.signin import SignInDialog

log = logging.getLogger(__name__)
DEMO_EMPLOYEES = 500


@dataclass
class LaunchOptions:
    data_dir: Path | None = None
    demo: bool = False
    language: str | None = None


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("BranchDesk")
    app.setOrganizationName("BranchDesk")
    app.setWindowIcon(app_icon())
    app.setStyle("Fusion")
    app.setStyleSheet(style_sheet())
    return app


def open_demo_store(directory: Path) -> Store:
    """The demo store, populated once (the first run takes a moment)."""
    from desktop.demo import create_demo

    store = open_store(directory)
    try:
        branch.current_branch(store)
    except StoreNotInitialised:
        create_demo(store, DEMO_EMPLOYEES)
    return store


def run(options: LaunchOptions) -> int:
    app = make_application()
    settings = Settings()
    install_translators(app, options.language or settings.language)
    directory = paths.demo_dir() if options.demo else paths.data_dir(options.data_dir)
    logging_setup.configure(directory)
    log.info("starting BranchDesk on %s", directory)

    app.setOverrideCursor(Qt.WaitCursor)
    try:
        store = open_demo_store(directory) if options.demo else open_store(directory)
        first_run = setup.needs_setup(store)
    finally:
        app.restoreOverrideCursor()
    username = settings.last_username
    if first_run:
        try:
            existing = branch.current_branch(store)
        except StoreNotInitialised:
            existing = None
        wizard = SetupDialog(store, existing)
        if not wizard.exec():
            return 0
        username = wizard.username.text().strip()
    info = branch.current_branch(store)

    demo_credentials = None
    if options.demo:
        from desktop.demo import DEMO_PASSWORD, DEMO_USER
        demo_credentials = (DEMO_USER, DEMO_PASSWORD)
    dialog = SignInDialog(store, info, demo_credentials=demo_credentials, username=username)
    if not dialog.exec():
        return 0
    settings.last_username = dialog.actor.username
    window = MainWindow(store, dialog.actor, info, settings)
    window.show()
    window.start()
    code = app.exec()
    store.close()
    return code
