"""HQ's tables (SQLAlchemy 2 typed models).

The synced tables mirror the desk's columns (sync.protocol.TABLES) plus HQ bookkeeping:
`rev` (BIGINT, indexed: the version's place in the one rev order) and `field_meta`
({field: [rev, node_id]}: when and by whom each field last changed; node "hq" for HQ tools),
which is what conflict detection reads. The rest is HQ-only: enrolled nodes, enrollment
codes, HQ users, processed change ids, conflicts, moves (for move_out) and the rev counter.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from sync.server.types import Money, UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
UUID_LEN = 36
HQ_NODE = "hq"  # the node id HQ-side tools stamp into field_meta
REV_SEQUENCE = "hq_rev_seq"  # PostgreSQL; SQLite uses the one-row table hq_rev_counter


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SyncedColumns:
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    # Indexed with rev (scope_index): "a branch's rows above a rev" is every pull's query.
    branch_id: Mapped[str | None] = mapped_column(String(UUID_LEN))
    rev: Mapped[int] = mapped_column(BigInteger, index=True, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    field_meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # The desk whose push produced this version exactly as sent (applied, not merged): its
    # pulls skip the version, which it already holds. NULL: every reader needs it.
    origin_node: Mapped[str | None] = mapped_column(String(64))


def scope_index(table: str) -> Index:
    """(branch_id, rev): a pull's and a digest's rows (one branch's, or the group's NULL
    ones, above a rev) as index ranges, whatever the planner's statistics say. The rev index
    alone walks every branch's rows above the cursor, and right after a large push, before
    autovacuum's ANALYZE, PostgreSQL preferred a bitmap of the whole branch."""
    return Index(f"ix_{table}_branch_id_rev", "branch_id", "rev")


class Branch(SyncedColumns, Base):
    __tablename__ = "branch"
    __table_args__ = (scope_index("branch"),)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class Department(SyncedColumns, Base):
    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("branch_id", "code"), scope_index("department"))
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="")


class Employee(SyncedColumns, Base):
    __tablename__ = "employee"
    __table_args__ = (UniqueConstraint("branch_id", "employee_no"), scope_index("employee"))
    employee_no: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    gender: Mapped[str] = mapped_column(String(1))
    id_number: Mapped[str] = mapped_column(String(18))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(20))
    # No foreign key: HQ checks references as it applies a push (migration 0004).
    department_id: Mapped[str] = mapped_column(String(UUID_LEN))
    position: Mapped[str] = mapped_column(String(64))
    hire_date: Mapped[dt.date] = mapped_column(Date)
    base_salary: Mapped[Decimal] = mapped_column(Money)
    bank_account: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="active")
    leave_date: Mapped[dt.date | None] = mapped_column(Date)
    leave_reason: Mapped[str | None] = mapped_column(String(200))


class EmployeeEvent(SyncedColumns, Base):
    __tablename__ = "employee_event"
    __table_args__ = (scope_index("employee_event"),)
    employee_id: Mapped[str] = mapped_column(String(UUID_LEN))
    kind: Mapped[str] = mapped_column(String(16))
    effective_date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(64))


SYNCED_MODELS = {m.__tablename__: m for m in (Branch, Department, Employee, EmployeeEvent)}


class Node(Base):
    """An enrolled desk. Only the SHA-256 of its token is kept."""

    __tablename__ = "nodes"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    device_name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class EnrollmentCode(Base):
    """A one-time code for enrolling a desk into a branch (hash only; single use)."""

    __tablename__ = "enrollment_codes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    branch_id: Mapped[str] = mapped_column(ForeignKey("branch.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    node_id: Mapped[str | None] = mapped_column(String(UUID_LEN))


class HqUser(Base):
    __tablename__ = "hq_users"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # hq_admin | hq_viewer
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ProcessedChange(Base):
    """Every change id HQ has processed, with its result: a retry gets the same answer."""

    __tablename__ = "processed_changes"
    change_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    node_id: Mapped[str] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Conflict(Base):
    """A field both sides changed since the common base: the losing value is kept here."""

    __tablename__ = "conflicts"
    __table_args__ = (Index("ix_conflicts_table_row", "table_name", "row_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(UUID_LEN))
    branch_id: Mapped[str | None] = mapped_column(String(UUID_LEN), index=True)
    field: Mapped[str] = mapped_column(String(64))
    hq_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    branch_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    winner: Mapped[str] = mapped_column(String(8))  # hq | branch
    base_rev: Mapped[int] = mapped_column(BigInteger)
    rev: Mapped[int] = mapped_column(BigInteger)
    node_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Move(Base):
    """A row that left a branch (transfer): that branch's pull gets a move_out at `rev`."""

    __tablename__ = "moves"
    # (from_branch_id, rev): a branch's moves above its cursor, an index range (a pull's).
    __table_args__ = (Index("ix_moves_from_branch_id_rev", "from_branch_id", "rev"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rev: Mapped[int] = mapped_column(BigInteger, index=True)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(UUID_LEN))
    from_branch_id: Mapped[str] = mapped_column(String(UUID_LEN))
    to_branch_id: Mapped[str | None] = mapped_column(String(UUID_LEN))


class RevCounter(Base):
    """SQLite only: the rev counter (PostgreSQL uses the sequence hq_rev_seq)."""

    __tablename__ = "hq_rev_counter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)
