"""Test data for the web tests: verified events, candidates, a stored source document, series and alerts."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sectracker.models import Document, Event, Evidence, Location, Source
from sectracker.series.files import read_bundled_series
from sectracker.series.models import Frequency, Observation, Provenance, Series
from sectracker.store import Database, api, documents
from sectracker.store.series import save_series
from sectracker.watch.evaluate import run_watch
from sectracker.watch.rules import parse_rules

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


HOSTILE_SERIES = "test.hostile"


def hostile_series() -> Series:
    """A series whose name, unit, source and provenance carry markup (stored series are user data)."""
    bad = Provenance(
        source='"><svg onload=alert(1)> Ministry',
        url="javascript:alert(1)",
        locator="<script>alert(1)</script>",
        derived="<b>bold</b> 10 * 2",
    )
    return Series(
        id=HOSTILE_SERIES,
        name="<script>alert(1)</script> patrols",
        unit="<i>units</i>",
        frequency=Frequency.month,
        mission="<b>M</b>",
        description="<svg onload=alert(1)>",
        source=Provenance(source="Test <b>source</b>", url="https://example.org/a?b=1&c=<2>"),
        observations=[
            Observation(date=date(2020, 4, 30), value=10),
            Observation(date=date(2020, 5, 31), value=20, provenance=bad, note="<script>alert(1)</script>"),
        ],
    )


RULES = """
rules:
  - id: first-aid                 # fires on candidates (cand-pak-dup, cand-cambodia-video)
    kind: first_engagement
    category: diplomacy.aid_training
  - id: first-port-call           # fires on the verified ev-djibouti-port
    kind: first_engagement
    category: projection.logistics
    statuses: [verified]
  - id: big-change                # the defence budget (+6.6%), Japan's scrambles (+5.8%), test.hostile (+100%)
    kind: indicator_change
    series: "*"
    percent: 5
"""


def seed(db: Database) -> str:
    """Store the test events, the document, the bundled and a hostile series, and the alerts they fire."""
    doc_id = add_document(db)
    api.add_events(db, verified_events() + candidate_events(doc_id), user="seed")
    save_series(db, read_bundled_series(), user="seed")
    save_series(db, [hostile_series()], user="analyst <b>", reason="<script>alert(1)</script>")
    run_watch(db, parse_rules(RULES, "web-test-rules.yaml"))
    return doc_id
