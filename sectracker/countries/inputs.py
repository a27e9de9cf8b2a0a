"""Reading the CSV files the country import commands take, with clear header errors."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import polars as pl

from sectracker.errors import Problem, ValidationFailed
from sectracker.textfiles import read_text


def read_header(path: Path) -> list[str]:
    """The column names of a CSV file; ValidationFailed if it is missing, not UTF-8 or not CSV."""
    text = read_text(path)
    try:
        first = next(csv.reader(io.StringIO(text)), [])
    except csv.Error as exc:
        raise ValidationFailed(Problem(f"not a readable CSV file ({exc})", file=str(path), line=1)) from exc
    return list(first)


def require_columns(path: Path, header: Sequence[str], required: Iterable[str], what: str) -> None:
    """ValidationFailed naming every required column the header lacks."""
    missing = [c for c in required if c not in header]
    if missing:
        raise ValidationFailed(
            Problem(
                f"not a {what} file: missing column(s) {', '.join(missing)} (found: {', '.join(header) or 'none'})",
                file=str(path),
                line=1,
            )
        )


def read_strings(path: Path, columns: Sequence[str]) -> pl.DataFrame:
    """The named columns of a CSV file, every value as text (empty cells are null); UTF-8 only."""
    text = read_text(path)
    try:
        return pl.read_csv(io.StringIO(text), columns=list(columns), infer_schema_length=0)
    except (pl.exceptions.PolarsError, OSError) as exc:
        raise ValidationFailed(Problem(f"not a readable CSV file ({exc})", file=str(path))) from exc


def refuse_first(bad: pl.DataFrame, path: Path, field: str, message: Callable[[dict[str, Any]], str]) -> None:
    """ValidationFailed naming the file line of the first of `bad` (rows with their 0-based "row" index)."""
    if bad.height:
        row = bad.row(0, named=True)
        raise ValidationFailed(Problem(message(row), file=str(path), line=int(row["row"]) + 2, field=field))
