"""Reading sentences: reports and what is not one (saying, positions, plans, negation, states), and China's agency."""

from __future__ import annotations

from datetime import date

from sectracker.models import Document
from sectracker.pipeline.run import analyse_document
from sectracker.pipeline.sentences import SentenceProfile, profile_unit

REF = date(2023, 7, 1)


def _profile(sentence: str) -> SentenceProfile:
    doc = analyse_document(Document(id="d", text=sentence), REF)
    [unit] = doc.units
    [profile] = profile_unit(unit, doc.document.text)
    return profile


def test_deeds_report() -> None:
    p = _profile("Chinese coast guard ships fired water cannon at a Philippine boat on May 2.")
    assert p.reports and p.deed and p.china


def test_saying_alone_is_not_an_occurrence() -> None:
    assert not _profile("The spokesperson said that the Taiwan question concerns China's core interests.").reports
    assert not _profile("China noted the joint exercise of the US and the ROK starting from Monday.").reports


def test_saying_with_a_reported_chinese_occurrence_reports() -> None:
    p = _profile("Taiwan's defence ministry reported 19 PLA aircraft entering its zone on September 23.")
    assert p.reports and not p.deed and p.speech_content


def test_stated_positions_are_not_occurrences() -> None:
    p = _profile("China firmly opposes the sale and has lodged stern representations with the US on May 3.")
    assert p.position and not p.reports


def test_a_plan_stays_a_plan_when_someone_says_it() -> None:
    assert not _profile("The ministry said Wang Yi would visit Moscow next week.").reports
    assert not _profile("Beijing is looking to expand its space cooperation with Russia.").reports
    assert _profile("China announced on June 20 that it would join the Arms Trade Treaty.").reports


def test_negated_and_denied_occurrences_do_not_report() -> None:
    assert not _profile("There has been no announcement by the PLA about drills near Taiwan.").reports
    assert not _profile("The PLA did not send warships to the area in May.").reports
    side_remark = _profile("Chinese medical teams arrived in Laos in January, which were not interrupted by the war.")
    assert side_remark.reports and not side_remark.negated


def test_present_passives_and_reduced_relatives_are_states() -> None:
    assert not _profile("The reef is claimed by China and Vietnam.").reports
    assert not _profile("The JCPOA, an agreement endorsed by the Security Council, matters to China.").reports


def test_china_named_as_topic_or_target_does_not_act() -> None:
    assert not _profile("Both ministers expressed concern about Chinese activity near the shoal in May.").china
    assert not _profile("The US envoy's visit to China in August sent a clear signal.").china
    assert not _profile("Australia said last week that China has been given a deadline.").china


def test_china_acts_as_subject_agent_partner_or_force() -> None:
    assert _profile("The move came one day after Beijing set up two districts.").china
    assert _profile("The Philippine navy monitored 29 Chinese vessels near the shoal in May.").china
    assert _profile("Thai police handed over 15 suspects to Chinese police officers on June 15.").china
    assert _profile("A Japanese destroyer collided with a Chinese fishing boat on March 30.").china


def test_foreign_measures_against_china_are_foreign_doing() -> None:
    assert _profile("The US sanctioned two Chinese firms for supplying drone parts on May 2.").foreign_subject
    assert _profile("A report said the US government expelled two Chinese officials in May.").foreign_subject
    p = _profile("Chinese coast guard vessels escorted fishing boats on May 2; Jakarta summoned China's ambassador.")
    assert not p.foreign_subject and p.reports
