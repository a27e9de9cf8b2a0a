"""Stage dedupe: same occurrence within a document, across documents and against stored events."""

from __future__ import annotations

from datetime import date

from sectracker.models import Document, Event, Evidence, Quantity, Source
from sectracker.pipeline.dedupe import dedupe_document, dedupe_events, same_occurrence
from sectracker.pipeline.run import extract_events


def _event(eid: str, headline: str, *, doc: str = "a", start: int = 0, countries: tuple[str, ...] = ("SRB",),
           day: int | None = 2, category: str = "domestic.arms_trade", text: str = "", qty: float | None = None,
           ) -> Event:  # fmt: skip
    body = text or headline
    ev = Evidence(start=start, end=start + len(body), text=body, document_id=doc)
    return Event(
        id=eid,
        headline=headline,
        category=category,
        countries=list(countries),
        date_start=date(2020, 4, day) if day else None,
        quantities=[Quantity(value=qty, unit="count", item="drones")] if qty else [],
        sources=[Source(title=doc, evidence=ev)],
        confidence=0.5,
    )


def test_same_occurrence_across_documents_is_merged_keeping_all_evidence() -> None:
    a = _event("ev-aaa", "Serbia receives Chinese drones", doc="a")
    b = _event("ev-bbb", "Chinese drones delivered to Serbia", doc="b", text="Serbia receives Chinese drones today")
    result = dedupe_events([a, b])
    assert len(result.new) == 1 and result.merged == 1
    assert {s.title for s in result.new[0].sources} == {"a", "b"}


def test_a_shared_quantity_and_loose_wording_suffice() -> None:
    a = _event("ev-aaa", "Delivery to the air force", text="six drones reached the air force of Serbia", qty=6)
    b = _event("ev-bbb", "Serbian deal completed", doc="b", text="the six drones for Serbia have arrived", qty=6)
    assert same_occurrence(a, b)


def test_different_countries_dates_or_categories_are_kept_apart() -> None:
    a = _event("ev-aaa", "Chinese drones delivered")
    assert not same_occurrence(a, _event("ev-bbb", "Chinese drones delivered", doc="b", countries=("HUN",)))
    assert not same_occurrence(a, _event("ev-ccc", "Chinese drones delivered", doc="b", day=20))
    assert not same_occurrence(a, _event("ev-ddd", "Chinese drones delivered", doc="b", category="diplomacy.meetings"))


def test_a_summary_without_country_joins_the_full_report() -> None:
    full = _event("ev-aaa", "China delivers drones to Serbia", start=500, text="x" * 200)
    summary = _event("ev-bbb", "China delivers drones to Serbia", start=10, countries=(), day=None)
    [merged] = dedupe_document([summary, full])
    assert merged.id == "ev-aaa" and merged.countries == ["SRB"]
    assert [s.evidence.start for s in merged.sources if s.evidence] == [500, 10]


def test_candidates_split_from_one_passage_stay_apart() -> None:
    a = _event("ev-aaa", "Port calls (Oman)", countries=("OMN",))
    b = _event("ev-bbb", "Port calls (Qatar)", countries=("QAT",))
    c = _event("ev-ccc", "Task forces (34th)", countries=())
    d = _event("ev-ddd", "Task forces (35th)", countries=())
    assert len(dedupe_document([a, b, c, d])) == 4


def test_against_existing_events() -> None:
    stored = _event("ev-old", "Serbia receives Chinese drones", doc="stored")
    new = _event("ev-new", "Serbia receives Chinese drones", doc="fresh")
    other = _event("ev-other", "Hungary buys Chinese radars", doc="fresh", countries=("HUN",), start=100)
    result = dedupe_events([new, other], existing=[stored])
    assert [e.id for e in result.new] == ["ev-other"]
    assert [e.id for e in result.updated] == ["ev-old"]
    assert {s.title for s in result.updated[0].sources} == {"stored", "fresh"}


def test_follow_up_paragraphs_of_one_document_are_merged() -> None:

    text = (
        "Chinese coast guard ships fired water cannon at two Philippine boats near Scarborough Shoal on Tuesday.\n\n"
        "The Philippine boats were delivering fuel when six China Coast Guard ships blocked them, the Philippine "
        "coast guard told reporters.\n\n"
        "Separately, two PLA Navy frigates shadowed Philippine and US warships west of Palawan on Saturday."
    )
    events = extract_events(Document(id="d", text=text), date(2024, 3, 6))
    assert [(e.countries, e.date_start) for e in events] == [
        (["PHL"], date(2024, 3, 5)),
        (["PHL", "USA"], date(2024, 3, 2)),
    ]
    assert len(events[0].sources) == 2


def test_follow_ups_need_the_same_place() -> None:

    text = (
        "Chinese coast guard ships blocked a Philippine supply boat near Scarborough Shoal.\n\n"
        "Two PLA Navy frigates shadowed a Philippine navy patrol near Second Thomas Shoal."
    )
    assert len(extract_events(Document(id="d", text=text), date(2024, 3, 6))) == 2


def test_list_items_are_never_follow_ups() -> None:

    first = "Chinese coast guard ships blocked a Philippine supply boat near Scarborough Shoal."
    second = "Maritime militia vessels later swarmed the lagoon, Manila said, and two PLA Navy frigates watched."
    as_paragraphs = f"{first}\n\n{second}"
    as_items = f"  • Coast guard at the shoal. {first}\n  • Militia swarm. {second}"
    assert len(extract_events(Document(id="d", text=as_paragraphs), date(2024, 3, 6))) == 1
    assert len(extract_events(Document(id="d", text=as_items), date(2024, 3, 6))) == 2
