"""Initial schema: events with their countries, actors, tags, locations, quantities,
sources, documents, the audit log and the full-text index.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

from sectracker.store import dialect

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
KEY = dialect.key_string  # byte-order sorting keys on PostgreSQL too


def _event_fk():
    return sa.Column("event_id", KEY(100), sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("id", KEY(100), primary_key=True),
        sa.Column("headline", sa.Text, nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("category", KEY(64), nullable=False),
        sa.Column("date_start", sa.Date),
        sa.Column("date_end", sa.Date),
        sa.Column("date_precision", sa.String(16), nullable=False),
        sa.Column("significance", sa.Integer, nullable=False),
        sa.Column("highlight", sa.Boolean, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float),
        sa.Column("codebook_version", sa.String(32), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("deleted_at", TZ),
    )
    for sql in dialect.date_sort_index_sql(op.get_bind().dialect.name):
        op.execute(sql)
    for name, col, length in (("event_countries", "iso3", 3), ("event_actors", "actor", 64), ("event_tags", "tag", 64)):
        op.create_table(
            name,
            _event_fk(),
            sa.Column(col, sa.String(length), nullable=False),
            sa.PrimaryKeyConstraint("event_id", col),
        )
        op.create_index(f"ix_{name}_{col}", name, [col, "event_id"])
    op.create_table(
        "event_locations",
        _event_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("precision", sa.String(16), nullable=False),
    )
    op.create_index("ix_event_locations_event", "event_locations", ["event_id"])
    op.create_table(
        "event_quantities",
        _event_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.Text, nullable=False),
        sa.Column("item", sa.Text),
        sa.Column("text", sa.Text),
    )
    op.create_index("ix_event_quantities_event", "event_quantities", ["event_id"])
    op.create_table(
        "sources",
        _event_fk(),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("publisher", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("document_id", KEY(64)),
        sa.Column("ev_start", sa.Integer),
        sa.Column("ev_end", sa.Integer),
        sa.Column("ev_text", sa.Text),
    )
    op.create_index("ix_sources_event", "sources", ["event_id"])
    op.create_index("ix_sources_document", "sources", ["document_id"])
    op.create_table(
        "documents",
        sa.Column("id", KEY(64), primary_key=True),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("publisher", sa.Text),
        sa.Column("published", sa.Date),
        sa.Column("language", sa.String(16)),
        sa.Column("path", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("fetched_at", TZ, nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("event_id", KEY(100), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_audit_event", "audit_log", ["event_id", "id"])
    for sql in dialect.create_search_index_sql(op.get_bind().dialect.name):
        op.execute(sql)


def downgrade() -> None:
    for sql in dialect.drop_search_index_sql(op.get_bind().dialect.name):
        op.execute(sql)
    for name in (
        "audit_log",
        "documents",
        "sources",
        "event_quantities",
        "event_locations",
        "event_tags",
        "event_actors",
        "event_countries",
        "events",
    ):
        op.drop_table(name)
