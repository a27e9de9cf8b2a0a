"""Events as one polars DataFrame, built once from the store (or from Event records).

Every analysis takes this frame. One row per event:

    eid (u32), id, headline, category, section, date (start), date_end, significance,
    highlight, status, actors (list), tags (list), countries (list of ISO3)

`pairs` explodes it to one row per event and counterpart country (`country`; null
for an event without one), the unit that country conditions and groups work on. A
pairs frame carries the event's scalar columns; `attach` adds others when needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from sqlalchemy import select

from sectracker.models import Event, Status
from sectracker.store.db import Database
from sectracker.store.schema import event_actors, event_countries, event_tags, events

EVENT_SCHEMA: dict[str, Any] = {
    "eid": pl.UInt32,
    "id": pl.String,
    "headline": pl.String,
    "category": pl.String,
    "section": pl.String,
    "date": pl.Date,
    "date_end": pl.Date,
    "significance": pl.Int8,
    "highlight": pl.Boolean,
    "status": pl.String,
    "actors": pl.List(pl.String),
    "tags": pl.List(pl.String),
    "countries": pl.List(pl.String),
}
_BASE = ("id", "headline", "category", "date", "date_end", "significance", "highlight", "status")


def empty_frame() -> pl.DataFrame:
    return pl.DataFrame(schema=EVENT_SCHEMA)


def _finish(base: pl.DataFrame) -> pl.DataFrame:
    """Add eid and section, fix the column order and types."""
    return (
        base.sort("date", "id", nulls_last=True)
        .with_row_index("eid")
        .with_columns(pl.col("category").str.split(".").list.first().alias("section"))
        .select(list(EVENT_SCHEMA))
        .cast(EVENT_SCHEMA)  # type: ignore[arg-type]
    )


def events_frame(items: Sequence[Event]) -> pl.DataFrame:
    """The analysis frame for Event records (e.g. an edition's events)."""
    if not items:
        return empty_frame()
    base = pl.DataFrame(
        {
            "id": [e.id for e in items],
            "headline": [e.headline for e in items],
            "category": [e.category for e in items],
            "date": [e.date_start for e in items],
            "date_end": [e.date_end for e in items],
            "significance": [e.significance for e in items],
            "highlight": [e.highlight for e in items],
            "status": [e.status.value for e in items],
            "actors": [list(e.actors) for e in items],
            "tags": [list(e.tags) for e in items],
            "countries": [list(e.countries) for e in items],
        },
        schema={k: v for k, v in EVENT_SCHEMA.items() if k not in ("eid", "section")},
    )
    return _finish(base)


def load_events_frame(db: Database, *, include_rejected: bool = False) -> pl.DataFrame:
    """Every event in the store that is not deleted (nor rejected, unless asked) as one frame."""
    c = events.c
    stmt = select(c.id, c.headline, c.category, c.date_start, c.date_end, c.significance, c.highlight, c.status).where(
        c.deleted_at.is_(None)
    )
    if not include_rejected:
        stmt = stmt.where(c.status != Status.rejected.value)
    with db.connect() as conn:
        rows = [tuple(r) for r in conn.execute(stmt)]
        children = {
            "countries": _child(conn, event_countries, "iso3"),
            "actors": _child(conn, event_actors, "actor"),
            "tags": _child(conn, event_tags, "tag"),
        }
    schema = {k: EVENT_SCHEMA[k] for k in _BASE}
    base = pl.DataFrame(rows, schema=schema, orient="row")
    for name, child in children.items():
        base = base.join(child, on="id", how="left").with_columns(
            pl.col(name).fill_null(pl.lit([], dtype=pl.List(pl.String)))
        )
    return _finish(base)


def _child(conn: Any, table: Any, column: str) -> pl.DataFrame:
    rows = [tuple(r) for r in conn.execute(select(table.c.event_id, table.c[column]))]
    name = {"iso3": "countries", "actor": "actors", "tag": "tags"}[column]
    frame = pl.DataFrame(rows, schema={"id": pl.String, column: pl.String}, orient="row")
    return frame.sort("id", column).group_by("id", maintain_order=True).agg(pl.col(column).alias(name))


# Columns every pairs frame carries; list columns (actors, tags, countries) and the
# headline are gathered only when asked for, which keeps exploding a large frame cheap.
PAIR_COLUMNS = ("id", "category", "section", "date", "date_end", "significance", "highlight", "status")


def pairs(frame: pl.DataFrame, keep: pl.Series | None = None, extra: Sequence[str] = ()) -> pl.DataFrame:
    """One row per event and counterpart country (`country`, null when the event has none).

    `keep` is an optional boolean mask over the frame's events; `extra` names further
    event columns to carry (e.g. "actors", "headline").
    """
    chosen = frame.select("eid", "countries") if keep is None else frame.select("eid", "countries").filter(keep)
    base = chosen.explode("countries", empty_as_null=True).rename({"countries": "country"})
    columns = [c for c in (*PAIR_COLUMNS, *extra) if c not in base.columns]
    if _positional(frame):
        rows = base["eid"].cast(pl.Int64)
        return base.with_columns(frame[c].gather(rows) for c in columns).select("eid", *columns, "country")
    return base.join(frame.select("eid", *columns), on="eid", how="left", maintain_order="left").select(
        "eid", *columns, "country"
    )


def _positional(frame: pl.DataFrame) -> bool:
    """True when eid is the row number (as `events_frame` and the loader make it)."""
    n = frame.height
    if n == 0:
        return True
    eid = frame["eid"]
    return bool(eid[0] == 0 and eid[n - 1] == n - 1 and eid.is_sorted() and eid.n_unique() == n)


def attach(selected: pl.DataFrame, frame: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
    """Selected pairs with more event columns from the frame (by eid)."""
    wanted = [c for c in columns if c not in selected.columns]
    if not wanted:
        return selected
    if _positional(frame):
        rows = selected["eid"].cast(pl.Int64)
        return selected.with_columns(frame[c].gather(rows) for c in wanted)
    return selected.join(frame.select("eid", *wanted), on="eid", how="left", maintain_order="left")
