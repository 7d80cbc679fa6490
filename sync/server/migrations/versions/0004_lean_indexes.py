"""A push writes fewer indexes: dropped are the employee_no index (every lookup by number
names the branch: the (branch_id, employee_no) unique index), the department_id and
employee_id indexes and the two foreign keys they served. HQ checks each reference as it
applies a push (sync.server.replication: MISSING_REFERENCE, FOREIGN_REFERENCE), and no
synced row is ever deleted (a delete is a tombstone), so the constraints could never fire;
their triggers and indexes were a third of the database's work for each new employee.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# (table, column, the table it refers to)
REFERENCES = (("employee", "department_id", "department"),
              ("employee_event", "employee_id", "employee"))
NAMING = {"fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s"}


def upgrade() -> None:
    op.drop_index("ix_employee_employee_no", table_name="employee")
    # Children first: SQLite drops a constraint by rebuilding the table (batch), and
    # dropping the old employee table while events still referred to it failed.
    for table, column, target in reversed(REFERENCES):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
        with op.batch_alter_table(table, naming_convention=NAMING) as batch:
            batch.drop_constraint(f"fk_{table}_{column}_{target}", type_="foreignkey")


def downgrade() -> None:
    for table, column, target in REFERENCES:
        with op.batch_alter_table(table, naming_convention=NAMING) as batch:
            batch.create_foreign_key(f"fk_{table}_{column}_{target}", target, [column], ["id"])
        op.create_index(f"ix_{table}_{column}", table, [column])
    op.create_index("ix_employee_employee_no", "employee", ["employee_no"])
