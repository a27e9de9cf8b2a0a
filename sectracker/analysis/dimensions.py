"""The dimensions analyses group by: periods, categories, countries and country groups.

`with_dimension(pairs, by, ref)` adds a text column named `by` holding each pair's
label. Time dimensions label the event's dates ("2020-03", "2020-Q1", "2020-H1",
"2020"; an event running over several periods is labelled so, never forced into one);
country dimensions drop pairs without a counterpart country and label groups on the
as-of date. A group with no imported data gets one honest label
("BRI status not imported") rather than an error.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from sectracker.analysis import annotate
from sectracker.countries import alignment as align
from sectracker.countries.groups import BRI, Reference
from sectracker.countries.income import GROUP_LABELS, GROUPS
from sectracker.errors import AnalysisError

TIME = ("month", "quarter", "half", "year")
EVENT = ("category", "section", "actor", "tag")
PLACES = ("country", "region", "subregion", "continent")
GROUPED = ("income", BRI, "alignment")
MEMBERSHIP_GROUPS = ("asean", "sco", "brics", "au", "eu", "nato", "oecd", "g20")
DIMENSIONS = TIME + EVENT + PLACES + GROUPED + MEMBERSHIP_GROUPS
UNDATED = "undated"
NOT_CLASSIFIED = "not classified"
NO_VOTES = "no UN votes"


def columns_for(by: Sequence[str]) -> list[str]:
    """Event list columns the dimensions need carried into the pairs (see loader.pairs)."""
    return [f"{d}s" for d in by if d in ("actor", "tag")]


def is_country_dimension(by: str) -> bool:
    return by in PLACES + GROUPED + MEMBERSHIP_GROUPS


def check_dimension(by: str) -> str:
    """The dimension name, or AnalysisError listing the known ones."""
    if by not in DIMENSIONS:
        raise AnalysisError(f"unknown dimension {by!r} (by: {', '.join(DIMENSIONS)})")
    return by


STEPS = {"month": 1, "quarter": 3, "half": 6, "year": 12}
_SPANNING = -1


def _period_key(by: str, column: str) -> pl.Expr:
    """The month index (year x 12 + month - 1) of the first month of the period holding a date."""
    step = STEPS[by]
    d = pl.col(column)
    return d.dt.year().cast(pl.Int32) * 12 + (d.dt.month().cast(pl.Int32) - 1) // step * step


def period_label_of(by: str, key: int | None) -> str:
    """Label of a period key: month 2020-03, quarter 2020-Q1, half 2020-H1, year 2020."""
    if key is None:
        return UNDATED
    if key == _SPANNING:
        return spanning(by)
    year, month = divmod(key, 12)
    return {
        "month": f"{year}-{month + 1:02d}",
        "quarter": f"{year}-Q{month // 3 + 1}",
        "half": f"{year}-H{month // 6 + 1}",
        "year": str(year),
    }[by]


def spanning(by: str) -> str:
    """The label of events whose dates run over more than one period of `by`."""
    return f"over several {by}s" if by != "half" else "over several half-years"


def with_period(frame: pl.DataFrame, by: str, name: str | None = None) -> pl.DataFrame:
    """Add the period label of each row's event (column `name`, default `by`).

    An event whose start and end fall in different periods (e.g. one dated only to
    "January-June" on a monthly scale) gets `spanning(by)`; one without a date, UNDATED.
    Labels are made once per distinct period, then mapped (fast on millions of rows).
    """
    start, end = _period_key(by, "date"), _period_key(by, "date_end")
    key = pl.when(pl.col("date_end").is_null() | (start == end)).then(start).otherwise(pl.lit(_SPANNING))
    keyed = frame.with_columns(key.alias("_period"))
    labels = {k: period_label_of(by, k) for k in keyed["_period"].unique().to_list()}
    mapped = pl.col("_period").replace_strict(labels, default=UNDATED, return_dtype=pl.String)
    return keyed.with_columns(mapped.fill_null(UNDATED).alias(name or by)).drop("_period")


def is_period(column: str) -> pl.Expr:
    """True where a time-dimension label names one period (not undated, not spanning)."""
    return (pl.col(column) != UNDATED) & ~pl.col(column).str.starts_with("over several")


def member_labels(ref: Reference, group: str) -> tuple[str, str]:
    """Labels for members and non-members of a group, e.g. ('OECD member', 'not OECD member')."""
    short = "BRI participant" if group == BRI else f"{group.upper()} member"
    return short, ("not in BRI" if group == BRI else f"not {short}")


def with_dimension(pairs: pl.DataFrame, by: str, ref: Reference) -> pl.DataFrame:
    """Pairs with a text column `by` (pairs without a country dropped for country dimensions)."""
    check_dimension(by)
    out = annotate.with_asof(pairs, None)
    if by in TIME:
        return with_period(out, by)
    if by in ("category", "section"):
        return out
    if by in ("actor", "tag"):
        return (
            out.with_columns(pl.col(f"{by}s").alias(by))
            .explode(by, empty_as_null=True)
            .with_columns(pl.col(by).fill_null(f"no {by}"))
        )
    out = out.filter(pl.col("country").is_not_null())
    if by == "country":
        return out
    if by in ("region", "subregion", "continent"):
        out = out.drop(by) if by in out.columns else out
        return annotate.with_place(out, ref, by).with_columns(pl.col(by).fill_null("unknown"))
    if by == "income":
        return _income(out, ref)
    if by == "alignment":
        return _alignment(out, ref)
    return _membership(out, ref, by)


def _membership(pairs: pl.DataFrame, ref: Reference, group: str) -> pl.DataFrame:
    if not ref.has(group):
        return pairs.with_columns(pl.lit(f"{group.upper()} status not imported").alias(group))
    yes, no = member_labels(ref, group)
    flagged = annotate.with_membership(pairs, ref, group, "_flag")
    return flagged.with_columns(pl.when(pl.col("_flag")).then(pl.lit(yes)).otherwise(pl.lit(no)).alias(group)).drop(
        "_flag"
    )


def _income(pairs: pl.DataFrame, ref: Reference) -> pl.DataFrame:
    if not ref.has("income"):
        return pairs.with_columns(pl.lit("income group not imported").alias("income"))
    out = annotate.with_income(pairs, ref)
    return out.with_columns(pl.col("_income").replace_strict(GROUP_LABELS, default=NOT_CLASSIFIED).alias("income"))


def _alignment(pairs: pl.DataFrame, ref: Reference) -> pl.DataFrame:
    if not ref.has("alignment"):
        return pairs.with_columns(pl.lit("alignment not imported").alias("alignment"))
    out = annotate.with_alignment(pairs, ref)
    labels = dict(align.QUARTILE_LABELS)
    return out.with_columns(
        pl.col("_quartile")
        .cast(pl.Int64)
        .replace_strict(labels, default=NO_VOTES, return_dtype=pl.String)
        .alias("alignment")
    )


def label_order(by: str, labels: list[str], ref: Reference) -> list[str]:
    """A natural order for a dimension's labels (time ascending, income low to high ...)."""
    if by == "income":
        known = [GROUP_LABELS[g] for g in GROUPS]
        return [x for x in known if x in labels] + sorted(x for x in labels if x not in known)
    if by == "alignment":
        known = [align.QUARTILE_LABELS[q] for q in (4, 3, 2, 1)]
        return [x for x in known if x in labels] + sorted(x for x in labels if x not in known)
    if by in MEMBERSHIP_GROUPS + (BRI,):
        yes, no = member_labels(ref, by)
        return [x for x in (yes, no) if x in labels] + sorted(x for x in labels if x not in (yes, no))
    return sorted(labels)
