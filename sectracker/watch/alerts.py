"""Stored alerts: each alert once (by its key), with the evidence that fired it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, select

from sectracker.store import dialect
from sectracker.store.db import Database
from sectracker.store.schema import watch_alerts


@dataclass(frozen=True)
class Alert:
    """A rule that fired: on what (`key`), about when, and the evidence."""

    key: str
    rule_id: str
    kind: str
    subject_date: date | None
    title: str
    evidence: dict[str, Any]
    fired_at: datetime | None = None
    id: int | None = None


def _row(a: Alert, at: datetime) -> dict[str, Any]:
    return {
        "key": a.key[:200],
        "rule_id": a.rule_id,
        "kind": a.kind,
        "fired_at": at,
        "subject_date": a.subject_date,
        "title": a.title,
        "evidence": json.dumps(a.evidence, sort_keys=True, default=str),
    }


def known_keys(conn: Connection) -> set[str]:
    return set(conn.execute(select(watch_alerts.c.key)).scalars())


def store_new(conn: Connection, alerts: Sequence[Alert], at: datetime) -> list[Alert]:
    """Insert the alerts whose key is not stored yet; returns those."""
    seen = known_keys(conn)
    fresh: dict[str, Alert] = {}
    for a in alerts:
        if a.key[:200] not in seen and a.key[:200] not in fresh:
            fresh[a.key[:200]] = a
    dialect.bulk_insert(conn, watch_alerts, [_row(a, at) for a in fresh.values()])
    return [Alert(**{**a.__dict__, "fired_at": at}) for a in fresh.values()]


def _alert(r: Any) -> Alert:
    return Alert(
        key=r.key,
        rule_id=r.rule_id,
        kind=r.kind,
        subject_date=r.subject_date,
        title=r.title,
        evidence=json.loads(r.evidence),
        fired_at=r.fired_at,
        id=r.id,
    )


def list_alerts(db: Database, *, rule_id: str | None = None, limit: int | None = 100) -> list[Alert]:
    """Stored alerts, newest first."""
    stmt = select(watch_alerts).order_by(watch_alerts.c.id.desc())
    if rule_id:
        stmt = stmt.where(watch_alerts.c.rule_id == rule_id)
    if limit is not None:
        stmt = stmt.limit(limit)
    with db.connect() as conn:
        return [_alert(r) for r in conn.execute(stmt)]
