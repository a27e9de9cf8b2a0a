"""The `sectracker report` command against a real SQLite file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sectracker.cli import app
from sectracker.models import Status
from sectracker.store import Database
from sectracker.store.api import add_events
from tests.report.events import make_event, sample_events

runner = CliRunner()


@pytest.fixture
def filled(db: Database, db_path: Path) -> Path:
    """The sample events plus a candidate in the period and a verified event outside it."""
    extra = [
        make_event("ev-candidate", "domestic.forces", date(2020, 2, 2), status=Status.candidate),
        make_event("ev-later", "domestic.forces", date(2020, 8, 1)),
    ]
    add_events(db, sample_events() + extra, user="tester")
    return db_path


def run(db_path: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", str(db_path), "report", *args])
    return result.exit_code, result.output


def test_report_writes_the_edition_from_verified_events_in_the_period(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "edition"
    code, output = run(filled, "--period", "2020-H1", "--format", "html,md", "--out", str(out))
    assert code == 0, output
    assert "index.html" in output and "edition.md" in output
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "Headline of ev-budget" in html and "January-June 2020" in html
    assert "ev-candidate" not in html and "ev-later" not in html
    assert "Force development" not in html  # its only events are a candidate and one out of the period
    assert (out / "edition.md").is_file() and not (out / "edition.pdf").exists()


def test_report_twice_gives_the_same_bytes(filled: Path, tmp_path: Path) -> None:
    focus = tmp_path / "focus.md"
    focus.write_text("# Topic\n\nText with *emphasis*.\n", encoding="utf-8")
    for name in ("a", "b"):
        args = ("--period", "2020-H1", "--focus", str(focus), "--format", "html,md", "--out", str(tmp_path / name))
        assert run(filled, *args)[0] == 0
    for file in ("index.html", "edition.md"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_report_default_folder_all_formats_and_title(
    filled: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, output = run(filled, "--period", "2020-h1", "--title", "Test Tracker")
    assert code == 0, output
    folder = tmp_path / "out" / "2020-H1"
    assert sorted(p.name for p in folder.iterdir()) == ["edition.md", "edition.pdf", "index.html"]
    assert '<h1 class="edition-title">Test Tracker</h1>' in (folder / "index.html").read_text(encoding="utf-8")


def test_report_from_to_and_focus_file(filled: Path, tmp_path: Path) -> None:
    focus = tmp_path / "focus.md"
    focus.write_text("# Border tensions\n\nA short analysis.\n", encoding="utf-8")
    out = tmp_path / "june"
    args = ("--from", "2020-06-01", "--to", "2020-06-30", "--focus", str(focus), "--format", "md", "--out", str(out))
    code, output = run(filled, *args)
    assert code == 0, output
    md = (out / "edition.md").read_text(encoding="utf-8")
    assert "**June 2020**" in md and "## Focus topic: Border tensions\n\nA short analysis." in md
    assert "Headline of ev-galwan" in md and "Headline of ev-budget" not in md


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2020-H3"), "use YYYY, YYYY-H1/H2"),
        (("--period", "2020-H1", "--from", "2020-01-01"), "not both"),
        (("--from", "2020-01-01"), "both --from and --to"),
        (("--from", "2020-06-01", "--to", "2020-01-01"), "is before"),
        (("--from", "June", "--to", "2020-01-01"), "not a date"),
        (("--period", "2020-H1", "--format", "html,docx"), "unknown format"),
        (("--period", "2020-H1", "--focus", "missing.md"), "focus file not found"),
    ],
)
def test_bad_input_exits_2_with_a_message(filled: Path, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, output = run(filled, *args, "--out", str(tmp_path / "x"))
    assert code == 2
    assert message in " ".join(output.split())
    assert "Traceback" not in output


def test_empty_period_still_builds_and_says_so(filled: Path, tmp_path: Path) -> None:
    code, output = run(filled, "--period", "2019-H2", "--format", "html", "--out", str(tmp_path / "empty"))
    assert code == 0, output
    assert "No verified events in this period" in output
    html = (tmp_path / "empty" / "index.html").read_text(encoding="utf-8")
    assert "July-December 2019" in html and 'class="section"' not in html
