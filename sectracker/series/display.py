"""Series values as people read them: "1.27 trillion CNY, +6.6%", "about 2,500 persons"."""

from __future__ import annotations

from datetime import date

from sectracker.series.change import Change, latest_change, period_start
from sectracker.series.models import Frequency, Qualifier, Series

_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_QUALIFIER_WORDS = {
    Qualifier.exact: "",
    Qualifier.approximate: "about ",
    Qualifier.at_least: "over ",
    Qualifier.at_most: "up to ",
}


def format_number(value: float) -> str:
    """Large numbers in words (1.27 trillion), others with thousands separators."""
    for scale, word in _SCALES:
        if abs(value) >= scale:
            return f"{_trim(value / scale, 3)} {word}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _trim(x: float, digits: int) -> str:
    return f"{x:.{digits}f}".rstrip("0").rstrip(".")


def format_value(value: float, unit: str, qualifier: Qualifier = Qualifier.exact) -> str:
    """'1.27 trillion CNY', 'about 2,500 persons', '6.6 percent'."""
    return f"{_QUALIFIER_WORDS[qualifier]}{format_number(value)} {unit}".strip()


def format_percent(percent: float) -> str:
    """A signed change with one decimal: '+6.6%', '-11.8%'."""
    return f"{percent:+.1f}%"


def period_label(day: date, frequency: Frequency, year_start_month: int = 1) -> str:
    """The period a value covers: '2020', 'FY2019', 'May 2020', '2020-H1', '2020-06-30'."""
    if frequency is Frequency.year:
        # A fiscal year is named by the year it starts in (Japan's FY2019: April 2019-March 2020).
        return str(day.year) if year_start_month == 1 else f"FY{period_start(day, frequency).year}"
    if frequency is Frequency.half:
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    if frequency is Frequency.quarter:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if frequency is Frequency.month:
        return day.strftime("%Y-%m")
    return day.isoformat()


def describe_change(series: Series, change: Change) -> str:
    """'1.27 trillion CNY, +6.6% on 2019' (the change only when the previous period is known)."""
    obs = next(o for o in series.observations if o.date == change.date)
    text = format_value(change.value, series.unit, obs.qualifier)
    if change.percent is not None and change.previous_date is not None:
        before = period_label(change.previous_date, series.frequency, series.year_start_month)
        text += f", {format_percent(change.percent)} on {before}"
    return text


def describe_latest(series: Series, as_of: date | None = None) -> str:
    """The newest value (on or before `as_of`) with its change: '1.27 trillion CNY, +6.6% on 2019'."""
    change = latest_change(series, as_of)
    if change is None:
        return f"{series.name}: no value"
    return f"{series.name}: {describe_change(series, change)}"
