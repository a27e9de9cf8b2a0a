"""Counts by category, period, region and group; every figure worked out by hand from fixtures.py."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from sectracker.analysis.counts import complete_periods, count_events, period_labels
from sectracker.countries.groups import Reference
from sectracker.errors import AnalysisError


def as_dict(frame: pl.DataFrame, key: str, value: str = "events") -> dict[str, int]:
    return dict(zip(frame[key].to_list(), frame[value].to_list(), strict=True))


def test_by_category(frame: pl.DataFrame, ref: Reference) -> None:
    counts = count_events(frame, None, ["category"], ref)
    assert as_dict(counts, "category") == {
        "diplomacy.aid_training": 2,
        "diplomacy.exercises_port_calls": 2,
        "diplomacy.meetings": 1,
        "domestic.policy": 1,
        "projection.deployments": 2,
    }
    assert counts.filter(pl.col("category") == "diplomacy.meetings")["share"].item() == pytest.approx(1 / 8)


def test_by_period_labels_events_that_span_periods(frame: pl.DataFrame, ref: Reference) -> None:
    assert as_dict(count_events(frame, None, ["half"], ref), "half") == {"2019-H1": 1, "2019-H2": 1, "2020-H1": 6}
    months = as_dict(count_events(frame, None, ["month"], ref), "month")
    assert months == {
        "2019-03": 1,
        "2019-11": 1,
        "2020-01": 1,
        "2020-02": 1,
        "2020-03": 1,
        "2020-04": 2,
        "over several months": 1,  # the budget, dated only to January-June
    }
    assert as_dict(count_events(frame, None, ["quarter"], ref), "quarter")["2020-Q2"] == 2
    assert as_dict(count_events(frame, None, ["year"], ref), "year") == {"2019": 2, "2020": 6}


def test_two_dimensions(frame: pl.DataFrame, ref: Reference) -> None:
    counts = count_events(frame, "section = diplomacy", ["category", "half"], ref)
    rows = {(r["category"], r["half"]): r["events"] for r in counts.iter_rows(named=True)}
    assert rows == {
        ("diplomacy.aid_training", "2020-H1"): 2,
        ("diplomacy.exercises_port_calls", "2019-H1"): 1,
        ("diplomacy.exercises_port_calls", "2020-H1"): 1,
        ("diplomacy.meetings", "2019-H2"): 1,
    }


def test_by_region_in_each_unit(frame: pl.DataFrame, ref: Reference) -> None:
    events = count_events(frame, None, ["region"], ref)
    assert as_dict(events, "region") == {"Africa": 2, "Americas": 1, "Asia": 6, "Europe": 2}
    # shares are of the 7 events that have a counterpart country
    assert events.filter(pl.col("region") == "Africa")["share"].item() == pytest.approx(2 / 7)
    countries = count_events(frame, None, ["region"], ref, unit="countries")
    assert as_dict(countries, "region", "countries") == {"Africa": 1, "Americas": 1, "Asia": 5, "Europe": 2}
    pairs = count_events(frame, None, ["region"], ref, unit="engagements")
    assert as_dict(pairs, "region", "engagements") == {"Africa": 2, "Americas": 1, "Asia": 7, "Europe": 2}


def test_by_groups_on_the_event_date(frame: pl.DataFrame, ref: Reference) -> None:
    assert as_dict(count_events(frame, None, ["oecd"], ref), "oecd") == {"OECD member": 3, "not OECD member": 5}
    assert as_dict(count_events(frame, None, ["income"], ref), "income") == {
        "Low income": 1,
        "Lower middle income": 3,
        "Upper middle income": 2,
        "High income": 3,
        "not classified": 1,
    }
    assert as_dict(count_events(frame, None, ["bri"], ref), "bri") == {"BRI participant": 4, "not in BRI": 4}
    assert as_dict(count_events(frame, None, ["alignment"], ref), "alignment") == {
        "Q1 (least aligned)": 2,
        "Q2": 2,
        "Q3": 2,
        "Q4 (most aligned)": 3,
        "no UN votes": 1,
    }


def test_by_country_adds_names(frame: pl.DataFrame, ref: Reference) -> None:
    counts = count_events(frame, "country in (PAK, NGA)", ["country"], ref)
    assert counts.select("country", "name", "events").rows() == [("NGA", "Nigeria", 2), ("PAK", "Pakistan", 3)]


def test_imported_group_missing_gets_one_honest_label(frame: pl.DataFrame, bare_ref: Reference) -> None:
    assert as_dict(count_events(frame, None, ["income"], bare_ref), "income") == {"income group not imported": 7}


def test_empty_selection_gives_an_empty_table(frame: pl.DataFrame, ref: Reference) -> None:
    counts = count_events(frame, "country = BRA", ["category"], ref)
    assert counts.height == 0 and counts.columns == ["category", "events", "share"]


def test_bad_dimension_and_unit(frame: pl.DataFrame, ref: Reference) -> None:
    with pytest.raises(AnalysisError, match="unknown dimension 'colour'"):
        count_events(frame, None, ["colour"], ref)
    with pytest.raises(AnalysisError, match="unknown unit 'tonnes'"):
        count_events(frame, None, ["category"], ref, unit="tonnes")


def test_period_labels_and_completion() -> None:
    assert period_labels("month", date(2019, 11, 5), date(2020, 2, 1)) == ["2019-11", "2019-12", "2020-01", "2020-02"]
    assert period_labels("quarter", date(2020, 2, 1), date(2020, 12, 31)) == [
        "2020-Q1",
        "2020-Q2",
        "2020-Q3",
        "2020-Q4",
    ]
    assert period_labels("half", date(2019, 8, 1), date(2020, 6, 30)) == ["2019-H2", "2020-H1"]
    counts = pl.DataFrame({"month": ["2020-02", "over several months"], "events": [3, 1]})
    done = complete_periods(counts, "month", date(2020, 1, 1), date(2020, 3, 31))
    assert done.rows() == [("2020-01", 0), ("2020-02", 3), ("2020-03", 0), ("over several months", 1)]
