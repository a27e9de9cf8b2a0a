"""What the alerts page, its JSON twin and the Atom feed show: stored watch alerts, newest first.

Anonymous readers (public mode) see only alerts whose evidence events are all verified:
an alert on a candidate would otherwise publish what public mode keeps back.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from sectracker.accounts import User
from sectracker.models import EventFilter, Status
from sectracker.store import Database, api
from sectracker.watch.alerts import Alert, list_alerts
from sectracker.web.schemas import AlertList, AlertOut, EvidenceLink

CHUNK = 500  # event ids per query (SQLite limits bound parameters)


def evidence_events(evidence: dict[str, Any]) -> list[str]:
    """The event ids an alert's evidence names (`event_id`, `event_ids`)."""
    ids = [evidence.get("event_id")] + list(evidence.get("event_ids") or [])
    return [str(i) for i in ids if i]


def evidence_links(evidence: dict[str, Any]) -> list[EvidenceLink]:
    links = [EvidenceLink(kind="event", id=i, url=f"/events/{quote(i, safe='')}") for i in evidence_events(evidence)]
    if series_id := evidence.get("series_id"):
        links.append(EvidenceLink(kind="series", id=str(series_id), url=f"/series/{quote(str(series_id), safe='')}"))
    return links


def _public(db: Database, alerts: Sequence[Alert]) -> list[Alert]:
    """The alerts whose evidence events are all verified and not deleted."""
    named = sorted({i for a in alerts for i in evidence_events(a.evidence)})
    shown: set[str] = set()
    for start in range(0, len(named), CHUNK):
        f = EventFilter(ids=named[start : start + CHUNK], statuses=[Status.verified])
        shown |= {e.id for e in api.find_events(db, f, limit=None)}
    return [a for a in alerts if set(evidence_events(a.evidence)) <= shown]


def visible_alerts(db: Database, user: User | None, *, rule: str | None, limit: int) -> list[Alert]:
    """Stored alerts, newest first, that this reader may see (at most `limit`)."""
    if user is not None:
        return list_alerts(db, rule_id=rule, limit=limit)
    return _public(db, list_alerts(db, rule_id=rule, limit=None))[:limit]


def alert_list(alerts: Sequence[Alert], *, rule: str | None, limit: int) -> AlertList:
    return AlertList(
        alerts=[
            AlertOut(
                id=a.id,
                key=a.key,
                rule_id=a.rule_id,
                kind=a.kind,
                subject_date=a.subject_date,
                title=a.title,
                fired_at=a.fired_at,
                evidence=a.evidence,
                links=evidence_links(a.evidence),
            )
            for a in alerts
        ],
        rule=rule,
        limit=limit,
    )
