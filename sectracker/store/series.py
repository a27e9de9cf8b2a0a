"""Storing indicator series: merge values in, versioned and audited like events.

Saving merges: values at new dates are added, values that differ are replaced, values
at dates the input does not mention are kept (the seed's 2020 figure and an imported
history can share one series). The stored series keeps the source it was created
with; a value from another source records its own provenance. Every save that
changes a series bumps its version and writes one audit entry whose `after` is the
whole series as it now is, so any version can be read back (releases rely on this).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from sectracker.clock import now
from sectracker.errors import Conflict, NotFound
from sectracker.series.models import Observation, Provenance, Series
from sectracker.store import dialect
from sectracker.store.db import Database
from sectracker.store.schema import series as series_table
from sectracker.store.schema import series_audit, series_values

CHUNK = 500
DEFINITION_FIELDS = ("name", "description", "country", "mission", "category")
FIXED_FIELDS = ("unit", "frequency", "year_start_month")


@dataclass
class SaveSummary:
    """What a save did: series created, changed or left alone, and values touched."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    values_added: int = 0
    values_changed: int = 0


@dataclass(frozen=True)
class SeriesInfo:
    """A series without its values: for listings."""

    id: str
    name: str
    unit: str
    frequency: str
    country: str | None
    mission: str | None
    values: int
    first: date | None
    last: date | None
    version: int


@dataclass(frozen=True)
class SeriesAuditEntry:
    id: int
    series_id: str
    action: str
    user: str
    at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None


def _provenance_json(p: Provenance | None) -> str | None:
    return None if p is None else json.dumps(p.model_dump(mode="json", exclude_none=True), sort_keys=True)


def _value_row(series_id: str, o: Observation) -> dict[str, Any]:
    return {
        "series_id": series_id,
        "date": o.date,
        "value": o.value,
        "qualifier": o.qualifier.value,
        "provenance": _provenance_json(o.provenance),
        "note": o.note,
    }


def _series_row(s: Series) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "unit": s.unit,
        "frequency": s.frequency.value,
        "year_start_month": s.year_start_month,
        "country": s.country,
        "mission": s.mission,
        "category": s.category,
        "description": s.description,
        "source": _provenance_json(s.source),
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "version": s.version,
    }


def load_series(conn: Connection, ids: Sequence[str] | None = None) -> dict[str, Series]:
    """Stored series with their values, by id (all of them when `ids` is None)."""
    stmt = select(series_table)
    if ids is not None:
        if not ids:
            return {}
        stmt = stmt.where(series_table.c.id.in_(list(ids)))
    heads = {r.id: r for r in conn.execute(stmt.order_by(series_table.c.id))}
    values: dict[str, list[Observation]] = {k: [] for k in heads}
    keys = list(heads)
    for i in range(0, len(keys), CHUNK):
        chunk = keys[i : i + CHUNK]
        rows = conn.execute(
            select(series_values).where(series_values.c.series_id.in_(chunk)).order_by(series_values.c.date)
        )
        for r in rows:
            values[r.series_id].append(_observation(r))
    return {k: _series(r, values[k]) for k, r in heads.items()}


def _observation(r: Any) -> Observation:
    prov = Provenance.model_validate_json(r.provenance) if r.provenance else None
    return Observation(date=r.date, value=r.value, qualifier=r.qualifier, provenance=prov, note=r.note)


def _series(r: Any, obs: list[Observation]) -> Series:
    return Series.model_validate(
        {
            "id": r.id,
            "name": r.name,
            "unit": r.unit,
            "frequency": r.frequency,
            "year_start_month": r.year_start_month,
            "country": r.country,
            "mission": r.mission,
            "category": r.category,
            "description": r.description,
            "source": json.loads(r.source),
            "observations": obs,
            "created_at": r.created_at,
            "updated_at": r.updated_at,
            "version": r.version,
        }
    )


def save_series_in(
    conn: Connection, items: Sequence[Series], user: str, *, action: str = "import", reason: str | None = None
) -> SaveSummary:
    """Merge series into the store inside the caller's transaction (see the module docstring)."""
    summary = SaveSummary()
    stored = load_series(conn, [s.id for s in items])
    at = now()
    audit_rows: list[dict[str, Any]] = []
    for incoming in items:
        old = stored.get(incoming.id)
        if old is None:
            created = incoming.model_copy(update={"version": 1, "created_at": at, "updated_at": at})
            conn.execute(insert(series_table), [_series_row(created)])
            dialect.bulk_insert(conn, series_values, [_value_row(created.id, o) for o in created.observations])
            audit_rows.append(_audit(created.id, "create", user, at, None, created, reason))
            summary.created.append(created.id)
            summary.values_added += len(created.observations)
            continue
        audit = _merge(conn, old, incoming, summary, user, action, at, reason)
        if audit:
            audit_rows.append(audit)
    dialect.bulk_insert(conn, series_audit, audit_rows)
    return summary


def _merge(
    conn: Connection,
    old: Series,
    incoming: Series,
    summary: SaveSummary,
    user: str,
    action: str,
    at: datetime,
    reason: str | None,
) -> dict[str, Any] | None:
    """Apply one incoming series to its stored version; the audit row, or None if nothing changed."""
    for name in FIXED_FIELDS:
        if getattr(old, name) != getattr(incoming, name):
            raise Conflict(
                f"series {old.id!r} is stored with {name} {getattr(old, name)!s}, the input gives "
                f"{getattr(incoming, name)!s}; use another series id"
            )
    definition = {f: getattr(old, f) for f in DEFINITION_FIELDS if getattr(old, f) != getattr(incoming, f)}
    current = {o.date: o for o in old.observations}
    before_values: dict[str, Any] = {}
    replaced: list[date] = []
    rows: list[dict[str, Any]] = []
    for o in incoming.observations:
        # A value from another source than the stored series' keeps its provenance explicitly.
        if o.provenance is None and incoming.source != old.source:
            o = o.model_copy(update={"provenance": incoming.source})
        prior = current.get(o.date)
        if prior == o:
            continue
        before_values[o.date.isoformat()] = None if prior is None else prior.model_dump(mode="json")
        if prior is not None:
            replaced.append(o.date)
        rows.append(_value_row(old.id, o))
        current[o.date] = o
    summary.values_added += len(rows) - len(replaced)
    summary.values_changed += len(replaced)
    for i in range(0, len(replaced), CHUNK):
        dates = replaced[i : i + CHUNK]
        conn.execute(delete(series_values).where(series_values.c.series_id == old.id, series_values.c.date.in_(dates)))
    dialect.bulk_insert(conn, series_values, rows)
    if not definition and not before_values:
        summary.unchanged.append(old.id)
        return None
    updated = old.model_copy(
        update={
            **{f: getattr(incoming, f) for f in definition},
            "observations": sorted(current.values(), key=lambda x: x.date),
            "version": old.version + 1,
            "updated_at": at,
        }
    )
    head = {k: v for k, v in _series_row(updated).items() if k not in ("id", "created_at")}
    conn.execute(update(series_table).where(series_table.c.id == old.id).values(**head))
    summary.changed.append(old.id)
    before = {"definition": definition, "values": before_values}
    return _audit(old.id, action, user, at, before, updated, reason)


def _audit(
    series_id: str,
    action: str,
    user: str,
    at: datetime,
    before: dict[str, Any] | None,
    after: Series,
    reason: str | None,
) -> dict[str, Any]:
    return {
        "series_id": series_id,
        "action": action,
        "user": user,
        "at": at,
        "before": json.dumps(before, sort_keys=True, default=str) if before is not None else None,
        "after": after.model_dump_json(),
        "reason": reason,
    }


def save_series(
    db: Database, items: Sequence[Series], *, user: str, action: str = "import", reason: str | None = None
) -> SaveSummary:
    """Merge series into the store, all or nothing."""
    return db.write(lambda conn: save_series_in(conn, items, user, action=action, reason=reason))


def get_series(db: Database, series_id: str) -> Series:
    with db.connect() as conn:
        found = load_series(conn, [series_id])
    if series_id not in found:
        raise NotFound(f"no series with id {series_id!r}; see `sectracker series list`")
    return found[series_id]


def list_series(db: Database) -> list[SeriesInfo]:
    """Every stored series with its number of values and date range, by id."""
    stats = (
        select(
            series_values.c.series_id,
            func.count().label("n"),
            func.min(series_values.c.date).label("first"),
            func.max(series_values.c.date).label("last"),
        )
        .group_by(series_values.c.series_id)
        .subquery()
    )
    stmt = (
        select(series_table, stats.c.n, stats.c.first, stats.c.last)
        .select_from(series_table.outerjoin(stats, stats.c.series_id == series_table.c.id))
        .order_by(series_table.c.id)
    )
    with db.connect() as conn:
        rows = list(conn.execute(stmt))
    return [
        SeriesInfo(r.id, r.name, r.unit, r.frequency, r.country, r.mission, r.n or 0, r.first, r.last, r.version)
        for r in rows
    ]


def _entry(r: Any) -> SeriesAuditEntry:
    return SeriesAuditEntry(
        id=r.id,
        series_id=r.series_id,
        action=r.action,
        user=r.user,
        at=r.at,
        before=json.loads(r.before) if r.before else None,
        after=json.loads(r.after) if r.after else None,
        reason=r.reason,
    )


def history_in(conn: Connection, series_id: str, *, up_to: int | None = None) -> list[SeriesAuditEntry]:
    """Audit entries of one series, oldest first (only ids <= `up_to` when given)."""
    stmt = select(series_audit).where(series_audit.c.series_id == series_id)
    if up_to is not None:
        stmt = stmt.where(series_audit.c.id <= up_to)
    return [_entry(r) for r in conn.execute(stmt.order_by(series_audit.c.id))]


def series_history(db: Database, series_id: str) -> list[SeriesAuditEntry]:
    with db.connect() as conn:
        entries = history_in(conn, series_id)
    if not entries:
        raise NotFound(f"no series with id {series_id!r}")
    return entries


def series_at_version(conn: Connection, series_id: str, version: int) -> Series:
    """The series exactly as it was at `version`, read back from its audit trail."""
    for entry in reversed(history_in(conn, series_id)):
        if entry.after and entry.after.get("version") == version:
            return Series.model_validate(entry.after)
    raise NotFound(f"series {series_id!r} has no recorded version {version}")


def audit_mark(conn: Connection) -> int:
    """The newest series audit id (0 when there is none): 'everything up to here'."""
    return int(conn.execute(select(func.coalesce(func.max(series_audit.c.id), 0))).scalar_one())
