"""What a release freezes: verified events and series of a period, at exact versions.

`collect` reads the current store; `reconstruct` reads the same records back at the
versions a release lists, from the audit trails (an event's audit entries hold its
full state after each create or edit; a delete or restore only bumps the version).
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from sectracker.errors import NotFound, ReportError
from sectracker.models import Event, EventFilter, Status
from sectracker.periods import parse_period
from sectracker.series.change import period_start
from sectracker.series.models import Series
from sectracker.store.queries import load_events, select_ids
from sectracker.store.schema import audit_log
from sectracker.store.series import load_series, series_at_version

CHUNK = 500


@dataclass(frozen=True)
class Snapshot:
    """The records of one release: events and series (series cut to the period's end)."""

    period: str
    start: date
    end: date
    events: tuple[Event, ...]
    series: tuple[Series, ...]


def record_hash(data: Any) -> str:
    """SHA-256 of a record's canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_hash(e: Event) -> str:
    return record_hash(e.model_dump(mode="json"))


def series_hash(s: Series) -> str:
    return record_hash(s.model_dump(mode="json"))


def covers(s: Series, day: date, start: date, end: date) -> bool:
    """Whether the period of the value dated `day` overlaps start..end (the 2020 budget overlaps 2020-H1)."""
    return period_start(day, s.frequency) <= end and day >= start


def in_period(s: Series, start: date, end: date) -> bool:
    return any(covers(s, o.date, start, end) for o in s.observations)


def cut(s: Series, end: date) -> Series:
    """The series without values for periods that begin after the release period."""
    return s.model_copy(
        update={"observations": [o for o in s.observations if period_start(o.date, s.frequency) <= end]}
    )


def collect(conn: Connection, period: str) -> Snapshot:
    """The verified, not deleted events dated in the period, and the series with a value in it."""
    start, end = parse_period(period)
    f = EventFilter(statuses=[Status.verified], date_from=start, date_to=end)
    ids = list(conn.execute(select_ids(f, conn, sort="id")).scalars())
    events = sorted(load_events(conn, ids), key=lambda e: e.id)
    series = [cut(s, end) for s in load_series(conn).values() if in_period(s, start, end)]
    return Snapshot(period, start, end, tuple(events), tuple(sorted(series, key=lambda s: s.id)))


def _audit_rows(conn: Connection, ids: Sequence[str], up_to: int) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    for i in range(0, len(ids), CHUNK):
        chunk = list(ids[i : i + CHUNK])
        stmt = (
            select(audit_log)
            .where(audit_log.c.event_id.in_(chunk), audit_log.c.id <= up_to)
            .order_by(audit_log.c.event_id, audit_log.c.id)
        )
        for row in conn.execute(stmt):
            out[row.event_id].append(row)
    return out


def _replay(rows: list[Any], version: int) -> Event | None:
    """The event at `version`, replaying its audit entries (None if that version never existed)."""
    state: Event | None = None
    for row in rows:
        if row.after:
            state = Event.model_validate(json.loads(row.after))
        elif state is not None and row.action in ("delete", "restore"):
            state = state.model_copy(update={"version": state.version + 1, "updated_at": row.at})
        if state is not None and state.version == version:
            return state
    return None


def events_at(conn: Connection, versions: dict[str, int], up_to: int) -> list[Event]:
    """Events exactly as they were at the given versions (ReportError naming any that cannot be)."""
    rows = _audit_rows(conn, sorted(versions), up_to)
    out, missing = [], []
    for event_id in sorted(versions):
        event = _replay(rows.get(event_id, []), versions[event_id])
        if event is None:
            missing.append(f"{event_id} v{versions[event_id]}")
        else:
            out.append(event)
    if missing:
        raise ReportError(f"the audit log cannot rebuild: {', '.join(missing[:10])}")
    return out


def series_at(conn: Connection, versions: dict[str, int], end: date) -> list[Series]:
    out = []
    for series_id in sorted(versions):
        try:
            out.append(cut(series_at_version(conn, series_id, versions[series_id]), end))
        except NotFound as exc:
            raise ReportError(str(exc)) from exc
    return out
