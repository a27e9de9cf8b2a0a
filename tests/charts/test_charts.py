"""Charts render offline to SVG with their title, period, source and axis labels; empty ones say so."""

from __future__ import annotations

import json
import re
from datetime import date

import polars as pl
import pytest

from sectracker.analysis.compare import compare
from sectracker.analysis.counts import complete_periods, count_events
from sectracker.charts.bars import bar_chart
from sectracker.charts.choropleth import choropleth, unmapped_note
from sectracker.charts.comparison import comparison_chart
from sectracker.charts.render import prefix_ids, print_svg, to_html, to_json, to_png, to_svg
from sectracker.charts.theme import OKABE_ITO
from sectracker.charts.timeline import period_name, timeline_chart
from sectracker.charts.world import mapped_iso3, world_topology
from sectracker.countries.groups import Reference, package_reference
from tests.analysis.fixtures import sample_frame

PERIOD = "January-June 2020"


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    return sample_frame()


@pytest.fixture(scope="module")
def ref() -> Reference:
    return package_reference()


def texts(svg: str) -> str:
    """The words shown in an SVG (text elements and the lines of multi-line titles)."""
    return " ".join(re.findall(r"<(?:text|tspan)[^>]*>([^<]+)</(?:text|tspan)>", svg))


def test_bar_chart(frame: pl.DataFrame, ref: Reference) -> None:
    counts = count_events(frame, None, ["category"], ref)
    chart = bar_chart(
        counts,
        "category",
        title="Events by category",
        period=PERIOD,
        labels={"projection.deployments": "Force deployments"},
        axis_title="Category",
    )
    words = texts(to_svg(chart))
    for expected in (
        "Events by category",
        PERIOD,
        "Source: sectracker event data",
        "Category",
        "Events",
        "Force deployments",
    ):
        assert expected in words


def test_timeline_leaves_out_events_over_several_months(frame: pl.DataFrame, ref: Reference) -> None:
    counts = complete_periods(count_events(frame, None, ["month"], ref), "month", date(2020, 1, 1), date(2020, 6, 30))
    words = texts(to_svg(timeline_chart(counts, "month", title="Per month", period=PERIOD)))
    assert "Jan 2020" in words and "Jun 2020" in words and "Month" in words
    assert "Not shown: 1 events not dated to a single month" in words
    assert period_name("2020-03") == "Mar 2020" and period_name("2020-Q1") == "2020-Q1"


def test_comparison_chart_states_the_test(frame: pl.DataFrame, ref: Reference) -> None:
    result = compare(frame, "section = diplomacy", "section = projection", "oecd", ref, labels=("Help", "Push"))
    words = texts(to_svg(comparison_chart(result, title="Help and push", period=PERIOD, axis_title="OECD")))
    assert "Help and push" in words and "Help" in words and "Push" in words
    assert "Fisher's exact test: p = " in words and "Share of countries" in words


def test_choropleth(frame: pl.DataFrame, ref: Reference) -> None:
    counts = count_events(frame, None, ["country"], ref)
    spec = json.loads(to_json(choropleth(counts, title="Counterparts", period=PERIOD)))
    world = spec["datasets"]["sectracker-world-110m"]
    assert world["type"] == "Topology"
    svg = to_svg(choropleth(counts, title="Counterparts", period=PERIOD))
    assert "Counterparts" in texts(svg)
    # 176 shapes drawn (Antarctica dropped), each a path in the geoshape group
    assert svg.count('aria-roledescription="geoshape"') == 176


def test_territories_without_codes_are_mapped() -> None:
    names = {
        g["properties"]["name"]: g["properties"]["iso3"] for g in world_topology()["objects"]["countries"]["geometries"]
    }
    assert (names["Kosovo"], names["N. Cyprus"], names["Somaliland"]) == ("XKX", "CYP", "SOM")
    assert all(names.values())
    assert "XKX" in mapped_iso3() and "SGP" not in mapped_iso3()
    note = unmapped_note(pl.DataFrame({"country": ["SGP", "FRA", "BHR"], "events": [2, 1, 0]}))
    assert note == "Not shown at this scale: Singapore (2)"


def test_empty_selection_gives_a_chart_saying_no_events(frame: pl.DataFrame, ref: Reference) -> None:
    empty = count_events(frame, "country = BRA", ["category"], ref)
    for chart in (
        bar_chart(empty, "category", title="Nothing here", period=PERIOD),
        choropleth(count_events(frame, "country = BRA", ["country"], ref), title="Nothing here", period=PERIOD),
        timeline_chart(
            count_events(frame, "country = BRA", ["month"], ref), "month", title="Nothing here", period=PERIOD
        ),
        comparison_chart(
            compare(frame, "country = BRA", "country = CHL", "oecd", ref), title="Nothing here", period=PERIOD
        ),
    ):
        words = texts(to_svg(chart))
        assert "no events" in words and "Nothing here" in words and PERIOD in words


def test_palette_and_outputs(frame: pl.DataFrame, ref: Reference) -> None:
    chart = bar_chart(count_events(frame, None, ["section"], ref), "section", title="T", period=PERIOD)
    spec = json.loads(to_json(chart))
    assert spec["config"]["range"]["category"] == list(OKABE_ITO)
    assert to_json(chart) == to_json(chart)  # same chart, same bytes
    assert to_png(chart, scale=1).startswith(b"\x89PNG")
    page = to_html(chart)
    assert "<html" in page and "vega" in page.lower() and "cdn.jsdelivr" not in page


def test_prefix_ids_keeps_references_working() -> None:
    svg = '<svg><defs><clipPath id="clip1"/></defs><g clip-path="url(#clip1)"/><use href="#clip1"/><a href="#x"/></svg>'
    out = prefix_ids(svg, "f2-")
    assert 'id="f2-clip1"' in out and "url(#f2-clip1)" in out and 'href="#f2-clip1"' in out
    assert 'href="#x"' in out  # not an id of this SVG


def test_print_svg_keeps_every_drawn_mark(frame: pl.DataFrame, ref: Reference) -> None:
    svg = to_svg(choropleth(count_events(frame, None, ["country"], ref), title="Counterparts", period=PERIOD))
    printed = print_svg(svg)
    assert printed.count("<path") == svg.count("<path") and texts(printed) == texts(svg)
    assert "aria-" not in printed and " role=" not in printed and " class=" not in printed
    assert re.search(r'\sd="[^"]*\d\.\d\d', svg) and not re.search(r'\sd="[^"]*\d\.\d\d', printed)
    hidden = '<text opacity="0" x="1">10%</text><line opacity="0" x2="5"/>'
    assert (
        print_svg(f'<svg><g>{hidden}<text opacity="1">0%</text></g></svg>')
        == '<svg><g><text opacity="1">0%</text></g></svg>'
    )
    assert print_svg('<svg><path d="M0.04,-0.04L10.25,3.96Z"/></svg>') == '<svg><path d="M0,0L10.2,4Z"/></svg>'
