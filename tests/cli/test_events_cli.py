"""The event commands end to end on a real SQLite file, as a user runs them."""

import json
import sqlite3
from pathlib import Path

from typer.testing import CliRunner

from sectracker.cli import app

runner = CliRunner()

EVENTS = """events:
  - id: ev-karachi
    headline: PLA Navy task force calls at Karachi
    summary: A goodwill visit by a returning escort task force.
    category: diplomacy.exercises_port_calls
    date_start: 2020-01-05
    date_precision: day
    countries: [PAK]
    actors: [plan]
    status: verified
    sources: [{title: Port call report, publisher: Example News}]
  - id: ev-tanks
    headline: Nigeria receives Chinese battle tanks
    category: domestic.arms_trade
    date_start: 2020-04-08
    date_precision: day
    countries: [NGA]
    actors: [norinco]
    status: candidate
"""


def run(db: Path, *args: str) -> object:
    return runner.invoke(app, ["--db", str(db), "--user", "ana", *args])


def _init(tmp_path: Path) -> Path:
    db = tmp_path / "t.sqlite"
    assert run(db, "init").exit_code == 0  # type: ignore[attr-defined]
    (tmp_path / "ev.yaml").write_text(EVENTS, encoding="utf-8")
    result = run(db, "import", str(tmp_path / "ev.yaml"))
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    return db


def test_list_filters_and_search(tmp_path: Path) -> None:
    db = _init(tmp_path)
    out = run(db, "list", "--country", "pak", "--json").output  # type: ignore[attr-defined]
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["ev-karachi"]
    out = run(db, "list", "--status", "candidate", "--json").output  # type: ignore[attr-defined]
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["ev-tanks"]
    out = run(db, "search", "tank", "--json").output  # type: ignore[attr-defined]
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["ev-tanks"]
    out = run(db, "list", "--period", "2020-Q1", "--json").output  # type: ignore[attr-defined]
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["ev-karachi"]
    nothing = run(db, "search", '"*(')
    assert nothing.exit_code == 2 and "no words to search for" in nothing.output  # type: ignore[attr-defined]
    year_zero = run(db, "list", "--period", "0000")
    assert year_zero.exit_code == 2 and "0001 or later" in year_zero.output  # type: ignore[attr-defined]
    assert run(db, "list", "--from", "0001-01-01").exit_code == 0  # type: ignore[attr-defined]


def test_bad_import_writes_nothing_and_exits_2(tmp_path: Path) -> None:
    db = _init(tmp_path)
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "ev-new", "headline": "Fine one", "category": "architecture.un"}\n'
        '{"id": "ev-new2", "headline": "Bad one", "category": "architecture.un", "significance": 7}\n'
    )
    result = run(db, "import", str(bad))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "bad.jsonl:2 [significance]" in result.output  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    out = run(db, "list", "--json").output  # type: ignore[attr-defined]
    assert len(out.splitlines()) == 2
    again = run(db, "import", str(tmp_path / "ev.yaml"))
    assert again.exit_code == 2 and "already stored" in again.output  # type: ignore[attr-defined]


def test_edit_delete_restore_are_audited(tmp_path: Path) -> None:
    db = _init(tmp_path)
    result = run(
        db, "edit", "ev-tanks", "--set", "status=verified", "--set", "countries=NGA;GHA", "--reason", "checked"
    )
    assert result.exit_code == 0, result.output  # type: ignore[attr-defined]
    stale = run(db, "edit", "ev-tanks", "--set", "significance=5", "--expect-version", "1")
    assert stale.exit_code == 2 and "changed by someone else" in stale.output  # type: ignore[attr-defined]
    assert run(db, "delete", "ev-tanks", "--reason", "dup").exit_code == 0  # type: ignore[attr-defined]
    assert run(db, "list", "--json").output.count("\n") == 1  # type: ignore[attr-defined]
    assert run(db, "restore", "ev-tanks").exit_code == 0  # type: ignore[attr-defined]
    shown = json.loads(run(db, "show", "ev-tanks", "--history").output)  # type: ignore[attr-defined]
    assert shown["countries"] == ["GHA", "NGA"] and shown["status"] == "verified"
    actions = [(h["action"], h["user"]) for h in shown["history"]]
    assert actions == [("create", "ana"), ("edit", "ana"), ("delete", "ana"), ("restore", "ana")]
    edit = shown["history"][1]
    assert edit["before"]["countries"] == ["NGA"] and edit["after"]["countries"] == ["GHA", "NGA"]
    assert edit["reason"] == "checked"


def test_user_errors_are_messages_not_tracebacks(tmp_path: Path) -> None:
    db = _init(tmp_path)
    cases = [
        (["show", "ev-nope"], "no event with id 'ev-nope'"),
        (["edit", "ev-tanks", "--set", "colour=red"], "unknown field 'colour'"),
        (["edit", "ev-tanks", "--set", "date_end=2019-01-01"], "before date_start"),
        (["list", "--category", "diplomacy.parties"], "unknown category key"),
        (["list", "--period", "2020-H3"], "use YYYY, YYYY-H1/H2"),
        (["list", "--from", "2020-13-01"], "is not a date"),
        (["export", "--format", "xlsx"], "unknown export format"),
    ]
    for args, message in cases:
        result = run(db, *args)
        assert result.exit_code == 2, (args, result.output)  # type: ignore[attr-defined]
        assert message in result.output, (args, result.output)  # type: ignore[attr-defined]
        assert "Traceback" not in result.output  # type: ignore[attr-defined]


def test_uninitialised_database_is_explained(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "other.sqlite").close()  # a SQLite file, but not a tracker
    result = run(tmp_path / "other.sqlite", "list")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "not a sectracker database yet; run 'sectracker init'" in result.output  # type: ignore[attr-defined]


def test_export_formats(tmp_path: Path) -> None:
    db = _init(tmp_path)
    out = run(db, "export", "--format", "csv").output  # type: ignore[attr-defined]
    assert out.splitlines()[0].startswith("id,headline") and len(out.splitlines()) == 3
    result = run(db, "export", "--format", "datapackage", "--out", str(tmp_path / "pkg"))
    assert result.exit_code == 0 and (tmp_path / "pkg" / "datapackage.json").exists()  # type: ignore[attr-defined]


def test_codebook_markdown_matches_docs() -> None:
    result = runner.invoke(app, ["codebook", "--format", "markdown"])
    docs = Path(__file__).resolve().parents[2] / "docs" / "codebook.md"
    assert result.output == docs.read_text(encoding="utf-8")


def _fails(db: Path, *args: str) -> str:
    result = run(db, *args)
    assert result.exit_code == 2, result.output  # type: ignore[attr-defined]
    assert "Traceback" not in result.output  # type: ignore[attr-defined]
    return str(result.output)  # type: ignore[attr-defined]


def test_filters_with_unknown_values_are_refused(tmp_path: Path) -> None:
    db = _init(tmp_path)
    assert "--to 2020-01-01 is before --from 2020-06-01" in _fails(
        db, "list", "--from", "2020-06-01", "--to", "2020-01-01"
    )
    assert "'XXX' is not an ISO 3166-1 alpha-3" in _fails(db, "export", "--country", "XXX")
    assert "unknown actor id 'nobody'" in _fails(db, "list", "--actor", "nobody")
    assert "unknown sort 'bogus'" in _fails(db, "list", "--sort", "bogus")
    assert "not both" in _fails(db, "list", "--period", "2020-H1", "--from", "2020-01-01")


def test_edit_refuses_bad_values_and_deleted_events(tmp_path: Path) -> None:
    db = _init(tmp_path)
    assert "'quantities' is not valid JSON" in _fails(db, "edit", "ev-karachi", "--set", "quantities=garbage")
    assert "[highlight]" in _fails(db, "edit", "ev-karachi", "--set", "highlight=maybe")
    assert run(db, "delete", "ev-karachi").exit_code == 0  # type: ignore[attr-defined]
    assert "deleted; restore it first" in _fails(db, "edit", "ev-karachi", "--set", "significance=2")
    history = json.loads(run(db, "show", "ev-karachi", "--history").output)  # type: ignore[attr-defined]
    assert [h["action"] for h in history["history"]] == ["create", "delete"]


def test_output_paths_that_cannot_be_written_are_named(tmp_path: Path) -> None:
    db = _init(tmp_path)
    (tmp_path / "folder").mkdir()
    (tmp_path / "file").write_text("", encoding="utf-8")
    assert "folder: Is a directory" in _fails(db, "export", "-f", "csv", "-o", str(tmp_path / "folder"))
    assert "file: Not a directory" in _fails(db, "release", "2020-H1", "-o", str(tmp_path / "file"))


def test_database_paths_that_are_not_databases(tmp_path: Path) -> None:
    (tmp_path / "noise.sqlite").write_bytes(bytes(range(256)) * 20)
    assert "file is not a database" in _fails(tmp_path / "noise.sqlite", "list")
    assert "no such database; run 'sectracker init'" in _fails(tmp_path / "new.sqlite", "list")
    assert not (tmp_path / "new.sqlite").exists()  # looking did not create it
    assert "is a folder" in _fails(tmp_path, "list")
    empty = tmp_path / "empty.sqlite"
    copy = _fails(tmp_path / "unused.sqlite", "db", "copy", "--from", str(empty), "--to", str(tmp_path / "t.sqlite"))
    assert "empty.sqlite: no such database" in copy
    assert not empty.exists()
