"""Country reference data imported from outside files: World Bank income groups by
fiscal year, Belt and Road participation by source, and UN-vote agreement with China.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-28
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "country_income",
        sa.Column("iso3", sa.String(8), nullable=False),
        sa.Column("fiscal_year", sa.Integer, nullable=False),
        sa.Column("income_group", sa.String(24)),
        sa.Column("code_raw", sa.String(32)),
        sa.Column("source", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("iso3", "fiscal_year"),
    )
    op.create_table(
        "country_bri",
        sa.Column("iso3", sa.String(8), nullable=False),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("name_in_source", sa.Text),
        sa.Column("join_date", sa.Date),
        sa.Column("join_year", sa.Integer),
        sa.Column("exit_date", sa.Date),
        sa.Column("listed_on", sa.Date),
        sa.Column("file", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("iso3", "source"),
    )
    op.create_table(
        "country_alignment",
        sa.Column("iso3", sa.String(8), nullable=False),
        sa.Column("basis", sa.String(8), nullable=False),
        sa.Column("period", sa.Integer, nullable=False),
        sa.Column("agreement", sa.Float, nullable=False),
        sa.Column("votes", sa.Integer, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("iso3", "basis", "period"),
    )
    op.create_index("ix_country_alignment_period", "country_alignment", ["basis", "period"])


def downgrade() -> None:
    op.drop_index("ix_country_alignment_period", "country_alignment")
    for name in ("country_alignment", "country_bri", "country_income"):
        op.drop_table(name)
