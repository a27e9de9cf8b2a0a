"""Bad input to `report`, `release-check` and `import-data`: a clear message, exit code 2, nothing changed."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from sectracker.cli import app
from tests.importers.samples import SIPRI_ROWS, sipri_register

runner = CliRunner()


def run(db: Path, *args: str) -> Any:
    return runner.invoke(app, ["--db", str(db), "--user", "ana", *args])


def dump(db: Path) -> str:
    import sqlite3

    with sqlite3.connect(db) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()


def refused_import(db: Path, kind: str, path: Path) -> str:
    """`import-data KIND PATH` refused (exit 2) with the database unchanged; its messages on one line."""
    before = dump(db)
    result = run(db, "import-data", kind, str(path))
    assert result.exit_code == 2, result.output
    assert dump(db) == before
    return " ".join(result.output.split())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "t.sqlite"
    assert run(path, "init").exit_code == 0
    assert run(path, "import", "--bundled").exit_code == 0
    return path


def test_binary_empty_or_bad_block_focus_is_refused_without_output(db: Path, tmp_path: Path) -> None:
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"\x00\xee\xff\x81garbage")
    empty = tmp_path / "empty.md"
    empty.write_text("  \n", encoding="utf-8")
    block = tmp_path / "block.md"
    block.write_text("# T\n\n```sectracker\nfoo: [\n```\n", encoding="utf-8")
    for focus, message in ((binary, "not UTF-8"), (empty, "empty"), (block, "block 1")):
        out = tmp_path / f"out-{focus.stem}"
        result = run(db, "report", "--period", "2020-H1", "--focus", str(focus), "--format", "md", "--out", str(out))
        assert result.exit_code == 2, result.output
        assert message in result.output and focus.name in result.output
        assert "Traceback" not in result.output
        assert not out.exists()


def test_report_into_a_file_or_with_no_format_is_refused(db: Path, tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("keep", encoding="utf-8")
    result = run(db, "report", "--period", "2020-Q1", "--format", "md", "--out", str(afile))
    assert result.exit_code == 2 and "afile" in result.output
    assert afile.read_text(encoding="utf-8") == "keep"
    result = run(db, "report", "--period", "2020-Q1", "--format", " , ", "--out", str(tmp_path / "x"))
    assert result.exit_code == 2 and "no format given" in result.output
    assert not (tmp_path / "x").exists()


def test_report_failure_while_rendering_leaves_an_existing_folder_alone(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sectracker.errors import ReportError
    from sectracker.report import publish

    out = tmp_path / "edition"
    out.mkdir()
    (out / "index.html").write_text("old", encoding="utf-8")

    def broken(*_: Any, **__: Any) -> bytes:
        raise ReportError("PDF engine failed")

    monkeypatch.setattr(publish, "render_pdf", broken)
    result = run(db, "report", "--period", "2020-Q1", "--format", "html,pdf,md", "--out", str(out))
    assert result.exit_code == 1 and "PDF engine failed" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "old"
    fresh = tmp_path / "fresh" / "edition"
    result = run(db, "report", "--period", "2020-Q1", "--format", "html,pdf", "--out", str(fresh))
    assert result.exit_code == 1 and not (tmp_path / "fresh").exists()


def test_release_check_names_changed_missing_and_extra_files_and_sums(db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "r1"
    assert run(db, "release", "2020-h1", "--out", str(folder)).exit_code == 0
    listed = run(db, "releases")
    assert "2020-H1" in listed.output and "2020-h1" not in listed.output
    assert run(db, "release-check", "1", "--folder", str(folder)).exit_code == 0
    (folder / "events.csv").write_text("tampered\n", encoding="utf-8")
    (folder / "events.json").unlink()
    (folder / "notes.txt").write_text("extra\n", encoding="utf-8")
    with (folder / "SHA256SUMS").open("a", encoding="utf-8") as f:
        f.write("0  forged\n")
    result = run(db, "release-check", "1", "--folder", str(folder))
    assert result.exit_code == 1
    for part in ("events.csv (changed)", "events.json (missing)", "notes.txt (not in the release)",
                 "SHA256SUMS (changed)"):  # fmt: skip
        assert part in result.output
    missing = run(db, "release-check", "1", "--folder", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2 and "no such folder" in missing.output


def test_a_damaged_stored_manifest_is_a_message(db: Path, tmp_path: Path) -> None:
    import sqlite3

    assert run(db, "release", "2020-H1", "--out", str(tmp_path / "r1")).exit_code == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE releases SET manifest = '{not json' WHERE number = 1")
    for args in (["releases"], ["release-check", "1", "--folder", str(tmp_path / "r1")]):
        result = run(db, *args)
        assert result.exit_code == 1, result.output
        assert "manifest is not JSON" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (9, "nan", "[Numbers delivered]: 'nan' is not a usable number"),
        (9, "1e400", "[Numbers delivered]: '1e400' is not a usable number"),
        (9, "-5", "[Numbers delivered]: '-5' is below 0"),
        (11, "0", "[Delivery year]: 0 is not a year from 1900 to now"),
        (11, "2999", "[Delivery year]: 2999 is not a year from 1900 to now"),
        (11, "2020.5", "[Delivery year]: '2020.5' is not a whole number"),
    ],
)
def test_sipri_bad_numbers_are_refused_and_nothing_is_written(
    db: Path, tmp_path: Path, column: int, value: str, message: str
) -> None:
    row = list(SIPRI_ROWS[0])
    row[column - 2] = value  # sample tuples start at the deal number and skip the supplier
    path = sipri_register(tmp_path / "register.csv", [tuple(row)])
    out = refused_import(db, "sipri", path)
    assert f"register.csv:6 {message}" in out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("contributor,date,troops,police,experts\nChina,2014-01-31,-5,1,1\n", "p.csv:2 [troops]: '-5' is below 0"),
        ("contributor,date,troops,police,experts\nChina,2999-01-31,5,1,1\n", "p.csv:2 [date]: 2999-01-31 is in the"),
        ("contributor,date,troops,police,experts\nChina,2014-01-31,nan,1,1\n", "p.csv:2 [troops]: 'nan' is not a"),
        ("", "p.csv:1: the file is empty"),
        ("contributor;date;troops;police;experts\nChina;2014-01-31;5;1;1\n", "separated by semicolons"),
    ],
)
def test_peacekeeping_bad_rows_are_refused(db: Path, tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.csv"
    path.write_text(text, encoding="utf-8")
    out = refused_import(db, "peacekeeping", path)
    assert message in out


def test_adiz_names_the_bad_field_and_refuses_future_days(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("date,aircraft\n2020-09-01,3\n2020-02-30,1\n2020-09-02,x\n2999-01-01,2\n", encoding="utf-8")
    out = refused_import(db, "adiz", path)
    assert "a.csv:3 [date]: '2020-02-30' is not a date" in out
    assert "a.csv:4 [aircraft]: 'x' is not a number" in out
    assert "a.csv:5 [date]: 2999-01-01 is in the future" in out


def test_real_register_still_imports(db: Path, shared_dir: Path) -> None:
    register = shared_dir / "data" / "sipri" / "sipri_trade_register_1995_2025.csv"
    if not register.is_file():
        pytest.skip(f"{register} is absent")
    result = run(db, "import-data", "sipri", str(register), "--skip-unknown", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "1399 selected" in " ".join(result.output.split())


def test_acled_negative_fatalities_bad_dates_and_conflicting_duplicates(db: Path, tmp_path: Path) -> None:
    from tests.importers.samples import acled_file, acled_row

    rows = [
        acled_row("IND1", fatalities="-3"),
        acled_row("IND2", event_date="2020-02-30"),
        acled_row("IND3"),
        acled_row("IND3", fatalities="7"),
        acled_row("IND4", latitude="nan"),
    ]
    path = acled_file(tmp_path / "acled.csv", rows)
    out = refused_import(db, "acled", path)
    assert "acled.csv:2 [fatalities]: '-3' is below 0" in out
    assert "acled.csv:3 [event_date]: '2020-02-30' is not a date" in out
    assert "acled.csv:5 [event_id_cnty]: a second, different row for event IND3 (first on line 4)" in out
    assert "acled.csv:6 [latitude]" in out


def test_gdelt_future_days_and_conflicting_duplicates(db: Path, tmp_path: Path) -> None:
    from tests.importers.samples import gdelt_file, gdelt_row

    rows = [gdelt_row("1", SQLDATE="29990101"), gdelt_row("2"), gdelt_row("2", AvgTone="3.5")]
    path = gdelt_file(tmp_path / "g.export.CSV", rows)
    out = refused_import(db, "gdelt", path)
    assert "g.export.CSV:1 [SQLDATE]: 2999-01-01 is in the future" in out
    assert "g.export.CSV:3 [GLOBALEVENTID]: a second, different row for event 2 (first on line 2)" in out
