"""Selecting events on both backends: every filter, full-text search, sorting and paging."""

from __future__ import annotations

from datetime import date

import pytest

from sectracker.models import EventFilter
from sectracker.store import Database, api
from tests.store.sample import sample_events


@pytest.fixture
def filled(any_db: Database) -> Database:
    api.add_events(any_db, sample_events(), user="ana")
    return any_db


def ids(db: Database, sort: str = "id", **filters: object) -> list[str]:
    return [e.id for e in api.find_events(db, EventFilter.model_validate(filters), sort=sort, limit=None)]


def test_filters(filled: Database) -> None:
    assert ids(filled, categories=["domestic.arms_trade", "projection.peacekeeping"]) == ["ev-tanks", "ev-undated"]
    assert ids(filled, countries=["PAK"]) == ["ev-karachi", "ev-masks"]
    assert ids(filled, countries=["KHM", "LAO"]) == ["ev-10", "ev-masks", "ev.1"]
    assert ids(filled, actors=["norinco"]) == ["ev-tanks"]
    assert ids(filled, tags=["covid-19", "navy"]) == ["ev-karachi", "ev-masks"]
    assert ids(filled, highlight=True) == ["ev-masks", "ev-tanks"]
    assert ids(filled, ids=["ev-tanks", "ev-none"]) == ["ev-tanks"]
    assert ids(filled, countries=["PAK"], categories=["diplomacy.aid_training"]) == ["ev-masks"]
    assert api.count_events(filled, EventFilter(countries=["PAK"])) == 2


def test_date_range_selects_overlapping_events(filled: Database) -> None:
    # ev-masks runs 13 March to 19 June; ev-tanks 8 to 30 April; undated events never match a range.
    assert ids(filled, date_from=date(2020, 4, 20), date_to=date(2020, 4, 25)) == ["ev-masks", "ev-tanks"]
    assert ids(filled, date_from=date(2020, 6, 1)) == ["ev-masks"]
    assert ids(filled, date_to=date(2020, 1, 31)) == ["ev-karachi"]
    assert ids(filled, date_from=date(2020, 5, 1), date_to=date(2020, 5, 1)) == ["ev-10", "ev-masks", "ev.1", "ev_2"]


def test_text_search_matches_word_prefixes_in_every_indexed_field(filled: Database) -> None:
    assert ids(filled, text="tank") == ["ev-tanks"]  # prefix of "tanks" in the headline
    assert ids(filled, text="ventil") == ids(filled, text="ventilator") == ["ev-masks"]  # stemmed alike
    assert ids(filled, text="goodwill") == ["ev-karachi"]  # summary
    assert ids(filled, text="Nigerian Army") == ["ev-tanks"]  # source publisher
    assert ids(filled, text="port call report") == ["ev-karachi"]  # source title; every word must match
    assert ids(filled, text="über") == ["ev-masks"]  # not ASCII
    assert ids(filled, text="TALKS") == ["ev-10", "ev.1", "ev_2"]  # case-insensitive
    assert ids(filled, text="talks vient") == ["ev.1"]
    assert ids(filled, text="tanks karachi") == []


def test_text_search_ignores_query_syntax(filled: Database) -> None:
    for query in ('"tank', "tank*", "tank OR karachi", "tank & | ! :* ('')", "NEAR(tank)"):
        assert "ev-karachi" not in ids(filled, text=query)
    assert ids(filled, text="tank*") == ["ev-tanks"]
    assert ids(filled, text="!!! ...") == ids(filled)  # no words: no text filter


def test_search_follows_edits_and_deletes(filled: Database) -> None:
    api.edit_event(filled, "ev-karachi", {"headline": "Frigate visit to Karachi", "summary": ""}, user="ana")
    assert ids(filled, text="frigate") == ["ev-karachi"]
    assert ids(filled, text="goodwill") == []
    api.delete_event(filled, "ev-karachi", user="ana")
    assert ids(filled, text="frigate") == []
    assert ids(filled, text="frigate", include_deleted=True) == ["ev-karachi"]


def test_deleted_events_are_hidden_unless_asked_for(filled: Database) -> None:
    api.delete_event(filled, "ev-tanks", user="ana")
    assert "ev-tanks" not in ids(filled)
    assert ids(filled, include_deleted=True, actors=["norinco"]) == ["ev-tanks"]
    assert api.count_events(filled, EventFilter()) == 6
    assert api.count_events(filled, EventFilter(include_deleted=True)) == 7


def test_sorting_is_the_same_on_both_backends(filled: Database) -> None:
    # Byte order for ids ("-" < "." < "_"), undated events last when newest come first.
    assert ids(filled, "id") == ["ev-10", "ev-karachi", "ev-masks", "ev-tanks", "ev-undated", "ev.1", "ev_2"]
    assert ids(filled, "date") == ["ev_2", "ev.1", "ev-10", "ev-tanks", "ev-masks", "ev-karachi", "ev-undated"]
    assert ids(filled, "-date") == ["ev-undated", "ev-karachi", "ev-masks", "ev-tanks", "ev-10", "ev.1", "ev_2"]
    assert ids(filled, "significance") == [
        "ev-masks",
        "ev-tanks",
        "ev-10",
        "ev.1",
        "ev_2",
        "ev-undated",
        "ev-karachi",
    ]
    assert ids(filled, "category") == [
        "ev-masks",
        "ev-karachi",
        "ev-10",
        "ev.1",
        "ev_2",
        "ev-tanks",
        "ev-undated",
    ]


def test_paging_walks_through_every_event_once(filled: Database) -> None:
    pages = [
        [e.id for e in api.find_events(filled, EventFilter(), sort="date", limit=3, offset=offset)]
        for offset in (0, 3, 6, 9)
    ]
    assert pages == [["ev_2", "ev.1", "ev-10"], ["ev-tanks", "ev-masks", "ev-karachi"], ["ev-undated"], []]
