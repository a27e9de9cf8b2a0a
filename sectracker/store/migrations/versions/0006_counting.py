"""Counting at scale: event date spans, covering date indexes, event columns on country links.

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-28
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

from sectracker.store import dialect

revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None

OLD_DATE_INDEXES = ("ix_events_date", "ix_events_category_date", "ix_events_status_date")
LINK_TYPES: dict[str, sa.types.TypeEngine[Any]] = {
    "date_start": sa.Date(),
    "date_end": sa.Date(),
    "category": dialect.key_string(64),
    "status": sa.String(16),
    "deleted_at": sa.DateTime(timezone=True),
}


def upgrade() -> None:
    name = op.get_bind().dialect.name
    op.execute(dialect.date_span_column_sql(name))
    op.create_index("ix_events_span", "events", ["date_span"])
    for index in OLD_DATE_INDEXES:
        op.drop_index(index, table_name="events")
    for sql in dialect.covering_date_index_sql(name):
        op.execute(sql)
    for column in dialect.LINK_EVENT_COLUMNS:
        op.add_column("event_countries", sa.Column(column, LINK_TYPES[column]))
    cols = ", ".join(dialect.LINK_EVENT_COLUMNS)
    op.execute(
        f"UPDATE event_countries SET ({cols}) = (SELECT {cols} FROM events WHERE events.id = event_countries.event_id)"
    )
    op.create_index("ix_event_countries_date", "event_countries", [*dialect.LINK_EVENT_COLUMNS, "iso3"])
    # Filters by country read the dates, category and status of its events from this index alone.
    op.drop_index("ix_event_countries_iso3", table_name="event_countries")
    op.create_index("ix_event_countries_iso3", "event_countries", ["iso3", *dialect.LINK_EVENT_COLUMNS, "event_id"])
    for sql in dialect.link_sync_trigger_sql(name):
        op.execute(sql)


def downgrade() -> None:
    name = op.get_bind().dialect.name
    for sql in dialect.drop_link_sync_trigger_sql(name):
        op.execute(sql)
    op.drop_index("ix_event_countries_iso3", table_name="event_countries")
    op.create_index("ix_event_countries_iso3", "event_countries", ["iso3", "event_id"])
    op.drop_index("ix_event_countries_date", table_name="event_countries")
    for column in reversed(dialect.LINK_EVENT_COLUMNS):
        op.drop_column("event_countries", column)
    for index in OLD_DATE_INDEXES:
        op.drop_index(index, table_name="events")
    for sql in dialect.date_sort_index_sql(name):
        op.execute(sql)
    op.drop_index("ix_events_span", table_name="events")
    op.drop_column("events", "date_span")
