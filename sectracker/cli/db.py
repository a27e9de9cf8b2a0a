"""Database administration: `db migrate` and `db copy` (SQLite <-> PostgreSQL)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from sectracker.cli.common import app, console, database, state
from sectracker.store import open_database
from sectracker.store.copy import BATCH, TableCheck, copy_database

db_app = typer.Typer(help="Database administration.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("migrate")
def db_migrate(ctx: typer.Context) -> None:
    """Apply every pending schema migration."""
    db = database(ctx, migrated=False)
    before = db.current_revisions()
    db.migrate()
    console.print(f"Migrated {sorted(before) or 'empty database'} -> {sorted(db.current_revisions())}")


@db_app.command("copy")
def db_copy(
    ctx: typer.Context,
    to: Annotated[str, typer.Option("--to", help="Target database path or URL; must be new and empty.")],
    source: Annotated[
        str | None, typer.Option("--from", help="Source database path or URL (default: the --db database).")
    ] = None,
    batch_size: Annotated[int, typer.Option(help="Rows read and written per batch.", min=1)] = BATCH,
) -> None:
    """Copy a whole tracker to another database (e.g. SQLite to PostgreSQL), verified by checksums.

    The target is migrated first and must hold no rows; every table, the audit log and the
    documents are copied in one transaction, the search index is rebuilt, and the row counts
    and checksums of every table are compared on both sides.
    """
    settings = state(ctx).settings
    src = open_database(settings, db=source, create=False)
    dst = open_database(settings, db=to)
    try:
        with Progress(transient=True, console=console) as bar:
            task = bar.add_task("Copying", total=None)

            def advance(table: str, n: int) -> None:
                bar.update(task, description=f"Copying {table}", advance=n)

            checks = copy_database(src, dst, batch_size=batch_size, progress=advance)
        _print_checks(checks)
        rows = sum(c.rows for c in checks)
        console.print(f"Copied {rows} rows in {len(checks)} tables from {src.name} to {dst.name}; all verified.")
    finally:
        src.close()
        dst.close()


def _print_checks(checks: list[TableCheck]) -> None:
    table = Table("table", "rows", "checksum", "verified")
    for c in checks:
        table.add_row(c.table, str(c.target_rows), c.target_checksum, "yes" if c.ok else "NO")
    console.print(table)
