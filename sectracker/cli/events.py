"""Commands on the event store: init, import, export, list, search, show, edit, delete."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sectracker.actors import load_actors
from sectracker.cli.common import app, console, database, state, write_out
from sectracker.codebook import load_codebook, render_markdown
from sectracker.countries.codes import is_iso3
from sectracker.errors import Problem, ValidationFailed
from sectracker.exchange.columns import unflatten
from sectracker.exchange.readers import read_bundled, read_events
from sectracker.exchange.writers import EXPORT_FORMATS, export_events
from sectracker.models import Event, EventFilter, Status
from sectracker.periods import parse_period
from sectracker.store import api, open_database

Category = Annotated[list[str] | None, typer.Option("--category", "-c", help="Codebook category key (repeatable).")]
Country = Annotated[list[str] | None, typer.Option("--country", help="Counterpart ISO3 code (repeatable).")]
Actor = Annotated[list[str] | None, typer.Option("--actor", help="Actor id (repeatable).")]
StatusOpt = Annotated[list[Status] | None, typer.Option("--status", help="Status (repeatable).")]
Since = Annotated[str | None, typer.Option("--from", help="Events on or after this date (YYYY-MM-DD).")]
Until = Annotated[str | None, typer.Option("--to", help="Events on or before this date (YYYY-MM-DD).")]
Period = Annotated[str | None, typer.Option("--period", help="A period such as 2020-H1, 2020-Q2, 2020.")]
Text = Annotated[str | None, typer.Option("--text", "-q", help="Full-text query.")]
Limit = Annotated[int, typer.Option(help="Most events shown.", min=1, max=100000)]


def _date(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationFailed(Problem(f"{value!r} is not a date (YYYY-MM-DD)", field=field)) from exc


def build_filter(
    category: list[str] | None = None,
    country: list[str] | None = None,
    actor: list[str] | None = None,
    status: list[Status] | None = None,
    since: str | None = None,
    until: str | None = None,
    period: str | None = None,
    text: str | None = None,
) -> EventFilter:
    """An EventFilter from command-line options, checking keys and codes."""
    cb = load_codebook()
    actors = load_actors()
    problems = [Problem(f"unknown category key {c!r}", field="--category") for c in category or [] if c not in cb.keys]
    problems += [
        Problem(f"{c!r} is not an ISO 3166-1 alpha-3 country code", field="--country")
        for c in country or []
        if not is_iso3(c.upper())
    ]
    problems += [
        Problem(f"unknown actor id {a!r} (see actors.yaml)", field="--actor") for a in actor or [] if a not in actors
    ]
    if period and (since or until):
        problems.append(Problem("give --period or --from/--to, not both", field="--period"))
    if problems:
        raise ValidationFailed(problems)
    d_from, d_to = _date(since, "--from"), _date(until, "--to")
    api.check_text_query(text, "text")
    if period:
        d_from, d_to = parse_period(period)
    if d_from and d_to and d_to < d_from:
        raise ValidationFailed(Problem(f"--to {d_to} is before --from {d_from}", field="--to"))
    return EventFilter(
        categories=category or [],
        countries=[c.upper() for c in country or []],
        actors=actor or [],
        statuses=status or [],
        date_from=d_from,
        date_to=d_to,
        text=text,
    )


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the database (or bring its schema up to date)."""
    db = database(ctx, migrated=False)
    db.migrate()
    console.print(f"Database ready: {db.name}")


@app.command("import")
def import_cmd(
    ctx: typer.Context,
    files: Annotated[list[Path] | None, typer.Argument(help="CSV, JSON, JSONL or YAML files of events.")] = None,
    bundled: Annotated[bool, typer.Option("--bundled", help="Load the bundled 2020-H1 dataset.")] = False,
    fmt: Annotated[
        str | None, typer.Option("--format", help="csv, json, jsonl or yaml (default: from the extension).")
    ] = None,
) -> None:
    """Import events; every row of every file is validated before anything is written."""
    if not files and not bundled:
        raise ValidationFailed("give one or more files, or --bundled")
    batch: list[Event] = read_bundled() if bundled else []
    problems: list[Problem] = []
    for path in files or []:
        try:
            batch += read_events(path, fmt)
        except ValidationFailed as exc:
            problems += exc.problems
    if problems:
        raise ValidationFailed(problems)
    db = database(ctx)
    n = api.add_events_with_progress(db, batch, user=state(ctx).settings.user, label="Importing", reason="import")
    console.print(f"Imported {n} events.")


@app.command()
def export(
    ctx: typer.Context,
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"One of: {', '.join(EXPORT_FORMATS)}.")] = "jsonl",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="File (or folder for a data package).")] = None,
    category: Category = None,
    country: Country = None,
    actor: Actor = None,
    status: StatusOpt = None,
    since: Since = None,
    until: Until = None,
    period: Period = None,
    text: Text = None,
) -> None:
    """Export the selected events (all by default)."""
    f = build_filter(category, country, actor, status, since, until, period, text)
    selected = api.find_events(database(ctx), f, sort="id", limit=None)
    result = export_events(selected, fmt, out)
    if isinstance(result, str):
        write_out(result)
    else:
        console.print(f"Exported {len(selected)} events to {out}")


def _print_events(found: list[Event], as_json: bool) -> None:
    if as_json:
        write_out("".join(json.dumps(e.model_dump(mode="json"), sort_keys=True) + "\n" for e in found))
        return
    table = Table("id", "date", "category", "countries", "headline", "status")
    for e in found:
        when = e.date_start.isoformat() if e.date_start else ""
        table.add_row(e.id, when, e.category, " ".join(e.countries), e.headline, e.status.value)
    console.print(table)
    console.print(f"{len(found)} event(s)")


@app.command("list")
def list_cmd(
    ctx: typer.Context,
    category: Category = None,
    country: Country = None,
    actor: Actor = None,
    status: StatusOpt = None,
    since: Since = None,
    until: Until = None,
    period: Period = None,
    text: Text = None,
    sort: Annotated[str, typer.Option(help="date, -date, significance, updated, id or category.")] = "date",
    limit: Limit = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table.")] = False,
) -> None:
    """List events matching the filters."""
    f = build_filter(category, country, actor, status, since, until, period, text)
    _print_events(api.find_events(database(ctx), f, sort=sort, limit=limit), as_json)


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to find in headlines, summaries and source titles.")],
    category: Category = None,
    country: Country = None,
    status: StatusOpt = None,
    since: Since = None,
    until: Until = None,
    period: Period = None,
    limit: Limit = 50,
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines instead of a table.")] = False,
) -> None:
    """Full-text search, with the same filters as `list`."""
    f = build_filter(category, country, None, status, since, until, period, query)
    _print_events(api.find_events(database(ctx), f, limit=limit), as_json)


@app.command()
def show(
    ctx: typer.Context,
    event_id: Annotated[str, typer.Argument(help="Event id.")],
    history: Annotated[bool, typer.Option("--history", help="Also print the audit trail.")] = False,
) -> None:
    """Print one event as JSON (and its audit trail with --history)."""
    db = database(ctx)
    data = api.get_event(db, event_id).model_dump(mode="json")
    if history:
        data["history"] = [h.model_dump(mode="json") for h in api.event_history(db, event_id)]
    write_out(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


def parse_assignments(pairs: list[str]) -> dict[str, object]:
    """FIELD=VALUE pairs as event fields (lists with ';', nested values as JSON)."""
    raw: dict[str, str] = {}
    for pair in pairs:
        field, sep, value = pair.partition("=")
        if not sep or not field.strip():
            raise ValidationFailed(Problem(f"{pair!r} is not FIELD=VALUE", field="--set"))
        if field.strip() not in Event.model_fields:
            raise ValidationFailed(Problem(f"unknown field {field.strip()!r}", field="--set"))
        raw[field.strip()] = value
    try:
        changes = unflatten(raw)
    except ValueError as exc:
        raise ValidationFailed(Problem(str(exc), field="--set")) from exc
    for field in raw:
        changes.setdefault(field, None)
    return changes


@app.command()
def edit(
    ctx: typer.Context,
    event_id: Annotated[str, typer.Argument(help="Event id.")],
    assignments: Annotated[list[str], typer.Option("--set", help="FIELD=VALUE (repeatable).")],
    expect_version: Annotated[
        int | None, typer.Option(help="Refuse if the event is no longer at this version.")
    ] = None,
    reason: Annotated[str | None, typer.Option(help="Why (kept in the audit log).")] = None,
) -> None:
    """Change fields of an event (audited)."""
    changes = parse_assignments(assignments)
    updated = api.edit_event(
        database(ctx), event_id, changes, user=state(ctx).settings.user, expected_version=expect_version, reason=reason
    )
    console.print(f"Updated {event_id} (now version {updated.version}).")


@app.command()
def delete(
    ctx: typer.Context,
    event_id: Annotated[str, typer.Argument(help="Event id.")],
    reason: Annotated[str | None, typer.Option(help="Why (kept in the audit log).")] = None,
) -> None:
    """Delete an event (recoverable with `restore`; audited)."""
    api.delete_event(database(ctx), event_id, user=state(ctx).settings.user, reason=reason)
    console.print(f"Deleted {event_id}; `sectracker restore {event_id}` brings it back.")


@app.command()
def restore(
    ctx: typer.Context,
    event_id: Annotated[str, typer.Argument(help="Event id.")],
    reason: Annotated[str | None, typer.Option(help="Why (kept in the audit log).")] = None,
) -> None:
    """Restore a deleted event (audited)."""
    api.restore_event(database(ctx), event_id, user=state(ctx).settings.user, reason=reason)
    console.print(f"Restored {event_id}.")


@app.command()
def codebook(
    fmt: Annotated[str, typer.Option("--format", help="text or markdown.")] = "text",
) -> None:
    """Print the codebook: sections, categories, definitions, scope and cues."""
    cb = load_codebook()
    if fmt == "markdown":
        write_out(render_markdown(cb))
        return
    if fmt != "text":
        raise ValidationFailed(Problem(f"unknown format {fmt!r}; use text or markdown", field="--format"))
    console.print(f"[bold]{cb.title}[/bold] (version {cb.version})")
    for s in cb.sections:
        console.print(f"\n[bold]{s.label}[/bold]")
        for c in s.categories:
            console.print(f"  {c.key:34} {c.label}", highlight=False)
            console.print(f"  {'':34} {c.definition}", highlight=False, style="dim")


__all__ = ["build_filter", "open_database"]


@app.command("docs", hidden=True)
def docs_cmd(
    out: Annotated[Path, typer.Option(help="Folder to write codebook.md, cli.md and settings.md into.")] = Path("docs"),
) -> None:
    """Regenerate the reference pages in docs/ from the code."""
    from sectracker.cli.reference import cli_reference, settings_reference

    out.mkdir(parents=True, exist_ok=True)
    (out / "codebook.md").write_text(render_markdown(load_codebook()), encoding="utf-8")
    (out / "cli.md").write_text(cli_reference(app), encoding="utf-8")
    (out / "settings.md").write_text(settings_reference(), encoding="utf-8")
    console.print(f"Wrote {out}/codebook.md, cli.md, settings.md")
