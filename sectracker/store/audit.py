"""The audit log: every change to an event, with who, when, before and after."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from sectracker.errors import NotFound
from sectracker.models import AuditEntry
from sectracker.store import dialect
from sectracker.store.schema import audit_log


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
    return {
        "event_id": event_id,
        "action": action,
        "user": user,
        "at": at,
        "before": _json(before),
        "after": _json(after),
        "reason": reason,
    }


def _json(value: dict[str, Any] | str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


def write_audit(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    dialect.bulk_insert(conn, audit_log, rows)


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
