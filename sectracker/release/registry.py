"""The releases table: numbered releases with their manifests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from sectracker.errors import NotFound, StoreError
from sectracker.store.schema import releases

MANIFEST_KEYS = ("events", "series", "files", "audit_marks")


@dataclass(frozen=True)
class ReleaseRecord:
    number: int
    period: str
    created_at: datetime
    created_by: str
    manifest: dict[str, Any]


def _record(r: Any) -> ReleaseRecord:
    try:
        manifest = json.loads(r.manifest)
    except (TypeError, ValueError) as exc:
        raise StoreError(f"release {r.number}: its stored manifest is not JSON ({exc})") from exc
    missing = [k for k in MANIFEST_KEYS if not isinstance(manifest, dict) or not isinstance(manifest.get(k), dict)]
    if missing:
        raise StoreError(f"release {r.number}: its stored manifest is damaged (no {', '.join(missing)})")
    return ReleaseRecord(r.number, r.period, r.created_at, r.created_by, manifest)


def next_number(conn: Connection) -> int:
    return int(conn.execute(select(func.coalesce(func.max(releases.c.number), 0))).scalar_one()) + 1


def save(conn: Connection, record: ReleaseRecord) -> None:
    conn.execute(
        insert(releases),
        [
            {
                "number": record.number,
                "period": record.period,
                "created_at": record.created_at,
                "created_by": record.created_by,
                "manifest": json.dumps(record.manifest, sort_keys=True),
            }
        ],
    )


def get(conn: Connection, number: int) -> ReleaseRecord:
    row = conn.execute(select(releases).where(releases.c.number == number)).first()
    if row is None:
        raise NotFound(f"no release number {number}; see `sectracker releases`")
    return _record(row)


def previous_of(conn: Connection, period: str, before: int) -> ReleaseRecord | None:
    """The latest release of the same period numbered below `before`."""
    row = conn.execute(
        select(releases)
        .where(releases.c.period == period, releases.c.number < before)
        .order_by(releases.c.number.desc())
        .limit(1)
    ).first()
    return _record(row) if row else None


def all_releases(conn: Connection) -> list[ReleaseRecord]:
    return [_record(r) for r in conn.execute(select(releases).order_by(releases.c.number))]
