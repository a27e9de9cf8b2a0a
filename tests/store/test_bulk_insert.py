"""Bulk writes through the driver store every value exactly as SQLAlchemy's own insert does;
bulk loads (indexes rebuilt) store exactly what row-by-row inserts store, or nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, inspect, select, text

from sectracker.errors import Conflict, StoreError
from sectracker.models import Event, EventFilter
from sectracker.store import Database, api, dialect
from sectracker.store.events import EVENT_COLUMNS, event_values, stamp
from sectracker.store.schema import CHILD_TABLES, audit_log, events, sources
from tests.store.sample import make_event, sample_events


def _audit_rows(first_id: int) -> list[dict[str, object]]:
    """Rows sharing some timestamps (equal instants in other zones too), and none."""
    plus8 = timezone(timedelta(hours=8))
    at = [
        datetime(2026, 1, 1, tzinfo=UTC),
        datetime(2026, 1, 1, 8, tzinfo=plus8),  # the same instant as the first
        datetime(2025, 6, 30, 23, 59, 59, 999999, tzinfo=UTC),
        datetime(2026, 1, 1, tzinfo=UTC),
    ]
    return [
        {"id": first_id + i, "event_id": f"ev-{i}", "action": "create", "user": "ana", "at": a,
         "before": None, "after": '{"id": 1}', "reason": None}
        for i, a in enumerate(at)
    ]  # fmt: skip


def _stored(db: Database, sql: str) -> list[tuple[object, ...]]:
    """Rows as the database holds them (text for SQLite timestamps, not read back through the model)."""
    with db.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


def test_bulk_insert_stores_timestamps_as_sqlalchemy_does(any_db: Database) -> None:
    with any_db.engine.begin() as conn:
        dialect.bulk_insert(conn, audit_log, _audit_rows(1))
        conn.execute(insert(audit_log), _audit_rows(101))
    rows = _stored(any_db, 'SELECT id, event_id, "at" FROM audit_log ORDER BY id')
    bulk = [r[1:] for r in rows if int(r[0]) < 100]  # type: ignore[call-overload]
    orm = [r[1:] for r in rows if int(r[0]) > 100]  # type: ignore[call-overload]
    assert bulk == orm and len(bulk) == 4
    with any_db.connect() as conn:
        at = list(conn.execute(select(audit_log.c.at).order_by(audit_log.c.id)).scalars())
    assert at[0] == at[1] == datetime(2026, 1, 1, tzinfo=UTC)


def test_bulk_insert_stores_dates_and_nulls_as_sqlalchemy_does(any_db: Database) -> None:
    api.add_events(any_db, [make_event("ev-a"), make_event("ev-b")], user="ana")

    def rows(event_id: str) -> list[dict[str, object]]:
        published = [date(2020, 1, 2), None, date(2020, 1, 2), date(2021, 12, 31)]
        return [
            {"event_id": event_id, "position": i, "title": "T", "publisher": None, "url": None, "published": p,
             "document_id": None, "ev_start": None, "ev_end": None, "ev_text": None}
            for i, p in enumerate(published)
        ]  # fmt: skip

    with any_db.engine.begin() as conn:
        dialect.bulk_insert(conn, sources, rows("ev-a"))
        conn.execute(insert(sources), rows("ev-b"))
    sql = "SELECT position, published, publisher FROM sources WHERE event_id = '{}' ORDER BY position"
    bulk, orm = _stored(any_db, sql.format("ev-a")), _stored(any_db, sql.format("ev-b"))
    assert bulk == orm and len(bulk) == 4
    assert bulk[1][1:] == (None, None)


# --- bulk loading: a large import into a small store (indexes rebuilt, bigger buffers) ---------


def _schema(db: Database) -> list[tuple[object, ...]]:
    """Every table, index and trigger as declared (SQLite: its own DDL), or the indexes (PostgreSQL)."""
    with db.connect() as conn:
        if db.dialect == "sqlite":
            return sorted(tuple(r) for r in conn.exec_driver_sql("SELECT type, name, tbl_name, sql FROM sqlite_master"))
        found = inspect(conn)
        return sorted(
            (t, ix["name"], *ix["column_names"]) for t in found.get_table_names() for ix in found.get_indexes(t)
        )


def _index_roots(db: Database) -> dict[str, int]:
    """Where each SQLite index starts in the file: a rebuilt index starts elsewhere (nothing on PostgreSQL)."""
    if db.dialect != "sqlite":
        return {}
    with db.connect() as conn:
        return dict(conn.exec_driver_sql("SELECT name, rootpage FROM sqlite_master WHERE type = 'index'").all())


def _contents(db: Database) -> dict[str, list[tuple[object, ...]]]:
    with db.connect() as conn:
        out = {t.name: sorted(tuple(r) for r in conn.execute(select(t))) for t in (events, *CHILD_TABLES, audit_log)}
        if db.dialect == "sqlite":
            out["events_fts"] = sorted(tuple(r) for r in conn.exec_driver_sql("SELECT rowid, * FROM events_fts"))
            out["events_fts_config"] = sorted(tuple(r) for r in conn.exec_driver_sql("SELECT * FROM events_fts_config"))
        return out


def _batch() -> list[Event]:
    extra = [
        make_event(f"ev-{i:03d}", countries=["PAK", "NGA"][: i % 3], tags=["navy"] * (i % 2), summary=f"drill {i}")
        for i in range(40)
    ]
    return sample_events() + extra


def test_a_bulk_load_stores_what_row_by_row_inserts_store(
    any_db: Database, another_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema, roots = _schema(any_db), _index_roots(any_db)
    monkeypatch.setattr(dialect, "BULK_LOAD_MIN_ROWS", 1)
    api.add_events(any_db, _batch(), user="ana")
    monkeypatch.setattr(dialect, "BULK_LOAD_MIN_ROWS", 10**9)
    api.add_events(another_db, _batch(), user="ana")

    assert _contents(any_db) == _contents(another_db)
    assert _schema(any_db) == schema  # indexes made again exactly as the migrations made them
    if any_db.dialect == "sqlite":
        assert _index_roots(any_db)["ix_events_date"] != roots["ix_events_date"]  # ...and they were rebuilt
        assert _index_roots(another_db)["ix_events_date"] == roots["ix_events_date"]
    for words in ("karachi", "drill", "ministry release"):
        found = [e.id for e in api.find_events(any_db, EventFilter(text=words), sort="id", limit=None)]
        assert found and found == [e.id for e in api.find_events(another_db, EventFilter(text=words), sort="id")]
    since_march = EventFilter(date_from=date(2020, 3, 1))  # counted from the rebuilt covering date index
    assert api.count_events(any_db, since_march) == api.count_events(another_db, since_march) == 45


def test_a_failed_bulk_load_leaves_the_store_as_it_was(any_db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    api.add_events(any_db, [make_event("ev-last")], user="ana")
    schema, contents = _schema(any_db), _contents(any_db)
    monkeypatch.setattr(dialect, "BULK_LOAD_MIN_ROWS", 1)
    many = [make_event(f"ev-{i:05d}") for i in range(api.BATCH + 10)] + [make_event("ev-last")]
    with pytest.raises(Conflict, match="ev-last"):
        api.add_events(any_db, many, user="ana")
    assert _schema(any_db) == schema
    assert _contents(any_db) == contents
    if any_db.dialect == "sqlite":
        with any_db.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar_one() == -65536  # the connection's own again
    api.add_events(any_db, [make_event("ev-after", headline="Talks after the failure")], user="ana")
    assert [e.id for e in api.find_events(any_db, EventFilter(text="failure"))] == ["ev-after"]


def test_a_store_holding_more_events_than_the_import_keeps_its_indexes(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.add_events(db, [make_event(f"ev-{i:03d}") for i in range(20)], user="ana")
    roots = _index_roots(db)
    monkeypatch.setattr(dialect, "BULK_LOAD_MIN_ROWS", 1)
    api.add_events(db, [make_event(f"ev-new-{i:03d}") for i in range(19)], user="ana")
    assert _index_roots(db) == roots
    api.add_events(db, [make_event(f"ev-more-{i:03d}") for i in range(39)], user="ana")
    assert _index_roots(db) != roots


def test_a_bulk_insert_that_breaks_a_rule_of_the_schema_is_reported_as_the_store_reports_any_other(
    any_db: Database,
) -> None:
    api.add_events(any_db, [make_event("ev-kept")], user="ana")
    at = datetime(2026, 1, 1, tzinfo=UTC)
    again = event_values(stamp(make_event("ev-kept"), at, "1"))
    with pytest.raises(Conflict, match="clashes with stored data"):
        any_db.write(lambda conn: dialect.insert_values(conn, events, EVENT_COLUMNS, [again]))
    unnamed = event_values(stamp(make_event("ev-new"), at, "1").model_copy(update={"headline": None}))
    with pytest.raises(StoreError, match="breaks a rule of the schema"):  # a headline is required
        any_db.write(lambda conn: dialect.insert_values(conn, events, EVENT_COLUMNS, [unnamed]))
    assert [e.id for e in api.find_events(any_db, EventFilter())] == ["ev-kept"]
