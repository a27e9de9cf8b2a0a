"""Bad series files: non-finite values and impossible derivations refused with file, line and field."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sectracker.cli import app
from sectracker.errors import ValidationFailed
from sectracker.series.files import parse_series, read_series_file
from sectracker.store.db import open_database
from sectracker.store.series import list_series

runner = CliRunner()


def series_text(second: str) -> str:
    return f"""series:
  - id: test.s
    name: Test series
    unit: CNY
    frequency: year
    source: {{source: x}}
    observations:
      - {{date: 2020-12-31, value: 10}}
      - date: 2019-12-31
        {second}
"""


def run(db: Path, *args: str) -> Any:
    return runner.invoke(app, ["--db", str(db), *args])


@pytest.mark.parametrize(
    ("second", "field"),
    [
        ("derive: {from: 2020-12-31, change_percent: -100}", "observations.1.derive.change_percent"),
        ("derive: {from: 2020-12-31, change_percent: -250}", "observations.1.derive.change_percent"),
        ("derive: {from: 2020-12-31, change_percent: .inf}", "observations.1.derive.change_percent"),
        ("derive: {from: 2020-12-31, change_percent: .nan}", "observations.1.derive.change_percent"),
        ("value: 1e400", "observations.1.value"),
        ("value: .inf", "observations.1.value"),
        ("value: -.inf", "observations.1.value"),
        ("value: .nan", "observations.1.value"),
    ],
)
def test_refused_with_line_and_field_and_nothing_stored(tmp_path: Path, second: str, field: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(series_text(second), encoding="utf-8")
    with pytest.raises(ValidationFailed) as info:
        read_series_file(path)
    assert [(p.file, p.line, p.field) for p in info.value.problems] == [(str(path), 9, field)]
    db = tmp_path / "t.sqlite"
    run(db, "init")
    out = run(db, "series", "import", str(path))
    assert out.exit_code == 2, out.output
    assert f"s.yaml:9 [{field}]" in out.output
    assert list_series(open_database(db=str(db))) == []


def test_a_derivation_from_an_infinite_value_is_refused() -> None:
    text = series_text("derive: {from: 2020-12-31, change_percent: 5}").replace("value: 10", "value: .inf")
    with pytest.raises(ValidationFailed) as info:
        parse_series(text, "s.yaml")
    assert (9, "observations.1.derive.from") in {(p.line, p.field) for p in info.value.problems}


def test_a_good_derivation_still_works() -> None:
    (series,) = parse_series(series_text("derive: {from: 2020-12-31, change_percent: 25}"), "s.yaml")
    assert [o.value for o in series.observations] == [8.0, 10.0]


def test_a_non_utf8_file_names_the_encoding(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(series_text("value: 9").replace("Test series", "Tést series").encode("latin-1"))
    with pytest.raises(ValidationFailed) as info:
        read_series_file(path)
    assert info.value.problems[0].file == str(path) and "not UTF-8" in info.value.problems[0].message
