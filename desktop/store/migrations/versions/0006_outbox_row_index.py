"""An index on the outbox's row_id: a sync asks which entries wait for given rows (a pulled
page's rows with local changes; which waiting edit is a row's first), and read the whole
outbox for each question without it (a first push of 200,000 entries, once a batch).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite keeps the rowid (seq) in the index: a row's entries come out in seq order.
    op.create_index("ix_outbox_row_id", "outbox", ["row_id"])


def downgrade() -> None:
    op.drop_index("ix_outbox_row_id", "outbox")
