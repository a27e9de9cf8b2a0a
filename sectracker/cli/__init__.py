"""The `sectracker` command: thin commands that parse input, call one function, print."""

from __future__ import annotations

import sys

# Each module registers its commands on `app` when imported.
from sectracker.cli import events as _events  # noqa: E402,F401
from sectracker.cli import report as _report  # noqa: E402,F401
from sectracker.cli.common import app, report_error
from sectracker.errors import SectrackerError


def main() -> None:
    """Entry point of the console script: errors become messages, never tracebacks."""
    try:
        app()
    except SectrackerError as exc:
        report_error(exc)
        sys.exit(exc.exit_code)
