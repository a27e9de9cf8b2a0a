"""Bad input to ingest, extract, users token --revoke and analyse change: a message and exit 2, nothing stored."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sectracker.analysis.change import earlier_period
from sectracker.cli import app
from sectracker.errors import AnalysisError, SourceError
from sectracker.ingest import ingest
from sectracker.models import Document, Event
from sectracker.settings import Settings
from sectracker.sources.collect import collect
from sectracker.sources.http import check_url_syntax
from sectracker.sources.records import Collected
from sectracker.store.db import Database
from sectracker.store.schema import ingest_failures, ingest_runs
from tests.cli_run import new_tracker, run, runner
from tests.sources.conftest import make_fetcher
from tests.test_ingest import good_inputs, line_extractor

LONG_URL = "https://example.org/" + "a" * 2100


@pytest.fixture
def dbfile(tmp_path: Path) -> Path:
    return new_tracker(tmp_path)


def runs(path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT id, finished_at FROM ingest_runs").fetchall()


# --- 1. ingest: malformed URLs are usage errors, and no run row is left ------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://[::1", "malformed URL (Invalid IPv6 URL)"),
        ("http://", "the URL has no host"),
        ("https://:80/", "the URL has no host"),
        ("ftp://x", "only http and https URLs can be ingested"),
        ("http://exa mple.com", "malformed host name 'exa mple.com'"),
        ("http://example.com/\n", "the URL contains control characters"),
        ("http://example.com:99999/", "malformed URL (Port out of range 0-65535)"),
        ("http://a..b/", "malformed host name 'a..b'"),
        (LONG_URL, "the URL is too long (2,120 characters; the limit is 2,000)"),
    ],
)
def test_a_malformed_url_is_refused_before_a_run_is_recorded(dbfile: Path, url: str, problem: str) -> None:
    result = run(dbfile, "ingest", url)
    assert result.exit_code == 2, result.output
    assert problem in result.output
    assert url[:60] in result.output  # the message names the URL (its start, when it is long)
    assert isinstance(result.exception, SystemExit)  # a usage error, not an uncaught exception
    assert runs(dbfile) == []


def test_one_bad_url_among_good_inputs_stops_before_anything_is_stored(dbfile: Path, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("China donated masks to Italy.\n")
    result = run(dbfile, "ingest", str(tmp_path / "a.txt"), "http://[::1")
    assert result.exit_code == 2 and "http://[::1: malformed URL" in result.output
    assert runs(dbfile) == []
    with sqlite3.connect(dbfile) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone() == (0,)


def test_a_path_that_cannot_be_a_file_name_is_a_usage_error(dbfile: Path) -> None:
    result = run(dbfile, "ingest", "x" * 5000 + ".txt")
    assert result.exit_code == 2 and "not a usable path" in result.output
    assert runs(dbfile) == []


def test_the_library_turns_malformed_urls_into_failures_not_tracebacks() -> None:
    def never(request: Any) -> Any:
        raise AssertionError("no request is made for a malformed URL")

    inputs = ["http://[::1", "http://exa mple.com", LONG_URL]
    got = list(collect(inputs, Settings(), fetcher=make_fetcher(never)))
    assert [c.ok for c in got] == [False] * 3
    assert "malformed URL" in (got[0].reason or "") and "too long" in (got[2].reason or "")
    assert "malformed host name" in (got[1].reason or "")
    check_url_syntax("https://example.org/a page.html")  # a space in the path is encoded when fetched
    with pytest.raises(SourceError, match=r"^http://\[::1: malformed URL"):
        check_url_syntax("http://[::1")


def _stop_at(n: int) -> Any:
    seen = 0

    def progress(item: Collected) -> None:
        nonlocal seen
        seen += 1
        if seen == n:
            raise RuntimeError("the terminal went away")

    return progress


def test_a_run_that_stops_before_writing_anything_leaves_no_run_row(db: Database, tmp_path: Path) -> None:
    folder = good_inputs(tmp_path / "in")
    with pytest.raises(RuntimeError):
        ingest(db, [str(folder)], extract=line_extractor, progress=_stop_at(1))
    with db.connect() as conn:
        assert conn.execute(select(ingest_runs)).all() == []


def test_a_run_that_stops_after_a_batch_is_marked_finished_with_the_reason(db: Database, tmp_path: Path) -> None:
    folder = good_inputs(tmp_path / "in")
    with pytest.raises(RuntimeError):
        ingest(db, [str(folder)], extract=line_extractor, progress=_stop_at(3), batch_size=1)
    with db.connect() as conn:
        run_row = conn.execute(select(ingest_runs)).one()
        reasons = conn.execute(select(ingest_failures.c.source, ingest_failures.c.reason)).all()
    assert run_row.finished_at is not None and run_row.documents_new == 2 and run_row.failures == 1
    assert [(s, r) for s, r in reasons] == [("(ingest run)", "run stopped: RuntimeError: the terminal went away")]


def test_an_interrupted_run_is_not_left_unfinished(db: Database, tmp_path: Path) -> None:
    folder = good_inputs(tmp_path / "in")

    def interrupted(doc: Document, published: date | None) -> list[Event]:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        ingest(db, [str(folder)], extract=interrupted)
    with db.connect() as conn:
        assert conn.execute(select(ingest_runs).where(ingest_runs.c.finished_at.is_(None))).all() == []


# --- 2. extract: a file named .pdf that is not a PDF ----------------------------------------


def test_extract_of_a_broken_pdf_names_the_file_and_pypdf_stays_quiet(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_text("hello\n")
    result = runner.invoke(app, ["extract", str(bad)])
    assert result.exit_code == 2 and f"{bad}: unreadable PDF" in result.output
    # pytest hooks every logger, so pypdf's log lines are looked for where a user sees them: a real process
    done = subprocess.run(
        [sys.executable, "-m", "sectracker.cli", "extract", str(bad)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"error: {bad}: unreadable PDF: Stream has ended unexpectedly"]


def test_extract_of_an_empty_html_file_names_the_file(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><script>x()</script></html>")
    result = runner.invoke(app, ["extract", str(page)])
    assert result.exit_code == 2 and f"{page}: no text in the HTML" in result.output


# --- 3. users token --revoke for a user that does not exist ---------------------------------


def test_revoking_the_tokens_of_no_user_is_an_error(dbfile: Path) -> None:
    result = run(dbfile, "users", "token", "nobody", "--revoke")
    assert result.exit_code == 2
    assert "no user 'nobody'" in result.output and "Revoked" not in result.output


def test_revoking_the_tokens_of_a_user_still_works(dbfile: Path) -> None:
    added = runner.invoke(
        app, ["--db", str(dbfile), "users", "add", "ana", "--password-stdin"], input="correct horse battery\n"
    )
    assert added.exit_code == 0, added.output
    assert run(dbfile, "users", "token", "ana").exit_code == 0
    result = run(dbfile, "users", "token", "ana", "--revoke")
    assert result.exit_code == 0 and "Revoked 1 token(s) of ana" in result.output


# --- 4. analyse change at the edges of the calendar -----------------------------------------


@pytest.mark.parametrize("against", ["previous", "year"])
@pytest.mark.parametrize("period", ["0001-H1", "0001-Q1", "0001-01", "0001"])
def test_there_is_no_period_before_year_one(dbfile: Path, period: str, against: str) -> None:
    result = run(dbfile, "analyse", "change", "--period", period, "--against", against)
    assert result.exit_code == 2
    assert "--period" in result.output and f"before {period} to compare with" in result.output
    assert "'0-" not in result.output and "'0'" not in result.output  # no internally computed period


def test_a_period_change_names_the_option_for_an_invalid_period(dbfile: Path) -> None:
    result = run(dbfile, "analyse", "change", "--period", "0000")
    assert result.exit_code == 2 and "[--period]: period '0000': the year must be 0001 or later" in result.output
    result = run(dbfile, "analyse", "change", "--period", "2020", "--against", "decade")
    assert result.exit_code == 2 and "[--against]: use previous or year, not 'decade'" in result.output


def test_earlier_periods_keep_four_digit_years_and_the_year_9999_works(dbfile: Path) -> None:
    assert earlier_period("1000-H1", "year") == "0999-H1"
    assert earlier_period("0100-Q1") == "0099-Q4"
    assert earlier_period("0002-01") == "0001-12"
    assert earlier_period("9999-H2") == "9999-H1"
    with pytest.raises(AnalysisError, match="no period before 0001-H1"):
        earlier_period("0001-h1")
    for period in ("0100-Q1", "9999-12"):
        result = run(dbfile, "analyse", "change", "--period", period, "--against", "year", "-f", "json")
        assert result.exit_code == 0, result.output
