"""Background sync for the window: one cycle at a time in a process of its own (`branchdesk
sync --json --progress`, with its own connection to the store), every few minutes while HQ
answers, sooner after a local change, backing off while HQ is unreachable, and on demand.

Why a process rather than a thread: a cycle is Python work from end to end (JSON, pydantic,
SQLAlchemy), and on a worker thread it holds the GIL for long enough to freeze the window
(bench/sync_gui_stall.py measured 620 ms while pushing 100,000 employees). A cycle is safe
to kill at any point (desktop.sync_engine; the kill -9 trials), so closing the window simply
stops it.

The window learns everything through signals: `state_changed` (standalone, connecting,
syncing, online, offline, token refused, too old), `progress` during a cycle, `finished`
with the outcome (the SyncReport or the error, and the status after it)."""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass, fields
from typing import Any

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

from desktop import sync_engine
from desktop.store import Store
from sync.client import ClientTooOld, HQRejected, HQUnreachable
from ui.ops import Op

log = logging.getLogger(__name__)

STANDALONE = "standalone"
CONNECTING = "connecting"  # enrolled, first cycle not finished yet
SYNCING = "syncing"
ONLINE = "online"
OFFLINE = "offline"  # HQ or the network did not answer; retried with backoff
REFUSED = "refused"  # HQ refused the token (revoked): an administrator must enroll again
TOO_OLD = "too_old"  # HQ no longer supports this version: install the update

INTERVAL_MS = 3 * 60_000  # while HQ answers
AFTER_CHANGE_MS = 15_000  # a local change is pushed soon, but typing bursts share a cycle
RETRY_MS = (30_000, 60_000, 120_000, 300_000)  # while HQ does not answer


class SyncFailed(Exception):
    """The sync process ended without an answer (it crashed or could not start)."""


@dataclass
class Outcome:
    report: sync_engine.SyncReport | None
    error: BaseException | None
    status: dict[str, Any]


def sync_command(data_dir: str) -> tuple[str, list[str]]:
    """The program and arguments that run one cycle: the frozen app is its own CLI."""
    cli = ["--data-dir", data_dir, "sync", "--json", "--progress"]
    if getattr(sys, "frozen", False):
        return sys.executable, cli
    return sys.executable, ["-m", "desktop", *cli]


def error_from(answer: dict) -> BaseException:
    """The CLI's JSON error back into the exception the sync engine raised."""
    kind, message = answer.get("error_kind"), answer.get("error") or ""
    if kind == "ClientTooOld":
        return ClientTooOld(answer.get("detail") or message)
    if kind == "HQRejected":
        return HQRejected(int(answer.get("http_status") or 0), answer.get("detail") or message)
    if kind == "HQUnreachable":
        return HQUnreachable(message)
    if kind == "NotEnrolled":
        return sync_engine.NotEnrolled(message)
    return SyncFailed(message)


def report_from(answer: dict) -> sync_engine.SyncReport:
    names = {f.name for f in fields(sync_engine.SyncReport)}
    return sync_engine.SyncReport(**{k: v for k, v in answer.items() if k in names})


class SyncController(QObject):
    state_changed = Signal(str)
    progress = Signal(int, int)  # done, total (total 0 = unknown)
    finished = Signal(object)  # Outcome

    def __init__(self, store: Store, parent: QObject | None = None, *,
                 interval_ms: int = INTERVAL_MS, after_change_ms: int = AFTER_CHANGE_MS,
                 retry_ms: tuple[int, ...] = RETRY_MS):
        super().__init__(parent)
        self.store = store
        self.interval_ms = interval_ms
        self.after_change_ms = after_change_ms
        self.retry_ms = retry_ms
        self.state = STANDALONE
        self.status: dict[str, Any] = {}
        self.last_error: BaseException | None = None
        self._failures = 0
        self._process: QProcess | None = None
        self._output = b""
        self._again = False  # "sync now" while a cycle runs: run one more after it
        self._stopped = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.sync_now)

    # ---- control ------------------------------------------------------------------------

    def start(self, enrolled: bool, delay_ms: int = 2_000) -> None:
        """Begin syncing if the desk is enrolled (the first cycle after `delay_ms`, so the
        window's first page of rows is not competing with it)."""
        if not enrolled:
            self._set_state(STANDALONE)
            return
        self._failures = 0
        self.last_error = None
        self._set_state(CONNECTING)
        self.timer.start(delay_ms)

    def sync_now(self) -> bool:
        """Start a cycle now; False if one is running (it is followed by another)."""
        if self.state == STANDALONE or self._stopped:
            return False
        if self._process is not None:
            self._again = True
            return False
        self.timer.stop()
        self._set_state(SYNCING)
        self.progress.emit(0, 0)
        self._output = b""
        process = QProcess(self)
        program, arguments = sync_command(str(self.store.path.parent))
        process.setProgram(program)
        process.setArguments(arguments)
        process.readyReadStandardOutput.connect(self._read)
        process.finished.connect(self._exited)
        process.errorOccurred.connect(self._start_failed)
        self._process = process
        process.start()
        return True

    def local_change(self) -> None:
        """A clerk saved something: push it soon rather than at the next interval."""
        if self.state == ONLINE and self._process is None and (
                not self.timer.isActive() or self.timer.remainingTime() > self.after_change_ms):
            self.timer.start(self.after_change_ms)

    def stop(self) -> None:
        """The window is closing: no new cycles; a running one is killed (crash-safe)."""
        self._stopped = True
        self.timer.stop()
        process, self._process = self._process, None
        if process is not None:
            process.finished.disconnect(self._exited)
            process.kill()
            process.waitForFinished(5_000)

    @property
    def running(self) -> bool:
        return self._process is not None

    # ---- the sync process --------------------------------------------------------------------

    def _read(self) -> None:
        if self._process is not None:
            self._drain(self._process)

    def _drain(self, process: QProcess) -> None:
        """Emit the progress lines that have arrived; keep the rest (the final answer)."""
        self._output += bytes(process.readAllStandardOutput().data())
        *lines, rest = self._output.split(b"\n")
        kept = []
        for line in lines:
            if line.startswith(b'{"progress"'):
                done, total = json.loads(line)["progress"]
                self.progress.emit(done, total)
            else:
                kept.append(line)
        self._output = b"\n".join([*kept, rest])

    def _exited(self, code: int, exit_status) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        self._drain(process)
        errors = bytes(process.readAllStandardError().data()).decode("utf-8", "replace")
        process.deleteLater()
        try:
            answer = json.loads(self._output.decode("utf-8")) if self._output.strip() else {}
        except ValueError:
            answer = {}
        if answer.get("ok") is True:
            report, error = report_from(answer), None
        elif "error" in answer:
            report, error = None, error_from(answer)
        else:
            report = None
            error = SyncFailed(f"sync process ended with code {code}: "
                               f"{errors.strip()[-500:] or 'no output'}")
            log.error("%s", error)
        self._finish(report, error)

    def _start_failed(self, error) -> None:
        if error == QProcess.FailedToStart and self._process is not None:
            process, self._process = self._process, None
            process.deleteLater()
            self._finish(None, SyncFailed(f"cannot start the sync process: "
                                          f"{process.errorString()}"))

    def _finish(self, report, error) -> None:
        """The status (last sync, waiting changes) is read on a worker, then reported."""
        Op(self, lambda: sync_engine.sync_status(self.store)) \
            .success(lambda status: self._done(Outcome(report, error, status))) \
            .failure(lambda exc: self._done(Outcome(report, error or exc, self.status))) \
            .run()

    # ---- results (GUI thread) ---------------------------------------------------------------

    def _done(self, outcome: Outcome) -> None:
        if self._stopped:
            return
        self.status = outcome.status
        self.last_error = outcome.error
        error = outcome.error
        if error is None:
            self._failures = 0
            self._set_state(ONLINE)
            self.timer.start(self.interval_ms)
        elif isinstance(error, ClientTooOld):
            self._set_state(TOO_OLD)  # retrying cannot help until the app is updated
        elif isinstance(error, HQRejected) and error.status == 401 or \
                isinstance(error, sync_engine.NotEnrolled):
            self._set_state(REFUSED)
        else:  # HQUnreachable, a 5xx after retries, a local failure: try again later
            delay = self.retry_ms[min(self._failures, len(self.retry_ms) - 1)]
            self._failures += 1
            self._set_state(OFFLINE)
            self.timer.start(delay)
            if not isinstance(error, HQUnreachable):
                log.warning("sync failed: %s", error)
        self.finished.emit(outcome)
        if self._again and self.state not in (TOO_OLD, REFUSED):
            self._again = False
            self.sync_now()

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
