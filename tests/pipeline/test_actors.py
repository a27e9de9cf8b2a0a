"""Stage actors: the curated actor list's names and aliases, longest match, case."""

from __future__ import annotations

from sectracker.models import Document
from sectracker.pipeline.actors import STAGE_VERSION, actor_kind, add_actors, find_actors
from sectracker.pipeline.records import AnalysedDocument
from sectracker.pipeline.segment import add_segments


def _ids(text: str) -> list[str]:
    return [m.actor for m in find_actors(text)]


def test_longest_alias_wins() -> None:
    assert _ids("The PLA Navy and the PLA Air Force exercised.") == ["plan", "plaaf"]
    assert _ids("The PLA sent aid.") == ["pla"]


def test_acronyms_match_their_case_only() -> None:
    assert _ids("They plan to visit; the PLAN plans visits.") == ["plan"]


def test_full_names_and_offsets() -> None:
    text = "NORINCO and the China Coast Guard; later the CCG."
    mentions = find_actors(text, base_offset=5)
    assert [m.actor for m in mentions] == ["norinco", "ccg", "ccg"]
    assert all(text[m.start - 5 : m.end - 5] == m.text for m in mentions)


def test_actor_kind() -> None:
    assert actor_kind("norinco") == "firm"
    assert actor_kind("no-such-actor") is None


def test_add_actors_fills_units() -> None:
    doc = AnalysedDocument(document=Document(id="d", text="The PLA Navy sailed.\n\nNothing here."))
    doc = add_actors(add_segments(doc))
    assert [[m.actor for m in u.actors] for u in doc.units] == [["plan"], []]
    assert doc.stages_run[-1] == f"actors@{STAGE_VERSION}"
