"""Change against the previous period, or the same period a year before.

For a period such as 2020-H1 the previous period is 2019-H2 and the year before is
2019-H1. Events are placed by their start date. Each row gives the count in both
periods, the change and the percentage change (null when the earlier count is 0);
a last row, keyed "total", covers the whole selection.
"""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from sectracker.analysis.counts import unit_expr
from sectracker.analysis.dimensions import columns_for, with_dimension
from sectracker.analysis.filters import select_events
from sectracker.analysis.selection import Selection
from sectracker.countries.groups import Reference
from sectracker.errors import AnalysisError
from sectracker.periods import parse_period

AGAINST = ("previous", "year")
TOTAL = "total"
_LABEL = re.compile(r"^(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?$")


def earlier_period(period: str, against: str = "previous") -> str:
    """The label of the period compared with: the previous one, or the same one a year before."""
    m = _LABEL.match(period.strip().upper())
    if not m:
        parse_period(period)  # raises the standard message
        raise AnalysisError(f"period {period!r} is not understood")
    if against not in AGAINST:
        raise AnalysisError(f"compare against 'previous' or 'year', not {against!r}")
    year, part = int(m.group(1)), m.group(2) or ""
    parse_period(period)  # a year 0000 or a month 13 gets the standard message
    if against == "year" or not part:
        if year == 1:
            what = "period a year" if part else "period"
            raise AnalysisError(
                f"there is no {what} before {period.strip().upper()} to compare with (periods start in 0001)"
            )
        return f"{year - 1:04d}{'-' + part if part else ''}"
    kind, number = (part[0], int(part[1])) if part[0] in "HQ" else ("M", int(part))
    size = {"H": 2, "Q": 4, "M": 12}[kind]
    if number > 1:
        year, number = year, number - 1
    elif year == 1:
        raise AnalysisError(
            f"there is no period before {period.strip().upper()} to compare with (periods start in 0001)"
        )
    else:
        year, number = year - 1, size
    return f"{year:04d}-{kind}{number}" if kind != "M" else f"{year:04d}-{number:02d}"


def change_pairs(
    pairs: pl.DataFrame,
    period: str,
    ref: Reference,
    against: str = "previous",
    by: str | None = "category",
    unit: str = "events",
) -> pl.DataFrame:
    """Counts in `period` and the earlier period per key of `by`, with change and percent change."""
    earlier = earlier_period(period, against)
    spans = {"current": parse_period(period), "previous": parse_period(earlier)}
    labelled = pairs.with_columns(_which(spans).alias("_which")).filter(pl.col("_which").is_not_null())
    keys = [by] if by else []
    if by:
        labelled = with_dimension(labelled, by, ref)
    rows = _pivot(labelled, keys, unit)
    total = _pivot(labelled, [], unit).with_columns(pl.lit(TOTAL).alias(by or "key"))
    out = pl.concat([rows, total.select(rows.columns)], how="vertical_relaxed") if by else total
    return out.with_columns(
        (pl.col("current") - pl.col("previous")).alias("change"),
        pl.when(pl.col("previous") > 0)
        .then((pl.col("current") - pl.col("previous")) / pl.col("previous") * 100)
        .otherwise(None)
        .alias("pct_change"),
        pl.lit(period.upper()).alias("period"),
        pl.lit(earlier).alias("compared_with"),
    )


def _which(spans: dict[str, tuple[date, date]]) -> pl.Expr:
    expr = pl.when(pl.col("date").is_between(pl.lit(spans["current"][0]), pl.lit(spans["current"][1])))
    return (
        expr.then(pl.lit("current"))
        .when(pl.col("date").is_between(pl.lit(spans["previous"][0]), pl.lit(spans["previous"][1])))
        .then(pl.lit("previous"))
        .otherwise(None)
    )


def _pivot(labelled: pl.DataFrame, keys: list[str], unit: str) -> pl.DataFrame:
    agg = [unit_expr(unit, pl.col("_which") == w).alias(w) for w in ("current", "previous")]
    schema = {**{k: pl.String for k in keys}, "current": pl.Int64, "previous": pl.Int64}
    if not labelled.height:
        return (
            pl.DataFrame({"current": [0], "previous": [0]}, schema=schema) if not keys else pl.DataFrame(schema=schema)
        )
    if not keys:
        return labelled.select(agg)
    return labelled.group_by(keys).agg(agg).sort(keys)


def change(
    frame: pl.DataFrame,
    selection: Selection | str | None,
    ref: Reference,
    period: str,
    against: str = "previous",
    by: str | None = "category",
    unit: str = "events",
) -> pl.DataFrame:
    """Change of the selected events between `period` and the earlier one, per key of `by`."""
    extra = columns_for([by] if by else [])
    return change_pairs(select_events(frame, selection, ref, extra), period, ref, against, by, unit)
