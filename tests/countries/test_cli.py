"""The countries commands end to end on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from sectracker.cli import app
from tests.countries.test_alignment import CALLS, VOTES
from tests.countries.test_bri import GFDC
from tests.countries.test_income import LONG

runner = CliRunner()


def run(db: Path, *args: str) -> object:
    return runner.invoke(app, ["--db", str(db), *args])


def test_imports_and_show(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    assert run(db, "init").exit_code == 0  # type: ignore[attr-defined]
    income = LONG + "PAK,Pakistan,0,2020,2018,LM,Lower middle income\n"
    for name, text in (("long.csv", income), ("gfdc_2023-12.csv", GFDC), ("v.csv", VOTES), ("r.csv", CALLS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    out = run(db, "countries", "import-income", str(tmp_path / "long.csv"))
    assert out.exit_code == 0 and "Imported 5 income rows" in out.output  # type: ignore[attr-defined]
    out = run(db, "countries", "import-bri", str(tmp_path / "gfdc_2023-12.csv"))
    assert "Source recorded: gfdc-2023-12" in out.output  # type: ignore[attr-defined]
    out = run(db, "countries", "import-unvotes", str(tmp_path / "v.csv"), str(tmp_path / "r.csv"))
    assert out.exit_code == 0, out.output  # type: ignore[attr-defined]
    out = run(db, "countries", "show", "pakistan", "--as-of", "2020-03-01")
    text = out.output  # type: ignore[attr-defined]
    assert out.exit_code == 0, text  # type: ignore[attr-defined]
    for words in (
        "Pakistan",
        "ISO3 PAK",
        "Southern Asia",
        "Shanghai",
        "Belt and Road",
        "Lower middle income",
        "gfdc-2023-12",
        "UN-vote agreement",
    ):
        assert words in text, words


def test_show_without_imports_and_errors(tmp_path: Path) -> None:
    db = tmp_path / "t.sqlite"
    run(db, "init")
    out = run(db, "countries", "show", "XKX", "--as-of", "2020-01-01")
    assert out.exit_code == 0 and "Kosovo" in out.output  # type: ignore[attr-defined]
    assert "Not imported in this database: income, bri, alignment" in out.output  # type: ignore[attr-defined]
    out = run(db, "countries", "show", "Narnia")
    assert out.exit_code == 2  # type: ignore[attr-defined]
    (tmp_path / "bad.csv").write_text("rcid,vote\n1,yes\n", encoding="utf-8")
    out = run(db, "countries", "import-unvotes", str(tmp_path / "bad.csv"), str(tmp_path / "bad.csv"))
    assert out.exit_code == 2  # type: ignore[attr-defined]
