"""Watching for change: `watch` (evaluate the rules, store new alerts) and `alerts` (list, Atom feed)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sectracker.cli.common import app, console, database, write_out
from sectracker.watch.alerts import list_alerts
from sectracker.watch.evaluate import run_watch
from sectracker.watch.feed import atom_feed
from sectracker.watch.rules import read_rules


@app.command("watch")
def watch_cmd(
    ctx: typer.Context,
    rules: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            help="YAML rules file (default: the rules shipped with sectracker). "
            "Its indicator rules must name stored series.",
        ),
    ] = None,
) -> None:
    """Evaluate the watch rules on the stored events and series; store and print the new alerts."""
    loaded = read_rules(rules)
    run = run_watch(database(ctx), loaded, require_series=rules is not None)
    console.print(
        f"{run.rules} rules on {run.events} events and {run.series} series: {len(run.new)} new alert(s) "
        f"({run.fired} in all, the others were raised before).",
        highlight=False,
    )
    for a in run.new:
        console.print(f"[{a.rule_id}] {a.title}", markup=False, highlight=False)


@app.command("alerts")
def alerts_cmd(
    ctx: typer.Context,
    rule: Annotated[str | None, typer.Option("--rule", help="Only this rule's alerts.")] = None,
    limit: Annotated[int, typer.Option(help="Most alerts shown.", min=1)] = 50,
    feed: Annotated[Path | None, typer.Option("--feed", help="Write an Atom feed to this file ('-': stdout).")] = None,
) -> None:
    """List stored alerts, newest first, or publish them as an Atom feed."""
    found = list_alerts(database(ctx), rule_id=rule, limit=limit)
    if feed is not None:
        text = atom_feed(found)
        if str(feed) == "-":
            write_out(text)
        else:
            feed.write_text(text, encoding="utf-8")
            console.print(f"Wrote {len(found)} alert(s) to {feed}", highlight=False)
        return
    table = Table("id", "rule", "about", "alert")
    for a in found:
        table.add_row(str(a.id), a.rule_id, a.subject_date.isoformat() if a.subject_date else "", a.title)
    console.print(table)
