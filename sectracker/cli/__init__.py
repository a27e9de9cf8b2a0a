"""The `sectracker` command: thin commands that parse input, call one function, print."""

from __future__ import annotations

import sys

# Each module registers its commands on `app` when imported.
from sectracker.cli import analyse as _analyse  # noqa: E402,F401
from sectracker.cli import countries as _countries  # noqa: E402,F401
from sectracker.cli import data as _data  # noqa: E402,F401
from sectracker.cli import db as _db  # noqa: E402,F401
from sectracker.cli import events as _events  # noqa: E402,F401
from sectracker.cli import extract as _extract  # noqa: E402,F401
from sectracker.cli import ingest as _ingest  # noqa: E402,F401
from sectracker.cli import release as _release  # noqa: E402,F401
from sectracker.cli import report as _report  # noqa: E402,F401
from sectracker.cli import serve as _serve  # noqa: E402,F401
from sectracker.cli import users as _users  # noqa: E402,F401
from sectracker.cli import watch as _watch  # noqa: E402,F401
from sectracker.cli.common import app, report_error
from sectracker.errors import SectrackerError


def main() -> None:
    """Entry point of the console script: errors become messages, never tracebacks."""
    try:
        app()
    except SectrackerError as exc:
        report_error(exc)
        sys.exit(exc.exit_code)
