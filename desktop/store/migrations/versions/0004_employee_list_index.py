"""A covering index for the employees list: the columns it filters, sorts and searches on,
plus the id it returns, so listing and searching 100,000 employees reads only the index.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = ["branch_id", "employee_no", "deleted", "status", "department_id", "name", "phone",
           "id"]


def upgrade() -> None:
    op.create_index("ix_employee_list", "employee", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_employee_list", "employee")
