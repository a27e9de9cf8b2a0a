"""Commands on country reference data: import income groups, Belt and Road lists, UN votes; show a country."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import polars as pl
import typer
from rich.table import Table

from sectracker import clock
from sectracker.cli.common import app, console, database
from sectracker.countries import imports
from sectracker.countries.groups import load_reference
from sectracker.countries.reference import country, resolve_country
from sectracker.errors import Problem, ValidationFailed

countries_app = typer.Typer(
    help="Country reference data: codes, groups over time, UN-vote alignment.", no_args_is_help=True
)
app.add_typer(countries_app, name="countries")

FileArg = Annotated[Path, typer.Argument(help="CSV file to import.", show_default=False)]


def _summary(result: imports.ImportSummary, what: str) -> None:
    console.print(f"Imported {result.rows} {what} rows: {result.detail}", highlight=False)
    if result.source:
        console.print(f"Source recorded: {result.source}", highlight=False)


@countries_app.command("import-income")
def import_income(
    ctx: typer.Context,
    file: FileArg,
    fiscal_year: Annotated[
        int | None,
        typer.Option("--fiscal-year", help="Fiscal year of a one-year CLASS list (else from the file name)."),
    ] = None,
) -> None:
    """Import World Bank income groups by fiscal year (OGHIST long or wide, GPID panel, CLASS list)."""
    _summary(imports.import_income(database(ctx), file, fiscal_year), "income")


@countries_app.command("import-bri")
def import_bri(
    ctx: typer.Context,
    file: FileArg,
    source: Annotated[
        str | None, typer.Option("--source", help="Name for this list (default: from layout and file).")
    ] = None,
) -> None:
    """Import a Belt and Road participant list with join dates (GFDC or year-of-MoU layout)."""
    _summary(imports.import_bri(database(ctx), file, source), "Belt and Road")


@countries_app.command("import-unvotes")
def import_unvotes(
    ctx: typer.Context,
    votes: Annotated[Path, typer.Argument(help="Votes CSV: rcid, country_code, vote.", show_default=False)],
    rollcalls: Annotated[Path, typer.Argument(help="Roll calls CSV: rcid, session, date.", show_default=False)],
) -> None:
    """Import UN General Assembly votes and store each country's agreement with China by year and session."""
    _summary(imports.import_unvotes(database(ctx), votes, rollcalls), "alignment")


def _as_of(value: str | None) -> date:
    if not value:
        return clock.now().date()
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(Problem(f"{value!r} is not a date (YYYY-MM-DD)", field="--as-of")) from exc


@countries_app.command("show")
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="ISO3 or ISO2 code, or an English name.", show_default=False)],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date the groups are given for (default: today).")
    ] = None,
) -> None:
    """Print a country with its codes, regions and groups as of a date, each with its source."""
    day = _as_of(as_of)
    c = country(resolve_country(code))
    ref = load_reference(database(ctx))
    console.print(f"[bold]{c.name}[/bold] ({c.official_name})", highlight=False)
    console.print(f"ISO3 {c.iso3}  ISO2 {c.iso2}  numeric {c.numeric or '-'}", highlight=False)
    console.print(
        f"Region {c.region or '-'} / {c.subregion or '-'}"
        + (f" / {c.intermediate_region}" if c.intermediate_region else "")
        + f"; continent {c.continent or '-'}",
        highlight=False,
    )
    if c.aliases:
        console.print("Also known as: " + "; ".join(c.aliases), highlight=False)
    table = Table(title=f"Groups as of {day.isoformat()}", title_justify="left")
    for column in ("group", "value", "since", "source"):
        table.add_column(column)
    for g in ref.groups_of(c.iso3, day):
        table.add_row(g.label, g.value, g.since.isoformat() if g.since else "", g.source)
    console.print(table)
    _show_bri(ref.bri_sources_of(c.iso3))
    missing = [name for name in ("income", "bri", "alignment") if not ref.has(name)]
    if missing:
        console.print(f"Not imported in this database: {', '.join(missing)}", highlight=False)


def _show_bri(rows: pl.DataFrame) -> None:
    if not rows.height:
        return
    table = Table(title="Belt and Road lists (every imported source)", title_justify="left")
    for column in ("source", "name in source", "join date", "join year", "exit date", "list date"):
        table.add_column(column)
    for r in rows.iter_rows(named=True):
        table.add_row(
            r["source"],
            r["name_in_source"] or "",
            str(r["join_date"] or ""),
            str(r["join_year"] or ""),
            str(r["exit_date"] or ""),
            str(r["listed_on"] or ""),
        )
    console.print(table)
