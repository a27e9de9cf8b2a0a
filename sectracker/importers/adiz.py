"""Taiwan ADIZ: daily counts of PLA aircraft reported by Taiwan's defence ministry, as a series.

Two layouts are read, recognised by their header:

- the pla-data-dashboard table (``merged_comprehensive_data_M.csv``: ``date`` as
  YYYY/M/D, ``pla_aircraft_sorties`` and 19 further columns, which are ignored);
- a plain two-column file ``date,aircraft`` (ISO dates) for counts kept by hand.

Rows without a count are days without a report, not zero aircraft: they are skipped and
counted. The same day twice with the same count is kept once; with different counts it
is an error. Monthly totals come from `sectracker.series.change.aggregate`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sectracker.errors import Problem, ValidationFailed
from sectracker.importers.common import (
    ImportReport,
    Table,
    check_columns,
    check_day,
    parse_number,
    parse_table,
    read_text,
)
from sectracker.series.models import Frequency, Observation, Provenance, Series
from sectracker.store.db import Database
from sectracker.store.series import SaveSummary, save_series

KIND = "adiz"
SERIES_ID = "twn.adiz.pla-aircraft"
DASHBOARD_COLUMNS = ("date", "pla_aircraft_sorties")
DASHBOARD_ALLOWED = (
    "year", "month", "day", "year_month", "weekday", "weekday_zh", "china_carrier_present", "country1", "country2",
    "US_Taiwan_interaction", "Political_statement", "Foreign_battleship", "sentiment_score", "sentiment_label",
    "與那國", "宮古", "大禹", "對馬", "國家",
)  # fmt: skip
PLAIN_COLUMNS = ("date", "aircraft")
SOURCE = Provenance(
    source="Taiwan Ministry of National Defense daily reports of PLA activity",
    publisher="Ministry of National Defense, Republic of China (Taiwan)",
    url="https://www.mnd.gov.tw",
)


def _layout(table: Table) -> str:
    if "pla_aircraft_sorties" in table.header:
        check_columns(table, DASHBOARD_COLUMNS, allowed=DASHBOARD_ALLOWED, what="pla-data-dashboard daily table")
        return "pla_aircraft_sorties"
    check_columns(table, PLAIN_COLUMNS, what="daily ADIZ count (date,aircraft)")
    return "aircraft"


def _day(text: str) -> date:
    """YYYY-MM-DD or YYYY/M/D."""
    parts = text.strip().replace("/", "-").split("-")
    if len(parts) != 3:
        raise ValueError(text)
    return date(int(parts[0]), int(parts[1]), int(parts[2]))


def parse_counts(path: Path) -> tuple[Series, ImportReport]:
    """Validate a daily count file and build the daily series; nothing is written."""
    table = parse_table(path, read_text(path))
    column = _layout(table)
    report = ImportReport(KIND, str(path), rows=len(table.rows))
    values: dict[date, tuple[float, int]] = {}
    problems: list[Problem] = []
    for row in table.rows:
        raw_date, raw_count = row.cells["date"].strip(), row.cells[column].strip()
        if not raw_count:
            report.skipped["no aircraft count (no report that day)" if raw_date else "blank row"] += 1
            continue
        try:
            day = _day(raw_date)
        except ValueError:
            problems.append(
                Problem(f"{raw_date!r} is not a date (YYYY-MM-DD or YYYY/M/D)", str(path), row.line, "date")
            )
            continue
        value = parse_number(raw_count, problems, file=str(path), line=row.line, field=column, integer=True)
        if value is None or not check_day(day, problems, file=str(path), line=row.line, field="date"):
            continue
        count = value
        if day in values:
            if values[day][0] != count:
                first = values[day][1]
                problems.append(
                    Problem(f"{day} has {values[day][0]:g} on line {first}, {count:g} here", str(path), row.line)
                )
            report.skipped["the same day reported twice with the same count"] += 1
            continue
        values[day] = (count, row.line)
    if problems:
        raise ValidationFailed(problems)
    report.selected = len(values)
    series = Series(
        id=SERIES_ID,
        name="PLA aircraft reported around Taiwan",
        unit="aircraft",
        frequency=Frequency.day,
        country="TWN",
        category="projection.deployments",
        description="PLA aircraft Taiwan's defence ministry reported in or near its ADIZ each day; days "
        "without a report are absent, not zero.",
        source=SOURCE.model_copy(update={"locator": path.name}),
        observations=[Observation(date=d, value=v) for d, (v, _) in sorted(values.items())],
    )
    return series, report


def import_adiz(db: Database, path: Path, *, user: str, dry_run: bool = False) -> ImportReport:
    """Import daily PLA aircraft counts as the series `twn.adiz.pla-aircraft`, all or nothing."""
    series, report = parse_counts(path)
    report.dry_run = dry_run
    if dry_run:
        report.series = SaveSummary(created=[series.id], values_added=len(series.observations))
        return report
    report.series = save_series(db, [series], user=user, reason=f"import-data {KIND} {path.name}")
    return report
