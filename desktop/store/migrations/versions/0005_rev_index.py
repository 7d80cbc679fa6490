"""An index on `rev` of every synced table: the end-of-cycle check against HQ counts the rows
changed since the last check (rev above a mark), and must not read a whole table for it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = ("branch", "department", "employee", "employee_event")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_rev", table, ["rev"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_rev", table)
