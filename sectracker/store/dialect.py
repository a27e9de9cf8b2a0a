"""The one adapter for database-specific SQL: full-text search and connection set-up.

SQLite uses an FTS5 table ``events_fts``; PostgreSQL uses a ``tsvector`` column in
``event_search`` with a GIN index. Everything else in the store is portable SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.sql.elements import TextClause

FTS_COLUMNS = ("headline", "summary", "sources")


def is_sqlite(bind: Connection | Engine) -> bool:
    return bind.dialect.name == "sqlite"


def configure_engine(engine: Engine, busy_timeout_s: float) -> None:
    """Turn on WAL, foreign keys and a busy timeout for every SQLite connection."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cur.close()


def create_search_index_sql(dialect: str) -> list[str]:
    """DDL for the full-text index (used by the migration)."""
    if dialect == "sqlite":
        return [
            "CREATE VIRTUAL TABLE events_fts USING fts5("
            "event_id UNINDEXED, headline, summary, sources, tokenize='porter unicode61')"
        ]
    return [
        "CREATE TABLE event_search (event_id VARCHAR(100) PRIMARY KEY "
        "REFERENCES events(id) ON DELETE CASCADE, document tsvector NOT NULL)",
        "CREATE INDEX ix_event_search_document ON event_search USING GIN (document)",
    ]


def drop_search_index_sql(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return ["DROP TABLE IF EXISTS events_fts"]
    return ["DROP TABLE IF EXISTS event_search"]


def write_search_rows(conn: Connection, rows: Sequence[dict[str, str]]) -> None:
    """Insert or replace the search rows {event_id, headline, summary, sources}."""
    if not rows:
        return
    ids = [{"event_id": r["event_id"]} for r in rows]
    if is_sqlite(conn):
        conn.execute(text("DELETE FROM events_fts WHERE event_id = :event_id"), ids)
        conn.execute(
            text(
                "INSERT INTO events_fts (event_id, headline, summary, sources) "
                "VALUES (:event_id, :headline, :summary, :sources)"
            ),
            list(rows),
        )
        return
    conn.execute(
        text(
            "INSERT INTO event_search (event_id, document) VALUES (:event_id, "
            "setweight(to_tsvector('english', :headline), 'A') || "
            "to_tsvector('english', :summary) || to_tsvector('english', :sources)) "
            "ON CONFLICT (event_id) DO UPDATE SET document = EXCLUDED.document"
        ),
        list(rows),
    )


def delete_search_rows(conn: Connection, event_ids: Iterable[str]) -> None:
    table = "events_fts" if is_sqlite(conn) else "event_search"
    params = [{"event_id": i} for i in event_ids]
    if params:
        conn.execute(text(f"DELETE FROM {table} WHERE event_id = :event_id"), params)


_WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(query: str) -> list[str]:
    """The words of a user's query; operators and punctuation are dropped, never executed."""
    return _WORD.findall(query)[:32]


def match_event_ids(conn: Connection | None, dialect: str, query: str) -> TextClause | None:
    """A sub-select of event ids whose text matches every word of `query`."""
    terms = search_terms(query)
    if not terms:
        return None
    if dialect == "sqlite":
        fts = " AND ".join('"' + t.replace('"', "") + '"*' for t in terms)
        return text("SELECT event_id FROM events_fts WHERE events_fts MATCH :fts").bindparams(fts=fts)
    tsq = " & ".join(t.replace("'", "") + ":*" for t in terms)
    return text("SELECT event_id FROM event_search WHERE document @@ to_tsquery('english', :tsq)").bindparams(tsq=tsq)
