"""The `report` command: build a tracker edition (HTML, PDF, Markdown) for a period."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from sectracker.cli.common import app, console, database, report_error
from sectracker.errors import Problem, SectrackerError, ValidationFailed
from sectracker.periods import parse_period
from sectracker.report.publish import OUTPUT_FILES, EditionRequest, parse_formats, publish_edition


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn sectracker errors into a message and their exit code (2 for user errors)."""
    try:
        yield
    except SectrackerError as exc:
        report_error(exc)
        raise typer.Exit(exc.exit_code) from exc


def _date(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(Problem(f"{value!r} is not a date (YYYY-MM-DD)", field=option)) from exc


def date_range(period: str | None, since: str | None, until: str | None) -> tuple[date, date]:
    """The edition's first and last day, from --period or from --from and --to."""
    if period and (since or until):
        raise ValidationFailed(Problem("give --period or --from/--to, not both", field="--period"))
    if period:
        return parse_period(period)
    if not (since and until):
        raise ValidationFailed(Problem("give --period (such as 2020-H1) or both --from and --to", field="--period"))
    start, end = _date(since, "--from"), _date(until, "--to")
    if end < start:
        raise ValidationFailed(Problem(f"--to {end} is before --from {start}", field="--to"))
    return start, end


@app.command()
def report(
    ctx: typer.Context,
    period: Annotated[str | None, typer.Option("--period", help="Period such as 2020-H1, 2020-Q2 or 2020.")] = None,
    since: Annotated[str | None, typer.Option("--from", help="First day (YYYY-MM-DD), with --to.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Last day (YYYY-MM-DD), with --from.")] = None,
    focus: Annotated[
        Path | None, typer.Option("--focus", help="Markdown focus topic (default: the bundled one for the period).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help=f"Comma-separated: {', '.join(OUTPUT_FILES)}.")] = ",".join(
        OUTPUT_FILES
    ),
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Output folder (default: out/<period>).")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Edition title.")] = None,
) -> None:
    """Build the edition for a period from its verified events."""
    with user_errors():
        start, end = date_range(period, since, until)
        request = EditionRequest(
            start=start,
            end=end,
            period=period,
            focus_path=focus,
            formats=parse_formats(fmt),
            out_dir=out,
            title=title,
        )
        published = publish_edition(database(ctx), request)
    # soft_wrap: a path broken across lines cannot be copied.
    console.print(
        f"Edition {start} to {end} ({published.event_count} verified events) written to {request.folder}/:",
        soft_wrap=True,
        markup=False,
    )
    if not published.event_count:
        console.print("No verified events in this period: the edition is empty.", style="yellow")
    for path in published.files:
        console.print(f"  {path}", soft_wrap=True, markup=False, highlight=False)
