"""Query-string filters shared by every listing page and API endpoint (same as the CLI's)."""

from __future__ import annotations

import copy as copy_module
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query

from sectracker.accounts import User
from sectracker.clock import now
from sectracker.codebook import load_codebook
from sectracker.countries.codes import is_iso3
from sectracker.errors import Problem, ValidationFailed
from sectracker.models import EventFilter, Status
from sectracker.periods import parse_period
from sectracker.store import api
from sectracker.web import geography
from sectracker.web.deps import DB

MAX_VALUES = 50
MAX_TEXT = 200
NO_MATCH = "---"  # a country code no event has: an empty intersection selects nothing

Many = Annotated[list[str], Query(max_length=MAX_VALUES)]


@dataclass
class EventQuery:
    """The filters of a listing as given in the query string (validated)."""

    category: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    group: list[str] = field(default_factory=list)
    actor: list[str] = field(default_factory=list)
    tag: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    period: str | None = None
    q: str | None = None
    # Members of the selected groups as of the end of the selection (resolved when parsed).
    group_members: dict[str, frozenset[str]] = field(default_factory=dict)

    def params(self) -> dict[str, list[str]]:
        """The filters as query-string values (for links and the JSON twin)."""
        out: dict[str, list[str]] = {}
        for name in ("category", "country", "region", "group", "actor", "tag", "status"):
            if getattr(self, name):
                out[name] = list(getattr(self, name))
        if self.period:
            out["period"] = [self.period]
        else:
            if self.date_from:
                out["from"] = [self.date_from.isoformat()]
            if self.date_to:
                out["to"] = [self.date_to.isoformat()]
        if self.q:
            out["q"] = [self.q]
        return out

    def query_string(self, **extra: str | None) -> str:
        pairs = [(k, v) for k, vs in self.params().items() for v in vs]
        pairs += [(k, v) for k, v in extra.items() if v]
        return urlencode(pairs)

    def without(self, name: str, value: str | None = None) -> EventQuery:
        """A copy without one value (or all values) of a filter."""
        copy = copy_module.deepcopy(self)
        if name == "period":
            copy.period = None
        elif name in ("from", "to"):
            copy.date_from, copy.date_to = (None, copy.date_to) if name == "from" else (copy.date_from, None)
        elif name == "q":
            copy.q = None
        elif value is None:
            setattr(copy, name, [])
        else:
            setattr(copy, name, [v for v in getattr(copy, name) if v != value])
        return copy

    def toggled(self, name: str, value: str) -> EventQuery:
        """A copy with a facet value added, or removed when it is selected already."""
        if name == "period":
            copy = self.without("period").without("from").without("to")
            if self.period != value:
                copy.period = value
                copy.date_from, copy.date_to = parse_period(value)
            return copy
        if value in getattr(self, name, []):
            return self.without(name, value)
        copy = self.without(name, "\x00")
        getattr(copy, name).append(value)
        return copy

    def to_filter(self, user: User | None) -> EventFilter:
        """The store filter; anonymous readers (public mode) see verified events only."""
        countries = set(self.country)
        for members in self._country_sets():
            countries = (countries & members) if countries else set(members)
            if not countries:
                countries = {NO_MATCH}
        statuses = [Status(s) for s in self.status]
        if user is None:
            statuses = [Status.verified]
        return EventFilter(
            categories=self.category,
            countries=sorted(countries),
            actors=self.actor,
            tags=self.tag,
            statuses=statuses,
            date_from=self.date_from,
            date_to=self.date_to,
            text=self.q,
        )

    def _country_sets(self) -> list[set[str]]:
        """Countries of the selected regions, then of the selected groups (each a union)."""
        sets = []
        if self.region:
            sets.append({c for r in self.region for c in geography.region_members(r)})
        if self.group:
            sets.append({c for g in self.group for c in self.group_members.get(g, frozenset())})
        return sets


def _date(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(Problem(f"{value[:40]!r} is not a date (YYYY-MM-DD)", field=name)) from exc


def _check(values: list[str], name: str, known: object, what: str) -> list[Problem]:
    return [
        Problem(f"unknown {what} {v[:60]!r}", field=name)
        for v in values
        if v not in known  # type: ignore[operator]
    ]


def event_query(
    db: DB,
    category: Many = [],  # noqa: B006 - FastAPI copies defaults per request
    country: Many = [],  # noqa: B006
    region: Many = [],  # noqa: B006
    group: Many = [],  # noqa: B006
    actor: Many = [],  # noqa: B006
    tag: Many = [],  # noqa: B006
    status: Many = [],  # noqa: B006
    date_from: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=40)] = None,
    period: Annotated[str | None, Query(max_length=40, description="2020, 2020-H1, 2020-Q2 or 2020-05.")] = None,
    q: Annotated[str | None, Query(max_length=MAX_TEXT, description="Full-text query.")] = None,
) -> EventQuery:
    """Parse and check the filters; ValidationFailed names each bad parameter."""
    country = [c.strip().upper() for c in country if c.strip()]
    problems = _check(category, "category", set(load_codebook().keys), "category key")
    problems += [Problem(f"unknown ISO3 country code {c[:60]!r}", field="country") for c in country if not is_iso3(c)]
    problems += _check(region, "region", set(geography.regions().values()), "region")
    problems += _check(group, "group", set(geography.group_names(db)), "group")
    problems += _check(status, "status", {s.value for s in Status}, "status")
    problems += [
        Problem("an actor or tag has at most 64 characters", field=n)
        for n, vs in (("actor", actor), ("tag", tag))
        if any(len(v) > 64 for v in vs)
    ]
    if problems:
        raise ValidationFailed(problems)
    query = EventQuery(
        category=_dedupe(category),
        country=_dedupe(country),
        region=_dedupe(region),
        group=_dedupe(group),
        actor=_dedupe(actor),
        tag=_dedupe([t.strip().lower() for t in tag if t.strip()]),
        status=_dedupe(status),
        date_from=_date(date_from, "from"),
        date_to=_date(date_to, "to"),
        q=(q or "").strip() or None,
    )
    api.check_text_query(query.q, "q")
    if period and (query.date_from or query.date_to):
        raise ValidationFailed(Problem("give a period or from/to, not both", field="period"))
    if period:
        try:
            query.date_from, query.date_to = parse_period(period)
        except ValidationFailed as exc:
            raise ValidationFailed(Problem(str(exc)[:200], field="period")) from exc
        query.period = period.strip().upper()
    if query.date_from and query.date_to and query.date_to < query.date_from:
        raise ValidationFailed(Problem("'to' is before 'from'", field="to"))
    if query.group:
        members = geography.groups(db, query.date_to or now().date())
        query.group_members = {g: members[g] for g in query.group}
    return query


def _dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))
