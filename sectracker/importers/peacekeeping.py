"""UN peacekeeping contributions: a contributor's personnel by mission and month as series.

Three layouts of the IPI Peacekeeping Database (compiled from UN monthly contribution
reports) are read, recognised by their header:

- contributor x mission x month (TCC-DataScraper ``Gender.Full.csv``): one monthly series
  per mission, ``pko.<iso3>.<mission>``, from the ``Total Total`` column;
- one month of contributor x mission (PPP_Loader ``current_month.csv``, 73 columns):
  the same series, from ``Total``;
- contributor x month totals (PPP_Loader ``countries/<Country>.csv`` with a
  ``contributor`` column): ``pko.<iso3>.total`` and its troops, police and experts.

Each mission's series carries the country it operates in, from the mission table
``data/missions.csv``; a mission not in that table is reported as unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import ValidationError

from sectracker.countries.codes import is_iso3
from sectracker.countries.reference import country, find_country
from sectracker.errors import Problem, ValidationFailed
from sectracker.importers.common import (
    ImportReport,
    Row,
    Table,
    check_columns,
    check_day,
    data_error,
    parse_number,
    parse_table,
    read_data_csv,
    read_text,
    reject_unknown,
)
from sectracker.series.models import Frequency, Observation, Provenance, Series, month_end
from sectracker.store.db import Database
from sectracker.store.events import problems_from
from sectracker.store.series import SaveSummary, save_series

KIND = "peacekeeping"
MISSIONS_FILE = "missions.csv"
IPI = "IPI Peacekeeping Database (International Peace Institute), from UN DPKO monthly contribution reports"
IPI_URL = "https://www.ipinst.org/providing-for-peacekeeping-database"

_GENDER_PARTS = ("Individual Police", "Formed Police Units", "Experts on Mission", "Troops", "Total")
GENDER_COLUMNS = ("Date", "Contributor", "Contributor ISO-3", "Mission", "Total Total")
GENDER_ALLOWED = ("",) + tuple(f"{p} {s}" for p in _GENDER_PARTS for s in ("Male", "Female", "Total"))
PPP_COLUMNS = ("Date", "Contributor", "Contributor_ISO-3", "Mission", "Total")
_PPP_FLAGS = (
    "UN_Bloc", "P5G4A3", "NAM", "G77", "AU", "Arab_League", "OIC", "CIS", "G20", "EU", "NATO", "G8", "OECD", "ASEAN",
    "OAS", "Shanghai", "GCC", "UMA", "COMESA", "CENSAD", "EAC", "ECCAS", "ECOWAS", "IGAD", "SADC",
)  # fmt: skip
PPP_ALLOWED = (
    "Contributor_Capital", "Contributor_Capital_Latitude", "Contributor_Capital_Longitude", "Contributor_Continent",
    "Contributor_Region", "Contributor UN_Bloc", "Mission_Country", "Mission_Country_ISO-3", "Mission_HQ",
    "Mission_HQ_Longitude", "Mission_HQ_Latitude", "Mission_Continent", "Mission_Region", "Experts_on_Mission",
    "Formed_Police_Units", "Inidividual_Police", "Civilian_Police", "Troops", "Observers",
    *(f"Contributor_{f}" for f in _PPP_FLAGS if f != "UN_Bloc"), *(f"Mission_{f}" for f in _PPP_FLAGS),
)  # fmt: skip
TOTALS_COLUMNS = ("contributor", "date", "troops", "police", "experts")


@dataclass(frozen=True)
class Mission:
    """A UN mission and the country or countries it operates in."""

    code: str
    name: str
    countries: tuple[str, ...]


def load_missions() -> dict[str, Mission]:
    """The mission table, validated (CodebookError names the mission and the bad code)."""
    out: dict[str, Mission] = {}
    for r in read_data_csv(MISSIONS_FILE):
        codes = tuple(c.strip() for c in r["countries"].split(";") if c.strip())
        bad = [c for c in codes if not is_iso3(c)]
        if not codes or bad:
            raise data_error(MISSIONS_FILE, r["mission"], f"bad country code(s) {bad or 'none given'}")
        if r["mission"] in out:
            raise data_error(MISSIONS_FILE, r["mission"], "listed twice")
        out[r["mission"]] = Mission(r["mission"], r["name"], codes)
    return out


def detect_layout(table: Table) -> str:
    """Which IPI layout a header is; ValidationFailed naming what is missing otherwise."""
    header = set(table.header)
    if "Total Total" in header:
        check_columns(
            table, GENDER_COLUMNS, allowed=GENDER_ALLOWED, what="IPI contributor-mission-month (Gender.Full.csv)"
        )
        return "mission-month"
    if "Contributor_ISO-3" in header:
        check_columns(table, PPP_COLUMNS, allowed=PPP_ALLOWED, what="IPI current-month (PPP_Loader)")
        return "mission-month-ppp"
    if "contributor" in header:
        check_columns(table, TOTALS_COLUMNS, what="IPI contributor-month totals")
        return "totals"
    check_columns(table, GENDER_COLUMNS, allowed=GENDER_ALLOWED, what="IPI contributor-mission-month (Gender.Full.csv)")
    raise AssertionError("unreachable")


def _month_end(
    text: str, row: Row, path: str, problems: list[Problem], column: str, report: ImportReport
) -> date | None:
    """The end of the row's month: UN reports are dated at or near it (2002-08-30 stands for August)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        problems.append(Problem(f"{text!r} is not a date (YYYY-MM-DD)", file=path, line=row.line, field=column))
        return None
    if not check_day(day, problems, file=path, line=row.line, field=column):
        return None
    end = month_end(day.year, day.month)
    if day != end:
        report.adjusted["dated before the end of their month, counted for that month"] += 1
    return end


def _count(text: str, row: Row, path: str, problems: list[Problem], column: str) -> float:
    t = text.strip()
    if t in ("", "NA"):
        return 0.0  # NA means no personnel of that kind (IPI)
    value = parse_number(t, problems, file=path, line=row.line, field=column, integer=True)
    return 0.0 if value is None else value


@dataclass
class _Collector:
    """Values per series id and date, with duplicate rows reported."""

    path: str
    values: dict[str, dict[date, float]]
    problems: list[Problem]

    def add(self, series_id: str, day: date, value: float, row: Row) -> None:
        per_date = self.values.setdefault(series_id, {})
        if day in per_date and per_date[day] != value:
            self.problems.append(Problem(f"a second, different value for {series_id} on {day}", self.path, row.line))
        per_date[day] = value


def _mission_rows(
    table: Table, contributor: str, report: ImportReport, columns: tuple[str, str, str, str], first: dict[str, int]
) -> _Collector:
    date_col, iso_col, mission_col, total_col = columns
    missions = load_missions()
    out = _Collector(str(table.path), {}, [])
    prefix = f"pko.{contributor.lower()}."
    for row in table.rows:
        if row.cells[iso_col].strip() != contributor:
            continue
        report.selected += 1
        code = row.cells[mission_col].strip()
        if code not in missions:
            report.unknown[code] += 1
            first.setdefault(code, row.line)
            continue
        day = _month_end(row.cells[date_col], row, out.path, out.problems, date_col, report)
        value = _count(row.cells[total_col], row, out.path, out.problems, total_col)
        if day is not None:
            out.add(prefix + _slug(code), day, value, row)
    return out


def _slug(code: str) -> str:
    return code.lower().replace(" ", "-")


def _totals_rows(table: Table, contributor: str, report: ImportReport) -> _Collector:
    out = _Collector(str(table.path), {}, [])
    names: dict[str, str | None] = {}
    prefix = f"pko.{contributor.lower()}."
    for row in table.rows:
        name = row.cells["contributor"].strip()
        if name not in names:
            names[name] = find_country(name)
        if names[name] != contributor:
            continue
        report.selected += 1
        day = _month_end(row.cells["date"], row, out.path, out.problems, "date", report)
        parts = {k: _count(row.cells[k], row, out.path, out.problems, k) for k in ("troops", "police", "experts")}
        if day is None:
            continue
        out.add(prefix + "total", day, sum(parts.values()), row)
        for kind, value in parts.items():
            out.add(prefix + kind, day, value, row)
    return out


def _definition(series_id: str, contributor: str, missions: dict[str, Mission]) -> dict[str, object]:
    who = "Chinese" if contributor == "CHN" else f"{country(contributor).name}'s"
    tail = series_id.split(".", 2)[2]
    kinds = {"total": "personnel", "troops": "troops", "police": "police", "experts": "experts on mission"}
    if tail in kinds:
        return {
            "name": f"{who} {kinds[tail]} in UN peacekeeping operations",
            "description": f"Contributed by {country(contributor).name}, all missions, at the end of each month.",
            "mission": None,
            "country": None,
        }
    mission = next(m for m in missions.values() if _slug(m.code) == tail)
    where = ", ".join(country(c).name for c in mission.countries)
    return {
        "name": f"{who} personnel in {mission.code} ({where})",
        "description": f"Troops, police and experts on mission in the {mission.name}, at the end of each month.",
        "mission": mission.code,
        "country": mission.countries[0] if len(mission.countries) == 1 else None,
    }


def build_series(values: dict[str, dict[date, float]], contributor: str, path: Path) -> list[Series]:
    missions = load_missions()
    source = Provenance(source=IPI, publisher="International Peace Institute", url=IPI_URL, locator=path.name)
    out = []
    for series_id, per_date in sorted(values.items()):
        obs = [Observation(date=d, value=v) for d, v in sorted(per_date.items())]
        fields = _definition(series_id, contributor, missions)
        try:
            out.append(
                Series.model_validate(
                    {
                        "id": series_id,
                        "unit": "persons",
                        "frequency": Frequency.month,
                        "category": "projection.peacekeeping",
                        "source": source,
                        "observations": obs,
                        **fields,
                    }
                )
            )
        except ValidationError as exc:
            raise ValidationFailed(problems_from(exc, file=str(path))) from exc
    return out


# Layout -> (date, contributor ISO3, mission, total) columns of the mission layouts.
_MISSION_COLUMNS = {
    "mission-month": ("Date", "Contributor ISO-3", "Mission", "Total Total"),
    "mission-month-ppp": ("Date", "Contributor_ISO-3", "Mission", "Total"),
}


def parse_contributions(
    path: Path, *, contributor: str = "CHN", skip_unknown: bool = False
) -> tuple[list[Series], ImportReport]:
    """Validate a contributions file and build the contributor's monthly series."""
    table = parse_table(path, read_text(path))
    layout = detect_layout(table)
    report = ImportReport(KIND, str(path), rows=len(table.rows))
    first: dict[str, int] = {}
    if layout == "totals":
        collected = _totals_rows(table, contributor, report)
    else:
        collected = _mission_rows(table, contributor, report, _MISSION_COLUMNS[layout], first)
    if collected.problems:
        raise ValidationFailed(collected.problems)
    reject_unknown(report, first, skip_unknown)
    return build_series(collected.values, contributor, path), report


def import_peacekeeping(
    db: Database,
    path: Path,
    *,
    user: str,
    contributor: str = "CHN",
    skip_unknown: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Import a contributor's (China's by default) peacekeepers as monthly series, all or nothing."""
    contributor = contributor.upper()
    if contributor == "" or not is_iso3(contributor):
        raise ValidationFailed(Problem(f"unknown ISO3 code {contributor!r}", field="--contributor"))
    series, report = parse_contributions(path, contributor=contributor, skip_unknown=skip_unknown)
    report.dry_run = dry_run
    if dry_run:
        report.series = SaveSummary(
            created=[s.id for s in series], values_added=sum(len(s.observations) for s in series)
        )
        return report
    report.series = save_series(db, series, user=user, reason=f"import-data {KIND} {path.name}")
    return report
