"""Render the screens in docs/screenshots/ offscreen, on a fresh demo store.

    QT_QPA_PLATFORM=offscreen python docs/screenshots/render.py [--lang zh_CN|en]

Needs a CJK font for the Chinese screens (Debian: apt-get install fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings  # noqa: E402

from desktop.demo import DEMO_PASSWORD, DEMO_USER, create_demo  # noqa: E402
from desktop.services import auth, branch  # noqa: E402
from desktop.store import open_store  # noqa: E402
from ui.app import make_application  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.ops import wait_for_ops  # noqa: E402
from ui.resources import install_translators  # noqa: E402
from ui.settings import Settings  # noqa: E402
from ui.signin import SignInDialog  # noqa: E402

OUT = Path(__file__).parent


def settle(app, rounds: int = 20) -> None:
    for _ in range(rounds):
        wait_for_ops()
        app.processEvents()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", default="zh_CN", choices=("zh_CN", "en"))
    args = parser.parse_args()
    suffix = "" if args.lang == "zh_CN" else "-en"
    work = Path(tempfile.mkdtemp(prefix="branchdesk-shots-"))
    store = open_store(work / "data")
    create_demo(store, 500)
    app = make_application()
    install_translators(app, args.lang)
    info = branch.current_branch(store)
    settings = Settings(QSettings(str(work / "settings.ini"), QSettings.IniFormat))

    signin = SignInDialog(store, info, demo_credentials=(DEMO_USER, DEMO_PASSWORD))
    signin.show()
    settle(app)
    signin.grab().save(str(OUT / f"signin{suffix}.png"))

    window = MainWindow(store, auth.sign_in(store, DEMO_USER, DEMO_PASSWORD), info, settings)
    window.resize(1280, 760)
    window.show()
    window.start()
    settle(app)
    window.grab().save(str(OUT / f"employees{suffix}.png"))

    page = window.employees
    page.table.selectRow(2)
    dialog = page.edit_selected()
    settle(app)
    dialog.grab().save(str(OUT / f"employee-edit{suffix}.png"))
    dialog.reject()

    dialog = page.hire()
    dialog.employee_no.setText("E009999")
    dialog.name.setText("林晓")
    dialog.id_number.setText("110105199001011234")
    dialog.id_number.editingFinished.emit()
    dialog.phone.setText("1391234")
    dialog.phone.editingFinished.emit()
    settle(app)
    dialog.grab().save(str(OUT / f"employee-hire-errors{suffix}.png"))
    dialog.reject()

    clerk = auth.sign_in(store, "clerk1", DEMO_PASSWORD)
    clerk_window = MainWindow(store, clerk, info, settings)
    clerk_window.resize(1280, 760)
    clerk_window.show()
    clerk_window.start()
    clerk_window.employees.search.setText("张")
    clerk_window.employees.reload()  # what the typing debounce does 120 ms later
    settle(app, 40)
    clerk_window.grab().save(str(OUT / f"employees-clerk-search{suffix}.png"))
    print(f"screens written to {OUT}")


if __name__ == "__main__":
    main()
