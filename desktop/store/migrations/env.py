"""Alembic environment: always runs on a connection handed in by desktop.store.migrate."""

from alembic import context

from desktop.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - the store always passes its connection
    raise RuntimeError("open the store with desktop.store.open_store() to migrate it")

# render_as_batch: SQLite cannot ALTER most things, so Alembic rebuilds tables in batch mode.
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
