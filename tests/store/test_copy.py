"""`db copy`: a whole tracker moved SQLite -> PostgreSQL -> SQLite, lossless and verified."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, Table, func, insert, select
from typer.testing import CliRunner

from sectracker.cli import app
from sectracker.errors import Conflict, StoreError
from sectracker.models import EventFilter
from sectracker.settings import Settings
from sectracker.store import Database, api, open_database
from sectracker.store.copy import copy_database, copy_tables, table_checksum
from sectracker.store.schema import audit_log, documents, metadata
from tests.pg_cluster import PgCluster
from tests.store.sample import sample_events

pytestmark = pytest.mark.postgres
runner = CliRunner()


@pytest.fixture
def pg(pg_url: str) -> Iterator[Database]:
    database = open_database(Settings(db=pg_url, user="tester"))
    yield database
    database.close()


def _value(column: Any, table: Table, conn: Any) -> Any:
    """A plausible value for any column; a foreign key takes a stored key of its parent."""
    for fk in column.foreign_keys:
        return conn.execute(select(fk.column).limit(1)).scalar_one()
    kind = getattr(column.type, "impl", column.type)  # UTCDateTime is a DateTime underneath
    if isinstance(kind, Boolean):
        return True
    if isinstance(kind, Integer):
        return 7  # explicit ids: the copy must move PostgreSQL's sequences past them
    if isinstance(kind, Float):
        return 1 / 3
    if isinstance(kind, DateTime):
        return datetime(2020, 2, 29, 23, 59, 58, 123456, tzinfo=UTC)
    if isinstance(kind, Date):
        return date(2020, 2, 29)
    return f"{table.name}.{column.name} ünïcode ✓"[: getattr(kind, "length", None) or 100]


def fill_tracker(db: Database) -> None:
    """Events with edits, a deleted one, a document, and one row in every other table of schema.py."""
    api.add_events(db, sample_events(), user="ana")
    api.edit_event(db, "ev-tanks", {"status": "verified"}, user="bo", expected_version=1, reason="checked")
    api.delete_event(db, "ev-undated", user="cy", reason="rejected")

    def rows(conn: Any) -> None:
        conn.execute(
            insert(documents),
            [{"id": "doc-1", "text": "The task force docked.", "fetched_at": datetime(2020, 1, 6, tzinfo=UTC)}],
        )
        for table in copy_tables():
            if conn.execute(select(func.count()).select_from(table)).scalar_one() == 0:
                conn.execute(insert(table), [{c.name: _value(c, table, conn) for c in table.columns}])

    db.write(rows)


def _counts(db: Database) -> dict[str, int]:
    with db.connect() as conn:
        return {t.name: table_checksum(conn, t)[0] for t in copy_tables()}


def test_sqlite_to_postgres_and_back(db: Database, pg: Database, tmp_path: Path) -> None:
    fill_tracker(db)
    checks = copy_database(db, pg, batch_size=3)
    assert {c.table for c in checks} == set(metadata.tables)
    assert all(c.ok and c.rows > 0 for c in checks), checks

    back = open_database(Settings(db=str(tmp_path / "back.sqlite"), user="tester"))
    back.migrate()
    checks_back = copy_database(pg, back)
    assert [(c.table, c.checksum) for c in checks_back] == [(c.table, c.checksum) for c in checks]

    for target in (pg, back):
        every = EventFilter(include_deleted=True)
        assert api.find_events(target, every, limit=None) == api.find_events(db, every, limit=None)
        assert api.event_history(target, "ev-tanks") == api.event_history(db, "ev-tanks")
        assert [e.id for e in api.find_events(target, EventFilter(text="karach"))] == ["ev-karachi"]
    back.close()


def test_the_copy_keeps_working_as_a_tracker(db: Database, pg: Database) -> None:
    fill_tracker(db)
    copy_database(db, pg)
    with pg.connect() as conn:
        last_audit = conn.execute(select(func.max(audit_log.c.id))).scalar_one()
    api.edit_event(pg, "ev-masks", {"significance": 3}, user="di", expected_version=1)
    history = api.event_history(pg, "ev-masks")
    assert history[-1].user == "di" and history[-1].id == last_audit + 1


def test_refuses_a_target_that_holds_data(db: Database, pg: Database) -> None:
    fill_tracker(db)
    copy_database(db, pg)
    before = _counts(pg)
    with pytest.raises(Conflict, match="not empty"):
        copy_database(db, pg)
    assert _counts(pg) == before


def test_refuses_a_filled_target_without_migrating_it(db: Database, pg: Database) -> None:
    pg.migrate("0001")
    with pg.engine.begin() as conn:  # a row written by the code of revision 0001
        conn.exec_driver_sql(
            "INSERT INTO events (id, headline, summary, category, date_precision, significance, highlight, status, "
            "codebook_version, created_at, updated_at, version) VALUES ('ev-1', 'h', '', 'architecture.un', 'day', "
            "3, false, 'verified', '2020.1', now(), now(), 1)"
        )
    with pytest.raises(Conflict, match="events"):
        copy_database(db, pg)
    assert pg.current_revisions() == {"0001"}


def test_refuses_an_unmigrated_source(pg: Database, tmp_path: Path) -> None:
    empty = open_database(Settings(db=str(tmp_path / "new.sqlite")))
    with pytest.raises(StoreError, match="not a sectracker database"):
        copy_database(empty, pg)
    empty.close()


def test_the_command(db: Database, pg_cluster: PgCluster) -> None:
    fill_tracker(db)
    with pg_cluster.database() as url:
        result = runner.invoke(app, ["db", "copy", "--from", str(db.settings.db), "--to", url])
        assert result.exit_code == 0, result.output
        assert "all verified" in result.output and "audit_log" in result.output
        assert pg_cluster.password not in result.output
        again = runner.invoke(app, ["--db", str(db.settings.db), "db", "copy", "--to", url])
        assert again.exit_code == 2 and "not empty" in again.output
