"""Group-comparison charts: two selections' shares side by side for each group."""

from __future__ import annotations

import math

import altair as alt

from sectracker.analysis.compare import Comparison, Significance
from sectracker.charts.theme import OKABE_ITO, WIDTH, empty_chart, finish


def describe_test(test: Significance, unit: str) -> str:
    """One line naming the test, p-value and effect size (or why there is none)."""
    if test.p_value is None:
        return test.note
    parts = [f"{test.method}: p = {test.p_value:.3g}"]
    if test.odds_ratio is not None:
        parts.append("odds ratio " + ("infinite" if math.isinf(test.odds_ratio) else f"{test.odds_ratio:.2f}"))
    if test.cramers_v is not None:
        parts.append(f"Cramér's V {test.cramers_v:.2f}")
    parts.append(f"unit: {unit}")
    return "; ".join(parts)


def comparison_chart(
    comparison: Comparison, *, title: str, period: str, source: str | None = None, axis_title: str | None = None
) -> alt.VConcatChart:
    """Horizontal bars of each selection's share per group, with the test under the plot."""
    table = comparison.table
    if not table.height or int(table["a"].sum()) + int(table["b"].sum()) == 0:
        return empty_chart(title, period, source)
    a_label, b_label = comparison.labels
    rows = []
    for r in table.iter_rows(named=True):
        rows.append({"group": r["key"], "selection": a_label, "share": r["a_share"], "count": r["a"]})
        rows.append({"group": r["key"], "selection": b_label, "share": r["b_share"], "count": r["b"]})
    order = table["key"].to_list()
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            y=alt.Y(
                "group:N", sort=order, title=axis_title or comparison.by.capitalize(), axis=alt.Axis(labelLimit=220)
            ),
            yOffset=alt.YOffset("selection:N", sort=[a_label, b_label]),
            x=alt.X(
                "share:Q",
                title=f"Share of {comparison.unit}",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color(
                "selection:N",
                sort=[a_label, b_label],
                scale=alt.Scale(domain=[a_label, b_label], range=[OKABE_ITO[0], OKABE_ITO[1]]),
                legend=alt.Legend(title=None, orient="top", labelLimit=400),
            ),
            tooltip=["group:N", "selection:N", alt.Tooltip("share:Q", format=".0%"), "count:Q"],
        )
        .properties(width=WIDTH - 220, height=alt.Step(16))
    )
    return finish(chart, title, period, source, note=describe_test(comparison.test, comparison.unit))
