"""Run store and network work off the GUI thread, Anki-style:

    Op(parent, lambda: employees.hire(store, actor, data)).success(on_done).failure(on_err).run()

`fn` runs on a pool thread; `success`/`failure` callbacks run on the GUI thread. An op whose
parent widget has been destroyed delivers nothing.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

_running: set[Op] = set()  # keep ops alive until their result has been delivered


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # noqa: BLE001 - every failure is reported to the GUI
            exc.__traceback_text__ = traceback.format_exc()
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class Op:
    pool: QThreadPool | None = None

    def __init__(self, parent: QObject, fn: Callable[[], Any]):
        self.parent = parent
        self.fn = fn
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        # The relay lives on the GUI thread, so its queued signals land there.
        self._relay = _Relay()

    def success(self, cb: Callable[[Any], None]) -> Op:
        self._success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> Op:
        self._failure = cb
        return self

    def run(self) -> Op:
        self._relay.done.connect(self._on_done)
        self._relay.failed.connect(self._on_failed)
        _running.add(self)
        (Op.pool or QThreadPool.globalInstance()).start(_Job(self.fn, self._relay))
        return self

    def _alive(self) -> bool:
        try:
            self.parent.objectName()  # raises once the C++ object is gone
        except RuntimeError:
            return False
        return True

    @Slot(object)
    def _on_done(self, result) -> None:
        _running.discard(self)
        if self._success and self._alive():
            self._success(result)

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        _running.discard(self)
        if not self._alive():
            return
        if self._failure:
            self._failure(exc)
        else:
            log.error("background operation failed:\n%s", getattr(exc, "__traceback_text__", exc))


def wait_for_ops(timeout_ms: int = 10_000) -> bool:
    """Tests and shutdown: wait until every queued op has run."""
    return (Op.pool or QThreadPool.globalInstance()).waitForDone(timeout_ms)
