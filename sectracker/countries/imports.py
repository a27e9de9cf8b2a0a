"""Import commands' library side: read an outside table, validate it, store it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from sectracker.countries import alignment, bri, income, tables
from sectracker.store.db import Database


@dataclass(frozen=True)
class ImportSummary:
    """What an import stored: rows, a short description, and the source recorded."""

    rows: int
    detail: str
    source: str


def _span(years: pl.Series) -> tuple[int | None, int | None]:
    if not years.len():
        return None, None
    return int(years.min()), int(years.max())  # type: ignore[arg-type]


def import_income(db: Database, path: Path, year: int | None = None) -> ImportSummary:
    """Store World Bank income groups from one of the accepted layouts."""
    frame = income.read_income(path, year)
    n = tables.replace_income(db, frame)
    first, last = _span(frame["fiscal_year"])
    detail = f"{frame['iso3'].n_unique()} economies, FY{first}-FY{last}"
    return ImportSummary(n, detail, str(frame["source"][0]) if n else "")


def import_bri(db: Database, path: Path, source: str | None = None) -> ImportSummary:
    """Store one Belt and Road list, replacing an earlier import of the same list."""
    frame = bri.read_bri(path, source)
    n = tables.replace_bri(db, frame)
    dated = frame.filter(pl.col("join_date").is_not_null() | pl.col("join_year").is_not_null()).height
    detail = f"{n} participants ({dated} with a join date or year), listed on {frame['listed_on'][0]}"
    return ImportSummary(n, detail, str(frame["source"][0]) if n else "")


def import_unvotes(db: Database, votes_path: Path, rollcalls_path: Path) -> ImportSummary:
    """Store every country's agreement with China per year and per session."""
    votes = alignment.read_votes(votes_path, rollcalls_path)
    rows = alignment.alignment_rows(votes)
    n = tables.replace_alignment(db, rows)
    first, last = _span(rows.filter(pl.col("basis") == "year")["period"])
    detail = (
        f"{votes.height} votes on {votes['rcid'].n_unique()} roll calls; agreement with China for "
        f"{rows['iso3'].n_unique()} countries, {first}-{last}"
    )
    return ImportSummary(n, detail, alignment.SOURCE)
