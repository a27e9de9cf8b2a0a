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

from sectracker.countries.inputs import read_header, read_strings
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
    frame = _READERS[layout](path, year)
    source = f"World Bank income classification ({layout} layout, {path.name})"
    return (
        frame.with_columns(
            pl.col("iso3").str.strip_chars().str.to_uppercase(),
            pl.col("code_raw").str.strip_chars(),
            pl.lit(source).alias("source"),
        )
        .filter(pl.col("iso3").is_not_null() & (pl.col("iso3") != ""))
        .unique(["iso3", "fiscal_year"], keep="last", maintain_order=True)
        .sort("iso3", "fiscal_year")
    )


def _from_codes(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.col("code_raw").str.strip_chars().replace_strict(RAW_CODES, default=None).alias("income_group")
    )


def _long(path: Path, _year: int | None) -> pl.DataFrame:
    raw = read_strings(path, ["code", "fiscal_year", "income_code_raw"])
    frame = raw.select(
        pl.col("code").alias("iso3"),
        _year_col(raw, "fiscal_year", path),
        pl.col("income_code_raw").alias("code_raw"),
    )
    return _from_codes(frame)


def _wide(path: Path, _year: int | None) -> pl.DataFrame:
    header = read_header(path)
    fy_cols = [c for c in header if re.fullmatch(r"FY\d{2}", c)]
    raw = read_strings(path, ["code", *fy_cols])
    frame = raw.unpivot(index="code", on=fy_cols, variable_name="fy", value_name="code_raw").select(
        pl.col("code").alias("iso3"),
        pl.col("fy").str.slice(2).cast(pl.Int32).map_elements(_century, return_dtype=pl.Int32).alias("fiscal_year"),
        "code_raw",
    )
    return _from_codes(frame)


def _century(two_digits: int) -> int:
    return 1900 + two_digits if two_digits >= 50 else 2000 + two_digits


def _panel(path: Path, _year: int | None) -> pl.DataFrame:
    raw = read_strings(path, ["code", "year_fiscal", "incgroup_historical"])
    return raw.select(
        pl.col("code").alias("iso3"),
        _year_col(raw, "year_fiscal", path),
        pl.col("incgroup_historical").alias("code_raw"),
        _label_col("incgroup_historical"),
    )


def _current(path: Path, year: int | None) -> pl.DataFrame:
    if year is None:
        m = re.search(r"fy(\d{4})", path.name, re.IGNORECASE)
        if not m:
            raise ValidationFailed(
                Problem("a current CLASS list needs its fiscal year: pass --fiscal-year", file=str(path))
            )
        year = int(m.group(1))
    raw = read_strings(path, ["code", "income_group"])
    return raw.select(
        pl.col("code").alias("iso3"),
        pl.lit(year, dtype=pl.Int32).alias("fiscal_year"),
        pl.col("income_group").alias("code_raw"),
        _label_col("income_group"),
    )


def _label_col(column: str) -> pl.Expr:
    return (pl.col(column).str.strip_chars().str.to_lowercase().replace_strict(LABEL_TO_GROUP, default=None)).alias(
        "income_group"
    )


def _year_col(raw: pl.DataFrame, column: str, path: Path) -> pl.Expr:
    bad = raw.with_row_index("row").filter(pl.col(column).cast(pl.Int32, strict=False).is_null())
    if bad.height:
        row = bad.row(0, named=True)
        raise ValidationFailed(
            Problem(f"{row[column]!r} is not a year", file=str(path), line=int(row["row"]) + 2, field=column)
        )
    return pl.col(column).cast(pl.Int32).alias("fiscal_year")


_READERS = {"long": _long, "wide": _wide, "panel": _panel, "current": _current}
