"""Copying a whole tracker between databases (SQLite and PostgreSQL), verified by counts and checksums.

Every table declared in schema.py is copied in dependency order and in batches, inside one
transaction on the target (a failed copy leaves it empty); the full-text index is rebuilt
there, and each table's row count and checksum are compared on both sides afterwards.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Select, Table, insert, inspect, literal, select
from sqlalchemy.sql import table as table_named

from sectracker.errors import Conflict, StoreError
from sectracker.store import dialect
from sectracker.store.db import Database
from sectracker.store.schema import metadata
from sectracker.store.search import rebuild_search_index

BATCH = 5000
_MOD = 1 << 128

Progress = Callable[[str, int], None]
"""Called with a table name and the number of rows just copied."""


@dataclass(frozen=True)
class TableCheck:
    """One table after a copy: rows and checksum on the source and on the target."""

    table: str
    rows: int
    checksum: str
    target_rows: int
    target_checksum: str

    @property
    def ok(self) -> bool:
        return self.rows == self.target_rows and self.checksum == self.target_checksum


def copy_tables() -> list[Table]:
    """The tables a tracker consists of, parents before children."""
    return list(metadata.sorted_tables)


def copy_database(
    source: Database, target: Database, *, batch_size: int = BATCH, progress: Progress | None = None
) -> list[TableCheck]:
    """Copy every row of `source` into the empty `target` (migrated here first); verify both.

    Conflict when the target holds data; StoreError when the copy does not verify.
    """
    source.require_current()
    with source.connect() as conn:
        _check_declared(conn, source)
    _refuse_filled(target)  # before migrating: a database with data is left exactly as it was
    target.migrate()
    tables = copy_tables()

    def work(tconn: Connection) -> None:
        with source.connect() as sconn:
            for table in tables:
                _copy_table(sconn, tconn, table, batch_size, progress)
        dialect.reset_sequences(tconn, tables)
        rebuild_search_index(tconn, batch_size)

    target.write(work)
    checks = verify_copy(source, target, tables)
    bad = [c.table for c in checks if not c.ok]
    if bad:
        raise StoreError(f"the copy in {target.name} differs from {source.name} in: {', '.join(bad)}")
    return checks


def _check_declared(conn: Connection, source: Database) -> None:
    """StoreError if the source holds a table schema.py does not declare (it could not be copied)."""
    names = set(inspect(conn).get_table_names())
    names -= dialect.search_table_names(names) | {"alembic_version"}
    unknown = sorted(names - set(metadata.tables))
    if unknown:
        raise StoreError(
            f"{source.name} has tables that sectracker/store/schema.py does not declare: {', '.join(unknown)}"
        )


def _refuse_filled(target: Database) -> None:
    """Conflict if any table of the target (whatever its schema revision) holds a row."""
    with target.connect() as conn:
        names = set(inspect(conn).get_table_names())
        names -= dialect.search_table_names(names) | {"alembic_version"}
        filled = [n for n in sorted(names) if conn.execute(_any_row(n)).first()]
    if filled:
        raise Conflict(
            f"{target.name} is not empty ({', '.join(filled)} hold rows); copy only into a new, empty database"
        )


def _any_row(name: str) -> Select[Any]:
    return select(literal(1)).select_from(table_named(name)).limit(1)


def _copy_table(sconn: Connection, tconn: Connection, table: Table, batch_size: int, progress: Progress | None) -> None:
    for batch in _batches(sconn, table, batch_size):
        tconn.execute(insert(table), batch)
        if progress:
            progress(table.name, len(batch))


def _batches(conn: Connection, table: Table, batch_size: int) -> Iterator[list[dict[str, Any]]]:
    written = [c for c in table.columns if c.computed is None]  # the target computes its own
    stmt = select(*written).order_by(*(table.primary_key.columns or table.columns))
    result = conn.execution_options(yield_per=batch_size).execute(stmt)
    for part in result.partitions():
        yield [row._asdict() for row in part]


def verify_copy(source: Database, target: Database, tables: list[Table] | None = None) -> list[TableCheck]:
    """Row counts and checksums of every table on both databases."""
    tables = tables or copy_tables()
    with source.connect() as sconn, target.connect() as tconn:
        checks = []
        for table in tables:
            rows, digest = table_checksum(sconn, table)
            trows, tdigest = table_checksum(tconn, table)
            checks.append(TableCheck(table.name, rows, digest, trows, tdigest))
        indexed = dialect.count_search_rows(tconn)
    events_rows = next((c.target_rows for c in checks if c.table == "events"), indexed)
    if indexed != events_rows:
        raise StoreError(f"{target.name}: the search index holds {indexed} rows for {events_rows} events")
    return checks


def table_checksum(conn: Connection, table: Table) -> tuple[int, str]:
    """(row count, checksum) of a table, independent of row order and of the backend.

    Each row is hashed from a canonical text of its values (UTC timestamps, ISO dates,
    exact float repr); the hashes are summed, so the order rows come back in does not matter.
    """
    total = count = 0
    result = conn.execution_options(yield_per=BATCH).execute(select(table))
    for row in result:
        text = json.dumps([_canonical(v) for v in row], ensure_ascii=False, separators=(",", ":"))
        total = (total + int.from_bytes(hashlib.sha256(text.encode()).digest()[:16], "big")) % _MOD
        count += 1
    return count, f"{total:032x}"


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return repr(float(value))
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value
