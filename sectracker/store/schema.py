"""Table definitions used by queries (the schema itself is created by migrations only)."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

events = Table(
    "events",
    metadata,
    Column("id", String(100), primary_key=True),
    Column("headline", Text, nullable=False),
    Column("summary", Text, nullable=False, default=""),
    Column("category", String(64), nullable=False),
    Column("date_start", Date),
    Column("date_end", Date),
    Column("date_precision", String(16), nullable=False),
    Column("significance", Integer, nullable=False),
    Column("highlight", Boolean, nullable=False, default=False),
    Column("status", String(16), nullable=False),
    Column("confidence", Float),
    Column("codebook_version", String(32), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("version", Integer, nullable=False, default=1),
    Column("deleted_at", DateTime(timezone=True)),
    Index("ix_events_date", "date_start", "id"),
    Index("ix_events_category_date", "category", "date_start"),
    Index("ix_events_status_date", "status", "date_start"),
)


def _child(name: str, *columns: Column, pk_cols: tuple[str, ...] = ()) -> Table:
    return Table(
        name,
        metadata,
        Column(
            "event_id",
            String(100),
            ForeignKey("events.id", ondelete="CASCADE"),
            nullable=False,
            primary_key=bool(pk_cols),
        ),
        *columns,
    )


event_countries = _child("event_countries", Column("iso3", String(3), primary_key=True), pk_cols=("iso3",))
Index("ix_event_countries_iso3", event_countries.c.iso3, event_countries.c.event_id)

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
    Column("document_id", String(64)),
    Column("ev_start", Integer),
    Column("ev_end", Integer),
    Column("ev_text", Text),
)
Index("ix_sources_event", sources.c.event_id)
Index("ix_sources_document", sources.c.document_id)

documents = Table(
    "documents",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("title", Text),
    Column("url", Text),
    Column("publisher", Text),
    Column("published", Date),
    Column("language", String(16)),
    Column("path", Text),
    Column("text", Text, nullable=False),
    Column("fetched_at", DateTime(timezone=True), nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String(100), nullable=False),
    Column("action", String(32), nullable=False),
    Column("user", String(100), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("before", Text),
    Column("after", Text),
    Column("reason", Text),
    Index("ix_audit_event", "event_id", "id"),
)

CHILD_TABLES = (event_countries, event_actors, event_tags, event_locations, event_quantities, sources)
