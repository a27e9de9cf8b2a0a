"""`sectracker release`, `releases` and `release-check` as a user runs them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from sectracker.cli import app

runner = CliRunner()


def run(db: Path, *args: str) -> Any:
    return runner.invoke(app, ["--db", str(db), "--user", "editor", *args])


def test_release_list_and_check(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    run(db, "init")
    run(db, "import", "--bundled")
    run(db, "series", "import", "--bundled")
    made = run(db, "release", "2020-H1", "--out", str(tmp_path / "r1"))
    assert made.exit_code == 0, made.output
    assert "Release 1 (2020-H1)" in made.output and "first release of 2020-H1" in made.output
    assert "2020-H1" in run(db, "releases").output
    checked = run(db, "release-check", "1", "--out", str(tmp_path / "again"))
    assert checked.exit_code == 0 and "matches its manifest byte for byte" in checked.output
    (tmp_path / "r1" / "README.md").write_text("edited\n")
    tampered = run(db, "release-check", "1", "--folder", str(tmp_path / "r1"))
    assert tampered.exit_code == 1 and "README.md" in tampered.output
