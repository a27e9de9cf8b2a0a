"""Stage quantities: numbers with units and the thing counted; years, dates and designations excluded."""

from __future__ import annotations

import pytest

from sectracker.models import Document
from sectracker.pipeline.quantities import STAGE_VERSION, add_quantities, find_quantities
from sectracker.pipeline.records import AnalysedDocument
from sectracker.pipeline.segment import add_segments


def _found(text: str) -> list[tuple[str, float, str, str | None]]:
    mentions = find_quantities(text)
    for m in mentions:
        assert text[m.start : m.end] == m.text
    return [(m.text, m.value, m.unit, m.item) for m in mentions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The gift was 62,000 masks.", ("62,000 masks", 62000, "count", "masks")),
        ("It added 19,000 pieces of PPE.", ("19,000 pieces of PPE", 19000, "count", "PPE")),
        (
            "Lawmakers passed a 1.27 trillion CNY defense budget.",
            ("1.27 trillion CNY", 1.27e12, "CNY", "defense budget"),
        ),
        ("Spending rose by 6.6 percent.", ("6.6 percent", 6.6, "percent", None)),
        ("Spending rose by 6.6%.", ("6.6%", 6.6, "percent", None)),
        ("Spending fell by 11.8percent.", ("11.8percent", 11.8, "percent", None)),
        ("The mission had 1,073 personnel.", ("1,073 personnel", 1073, "count", "personnel")),
        ("Fighters scrambled 675 times.", ("675 times", 675, "times", None)),
        ("The navy froze an order for two submarines.", ("two submarines", 2, "count", "submarines")),
        ("Police held eight Taiwanese suspects.", ("eight Taiwanese suspects", 8, "count", "Taiwanese suspects")),
        ("The loan was worth $1.5 billion.", ("$1.5 billion", 1.5e9, "USD", None)),
        ("They pledged $1.5 billion in military aid.", ("$1.5 billion", 1.5e9, "USD", "military aid")),
        ("Satellite images show a 330 meter-long pier.", ("330 meter-long pier", 330, "m", "pier")),
        ("Aid went to 46 countries.", ("46 countries", 46, "count", "countries")),
        ("Incursions were up 5.8 percent.", ("5.8 percent", 5.8, "percent", None)),
        (
            "Guards saw Two Chinese Coast Guard ships.",
            ("Two Chinese Coast Guard ships", 2, "count", "Chinese Coast Guard ships"),
        ),  # fmt: skip
        ("It has twenty-five frigates.", ("twenty-five frigates", 25, "count", "frigates")),
        ("The air force held over a dozen drills.", ("a dozen drills", 12, "count", "drills")),
        ("Donors sent hundreds of thousands of masks.", ("hundreds of thousands of masks", 1e5, "count", "masks")),
        ("In clashes, 20 Indian soldiers died.", ("20 Indian soldiers", 20, "count", "Indian soldiers")),
        ("China has two aircraft carriers.", ("two aircraft carriers", 2, "count", "aircraft carriers")),
        ("They shipped 1,000 tonnes of rice.", ("1,000 tonnes of rice", 1000, "t", "rice")),
        ("The zone extends 12 nautical miles.", ("12 nautical miles", 12, "nmi", None)),
        ("They ran a five-year espionage campaign.", ("five-year espionage campaign", 5, "year", "espionage campaign")),
        ("Patrols have run for eight years.", ("eight years", 8, "year", None)),
        ("The ship sailed through twice.", ("twice", 2, "times", None)),
        ("The grant was RMB 10 billion.", ("RMB 10 billion", 1e10, "CNY", None)),
        ("The fund holds €300m.", ("€300m", 3e8, "EUR", None)),
        ("A 10 billion yuan loan was signed.", ("10 billion yuan", 1e10, "CNY", "loan")),
        ("Nearly 94 such patrols took place.", ("94 such patrols", 94, "count", "patrols")),
        ("It seeks to raise warheads to 1,000.", ("1,000", 1000, "count", None)),
        ("Some 2.5 million people fled.", ("2.5 million people", 2.5e6, "count", "people")),
    ],
)
def test_forms(text: str, expected: tuple[str, float, str, str | None]) -> None:
    assert _found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "The budget for 2020 was set in May.",
        "It docked on June 20 and left on 21 June.",
        "The 34th and 35th task forces and the first ship.",
        "The Type 055 destroyer and the Long March 3B rocket.",
        "Hackers from Unit 78020 and the PLA's 78020 unit struck.",
        "See Tracker No. 7 and Resolution 2231.",
        "The VT-4 tanks, HJ-12E missiles, AG600 aircraft, Covid-19 cases and 5G networks.",
        "The survey ship Haiyang Dizhi 8 entered the zone.",
        "The briefing starts at 3 p.m. and ends at 10:30.",
        "The two sides agreed to talk.",
        "It was one of the largest drills.",
        "They held talks on February 9-10.",
        "The ASEAN Plus Three meeting was held.",
        "The 1990s saw growth.",
    ],
)
def test_not_quantities(text: str) -> None:
    assert _found(text) == []


def test_several_quantities_in_one_sentence() -> None:
    text = "The donation was only 62,000 masks and 19,000 pieces of PPE, sent to 12 different countries."
    assert [(t, v, i) for t, v, _, i in _found(text)] == [
        ("62,000 masks", 62000, "masks"),
        ("19,000 pieces of PPE", 19000, "PPE"),
        ("12 different countries", 12, "countries"),
    ]


def test_base_offset_shifts_spans() -> None:
    (m,) = find_quantities("sent 46 countries", base_offset=50)
    assert (m.start, m.end) == (55, 67)


def test_add_quantities_fills_units() -> None:
    text = "Aid\n\n  • Masks donated. The army gave 62,000 masks.\n"
    doc = add_segments(AnalysedDocument(document=Document(id="doc-q", text=text)))
    out = add_quantities(doc)
    found = [(m.text, m.item) for u in out.units for m in u.quantities]
    assert found == [("62,000 masks", "masks")]
    m = out.units[1].quantities[0]
    assert text[m.start : m.end] == m.text
    assert out.stages_run[-1] == f"quantities@{STAGE_VERSION}"


def test_seed_quantities(seed_text: str) -> None:
    mentions = find_quantities(seed_text)
    assert all(seed_text[m.start : m.end] == m.text for m in mentions)
    found = {(m.text, m.value, m.unit, m.item) for m in mentions}
    for expected in [
        ("62,000 masks", 62000, "count", "masks"),
        ("19,000 pieces of PPE", 19000, "count", "PPE"),
        ("1.27 trillion CNY", 1.27e12, "CNY", "defense budget"),
        ("1,073 personnel", 1073, "count", "personnel"),
        ("675 times", 675, "times", None),
        ("eight Taiwanese suspects", 8, "count", "Taiwanese suspects"),
        ("330 meter-long pier", 330, "m", "pier"),
    ]:
        assert expected in found
    texts = {m.text for m in mentions}
    assert not texts & {"2020", "055", "78020", "7", "3B"}
