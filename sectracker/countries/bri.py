"""Belt and Road participation with the date joined, kept per source list.

Accepted layouts (recognised by their header):

- ``gfdc``: the Green Finance & Development Center list (Nedopil, "Countries of the
  Belt and Road Initiative"): country, iso3, likely_join_date, likely_exit_date.
- ``lpv``: a year-of-MoU list such as Liu, Pang & Vreeland's: iso3, countryname_clean,
  bri_mou_year.

The lists disagree, so every row keeps its source. Membership "as of D" follows one
list (the preferred source, GFDC when imported) and takes each country's join date
from the first list that dates it, remembering which one did (`join_source`). A date
known only to the year counts from 31 December of that year; a member no list dates
counts from the date of its list (`listed_on`). An exit date ends membership the day
before it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl

from sectracker.countries.codes import is_iso3
from sectracker.countries.inputs import read_header, read_strings, refuse_first
from sectracker.errors import Problem, ValidationFailed

LAYOUTS = {
    "gfdc": ("country", "iso3", "likely_join_date", "likely_exit_date"),
    "lpv": ("iso3", "countryname_clean", "bri_mou_year"),
}
PREFERRED_PREFIX = "gfdc"
MIN_YEAR, MAX_YEAR = 1900, 2100
# The file column each stored date comes from, by layout (for naming it in a problem).
_SOURCE_COLUMN = {
    "gfdc": {"join_date": "likely_join_date", "join_year": "likely_join_date", "exit_date": "likely_exit_date"},
    "lpv": {"join_date": "bri_mou_year", "join_year": "bri_mou_year", "exit_date": "bri_mou_year"},
}


def detect_layout(header: list[str]) -> str | None:
    for name, columns in LAYOUTS.items():
        if all(c in header for c in columns):
            return name
    return None


def _edition(path: Path) -> tuple[str | None, date | None]:
    """'2023-12' and the last day of that month, when the file name carries an edition."""
    m = re.search(r"(\d{4})-(\d{2})", path.name)
    if not m:
        return None, None
    year, month = int(m.group(1)), int(m.group(2))
    last = date(year + (month == 12), month % 12 + 1, 1).toordinal() - 1
    return m.group(0), date.fromordinal(last)


def read_bri(path: Path, source: str | None = None) -> pl.DataFrame:
    """Belt and Road rows (iso3, source, name_in_source, join_date, join_year, exit_date, listed_on, file)."""
    header = read_header(path)
    layout = detect_layout(header)
    if layout is None:
        missing = [c for c in LAYOUTS["gfdc"] if c not in header]
        others = "; ".join(f"{k}: {', '.join(v)}" for k, v in LAYOUTS.items())
        raise ValidationFailed(
            Problem(
                f"not a Belt and Road list: missing column(s) {', '.join(missing)} (accepted layouts: {others})",
                file=str(path),
                line=1,
            )
        )
    frame = (_gfdc(path) if layout == "gfdc" else _lpv(path)).with_row_index("line", offset=2)
    edition, listed = _edition(path)
    if listed is None:
        latest = frame.select(pl.max_horizontal(pl.col("join_date").max(), pl.col("exit_date").max())).item()
        listed = latest if latest is not None else _year_end(frame["join_year"].max())
    name = source or (f"{layout}-{edition}" if edition else layout)
    frame = frame.filter(pl.col("iso3") != "CHN").with_columns(
        pl.lit(name).alias("source"), pl.lit(listed, dtype=pl.Date).alias("listed_on"), pl.lit(path.name).alias("file")
    )
    problems = _check_rows(frame, path, layout)
    if problems:
        raise ValidationFailed(problems)
    columns = ["iso3", "source", "name_in_source", "join_date", "join_year", "exit_date", "listed_on", "file"]
    return frame.unique("iso3", keep="first", maintain_order=True).sort("iso3").select(columns)


def _year_end(year: object) -> date | None:
    return date(int(year), 12, 31) if isinstance(year, int) else None


def _gfdc(path: Path) -> pl.DataFrame:
    raw = read_strings(path, list(LAYOUTS["gfdc"]))
    frame = raw.select(
        pl.col("iso3").str.strip_chars().str.to_uppercase(),
        pl.col("country").alias("name_in_source"),
        _date_col(raw, "likely_join_date", path).alias("join_date"),
        _date_col(raw, "likely_exit_date", path).alias("exit_date"),
    )
    return frame.with_columns(pl.col("join_date").dt.year().cast(pl.Int32).alias("join_year"))


def _lpv(path: Path) -> pl.DataFrame:
    raw = read_strings(path, list(LAYOUTS["lpv"]))
    return raw.select(
        pl.col("iso3").str.strip_chars().str.to_uppercase(),
        pl.col("countryname_clean").alias("name_in_source"),
        pl.lit(None, dtype=pl.Date).alias("join_date"),
        _year_col(raw, "bri_mou_year", path).alias("join_year"),
        pl.lit(None, dtype=pl.Date).alias("exit_date"),
    )


def _year_col(raw: pl.DataFrame, column: str, path: Path) -> pl.Expr:
    """The column as a year (1900-2100); ValidationFailed naming the first line that is not one."""
    text = pl.col(column).str.strip_chars()
    parsed = raw.select(text.cast(pl.Int32, strict=False).alias("year"), text.alias("text")).with_row_index("row")
    bad = parsed.filter(
        (pl.col("text").is_not_null() & (pl.col("text") != ""))
        & (pl.col("year").is_null() | ~pl.col("year").is_between(MIN_YEAR, MAX_YEAR))
    )
    refuse_first(bad, path, column, lambda row: f"{row['text']!r} is not a year between {MIN_YEAR} and {MAX_YEAR}")
    return text.cast(pl.Int32, strict=False)


def _date_col(raw: pl.DataFrame, column: str, path: Path) -> pl.Expr:
    parsed = raw[column].str.strip_chars().str.to_date("%Y-%m-%d", strict=False)
    bad = raw.with_row_index("row").filter(raw[column].is_not_null() & (raw[column] != "") & parsed.is_null())
    refuse_first(bad, path, column, lambda row: f"{row[column]!r} is not a date (YYYY-MM-DD)")
    return pl.col(column).str.strip_chars().str.to_date("%Y-%m-%d", strict=False)


def _check_rows(frame: pl.DataFrame, path: Path, layout: str) -> list[Problem]:
    """Every row with an unknown code, an exit before its join, or a second, different row for its country."""
    problems: list[Problem] = []
    first: dict[str, dict[str, object]] = {}
    dates = ("join_date", "join_year", "exit_date")
    for row in frame.iter_rows(named=True):
        code, line = row["iso3"], int(row["line"])
        if not code or not is_iso3(code):
            problems.append(Problem(f"unknown ISO3 code {code or ''!r}", file=str(path), line=line, field="iso3"))
            continue
        if row["join_date"] is not None and row["exit_date"] is not None and row["exit_date"] < row["join_date"]:
            problems.append(
                Problem(
                    f"{code}: exit date {row['exit_date']} is before the join date {row['join_date']}",
                    file=str(path),
                    line=line,
                    field="likely_exit_date",
                )
            )
        earlier = first.get(code)
        if earlier is None:
            first[code] = row
        elif differs := [k for k in dates if earlier[k] != row[k]]:
            field = _SOURCE_COLUMN[layout][differs[0]]
            problems.append(
                Problem(
                    f"{code} is listed twice with different dates (lines {earlier['line']} and {line}); "
                    "keep one row per country",
                    file=str(path),
                    line=line,
                    field=field,
                )
            )
    return problems


def source_order(sources: list[str], preferred: str | None = None) -> list[str]:
    """Source lists in the order they are trusted: the named one, else GFDC first."""
    ordered = sorted(sources, key=lambda s: (not s.startswith(PREFERRED_PREFIX), s))
    if preferred:
        if preferred not in sources:
            raise ValidationFailed(f"no Belt and Road list named {preferred!r} (imported: {', '.join(sources)})")
        ordered = [preferred] + [s for s in ordered if s != preferred]
    return ordered


def bri_members(rows: pl.DataFrame, preferred: str | None = None) -> pl.DataFrame:
    """One row per member of the preferred list: iso3, since, until (inclusive), source, join_source."""
    empty = pl.DataFrame(
        schema={"iso3": pl.String, "since": pl.Date, "until": pl.Date, "source": pl.String, "join_source": pl.String}
    )
    if rows.height == 0:
        return empty
    order = source_order(rows["source"].unique().to_list(), preferred)
    dated = rows.with_columns(
        pl.coalesce(pl.col("join_date"), pl.date(pl.col("join_year"), 12, 31)).alias("dated"),
        pl.col("source").replace_strict({s: i for i, s in enumerate(order)}, return_dtype=pl.Int32).alias("rank"),
    )
    first_dated = (
        dated.filter(pl.col("dated").is_not_null())
        .sort("rank")
        .group_by("iso3", maintain_order=True)
        .agg(pl.col("dated").first(), pl.col("source").first().alias("join_source"))
    )
    members = dated.filter(pl.col("source") == order[0]).select("iso3", "exit_date", "listed_on", "source")
    return (
        members.join(first_dated, on="iso3", how="left")
        .with_columns(
            pl.coalesce("dated", "listed_on").alias("since"),
            (pl.col("exit_date") - pl.duration(days=1)).alias("until"),
            pl.when(pl.col("dated").is_null()).then(pl.lit("listed_on")).otherwise("join_source").alias("join_source"),
        )
        .select("iso3", "since", "until", "source", "join_source")
        .sort("iso3")
    )
