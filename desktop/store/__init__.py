"""The local store: SQLAlchemy models, Alembic migrations, the unit of work."""

from desktop.store.database import Store, open_store

__all__ = ["Store", "open_store"]
