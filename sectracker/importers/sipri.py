"""SIPRI arms-transfer register: China's deliveries as `domestic.arms_trade` events.

Input: the trade-register CSV export (comment lines, then a header starting
``SIPRI AT Database ID``; every line may end in ';'). The register has one row per deal
and delivery year; each becomes one event with the stable id ``sipri-<deal>-<year>``,
so re-importing an updated register updates the same events. SIPRI's estimate flags
become the date precision (an estimated delivery year: precision unknown, the year kept
as the best guess) and tags; numbers and trend-indicator values (TIV) become quantities.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import ValidationError

from sectracker.countries.reference import country, find_country
from sectracker.errors import Problem, ValidationFailed
from sectracker.importers.common import (
    ImportReport,
    Row,
    check_columns,
    crosswalk,
    latest_day,
    parse_number,
    parse_table,
    read_text,
    reject_unknown,
    sync_events,
)
from sectracker.models import Event, Precision, Quantity, Source, Status, slugify
from sectracker.store.db import Database
from sectracker.store.events import problems_from

KIND = "sipri"
SUPPLIER = "China"
PREFIX = "sipri-"
HEADER_START = "SIPRI AT Database ID"
COLUMNS = (
    "SIPRI AT Database ID",
    "Supplier",
    "Recipient",
    "Designation",
    "Description",
    "Armament category",
    "Order date",
    "Order date is estimate",
    "Numbers delivered",
    "Numbers delivered is estimate",
    "Delivery year",
    "Delivery year is estimate",
    "Status",
    "SIPRI estimate",
    "TIV deal unit",
    "TIV delivery values",
    "Local production",
)
SOURCE = Source(
    title="SIPRI Arms Transfers Database, trade register",
    publisher="Stockholm International Peace Research Institute (SIPRI)",
    url="https://www.sipri.org/databases/armstransfers",
)


def read_register(path: Path) -> tuple[list[Row], int]:
    """The data rows of a trade-register export, and the line of its header."""
    text = read_text(path)
    lines = [line.rstrip().removesuffix(";") for line in text.splitlines()]
    start = next((i for i, line in enumerate(lines) if line.startswith(HEADER_START)), None)
    if start is None:
        raise ValidationFailed(
            Problem(f"not a SIPRI trade register: no header line starting {HEADER_START!r}", file=str(path))
        )
    table = parse_table(path, "\n".join(lines), header_line=start + 1)
    check_columns(table, COLUMNS, what="SIPRI trade register", line=start + 1)
    return table.rows, start + 1


def _yes(text: str) -> bool:
    return text.strip().lower() == "yes"


def _number(
    row: Row, column: str, problems: list[Problem], path: str, *, required: bool = True, integer: bool = False
) -> float | None:
    text = row.cells[column].strip()
    if not text:
        if required:
            problems.append(Problem("empty", file=path, line=row.line, field=column))
        return None
    return parse_number(text, problems, file=path, line=row.line, field=column, integer=integer)


def _year(row: Row, column: str, problems: list[Problem], path: str, *, required: bool = True) -> float | None:
    """A year from 1900 to this one."""
    value = _number(row, column, problems, path, required=required, integer=True)
    if value is not None and not 1900 <= value <= latest_day().year:
        problems.append(Problem(f"{value:g} is not a year from 1900 to now", file=path, line=row.line, field=column))
        return None
    return value


def recipient_iso3(name: str) -> str | None:
    """The ISO3 code of a SIPRI recipient; None for non-state actors, organisations, unknowns."""
    mapped = crosswalk("sipri_names.csv", "sipri_name", "iso3").get(name)
    if mapped is not None:
        return mapped or None
    if name.endswith("*") or name.lower().startswith("unknown"):
        return None
    return find_country(name)


def _event(row: Row, iso3: str, status: Status, problems: list[Problem], path: str) -> Event | None:
    c = row.cells
    deal = c["SIPRI AT Database ID"].strip()
    year = _year(row, "Delivery year", problems, path)
    numbers = _number(row, "Numbers delivered", problems, path, integer=True)
    ordered = _year(row, "Order date", problems, path, required=False)
    tiv = _number(row, "TIV delivery values", problems, path, required=False)
    unit_tiv = _number(row, "TIV deal unit", problems, path, required=False)
    if not deal.isdigit():
        problems.append(Problem(f"{deal!r} is not a SIPRI deal number", file=path, line=row.line, field=COLUMNS[0]))
    if year is None or numbers is None or not deal.isdigit():
        return None
    y = int(year)
    flags = {
        "delivery-year-estimated": _yes(c["Delivery year is estimate"]),
        "order-year-estimated": _yes(c["Order date is estimate"]),
        "numbers-estimated": _yes(c["Numbers delivered is estimate"]),
    }
    try:
        return Event(
            id=f"{PREFIX}{deal}-{y}",
            headline=_headline(c, int(numbers), iso3, y),
            summary=_summary(c, int(numbers), ordered, tiv, unit_tiv, flags),
            category="domestic.arms_trade",
            date_start=date(y, 1, 1),
            date_end=date(y, 12, 31),
            date_precision=Precision.unknown if flags["delivery-year-estimated"] else Precision.year,
            countries=[iso3],
            quantities=_quantities(c, numbers, ordered, tiv, unit_tiv, flags),
            tags=_tags(c, deal, flags),
            status=status,
            sources=[SOURCE],
        )
    except ValidationError as exc:
        problems.extend(problems_from(exc, file=path, line=row.line))
        return None


def _headline(c: dict[str, str], numbers: int, iso3: str, year: int) -> str:
    what = f"{c['Designation'].strip()} ({c['Description'].strip()})"
    return f"China delivers {numbers} {what} to {country(iso3).name} in {year}"[:300]


def _summary(
    c: dict[str, str],
    numbers: int,
    ordered: float | None,
    tiv: float | None,
    unit: float | None,
    flags: dict[str, bool],
) -> str:
    est = " (SIPRI estimate)"
    deal, kind, state = c["SIPRI AT Database ID"].strip(), c["Armament category"].strip(), c["Status"].strip()
    parts = [f"SIPRI deal {deal}: {kind}, {state}."]
    if ordered is not None:
        parts.append(f"Ordered in {int(ordered)}{est if flags['order-year-estimated'] else ''}.")
    parts.append(
        f"{numbers}{est if flags['numbers-estimated'] else ''} delivered in {c['Delivery year'].strip()}"
        f"{' (year estimated)' if flags['delivery-year-estimated'] else ''}."
    )
    if tiv is not None:
        parts.append(f"TIV of this year's deliveries: {tiv:g} million" + (f" ({unit:g} per unit)." if unit else "."))
    if _yes(c["Local production"]):
        parts.append("Produced under licence in the recipient country.")
    return " ".join(parts)


def _quantities(
    c: dict[str, str],
    numbers: float,
    ordered: float | None,
    tiv: float | None,
    unit: float | None,
    flags: dict[str, bool],
) -> list[Quantity]:
    out = [
        Quantity(
            value=numbers,
            unit="units",
            item=c["Designation"].strip() or "weapons",
            text=f"{numbers:g}{' (estimate)' if flags['numbers-estimated'] else ''}",
        )
    ]
    if tiv is not None:
        out.append(Quantity(value=tiv, unit="TIV million", item="SIPRI TIV of delivered weapons"))
    if unit is not None:
        out.append(Quantity(value=unit, unit="TIV million", item="SIPRI TIV per unit"))
    if ordered is not None:
        text = f"{int(ordered)}{' (estimate)' if flags['order-year-estimated'] else ''}"
        out.append(Quantity(value=ordered, unit="year", item="order year", text=text))
    return out


def _tags(c: dict[str, str], deal: str, flags: dict[str, bool]) -> list[str]:
    tags = ["sipri", f"sipri-deal-{deal}", slugify(c["Armament category"], 40)]
    tags += [name for name, on in flags.items() if on]
    if _yes(c["Local production"]):
        tags.append("licensed-production")
    if c["Status"].strip().lower().startswith("second hand"):
        tags.append("second-hand")
    return tags


def parse_register(
    path: Path, *, status: Status = Status.verified, skip_unknown: bool = False
) -> tuple[list[Event], ImportReport]:
    """Validate the whole register and build China's deliveries as events; nothing is written."""
    rows, _ = read_register(path)
    report = ImportReport(KIND, str(path), rows=len(rows))
    problems: list[Problem] = []
    first_lines: dict[str, int] = {}
    events: dict[str, Event] = {}
    for row in rows:
        if row.cells["Supplier"].strip() != SUPPLIER:
            continue
        report.selected += 1
        name = row.cells["Recipient"].strip()
        iso3 = recipient_iso3(name)
        if iso3 is None:
            report.unknown[name] += 1
            first_lines.setdefault(name, row.line)
            continue
        event = _event(row, iso3, status, problems, str(path))
        if event is None:
            continue
        if event.id in events:
            problems.append(Problem(f"a second row for {event.id}", file=str(path), line=row.line))
        events[event.id] = event
    if problems:
        raise ValidationFailed(problems)
    reject_unknown(report, first_lines, skip_unknown)
    return list(events.values()), report


def import_sipri(
    db: Database, path: Path, *, user: str, skip_unknown: bool = False, dry_run: bool = False
) -> ImportReport:
    """Import China's deliveries as arms-trade events, all or nothing."""
    events, report = parse_register(path, skip_unknown=skip_unknown)
    report.dry_run = dry_run
    sync_events(db, events, report, prefix=PREFIX, user=user, dry_run=dry_run)
    return report
