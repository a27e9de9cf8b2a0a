"""Reporting periods: '2020', '2020-H1', '2020-Q2', '2020-05' as date ranges."""

from __future__ import annotations

import calendar
import re
from datetime import date

from sectracker.errors import ValidationFailed

_PERIOD = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$", re.IGNORECASE)


def parse_period(text: str) -> tuple[date, date]:
    """First and last day of a period; ValidationFailed explains the accepted forms."""
    m = _PERIOD.match(text.strip())
    if not m:
        raise ValidationFailed(f"period {text!r}: use YYYY, YYYY-H1/H2, YYYY-Q1..Q4 or YYYY-MM")
    year, part = int(m.group(1)), (m.group(2) or "").upper()
    if year < 1:
        raise ValidationFailed(f"period {text!r}: the year must be 0001 or later")
    if not part:
        return date(year, 1, 1), date(year, 12, 31)
    if part.startswith("H"):
        first = 1 if part == "H1" else 7
        return date(year, first, 1), _month_end(year, first + 5)
    if part.startswith("Q"):
        first = 3 * (int(part[1]) - 1) + 1
        return date(year, first, 1), _month_end(year, first + 2)
    month = int(part)
    if not 1 <= month <= 12:
        raise ValidationFailed(f"period {text!r}: month must be 01-12")
    return date(year, month, 1), _month_end(year, month)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_label(start: date, end: date) -> str:
    """'January-June 2020' style label for a range."""
    a, b = start.strftime("%B"), end.strftime("%B")
    if start.year == end.year:
        return f"{a}-{b} {end.year}" if a != b else f"{a} {end.year}"
    return f"{a} {start.year}-{b} {end.year}"
