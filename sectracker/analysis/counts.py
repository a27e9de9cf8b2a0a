"""Counts of events by category, period, country, region or group.

An event with several counterpart countries counts once in each country (and in each
of their groups), so totals over a country dimension can exceed the number of events.
Units: ``events`` (distinct events), ``engagements`` (event-country pairs) and
``countries`` (distinct counterpart countries). `share` is a row's part of the
selection's total over the rows counted (for a country dimension: the events with a
counterpart country); since an event can sit in several rows, shares can sum above 1.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import polars as pl

from sectracker.analysis.dimensions import TIME, columns_for, is_period, with_dimension
from sectracker.analysis.filters import select_events
from sectracker.analysis.selection import Selection
from sectracker.countries.groups import Reference
from sectracker.errors import AnalysisError

UNITS = ("events", "engagements", "countries")


def unit_expr(unit: str, mask: pl.Expr | None = None) -> pl.Expr:
    """The aggregation for a unit, named after it; `mask` limits it to some rows."""

    def rows(expr: pl.Expr) -> pl.Expr:
        return expr.filter(mask) if mask is not None else expr

    if unit == "events":
        return rows(pl.col("eid")).n_unique().cast(pl.Int64).alias("events")
    if unit == "engagements":
        return rows(pl.struct("eid", "country")).n_unique().cast(pl.Int64).alias("engagements")
    if unit == "countries":
        return rows(pl.col("country")).drop_nulls().n_unique().cast(pl.Int64).alias("countries")
    raise AnalysisError(f"unknown unit {unit!r} (units: {', '.join(UNITS)})")


def count_pairs(pairs: pl.DataFrame, by: Sequence[str], ref: Reference, unit: str = "events") -> pl.DataFrame:
    """Counts of already-selected pairs by the dimensions `by`, with each row's share of the total."""
    if len(set(by)) != len(by):
        raise AnalysisError(f"a dimension is named twice in {list(by)}")
    agg = unit_expr(unit)
    keyed = pairs
    for dim in by:
        keyed = with_dimension(keyed, dim, ref)
    total = keyed.select(unit_expr(unit)).item() if keyed.height else 0
    if not by:
        return pl.DataFrame({unit: [total], "share": [1.0 if total else 0.0]})
    counted = keyed.group_by(list(by)).agg(agg) if keyed.height else _empty(by, unit)
    counted = counted.with_columns((pl.col(unit) / total if total else pl.lit(0.0)).alias("share"))
    if "country" in by:
        names = ref.countries.select(pl.col("iso3").alias("country"), "name")
        counted = counted.join(names, on="country", how="left", maintain_order="left")
    return counted.sort([*by]).select([*by, *(["name"] if "country" in by else []), unit, "share"])


def _empty(by: Sequence[str], unit: str) -> pl.DataFrame:
    return pl.DataFrame(schema={**{d: pl.String for d in by}, unit: pl.Int64})


def count_events(
    frame: pl.DataFrame,
    selection: Selection | str | None,
    by: Sequence[str],
    ref: Reference,
    unit: str = "events",
) -> pl.DataFrame:
    """Counts of the selected events by `by` (e.g. ["category", "half"] or ["region"])."""
    return count_pairs(select_events(frame, selection, ref, columns_for(by)), by, ref, unit)


def period_labels(by: str, first: date, last: date) -> list[str]:
    """Every period label of a time dimension from the period holding `first` to the one holding `last`."""
    if by not in TIME:
        raise AnalysisError(f"{by!r} is not a time dimension ({', '.join(TIME)})")
    step = {"month": 1, "quarter": 3, "half": 6, "year": 12}[by]
    labels: list[str] = []
    y, m = first.year, (first.month - 1) // step * step + 1
    while (y, m) <= (last.year, last.month):
        labels.append(_label(by, y, m))
        m += step
        if m > 12:
            y, m = y + 1, m - 12
    return labels


def _label(by: str, year: int, month: int) -> str:
    if by == "month":
        return f"{year}-{month:02d}"
    if by == "quarter":
        return f"{year}-Q{(month - 1) // 3 + 1}"
    if by == "half":
        return f"{year}-H{(month - 1) // 6 + 1}"
    return str(year)


def complete_periods(counts: pl.DataFrame, by: str, first: date, last: date, unit: str = "events") -> pl.DataFrame:
    """Counts over one time dimension with every period from first to last present (zeros filled).

    Rows that are not a period (undated events, events over several periods) follow at the end.
    """
    labels = pl.DataFrame({by: period_labels(by, first, last)})
    counts = counts.select(by, unit)
    filled = labels.join(counts, on=by, how="left").with_columns(pl.col(unit).fill_null(0))
    others = counts.filter(~is_period(by))
    return pl.concat([filled, others.cast(filled.schema)])  # type: ignore[arg-type]
