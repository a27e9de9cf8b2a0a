"""Campaign comparison: shares by group with Fisher's exact test, odds ratio and Cramér's V."""

from __future__ import annotations

import polars as pl
import pytest

from sectracker.analysis.compare import compare, significance_test
from sectracker.countries.groups import Reference

AID = "category in (diplomacy.aid_training, diplomacy.exercises_port_calls)"
DRILLS = "category = projection.deployments"


def test_two_groups_use_fishers_exact_test(frame: pl.DataFrame, ref: Reference) -> None:
    # A (aid, exercises): NGA PAK FRA KHM THA, one OECD member (FRA).
    # B (deployments): JPN TWN USA, two OECD members (JPN USA).
    result = compare(frame, AID, DRILLS, "oecd", ref, labels=("Aid", "Drills"))
    assert result.table.select("key", "a", "b").rows() == [("OECD member", 1, 2), ("not OECD member", 4, 1)]
    assert result.table["a_share"].to_list() == pytest.approx([0.2, 0.8])
    assert result.table["difference_pp"].to_list() == pytest.approx([20 - 200 / 3, 200 / 3 - 20])
    t = result.test
    assert t.method == "Fisher's exact test"
    # Margins: 3 OECD, 5 in A, n = 8; P(k) = C(5,k) C(3,3-k) / 56 for k = 0..3 = 1, 15, 30, 10 (/56).
    # Observed k = 1 (15/56); as or less probable: k = 0, 1, 3 -> 26/56.
    assert t.p_value == pytest.approx(26 / 56)
    assert t.odds_ratio == pytest.approx((1 * 1) / (4 * 2))
    # chi-square 1.742222 (expected 1.875, 1.125, 3.125, 1.875); V = sqrt(1.742222 / 8)
    assert t.cramers_v == pytest.approx((1.7422222 / 8) ** 0.5, rel=1e-6)
    assert result.labels == ("Aid", "Drills")
    assert result.stats_frame()["p_value"].item() == pytest.approx(26 / 56)


def test_more_groups_with_small_counts_use_the_exact_test(frame: pl.DataFrame, ref: Reference) -> None:
    result = compare(frame, AID, DRILLS, "region", ref)
    assert result.table.select("key", "a", "b").rows() == [
        ("Africa", 1, 0),
        ("Americas", 0, 1),
        ("Asia", 3, 2),
        ("Europe", 1, 0),
    ]
    assert result.test.method == "Fisher-Freeman-Halton exact test"
    assert result.test.dof == 3
    assert result.test.p_value is not None and 0 < result.test.p_value <= 1
    again = compare(frame, AID, DRILLS, "region", ref)
    assert again.test == result.test  # fixed seed: same data, same p


def test_units(frame: pl.DataFrame, ref: Reference) -> None:
    events = compare(frame, AID, DRILLS, "oecd", ref, unit="events")
    assert events.table.select("key", "a", "b").rows() == [("OECD member", 1, 2), ("not OECD member", 3, 1)]


def test_empty_side_gives_no_test(frame: pl.DataFrame, ref: Reference) -> None:
    result = compare(frame, AID, "country = BRA", "oecd", ref)
    assert result.table["b"].to_list() == [0, 0]
    assert result.test.p_value is None and "no test" in result.test.note


def test_large_tables_use_chi_square() -> None:
    t = significance_test([[30, 10], [20, 25], [15, 30]])
    assert t.method == "chi-square test"
    # expected: row totals 40 45 45, column totals 65 65, n 130 -> 20 20 / 22.5 22.5 / 22.5 22.5
    chi2 = (10**2 / 20) * 2 + (2.5**2 / 22.5) * 2 + (7.5**2 / 22.5) * 2
    assert t.statistic == pytest.approx(chi2)
    assert t.dof == 2
    assert t.p_value == pytest.approx(2.718281828 ** (-chi2 / 2), rel=1e-6)  # chi-square sf with 2 dof
    assert t.cramers_v == pytest.approx((chi2 / 130) ** 0.5)
