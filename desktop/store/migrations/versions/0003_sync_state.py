"""Sync state: the local sync log and the conflicts table (not synced). The pull cursor and
the last sync time are `setting` rows.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

from desktop.store.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_log",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("table_name", sa.String(64), nullable=True),
        sa.Column("row_id", sa.String(36), nullable=True),
        sa.Column("change_id", sa.String(36), nullable=True),
        sa.Column("status", sa.String(16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
    )
    op.create_index("ix_sync_log_kind", "sync_log", ["kind"])
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("table_name", sa.String(64), nullable=False),
        sa.Column("row_id", sa.String(36), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("hq_value", sa.Text(), nullable=True),
        sa.Column("branch_value", sa.Text(), nullable=True),
        sa.Column("winner", sa.String(8), nullable=False),
        sa.Column("change_id", sa.String(36), nullable=True),
        sa.Column("resolved_at", UTCDateTime(), nullable=True),
    )
    op.create_index("ix_sync_conflict_table_name_row_id", "sync_conflict",
                    ["table_name", "row_id"])


def downgrade() -> None:
    op.drop_table("sync_conflict")
    op.drop_table("sync_log")
