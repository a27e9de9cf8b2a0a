"""Indicator series: a named number over time, each value with its date and provenance.

A series is what an edition quotes beside its events: a defence budget, scrambles by
Japan's air force, Chinese peacekeepers per mission. Every observation is dated by
the last day of the period it covers (2020-12-31 for the 2020 budget, 2020-03-31 for
Japan's fiscal year 2019) and says where it came from; a value computed from stated
figures says how (`derived`).
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from enum import StrEnum

from pydantic import Field, field_validator, model_validator

from sectracker.codebook import load_codebook
from sectracker.countries.codes import is_iso3
from sectracker.models import EVENT_ID_PATTERN, Record

SERIES_ID_PATTERN = EVENT_ID_PATTERN


class Frequency(StrEnum):
    """How often a series has a value; `irregular` values are points in time."""

    day = "day"
    month = "month"
    quarter = "quarter"
    half = "half-year"
    year = "year"
    irregular = "irregular"


class Qualifier(StrEnum):
    """How a value relates to the truth: as stated, about, at least, at most."""

    exact = "exact"
    approximate = "approximate"
    at_least = "at-least"
    at_most = "at-most"


class Provenance(Record):
    """Where a value comes from: a publication or dataset, where in it, and any arithmetic."""

    source: str = Field(min_length=1)
    publisher: str | None = None
    url: str | None = None
    locator: str | None = None
    event_id: str | None = None
    derived: str | None = None


class Observation(Record):
    """One value of a series, dated by the last day of the period it covers."""

    date: date
    value: float = Field(allow_inf_nan=False)
    qualifier: Qualifier = Qualifier.exact
    provenance: Provenance | None = None
    note: str = ""


class Series(Record):
    """A typed numeric series with its observations in date order."""

    id: str = Field(pattern=SERIES_ID_PATTERN)
    name: str = Field(min_length=3, max_length=200)
    unit: str = Field(min_length=1, max_length=32)
    frequency: Frequency
    year_start_month: int = Field(default=1, ge=1, le=12)
    country: str | None = None
    mission: str | None = Field(default=None, max_length=32)
    category: str | None = None
    description: str = ""
    source: Provenance
    observations: list[Observation] = Field(default_factory=list)
    version: int = Field(default=1, ge=1)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @field_validator("country")
    @classmethod
    def _iso3(cls, v: str | None) -> str | None:
        if v is None:
            return None
        code = v.strip().upper()
        if not is_iso3(code):
            raise ValueError(f"unknown ISO 3166-1 alpha-3 country code {code!r}")
        return code

    @field_validator("category")
    @classmethod
    def _category(cls, v: str | None) -> str | None:
        if v is not None and v not in load_codebook().key_set:
            raise ValueError(f"unknown category key {v!r}")
        return v

    @model_validator(mode="after")
    def _dates(self) -> Series:
        self.observations = sorted(self.observations, key=lambda o: o.date)
        seen: set[date] = set()
        for i, o in enumerate(self.observations):
            if o.date in seen:
                raise ValueError(f"observations.{i}: two values for {o.date}")
            seen.add(o.date)
            if not is_period_end(o.date, self.frequency, self.year_start_month):
                raise ValueError(
                    f"observations.{i}: {o.date} is not the last day of a {self.frequency.value} period "
                    "(date each value by the end of the period it covers)"
                )
        return self

    def provenance_of(self, o: Observation) -> Provenance:
        """The value's own provenance, or the series' source when it has none."""
        return o.provenance or self.source


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def is_period_end(day: date, frequency: Frequency, year_start_month: int = 1) -> bool:
    """Whether `day` closes a period of this frequency (any day does for day and irregular)."""
    if frequency in (Frequency.day, Frequency.irregular):
        return True
    if day != month_end(day.year, day.month):
        return False
    if frequency is Frequency.month:
        return True
    if frequency is Frequency.quarter:
        return day.month % 3 == 0
    if frequency is Frequency.half:
        return day.month in (6, 12)
    return day.month == (year_start_month - 2) % 12 + 1
