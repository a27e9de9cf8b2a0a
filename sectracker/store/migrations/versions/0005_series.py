"""Indicator series with values and audit trail, numbered releases, and watch alerts.

Revision ID: 0005
Revises: 0001
Create Date: 2026-12-08
"""

import sqlalchemy as sa
from alembic import op

from sectracker.store import dialect

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
KEY = dialect.key_string


def upgrade() -> None:
    op.create_table(
        "series",
        sa.Column("id", KEY(100), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("frequency", sa.String(16), nullable=False),
        sa.Column("year_start_month", sa.Integer, nullable=False),
        sa.Column("country", sa.String(3)),
        sa.Column("mission", sa.String(32)),
        sa.Column("category", KEY(64)),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "series_values",
        sa.Column("series_id", KEY(100), sa.ForeignKey("series.id", ondelete="CASCADE"), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("qualifier", sa.String(16), nullable=False),
        sa.Column("provenance", sa.Text),
        sa.Column("note", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("series_id", "date"),
    )
    op.create_table(
        "series_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("series_id", KEY(100), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("user", sa.String(100), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("before", sa.Text),
        sa.Column("after", sa.Text),
        sa.Column("reason", sa.Text),
    )
    op.create_index("ix_series_audit_series", "series_audit", ["series_id", "id"])
    op.create_table(
        "releases",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("manifest", sa.Text, nullable=False),
    )
    op.create_index("ix_releases_period", "releases", ["period", "number"])
    op.create_table(
        "watch_alerts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("rule_id", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("fired_at", TZ, nullable=False),
        sa.Column("subject_date", sa.Date),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
    )
    op.create_index("ux_watch_alerts_key", "watch_alerts", ["key"], unique=True)
    op.create_index("ix_watch_alerts_rule", "watch_alerts", ["rule_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_watch_alerts_rule", "watch_alerts")
    op.drop_index("ux_watch_alerts_key", "watch_alerts")
    op.drop_index("ix_releases_period", "releases")
    op.drop_index("ix_series_audit_series", "series_audit")
    for name in ("watch_alerts", "releases", "series_audit", "series_values", "series"):
        op.drop_table(name)
