"""World Bank income groups by fiscal year, read from the World Bank's historical tables.

Accepted layouts (recognised by their header):

- ``long``: OGHIST in long form: code, fiscal_year, income_code_raw (L/LM/UM/H, '..').
- ``wide``: OGHIST "Country Analytical History": code, FY89 ... FY26.
- ``panel``: the GPID CLASS panel: code, year_fiscal, incgroup_historical.
- ``current``: the CLASS list of one year: code, income_group; the fiscal year comes from
  the option or the file name (``class_fy2026...``).

A fiscal year FYnn runs 1 July (nn-1) to 30 June nn; the group in force on a date D
is the one of fiscal year D.year + 1 when D is in July-December, else D.year.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl

from sectracker.countries.codes import is_iso3
from sectracker.countries.inputs import read_header, read_strings, refuse_first
from sectracker.errors import Problem, ValidationFailed

GROUPS = ("low", "lower_middle", "upper_middle", "high")
GROUP_LABELS = {
    "low": "Low income",
    "lower_middle": "Lower middle income",
    "upper_middle": "Upper middle income",
    "high": "High income",
}
RAW_CODES = {"L": "low", "LM": "lower_middle", "LM*": "lower_middle", "UM": "upper_middle", "H": "high"}
LABEL_TO_GROUP = {v.lower(): k for k, v in GROUP_LABELS.items()}
LAYOUTS = {
    "long": ("code", "fiscal_year", "income_code_raw"),
    "wide": ("code", "FY89"),
    "panel": ("code", "year_fiscal", "incgroup_historical"),
    "current": ("code", "income_group"),
}
# The file columns that hold each layout's code, fiscal year and group ("*": the FYnn column of the value).
LAYOUT_FIELDS = {
    "long": ("code", "fiscal_year", "income_code_raw"),
    "wide": ("code", "*", "*"),
    "panel": ("code", "year_fiscal", "incgroup_historical"),
    "current": ("code", "--fiscal-year", "income_group"),
}
# Codes the World Bank tables use that are not ISO 3166-1 alpha-3: the Channel Islands, and former
# economies (Netherlands Antilles, Czechoslovakia, USSR, Serbia and Montenegro, Yugoslavia as "YUGf").
WORLD_BANK_CODES = frozenset({"CHI", "ANT", "CSK", "SUN", "YUG", "YUGF"})
NOT_CLASSIFIED = frozenset({".."})
KNOWN_GROUPS = "L, LM, LM*, UM, H, '..' or the labels " + ", ".join(GROUP_LABELS.values())
MIN_YEAR, MAX_YEAR = 1900, 2100
MAX_PROBLEMS = 50


def fiscal_year(day: date) -> int:
    """The World Bank fiscal year a date falls in (FY2021 = July 2020 - June 2021)."""
    return day.year + 1 if day.month >= 7 else day.year


def detect_layout(header: list[str]) -> str | None:
    for name, columns in LAYOUTS.items():
        if all(c in header for c in columns):
            return name
    return None


def read_income(path: Path, year: int | None = None) -> pl.DataFrame:
    """Income rows (iso3, fiscal_year, income_group, code_raw, source) from a World Bank table."""
    header = read_header(path)
    layout = detect_layout(header)
    if layout is None:
        missing = [c for c in LAYOUTS["long"] if c not in header]
        others = "; ".join(f"{k}: {', '.join(v)}" for k, v in LAYOUTS.items())
        raise ValidationFailed(
            Problem(
                f"not a World Bank income table: missing column(s) {', '.join(missing)} (accepted layouts: {others})",
                file=str(path),
                line=1,
            )
        )
    frame = _READERS[layout](path, year).with_columns(
        pl.col("iso3").str.strip_chars().str.to_uppercase(), pl.col("code_raw").str.strip_chars()
    )
    frame = frame.filter(pl.col("iso3").is_not_null() & (pl.col("iso3") != ""))
    problems = _check(frame, path, LAYOUT_FIELDS[layout])
    if problems:
        raise ValidationFailed(problems[:MAX_PROBLEMS])
    source = f"World Bank income classification ({layout} layout, {path.name})"
    return (
        frame.with_columns(pl.lit(source).alias("source"))
        .select("iso3", "fiscal_year", "income_group", "code_raw", "source")
        .unique(["iso3", "fiscal_year"], keep="last", maintain_order=True)
        .sort("iso3", "fiscal_year")
    )


def known_code(code: str) -> bool:
    """An ISO3 code of the project's country list, or a code the World Bank uses for a former or other economy."""
    return is_iso3(code) or code in WORLD_BANK_CODES


def _check(frame: pl.DataFrame, path: Path, fields: tuple[str, str, str]) -> list[Problem]:
    """Every row with an unknown economy code, a fiscal year out of range, an unknown income group, or a
    group other than an earlier row's for the same economy and year (an identical repeat is kept once)."""
    code_field, year_field, group_field = fields
    problems: list[Problem] = []
    first: dict[tuple[str, int], tuple[int, str | None]] = {}  # (economy, year): its first line and group
    for row in frame.iter_rows(named=True):
        line = int(row["line"])
        key, group = (row["iso3"], row["fiscal_year"]), row["income_group"]
        seen = first.setdefault(key, (line, group))
        if seen[1] != group:
            where = row["column"] if group_field == "*" else group_field
            problems.append(
                Problem(
                    f"{key[0]} in FY{key[1]} is {group or 'unclassified'} here but {seen[1] or 'unclassified'} "
                    f"on line {seen[0]}",
                    str(path),
                    line,
                    where,
                )
            )
        if not known_code(row["iso3"]):
            problems.append(Problem(f"unknown country code {row['iso3']!r}", str(path), line, code_field))
        if not MIN_YEAR <= row["fiscal_year"] <= MAX_YEAR:
            problems.append(
                Problem(
                    f"fiscal year {row['fiscal_year']} is out of range ({MIN_YEAR}-{MAX_YEAR})",
                    str(path),
                    line,
                    row["column"] if year_field == "*" else year_field,
                )
            )
        raw = row["code_raw"]
        if raw and raw not in NOT_CLASSIFIED and row["income_group"] is None:
            field = row["column"] if group_field == "*" else group_field
            problems.append(Problem(f"unknown income group {raw!r} (known: {KNOWN_GROUPS})", str(path), line, field))
    return sorted(dict.fromkeys(problems), key=lambda p: p.line or 0)


def _from_codes(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col("code_raw").str.strip_chars().replace_strict(RAW_CODES, default=None).alias("income_group")
    )


def _long(path: Path, _year: int | None) -> pl.DataFrame:
    raw = read_strings(path, ["code", "fiscal_year", "income_code_raw"])
    frame = raw.with_row_index("line", offset=2).select(
        pl.col("code").alias("iso3"),
        _year_col(raw, "fiscal_year", path),
        pl.col("income_code_raw").alias("code_raw"),
        "line",
    )
    return _from_codes(frame)


def _wide(path: Path, _year: int | None) -> pl.DataFrame:
    header = read_header(path)
    fy_cols = [c for c in header if re.fullmatch(r"FY\d{2}", c)]
    raw = read_strings(path, ["code", *fy_cols]).with_row_index("line", offset=2)
    frame = raw.unpivot(index=["code", "line"], on=fy_cols, variable_name="column", value_name="code_raw").select(
        pl.col("code").alias("iso3"),
        pl.col("column").str.slice(2).cast(pl.Int32).map_elements(_century, return_dtype=pl.Int32).alias("fiscal_year"),
        "code_raw",
        "line",
        "column",
    )
    return _from_codes(frame)


def _century(two_digits: int) -> int:
    return 1900 + two_digits if two_digits >= 50 else 2000 + two_digits


def _panel(path: Path, _year: int | None) -> pl.DataFrame:
    raw = read_strings(path, ["code", "year_fiscal", "incgroup_historical"])
    return raw.with_row_index("line", offset=2).select(
        pl.col("code").alias("iso3"),
        _year_col(raw, "year_fiscal", path),
        pl.col("incgroup_historical").alias("code_raw"),
        _label_col("incgroup_historical"),
        "line",
    )


def _current(path: Path, year: int | None) -> pl.DataFrame:
    field = "--fiscal-year"
    if year is None:
        m = re.search(r"fy(\d{4})", path.name, re.IGNORECASE)
        if not m:
            raise ValidationFailed(
                Problem("a current CLASS list needs its fiscal year: pass --fiscal-year", file=str(path))
            )
        year, field = int(m.group(1)), "file name"
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationFailed(
            Problem(f"fiscal year {year} is out of range ({MIN_YEAR}-{MAX_YEAR})", file=str(path), field=field)
        )
    raw = read_strings(path, ["code", "income_group"])
    return raw.with_row_index("line", offset=2).select(
        pl.col("code").alias("iso3"),
        pl.lit(year, dtype=pl.Int32).alias("fiscal_year"),
        pl.col("income_group").alias("code_raw"),
        _label_col("income_group"),
        "line",
    )


def _label_col(column: str) -> pl.Expr:
    return (pl.col(column).str.strip_chars().str.to_lowercase().replace_strict(LABEL_TO_GROUP, default=None)).alias(
        "income_group"
    )


def _year_col(raw: pl.DataFrame, column: str, path: Path) -> pl.Expr:
    bad = raw.with_row_index("row").filter(pl.col(column).str.strip_chars().cast(pl.Int32, strict=False).is_null())
    refuse_first(bad, path, column, lambda row: f"{row[column]!r} is not a year")
    return pl.col(column).str.strip_chars().cast(pl.Int32).alias("fiscal_year")


_READERS = {"long": _long, "wide": _wide, "panel": _panel, "current": _current}
