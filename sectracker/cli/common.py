"""What every command shares: the Typer app, the --db option, output and errors."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from sectracker.errors import SectrackerError, ValidationFailed
from sectracker.settings import Settings, load_settings
from sectracker.store import Database, open_database


class _ErrorReportingGroup(TyperGroup):
    """Turns SectrackerError from any command into a message and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except SectrackerError as exc:
            report_error(exc)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            if exc.errno is None:
                raise
            # A path the user gave cannot be read or written (a folder where a file is wanted or the
            # other way round, a missing parent folder, no permission): a user error. A full disk or
            # a failing device is not, but it still gets a message rather than a traceback.
            err_console.print(f"[red]error:[/red] {escape(_os_message(exc))}", highlight=False)
            raise typer.Exit(2 if exc.filename is not None else 1) from None


def _os_message(exc: OSError) -> str:
    reason = exc.strerror or str(exc)
    if exc.filename is None:
        return f"the operating system refused: {reason}"
    hint = {
        FileExistsError: " (a file is there; give a folder that does not exist yet or is empty)",
        NotADirectoryError: " (a file is there; a folder is wanted)",
        IsADirectoryError: " (a folder is there; a file is wanted)",
    }.get(type(exc), "")
    return f"{exc.filename}: {reason}{hint}"


app = typer.Typer(
    cls=_ErrorReportingGroup,
    help="sectracker: collect, code, review, analyse and publish a security tracker.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)


@dataclass
class State:
    settings: Settings


@app.callback()
def _root(
    ctx: typer.Context,
    db: Annotated[
        str | None, typer.Option(help="Database path or URL (default: $SECTRACKER_DB or sectracker.sqlite).")
    ] = None,
    user: Annotated[str | None, typer.Option(help="Name recorded in the audit log.")] = None,
) -> None:
    ctx.obj = State(load_settings().with_overrides(db=db, user=user))


def state(ctx: typer.Context) -> State:
    obj = ctx.find_root().obj
    if not isinstance(obj, State):
        obj = State(load_settings())
        ctx.find_root().obj = obj
    return obj


def database(ctx: typer.Context, *, migrated: bool = True) -> Database:
    """The configured database; StoreError if it has not been initialised."""
    db = open_database(state(ctx).settings, create=not migrated)
    if migrated:
        db.require_current()
    return db


def report_error(exc: SectrackerError) -> None:
    if isinstance(exc, ValidationFailed):
        err_console.print(
            f"[red]error:[/red] {len(exc.problems)} problem(s) found; nothing was written", highlight=False
        )
        for p in exc.problems[:50]:
            err_console.print(f"  {p}", markup=False, highlight=False)
        if len(exc.problems) > 50:
            err_console.print(f"  ... and {len(exc.problems) - 50} more", highlight=False)
        return
    err_console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)


def fail(message: str, code: int = 2) -> Any:
    err_console.print(f"[red]error:[/red] {escape(message)}", highlight=False)
    raise typer.Exit(code)


def write_out(text: str) -> None:
    sys.stdout.write(text)
