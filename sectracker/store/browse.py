"""Browsing events: keyset pages, facet counts, monthly counts, evidence spans, related events.

Designed for large stores: pages follow an index order with a keyset cursor and
LIMIT (no OFFSET scans); facet counts are single GROUP BY queries on indexed
columns (category, status, date, and the country/actor/tag link tables).
All SQL is portable; full-text matching comes from the dialect adapter.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, and_, case, desc, extract, false, func, literal, or_, select

from sectracker.errors import NotFound, Problem, ValidationFailed
from sectracker.models import AuditEntry, Event, EventFilter, Status
from sectracker.store import audit
from sectracker.store.db import Database
from sectracker.store.queries import (
    countries_only,
    country_link_conditions,
    filter_conditions,
    is_deleted,
    link_conditions,
    load_events,
)
from sectracker.store.schema import (
    audit_log,
    event_actors,
    event_countries,
    event_locations,
    event_tags,
    events,
    sources,
)

# Sort name -> (column, descending); nullable columns sort their NULLs last.
SORT_KEYS: dict[str, tuple[tuple[Column[Any], bool], ...]] = {
    "date": ((events.c.date_start, True), (events.c.id, True)),
    "-date": ((events.c.date_start, False), (events.c.id, False)),
    "updated": ((events.c.updated_at, True), (events.c.id, False)),
    "significance": ((events.c.significance, True), (events.c.date_start, True), (events.c.id, False)),
    "category": ((events.c.category, False), (events.c.date_start, False), (events.c.id, False)),
    "id": ((events.c.id, False),),
}
LINK_FACETS = {
    "country": (event_countries, event_countries.c.iso3),
    "actor": (event_actors, event_actors.c.actor),
    "tag": (event_tags, event_tags.c.tag),
}
COLUMN_FACETS = {"category": events.c.category, "status": events.c.status}
FACETS = (*COLUMN_FACETS, *LINK_FACETS, "period", "year", "month", "region")


@dataclass(frozen=True)
class Page:
    """One page of events and the cursor of the next page (None on the last)."""

    events: list[Event]
    next_cursor: str | None


@dataclass(frozen=True)
class EvidenceSpan:
    """Where an event's source points into a stored document."""

    event_id: str
    headline: str
    status: str
    start: int
    end: int


def _encode_value(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date | datetime) else v


def _decode_value(column: Column[Any], v: Any) -> Any:
    if v is None:
        return None
    python_type = getattr(column.type, "impl", column.type).python_type  # a TypeDecorator wraps `impl`
    if python_type is datetime:
        return datetime.fromisoformat(v)
    if python_type is date:
        return date.fromisoformat(v)
    if not isinstance(v, python_type):
        raise TypeError(v)
    return v


def encode_cursor(sort: str, row: Any) -> str:
    keys = [_encode_value(getattr(row, col.name)) for col, _ in SORT_KEYS[sort]]
    raw = json.dumps({"s": sort, "k": keys}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(sort: str, cursor: str) -> list[Any]:
    """The key values in a cursor; ValidationFailed names the `cursor` field when it is bad."""
    bad = ValidationFailed(Problem("not a cursor from this listing (or from another sort order)", field="cursor"))
    if len(cursor) > 1000:
        raise bad
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        cols = SORT_KEYS[sort]
        if data["s"] != sort or len(data["k"]) != len(cols):
            raise bad
        return [_decode_value(col, v) for (col, _), v in zip(cols, data["k"], strict=True)]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise bad from exc


def _after(keys: Sequence[tuple[Column[Any], bool]], values: Sequence[Any]) -> ColumnElement[bool]:
    """Rows after `values` in the order of `keys`; NULL sorts lowest (as in SQLite and the date indexes)."""
    if not keys:
        return false()
    (col, desc), rest = keys[0], keys[1:]
    v, tail = values[0], _after(rest, values[1:])
    if v is None:
        # NULLs come last when descending, first when ascending (then every non-NULL follows).
        return and_(col.is_(None), tail) if desc else or_(col.is_not(None), and_(col.is_(None), tail))
    beyond = col < v if desc else col > v
    if col.nullable and desc:
        beyond = or_(beyond, col.is_(None))
    return or_(beyond, and_(col == v, tail))


def _order(keys: Sequence[tuple[Column[Any], bool]]) -> list[Any]:
    """ORDER BY terms with NULL lowest on every backend (NULLS LAST descending, FIRST ascending)."""
    out = []
    for col, descending in keys:
        term = col.desc() if descending else col.asc()
        if col.nullable:
            term = term.nulls_last() if descending else term.nulls_first()
        out.append(term)
    return out


def page_events(
    db: Database, f: EventFilter, *, sort: str = "date", limit: int = 50, cursor: str | None = None
) -> Page:
    """One page of matching events in `sort` order, after `cursor`."""
    if sort not in SORT_KEYS:
        raise ValidationFailed(Problem(f"unknown sort {sort!r}; use {', '.join(SORT_KEYS)}", field="sort"))
    keys = SORT_KEYS[sort]
    with db.connect() as conn:
        if countries_only(f) and sort in ("date", "-date"):
            # In date order, the country links' own index gives the page without reading events.
            link = event_countries.alias("page_link")
            link_keys = [(link.c.date_start, keys[0][1]), (link.c.event_id, keys[1][1])]
            conds = country_link_conditions(f, conn, link)
            if cursor:
                conds.append(_after(link_keys, decode_cursor(sort, cursor)))
            columns = [link.c.date_start, link.c.event_id.label("id")]
            stmt = select(*columns).distinct().where(*conds).order_by(*_order(link_keys)).limit(limit + 1)
        else:
            conds = filter_conditions(f, conn)
            if cursor:
                conds.append(_after(keys, decode_cursor(sort, cursor)))
            columns = list({c.name: c for c, _ in keys}.values())
            stmt = select(*columns).where(*conds).order_by(*_order(keys)).limit(limit + 1)
        rows = list(conn.execute(stmt))
        found = load_events(conn, [r.id for r in rows[:limit]], include_deleted=True)
    more = len(rows) > limit
    return Page(found, encode_cursor(sort, rows[limit - 1]) if more and limit > 0 else None)


def _period_key(year: int, month: int, facet: str) -> str:
    if facet == "year":
        return f"{year:04d}"
    if facet == "month":
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-H{1 if month <= 6 else 2}"


def _period_totals(counts: Iterable[tuple[int, int, int]], facet: str) -> list[tuple[str, int]]:
    """(period, count) in period order from (year, month, count) rows, summed by the facet's period."""
    totals: dict[str, int] = {}
    for year, month, n in counts:
        key = _period_key(year, month, facet)
        totals[key] = totals.get(key, 0) + n
    return sorted(totals.items())


def facet_counts(
    db: Database, f: EventFilter, facet: str, *, limit: int | None = 50, mapping: Mapping[str, str] | None = None
) -> list[tuple[str, int]]:
    """(value, number of matching events) for one facet, most frequent first (periods in order).

    `region` needs `mapping` (ISO3 code -> region name); an event in two countries of
    one region counts once.
    """
    if facet not in FACETS:
        raise ValidationFailed(Problem(f"unknown facet {facet!r}; use {', '.join(FACETS)}", field="facet"))
    with db.connect() as conn:
        if countries_only(f) and facet in (*COLUMN_FACETS, "period", "year", "month"):
            return _country_link_counts(conn, f, facet, limit)
        if facet in ("period", "year", "month"):
            return _date_counts(conn, filter_conditions(f, conn), facet)
        if facet in COLUMN_FACETS:
            col = COLUMN_FACETS[facet]
            stmt = select(col.label("k"), func.count().label("n")).where(*filter_conditions(f, conn)).group_by(col)
        elif facet in ("country", "region"):
            # Counted on the country links alone: each holds its event's dates, category and status.
            link = event_countries.alias("facet_link")
            conds = link_conditions(f, conn, link)
            if facet == "country":
                stmt = select(link.c.iso3.label("k"), func.count().label("n")).where(*conds).group_by(link.c.iso3)
            else:  # an event in two countries of one region counts once
                key = case(dict(mapping or {}), value=link.c.iso3, else_=None)
                n = func.count(func.distinct(link.c.event_id))
                stmt = select(key.label("k"), n.label("n")).where(*conds).group_by(key)
        else:
            table, _ = LINK_FACETS[facet]
            # Aliased so that the filter's own sub-select on the same table stays separate.
            link = table.alias("facet_link")
            col = link.c[LINK_FACETS[facet][1].name]
            stmt = (
                select(col.label("k"), func.count().label("n"))
                .select_from(link.join(events, events.c.id == link.c.event_id))
                .where(*filter_conditions(f, conn))
                .group_by(col)
            )
        stmt = stmt.order_by(desc("n"), "k")
        if limit is not None:
            stmt = stmt.limit(limit)
        return [(str(r.k), int(r.n)) for r in conn.execute(stmt) if r.k is not None]


def column_counts(db: Database, f: EventFilter) -> dict[tuple[str, str], int]:
    """Matching events counted by (category, status), in one query.

    Both are single-valued columns, so the total and the category and status facets of
    any narrower filter on them can be summed from these few rows instead of queried.
    Grouped by category alone, with one sum per status, so that the category-first date
    index gives the groups in order (grouping by both columns would sort every row).
    """
    with db.connect() as conn:
        if countries_only(f):
            link = event_countries.alias("count_link")
            category, status = link.c.category, link.c.status
            conds = country_link_conditions(f, conn, link)
            sums: list[ColumnElement[Any]] = [
                func.count(func.distinct(case((status == s.value, link.c.event_id)))) for s in Status
            ]
        else:
            category, status = events.c.category, events.c.status
            conds = filter_conditions(f, conn)
            sums = [func.sum(case((status == s.value, 1), else_=0)) for s in Status]
        stmt = select(category, *sums).where(*conds).group_by(category)
        return {
            (str(r[0]), s.value): int(n or 0)
            for r in conn.execute(stmt)
            for s, n in zip(Status, r[1:], strict=True)
            if n
        }


def _country_link_counts(conn: Connection, f: EventFilter, facet: str, limit: int | None) -> list[tuple[str, int]]:
    """Counts for a filter on countries (and link columns) alone, read from the country links' index.

    An event in two of the chosen countries counts once.
    """
    link = event_countries.alias("count_link")
    conds = country_link_conditions(f, conn, link)
    n = func.count(func.distinct(link.c.event_id)).label("n")
    if facet in COLUMN_FACETS:
        key = link.c[facet]
        stmt = select(key.label("k"), n).where(*conds).group_by(key).order_by(desc("n"), "k")
        if limit is not None:
            stmt = stmt.limit(limit)
        return [(str(r.k), int(r.n)) for r in conn.execute(stmt) if r.k is not None]
    year, month = extract("year", link.c.date_start), extract("month", link.c.date_start)
    stmt = select(year.label("y"), month.label("m"), n).where(*conds, link.c.date_start.is_not(None))
    rows = conn.execute(stmt.group_by(year, month))
    return _period_totals(((int(r.y), int(r.m), int(r.n)) for r in rows), facet)


def _date_counts(conn: Connection, conds: list[ColumnElement[bool]], facet: str) -> list[tuple[str, int]]:
    # Counted per day (read in order from the date index), then summed by period here.
    day = events.c.date_start
    stmt = select(day.label("d"), func.count().label("n")).where(*conds, day.is_not(None)).group_by(day)
    return _period_totals(((r.d.year, r.d.month, int(r.n)) for r in conn.execute(stmt)), facet)


def document_evidence(db: Database, document_id: str) -> list[EvidenceSpan]:
    """Every live event's evidence span in one document, in text order."""
    stmt = (
        select(events.c.id, events.c.headline, events.c.status, sources.c.ev_start, sources.c.ev_end)
        .join(events, events.c.id == sources.c.event_id)
        .where(
            sources.c.document_id == document_id,
            sources.c.ev_start.is_not(None),
            sources.c.ev_end.is_not(None),
            events.c.deleted_at.is_(None),
        )
        .order_by(sources.c.ev_start, events.c.id)
    )
    with db.connect() as conn:
        return [EvidenceSpan(r.id, r.headline, r.status, r.ev_start, r.ev_end) for r in conn.execute(stmt)]


def related_events(db: Database, event: Event, *, limit: int = 8, window_days: int = 90) -> list[Event]:
    """Live, non-rejected events near in time that share a country (or the category if it has none).

    The closest come first: most shared countries (and the same category), then the nearest date.
    """
    with db.connect() as conn:
        return related_in(conn, event, limit=limit, window_days=window_days)


def related_in(conn: Connection, event: Event, *, limit: int = 8, window_days: int = 90) -> list[Event]:
    """related_events on an open connection."""
    # With countries, read from the country links alone (they hold their event's dates,
    # category and status) and count the shared countries there.
    table = event_countries if event.countries else events
    c = table.c
    event_id = c.event_id if event.countries else c.id
    conds = [event_id != event.id, c.deleted_at.is_(None), c.status != Status.rejected.value]
    if event.date_start:
        span = timedelta(days=window_days)
        conds += [c.date_start >= event.date_start - span, c.date_start <= (event.date_end or event.date_start) + span]
    shared: ColumnElement[int]
    if event.countries:
        conds.append(c.iso3.in_(event.countries))
        shared = func.count()
    else:
        conds.append(c.category == event.category)
        shared = literal(0)
    stmt = (
        select(event_id.label("id"), c.category, c.date_start, shared.label("shared"))
        .where(*conds)
        .group_by(event_id, c.category, c.date_start)
        .order_by(c.date_start.desc().nulls_last(), event_id)
        .limit(200)
    )

    def closeness(r: Any) -> tuple[int, int, str]:
        alike = int(r.shared) + (r.category == event.category)
        gap = abs((r.date_start - event.date_start).days) if r.date_start and event.date_start else 10**6
        return (-alike, gap, r.id)

    near = sorted(conn.execute(stmt), key=closeness)[:limit]
    return load_events(conn, [r.id for r in near])  # only the closest few in full


@dataclass(frozen=True)
class EventView:
    """What an event's page shows: the event, whether it is deleted, its history and related events."""

    event: Event
    deleted: bool
    history: list[AuditEntry] | None
    related: list[Event]


def event_view(db: Database, event_id: str, *, public: bool, history: bool) -> EventView:
    """An event with what its page shows, read in one connection.

    `public`: as an anonymous reader sees it; a deleted or unverified event is then not
    found, and only verified events are related.
    """
    with db.connect() as conn:
        found = load_events(conn, [event_id], include_deleted=True)
        if not found:
            raise NotFound(f"no event with id {event_id!r}")
        event = found[0]
        deleted = bool(is_deleted(conn, event_id))
        if public and (deleted or event.status != Status.verified):
            raise NotFound(f"no event with id {event_id!r}")
        related = [e for e in related_in(conn, event) if not public or e.status == Status.verified]
        return EventView(event, deleted, audit.history(conn, event_id) if history else None, related)


def group_counts(db: Database, f: EventFilter, groups: Mapping[str, Collection[str]]) -> list[tuple[str, int]]:
    """(group, matching events with a counterpart in the group) for each group, most first."""
    out = []
    link = event_countries.alias("group_link")
    with db.connect() as conn:
        conds = link_conditions(f, conn, link)
        for name, members in groups.items():
            n = conn.execute(
                select(func.count(func.distinct(link.c.event_id))).where(*conds, link.c.iso3.in_(sorted(members)))
            ).scalar_one()
            if n:
                out.append((name, int(n)))
    return sorted(out, key=lambda p: (-p[1], p[0]))


def monthly_counts(db: Database, f: EventFilter, by: str = "category") -> list[tuple[str, str, int]]:
    """(YYYY-MM, category or status, matching events) for dated events, in month order."""
    col = COLUMN_FACETS.get(by)
    if col is None:
        raise ValidationFailed(Problem(f"monthly counts by {by!r}: use category or status", field="by"))
    day = events.c.date_start
    with db.connect() as conn:
        stmt = (
            select(day.label("d"), col.label("k"), func.count().label("n"))
            .where(*filter_conditions(f, conn), day.is_not(None))
            .group_by(day, col)
        )
        totals: dict[tuple[str, str], int] = {}
        for r in conn.execute(stmt):
            key = (f"{r.d.year:04d}-{r.d.month:02d}", str(r.k))
            totals[key] = totals.get(key, 0) + int(r.n)
    return [(month, k, n) for (month, k), n in sorted(totals.items())]


@dataclass(frozen=True)
class Point:
    event_id: str
    headline: str
    category: str
    date_start: date | None
    place: str
    lat: float
    lon: float


def located_points(db: Database, f: EventFilter, *, limit: int = 5000) -> list[Point]:
    """Locations of matching events (newest first), for maps."""
    loc = event_locations.c
    with db.connect() as conn:
        stmt = (
            select(events.c.id, events.c.headline, events.c.category, events.c.date_start, loc.name, loc.lat, loc.lon)
            .join(event_locations, event_locations.c.event_id == events.c.id)
            .where(*filter_conditions(f, conn))
            .order_by(events.c.date_start.desc().nulls_last(), events.c.id, loc.position)
            .limit(limit)
        )
        return [Point(r.id, r.headline, r.category, r.date_start, r.name, r.lat, r.lon) for r in conn.execute(stmt)]


def data_version(db: Database) -> int:
    """A number that grows with every audited change (cheap: the newest audit id)."""
    with db.connect() as conn:
        return int(conn.execute(select(func.max(audit_log.c.id))).scalar() or 0)
