"""The Dask engine (sectracker.distributed) and merging into stored candidates, on both engines.

A LocalCluster of 2 worker processes (1 thread each) is started once for this module; the
tests use the line-per-candidate stand-in extractor of tests/test_ingest.py, so that both
engines can be compared exactly. Faults (killed workers, database restarts, kill-and-resume)
are in tests/test_ingest_faults.py.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from sectracker.cli import app
from sectracker.errors import Conflict
from sectracker.ingest import Batch, StoredCandidates, ingest, rewrite_merged, start_ingest, write_batch
from sectracker.models import Document, Event, EventFilter, Status
from sectracker.settings import Settings
from sectracker.sources.collect import TEXT_FILE, Unread, collect
from sectracker.store import Database, api
from sectracker.store.review import accept, revert
from sectracker.store.schema import audit_log, sources
from tests.sources.conftest import make_fetcher
from tests.test_ingest import bad_inputs, counts, good_inputs, line_extractor, timing_out

distributed = pytest.importorskip("distributed", reason="the dask engine needs dask[distributed]")

from sectracker.distributed.engine import ingest_on_dask  # noqa: E402
from sectracker.distributed.tasks import extract_batch  # noqa: E402

runner = CliRunner()


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Two local worker processes of one thread, shared by this module's tests."""
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    )
    with cluster, distributed.Client(cluster) as c:
        yield c


def test_the_dask_engine_stores_what_the_single_process_engine_stores(
    client: Any, db: Database, tmp_path: Path
) -> None:
    folder = good_inputs(tmp_path / "in")
    summary = ingest_on_dask(db, [str(folder)], client, extract=line_extractor, batch_size=1)
    assert summary.ok and (summary.documents_read, summary.documents_new, summary.documents_seen) == (4, 3, 1)
    assert summary.candidates == 4 and summary.batches == 4
    assert counts(db) == {"documents": 3, "events": 4, "sources": 4}
    again = ingest_on_dask(db, [str(folder)], client, extract=line_extractor)
    assert (again.documents_new, again.documents_seen, again.candidates) == (0, 4, 0)
    assert counts(db) == {"documents": 3, "events": 4, "sources": 4}


def test_bad_input_fails_the_same_way_on_both_engines(client: Any, db: Database, tmp_path: Path) -> None:
    inputs = bad_inputs(tmp_path / "bad")
    settings = Settings(db=db.settings.db, max_file_bytes=5000, fetch_timeout_s=1)
    fetcher = make_fetcher(timing_out, settings)
    on_dask = ingest_on_dask(db, inputs, client, settings, fetcher=fetcher, extract=line_extractor, batch_size=2)
    single = ingest(db, inputs, settings, fetcher=fetcher, extract=line_extractor)
    assert len(on_dask.failures) == 8
    assert sorted(map(str, on_dask.failures)) == sorted(map(str, single.failures))
    assert sorted(on_dask.warnings) == sorted(single.warnings)
    assert (on_dask.documents_read, on_dask.documents_new, on_dask.candidates) == (3, 3, 3)


def fragile_extractor(doc: Document, published: date | None) -> list[Event]:
    if doc.title == "Notes":
        raise ValueError("stage 'dates' broke")
    return line_extractor(doc, published)


def test_an_extraction_error_on_a_worker_is_a_recorded_failure(client: Any, db: Database, tmp_path: Path) -> None:
    folder = good_inputs(tmp_path / "in")
    summary = ingest_on_dask(db, [str(folder)], client, extract=fragile_extractor)
    assert [(f.source, f.reason) for f in summary.failures] == [
        (str(folder / "b.md"), "extraction failed: ValueError: stage 'dates' broke")
    ]
    assert summary.documents_new == 3 and summary.candidates == 3


def test_a_reader_bug_on_a_worker_fails_its_record_not_the_batch() -> None:
    (bad, good) = (Unread("no-such-kind", "x.txt", b"China."), Unread(TEXT_FILE, "y.txt", b"China sent ships."))
    result = extract_batch([bad, good], line_extractor)
    assert [(c.source, c.reason) for c in result.read] == [
        ("x.txt", "reading failed: ValueError: unknown kind of unread record 'no-such-kind'"),
        ("y.txt", None),
    ]
    assert [len(o) for o in result.outcomes] == [1]


def test_progress_reports_every_record_once(client: Any, db: Database, tmp_path: Path) -> None:
    seen: list[str] = []
    ingest_on_dask(
        db,
        [str(good_inputs(tmp_path / "in"))],
        client,
        extract=line_extractor,
        progress=lambda i: seen.append(i.source),
    )
    assert len(seen) == 4


# --- merging candidates into stored candidates (both engines, both backends) --------------


def dated_extractor(doc: Document, published: date | None) -> list[Event]:
    """The line extractor with every candidate dated 2020-03-10 and about Italy."""
    return [
        e.model_copy(update={"date_start": date(2020, 3, 10), "date_end": date(2020, 3, 10), "countries": ["ITA"]})
        for e in line_extractor(doc, published)
    ]


def two_reports(folder: Path) -> tuple[Path, Path]:
    """The same donation reported by two outlets, in words close enough to be one occurrence."""
    folder.mkdir()
    (folder / "first.txt").write_text("China donated 30 tonnes of masks to Italy.\n")
    (folder / "second.txt").write_text("Today China donated 30 tonnes of masks to Italy.\n")
    return folder / "first.txt", folder / "second.txt"


@pytest.fixture(params=["single", "dask"])
def run_ingest(request: pytest.FixtureRequest) -> Any:
    if request.param == "single":
        return lambda db, inputs: ingest(db, inputs, extract=dated_extractor)
    client = request.getfixturevalue("client")
    return lambda db, inputs: ingest_on_dask(db, inputs, client, extract=dated_extractor)


def test_a_second_report_of_a_stored_candidate_is_merged_into_it(
    any_db: Database, tmp_path: Path, run_ingest: Any
) -> None:
    first, second = two_reports(tmp_path / "in")
    run_ingest(any_db, [str(first)])
    summary = run_ingest(any_db, [str(second)])
    assert (summary.documents_new, summary.candidates, summary.merged) == (1, 0, 1)
    assert counts(any_db) == {"documents": 2, "events": 1, "sources": 2}
    (event,) = api.find_events(any_db, EventFilter(), limit=None)
    assert event.version == 2 and event.status == Status.candidate
    assert {s.evidence.text for s in event.sources if s.evidence} == {
        "China donated 30 tonnes of masks to Italy.",
        "Today China donated 30 tonnes of masks to Italy.",
    }
    with any_db.connect() as conn:
        actions = list(conn.execute(select(audit_log.c.action).order_by(audit_log.c.id)).scalars())
    assert actions == ["ingest", "ingest-merge"]
    again = run_ingest(any_db, [str(first), str(second)])
    assert (again.candidates, again.merged) == (0, 0) and counts(any_db)["sources"] == 2
    # a reviewer can undo the merge like any audited edit
    merge_entry = api.event_history(any_db, event.id)[-1]
    assert merge_entry.action == "ingest-merge" and merge_entry.reason == f"ingest run {summary.run_id}"
    (reverted,) = revert(any_db, merge_entry.id or 0, user="reviewer")
    assert len(reverted.sources) == 1 and reverted.version == 3


def test_candidates_a_run_remembers_are_the_stored_ones_until_edited(any_db: Database, tmp_path: Path) -> None:
    known = StoredCandidates()
    summary = start_ingest(any_db, ["test"])
    for path in two_reports(tmp_path / "in"):
        (item,) = collect([str(path)], Settings())
        assert item.document is not None
        batch = Batch(documents=[item.document], candidates=dated_extractor(item.document, None))
        write_batch(any_db, batch, summary, "tester", known)
        (stored,) = api.find_events(any_db, EventFilter(), limit=None)
        assert known.get(stored.id, stored.version, stored.updated_at) == stored  # added, then merged into
    assert summary.merged == 1
    edited = api.edit_event(any_db, stored.id, {"headline": "Masks for Italy"}, user="reviewer")
    assert known.get(edited.id, edited.version, edited.updated_at) is None


def test_a_candidate_edited_while_ingest_merges_into_it_is_a_conflict(db: Database, tmp_path: Path) -> None:
    first, second = two_reports(tmp_path / "in")
    ingest(db, [str(first)], extract=dated_extractor)
    (stored,) = api.find_events(db, EventFilter(), limit=None)
    merged = stored.model_copy(update={"headline": "China donated masks to Italy"})
    api.edit_event(db, stored.id, {"headline": "Masks for Italy"}, user="reviewer")
    with pytest.raises(Conflict, match=f"event '{stored.id}' was changed by someone else"):
        db.write(lambda conn: rewrite_merged(conn, [(stored, merged)], "tester", reason="test"))
    assert api.get_event(db, stored.id).headline == "Masks for Italy"


def test_a_verified_event_is_never_changed_a_new_report_becomes_a_candidate(any_db: Database, tmp_path: Path) -> None:
    first, second = two_reports(tmp_path / "in")
    ingest(any_db, [str(first)], extract=dated_extractor)
    (stored,) = api.find_events(any_db, EventFilter(), limit=None)
    verified = accept(any_db, stored.id, user="reviewer")
    summary = ingest(any_db, [str(second)], extract=dated_extractor)
    assert (summary.candidates, summary.merged) == (1, 0)
    assert api.get_event(any_db, stored.id) == verified


def test_undated_candidates_are_not_merged_across_documents(db: Database, tmp_path: Path) -> None:
    first, second = two_reports(tmp_path / "in")
    summary = ingest(db, [str(first), str(second)], extract=line_extractor)
    assert (summary.candidates, summary.merged) == (2, 0)


def test_reports_in_one_batch_are_merged_with_one_another(db: Database, tmp_path: Path) -> None:
    first, second = two_reports(tmp_path / "in")
    summary = ingest(db, [str(first), str(second)], extract=dated_extractor)
    assert (summary.candidates, summary.merged) == (1, 1)
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(sources)).scalar_one() == 2


# --- the command --------------------------------------------------------------------------


def cli(db: Path, *args: str) -> Any:
    return runner.invoke(app, ["--db", str(db), *args], env={"COLUMNS": "200"})


def test_the_command_runs_on_an_existing_scheduler(client: Any, tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    assert cli(path, "init").exit_code == 0
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("On March 21, China donated 62,000 masks to the Serbian Armed Forces.\n")
    (folder / "b.txt").write_text("On April 8, the PLA Navy hospital ship Peace Ark arrived in Dili.\n")
    address = client.scheduler.address
    args = ["ingest", str(folder), "--engine", "dask", "--scheduler", address, "--batch-size", "1", "--json"]
    first = cli(path, *args)
    assert first.exit_code == 0, first.output
    summary = json.loads(first.stdout)
    assert (summary["documents_new"], summary["failures"]) == (2, []) and summary["candidates"] >= 1
    second = json.loads(cli(path, *args).stdout)
    assert (second["documents_seen"], second["candidates"], second["merged"]) == (2, 0, 0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--workers", "2"], "--scheduler and --workers need --engine dask"),
        (["--engine", "dask", "--workers", "2", "--scheduler", "tcp://h:1"], "not both"),
        (["--engine", "dask", "--scheduler", "example.org:8786"], "looks like tcp://HOST:PORT"),
        (["--engine", "threads"], "Invalid value"),
    ],
    ids=["workers-without-dask", "both", "bad-address", "unknown-engine"],
)
def test_engine_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    path = tmp_path / "t.sqlite"
    cli(path, "init")
    (tmp_path / "a.txt").write_text("China.\n")
    result = cli(path, "ingest", str(tmp_path / "a.txt"), *args)
    assert result.exit_code == 2 and message in result.output
