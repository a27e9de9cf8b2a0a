"""Request and response bodies of the web API (the JSON twins of the pages use them too)."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sectracker.models import AuditEntry, Event
from sectracker.series.models import Provenance


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorProblem(Body):
    field: str | None = None
    message: str


class ErrorDetail(Body):
    status: int
    code: str
    message: str
    problems: list[ErrorProblem] = Field(default_factory=list)


class ErrorBody(Body):
    """The one error shape of every endpoint."""

    error: ErrorDetail


class FacetValue(Body):
    value: str
    label: str
    count: int
    selected: bool = False


class Facet(Body):
    name: str
    label: str
    values: list[FacetValue]


class EventSummary(Body):
    id: str
    headline: str
    category: str
    date_start: date | None
    countries: list[str]
    status: str

    @classmethod
    def of(cls, e: Event) -> EventSummary:
        return cls(
            id=e.id,
            headline=e.headline,
            category=e.category,
            date_start=e.date_start,
            countries=e.countries,
            status=e.status.value,
        )


class EventListing(Body):
    """A page of events with the facets of the whole selection."""

    events: list[Event]
    total: int
    next_cursor: str | None
    sort: str
    limit: int
    query: dict[str, list[str]]
    facets: list[Facet] = Field(default_factory=list)


class Piece(Body):
    """A run of document text; `mark` is True inside evidence, with the events it supports."""

    text: str
    mark: bool = False
    event_ids: list[str] = Field(default_factory=list)


class DocumentView(Body):
    id: str
    title: str | None
    url: str | None
    publisher: str | None
    published: date | None
    length: int
    pieces: list[Piece]


class DocumentSummaryOut(Body):
    id: str
    title: str | None
    url: str | None
    publisher: str | None
    published: date | None
    length: int


class DocumentList(Body):
    documents: list[DocumentSummaryOut]
    total: int
    offset: int
    limit: int


class ScoredEvent(Body):
    event: EventSummary
    score: float


class EventDetail(Body):
    """Everything the event page shows."""

    event: Event
    deleted: bool
    history: list[AuditEntry] | None
    related: list[EventSummary]
    merged_into: str | None = None


class QueueEntry(Body):
    event: Event
    need: float
    reasons: list[str]


class ReviewQueue(Body):
    items: list[QueueEntry]
    total: int
    offset: int
    limit: int


class ReviewItem(Body):
    """One candidate with what a reviewer needs beside it."""

    entry: QueueEntry
    duplicates: list[ScoredEvent]
    documents: list[DocumentView]
    position: int
    total: int
    previous_id: str | None
    next_id: str | None


class Count(Body):
    key: str
    label: str
    count: int


class Counts(Body):
    by: str
    total: int
    counts: list[Count]
    query: dict[str, list[str]]


class ComparisonRow(Body):
    key: str
    label: str
    a: int
    b: int
    change: int


class Comparison(Body):
    by: str
    a: str
    b: str
    rows: list[ComparisonRow]


class CountrySummary(Body):
    iso3: str
    name: str
    region: str | None
    count: int


class CountryList(Body):
    countries: list[CountrySummary]
    query: dict[str, list[str]]


class CountryProfile(Body):
    iso3: str
    name: str
    region: str | None
    groups: list[str]
    total: int
    by_category: list[Count]
    by_month: list[Count]
    recent: list[EventSummary]


class CategoryOut(Body):
    key: str
    label: str
    definition: str
    includes: list[str]
    excludes: list[str]
    cues: list[str]
    count: int


class SectionOut(Body):
    id: str
    label: str
    definition: str
    categories: list[CategoryOut]


class CodebookOut(Body):
    version: str
    title: str
    sections: list[SectionOut]


class Edition(Body):
    period: str
    label: str
    files: list[str]


class EditionList(Body):
    editions: list[Edition]


class ChartData(Body):
    """A Vega-Lite spec with its data inlined, and the rows behind it."""

    title: str
    spec: dict[str, Any]
    rows: list[dict[str, Any]]
    query: dict[str, list[str]]


class UserOut(Body):
    username: str
    role: str


class EventChanges(Body):
    """Fields to change; `version` is the version you edited (or send If-Match)."""

    model_config = ConfigDict(extra="forbid")
    changes: dict[str, Any]
    version: int | None = Field(default=None, ge=1)
    reason: str | None = Field(default=None, max_length=2000)


class Decision(Body):
    version: int | None = Field(default=None, ge=1)
    reason: str | None = Field(default=None, max_length=2000)


class RejectDecision(Body):
    version: int | None = Field(default=None, ge=1)
    reason: str = Field(min_length=1, max_length=2000)


class MergeDecision(Body):
    target: str = Field(min_length=1, max_length=100)
    version: int | None = Field(default=None, ge=1)
    target_version: int | None = Field(default=None, ge=1)


class SplitPart(Body):
    model_config = ConfigDict(extra="allow")
    source_indexes: list[int] = Field(default_factory=list, max_length=1000)


class SplitDecision(Body):
    parts: list[SplitPart] = Field(min_length=1, max_length=20)
    version: int | None = Field(default=None, ge=1)


class Changed(Body):
    """The events a decision changed, in the order it changed them."""

    events: list[Event]


class SeriesValue(Body):
    """One value of a series with its change on the period before and where it came from."""

    date: dt.date
    period: str
    value: float
    qualifier: str
    display: str
    previous_date: dt.date | None
    previous_value: float | None
    change: float | None
    change_percent: float | None
    change_display: str
    approximate: bool
    provenance: Provenance
    own_provenance: bool
    note: str


class SeriesSummary(Body):
    """A series' definition and its newest value."""

    id: str
    name: str
    unit: str
    frequency: str
    year_start_month: int
    country: str | None
    mission: str | None
    category: str | None
    description: str
    source: Provenance
    values: int
    first: date | None
    last: date | None
    version: int
    latest: SeriesValue | None


class SeriesList(Body):
    series: list[SeriesSummary]


class SeriesVersion(Body):
    """One audited save: who, when, why, and which values or fields it changed."""

    id: int
    version: int | None
    action: str
    user: str
    at: datetime
    reason: str | None
    changed_values: list[str]
    changed_fields: list[str]


class SeriesDetail(Body):
    """Everything the series page shows: values with changes, the chart and (logged in) the history."""

    series: SeriesSummary
    observations: list[SeriesValue]
    spec: dict[str, Any]
    history: list[SeriesVersion] | None


class EvidenceLink(Body):
    kind: str
    id: str
    url: str


class AlertOut(Body):
    id: int | None
    key: str
    rule_id: str
    kind: str
    subject_date: date | None
    title: str
    fired_at: datetime | None
    evidence: dict[str, Any]
    links: list[EvidenceLink]


class AlertList(Body):
    """Stored watch alerts, newest first."""

    alerts: list[AlertOut]
    rule: str | None
    limit: int
