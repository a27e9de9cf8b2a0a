"""Running the `sectracker` command in tests, on a tracker file of the test's own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from sectracker.cli import app

runner = CliRunner()


def run(db: Path, *args: str) -> Any:
    """`sectracker --db DB ARGS...` with a wide terminal (messages are not wrapped)."""
    return runner.invoke(app, ["--db", str(db), *args], env={"COLUMNS": "200"})


def new_tracker(folder: Path) -> Path:
    """A tracker file made by `sectracker init` in `folder`."""
    path = folder / "t.sqlite"
    result = run(path, "init")
    assert result.exit_code == 0, result.output
    return path
