"""Export then import on both backends: the same events, the same bytes; imports are all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sectracker.cli import app
from sectracker.exchange.readers import parse_events
from sectracker.exchange.writers import TEXT_WRITERS
from sectracker.models import EventFilter
from sectracker.settings import Settings
from sectracker.store import Database, api, open_database
from tests.store.sample import sample_events

FORMATS = ("csv", "json", "jsonl")


def export(db: Database, fmt: str) -> str:
    return TEXT_WRITERS[fmt](api.find_events(db, EventFilter(include_deleted=False), sort="id", limit=None))


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_then_import_gives_the_same_events(any_db: Database, another_db: Database, fmt: str) -> None:
    api.add_events(any_db, sample_events(), user="ana")
    api.edit_event(any_db, "ev-tanks", {"status": "verified"}, user="bo")
    first = export(any_db, fmt)
    api.add_events(another_db, parse_events(first, fmt, f"export.{fmt}"), user="ana")
    assert export(another_db, fmt) == first
    assert api.find_events(another_db, EventFilter(), limit=None) == api.find_events(any_db, EventFilter(), limit=None)


@pytest.mark.postgres
def test_exports_are_the_same_bytes_on_both_backends(db: Database, pg_url: str) -> None:
    pg = open_database(Settings(db=pg_url, user="tester"))
    pg.migrate()
    try:
        for database in (db, pg):
            api.add_events(database, sample_events(), user="ana")
            api.edit_event(database, "ev-masks", {"tags": ["covid-19", "medical"]}, user="bo", expected_version=1)
        for fmt in FORMATS:
            assert export(db, fmt) == export(pg, fmt)
    finally:
        pg.close()


runner = CliRunner()
GOOD = '{"id": "ev-good", "headline": "A valid event", "category": "diplomacy.meetings"}\n'
BAD = '{"id": "ev-bad", "headline": "Bad category", "category": "no.such"}\n'


def _count(url: str) -> int:
    out = runner.invoke(app, ["--db", url, "list", "--json", "--limit", "1000"])
    assert out.exit_code == 0, out.output
    return len(out.output.splitlines())


def test_an_import_with_one_bad_row_writes_nothing(any_url: str, tmp_path: Path) -> None:
    assert runner.invoke(app, ["--db", any_url, "init"]).exit_code == 0
    bad_file = tmp_path / "events.jsonl"
    bad_file.write_text(GOOD + BAD + GOOD.replace("ev-good", "ev-good2"), encoding="utf-8")
    result = runner.invoke(app, ["--db", any_url, "import", str(bad_file)])
    assert result.exit_code == 2
    assert "line 2" in result.output or ":2" in result.output
    assert _count(any_url) == 0


def test_an_import_clashing_with_stored_ids_writes_nothing(any_url: str, tmp_path: Path) -> None:
    assert runner.invoke(app, ["--db", any_url, "init"]).exit_code == 0
    first = tmp_path / "first.jsonl"
    first.write_text(GOOD, encoding="utf-8")
    assert runner.invoke(app, ["--db", any_url, "import", str(first)]).exit_code == 0
    second = tmp_path / "second.jsonl"
    second.write_text(GOOD.replace("ev-good", "ev-new") + GOOD, encoding="utf-8")
    result = runner.invoke(app, ["--db", any_url, "import", str(second)])
    assert result.exit_code == 2 and "ev-good" in result.output
    assert _count(any_url) == 1
