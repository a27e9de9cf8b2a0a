"""ACLED CSV exports: events involving Chinese state forces, as candidate events.

Reads ACLED's published export columns (the current layout, and the older one with
``data_id``/``iso3``). Only rows naming Chinese state forces (``... Forces of China``)
among the actors are considered; their event and sub-event types are mapped to codebook
categories through ``data/acled_codebook.csv``; rows of other types are reported as
unmapped. The counterpart country is the event's country, or, for events located in
China, the country of the other side's forces. Ids are ``acled-<event_id_cnty>``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError

from sectracker.countries.reference import find_country, numeric_to_iso3
from sectracker.errors import Problem, ValidationFailed
from sectracker.importers.common import (
    ImportReport,
    Row,
    check_columns,
    check_day,
    parse_number,
    parse_table,
    read_data_csv,
    read_text,
    reject_unknown,
    sync_events,
)
from sectracker.models import Event, Location, LocationPrecision, Precision, Quantity, Source, Status, slugify
from sectracker.series.models import month_end
from sectracker.store.db import Database
from sectracker.store.events import problems_from

KIND = "acled"
PREFIX = "acled-"
MAPPING_FILE = "acled_codebook.csv"
REQUIRED = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
    "actor2", "assoc_actor_2", "country", "location", "latitude", "longitude", "geo_precision", "source", "notes",
    "fatalities",
)  # fmt: skip
OPTIONAL = (
    "data_id", "event_id_no_cnty", "year", "disorder_type", "inter1", "inter2", "interaction", "civilian_targeting",
    "iso", "iso3", "region", "admin1", "admin2", "admin3", "source_scale", "tags", "timestamp",
)  # fmt: skip
CHINESE_FORCES = re.compile(r"\bForces of China\b")
FORCES_OF = re.compile(r"Forces of ([^(;]+?)\s*(?:\(|;|$)")
GEO_PRECISION = {"1": LocationPrecision.exact, "2": LocationPrecision.approximate, "3": LocationPrecision.region}


def mapping() -> dict[tuple[str, str], str]:
    return {(r["event_type"], r["sub_event_type"]): r["category"] for r in read_data_csv(MAPPING_FILE)}


def _actors(c: dict[str, str]) -> list[str]:
    return [c[k] for k in ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2") if c[k].strip()]


def _event_day(text: str) -> date:
    """ACLED dates: 2020-06-15 (API and current exports) or 15 June 2020 (older exports)."""
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return datetime.strptime(text, "%d %B %Y").date()


def counterpart(c: dict[str, str]) -> tuple[str | None, bool]:
    """(ISO3 of the counterpart country or None, whether the country was recognised)."""
    iso = c.get("iso", "").strip()
    code = numeric_to_iso3().get(iso.zfill(3)) if iso.isdigit() else None
    code = code or find_country(c["country"])
    if code is None:
        return None, False
    if code != "CHN":
        return code, True
    others = [m.strip() for a in _actors(c) if not CHINESE_FORCES.search(a) for m in FORCES_OF.findall(a)]
    found = [find_country(name) for name in others]
    return next((f for f in found if f and f != "CHN"), None), True


def _event(row: Row, category: str, iso3: str | None, path: str, problems: list[Problem]) -> Event | None:
    c = row.cells
    try:
        day = _event_day(c["event_date"])
    except ValueError:
        text = c["event_date"].strip()
        problems.append(Problem(f"{text!r} is not a date (YYYY-MM-DD or 15 June 2020)", path, row.line, "event_date"))
        return None
    found = len(problems)
    lat = parse_number(c["latitude"], problems, file=path, line=row.line, field="latitude", minimum=-90)
    lon = parse_number(c["longitude"], problems, file=path, line=row.line, field="longitude", minimum=-180)
    dead = parse_number(c["fatalities"] or "0", problems, file=path, line=row.line, field="fatalities", integer=True)
    if not check_day(day, problems, file=path, line=row.line, field="event_date") or len(problems) > found:
        return None
    assert lat is not None and lon is not None and dead is not None
    fatalities = int(dead)
    exact = c["time_precision"].strip() == "1"
    start, end = (day, day) if exact else (day.replace(day=1), month_end(day.year, day.month))
    actors = " and ".join(a for a in (c["actor1"].strip(), c["actor2"].strip()) if a)
    place, country, event_id = c["location"].strip(), c["country"].strip(), c["event_id_cnty"].strip()
    precision = GEO_PRECISION.get(c["geo_precision"].strip(), LocationPrecision.approximate)
    source = Source(
        title=f"ACLED event {event_id} ({c['source'].strip() or 'no source named'})",
        publisher="Armed Conflict Location & Event Data (ACLED)",
        url="https://acleddata.com",
    )
    try:
        return Event(
            id=PREFIX + event_id.lower(),
            headline=f"{c['sub_event_type'].strip()}: {actors} in {place}, {country}"[:300],
            summary=c["notes"].strip(),
            category=category,
            date_start=start,
            date_end=end,
            date_precision=Precision.day if exact else Precision.month,
            countries=[iso3] if iso3 else [],
            locations=[Location(name=place or country, lat=lat, lon=lon, precision=precision)],
            quantities=[Quantity(value=fatalities, unit="fatalities")] if fatalities else [],
            tags=["acled", slugify(c["event_type"], 40), slugify(c["sub_event_type"], 40)],
            status=Status.candidate,
            sources=[source],
        )
    except ValidationError as exc:
        problems.extend(problems_from(exc, file=path, line=row.line))
        return None


def parse_acled(path: Path, *, skip_unknown: bool = False) -> tuple[list[Event], ImportReport]:
    """Validate an ACLED export and build events for Chinese forces; nothing is written."""
    table = parse_table(path, read_text(path))
    check_columns(table, REQUIRED, allowed=OPTIONAL, what="ACLED export")
    report = ImportReport(KIND, str(path), rows=len(table.rows))
    categories = mapping()
    problems: list[Problem] = []
    first: dict[str, int] = {}
    out: dict[str, Event] = {}
    lines: dict[str, int] = {}
    for row in table.rows:
        c = row.cells
        if not any(CHINESE_FORCES.search(a) for a in _actors(c)):
            report.skipped["no Chinese state forces among the actors"] += 1
            continue
        report.selected += 1
        category = categories.get((c["event_type"].strip(), c["sub_event_type"].strip()))
        if category is None:
            report.unmapped[f"{c['event_type'].strip()} / {c['sub_event_type'].strip()}"] += 1
            continue
        iso3, known = counterpart(c)
        if not known:
            report.unknown[c["country"].strip()] += 1
            first.setdefault(c["country"].strip(), row.line)
            continue
        event = _event(row, category, iso3, str(path), problems)
        if event is not None:
            if event.id in out and out[event.id] != event:
                message = (
                    f"a second, different row for event {c['event_id_cnty'].strip()} (first on line {lines[event.id]})"
                )
                problems.append(Problem(message, str(path), row.line, "event_id_cnty"))
            lines.setdefault(event.id, row.line)
            out[event.id] = event
    if problems:
        raise ValidationFailed(problems)
    reject_unknown(report, first, skip_unknown)
    return list(out.values()), report


def import_acled(
    db: Database, path: Path, *, user: str, skip_unknown: bool = False, dry_run: bool = False
) -> ImportReport:
    """Import events involving Chinese forces from an ACLED export as candidates, all or nothing."""
    events, report = parse_acled(path, skip_unknown=skip_unknown)
    report.dry_run = dry_run
    sync_events(db, events, report, prefix=PREFIX, user=user, dry_run=dry_run)
    return report
