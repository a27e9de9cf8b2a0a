"""Reading events: load by id, and select by an EventFilter with sorting and paging."""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Select, bindparam, func, select
from sqlalchemy.sql.elements import ColumnElement

from sectracker.errors import Problem, ValidationFailed
from sectracker.models import (
    Event,
    EventFilter,
    Evidence,
    Location,
    Quantity,
    Source,
)
from sectracker.store import dialect
from sectracker.store.schema import (
    event_actors,
    event_countries,
    event_locations,
    event_quantities,
    event_tags,
    events,
    sources,
)

CHUNK = 500
# Undated events sort as the lowest dates on both backends (SQLite's NULL order; the
# PostgreSQL indexes are declared NULLS FIRST to serve these orders).
SORTS = {
    "date": (events.c.date_start.desc().nulls_last(), events.c.id.desc()),
    "-date": (events.c.date_start.asc().nulls_first(), events.c.id.asc()),
    "significance": (events.c.significance.desc(), events.c.date_start.desc().nulls_last(), events.c.id),
    "updated": (events.c.updated_at.desc(), events.c.id),
    "id": (events.c.id,),
    "category": (events.c.category, events.c.date_start.asc().nulls_first(), events.c.id),
}


def max_date_span(conn: Connection) -> int | None:
    """The most days any stored event lasts (None when no event is dated); read from its index."""
    value = conn.execute(select(func.max(events.c.date_span))).scalar()
    return None if value is None else int(value)


def _own_conditions(f: EventFilter, cols: Any, span: int | None) -> list[ColumnElement[bool]]:
    """Conditions on the columns an event shares with its country links (schema.event_countries)."""
    conds: list[ColumnElement[bool]] = []
    if not f.include_deleted:
        conds.append(cols.deleted_at.is_(None))
    if f.categories:
        conds.append(cols.category.in_(f.categories))
    if f.statuses:
        conds.append(cols.status.in_([s.value for s in f.statuses]))
    # Overlap with [date_from, date_to]. Every dated event has date_end (the model fills it from
    # date_start). No event lasts longer than `span` days, so one that overlaps starts at most
    # `span` days before date_from: the date_start index then reads only that range.
    if f.date_from:
        conds.append(cols.date_end >= f.date_from)
        if span is not None:
            conds.append(cols.date_start >= date.fromordinal(max(1, f.date_from.toordinal() - span)))
    if f.date_to:
        conds.append(cols.date_start <= f.date_to)
    return conds


def _other_conditions(f: EventFilter, conn: Connection, span: int | None) -> list[ColumnElement[bool]]:
    """Conditions only the events table can answer."""
    c = events.c
    conds: list[ColumnElement[bool]] = []
    if f.ids:
        conds.append(c.id.in_(f.ids))
    if f.highlight is not None:
        conds.append(c.highlight.is_(f.highlight))
    if f.countries:
        # IN (sub-select) lets the database start from the country index instead of probing every
        # event; the link's own copies of the event's columns narrow it before any event is read.
        link = event_countries.c
        narrowed = select(link.event_id).where(link.iso3.in_(f.countries), *_own_conditions(f, link, span))
        conds.append(c.id.in_(narrowed))
    for table, column, values in (
        (event_actors, event_actors.c.actor, f.actors),
        (event_tags, event_tags.c.tag, f.tags),
    ):
        if values:
            conds.append(c.id.in_(select(table.c.event_id).where(column.in_(values))))
    if f.text:
        # With another indexed filter to start from, words found in many events are better
        # checked against the few rows that filter gives than read first (SQLite would read them first).
        indexed = bool(f.ids or f.categories or f.countries or f.actors or f.tags)
        common = indexed and _is_common(conn, f.text)
        cond = dialect.text_match_condition(conn.dialect.name, f.text, as_filter=common)
        if cond is not None:
            conds.append(cond)
    return conds


TEXT_DRIVER_LIMIT = 5000
"""Above this many matching events, a text query is a filter, not where a narrowed query starts."""
_common: OrderedDict[tuple[str, str, int], bool] = OrderedDict()


def _is_common(conn: Connection, text: str) -> bool:
    """Whether `text` matches at least TEXT_DRIVER_LIMIT events, remembered per database and text.

    One page with its count and facets asks several times. The answer only chooses a query
    plan (the rows found are the same either way), so one that goes stale costs speed, never
    correctness.
    """
    key = (str(conn.engine.url), text, TEXT_DRIVER_LIMIT)
    found = _common.get(key)
    if found is None:
        found = _common[key] = dialect.text_matches_at_least(conn, text, TEXT_DRIVER_LIMIT)
        while len(_common) > 4096:
            _common.popitem(last=False)
    return found


def filter_conditions(f: EventFilter, conn: Connection) -> list[ColumnElement[bool]]:
    """SQL conditions on `events` for a filter (portable SQL; text search via the dialect adapter)."""
    span = max_date_span(conn) if f.date_from else None
    return _own_conditions(f, events.c, span) + _other_conditions(f, conn, span)


def countries_only(f: EventFilter) -> bool:
    """True when a filter names countries and otherwise only what the country links hold.

    Such a filter is answered from the links' (iso3, dates, category, status) index alone.
    """
    return bool(f.countries) and not (f.ids or f.highlight is not None or f.actors or f.tags or f.text)


def country_link_conditions(f: EventFilter, conn: Connection, link: Any) -> list[ColumnElement[bool]]:
    """For a countries_only filter: its conditions on (an alias of) event_countries."""
    span = max_date_span(conn) if f.date_from else None
    return [link.c.iso3.in_(f.countries), *_own_conditions(f, link.c, span)]


def link_conditions(f: EventFilter, conn: Connection, link: Any) -> list[ColumnElement[bool]]:
    """The same filter on a (possibly aliased) event_countries table, for counts by country.

    Dates, category, status and deletion are read from the link's own copies; anything
    else narrows the links to the matching events.
    """
    span = max_date_span(conn) if f.date_from else None
    conds = _own_conditions(f, link.c, span)
    others = _other_conditions(f, conn, span)
    if others:
        conds.append(link.c.event_id.in_(select(events.c.id).where(*others)))
    return conds


def select_ids(f: EventFilter, conn: Connection, sort: str = "date") -> Select[Any]:
    if sort not in SORTS:
        raise ValidationFailed(Problem(f"unknown sort {sort!r}; use one of {', '.join(SORTS)}", field="sort"))
    order = SORTS[sort]
    return select(events.c.id).where(*filter_conditions(f, conn)).order_by(*order)


def query_events(
    conn: Connection, f: EventFilter, *, sort: str = "date", limit: int | None = 50, offset: int = 0
) -> list[Event]:
    """Events matching a filter, sorted, one page at a time."""
    stmt = select_ids(f, conn, sort).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    ids = list(conn.execute(stmt).scalars())
    return load_events(conn, ids, include_deleted=True)


def count_events(conn: Connection, f: EventFilter) -> int:
    if countries_only(f):
        link = event_countries.alias("count_link")
        distinct = select(func.count(func.distinct(link.c.event_id))).where(*country_link_conditions(f, conn, link))
        return int(conn.execute(distinct).scalar_one())
    stmt = select(func.count()).select_from(events).where(*filter_conditions(f, conn))
    return int(conn.execute(stmt).scalar_one())


def load_events(conn: Connection, ids: Sequence[str], *, include_deleted: bool = False) -> list[Event]:
    """Full events for ids, in the order given (missing ids are skipped)."""
    found: dict[str, Event] = {}
    for i in range(0, len(ids), CHUNK):
        found.update(_load_chunk(conn, list(ids[i : i + CHUNK]), include_deleted))
    return [found[i] for i in ids if i in found]


def _children_statement(table: Any, order: Any = None) -> Select[Any]:
    stmt = select(table).where(table.c.event_id.in_(bindparam("ids", expanding=True)))
    return stmt if order is None else stmt.order_by(table.c.event_id, order)


# Built once: a statement made per call costs more Python time than SQLite takes to run it.
_EVENTS_BY_ID = select(events).where(events.c.id.in_(bindparam("ids", expanding=True)))
_LIVE_EVENTS_BY_ID = _EVENTS_BY_ID.where(events.c.deleted_at.is_(None))
_CHILDREN = {
    "countries": _children_statement(event_countries),
    "actors": _children_statement(event_actors),
    "tags": _children_statement(event_tags),
    "locations": _children_statement(event_locations, event_locations.c.position),
    "quantities": _children_statement(event_quantities, event_quantities.c.position),
    "sources": _children_statement(sources, sources.c.position),
}


def _children(conn: Connection, kind: str, ids: list[str]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    for row in conn.execute(_CHILDREN[kind], {"ids": ids}):
        out[row.event_id].append(row)
    return out


def _load_chunk(conn: Connection, ids: list[str], include_deleted: bool) -> dict[str, Event]:
    stmt = _EVENTS_BY_ID if include_deleted else _LIVE_EVENTS_BY_ID
    rows = list(conn.execute(stmt, {"ids": ids}))
    if not rows:
        return {}
    countries, actors, tags, locs, qtys, srcs = (_children(conn, kind, ids) for kind in _CHILDREN)
    out = {}
    for r in rows:
        out[r.id] = Event.model_validate(
            dict(
                id=r.id,
                headline=r.headline,
                summary=r.summary,
                category=r.category,
                date_start=r.date_start,
                date_end=r.date_end,
                date_precision=r.date_precision,
                actors=sorted(x.actor for x in actors[r.id]),
                countries=sorted(x.iso3 for x in countries[r.id]),
                locations=[Location(name=x.name, lat=x.lat, lon=x.lon, precision=x.precision) for x in locs[r.id]],
                quantities=[Quantity(value=x.value, unit=x.unit, item=x.item, text=x.text) for x in qtys[r.id]],
                tags=sorted(x.tag for x in tags[r.id]),
                significance=r.significance,
                highlight=bool(r.highlight),
                status=r.status,
                confidence=r.confidence,
                sources=[_source(x) for x in srcs[r.id]],
                codebook_version=r.codebook_version,
                created_at=r.created_at,
                updated_at=r.updated_at,
                version=r.version,
            )
        )
    return out


def _source(x: Any) -> Source:
    evidence = None
    if x.ev_start is not None and x.ev_end is not None:
        evidence = Evidence(start=x.ev_start, end=x.ev_end, text=x.ev_text or "", document_id=x.document_id)
    return Source(title=x.title, publisher=x.publisher, url=x.url, published=x.published, evidence=evidence)


def is_deleted(conn: Connection, event_id: str) -> bool | None:
    row = conn.execute(select(events.c.deleted_at).where(events.c.id == event_id)).first()
    return None if row is None else row.deleted_at is not None
