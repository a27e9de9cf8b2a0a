"""A small hand-made world for analysis tests: eight events and invented group data.

Every expected figure in tests/analysis is worked out by hand from this file. The
income, Belt and Road and alignment values are invented for the tests (Thailand's BRI
exit in January 2020 is fictional, there to test exits).

    e1 aid-nga-pak      diplomacy.aid_training          2020-03-20  NGA PAK  pla, covid-19
    e2 aid-fra          diplomacy.aid_training          2020-04-02  FRA      pla, covid-19
    e3 meet-pak-rus     diplomacy.meetings              2019-11-05  PAK RUS
    e4 budget           domestic.policy                 2020-01-01..2020-06-30 (no country)
    e5 drill-jpn        projection.deployments          2020-04-10  JPN
    e6 drill-twn-usa    projection.deployments          2020-02-09  TWN USA  significance 5
    e7 exercise-khm     diplomacy.exercises_port_calls  2019-03-15  KHM
    e8 exercise-tha     diplomacy.exercises_port_calls  2020-01-15  THA PAK NGA
"""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from sectracker.analysis.loader import events_frame
from sectracker.countries.groups import Reference, build_reference
from sectracker.countries.tables import ALIGNMENT_SCHEMA, BRI_SCHEMA, INCOME_SCHEMA
from sectracker.models import Event, Precision, Status


def event(event_id: str, category: str, start: date, countries: list[str], **fields: Any) -> Event:
    values: dict[str, Any] = {
        "id": event_id,
        "headline": f"Headline of {event_id}",
        "category": category,
        "date_start": start,
        "date_precision": Precision.day,
        "countries": countries,
        "status": Status.verified,
    }
    values.update(fields)
    return Event(**values)


def sample_events() -> list[Event]:
    return [
        event(
            "aid-nga-pak",
            "diplomacy.aid_training",
            date(2020, 3, 20),
            ["NGA", "PAK"],
            actors=["pla"],
            tags=["covid-19"],
        ),
        event("aid-fra", "diplomacy.aid_training", date(2020, 4, 2), ["FRA"], actors=["pla"], tags=["covid-19"]),
        event("meet-pak-rus", "diplomacy.meetings", date(2019, 11, 5), ["PAK", "RUS"]),
        event(
            "budget", "domestic.policy", date(2020, 1, 1), [], date_end=date(2020, 6, 30), date_precision=Precision.half
        ),
        event("drill-jpn", "projection.deployments", date(2020, 4, 10), ["JPN"], tags=["east-china-sea"]),
        event("drill-twn-usa", "projection.deployments", date(2020, 2, 9), ["TWN", "USA"], significance=5),
        event("exercise-khm", "diplomacy.exercises_port_calls", date(2019, 3, 15), ["KHM"]),
        event("exercise-tha", "diplomacy.exercises_port_calls", date(2020, 1, 15), ["THA", "PAK", "NGA"]),
    ]


def sample_frame() -> pl.DataFrame:
    return events_frame(sample_events())


INCOME = {  # iso3 -> (FY2019, FY2020)
    "NGA": ("lower_middle", "lower_middle"),
    "PAK": ("lower_middle", "lower_middle"),
    "FRA": ("high", "high"),
    "RUS": ("upper_middle", "upper_middle"),
    "JPN": ("high", "high"),
    "USA": ("high", "high"),
    "KHM": ("low", "lower_middle"),
    "THA": ("upper_middle", "upper_middle"),
}
AGREEMENT = {"NGA": 0.9, "PAK": 0.95, "KHM": 0.85, "THA": 0.8, "RUS": 0.7, "FRA": 0.5, "JPN": 0.45, "USA": 0.2}


def income_rows() -> pl.DataFrame:
    rows = [
        {"iso3": c, "fiscal_year": fy, "income_group": g, "code_raw": g, "source": "test income"}
        for c, groups in INCOME.items()
        for fy, g in zip((2019, 2020), groups, strict=True)
    ]
    return pl.DataFrame(rows, schema=INCOME_SCHEMA)


def bri_rows() -> pl.DataFrame:
    def row(iso3: str, source: str, join: date | None, year: int | None, exit_: date | None = None) -> dict[str, Any]:
        listed = date(2023, 12, 31) if source == "gfdc-test" else date(2020, 12, 31)
        return {
            "iso3": iso3,
            "source": source,
            "name_in_source": iso3,
            "join_date": join,
            "join_year": year,
            "exit_date": exit_,
            "listed_on": listed,
            "file": "test.csv",
        }

    rows = [
        row("PAK", "gfdc-test", date(2013, 12, 1), 2013),
        row("NGA", "gfdc-test", date(2018, 9, 1), 2018),
        row("KHM", "gfdc-test", date(2013, 12, 1), 2013),
        row("THA", "gfdc-test", date(2017, 5, 1), 2017, date(2020, 1, 10)),
        row("RUS", "gfdc-test", None, None),
        row("RUS", "lpv", None, 2015),
        row("PAK", "lpv", None, 2017),
    ]
    return pl.DataFrame(rows, schema=BRI_SCHEMA)


def alignment_rows() -> pl.DataFrame:
    rows = [
        {"iso3": c, "basis": "year", "period": year, "agreement": a, "votes": 10, "source": "test votes"}
        for c, a in AGREEMENT.items()
        for year in range(2014, 2020)
    ]
    return pl.DataFrame(rows, schema=ALIGNMENT_SCHEMA)


def full_reference() -> Reference:
    """Package memberships plus the invented income, BRI and alignment data."""
    return build_reference(income_rows(), bri_rows(), alignment_rows())
