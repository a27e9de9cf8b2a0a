"""Monthly (or quarterly ...) timelines: bars per period, stacked by an optional second column.

Events not dated to a single period (e.g. known only as "January-June" on a monthly
timeline) are not forced into one: they are left out and counted in a note.
"""

from __future__ import annotations

from collections.abc import Mapping

import altair as alt
import polars as pl

from sectracker.analysis.dimensions import is_period
from sectracker.charts.theme import OKABE_ITO, PRIMARY, WIDTH, empty_chart, empty_chart_body, finish

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def period_name(label: str) -> str:
    """'2020-03' -> 'Mar 2020'; other period labels unchanged."""
    if len(label) == 7 and label[4] == "-" and label[5:].isdigit():
        return f"{MONTHS[int(label[5:]) - 1]} {label[:4]}"
    return label


def timeline_chart(
    counts: pl.DataFrame,
    period_column: str,
    *,
    title: str,
    period: str,
    value: str = "events",
    color: str | None = None,
    source: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> alt.VConcatChart:
    """Bars per period in the order given (zero periods kept); stacked by `color` if named."""
    columns = [period_column, value] + ([color] if color else [])
    data = counts.select(columns)
    if not data.height or int(data[value].sum()) == 0:
        return empty_chart(title, period, source)
    left_out = int(data.filter(~is_period(period_column))[value].sum())
    data = data.filter(is_period(period_column))
    note = f"Not shown: {left_out} {value} not dated to a single {period_column}" if left_out else None
    if not data.height or int(data[value].sum()) == 0:
        return finish(empty_chart_body(), title, period, source, note=note)
    order = list(dict.fromkeys(period_name(str(p)) for p in data[period_column]))
    rows = [
        {
            "period": period_name(str(r[period_column])),
            "value": int(r[value]),
            "group": (labels or {}).get(str(r[color]), str(r[color])) if color else "",
        }
        for r in data.iter_rows(named=True)
    ]
    axis_name = "Month" if period_column == "month" else period_column.capitalize()
    enc: dict[str, object] = {
        "x": alt.X("period:O", sort=order, title=axis_name, axis=alt.Axis(labelAngle=0)),
        "y": alt.Y("sum(value):Q", title=value.capitalize(), axis=alt.Axis(tickMinStep=1, format="d")),
        "tooltip": [alt.Tooltip("period:O", title=axis_name), alt.Tooltip("sum(value):Q", title=value)],
    }
    if color:
        enc["color"] = alt.Color("group:N", title=color.capitalize(), scale=alt.Scale(range=list(OKABE_ITO)))
        bars = alt.Chart(alt.Data(values=rows)).mark_bar().encode(**enc)
    else:
        bars = alt.Chart(alt.Data(values=rows)).mark_bar(color=PRIMARY).encode(**enc)
    return finish(bars.properties(width=WIDTH - 120, height=220), title, period, source, note=note)
