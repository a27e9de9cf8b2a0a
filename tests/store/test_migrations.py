"""Migrations on both backends: up, down to nothing, up again; and they build exactly schema.py."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from sectracker.store import Database
from sectracker.store.dialect import SEARCH_COLUMNS, search_table_names
from sectracker.store.schema import metadata


def _tables(db: Database) -> set[str]:
    with db.connect() as conn:
        return set(inspect(conn).get_table_names())


def _columns(db: Database, table: str, column: str) -> bool:
    with db.connect() as conn:
        return column in {c["name"] for c in inspect(conn).get_columns(table)}


def test_up_down_up(any_empty_db: Database) -> None:
    db = any_empty_db
    assert db.current_revisions() == set()
    db.migrate()
    assert db.current_revisions() == db.head_revisions()
    first = _tables(db)
    assert set(metadata.tables) <= first
    # The full-text index is made by the migrations too: FTS5 tables, or a column on PostgreSQL.
    assert search_table_names(first) or _columns(db, *SEARCH_COLUMNS[db.dialect])

    db.downgrade("base")
    assert db.current_revisions() == set()
    assert _tables(db) <= {"alembic_version"}

    db.migrate()
    assert db.current_revisions() == db.head_revisions()
    assert _tables(db) == first


def test_every_head_is_applied(any_db: Database) -> None:
    heads = any_db.head_revisions()
    assert "0001" not in heads or len(heads) == 1, "feature migrations branch from 0001"
    assert any_db.current_revisions() == heads
    any_db.require_current()


# On PostgreSQL these are declared NULLS FIRST (dialect.date_sort_index_sql), which
# schema.py cannot say portably: they are checked by hand below instead.
DATE_INDEXES = {"ix_events_date", "ix_events_category_date", "ix_events_status_date"}


def _include_for(dialect_name: str) -> Any:
    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        # The full-text index is dialect-specific DDL kept out of schema.py on purpose.
        if type_ == "table" and name is not None:
            return not search_table_names([name]) and name != "alembic_version"
        if type_ == "index" and dialect_name == "postgresql" and name in DATE_INDEXES | {"ix_events_document"}:
            return False
        column_of = (obj.table.name, name) if type_ == "column" else None
        if column_of is not None and column_of == SEARCH_COLUMNS.get(dialect_name):
            return False
        table = getattr(obj, "table", None)
        return not (table is not None and search_table_names([table.name]))

    return include


def test_migrated_database_matches_schema_py(any_db: Database) -> None:
    """Keeps schema.py and the migrations in sync: any difference is listed."""
    with any_db.connect() as conn:
        opts = {"include_object": _include_for(any_db.dialect), "compare_type": True}
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), metadata)
    assert diff == []


def test_date_indexes_match_schema_py(any_db: Database) -> None:
    with any_db.connect() as conn:
        found = {ix["name"]: ix for ix in inspect(conn).get_indexes("events")}
    for name in DATE_INDEXES:
        declared = next(ix for ix in metadata.tables["events"].indexes if ix.name == name)
        assert found[name]["column_names"] == [c.name for c in declared.columns]
        if any_db.dialect == "postgresql":
            assert found[name].get("column_sorting", {}).get("date_start") == ("nulls_first",)
