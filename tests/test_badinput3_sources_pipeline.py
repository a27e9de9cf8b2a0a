"""Bad input to extract and ingest: odd corpora, deep HTML, binary and UTF-16 text, extreme dates and numbers."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sectracker.cli import app
from sectracker.models import Document
from sectracker.pipeline.quantities import find_quantities
from sectracker.pipeline.run import extract_events
from sectracker.sources import collect as collect_module
from sectracker.sources.html import read_html
from tests.cli_run import new_tracker, run, runner

REPORT = "China sent 500 troops to Mali on 3 March 2020."


@pytest.fixture
def dbfile(tmp_path: Path) -> Path:
    return new_tracker(tmp_path)


def stored(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        docs = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    return docs, events


def failures(path: Path) -> list[tuple[str, int | None, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT source, line, reason FROM ingest_failures ORDER BY line").fetchall()


# --- ingest: a corpus line with a malformed URL, or text of the wrong type --------------------


def test_corpus_line_with_malformed_url_is_stored_not_a_traceback(dbfile: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    lines = [{"text": REPORT, "url": "http://[bad"}, {"text": 123}, {"text": "China and Russia held drills."}]
    corpus.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = run(dbfile, "ingest", str(corpus), "--json")
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    summary = json.loads(result.stdout)
    assert summary["documents_read"] == 2
    assert [(f["line"], f["reason"]) for f in summary["failures"]] == [(2, "field 'text' is int, not text")]
    assert failures(dbfile) == [(str(corpus), 2, "field 'text' is int, not text")]
    assert stored(dbfile)[0] == 2


def test_a_reader_bug_fails_one_document_and_the_run_goes_on(
    dbfile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text(REPORT)
    (tmp_path / "b.md").write_text("China and Russia held joint naval drills on 5 May 2020.")
    real = collect_module.text_file_document

    def broken(data: bytes, path: str, fetched_at: Any = None) -> Any:
        if path.endswith("a.txt"):
            raise RuntimeError("reader bug")
        return real(data, path, fetched_at)

    monkeypatch.setattr(collect_module, "text_file_document", broken)
    result = run(dbfile, "ingest", str(tmp_path / "a.txt"), str(tmp_path / "b.md"), "--json")
    assert result.exit_code == 1, result.output
    assert failures(dbfile) == [(str(tmp_path / "a.txt"), None, "reading failed: RuntimeError: reader bug")]
    assert stored(dbfile)[0] == 1


# --- HTML nested deeper than libxml2 keeps ------------------------------------------------------


def test_deeply_nested_html_keeps_its_text(dbfile: Path, tmp_path: Path) -> None:
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 10_000 + REPORT + "</div>" * 10_000 + "</body></html>")
    collected = read_html(page.read_bytes(), source=str(page))
    assert collected.document is not None and collected.document.text == REPORT
    result = run(dbfile, "ingest", str(page), "--json")
    assert result.exit_code == 0, result.output
    assert stored(dbfile)[0] == 1
    out = run(dbfile, "extract", str(page))
    assert out.exit_code == 0 and '"MLI"' in out.stdout


def test_html_with_only_scripts_is_still_refused(tmp_path: Path) -> None:
    page = tmp_path / "s.html"
    page.write_text("<html><body>" + "<div>" * 500 + "<script>var a = 1;</script>" + "</div>" * 500 + "</body></html>")
    result = runner.invoke(app, ["extract", str(page)])
    assert result.exit_code == 2
    assert "no text in the HTML" in result.output


# --- extract: binary, UTF-16, corpora and feeds ---------------------------------------------------


def test_extract_refuses_binary_text_file(dbfile: Path, tmp_path: Path) -> None:
    path = tmp_path / "bin.txt"
    path.write_bytes(bytes(range(256)) * 20)
    result = run(dbfile, "extract", str(path))
    assert result.exit_code == 2
    assert f"{path}: binary file (contains NUL bytes), not text" in result.output
    assert "Traceback" not in result.output
    assert stored(dbfile) == (0, 0)


def test_extract_decodes_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "u16.txt"
    path.write_bytes(REPORT.encode("utf-16"))
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    assert "decoded as UTF-16" in result.stderr
    record = json.loads(result.stdout.splitlines()[0])
    assert record["countries"] == ["MLI"] and record["evidence"]["text"] == REPORT


@pytest.mark.parametrize(("name", "kind"), [("c.jsonl", "a JSON Lines corpus"), ("f.rss", "an RSS/Atom feed")])
def test_extract_sends_corpora_and_feeds_to_ingest(tmp_path: Path, name: str, kind: str) -> None:
    path = tmp_path / name
    path.write_text(json.dumps({"text": REPORT}) + "\n")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 2
    assert f"{path}: {kind} holds many documents" in result.output and "use ingest" in result.output


def test_extract_help_shows_the_embed_extra() -> None:
    result = runner.invoke(app, ["extract", "--help"], env={"COLUMNS": "300"})
    assert "sectracker[embed]" in result.output


# --- the date and quantity layers: calendar limits and numbers too large for a float --------------


@pytest.mark.parametrize("published", [date(1, 1, 1), date(9999, 12, 31)])
@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2020 China deployed troops to Mali week 54 of 2020.",
        "On 3 March 2020 China deployed troops to Mali on March 32.",
        "China sent troops to Mali on 31 December 9999.",
        "China deployed troops to Mali between 31 February and 40 March 2020, late 10000, in the year 0.",
    ],
)
def test_extreme_reference_dates_do_not_crash(text: str, published: date) -> None:
    doc = Document(id=Document.id_for(text), text=text, title="t", published=published)
    extract_events(doc)
    extract_events(doc, published)


@pytest.mark.parametrize("number", ["9" * 400, "1" + "0" * 330, "99999999999999999999"])
def test_huge_numbers_are_finite_or_ignored(number: str) -> None:
    text = f"China sent {number} troops to Mali on 3 March 2020."
    for q in find_quantities(text):
        assert q.value < float("inf")
    doc = Document(id=Document.id_for(text), text=text, title="t")
    extract_events(doc)


def test_extract_published_at_calendar_limit(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("China sent troops to Mali last week. " + REPORT)
    for published in ("0001-01-01", "9999-12-31"):
        result = runner.invoke(app, ["extract", str(path), "--published", published])
        assert result.exit_code == 0, result.output
