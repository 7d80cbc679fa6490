"""Moves are indexed on (from_branch_id, rev), replacing the from_branch_id index: the
move_outs of a pull page (a branch's moves above the cursor, in rev order) become an index
range, as 0003 made the synced tables' rows. Through the rev index PostgreSQL read every
branch's moves above the cursor for each page.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_moves_from_branch_id_rev", "moves", ["from_branch_id", "rev"])
    op.drop_index("ix_moves_from_branch_id", table_name="moves")


def downgrade() -> None:
    op.create_index("ix_moves_from_branch_id", "moves", ["from_branch_id"])
    op.drop_index("ix_moves_from_branch_id_rev", table_name="moves")
