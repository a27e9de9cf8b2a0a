"""Reading and writing the imported country tables (income, Belt and Road, alignment).

Each import replaces the rows it covers in one transaction; readers return polars
DataFrames with fixed schemas, empty when nothing has been imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from sqlalchemy import Connection, Table, delete, select

from sectracker.store.db import Database
from sectracker.store.schema import country_alignment, country_bri, country_income

BATCH = 5000

INCOME_SCHEMA = {
    "iso3": pl.String,
    "fiscal_year": pl.Int32,
    "income_group": pl.String,
    "code_raw": pl.String,
    "source": pl.String,
}
BRI_SCHEMA = {
    "iso3": pl.String,
    "source": pl.String,
    "name_in_source": pl.String,
    "join_date": pl.Date,
    "join_year": pl.Int32,
    "exit_date": pl.Date,
    "listed_on": pl.Date,
    "file": pl.String,
}
ALIGNMENT_SCHEMA = {
    "iso3": pl.String,
    "basis": pl.String,
    "period": pl.Int32,
    "agreement": pl.Float64,
    "votes": pl.Int32,
    "source": pl.String,
}


def _insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for i in range(0, len(rows), BATCH):
        conn.execute(table.insert(), list(rows[i : i + BATCH]))


def replace_income(db: Database, frame: pl.DataFrame) -> int:
    """Store income rows, replacing the fiscal years the frame covers."""
    rows = frame.select(list(INCOME_SCHEMA)).to_dicts()
    years = sorted({r["fiscal_year"] for r in rows})

    def work(conn: Connection) -> int:
        conn.execute(delete(country_income).where(country_income.c.fiscal_year.in_(years)))
        _insert(conn, country_income, rows)
        return len(rows)

    return db.write(work)


def replace_bri(db: Database, frame: pl.DataFrame) -> int:
    """Store Belt and Road rows, replacing every row of the source lists the frame holds."""
    rows = frame.select(list(BRI_SCHEMA)).to_dicts()
    sources = sorted({r["source"] for r in rows})

    def work(conn: Connection) -> int:
        conn.execute(delete(country_bri).where(country_bri.c.source.in_(sources)))
        _insert(conn, country_bri, rows)
        return len(rows)

    return db.write(work)


def replace_alignment(db: Database, frame: pl.DataFrame) -> int:
    """Store agreement scores, replacing all earlier ones (they come from one vote file)."""
    rows = frame.select(list(ALIGNMENT_SCHEMA)).to_dicts()

    def work(conn: Connection) -> int:
        conn.execute(delete(country_alignment))
        _insert(conn, country_alignment, rows)
        return len(rows)

    return db.write(work)


def _read(db: Database, table: Table, schema: dict[str, Any]) -> pl.DataFrame:
    with db.connect() as conn:
        result = conn.execute(select(*[table.c[name] for name in schema]))
        rows = [tuple(r) for r in result]
    return pl.DataFrame(rows, schema=schema, orient="row")


def read_income(db: Database) -> pl.DataFrame:
    return _read(db, country_income, INCOME_SCHEMA)


def read_bri(db: Database) -> pl.DataFrame:
    return _read(db, country_bri, BRI_SCHEMA)


def read_alignment(db: Database) -> pl.DataFrame:
    return _read(db, country_alignment, ALIGNMENT_SCHEMA)
