"""The audit log: every change to an event, with who, when, before and after."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from sectracker.errors import NotFound
from sectracker.models import AuditEntry, Event
from sectracker.store import dialect
from sectracker.store.schema import audit_log

COLUMNS = ("event_id", "action", "user", "at", "before", "after", "reason")


def audit_row(
    event_id: str,
    action: str,
    user: str,
    at: datetime,
    before: dict[str, Any] | str | None,
    after: dict[str, Any] | str | None,
    reason: str | None = None,
) -> dict[str, Any]:
    """One row for the audit table; before/after are stored as JSON (given as dicts or JSON text)."""
    return dict(zip(COLUMNS, (event_id, action, user, at, _json(before), _json(after), reason), strict=True))


def _json(value: dict[str, Any] | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def write_audit(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    dialect.bulk_insert(conn, audit_log, rows)


def record_created(
    conn: Connection, created: Sequence[Event], action: str, user: str, at: datetime, reason: str | None = None
) -> None:
    """One entry per new event: nothing before, the whole record as stored after (its JSON)."""
    values = [(e.id, action, user, at, None, e.model_dump_json(), reason) for e in created]
    dialect.insert_values(conn, audit_log, COLUMNS, values)


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        event_id=row.event_id,
        action=row.action,
        user=row.user,
        at=row.at,
        before=json.loads(row.before) if row.before else None,
        after=json.loads(row.after) if row.after else None,
        reason=row.reason,
    )


def history(conn: Connection, event_id: str) -> list[AuditEntry]:
    """Every audit entry for one event, oldest first."""
    rows = conn.execute(select(audit_log).where(audit_log.c.event_id == event_id).order_by(audit_log.c.id))
    return [_entry(r) for r in rows]


def get_entry(conn: Connection, entry_id: int) -> AuditEntry:
    row = conn.execute(select(audit_log).where(audit_log.c.id == entry_id)).first()
    if row is None:
        raise NotFound(f"no audit entry with id {entry_id}")
    return _entry(row)
