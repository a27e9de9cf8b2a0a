"""Evaluating watch rules on the stored events and series; each alert carries its evidence.

Rules look at the whole record every time; an alert's key (rule, subject, period)
makes it fire once, so a run reports only what is new since the last one.
"""

from __future__ import annotations

import fnmatch
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, select

from sectracker.clock import now
from sectracker.codebook import load_codebook
from sectracker.countries.reference import country
from sectracker.models import Precision
from sectracker.series.change import changes
from sectracker.series.display import describe_change
from sectracker.series.models import Series
from sectracker.store.db import Database
from sectracker.store.schema import event_countries, event_tags, events
from sectracker.store.series import load_series
from sectracker.watch.alerts import Alert, store_new
from sectracker.watch.rules import (
    CountAboveBaseline,
    Direction,
    FirstEngagement,
    IndicatorChange,
    NewExercisePartner,
    Rule,
    check_series,
    region_members,
)

MONTHLY = (Precision.day.value, Precision.month.value)


@dataclass(frozen=True)
class Fact:
    """What rules need of an event."""

    id: str
    headline: str
    category: str
    status: str
    day: date
    precision: str
    countries: tuple[str, ...]
    tags: frozenset[str]


def load_facts(conn: Connection) -> list[Fact]:
    """Every dated, not deleted event, oldest first."""
    rows = conn.execute(
        select(
            events.c.id,
            events.c.headline,
            events.c.category,
            events.c.status,
            events.c.date_start,
            events.c.date_precision,
        ).where(events.c.deleted_at.is_(None), events.c.date_start.is_not(None))
    ).all()
    countries: dict[str, list[str]] = defaultdict(list)
    for event_id, iso3 in conn.execute(select(event_countries.c.event_id, event_countries.c.iso3)):
        countries[event_id].append(iso3)
    tags: dict[str, set[str]] = defaultdict(set)
    for event_id, tag in conn.execute(select(event_tags.c.event_id, event_tags.c.tag)):
        tags[event_id].add(tag)
    facts = [
        Fact(r.id, r.headline, r.category, r.status, r.date_start, r.date_precision, tuple(sorted(countries[r.id])),
             frozenset(tags[r.id]))
        for r in rows
    ]  # fmt: skip
    return sorted(facts, key=lambda f: (f.day, f.id))


def _status_ok(rule: Rule, f: Fact) -> bool:
    return f.status in {s.value for s in rule.statuses}


def first_engagements(rule: FirstEngagement | NewExercisePartner, facts: Sequence[Fact]) -> list[Alert]:
    """The first event of the category (with the tags) per country, when on or after `since`."""
    wanted = set(getattr(rule, "countries", []) or [])
    label = load_codebook().category(rule.category).label
    chosen = [f for f in facts if f.category == rule.category and set(rule.tags) <= f.tags and _status_ok(rule, f)]
    history_from = chosen[0].day.isoformat() if chosen else None
    seen: set[str] = set()
    out = []
    for f in chosen:
        for iso3 in f.countries:
            if iso3 in seen or (wanted and iso3 not in wanted):
                continue
            seen.add(iso3)
            if rule.since and f.day < rule.since:
                continue
            what = (
                "New joint-exercise partner" if isinstance(rule, NewExercisePartner) else f"First {label.lower()} event"
            )
            out.append(
                Alert(
                    key=f"{rule.id}:{iso3}",
                    rule_id=rule.id,
                    kind=rule.kind,
                    subject_date=f.day,
                    title=f"{what} with {country(iso3).name}: {f.headline}",
                    evidence={
                        "event_id": f.id,
                        "headline": f.headline,
                        "date": f.day.isoformat(),
                        "country": iso3,
                        "category": rule.category,
                        "tags": sorted(rule.tags),
                        "earlier_events_with_country": 0,
                        "record_starts": history_from,
                    },
                )  # fmt: skip
            )
    return out


def _month(day: date) -> int:
    return day.year * 12 + day.month - 1


def _label(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02d}"


def counts_above_baseline(rule: CountAboveBaseline, facts: Sequence[Fact]) -> list[Alert]:
    """Months whose event count in the region exceeds mean + sigma * SD of the months before.

    Only events dated to the day or month count: a year-precision event (a SIPRI delivery
    year) is stored on 1 January and would make every January look like a surge.
    """
    members = set(rule.countries) | (region_members(rule.region) if rule.region else set())
    chosen = [
        f for f in facts
        if _status_ok(rule, f) and f.precision in MONTHLY and members & set(f.countries)
        and (rule.category is None or f.category == rule.category)
    ]  # fmt: skip
    if not chosen:
        return []
    per_month: dict[int, list[str]] = defaultdict(list)
    for f in chosen:
        per_month[_month(f.day)].append(f.id)
    first, last = min(per_month), max(per_month)
    where = rule.region or ", ".join(sorted(rule.countries))
    out = []
    for m in range(first + rule.baseline_months, last + 1):
        if rule.since and m < _month(rule.since):
            continue
        window = [len(per_month.get(b, [])) for b in range(m - rule.baseline_months, m)]
        mean, sd = statistics.fmean(window), statistics.pstdev(window)
        count, threshold = len(per_month.get(m, [])), statistics.fmean(window) + rule.sigma * statistics.pstdev(window)
        if count < rule.min_count or count <= threshold:
            continue
        out.append(
            Alert(
                key=f"{rule.id}:{_label(m)}",
                rule_id=rule.id,
                kind=rule.kind,
                subject_date=date(m // 12, m % 12 + 1, 1),
                title=f"{count} events in {where} in {_label(m)}, above the {rule.baseline_months}-month baseline "
                f"({mean:.1f} +/- {sd:.1f})",
                evidence={
                    "region": where,
                    "month": _label(m),
                    "count": count,
                    "mean": round(mean, 3),
                    "sd": round(sd, 3),
                    "sigma": rule.sigma,
                    "threshold": round(threshold, 3),
                    "baseline": {_label(b): len(per_month.get(b, [])) for b in range(m - rule.baseline_months, m)},
                    "event_ids": sorted(per_month[m]),
                },
            )  # fmt: skip
        )
    return out


def indicator_changes(rule: IndicatorChange, series: Iterable[Series]) -> list[Alert]:
    """Series values that changed by more than `percent` on the previous period."""
    out = []
    for s in series:
        if not fnmatch.fnmatchcase(s.id, rule.series):
            continue
        for c in changes(s):
            if c.percent is None or abs(c.percent) <= rule.percent or (rule.since and c.date < rule.since):
                continue
            if (rule.direction is Direction.up and c.percent < 0) or (
                rule.direction is Direction.down and c.percent > 0
            ):
                continue
            obs = next(o for o in s.observations if o.date == c.date)
            prov = s.provenance_of(obs)
            out.append(
                Alert(
                    key=f"{rule.id}:{s.id}:{c.date.isoformat()}",
                    rule_id=rule.id,
                    kind=rule.kind,
                    subject_date=c.date,
                    title=f"{s.name}: {describe_change(s, c)}",
                    evidence={
                        "series_id": s.id,
                        "date": c.date.isoformat(),
                        "value": c.value,
                        "unit": s.unit,
                        "previous_date": c.previous_date.isoformat() if c.previous_date else None,
                        "previous_value": c.previous_value,
                        "percent": round(c.percent, 3),
                        "threshold_percent": rule.percent,
                        "source": prov.source,
                        "derived": prov.derived,
                    },
                )  # fmt: skip
            )
    return out


def evaluate(rules: Sequence[Rule], facts: Sequence[Fact], series: Sequence[Series]) -> list[Alert]:
    """Every alert the rules give on these events and series (stored or not)."""
    out: list[Alert] = []
    for rule in rules:
        if isinstance(rule, FirstEngagement | NewExercisePartner):
            out += first_engagements(rule, facts)
        elif isinstance(rule, CountAboveBaseline):
            out += counts_above_baseline(rule, facts)
        else:
            out += indicator_changes(rule, series)
    return out


@dataclass(frozen=True)
class WatchRun:
    rules: int
    events: int
    series: int
    fired: int
    new: list[Alert]


def run_watch(db: Database, rules: Sequence[Rule], *, require_series: bool = False) -> WatchRun:
    """Evaluate the rules and store the alerts not seen before (one transaction).

    With `require_series` (rules the user wrote), an indicator rule whose series matches no
    stored series is refused (ValidationFailed naming the rule) before anything is stored.
    """

    def work(conn: Connection) -> WatchRun:
        facts, series = load_facts(conn), list(load_series(conn).values())
        if require_series:
            check_series(rules, (s.id for s in series))
        alerts = evaluate(rules, facts, series)
        new = store_new(conn, alerts, now())
        return WatchRun(len(rules), len(facts), len(series), len(alerts), new)

    return db.write(work)
