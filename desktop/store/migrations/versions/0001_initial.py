"""Initial branch store: branch, departments, employees, users, outbox, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

from desktop.ids import reference_id
from desktop.store.types import Money, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The group's standard departments: reference rows with the same id everywhere.
STANDARD_DEPARTMENTS = [
    ("finance", "财务", "Finance"),
    ("sales", "销售", "Sales"),
    ("collection", "催收", "Collection"),
]


def _synced_columns():
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("branch_id", sa.String(36), nullable=True),
        sa.Column("rev", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default="0"),
    ]


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "branch",
        *_synced_columns(),
        sa.Column("code", sa.String(32), nullable=False, unique=True),
        sa.Column("name", sa.String(100), nullable=False),
    )
    department = op.create_table(
        "department",
        *_synced_columns(),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_en", sa.String(100), nullable=False, server_default=""),
        sa.UniqueConstraint("branch_id", "code"),
    )
    op.create_table(
        "employee",
        *_synced_columns(),
        sa.Column("employee_no", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("gender", sa.String(1), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("department_id", sa.String(36), sa.ForeignKey("department.id"), nullable=False),
        sa.Column("position", sa.String(64), nullable=False),
        sa.Column("hire_date", sa.Date(), nullable=False),
        sa.Column("base_salary", Money(), nullable=False),
        sa.Column("bank_account", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.UniqueConstraint("branch_id", "employee_no"),
    )
    for table in ("branch", "department", "employee"):
        op.create_index(f"ix_{table}_branch_id", table, ["branch_id"])
    op.create_index("ix_employee_name", "employee", ["name"])
    op.create_index("ix_employee_phone", "employee", ["phone"])
    op.create_index("ix_employee_department_id", "employee", ["department_id"])
    op.create_index("ix_employee_status", "employee", ["status"])
    op.create_table(
        "app_user",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="1"),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("change_id", sa.String(36), nullable=False, unique=True),
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("op", sa.String(8), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("base_rev", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.bulk_insert(
        department,
        [
            {
                "id": reference_id("department", code),
                "branch_id": None,
                "rev": 0,
                "updated_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                "deleted": False,
                "code": code,
                "name": name,
                "name_en": name_en,
            }
            for code, name, name_en in STANDARD_DEPARTMENTS
        ],
    )


def downgrade() -> None:
    for table in ("audit_log", "outbox", "app_user", "employee", "department", "branch", "setting"):
        op.drop_table(table)
