"""Commands that bring documents in: ingest, and documents list/show."""

from __future__ import annotations

import json
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, ProgressColumn, SpinnerColumn, Task, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from sectracker.cli.common import app, console, database, err_console, fail, state, write_out
from sectracker.distributed.cluster import DaskOptions, dask_client
from sectracker.distributed.engine import DASK_BATCH_DOCUMENTS, ingest_on_dask
from sectracker.errors import SourceError
from sectracker.ingest import BATCH_DOCUMENTS, IngestSummary, ingest, summary_json
from sectracker.settings import Settings
from sectracker.sources.collect import SUPPORTED_SUFFIXES, is_url
from sectracker.sources.http import SCHEMES, check_url_syntax
from sectracker.sources.records import Collected
from sectracker.store import Database
from sectracker.store import documents as doc_store

documents_app = typer.Typer(help="Stored documents.", no_args_is_help=True)
app.add_typer(documents_app, name="documents")
SHOWN_PROBLEMS = 50


class RateColumn(ProgressColumn):
    """Documents per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.1f} documents/s" if speed else "- documents/s", style="progress.data.speed")


class Engine(StrEnum):
    single = "single"
    dask = "dask"


@app.command("ingest")
def ingest_command(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(metavar="PATH|URL|FEED...", help="Files, folders, URLs or feeds.")],
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Allow URLs on loopback and private network addresses.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON instead of tables.")] = False,
    engine: Annotated[
        Engine, typer.Option(help="single: extract in this process; dask: extract on a Dask cluster.")
    ] = Engine.single,
    scheduler: Annotated[
        str | None,
        typer.Option(metavar="tcp://HOST:PORT", help="With --engine dask: an existing Dask scheduler to use."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(min=1, help="With --engine dask: local worker processes to start (default: one per CPU)."),
    ] = None,
    batch_size: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=100_000,
            help=f"Documents written per transaction and per Dask task (default: {BATCH_DOCUMENTS}, "
            f"or {DASK_BATCH_DOCUMENTS} with --engine dask).",
        ),
    ] = None,
) -> None:
    """Read documents, store each once, and store the candidate events found in them.

    Inputs: text (.txt, .md), HTML, PDF, JSON Lines corpora (.jsonl), RSS/Atom feeds, http(s) URLs, folders.

    Folders are walked recursively; hidden files and files of other types in them are skipped.

    Running it again on the same input adds nothing; after an interrupted run it stores what is missing.

    Candidates reporting the same occurrence as a stored candidate are merged into it (verified
    and rejected events are never changed).

    With --engine dask, documents are extracted on a Dask cluster (local worker processes, or
    --scheduler) and written from this process in batches of --batch-size documents.

    Exit codes: 0 = every document read; 1 = some documents failed (listed, recorded; the rest stored); 2 = usage error.
    """
    _check_inputs(inputs)
    options = _dask_options(engine, scheduler, workers)
    settings = state(ctx).settings.with_overrides(fetch_allow_private=allow_private or None)
    db = database(ctx)
    try:
        summary = _run_with_progress(db, inputs, settings, options, batch_size)
    finally:
        db.close()
    if as_json:
        write_out(summary_json(summary) + "\n")
    else:
        _print_summary(summary)
    if summary.failures:
        raise typer.Exit(1)


def _dask_options(engine: Engine, scheduler: str | None, workers: int | None) -> DaskOptions | None:
    """The cluster to use with --engine dask (None for a single process); usage errors exit 2."""
    if engine is Engine.single:
        if scheduler or workers:
            fail("--scheduler and --workers need --engine dask")
        return None
    if scheduler and workers:
        fail("give either --scheduler (an existing cluster) or --workers (local workers), not both")
    if scheduler and not scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://", "ws://", "wss://")):
        fail(f"{scheduler}: a scheduler address looks like tcp://HOST:PORT")
    return DaskOptions(scheduler=scheduler, workers=workers)


def _check_inputs(inputs: list[str]) -> None:
    """Usage errors (exit 2) before a run is recorded: missing paths, malformed or non-http(s) URLs."""
    for name in inputs:
        if is_url(name):
            scheme = name.split("://", 1)[0].lower()
            if scheme not in SCHEMES:
                fail(f"{_head(name)}: only http and https URLs can be ingested")
            try:
                check_url_syntax(name)
            except SourceError as exc:
                fail(str(exc))
        else:
            _check_path(name)


def _check_path(name: str) -> None:
    path = Path(name)
    try:
        exists, is_file = path.exists(), path.is_file()
    except (OSError, ValueError) as exc:  # a NUL byte, a name too long for the file system
        fail(f"{_head(name)}: not a usable path ({getattr(exc, 'strerror', None) or exc})")
    if not exists:
        fail(f"{_head(name)}: no such file or directory")
    elif is_file and path.suffix.lower() not in SUPPORTED_SUFFIXES:
        fail(f"{_head(name)}: unsupported file type (supported: {' '.join(SUPPORTED_SUFFIXES)})")


def _head(name: str, width: int = 100) -> str:
    """An input as shown in a message: its first `width` characters."""
    return name if len(name) <= width else name[:width] + "..."


def _run_with_progress(
    db: Database, inputs: list[str], settings: Settings, options: DaskOptions | None, batch_size: int | None
) -> IngestSummary:
    """An ingest run with a progress bar on stderr: documents done, documents per second, failures."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.completed:,.0f} documents"),
        RateColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TextColumn("{task.description}", style="dim"),
    )
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("", total=None, failed=0)
        failed = 0

        def advance(item: Collected) -> None:
            nonlocal failed
            failed += 0 if item.ok else 1
            bar.update(task, advance=1 if item.ok else 0, failed=failed, description=_short(item.source))

        if options is None:
            return ingest(db, inputs, settings, progress=advance, batch_size=batch_size)
        bar.update(task, description=f"starting {options.describe()}")
        return _ingest_on_dask(db, inputs, settings, options, advance, batch_size)


def _ingest_on_dask(
    db: Database,
    inputs: list[str],
    settings: Settings,
    options: DaskOptions,
    progress: Callable[[Collected], None],
    batch_size: int | None,
) -> IngestSummary:
    with dask_client(options) as client:
        return ingest_on_dask(db, inputs, client, settings, progress=progress, batch_size=batch_size)


def _short(source: str, width: int = 60) -> str:
    return source if len(source) <= width else "..." + source[-(width - 3) :]


def _print_summary(summary: IngestSummary) -> None:
    table = Table(title=f"Ingest run {summary.run_id}", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("Documents read", f"{summary.documents_read:,}")
    table.add_row("  new", f"{summary.documents_new:,}")
    table.add_row("  already stored", f"{summary.documents_seen:,}")
    table.add_row("Candidate events added", f"{summary.candidates:,}")
    table.add_row("  merged into another candidate", f"{summary.merged:,}")
    table.add_row("Failures", f"{len(summary.failures):,}", style="red" if summary.failures else None)
    table.add_row("Warnings", f"{len(summary.warnings):,}", style="yellow" if summary.warnings else None)
    console.print(table)
    if summary.failures:
        _print_problems("Failed documents", [(f.where, f.reason) for f in summary.failures], "red")
    if summary.warnings:
        _print_problems("Warnings", [(source, warning) for source, warning in summary.warnings], "yellow")


def _print_problems(title: str, rows: list[tuple[str, str]], style: str) -> None:
    """One line per problem, never wrapped, so that file names and reasons stay whole."""
    console.print(f"[{style}]{title}[/{style}]")
    for source, reason in rows[:SHOWN_PROBLEMS]:
        console.print(Text(f"  {source}: {reason}"), soft_wrap=True)
    if len(rows) > SHOWN_PROBLEMS:
        console.print(f"  ... and {len(rows) - SHOWN_PROBLEMS:,} more", highlight=False)


@documents_app.command("list")
def documents_list(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(help="Most documents shown.", min=1, max=100000)] = 50,
    offset: Annotated[int, typer.Option(help="Documents skipped first.", min=0)] = 0,
) -> None:
    """List stored documents, newest publication first."""
    db = database(ctx)
    try:
        found = doc_store.list_documents(db, limit=limit, offset=offset)
        total = doc_store.count_documents(db)
    finally:
        db.close()
    table = Table(title=f"{len(found):,} of {total:,} documents")
    table.add_column("id", no_wrap=True, min_width=28)  # ids are copied into `documents show`: keep them whole
    for name in ("published", "lang", "chars", "title", "source"):
        table.add_column(name, overflow="fold", justify="right" if name == "chars" else "left")
    for d in found:
        published = d.published.isoformat() if d.published else ""
        source = d.url or d.path or ""
        table.add_row(d.id, published, d.language or "", f"{d.chars:,}", Text(d.title or ""), Text(source))
    console.print(table)


@documents_app.command("show")
def documents_show(
    ctx: typer.Context,
    document_id: Annotated[str, typer.Argument(metavar="ID", help="A document id (doc-...).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the document as JSON.")] = False,
) -> None:
    """Show one stored document: its metadata, then its text."""
    db = database(ctx)
    try:
        doc = doc_store.get_document(db, document_id)
    finally:
        db.close()
    if as_json:
        write_out(json.dumps(doc.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, indent=2) + "\n")
        return
    for name in ("id", "title", "url", "publisher", "published", "language", "path", "fetched_at"):
        value = getattr(doc, name)
        console.print(f"[bold]{name}:[/bold] ", Text("" if value is None else str(value)))
    write_out("\n" + doc.text + "\n")
