"""Evaluation against gold: matching by evidence overlap, one to one, and the figures."""

from __future__ import annotations

from datetime import date

import pytest

from sectracker.errors import ValidationFailed
from sectracker.pipeline.evaluation import Candidate, evaluate, parse_gold

GOLD = {
    "document": "x.txt",
    "published": "2020-07-01",
    "events": [
        {"id": "a", "evidence": [{"start": 0, "end": 100}], "category": "domestic.policy", "countries": [],
         "date_start": "2020-05-01", "date_end": "2020-05-31"},
        {"id": "b", "evidence": [{"start": 200, "end": 300}], "category": "projection.deployments",
         "countries": ["JPN"], "date_start": None, "date_end": None},
        {"id": "c", "evidence": [{"start": 400, "end": 450}], "category": "architecture.un", "countries": [],
         "optional": True},
    ],
}  # fmt: skip


def _cand(start: int, end: int, category: str, countries: tuple[str, ...] = (), day: int | None = None) -> Candidate:
    when = date(2020, 5, day) if day else None
    return Candidate(start, end, category, frozenset(countries), when, when)


def test_figures() -> None:
    gold = parse_gold(GOLD)
    candidates = [
        _cand(0, 90, "domestic.policy", day=3),  # finds a, right date
        _cand(10, 60, "domestic.policy"),  # a again: a duplicate
        _cand(210, 290, "projection.cyber_space", ("JPN", "KOR")),  # finds b, wrong category, one extra country
        _cand(400, 440, "architecture.un"),  # the optional event: not a false positive
        _cand(600, 700, "architecture.un"),  # matches nothing
    ]
    report = evaluate(candidates, gold)
    assert report.recall == 1.0 and report.found == 2 and report.gold_required == 2
    assert report.precision == 0.8
    assert report.duplicates == [1] and report.duplicate_rate == 0.25
    assert report.false_positives == [4]
    assert report.category_accuracy == 0.5
    assert report.country_precision == 0.5 and report.country_recall == 1.0
    assert report.date_accuracy == 1.0 and report.dated_pairs == 1


def test_small_overlap_does_not_match() -> None:
    report = evaluate([_cand(95, 195, "domestic.policy")], parse_gold(GOLD))
    assert report.found == 0 and report.missed == ["a", "b"]


def test_invalid_gold_lists_its_problems() -> None:
    bad = {"events": [{"id": "x", "evidence": [{"start": 5, "end": 2}], "category": "nope", "countries": ["CHN"]}]}
    with pytest.raises(ValidationFailed) as info:
        parse_gold(bad)
    assert len(info.value.problems) == 3
