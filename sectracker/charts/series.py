"""Indicator series over time: bars for years, half-years and quarters, a line for finer values."""

from __future__ import annotations

import altair as alt

from sectracker.charts.theme import MUTED, PRIMARY, WIDTH, finish
from sectracker.series.display import format_value, period_label
from sectracker.series.models import Frequency, Series

BAR_FREQUENCIES = (Frequency.year, Frequency.half, Frequency.quarter)
NO_VALUES = "no values"


def series_source(series: Series) -> str:
    """The chart's source line: the series' source and its publisher."""
    publisher = f" ({series.source.publisher})" if series.source.publisher else ""
    return f"Source: {series.source.source}{publisher}"


def series_chart(series: Series, *, period: str = "") -> alt.VConcatChart:
    """The series' values, one bar per period (long periods) or a line with points (finer ones)."""
    title = f"{series.name} ({series.unit})"
    rows = [
        {
            "date": o.date.isoformat(),
            "period": period_label(o.date, series.frequency, series.year_start_month),
            "value": o.value,
            "shown": format_value(o.value, series.unit, o.qualifier),
        }
        for o in series.observations
    ]
    if not rows:
        empty = alt.Chart(alt.Data(values=[{"label": NO_VALUES}])).mark_text(fontSize=16, color=MUTED)
        return finish(empty.encode(text="label:N").properties(width=WIDTH, height=120), title, period,
                      series_source(series))  # fmt: skip
    tooltip = [alt.Tooltip("period:N", title="Period"), alt.Tooltip("shown:N", title="Value")]
    y = alt.Y("value:Q", title=series.unit, axis=alt.Axis(format="~s"))
    base = alt.Chart(alt.Data(values=rows))
    if series.frequency in BAR_FREQUENCIES:
        order = [str(r["period"]) for r in rows]
        x = alt.X("period:O", sort=order, title="Period", axis=alt.Axis(labelAngle=0))
        chart = base.mark_bar(color=PRIMARY).encode(x=x, y=y, tooltip=tooltip)
    else:
        x_time = alt.X("date:T", title="Date")
        chart = base.mark_line(color=PRIMARY, point=len(rows) <= 60).encode(x=x_time, y=y, tooltip=tooltip)
    return finish(chart.properties(width=WIDTH - 120, height=220), title, period, series_source(series))
