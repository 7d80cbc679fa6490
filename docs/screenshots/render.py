"""Render the screens in docs/screenshots/ offscreen, on a fresh demo store.

    QT_QPA_PLATFORM=offscreen python docs/screenshots/render.py [--lang zh_CN|en]

Needs a CJK font for the Chinese screens (Debian: apt-get install fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # tests.sync.hq_support

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
    render_sync(app, store, info, settings, work, suffix)
    print(f"screens written to {OUT}")


def render_sync(app, store, info, settings, work: Path, suffix: str) -> None:
    """Enroll the demo desk with a real HQ on loopback, make one conflict and one rejection,
    and show the Sync page as a manager sees it."""
    import json
    import uuid

    from desktop import sync_engine
    from desktop.services import employees, setup
    from desktop.store.models import Employee, OutboxEntry
    from sync.server import admin
    from tests.sync.hq_support import Hq

    os.environ["BRANCHDESK_TOKEN_BACKEND"] = "file"
    hq = Hq(f"sqlite:///{work / 'hq.sqlite3'}")
    try:
        _branch, code = admin.add_branch(hq.db, info.code, info.name)
        manager = auth.sign_in(store, "manager1", DEMO_PASSWORD)
        window = MainWindow(store, auth.sign_in(store, DEMO_USER, DEMO_PASSWORD), info,
                            settings)
        dialog = window.enroll()
        dialog.hq_url.setText("https://hq.example.com")
        dialog.code.setText(code)
        settle(app)
        dialog.grab().save(str(OUT / f"enroll{suffix}.png"))
        dialog.reject()
        window.close()

        sync_engine.enroll(store, hq.base, code)
        sync_engine.sync(store)
        target = employees.search_ids(store, employees.EmployeeQuery(search="E000012"))[0]
        with store.read() as s:
            rev = s.get(Employee, target).rev
        hq.admin_client().push({"change_id": str(uuid.uuid4()), "table": "employee",
                                "op": "upsert", "row_id": target, "base_rev": rev,
                                "fields": {"base_salary": "9100.00"}})
        employees.edit(store, manager, target, {"base_salary": "8800.00"})
        with store.session_for_write() as s:  # a branch cannot mark someone transferred
            s.add(OutboxEntry(change_id=str(uuid.uuid4()), table_name="employee",
                              op="upsert", row_id=target, base_rev=rev,
                              fields=json.dumps({"status": "transferred"})))
        window = MainWindow(store, manager, branch.current_branch(store), settings)
        window.resize(1280, 760)
        window.show()
        window.start()
        window.nav.setCurrentRow(window.pages.indexOf(window.sync_page))
        window.sync.sync_now()
        while window.sync.running or window.sync.state != "online":
            settle(app, 1)
        window.sync.timer.stop()
        window.sync_page.tabs.setCurrentIndex(1)
        settle(app)
        window.grab().save(str(OUT / f"sync{suffix}.png"))
        window.sync_page.tabs.setCurrentIndex(0)
        settle(app)
        window.sync_page.grab().save(str(OUT / f"sync-history{suffix}.png"))
        window.sync_page.tabs.setCurrentIndex(2)
        settle(app)
        window.sync_page.grab().save(str(OUT / f"sync-rejected{suffix}.png"))
        window.close()

        # A second desk of the branch: its first pull, as its audit log shows it.
        fresh = open_store(work / "second-desk")
        sync_engine.enroll(fresh, hq.base, admin.new_code(hq.db, info.code))
        sync_engine.sync(fresh)
        setup.set_up(fresh, info.code, info.name, DEMO_USER, DEMO_PASSWORD)  # its admin
        window = MainWindow(fresh, auth.sign_in(fresh, DEMO_USER, DEMO_PASSWORD),
                            branch.current_branch(fresh), settings)
        window.resize(1280, 760)
        window.show()
        window.nav.setCurrentRow(window.pages.indexOf(window.audit))
        settle(app)
        window.grab().save(str(OUT / f"audit-pulled{suffix}.png"))
        window.close()
        fresh.close()
    finally:
        hq.stop()


if __name__ == "__main__":
    main()
