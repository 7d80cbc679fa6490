"""Qt helpers shared by the GUI benchmarks (employees_view.py and its cold-start child):
knowing when a table has really painted its rows, a heartbeat that records event-loop
stalls, and a probe that times the store calls behind the employees table.

Kept free of project imports at module level so the cold-start child pays only for what it
measures.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from time import perf_counter

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer


class PaintWatch(QObject):
    """Watches one widget (e.g. a table's viewport) for the first paint that starts after
    `arm()` with `ready()` true, and records when that paint has finished.

    The event filter sees the Paint event just before the widget handles it, so `ready()`
    tells what that paint is about to draw (for a table: whether its visible rows have
    arrived, or it will paint blank cells). A zero-time timer started there fires on the
    next pass of the event loop, once the paint (and the backing store's flush of that
    update) has completed: `painted_at` is that moment. Paints that were not ready are
    counted in `blank_paints`.
    """

    def __init__(self, widget, ready: Callable[[], bool] | None = None):
        super().__init__()
        self.widget = widget
        self.ready = ready
        self.armed = False
        self.paint_started: float | None = None
        self.painted_at: float | None = None
        self.first_paint: float | None = None  # when the widget's very first paint began
        self.first_armed_paint: float | None = None  # first paint after arm(), ready or not
        self.blank_paints = 0
        self._loop: QEventLoop | None = None
        widget.installEventFilter(self)

    def expect(self) -> None:
        """Forget the last paint: call before the action whose paint `wait()` should see
        (the action's model reset, connected to `arm`, then arms the watch)."""
        self.armed = False
        self.paint_started = None
        self.painted_at = None
        self.first_armed_paint = None
        self.blank_paints = 0

    def arm(self, *_args) -> None:
        """From now on, the next (ready) paint is the one to wait for."""
        self.expect()
        self.armed = True

    def eventFilter(self, _obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Paint:
            now = perf_counter()
            if self.first_paint is None:
                self.first_paint = now
            if self.armed and self.paint_started is None:
                if self.first_armed_paint is None:
                    self.first_armed_paint = now
                if self.ready is None or self.ready():
                    self.paint_started = now
                    QTimer.singleShot(0, self._finished)
                else:
                    self.blank_paints += 1
        return False

    def _finished(self) -> None:
        self.painted_at = perf_counter()
        self.armed = False
        if self._loop is not None:
            self._loop.quit()

    def wait(self, timeout_s: float = 60.0) -> float:
        """Run the event loop until the awaited paint has finished; returns `painted_at`."""
        if self.painted_at is None:
            loop = QEventLoop()
            guard = QTimer()
            guard.setSingleShot(True)
            guard.timeout.connect(loop.quit)
            guard.start(int(timeout_s * 1000))
            self._loop = loop
            loop.exec()
            self._loop = None
            guard.stop()
        if self.painted_at is None:
            raise TimeoutError(f"no paint within {timeout_s} s")
        return self.painted_at


def table_rows_ready(table) -> Callable[[], bool]:
    """For PaintWatch: true when the first and last rows the table's viewport shows have
    their data (a model that loads pages on workers shows blank cells until they arrive).
    Asks only what the paint itself is about to ask the model."""

    def ready() -> bool:
        model = table.model()
        rows = model.rowCount()
        if rows == 0:
            return True
        top = table.rowAt(0)
        bottom = table.rowAt(table.viewport().height() - 1)
        top = 0 if top < 0 else top
        bottom = rows - 1 if bottom < 0 else bottom
        return all(model.data(model.index(r, 0)) is not None for r in {top, bottom})

    return ready


class Heartbeat(QObject):
    """A precise timer ticking every `interval_ms` on the GUI thread; `gaps` holds
    (gap seconds, time of the late tick) for every pair of consecutive ticks. A gap much
    longer than the interval is a stretch during which the GUI thread could not run its
    event loop: the window would not repaint or react to input."""

    def __init__(self, interval_ms: int = 10):
        super().__init__()
        self.interval = interval_ms / 1000
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.last: float | None = None
        self.gaps: list[tuple[float, float]] = []

    def start(self) -> None:
        self.last = perf_counter()
        self.gaps.clear()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self._tick()

    def _tick(self) -> None:
        now = perf_counter()
        if self.last is not None:
            self.gaps.append((now - self.last, now))
        self.last = now

    def longest(self, since: float = 0.0, until: float = float("inf")) -> float:
        """The longest gap whose late tick falls in [since, until] (or 0)."""
        return max((g for g, at in self.gaps if since <= at <= until), default=0.0)


def quiet_offscreen_warnings() -> None:
    """Drop the offscreen platform's "does not support propagateSizeHints()" noise."""
    from PySide6.QtCore import qInstallMessageHandler

    previous = None

    def handler(mode, context, message):
        if "propagateSizeHints" in message:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            import sys
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)


# ---- instrumentation (measurement only: wraps, never changes, what the app runs) -----------

@dataclass
class Probe:
    """Times every employees.search_ids and employees.fetch call, noting whether it ran on
    the GUI thread (where it blocks painting and input) or on a worker. The UI looks both
    up on the module at call time, so wrapping the module attributes sees every call."""

    queries: list[tuple[float, float, bool]] = field(default_factory=list)
    fetches: list[tuple[float, float, bool]] = field(default_factory=list)

    def install(self) -> None:
        """Call on the GUI thread."""
        from desktop.services import employees

        gui = threading.get_ident()

        def timed(fn, log):
            def wrapper(*args, **kwargs):
                started = perf_counter()
                try:
                    return fn(*args, **kwargs)
                finally:
                    log.append((started, perf_counter(), threading.get_ident() == gui))
            return wrapper

        employees.search_ids = timed(employees.search_ids, self.queries)
        employees.fetch = timed(employees.fetch, self.fetches)

    @staticmethod
    def _between(log, start: float, end: float, gui: bool | None) -> list[float]:
        return [b - a for a, b, on_gui in log
                if start <= a <= end and (gui is None or on_gui == gui)]

    def query_times(self, start: float, end: float) -> list[float]:
        return self._between(self.queries, start, end, None)

    def fetch_times(self, start: float, end: float, *, gui: bool | None = None) -> list[float]:
        return self._between(self.fetches, start, end, gui)
