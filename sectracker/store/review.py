"""Review of candidate events: the queue ordered by need, and audited decisions.

Every decision goes through ``events.update_event`` (optimistic locking, one audit
entry per changed event) inside one transaction, so nothing is half-written.
Decisions that touch two events (merge, split) name each other in the audit
reason, which lets ``revert`` undo both halves together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Connection, and_, case, exists, func, literal, select

from sectracker.errors import Conflict, NotFound, Problem, ValidationFailed
from sectracker.models import AuditEntry, Event, Source, Status, slug_id
from sectracker.store import audit, events
from sectracker.store.db import Database
from sectracker.store.queries import load_events
from sectracker.store.schema import audit_log, event_countries, sources
from sectracker.store.schema import events as events_t

PROTECTED = {"id", "version", "created_at", "updated_at"}
MERGED_INTO = "merged into "
MERGED_FROM = "merged from "
SPLIT_INTO = "split into "
SPLIT_FROM = "split from "
DUPLICATE_WINDOW = timedelta(days=31)
PARTNER_SPAN = 1000


@dataclass
class QueueItem:
    """One candidate in the review queue and why it needs a human."""

    event: Event
    need: float
    reasons: list[str] = field(default_factory=list)


def _need_columns() -> list[Any]:
    e = events_t
    other = events_t.alias("other")
    mine, theirs = event_countries.alias("mine"), event_countries.alias("theirs")
    # Correlate explicitly: the inner sub-select sits two levels deep, under `other`.
    shared_country = (
        select(literal(1))
        .where(mine.c.event_id == e.c.id, theirs.c.event_id == other.c.id, theirs.c.iso3 == mine.c.iso3)
        .correlate(e, other)
        .exists()
    )
    duplicate = (
        select(literal(1))
        .where(
            other.c.id != e.c.id,
            other.c.category == e.c.category,
            other.c.deleted_at.is_(None),
            other.c.status != Status.rejected.value,
            other.c.date_start <= e.c.date_end,
            other.c.date_end >= e.c.date_start,
            shared_country,
        )
        .correlate(e)
        .exists()
    )
    no_date = case((e.c.date_start.is_(None), 1), else_=0)
    no_country = case((~exists().where(event_countries.c.event_id == e.c.id), 1), else_=0)
    no_source = case((~exists().where(sources.c.event_id == e.c.id), 1), else_=0)
    dup = case((duplicate, 1), else_=0)
    low = literal(1.0) - func.coalesce(e.c.confidence, 0.5)
    need = low + 0.5 * (no_date + no_country + no_source) + dup
    return [
        e.c.id,
        need.label("need"),
        no_date.label("no_date"),
        no_country.label("no_country"),
        no_source.label("no_source"),
        dup.label("dup"),
    ]


def _reasons(row: Any, confidence: float | None) -> list[str]:
    out = []
    if confidence is None or confidence < 0.6:
        out.append("low confidence" if confidence is not None else "no confidence score")
    for flag, text in (("no_date", "no date"), ("no_country", "no country"), ("no_source", "no source")):
        if getattr(row, flag):
            out.append(text)
    if row.dup:
        out.append("possible duplicate")
    return out


def review_queue(db: Database, *, limit: int = 50, offset: int = 0) -> list[QueueItem]:
    """Candidates, the ones that need a human most first (ties: oldest id first)."""
    cols = _need_columns()
    stmt = (
        select(*cols)
        .where(events_t.c.status == Status.candidate.value, events_t.c.deleted_at.is_(None))
        .order_by(cols[1].desc(), events_t.c.id)
        .limit(limit)
        .offset(offset)
    )
    with db.connect() as conn:
        rows = list(conn.execute(stmt))
        loaded = {e.id: e for e in load_events(conn, [r.id for r in rows])}
    return [
        QueueItem(loaded[r.id], round(float(r.need), 3), _reasons(r, loaded[r.id].confidence))
        for r in rows
        if r.id in loaded
    ]


def count_candidates(db: Database) -> int:
    stmt = select(func.count()).where(events_t.c.status == Status.candidate.value, events_t.c.deleted_at.is_(None))
    with db.connect() as conn:
        return int(conn.execute(stmt).scalar_one())


def _duplicate_score(a: Event, b: Event) -> float:
    score = fuzz.token_set_ratio(a.headline.lower(), b.headline.lower()) / 100
    if a.category == b.category:
        score += 0.3
    if set(a.countries) & set(b.countries):
        score += 0.3
    return round(score, 3)


def possible_duplicates(db: Database, event: Event, *, limit: int = 5) -> list[tuple[Event, float]]:
    """Other live events near in date that share its category or a country, most alike first."""
    e = events_t
    conds = [e.c.id != event.id, e.c.deleted_at.is_(None), e.c.status != Status.rejected.value]
    if event.date_start:
        end = event.date_end or event.date_start
        conds += [e.c.date_start <= end + DUPLICATE_WINDOW, e.c.date_end >= event.date_start - DUPLICATE_WINDOW]
    shares_country = exists().where(
        event_countries.c.event_id == e.c.id, event_countries.c.iso3.in_(event.countries or ["-"])
    )
    stmt = select(e.c.id).where(*conds, (e.c.category == event.category) | shares_country).limit(500)
    with db.connect() as conn:
        found = load_events(conn, list(conn.execute(stmt).scalars()))
    scored = sorted(((o, _duplicate_score(event, o)) for o in found), key=lambda p: (-p[1], p[0].id))
    return [p for p in scored if p[1] >= 0.8][:limit]


def _decide(
    conn: Connection,
    event_id: str,
    changes: dict[str, Any],
    user: str,
    expected: int | None,
    action: str,
    reason: str | None,
) -> Event:
    return events.update_event(conn, event_id, changes, user, expected_version=expected, reason=reason, action=action)


def _live(conn: Connection, event_id: str) -> Event:
    current = events.get_for_write(conn, event_id)
    events.require_live(conn, event_id)
    return current


def accept(
    db: Database, event_id: str, *, user: str, expected_version: int | None = None, reason: str | None = None
) -> Event:
    """Mark an event verified (Conflict if it is verified already or the version is stale)."""

    def work(conn: Connection) -> Event:
        if _live(conn, event_id).status == Status.verified:
            raise Conflict(f"event {event_id!r} is already verified")
        return _decide(conn, event_id, {"status": Status.verified}, user, expected_version, "accept", reason)

    return db.write(work)


def reject(db: Database, event_id: str, *, user: str, reason: str, expected_version: int | None = None) -> Event:
    """Mark an event rejected; a reason is required and kept in the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(Problem("say why the event is rejected", field="reason"))

    def work(conn: Connection) -> Event:
        if _live(conn, event_id).status == Status.rejected:
            raise Conflict(f"event {event_id!r} is already rejected")
        return _decide(conn, event_id, {"status": Status.rejected}, user, expected_version, "reject", reason)

    return db.write(work)


def edit(
    db: Database,
    event_id: str,
    changes: dict[str, Any],
    *,
    user: str,
    expected_version: int | None,
    reason: str | None = None,
) -> Event:
    """Change any editable field of an event (the reviewer's 'edit')."""
    return db.write(lambda conn: _decide(conn, event_id, changes, user, expected_version, "edit", reason))


def _source_key(s: Source) -> tuple[Any, ...]:
    ev = s.evidence
    return (s.title, s.url, ev.document_id if ev else None, ev.start if ev else None, ev.end if ev else None)


def _union(a: list[str], b: list[str]) -> list[str]:
    return sorted(set(a) | set(b))


def merge(
    db: Database,
    candidate_id: str,
    target_id: str,
    *,
    user: str,
    expected_version: int | None = None,
    target_version: int | None = None,
) -> Event:
    """Move a candidate's sources (and countries, actors, tags) into a target; the candidate is rejected."""
    if candidate_id == target_id:
        raise ValidationFailed(Problem("an event cannot be merged into itself", field="target"))

    def work(conn: Connection) -> Event:
        cand, target = _live(conn, candidate_id), _live(conn, target_id)
        if target.status == Status.rejected:
            raise Conflict(f"event {target_id!r} is rejected; merge into a live event")
        known = {_source_key(s) for s in target.sources}
        moved = [s for s in cand.sources if _source_key(s) not in known]
        known_places = {loc.name for loc in target.locations}
        changes = {
            "sources": [s.model_dump() for s in target.sources + moved],
            "countries": _union(target.countries, cand.countries),
            "actors": _union(target.actors, cand.actors),
            "tags": _union(target.tags, cand.tags),
            "locations": [loc.model_dump() for loc in target.locations]
            + [loc.model_dump() for loc in cand.locations if loc.name not in known_places],
        }
        merged = _decide(conn, target_id, changes, user, target_version, "merge-in", MERGED_FROM + candidate_id)
        _decide(
            conn, candidate_id, {"status": Status.rejected}, user, expected_version, "merge", MERGED_INTO + target_id
        )
        return merged

    return db.write(work)


def _new_split_id(conn: Connection, original: str, n: int) -> str:
    while True:
        candidate = slug_id(original, "split", str(n), prefix="ev")
        if not events.existing_ids(conn, [candidate]):
            return candidate
        n += 1


def split(
    db: Database, event_id: str, parts: list[dict[str, Any]], *, user: str, expected_version: int | None = None
) -> list[Event]:
    """Split events off an event: each part is field changes plus `source_indexes` to move.

    Moved sources leave the original; new events start as candidates. Returns the
    original followed by the new events.
    """
    if not parts:
        raise ValidationFailed(Problem("give at least one part to split off", field="parts"))

    def work(conn: Connection) -> list[Event]:
        original = _live(conn, event_id)
        moved_all: set[int] = set()
        new: list[Event] = []
        for n, part in enumerate(parts, start=1):
            part = dict(part)
            indexes = set(part.pop("source_indexes", []) or [])
            if bad := sorted(i for i in indexes if not isinstance(i, int) or not 0 <= i < len(original.sources)):
                raise ValidationFailed(Problem(f"no source number(s) {bad}", field=f"parts.{n - 1}.source_indexes"))
            if again := sorted(indexes & moved_all):
                raise ValidationFailed(
                    Problem(f"source number(s) {again} already move to an earlier part", field=f"parts.{n - 1}")
                )
            if fixed := sorted(PROTECTED & set(part)):
                raise ValidationFailed(Problem(f"field(s) {', '.join(fixed)} cannot be set", field=f"parts.{n - 1}"))
            if "status" in part:
                raise ValidationFailed(
                    Problem("a split-off event starts as a candidate; review it next", field=f"parts.{n - 1}.status")
                )
            moved_all |= indexes
            base = original.model_dump(exclude=PROTECTED) | {"status": Status.candidate}
            base["sources"] = [original.sources[i].model_dump() for i in sorted(indexes)]
            new.append(_validated({**base, **part, "id": _new_split_id(conn, event_id, n)}, f"parts.{n - 1}"))
        kept = [s.model_dump() for i, s in enumerate(original.sources) if i not in moved_all]
        ids = ", ".join(e.id for e in new)
        updated = _decide(conn, event_id, {"sources": kept}, user, expected_version, "split", SPLIT_INTO + ids)
        stored = events.insert_events(conn, new, user, action="split-from", reason=SPLIT_FROM + event_id)
        return [updated, *stored]

    return db.write(work)


def _validated(data: dict[str, Any], where: str) -> Event:
    from pydantic import ValidationError

    try:
        return Event.model_validate(data)
    except ValidationError as exc:
        problems = events.problems_from(exc)
        raise ValidationFailed([Problem(p.message, field=f"{where}.{p.field}") for p in problems]) from exc


def _partners(conn: Connection, entry: AuditEntry) -> list[AuditEntry]:
    """The other halves of a merge or split decision, found through the audit reasons."""
    reason = entry.reason or ""
    wanted: list[tuple[str, str, str]] = []
    if entry.action == "merge" and reason.startswith(MERGED_INTO):
        wanted.append((reason.removeprefix(MERGED_INTO), "merge-in", MERGED_FROM + entry.event_id))
    elif entry.action == "merge-in" and reason.startswith(MERGED_FROM):
        wanted.append((reason.removeprefix(MERGED_FROM), "merge", MERGED_INTO + entry.event_id))
    elif entry.action == "split" and reason.startswith(SPLIT_INTO):
        for other in re.split(r",\s*", reason.removeprefix(SPLIT_INTO)):
            wanted.append((other, "split-from", SPLIT_FROM + entry.event_id))
    out = []
    entry_id = entry.id or 0
    for event_id, action, partner_reason in wanted:
        stmt = (
            select(audit_log.c.id)
            .where(
                and_(
                    audit_log.c.event_id == event_id,
                    audit_log.c.action == action,
                    audit_log.c.reason == partner_reason,
                    # Both halves are written in one transaction, so their ids are close.
                    audit_log.c.id.between(entry_id - PARTNER_SPAN, entry_id + PARTNER_SPAN),
                )
            )
            .order_by(func.abs(audit_log.c.id - entry_id))
        )
        found = conn.execute(stmt).scalar()
        if found is not None:
            out.append(audit.get_entry(conn, int(found)))
    return out


def _content(state: dict[str, Any]) -> dict[str, Any]:
    """An event's fields without its version and timestamps (what a change is about)."""
    return {k: v for k, v in state.items() if k not in PROTECTED}


def _undo(conn: Connection, entry: AuditEntry, user: str) -> Event:
    """Put the event back as it was before `entry`, if it is still as `entry` left it."""
    note = f"revert of audit entry {entry.id}"
    if entry.action == "delete" or entry.action == "restore":
        events.set_deleted(conn, entry.event_id, user, entry.action == "restore", note)
        return events.get_for_write(conn, entry.event_id)
    current = _live(conn, entry.event_id)
    if entry.after is not None and _content(current.model_dump(mode="json")) != _content(entry.after):
        raise Conflict(
            f"event {entry.event_id!r} was changed after audit entry {entry.id} (now version {current.version}); "
            "revert the later changes first"
        )
    if entry.before is None:
        if entry.after is None:
            raise ValidationFailed(Problem(f"audit entry {entry.id} records no change to revert", field="entry"))
        events.set_deleted(conn, entry.event_id, user, True, note)
        return events.get_for_write(conn, entry.event_id)
    changes = {k: v for k, v in entry.before.items() if k not in PROTECTED}
    return events.update_event(conn, entry.event_id, changes, user, reason=note, action="revert")


def revert(db: Database, entry_id: int, *, user: str) -> list[Event]:
    """Undo one audited change (and the other half of a merge or split), audited as 'revert'."""

    def work(conn: Connection) -> list[Event]:
        entry = audit.get_entry(conn, entry_id)
        return [_undo(conn, e, user) for e in [entry, *_partners(conn, entry)]]

    return db.write(work)


def audit_entry(db: Database, entry_id: int) -> AuditEntry:
    with db.connect() as conn:
        return audit.get_entry(conn, entry_id)


__all__ = [
    "NotFound",
    "QueueItem",
    "accept",
    "audit_entry",
    "count_candidates",
    "edit",
    "merge",
    "possible_duplicates",
    "reject",
    "review_queue",
    "revert",
    "split",
]


def queue_item(db: Database, event_id: str) -> QueueItem:
    """One event with its need score and reasons, as the queue would show it."""
    stmt = select(*_need_columns()).where(events_t.c.id == event_id)
    with db.connect() as conn:
        row = conn.execute(stmt).first()
        if row is None:
            raise NotFound(f"no event with id {event_id!r}")
        if events.is_deleted(conn, event_id):
            raise NotFound(f"event {event_id!r} is deleted; restore it to review it")
        event = events.get_for_write(conn, event_id)
    return QueueItem(event, round(float(row.need), 3), _reasons(row, event.confidence))


def queue_ids(db: Database, *, limit: int = 1000) -> list[str]:
    """Ids of the first `limit` candidates in queue order (for previous/next links)."""
    cols = _need_columns()
    stmt = (
        select(cols[0], cols[1])
        .where(events_t.c.status == Status.candidate.value, events_t.c.deleted_at.is_(None))
        .order_by(cols[1].desc(), events_t.c.id)
        .limit(limit)
    )
    with db.connect() as conn:
        return list(conn.execute(stmt).scalars())
