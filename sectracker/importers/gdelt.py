"""GDELT 2.0 event files: events with a Chinese actor, mapped to the codebook, as candidates.

Reads the published event export (``YYYYMMDDHHMMSS.export.CSV``: 61 tab-separated
columns, no header; a file with the column names as header is read too). Rows whose
first actor is Chinese (``Actor1CountryCode`` CHN) are considered; their CAMEO code is
mapped to a codebook category through ``data/cameo_codebook.csv`` (longest listed code
wins, optionally only for military actors); others are reported as unmapped. The
counterpart country is the second actor's country or, failing that, where the event
happened: GDELT gives places as FIPS 10-4 codes, turned into ISO codes through
``data/fips_iso3.csv`` (GDELT's FIPS "CH" is China, not Switzerland).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError

from sectracker.countries.codes import is_iso3
from sectracker.errors import Problem, ValidationFailed
from sectracker.importers.common import (
    ImportReport,
    Row,
    Table,
    check_columns,
    check_day,
    crosswalk,
    parse_number,
    parse_table,
    read_data_csv,
    read_text,
    reject_unknown,
    sync_events,
)
from sectracker.models import Event, Location, LocationPrecision, Precision, Source, Status
from sectracker.store.db import Database
from sectracker.store.events import problems_from

KIND = "gdelt"
PREFIX = "gdelt-"
MAPPING_FILE = "cameo_codebook.csv"
FIPS_FILE = "fips_iso3.csv"
_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code")  # fmt: skip
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
COLUMNS = (
    ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{a}" for a in _ACTOR)
    + tuple(f"Actor2{a}" for a in _ACTOR)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
       "NumSources", "NumArticles", "AvgTone")
    + tuple(f"{who}Geo_{g}" for who in ("Actor1", "Actor2", "Action") for g in _GEO)
    + ("DATEADDED", "SOURCEURL")
)  # fmt: skip
GEO_PRECISION = {"1": LocationPrecision.country, "2": LocationPrecision.region, "5": LocationPrecision.region}


@dataclass(frozen=True)
class CameoRule:
    code: str
    actor_type: str
    category: str
    label: str


def cameo_rules() -> list[CameoRule]:
    """The mapping table, longest codes first (so the most specific rule is tried first)."""
    rules = [CameoRule(r["cameo"], r["actor_type"], r["category"], r["label"]) for r in read_data_csv(MAPPING_FILE)]
    return sorted(rules, key=lambda r: (-len(r.code), r.code, r.actor_type == ""))


def match_rule(rules: list[CameoRule], code: str, actor_types: set[str]) -> CameoRule | None:
    """The most specific rule for a CAMEO code whose actor-type condition holds (None: unmapped)."""
    for rule in rules:
        if code.startswith(rule.code) and (not rule.actor_type or rule.actor_type in actor_types):
            return rule
    return None


def read_export(path: Path) -> Table:
    """The rows of an event file, with or without a header; layout errors name the columns."""
    text = read_text(path)
    first = text.split("\n", 1)[0].split("\t")
    if first and first[0].strip() == "GLOBALEVENTID":
        table = parse_table(path, text, delimiter="\t")
        check_columns(table, COLUMNS, what="GDELT 2.0 event")
        return table
    width = len(first)
    if width != len(COLUMNS):
        raise ValidationFailed(Problem(_width_problem(width), file=str(path), line=1))
    table = parse_table(path, text, delimiter="\t", header=COLUMNS)
    table.check_rows()
    return table


def _width_problem(width: int) -> str:
    expected = len(COLUMNS)
    if width in (57, 58):
        missing = [c for c in COLUMNS if c.endswith("ADM2Code")] + (["SOURCEURL"] if width == 57 else [])
        return f"{width} columns: a GDELT 1.0 file? GDELT 2.0 has {expected}; missing column(s): {', '.join(missing)}"
    if width < expected:
        return f"{width} columns, GDELT 2.0 has {expected}: missing column(s) {', '.join(COLUMNS[width:])}"
    return f"{width} columns, GDELT 2.0 has {expected}: {width - expected} unexpected column(s) after SOURCEURL"


def counterpart(c: dict[str, str]) -> tuple[str | None, str | None]:
    """(ISO3 counterpart or None, the unknown FIPS code when the place cannot be placed)."""
    actor2 = c["Actor2CountryCode"].strip()
    if is_iso3(actor2) and actor2 != "CHN":
        return actor2, None
    fips = c["ActionGeo_CountryCode"].strip()
    if not fips:
        return None, None
    table = crosswalk(FIPS_FILE, "fips", "iso3")
    if fips not in table:
        return None, fips
    iso3 = table[fips]
    return (iso3 if iso3 and iso3 != "CHN" else None), None


def _location(c: dict[str, str]) -> list[Location]:
    lat, lon = c["ActionGeo_Lat"].strip(), c["ActionGeo_Long"].strip()
    if not lat or not lon:
        return []
    precision = GEO_PRECISION.get(c["ActionGeo_Type"].strip(), LocationPrecision.approximate)
    name = c["ActionGeo_FullName"].strip() or "unnamed place"
    return [Location(name=name, lat=float(lat), lon=float(lon), precision=precision)]


def _source(c: dict[str, str]) -> Source:
    url = c["SOURCEURL"].strip()
    host = urlsplit(url).hostname if url.startswith(("http://", "https://")) else None
    return Source(title=host or f"GDELT event {c['GLOBALEVENTID'].strip()}", url=url or None, publisher="via GDELT")


def _event(row: Row, rule: CameoRule, iso3: str | None, path: str, problems: list[Problem]) -> Event | None:
    c = row.cells
    event_id = c["GLOBALEVENTID"].strip()
    try:
        day = datetime.strptime(c["SQLDATE"].strip(), "%Y%m%d").date()
    except ValueError:
        problems.append(Problem(f"{c['SQLDATE'].strip()!r} is not a date (YYYYMMDD)", path, row.line, "SQLDATE"))
        return None
    if not check_day(day, problems, file=path, line=row.line, field="SQLDATE"):
        return None
    found = len(problems)
    for name, low in (("ActionGeo_Lat", -90), ("ActionGeo_Long", -180)):
        if c[name].strip():
            parse_number(c[name], problems, file=path, line=row.line, field=name, minimum=low)
    if len(problems) > found:
        return None
    locations = _location(c)
    code = c["EventCode"].strip()
    summary = (
        f"GDELT event {event_id}: CAMEO {code} ({rule.label}); {c['NumArticles'].strip()} articles from "
        f"{c['NumSources'].strip()} sources; Goldstein scale {c['GoldsteinScale'].strip()}, "
        f"average tone {c['AvgTone'].strip()}."
    )
    try:
        return Event(
            id=PREFIX + event_id,
            headline=f"{rule.label}: {c['Actor1Name'].strip() or 'China'} and {c['Actor2Name'].strip() or '-'}"[:300],
            summary=summary,
            category=rule.category,
            date_start=day,
            date_precision=Precision.day,
            countries=[iso3] if iso3 else [],
            locations=locations,
            tags=["gdelt", f"cameo-{code}"],
            status=Status.candidate,
            sources=[_source(c)],
        )
    except ValidationError as exc:
        problems.extend(problems_from(exc, file=path, line=row.line))
        return None


def parse_gdelt(path: Path, *, skip_unknown: bool = False) -> tuple[list[Event], ImportReport]:
    """Validate a GDELT 2.0 event file and build events for Chinese actors; nothing is written."""
    table = read_export(path)
    report = ImportReport(KIND, str(path), rows=len(table.rows))
    rules = cameo_rules()
    problems: list[Problem] = []
    first: dict[str, int] = {}
    out: dict[str, Event] = {}
    lines: dict[str, int] = {}
    for row in table.rows:
        c = row.cells
        if c["Actor1CountryCode"].strip() != "CHN":
            report.skipped["first actor not Chinese"] += 1
            continue
        report.selected += 1
        types = {c[f"Actor1Type{i}Code"].strip() for i in (1, 2, 3)} - {""}
        rule = match_rule(rules, c["EventCode"].strip(), types)
        if rule is None:
            report.unmapped[f"CAMEO {c['EventCode'].strip()}" + (f" ({'/'.join(sorted(types))})" if types else "")] += 1
            continue
        iso3, unknown = counterpart(c)
        if unknown:
            report.unknown[f"FIPS {unknown}"] += 1
            first.setdefault(f"FIPS {unknown}", row.line)
            continue
        event = _event(row, rule, iso3, str(path), problems)
        if event is not None:
            if event.id in out and out[event.id] != event:
                message = (
                    f"a second, different row for event {c['GLOBALEVENTID'].strip()} (first on line {lines[event.id]})"
                )
                problems.append(Problem(message, str(path), row.line, "GLOBALEVENTID"))
            lines.setdefault(event.id, row.line)
            out[event.id] = event
    if problems:
        raise ValidationFailed(problems)
    reject_unknown(report, first, skip_unknown)
    return list(out.values()), report


def import_gdelt(
    db: Database, path: Path, *, user: str, skip_unknown: bool = False, dry_run: bool = False
) -> ImportReport:
    """Import mapped events of Chinese actors from a GDELT 2.0 event file as candidates, all or nothing."""
    events, report = parse_gdelt(path, skip_unknown=skip_unknown)
    report.dry_run = dry_run
    sync_events(db, events, report, prefix=PREFIX, user=user, dry_run=dry_run)
    return report
