"""Bulk writes through the driver store every value exactly as SQLAlchemy's own insert does."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import insert, select, text

from sectracker.store import Database, api, dialect
from sectracker.store.schema import audit_log, sources
from tests.store.sample import make_event


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
