"""World choropleth of counterpart countries: how many events involved each country.

Countries are shaded on a stepped single-hue scale with a swatch legend (one step per
count up to six, else five equal classes); countries without events are light grey.
The geometry is referenced by name (WORLD_DATA) and added to the spec by
`render.to_spec`, which keeps building the chart cheap.
Countries too small for the 1:110m map (e.g. Singapore) cannot be shaded, so any with
events are named in a note under the map.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from sectracker.charts.theme import EMPTY_FILL, WIDTH, empty_chart, finish
from sectracker.charts.world import OBJECT, WORLD_DATA, mapped_iso3
from sectracker.countries.reference import all_countries


def unmapped_note(counts: pl.DataFrame, value: str = "events") -> str | None:
    """'Not shown at this scale: Singapore (1)' for countries with events but no shape."""
    shown = mapped_iso3()
    names = all_countries()
    missing = [
        f"{names[c].name if c in names else c} ({n})"
        for c, n in counts.select("country", value).iter_rows()
        if n and c not in shown
    ]
    return "Not shown at this scale: " + ", ".join(sorted(missing)) if missing else None


MAX_SWATCHES = 6
BANDS = 5


def bands(top: int) -> list[tuple[int, int]]:
    """Count classes for the legend: one per count up to six, else five of equal width from 1 to `top`."""
    if top <= MAX_SWATCHES:
        return [(n, n) for n in range(1, top + 1)]
    width = -(-top // BANDS)
    return [(lo, min(lo + width - 1, top)) for lo in range(1, top + 1, width)]


def band_label(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _band_of(value: int, classes: list[tuple[int, int]]) -> str:
    return next(band_label(lo, hi) for lo, hi in classes if lo <= value <= hi)


def choropleth(
    counts: pl.DataFrame,
    *,
    title: str,
    period: str,
    value: str = "events",
    source: str | None = None,
    legend_title: str | None = None,
) -> alt.VConcatChart:
    """A world map shaded by `value` per `country` (ISO3) in `counts`."""
    data = counts.filter(pl.col(value) > 0) if counts.height else counts
    if not data.height:
        return empty_chart(title, period, source, height=280)
    names = all_countries()
    top = int(data[value].max())  # type: ignore[arg-type]
    classes = bands(top)
    rows = [
        {"iso3": c, "value": int(n), "band": _band_of(int(n), classes), "name": names[c].name if c in names else c}
        for c, n in data.select("country", value).iter_rows()
    ]
    geo = alt.Data(name=WORLD_DATA, format=alt.DataFormat(type="topojson", feature=OBJECT))
    domain = [band_label(lo, hi) for lo, hi in classes]
    colour = alt.Color(
        "band:O",
        title=legend_title or value.capitalize(),
        scale=alt.Scale(scheme="blues", domain=domain),
        legend=alt.Legend(orient="left", symbolType="square", symbolSize=120),
    )
    chart = (
        alt.Chart(geo)
        .mark_geoshape(stroke="white", strokeWidth=0.4)
        .transform_lookup(
            lookup="properties.iso3",
            from_=alt.LookupData(data=alt.Data(values=rows), key="iso3", fields=["value", "band", "name"]),
            default="0",
        )
        .encode(
            color=alt.condition("datum.value > 0", colour, alt.value(EMPTY_FILL)),
            tooltip=[alt.Tooltip("properties.name:N", title="Country"), alt.Tooltip("value:Q", title=value)],
        )
        .project(type="equalEarth")
        .properties(width=WIDTH + 80, height=330)
    )
    return finish(chart, title, period, source, note=unmapped_note(data, value))
