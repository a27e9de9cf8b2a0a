"""Adding counterpart-country facts to event-country pairs, as of each event's date.

Each function takes the pairs frame (see loader.pairs) and returns it with one more
column. Groups are evaluated on the pair's `asof` date: the selection's `asof` when
given, else the event's start date.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from sectracker.countries import alignment as align
from sectracker.countries.groups import Reference

ASOF = "_asof"


def with_asof(pairs: pl.DataFrame, asof: date | None) -> pl.DataFrame:
    """Add the date groups are evaluated on (the selection's asof, else the event date)."""
    if ASOF in pairs.columns:
        return pairs
    day = pl.lit(asof, dtype=pl.Date) if asof else pl.col("date")
    return pairs.with_columns(day.alias(ASOF))


def with_place(pairs: pl.DataFrame, ref: Reference, column: str) -> pl.DataFrame:
    """Add region, subregion, continent or name of the counterpart country."""
    if column in pairs.columns:
        return pairs
    table = ref.countries.select(pl.col("iso3").alias("country"), column)
    return pairs.join(table, on="country", how="left", maintain_order="left")


def with_membership(pairs: pl.DataFrame, ref: Reference, group: str, name: str) -> pl.DataFrame:
    """Add a boolean column `name`: the counterpart belonged to `group` on the as-of date."""
    members = ref.memberships.filter(pl.col("group") == group).select(
        pl.col("iso3").alias("country"), pl.col("since").alias("_since"), pl.col("until").alias("_until")
    )
    joined = pairs.join(members, on="country", how="left", maintain_order="left")
    flag = (
        pl.col("_since").is_not_null()
        & (pl.col("_since") <= pl.col(ASOF))
        & (pl.col("_until").is_null() | (pl.col(ASOF) <= pl.col("_until")))
    ).fill_null(False)
    return joined.with_columns(flag.alias(name)).drop("_since", "_until")


def with_income(pairs: pl.DataFrame, ref: Reference, name: str = "_income") -> pl.DataFrame:
    """Add the World Bank income group id (low .. high; null if unclassified) on the as-of date."""
    if name in pairs.columns:
        return pairs
    fy = (pl.col(ASOF).dt.year() + (pl.col(ASOF).dt.month() >= 7).cast(pl.Int32)).cast(pl.Int32)
    table = ref.income.select(
        pl.col("iso3").alias("country"), pl.col("fiscal_year").alias("_fy"), pl.col("income_group").alias(name)
    )
    return (
        pairs.with_columns(fy.alias("_fy"))
        .join(table, on=["country", "_fy"], how="left", maintain_order="left")
        .drop("_fy")
    )


def with_alignment(pairs: pl.DataFrame, ref: Reference) -> pl.DataFrame:
    """Add `_agreement` (window share) and `_quartile` (1-4) for the as-of year."""
    if "_quartile" in pairs.columns:
        return pairs
    years = pairs[ASOF].dt.year().drop_nulls().unique().to_list()
    table = align.alignment_by_year(ref.yearly_alignment, [int(y) for y in years]).select(
        pl.col("iso3").alias("country"),
        pl.col("year").alias("_year"),
        pl.col("agreement").alias("_agreement"),
        pl.col("quartile").alias("_quartile"),
    )
    return (
        pairs.with_columns(pl.col(ASOF).dt.year().cast(pl.Int32).alias("_year"))
        .join(table, on=["country", "_year"], how="left", maintain_order="left")
        .drop("_year")
    )
