"""Country covariates per event-country pair, for models and custom tables.

One row per selected event and counterpart country, with the country's facts on the
event's date (or the selection's `asof`): region, World Bank income group, Belt and
Road participation, and UN-vote agreement with China as a share and a quartile.
Columns whose data were not imported are null.
"""

from __future__ import annotations

import polars as pl

from sectracker.analysis import annotate
from sectracker.analysis.filters import select_events
from sectracker.analysis.selection import Selection
from sectracker.countries.groups import BRI, Reference

COLUMNS = ("id", "date", "category", "country", "region", "income", "bri", "agreement", "alignment_quartile")


def covariates(frame: pl.DataFrame, selection: Selection | str | None, ref: Reference) -> pl.DataFrame:
    """Selected event-country pairs with each country's income, BRI and alignment on the event date."""
    pairs = select_events(frame, selection, ref).filter(pl.col("country").is_not_null())
    pairs = annotate.with_place(pairs, ref, "region")
    pairs = annotate.with_income(pairs, ref, "income")
    if ref.has(BRI):
        pairs = annotate.with_membership(pairs, ref, BRI, "bri")
    else:
        pairs = pairs.with_columns(pl.lit(None, dtype=pl.Boolean).alias("bri"))
    pairs = annotate.with_alignment(pairs, ref)
    return pairs.select(
        *COLUMNS[:6],
        "bri",
        pl.col("_agreement").alias("agreement"),
        pl.col("_quartile").cast(pl.Int8).alias("alignment_quartile"),
    ).sort("date", "id", "country")
