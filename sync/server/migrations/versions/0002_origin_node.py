"""Synced rows remember the desk whose push produced their version as it was sent (status
applied), so that desk's pulls skip it: it holds that version already, and took its rev
from the push result. A first push of a whole branch no longer comes back in the pull.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("branch", "department", "employee", "employee_event")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("origin_node", sa.String(64), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("origin_node")
