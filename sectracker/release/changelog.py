"""What changed since the previous release of a period: events and series added, changed,
removed, each with the reasons the audit log gives for it."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from sectracker.models import Event
from sectracker.release.snapshot import Snapshot, events_at
from sectracker.store.schema import audit_log, events, series_audit

CHUNK = 500
IGNORED_FIELDS = {"version", "updated_at"}


@dataclass(frozen=True)
class Entry:
    """One record in the changelog: what it is, what changed, and why (from the audit log)."""

    id: str
    title: str
    fields: tuple[str, ...] = ()
    why: str = ""
    reasons: tuple[str, ...] = ()


@dataclass
class Changelog:
    previous: int | None
    added: list[Entry] = field(default_factory=list)
    changed: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    series_added: list[Entry] = field(default_factory=list)
    series_changed: list[Entry] = field(default_factory=list)
    series_removed: list[Entry] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (self.added, self.changed, self.removed, self.series_added, self.series_changed, self.series_removed)
        )


def _reasons(conn: Connection, table: Any, key: str, ids: Sequence[str], after: int, upto: int) -> dict[str, list[str]]:
    """Audit entries between two marks, per record, as 'date action by user: reason'."""
    out: dict[str, list[str]] = defaultdict(list)
    column = table.c[key]
    for i in range(0, len(ids), CHUNK):
        chunk = list(ids[i : i + CHUNK])
        stmt = (
            select(table).where(column.in_(chunk), table.c.id > after, table.c.id <= upto).order_by(column, table.c.id)
        )
        for r in conn.execute(stmt):
            out[getattr(r, key)].append(
                f"{r.at.date().isoformat()} {r.action} by {r.user}: {r.reason or 'no reason given'}"
            )
    return out


def _changed_fields(old: Event, new: Event) -> tuple[str, ...]:
    a, b = old.model_dump(mode="json"), new.model_dump(mode="json")
    return tuple(k for k in sorted(a) if k not in IGNORED_FIELDS and a[k] != b[k])


def _why_removed(conn: Connection, event_id: str, snapshot: Snapshot) -> str:
    row = conn.execute(
        select(events.c.deleted_at, events.c.status, events.c.date_start, events.c.date_end).where(
            events.c.id == event_id
        )
    ).first()
    if row is None:
        return "no longer in the store"
    if row.deleted_at is not None:
        return "deleted"
    if row.status != "verified":
        return f"status is now {row.status}"
    return f"dated outside {snapshot.period} now"


def build_changelog(
    conn: Connection, snapshot: Snapshot, manifest: dict[str, Any], previous: dict[str, Any] | None
) -> Changelog:
    """Compare this release's manifest with the previous release's (same period)."""
    log = Changelog(previous=previous["number"] if previous else None)
    if previous is None:
        return log
    cur_e, old_e = manifest["events"], previous["events"]
    marks, old_marks = manifest["audit_marks"], previous["audit_marks"]
    by_id = {e.id: e for e in snapshot.events}
    ids = sorted(set(cur_e) | set(old_e))
    reasons = _reasons(conn, audit_log, "event_id", ids, old_marks["events"], marks["events"])
    changed_ids = [i for i in cur_e if i in old_e and cur_e[i]["sha256"] != old_e[i]["sha256"]]
    before = {e.id: e for e in events_at(conn, {i: old_e[i]["version"] for i in changed_ids}, old_marks["events"])}
    for i in sorted(cur_e):
        if i not in old_e:
            log.added.append(Entry(i, by_id[i].headline, reasons=tuple(reasons[i])))
        elif i in before:
            fields = _changed_fields(before[i], by_id[i])
            log.changed.append(Entry(i, by_id[i].headline, fields, reasons=tuple(reasons[i])))
    for i in sorted(set(old_e) - set(cur_e)):
        title = old_e[i].get("headline", "")
        log.removed.append(Entry(i, title, why=_why_removed(conn, i, snapshot), reasons=tuple(reasons[i])))
    _series_changes(conn, log, snapshot, manifest, previous)
    return log


def _series_changes(
    conn: Connection, log: Changelog, snapshot: Snapshot, manifest: dict[str, Any], previous: dict[str, Any]
) -> None:
    cur, old = manifest["series"], previous["series"]
    names = {s.id: s.name for s in snapshot.series}
    ids = sorted(set(cur) | set(old))
    reasons = _reasons(
        conn, series_audit, "series_id", ids, previous["audit_marks"]["series"], manifest["audit_marks"]["series"]
    )
    for i in sorted(cur):
        if i not in old:
            log.series_added.append(Entry(i, names[i], reasons=tuple(reasons[i])))
        elif cur[i]["sha256"] != old[i]["sha256"]:
            log.series_changed.append(Entry(i, names[i], reasons=tuple(reasons[i])))
    for i in sorted(set(old) - set(cur)):
        log.series_removed.append(
            Entry(i, old[i].get("name", ""), why="no value in the period now", reasons=tuple(reasons[i]))
        )


def changelog_json(log: Changelog) -> str:
    return json.dumps(asdict(log), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def changelog_markdown(log: Changelog, number: int, period: str) -> str:
    lines = [f"# Changelog: release {number} ({period})", ""]
    if log.previous is None:
        lines += [f"The first release of {period}: every event and series in it is new.", ""]
        return "\n".join(lines)
    lines += [f"Against release {log.previous}.", ""]
    if log.empty:
        lines += ["No event or series changed.", ""]
    sections = (
        ("Events added", log.added), ("Events changed", log.changed), ("Events removed", log.removed),
        ("Series added", log.series_added), ("Series changed", log.series_changed),
        ("Series removed", log.series_removed),
    )  # fmt: skip
    for title, entries in sections:
        if not entries:
            continue
        lines += [f"## {title} ({len(entries)})", ""]
        for e in entries:
            detail = f" (fields: {', '.join(e.fields)})" if e.fields else ""
            detail += f" ({e.why})" if e.why else ""
            lines.append(f"- `{e.id}` {e.title}{detail}")
            lines += [f"  - {r}" for r in e.reasons]
        lines.append("")
    return "\n".join(lines)
