"""Stage classify: codebook cues and weights, lead and heading, features, exclusions, abstaining."""

from __future__ import annotations

from datetime import date

from sectracker.models import Document
from sectracker.pipeline.classify import STAGE_VERSION, classify_unit
from sectracker.pipeline.records import Classification
from sectracker.pipeline.run import analyse_document

REF = date(2021, 7, 1)


def _classify(text: str) -> list[Classification]:
    doc = analyse_document(Document(id="d", text=text), REF)
    assert doc.stages_run[-1] == f"classify@{STAGE_VERSION}"
    return [u.classification for u in doc.units if u.classification is not None]


def test_port_call_item() -> None:
    [c] = _classify("  • PLA Navy frigates dock in Colombo. Two frigates made a port call at Colombo on March 3.")
    assert c.category == "diplomacy.exercises_port_calls"
    assert 0 < c.confidence <= 1
    assert any("port call" in cue for cue in c.cues)


def test_lead_sentence_counts_more() -> None:
    [c] = _classify("  • China delivers drones to Serbia. The deliveries arrived on April 2.")
    assert c.category == "domestic.arms_trade"
    lead = [cue for cue in c.cues if cue.startswith("lead")]
    assert lead and all("+" in cue for cue in lead)


def test_heading_naming_a_category_counts() -> None:
    text = "Peacekeeping Operations\n\n  • A new contingent arrived. Chinese engineers arrived in Juba on May 5."
    c = _classify(text)[1]
    assert c.category == "projection.peacekeeping"
    assert any(cue.startswith("section") for cue in c.cues)


def test_coast_guard_near_a_disputed_place_is_a_deployment() -> None:
    [c] = _classify("Chinese coast guard vessels chased a fishing boat near Scarborough Shoal on May 2.")
    assert c.category == "projection.deployments"
    assert any(cue.startswith("feature") for cue in c.cues)


def test_codebook_exclusion_moves_task_force_port_calls() -> None:
    [c] = _classify("Ships of the 40th escort task force made a port call at Karachi on June 1.")
    assert c.category == "diplomacy.exercises_port_calls"
    assert any(cue.startswith("exclusion") for cue in c.cues)


def test_commentary_plans_questions_and_headings_abstain() -> None:
    text = (
        "Outlook\n\n"
        "These moves suggest that Beijing could be seen as testing its neighbours.\n\n"
        "China will send a hospital ship to the Pacific next year.\n\n"
        "Will the PLA hold drills near Taiwan?"
    )
    assert [c.category for c in _classify(text)] == [None, None, None, None]


def test_foreign_actor_alone_is_not_china_reporting() -> None:
    [c] = _classify("The US Navy sailed a destroyer through the Taiwan Strait on May 3.")
    assert c.category is None


def test_classify_unit_directly() -> None:
    doc = analyse_document(Document(id="d", text="Heading\n\nThe PLA donated masks to the Nepal Army on May 2."), REF)
    heading, body = doc.units
    assert classify_unit(heading, doc.document.text).category is None
    result = classify_unit(body, doc.document.text)
    assert result.category == "diplomacy.aid_training"
    assert result.scores[result.category] == result.score


def test_a_place_name_alone_does_not_make_a_category() -> None:
    [c] = _classify("China held talks with Malaysia about the South China Sea on May 3.")
    assert c.category != "projection.deployments"
    assert any("names only" in cue for cue in c.cues)


def test_institutions_of_the_security_architecture_count_as_activities() -> None:
    [c] = _classify("China and Russia blocked a Security Council statement on North Korea on May 3.")
    assert c.category == "architecture.un"


def test_units_without_china_abstain() -> None:
    [c] = _classify("Vietnam and Malaysia signed a maritime boundary agreement in Hanoi on May 3.")
    assert c.category is None and "China not named" in c.cues[0]
