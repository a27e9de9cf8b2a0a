"""Unit.inside: the mentions that start in a span, as a scan of the list would give them."""

from __future__ import annotations

import random

from sectracker.pipeline.records import CountryMention, Segment, Unit


def _country(start: int, iso3: str) -> CountryMention:
    return CountryMention(start=start, end=start + 3, text=iso3, stage="countries", iso3=iso3)


def test_inside_equals_a_scan_in_list_order_and_follows_a_new_list() -> None:
    rng = random.Random(4)
    mentions = [_country(rng.randrange(1000), rng.choice(["PAK", "NGA", "CHN"])) for _ in range(300)]
    unit = Unit(segment=Segment(kind="paragraph", start=0, end=1000, text="x" * 1000), countries=mentions)
    for _ in range(200):
        start = rng.randrange(1000)
        end = start + rng.randrange(60)
        assert unit.inside("countries", start, end) == [m for m in mentions if start <= m.start < end]
    assert unit.inside("countries", 50, 10) == []
    unit.countries = [_country(5, "THA")]  # a stage replacing the list: the index follows it
    assert unit.inside("countries", 0, 10) == unit.countries
