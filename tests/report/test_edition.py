"""report/edition.py: layout in codebook order, footnote numbering, highlights, annex."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime

import pytest

from sectracker.codebook import load_codebook
from sectracker.errors import ReportError
from sectracker.models import Event, Precision, Source
from sectracker.report.edition import Edition, build_edition, date_label
from tests.report.events import make_event, sample_events

START, END = date(2020, 1, 1), date(2020, 6, 30)
GENERATED = datetime(2026, 1, 1, tzinfo=UTC)


def edition_of(events: list[Event]) -> Edition:
    return build_edition(events, START, END, codebook=load_codebook(), generated=GENERATED)


def test_only_sections_and_categories_with_events_in_codebook_order() -> None:
    ed = edition_of(sample_events())
    assert [s.id for s in ed.sections] == ["domestic", "diplomacy", "projection"]
    keys = [c.key for s in ed.sections for g in s.groups for c in g.categories]
    assert keys == [
        "domestic.policy",
        "domestic.arms_trade",
        "diplomacy.aid_training",
        "diplomacy.law_enforcement",
        "projection.peacekeeping",
        "projection.deployments",
    ]
    assert all(c.items for s in ed.sections for g in s.groups for c in g.categories)


def test_group_subheadings_follow_the_codebook() -> None:
    ed = edition_of(sample_events())
    diplomacy = next(s for s in ed.sections if s.id == "diplomacy")
    assert [(g.label, [c.key for c in g.categories]) for g in diplomacy.groups] == [
        ("Defense Diplomacy", ["diplomacy.aid_training"]),
        (None, ["diplomacy.law_enforcement"]),
    ]


def test_every_event_exactly_once_with_its_footnotes() -> None:
    events = sample_events()
    ed = edition_of(events)
    items = [i for s in ed.sections for i in s.items]
    assert sorted(i.event_id for i in items) == sorted(e.id for e in events)
    by_id = {e.id: e for e in events}
    for item in items:
        assert [f.title for f in item.footnotes] == [s.title for s in by_id[item.event_id].sources]


def test_footnotes_are_numbered_continuously_in_reading_order() -> None:
    ed = edition_of(sample_events())
    numbers = [f.number for s in ed.sections for f in s.footnotes]
    assert numbers == list(range(1, 9))  # eight sources: one event has two, one has none
    islands = next(i for s in ed.sections for i in s.items if i.event_id == "ev-islands")
    assert [f.number for f in islands.footnotes] == [1, 2]
    assert islands.footnotes[0].published == "1 July 2020"


def test_items_sorted_by_date_then_id_whatever_the_input_order() -> None:
    events = sample_events() + [make_event("ev-aaa", "domestic.policy", date(2020, 5, 22))]
    shuffled = events[:]
    random.Random(7).shuffle(shuffled)
    ed, again = edition_of(events), edition_of(shuffled)
    assert ed == again
    policy = ed.sections[0].groups[0].categories[0]
    assert [i.event_id for i in policy.items] == ["ev-islands", "ev-aaa", "ev-budget"]


def test_highlights_are_the_flagged_events_most_significant_first() -> None:
    ed = edition_of(sample_events())
    assert [h.event_id for h in ed.highlights] == ["ev-budget", "ev-masks"]


def test_highlights_fall_back_to_the_most_significant_events() -> None:
    events = [e.model_copy(update={"highlight": False}) for e in sample_events()]
    ed = edition_of(events)
    # significance first, then the earlier date
    assert [h.event_id for h in ed.highlights][:4] == ["ev-budget", "ev-galwan", "ev-masks", "ev-islands"]
    assert len(ed.highlights) == 5


def test_at_most_six_flagged_highlights() -> None:
    events = [make_event(f"ev-flag-{n}", "domestic.forces", date(2020, 2, n + 1), highlight=True) for n in range(9)]
    assert len(edition_of(events).highlights) == 6


def test_annex_counts_per_category_and_country() -> None:
    ed = edition_of(sample_events())
    cats = {r.key: r.count for r in ed.annex.by_category}
    assert cats["domestic.policy"] == 2 and cats["diplomacy.law_enforcement"] == 2
    assert "architecture.un" not in cats
    assert ed.annex.total == 8
    countries = [(r.key, r.label, r.count) for r in ed.annex.by_country]
    assert ("IND", "India", 1) in countries and ("KHM", "Cambodia", 1) in countries
    assert [r.label for r in ed.annex.by_country] == sorted(r.label for r in ed.annex.by_country)


def test_title_block_values() -> None:
    ed = edition_of(sample_events())
    assert (ed.title, ed.label, ed.generated) == ("China Global Security Tracker", "January-June 2020", "2026-01-01")


def test_date_labels_follow_precision() -> None:
    day = make_event("ev-d", "domestic.policy", date(2020, 6, 15))
    span = make_event("ev-s", "domestic.policy", date(2020, 3, 13), date_end=date(2020, 6, 19))
    month = make_event("ev-m", "domestic.policy", date(2020, 5, 1), date_precision=Precision.month)
    half = make_event("ev-h", "domestic.policy", date(2020, 1, 1), date_precision=Precision.half)
    unknown = make_event("ev-u", "domestic.policy", date(2020, 1, 1), date_precision=Precision.unknown)
    assert [date_label(e) for e in (day, span, month, half, unknown)] == [
        "15 June 2020",
        "13 March 2020 to 19 June 2020",
        "May 2020",
        "H1 2020",
        "",
    ]


def test_only_http_urls_become_links() -> None:
    bad = make_event(
        "ev-js", "domestic.policy", date(2020, 2, 2), sources=[Source(title="x", url="javascript:alert(1)")]
    )
    note = edition_of([bad]).sections[0].footnotes[0]
    assert note.url == "javascript:alert(1)" and note.link is None


def test_event_outside_the_codebook_is_an_error_not_a_silent_drop() -> None:
    full = load_codebook()
    without_architecture = dataclasses.replace(full, sections=full.sections[:3])
    event = make_event("ev-un", "architecture.un", date(2020, 5, 1))
    with pytest.raises(ReportError, match=r"architecture\.un \(events ev-un\)"):
        build_edition([event], START, END, codebook=without_architecture, generated=GENERATED)
