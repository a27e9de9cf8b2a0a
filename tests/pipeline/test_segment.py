"""Stage segment: units, sentences, lead sentences and sections, with exact offsets."""

from __future__ import annotations

import pytest

from sectracker.models import Document
from sectracker.pipeline.records import AnalysedDocument
from sectracker.pipeline.segment import STAGE_VERSION, add_segments, segment_text, split_sentences

REPORT = (
    "Quarterly Security Review\n"
    "\n"
    "Naval activity\n"
    "\n"
    "  • Frigate visits Lagos. A PLA Navy frigate docked in Lagos on May 3. The crew held a reception.\n"
    "  • Joint drill held with Cambodia. Troops from both countries trained together for ten days.\n"
    "\n"
    "    The drill was the third of its kind.\n"
    "  • New equipment enters service:\n"
    "    • The navy commissioned a new destroyer in April.\n"
    "    - A second landing ship was launched.\n"
    "\n"
    "Diplomacy\n"
    "\n"
    "The minister travelled abroad twice. He met his counterparts in Hanoi and Jakarta.\n"
)


def _check_offsets(text: str, segments: list) -> None:
    for seg in segments:
        assert text[seg.start : seg.end] == seg.text
        for start, end in seg.sentences:
            assert seg.start <= start < end <= seg.end
            assert text[start:end] == text[start:end].strip()


def test_units_kinds_sections_and_offsets() -> None:
    segments = segment_text(REPORT)
    _check_offsets(REPORT, segments)
    kinds = [(s.kind, s.text.split(".")[0][:24]) for s in segments]
    assert kinds == [
        ("heading", "Quarterly Security Revie"),
        ("heading", "Naval activity"),
        ("item", "Frigate visits Lagos"),
        ("item", "Joint drill held with Ca"),
        ("item", "New equipment enters ser"),
        ("item", "The navy commissioned a "),
        ("item", "A second landing ship wa"),
        ("heading", "Diplomacy"),
        ("paragraph", "The minister travelled a"),
    ]
    assert [s.section for s in segments[2:7]] == ["Naval activity"] * 5
    assert segments[8].section == "Diplomacy"


def test_item_keeps_its_indented_follow_on_paragraph() -> None:
    item = segment_text(REPORT)[3]
    assert item.text.endswith("the third of its kind.")
    assert len(item.sentences) == 3
    assert REPORT[item.sentences[-1][0] : item.sentences[-1][1]] == "The drill was the third of its kind."


def test_lead_sentence_of_an_item() -> None:
    segments = segment_text(REPORT)
    first = segments[2]
    assert first.lead_end is not None
    assert REPORT[first.start : first.lead_end] == "Frigate visits Lagos."
    assert segments[4].lead_end is None  # a one-sentence item has no lead
    assert segments[8].lead_end is None  # paragraphs have no lead unless marked bold


def test_long_first_sentence_is_not_a_lead() -> None:
    text = (
        "- The navy, which had been preparing for months, commissioned its newest and largest amphibious "
        "assault ship at a ceremony in Hainan, attended by senior officers. It carries helicopters.\n"
    )
    (item,) = segment_text(text)
    assert item.kind == "item" and item.lead_end is None


def test_bold_lead_in_markdown() -> None:
    text = "**Coast guard ship rams trawler.** The collision happened at dawn.\n"
    (unit,) = segment_text(text)
    assert text[unit.start : unit.lead_end] == "**Coast guard ship rams trawler.**"


@pytest.mark.parametrize(
    "marker",
    ["•", "-", "*", "1.", "2)", "(a)", "–"],
)
def test_bullet_markers(marker: str) -> None:
    text = f"{marker} Troops arrived. They set up camp.\n{marker} Ships left port.\n"
    segments = segment_text(text)
    assert [s.kind for s in segments] == ["item", "item"]
    assert segments[0].text == "Troops arrived. They set up camp."
    _check_offsets(text, segments)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The U.S. Navy sailed. It left.", ["The U.S. Navy sailed.", "It left."]),
        (
            "Sanctions came from the U.S. The ministry objected.",
            ["Sanctions came from the U.S.", "The ministry objected."],
        ),
        ("Dr. Li spoke to Gen. Wang. Talks ended.", ["Dr. Li spoke to Gen. Wang.", "Talks ended."]),
        ("See Tracker No. 7 for details. It is out.", ["See Tracker No. 7 for details.", "It is out."]),
        (
            "It began on Jan. 5 and grew 6.6 percent. Then it fell.",
            ["It began on Jan. 5 and grew 6.6 percent.", "Then it fell."],
        ),
        ("Author J. K. Smith wrote it. Critics agreed.", ["Author J. K. Smith wrote it.", "Critics agreed."]),
        ("Was it a drill? Officials said yes!", ["Was it a drill?", "Officials said yes!"]),
        ("He said “we will respond.” Then he left.", ["He said “we will respond.”", "Then he left."]),
        (
            "The firm, i.e. NORINCO, shipped tanks. 20 arrived.",
            ["The firm, i.e. NORINCO, shipped tanks.", "20 arrived."],
        ),
    ],
)
def test_sentence_splitting(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text, 0, len(text))] == expected


def test_glued_heading_is_split_off() -> None:
    text = (
        "  • Planes were seen at the reef. Boats patrolled near the coast.Maritime Law Enforcement \n  • Police met.\n"
    )
    segments = segment_text(text)
    assert [s.kind for s in segments] == ["item", "heading", "item"]
    assert segments[0].text.endswith("near the coast.")
    assert segments[1].text == "Maritime Law Enforcement"
    assert segments[2].section == "Maritime Law Enforcement"


def test_hard_wrapped_text_joins_lines_into_paragraphs() -> None:
    text = (
        "The destroyer left Qingdao on Monday and sailed south through the\n"
        "strait, shadowed by two foreign frigates for most of the passage and\n"
        "watched by patrol aircraft.\n"
        "\n"
        "Officials declined to comment on the route taken by the ship or on\n"
        "the timing of its return to port, citing operational security.\n"
    )
    segments = segment_text(text)
    assert [s.kind for s in segments] == ["paragraph", "paragraph"]
    assert segments[0].text.endswith("patrol aircraft.")
    _check_offsets(text, segments)


def test_one_line_per_paragraph_text() -> None:
    text = "Q: Can you confirm the visit?\nA: The minister will travel next week.\nQ: Any comment on the drill?\n"
    segments = segment_text(text)
    assert [s.kind for s in segments] == ["paragraph"] * 3


def test_empty_and_blank_text() -> None:
    assert segment_text("") == []
    assert segment_text(" \n\n\t\n") == []


def test_add_segments_fills_units() -> None:
    doc = AnalysedDocument(document=Document(id="doc-x", text=REPORT))
    out = add_segments(doc)
    assert len(out.units) == 9
    assert out.units[2].segment.kind == "item"
    assert out.stages_run == [f"segment@{STAGE_VERSION}"]
    assert doc.units == []  # the input record is not changed


def test_seed_bullet_items_are_units_with_leads(seed_text: str) -> None:
    segments = segment_text(seed_text)
    _check_offsets(seed_text, segments)
    items = [s for s in segments if s.kind == "item"]
    # The seed has 52 "•" bullets: 46 top-level, 6 nested (checked with grep).
    assert seed_text.count("•") == 52
    assert len(items) == 52
    # 5 highlights and 2 list headers ending in ":" are one-sentence items; 3 nested items open with a long
    # sentence; every other item opens with a headline sentence.
    with_lead = [s for s in items if s.lead_end is not None]
    assert len(with_lead) == 42
    for item in with_lead:
        lead = seed_text[item.start : item.lead_end]
        assert lead.endswith(".") and len(lead.split()) <= 22
    # Items with an indented follow-on paragraph stay one unit.
    follow_on = [s for s in items if "\n" in s.text]
    assert len(follow_on) == 3
    # The heading glued to the end of an item is split off and becomes the next items' section.
    assert any(s.kind == "heading" and s.text == "Cyber and Space Capabilities" for s in segments)
