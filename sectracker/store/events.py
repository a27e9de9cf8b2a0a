"""Writing events: create, update (optimistic locking), delete and restore, all audited."""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, delete, select, update

from sectracker.clock import now
from sectracker.codebook import load_codebook
from sectracker.errors import Conflict, NotFound, Problem, ValidationFailed
from sectracker.models import Event
from sectracker.store import dialect
from sectracker.store.audit import audit_row, record_created, write_audit
from sectracker.store.dialect import LINK_EVENT_COLUMNS
from sectracker.store.queries import load_events
from sectracker.store.schema import (
    CHILD_TABLES,
    event_countries,
    events,
)
from sectracker.store.search import sources_text

CHUNK = 500

TABLES = (events, *CHILD_TABLES)
"""The tables an event is written to (besides the search index and the audit log), parent first."""


@contextmanager
def collection_paused(*, keep: bool = False) -> Iterator[None]:
    """Hold off Python's cycle collector while many records are built or written.

    Validated events hold no reference cycles, so reference counting frees them; but
    each collection walks every live object, and thousands of new records trigger so
    many that large imports spent half their time there. With `keep` (records that
    outlive the block, such as events read from a file), the objects made meanwhile
    join the oldest generation on the way out instead of being walked once more by
    the next young collection; skipped if the process froze objects of its own.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if keep and gc.get_freeze_count() == 0:
            gc.freeze()  # every tracked object to the permanent generation...
            gc.unfreeze()  # ...and back into the oldest one, without a collection
        if was_enabled:
            gc.enable()


# Each table's columns, and the values of one event's rows in that order. Inserts pass the
# tuples straight to the driver; the dict (event_row) serves updates.
EVENT_COLUMNS = (
    "id", "headline", "summary", "category", "date_start", "date_end", "date_precision", "significance",
    "highlight", "status", "confidence", "codebook_version", "created_at", "updated_at", "version",
)  # fmt: skip


def event_values(e: Event) -> tuple[Any, ...]:
    return (
        e.id, e.headline, e.summary, e.category, e.date_start, e.date_end, e.date_precision.value, e.significance,
        e.highlight, e.status.value, e.confidence, e.codebook_version, e.created_at, e.updated_at, e.version,
    )  # fmt: skip


def event_row(e: Event) -> dict[str, Any]:
    return dict(zip(EVENT_COLUMNS, event_values(e), strict=True))


def _country_values(batch: Sequence[Event]) -> list[tuple[Any, ...]]:
    """Country links with their event's columns (schema.event_countries); a new event is not deleted."""
    return [
        (e.id, iso3, e.date_start, e.date_end, e.category, e.status.value, None) for e in batch for iso3 in e.countries
    ]


def _actor_values(batch: Sequence[Event]) -> list[tuple[Any, ...]]:
    return [(e.id, a) for e in batch for a in e.actors]


def _tag_values(batch: Sequence[Event]) -> list[tuple[Any, ...]]:
    return [(e.id, t) for e in batch for t in e.tags]


def _location_values(batch: Sequence[Event]) -> list[tuple[Any, ...]]:
    return [
        (e.id, i, loc.name, loc.lat, loc.lon, loc.precision.value) for e in batch for i, loc in enumerate(e.locations)
    ]


def _quantity_values(batch: Sequence[Event]) -> list[tuple[Any, ...]]:
    return [(e.id, i, q.value, q.unit, q.item, q.text) for e in batch for i, q in enumerate(e.quantities)]


def _source_values(batch: Sequence[Event]) -> list[tuple[Any, ...]]:
    out = []
    for e in batch:
        for i, s in enumerate(e.sources):
            ev = s.evidence
            evidence = (ev.document_id, ev.start, ev.end, ev.text) if ev else (None, None, None, None)
            out.append((e.id, i, s.title, s.publisher, s.url, s.published, *evidence))
    return out


# Each makes the rows of a whole batch: a call per event and table made an import's child rows 1.5x as slow to build.
ChildValues = Callable[[Sequence[Event]], list[tuple[Any, ...]]]

CHILD_VALUES: dict[str, tuple[tuple[str, ...], ChildValues]] = {
    "event_countries": (("event_id", "iso3", *LINK_EVENT_COLUMNS), _country_values),
    "event_actors": (("event_id", "actor"), _actor_values),
    "event_tags": (("event_id", "tag"), _tag_values),
    "event_locations": (("event_id", "position", "name", "lat", "lon", "precision"), _location_values),
    "event_quantities": (("event_id", "position", "value", "unit", "item", "text"), _quantity_values),
    "sources": (
        ("event_id", "position", "title", "publisher", "url", "published", "document_id", "ev_start", "ev_end",
         "ev_text"),
        _source_values,
    ),
}  # fmt: skip
"""For each child table (schema.CHILD_TABLES): its columns, and the rows of a batch of events."""


def search_values(e: Event) -> tuple[str, str, str, str]:
    """The event's row of the search index: (event_id, headline, summary, sources)."""
    return (e.id, e.headline, e.summary, sources_text((s.title, s.publisher) for s in e.sources))


def stamp(e: Event, at: datetime, codebook_version: str | None = None) -> Event:
    """The event with codebook version and timestamps filled in where missing (itself when none is)."""
    update: dict[str, Any] = {}
    if not e.codebook_version:
        update["codebook_version"] = codebook_version or load_codebook().version
    if e.created_at is None:
        update["created_at"] = at
    if e.updated_at is None:
        update["updated_at"] = at
    return e.model_copy(update=update) if update else e


def is_empty(conn: Connection) -> bool:
    """True when the store holds no events, not even deleted ones."""
    return conn.execute(select(events.c.id).limit(1)).first() is None


def is_deleted(conn: Connection, event_id: str) -> bool:
    """True when the event is stored and deleted (restorable)."""
    return conn.execute(select(events.c.deleted_at).where(events.c.id == event_id)).scalar() is not None


def require_live(conn: Connection, event_id: str) -> None:
    """Conflict when the event is deleted: it is restored before anything else changes it."""
    if is_deleted(conn, event_id):
        raise Conflict(f"event {event_id!r} is deleted; restore it first")


def existing_ids(conn: Connection, ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        found.update(conn.execute(select(events.c.id).where(events.c.id.in_(chunk))).scalars())
    return found


def insert_events(
    conn: Connection,
    new: Sequence[Event],
    user: str,
    *,
    action: str = "create",
    reason: str | None = None,
    stored_ids: set[str] | None = None,
) -> list[Event]:
    """Insert events (Conflict if an id exists already); one audit entry each.

    `stored_ids`, when the caller knows every id the store holds (it was empty when this
    transaction began), replaces the lookups of the ids, and the new ids are added to it.
    """
    at = now()
    version = load_codebook().version
    stamped = [stamp(e, at, version) for e in new]
    ids = [e.id for e in stamped]
    repeated = [i for i, n in Counter(ids).items() if n > 1]
    if repeated:
        raise Conflict(f"event id(s) given more than once: {', '.join(sorted(repeated)[:10])}")
    clash = existing_ids(conn, ids) if stored_ids is None else stored_ids.intersection(ids)
    if clash:
        raise Conflict(f"event id(s) already stored: {', '.join(sorted(clash)[:10])}")
    if stored_ids is not None:
        stored_ids.update(ids)
    _write_rows(conn, stamped)
    record_created(conn, stamped, action, user, at, reason)
    return stamped


def _write_rows(conn: Connection, batch: Sequence[Event]) -> None:
    dialect.insert_values(conn, events, EVENT_COLUMNS, [event_values(e) for e in batch])
    _insert_children(conn, batch)
    dialect.write_search_values(conn, [search_values(e) for e in batch], new=True)


def _insert_children(conn: Connection, batch: Sequence[Event]) -> None:
    for table in CHILD_TABLES:
        columns, values_of = CHILD_VALUES[table.name]
        dialect.insert_values(conn, table, columns, values_of(batch))


def replace_children(conn: Connection, batch: Sequence[Event]) -> None:
    """Write the child rows and search rows of stored events again, from the events as given."""
    ids = [e.id for e in batch]
    for table in CHILD_TABLES:
        for i in range(0, len(ids), CHUNK):
            conn.execute(delete(table).where(table.c.event_id.in_(ids[i : i + CHUNK])))
    _insert_children(conn, batch)
    dialect.write_search_values(conn, [search_values(e) for e in batch])


def _replace_children(conn: Connection, e: Event) -> None:
    replace_children(conn, [e])
    # The links take the stored event's values, deletion time included (the model has none).
    conn.execute(
        update(event_countries)
        .where(event_countries.c.event_id == e.id)
        .values({c: select(events.c[c]).where(events.c.id == e.id).scalar_subquery() for c in LINK_EVENT_COLUMNS})
    )


def get_for_write(conn: Connection, event_id: str) -> Event:
    found = load_events(conn, [event_id], include_deleted=True)
    if not found:
        raise NotFound(f"no event with id {event_id!r}")
    return found[0]


def update_event(
    conn: Connection,
    event_id: str,
    changes: dict[str, Any],
    user: str,
    *,
    expected_version: int | None = None,
    reason: str | None = None,
    action: str = "edit",
) -> Event:
    """Apply field changes; Conflict when `expected_version` is stale. Audited."""
    current = get_for_write(conn, event_id)
    if expected_version is not None and expected_version != current.version:
        raise Conflict(
            f"event {event_id!r} was changed by someone else (now version {current.version}, "
            f"you edited version {expected_version}); reload it and apply your change again"
        )
    if not changes:
        raise ValidationFailed(Problem("give at least one field to change", field="changes"))
    protected = {"id", "version", "created_at", "updated_at"} & set(changes)
    if protected:
        raise ValidationFailed([Problem("field cannot be set directly", field=f) for f in sorted(protected)])
    merged = current.model_dump() | changes
    merged.update(version=current.version + 1, updated_at=now())
    try:
        updated = Event.model_validate(merged)
    except ValidationError as exc:
        raise ValidationFailed(problems_from(exc)) from exc
    result = conn.execute(
        update(events)
        .where(events.c.id == event_id, events.c.version == current.version)
        .values(**{k: v for k, v in event_row(updated).items() if k != "id"})
    )
    if result.rowcount != 1:
        raise Conflict(f"event {event_id!r} was changed by someone else; reload and retry")
    _replace_children(conn, updated)
    write_audit(
        conn,
        [
            audit_row(
                event_id,
                action,
                user,
                updated.updated_at or now(),
                current.model_dump(mode="json"),
                updated.model_dump(mode="json"),
                reason,
            )
        ],
    )
    return updated


def set_deleted(conn: Connection, event_id: str, user: str, deleted: bool, reason: str | None) -> None:
    """Soft-delete (recoverable) or restore an event. Audited."""
    row = conn.execute(select(events.c.deleted_at).where(events.c.id == event_id)).first()
    if row is None:
        raise NotFound(f"no event with id {event_id!r}")
    if (row.deleted_at is not None) == deleted:
        state = "deleted" if deleted else "not deleted"
        raise Conflict(f"event {event_id!r} is already {state}")
    at = now()
    # The state is checked again in the UPDATE: of two concurrent deletes, only one applies.
    still = events.c.deleted_at.is_(None) if deleted else events.c.deleted_at.is_not(None)
    result = conn.execute(
        update(events)
        .where(events.c.id == event_id, still)
        .values(deleted_at=at if deleted else None, version=events.c.version + 1, updated_at=at)
    )
    if result.rowcount != 1:
        raise Conflict(f"event {event_id!r} was changed by someone else meanwhile; reload it and try again")
    action = "delete" if deleted else "restore"
    write_audit(conn, [audit_row(event_id, action, user, at, None, None, reason)])


def purge_events(conn: Connection, ids: Iterable[str]) -> None:
    """Remove events and their rows for good (used by tests and rollbacks only)."""
    ids = list(ids)
    dialect.delete_search_rows(conn, ids)
    for i in range(0, len(ids), CHUNK):
        chunk = ids[i : i + CHUNK]
        for table in CHILD_TABLES:
            conn.execute(delete(table).where(table.c.event_id.in_(chunk)))
        conn.execute(delete(events).where(events.c.id.in_(chunk)))


def problems_from(exc: ValidationError, *, file: str | None = None, line: int | None = None) -> list[Problem]:
    """Pydantic errors as Problems naming the field."""
    out = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"]) or None
        msg = err["msg"].removeprefix("Value error, ")
        out.append(Problem(msg, file=file, line=line, field=loc))
    return out
