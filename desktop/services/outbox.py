"""The local outbox as the rest of the app sees it: how much is waiting to sync."""

from __future__ import annotations

from sqlalchemy import func, select

from desktop.store import Store
from desktop.store.models import OutboxEntry


def pending_count(store: Store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(OutboxEntry))
