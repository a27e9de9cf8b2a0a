"""What the series pages show; each function feeds both a page and its JSON twin."""

from __future__ import annotations

from sectracker.accounts import User
from sectracker.charts.render import to_spec
from sectracker.charts.series import series_chart
from sectracker.series.change import Change, changes, latest_change
from sectracker.series.display import format_percent, format_value, period_label
from sectracker.series.models import Observation, Series
from sectracker.store import Database
from sectracker.store.series import SeriesAuditEntry, get_series, load_series, series_history
from sectracker.web.schemas import SeriesDetail, SeriesList, SeriesSummary, SeriesValue, SeriesVersion


def series_value(series: Series, change: Change, obs: Observation) -> SeriesValue:
    """A value (`obs`) as shown: formatted, with its change and its provenance (own or the series')."""
    return SeriesValue(
        date=change.date,
        period=period_label(change.date, series.frequency, series.year_start_month),
        value=change.value,
        qualifier=obs.qualifier.value,
        display=format_value(change.value, series.unit, obs.qualifier),
        previous_date=change.previous_date,
        previous_value=change.previous_value,
        change=change.absolute,
        change_percent=change.percent,
        change_display=format_percent(change.percent) if change.percent is not None else "",
        approximate=change.approximate,
        provenance=series.provenance_of(obs),
        own_provenance=obs.provenance is not None and obs.provenance != series.source,
        note=obs.note,
    )


def series_summary(series: Series) -> SeriesSummary:
    latest = latest_change(series)
    obs = series.observations
    shown = series_value(series, latest, obs[-1]) if latest else None
    return SeriesSummary(
        id=series.id,
        name=series.name,
        unit=series.unit,
        frequency=series.frequency.value,
        year_start_month=series.year_start_month,
        country=series.country,
        mission=series.mission,
        category=series.category,
        description=series.description,
        source=series.source,
        values=len(obs),
        first=obs[0].date if obs else None,
        last=obs[-1].date if obs else None,
        version=series.version,
        latest=shown,
    )


def series_list(db: Database) -> SeriesList:
    """Every stored series, by id, with its newest value and that value's change."""
    with db.connect() as conn:
        stored = load_series(conn)
    return SeriesList(series=[series_summary(s) for s in stored.values()])


def series_version(entry: SeriesAuditEntry) -> SeriesVersion:
    before = entry.before or {}
    return SeriesVersion(
        id=entry.id,
        version=(entry.after or {}).get("version"),
        action=entry.action,
        user=entry.user,
        at=entry.at,
        reason=entry.reason,
        changed_values=sorted(before.get("values", {})),
        changed_fields=sorted(before.get("definition", {})),
    )


def series_detail(db: Database, series_id: str, user: User | None) -> SeriesDetail:
    """One series: values with changes, its chart and, for logged-in users, its version history."""
    series = get_series(db, series_id)
    history = [series_version(e) for e in series_history(db, series_id)] if user else None
    values = zip(changes(series), series.observations, strict=True)  # changes() keeps the values' order
    return SeriesDetail(
        series=series_summary(series),
        observations=[series_value(series, c, o) for c, o in values],
        spec=to_spec(series_chart(series)),
        history=history,
    )
