"""Stage countries: names, aliases, adjectives, demonyms and capitals, case and ambiguity, China as actor."""

from __future__ import annotations

import pytest

from sectracker.models import Document
from sectracker.pipeline.countries import STAGE_VERSION, add_countries, find_countries
from sectracker.pipeline.records import AnalysedDocument
from sectracker.pipeline.segment import add_segments


def _codes(text: str) -> list[str]:
    return [m.iso3 for m in find_countries(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On Monday the Nigerian Army received the tanks.", ["NGA"]),
        ("The Thai Navy put its order on hold.", ["THA"]),
        ("Filipino fishermen and Emirati officials met.", ["PHL", "ARE"]),
        ("Beijing sent a request to Ankara.", ["CHN", "TUR"]),
        ("Washington accused Delhi and Islamabad of delays.", ["USA", "IND", "PAK"]),
        ("A court in Prague ruled on the case.", []),  # a capital after "in" is a venue, not a government
        ("Prague's court rejected the request.", ["CZE"]),
        ("The US, the UAE, Britain and South Korea signed.", ["USA", "ARE", "GBR", "KOR"]),
        ("Papua New Guinea and Guinea-Bissau sent observers.", ["PNG", "GNB"]),
        ("Troops from South Sudan and Sudan met.", ["SSD", "SDN"]),
        ("Taiwan, Hong Kong and Macau were mentioned.", ["TWN", "HKG", "MAC"]),
        ("Vietnamese and Malaysian vessels were nearby.", ["VNM", "MYS"]),
    ],
)
def test_forms(text: str, expected: list[str]) -> None:
    assert _codes(text) == expected


def test_case_matters_for_codes() -> None:
    assert _codes("Let us go; it was thus decided by us.") == []
    assert _codes("The US navy sailed.") == ["USA"]


def test_blocker_phrases_hide_the_country_inside_them() -> None:
    assert _codes("Ships crossed the Indian Ocean and the South China Sea.") == []
    assert _codes("The Washington Post and the Stockholm International Peace Research Institute said so.") == []


def test_ambiguous_forms_are_skipped_next_to_a_name() -> None:
    assert _codes("Michael Jordan and Chad Smith visited.") == []
    assert _codes("Jordan and Chad signed the treaty.") == ["JOR", "TCD"]
    assert _codes("The Jordan Armed Forces held a drill.") == ["JOR"]


def test_china_is_recorded_but_marked_chn() -> None:
    mentions = find_countries("China and the PRC, Chinese ships and Beijing.")
    assert {m.iso3 for m in mentions} == {"CHN"}
    assert [m.form for m in mentions] == ["name", "code", "demonym", "capital"]


def test_offsets_with_non_ascii_and_no_break_spaces() -> None:
    text = "Ürümqi docked; the South\u00a0China Sea; Côte d’Ivoire’s navy"
    mentions = find_countries(text, base_offset=10)
    assert [m.iso3 for m in mentions] == ["CIV"]
    m = mentions[0]
    assert text[m.start - 10 : m.end - 10] == m.text == "Côte d’Ivoire"


def test_add_countries_fills_units() -> None:
    doc = AnalysedDocument(document=Document(id="d", text="Heading\n\nNepal signed.\n\nNothing here."))
    doc = add_countries(add_segments(doc))
    assert [[m.iso3 for m in u.countries] for u in doc.units] == [[], ["NPL"], []]
    assert doc.stages_run[-1] == f"countries@{STAGE_VERSION}"
