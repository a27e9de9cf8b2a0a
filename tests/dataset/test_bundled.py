"""The bundled 2020-H1 dataset: valid, complete, honest about dates, and written in our own words."""

from __future__ import annotations

import calendar
import re
from datetime import date
from importlib import resources

import pytest

from sectracker.actors import load_actors
from sectracker.codebook import load_codebook
from sectracker.exchange.readers import BUNDLED, read_bundled
from sectracker.models import Event, EventFilter, Precision, Status
from sectracker.store import Database, api

PERIOD = (date(2020, 1, 1), date(2020, 6, 30))
HIGHLIGHTS = {
    "2020h1-japan-scrambles-fy2019",  # PLA steps up activities in the East and South China Sea
    "2020h1-plaaf-taiwan-flights",  # pressure on Taiwan with military maneuvers
    "2020h1-defense-budget",  # defense budget up 6.6 percent
    "2020h1-un-peacekeeping-30-years",  # 30 years of UN peacekeeping
    "2020h1-arms-trade-treaty",  # China to join the Arms Trade Treaty
}
# Occurrences the edition reports with dates (partly) outside January-June 2020.
OUTSIDE_PERIOD = {
    "2020h1-turkey-secret-extradition",  # the request was sent in 2016
    "2020h1-reserve-forces-cmc",  # takes effect on 1 July 2020
    "2020h1-japan-scrambles-fy2019",  # Japan's fiscal year April 2019 - March 2020
}
# Multi-day occurrences whose first and last day are both known.
EXACT_SPANS = {
    "2020h1-pla-medical-donations",  # 13 March - 19 June
    "2020h1-taiwan-south-joint-drill",  # 9-10 February
}


@pytest.fixture(scope="module")
def events() -> list[Event]:
    return read_bundled()


def _yaml_text() -> str:
    return resources.files("sectracker.dataset").joinpath(BUNDLED).read_text(encoding="utf-8")


def _month_end(d: date) -> int:
    return calendar.monthrange(d.year, d.month)[1]


def test_bundled_dataset_is_large_with_unique_ids(events: list[Event]) -> None:
    assert len(events) >= 55
    ids = [e.id for e in events]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("2020h1-") for i in ids)


def test_every_codebook_category_has_events(events: list[Event]) -> None:
    # The edition has at least one item in each of the fifteen subsections.
    assert {e.category for e in events} == set(load_codebook().keys)


def test_the_five_highlights_are_flagged(events: list[Event]) -> None:
    assert {e.id for e in events if e.highlight} == HIGHLIGHTS


def test_all_events_are_verified_and_cite_the_edition(events: list[Event]) -> None:
    for e in events:
        assert e.status is Status.verified, e.id
        assert e.sources and e.sources[0].publisher == "MERICS", e.id
        assert e.sources[0].title == "China Global Security Tracker No. 7", e.id


def test_headlines_and_summaries_are_short(events: list[Event]) -> None:
    for e in events:
        assert len(e.headline) <= 120, e.id
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", e.summary.strip()) if s]
        assert 1 <= len(sentences) <= 3, e.id


def test_actor_and_country_references(events: list[Event]) -> None:
    actors = load_actors()
    for e in events:
        assert set(e.actors) <= set(actors), e.id
        assert "CHN" not in e.countries, e.id


@pytest.mark.parametrize("precision", list(Precision))
def test_dates_agree_with_their_precision(events: list[Event], precision: Precision) -> None:
    for e in (x for x in events if x.date_precision is precision):
        start, end = e.date_start, e.date_end
        assert start and end and start <= end, e.id
        if precision is Precision.day:
            assert start == end or e.id in EXACT_SPANS, e.id
        elif precision is Precision.month:
            # whole months, or the early/mid/late thirds of one
            assert start.day in (1, 11, 21), e.id
            assert end.day in (10, 20, _month_end(end)), e.id
        elif precision is Precision.quarter:
            assert start.day == 1 and start.month in (1, 4, 7, 10), e.id
            assert end.month in (3, 6, 9, 12) and end.day == _month_end(end), e.id
        elif precision is Precision.half:
            assert (start.month, start.day) in ((1, 1), (7, 1)), e.id
            assert (end.month, end.day) in ((6, 30), (12, 31)), e.id
        elif precision is Precision.year:
            assert (start.month, start.day, end.month, end.day) == (1, 1, 12, 31), e.id


def test_dates_outside_the_period_are_deliberate(events: list[Event]) -> None:
    outside = {
        e.id
        for e in events
        if e.date_start and e.date_end and not (PERIOD[0] <= e.date_start and e.date_end <= PERIOD[1])
    }
    assert outside == OUTSIDE_PERIOD


def _normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def test_no_seed_sentence_is_copied(events: list[Event], seed_text: str) -> None:
    ours = _normalise(_yaml_text()) + "\n" + _normalise(" | ".join(f"{e.headline} {e.summary}" for e in events))
    sentences = [s for line in seed_text.splitlines() for s in re.split(r"(?<=[.!?])\s+", line.strip(" •\t"))]
    long = [_normalise(s) for s in sentences if len(s.strip()) >= 80]
    assert long, "the seed should have long sentences to check against"
    copied = [s[:80] for s in long if s[:80] in ours]
    assert copied == []


def test_bundled_events_load_into_the_store(events: list[Event], db: Database) -> None:
    assert api.add_events(db, events, user="t") == len(events)
    assert api.count_events(db, EventFilter()) == len(events)
    assert api.count_events(db, EventFilter(highlight=True)) == len(HIGHLIGHTS)


def test_actor_aliases_point_to_one_actor() -> None:
    # The extraction pipeline matches aliases in text; one alias must not name two actors.
    owners: dict[str, str] = {}
    for actor in load_actors().values():
        for alias in actor.aliases:
            assert owners.setdefault(alias.lower(), actor.id) == actor.id, alias
