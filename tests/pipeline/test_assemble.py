"""Stage assemble: one candidate per occurrence, evidence spans, fields, scope and stable ids."""

from __future__ import annotations

from datetime import date

from sectracker.models import Document, Event, Status
from sectracker.pipeline.assemble import assemble_events
from sectracker.pipeline.run import analyse_document

REF = date(2021, 7, 1)


def _events(text: str, reference: date = REF) -> list[Event]:
    return assemble_events(analyse_document(Document(id="doc-test", text=text, title="Test"), reference))


def test_evidence_spans_are_exact_and_fields_are_filled() -> None:
    text = "  • China delivers drones to Serbia. The Serbian Air Force received six CH-92A drones on April 2."
    [e] = _events(text)
    ev = e.sources[0].evidence
    assert ev is not None and text[ev.start : ev.end] == ev.text
    assert e.category == "domestic.arms_trade"
    assert e.countries == ["SRB"] and e.date_start == date(2021, 4, 2) == e.date_end
    assert e.headline == "China delivers drones to Serbia"
    assert e.status == Status.candidate and 0 < (e.confidence or 0) <= 1
    assert any(q.value == 6 for q in e.quantities)
    assert e.sources[0].title == "Test" and ev.document_id == "doc-test"


def test_several_dated_incidents_give_several_candidates() -> None:
    text = (
        "  • Coast guard pressure off the Philippines. Chinese coast guard ships blocked a supply boat near "
        "Second Thomas Shoal on March 5. Chinese coast guard ships also fired water cannon at a Philippine "
        "vessel near Scarborough Shoal on April 30."
    )
    events = _events(text)
    assert [(e.date_start, e.category) for e in events] == [
        (date(2021, 3, 5), "projection.deployments"),
        (date(2021, 4, 30), "projection.deployments"),
    ]
    spans = [(e.sources[0].evidence.start, e.sources[0].evidence.end) for e in events if e.sources[0].evidence]
    assert spans[0][1] <= spans[1][0]
    assert {loc.name for e in events for loc in e.locations} == {"Second Thomas Shoal", "Scarborough Shoal"}


def test_port_calls_in_several_countries_give_one_candidate_each() -> None:
    text = "  • Navy task force visits the Gulf. PLA Navy ships made port calls in Oman, Qatar and Kuwait in May."
    events = _events(text)
    assert [e.countries for e in events] == [["KWT"], ["OMN"], ["QAT"]]
    assert len({e.id for e in events}) == 3


def test_one_multilateral_exercise_stays_one_candidate() -> None:
    text = "China, Russia and Iran held a joint naval exercise in the Gulf of Oman on December 27."
    [e] = _events(text, date(2020, 1, 5))
    assert e.category == "diplomacy.exercises_port_calls"
    assert e.countries == ["IRN", "RUS"] and e.date_start == date(2019, 12, 27)


def test_background_dates_do_not_date_an_occurrence() -> None:
    text = "  • PLA hospital ship in Tonga. The hospital ship Peace Ark arrived in Tonga. It first visited in 2010."
    [e] = _events(text)
    assert e.category == "projection.humanitarian"
    assert e.date_start is None


def test_out_of_scope_and_unspecific_occurrences_are_dropped() -> None:
    assert _events("The city of Wuhan donated 10,000 masks to the city of Milan on March 3.") == []
    assert _events("The PLA has conducted drills.") == []
    [e] = _events("The PLA donated 10,000 masks to the Serbian Armed Forces on March 3.")
    assert e.category == "diplomacy.aid_training" and e.countries == ["SRB"]


def test_ids_are_stable() -> None:
    text = "The PLA donated 10,000 masks to the Serbian Armed Forces on March 3."
    assert [e.id for e in _events(text)] == [e.id for e in _events(text)]


def test_history_told_as_background_gives_no_candidate_outside_a_headlined_item() -> None:
    text = "Beijing seized control of Scarborough Shoal after a standoff with the Philippine navy in 2012."
    assert _events(text, date(2024, 3, 6)) == []
    assert len(_events("  • Shoal seized. " + text, date(2024, 3, 6))) == 1


def test_a_dateline_dates_the_report_not_the_occurrence() -> None:
    text = "MANILA, March 6 (Wire) - Chinese coast guard ships fired water cannon at a Philippine boat on Tuesday."
    [e] = _events(text, date(2024, 3, 6))
    assert e.date_start == date(2024, 3, 5) == e.date_end


def test_the_day_something_was_said_does_not_date_what_was_done() -> None:
    text = "Chinese coast guard ships blocked two Philippine boats, the spokesman told reporters on Monday."
    [e] = _events(text, date(2024, 3, 6))
    assert e.date_start is None


def test_a_later_step_of_the_same_occurrence_does_not_split_it() -> None:
    text = (
        "  • Defence budget rises 7.2 percent. The government presented the 2023 defence budget to the National "
        "People's Congress on 5 March. The NPC approved the budget on 13 March."
    )
    [e] = _events(text, date(2023, 7, 20))
    assert e.date_start == date(2023, 3, 5)
