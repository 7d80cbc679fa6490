"""The cold-start child of bench/employees_view.py (one process per trial).

    python bench/cold_start.py app --store DIR --password PW [--user clerk1]
        what ui.app.run does after the sign-in dialog: QApplication (style, style sheet,
        translators), log file, open_store, current_branch, auth.sign_in (scrypt, timed on
        its own), MainWindow, show(), start(), until the employees table's first rows are
        painted;
    python bench/cold_start.py baseline
        import PySide6.QtWidgets, QApplication, an empty QMainWindow painted.

Prints one line, `painted {json}`: seconds since T0 for "painted", and the phases. The
parent times spawn → that line. The process then exits at once (os._exit) without tearing
anything down, so exit time is never part of a figure.
"""

import time

T0 = time.perf_counter()  # the script's first statement: everything after is "in process"

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402


def _done(phases: dict) -> None:
    phases["painted"] = time.perf_counter() - T0
    sys.stdout.write("painted " + json.dumps(phases) + "\n")
    sys.stdout.flush()
    os._exit(0)


def baseline() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow
    from qt_support import PaintWatch

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1200, 720)
    watch = PaintWatch(window)
    watch.arm()
    window.show()
    watch.wait()
    _done({})
    app.exec()  # not reached


def app(store_dir: str, user: str, password: str) -> None:
    from pathlib import Path

    from qt_support import PaintWatch, Probe, quiet_offscreen_warnings, table_rows_ready

    from desktop import logging_setup
    from desktop.services import auth, branch
    from desktop.store import open_store
    from ui.app import make_application
    from ui.main_window import MainWindow
    from ui.resources import install_translators
    from ui.settings import Settings

    phases = {}
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        phases[name] = now - mark
        mark = now

    lap("imported")  # measured from T0
    phases["imported"] = mark - T0
    quiet_offscreen_warnings()
    probe = Probe()
    probe.install()
    qapp = make_application()
    settings = Settings()  # the real per-user settings: HOME is under bench/out
    install_translators(qapp, settings.language)
    directory = Path(store_dir)
    logging_setup.configure(directory)
    lap("app")
    store = open_store(directory)
    info = branch.current_branch(store)
    lap("store")
    actor = auth.sign_in(store, user, password)
    lap("sign_in")
    window = MainWindow(store, actor, info, settings)
    page = window.employees
    watch = PaintWatch(page.table.viewport(), table_rows_ready(page.table))
    page.model.modelReset.connect(watch.arm)
    reset = []
    page.model.modelReset.connect(lambda: reset.append(time.perf_counter()))
    lap("window")
    started = time.perf_counter()
    window.show()
    window.start()
    lap("shown")
    watch.wait()
    phases["rows"] = time.perf_counter() - started
    phases["query"] = probe.queries[-1][1] - probe.queries[-1][0]
    phases["fetch"] = sum(b - a for a, b, _gui in probe.fetches)
    phases["to_first_paint"] = watch.first_paint - started  # the empty table, fonts loading
    phases["to_reset"] = reset[0] - started
    phases["paint"] = watch.painted_at - watch.paint_started
    _done(phases)
    qapp.exec()  # not reached


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="one cold start (see the module docstring)")
    parser.add_argument("kind", choices=("app", "baseline"))
    parser.add_argument("--store", help="app: the store's folder")
    parser.add_argument("--user", default="clerk1", help="app: a demo user to sign in as")
    parser.add_argument("--password", help="app: their password (the parent passes "
                                           "desktop.demo.DEMO_PASSWORD)")
    options = parser.parse_args()
    if options.kind == "baseline":
        baseline()
    else:
        app(options.store, options.user, options.password)
