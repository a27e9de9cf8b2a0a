"""Top partners: the counterpart countries (or regions, groups) with the most events.

Ranked by events, ties broken by name; `share` is the share of the selected events
with a counterpart country; `top_category` is the partner's most frequent category
(ties: the first key in alphabetical order).
"""

from __future__ import annotations

import polars as pl

from sectracker.analysis.dimensions import is_country_dimension, with_dimension
from sectracker.analysis.filters import select_events
from sectracker.analysis.selection import Selection
from sectracker.countries.groups import Reference
from sectracker.errors import AnalysisError


def top_pairs(pairs: pl.DataFrame, ref: Reference, n: int = 10, by: str = "country") -> pl.DataFrame:
    """The `n` partners with most events among already-selected pairs."""
    if not is_country_dimension(by):
        raise AnalysisError(f"top partners are counted by a country dimension, not {by!r}")
    if n < 1:
        raise AnalysisError("the number of partners must be at least 1")
    keyed = with_dimension(pairs, by, ref)
    total = keyed["eid"].n_unique()
    if not keyed.height:
        return pl.DataFrame(
            schema={
                "rank": pl.UInt32,
                by: pl.String,
                "name": pl.String,
                "events": pl.Int64,
                "share": pl.Float64,
                "top_category": pl.String,
                "categories": pl.Int64,
            }
        )
    per_category = (
        keyed.group_by(by, "category")
        .agg(pl.col("eid").n_unique().alias("n"))
        .sort([by, "n", "category"], descending=[False, True, False])
        .group_by(by, maintain_order=True)
        .agg(pl.col("category").first().alias("top_category"), pl.len().cast(pl.Int64).alias("categories"))
    )
    counted = keyed.group_by(by).agg(pl.col("eid").n_unique().cast(pl.Int64).alias("events"))
    names = _names(ref, by)
    return (
        counted.join(per_category, on=by)
        .join(names, on=by, how="left")
        .with_columns(pl.col("name").fill_null(pl.col(by)), (pl.col("events") / total).alias("share"))
        .sort(["events", "name"], descending=[True, False])
        .head(n)
        .with_row_index("rank", offset=1)
        .select("rank", by, "name", "events", "share", "top_category", "categories")
    )


def _names(ref: Reference, by: str) -> pl.DataFrame:
    if by == "country":
        return ref.countries.select(pl.col("iso3").alias("country"), "name")
    return pl.DataFrame(schema={by: pl.String, "name": pl.String})


def top_partners(
    frame: pl.DataFrame, selection: Selection | str | None, ref: Reference, n: int = 10, by: str = "country"
) -> pl.DataFrame:
    """The `n` partners with most selected events."""
    return top_pairs(select_events(frame, selection, ref), ref, n, by)
