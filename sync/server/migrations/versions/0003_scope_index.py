"""Synced tables are indexed on (branch_id, rev), replacing the branch_id index: a pull's
and a digest's rows (one branch's, or the group's, above a rev) become index ranges. With
the rev index alone, PostgreSQL read a whole branch's rows when its statistics were stale
(right after a large push), and walked every branch's rows above the cursor otherwise.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TABLES = ("branch", "department", "employee", "employee_event")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_branch_id_rev", table, ["branch_id", "rev"])
        op.drop_index(f"ix_{table}_branch_id", table_name=table)


def downgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_branch_id", table, ["branch_id"])
        op.drop_index(f"ix_{table}_branch_id_rev", table_name=table)
