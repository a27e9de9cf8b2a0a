"""Test data for the web tests: verified events, candidates and a stored source document."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sectracker.models import Document, Event, Evidence, Location, Source
from sectracker.store import Database, api, documents

DOC_TEXT = (
    "Beijing, 3 April 2020. A PLA Air Force Y-20 transport landed in Islamabad carrying masks and "
    "protective suits for the Pakistani armed forces. <script>alert('doc')</script> The same week, "
    "PLA medical experts held a video conference with Cambodian military doctors. "
    "Separately, a PLA Navy task group docked in Djibouti for supplies."
)


def span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def add_document(db: Database, text: str = DOC_TEXT, title: str = "PLA medical aid <b>report</b>") -> str:
    doc = Document(
        id=Document.id_for(text),
        text=text,
        title=title,
        publisher="Xinhua",
        published=date(2020, 4, 3),
        fetched_at=datetime(2020, 4, 4, tzinfo=UTC),
    )
    db.write(lambda conn: documents.insert_documents(conn, [doc]))
    return doc.id


def evidence_source(doc_id: str, needle: str, text: str = DOC_TEXT) -> Source:
    start, end = span(text, needle)
    return Source(
        title="Xinhua report",
        publisher="Xinhua",
        evidence=Evidence(start=start, end=end, text=text[start:end], document_id=doc_id),
    )


def verified_events() -> list[Event]:
    return [
        Event(
            id="ev-pak-masks",
            headline="PLA delivers masks to Pakistan's armed forces",
            summary="A Y-20 landed in Islamabad with medical supplies.",
            category="diplomacy.aid_training",
            date_start=date(2020, 4, 3),
            date_precision="day",
            countries=["PAK"],
            actors=["pla"],
            locations=[Location(name="Islamabad", lat=33.69, lon=73.05)],
            status="verified",
            sources=[Source(title="Xinhua", publisher="Xinhua")],
            significance=4,
        ),
        Event(
            id="ev-djibouti-port",
            headline="PLA Navy task group docks in Djibouti",
            category="projection.logistics",
            date_start=date(2020, 4, 6),
            countries=["DJI"],
            actors=["plan"],
            locations=[Location(name="Djibouti", lat=11.59, lon=43.15)],
            status="verified",
        ),
        Event(
            id="ev-un-budget",
            headline="China pays UN peacekeeping dues",
            category="architecture.un",
            date_start=date(2020, 5, 20),
            status="verified",
        ),
        Event(
            id="ev-cambodia-exercise",
            headline="Golden Dragon exercise with Cambodia",
            category="diplomacy.exercises_port_calls",
            date_start=date(2020, 3, 15),
            countries=["KHM"],
            actors=["pla"],
            status="verified",
        ),
        Event(
            id="ev-2019-visit",
            headline="Defence minister visits Nigeria",
            category="diplomacy.meetings",
            date_start=date(2019, 11, 2),
            countries=["NGA"],
            status="verified",
        ),
    ]


def candidate_events(doc_id: str) -> list[Event]:
    return [
        Event(
            id="cand-pak-dup",
            headline="PLA delivers masks to Pakistan armed forces",
            category="diplomacy.aid_training",
            date_start=date(2020, 4, 3),
            countries=["PAK"],
            status="candidate",
            confidence=0.9,
            sources=[evidence_source(doc_id, "A PLA Air Force Y-20 transport landed in Islamabad")],
        ),
        Event(
            id="cand-cambodia-video",
            headline="PLA video conference with Cambodian military doctors",
            category="diplomacy.aid_training",
            date_start=date(2020, 4, 3),
            countries=["KHM"],
            status="candidate",
            confidence=0.45,
            sources=[evidence_source(doc_id, "PLA medical experts held a video conference")],
        ),
        Event(
            id="cand-undated",
            headline="Unclear report of <svg onload=alert(1)> drills",
            category="domestic.forces",
            status="candidate",
            confidence=0.2,
        ),
    ]


def seed(db: Database) -> str:
    """Store the test events and the document; returns the document id."""
    doc_id = add_document(db)
    api.add_events(db, verified_events() + candidate_events(doc_id), user="seed")
    return doc_id
