"""The store's public functions: each runs one whole operation in one transaction.

The CLI and the web layer call these; they never build SQL themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.progress import Progress
from sqlalchemy import Connection

from sectracker.errors import Problem, ValidationFailed
from sectracker.models import AuditEntry, Event, EventFilter
from sectracker.store import audit, dialect, events, queries
from sectracker.store.db import Database

BATCH = 2000
NO_WORDS = "has no words to search for (punctuation and search operators are ignored)"


def check_text_query(query: str | None, field: str) -> None:
    """ValidationFailed naming `field` when a text query has no word to search for."""
    if query and query.strip() and not dialect.search_terms(query):
        raise ValidationFailed(Problem(f"{query[:40]!r} {NO_WORDS}", field=field))


def add_events(
    db: Database,
    new: Sequence[Event],
    *,
    user: str,
    action: str = "create",
    reason: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Insert validated events all or nothing (Conflict on an existing id)."""

    def work(conn: Any) -> int:
        # Into an empty SQLite store the ids written so far are all its ids: its write transaction
        # locks the database from BEGIN, so no one else adds any meanwhile (no lookups needed).
        empty = dialect.is_sqlite(conn) and events.is_empty(conn)
        stored_ids: set[str] | None = set() if empty else None
        with dialect.bulk_loading(conn, events.TABLES, len(new)):
            for i in range(0, len(new), BATCH):
                events.insert_events(
                    conn, new[i : i + BATCH], user, action=action, reason=reason, stored_ids=stored_ids
                )
                if progress:
                    progress(min(BATCH, len(new) - i))
        return len(new)

    with events.collection_paused():
        return db.write(work)


def add_events_with_progress(
    db: Database, new: Sequence[Event], *, user: str, label: str, reason: str | None = None
) -> int:
    """add_events with a Rich progress bar on stderr."""
    with Progress(transient=True) as bar:
        task = bar.add_task(label, total=len(new))
        return add_events(db, new, user=user, reason=reason, progress=lambda n: bar.advance(task, n))


def find_events(
    db: Database, f: EventFilter, *, sort: str = "date", limit: int | None = 50, offset: int = 0
) -> list[Event]:
    with db.connect() as conn:
        return queries.query_events(conn, f, sort=sort, limit=limit, offset=offset)


def count_events(db: Database, f: EventFilter) -> int:
    with db.connect() as conn:
        return queries.count_events(conn, f)


def get_event(db: Database, event_id: str) -> Event:
    with db.connect() as conn:
        return events.get_for_write(conn, event_id)


def edit_event(
    db: Database,
    event_id: str,
    changes: dict[str, Any],
    *,
    user: str,
    expected_version: int | None = None,
    reason: str | None = None,
) -> Event:

    def work(conn: Connection) -> Event:
        events.require_live(conn, event_id)
        return events.update_event(conn, event_id, changes, user, expected_version=expected_version, reason=reason)

    return db.write(work)


def delete_event(db: Database, event_id: str, *, user: str, reason: str | None = None) -> None:
    db.write(lambda conn: events.set_deleted(conn, event_id, user, True, reason))


def restore_event(db: Database, event_id: str, *, user: str, reason: str | None = None) -> None:
    db.write(lambda conn: events.set_deleted(conn, event_id, user, False, reason))


def event_history(db: Database, event_id: str) -> list[AuditEntry]:
    with db.connect() as conn:
        events.get_for_write(conn, event_id)
        return audit.history(conn, event_id)
