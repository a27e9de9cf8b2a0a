"""Bad watch rules files: encoding, non-finite numbers and unknown series refused; no alert stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sectracker.cli import app
from sectracker.errors import ValidationFailed
from sectracker.store.db import open_database
from sectracker.watch.alerts import list_alerts
from sectracker.watch.rules import parse_rules

runner = CliRunner()


def run(db: Path, *args: str) -> Any:
    return runner.invoke(app, ["--db", str(db), *args])


def rule(series: str = "chn.*", percent: str = "5", rule_id: str = "budget") -> str:
    return f"  - id: {rule_id}\n    kind: indicator_change\n    series: {series}\n    percent: {percent}\n"


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    db = tmp_path / "t.sqlite"
    run(db, "init")
    run(db, "import", "--bundled")
    run(db, "series", "import", "--bundled")
    return db


def test_a_rule_naming_an_unknown_series_is_refused(tmp_path: Path, db_file: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n" + rule() + rule("nope.series", rule_id="nope"), encoding="utf-8")
    out = run(db_file, "watch", "--rules", str(rules))
    assert out.exit_code == 2, out.output
    assert "rules.yaml:8 [series]: rule 'nope': no stored series matches the id 'nope.series'" in out.output
    assert list_alerts(open_database(db=str(db_file))) == []  # the good rule's alert is not stored either
    rules.write_text("rules:\n" + rule("nope.*"), encoding="utf-8")
    out = run(db_file, "watch", "--rules", str(rules))
    assert out.exit_code == 2 and "no stored series matches the pattern 'nope.*'" in out.output, out.output
    rules.write_text("rules:\n" + rule(), encoding="utf-8")
    assert run(db_file, "watch", "--rules", str(rules)).exit_code == 0


def test_the_shipped_rules_run_on_an_empty_store(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    run(db, "init")
    out = run(db, "watch")
    assert out.exit_code == 0, out.output


@pytest.mark.parametrize("number", [".inf", "-.inf", ".nan", "1e400"])
def test_non_finite_numbers_are_refused(number: str) -> None:
    with pytest.raises(ValidationFailed) as info:
        parse_rules("rules:\n" + rule(percent=number), "r.yaml")
    assert [(p.line, p.field) for p in info.value.problems] == [(5, "percent")]
    sigma = "  - id: surge\n    kind: count_above_baseline\n    sigma: " + number + "\n"
    with pytest.raises(ValidationFailed) as info:
        parse_rules("rules:\n" + sigma, "r.yaml")
    assert [(p.line, p.field) for p in info.value.problems] == [(4, "sigma")]


def test_a_non_utf8_rules_file_names_the_encoding(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    run(db, "init")
    rules = tmp_path / "rules.yaml"
    rules.write_bytes(("rules:\n" + rule() + "    description: Défense\n").encode("latin-1"))
    out = run(db, "watch", "--rules", str(rules))
    assert out.exit_code == 2 and "rules.yaml: not UTF-8 text" in out.output, out.output
