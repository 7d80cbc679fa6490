"""Alembic environment: runs on the connection sync.server.db.upgrade hands in."""

from alembic import context

from sync.server.db import VERSION_TABLE
from sync.server.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover
    raise RuntimeError("run migrations with `branchdesk-hq migrate` (sync.server.db.upgrade)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    version_table=VERSION_TABLE,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
