"""Country profile: every engagement with one country over time, by category."""

from __future__ import annotations

import polars as pl

from sectracker.analysis.dimensions import TIME, with_period
from sectracker.analysis.filters import select_events
from sectracker.analysis.selection import Selection
from sectracker.countries.groups import Reference
from sectracker.countries.reference import resolve_country
from sectracker.errors import AnalysisError


def _country_pairs(
    frame: pl.DataFrame, iso3: str, selection: Selection | str | None, ref: Reference, extra: tuple[str, ...] = ()
) -> pl.DataFrame:
    code = resolve_country(iso3)
    selected = select_events(frame, selection, ref, extra)
    return selected.filter(pl.col("country") == code)


def country_profile(
    frame: pl.DataFrame, iso3: str, ref: Reference, period: str = "half", selection: Selection | str | None = None
) -> pl.DataFrame:
    """Events with one country per period and category: period, category, events (plus a 'total' per period)."""
    if period not in TIME:
        raise AnalysisError(f"profile periods are {', '.join(TIME)}, not {period!r}")
    rows = with_period(_country_pairs(frame, iso3, selection, ref), period, "period")
    schema = {"period": pl.String, "category": pl.String, "events": pl.Int64}
    if not rows.height:
        return pl.DataFrame(schema=schema)
    per_category = rows.group_by("period", "category").agg(pl.col("eid").n_unique().cast(pl.Int64).alias("events"))
    totals = rows.group_by("period").agg(
        pl.lit("total").alias("category"), pl.col("eid").n_unique().cast(pl.Int64).alias("events")
    )
    out = pl.concat([per_category, totals.select(per_category.columns)])
    return out.with_columns((pl.col("category") == "total").alias("_t")).sort("period", "_t", "category").drop("_t")


def country_events(
    frame: pl.DataFrame, iso3: str, ref: Reference, selection: Selection | str | None = None
) -> pl.DataFrame:
    """The events with one country, oldest first: id, date, category, headline, other countries."""
    code = resolve_country(iso3)
    rows = _country_pairs(frame, code, selection, ref, ("headline", "countries"))
    return rows.select(
        "id",
        "date",
        "category",
        "headline",
        pl.col("countries").list.filter(pl.element() != code).list.join(" ").alias("with"),
    ).sort("date", "id", nulls_last=True)
