"""Releases: `release PERIOD`, `releases`, `release-check NUMBER`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sectracker.cli.common import app, console, database, fail, state
from sectracker.release.publish import folder_differences, list_releases, make_release, rebuild_release


@app.command("release")
def release_cmd(
    ctx: typer.Context,
    period: Annotated[str, typer.Argument(help="The period to freeze, such as 2020-H1.")],
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="New folder for the files (default: releases/NNN-PERIOD).")
    ] = None,
) -> None:
    """Freeze a period's verified events and series as a numbered, reproducible release."""
    result = make_release(database(ctx), period, out, user=state(ctx).settings.user)
    console.print(
        f"Release {result.number} ({result.period}): {result.events} events, {result.series} series, "
        f"{len(result.files)} files in {result.folder}",
        highlight=False,
    )
    console.print(result.changelog, markup=False, highlight=False)


@app.command("releases")
def releases_cmd(ctx: typer.Context) -> None:
    """List the releases made so far."""
    table = Table("number", "period", "created", "by", "events", "series")
    for r in list_releases(database(ctx)):
        m = r.manifest
        table.add_row(str(r.number), r.period, r.created_at.isoformat(), r.created_by, str(len(m["events"])),
                      str(len(m["series"])))  # fmt: skip
    console.print(table)


@app.command("release-check")
def release_check(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="Release number (see `sectracker releases`).")],
    folder: Annotated[
        Path | None, typer.Option("--folder", help="Check the files in this folder instead of rebuilding.")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="New folder for the rebuilt files.")] = None,
) -> None:
    """Rebuild a release from the store (or check a folder) and compare checksums with its manifest."""
    db = database(ctx)
    if folder is not None:
        differing = folder_differences(db, number, folder)
        where = folder
    else:
        result = rebuild_release(db, number, out)
        differing, where = result.differing, result.folder
    if differing:
        fail(
            f"release {number} in {where}: {len(differing)} file(s) differ from the manifest: {', '.join(differing)}",
            code=1,
        )
    console.print(f"Release {number}: every file in {where} matches its manifest byte for byte.", highlight=False)
