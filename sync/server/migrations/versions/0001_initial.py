"""HQ initial schema: synced tables (+ rev, field_meta), nodes, enrollment codes, HQ users,
processed changes, conflicts, moves, the rev counter; the group's standard departments.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

import datetime as dt

import sqlalchemy as sa
from alembic import op

from sync.server.ids import reference_id
from sync.server.types import Money, UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# The group's standard departments: the same ids the desks create (uuid5 of the namespace).
STANDARD_DEPARTMENTS = [
    ("finance", "财务", "Finance"),
    ("sales", "销售", "Sales"),
    ("collection", "催收", "Collection"),
]


def _synced(name, *columns, **kw):
    table = op.create_table(
        name,
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("branch_id", sa.String(36), nullable=True),
        sa.Column("rev", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("field_meta", sa.JSON(), nullable=False),
        *columns,
        **kw,
    )
    op.create_index(f"ix_{name}_branch_id", name, ["branch_id"])
    op.create_index(f"ix_{name}_rev", name, ["rev"])
    return table


def upgrade() -> None:
    bind = op.get_bind()
    postgres = bind.dialect.name == "postgresql"
    _synced(
        "branch",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.UniqueConstraint("code", name="uq_branch_code"),
    )
    department = _synced(
        "department",
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("name_en", sa.String(100), nullable=False),
        sa.UniqueConstraint("branch_id", "code", name="uq_department_branch_id_code"),
    )
    _synced(
        "employee",
        sa.Column("employee_no", sa.String(32), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("gender", sa.String(1), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("department_id", sa.String(36),
                  sa.ForeignKey("department.id", name="fk_employee_department_id_department"),
                  nullable=False),
        sa.Column("position", sa.String(64), nullable=False),
        sa.Column("hire_date", sa.Date(), nullable=False),
        sa.Column("base_salary", Money(), nullable=False),
        sa.Column("bank_account", sa.String(32), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("leave_date", sa.Date(), nullable=True),
        sa.Column("leave_reason", sa.String(200), nullable=True),
        sa.UniqueConstraint("branch_id", "employee_no", name="uq_employee_branch_id_employee_no"),
    )
    op.create_index("ix_employee_employee_no", "employee", ["employee_no"])
    op.create_index("ix_employee_department_id", "employee", ["department_id"])
    _synced(
        "employee_event",
        sa.Column("employee_id", sa.String(36),
                  sa.ForeignKey("employee.id", name="fk_employee_event_employee_id_employee"),
                  nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False),
    )
    op.create_index("ix_employee_event_employee_id", "employee_event", ["employee_id"])

    op.create_table(
        "nodes",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("branch_id", sa.String(36),
                  sa.ForeignKey("branch.id", name="fk_nodes_branch_id_branch"), nullable=False),
        sa.Column("device_name", sa.String(100), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=True),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("token_hash", name="uq_nodes_token_hash"),
    )
    op.create_index("ix_nodes_branch_id", "nodes", ["branch_id"])
    op.create_table(
        "enrollment_codes",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("branch_id", sa.String(36),
                  sa.ForeignKey("branch.id", name="fk_enrollment_codes_branch_id_branch"),
                  nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("node_id", sa.String(36), nullable=True),
        sa.UniqueConstraint("code_hash", name="uq_enrollment_codes_code_hash"),
    )
    op.create_index("ix_enrollment_codes_branch_id", "enrollment_codes", ["branch_id"])
    op.create_table(
        "hq_users",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("revoked_at", UTCDateTime(), nullable=True),
        sa.UniqueConstraint("name", name="uq_hq_users_name"),
        sa.UniqueConstraint("token_hash", name="uq_hq_users_token_hash"),
    )
    op.create_table(
        "processed_changes",
        sa.Column("change_id", sa.String(64), primary_key=True),
        sa.Column("node_id", sa.String(64), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "conflicts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("branch_id", sa.String(36), nullable=True),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("hq_value", sa.JSON(), nullable=True),
        sa.Column("branch_value", sa.JSON(), nullable=True),
        sa.Column("winner", sa.String(8), nullable=False),
        sa.Column("base_rev", sa.BigInteger(), nullable=False),
        sa.Column("rev", sa.BigInteger(), nullable=False),
        sa.Column("node_id", sa.String(64), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_conflicts_table_row", "conflicts", ["table_name", "row_id"])
    op.create_index("ix_conflicts_branch_id", "conflicts", ["branch_id"])
    op.create_table(
        "moves",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("rev", sa.BigInteger(), nullable=False),
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("from_branch_id", sa.String(36), nullable=False),
        sa.Column("to_branch_id", sa.String(36), nullable=True),
    )
    op.create_index("ix_moves_rev", "moves", ["rev"])
    op.create_index("ix_moves_from_branch_id", "moves", ["from_branch_id"])

    seeded = len(STANDARD_DEPARTMENTS)
    # The departments take revs 1..3, so a desk's first pull (after=0) receives them.
    op.bulk_insert(
        department,
        [
            {
                "id": reference_id("department", code),
                "branch_id": None,
                "rev": rev,
                "updated_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
                "deleted": False,
                "field_meta": {},
                "code": code,
                "name": name,
                "name_en": name_en,
            }
            for rev, (code, name, name_en) in enumerate(STANDARD_DEPARTMENTS, start=1)
        ],
    )
    if postgres:
        op.execute(f"CREATE SEQUENCE hq_rev_seq AS BIGINT START WITH {seeded + 1} MINVALUE 1")
    else:
        counter = op.create_table(
            "hq_rev_counter",
            sa.Column("id", sa.Integer(), primary_key=True),
            sa.Column("value", sa.BigInteger(), nullable=False),
        )
        op.bulk_insert(counter, [{"id": 1, "value": seeded}])


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP SEQUENCE hq_rev_seq")
    else:
        op.drop_table("hq_rev_counter")
    for table in ("moves", "conflicts", "processed_changes", "hq_users", "enrollment_codes",
                  "nodes", "employee_event", "employee", "department", "branch"):
        op.drop_table(table)
