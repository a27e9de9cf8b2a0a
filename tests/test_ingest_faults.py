"""Ingest under faults: workers killed, the database restarted, the run killed and resumed,
a scheduler that does not answer, wrong database credentials.

Each test checks the promise a user relies on: the job finishes (now, or when run again)
with exactly the documents and candidates of one clean run, or stops with a clear message.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from sectracker import ingest as ingest_module
from sectracker.cli import app
from sectracker.errors import DatabaseBusy
from sectracker.ingest import ingest
from sectracker.models import Document, Event
from sectracker.settings import Settings
from sectracker.store import Database, open_database
from sectracker.store.schema import documents, sources
from tests.pg_cluster import PgCluster
from tests.test_ingest import counts, good_inputs, line_extractor

distributed = pytest.importorskip("distributed", reason="the dask engine needs dask[distributed]")
dask = pytest.importorskip("dask")

from sectracker.distributed.engine import ingest_on_dask  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """Two local worker processes; a task may kill its worker once and be run again (then KilledWorker)."""
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        cluster = distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.CRITICAL
        )
    with cluster, distributed.Client(cluster) as c:
        yield c


def many_inputs(folder: Path, n: int) -> Path:
    """n small documents, each with one line about China (one candidate each)."""
    folder.mkdir()
    for i in range(n):
        (folder / f"{i:04d}.txt").write_text(f"Report {i}.\nChina sent {i + 1} engineers to Djibouti.\n")
    return folder


def clean_counts(tmp_path: Path, inputs: list[str]) -> dict[str, int]:
    """What one uninterrupted single-process run stores."""
    db = open_database(Settings(db=str(tmp_path / "clean.sqlite"), user="tester"))
    db.migrate()
    try:
        ingest(db, inputs, extract=line_extractor)
        return counts(db)
    finally:
        db.close()


def assert_no_duplicates(db: Database) -> None:
    with db.connect() as conn:
        total = conn.execute(select(func.count()).select_from(sources)).scalar_one()
        spans = select(sources.c.document_id, sources.c.ev_start, sources.c.ev_end).distinct().subquery()
        assert conn.execute(select(func.count()).select_from(spans)).scalar_one() == total


# --- a worker killed mid-batch ----------------------------------------------------------------


def dying_once(doc: Document, published: date | None, *, marker: str) -> list[Event]:
    """Kills its worker process on the document about 7 engineers, the first time only."""
    if "7 engineers" in doc.text and not os.path.exists(marker):
        Path(marker).touch()
        os._exit(1)
    return line_extractor(doc, published)


def dying_always(doc: Document, published: date | None) -> list[Event]:
    """Kills its worker process on the document about 7 engineers, every time (a poison document)."""
    if "7 engineers" in doc.text:
        os._exit(1)
    return line_extractor(doc, published)


def test_a_worker_killed_mid_batch_is_replaced_and_the_batch_run_again(
    client: Any, db: Database, tmp_path: Path
) -> None:
    inputs = [str(many_inputs(tmp_path / "in", 20))]
    marker = tmp_path / "killed-once"
    summary = ingest_on_dask(db, inputs, client, extract=partial(dying_once, marker=str(marker)), batch_size=5)
    assert marker.exists()  # a worker did die
    assert summary.ok and summary.documents_new == 20 and summary.candidates == 20
    assert counts(db) == clean_counts(tmp_path, inputs)
    assert_no_duplicates(db)


def test_a_document_that_always_kills_its_worker_is_a_failure_and_the_rest_is_stored(
    client: Any, db: Database, tmp_path: Path
) -> None:
    folder = many_inputs(tmp_path / "in", 10)
    summary = ingest_on_dask(db, [str(folder)], client, extract=dying_always, batch_size=5)
    assert [f.source for f in summary.failures] == [str(folder / "0006.txt")]
    assert "the worker process died on this document" in summary.failures[0].reason
    assert summary.documents_new == 10 and summary.candidates == 9
    assert counts(db) == {"documents": 10, "events": 9, "sources": 9}


# --- the database restarted during ingestion (PostgreSQL) -----------------------------------


def stop_server(cluster: PgCluster) -> None:
    cluster._run("pg_ctl", "-D", str(cluster.data), "-m", "fast", "-w", "stop")


def restart_after_first_batch(cluster: PgCluster, down_s: float) -> tuple[Any, list[threading.Thread]]:
    """A progress callback that stops the server after the first batch; it starts again `down_s` later."""
    started: list[threading.Thread] = []

    def progress(item: Any) -> None:
        if not started:
            stop_server(cluster)
            timer = threading.Timer(down_s, cluster._start_server)
            timer.start()
            started.append(timer)

    return progress, started


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    database = open_database(Settings(db=pg_url, user="tester"))
    database.migrate()
    yield database
    database.close()


@pytest.mark.postgres
def test_a_database_restart_is_waited_out_and_the_run_goes_on(
    client: Any, pg_cluster: PgCluster, pg_db: Database, tmp_path: Path
) -> None:
    inputs = [str(many_inputs(tmp_path / "in", 12))]
    progress, timers = restart_after_first_batch(pg_cluster, down_s=2.0)
    try:
        summary = ingest_on_dask(pg_db, inputs, client, extract=line_extractor, batch_size=3, progress=progress)
    finally:
        for t in timers:
            t.join()
    assert timers and summary.ok and summary.documents_new == 12
    assert summary.write_seconds > 1.5  # the writer did wait for the server to come back
    assert counts(pg_db) == clean_counts(tmp_path, inputs)
    assert_no_duplicates(pg_db)


@pytest.mark.postgres
def test_a_database_down_too_long_stops_the_run_clearly_and_it_resumes_later(
    client: Any, pg_cluster: PgCluster, pg_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "STORE_PATIENCE_S", 1.0)
    inputs = [str(many_inputs(tmp_path / "in", 12))]
    progress, timers = restart_after_first_batch(pg_cluster, down_s=4.0)
    try:
        with pytest.raises(DatabaseBusy, match="could not be reached for 1 s.*run the same ingest again"):
            ingest_on_dask(pg_db, inputs, client, extract=line_extractor, batch_size=3, progress=progress)
    finally:
        for t in timers:
            t.join()
    assert 0 < counts(pg_db)["documents"] < 12
    again = ingest_on_dask(pg_db, inputs, client, extract=line_extractor, batch_size=3)
    assert again.ok and again.documents_seen > 0
    assert counts(pg_db) == clean_counts(tmp_path, inputs)
    assert_no_duplicates(pg_db)


# --- the run killed and run again ------------------------------------------------------------


def slow_extractor(doc: Document, published: date | None) -> list[Event]:
    time.sleep(0.05)
    return line_extractor(doc, published)


def ingest_slowly(db_path: str, folder: str) -> None:
    """The run the kill-and-resume test kills: 2 local workers, batches of 5, 50 ms a document."""
    from sectracker.distributed.cluster import DaskOptions, dask_client

    db = open_database(Settings(db=db_path, user="tester"))
    with dask_client(DaskOptions(workers=2)) as c:
        ingest_on_dask(db, [folder], c, extract=slow_extractor, batch_size=5)


def stored_documents(db_path: Path) -> int:
    import sqlite3

    try:
        with sqlite3.connect(db_path, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.OperationalError:
        return 0


def test_a_run_killed_halfway_finishes_when_run_again_with_nothing_twice(
    client: Any, db: Database, db_path: Path, tmp_path: Path
) -> None:
    folder = many_inputs(tmp_path / "in", 200)
    script = f"from tests.test_ingest_faults import ingest_slowly; ingest_slowly({str(db_path)!r}, {str(folder)!r})"
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while stored_documents(db_path) < 30 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert proc.poll() is None, "the run ended before it could be killed"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the client and its local workers, at once
        proc.wait()
    halfway = stored_documents(db_path)
    assert 30 <= halfway < 200 and halfway % 5 == 0  # whole batches only
    summary = ingest_on_dask(db, [str(folder)], client, extract=line_extractor, batch_size=5)
    assert summary.ok and summary.documents_seen == halfway and summary.documents_new == 200 - halfway
    assert counts(db) == clean_counts(tmp_path, [str(folder)])
    assert_no_duplicates(db)


# --- clear errors ---------------------------------------------------------------------------


def test_a_scheduler_that_does_not_answer_is_a_clear_error_within_seconds(tmp_path: Path) -> None:
    path = tmp_path / "t.sqlite"
    assert runner.invoke(app, ["--db", str(path), "init"]).exit_code == 0
    folder = good_inputs(tmp_path / "in")
    started = time.monotonic()
    result = runner.invoke(
        app, ["--db", str(path), "ingest", str(folder), "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1"]
    )
    assert time.monotonic() - started < 15
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1 within 5 s" in result.output
    assert "Traceback" not in result.output
    db = open_database(Settings(db=str(path)))
    try:
        with db.connect() as conn:
            assert conn.execute(select(func.count()).select_from(documents)).scalar_one() == 0
    finally:
        db.close()


def test_a_scheduler_without_workers_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from sectracker.distributed import cluster as cluster_module
    from sectracker.errors import ConfigError

    monkeypatch.setattr(cluster_module, "WORKERS_TIMEOUT_S", 1.0)
    with distributed.LocalCluster(n_workers=0, dashboard_address=None, silence_logs=logging.CRITICAL) as empty:
        options = cluster_module.DaskOptions(scheduler=empty.scheduler_address)
        with (
            pytest.raises(ConfigError, match="has no workers after 1 s; start some with `dask worker tcp://"),
            cluster_module.dask_client(options),
        ):
            pass


@pytest.mark.postgres
def test_wrong_database_credentials_are_a_clear_error_without_traceback(pg_cluster: PgCluster, tmp_path: Path) -> None:
    folder = good_inputs(tmp_path / "in")
    url = pg_cluster.url(password="not-the-password")
    command = [str(Path(sys.executable).parent / "sectracker"), "--db", url, "ingest", str(folder), "--engine", "dask"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 2
    assert "password authentication failed for user" in done.stderr
    assert "not-the-password" not in done.stderr + done.stdout
    assert "Traceback" not in done.stderr
