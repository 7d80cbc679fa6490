"""Employment lifecycle: leave date and reason on employees, append-only event history.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

from desktop.ids import uuid7
from desktop.store.types import UTCDateTime, utcnow

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("employee") as batch:
        batch.add_column(sa.Column("leave_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("leave_reason", sa.String(200), nullable=True))
    op.create_table(
        "employee_event",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("branch_id", sa.String(36), nullable=True),
        sa.Column("rev", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("employee_id", sa.String(36), sa.ForeignKey("employee.id"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("actor", sa.String(64), nullable=False),
    )
    op.create_index("ix_employee_event_branch_id", "employee_event", ["branch_id"])
    op.create_index("ix_employee_event_employee_id", "employee_event", ["employee_id"])
    # Employees hired before this revision get their hire event, so history is complete.
    bind = op.get_bind()
    now = utcnow().strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    hired = bind.execute(sa.text("SELECT id, branch_id, hire_date FROM employee")).all()
    if hired:
        bind.execute(
            sa.text(
                "INSERT INTO employee_event (id, branch_id, rev, updated_at, deleted,"
                " employee_id, kind, effective_date, reason, actor) VALUES (:id, :branch_id,"
                " 0, :now, 0, :employee_id, 'hire', :hire_date, NULL, 'migration')"
            ),
            [
                {"id": uuid7(), "branch_id": branch_id, "now": now, "employee_id": emp_id,
                 "hire_date": hire_date}
                for emp_id, branch_id, hire_date in hired
            ],
        )

def downgrade() -> None:
    op.drop_table("employee_event")
    with op.batch_alter_table("employee") as batch:
        batch.drop_column("leave_reason")
        batch.drop_column("leave_date")
