"""Did a desk and HQ converge? Per synced table, the count and an order-independent content
hash of the rows a branch owns, computed on each side from its own storage: the desk's
SQLite rows, and HQ's rows as HQ serves them (a full pull with an HQ viewer's token: a desk's
own pull skips the versions it pushed itself). Used by the fault tests and
bench/sync_crash_trials.py.

`rev` and `updated_at` are left out: revs are HQ's bookkeeping and a desk may not have
taken one yet; everything a person would see is in."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import func, select

from desktop.store import Store
from desktop.store.models import SYNCED_TABLES, OutboxEntry
from desktop.store.serialize import canonical_json, row_fields
from sync.client import HQClient
from sync.protocol import TABLE_ORDER, TABLES

IGNORED = ("rev", "updated_at")
BRANCH_TABLES = tuple(t for t in TABLE_ORDER if TABLES[t].scope == "branch")

Digest = dict[str, tuple[int, str]]


def _columns(table: str) -> list[str]:
    return [c for c in TABLES[table].all_columns if c not in IGNORED]


def _digest(rows_by_table: dict[str, Iterable[dict]]) -> Digest:
    out = {}
    for table, rows in rows_by_table.items():
        lines = sorted(canonical_json(r) for r in rows)
        out[table] = (len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16])
    return out


def desk_digest(store: Store, branch_id: str) -> Digest:
    rows: dict[str, list[dict]] = {}
    with store.read() as s:
        for table in BRANCH_TABLES:
            model = SYNCED_TABLES[table]
            found = s.scalars(select(model).where(model.branch_id == branch_id))
            rows[table] = [row_fields(r, _columns(table)) for r in found]
    return _digest(rows)


def hq_digest(base_url: str, token: str, branch_id: str) -> Digest:
    """HQ's side of `branch_id`, read through the API (HQ's serialisation) with `token`, an
    HQ user token (hq_viewer reads every branch)."""
    latest: dict[tuple[str, str], dict | None] = {}
    with HQClient(base_url, token) as client:
        after = 0
        while True:
            page = client.pull(after, 5000)
            for c in page.changes:
                latest[(c.table, c.row_id)] = c.row if c.op != "move_out" else None
            after = page.next_after
            if not page.more or not page.changes:
                break
    rows: dict[str, list[dict]] = {t: [] for t in BRANCH_TABLES}
    for (table, _id), row in latest.items():
        if row is not None and table in rows and row.get("branch_id") == branch_id:
            rows[table].append({c: row.get(c) for c in _columns(table)})
    return _digest(rows)


def pending(store: Store) -> int:
    with store.read() as s:
        return s.scalar(select(func.count()).select_from(OutboxEntry)) or 0


def differences(desk: Digest, hq: Digest) -> list[str]:
    """Readable lines for every table whose count or content differs."""
    return [f"{t}: desk {desk.get(t)} vs HQ {hq.get(t)}"
            for t in sorted(set(desk) | set(hq)) if desk.get(t) != hq.get(t)]
