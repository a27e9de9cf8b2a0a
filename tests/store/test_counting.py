"""Counting at scale on both backends: date bounds from the longest event, country links kept in step."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from sectracker.models import EventFilter, Status
from sectracker.store import Database, api, browse
from sectracker.store.queries import max_date_span
from sectracker.store.schema import event_countries, events
from tests.store.sample import make_event, sample_events


@pytest.fixture
def filled(any_db: Database) -> Database:
    api.add_events(any_db, sample_events(), user="ana")
    return any_db


def links(db: Database) -> dict[tuple[str, str], tuple[Any, ...]]:
    """Each country link's copy of its event's columns, and the event's own values, side by side."""
    cols = ("date_start", "date_end", "category", "status", "deleted_at")
    with db.connect() as conn:
        stmt = select(event_countries.c.event_id, event_countries.c.iso3, *(event_countries.c[c] for c in cols)).join(
            events, events.c.id == event_countries.c.event_id
        )
        own = {(r.event_id, r.iso3): tuple(r[2:]) for r in conn.execute(stmt)}
        stored = {r.id: tuple(r[1:]) for r in conn.execute(select(events.c.id, *(events.c[c] for c in cols)))}
    for (event_id, _), values in own.items():
        assert values == stored[event_id], event_id
    return own


def test_links_follow_every_change_of_their_event(filled: Database) -> None:
    assert len(links(filled)) == 7
    api.edit_event(filled, "ev-masks", {"date_start": date(2019, 12, 1), "category": "architecture.un"}, user="ana")
    api.edit_event(filled, "ev-karachi", {"status": Status.rejected, "countries": ["PAK", "LKA"]}, user="ana")
    api.delete_event(filled, "ev-10", user="ana")
    now = links(filled)  # checks each link against its event
    assert now[("ev-masks", "KHM")][:3] == (date(2019, 12, 1), date(2020, 6, 19), "architecture.un")
    assert now[("ev-karachi", "LKA")][3] == "rejected"
    assert now[("ev-10", "KHM")][4] is not None
    api.restore_event(filled, "ev-10", user="ana")
    assert links(filled)[("ev-10", "KHM")][4] is None


def test_a_long_event_still_overlaps_a_late_range(filled: Database) -> None:
    with filled.connect() as conn:
        assert max_date_span(conn) == (date(2020, 6, 19) - date(2020, 3, 13)).days
    decade = make_event("ev-decade", date_start=date(2011, 1, 1), date_end=date(2021, 1, 1), countries=["PAK"])
    api.add_events(filled, [decade], user="ana")
    f = EventFilter(date_from=date(2020, 12, 1), date_to=date(2020, 12, 31))
    assert [e.id for e in api.find_events(filled, f)] == ["ev-decade"]
    assert browse.facet_counts(filled, f, "country") == [("PAK", 1)]
    assert browse.facet_counts(filled, f, "category") == [("diplomacy.meetings", 1)]


def test_country_counts_equal_a_count_of_the_events(filled: Database) -> None:
    api.delete_event(filled, "ev-10", user="ana")
    for f in (
        EventFilter(),
        EventFilter(date_from=date(2020, 4, 1), date_to=date(2020, 5, 31)),
        EventFilter(statuses=[Status.verified], text="talks"),
        EventFilter(categories=["diplomacy.meetings"], countries=["LAO", "KHM"]),
        EventFilter(include_deleted=True, highlight=False),
    ):
        found = api.find_events(filled, f, limit=None)
        expected: dict[str, int] = {}
        for e in found:
            for c in e.countries:
                expected[c] = expected.get(c, 0) + 1
        assert dict(browse.facet_counts(filled, f, "country")) == expected, f


@pytest.mark.parametrize("driver_limit", [1, 5000])
def test_counts_of_a_country_filter_read_from_the_links_equal_the_events(
    filled: Database, driver_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # driver_limit=1 makes every text query a filter (the path taken for common words).
    monkeypatch.setattr("sectracker.store.queries.TEXT_DRIVER_LIMIT", driver_limit)
    api.delete_event(filled, "ev-10", user="ana")
    for f in (
        EventFilter(countries=["PAK", "KHM"]),
        EventFilter(countries=["KHM"], include_deleted=True),
        EventFilter(countries=["PAK"], statuses=[Status.verified], date_from=date(2020, 3, 1)),
        EventFilter(countries=["PAK", "KHM"], text="masks"),
        EventFilter(categories=["diplomacy.aid_training", "diplomacy.meetings"], text="talks masks"),
    ):
        found = api.find_events(filled, f, limit=None)
        assert api.count_events(filled, f) == len(found), f
        for facet in ("category", "status"):
            expected: dict[str, int] = {}
            for e in found:
                key = getattr(e, facet) if facet == "category" else e.status.value
                expected[key] = expected.get(key, 0) + 1
            assert dict(browse.facet_counts(filled, f, facet)) == expected, (f, facet)
        months: dict[str, int] = {}
        for e in found:
            if e.date_start:
                months[e.date_start.strftime("%Y-%m")] = months.get(e.date_start.strftime("%Y-%m"), 0) + 1
        assert dict(browse.facet_counts(filled, f, "month")) == months, f


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_country_pages_from_the_links_visit_each_event_once_in_order(filled: Database, sort: str) -> None:
    extra = [
        make_event(f"ev-x{i}", countries=["PAK", "KHM"], date_start=date(2020, 5, 1) if i % 2 else None)
        for i in range(5)
    ]
    api.add_events(filled, extra, user="ana")
    f = EventFilter(countries=["PAK", "KHM"])
    expected = [e.id for e in api.find_events(filled, f, sort=sort, limit=None)]
    assert len(expected) == 8  # ev-masks and the new events are in both countries, and count once
    seen: list[str] = []
    cursor = None
    while True:
        page = browse.page_events(filled, f, sort=sort, limit=3, cursor=cursor)
        seen += [e.id for e in page.events]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == expected
