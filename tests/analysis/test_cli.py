"""The analyse commands end to end: table, CSV and JSON output, and selection errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sectracker.cli import app
from sectracker.exchange.writers import to_jsonl
from tests.analysis.fixtures import sample_events

runner = CliRunner()


def run(db: Path, *args: str) -> object:
    return runner.invoke(app, ["--db", str(db), *args])


def _db(tmp_path: Path) -> Path:
    db = tmp_path / "t.sqlite"
    run(db, "init")
    (tmp_path / "ev.jsonl").write_text(to_jsonl(sample_events()), encoding="utf-8")
    out = run(db, "import", str(tmp_path / "ev.jsonl"))
    assert out.exit_code == 0, out.output  # type: ignore[attr-defined]
    return db


def test_counts_formats(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = run(db, "analyse", "counts", "--by", "half", "--format", "csv")
    assert out.output.splitlines()[:2] == ["half,events,share", "2019-H1,1,0.125"]  # type: ignore[attr-defined]
    out = run(db, "analyse", "counts", "--where", "actor = pla", "--by", "country", "-f", "json")
    rows = json.loads(out.output)  # type: ignore[attr-defined]
    assert [(r["country"], r["events"]) for r in rows] == [("FRA", 1), ("NGA", 1), ("PAK", 1)]
    out = run(db, "analyse", "counts", "--by", "oecd")
    assert "OECD member" in out.output  # type: ignore[attr-defined]


def test_other_analyses(tmp_path: Path) -> None:
    db = _db(tmp_path)
    top = json.loads(run(db, "analyse", "top", "--n", "1", "-f", "json").output)  # type: ignore[attr-defined]
    assert (top[0]["country"], top[0]["events"]) == ("PAK", 3)
    change = run(db, "analyse", "change", "--period", "2020-H1", "--by", "section", "-f", "csv").output  # type: ignore[attr-defined]
    assert "total,6,1,5,500.0,2020-H1,2019-H2" in change
    compared = json.loads(
        run(  # type: ignore[attr-defined]
            db,
            "analyse",
            "compare",
            "--where",
            "category in (diplomacy.aid_training, diplomacy.exercises_port_calls)",
            "--versus",
            "category = projection.deployments",
            "--by",
            "oecd",
            "--labels",
            "Aid,Drills",
            "-f",
            "json",
        ).output
    )
    assert compared["a"] == "Aid" and abs(compared["test"]["p_value"] - 26 / 56) < 1e-6
    profile = run(db, "analyse", "profile", "PAK", "-f", "csv").output  # type: ignore[attr-defined]
    assert "2020-H1,total,2" in profile
    network = run(db, "analyse", "network", "--min-weight", "2", "-f", "csv").output  # type: ignore[attr-defined]
    assert network.splitlines()[1].startswith("NGA,PAK,2")


def test_selection_errors_exit_2(tmp_path: Path) -> None:
    db = _db(tmp_path)
    out = run(db, "analyse", "counts", "--where", "country = Narnia")
    assert out.exit_code == 2  # type: ignore[attr-defined]
    out = run(db, "analyse", "counts", "--format", "xml")
    assert out.exit_code == 2  # type: ignore[attr-defined]
