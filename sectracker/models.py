"""The nouns of sectracker: typed records passed between every stage and layer."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from sectracker.actors import load_actors
from sectracker.codebook import load_codebook
from sectracker.countries.codes import is_iso3

EVENT_ID_PATTERN = r"^[a-z0-9][a-z0-9._-]{2,99}$"


class Precision(StrEnum):
    """How precisely an event's dates are known."""

    day = "day"
    month = "month"
    quarter = "quarter"
    half = "half-year"
    year = "year"
    unknown = "unknown"


class Status(StrEnum):
    candidate = "candidate"
    verified = "verified"
    rejected = "rejected"


class LocationPrecision(StrEnum):
    exact = "exact"
    approximate = "approximate"
    region = "region"
    country = "country"


class Record(BaseModel):
    # no infinities or NaN: JSON cannot carry them and no count, share or coordinate is one
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, allow_inf_nan=False)


class Span(Record):
    """A character span in a stored document: code-point offsets, end exclusive."""

    # the text must stay exactly text[start:end] of the document: never strip it
    model_config = ConfigDict(str_strip_whitespace=False)  # the rest as Record's

    start: int = Field(ge=0)
    end: int = Field(ge=0)
    text: str = ""

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError("span end is before its start")
        return self


class Evidence(Span):
    """The exact passage of a document that supports an event."""

    document_id: str | None = None


class Location(Record):
    name: str = Field(min_length=1)
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    precision: LocationPrecision = LocationPrecision.approximate


class Quantity(Record):
    value: float
    unit: str = Field(min_length=1)
    item: str | None = None
    text: str | None = None


class Source(Record):
    """Where an event was reported: a publication, and the evidence span when stored."""

    title: str = Field(min_length=1)
    publisher: str | None = None
    url: str | None = None
    published: date | None = None
    evidence: Evidence | None = None


Significance = Annotated[int, Field(ge=1, le=5)]


class Event(Record):
    """One coded occurrence: what China did, with whom, where, when, and who says so."""

    id: str = Field(pattern=EVENT_ID_PATTERN)
    headline: str = Field(min_length=3, max_length=300)
    summary: str = ""
    category: str
    date_start: date | None = None
    date_end: date | None = None
    date_precision: Precision = Precision.unknown
    actors: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    locations: list[Location] = Field(default_factory=list)
    quantities: list[Quantity] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    significance: Significance = 3
    highlight: bool = False
    status: Status = Status.candidate
    confidence: float | None = Field(default=None, ge=0, le=1)
    sources: list[Source] = Field(default_factory=list)
    codebook_version: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    version: int = Field(default=1, ge=1)

    @field_validator("category")
    @classmethod
    def _known_category(cls, v: str) -> str:
        if v not in load_codebook().key_set:
            raise ValueError(f"unknown category key {v!r}")
        return v

    @field_validator("countries")
    @classmethod
    def _iso3(cls, v: list[str]) -> list[str]:
        out = []
        for code in v:
            code = code.strip().upper()
            if code == "CHN":
                raise ValueError("China is the actor, never a counterpart country (CHN)")
            if not is_iso3(code):
                raise ValueError(f"unknown ISO 3166-1 alpha-3 country code {code!r}")
            out.append(code)
        return sorted(set(out))

    @field_validator("actors")
    @classmethod
    def _known_actors(cls, v: list[str]) -> list[str]:
        known = load_actors()
        for a in v:
            if a not in known:
                raise ValueError(f"unknown actor {a!r} (see sectracker/actors/actors.yaml)")
        return sorted(set(v))

    @field_validator("tags")
    @classmethod
    def _tags(cls, v: list[str]) -> list[str]:
        return sorted({t.strip().lower() for t in v if t.strip()})

    @field_validator("date_end")
    @classmethod
    def _end_after_start(cls, v: date | None, info: ValidationInfo) -> date | None:
        if "date_start" not in info.data:
            return v  # date_start itself is invalid and reported
        start = info.data["date_start"]
        if v and not start:
            raise ValueError("date_end is given without date_start; give date_start too (the same day if unsure)")
        if v and start and v < start:
            raise ValueError(f"date_end {v} is before date_start {start}")
        return v

    @model_validator(mode="after")
    def _dates(self) -> Event:
        if self.date_start and not self.date_end:
            self.date_end = self.date_start
        return self


def slug_id(*parts: str, prefix: str = "ev") -> str:
    """A stable event id made from text parts (the same parts give the same id)."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:12]
    return f"{prefix}-{digest}"


def slugify(text: str, limit: int = 60) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:limit].rstrip("-") or "event"


class AuditEntry(Record):
    """One change to an event: who, when, what before and after."""

    id: int | None = None
    event_id: str
    action: str
    user: str
    at: datetime
    before: dict | None = None
    after: dict | None = None
    reason: str | None = None


class Document(Record):
    """A collected document: stored once, keyed by the hash of its text."""

    # offsets into `text` are the evidence contract: keep the text exactly as read
    model_config = ConfigDict(str_strip_whitespace=False)  # the rest as Record's

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: date | None = None
    language: str | None = None
    path: str | None = None
    fetched_at: datetime | None = None

    @staticmethod
    def id_for(text: str) -> str:
        return "doc-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


class EventFilter(Record):
    """A selection of events; shared by the CLI, the API, analyses and reports."""

    categories: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    actors: list[str] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    statuses: list[Status] = Field(default_factory=list)
    date_from: date | None = None
    date_to: date | None = None
    text: str | None = None
    highlight: bool | None = None
    ids: list[str] = Field(default_factory=list)
    include_deleted: bool = False

    @model_validator(mode="after")
    def _range(self) -> EventFilter:
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise ValueError(f"date_to {self.date_to} is before date_from {self.date_from}")
        return self
