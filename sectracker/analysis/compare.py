"""Campaign comparison: two selections compared by their shares across country groups.

For example PLA donations against the government's, or 2020-H1 against 2019-H1, by
income group or Belt and Road participation. The unit is by default the distinct
counterpart countries of each selection ("sent to 46 countries"); events or
engagements (event-country pairs) may be counted instead.

The test fits the table: with two groups, Fisher's exact test (two-sided) and the
sample odds ratio (A's odds of falling in the first group over B's); with more, the
chi-square test of independence when every expected count is at least 5, else the
Fisher-Freeman-Halton exact test estimated by Monte Carlo with a fixed seed (the tests
are in `significance`). Cramér's V (chi-square without continuity correction) is
reported as the effect size for every table. A country found in both selections
counts in both.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import polars as pl

from sectracker.analysis import significance as sig
from sectracker.analysis.counts import UNITS, unit_expr
from sectracker.analysis.dimensions import columns_for, label_order, with_dimension
from sectracker.analysis.filters import select_events
from sectracker.analysis.selection import Selection
from sectracker.countries.groups import Reference
from sectracker.errors import AnalysisError

MIN_EXPECTED = 5
MONTE_CARLO_RESAMPLES = 19_999
SEED = 20200613


@dataclass(frozen=True)
class Significance:
    """The significance test and effect size of a comparison (None where not computable)."""

    method: str
    statistic: float | None
    p_value: float | None
    dof: int | None
    odds_ratio: float | None
    cramers_v: float | None
    note: str = ""


@dataclass(frozen=True)
class Comparison:
    """Two selections' counts and shares per group, with the test."""

    by: str
    unit: str
    labels: tuple[str, str]
    table: pl.DataFrame
    test: Significance

    def stats_frame(self) -> pl.DataFrame:
        """The test as a one-row DataFrame (for CSV and JSON output)."""
        return pl.DataFrame([asdict(self.test)], schema=_STATS_SCHEMA)


_STATS_SCHEMA = {
    "method": pl.String,
    "statistic": pl.Float64,
    "p_value": pl.Float64,
    "dof": pl.Int64,
    "odds_ratio": pl.Float64,
    "cramers_v": pl.Float64,
    "note": pl.String,
}


def contingency(a: pl.DataFrame, b: pl.DataFrame, by: str, ref: Reference, unit: str = "countries") -> pl.DataFrame:
    """Counts and shares of two selected pair frames per label of `by`: key, a, a_share, b, b_share, difference."""
    if unit not in UNITS:
        raise AnalysisError(f"unknown unit {unit!r} (units: {', '.join(UNITS)})")
    counted = []
    for name, frame in (("a", a), ("b", b)):
        keyed = with_dimension(frame, by, ref)
        part = keyed.group_by(by).agg(unit_expr(unit).alias(name)) if keyed.height else None
        counted.append(part if part is not None else pl.DataFrame(schema={by: pl.String, name: pl.Int64}))
    table = counted[0].join(counted[1], on=by, how="full", coalesce=True).fill_null(0)
    table = table.filter((pl.col("a") + pl.col("b")) > 0)
    order = label_order(by, table[by].to_list(), ref)
    table = table.with_columns(pl.col(by).replace_strict({k: i for i, k in enumerate(order)}).alias("_o")).sort("_o")
    totals = {c: int(table[c].sum()) for c in ("a", "b")}
    shares = [(pl.col(c) / totals[c] if totals[c] else pl.lit(0.0)).alias(f"{c}_share") for c in ("a", "b")]
    return (
        table.with_columns(*shares)
        .with_columns(((pl.col("a_share") - pl.col("b_share")) * 100).round(9).alias("difference_pp"))
        .select(pl.col(by).alias("key"), "a", "a_share", "b", "b_share", "difference_pp")
    )


def significance_test(counts: list[list[int]]) -> Significance:
    """Fisher's exact test or chi-square on a groups x 2 table of counts, with the effect size."""
    rows = [r for r in counts if sum(r) > 0]
    table = np.array(rows, dtype=np.int64).reshape(-1, 2)
    if table.size == 0 or (table.sum(axis=0) == 0).any():
        return Significance("none", None, None, None, None, None, "no test: a selection has no counts")
    if len(rows) < 2:
        return Significance("none", None, None, None, None, None, "no test: every count falls in one group")
    chi2, dof = sig.chi_square(table)
    v = sig.cramers_v(table)
    if table.shape[0] == 2:
        (a1, b1), (a2, b2) = table.tolist()
        odds = (a1 * b2) / (a2 * b1) if a2 * b1 else math.inf
        return Significance("Fisher's exact test", odds, sig.fisher_2x2(table.tolist()), 1, odds, v)
    if (sig.expected_counts(table) >= MIN_EXPECTED).all():
        return Significance("chi-square test", chi2, sig.chi_square_sf(chi2, dof), dof, None, v)
    p = sig.freeman_halton_monte_carlo(table, MONTE_CARLO_RESAMPLES, SEED)
    note = f"expected counts below {MIN_EXPECTED}: exact test, p estimated from {MONTE_CARLO_RESAMPLES:,} random tables"
    return Significance("Fisher-Freeman-Halton exact test", chi2, p, dof, None, v, note)


def compare_pairs(
    a: pl.DataFrame,
    b: pl.DataFrame,
    by: str,
    ref: Reference,
    unit: str = "countries",
    labels: tuple[str, str] = ("A", "B"),
) -> Comparison:
    """Compare two already-selected pair frames by `by`."""
    table = contingency(a, b, by, ref, unit)
    test = significance_test([[int(x), int(y)] for x, y in zip(table["a"], table["b"], strict=True)])
    return Comparison(by, unit, labels, table, test)


def compare(
    frame: pl.DataFrame,
    selection: Selection | str | None,
    versus: Selection | str | None,
    by: str,
    ref: Reference,
    unit: str = "countries",
    labels: tuple[str, str] | None = None,
) -> Comparison:
    """Compare the events of `selection` (A) with those of `versus` (B) by `by`."""
    a = select_events(frame, selection, ref, columns_for([by]))
    b = select_events(frame, versus, ref, columns_for([by]))
    names = labels or (str(selection or "all events"), str(versus or "all events"))
    return compare_pairs(a, b, by, ref, unit, names)
