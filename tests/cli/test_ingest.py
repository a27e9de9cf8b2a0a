"""`sectracker ingest` and `sectracker documents` end to end on a real SQLite file.

The extraction pipeline runs for real when sectracker.pipeline.run exists; until then the
line-per-candidate stand-in from tests/test_ingest.py takes its place (see `extractor`).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from sectracker import ingest as ingest_module
from sectracker.cli import app
from tests.cli_run import new_tracker, run, runner
from tests.sources.conftest import pdf_bytes
from tests.test_ingest import line_extractor


@pytest.fixture(autouse=True)
def extractor(monkeypatch: pytest.MonkeyPatch) -> None:
    if importlib.util.find_spec("sectracker.pipeline.run") is None:
        monkeypatch.setattr(ingest_module, "_pipeline_extractor", lambda: line_extractor)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return new_tracker(tmp_path)


def inputs(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.txt").write_text("On March 21, China donated 62,000 masks to the Serbian Armed Forces.\n")
    (folder / "b.jsonl").write_text(
        json.dumps({"title": "Ship visit", "date": "2020-04-08", "text": "China sent the Peace Ark to Dili."}) + "\n"
    )
    return folder


def test_ingest_succeeds_with_exit_0_and_twice_adds_nothing(db: Path, tmp_path: Path) -> None:
    folder = inputs(tmp_path / "in")
    first = run(db, "ingest", str(folder), "--json")
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert (summary["documents_read"], summary["documents_new"], summary["failures"]) == (2, 2, [])
    second = json.loads(run(db, "ingest", str(folder), "--json").stdout)
    assert (second["documents_new"], second["documents_seen"], second["candidates"]) == (0, 2, 0)
    assert second["run_id"] == summary["run_id"] + 1


def test_the_summary_table_names_counts(db: Path, tmp_path: Path) -> None:
    result = run(db, "ingest", str(inputs(tmp_path / "in")))
    assert result.exit_code == 0
    for label in ("Documents read", "new", "already stored", "Candidate events added", "Failures"):
        assert label in result.stdout


def test_some_failures_exit_1_and_are_listed_with_reasons(db: Path, tmp_path: Path) -> None:
    folder = inputs(tmp_path / "in")
    (folder / "empty.txt").write_text("")
    (folder / "scan.pdf").write_bytes(pdf_bytes(None))
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02binary")
    (folder / "bad.txt").write_bytes(b"China donated \xff masks.")
    result = run(db, "ingest", str(folder), "http://127.0.0.1:9/feed")
    assert result.exit_code == 1
    out = result.stdout
    assert "Failed documents" in out
    for reason in ("empty file (no text)", "the PDF has no text layer", "binary file", "non-public address 127.0.0.1"):
        assert reason in out
    assert "invalid UTF-8" in out  # a warning, not a failure
    data = json.loads(run(db, "ingest", str(folder), "--json").stdout)
    assert len(data["failures"]) == 3 and data["documents_seen"] == 3


@pytest.mark.parametrize(
    "args",
    [[], ["does/not/exist.txt"], ["ftp://example.org/a.txt"], ["file:///etc/passwd"]],
    ids=["no-input", "missing-path", "ftp", "file-url"],
)
def test_usage_errors_exit_2(db: Path, args: list[str]) -> None:
    result = run(db, "ingest", *args)
    assert result.exit_code == 2


def test_unsupported_file_named_on_the_command_line_exits_2(db: Path, tmp_path: Path) -> None:
    (tmp_path / "x.docx").write_bytes(b"PK")
    result = run(db, "ingest", str(tmp_path / "x.docx"))
    assert result.exit_code == 2 and "unsupported file type" in result.output


def test_help_documents_the_exit_codes() -> None:
    out = runner.invoke(app, ["ingest", "--help"], env={"COLUMNS": "200"}).stdout
    assert "0 = every document read" in out and "1 = some documents failed" in out and "2 = usage error" in out


def test_documents_list_and_show(db: Path, tmp_path: Path) -> None:
    run(db, "ingest", str(inputs(tmp_path / "in")))
    listed = run(db, "documents", "list")
    assert listed.exit_code == 0 and "2 of 2 documents" in listed.stdout and "Ship visit" in listed.stdout
    doc_id = next(word for word in listed.stdout.split() if word.startswith("doc-"))
    shown = run(db, "documents", "show", doc_id, "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == doc_id
    text = run(db, "documents", "show", doc_id)
    assert text.exit_code == 0 and json.loads(shown.stdout)["text"] in text.stdout


def test_documents_show_unknown_id(db: Path) -> None:
    result = run(db, "documents", "show", "doc-nope")
    assert result.exit_code == 2 and "no document with id 'doc-nope'" in result.output
