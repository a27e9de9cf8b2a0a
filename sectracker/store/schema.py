"""Table definitions used by queries (the schema itself is created by migrations only).

Every table of every migration is declared here (a test compares a migrated database
with this metadata), so `db copy` and the checksums see the whole tracker.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Computed,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
)

from sectracker.store.dialect import key_string


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (UTC) on every backend.

    SQLite keeps no offset and returns naive datetimes; PostgreSQL returns them in the
    session's time zone. This is the one place where both become aware UTC values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQLite text, e.g. from a column read without this type
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData()

events = Table(
    "events",
    metadata,
    Column("id", key_string(100), primary_key=True),
    Column("headline", Text, nullable=False),
    Column("summary", Text, nullable=False, default=""),
    Column("category", key_string(64), nullable=False),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("date_precision", String(16), nullable=False),
    Column("significance", Integer, nullable=False),
    Column("highlight", Boolean, nullable=False, default=False),
    Column("status", String(16), nullable=False),
    Column("confidence", Float),
    Column("codebook_version", String(32), nullable=False, default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("deleted_at", UTCDateTime),
    # Days from date_start to date_end, computed by the database (migration 0006): never written.
    Column("date_span", Integer, Computed("date_end - date_start")),
    Index("ix_events_span", "date_span"),
    Index("ix_events_date", "date_start", "date_end", "category", "status", "deleted_at"),
    Index("ix_events_category_date", "category", "date_start", "date_end", "status", "deleted_at"),
    Index("ix_events_status_date", "status", "date_start", "date_end", "category", "deleted_at"),
)


def _child(name: str, *columns: Column, pk_cols: tuple[str, ...] = ()) -> Table:
    return Table(
        name,
        metadata,
        Column(
            "event_id",
            key_string(100),
            ForeignKey("events.id", ondelete="CASCADE"),
            nullable=False,
            primary_key=bool(pk_cols),
        ),
        *columns,
    )


# Each link also holds its event's dates, category, status and deletion time (written with
# the link, kept equal by a trigger: migration 0006), so counts by country read one index.
event_countries = _child(
    "event_countries",
    Column("iso3", String(3), primary_key=True),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("category", key_string(64)),
    Column("status", String(16)),
    Column("deleted_at", UTCDateTime),
    pk_cols=("iso3",),
)
Index(
    "ix_event_countries_iso3",
    *(event_countries.c[c] for c in ("iso3", "date_start", "date_end", "category", "status", "deleted_at", "event_id")),
)
Index(
    "ix_event_countries_date",
    *(event_countries.c[c] for c in ("date_start", "date_end", "category", "status", "deleted_at", "iso3")),
)

event_actors = _child("event_actors", Column("actor", String(64), primary_key=True), pk_cols=("actor",))
Index("ix_event_actors_actor", event_actors.c.actor, event_actors.c.event_id)

event_tags = _child("event_tags", Column("tag", String(64), primary_key=True), pk_cols=("tag",))
Index("ix_event_tags_tag", event_tags.c.tag, event_tags.c.event_id)

event_locations = _child(
    "event_locations",
    Column("position", Integer, nullable=False),
    Column("name", Text, nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("precision", String(16), nullable=False),
)
Index("ix_event_locations_event", event_locations.c.event_id)

event_quantities = _child(
    "event_quantities",
    Column("position", Integer, nullable=False),
    Column("value", Float, nullable=False),
    Column("unit", Text, nullable=False),
    Column("item", Text),
    Column("text", Text),
)
Index("ix_event_quantities_event", event_quantities.c.event_id)

sources = _child(
    "sources",
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("publisher", Text),
    Column("url", Text),
    Column("published", Date),
    Column("document_id", key_string(64)),
    Column("ev_start", Integer),
    Column("ev_end", Integer),
    Column("ev_text", Text),
)
Index("ix_sources_event", sources.c.event_id)
Index("ix_sources_document", sources.c.document_id)

documents = Table(
    "documents",
    metadata,
    Column("id", key_string(64), primary_key=True),
    Column("title", Text),
    Column("url", Text),
    Column("publisher", Text),
    Column("published", Date),
    Column("language", String(16)),
    Column("path", Text),
    Column("text", Text, nullable=False),
    Column("fetched_at", UTCDateTime, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", key_string(100), nullable=False),
    Column("action", String(32), nullable=False),
    Column("user", String(100), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("before", Text),
    Column("after", Text),
    Column("reason", Text),
    Index("ix_audit_event", "event_id", "id"),
)

CHILD_TABLES = (event_countries, event_actors, event_tags, event_locations, event_quantities, sources)

# Accounts (migration 0004): users with a role, login sessions, API tokens and
# failed login attempts (kept in the database so that every server process sees them).
users = Table(
    "users",
    metadata,
    Column("username", key_string(64), primary_key=True),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("password_changed_at", UTCDateTime, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("username", key_string(64), ForeignKey("users.username", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Index("ix_sessions_username", "username"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("username", key_string(64), ForeignKey("users.username", ondelete="CASCADE"), nullable=False),
    Column("label", String(100), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Index("ix_api_tokens_username", "username"),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_login_attempts_key_at", "key", "at"),
)

# Ingest (migration 0002): one row per `sectracker ingest` run, and the documents that
# failed in it, each with its reason.
ingest_runs = Table(
    "ingest_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("inputs", Text, nullable=False),  # JSON list of the inputs named
    Column("documents_new", Integer, nullable=False, default=0),
    Column("documents_seen", Integer, nullable=False, default=0),
    Column("candidates", Integer, nullable=False, default=0),
    Column("failures", Integer, nullable=False, default=0),
)

ingest_failures = Table(
    "ingest_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("ingest_runs.id", ondelete="CASCADE"), nullable=False),
    Column("source", Text, nullable=False),
    Column("line", Integer),
    Column("reason", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_ingest_failures_run", "run_id", "id"),
)

# Country reference data (migration 0003): imported World Bank income groups, Belt and
# Road participation (one row per country and source list) and UN-vote agreement with
# China (basis 'year' or 'session'). Codes are ISO3 or the source's own for former states.
country_income = Table(
    "country_income",
    metadata,
    Column("iso3", String(8), primary_key=True),
    Column("fiscal_year", Integer, primary_key=True),
    Column("income_group", String(24)),
    Column("code_raw", String(32)),
    Column("source", Text, nullable=False),
)

country_bri = Table(
    "country_bri",
    metadata,
    Column("iso3", String(8), primary_key=True),
    Column("source", String(64), primary_key=True),
    Column("name_in_source", Text),
    Column("join_date", Date),
    Column("join_year", Integer),
    Column("exit_date", Date),
    Column("listed_on", Date),
    Column("file", Text, nullable=False),
)

country_alignment = Table(
    "country_alignment",
    metadata,
    Column("iso3", String(8), primary_key=True),
    Column("basis", String(8), primary_key=True),
    Column("period", Integer, primary_key=True),
    Column("agreement", Float, nullable=False),
    Column("votes", Integer, nullable=False),
    Column("source", Text, nullable=False),
    Index("ix_country_alignment_period", "basis", "period"),
)

# Indicator series (migration 0005): a series, its values (each with provenance as JSON)
# and its audit trail, whose `after` holds the whole series as it was at each version.
series = Table(
    "series",
    metadata,
    Column("id", key_string(100), primary_key=True),
    Column("name", Text, nullable=False),
    Column("unit", String(32), nullable=False),
    Column("frequency", String(16), nullable=False),
    Column("year_start_month", Integer, nullable=False),
    Column("country", String(3)),
    Column("mission", String(32)),
    Column("category", key_string(64)),
    Column("description", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False),
)

series_values = Table(
    "series_values",
    metadata,
    Column("series_id", key_string(100), ForeignKey("series.id", ondelete="CASCADE"), primary_key=True),
    Column("date", Date, primary_key=True),
    Column("value", Float, nullable=False),
    Column("qualifier", String(16), nullable=False),
    Column("provenance", Text),
    Column("note", Text, nullable=False),
)

series_audit = Table(
    "series_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("series_id", key_string(100), nullable=False),
    Column("action", String(32), nullable=False),
    Column("user", String(100), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("before", Text),
    Column("after", Text),
    Column("reason", Text),
    Index("ix_series_audit_series", "series_id", "id"),
)

# Releases (migration 0005): one row per numbered release; the manifest (JSON) lists each
# event and series version it froze, the audit marks and the checksum of every file.
releases = Table(
    "releases",
    metadata,
    Column("number", Integer, primary_key=True, autoincrement=False),
    Column("period", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("manifest", Text, nullable=False),
    Index("ix_releases_period", "period", "number"),
)

# Watch alerts (migration 0005): each alert once (its `key`), with the evidence as JSON.
watch_alerts = Table(
    "watch_alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False),
    Column("rule_id", String(100), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("fired_at", UTCDateTime, nullable=False),
    Column("subject_date", Date),
    Column("title", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Index("ux_watch_alerts_key", "key", unique=True),
    Index("ix_watch_alerts_rule", "rule_id", "id"),
)
