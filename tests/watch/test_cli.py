"""`sectracker watch` and `sectracker alerts` as a user runs them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from sectracker.cli import app

runner = CliRunner()


def run(db: Path, *args: str) -> Any:
    return runner.invoke(app, ["--db", str(db), *args])


def test_watch_stores_alerts_and_publishes_a_feed(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    run(db, "init")
    run(db, "import", "--bundled")
    run(db, "series", "import", "--bundled")
    first = run(db, "watch")
    assert first.exit_code == 0, first.output
    assert "[defence-budget-change] China's national defence budget: 1.27 trillion CNY, +6.6% on 2019" in first.output
    assert "0 new alert(s)" in run(db, "watch").output
    assert "defence-budget-change" in run(db, "alerts").output
    feed = tmp_path / "alerts.atom"
    assert run(db, "alerts", "--feed", str(feed)).exit_code == 0
    assert feed.read_text().startswith('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">')


def test_a_rule_with_a_typo_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    run(db, "init")
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - id: budget\n    kind: indicator_change\n    series: chn.*\n    procent: 5\n")
    result = run(db, "watch", "--rules", str(rules))
    assert result.exit_code == 2
    assert "rule 'budget': unknown field 'procent'" in result.output and "rules.yaml:5" in result.output
