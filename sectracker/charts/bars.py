"""Bar charts of counts by a category, a group or a country (horizontal, largest first)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import polars as pl

from sectracker.charts.theme import PRIMARY, WIDTH, empty_chart, finish

BAR_HEIGHT = 22


def bar_chart(
    counts: pl.DataFrame,
    by: str,
    *,
    title: str,
    period: str,
    value: str = "events",
    source: str | None = None,
    labels: Mapping[str, str] | None = None,
    axis_title: str | None = None,
    order: Sequence[str] | None = None,
) -> alt.VConcatChart:
    """Bars of `value` per label of column `by`; `order` fixes the order, else largest first."""
    rows = [
        {"label": (labels or {}).get(str(r[by]), str(r[by])), "value": int(r[value])}
        for r in counts.select(by, value).iter_rows(named=True)
        if r[value]
    ]
    if not rows:
        return empty_chart(title, period, source)
    sort: list[str] | str = "-x"
    if order is not None:
        names = [(labels or {}).get(k, k) for k in order]
        sort = [n for n in names if n in {r["label"] for r in rows}]
    base = alt.Chart(alt.Data(values=rows)).encode(
        y=alt.Y("label:N", sort=sort, title=axis_title or by.capitalize(), axis=alt.Axis(labelLimit=260)),
        x=alt.X("value:Q", title=value.capitalize(), axis=alt.Axis(tickMinStep=1, format="d")),
        tooltip=[alt.Tooltip("label:N", title=axis_title or by), alt.Tooltip("value:Q", title=value)],
    )
    bars = base.mark_bar(color=PRIMARY)
    text = base.mark_text(align="left", dx=3, fontSize=10).encode(text="value:Q")
    chart = alt.layer(bars, text).properties(width=WIDTH - 200, height=BAR_HEIGHT * len(rows))
    return finish(chart, title, period, source)
