"""Outside data in: `import-data KIND FILE`, and indicator series (`series list/show/history/import`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sectracker.cli.common import app, console, database, state, write_out
from sectracker.errors import ValidationFailed
from sectracker.importers.registry import Kind, import_file
from sectracker.series.change import Aggregation, aggregate, changes
from sectracker.series.display import format_percent, format_value, period_label
from sectracker.series.files import read_bundled_series, read_series_file
from sectracker.series.models import Frequency
from sectracker.store import series as series_store

series_app = typer.Typer(help="Indicator series: numbers over time with their sources.", no_args_is_help=True)
app.add_typer(series_app, name="series")


@app.command("import-data")
def import_data(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(help="Which dataset the file is from.")],
    file: Annotated[Path, typer.Argument(help="The file, in the dataset's published layout.")],
    skip_unknown: Annotated[
        bool, typer.Option("--skip-unknown", help="Skip rows naming unknown countries or missions (else: error).")
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report, write nothing.")] = False,
    contributor: Annotated[str, typer.Option(help="peacekeeping: the contributing country's ISO3 code.")] = "CHN",
) -> None:
    """Import a public dataset: sipri, peacekeeping, adiz, acled or gdelt (all or nothing; re-imports update)."""
    db = database(ctx)
    report = import_file(
        db, kind, file, user=state(ctx).settings.user, skip_unknown=skip_unknown, dry_run=dry_run,
        contributor=contributor,
    )  # fmt: skip
    for line in report.lines():
        console.print(line, markup=False, highlight=False)


@series_app.command("import")
def series_import(
    ctx: typer.Context,
    files: Annotated[list[Path] | None, typer.Argument(help="YAML series files.")] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Load the series the 2020-H1 edition reports.")] = False,
) -> None:
    """Import series from YAML files (merged into stored series; changes audited)."""
    if not files and not bundled:
        raise ValidationFailed("give one or more files, or --bundled")
    items = read_bundled_series() if bundled else []
    for path in files or []:
        items += read_series_file(path)
    summary = series_store.save_series(database(ctx), items, user=state(ctx).settings.user, reason="series import")
    console.print(
        f"Series: {len(summary.created)} new, {len(summary.changed)} changed, {len(summary.unchanged)} unchanged; "
        f"{summary.values_added} values added, {summary.values_changed} changed."
    )


@series_app.command("list")
def series_list(ctx: typer.Context) -> None:
    """List stored series with their number of values and date range."""
    table = Table("id", "name", "unit", "frequency", "values", "from", "to", "version")
    for s in series_store.list_series(database(ctx)):
        first, last = (d.isoformat() if d else "" for d in (s.first, s.last))
        table.add_row(s.id, s.name, s.unit, s.frequency, str(s.values), first, last, str(s.version))
    console.print(table)


@series_app.command("show")
def series_show(
    ctx: typer.Context,
    series_id: Annotated[str, typer.Argument(help="Series id (see `series list`).")],
    by: Annotated[
        Frequency | None, typer.Option("--by", help="Aggregate to month, quarter, half-year or year.")
    ] = None,
    how: Annotated[Aggregation, typer.Option(help="How values are combined with --by.")] = Aggregation.sum,
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Print a series: each value with its change on the period before, or aggregated with --by."""
    s = series_store.get_series(database(ctx), series_id)
    if by is not None:
        rows = [
            {"period": period_label(a.period_end, by, s.year_start_month), "value": a.value, "values_used": a.count}
            for a in aggregate(s, by, how)
        ]
    else:
        by_date = {o.date: o for o in s.observations}
        rows = [
            {
                "date": c.date.isoformat(),
                "value": format_value(c.value, s.unit, by_date[c.date].qualifier),
                "change": format_percent(c.percent) if c.percent is not None else "",
                "source": s.provenance_of(by_date[c.date]).source,
                "derived": s.provenance_of(by_date[c.date]).derived or "",
            }
            for c in changes(s)
        ]
    if as_json:
        write_out(json.dumps({"series": s.id, "rows": rows}, indent=2, sort_keys=True) + "\n")
        return
    table = Table(*(rows[0].keys() if rows else ["date", "value"]), title=f"{s.name} ({s.unit})")
    for r in rows:
        table.add_row(*(str(v) for v in r.values()))
    console.print(table)


@series_app.command("history")
def series_history(ctx: typer.Context, series_id: Annotated[str, typer.Argument(help="Series id.")]) -> None:
    """Print a series' audit trail: who changed what, when and why."""
    for e in series_store.series_history(database(ctx), series_id):
        version = (e.after or {}).get("version")
        changed = sorted((e.before or {}).get("values", {}))
        detail = f"{len(changed)} value(s) changed" if e.before else "created"
        console.print(f"{e.at.isoformat()} v{version} {e.action} by {e.user}: {detail} ({e.reason or '-'})",
                      markup=False, highlight=False)  # fmt: skip
