"""Typed SQLAlchemy models of the branch store.

Every synced table carries the DESIGN section 2 columns (`SyncedColumns`). Append-only
tables (`employee_event`) are never updated: a correction is a new row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from desktop.store.types import Money, UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

UUID_LEN = 36


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class SyncedColumns:
    """DESIGN section 2: the columns every synced table carries."""

    __synced__ = True
    __append_only__ = False

    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    branch_id: Mapped[str | None] = mapped_column(String(UUID_LEN), index=True)
    rev: Mapped[int] = mapped_column(Integer, default=0, server_default="0", index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")


class Setting(Base):
    """Local key/value facts about this node (its branch, schema, sync cursor)."""

    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Branch(SyncedColumns, Base):
    """Group reference data (HQ owns it); a standalone desk creates its own row at init."""

    __tablename__ = "branch"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))


class Department(SyncedColumns, Base):
    """Finance, sales and collection are group reference rows (branch_id NULL);
    a branch may add its own."""

    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("branch_id", "code"),)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="", server_default="")


class Employee(SyncedColumns, Base):
    __tablename__ = "employee"
    __table_args__ = (
        UniqueConstraint("branch_id", "employee_no"),
        Index("ix_employee_name", "name"),
        Index("ix_employee_phone", "phone"),
        # Covering index for the employees list and its searches (migration 0004).
        Index("ix_employee_list", "branch_id", "employee_no", "deleted", "status",
              "department_id", "name", "phone", "id"),
    )
    employee_no: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    gender: Mapped[str] = mapped_column(String(1))  # "M" / "F"
    id_number: Mapped[str] = mapped_column(String(18))
    birth_date: Mapped[dt.date] = mapped_column(Date)
    phone: Mapped[str] = mapped_column(String(20))
    department_id: Mapped[str] = mapped_column(ForeignKey("department.id"), index=True)
    position: Mapped[str] = mapped_column(String(64))
    hire_date: Mapped[dt.date] = mapped_column(Date)
    base_salary: Mapped[Decimal] = mapped_column(Money)
    bank_account: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    leave_date: Mapped[dt.date | None] = mapped_column(Date)
    leave_reason: Mapped[str | None] = mapped_column(String(200))


class EmployeeEvent(SyncedColumns, Base):
    """Append-only employment history: hire, leave, rehire."""

    __tablename__ = "employee_event"
    __append_only__ = True
    employee_id: Mapped[str] = mapped_column(ForeignKey("employee.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    effective_date: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(64))


class AppUser(Base):
    """A person who signs in to this desk. Local to the node, never synced."""

    __tablename__ = "app_user"
    id: Mapped[str] = mapped_column(String(UUID_LEN), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxEntry(Base):
    """A local change waiting to be pushed to HQ (written in the same transaction as the row)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_row_id", "row_id"),)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    change_id: Mapped[str] = mapped_column(String(UUID_LEN), unique=True)
    table_name: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(8))  # "upsert" / "delete"
    row_id: Mapped[str] = mapped_column(String(UUID_LEN))
    fields: Mapped[str] = mapped_column(Text)  # JSON object of changed fields
    base_rev: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEntry(Base):
    """Hash-chained audit log: `hash` = SHA-256(prev_hash + canonical entry)."""

    __tablename__ = "audit_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(UUID_LEN))
    detail: Mapped[str] = mapped_column(Text)  # canonical JSON of what changed
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class SyncLog(Base):
    """Append-only local history of sync: every push result worth showing (rejected,
    conflict), every pull page and every failed cycle. Local to the desk, never synced."""

    __tablename__ = "sync_log"
    __table_args__ = (Index("ix_sync_log_status_kind", "status", "kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(8), index=True)  # "push" / "pull" / "error"
    table_name: Mapped[str | None] = mapped_column(String(64))
    row_id: Mapped[str | None] = mapped_column(String(UUID_LEN))
    change_id: Mapped[str | None] = mapped_column(String(UUID_LEN))
    status: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)  # JSON


class SyncConflict(Base):
    """A field both sides changed: the owner's value won, the other is kept here (values as
    JSON wire values). Local to the desk; `resolved_at` is set when someone has looked."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_table_name_row_id", "table_name", "row_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(UUID_LEN))
    field: Mapped[str] = mapped_column(String(64))
    hq_value: Mapped[str | None] = mapped_column(Text)  # JSON
    branch_value: Mapped[str | None] = mapped_column(Text)  # JSON
    winner: Mapped[str] = mapped_column(String(8))  # "hq" / "branch"
    change_id: Mapped[str | None] = mapped_column(String(UUID_LEN))
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


SYNCED_TABLES = {
    mapper.class_.__tablename__: mapper.class_
    for mapper in Base.registry.mappers
    if getattr(mapper.class_, "__synced__", False)
}
