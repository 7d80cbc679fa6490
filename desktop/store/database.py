"""Opening a store: the SQLite engine (WAL, foreign keys, immediate write transactions),
migrations on open, and the session factories the services use."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.expression import Executable

from desktop.store.models import Setting
from sync.bulk import bound_rows

STORE_FILENAME = "branchdesk.sqlite3"
AUTOCHECKPOINT = 1000  # pages: SQLite's default
WAL_SIZE_LIMIT = 64 * 1024 * 1024  # bytes
# Page cache a connection (KiB; SQLite's default is 2 MiB). A branch's indexes outgrow 2 MiB
# from some 10,000 employees on, and a pull's inserts land at random places of some of them
# (names, phone numbers): with the default cache their pages were read back over and over,
# and at 16 MiB a 205,000-row first pull spent a fifth less time inserting
# (docs/BENCHMARKS.md). A cache fills only as pages are read: at most 8 pooled connections.
CACHE_KIB = 16 * 1024
# Bound values one statement takes at most (a multi-row INSERT, an UPDATE ... FROM a VALUES
# list; SQLite's default limit since 3.32).
MAX_VARIABLES = 32766


def _create_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": 30},
        pool_size=4,
        max_overflow=4,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Take transaction control from the sqlite3 module so BEGIN is ours (see _on_begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        # After a large sync (its checkpoint deferred, see _on_begin) the log file is cut
        # back to this size rather than kept at the sync's.
        cursor.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # Writers take the write lock up front: the audit chain reads its last hash inside
        # the transaction, and two deferred writers could otherwise fork the chain.
        options = conn.get_execution_options()
        if not options.get("sqlite_foreign_keys", True):
            # Only outside a transaction does SQLite take this; checkin turns it back on.
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.connection.info["foreign_keys_off"] = True
        if options.get("sqlite_bulk", False):
            # A sync's batches: each commit would otherwise copy the write-ahead log into
            # the database file once it passes 1,000 pages, and a batch of 1,000 rows writes
            # hundreds (the commit took 18 ms instead of 2). The next other commit does it,
            # once (the sync cycle's last); checkin turns it back on.
            conn.exec_driver_sql("PRAGMA wal_autocheckpoint=0")
            conn.connection.info["bulk"] = True
        conn.exec_driver_sql(f"BEGIN {options.get('sqlite_begin', 'DEFERRED')}")

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, record):
        if dbapi_connection is None:  # invalidated: there is nothing to turn back
            return
        undo = [pragma for key, pragma in (("foreign_keys_off", "PRAGMA foreign_keys=ON"),
                                           ("bulk", f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT}"))
                if record.info.pop(key, False)]
        if undo:
            cursor = dbapi_connection.cursor()
            for pragma in undo:
                cursor.execute(pragma)
            cursor.close()

    return engine


def driver_rows(conn: Connection, stmt: Executable, params: dict[str, Any] | None = None
                ) -> list[tuple]:
    """Every row of `stmt` (with `params` for its bound parameters) as the sqlite3 cursor
    gives them, on `conn`'s connection (in its transaction): plain tuples, no type
    conversion either way (parameters the driver takes as they are: numbers, text).
    SQLAlchemy's per-row result handling costs more than SQLite's reading them (an id list
    behind a table, a push's batch of 2,000 outbox entries). SQLite's errors come out as
    SQLAlchemy's, as from any other query."""
    compiled = stmt.compile(dialect=conn.dialect)
    bound = compiled.construct_params(params)
    statement = str(compiled)
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        return cursor.execute(statement, [bound[name] for name in compiled.positiontup]
                              ).fetchall()
    except sqlite3.Error as exc:
        raise DBAPIError.instance(statement, None, exc, sqlite3.Error) from None
    finally:
        cursor.close()


def bound_values_limit(driver: sqlite3.Connection) -> int:
    """The most values one statement may bind on this connection (its SQLite's limit, at
    most MAX_VARIABLES)."""
    return min(driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), MAX_VARIABLES)


class Store:
    """One branch store on disk. Thread-safe: each call checks out its own connection.

    `read()` gives a Session for queries; `write()` gives one inside an immediate
    transaction that commits on success and rolls back on any error.
    """

    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self.engine = engine
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(
            engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )
        self._bulk_writer = sessionmaker(
            engine.execution_options(sqlite_begin="IMMEDIATE", sqlite_bulk=True),
            expire_on_commit=False)
        # Rows pulled from HQ are checked by HQ, and a page may hold a child whose parent
        # comes a page later (revs order pages) or never (an employee transferred away
        # leaves their history here): pulled pages are written without FK enforcement.
        self._puller = sessionmaker(
            engine.execution_options(sqlite_begin="IMMEDIATE", sqlite_foreign_keys=False,
                                     sqlite_bulk=True),
            expire_on_commit=False)
        self._lock = threading.Lock()

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextmanager
    def session_for_write(self) -> Iterator[Session]:
        with self._writer() as session, session.begin():
            yield session

    @contextmanager
    def session_for_batch(self) -> Iterator[Session]:
        """A write transaction of a sync's batch of many rows: the write-ahead log is copied
        into the database file after the batches, by the next other commit (see _on_begin),
        not by this one (during a pull, where SQLite allows it, by a thread beside it:
        sync_engine._Checkpointer)."""
        with self._bulk_writer() as session, session.begin():
            yield session

    @contextmanager
    def session_for_pull(self) -> Iterator[Session]:
        """A write transaction for rows HQ sent, without foreign-key enforcement (a batch:
        see session_for_batch)."""
        with self._puller() as session, session.begin():
            yield session

    def first_column(self, stmt) -> list:
        """The first column of every row of `stmt`, read straight off the sqlite3 cursor.

        For the id lists behind the tables (100,000 rows) SQLAlchemy's per-row result
        handling costs two to three times the query itself. Only for columns that need no
        type conversion (ids, plain text)."""
        with self.engine.connect() as conn:
            return [row[0] for row in driver_rows(conn, stmt)]

    def settings(self, *keys: str) -> dict[str, str]:
        """{key: value} of those of `keys` that are set, in one query (the table holds a
        handful of rows: all of them, picked here, cost less than an IN list)."""
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(f"SELECT key, value FROM {Setting.__tablename__}")
            return {key: value for key, value in rows if key in keys}

    def setting(self, key: str, default: str | None = None) -> str | None:
        value = self.settings(key).get(key)
        return default if value is None else value

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database file as far as no reader still needs
        it, waiting for no one (SQLite's PASSIVE checkpoint). SQLite does the copying
        without Python's lock: on a thread of its own it takes another core."""
        with self.engine.connect() as conn:
            # The driver's connection: SQLAlchemy would open a transaction first, and a
            # checkpoint is not taken inside one.
            conn.connection.dbapi_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def close(self) -> None:
        self.engine.dispose()


def open_store(data_dir: Path | str, *, upgrade: bool = True) -> Store:
    """Open (creating if needed) the store in `data_dir`, migrated to the newest schema."""
    from desktop.store.migrate import upgrade_to_head

    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / STORE_FILENAME
    engine = _create_engine(path)
    if upgrade:
        upgrade_to_head(engine)
    return Store(path, engine)


def insert_many(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """INSERT `rows` (dicts with the same keys) into `table`, in the session's transaction,
    with one sqlite3 `executemany`. Values pass through the columns' own bind processing
    (money as cents, UTC timestamps, dates); a failure is raised as SQLAlchemy's error of
    the same kind, as Core would. For the bulk paths (a pulled page, imports): SQLAlchemy's
    per-row parameter handling cost more than SQLite's insert."""
    if not rows:
        return
    names = list(rows[0])
    insert_stored(session, table, names,
                  list(bound_rows(table, session.connection().dialect, names, rows)))


def insert_stored(session: Session, table: Table, names: list[str],
                  params: list[Sequence[Any]]) -> None:
    """`insert_many` of rows already as SQLite stores them (the values of `names`, in that
    order, each): no bind processing at all. For a pulled page, whose wire values mostly are
    the stored text already (see unit_of_work.stored_values).

    Many rows a statement (a multi-row VALUES), not executemany: sqlite3 lets go of the GIL
    and takes it back for every row of an executemany, and while another thread runs
    Python (a pull's next page being prepared) each take-back waits for that thread's
    switch interval: 205,000 rows inserted while another thread ran Python took 503 s
    instead of 1.6 s in an experiment. A real pull's threads line up far less often, but
    one statement of hundreds of rows waits once."""
    if not params:
        return
    connection = session.connection()
    driver = connection.connection.driver_connection
    columns = ", ".join(f'"{name}"' for name in names)
    head = f'INSERT INTO "{table.name}" ({columns}) VALUES '
    row = f"({', '.join('?' * len(names))})"
    per = max(1, bound_values_limit(driver) // len(names))
    cursor = driver.cursor()
    try:
        for start in range(0, len(params), per):
            part = params[start:start + per]
            statement = head + ", ".join([row] * len(part))
            cursor.execute(statement, list(chain.from_iterable(part)))
    except sqlite3.Error as exc:
        raise DBAPIError.instance(statement, None, exc, sqlite3.Error) from None
    finally:
        cursor.close()
