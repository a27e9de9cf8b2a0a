"""PostgreSQL: the search document moves into a column of events (SQLite: nothing to do).

Revision ID: 0007
Revises: 0001
Create Date: 2026-11-29
"""

from alembic import op

from sectracker.store import dialect

revision = "0007"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for sql in dialect.search_column_sql(op.get_bind().dialect.name):
        op.execute(sql)


def downgrade() -> None:
    for sql in dialect.drop_search_column_sql(op.get_bind().dialect.name):
        op.execute(sql)
