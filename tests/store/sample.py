"""Hand-made events for the store tests: every field used, ids that sort differently by locale."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sectracker.models import Event, Evidence, Location, Precision, Quantity, Source, Status


def make_event(event_id: str, **fields: Any) -> Event:
    values: dict[str, Any] = {
        "id": event_id,
        "headline": f"Headline of {event_id}",
        "summary": "",
        "category": "diplomacy.meetings",
        "date_start": date(2020, 3, 1),
        "date_precision": Precision.day,
        "status": Status.verified,
    }
    values.update(fields)
    return Event(**values)


def sample_events() -> list[Event]:
    """Seven events covering every column, NULL dates, booleans, floats and odd ids."""
    return [
        make_event(
            "ev-karachi",
            headline="PLA Navy escort task force calls at Karachi",
            summary="A goodwill visit by the returning naval escort task force.",
            category="diplomacy.exercises_port_calls",
            date_start=date(2020, 1, 5),
            countries=["PAK"],
            actors=["plan"],
            tags=["navy", "port call"],
            locations=[Location(name="Karachi", lat=24.8607, lon=67.0011, precision="exact")],
            significance=2,
            sources=[
                Source(
                    title="Port call report",
                    publisher="Example News",
                    url="https://example.org/karachi",
                    published=date(2020, 1, 6),
                    evidence=Evidence(start=10, end=42, text="the task force docked", document_id="doc-1"),
                )
            ],
        ),
        make_event(
            "ev-tanks",
            headline="Nigeria receives Chinese battle tanks",
            summary="Deliveries of VT-4 tanks were reported by the army.",
            category="domestic.arms_trade",
            date_start=date(2020, 4, 8),
            date_end=date(2020, 4, 30),
            countries=["NGA"],
            actors=["norinco"],
            quantities=[Quantity(value=17.0, unit="tanks", item="VT-4", text="17 tanks")],
            status=Status.candidate,
            confidence=0.1 + 0.2,  # 0.30000000000000004: floats must survive exactly
            significance=4,
            highlight=True,
            sources=[Source(title="Army statement", publisher="Nigerian Army")],
        ),
        make_event(
            "ev-masks",
            headline="Masks and ventilators flown to Pakistan and Cambodia",
            summary="Military medical aid, reported by the defence ministry — über-urgent.",
            category="diplomacy.aid_training",
            date_start=date(2020, 3, 13),
            date_end=date(2020, 6, 19),
            countries=["PAK", "KHM"],
            highlight=True,
            significance=5,
            tags=["covid-19"],
            created_at=datetime(2020, 3, 14, 9, 30, tzinfo=timezone(timedelta(hours=8))),
            updated_at=datetime(2020, 3, 15, 1, 0),  # naive: read as UTC
            sources=[
                Source(title="Ministry release", publisher="Ministry of National Defense"),
                Source(title="Tracker edition", publisher="Research institute", published=date(2020, 7, 1)),
            ],
        ),
        make_event(
            "ev-undated",
            headline="Peacekeeping contingent rotated",
            category="projection.peacekeeping",
            date_start=None,
            date_precision=Precision.unknown,
            status=Status.rejected,
        ),
        make_event("ev-10", headline="Talks in Phnom Penh", countries=["KHM"], date_start=date(2020, 5, 1)),
        make_event("ev.1", headline="Talks in Vientiane", countries=["LAO"], date_start=date(2020, 5, 1)),
        make_event("ev_2", headline="Talks in Yangon", countries=["MMR"], date_start=date(2020, 5, 1)),
    ]


def aware_utc(value: datetime | None) -> bool:
    return value is not None and value.tzinfo is not None and value.utcoffset() == timedelta(0) and value.tzinfo == UTC
