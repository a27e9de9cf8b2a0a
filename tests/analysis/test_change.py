"""Change against the previous period and the same period a year before."""

from __future__ import annotations

import polars as pl
import pytest

from sectracker.analysis.change import change, earlier_period
from sectracker.countries.groups import Reference
from sectracker.errors import AnalysisError, ValidationFailed


@pytest.mark.parametrize(
    ("period", "against", "expected"),
    [
        ("2020-H1", "previous", "2019-H2"),
        ("2020-H2", "previous", "2020-H1"),
        ("2020-Q1", "previous", "2019-Q4"),
        ("2020-Q3", "previous", "2020-Q2"),
        ("2020-01", "previous", "2019-12"),
        ("2020-05", "previous", "2020-04"),
        ("2020", "previous", "2019"),
        ("2020-H1", "year", "2019-H1"),
        ("2020-03", "year", "2019-03"),
    ],
)
def test_earlier_period(period: str, against: str, expected: str) -> None:
    assert earlier_period(period, against) == expected


def test_change_against_previous_half(frame: pl.DataFrame, ref: Reference) -> None:
    out = change(frame, None, ref, "2020-H1", "previous")
    rows = {
        r["category"]: (r["current"], r["previous"], r["change"], r["pct_change"]) for r in out.iter_rows(named=True)
    }
    assert rows == {
        "diplomacy.aid_training": (2, 0, 2, None),
        "diplomacy.exercises_port_calls": (1, 0, 1, None),
        "diplomacy.meetings": (0, 1, -1, -100.0),
        "domestic.policy": (1, 0, 1, None),
        "projection.deployments": (2, 0, 2, None),
        "total": (6, 1, 5, 500.0),
    }
    assert set(out["compared_with"]) == {"2019-H2"}


def test_change_against_a_year_before(frame: pl.DataFrame, ref: Reference) -> None:
    out = change(frame, "section = diplomacy", ref, "2020-H1", "year", by=None)
    assert out.select("current", "previous", "change", "pct_change").rows() == [(3, 1, 2, 200.0)]


def test_bad_periods(frame: pl.DataFrame, ref: Reference) -> None:
    with pytest.raises((AnalysisError, ValidationFailed)):
        change(frame, None, ref, "2020-H5")
    with pytest.raises(AnalysisError, match="'previous' or 'year'"):
        change(frame, None, ref, "2020-H1", "decade")
