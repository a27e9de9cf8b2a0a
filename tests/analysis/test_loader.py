"""The events frame: built from the store or from Event records, the same either way."""

from __future__ import annotations

import polars as pl

from sectracker.analysis.loader import events_frame, load_events_frame, pairs
from sectracker.models import Status
from sectracker.store import Database, api
from tests.analysis.fixtures import event, sample_events


def test_store_and_records_give_the_same_frame(any_db: Database) -> None:
    db = any_db
    events = sample_events()
    api.add_events(db, events, user="tester")
    from_store = load_events_frame(db)
    from_records = events_frame(events)
    assert from_store.equals(from_records)
    assert from_store.filter(pl.col("id") == "aid-nga-pak")["countries"].to_list() == [["NGA", "PAK"]]
    assert from_store.filter(pl.col("id") == "budget")["section"].item() == "domestic"


def test_deleted_and_rejected_events_are_left_out(db: Database) -> None:
    from datetime import date

    api.add_events(
        db,
        [
            event("kept", "domestic.policy", date(2020, 1, 1), []),
            event("gone", "domestic.policy", date(2020, 1, 2), []),
            event("nope", "domestic.policy", date(2020, 1, 3), [], status=Status.rejected),
        ],
        user="tester",
    )
    api.delete_event(db, "gone", user="tester")
    assert load_events_frame(db)["id"].to_list() == ["kept"]
    assert sorted(load_events_frame(db, include_rejected=True)["id"].to_list()) == ["kept", "nope"]


def test_pairs_keep_events_without_countries() -> None:
    exploded = pairs(events_frame(sample_events()))
    assert exploded.height == 13  # 12 event-country pairs + the budget with none
    assert exploded.filter(pl.col("id") == "budget")["country"].to_list() == [None]
