"""Stage places: the gazetteer, coordinates, kinds, case and the longest name."""

from __future__ import annotations

from sectracker.countries.codes import is_iso3
from sectracker.models import Document
from sectracker.pipeline.places import STAGE_VERSION, add_places, find_places, is_disputed, load_places
from sectracker.pipeline.records import AnalysedDocument
from sectracker.pipeline.segment import add_segments


def test_gazetteer_is_valid_and_has_the_capitals() -> None:
    places = load_places()
    capitals = {p.capital_of for p in places if p.capital_of}
    assert len(capitals) >= 180
    assert all(-90 <= p.lat <= 90 and -180 <= p.lon <= 180 for p in places)
    assert all(p.iso3 is None or is_iso3(p.iso3) for p in places)


def test_security_places_with_kinds_and_coordinates() -> None:
    text = "Ships near Fiery Cross Reef, the Diaoyu/Senkaku Islands and the Gulf of Aden; Galwan Valley."
    found = {m.name: m for m in find_places(text)}
    assert set(found) == {"Fiery Cross Reef", "Senkaku Islands", "Gulf of Aden", "Galwan Valley"}
    assert found["Fiery Cross Reef"].kind == "reef"
    assert abs(found["Fiery Cross Reef"].lat - 9.55) < 0.5
    assert is_disputed("Galwan Valley") and not is_disputed("Gulf of Aden")


def test_longest_name_and_case() -> None:
    assert [m.name for m in find_places("The Gulf of Aden, not Aden.")] == ["Gulf of Aden", "Aden"]
    assert [m.name for m in find_places("A ream of paper at Ream.")] == ["Ream Naval Base"]


def test_ambiguous_city_next_to_a_name_is_skipped() -> None:
    assert find_places("Queen Victoria reigned.") == []
    assert [m.name for m in find_places("The minister flew to Victoria.")] == ["Victoria"]


def test_offsets_and_add_places() -> None:
    text = "Talks in Vienna.\n\nA port call at Da Nang."
    doc = add_places(add_segments(AnalysedDocument(document=Document(id="d", text=text))))
    names = [[m.name for m in u.places] for u in doc.units]
    assert names == [["Vienna"], ["Da Nang"]]
    m = doc.units[1].places[0]
    assert text[m.start : m.end] == "Da Nang" and m.iso3 == "VNM"
    assert doc.stages_run[-1] == f"places@{STAGE_VERSION}"
