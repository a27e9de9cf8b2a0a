"""`sectracker import-data` and `sectracker series` as a user runs them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from sectracker.cli import app
from tests.importers.samples import SIPRI_ROWS, sipri_register

runner = CliRunner()


def run(db: Path, *args: str) -> Any:
    return runner.invoke(app, ["--db", str(db), "--user", "ana", *args])


def test_import_data_reports_and_fails_with_a_clear_message(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    assert run(db, "init").exit_code == 0
    bad = [*SIPRI_ROWS, ("90009", "unknown recipient(s)", "X", "y", "Ships", "2015", "No", "1", "No", "2016", "No",
                         "New", "1")]  # fmt: skip
    path = sipri_register(tmp_path / "register.csv", bad)
    failed = run(db, "import-data", "sipri", str(path))
    assert failed.exit_code == 2
    assert "unknown recipient(s)" in failed.output and "--skip-unknown" in failed.output
    ok = run(db, "import-data", "sipri", str(path), "--skip-unknown")
    assert ok.exit_code == 0, ok.output
    assert "4 new" in ok.output and "unknown countries or missions: 'unknown recipient(s)' (1)" in ok.output
    dry = run(db, "import-data", "sipri", str(path), "--skip-unknown", "--dry-run")
    assert "Would import" in dry.output and "4 unchanged" in dry.output


def test_series_commands_show_computed_changes(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    run(db, "init")
    assert run(db, "series", "import", "--bundled").exit_code == 0
    shown = run(db, "series", "show", "chn.defence-budget", "--json")
    assert shown.exit_code == 0 and '"change": "+6.6%"' in shown.output
    assert "chn.mekong-joint-patrols" in run(db, "series", "list").output
    missing = run(db, "series", "show", "no.such-series")
    assert missing.exit_code == 2 and "no series with id" in missing.output
