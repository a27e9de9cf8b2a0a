"""Browsing queries on SQLite and PostgreSQL: keyset pages, facets, monthly counts, evidence."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sectracker.errors import NotFound, ValidationFailed
from sectracker.models import Event, EventFilter
from sectracker.store import Database, api, browse
from sectracker.store.browse import SORT_KEYS
from tests.web.seed import seed


@pytest.fixture
def many(any_db: Database) -> Database:
    """47 events: some share a date, some are undated (NULLs must page correctly)."""
    events = [
        Event(
            id=f"ev-{i:03d}",
            headline=f"Event number {i}",
            category="diplomacy.meetings" if i % 3 else "architecture.un",
            date_start=None if i % 7 == 0 else date(2020, 1, 1) + timedelta(days=i // 2),
            countries=["PAK", "NGA"][: 1 + i % 2],
            significance=1 + i % 5,
            status="verified" if i % 4 else "candidate",
        )
        for i in range(47)
    ]
    api.add_events(any_db, events, user="seed")
    return any_db


@pytest.mark.parametrize("sort", list(SORT_KEYS))
def test_cursor_pages_visit_every_event_once_in_order(many: Database, sort: str) -> None:
    expected = [e.id for e in browse.page_events(many, EventFilter(), sort=sort, limit=100).events]
    assert len(expected) == 47
    seen: list[str] = []
    cursor = None
    while True:
        page = browse.page_events(many, EventFilter(), sort=sort, limit=6, cursor=cursor)
        seen += [e.id for e in page.events]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert seen == expected


def test_date_sort_puts_undated_events_last_newest_first(many: Database) -> None:
    events = browse.page_events(many, EventFilter(), sort="date", limit=100).events
    dated = [e.date_start for e in events if e.date_start]
    assert dated == sorted(dated, reverse=True)
    assert all(e.date_start is None for e in events[len(dated) :])


def test_bad_cursor_and_sort_name_the_field(many: Database) -> None:
    page = browse.page_events(many, EventFilter(), sort="date", limit=5)
    assert page.next_cursor
    for bad in ("garbage", page.next_cursor[:-3], "eyJzIjoiaWQiLCJrIjpbMV19"):
        with pytest.raises(ValidationFailed) as err:
            browse.page_events(many, EventFilter(), sort="date", limit=5, cursor=bad)
        assert err.value.problems[0].field == "cursor"
    with pytest.raises(ValidationFailed) as err:
        browse.page_events(many, EventFilter(), sort="id", limit=5, cursor=page.next_cursor)
    assert err.value.problems[0].field == "cursor"
    with pytest.raises(ValidationFailed) as err:
        browse.page_events(many, EventFilter(), sort="random()", limit=5)
    assert err.value.problems[0].field == "sort"


def test_facet_counts_match_a_python_count(many: Database) -> None:
    f = EventFilter(statuses=["verified"])
    events = api.find_events(many, f, limit=None)
    cats = browse.facet_counts(many, f, "category")
    assert dict(cats) == {c: sum(e.category == c for e in events) for c in {e.category for e in events}}
    assert cats == sorted(cats, key=lambda p: (-p[1], p[0]))
    countries = dict(browse.facet_counts(many, f, "country"))
    assert countries == {"PAK": len(events), "NGA": sum("NGA" in e.countries for e in events)}
    halves = dict(browse.facet_counts(many, f, "period"))
    assert halves == {"2020-H1": sum(e.date_start is not None for e in events)}
    months = dict(browse.facet_counts(many, f, "month"))
    assert sum(months.values()) == halves["2020-H1"] and list(months) == sorted(months)
    regions = dict(browse.facet_counts(many, f, "region", mapping={"PAK": "Asia", "NGA": "Africa"}))
    assert regions == {"Asia": countries["PAK"], "Africa": countries["NGA"]}
    groups = dict(browse.group_counts(many, f, {"both": {"PAK", "NGA"}, "none": {"FRA"}}))
    assert groups == {"both": len(events)}  # an event in two members counts once
    with pytest.raises(ValidationFailed):
        browse.facet_counts(many, f, "headline")


def test_monthly_counts_and_points(any_db: Database) -> None:
    doc_id = seed(any_db)
    f = EventFilter(statuses=["verified"])
    monthly = browse.monthly_counts(any_db, f, "category")
    assert ("2020-04", "diplomacy.aid_training", 1) in monthly
    assert sum(n for *_, n in monthly) == 5
    points = browse.located_points(any_db, f)
    assert {p.place for p in points} == {"Islamabad", "Djibouti"}
    spans = browse.document_evidence(any_db, doc_id)
    assert [s.event_id for s in spans] == ["cand-pak-dup", "cand-cambodia-video"]
    related = browse.related_events(any_db, api.get_event(any_db, "ev-pak-masks"))
    assert [e.id for e in related] == ["cand-pak-dup"]
    assert browse.data_version(any_db) == 8


def test_event_view_reads_what_an_event_page_shows(any_db: Database) -> None:
    seed(any_db)
    view = browse.event_view(any_db, "ev-pak-masks", public=False, history=True)
    assert view.event == api.get_event(any_db, "ev-pak-masks") and not view.deleted
    assert [h.action for h in view.history or []] == [h.action for h in api.event_history(any_db, "ev-pak-masks")]
    assert [e.id for e in view.related] == ["cand-pak-dup"]  # a candidate: shown to logged-in readers
    public = browse.event_view(any_db, "ev-pak-masks", public=True, history=False)
    assert public.history is None and public.related == []  # anonymous readers see verified events only
    with pytest.raises(NotFound):
        browse.event_view(any_db, "cand-pak-dup", public=True, history=False)
    api.delete_event(any_db, "ev-pak-masks", user="admin")
    assert browse.event_view(any_db, "ev-pak-masks", public=False, history=False).deleted
    with pytest.raises(NotFound):
        browse.event_view(any_db, "ev-pak-masks", public=True, history=False)
    with pytest.raises(NotFound):
        browse.event_view(any_db, "no-such-event", public=False, history=False)
