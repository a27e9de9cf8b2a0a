"""Applying selections: event conditions keep events, country conditions keep event-country pairs."""

from __future__ import annotations

import polars as pl
import pytest

from sectracker.analysis.filters import select_events
from sectracker.countries.groups import Reference
from sectracker.errors import AnalysisError


def ids(pairs: pl.DataFrame) -> list[str]:
    return sorted(pairs["id"].unique().to_list())


def pairs_of(pairs: pl.DataFrame) -> list[tuple[str, str]]:
    return sorted(zip(pairs["id"].to_list(), pairs["country"].to_list(), strict=True))


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (
            "",
            [
                "aid-fra",
                "aid-nga-pak",
                "budget",
                "drill-jpn",
                "drill-twn-usa",
                "exercise-khm",
                "exercise-tha",
                "meet-pak-rus",
            ],
        ),
        ("actor = pla", ["aid-fra", "aid-nga-pak"]),
        ("tag != covid-19", ["budget", "drill-jpn", "drill-twn-usa", "exercise-khm", "exercise-tha", "meet-pak-rus"]),
        ("section = projection", ["drill-jpn", "drill-twn-usa"]),
        ("significance >= 5", ["drill-twn-usa"]),
        ("date >= 2020-03-01 and date < 2020-04-05", ["aid-fra", "aid-nga-pak"]),
        ("period = 2019", ["exercise-khm", "meet-pak-rus"]),
        ("id in (budget, drill-jpn)", ["budget", "drill-jpn"]),
        (
            "category not in (diplomacy.aid_training, diplomacy.meetings, projection.deployments, domestic.policy)",
            ["exercise-khm", "exercise-tha"],
        ),
    ],
)
def test_event_conditions(frame: pl.DataFrame, ref: Reference, where: str, expected: list[str]) -> None:
    assert ids(select_events(frame, where, ref)) == expected


def test_country_conditions_keep_only_matching_pairs(frame: pl.DataFrame, ref: Reference) -> None:
    assert pairs_of(select_events(frame, "region = Africa", ref)) == [("aid-nga-pak", "NGA"), ("exercise-tha", "NGA")]
    assert pairs_of(select_events(frame, "country = Pakistan", ref)) == [
        ("aid-nga-pak", "PAK"),
        ("exercise-tha", "PAK"),
        ("meet-pak-rus", "PAK"),
    ]
    not_pak = select_events(frame, "country != PAK", ref)
    assert ("aid-nga-pak", "NGA") in pairs_of(not_pak) and "budget" not in ids(not_pak)


def test_groups_follow_the_event_date(frame: pl.DataFrame, ref: Reference) -> None:
    # Thailand left the (invented) BRI list on 2020-01-10, before exercise-tha (2020-01-15);
    # Russia counts from 2015-12-31, the end of the year the second list gives.
    assert pairs_of(select_events(frame, "group = bri", ref)) == [
        ("aid-nga-pak", "NGA"),
        ("aid-nga-pak", "PAK"),
        ("exercise-khm", "KHM"),
        ("exercise-tha", "NGA"),
        ("exercise-tha", "PAK"),
        ("meet-pak-rus", "PAK"),
        ("meet-pak-rus", "RUS"),
    ]
    # As of 2018-01-01 Nigeria (joined 2018-09-01) was not yet in, and Thailand had not left.
    asof = pairs_of(select_events(frame, "group = bri and asof = 2018-01-01", ref))
    assert ("exercise-tha", "THA") in asof
    assert ("aid-nga-pak", "NGA") not in asof


def test_income_and_alignment(frame: pl.DataFrame, ref: Reference) -> None:
    assert ids(select_events(frame, "income = high", ref)) == ["aid-fra", "drill-jpn", "drill-twn-usa"]
    # Cambodia was low income in FY2019 (exercise-khm, March 2019) only.
    assert ids(select_events(frame, "income = low", ref)) == ["exercise-khm"]
    assert ids(select_events(frame, "alignment = q4", ref)) == ["aid-nga-pak", "exercise-tha", "meet-pak-rus"]
    assert ids(select_events(frame, "alignment >= 0.9", ref)) == ["aid-nga-pak", "exercise-tha", "meet-pak-rus"]
    assert pairs_of(select_events(frame, "alignment = q1", ref)) == [("drill-jpn", "JPN"), ("drill-twn-usa", "USA")]


def test_memberships_shipped_in_the_package(frame: pl.DataFrame, bare_ref: Reference) -> None:
    assert ids(select_events(frame, "group = oecd", bare_ref)) == ["aid-fra", "drill-jpn", "drill-twn-usa"]
    assert ids(select_events(frame, "group in (asean, sco)", bare_ref)) == [
        "aid-nga-pak",
        "exercise-khm",
        "exercise-tha",
        "meet-pak-rus",
    ]


def test_missing_imported_group_is_a_clear_error(frame: pl.DataFrame, bare_ref: Reference) -> None:
    with pytest.raises(AnalysisError, match="no bri data .*sectracker countries import-bri"):
        select_events(frame, "group = bri", bare_ref)
    with pytest.raises(AnalysisError, match="no income data"):
        select_events(frame, "income = low", bare_ref)
