"""The one adapter for database-specific SQL: full-text search and connection set-up.

SQLite uses an FTS5 table ``events_fts``; PostgreSQL a ``tsvector`` column ``events.document``
with a GIN index (migration 0007; revision 0001 made a separate ``event_search`` table). Everything
else in the store is portable SQL.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Boolean, Connection, Date, DateTime, Engine, String, Table, event, func, literal_column, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeEngine

FTS_COLUMNS = ("headline", "summary", "sources")


def is_sqlite(bind: Connection | Engine) -> bool:
    return bind.dialect.name == "sqlite"


WRITE_OPTION = "sectracker_write"
"""Execution option marking a connection that will write: SQLite then takes the write lock at BEGIN."""


def configure_engine(engine: Engine, busy_timeout_s: float) -> None:
    """Turn on WAL, foreign keys and a busy timeout for every SQLite connection.

    Python's sqlite3 module starts transactions only before INSERT/UPDATE/DELETE, so
    reads and DDL ran outside them. We take over: every transaction starts with BEGIN,
    and a write transaction with BEGIN IMMEDIATE, so that its reads and writes are one
    atomic unit and a busy database is detected (and retried) at the start.
    """
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _utc_session)
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        # The default 2 MB page cache makes index inserts hit the disk once a table
        # passes ~100k rows; 64 MB keeps the hot index pages of a large tracker in memory.
        cur.execute("PRAGMA cache_size=-65536")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")


def _utc_session(dbapi_conn: Any, _record: Any) -> None:
    """PostgreSQL sessions in UTC: timestamps without an offset mean UTC, as in SQLite."""
    autocommit = dbapi_conn.autocommit
    dbapi_conn.autocommit = True
    with dbapi_conn.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")
    dbapi_conn.autocommit = autocommit


def set_foreign_keys(conn: Connection, on: bool) -> None:
    """Switch SQLite's foreign-key enforcement (only possible outside a transaction).

    Migrations run with it off: rebuilding a table in batch mode drops the old one,
    which would otherwise cascade-delete every child row.
    """
    if is_sqlite(conn):
        dbapi = conn.connection.driver_connection
        dbapi.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")  # type: ignore[union-attr]


def bulk_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows through the driver's executemany, skipping per-row SQL compilation.

    SQLAlchemy's per-row parameter processing dominated large imports; the driver
    takes plain tuples. Values must already be driver-ready (dates, numbers, text).
    """
    if not rows:
        return
    columns = list(rows[0])
    insert_values(conn, table, columns, list(map(_row_getter(columns), rows)))


def insert_values(conn: Connection, table: Table, columns: Sequence[str], values: Sequence[Sequence[Any]]) -> None:
    """bulk_insert for rows given as tuples of values in the order of `columns`."""
    if not values:
        return
    marks = ["?" if conn.dialect.paramstyle == "qmark" else "%s"] * len(columns)
    if is_sqlite(conn):
        values = _sqlite_values(table, columns, values)
        values, marks = _nulls_inline(values, marks)
    names = ", ".join(_quoted(c) for c in columns)
    sql = f"INSERT INTO {table.name} ({names}) VALUES ({', '.join(marks)})"
    _executemany(conn, sql, values)


def _nulls_inline(values: Sequence[Sequence[Any]], marks: list[str]) -> tuple[Sequence[Sequence[Any]], list[str]]:
    """Columns that are NULL in every row as a NULL in the statement instead of a parameter.

    Python's sqlite3 passes every None through its adapter lookup, about a microsecond
    each, and an event's rows hold a dozen empty optional fields.
    """
    empty = [i for i in range(len(marks)) if all(row[i] is None for row in values)]
    if not empty:
        return values, marks
    kept = [i for i in range(len(marks)) if i not in empty]
    if not kept:
        return [()] * len(values), ["NULL"] * len(marks)
    pick = _row_getter(kept)
    return list(map(pick, values)), ["NULL" if i in empty else m for i, m in enumerate(marks)]


def _row_getter(keys: Sequence[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving a row's values at `keys` (names of a dict, positions of a tuple), always as a tuple."""
    get = itemgetter(*keys)
    return get if len(keys) > 1 else lambda row: (get(row),)


def _executemany(conn: Connection, sql: str, values: Sequence[Sequence[Any]]) -> None:
    """One statement for many rows on the driver's own cursor (no SQLAlchemy per-row work).

    The driver's errors are raised as SQLAlchemy's, as from any other statement, so that
    Database.write turns a clash into a Conflict and retries a locked database.
    """
    dbapi = conn.dialect.loaded_dbapi
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, values)
    except dbapi.Error as exc:
        raise DBAPIError.instance(sql, None, exc, dbapi.Error, dialect=conn.dialect, ismulti=True) from exc
    finally:
        cursor.close()


def _sqlite_values(table: Table, columns: Sequence[str], values: Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
    """Rows with their date and datetime values as SQLite stores them.

    Each distinct value is converted once per call: a batch shares its timestamps.
    """
    converters = [(i, f) for i, c in enumerate(columns) if (f := _sqlite_converter(table.c[c].type))]
    if not converters:
        return values
    rows = [list(v) for v in values]
    for i, convert in converters:
        done: dict[Any, Any] = {None: None}
        for row in rows:
            value = row[i]
            if value not in done:
                done[value] = convert(value)
            row[i] = done[value]
    return rows


def _quoted(column: str) -> str:
    return f'"{column}"'


def _sqlite_converter(column_type: Any) -> Callable[[Any], Any] | None:
    """How SQLite stores a column's Python values: dates and datetimes as ISO text (UTC, naive).

    Booleans become the integers SQLite stores anyway, which the driver binds without an adapter lookup.
    """
    column_type = getattr(column_type, "impl", column_type)  # a TypeDecorator such as UTCDateTime
    if isinstance(column_type, DateTime):
        return _sqlite_datetime
    if isinstance(column_type, Date):
        return _sqlite_date
    if isinstance(column_type, Boolean):
        return int
    return None


def _sqlite_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    # Exactly SQLAlchemy's format (always with microseconds): the stored text is compared and sorted.
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


BULK_LOAD_MIN_ROWS = 10_000
"""Fewer new events than this are written with the indexes in place (dropping them saves less than it costs)."""

BULK_CACHE_KIB = 1024 * 1024
FTS_BULK_HASH_SIZE = 64 * 1024 * 1024
FTS_DEFAULT_HASH_SIZE = 1024 * 1024  # FTS5's own default (FTS5_DEFAULT_HASHSIZE)


@contextmanager
def bulk_loading(conn: Connection, tables: Sequence[Table], rows: int) -> Iterator[None]:
    """Write `rows` new rows of tables[0], with their rows in the other tables, faster; in the caller's transaction.

    SQLite, when the new rows are at least as many as the stored ones: the tables' plain
    indexes are dropped and made again at the end by one sort each, from the statements
    stored in the database (the migrations' own DDL, so the schema ends as it was); the
    full-text index holds up to 64 MB of new terms in memory before it writes them (a few
    large segments instead of hundreds of small ones merged again and again); and the page
    cache may grow to 1 GB, so that pages written once are not written out and read back
    before the commit. SQLite's DDL is transactional: after an error the caller's rollback
    restores all of it. Elsewhere, and for smaller loads, nothing changes.
    """
    if not is_sqlite(conn) or rows < BULK_LOAD_MIN_ROWS or _has_more_rows(conn, tables[0], rows):
        yield
        return
    indexes = _plain_indexes(conn, [t.name for t in tables])
    for name, _ in indexes:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    before = _set_fts_hash_size(conn, FTS_BULK_HASH_SIZE)
    with _page_cache(conn, BULK_CACHE_KIB):
        yield
        for _, sql in indexes:
            conn.exec_driver_sql(sql)
    _set_fts_hash_size(conn, before)


@contextmanager
def _page_cache(conn: Connection, kib: int) -> Iterator[None]:
    """A larger page cache for this connection meanwhile (a setting of the connection, not of the database)."""
    before = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
    conn.exec_driver_sql(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size = {before}")


def _has_more_rows(conn: Connection, table: Table, n: int) -> bool:
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {table.name} LIMIT ?)"
    return int(conn.exec_driver_sql(sql, (n + 1,)).scalar_one()) > n


def _plain_indexes(conn: Connection, tables: Sequence[str]) -> list[tuple[str, str]]:
    """(name, CREATE statement) of each index on these tables that enforces nothing (no key, not unique)."""
    marks = ", ".join("?" * len(tables))
    sql = (
        "SELECT m.name, m.sql FROM sqlite_master m JOIN pragma_index_list(m.tbl_name) i ON i.name = m.name "
        f"WHERE m.type = 'index' AND i.origin = 'c' AND NOT i.\"unique\" AND m.tbl_name IN ({marks}) ORDER BY m.rowid"
    )
    return [(name, ddl) for name, ddl in conn.exec_driver_sql(sql, tuple(tables))]


def _set_fts_hash_size(conn: Connection, size: int | None) -> int | None:
    """Set the bytes of new terms FTS5 holds before writing a segment (None: its default); returns the setting before.

    FTS5 keeps each setting as a row of its config table, and without one uses its default.
    """
    before = conn.exec_driver_sql("SELECT v FROM events_fts_config WHERE k = 'hashsize'").scalar()
    conn.exec_driver_sql(
        "INSERT INTO events_fts (events_fts, rank) VALUES ('hashsize', ?)", (size or FTS_DEFAULT_HASH_SIZE,)
    )
    if size is None:
        conn.exec_driver_sql("DELETE FROM events_fts_config WHERE k = 'hashsize'")
    return None if before is None else int(before)


def create_search_index_sql(dialect: str) -> list[str]:
    """DDL for the full-text index as revision 0001 made it (on PostgreSQL, 0007 moves it)."""
    if dialect == "sqlite":
        return [
            "CREATE VIRTUAL TABLE events_fts USING fts5("
            "event_id UNINDEXED, headline, summary, sources, tokenize='porter unicode61')"
        ]
    return [
        'CREATE TABLE event_search (event_id VARCHAR(100) COLLATE "C" PRIMARY KEY '
        "REFERENCES events(id) ON DELETE CASCADE, document tsvector NOT NULL)",
        "CREATE INDEX ix_event_search_document ON event_search USING GIN (document)",
    ]


def drop_search_index_sql(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return ["DROP TABLE IF EXISTS events_fts"]
    return ["DROP TABLE IF EXISTS event_search"]


def write_search_values(conn: Connection, rows: Sequence[tuple[str, str, str, str]], *, new: bool = False) -> None:
    """Insert or replace the search rows given as (event_id, headline, summary, sources).

    SQLite keys each FTS row by the event's rowid so that replacing one is an
    indexed delete, not a scan; `new=True` skips the delete for fresh events.
    """
    if not rows:
        return
    if is_sqlite(conn):
        if not new:
            delete_search_rows(conn, [r[0] for r in rows])
        _executemany(
            conn,
            "INSERT INTO events_fts (rowid, event_id, headline, summary, sources) "
            "VALUES ((SELECT rowid FROM events WHERE id = ?1), ?1, ?2, ?3, ?4)",
            rows,
        )
        return
    conn.execute(
        text(
            "UPDATE events SET document = setweight(to_tsvector('english', :headline), 'A') || "
            "to_tsvector('english', :summary) || to_tsvector('english', :sources) WHERE id = :event_id"
        ),
        [dict(zip(("event_id", "headline", "summary", "sources"), r, strict=True)) for r in rows],
    )


def delete_search_rows(conn: Connection, event_ids: Iterable[str]) -> None:
    params = [{"event_id": i} for i in event_ids]
    if not params:
        return
    if is_sqlite(conn):
        sql = "DELETE FROM events_fts WHERE rowid = (SELECT rowid FROM events WHERE id = :event_id)"
    else:
        sql = "UPDATE events SET document = NULL WHERE id = :event_id"
    conn.execute(text(sql), params)


def search_column_sql(dialect: str) -> list[str]:
    """Migration 0007: PostgreSQL's search document becomes a column of events, with a GIN index.

    The planner can then combine the text index with the date, category and status indexes
    (a bitmap AND) instead of joining a separate table row by row.
    """
    if dialect == "sqlite":
        return []
    return [
        "ALTER TABLE events ADD COLUMN document tsvector",
        "UPDATE events SET document = s.document FROM event_search s WHERE s.event_id = events.id",
        "DROP TABLE event_search",
        "CREATE INDEX ix_events_document ON events USING GIN (document)",
    ]


def drop_search_column_sql(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return []
    return [
        *create_search_index_sql(dialect),
        "INSERT INTO event_search (event_id, document) SELECT id, document FROM events WHERE document IS NOT NULL",
        "DROP INDEX ix_events_document",
        "ALTER TABLE events DROP COLUMN document",
    ]


SEARCH_COLUMNS = {"postgresql": ("events", "document")}
"""Columns that hold the full-text index, by backend: kept out of schema.py like the FTS tables."""


def search_table_names(names: Iterable[str]) -> set[str]:
    """Which of these table names belong to the full-text index (FTS5 makes shadow tables)."""
    return {n for n in names if n == "event_search" or n == "events_fts" or n.startswith("events_fts_")}


def clear_search_index(conn: Connection) -> None:
    sql = "DELETE FROM events_fts" if is_sqlite(conn) else "UPDATE events SET document = NULL"
    conn.execute(text(sql))


def count_search_rows(conn: Connection) -> int:
    where = "events_fts" if is_sqlite(conn) else "events WHERE document IS NOT NULL"
    sql = f"SELECT COUNT(*) FROM {where}"
    return int(conn.execute(text(sql)).scalar_one())


_WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(query: str) -> list[str]:
    """The words of a user's query; operators and punctuation are dropped, never executed."""
    return _WORD.findall(query)[:32]


def _fts_query(terms: Sequence[str]) -> str:
    return " AND ".join('"' + t.replace('"', "") + '"*' for t in terms)


def text_match_condition(dialect: str, query: str, *, as_filter: bool = False) -> ColumnElement[bool] | None:
    """A WHERE condition on `events` for rows whose text matches every word of `query` (prefixes).

    SQLite joins on the FTS rowid, which is the event's rowid (see write_search_values):
    an integer join several times faster than matching on the text id. `as_filter` keeps
    the database from starting at the matches: SQLite's planner always would, and
    PostgreSQL underrates what its text index costs for common prefixes (it gathers every
    match of each prefix before it can intersect them), so there the words are checked
    on the rows the other indexes give.
    """
    terms = search_terms(query)
    if not terms:
        return None
    if dialect == "sqlite":
        sub = text("SELECT rowid FROM events_fts WHERE events_fts MATCH :fts").bindparams(fts=_fts_query(terms))
        return literal_column("+events.rowid" if as_filter else "events.rowid").in_(sub)
    document = "coalesce(events.document, ''::tsvector)" if as_filter else "events.document"
    return literal_column(document).op("@@", is_comparison=True)(
        func.to_tsquery(literal_column("'english'"), _tsquery(terms))
    )


def _tsquery(terms: Sequence[str]) -> str:
    return " & ".join(t.replace("'", "") + ":*" for t in terms)


def text_matches_at_least(conn: Connection, query: str, n: int) -> bool:
    """True when at least n events match `query`.

    SQLite reads at most n matches; PostgreSQL answers from its planner's estimate (its
    statistics of the most common words), since counting the matches is the cost to avoid.
    """
    terms = search_terms(query)
    if not terms:
        return False
    if is_sqlite(conn):
        sql = "SELECT count(*) FROM (SELECT 1 FROM events_fts WHERE events_fts MATCH :fts LIMIT :n)"
        return int(conn.execute(text(sql), {"fts": _fts_query(terms), "n": n}).scalar_one()) >= n
    sql = "EXPLAIN (FORMAT JSON) SELECT 1 FROM events WHERE document @@ to_tsquery('english', :q)"
    plan = conn.execute(text(sql), {"q": _tsquery(terms)}).scalar_one()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return float(plan[0]["Plan"]["Plan Rows"]) >= n


def key_string(length: int) -> TypeEngine[str]:
    """A key column (ids, category keys) that sorts byte by byte on every backend.

    PostgreSQL would otherwise sort by the database's locale, where "ev-10" and "ev.1"
    compare differently than in SQLite; the "C" collation matches SQLite's BINARY.
    """
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def is_retryable(exc: OperationalError) -> bool:
    """True when a failed transaction may succeed if run again.

    SQLite: the database is locked by another writer. PostgreSQL: a serialization
    failure or deadlock (SQLSTATE 40001, 40P01), or a connection the server dropped
    (restart, failover), which the pool replaces on the next attempt.
    """
    if exc.connection_invalidated:
        return True
    state = getattr(exc.orig, "sqlstate", None)
    if state in {"40001", "40P01", "57P01", "08006", "08003"}:
        return True
    msg = str(exc.orig).lower()
    return "database is locked" in msg or "database is busy" in msg or "database table is locked" in msg


def is_unique_violation(exc: DBAPIError) -> bool:
    """True for a duplicate primary or unique key (SQLSTATE 23505, or SQLite's UNIQUE/PRIMARY KEY failure)."""
    if getattr(exc.orig, "sqlstate", None) == "23505":
        return True
    msg = str(exc.orig)
    return "UNIQUE constraint failed" in msg or "PRIMARY KEY constraint failed" in msg


def connection_problem(exc: DBAPIError) -> str:
    """The server's reason for a failed connection, in one line (never the URL or password)."""
    msg = str(exc.orig).strip()
    if "FATAL:" in msg:
        msg = msg.rsplit("FATAL:", 1)[1]
    lines = [line.strip() for line in msg.splitlines() if line.strip()]
    return " ".join(lines) or type(exc.orig).__name__


def reset_sequences(conn: Connection, tables: Iterable[Table]) -> None:
    """After rows were inserted with explicit ids, move PostgreSQL's id sequences past them."""
    if is_sqlite(conn):
        return  # SQLite's autoincrement follows max(rowid) by itself
    for table in tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (column.autoincrement == "auto" and _is_integer(column)):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                        f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false)'
                    ),
                    {"table": table.name, "column": column.name},
                )


def _is_integer(column: Any) -> bool:
    try:
        return column.type.python_type is int
    except NotImplementedError:
        return False


def date_sort_index_sql(dialect: str) -> list[str]:
    """Indexes on event dates whose NULL order matches SQLite's (NULLs lowest) on PostgreSQL.

    Sorting newest first puts undated events last on both backends; PostgreSQL can only
    read such an order from an index declared NULLS FIRST.
    """
    if dialect == "sqlite":
        return [
            "CREATE INDEX ix_events_date ON events (date_start, id)",
            "CREATE INDEX ix_events_category_date ON events (category, date_start)",
            "CREATE INDEX ix_events_status_date ON events (status, date_start)",
        ]
    return [
        "CREATE INDEX ix_events_date ON events (date_start NULLS FIRST, id)",
        "CREATE INDEX ix_events_category_date ON events (category, date_start NULLS FIRST)",
        "CREATE INDEX ix_events_status_date ON events (status, date_start NULLS FIRST)",
    ]


# Migration 0006: what counting over large stores needs (see store/queries.py and store/browse.py).
# The event columns copied onto each country link, so that counts by country are read from one index.
LINK_EVENT_COLUMNS = ("date_start", "date_end", "category", "status", "deleted_at")


def date_span_column_sql(dialect: str) -> str:
    """A generated column: days from date_start to date_end (NULL when undated).

    Its largest value bounds how far before a date range an overlapping event can start,
    so a date filter becomes one index range on date_start instead of half the table.
    """
    if dialect == "sqlite":
        return (
            "ALTER TABLE events ADD COLUMN date_span INTEGER GENERATED ALWAYS AS "
            "(CAST(julianday(date_end) - julianday(date_start) AS INTEGER)) VIRTUAL"
        )
    return "ALTER TABLE events ADD COLUMN date_span INTEGER GENERATED ALWAYS AS (date_end - date_start) STORED"


def covering_date_index_sql(dialect: str) -> list[str]:
    """The date indexes again, now holding every column that counts group or filter by.

    Counts over a date range are then read from the index alone. PostgreSQL declares the
    dates NULLS FIRST so that its order is SQLite's (see date_sort_index_sql).
    """
    nulls = "" if dialect == "sqlite" else " NULLS FIRST"
    rest = "date_end, category, status, deleted_at"
    return [
        f"CREATE INDEX ix_events_date ON events (date_start{nulls}, {rest})",
        f"CREATE INDEX ix_events_category_date ON events (category, date_start{nulls}, date_end, status, deleted_at)",
        f"CREATE INDEX ix_events_status_date ON events (status, date_start{nulls}, date_end, category, deleted_at)",
    ]


def link_sync_trigger_sql(dialect: str) -> list[str]:
    """A trigger that keeps the event columns on event_countries equal to the event's.

    New links are written with the event's values by the store; this covers every later
    change of an event's dates, category, status or deletion, whichever code makes it.
    """
    cols = ", ".join(f"{c} = NEW.{c}" for c in LINK_EVENT_COLUMNS)
    of = ", ".join(LINK_EVENT_COLUMNS)
    if dialect == "sqlite":
        return [
            f"CREATE TRIGGER tr_events_link_sync AFTER UPDATE OF {of} ON events "
            f"BEGIN UPDATE event_countries SET {cols} WHERE event_id = NEW.id; END"
        ]
    return [
        "CREATE FUNCTION sectracker_link_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"UPDATE event_countries SET {cols} WHERE event_id = NEW.id; RETURN NULL; END $$",
        f"CREATE TRIGGER tr_events_link_sync AFTER UPDATE OF {of} ON events "
        "FOR EACH ROW EXECUTE FUNCTION sectracker_link_sync()",
    ]


def drop_link_sync_trigger_sql(dialect: str) -> list[str]:
    if dialect == "sqlite":
        return ["DROP TRIGGER IF EXISTS tr_events_link_sync"]
    return ["DROP TRIGGER IF EXISTS tr_events_link_sync ON events", "DROP FUNCTION IF EXISTS sectracker_link_sync()"]
