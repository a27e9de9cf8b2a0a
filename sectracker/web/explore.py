"""What the explore pages show; each function feeds both a page and its JSON twin."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from sectracker.accounts import User
from sectracker.clock import now
from sectracker.codebook import load_codebook
from sectracker.countries.codes import country_name
from sectracker.errors import NotFound, Problem, ValidationFailed
from sectracker.models import EventFilter, Status
from sectracker.periods import parse_period
from sectracker.store import Database, api, browse
from sectracker.web import geography, specs
from sectracker.web.params import EventQuery
from sectracker.web.render import category_label
from sectracker.web.schemas import (
    CategoryOut,
    ChartData,
    CodebookOut,
    Comparison,
    ComparisonRow,
    Count,
    CountryList,
    CountryProfile,
    CountrySummary,
    Counts,
    EventDetail,
    EventListing,
    EventSummary,
    Facet,
    FacetValue,
    SectionOut,
)

T = TypeVar("T")
FACET_LABELS = {
    "category": "Category",
    "country": "Counterpart country",
    "region": "Region",
    "group": "Country group",
    "period": "Half-year",
    "status": "Status",
    "actor": "Chinese actor",
    "tag": "Tag",
}
FACET_LIMIT = 30  # values shown per facet
DEFAULT_FACETS = ("category", "country", "region", "group", "period", "status", "actor")
COUNT_BY = ("category", "country", "region", "group", "status", "actor", "tag", "year", "period", "month")


class _Cache:
    """Counts keyed by the query and the data version: any audited change invalidates them."""

    def __init__(self, size: int = 1024):
        self.size = size
        self.items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]  # type: ignore[no-any-return]
        value = compute()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value


_cache = _Cache()


def _key(db: Database, f: EventFilter, *parts: Any, version: int | None = None) -> tuple[Any, ...]:
    if version is None:
        version = browse.data_version(db)
    return (db.settings.database_url, version, f.model_dump_json(), *parts)


def label_for(db: Database, facet: str, value: str) -> str:
    if facet == "group":
        return geography.group_label(db, value)
    if facet == "category":
        return category_label(value)
    if facet == "country":
        return country_name(value)
    return value


def count_values(
    db: Database, f: EventFilter, by: str, *, limit: int | None = 50, version: int | None = None
) -> list[tuple[str, int]]:
    """Counts by one facet (regions and groups from the geography tables), cached."""

    def compute() -> list[tuple[str, int]]:
        if by == "group":
            as_of = f.date_to or now().date()
            return browse.group_counts(db, f, geography.groups(db, as_of))[:limit]
        mapping = geography.regions() if by == "region" else None
        return browse.facet_counts(db, f, by, limit=limit, mapping=mapping)

    # Group counts also depend on the imported reference data, which reloads on its own clock.
    reference = geography.reference_stamp(db) if by == "group" else None
    return _cache.get(_key(db, f, "facet", by, limit, reference, version=version), compute)


def count_total(db: Database, f: EventFilter, *, version: int | None = None) -> int:
    return _cache.get(_key(db, f, "total", version=version), lambda: api.count_events(db, f))


COLUMN_FACETS = ("category", "status")


class _ColumnCounts:
    """The total and the category and status facets of a query, summed from one grouped count.

    The count runs without the filters of the facets asked for (each facet is counted
    without its own filter); those filters are then applied to its (category, status) rows.
    """

    def __init__(self, db: Database, query: EventQuery, user: User | None, facets: list[str], version: int):
        self.dropped = [n for n in COLUMN_FACETS if n in facets]
        base = query
        for name in self.dropped:
            base = base.without(name)
        f, full = base.to_filter(user), query.to_filter(user)
        self.rows = _cache.get(_key(db, f, "columns", version=version), lambda: browse.column_counts(db, f))
        self.wanted = {"category": set(full.categories), "status": {s.value for s in full.statuses}}

    def _keep(self, key: tuple[str, str], skip: str | None = None) -> bool:
        values = dict(zip(COLUMN_FACETS, key, strict=True))
        return all(not self.wanted[n] or values[n] in self.wanted[n] for n in self.dropped if n != skip)

    def total(self) -> int:
        return sum(n for key, n in self.rows.items() if self._keep(key))

    def facet(self, name: str, limit: int) -> list[tuple[str, int]]:
        at = COLUMN_FACETS.index(name)
        sums: dict[str, int] = {}
        for key, n in self.rows.items():
            if self._keep(key, skip=name):
                sums[key[at]] = sums.get(key[at], 0) + n
        return sorted(sums.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def _facet(
    db: Database,
    query: EventQuery,
    user: User | None,
    name: str,
    version: int,
    columns: _ColumnCounts,
) -> Facet:
    own = "date" if name == "period" else name
    if name in columns.dropped:
        counts = columns.facet(name, FACET_LIMIT)
    else:
        others = query.without("period").without("from").without("to") if own == "date" else query.without(name)
        counts = count_values(db, others.to_filter(user), name, limit=FACET_LIMIT, version=version)
    selected = [query.period] if name == "period" else getattr(query, name)
    values = [FacetValue(value=k, label=label_for(db, name, k), count=n, selected=k in selected) for k, n in counts]
    return Facet(name=name, label=FACET_LABELS[name], values=values)


def list_events(
    db: Database,
    query: EventQuery,
    user: User | None,
    *,
    sort: str = "date",
    limit: int = 50,
    cursor: str | None = None,
    facets: tuple[str, ...] = (),
) -> EventListing:
    """A page of events, the total and the facets (each counted without its own filter)."""
    f = query.to_filter(user)
    page = browse.page_events(db, f, sort=sort, limit=limit, cursor=cursor)
    shown = [n for n in facets if not (n == "status" and user is None)]
    version = browse.data_version(db)
    columns = _ColumnCounts(db, query, user, shown, version)
    return EventListing(
        events=page.events,
        total=columns.total(),
        next_cursor=page.next_cursor,
        sort=sort,
        limit=limit,
        query=query.params(),
        facets=[_facet(db, query, user, n, version, columns) for n in shown],
    )


def event_detail(db: Database, event_id: str, user: User | None) -> EventDetail:
    """One event with its history (for logged-in users) and related events."""
    view = browse.event_view(db, event_id, public=user is None, history=user is not None)
    event, history = view.event, view.history
    merged_into = None
    for entry in reversed(history or []):
        if entry.action == "merge" and (entry.reason or "").startswith("merged into "):
            merged_into = (entry.reason or "").removeprefix("merged into ")
            break
    return EventDetail(
        event=event,
        deleted=view.deleted,
        history=history,
        related=[EventSummary.of(e) for e in view.related],
        merged_into=merged_into if event.status == Status.rejected else None,
    )


def browse_deleted(db: Database, event_id: str) -> bool:
    f = EventFilter(ids=[event_id], include_deleted=False)
    return api.count_events(db, f) == 0


def counts(db: Database, query: EventQuery, user: User | None, by: str) -> Counts:
    if by not in COUNT_BY:
        raise ValidationFailed(Problem(f"unknown grouping {by!r}; use {', '.join(COUNT_BY)}", field="by"))
    if by == "status" and user is None:
        raise ValidationFailed(Problem("counts by status need a login", field="by"))
    f = query.to_filter(user)
    version = browse.data_version(db)
    rows = count_values(db, f, by, limit=None, version=version)
    # Every event has one category and one status: then the counts add up to the total.
    total = sum(n for _, n in rows) if by in COLUMN_FACETS else count_total(db, f, version=version)
    return Counts(
        by=by,
        total=total,
        counts=[Count(key=k, label=label_for(db, by, k), count=n) for k, n in rows],
        query=query.params(),
    )


def compare(db: Database, query: EventQuery, user: User | None, by: str, a: str, b: str) -> Comparison:
    """Counts by `by` in period `a` and period `b`, with the change."""
    sides = []
    for name, period in (("a", a), ("b", b)):
        try:
            start, end = parse_period(period)
        except ValidationFailed as exc:
            raise ValidationFailed(Problem(str(exc)[:200], field=name)) from exc
        q = query.without("period").without("from").without("to")
        q.date_from, q.date_to = start, end
        sides.append({c.key: c.count for c in counts(db, q, user, by).counts})
    keys = sorted(set(sides[0]) | set(sides[1]), key=lambda k: (-(sides[0].get(k, 0) + sides[1].get(k, 0)), k))
    rows = [
        ComparisonRow(
            key=k,
            label=label_for(db, by, k),
            a=sides[0].get(k, 0),
            b=sides[1].get(k, 0),
            change=sides[1].get(k, 0) - sides[0].get(k, 0),
        )
        for k in keys
    ]
    return Comparison(by=by, a=a.upper(), b=b.upper(), rows=rows)


def codebook_view(db: Database, user: User | None) -> CodebookOut:
    cb = load_codebook()
    per = dict(count_values(db, EventQuery().to_filter(user), "category", limit=None))
    return CodebookOut(
        version=cb.version,
        title=cb.title,
        sections=[
            SectionOut(
                id=s.id,
                label=s.label,
                definition=s.definition,
                categories=[
                    CategoryOut(
                        key=c.key,
                        label=c.label,
                        definition=c.definition,
                        includes=list(c.includes),
                        excludes=list(c.excludes),
                        cues=list(c.cues),
                        count=per.get(c.key, 0),
                    )
                    for c in s.categories
                ],
            )
            for s in cb.sections
        ],
    )


def country_list(db: Database, query: EventQuery, user: User | None) -> CountryList:
    rows = count_values(db, query.to_filter(user), "country", limit=None)
    return CountryList(
        countries=[
            CountrySummary(iso3=k, name=country_name(k), region=geography.region_of(k), count=n) for k, n in rows
        ],
        query=query.params(),
    )


def country_profile(db: Database, iso3: str, query: EventQuery, user: User | None) -> CountryProfile:
    from sectracker.countries.codes import is_iso3

    code = iso3.upper()
    if not is_iso3(code) or code == "CHN":
        raise NotFound(f"no country with code {iso3[:10]!r}")
    q = query.without("country")
    q.country = [code]
    f = q.to_filter(user)
    recent = browse.page_events(db, f, sort="date", limit=10).events
    version = browse.data_version(db)
    by_category = count_values(db, f, "category", limit=None, version=version)
    return CountryProfile(
        iso3=code,
        name=country_name(code),
        region=geography.region_of(code),
        groups=geography.groups_of(db, code, q.date_to or now().date()),
        total=sum(n for _, n in by_category),  # one category per event
        by_category=[Count(key=k, label=category_label(k), count=n) for k, n in by_category],
        by_month=[Count(key=k, label=k, count=n) for k, n in count_values(db, f, "month", limit=None, version=version)],
        recent=[EventSummary.of(e) for e in recent],
    )


def _period_text(query: EventQuery) -> str:
    if query.period:
        return query.period
    if query.date_from or query.date_to:
        return f"{query.date_from or '…'} to {query.date_to or '…'}"
    return "all dates"


def timeline(db: Database, query: EventQuery, user: User | None) -> ChartData:
    f = query.to_filter(user)
    rows: dict[tuple[str, str], int] = {}
    for month, category, n in browse.monthly_counts(db, f, "category"):
        key = (month, specs.section_label(category))
        rows[key] = rows.get(key, 0) + n
    data = [{"month": m, "section": s, "events": n} for (m, s), n in sorted(rows.items())]
    spec = specs.timeline_spec(data, _period_text(query))
    return ChartData(title="Events per month", spec=spec, rows=data, query=query.params())


def event_map(db: Database, query: EventQuery, user: User | None) -> tuple[ChartData, ChartData]:
    """Located events as points, and counterpart countries shaded by number of events."""
    f = query.to_filter(user)
    points = [
        {
            "id": p.event_id,
            "headline": p.headline,
            "section": specs.section_label(p.category),
            "date": p.date_start.isoformat() if p.date_start else "",
            "place": p.place,
            "lat": p.lat,
            "lon": p.lon,
            "url": f"/events/{p.event_id}",
        }
        for p in browse.located_points(db, f)
    ]
    counts = count_values(db, f, "country", limit=None)
    countries = [{"iso3": k, "name": country_name(k), "count": n, "url": f"/countries/{k}"} for k, n in counts]
    shaded = specs.choropleth_spec([{"country": k, "events": n} for k, n in counts], _period_text(query))
    return (
        ChartData(title="Located events", spec=specs.map_spec(points), rows=points, query=query.params()),
        ChartData(title="Counterpart countries", spec=shaded, rows=countries, query=query.params()),
    )
