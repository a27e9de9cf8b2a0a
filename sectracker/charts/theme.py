"""The look every chart shares: colour-blind-safe colours, title, period, source line.

Colours are the Okabe-Ito palette (Okabe & Ito 2008), distinguishable with every common
form of colour-vision deficiency; maps use the single-hue "blues" scheme, which also
reads in greyscale. Every chart carries a title, the period as subtitle and the
source as a line under the plot; an empty selection gives a chart that says so.
"""

from __future__ import annotations

from typing import Any

import altair as alt

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
PRIMARY = OKABE_ITO[0]
EMPTY_FILL = "#e8e8e8"
TEXT = "#222222"
MUTED = "#555555"
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"
WIDTH = 560
DEFAULT_SOURCE = "Source: sectracker event data"
NO_EVENTS = "no events"


def config() -> dict[str, Any]:
    """Vega-Lite config shared by every chart."""
    return {
        "font": FONT,
        "background": "white",
        "view": {"stroke": None},
        "axis": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 11, "titleFontSize": 11, "grid": False},
        "legend": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": 11, "titleFontSize": 11},
        "title": {"color": TEXT, "fontSize": 15, "subtitleColor": MUTED, "subtitleFontSize": 11, "anchor": "start"},
        "range": {"category": list(OKABE_ITO)},
    }


def finish(chart: Any, title: str, period: str, source: str | None, note: str | None = None) -> alt.VConcatChart:
    """Wrap a chart with its title, the period (subtitle) and the source line (and a note) below."""
    subtitle = [period] if period else []
    footer = [line for line in (note, source or DEFAULT_SOURCE) if line]
    main = chart.properties(title=alt.TitleParams(text=title, subtitle=subtitle))
    return (
        alt.vconcat(main)
        .properties(
            title=alt.TitleParams(
                text=footer,
                orient="bottom",
                anchor="start",
                fontSize=10,
                fontWeight="normal",
                color=MUTED,
                offset=10,
            )
        )
        .configure(**config())
    )


def empty_chart_body(height: int = 120) -> alt.Chart:
    """The plot area of an empty chart: the words "no events"."""
    return (
        alt.Chart(alt.Data(values=[{"label": NO_EVENTS}]))
        .mark_text(fontSize=16, color=MUTED)
        .encode(text="label:N")
        .properties(width=WIDTH, height=height)
    )


def empty_chart(title: str, period: str, source: str | None, height: int = 120) -> alt.VConcatChart:
    """A chart of the usual frame that says there are no events."""
    return finish(empty_chart_body(height), title, period, source)
