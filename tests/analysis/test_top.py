"""Top partners, ranked by events with ties broken by name."""

from __future__ import annotations

import polars as pl
import pytest

from sectracker.analysis.top import top_partners
from sectracker.countries.groups import Reference
from sectracker.errors import AnalysisError


def test_top_partners(frame: pl.DataFrame, ref: Reference) -> None:
    top = top_partners(frame, None, ref, n=4)
    assert top.select("rank", "country", "events").rows() == [
        (1, "PAK", 3),
        (2, "NGA", 2),
        (3, "KHM", 1),
        (4, "FRA", 1),
    ]
    pak = top.row(0, named=True)
    assert pak["share"] == pytest.approx(3 / 7)
    # Pakistan's three events are in three categories, one each: the first key wins the tie.
    assert (pak["top_category"], pak["categories"]) == ("diplomacy.aid_training", 3)


def test_top_by_group(frame: pl.DataFrame, ref: Reference) -> None:
    top = top_partners(frame, "section = diplomacy", ref, n=5, by="region")
    assert top.select("region", "events").rows() == [("Asia", 4), ("Africa", 2), ("Europe", 2)]


def test_top_needs_a_country_dimension(frame: pl.DataFrame, ref: Reference) -> None:
    with pytest.raises(AnalysisError, match="country dimension"):
        top_partners(frame, None, ref, by="month")
    assert top_partners(frame, "country = BRA", ref).height == 0
