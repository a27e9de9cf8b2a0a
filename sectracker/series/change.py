"""Period-over-period change and aggregation to coarser periods (pure functions)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sectracker.errors import AnalysisError
from sectracker.series.models import Frequency, Observation, Qualifier, Series, month_end

_MONTHS = {Frequency.month: 1, Frequency.quarter: 3, Frequency.half: 6, Frequency.year: 12}


def previous_period_end(day: date, frequency: Frequency) -> date | None:
    """The end of the period before the one ending on `day` (None for irregular series)."""
    if frequency is Frequency.day:
        return day - timedelta(days=1)
    months = _MONTHS.get(frequency)
    if months is None:
        return None
    index = day.year * 12 + day.month - 1 - months
    return month_end(index // 12, index % 12 + 1)


def period_start(day: date, frequency: Frequency) -> date:
    """The first day of the period ending on `day` (the day itself for day and irregular)."""
    before = previous_period_end(day, frequency)
    return before + timedelta(days=1) if before else day


@dataclass(frozen=True)
class Change:
    """A value beside the one of the period before, and the change between them."""

    date: dt.date
    value: float
    previous_date: dt.date | None
    previous_value: float | None
    absolute: float | None
    percent: float | None
    approximate: bool


def _approximate(*obs: Observation | None) -> bool:
    return any(o is not None and (o.qualifier is not Qualifier.exact or o.provenance and o.provenance.derived)
               for o in obs)


def changes(series: Series) -> list[Change]:
    """Each value against the previous period's (irregular: the previous value); None when absent."""
    by_date = {o.date: o for o in series.observations}
    out: list[Change] = []
    last: Observation | None = None
    for o in series.observations:
        wanted = previous_period_end(o.date, series.frequency)
        prev = last if series.frequency is Frequency.irregular else by_date.get(wanted) if wanted else None
        out.append(_change(o, prev))
        last = o
    return out


def _change(o: Observation, prev: Observation | None) -> Change:
    if prev is None:
        return Change(o.date, o.value, None, None, None, None, _approximate(o))
    percent = (o.value / prev.value - 1) * 100 if prev.value else None
    return Change(o.date, o.value, prev.date, prev.value, o.value - prev.value, percent, _approximate(o, prev))


def latest_change(series: Series, as_of: date | None = None) -> Change | None:
    """The change of the newest value dated on or before `as_of` (None without values)."""
    found = [c for c in changes(series) if as_of is None or c.date <= as_of]
    return found[-1] if found else None


class Aggregation(StrEnum):
    sum = "sum"
    mean = "mean"
    last = "last"
    max = "max"


@dataclass(frozen=True)
class Aggregate:
    """A coarser period's value and how many of the series' values it was made from."""

    period_end: date
    value: float
    count: int
    first: date
    last: date


def aggregate(series: Series, to: Frequency, how: Aggregation = Aggregation.sum) -> list[Aggregate]:
    """Values grouped into coarser periods (e.g. daily aircraft counts per month).

    Only reported values are used: a month with 12 reported days sums those 12, and
    `count` says so; missing days are not zeros.
    """
    if to in (Frequency.day, Frequency.irregular):
        raise AnalysisError(f"cannot aggregate to {to.value!r}: choose month, quarter, half-year or year")
    groups: dict[date, list[Observation]] = {}
    for o in series.observations:
        groups.setdefault(_period_end_of(o.date, to, series.year_start_month), []).append(o)
    return [_combine(end, obs, how) for end, obs in sorted(groups.items())]


def _period_end_of(day: date, to: Frequency, year_start_month: int) -> date:
    months = _MONTHS[to]
    offset = (year_start_month - 1) if to is Frequency.year else 0
    index = day.year * 12 + day.month - 1 - offset
    closing = index - index % months + months - 1 + offset
    return month_end(closing // 12, closing % 12 + 1)


def _combine(end: date, obs: Sequence[Observation], how: Aggregation) -> Aggregate:
    values = [o.value for o in obs]
    if how is Aggregation.sum:
        value = sum(values)
    elif how is Aggregation.mean:
        value = sum(values) / len(values)
    elif how is Aggregation.max:
        value = max(values)
    else:
        value = values[-1]
    return Aggregate(end, value, len(values), obs[0].date, obs[-1].date)
