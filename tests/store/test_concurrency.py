"""Concurrent writers on both backends (optimistic locking holds), and a busy SQLite database."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import text

from sectracker.errors import Conflict, DatabaseBusy
from sectracker.settings import Settings
from sectracker.store import Database, api, dialect, open_database
from sectracker.store.events import update_event
from tests.store.sample import make_event


def _second_client(db: Database) -> Database:
    """Another client of the same database, with its own engine and connections (as another process)."""
    return open_database(Settings(db=db.settings.db, user="other"))


def _run_together(jobs: list[Callable[[], object]]) -> list[str]:
    """Run the jobs in threads started at once; each result is "ok" or the error's class name."""
    results: list[str] = [""] * len(jobs)
    barrier = threading.Barrier(len(jobs))

    def run(i: int) -> None:
        barrier.wait()
        try:
            jobs[i]()
            results[i] = "ok"
        except Exception as exc:  # noqa: BLE001 - the test counts every outcome
            results[i] = type(exc).__name__

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_of_two_edits_of_the_same_version_exactly_one_wins(any_db: Database) -> None:
    """Writer B reads version 1 while writer A's uncommitted edit holds the row; A commits; B must lose."""
    api.add_events(any_db, [make_event("ev-one")], user="ana")
    other = _second_client(any_db)
    outcome: list[str] = []

    def writer_b() -> None:
        try:
            api.edit_event(other, "ev-one", {"significance": 1}, user="bo", expected_version=1)
            outcome.append("ok")
        except Conflict:
            outcome.append("Conflict")

    try:
        with any_db.engine.connect() as conn:
            conn.execution_options(**{dialect.WRITE_OPTION: True})
            with conn.begin():
                update_event(conn, "ev-one", {"significance": 5}, "ana", expected_version=1)
                b = threading.Thread(target=writer_b)
                b.start()
                time.sleep(0.5)  # B is now waiting for A's lock (PostgreSQL row lock, SQLite write lock)
                assert outcome == []
            b.join(timeout=30)
    finally:
        other.close()
    assert outcome == ["Conflict"]
    got = api.get_event(any_db, "ev-one")
    assert (got.significance, got.version) == (5, 2)
    assert [h.user for h in api.event_history(any_db, "ev-one")] == ["ana", "ana"]


def test_many_concurrent_editors_one_winner_no_other_errors(any_db: Database) -> None:
    api.add_events(any_db, [make_event("ev-one")], user="ana")
    clients = [_second_client(any_db) for _ in range(6)]
    try:
        jobs: list[Callable[[], object]] = [
            partial(api.edit_event, c, "ev-one", {"significance": i % 5 + 1}, user="u", expected_version=1)
            for i, c in enumerate(clients)
        ]
        results = _run_together(jobs)
    finally:
        for c in clients:
            c.close()
    assert Counter(results) == Counter({"ok": 1, "Conflict": 5})
    assert api.get_event(any_db, "ev-one").version == 2
    assert len(api.event_history(any_db, "ev-one")) == 2


def test_concurrent_deletes_apply_once(any_db: Database) -> None:
    api.add_events(any_db, [make_event("ev-one")], user="ana")
    clients = [_second_client(any_db) for _ in range(4)]
    try:
        results = _run_together([partial(api.delete_event, c, "ev-one", user="x") for c in clients])
    finally:
        for c in clients:
            c.close()
    assert Counter(results) == Counter({"ok": 1, "Conflict": 3})
    assert [h.action for h in api.event_history(any_db, "ev-one")] == ["create", "delete"]


def test_a_busy_sqlite_database_is_retried_then_reported(tmp_path: Path) -> None:
    path = tmp_path / "busy.sqlite"
    db = open_database(Settings(db=str(path), user="tester", busy_timeout_s=0.1, busy_retries=3))
    db.migrate()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseBusy, match="stayed locked .* after 3 attempts") as err:
            api.add_events(db, [make_event("ev-one")], user="ana")
        assert 0.3 < time.monotonic() - started < 5
        assert str(path) in str(err.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    api.add_events(db, [make_event("ev-one")], user="ana")  # free again: the write goes through
    assert api.get_event(db, "ev-one").version == 1
    db.close()


def test_a_write_waits_for_a_short_lock(tmp_path: Path) -> None:
    path = tmp_path / "short.sqlite"
    db = open_database(Settings(db=str(path), user="tester", busy_timeout_s=0.1, busy_retries=5))
    db.migrate()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: holder.execute("ROLLBACK"))
    release.start()
    api.add_events(db, [make_event("ev-one")], user="ana")
    release.join()
    holder.close()
    assert api.get_event(db, "ev-one").id == "ev-one"
    db.close()


@pytest.mark.postgres
def test_a_dropped_postgres_connection_is_replaced(pg_cluster: object, pg_url: str) -> None:
    db = open_database(Settings(db=pg_url, user="tester"))
    db.migrate()
    api.add_events(db, [make_event("ev-one")], user="ana")
    admin = open_database(Settings(db=pg_url.rsplit("/", 1)[0] + "/postgres"))
    kill = "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d AND pid <> pg_backend_pid()"
    with admin.engine.begin() as conn:  # what a server restart does to open connections
        conn.execute(text(kill), {"d": pg_url.rsplit("/", 1)[1]})
    admin.close()
    api.edit_event(db, "ev-one", {"significance": 1}, user="ana")
    assert api.get_event(db, "ev-one").version == 2
    db.close()
