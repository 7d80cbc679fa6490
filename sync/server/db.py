"""Engine, sessions and migrations.

SQLite: WAL, foreign keys, and writers take the write lock up front (BEGIN IMMEDIATE), so
writers are serialised by the database. PostgreSQL: pool_pre_ping; pulls read in one
REPEATABLE READ snapshot; writes run in READ COMMITTED with row locks.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Connection,
    Date,
    DateTime,
    Engine,
    Integer,
    Numeric,
    String,
    Table,
    bindparam,
    create_engine,
    event,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from sync.bulk import bound_rows
from sync.server.core.config import Settings

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
VERSION_TABLE = "hq_alembic_version"
MIGRATION_LOCK_KEY = 0x42444851  # "BDHQ": one migrator at a time on PostgreSQL
_migrate_lock = threading.Lock()


def make_engine(url: str, *, pre_ping: bool = True, pool_size: int = 10,
                isolation_level: str | None = None) -> Engine:
    """`pre_ping` (PostgreSQL): test each connection at checkout (a round trip), so a
    connection the server dropped is replaced before a statement fails on it.
    `isolation_level` (PostgreSQL): every connection's, instead of the server's default."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=8,
            max_overflow=8,
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection, _record):
            dbapi_connection.isolation_level = None  # BEGIN is ours (see _on_begin)
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):
            mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
            conn.exec_driver_sql(f"BEGIN {mode}")

        return engine
    # JIT off: HQ's statements are short, and compiling one (its cost estimate is inflated
    # where a pull turns sorts off, see replication.pull) took seconds.
    parsed = make_url(url)
    options = " ".join(filter(None, [parsed.query.get("options"), "-c jit=off"]))
    engine = create_engine(parsed.difference_update_query(["options"]), pool_pre_ping=pre_ping,
                           pool_size=pool_size, max_overflow=pool_size,
                           connect_args={"options": options},
                           **({"isolation_level": isolation_level} if isolation_level else {}))

    @event.listens_for(engine, "connect")
    def _binary_arrays(dbapi_connection, _record):
        # Lists (the id lookups, update_rows' columns) go as binary arrays: psycopg's text
        # form quotes each item with a regular expression, 0.25 ms per 100 ids.
        from psycopg.types.array import ListBinaryDumper

        dbapi_connection.adapters.register_dumper(list, ListBinaryDumper)

    return engine


class Database:
    """One HQ database. Thread-safe; every call checks out its own connection."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.engine = make_engine(settings.database_url)
        self.dialect = self.engine.dialect.name
        self.is_postgres = self.dialect == "postgresql"
        if self.is_postgres:
            read_engine = self.engine.execution_options(isolation_level="REPEATABLE READ")
            write_engine = self.engine
        else:
            read_engine = self.engine
            write_engine = self.engine.execution_options(sqlite_begin="IMMEDIATE")
        self._reader = sessionmaker(read_engine, expire_on_commit=False)
        self._writer = sessionmaker(write_engine, expire_on_commit=False)
        # The token check of every request (`lookup`). On PostgreSQL: autocommit (no BEGIN
        # and COMMIT round trips) on connections not pinged at checkout (a ping is a round
        # trip too); the statement is simply run again when its connection was dropped.
        # Autocommit is the engine's own: as an execution option SQLAlchemy set it and set
        # it back at every checkout, a quarter of the check (0.34 ms against 0.25 ms).
        self._lookup_engine = make_engine(settings.database_url, pre_ping=False, pool_size=2,
                                          isolation_level="AUTOCOMMIT") \
            if self.is_postgres else self.engine

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One consistent snapshot for every query inside (a pull's several tables)."""
        with self._reader() as session, session.begin():
            yield session

    def lookup(self, statement, params: dict[str, Any]) -> list:
        """The rows of one read-only statement, outside any transaction (see __init__)."""
        for attempt in (1, 2):
            try:
                with self._lookup_engine.connect() as connection:
                    return connection.execute(statement, params).all()
            except DBAPIError as exc:
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: commits on success, rolls back on any error."""
        with self._writer() as session, session.begin():
            yield session

    def session(self) -> Session:
        """A session whose transactions the caller controls (push retries)."""
        return self._writer()

    def migrate(self) -> tuple[str | None, str | None]:
        """Bring the schema to the newest revision: (the revision before, the one after)."""
        return upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
        self._lookup_engine.dispose()


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str | None]:
    """Bring the database to `revision` (idempotent; safe when several hosts start at once).
    Returns the revision it had (None: an empty database) and the one it has, both read
    under the migration lock (what this call did, not what another host did meanwhile)."""
    from alembic import command

    cfg = alembic_config()
    options = {} if engine.dialect.name == "postgresql" else {"sqlite_begin": "IMMEDIATE"}
    with _migrate_lock, engine.execution_options(**options).begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})")
        before = _revision_on(conn)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        return before, _revision_on(conn)


def _revision_on(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn, opts={"version_table": VERSION_TABLE}
                                      ).get_current_revision()


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for display
        return url


def insert_rows(session: Session, table: Table, rows: Sequence[Any], *,
                names: Sequence[str] | None = None, driver_ready: bool = False,
                meanwhile: Callable[[], object] | None = None) -> None:
    """INSERT `rows` (dicts of column values) into `table` in the session's transaction.

    On PostgreSQL through COPY, on SQLite with the driver's executemany: SQLAlchemy's
    per-row parameter handling (or a statement a row) cost more than the inserts, and a
    push's new rows are its main cost. Values pass through the columns' own bind processing
    (money, UTC timestamps; JSON is written as its text: bulk.JsonText is taken as it is),
    and a failure is raised as SQLAlchemy's error of the same kind (IntegrityError,
    DataError...), as an executemany would. `driver_ready`: on PostgreSQL the values are
    what that processing would give already (money quantized to the cent, timestamps in
    UTC, JSON as JsonText: replication's checked values), and skip it (a first push's
    210,000 rows went through it for nothing). `names`: the rows are tuples of these
    columns' values, in this order (a push's hundreds of thousands of rows, each a dict only
    to be taken apart again here). `meanwhile`: called once every row is sent, before the
    insert ends, so it runs while PostgreSQL is still writing the rows (the end of a COPY
    waited for it, a fifth of a first push); called anyway when there is nothing to insert
    or no COPY (SQLite)."""
    if not rows:
        if meanwhile is not None:
            meanwhile()
        return
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    if names is None:
        names = list(rows[0])
        records = map(itemgetter(*names), rows) if driver_ready and postgres and len(names) > 1 \
            else bound_rows(table, connection.dialect, names, rows, json_as_text=True)
    else:
        records = rows if driver_ready and postgres else bound_rows(
            table, connection.dialect, names, [dict(zip(names, row, strict=True)) for row in rows],
            json_as_text=True)
    quoted = ", ".join(f'"{name}"' for name in names)
    if not postgres:
        marks = ", ".join("?" * len(names))
        connection.exec_driver_sql(f'INSERT INTO "{table.name}" ({quoted}) VALUES ({marks})',
                                   [tuple(record) for record in records])
        if meanwhile is not None:
            meanwhile()
        return
    import psycopg

    # Binary: psycopg formats a row in about half the time of the text format (no escaping),
    # given each column's type.
    statement = f'COPY "{table.name}" ({quoted}) FROM STDIN (FORMAT BINARY)'
    driver = connection.connection.driver_connection
    try:
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            copy.set_types([_copy_type(table.c[name].type) for name in names])
            for record in records:
                copy.write_row(record)
            if meanwhile is not None:
                meanwhile()
    except psycopg.Error as exc:
        raise DBAPIError.instance(statement, None, exc, psycopg.Error) from None


def _copy_type(column_type) -> str:
    """The PostgreSQL type a binary COPY writes a column's bound value as. JSON goes as
    text (json's binary form is its text; the value is text already, see bound_rows)."""
    kind = column_type.impl if isinstance(column_type, TypeDecorator) else column_type
    if isinstance(kind, DateTime) and not kind.timezone:
        return "timestamp"
    for sql_type, name in _COPY_TYPES:
        if isinstance(kind, sql_type):
            return name
    raise TypeError(f"no binary COPY type for {column_type!r}")


_COPY_TYPES = ((BigInteger, "int8"), (Integer, "int4"), (Boolean, "bool"),
               (DateTime, "timestamptz"), (Date, "date"), (Numeric, "numeric"), (JSON, "text"),
               (String, "text"))


def update_rows(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """UPDATE each row of `table` whose id is a row's "id" to that row's other values (dicts
    with the same keys), in the session's transaction.

    On PostgreSQL as one statement over arrays of the values (an executemany sends a
    statement a row: most of a 100-change push); values pass through the columns' bind
    processing, and failures are raised as SQLAlchemy's errors, as insert_rows does."""
    if not rows:
        return
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        statement = table.update().where(table.c.id == bindparam("b_id"))
        session.execute(statement, [{**{k: v for k, v in row.items() if k != "id"},
                                     "b_id": row["id"]} for row in rows])
        return
    names = list(rows[0])
    # (JSON as its text, cast by the statement: psycopg's JSON adapter, item by item, took
    # longer than the UPDATE)
    columns = [list(values) for values in zip(*bound_rows(
        table, connection.dialect, names, rows, json_as_text=True), strict=True)]
    arrays = ", ".join(f"%s::{table.c[name].type.compile(connection.dialect)}[]"
                       for name in names)
    quoted = ", ".join(f'"{name}"' for name in names)
    assigned = ", ".join(f'"{name}" = v."{name}"' for name in names if name != "id")
    ids = columns[names.index("id")]
    # `t.id = ANY(ids)` as well: the planner then reads the rows through the primary key.
    # Joined on `t.id = v.id` alone, it hashed a scan of the whole table (a table without
    # statistics, as a fresh HQ's are until autovacuum's ANALYZE; 10 ms at 100,000 rows).
    connection.exec_driver_sql(
        f'UPDATE "{table.name}" AS t SET {assigned} FROM unnest({arrays}) AS v({quoted}) '
        f"WHERE t.id = v.id AND t.id = ANY(%s::{table.c.id.type.compile(connection.dialect)}[])",
        (*columns, ids))
