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
from ui.setup_dialog import SetupDialog  # noqa: E402
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

    wizard = SetupDialog(open_store(work / "new-branch"))
    wizard.show()
    settle(app)
    wizard.grab().save(str(OUT / f"first-run{suffix}.png"))
    wizard.close()

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

    window.nav.setCurrentRow(1)  # users (admins only)
    settle(app)
    window.grab().save(str(OUT / f"users{suffix}.png"))
    window.nav.setCurrentRow(2)  # audit log
    settle(app)
    window.audit.verify()
    settle(app)
    window.grab().save(str(OUT / f"audit{suffix}.png"))
    window.nav.setCurrentRow(0)

    bad = work / "new-staff.csv"
    bad.write_text(
        "工号,姓名,身份证号,手机,部门,职位,入职日期,基本工资,银行账号\n"
        "E100001,周雨桐,110105199203150022,13912340001,催收,催收专员,2026-12-01,7800,6222020200112233\n"
        "E100002,吴浩然,11010519900101123,13912340002,销售,销售代表,2026-12-01,8200,6222020200112234\n"
        "E100003,郑佳怡,310104199511070047,1391234,财务,会计,2026-12-01,-1,6222020200112235\n",
        encoding="utf-8-sig")
    importer = page.import_file()
    importer.import_path(bad)
    settle(app)
    importer.grab().save(str(OUT / f"import-errors{suffix}.png"))
    importer.reject()

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
