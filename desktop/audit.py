"""The hash-chained audit log: append inside a write transaction, verify from the CLI."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Row, case, select, text
from sqlalchemy.orm import Session

from desktop.store.models import SYNCED_TABLES, AuditEntry
from desktop.store.serialize import canonical_json, sorted_json, to_wire
from desktop.store.types import utcnow

GENESIS = "0" * 64


def entry_hash(prev_hash: str, seq: int, at, actor: str, action: str, table: str,
               row_id: str, detail: str) -> str:
    # Text and whole numbers only: sorted_json writes them as canonical_json does, fast (a
    # pulled page's detail is megabytes of text to escape).
    body = sorted_json([seq, to_wire(at), actor, action, table, row_id, detail],
                       floatless=True)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def chain_tip(session: Session) -> tuple[int, str]:
    """(seq, hash) of the newest entry, or (0, GENESIS) for an empty log."""
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return (last.seq, last.hash) if last else (0, GENESIS)


def make_entry(tip: tuple[int, str], actor: str, action: str, table: str, row_id: str,
               detail: dict | str) -> dict:
    """The column values of the entry that follows `tip`; the caller holds the write lock
    and inserts it. `detail`: a dict, or its canonical JSON already."""
    seq, prev = tip[0] + 1, tip[1]
    at = utcnow()
    detail_json = detail if isinstance(detail, str) else canonical_json(detail)
    return {
        "seq": seq, "at": at, "actor": actor, "action": action, "table_name": table,
        "row_id": row_id, "detail": detail_json, "prev_hash": prev,
        "hash": entry_hash(prev, seq, at, actor, action, table, row_id, detail_json),
    }


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_broken: int | None  # seq of the first entry whose chain does not hold
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.first_broken is None


def verify(session: Session) -> ChainReport:
    """Walk the chain in order and report the first entry altered, removed or inserted;
    then replay it over the synced tables and report a row changed behind the app's back."""
    report = _verify_chain(session)
    return report if not report.ok else _verify_rows(session, report.entries)


def _verify_chain(session: Session) -> ChainReport:
    prev = GENESIS
    expected_seq = 1
    count = 0
    rows = session.execute(select(AuditEntry).order_by(AuditEntry.seq)).scalars()
    for e in rows:
        count += 1
        if e.seq != expected_seq:
            return ChainReport(count, e.seq, f"entry {expected_seq} is missing")
        if e.prev_hash != prev:
            return ChainReport(count, e.seq, "does not point at the previous entry's hash")
        if e.hash != entry_hash(prev, e.seq, e.at, e.actor, e.action, e.table_name,
                                e.row_id, e.detail):
            return ChainReport(count, e.seq, "content does not match its hash")
        prev = e.hash
        expected_seq += 1
    return ChainReport(count, None)


def _verify_rows(session: Session, count: int) -> ChainReport:
    """Every synced row must equal what its audit entries say it became."""
    expected: dict[tuple[str, str], dict] = {}
    last_seq: dict[tuple[str, str], int] = {}
    rows = session.execute(
        select(AuditEntry.seq, AuditEntry.table_name, AuditEntry.row_id, AuditEntry.detail)
        .where(AuditEntry.table_name.in_(list(SYNCED_TABLES)))
        .order_by(AuditEntry.seq)
    )
    for seq, table, row_id, detail_json in rows:
        detail = json.loads(detail_json)
        if detail.get("op") == "pull":  # rows a pulled page brought: a create each
            for pulled_id, fields in pulled_rows(detail):
                expected[(table, pulled_id)] = fields
                last_seq[(table, pulled_id)] = seq
            continue
        key = (table, row_id)
        if detail.get("op") == "create":
            expected[key] = dict(detail["fields"])
        elif detail.get("op") == "update":
            state = expected.setdefault(key, {})
            for name, (_old, new) in detail["changes"].items():
                state[name] = new
        else:
            continue
        last_seq[key] = seq
    by_table: dict[str, list[str]] = {}
    for table, row_id in expected:
        by_table.setdefault(table, []).append(row_id)
    for table, ids in by_table.items():
        model = SYNCED_TABLES[table]
        actual = {}
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start:chunk_start + 500]
            for row in session.scalars(select(model).where(model.id.in_(chunk))):
                actual[row.id] = row
        for row_id in ids:
            key = (table, row_id)
            row = actual.get(row_id)
            if row is None:
                return ChainReport(count, last_seq[key],
                                   f"{table} row {row_id} is audited but missing from the store")
            for name, value in expected[key].items():
                if name == "updated_at":
                    continue
                have = to_wire(getattr(row, name))
                if have != value:
                    return ChainReport(
                        count, last_seq[key],
                        f"{table} row {row_id}: {name} is {have!r} in the store but "
                        f"{value!r} in the audit trail (changed behind the app's back)")
    return ChainReport(count, None)


def newest_seq(session: Session) -> int:
    return session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1)) or 0


def entries_between(session: Session, first: int, last: int) -> list[Row]:
    """Entries first..last (inclusive), oldest first: the audit view fetches pages by seq.
    Rows with AuditEntry's attributes, except that a "pull" entry's detail (every row of a
    pulled page, up to megabytes) is left out (None): `pull_preview` tells what it holds."""
    e = AuditEntry
    return list(session.execute(
        select(e.seq, e.at, e.actor, e.action, e.table_name, e.row_id, e.prev_hash, e.hash,
               case((e.action == "pull", None), else_=e.detail).label("detail"))
        .where(e.seq >= first, e.seq <= last).order_by(e.seq)))


def pulled_rows(detail: dict) -> Iterator[tuple[str, dict]]:
    """(row id, fields) of each row of a "pull" entry's detail: {"columns": names, "rows":
    {id: values}}, or (entries written before 2026-12) {"rows": {id: fields}}."""
    columns = detail.get("columns")
    for row_id, values in detail["rows"].items():
        yield row_id, dict(zip(columns, values, strict=True)) if columns is not None \
            else dict(values)


def pull_preview(session: Session, seq: int, rows: int = 10) -> dict:
    """What the audit view shows of "pull" entry `seq` without reading all of it into
    Python: {"op": "pull", "count": rows it holds, "rows": {its first `rows` rows: fields}}."""
    count, columns, first = session.execute(text(
        "SELECT (SELECT count(*) FROM json_each(detail, '$.rows')),"
        " json_extract(detail, '$.columns'),"
        " (SELECT json_group_object(key, json(value)) FROM"
        "  (SELECT key, value FROM json_each(detail, '$.rows') LIMIT :rows))"
        f" FROM {AuditEntry.__tablename__} WHERE seq = :seq"), {"seq": seq, "rows": rows}).one()
    detail = {"rows": json.loads(first or "{}")}
    if columns is not None:
        detail["columns"] = json.loads(columns)
    return {"op": "pull", "count": count, "rows": dict(pulled_rows(detail))}
