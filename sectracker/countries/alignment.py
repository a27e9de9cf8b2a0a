"""UN General Assembly vote agreement with China, per year, per session and over a window.

Input is the Voeten roll-call data in the layout of the `unvotes` R package: a votes
file (rcid, country, country_code, vote) and a roll-calls file (rcid, session, date).

Agreement of country X with China over a set of roll calls = the share of roll calls
in which both X and China recorded a vote (yes, no or abstain) and the two votes were
identical; an abstention agrees only with an abstention, and roll calls where either
was absent are left out. This reproduces the published `ChinaAgree` of Bailey,
Strezhnev & Voeten (June 2024 release) to rounding in every session whose roll calls
the two releases share (see tests/countries/test_alignment.py and docs/countries.md).

A window pools roll calls: agreement = agreeing votes / common votes over the years,
so a busy year weighs more than a quiet one.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pycountry

from sectracker.countries.inputs import read_header, refuse_first, require_columns

VOTE_COLUMNS = ("rcid", "country_code", "vote")
ROLLCALL_COLUMNS = ("rcid", "session", "date")
VOTES = ("yes", "no", "abstain")
PARTNER = "CHN"
WINDOW_YEARS = 5
SOURCE = "UNGA roll-call votes (Voeten), agreement with China"
# Codes of dissolved states in the Voeten data, and rows that carry a name but no code.
FORMER_CODES = {"CS": "CSK", "YU": "YUG", "DD": "DDR", "YD": "YMD", "TW": "TWN", "XK": "XKX"}
NAMES_WITHOUT_CODE = {"Federal Republic of Germany": "DEU", "Yemen Arab Republic": "YEM"}
QUARTILE_LABELS = {
    1: "Q1 (least aligned)",
    2: "Q2",
    3: "Q3",
    4: "Q4 (most aligned)",
}


def _iso3_map(codes: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for code in codes:
        if code in FORMER_CODES:
            out[code] = FORMER_CODES[code]
            continue
        found = pycountry.countries.get(alpha_2=code)
        if found is not None:
            out[code] = found.alpha_3
    return out


def read_votes(votes_path: Path, rollcalls_path: Path) -> pl.DataFrame:
    """Country votes with their roll call's session and year: rcid, iso3, vote, session, year."""
    votes_header = read_header(votes_path)
    require_columns(votes_path, votes_header, VOTE_COLUMNS, "UN votes")
    require_columns(rollcalls_path, read_header(rollcalls_path), ROLLCALL_COLUMNS, "UN roll-calls")
    has_name = "country" in votes_header
    votes = pl.read_csv(
        votes_path,
        columns=[*VOTE_COLUMNS, *(["country"] if has_name else [])],
        schema_overrides={"rcid": pl.Float64, "country_code": pl.String, "vote": pl.String},
    )
    calls = pl.read_csv(
        rollcalls_path,
        columns=list(ROLLCALL_COLUMNS),
        schema_overrides={"rcid": pl.Float64, "session": pl.Float64, "date": pl.String},
    )
    _check_votes(votes, votes_path)
    codes = _iso3_map(votes["country_code"].drop_nulls().unique().to_list())
    iso3 = pl.col("country_code").replace_strict(codes, default=None)
    if has_name:
        iso3 = pl.coalesce(iso3, pl.col("country").replace_strict(NAMES_WITHOUT_CODE, default=None))
    calls = calls.select(
        pl.col("rcid").cast(pl.Int64),
        pl.col("session").cast(pl.Int32),
        pl.col("date").str.to_date("%Y-%m-%d", strict=False).dt.year().cast(pl.Int32).alias("year"),
    )
    return (
        votes.select(pl.col("rcid").cast(pl.Int64), iso3.alias("iso3"), pl.col("vote").str.to_lowercase())
        .filter(pl.col("iso3").is_not_null())
        .join(calls, on="rcid", how="inner")
    )


def _check_votes(votes: pl.DataFrame, path: Path) -> None:
    bad = votes.with_row_index("row").filter(~pl.col("vote").str.to_lowercase().is_in(VOTES))
    refuse_first(
        bad, path, "vote", lambda row: f"vote {row['vote']!r} is not one of yes, no, abstain ({bad.height} such rows)"
    )


def agreement(votes: pl.DataFrame, basis: str = "year", partner: str = PARTNER) -> pl.DataFrame:
    """Each country's agreement with `partner` per year or session: iso3, period, agreement, votes."""
    if basis not in ("year", "session"):
        raise ValueError(f"basis must be 'year' or 'session', not {basis!r}")
    theirs = votes.filter(pl.col("iso3") == partner).select("rcid", pl.col("vote").alias("partner_vote"))
    return (
        votes.filter(pl.col("iso3") != partner)
        .join(theirs, on="rcid", how="inner")
        .group_by("iso3", pl.col(basis).alias("period"))
        .agg(
            (pl.col("vote") == pl.col("partner_vote")).mean().alias("agreement"),
            pl.len().cast(pl.Int32).alias("votes"),
        )
        .sort("iso3", "period")
    )


def window_agreement(yearly: pl.DataFrame, first: int, last: int) -> pl.DataFrame:
    """Agreement pooled over the years first..last: iso3, agreement, votes."""
    return (
        yearly.filter(pl.col("period").is_between(first, last))
        .group_by("iso3")
        .agg(
            ((pl.col("agreement") * pl.col("votes")).sum() / pl.col("votes").sum()).alias("agreement"),
            pl.col("votes").sum().alias("votes"),
        )
        .sort("iso3")
    )


def window_end(yearly: pl.DataFrame, year: int) -> int | None:
    """The last full year of data before `year` (the window for events in `year` ends there)."""
    years = yearly.filter(pl.col("period") < year)["period"]
    return int(years.max()) if years.len() else None  # type: ignore[arg-type]


def quartiles(scores: pl.DataFrame) -> pl.DataFrame:
    """Adds `quartile` (1 = least aligned .. 4 = most): ceil(4 x rank / n), ties share the lower rank."""
    n = scores.height
    return scores.with_columns(((pl.col("agreement").rank("min") * 4 / n).ceil().cast(pl.Int8)).alias("quartile"))


def alignment_by_year(yearly: pl.DataFrame, event_years: list[int], window: int = WINDOW_YEARS) -> pl.DataFrame:
    """For each event year: every country's window agreement and quartile (year, iso3, agreement, quartile).

    The window is the `window` years ending with the last year of data before the event year.
    """
    parts = []
    for year in sorted(set(event_years)):
        end = window_end(yearly, year)
        if end is None:
            continue
        scores = quartiles(window_agreement(yearly, end - window + 1, end))
        parts.append(scores.with_columns(pl.lit(year, dtype=pl.Int32).alias("year")))
    if not parts:
        return pl.DataFrame(
            schema={
                "iso3": pl.String,
                "agreement": pl.Float64,
                "votes": pl.Int32,
                "quartile": pl.Int8,
                "year": pl.Int32,
            }
        )
    return pl.concat(parts)


def alignment_rows(votes: pl.DataFrame) -> pl.DataFrame:
    """Rows for the country_alignment table: per year and per session."""
    parts = [
        agreement(votes, basis).with_columns(pl.lit(basis).alias("basis"), pl.lit(SOURCE).alias("source"))
        for basis in ("year", "session")
    ]
    return pl.concat(parts).with_columns(pl.col("period").cast(pl.Int32))
