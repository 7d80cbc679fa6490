"""An index on the sync log's status: every cycle that pushed asks for the pulled rows this
desk could not store (status "rejected", kind "pull") twice, and the Sync view for the
rejections and errors; by kind alone that read every cycle's "pull" entry, one more a cycle
for as long as the desk syncs.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_sync_log_status_kind", "sync_log", ["status", "kind"])


def downgrade() -> None:
    op.drop_index("ix_sync_log_status_kind", "sync_log")
