"""The `analyse` commands: counts, top partners, change, comparison, country profile, partner network.

Each loads the events once, applies `--where` (docs/selections.md), calls one analysis
and prints a table, CSV or JSON.
"""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Annotated, Any

import polars as pl
import typer
from rich.table import Table

from sectracker.analysis.change import AGAINST, earlier_period
from sectracker.analysis.change import change as change_analysis
from sectracker.analysis.compare import compare as compare_analysis
from sectracker.analysis.counts import count_events
from sectracker.analysis.loader import load_events_frame
from sectracker.analysis.network import partner_network
from sectracker.analysis.profile import country_events, country_profile
from sectracker.analysis.selection import parse_selection
from sectracker.analysis.top import top_partners
from sectracker.cli.common import app, console, database, write_out
from sectracker.countries.groups import Reference, load_reference
from sectracker.errors import AnalysisError, Problem, ValidationFailed

analyse_app = typer.Typer(
    help="Analyses of the events: counts, trends, comparisons, profiles, networks.", no_args_is_help=True
)
app.add_typer(analyse_app, name="analyse")

FORMATS = ("table", "csv", "json")
Where = Annotated[
    str | None, typer.Option("--where", "-w", help="Selection, e.g. 'category = diplomacy.aid_training'.")
]
Format = Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")]
Unit = Annotated[str, typer.Option("--unit", help="events, engagements (event-country pairs) or countries.")]


def _load(ctx: typer.Context, where: str | None) -> tuple[pl.DataFrame, Reference]:
    parse_selection(where)  # a bad selection fails before the database is read
    db = database(ctx)
    return load_events_frame(db), load_reference(db)


def _check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise ValidationFailed(Problem(f"unknown format {fmt!r}; use {', '.join(FORMATS)}", field="--format"))
    return fmt


def _check_period(period: str, against: str) -> None:
    """A --period without an earlier period to compare with (or unreadable) fails before the database is read."""
    if against not in AGAINST:
        raise ValidationFailed(Problem(f"use {' or '.join(AGAINST)}, not {against!r}", field="--against"))
    try:
        earlier_period(period, against)
    except ValidationFailed as exc:
        raise ValidationFailed([Problem(p.message, field="--period") for p in exc.problems]) from exc
    except AnalysisError as exc:
        raise ValidationFailed(Problem(str(exc), field="--period")) from exc


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 6)
    return value


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in frame.iter_rows(named=True)]


def _table(frame: pl.DataFrame, title: str | None = None) -> Table:
    table = Table(title=title, title_justify="left")
    for name in frame.columns:
        numeric = frame.schema[name].is_numeric()
        table.add_column(name, justify="right" if numeric else "left")
    for row in frame.iter_rows():
        table.add_row(*("" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v) for v in row))
    return table


def emit(frame: pl.DataFrame, fmt: str, title: str | None = None) -> None:
    """Print a result frame as a table, CSV or JSON (a list of objects with sorted keys)."""
    if fmt == "csv":
        buf = io.StringIO()
        frame.write_csv(buf)
        write_out(buf.getvalue())
    elif fmt == "json":
        write_out(json.dumps(_rows(frame), sort_keys=True, ensure_ascii=False, indent=1) + "\n")
    else:
        console.print(_table(frame, title))


@analyse_app.command()
def counts(
    ctx: typer.Context,
    where: Where = None,
    by: Annotated[
        list[str] | None, typer.Option("--by", help="Dimension (repeatable): category, half, region ...")
    ] = None,
    unit: Unit = "events",
    fmt: Format = "table",
) -> None:
    """Count the selected events by category, period, country, region or group."""
    _check_format(fmt)
    frame, ref = _load(ctx, where)
    emit(count_events(frame, where, by or ["category"], ref, unit), fmt, f"Events: {where or 'all'}")


@analyse_app.command()
def top(
    ctx: typer.Context,
    where: Where = None,
    n: Annotated[int, typer.Option("--n", help="How many partners.", min=1)] = 10,
    by: Annotated[str, typer.Option("--by", help="country, or a region or group dimension.")] = "country",
    fmt: Format = "table",
) -> None:
    """The counterpart countries (or regions, groups) with the most selected events."""
    _check_format(fmt)
    frame, ref = _load(ctx, where)
    emit(top_partners(frame, where, ref, n, by), fmt, f"Top partners: {where or 'all'}")


@analyse_app.command()
def change(
    ctx: typer.Context,
    period: Annotated[str, typer.Option("--period", help="Period: 2020, 2020-H1, 2020-Q2, 2020-05.")],
    where: Where = None,
    against: Annotated[
        str, typer.Option("--against", help="previous (period) or year (same period a year before).")
    ] = "previous",
    by: Annotated[str, typer.Option("--by", help="Dimension to break the change down by.")] = "category",
    unit: Unit = "events",
    fmt: Format = "table",
) -> None:
    """Change in the selected events against the previous period or the same period a year before."""
    _check_format(fmt)
    _check_period(period, against)
    frame, ref = _load(ctx, where)
    emit(change_analysis(frame, where, ref, period, against, by, unit), fmt, f"Change: {where or 'all'}")


@analyse_app.command()
def compare(
    ctx: typer.Context,
    versus: Annotated[str, typer.Option("--versus", help="The selection to compare with (B).")],
    where: Where = None,
    by: Annotated[str, typer.Option("--by", help="Grouping: income, bri, alignment, region, oecd ...")] = "region",
    unit: Unit = "countries",
    labels: Annotated[str | None, typer.Option("--labels", help="Names of the two sides, 'A,B'.")] = None,
    fmt: Format = "table",
) -> None:
    """Compare two selections' shares across country groups, with a significance test and effect size."""
    _check_format(fmt)
    parse_selection(versus)
    frame, ref = _load(ctx, where)
    names = tuple(x.strip() for x in labels.split(",")) if labels else None
    if names is not None and len(names) != 2:
        raise ValidationFailed(Problem("give two names separated by a comma", field="--labels"))
    result = compare_analysis(frame, where, versus, by, ref, unit, names)  # type: ignore[arg-type]
    if fmt == "json":
        body = {
            "a": result.labels[0],
            "b": result.labels[1],
            "by": result.by,
            "unit": result.unit,
            "table": _rows(result.table),
            "test": _rows(result.stats_frame())[0],
        }
        write_out(json.dumps(body, sort_keys=True, ensure_ascii=False, indent=1) + "\n")
        return
    emit(result.table, fmt, f"A = {result.labels[0]}; B = {result.labels[1]}")
    if fmt == "csv":
        write_out("\n")
    emit(result.stats_frame(), fmt, "Test")


@analyse_app.command()
def profile(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="Country: ISO3, ISO2 or English name.", show_default=False)],
    where: Where = None,
    period: Annotated[str, typer.Option("--period", help="month, quarter, half or year.")] = "half",
    events: Annotated[bool, typer.Option("--events", help="List the events instead of the counts.")] = False,
    fmt: Format = "table",
) -> None:
    """Every engagement with one country over time, by category."""
    _check_format(fmt)
    frame, ref = _load(ctx, where)
    if events:
        emit(country_events(frame, code, ref, where), fmt, f"Events with {code}")
    else:
        emit(country_profile(frame, code, ref, period, where), fmt, f"Profile of {code}")


@analyse_app.command()
def network(
    ctx: typer.Context,
    where: Where = None,
    min_weight: Annotated[
        int, typer.Option("--min-weight", help="Least number of shared events for a link.", min=1)
    ] = 1,
    fmt: Format = "table",
) -> None:
    """Countries linked through shared events: an edge list with weights."""
    _check_format(fmt)
    frame, ref = _load(ctx, where)
    emit(partner_network(frame, where, ref, min_weight), fmt, f"Partner network: {where or 'all'}")
