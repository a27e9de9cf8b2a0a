"""Events for report tests, built here so the tests never depend on the bundled dataset."""

from __future__ import annotations

from datetime import date
from typing import Any

from sectracker.models import Event, Precision, Source, Status


def make_event(event_id: str, category: str, day: date, **fields: Any) -> Event:
    """A verified, dated event with one source unless fields say otherwise."""
    values: dict[str, Any] = {
        "id": event_id,
        "headline": f"Headline of {event_id}",
        "summary": f"What happened in {event_id}.",
        "category": category,
        "date_start": day,
        "date_precision": Precision.day,
        "status": Status.verified,
        "sources": [
            Source(title=f"Report on {event_id}", publisher="Test Wire", url=f"https://example.org/{event_id}")
        ],
    }
    values.update(fields)
    return Event(**values)


def sample_events() -> list[Event]:
    """Eight events in five categories of three sections; none in Global Security Architecture."""
    two_sources = [
        Source(title="Tracker edition", publisher="Think tank", published=date(2020, 7, 1)),
        Source(title="Ministry statement", publisher="Ministry", url="https://example.org/mod"),
    ]
    return [
        make_event("ev-budget", "domestic.policy", date(2020, 5, 22), significance=5, highlight=True),
        make_event("ev-islands", "domestic.policy", date(2020, 4, 18), significance=4, sources=two_sources),
        make_event("ev-tanks", "domestic.arms_trade", date(2020, 4, 8), countries=["NGA"]),
        make_event(
            "ev-masks",
            "diplomacy.aid_training",
            date(2020, 3, 13),
            date_end=date(2020, 6, 19),
            countries=["PAK", "ZWE", "KHM"],
            highlight=True,
            significance=4,
        ),
        make_event("ev-mekong", "diplomacy.law_enforcement", date(2020, 6, 1), countries=["LAO", "MMR", "THA"]),
        make_event("ev-extradite", "diplomacy.law_enforcement", date(2020, 4, 9), countries=["CZE"], sources=[]),
        make_event("ev-unpko", "projection.peacekeeping", date(2020, 1, 1), date_precision=Precision.half),
        make_event("ev-galwan", "projection.deployments", date(2020, 6, 15), countries=["IND"], significance=5),
    ]
